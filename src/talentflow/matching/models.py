"""What matching stores besides the directory and the needs.

- ``InterestDeclaration``: an organisation a talent (or their family, or their employer) owns
  or belongs to — a conflict of interest (利益冲突); the talent is never recommended for that
  organisation's needs.
- ``ExpertCapacity``: the most engagements a talent takes on at once (承接上限); without a row
  the platform default applies (``TALENTFLOW_MATCHING_DEFAULT_CAPACITY``).
- ``Invitation``: a need's party asked a talent to propose (邀请).
- ``PastEngagement``: work done before the platform existed, imported from CSV, so the engine
  knows who solved what.
- ``IndexChange``: the append-only change log that keeps every server process's in-memory
  engine in step with the database (docs/decisions/0007-matching-index.md).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from talentflow.core.models import DataSource, TimeStampedModel


def default_capacity() -> int:
    return int(getattr(settings, "TALENTFLOW_MATCHING_DEFAULT_CAPACITY", 3))


class InterestKind(models.TextChoices):
    OWNER = "owner", _("Owner")
    SHAREHOLDER = "shareholder", _("Shareholder")
    FOUNDER = "founder", _("Founder")
    BOARD = "board", _("Board member or supervisor")
    FAMILY = "family", _("A family member owns or works for it")
    OTHER = "other", _("Other interest (see note)")


class InterestDeclaration(TimeStampedModel):
    """A declared interest in an organisation: a conflict of interest for its needs."""

    talent = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("talent"),
        on_delete=models.CASCADE,
        related_name="interest_declarations",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="declared_interests",
    )
    kind = models.CharField(_("kind of interest"), max_length=16, choices=InterestKind.choices)
    note = models.CharField(_("note"), max_length=255, blank=True)
    declared_at = models.DateTimeField(_("declared at"), default=timezone.now)

    class Meta:
        verbose_name = _("declared interest")
        verbose_name_plural = _("declared interests")
        ordering = ["talent_id", "organisation_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["talent", "organisation"], name="uniq_interest_declaration"
            )
        ]

    def __str__(self) -> str:
        return f"{self.talent} · {self.get_kind_display()} · {self.organisation}"


class ExpertCapacity(TimeStampedModel):
    """How many engagements a talent takes on at the same time."""

    talent = models.OneToOneField(
        "directory.TalentProfile",
        verbose_name=_("talent"),
        on_delete=models.CASCADE,
        related_name="matching_capacity",
    )
    max_concurrent = models.PositiveSmallIntegerField(
        _("most concurrent engagements"),
        default=default_capacity,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
        help_text=_("0 takes the talent out of recommendations and allocations."),
    )

    class Meta:
        verbose_name = _("engagement capacity")
        verbose_name_plural = _("engagement capacities")
        ordering = ["talent_id"]

    def __str__(self) -> str:
        return f"{self.talent} · {self.max_concurrent}"


class InvitationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    DECLINED = "declined", _("Declined")
    PROPOSED = "proposed", _("Proposed")


class Invitation(TimeStampedModel):
    """A need's party invited a talent to propose (one invitation per need and talent)."""

    need = models.ForeignKey(
        "needs.Need", verbose_name=_("need"), on_delete=models.CASCADE, related_name="invitations"
    )
    talent = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("talent"),
        on_delete=models.CASCADE,
        related_name="invitations",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=InvitationStatus.choices,
        default=InvitationStatus.INVITED,
        db_index=True,
    )
    note = models.TextField(_("note"), blank=True)
    # The recommendation's score when the invitation was sent, for later review of the engine.
    score = models.FloatField(_("score when invited"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["need", "talent"], name="uniq_invitation")]

    def __str__(self) -> str:
        return f"{self.need} · {self.talent}"


class PastEngagement(TimeStampedModel):
    """A problem solved before the platform existed: the need's text and who worked on it."""

    text = models.TextField(_("need text"))
    industry = models.ForeignKey(
        "reference.Industry",
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    disciplines = models.ManyToManyField(
        "reference.Discipline", verbose_name=_("disciplines"), blank=True, related_name="+"
    )
    talents = models.ManyToManyField(
        "directory.TalentProfile",
        verbose_name=_("experts"),
        related_name="past_engagements",
    )
    year = models.PositiveSmallIntegerField(
        _("year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1949), MaxValueValidator(2100)],
    )
    source = models.CharField(
        _("source file"),
        max_length=255,
        blank=True,
        help_text=_("The file or system the record came from."),
    )
    data_source = models.CharField(
        _("source"), max_length=16, choices=DataSource.choices, default=DataSource.IMPORTED
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("past engagement")
        verbose_name_plural = _("past engagements")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        text = self.text if len(self.text) <= 40 else self.text[:39] + "…"
        return f"{self.year} {text}" if self.year else text


class IndexChange(models.Model):
    """One talent whose matching record must be rebuilt. Append-only; old rows are pruned.

    Written by signal handlers inside the writing transaction, so a rolled-back write logs
    nothing; each process's engine remembers the last ``seq`` it applied (``index.py``).
    """

    seq = models.BigAutoField(primary_key=True)
    talent_id = models.BigIntegerField(_("talent"))
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("matching index change")
        verbose_name_plural = _("matching index changes")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"{self.seq}: {self.talent_id}"
