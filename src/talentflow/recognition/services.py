"""Writes of mutual recognition. Each function is one atomic state change: it checks who acts,
validates, writes, records one audit event and notifies the parties (e-mails after commit).

``actor=None`` is a system task (the demo) named by ``system_label``; only a system task may
backdate what happened with ``at``.

Certification signs the certificate with the issuing region's key
(``talentflow.credentials.keys.sign_body``); the signature covers ``Certificate.signed_body``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import PurePath

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentflow.accounts.permissions import scope_for
from talentflow.core.audit import audit_record, snapshot
from talentflow.core.notifications import notify, register
from talentflow.core.services import event_time as _when
from talentflow.core.services import local_day as _day
from talentflow.core.services import region_officers as _officers
from talentflow.core.services import require
from talentflow.core.uploads import check_upload
from talentflow.recognition import permissions, workflow
from talentflow.recognition.models import (
    KIND_VALIDITY_YEARS,
    CatalogueEntry,
    Certificate,
    CertificateStatus,
    Evidence,
    Kind,
)
from talentflow.reference.models import Alliance, AllianceMember, TitleLevel

AUDIT_ACTIONS = {
    "catalogue.create": gettext_lazy("Recognition catalogue entry added"),
    "catalogue.remove": gettext_lazy("Recognition catalogue entry removed"),
    "certificate.apply": gettext_lazy("Recognition applied for"),
    "certificate.evidence": gettext_lazy("Evidence added to a recognition application"),
    "certificate.certify": gettext_lazy("Recognition certified and signed (一地认定)"),
    "certificate.reject": gettext_lazy("Recognition rejected"),
    "certificate.withdraw": gettext_lazy("Recognition application withdrawn"),
    "certificate.revoke": gettext_lazy("Recognition revoked"),
}

for _kind, _message in {
    "recognition.applied": gettext_lazy(
        "%(talent)s applied for recognition of “%(entry)s” (%(kind)s)."
    ),
    "recognition.certified": gettext_lazy(
        "%(region)s certified your recognition of “%(entry)s”, valid in every region of "
        "%(alliance)s until %(until)s."
    ),
    "recognition.rejected": gettext_lazy(
        "%(region)s rejected your recognition of “%(entry)s”: %(reason)s"
    ),
    "recognition.revoked": gettext_lazy(
        "%(region)s revoked the recognition of “%(entry)s”: %(reason)s"
    ),
}.items():
    register(_kind, _message)


# Helpers ---------------------------------------------------------------------------------


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Give the reason.")})
    if len(reason) > 500:
        raise ValidationError({field: _("The reason is longer than 500 characters.")})
    return reason


def _talent_users(certificate: Certificate):
    talent = certificate.talent
    return [talent.user] if talent.user_id else []


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        end = day.replace(year=day.year + years)
    except ValueError:  # 29 February
        end = day.replace(year=day.year + years, day=28)
    return end - dt.timedelta(days=1)


def default_valid_until(kind: str, certified_on: dt.date) -> dt.date:
    return add_years(certified_on, KIND_VALIDITY_YEARS[Kind(kind)])


def is_member(alliance: Alliance | int, region_code: str) -> bool:
    alliance_id = getattr(alliance, "pk", alliance)
    return AllianceMember.objects.filter(alliance_id=alliance_id, region_id=region_code).exists()


# The catalogue ---------------------------------------------------------------------------


@transaction.atomic
def catalogue_create(
    *,
    actor,
    alliance: Alliance,
    kind: str,
    since: dt.date,
    qualification=None,
    title_series=None,
    name: str = "",
    note: str = "",
    system_label: str | None = None,
) -> CatalogueEntry:
    """Open an entry for recognition. Qualifications name a ``reference.Qualification``,
    titles a ``reference.TitleSeries``; work permits and continuing education a name."""
    if actor is not None:
        require(
            permissions.maintains_catalogue(actor, alliance.pk),
            _("Only the officers of a member region maintain this alliance's catalogue."),
        )
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Choose one of the four kinds of recognition.")})
    name = (name or "").strip()
    errors: dict[str, str] = {}
    if kind == Kind.QUALIFICATION:
        if qualification is None:
            errors["qualification"] = _("Choose the vocational qualification.")
        title_series, name = None, ""
    elif kind == Kind.TITLE:
        if title_series is None:
            errors["title_series"] = _("Choose the title series.")
        qualification, name = None, ""
    else:
        if not name:
            errors["name"] = _("Name what is recognised.")
        qualification = title_series = None
    if since is None:
        errors["since"] = _("Give the date from which it is recognised.")
    if errors:
        raise ValidationError(errors)
    entry = CatalogueEntry(
        alliance=alliance,
        kind=kind,
        qualification=qualification,
        title_series=title_series,
        name=name[:128],
        since=since,
        note=(note or "").strip()[:500],
        created_by=actor,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        raise ValidationError(
            _("%(alliance)s already recognises “%(entry)s”.")
            % {"alliance": alliance, "entry": entry.label}
        ) from error
    audit_record(
        actor=actor,
        action="catalogue.create",
        obj=entry,
        after=snapshot(entry),
        system_label=system_label,
    )
    return entry


@transaction.atomic
def catalogue_remove(*, actor, entry: CatalogueEntry, system_label: str | None = None) -> None:
    """Remove an entry nobody has applied under; one with certificates stays (they refer to
    it)."""
    entry = CatalogueEntry.objects.select_for_update().get(pk=entry.pk)
    if actor is not None:
        require(
            permissions.maintains_catalogue(actor, entry.alliance_id),
            _("Only the officers of a member region maintain this alliance's catalogue."),
        )
    if entry.certificates.exists():
        raise ValidationError(
            _("Certificates were applied for under this entry; it cannot be removed.")
        )
    before = snapshot(entry)
    label = entry.label
    pk = entry.pk
    entry.delete()
    audit_record(
        actor=actor,
        action="catalogue.remove",
        before=before,
        system_label=system_label,
        object_type="recognition.catalogueentry",
        object_id=str(pk),
        object_repr=label,
    )


# Certificates ----------------------------------------------------------------------------


def _evidence_save(actor, certificate: Certificate, upload) -> Evidence:
    check_upload(upload, "evidence")
    evidence = Evidence(
        certificate=certificate,
        original_name=PurePath(upload.name).name[:255],
        size=upload.size,
        content_type=(getattr(upload, "content_type", "") or "")[:128],
        uploaded_by=actor,
    )
    # Files are not transactional: a failure removes the file at once.
    evidence.file.save(upload.name, upload, save=False)
    try:
        evidence.full_clean()
        evidence.save()
    except Exception:
        evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def certificate_apply(
    *,
    actor,
    talent,
    entry: CatalogueEntry,
    issuing_region,
    title_level: str = "",
    hours: int | None = None,
    original_number: str = "",
    statement: str = "",
    uploads: Iterable = (),
    require_evidence: bool = True,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Certificate:
    """A talent applies to a member region of the entry's alliance for recognition. The pages
    require evidence with the application; the API uploads it afterwards
    (``require_evidence=False``); certification requires it either way."""
    when = _when(actor, at)
    if actor is not None:
        require(
            scope_for(actor).talent_id == talent.pk,
            _("Only the talent applies for their own recognition."),
        )
    uploads = list(uploads)
    region_code = getattr(issuing_region, "pk", issuing_region)
    errors: dict[str, str] = {}
    if not is_member(entry.alliance_id, region_code):
        errors["issuing_region"] = _("%(region)s is not a member of %(alliance)s.") % {
            "region": issuing_region,
            "alliance": entry.alliance,
        }
    if entry.since > _day(when):
        errors["entry"] = _("This entry is recognised only from %(since)s.") % {
            "since": entry.since.isoformat()
        }
    if entry.kind == Kind.TITLE:
        if title_level not in TitleLevel.values:
            errors["title_level"] = _("Choose the title level.")
        elif not entry.title_series.title_at(title_level):
            errors["title_level"] = _("The series %(series)s has no title at this level.") % {
                "series": entry.title_series.name
            }
    else:
        title_level = ""
    if entry.kind == Kind.CONTINUING_EDUCATION:
        if hours is None or hours < 1 or hours > 1000:
            errors["hours"] = _("Give the hours, from 1 to 1000.")
    else:
        hours = None
    if require_evidence and actor is not None and not uploads:
        errors["evidence"] = _("Attach at least one file of evidence.")
    if Certificate.objects.filter(
        talent=talent,
        entry=entry,
        status__in=(CertificateStatus.APPLIED, CertificateStatus.CERTIFIED),
        title_level=title_level,
    ).exists():
        errors["entry"] = _("You already hold or applied for this recognition.")
    if errors:
        raise ValidationError(errors)
    for upload in uploads:
        check_upload(upload, "evidence")
    certificate = Certificate(
        talent=talent,
        entry=entry,
        kind=entry.kind,
        issuing_region_id=region_code,
        title_level=title_level,
        hours=hours,
        original_number=(original_number or "").strip()[:64],
        statement=(statement or "").strip(),
        applied_at=when,
        applied_by=actor,
    )
    certificate.save()
    saved: list[Evidence] = []
    try:
        for upload in uploads:
            saved.append(_evidence_save(actor, certificate, upload))
    except Exception:
        for evidence in saved:
            evidence.file.delete(save=False)
        raise
    audit_record(
        actor=actor,
        action="certificate.apply",
        obj=certificate,
        after={**snapshot(certificate), "evidence": [e.original_name for e in saved]},
        region=region_code,
        system_label=system_label,
    )
    notify(
        recipients=_officers(region_code),
        kind="recognition.applied",
        params={
            "talent": talent.name,
            "entry": entry.label,
            "kind": str(entry.get_kind_display()),
        },
        url=certificate.get_absolute_url(),
        exclude=actor,
    )
    return certificate


@transaction.atomic
def evidence_add(*, actor, certificate: Certificate, upload) -> Evidence:
    certificate = _locked(certificate)
    require(
        workflow.Party.TALENT in permissions.certificate_parties(actor, certificate),
        _("Only the talent adds evidence to their application."),
    )
    if certificate.status != CertificateStatus.APPLIED:
        raise ValidationError(_("Evidence is added only while the application is open."))
    evidence = _evidence_save(actor, certificate, upload)
    audit_record(
        actor=actor,
        action="certificate.evidence",
        obj=certificate,
        after={"evidence": evidence.original_name, "size": evidence.size},
        region=certificate.issuing_region_id,
    )
    return evidence


def _locked(certificate: Certificate) -> Certificate:
    return (
        Certificate.objects.select_for_update(of=("self",))
        .select_related("talent", "talent__user", "entry", "entry__alliance", "issuing_region")
        .get(pk=certificate.pk)
    )


def _transition(actor, certificate: Certificate, action: workflow.Action) -> str:
    parties = permissions.certificate_parties(actor, certificate)
    try:
        return workflow.check(action, certificate.status, parties)
    except workflow.TransitionError as error:
        if error.reason == "party":
            if action == workflow.Action.WITHDRAW:
                raise PermissionDenied(_("Only the talent withdraws the application.")) from error
            raise PermissionDenied(
                _("Only the talent office of the issuing region %(region)s may do this.")
                % {"region": certificate.issuing_region.name}
            ) from error
        raise ValidationError(
            _("This is not possible while the certificate is “%(status)s”.")
            % {"status": certificate.get_status_display()}
        ) from error


def sign(certificate: Certificate) -> None:
    """Sign the certificate's body with the issuing region's key (not saved)."""
    from talentflow.credentials import keys

    signed = keys.sign_body(certificate.issuing_region_id, certificate.signed_body())
    certificate.kid = signed["kid"]
    certificate.signature = signed["sig"]


@transaction.atomic
def certificate_certify(
    *,
    actor,
    certificate: Certificate,
    valid_until: dt.date | None = None,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Certificate:
    """一地认定: the issuing region's officer certifies; the record is signed by the region."""
    when = _when(actor, at)
    certificate = _locked(certificate)
    new_state = _transition(actor, certificate, workflow.Action.CERTIFY)
    if actor is not None and not certificate.evidence.exists():
        raise ValidationError(_("There is no evidence to certify on."))
    certified_on = _day(when)
    until = valid_until or default_valid_until(certificate.kind, certified_on)
    if until < certified_on:
        raise ValidationError({"valid_until": _("The validity ends before it starts.")})
    before = snapshot(certificate)
    certificate.status = new_state
    certificate.certified_on = certified_on
    certificate.valid_until = until
    certificate.decided_at = when
    certificate.decided_by = actor
    sign(certificate)
    certificate.save()
    audit_record(
        actor=actor,
        action="certificate.certify",
        obj=certificate,
        before=before,
        after=snapshot(certificate),
        region=certificate.issuing_region_id,
        system_label=system_label,
    )
    notify(
        recipients=_talent_users(certificate),
        kind="recognition.certified",
        params={
            "region": certificate.issuing_region.name,
            "entry": certificate.entry.label,
            "alliance": str(certificate.entry.alliance),
            "until": until.isoformat(),
        },
        url=certificate.get_absolute_url(),
        exclude=actor,
    )
    return certificate


