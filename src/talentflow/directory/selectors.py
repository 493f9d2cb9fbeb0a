"""Reads of the directory. Every list a user sees is filtered here by their ``Scope``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)

from talentflow.accounts.permissions import Scope, scope_for
from talentflow.directory.models import (
    Affiliation,
    Organisation,
    Pool,
    TalentProfile,
)
from talentflow.reference.models import Alliance


def _search_terms(q: str) -> list[str]:
    # People type several words separated by spaces or Chinese punctuation; each must match.
    for sep in "，,、；;":
        q = q.replace(sep, " ")
    return [t for t in q.split() if t]


def _code_filter(path: str, code: str, *, letter_path: str | None = None) -> Q:
    """Match a taxonomy code and everything below it (codes nest by prefix)."""
    if letter_path and code.isalpha() and len(code) == 1:
        return Q(**{letter_path: code.upper()})
    return Q(**{f"{path}__startswith": code})


# Organisations ---------------------------------------------------------------------------


def organisation_visible(*, user) -> QuerySet[Organisation]:
    scope = scope_for(user)
    qs = Organisation.objects.all()
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(pk__in=scope.organisation_ids)
    if scope.is_officer:
        q |= scope.region_q("region")
        q |= Q(shared_with__in=scope.alliance_ids)
    if scope.talent_id is not None:
        q |= Q(affiliations__talent_id=scope.talent_id)
    # OR-ing across to-many relations repeats rows; filter on the distinct ids instead.
    return qs.filter(pk__in=Organisation.objects.filter(q).values("pk"))


@dataclass(frozen=True)
class OrganisationFilters:
    q: str = ""
    kind: str = ""
    region: str = ""
    industry: str = ""


def organisation_list(
    *, user, filters: OrganisationFilters | None = None
) -> QuerySet[Organisation]:
    f = filters or OrganisationFilters()
    qs = organisation_visible(user=user).select_related("region", "industry", "parent")
    terms = _search_terms(f.q)
    for term in terms:
        qs = qs.filter(
            Q(name__icontains=term)
            | Q(uscc__iexact=term)
            | Q(description__icontains=term)
            | Q(address__icontains=term)
            | Q(industry__name__icontains=term)
        )
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.region:
        qs = qs.filter(region__code__startswith=_region_prefix(f.region))
    if f.industry:
        qs = qs.filter(_code_filter("industry__code", f.industry, letter_path="industry__section"))
    if terms:
        name_hits = Q(pk__in=[])
        for term in terms:
            name_hits |= Q(name__icontains=term)
        qs = qs.annotate(
            relevance=Case(
                When(name_hits, then=Value(1)), default=Value(0), output_field=IntegerField()
            )
        )
        return qs.order_by("-relevance", "name", "id")
    return qs.order_by("name", "id")


def organisation_get(*, user, pk: int) -> Organisation:
    return (
        organisation_visible(user=user)
        .select_related("region", "industry", "parent")
        .prefetch_related("shared_with")
        .get(pk=pk)
    )


def organisation_affiliations(*, user, organisation: Organisation) -> QuerySet[Affiliation]:
    """The organisation's people, limited to those the user may see."""
    visible = talent_visible(user=user).values("pk")
    return (
        organisation.affiliations.filter(talent__in=visible)
        .select_related("talent", "talent__home_region")
        .order_by("end_date", "-start_date")
    )


# Talents ---------------------------------------------------------------------------------


def talent_visible(*, user) -> QuerySet[TalentProfile]:
    scope = scope_for(user)
    qs = TalentProfile.objects.all()
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(pk=scope.talent_id) if scope.talent_id is not None else Q(pk__in=[])
    if scope.organisation_ids:
        q |= Q(affiliations__organisation_id__in=scope.organisation_ids)
    if scope.is_officer:
        q |= _officer_talent_q(scope)
    return qs.filter(pk__in=TalentProfile.objects.filter(q).values("pk"))


def _region_tie_q(scope: Scope) -> Q:
    # A talent is tied to a region by living there, by a tie to an organisation there (an
    # expert employed elsewhere who serves here), or by being in the region's own pool.
    return (
        scope.region_q("home_region")
        | scope.region_q("affiliations__organisation__region")
        | scope.region_q("pools__region")
    )


def _officer_talent_q(scope: Scope) -> Q:
    # An officer sees the talents tied to the region and every pool of an alliance the region
    # belongs to.
    return _region_tie_q(scope) | Q(pools__alliance_id__in=scope.alliance_ids)


def talent_local(*, user) -> QuerySet[TalentProfile]:
    """The talents tied to the officer's own regions; the rest of what they see is shared."""
    scope = scope_for(user)
    if not scope.is_officer:
        return TalentProfile.objects.none()
    return TalentProfile.objects.filter(
        pk__in=TalentProfile.objects.filter(_region_tie_q(scope)).values("pk")
    )


