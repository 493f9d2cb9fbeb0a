"""Policies and subsidies (issue 5): a policy's versions, its yearly budgets, applications (申报),
their review history, evidence files and payouts.

A ``PolicyVersionRecord`` stores what the pure ``policy.PolicyVersion`` needs as data (decimals
as strings in JSON), so an officer publishes a new version without a release. An
``Application`` keeps the computation it was decided with (amount, version, every parameter
and step: the explanation) and no later version rewrites it. A ``Payout`` is unique per
application: an amount is paid once.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talentflow.core.models import StoredFile, TimeStampedModel
from talentflow.core.uploads import stored_name
from talentflow.rules import policy as engine


class PolicyKind(models.TextChoices):
    MONEY = engine.MONEY, _("Subsidy (money)")
    FLAG = engine.FLAG, _("Priority (flag)")


class ApplicantKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    TALENT = "talent", _("Talent or student")


class Policy(TimeStampedModel):
    """A policy of a region's talent office, e.g. 嘉善's 育才补贴."""

    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("owning region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=8, choices=PolicyKind.choices)
    applicant_kind = models.CharField(
        _("who applies"), max_length=16, choices=ApplicantKind.choices
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering = ["region_id", "code"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("rules:policy_detail", args=[self.pk])

    @property
    def is_money(self) -> bool:
        return self.kind == PolicyKind.MONEY


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class PolicyVersionRecord(TimeStampedModel):
    """One version of a policy, as data. Published versions are immutable (services refuse
    every change); a draft is edited and tried out on the what-if page before publishing."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    eligibility = models.TextField(_("eligibility"))
    steps = models.JSONField(_("steps"), default=list)
    facts = models.JSONField(_("facts"), default=list, blank=True)
    # The type of each fact the version declares itself (name → money, number, bool, date,
    # text); facts not listed are the platform's own (``rules.facts.FACTS``).
    fact_kinds = models.JSONField(_("fact types"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering = ["policy_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "number"], name="uniq_policy_version"),
            # At most one draft per policy: the what-if page compares it with what is in force.
            models.UniqueConstraint(
                fields=["policy"],
                condition=models.Q(status="draft"),
                name="one_draft_per_policy",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("rules:version_detail", args=[self.pk])

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT

    def to_pure(self) -> engine.PolicyVersion:
        """The engine's version; raises ``PolicyError`` if an expression does not parse."""
        return engine.PolicyVersion(
            policy=self.policy.code,
            version=self.number,
            effective_from=self.effective_from,
            params={name: params_value(value) for name, value in self.params.items()},
            eligibility=self.eligibility,
            steps=tuple(
                engine.Step(s["name"], s["expression"], s.get("reads", "")) for s in self.steps
            ),
            facts=tuple(self.facts),
            kind=self.policy.kind,
        )

    @staticmethod
    def fields_from_pure(version: engine.PolicyVersion) -> dict[str, Any]:
        return {
            "number": version.version,
            "effective_from": version.effective_from,
            "params": {name: json_value(value) for name, value in version.params.items()},
            "eligibility": version.eligibility,
            "steps": [
                {"name": s.name, "expression": s.expression, "reads": s.reads}
                for s in version.steps
            ],
            "facts": list(version.facts),
        }


def json_value(value: Any) -> Any:
    """Decimals are kept as strings in JSON: a float would lose the fen."""
    if isinstance(value, Decimal):
        return str(value)
    return value


def params_value(value: Any) -> Any:
    """A parameter read back: numeric strings are exact decimals again."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except ArithmeticError:
            return value
    return value


class PolicyYear(TimeStampedModel):
    """A policy's budget for one year. Committed (approved, not yet paid), paid and left are
    computed from the applications and payouts (``selectors.budget_figures``)."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="years"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    budget = models.DecimalField(
        _("budget (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("policy year budget")
        verbose_name_plural = _("policy year budgets")
        ordering = ["policy_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["policy", "year"], name="uniq_policy_year"),
        ]

    def __str__(self) -> str:
        return f"{self.policy} {self.year}"


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("In review at the talent office")
    FINANCE_REVIEW = "finance_review", _("In review at finance")
    RETURNED = "returned", _("Returned for amendment")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    WITHDRAWN = "withdrawn", _("Withdrawn by the applicant")


# Applications still in play: a draft version's what-if looks at these (paid ones are final,
# withdrawn ones are out of play).
CURRENT_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.FINANCE_REVIEW,
    ApplicationStatus.RETURNED,
    ApplicationStatus.APPROVED,
)
IN_REVIEW = (ApplicationStatus.SUBMITTED, ApplicationStatus.FINANCE_REVIEW)


class Application(TimeStampedModel):
    """An application (申报) under a policy: the facts, the computation it was decided with,
    and where it stands in review."""

    policy = models.ForeignKey(
        Policy, verbose_name=_("policy"), on_delete=models.PROTECT, related_name="applications"
    )
    applicant_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("applicant enterprise"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_applications",
    )
    applicant_talent = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("applicant talent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_applications",
    )
    # The 科技副总 subsidy is about a named talent and the salary the enterprise pays them.
    talent = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("talent concerned"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="policy_applications_about",
    )
    applied_on = models.DateField(_("application date"), default=dt.date.today)
    year = models.PositiveSmallIntegerField(_("budget year"))
    facts = models.JSONField(_("facts"), default=dict, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    # The computation it is decided with, never rewritten by a later version.
    version = models.ForeignKey(
        PolicyVersionRecord,
        verbose_name=_("policy version"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    eligible = models.BooleanField(_("eligible"), null=True, blank=True)
    amount = models.DecimalField(
        _("amount (yuan)"), max_digits=14, decimal_places=2, default=Decimal("0.00")
    )
    granted = models.BooleanField(_("granted"), null=True, blank=True)
    computation = models.JSONField(_("computation"), default=dict, blank=True)
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    return_reason = models.TextField(_("reason for return"), blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-applied_on", "-id"]
        indexes = [models.Index(fields=["policy", "year", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applicant_organisation__isnull=False)
                | models.Q(applicant_talent__isnull=False),
                name="application_has_applicant",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.policy} · {self.applicant_name} ({self.applied_on:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("rules:application_detail", args=[self.pk])

    @property
    def applicant_name(self) -> str:
        who = self.applicant_organisation or self.applicant_talent
        return who.name if who is not None else ""

    @property
    def explanation(self) -> list[str]:
        return list(self.computation.get("explanation", []))


class ApplicationEvent(models.Model):
    """One step of an application's review history, as its parties read it."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("application event")
        verbose_name_plural = _("application events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.action}"


def _evidence_path(instance: Evidence, filename: str) -> str:
    return stored_name(f"rules/{instance.application_id}", filename)


class Evidence(StoredFile):
    """A file supporting an application's facts. Served only through a permission-checked
    view, never as a public media URL."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=_evidence_path, max_length=255)

    class Meta(StoredFile.Meta):
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")


class Payout(models.Model):
    """The one payment of an approved amount. ``application`` is unique: a second payout of
    the same application cannot be stored, whatever the clicks."""

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.PROTECT, related_name="payout"
    )
    amount = models.DecimalField(_("amount (yuan)"), max_digits=14, decimal_places=2)
    year = models.PositiveSmallIntegerField(_("budget year"))
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("payment reference"), max_length=64, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-paid_on", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.amount}"
