"""Talent evaluation (黄岩 "永宁骏才"): authorisations to self-evaluate, the enterprises'
evaluations and their endorsement (认账), industry-association recommendations (行业公荐) with
their public notice (公示) and objections, and the results a talent holds for a period.

The six categories are the 黄岩 practice's; the tiers A–E (类) are the county's talent classes.
Both are choices: what a tier is worth (services, subsidies) is decided by later issues reading
``EvaluationResult`` through ``selectors.current_results``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talentflow.core.models import TimeStampedModel
from talentflow.core.uploads import stored_name
from talentflow.directory.models import Education


class Category(models.TextChoices):
    EMPLOYER = "employer", _("Employer self-evaluation (用人单位自主评价)")
    AUTHORITY = "authority", _("Competent-authority evaluation (主管单位人才评价)")
    ASSOCIATION = "association", _("Industry association recommendation (行业团体公荐)")
    TOP_TALENT = "top_talent", _("Top-talent special evaluation (“拔尖人才”专项评价)")
    ENTERPRISE_ENDORSED = (
        "enterprise_endorsed",
        _("Enterprise-recognised, government-endorsed (“企业认定、政府认账”专项评价)"),
    )
    OTHER = "other", _("Other innovative-talent evaluation (其他创新人才评价)")


# Categories in which the talent office authorises an enterprise to evaluate its own people,
# and those in which the office records a result itself.
AUTHORISED_CATEGORIES = (Category.EMPLOYER, Category.ENTERPRISE_ENDORSED)
DIRECT_CATEGORIES = (Category.AUTHORITY, Category.TOP_TALENT, Category.OTHER)


class Tier(models.TextChoices):
    """The county's talent classes (A 类 … E 类), highest first."""

    A = "A", _("Class A (top talent)")
    B = "B", _("Class B (national leading talent)")
    C = "C", _("Class C (provincial leading talent)")
    D = "D", _("Class D (municipal leading talent)")
    E = "E", _("Class E (senior county talent)")


# How long a result holds when the office does not set the end itself, in years per tier.
TIER_VALIDITY_YEARS = {"A": 5, "B": 5, "C": 3, "D": 3, "E": 3}


def criteria_path(instance, filename: str) -> str:
    return stored_name("evaluation/criteria", filename)


def evidence_path(instance, filename: str) -> str:
    return stored_name("evaluation/evidence", filename)


class AuthorisationStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    REVOKED = "revoked", _("Revoked")


class Authorisation(TimeStampedModel):
    """The talent office lets an enterprise of its region evaluate its own people."""

    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("granting region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    enterprise = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="evaluation_authorisations",
    )
    category = models.CharField(
        _("category"),
        max_length=32,
        choices=[(c.value, c.label) for c in AUTHORISED_CATEGORIES],
        default=Category.EMPLOYER,
    )
    scope = models.CharField(
        _("scope"),
        max_length=500,
        help_text=_("The fields, roles or industries the authorisation covers."),
    )
    quota = models.PositiveIntegerField(
        _("quota of talents"), help_text=_("How many talents the enterprise may put forward.")
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period until"))
    criteria_text = models.TextField(_("evaluation criteria"))
    criteria_file = models.FileField(
        _("criteria document"), upload_to=criteria_path, max_length=255, blank=True
    )
    criteria_file_name = models.CharField(_("criteria document name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AuthorisationStatus.choices,
        default=AuthorisationStatus.ACTIVE,
    )
    revoked_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("evaluation authorisation")
        verbose_name_plural = _("evaluation authorisations")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="authorisation_period_ordered",
            ),
            models.CheckConstraint(condition=models.Q(quota__gte=1), name="authorisation_quota"),
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_category_display()}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:authorisation_detail", args=[self.pk])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("The period ends before it starts.")
        if self.quota is not None and self.quota < 1:
            errors["quota"] = _("The quota is at least one talent.")
        if self.enterprise_id and self.region_id:
            enterprise = self.enterprise
            if enterprise.kind != "enterprise":
                errors["enterprise"] = _("Only an enterprise can be authorised.")
            elif not enterprise.region_id.startswith(self.region.prefix):
                errors["enterprise"] = _("The enterprise is not in the granting region.")
        if errors:
            raise ValidationError(errors)

    def covers(self, day) -> bool:
        return self.period_start <= day <= self.period_end


class EvaluationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the talent office")
    RETURNED = "returned", _("Returned to the enterprise")
    ENDORSED = "endorsed", _("Endorsed (认账)")


# Evaluations that take a place in the authorisation's quota.
QUOTA_STATUSES = (EvaluationStatus.SUBMITTED, EvaluationStatus.ENDORSED)


