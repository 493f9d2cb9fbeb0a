"""Points for shared talent over the API (``/api/points``): statements, leaderboards, events,
schemes and versions. The same selectors and services as the pages: 404 for what the caller
may not see, 403 for what they may not do, 422 for bad input. Points are exact decimals sent
as text (``"12.50"``)."""

# No "from __future__ import annotations" here: ninja reads these annotations at import.
import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from talentflow.core.services import require
from talentflow.directory.models import TalentProfile
from talentflow.directory.selectors import talent_visible
from talentflow.points import permissions, selectors, services
from talentflow.points.display import calculation_text, cents
from talentflow.points.models import (
    LedgerEntry,
    PointsEvent,
    PointsScheme,
    SchemeVersion,
)
from talentflow.reference.models import Region

router = Router(tags=["points"])

PAGE_SIZE = settings.TALENTFLOW_PAGE_SIZE
MAX_PAGE_SIZE = 200


def _text(value) -> str | None:
    return None if value is None else format(value, "f")


class PeriodTotalOut(Schema):
    period: str = Field(description="Calendar year")
    points: str
    entries: int


class EntryOut(Schema):
    id: int
    event: int
    event_kind: str
    occurred_on: dt.date
    quantity: str
    scheme: str
    version: int = Field(description="Version number of the points rules")
    kind: str = Field(description="credit or reversal (of the entry named in reverses)")
    reverses: int | None
    points: str
    period: str
    calculation: dict[str, Any] = Field(
        description="base, per_unit, unit_size, quantity, raw, caps and what was used before"
    )
    calculation_text: str
    event_voided: bool = Field(description="The event was voided (its entries are reversed)")
    void_reason: str


def _entry_out(e: LedgerEntry) -> dict[str, Any]:
    return {
        "id": e.pk,
        "event": e.event_id,
        "event_kind": e.event.kind,
        "occurred_on": e.event.occurred_on,
        "quantity": _text(e.event.quantity),
        "scheme": e.version.scheme.name,
        "version": e.version.number,
        "kind": e.kind,
        "reverses": e.reverses_id,
        "points": _text(e.points),
        "period": e.period,
        "calculation": e.explanation,
        "calculation_text": calculation_text(e.explanation),
        "event_voided": e.event.is_voided,
        "void_reason": e.event.void_reason,
    }


class StatementOut(Schema):
    talent: int
    name: str
    total: str
    periods: list[PeriodTotalOut]
    entries: list[EntryOut]


@router.get(
    "/talents/{int:talent_id}/statement",
    response=StatementOut,
    url_name="points_statement",
    summary="A talent's points statement",
)
def statement(request: HttpRequest, talent_id: int, period: str = "") -> dict[str, Any]:
    """Every ledger entry (optionally of one year) with its event, version and calculation,
    and the totals per year. For the talent, the offices that see them, administrators."""
    talent = selectors.statement_talent(user=request.auth, pk=talent_id)
    totals = selectors.statement_totals(talent=talent)
    entries = selectors.statement_entries(talent=talent, period=period)
    return {
        "talent": talent.pk,
        "name": talent.name,
        "total": _text(selectors.talent_total(talent=talent)),
        "periods": [
            {"period": t.period, "points": _text(t.points), "entries": t.entries} for t in totals
        ],
        "entries": [_entry_out(e) for e in entries],
    }


class BoardQuery(Schema):
    region: str | None = Field(None, description="GB/T 2260 code; a prefecture sums its counties")
    pool: int | None = Field(None, description="Talent pool id")
    period: str | None = Field(None, description="Calendar year, e.g. 2026")


class BoardRowOut(Schema):
    talent: int
    name: str
    home_region: str
    events: int
    points: str

    @staticmethod
    def resolve_talent(obj) -> int:
        return obj.pk

    @staticmethod
    def resolve_home_region(obj) -> str:
        return obj.home_region.name

    @staticmethod
    def resolve_points(obj) -> str:
        return _text(cents(obj.points))


