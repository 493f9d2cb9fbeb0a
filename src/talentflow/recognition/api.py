"""Mutual recognition over the API (``/api/recognition``): the catalogue, certificates with
their signature check and the issuer's actions, evidence uploads, and the figures per region.

The same selectors decide what a caller sees (404 otherwise) and the same services who may
change what (403) and when (422). References in bodies: alliances by code, qualifications by
catalogue entry number, title series by number, regions by GB/T 2260 code.
"""

# No "from __future__ import annotations" here: ninja reads these annotations at import.
import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from talentflow.recognition import permissions, selectors, services, workflow
from talentflow.recognition.models import CatalogueEntry, Certificate, Evidence, Kind
from talentflow.reference.models import Alliance, Qualification, Region, TitleLevel, TitleSeries

router = Router(tags=["recognition"])

PAGE_SIZE = settings.TALENTFLOW_PAGE_SIZE
MAX_PAGE_SIZE = 100


# Schemas -----------------------------------------------------------------------------------------


class EntryOut(Schema):
    id: int
    alliance: str = Field(..., alias="alliance.code")
    kind: str
    label: str
    qualification: int | None = Field(None, alias="qualification.entry_no")
    title_series: int | None = Field(None, alias="title_series.seq")
    name: str
    since: dt.date
    note: str


class EntryIn(Schema):
    alliance: str
    kind: Kind
    since: dt.date
    qualification: int | None = None  # entry number in the 2021 national catalogue
    title_series: int | None = None  # number of the series (1–27)
    name: str = ""
    note: str = ""


class EntryQuery(Schema):
    q: str = ""
    kind: str = ""
    alliance: str = ""


class CertificateOut(Schema):
    id: int
    talent: int = Field(..., alias="talent_id")
    talent_name: str = Field(..., alias="talent.name")
    kind: str
    entry: int = Field(..., alias="entry_id")
    entry_label: str = Field(..., alias="entry.label")
    alliance: str = Field(..., alias="entry.alliance.code")
    issuing_region: str = Field(..., alias="issuing_region_id")
    title_level: str
    hours: int | None
    original_number: str
    statement: str
    status: str
    applied_at: dt.datetime
    certified_on: dt.date | None
    valid_until: dt.date | None
    reject_reason: str
    revoked_at: dt.datetime | None
    revoked_reason: str
    kid: str
    signature: str
    evidence: list[str]

    @staticmethod
    def resolve_evidence(obj: Certificate) -> list[str]:
        return [e.original_name for e in obj.evidence.all()]


class SignatureOut(Schema):
    signed: bool
    valid: bool
    kid: str
    region_code: str
    region_name: str


class CertificateDetailOut(CertificateOut):
    valid_today: bool
    signature_check: SignatureOut
    body: dict
    actions: list[str]


class CertificateIn(Schema):
    entry: int
    issuing_region: str
    title_level: TitleLevel | None = None
    hours: int | None = None
    original_number: str = ""
    statement: str = ""


class CertificateQuery(Schema):
    q: str = ""
    kind: str = ""
    status: str = ""
    issuer: str = ""
    valid: bool = False


class ActionIn(Schema):
    reason: str = ""
    valid_until: dt.date | None = None


class EvidenceOut(Schema):
    id: int
    original_name: str
    size: int


class KindCountOut(Schema):
    kind: str
    label: str
    entries: int


class RegionRowOut(Schema):
    alliance: str
    code: str
    name: str
    issued_people: dict[str, int]
    issued: int
    from_partners: int
    people: int


class StatsOut(Schema):
    catalogue: list[KindCountOut]
    regions: list[RegionRowOut]


# Helpers -----------------------------------------------------------------------------------------


def _invalid(field: str, message: str):
    raise ValidationError({field: [message]})


def _alliance(field: str, code: str) -> Alliance:
    alliance = Alliance.objects.filter(code=(code or "").strip()).first()
    if alliance is None:
        _invalid(field, _("Unknown alliance: %(code)s.") % {"code": code})
    return alliance


def _region(field: str, code: str) -> Region:
    region = Region.objects.filter(code=(code or "").strip()).first()
    if region is None:
        _invalid(field, _("Unknown region code: %(code)s.") % {"code": code})
    return region


def _detail(user, certificate: Certificate) -> Certificate:
    """The certificate with what the detail adds: validity today, the signature check, the
    signed body and the caller's actions."""
    from django.utils import timezone

    certificate.valid_today = certificate.is_valid_on(timezone.localdate())
    certificate.signature_check = selectors.signature_check(certificate)
    certificate.body = certificate.signed_body() if certificate.signature else {}
    certificate.actions = selectors.certificate_actions(user, certificate)
    return certificate


# The catalogue -----------------------------------------------------------------------------------


