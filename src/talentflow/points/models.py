"""Points for shared talent (实用型产业人才积分评价, 青田; DOMAIN.md M7).

A region's ``PointsScheme`` has versions; a published version is immutable and its table
(``PointsRate``) turns ``PointsEvent`` rows — derived from verified records or recorded by the
talent office with evidence — into ``LedgerEntry`` rows. The ledger is append-only: a rule
change reverses the affected entries with reversal entries and adds new ones under the new
version, so every old statement can still be read as it was.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talentflow.core.models import TimeStampedModel
from talentflow.needs.models import OutcomeKind


class EventKind(models.TextChoices):
    # Outcomes of the need lifecycle keep the outcome kind's code (one event per outcome
    # and credited team member).
    OUTPUT_VALUE = OutcomeKind.OUTPUT_VALUE.value, OutcomeKind.OUTPUT_VALUE.label
    REVENUE = OutcomeKind.REVENUE.value, OutcomeKind.REVENUE.label
    COST_REDUCTION = OutcomeKind.COST_REDUCTION.value, OutcomeKind.COST_REDUCTION.label
    UNIT_COST_REDUCTION = (
        OutcomeKind.UNIT_COST_REDUCTION.value,
        OutcomeKind.UNIT_COST_REDUCTION.label,
    )
    ENERGY_REDUCTION = OutcomeKind.ENERGY_REDUCTION.value, OutcomeKind.ENERGY_REDUCTION.label
    LIFETIME_CHANGE = OutcomeKind.LIFETIME_CHANGE.value, OutcomeKind.LIFETIME_CHANGE.label
    PASS_RATE_CHANGE = OutcomeKind.PASS_RATE_CHANGE.value, OutcomeKind.PASS_RATE_CHANGE.label
    INVENTION_PATENT_FILED = (
        OutcomeKind.INVENTION_PATENT_FILED.value,
        OutcomeKind.INVENTION_PATENT_FILED.label,
    )
    INVENTION_PATENT_GRANTED = (
        OutcomeKind.INVENTION_PATENT_GRANTED.value,
        OutcomeKind.INVENTION_PATENT_GRANTED.label,
    )
    UTILITY_PATENT_FILED = (
        OutcomeKind.UTILITY_PATENT_FILED.value,
        OutcomeKind.UTILITY_PATENT_FILED.label,
    )
    UTILITY_PATENT_GRANTED = (
        OutcomeKind.UTILITY_PATENT_GRANTED.value,
        OutcomeKind.UTILITY_PATENT_GRANTED.label,
    )
    STANDARD = OutcomeKind.STANDARD.value, OutcomeKind.STANDARD.label
    NEW_PRODUCT = OutcomeKind.NEW_PRODUCT.value, OutcomeKind.NEW_PRODUCT.label
    STUDENTS_RETAINED = OutcomeKind.STUDENTS_RETAINED.value, OutcomeKind.STUDENTS_RETAINED.label
    ENGAGEMENT_COMPLETED = "engagement_completed", _("Engagement completed (verified)")
    APPOINTMENT_SERVED = "appointment_served", _("Appointment served (years)")
    STUDENTS_MENTORED = "students_mentored", _("Students mentored")
    INDUSTRY_SERVICE = "industry_service", _("Officer's service to industry (days)")


# Kinds an officer records by hand, with evidence; the others are derived from the needs app.
RECORDED_KINDS = (
    EventKind.APPOINTMENT_SERVED,
    EventKind.STUDENTS_MENTORED,
    EventKind.INDUSTRY_SERVICE,
)
OUTCOME_KINDS = frozenset(k.value for k in OutcomeKind)

# The unit each kind's quantity is counted in (shown next to a rate: "per 10,000 yuan").
UNITS: dict[str, str] = {
    **{k: "yuan" for k in ("output_value", "revenue", "cost_reduction")},
    "unit_cost_reduction": "yuan_per_unit",
    **{k: "percent" for k in ("energy_reduction", "lifetime_change", "pass_rate_change")},
    **{
        k: "count"
        for k in (
            "invention_patent_filed",
            "invention_patent_granted",
            "utility_patent_filed",
            "utility_patent_granted",
            "standard",
            "new_product",
            "engagement_completed",
        )
    },
    "students_retained": "person",
    "students_mentored": "person",
    "appointment_served": "year",
    "industry_service": "day",
}


class PointsScheme(TimeStampedModel):
    """A region's points rules (e.g. 青田县实用型产业人才积分评价办法). Events in the region —
    or in a county below it that has no scheme of its own — are counted under it."""

    region = models.OneToOneField(
        "reference.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="points_scheme",
    )
    name = models.CharField(_("name"), max_length=128)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("points scheme")
        verbose_name_plural = _("points schemes")
        ordering = ["region_id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("points:scheme_detail", args=[self.pk])


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")


class SchemeVersion(TimeStampedModel):
    scheme = models.ForeignKey(
        PointsScheme, verbose_name=_("scheme"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    effective_from = models.DateField(_("effective from"))
    status = models.CharField(
        _("status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT
    )
    period_cap = models.DecimalField(
        _("cap per talent and year (all kinds)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Leave empty for no overall cap."),
    )
    note = models.TextField(_("what changed"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("points rules version")
        verbose_name_plural = _("points rules versions")
        ordering = ["scheme_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "number"], name="points_version_number")
        ]

    def __str__(self) -> str:
        return f"{self.scheme} v{self.number}"

    def get_absolute_url(self) -> str:
        return reverse("points:version_detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == VersionStatus.PUBLISHED


class PointsRate(models.Model):
    """One row of a version's table: base + quantity / unit size × points per unit, capped."""

    version = models.ForeignKey(
        SchemeVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="rates"
    )
    kind = models.CharField(_("event kind"), max_length=32, choices=EventKind.choices)
    base_points = models.DecimalField(
        _("base points"),
        max_digits=12,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    points_per_unit = models.DecimalField(
        _("points per unit"),
        max_digits=12,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    unit_size = models.DecimalField(
        _("unit size"),
        max_digits=14,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text=_("How much of the quantity makes one unit, e.g. 10000 for 万元."),
    )
    cap = models.DecimalField(
        _("cap per talent and year"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )

    class Meta:
        verbose_name = _("points rate")
        verbose_name_plural = _("points rates")
        ordering = ["version_id", "kind"]
        constraints = [models.UniqueConstraint(fields=["version", "kind"], name="points_rate_kind")]

    def __str__(self) -> str:
        return f"{self.version} · {self.get_kind_display()}"

    @property
    def unit(self) -> str:
        return UNITS.get(self.kind, "")


class EventSource(models.TextChoices):
    OUTCOME = "outcome", _("Confirmed outcome")
    ENGAGEMENT = "engagement", _("Verified engagement")
    RECORDED = "recorded", _("Recorded by the talent office")


class PointsEvent(TimeStampedModel):
    """A verified contribution of one talent. ``source_key`` is unique: deriving twice from the
    same outcome or engagement finds the existing event instead of adding one."""

    talent = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("talent"),
        on_delete=models.PROTECT,
        related_name="points_events",
    )
    kind = models.CharField(_("event kind"), max_length=32, choices=EventKind.choices)
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    occurred_on = models.DateField(_("date"), db_index=True)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=18,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    source = models.CharField(_("source"), max_length=16, choices=EventSource.choices)
    source_key = models.CharField(_("source key"), max_length=64, unique=True)
    outcome = models.ForeignKey(
        "needs.Outcome",
        verbose_name=_("outcome"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="points_events",
    )
    engagement = models.ForeignKey(
        "needs.Engagement",
        verbose_name=_("engagement"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="points_events",
    )
    description = models.CharField(_("description"), max_length=255, blank=True)
    evidence = models.TextField(
        _("evidence"),
        blank=True,
        help_text=_("The document that proves it: its number, issuer and date."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # A wrongly recorded event is voided, never deleted: its entries are reversed.
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    void_reason = models.TextField(_("reason for voiding"), blank=True)

    class Meta:
        verbose_name = _("points event")
        verbose_name_plural = _("points events")
        ordering = ["-occurred_on", "-id"]
        indexes = [
            # Covers what a recompute reads of every event (talent by talent, in date order),
            # so a million events are read from the index alone, in order.
            models.Index(
                fields=["talent", "occurred_on", "region", "kind", "quantity", "voided_at"],
                name="points_event_ledger_read",
            )
        ]

    def __str__(self) -> str:
        return f"{self.talent} · {self.get_kind_display()} {self.quantity} ({self.occurred_on})"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None

    @property
    def unit(self) -> str:
        return UNITS.get(self.kind, "")


class EntryKind(models.TextChoices):
    CREDIT = "credit", _("Points")
    REVERSAL = "reversal", _("Reversal")


class LedgerQuerySet(models.QuerySet):
    """The ledger is append-only: bulk updates and deletes are refused."""

    def update(self, **kwargs):
        raise TypeError("ledger entries are append-only")

    def delete(self):
        raise TypeError("ledger entries are append-only")


class LedgerEntry(models.Model):
    """One line of a talent's ledger. Never updated nor deleted: a correction is a reversal
    entry (``reverses`` the original, negative points) followed by a new entry."""

    # No index of its own on talent nor period: the (talent, period) index serves both, and a
    # publish over a million events pays for every index on every row it appends.
    talent = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("talent"),
        on_delete=models.PROTECT,
        related_name="points_entries",
        db_index=False,
    )
    event = models.ForeignKey(
        PointsEvent, verbose_name=_("event"), on_delete=models.PROTECT, related_name="entries"
    )
    version = models.ForeignKey(
        SchemeVersion,
        verbose_name=_("version"),
        on_delete=models.PROTECT,
        related_name="entries",
        db_index=False,  # read through the talent index, joined to the version
    )
    kind = models.CharField(_("entry"), max_length=16, choices=EntryKind.choices)
    points = models.DecimalField(_("points"), max_digits=12, decimal_places=2)
    period = models.CharField(_("period"), max_length=4)
    explanation = models.JSONField(_("calculation"), default=dict)
    # The explanation as one string (engine.Result.digest): what a recompute compares.
    digest = models.CharField(_("digest"), max_length=255, blank=True, default="")
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversal",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = LedgerQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["id"]
        indexes = [models.Index(fields=["talent", "period"], name="points_entry_talent_period")]

    def __str__(self) -> str:
        return f"{self.talent} {self.points:+} ({self.get_kind_display()})"