@dataclass(frozen=True)
class TalentFilters:
    q: str = ""
    region: str = ""
    industry: str = ""
    discipline: str = ""
    title_series: int | None = None
    title_level: str = ""
    pool: int | None = None
    education: str = ""
    availability: str = ""
    organisation: int | None = None


def _region_prefix(code: str) -> str:
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code


# Search ranking: where a term matches says how much it is about this person. A name beats an
# expertise keyword, which beats the name of an organisation they work with, which beats a
# word in the biography; ties go to the higher title. The matching engine (issue 4) ranks
# experts for needs; this only orders a directory search sensibly.
_MATCH_WEIGHTS = (("name", 8), ("expertise", 4), ("organisation", 2), ("biography", 1))
_TITLE_RANK = Case(
    When(title_level="senior_full", then=Value(5)),
    When(title_level="senior_deputy", then=Value(4)),
    When(title_level="intermediate", then=Value(3)),
    When(title_level="assistant", then=Value(2)),
    When(title_level="junior", then=Value(1)),
    default=Value(0),
    output_field=IntegerField(),
)


def talent_list(*, user, filters: TalentFilters | None = None) -> QuerySet[TalentProfile]:
    f = filters or TalentFilters()
    qs = talent_visible(user=user)
    terms = _search_terms(f.q)
    relevance = []
    for term in terms:
        matches = {
            "name": Q(name__icontains=term),
            "expertise": Q(expertise__icontains=term),
            "organisation": Exists(
                Affiliation.objects.filter(
                    talent=OuterRef("pk"), organisation__name__icontains=term
                )
            ),
            "biography": Q(biography__icontains=term),
        }
        qs = qs.filter(
            matches["name"] | matches["expertise"] | matches["biography"] | matches["organisation"]
        )
        relevance.append(
            Case(
                *(When(matches[field], then=Value(weight)) for field, weight in _MATCH_WEIGHTS),
                default=Value(0),
                output_field=IntegerField(),
            )
        )
    if f.region:
        prefix = _region_prefix(f.region)
        qs = qs.filter(
            Q(home_region__code__startswith=prefix)
            | Exists(
                Affiliation.objects.filter(
                    talent=OuterRef("pk"),
                    organisation__region__code__startswith=prefix,
                    end_date__isnull=True,
                )
            )
        )
    if f.industry:
        qs = qs.filter(
            pk__in=TalentProfile.objects.filter(
                _code_filter("industries__code", f.industry, letter_path="industries__section")
            ).values("pk")
        )
    if f.discipline:
        qs = qs.filter(
            pk__in=TalentProfile.objects.filter(disciplines__code__startswith=f.discipline).values(
                "pk"
            )
        )
    if f.title_series:
        qs = qs.filter(title_series_id=f.title_series)
    if f.title_level:
        qs = qs.filter(title_level=f.title_level)
    if f.pool:
        qs = qs.filter(pools=f.pool)
    if f.education:
        qs = qs.filter(education=f.education)
    if f.availability:
        qs = qs.filter(availability=f.availability)
    if f.organisation:
        qs = qs.filter(affiliations__organisation_id=f.organisation).distinct()
    qs = qs.select_related("home_region", "title_series").prefetch_related(_current_affiliations())
    if relevance:
        score = relevance[0]
        for extra in relevance[1:]:
            score = score + extra
        return qs.annotate(relevance=score, title_rank=_TITLE_RANK).order_by(
            "-relevance", "-title_rank", "name", "id"
        )
    return qs.order_by("name", "id")


def _current_affiliations() -> Prefetch:
    return Prefetch(
        "affiliations",
        queryset=Affiliation.objects.filter(end_date__isnull=True)
        .select_related("organisation")
        .order_by("kind", "-start_date"),
        to_attr="current_affiliations",
    )


def talent_get(*, user, pk: int) -> TalentProfile:
    return (
        talent_visible(user=user)
        .select_related("home_region", "title_series", "user")
        .prefetch_related(
            "qualifications",
            "disciplines",
            "industries",
            "pools",
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.select_related(
                    "organisation", "organisation__region"
                ).order_by("-start_date", "-id"),
            ),
        )
        .get(pk=pk)
    )


def talent_for_export(*, user, filters: TalentFilters | None = None) -> QuerySet[TalentProfile]:
    return talent_list(user=user, filters=filters).prefetch_related(
        "qualifications", "disciplines", "industries", "pools"
    )


# Pools and alliances ---------------------------------------------------------------------


def pool_visible(*, user) -> QuerySet[Pool]:
    scope = scope_for(user)
    qs = Pool.objects.select_related("region", "alliance")
    if scope.is_admin:
        return qs
    if scope.is_officer:
        return qs.filter(scope.region_q("region") | Q(alliance_id__in=scope.alliance_ids))
    if scope.talent_id is not None:
        return qs.filter(talents=scope.talent_id)
    return qs.none()


def alliance_visible(*, user) -> QuerySet[Alliance]:
    scope = scope_for(user)
    if scope.is_admin:
        return Alliance.objects.all()
    return Alliance.objects.filter(pk__in=scope.alliance_ids)