class EnterpriseEvaluation(TimeStampedModel):
    """An enterprise's evaluation of one of its people under an authorisation: contribution,
    not degrees ("破四唯") — the degree is optional evidence, years and achievements are not."""

    authorisation = models.ForeignKey(
        Authorisation,
        verbose_name=_("authorisation"),
        on_delete=models.PROTECT,
        related_name="evaluations",
    )
    talent = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("talent"),
        on_delete=models.PROTECT,
        related_name="enterprise_evaluations",
    )
    evaluated_on = models.DateField(_("evaluation date"))
    role = models.CharField(_("role"), max_length=100)
    years_on_job = models.PositiveSmallIntegerField(_("years on the job"))
    achievements = models.TextField(_("achievements and contribution"))
    degree = models.CharField(
        _("degree (optional)"), max_length=16, choices=Education.choices, blank=True
    )
    proposed_tier = models.CharField(_("proposed tier"), max_length=2, choices=Tier.choices)
    evidence_file = models.FileField(
        _("evidence"), upload_to=evidence_path, max_length=255, blank=True
    )
    evidence_file_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EvaluationStatus.choices,
        default=EvaluationStatus.DRAFT,
        db_index=True,
    )
    return_reason = models.CharField(_("reason for return"), max_length=500, blank=True)
    times_returned = models.PositiveSmallIntegerField(_("times returned"), default=0)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("enterprise evaluation")
        verbose_name_plural = _("enterprise evaluations")
        ordering = ["-evaluated_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["authorisation", "talent"], name="one_evaluation_per_talent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.talent} · {self.authorisation.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:evaluation_detail", args=[self.pk])


class RecommendationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Filed with the talent office")
    NOTICE = "notice", _("In public notice (公示)")
    FINAL = "final", _("Final")


class Recommendation(TimeStampedModel):
    """An industry association's list of recommended talents (行业公荐), filed with a region's
    talent office, published for a public notice (公示), then finalised into results."""

    association = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("association"),
        on_delete=models.PROTECT,
        related_name="evaluation_recommendations",
    )
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("talent office region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.SUBMITTED,
        db_index=True,
    )
    notice_start = models.DateField(_("notice from"), null=True, blank=True)
    notice_end = models.DateField(_("notice until"), null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    finalised_at = models.DateTimeField(_("finalised at"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finalised by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("industry recommendation")
        verbose_name_plural = _("industry recommendations")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("evaluation:recommendation_detail", args=[self.pk])


class RecommendationEntry(models.Model):
    """One recommended talent on a list, with the association's reason."""

    recommendation = models.ForeignKey(
        Recommendation,
        verbose_name=_("recommendation"),
        on_delete=models.CASCADE,
        related_name="entries",
    )
    talent = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("talent"),
        on_delete=models.PROTECT,
        related_name="recommendation_entries",
    )
    enterprise = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    proposed_tier = models.CharField(_("proposed tier"), max_length=2, choices=Tier.choices)
    removed = models.BooleanField(_("removed after an objection"), default=False)

    class Meta:
        verbose_name = _("recommended talent")
        verbose_name_plural = _("recommended talents")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["recommendation", "talent"], name="one_entry_per_talent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.talent} · {self.enterprise}"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UPHELD = "upheld", _("Upheld: the talent is removed")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(TimeStampedModel):
    """An objection to a recommended talent, filed during the public notice."""

    entry = models.ForeignKey(
        RecommendationEntry,
        verbose_name=_("recommended talent"),
        on_delete=models.CASCADE,
        related_name="objections",
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.TextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ObjectionStatus.choices,
        default=ObjectionStatus.OPEN,
        db_index=True,
    )
    resolution = models.CharField(_("resolution"), max_length=500, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("resolved by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.entry.talent}: {self.reason[:40]}"


class ResultSource(models.TextChoices):
    EVALUATION = "evaluation", _("Enterprise evaluation endorsed")
    RECOMMENDATION = "recommendation", _("Industry recommendation finalised")
    DIRECT = "direct", _("Recorded by the talent office")


class EvaluationResult(TimeStampedModel):
    """What a talent holds: a category and tier, recognised by a region, for a period."""

    talent = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("talent"),
        on_delete=models.PROTECT,
        related_name="evaluation_results",
    )
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    tier = models.CharField(_("tier"), max_length=2, choices=Tier.choices)
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"))
    source = models.CharField(_("source"), max_length=16, choices=ResultSource.choices)
    evaluation = models.OneToOneField(
        EnterpriseEvaluation,
        verbose_name=_("enterprise evaluation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="result",
    )
    recommendation_entry = models.OneToOneField(
        RecommendationEntry,
        verbose_name=_("recommended talent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="result",
    )
    evidence = models.TextField(_("evidence"), blank=True)
    evidence_file = models.FileField(
        _("evidence document"), upload_to=evidence_path, max_length=255, blank=True
    )
    evidence_file_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    revoked = models.BooleanField(_("revoked"), default=False)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        ordering = ["-valid_from", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__gte=models.F("valid_from")),
                name="result_period_ordered",
            )
        ]
        indexes = [models.Index(fields=["talent", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.talent} · {self.get_tier_display()}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:result_detail", args=[self.pk])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The validity ends before it starts.")})

    def is_current(self, on) -> bool:
        return not self.revoked and self.valid_from <= on <= self.valid_until