@router.get(
    "/catalogue",
    response=list[EntryOut],
    url_name="recognition_catalogue_list",
    summary="List the recognition catalogue",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def catalogue_list(request: HttpRequest, filters: Query[EntryQuery]):
    alliance = None
    if filters.alliance:
        alliance = _alliance("alliance", filters.alliance).pk
    return selectors.catalogue_list(
        user=request.auth,
        filters=selectors.CatalogueFilters(q=filters.q, kind=filters.kind, alliance=alliance),
    )


@router.post(
    "/catalogue",
    response={201: EntryOut},
    url_name="recognition_catalogue_create",
    summary="Open an entry for recognition",
)
def catalogue_create(request: HttpRequest, payload: EntryIn) -> CatalogueEntry:
    user = request.auth
    if not permissions.maintains_catalogue(user):
        raise PermissionDenied
    alliance = _alliance("alliance", payload.alliance)
    qualification = title_series = None
    if payload.qualification is not None:
        qualification = Qualification.objects.filter(entry_no=payload.qualification).first()
        if qualification is None:
            _invalid(
                "qualification", _("Unknown qualification: %(id)s.") % {"id": payload.qualification}
            )
    if payload.title_series is not None:
        title_series = TitleSeries.objects.filter(seq=payload.title_series).first()
        if title_series is None:
            _invalid(
                "title_series", _("Unknown title series: %(id)s.") % {"id": payload.title_series}
            )
    return services.catalogue_create(
        actor=user,
        alliance=alliance,
        kind=payload.kind.value,
        since=payload.since,
        qualification=qualification,
        title_series=title_series,
        name=payload.name,
        note=payload.note,
    )


@router.delete(
    "/catalogue/{int:entry_id}",
    response={204: None},
    url_name="recognition_catalogue_remove",
    summary="Remove an entry nobody applied under",
)
def catalogue_remove(request: HttpRequest, entry_id: int):
    user = request.auth
    entry = selectors.catalogue_get(user=user, pk=entry_id)
    services.catalogue_remove(actor=user, entry=entry)
    return Status(204, None)


# Certificates ------------------------------------------------------------------------------------


@router.get(
    "/certificates",
    response=list[CertificateOut],
    url_name="recognition_certificate_list",
    summary="List the certificates you see",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def certificate_list(request: HttpRequest, filters: Query[CertificateQuery]):
    return selectors.certificate_list(
        user=request.auth, filters=selectors.CertificateFilters(**filters.dict())
    ).prefetch_related("evidence")


@router.post(
    "/certificates",
    response={201: CertificateOut},
    url_name="recognition_certificate_apply",
    summary="Apply for recognition (then upload evidence)",
)
def certificate_apply(request: HttpRequest, payload: CertificateIn) -> Certificate:
    """The talent applies; evidence is uploaded with ``POST …/evidence`` before the issuing
    region can certify."""
    user = request.auth
    if not permissions.is_talent(user):
        raise PermissionDenied
    entry = selectors.catalogue_visible(user=user).filter(pk=payload.entry).first()
    if entry is None:
        _invalid("entry", _("Unknown catalogue entry: %(id)s.") % {"id": payload.entry})
    return services.certificate_apply(
        actor=user,
        talent=user.talent_profile,
        entry=entry,
        issuing_region=_region("issuing_region", payload.issuing_region),
        title_level=payload.title_level.value if payload.title_level else "",
        hours=payload.hours,
        original_number=payload.original_number,
        statement=payload.statement,
        uploads=(),
        require_evidence=False,
    )


@router.get(
    "/certificates/{int:certificate_id}",
    response=CertificateDetailOut,
    url_name="recognition_certificate_detail",
    summary="One certificate, with its signature checked",
)
def certificate_detail(request: HttpRequest, certificate_id: int):
    user = request.auth
    return _detail(user, selectors.certificate_get(user=user, pk=certificate_id))


@router.post(
    "/certificates/{int:certificate_id}/evidence",
    response={201: EvidenceOut},
    url_name="recognition_certificate_evidence",
    summary="Upload evidence to an open application",
)
def certificate_evidence(
    request: HttpRequest, certificate_id: int, file: File[UploadedFile]
) -> Evidence:
    user = request.auth
    certificate = selectors.certificate_get(user=user, pk=certificate_id)
    return services.evidence_add(actor=user, certificate=certificate, upload=file)


@router.post(
    "/certificates/{int:certificate_id}/actions/{action}",
    response=CertificateDetailOut,
    url_name="recognition_certificate_action",
    summary="Certify, reject, withdraw or revoke",
)
def certificate_action(
    request: HttpRequest, certificate_id: int, action: workflow.Action, payload: ActionIn
):
    user = request.auth
    certificate = selectors.certificate_get(user=user, pk=certificate_id)
    certificate = services.certificate_transition(
        actor=user,
        certificate=certificate,
        action=action.value,
        reason=payload.reason,
        valid_until=payload.valid_until,
    )
    return _detail(user, certificate)


# Figures -----------------------------------------------------------------------------------------


@router.get(
    "/stats",
    response=StatsOut,
    url_name="recognition_stats",
    summary="Recognition per region",
)
def stats(request: HttpRequest):
    user = request.auth
    if not permissions.is_office_user(user):
        raise PermissionDenied
    return {
        "catalogue": [c.__dict__ for c in selectors.catalogue_counts(user=user)],
        "regions": [r.__dict__ for r in selectors.region_stats(user=user)],
    }