@transaction.atomic
def certificate_reject(
    *,
    actor,
    certificate: Certificate,
    reason: str,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Certificate:
    when = _when(actor, at)
    certificate = _locked(certificate)
    new_state = _transition(actor, certificate, workflow.Action.REJECT)
    reason = _reason(reason)
    before = snapshot(certificate)
    certificate.status = new_state
    certificate.reject_reason = reason
    certificate.decided_at = when
    certificate.decided_by = actor
    certificate.save()
    audit_record(
        actor=actor,
        action="certificate.reject",
        obj=certificate,
        before=before,
        after=snapshot(certificate),
        region=certificate.issuing_region_id,
        system_label=system_label,
    )
    notify(
        recipients=_talent_users(certificate),
        kind="recognition.rejected",
        params={
            "region": certificate.issuing_region.name,
            "entry": certificate.entry.label,
            "reason": reason,
        },
        url=certificate.get_absolute_url(),
        exclude=actor,
    )
    return certificate


@transaction.atomic
def certificate_withdraw(
    *, actor, certificate: Certificate, system_label: str | None = None
) -> Certificate:
    certificate = _locked(certificate)
    new_state = _transition(actor, certificate, workflow.Action.WITHDRAW)
    before = snapshot(certificate)
    certificate.status = new_state
    certificate.save()
    audit_record(
        actor=actor,
        action="certificate.withdraw",
        obj=certificate,
        before=before,
        after=snapshot(certificate),
        region=certificate.issuing_region_id,
        system_label=system_label,
    )
    return certificate


@transaction.atomic
def certificate_revoke(
    *,
    actor,
    certificate: Certificate,
    reason: str,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Certificate:
    """The issuer revokes: the one record becomes invalid in every member region at once, and
    the talent code's revocation list picks it up from ``revoked_at``."""
    when = _when(actor, at)
    certificate = _locked(certificate)
    new_state = _transition(actor, certificate, workflow.Action.REVOKE)
    reason = _reason(reason)
    before = snapshot(certificate)
    certificate.status = new_state
    certificate.revoked_at = when
    certificate.revoked_reason = reason
    certificate.revoked_by = actor
    certificate.save()
    audit_record(
        actor=actor,
        action="certificate.revoke",
        obj=certificate,
        before=before,
        after=snapshot(certificate),
        region=certificate.issuing_region_id,
        system_label=system_label,
    )
    partners = [
        user
        for code in AllianceMember.objects.filter(alliance_id=certificate.entry.alliance_id)
        .exclude(region_id=certificate.issuing_region_id)
        .values_list("region_id", flat=True)
        for user in _officers(code)
    ]
    notify(
        recipients=[*_talent_users(certificate), *partners],
        kind="recognition.revoked",
        params={
            "region": certificate.issuing_region.name,
            "entry": certificate.entry.label,
            "reason": reason,
        },
        url=certificate.get_absolute_url(),
        exclude=actor,
    )
    return certificate


def certificate_transition(
    *,
    actor,
    certificate: Certificate,
    action: str,
    reason: str = "",
    valid_until: dt.date | None = None,
) -> Certificate:
    """One entry point for the pages and the API: certify, reject, withdraw or revoke."""
    if action == workflow.Action.CERTIFY:
        return certificate_certify(actor=actor, certificate=certificate, valid_until=valid_until)
    if action == workflow.Action.REJECT:
        return certificate_reject(actor=actor, certificate=certificate, reason=reason)
    if action == workflow.Action.WITHDRAW:
        return certificate_withdraw(actor=actor, certificate=certificate)
    if action == workflow.Action.REVOKE:
        return certificate_revoke(actor=actor, certificate=certificate, reason=reason)
    raise ValidationError({"action": _("Unknown action.")})