@router.get(
    "/leaderboard",
    response=list[BoardRowOut],
    url_name="points_leaderboard",
    summary="Talents ranked by points",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def leaderboard(request: HttpRequest, filters: Query[BoardQuery]) -> QuerySet[TalentProfile]:
    """For the talent offices: a region's or a pool's talents by points, one year or all."""
    user = request.auth
    require(permissions.can_see_leaderboards(user))
    region = pool = None
    if filters.region:
        region = selectors.leaderboard_regions(user=user).filter(code=filters.region).first()
        if region is None:
            raise Http404
    if filters.pool is not None:
        pool = selectors.leaderboard_pools(user=user).filter(pk=filters.pool).first()
        if pool is None:
            raise Http404
    period = filters.period if (filters.period or "").isdigit() else ""
    board = selectors.leaderboard(user=user, region=region, pool=pool, period=period)
    return board


class EventQuery(Schema):
    q: str | None = None
    kind: str | None = None
    source: str | None = Field(None, description="outcome, engagement or recorded")
    region: str | None = None
    year: str | None = None


class EventOut(Schema):
    id: int
    talent: int
    talent_name: str
    kind: str
    region: str
    occurred_on: dt.date
    quantity: str
    unit: str
    source: str
    description: str
    evidence: str
    points: str = Field(description="Points this event holds now (entries minus reversals)")
    voided_at: dt.datetime | None = Field(description="When the talent office voided it")
    void_reason: str

    @staticmethod
    def resolve_talent(obj) -> int:
        return obj.talent_id

    @staticmethod
    def resolve_talent_name(obj) -> str:
        return obj.talent.name

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id

    @staticmethod
    def resolve_quantity(obj) -> str:
        return _text(obj.quantity)

    @staticmethod
    def resolve_points(obj) -> str:
        return _text(cents(getattr(obj, "points", None)))


@router.get(
    "/events", response=list[EventOut], url_name="points_event_list", summary="List points events"
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def event_list(request: HttpRequest, filters: Query[EventQuery]) -> QuerySet[PointsEvent]:
    """The events of the regions you govern (officers); a talent's own events."""
    from talentflow.points.forms import event_filters_from

    params = {k: str(v) for k, v in filters.model_dump(exclude_none=True).items()}
    return selectors.event_list(user=request.auth, filters=event_filters_from(params))


class EventIn(Schema):
    talent: int
    kind: str = Field(description="appointment_served, students_mentored or industry_service")
    region: str = Field(description="GB/T 2260 code of a region you govern")
    occurred_on: dt.date
    quantity: str = Field(description="Years served, students, or days, as a decimal")
    evidence: str
    description: str = ""


@router.post(
    "/events",
    response={201: EventOut},
    url_name="points_event_create",
    summary="Record a verified event",
)
def event_create(request: HttpRequest, payload: EventIn) -> PointsEvent:
    """A talent office records an appointment served, students mentored or days of service
    to industry, with evidence; the talent's ledger is updated at once."""
    user = request.auth
    require(permissions.can_record_events(user))
    talent = talent_visible(user=user).filter(pk=payload.talent).first()
    region = Region.objects.filter(code=payload.region).first()
    if talent is None or region is None:
        raise Http404
    event = services.event_record(
        actor=user,
        talent=talent,
        kind=payload.kind,
        region=region,
        occurred_on=payload.occurred_on,
        quantity=payload.quantity,
        evidence=payload.evidence,
        description=payload.description,
    )
    return selectors.event_list(user=user).get(pk=event.pk)


class VoidIn(Schema):
    reason: str = Field(description="Why the event was recorded wrongly")


@router.post(
    "/events/{int:event_id}/void",
    response=EventOut,
    url_name="points_event_void",
    summary="Void a wrongly recorded event",
)
def event_void(request: HttpRequest, event_id: int, payload: VoidIn) -> PointsEvent:
    """The talent office of the event's region voids it with a reason: its entry gets a
    reversal entry (nothing is edited or deleted), the talent's later points of the year are
    recomputed, the talent is notified. A voided event cannot be voided again (422)."""
    user = request.auth
    event = selectors.event_visible(user=user).filter(pk=event_id).first()
    if event is None:
        raise Http404
    services.event_void(actor=user, event=event, reason=payload.reason)
    return selectors.event_list(user=user).get(pk=event.pk)


class SyncOut(Schema):
    events: int
    entries: int
    reversals: int
    voided: int


@router.post("/sync", response=SyncOut, url_name="points_sync", summary="Derive events")
def sync(request: HttpRequest) -> dict[str, int]:
    """Turn confirmed outcomes and verified engagements (of the regions you govern) that are
    not yet events into events and ledger entries, and void the derived events whose source
    is no longer confirmed or verified. Running it twice adds nothing."""
    result = services.events_sync(actor=request.auth)
    return {
        "events": result.events,
        "entries": result.entries,
        "reversals": result.reversals,
        "voided": result.voided,
    }


class RateOut(Schema):
    kind: str
    base_points: str
    points_per_unit: str
    unit_size: str
    unit: str
    cap: str | None


class VersionOut(Schema):
    id: int
    number: int
    effective_from: dt.date
    status: str
    period_cap: str | None
    note: str
    published_at: dt.datetime | None
    rates: list[RateOut]


def _version_out(v: SchemeVersion) -> dict[str, Any]:
    return {
        "id": v.pk,
        "number": v.number,
        "effective_from": v.effective_from,
        "status": v.status,
        "period_cap": _text(v.period_cap),
        "note": v.note,
        "published_at": v.published_at,
        "rates": [
            {
                "kind": r.kind,
                "base_points": _text(r.base_points),
                "points_per_unit": _text(r.points_per_unit),
                "unit_size": _text(r.unit_size),
                "unit": r.unit,
                "cap": _text(r.cap),
            }
            for r in v.rates.all()
        ],
    }


class SchemeOut(Schema):
    id: int
    region: str
    name: str
    description: str
    versions: list[VersionOut]


def _scheme_out(user, scheme: PointsScheme) -> dict[str, Any]:
    return {
        "id": scheme.pk,
        "region": scheme.region_id,
        "name": scheme.name,
        "description": scheme.description,
        "versions": [_version_out(v) for v in selectors.versions_of(user=user, scheme=scheme)],
    }


@router.get(
    "/schemes", response=list[SchemeOut], url_name="points_scheme_list", summary="Points rules"
)
def scheme_list(request: HttpRequest) -> list[dict[str, Any]]:
    """Every region's points rules with their published versions (drafts for their office)."""
    return [_scheme_out(request.auth, s) for s in selectors.scheme_list(user=request.auth)]


@router.get(
    "/schemes/{int:scheme_id}",
    response=SchemeOut,
    url_name="points_scheme_detail",
    summary="One region's points rules",
)
def scheme_detail(request: HttpRequest, scheme_id: int) -> dict[str, Any]:
    return _scheme_out(request.auth, selectors.scheme_get(user=request.auth, pk=scheme_id))


class PreviewRowOut(Schema):
    talent: int
    points_now: str
    points_after: str


class PreviewOut(Schema):
    events: int
    changed_entries: int
    talents: list[PreviewRowOut]


@router.get(
    "/versions/{int:version_id}/preview",
    response=PreviewOut,
    url_name="points_version_preview",
    summary="What publishing a draft would change",
)
def version_preview(request: HttpRequest, version_id: int) -> dict[str, Any]:
    version = selectors.version_get(user=request.auth, pk=version_id)
    require(permissions.can_manage_scheme(request.auth, version.scheme))
    plan = services.version_preview(version=version)
    return {
        "events": len(plan.changes),
        "changed_entries": len(plan.effective),
        "talents": [
            {"talent": pk, "points_now": _text(old), "points_after": _text(new)}
            for pk, (old, new) in sorted(plan.by_talent().items())
        ],
    }


class PublishOut(Schema):
    version: VersionOut
    entries_added: int
    entries_reversed: int


@router.post(
    "/versions/{int:version_id}/publish",
    response=PublishOut,
    url_name="points_version_publish",
    summary="Publish a draft and recompute forward",
)
def version_publish(request: HttpRequest, version_id: int) -> dict[str, Any]:
    """Entries of events before the version's start stay; later ones are reversed and
    entered again under this version."""
    version = selectors.version_get(user=request.auth, pk=version_id)
    added, reversed_ = services.version_publish(actor=request.auth, version=version)
    version = SchemeVersion.objects.prefetch_related("rates").get(pk=version.pk)
    return {"version": _version_out(version), "entries_added": added, "entries_reversed": reversed_}
