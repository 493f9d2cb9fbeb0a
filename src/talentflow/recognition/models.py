"""Mutual recognition (示范区: 一地认定、三地互认; DOMAIN.md M4).

The **catalogue** says what an alliance recognises, in four kinds (四个互认): foreign high-end
talent work permits, vocational qualifications (entries of the 2021 national catalogue,
``reference.Qualification``), title series (``reference.TitleSeries``; the level is on the
certificate) and continuing-education hours. Each entry names its alliance and since when.

A **certificate** is one region's recognition of one talent under one catalogue entry (一地认定):
the talent applies with evidence to an issuing member region; the region's officers certify it
(or reject it with a reason). On certification the record is signed with the issuing region's
key (``credentials.keys.sign_body`` over ``Certificate.signed_body()``); every partner region of
the alliance accepts it without re-examination (三地互认) and can check the signature. The
issuer may revoke it: there is one record, so it is invalid everywhere at once.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talentflow.core.models import StoredFile, TimeStampedModel
from talentflow.core.uploads import stored_name
from talentflow.reference.models import TitleLevel


class Kind(models.TextChoices):
    """The four recognitions (四个互认)."""

    WORK_PERMIT = "work_permit", _("Foreign high-end talent work permit (外国高端人才工作许可)")
    QUALIFICATION = "qualification", _("Vocational qualification (职业资格)")
    TITLE = "title", _("Professional title (职称)")
    CONTINUING_EDUCATION = "continuing_education", _("Continuing-education hours (继续教育学时)")


# How long a certificate holds when the officer does not set the end, in years per kind.
KIND_VALIDITY_YEARS = {
    Kind.WORK_PERMIT: 2,
    Kind.QUALIFICATION: 5,
    Kind.TITLE: 5,
    Kind.CONTINUING_EDUCATION: 1,
}


class CatalogueEntry(TimeStampedModel):
    """One thing an alliance recognises: a qualification, a title series, a class of work
    permit or a continuing-education scheme (the last two are named by ``name``)."""

    alliance = models.ForeignKey(
        "reference.Alliance",
        verbose_name=_("alliance"),
        on_delete=models.PROTECT,
        related_name="recognition_entries",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, db_index=True)
    qualification = models.ForeignKey(
        "reference.Qualification",
        verbose_name=_("vocational qualification"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    title_series = models.ForeignKey(
        "reference.TitleSeries",
        verbose_name=_("title series"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    name = models.CharField(
        _("name"),
        max_length=128,
        blank=True,
        help_text=_("For work permits and continuing education: what is recognised."),
    )
    since = models.DateField(_("recognised since"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("recognition catalogue entry")
        verbose_name_plural = _("recognition catalogue entries")
        ordering = ["alliance", "kind", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["alliance", "qualification"],
                condition=Q(qualification__isnull=False),
                name="recognition_one_qualification_entry",
            ),
            models.UniqueConstraint(
                fields=["alliance", "title_series"],
                condition=Q(title_series__isnull=False),
                name="recognition_one_title_entry",
            ),
            models.UniqueConstraint(
                fields=["alliance", "kind", "name"],
                condition=Q(qualification__isnull=True, title_series__isnull=True),
                name="recognition_one_named_entry",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.kind == Kind.QUALIFICATION and self.qualification_id:
            return self.qualification.name
        if self.kind == Kind.TITLE and self.title_series_id:
            return self.title_series.name
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("recognition:catalogue_list") + f"?kind={self.kind}"


class CertificateStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    CERTIFIED = "certified", _("Certified")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REVOKED = "revoked", _("Revoked")


class Certificate(TimeStampedModel):
    """One region's recognition of a talent under a catalogue entry, valid in every member
    region of the entry's alliance while certified, not revoked and within its dates."""

    talent = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("talent"),
        on_delete=models.PROTECT,
        related_name="recognition_certificates",
    )
    entry = models.ForeignKey(
        CatalogueEntry,
        verbose_name=_("catalogue entry"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices, db_index=True)
    issuing_region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("issuing region"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    title_level = models.CharField(
        _("title level"), max_length=16, choices=TitleLevel.choices, blank=True
    )
    hours = models.PositiveIntegerField(_("hours"), null=True, blank=True)
    original_number = models.CharField(
        _("number of the original certificate"), max_length=64, blank=True
    )
    statement = models.TextField(_("statement"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CertificateStatus.choices,
        default=CertificateStatus.APPLIED,
        db_index=True,
    )
    applied_at = models.DateTimeField(_("applied at"))
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("applied by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    certified_on = models.DateField(_("certified on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reject_reason = models.CharField(_("reason for rejection"), max_length=500, blank=True)
    kid = models.CharField(_("signing key id"), max_length=64, blank=True)
    signature = models.CharField(_("signature"), max_length=200, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, db_index=True)
    revoked_reason = models.CharField(_("reason for revocation"), max_length=500, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("recognition certificate")
        verbose_name_plural = _("recognition certificates")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True)
                | Q(certified_on__isnull=True)
                | Q(valid_until__gte=models.F("certified_on")),
                name="recognition_validity_ordered",
            )
        ]
        indexes = [models.Index(fields=["talent", "status", "valid_until"])]

    def __str__(self) -> str:
        return f"{self.talent} · {self.entry}"

    def get_absolute_url(self) -> str:
        return reverse("recognition:certificate_detail", args=[self.pk])

    def is_valid_on(self, day: dt.date) -> bool:
        return (
            self.status == CertificateStatus.CERTIFIED
            and self.revoked_at is None
            and self.certified_on is not None
            and self.certified_on <= day
            and (self.valid_until is None or day <= self.valid_until)
        )

    @property
    def level_label(self) -> str:
        if self.kind == Kind.TITLE and self.title_level:
            title = self.entry.title_series.title_at(self.title_level) if self.entry_id else ""
            level = str(TitleLevel(self.title_level).label)
            return f"{level} · {title}" if title else level
        if self.kind == Kind.CONTINUING_EDUCATION and self.hours is not None:
            return str(_("%(hours)s hours") % {"hours": self.hours})
        return ""

    def signed_body(self) -> dict:
        """What the issuing region signs: strings and integers only (the canonical JSON of
        ``credentials.keys``). Any change of these fields after signing breaks the signature."""
        return {
            "id": self.pk,
            "talent": self.talent_id,
            "kind": self.kind,
            "entry": self.entry_id,
            "alliance": self.entry.alliance.code,
            "level": self.title_level,
            "hours": self.hours if self.hours is not None else 0,
            "certified_on": self.certified_on.isoformat() if self.certified_on else "",
            "valid_until": self.valid_until.isoformat() if self.valid_until else "",
            "issuer": self.issuing_region_id,
        }


def _evidence_path(instance, filename: str) -> str:
    return stored_name("recognition/evidence", filename)


class Evidence(StoredFile):
    """A file supporting an application for recognition. Served only through a
    permission-checked view."""

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="evidence",
    )
    file = models.FileField(_("file"), upload_to=_evidence_path, max_length=255)

    class Meta(StoredFile.Meta):
        verbose_name = _("recognition evidence")
        verbose_name_plural = _("recognition evidence")
