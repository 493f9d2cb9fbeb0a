"""Cross-region programme applications (跨区域申报, DOMAIN.md M4).

A member region's talent office opens a call of a talent programme (e.g. 青浦's 东方英才, 吴江's
双创计划, 嘉善's Zhejiang programmes) within an alliance (the demonstration zone). Applicants from
any member region apply; a joint review panel with reviewers of every member region scores each
application against the call's one set of criteria; the office ranks, selects up to the quota
and publishes the result to everyone of the alliance's regions.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talentflow.core.models import TimeStampedModel
from talentflow.core.uploads import stored_name


def evidence_path(instance, filename: str) -> str:
    return stored_name("calls/evidence", filename)


class CallKind(models.TextChoices):
    TALENT = "talent", _("Talent (个人)")
    PROJECT = "project", _("Project (项目)")


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    REVIEW = "review", _("In joint review")
    CLOSED = "closed", _("Review closed, ranked")
    PUBLISHED = "published", _("Result published")
    CANCELLED = "cancelled", _("Cancelled")


# How ties are broken (shown on the call and the result pages).
TIE_RULE = _(
    "Equal totals: the higher mean score on the criterion with the largest weight first, then "
    "the earlier application."
)


class Call(TimeStampedModel):
    """A talent-programme call of one member region's talent office."""

    programme = models.CharField(_("programme"), max_length=100)
    title = models.CharField(_("title"), max_length=200)
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("calling region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    alliance = models.ForeignKey(
        "reference.Alliance",
        verbose_name=_("alliance"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=CallKind.choices, default=CallKind.TALENT
    )
    description = models.TextField(_("description"), blank=True)
    period_start = models.DateField(_("applications from"))
    period_end = models.DateField(_("applications until"))
    quota = models.PositiveIntegerField(_("quota"))
    status = models.CharField(
        _("status"), max_length=16, choices=CallStatus.choices, default=CallStatus.DRAFT
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    review_started_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("review closed at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("programme call")
        verbose_name_plural = _("programme calls")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="call_period_ordered",
            ),
            models.CheckConstraint(condition=models.Q(quota__gte=1), name="call_quota"),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("calls:call_detail", args=[self.pk])


class Criterion(models.Model):
    """One of the call's criteria: weights sum to 100, a score lies in 0..max_score."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    name = models.CharField(_("criterion"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("weight"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_score = models.DecimalField(
        _("maximum score"),
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        ordering = ["call", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["call", "name"], name="uniq_call_criterion"),
            models.CheckConstraint(condition=models.Q(max_score__gt=0), name="criterion_max"),
            models.CheckConstraint(
                condition=models.Q(weight__gte=1, weight__lte=100), name="criterion_weight"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.weight}%)"


class ReviewerKind(models.TextChoices):
    OFFICER = "officer", _("Talent-office officer")
    EXPERT = "expert", _("Expert")


class Reviewer(models.Model):
    """A member of the call's joint review panel: an officer (a user) or a named expert
    (a talent, with their user when they have one)."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="reviewers"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ReviewerKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="call_reviews",
    )
    talent = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("expert"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="call_reviews",
    )
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("member region"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("reviewer")
        verbose_name_plural = _("reviewers")
        ordering = ["call", "region_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "user"],
                condition=models.Q(user__isnull=False),
                name="uniq_call_reviewer_user",
            ),
            models.UniqueConstraint(
                fields=["call", "talent"],
                condition=models.Q(talent__isnull=False),
                name="uniq_call_reviewer_talent",
            ),
            models.CheckConstraint(
                condition=models.Q(user__isnull=False) | models.Q(talent__isnull=False),
                name="reviewer_is_someone",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    SELECTED = "selected", _("Selected")
    NOT_SELECTED = "not_selected", _("Not selected")


class Application(TimeStampedModel):
    """A talent's application (for a project call: on behalf of a project of an enterprise)."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    talent = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="call_applications",
    )
    home_region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("home region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The member region the applicant (or the project's enterprise) belongs to."),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="call_applications",
        help_text=_("The applicant's employer, or the project's enterprise."),
    )
    project_title = models.CharField(_("project"), max_length=200, blank=True)
    statement = models.TextField(_("statement"))
    evidence_file = models.FileField(
        _("evidence"), upload_to=evidence_path, max_length=255, blank=True
    )
    evidence_file_name = models.CharField(_("evidence file name"), max_length=255, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("submitted at"))
    total = models.DecimalField(
        _("weighted total"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme application")
        verbose_name_plural = _("programme applications")
        ordering = ["call", "rank", "submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "talent"],
                condition=models.Q(project_title=""),
                name="uniq_call_talent_application",
            ),
        ]

    def __str__(self) -> str:
        if self.project_title:
            return f"{self.project_title} · {self.talent}"
        return str(self.talent)

    def get_absolute_url(self) -> str:
        return reverse("calls:application_detail", args=[self.pk])


class Score(models.Model):
    """One reviewer's score of one application on one criterion."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="scores"
    )
    reviewer = models.ForeignKey(
        Reviewer, verbose_name=_("reviewer"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.CASCADE, related_name="scores"
    )
    score = models.DecimalField(_("score"), max_digits=6, decimal_places=2)
    scored_at = models.DateTimeField(_("scored at"))

    class Meta:
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "criterion"], name="uniq_score"
            ),
            models.CheckConstraint(condition=models.Q(score__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.reviewer} · {self.criterion.name}: {self.score}"
