"""Reads of the points app, filtered by the reader's scope."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from talentflow.accounts.permissions import scope_for
from talentflow.directory.models import Pool, TalentProfile
from talentflow.directory.selectors import pool_visible, talent_visible
from talentflow.points import permissions
from talentflow.points.display import cents
from talentflow.points.models import (
    LedgerEntry,
    PointsEvent,
    PointsScheme,
    SchemeVersion,
    VersionStatus,
)
from talentflow.reference.models import Region

ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=14, decimal_places=2))


# Statements ---------------------------------------------------------------------------------


def statement_talent(*, user, pk: int) -> TalentProfile:
    """The talent whose statement ``user`` asks for; 404 unless they may read it."""
    talent = TalentProfile.objects.filter(pk=pk).select_related("home_region").first()
    if talent is None or not permissions.can_see_statement(user, talent):
        raise Http404
    return talent


def statement_entries(*, talent: TalentProfile, period: str = "") -> QuerySet[LedgerEntry]:
    qs = LedgerEntry.objects.filter(talent=talent).select_related(
        "event", "event__region", "version", "version__scheme", "reverses"
    )
    if period:
        qs = qs.filter(period=period)
    return qs.order_by("event__occurred_on", "id")


@dataclass(frozen=True)
class PeriodTotal:
    period: str
    points: Decimal
    entries: int


def statement_totals(*, talent: TalentProfile) -> list[PeriodTotal]:
    rows = (
        LedgerEntry.objects.filter(talent=talent)
        .values("period")
        .annotate(points=Sum("points"), entries=Count("id"))
        .order_by("-period")
    )
    return [PeriodTotal(r["period"], cents(r["points"]), r["entries"]) for r in rows]


def talent_total(*, talent: TalentProfile) -> Decimal:
    return cents(
        LedgerEntry.objects.filter(talent=talent).aggregate(total=Coalesce(Sum("points"), ZERO))[
            "total"
        ]
    )


# Leaderboards -------------------------------------------------------------------------------


def leaderboard_regions(*, user) -> QuerySet[Region]:
    """Regions whose board the user may choose: those with a scheme, and the officer's own
    (丽水市's board sums its nine counties)."""
    scope = scope_for(user)
    with_scheme = Q(code__in=PointsScheme.objects.values("region_id"))
    if scope.is_admin:
        return Region.objects.filter(with_scheme)
    if not scope.is_officer:
        return Region.objects.none()
    inside = Q(pk__in=[])
    for prefix in scope.region_prefixes:
        inside |= Q(code__startswith=prefix)
    return Region.objects.filter((with_scheme & inside) | Q(code__in=scope.region_codes))


def leaderboard_pools(*, user) -> QuerySet[Pool]:
    if not permissions.can_see_leaderboards(user):
        return Pool.objects.none()
    return pool_visible(user=user)


def _region_prefix(region: Region) -> str:
    return region.prefix


def leaderboard(
    *, user, region: Region | None = None, pool: Pool | None = None, period: str = ""
) -> QuerySet[TalentProfile]:
    """Talents ranked by points: of events in the region (and the counties below it), or of
    the pool's members everywhere; one year or all. Each row has ``points`` and ``events``."""
    if not permissions.can_see_leaderboards(user):
        return TalentProfile.objects.none()
    scope = scope_for(user)
    entry_q = Q()
    if period:
        entry_q &= Q(points_entries__period=period)
    # Only talents the reader sees in the directory: a board must not reveal anyone else.
    talents = talent_visible(user=user)
    if region is not None:
        if not (scope.is_admin or scope.governs_region(region.code)):
            raise Http404
        entry_q &= Q(points_entries__event__region__code__startswith=_region_prefix(region))
    if pool is not None:
        if not pool_visible(user=user).filter(pk=pool.pk).exists():
            raise Http404
        talents = talents.filter(pools=pool)
    if region is None and pool is None and not scope.is_admin:
        # Without a choice an officer sees the regions they govern.
        region_q = Q(pk__in=[])
        for prefix in scope.region_prefixes:
            region_q |= Q(points_entries__event__region__code__startswith=prefix)
        entry_q &= region_q
    return (
        talents.annotate(
            points=Coalesce(Sum("points_entries__points", filter=entry_q), ZERO),
            events=Count("points_entries__event", filter=entry_q, distinct=True),
        )
        .filter(events__gt=0)
        .select_related("home_region")
        .order_by("-points", "name", "id")
    )


# Events -------------------------------------------------------------------------------------


def event_visible(*, user) -> QuerySet[PointsEvent]:
    scope = scope_for(user)
    qs = PointsEvent.objects.all()
    if scope.is_admin:
        return qs
    if scope.is_officer:
        return qs.filter(scope.region_q("region"))
    if scope.talent_id is not None:
        return qs.filter(talent_id=scope.talent_id)
    return qs.none()


@dataclass(frozen=True)
class EventFilters:
    q: str = ""
    kind: str = ""
    source: str = ""
    region: str = ""
    year: str = ""


def event_list(*, user, filters: EventFilters | None = None) -> QuerySet[PointsEvent]:
    f = filters or EventFilters()
    qs = event_visible(user=user).select_related("talent", "region", "recorded_by")
    for term in f.q.replace("，", " ").split():
        qs = qs.filter(
            Q(talent__name__icontains=term)
            | Q(description__icontains=term)
            | Q(evidence__icontains=term)
        )
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.region:
        qs = qs.filter(region__code__startswith=_prefix(f.region))
    if f.year.isdigit():
        qs = qs.filter(occurred_on__year=int(f.year))
    return qs.annotate(points=Coalesce(Sum("entries__points"), ZERO)).order_by(
        "-occurred_on", "-id"
    )


def _prefix(code: str) -> str:
    """A province or prefecture code stands for everything inside it (GB/T 2260)."""
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


# Schemes ------------------------------------------------------------------------------------


def scheme_list(*, user) -> QuerySet[PointsScheme]:
    """Points rules are public policy: every signed-in user may read the published versions."""
    if not scope_for(user).is_authenticated:
        return PointsScheme.objects.none()
    return PointsScheme.objects.select_related("region").annotate(
        published=Count("versions", filter=Q(versions__status=VersionStatus.PUBLISHED))
    )


def scheme_get(*, user, pk: int) -> PointsScheme:
    scheme = scheme_list(user=user).filter(pk=pk).first()
    if scheme is None:
        raise Http404
    return scheme


def versions_of(*, user, scheme: PointsScheme) -> QuerySet[SchemeVersion]:
    qs = scheme.versions.prefetch_related("rates").select_related("published_by")
    if not permissions.can_manage_scheme(user, scheme):
        qs = qs.filter(status=VersionStatus.PUBLISHED)
    return qs.order_by("-number")


def version_get(*, user, pk: int) -> SchemeVersion:
    version = (
        SchemeVersion.objects.select_related("scheme", "scheme__region", "published_by")
        .prefetch_related("rates")
        .filter(pk=pk)
        .first()
    )
    if version is None or not scope_for(user).is_authenticated:
        raise Http404
    if not version.is_published and not permissions.can_manage_scheme(user, version.scheme):
        raise Http404
    return version
