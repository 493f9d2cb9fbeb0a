"""Reference data over the API: lookups for the forms' searchable selects, regions, alliances.

Reference data is public policy (administrative codes, national catalogues), so every signed-in
user may read all of it; nothing here is scoped.
"""

# No "from __future__ import annotations" here: ninja reads these annotations at import.
from enum import StrEnum

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from talentflow.reference.models import (
    Alliance,
    Discipline,
    DisciplineScheme,
    Industry,
    Qualification,
    Region,
    RegionLevel,
    TitleSeries,
)

router = Router(tags=["reference"])

LOOKUP_DEFAULT_LIMIT = 20
LOOKUP_MAX_LIMIT = 50


# Schemas ---------------------------------------------------------------------------------


class RegionOut(Schema):
    code: str = Field(description="GB/T 2260 administrative code, e.g. 330421")
    name: str
    level: str = Field(description="province, prefecture or county")
    full_name: str = Field(description="Province, prefecture and county names")


class AllianceRef(Schema):
    code: str
    name: str
    short_name: str


class RegionDetailOut(RegionOut):
    parent: RegionOut | None
    children: list[RegionOut]
    alliances: list[AllianceRef]
    longitude: float | None
    latitude: float | None
    stats_only: bool = Field(description="A zone that exists only for statistics")


class AllianceOut(AllianceRef):
    description: str
    members: list[RegionOut]


class IndustryOut(Schema):
    code: str = Field(description="GB/T 4754-2017: section letter, or 2-4 digits")
    name: str


class DisciplineOut(Schema):
    scheme: str = Field(description="grad2022 or nsfc")
    code: str
    name: str


class TitleSeriesOut(Schema):
    seq: int = Field(description="Number of the series among the 27 title series (1-27)")
    name: str


class QualificationOut(Schema):
    entry_no: int = Field(description="Entry number in the national catalogue (2021)")
    name: str


class LookupItem(Schema):
    value: str
    text: str


class LookupOut(Schema):
    items: list[LookupItem]


class LookupKind(StrEnum):
    REGIONS = "regions"
    INDUSTRIES = "industries"
    DISCIPLINES = "disciplines"
    QUALIFICATIONS = "qualifications"
    TITLE_SERIES = "title-series"


class LookupQuery(Schema):
    q: str = Field("", max_length=64, description="Code prefix or part of the name")
    limit: int = Field(LOOKUP_DEFAULT_LIMIT, ge=1, le=LOOKUP_MAX_LIMIT)
    scheme: DisciplineScheme | None = Field(
        None, description="Disciplines only: limit to one scheme"
    )


# Lookups ---------------------------------------------------------------------------------


def _search(qs: QuerySet, q: str, *, code_field: str, name_fields: tuple[str, ...]) -> QuerySet:
    """Rows matching ``q`` by code prefix or part of a name, ranked: exact code, code prefix,
    name prefix, the rest. Codes compare case-insensitively (NSFC "e01" finds "E01")."""
    if not q:
        return qs.annotate(rank=Value(0, output_field=IntegerField()))
    match = Q(**{f"{code_field}__istartswith": q})
    for name in name_fields:
        match |= Q(**{f"{name}__icontains": q})
    rank = Case(
        When(**{f"{code_field}__iexact": q}, then=Value(0)),
        When(**{f"{code_field}__istartswith": q}, then=Value(1)),
        When(**{f"{name_fields[0]}__startswith": q}, then=Value(2)),
        default=Value(3),
        output_field=IntegerField(),
    )
    return qs.filter(match).annotate(rank=rank)


def _numbered(qs: QuerySet, q: str, *, number_field: str) -> QuerySet:
    """Series and catalogue entries are numbered: a number matches exactly, words by name."""
    if not q:
        return qs.annotate(rank=Value(0, output_field=IntegerField()))
    if q.isdigit():
        return qs.filter(Q(**{number_field: int(q)}) | Q(name__icontains=q)).annotate(
            rank=Case(When(**{number_field: int(q)}, then=Value(0)), default=Value(1))
        )
    return qs.filter(name__icontains=q).annotate(
        rank=Case(When(name__startswith=q, then=Value(0)), default=Value(1))
    )


