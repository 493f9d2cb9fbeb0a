"""The talent code over the API (``/api/credentials``): the caller's own code, the signed
trust and revocation lists, the service catalogue, and redemptions recorded at the counters.

The same selectors decide what a caller sees and the same services who may change what (403)
and when (422). A redemption is idempotent by its client-generated UUID: posting it again
answers 200 with the first record.
"""

# No "from __future__ import annotations" here: ninja reads these annotations at import.
import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from talentflow.credentials import permissions, selectors, services
from talentflow.credentials.models import Service

router = Router(tags=["credentials"])

PAGE_SIZE = settings.TALENTFLOW_PAGE_SIZE
MAX_PAGE_SIZE = 200


class CodeOut(Schema):
    text: str
    iss: str
    iat: int
    exp: int
    expires_at: dt.datetime
    tier: str
    category: str
    groups: list[str]
    masked_name: str


class SignedListOut(Schema):
    body: dict
    kid: str
    sig: str


class ServiceOut(Schema):
    id: int
    code: str
    name: str
    provider: int = Field(..., alias="provider_id")
    provider_name: str = Field(..., alias="provider.name")
    region: str = Field(..., alias="region_id")
    group: str
    eligible_tiers: list[str]
    limit: str
    limit_count: int
    active: bool

    @staticmethod
    def resolve_eligible_tiers(obj: Service) -> list[str]:
        return list(obj.eligible_tiers)


class ServiceQuery(Schema):
    q: str = ""
    region: str = ""
    group: str = ""
    tier: str = ""
    limit: str = ""
    mine: bool = False


class RedemptionIn(Schema):
    uuid: uuid.UUID
    service: int
    code: str
    redeemed_at: dt.datetime | None = None


class RedemptionOut(Schema):
    id: int
    uuid: uuid.UUID
    service: int = Field(..., alias="service_id")
    service_name: str = Field(..., alias="service.name")
    organisation: int = Field(..., alias="organisation_id")
    sid: str
    iss: str
    tier: str
    masked_name: str
    redeemed_at: dt.datetime
    synced_at: dt.datetime


class RedemptionQuery(Schema):
    q: str = ""
    service: int | None = None


@router.get(
    "/my-code",
    response=CodeOut,
    url_name="credentials_my_code",
    summary="My talent code (fresh, short-lived)",
)
def my_code(request: HttpRequest):
    """A freshly signed code for the caller's talent profile; 404 when they hold no current
    category/tier of a member region."""
    talent_id = permissions.talent_id(request.auth)
    if talent_id is None:
        raise PermissionDenied(_("Only a talent holds a talent code."))
    from talentflow.directory.models import TalentProfile

    issued = services.code_issue(TalentProfile.objects.get(pk=talent_id))
    if issued is None:
        raise Http404(_("You hold no current category or tier."))
    c = issued.claims
    return {
        "text": issued.text,
        "iss": c.iss,
        "iat": c.iat,
        "exp": c.exp,
        "expires_at": issued.expires_at,
        "tier": c.tier,
        "category": c.cat,
        "groups": list(c.grp),
        "masked_name": c.mn,
    }


@router.get(
    "/trust-list",
    response=SignedListOut,
    url_name="credentials_trust_list",
    summary="The signed trust list",
)
def trust_list(request: HttpRequest):
    """Every member region's keys, signed by the alliance root key (also at
    ``/credentials/trust-list.json`` without login)."""
    return services.signed_trust_list()


@router.get(
    "/revocations",
    response=SignedListOut,
    url_name="credentials_revocations",
    summary="The signed revocation list (incremental)",
)
def revocations(request: HttpRequest, since: int = 0):
    """Entries added after ``since`` (a seq); also at ``/credentials/revocations.json``."""
    return services.signed_revocations(since)


@router.get(
    "/services",
    response=list[ServiceOut],
    url_name="credentials_service_list",
    summary="The service catalogue",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def service_list(request: HttpRequest, filters: Query[ServiceQuery]):
    return selectors.service_list(
        user=request.auth, filters=selectors.ServiceFilters(**filters.dict())
    )


@router.post(
    "/redemptions",
    response={200: RedemptionOut, 201: RedemptionOut},
    url_name="credentials_redemption_create",
    summary="Record a service used at the counter",
)
def redemption_create(request: HttpRequest, payload: RedemptionIn):
    """The provider records a redemption (queued offline, synced later). The code is verified
    again; a once-only service is refused the second time for the same talent, N-per-year
    limits are counted. The same ``uuid`` again answers 200 with the first record."""
    user = request.auth
    if not permissions.is_provider(user):
        raise PermissionDenied(_("Only a service provider records redemptions."))
    service = Service.objects.filter(pk=payload.service).first()
    if service is None:
        raise ValidationError(
            {"service": [_("Unknown service: %(id)s.") % {"id": payload.service}]}
        )
    redemption, created = services.redemption_record(
        actor=user,
        service=service,
        code_text=payload.code,
        uuid=payload.uuid,
        redeemed_at=payload.redeemed_at,
    )
    return Status(201 if created else 200, redemption)


@router.get(
    "/redemptions",
    response=list[RedemptionOut],
    url_name="credentials_redemption_list",
    summary="Redemptions of my organisation's services",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def redemption_list(request: HttpRequest, filters: Query[RedemptionQuery]):
    """A provider: its organisation's; the office: those of its region's services."""
    return selectors.redemption_list(user=request.auth, service=filters.service, q=filters.q)