def lookup_regions(*, q: str, limit: int) -> list[LookupItem]:
    # Counties are what people pick (organisations and talents live in one), so after an
    # exact code they come first: "丽水" lists its nine counties before the city itself.
    # Statistics-only zones (development zones) come last.
    qs = _search(Region.objects.all(), q, code_field="code", name_fields=("name", "full_name"))
    exact = Case(When(rank=0, then=Value(0)), default=Value(1), output_field=IntegerField())
    level_rank = Case(
        When(level=RegionLevel.COUNTY, then=Value(0)),
        When(level=RegionLevel.PREFECTURE, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    qs = qs.annotate(exact=exact, level_rank=level_rank).order_by(
        "exact", "stats_only", "level_rank", "rank", "code"
    )
    return [LookupItem(value=r.code, text=f"{r.code} {r.full_name}") for r in qs[:limit]]


def lookup_industries(*, q: str, limit: int) -> list[LookupItem]:
    qs = _search(Industry.objects.all(), q, code_field="code", name_fields=("name",))
    qs = qs.order_by("rank", "section", "code")
    return [LookupItem(value=i.code, text=f"{i.code} {i.name}") for i in qs[:limit]]


def lookup_disciplines(*, q: str, limit: int, scheme: str | None) -> list[LookupItem]:
    qs = Discipline.objects.all()
    if scheme:
        qs = qs.filter(scheme=scheme)
    qs = _search(qs, q, code_field="code", name_fields=("name", "name_en"))
    qs = qs.order_by("rank", "scheme", "code")
    return [LookupItem(value=str(d.pk), text=f"{d.code} {d.name}") for d in qs[:limit]]


def lookup_qualifications(*, q: str, limit: int) -> list[LookupItem]:
    qs = _numbered(Qualification.objects.all(), q, number_field="entry_no")
    qs = qs.order_by("rank", "entry_no")
    return [LookupItem(value=str(x.pk), text=f"{x.entry_no} {x.name}") for x in qs[:limit]]


def lookup_title_series(*, q: str, limit: int) -> list[LookupItem]:
    qs = _numbered(TitleSeries.objects.all(), q, number_field="seq")
    qs = qs.order_by("rank", "seq")
    return [LookupItem(value=str(s.pk), text=f"{s.seq} {s.name}") for s in qs[:limit]]


@router.get(
    "/lookup/{kind}",
    response=LookupOut,
    url_name="reference_lookup",
    summary="Search reference data for a searchable select",
)
def reference_lookup(
    request: HttpRequest, kind: LookupKind, params: Query[LookupQuery]
) -> LookupOut:
    """Items as `{"value", "text"}` for the web forms' searchable selects.

    `value` is what a web form submits: the code for regions and industries, the record id
    for disciplines, qualifications and title series. Matches by code prefix (or number) and
    by part of the name; exact and prefix matches come first. Regions prefer counties.
    """
    q = params.q.strip()
    limit = params.limit
    if kind is LookupKind.REGIONS:
        items = lookup_regions(q=q, limit=limit)
    elif kind is LookupKind.INDUSTRIES:
        items = lookup_industries(q=q, limit=limit)
    elif kind is LookupKind.DISCIPLINES:
        items = lookup_disciplines(
            q=q, limit=limit, scheme=params.scheme.value if params.scheme else None
        )
    elif kind is LookupKind.QUALIFICATIONS:
        items = lookup_qualifications(q=q, limit=limit)
    else:
        items = lookup_title_series(q=q, limit=limit)
    return LookupOut(items=items)


# Regions and alliances -------------------------------------------------------------------


@router.get("/regions/{code}", response=RegionDetailOut, summary="One region")
def region_detail(request: HttpRequest, code: str) -> Region:
    """A region by its GB/T 2260 code, with its parent, children and alliances."""
    return (
        Region.objects.select_related("parent")
        .prefetch_related(
            Prefetch("children", queryset=Region.objects.order_by("code")),
            Prefetch("alliances", queryset=Alliance.objects.order_by("code")),
        )
        .get(code=code)
    )


@router.get("/alliances", response=list[AllianceOut], summary="Alliances and their members")
def alliance_list(request: HttpRequest) -> QuerySet[Alliance]:
    """The alliances whose members share talent and recognise each other's certifications."""
    return Alliance.objects.prefetch_related(
        Prefetch("members", queryset=Region.objects.order_by("code"))
    ).order_by("code")
