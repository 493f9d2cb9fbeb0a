"""Reads of talent evaluation. Who sees what is decided here, once:

- the talent office sees the authorisations, evaluations (once submitted), recommendations
  and results of the regions it governs;
- an enterprise sees its own authorisations and evaluations, and the results they produced;
- an association sees its own recommendation lists;
- everyone signed in sees the public notices (公示) of their region (see
  ``permissions.sees_notice``), and a talent sees their own results;
- platform administrators see everything.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, ExpressionWrapper, F, IntegerField, Q, QuerySet
from django.utils import timezone

from talentflow.accounts.permissions import scope_for
from talentflow.evaluation import permissions
from talentflow.evaluation.models import (
    AUTHORISED_CATEGORIES,
    QUOTA_STATUSES,
    Authorisation,
    AuthorisationStatus,
    Category,
    EnterpriseEvaluation,
    EvaluationResult,
    EvaluationStatus,
    Objection,
    ObjectionStatus,
    Recommendation,
    RecommendationStatus,
)


def _terms(q: str) -> list[str]:
    return q.replace("，", " ").replace(",", " ").split()


# Authorisations -------------------------------------------------------------------------------


def authorisation_visible(*, user) -> QuerySet[Authorisation]:
    scope = scope_for(user)
    qs = Authorisation.objects.select_related("region", "enterprise", "granted_by")
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(pk__in=[])
    if scope.is_officer:
        q |= scope.region_q("region")
    enterprises = permissions.enterprise_ids(user)
    if enterprises:
        q |= Q(enterprise_id__in=enterprises)
    return qs.filter(q)


@dataclass(frozen=True)
class AuthorisationFilters:
    q: str = ""
    status: str = ""
    category: str = ""
    region: str = ""
    current: bool = False  # the period includes today


def authorisation_list(
    *, user, filters: AuthorisationFilters | None = None
) -> QuerySet[Authorisation]:
    """With ``used`` (evaluations holding a place in the quota) and ``endorsed`` counted."""
    f = filters or AuthorisationFilters()
    qs = authorisation_visible(user=user)
    for term in _terms(f.q):
        qs = qs.filter(
            Q(enterprise__name__icontains=term)
            | Q(scope__icontains=term)
            | Q(enterprise__uscc__iexact=term)
        )
    if f.status:
        qs = qs.filter(status=f.status)
    if f.category:
        qs = qs.filter(category=f.category)
    if f.region:
        qs = qs.filter(region__code__startswith=f.region)
    if f.current:
        today = timezone.localdate()
        qs = qs.filter(period_start__lte=today, period_end__gte=today)
    return (
        qs.annotate(
            used=Count("evaluations", filter=Q(evaluations__status__in=QUOTA_STATUSES)),
            endorsed=Count("evaluations", filter=Q(evaluations__status=EvaluationStatus.ENDORSED)),
        )
        .annotate(left=ExpressionWrapper(F("quota") - F("used"), output_field=IntegerField()))
        .order_by("-period_start", "enterprise__name", "id")
    )


def authorisation_get(*, user, pk: int) -> Authorisation:
    return authorisation_list(user=user).get(pk=pk)


# Evaluations ----------------------------------------------------------------------------------


def evaluation_visible(*, user) -> QuerySet[EnterpriseEvaluation]:
    scope = scope_for(user)
    qs = EnterpriseEvaluation.objects.select_related(
        "authorisation__region", "authorisation__enterprise", "talent", "decided_by"
    )
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(pk__in=[])
    if scope.is_officer:
        q |= scope.region_q("authorisation__region") & ~Q(status=EvaluationStatus.DRAFT)
    enterprises = permissions.enterprise_ids(user)
    if enterprises:
        q |= Q(authorisation__enterprise_id__in=enterprises)
    if scope.talent_id is not None:
        q |= Q(talent_id=scope.talent_id) & ~Q(status=EvaluationStatus.DRAFT)
    return qs.filter(q)


@dataclass(frozen=True)
class EvaluationFilters:
    q: str = ""
    status: str = ""
    authorisation: int | None = None


def evaluation_list(*, user, filters: EvaluationFilters | None = None):
    f = filters or EvaluationFilters()
    qs = evaluation_visible(user=user)
    for term in _terms(f.q):
        qs = qs.filter(
            Q(talent__name__icontains=term)
            | Q(authorisation__enterprise__name__icontains=term)
            | Q(role__icontains=term)
        )
    if f.status:
        qs = qs.filter(status=f.status)
    if f.authorisation:
        qs = qs.filter(authorisation_id=f.authorisation)
    return qs.order_by("-submitted_at", "-id")


def evaluation_get(*, user, pk: int) -> EnterpriseEvaluation:
    return evaluation_visible(user=user).get(pk=pk)


# Recommendations (行业公荐) and the public notice (公示) --------------------------------------


def recommendation_visible(*, user) -> QuerySet[Recommendation]:
    """The lists a user may see in full: the office of the region, the association."""
    scope = scope_for(user)
    qs = Recommendation.objects.select_related("region", "association")
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(pk__in=[])
    if scope.is_officer:
        q |= scope.region_q("region")
    associations = permissions.association_ids(user)
    if associations:
        q |= Q(association_id__in=associations)
    return qs.filter(q)


def recommendation_list(*, user, q: str = "", status: str = "") -> QuerySet[Recommendation]:
    qs = recommendation_visible(user=user)
    for term in _terms(q):
        qs = qs.filter(Q(title__icontains=term) | Q(association__name__icontains=term))
    if status:
        qs = qs.filter(status=status)
    return qs.annotate(
        listed=Count("entries", distinct=True),
        open_objections=Count(
            "entries__objections",
            filter=Q(entries__objections__status=ObjectionStatus.OPEN),
            distinct=True,
        ),
    ).order_by("-created_at", "-id")


def recommendation_get(*, user, pk: int) -> Recommendation:
    return recommendation_visible(user=user).get(pk=pk)


def notice_visible(*, user) -> QuerySet[Recommendation]:
    """Lists in or after their public notice, for everyone of the region."""
    scope = scope_for(user)
    qs = Recommendation.objects.select_related("region", "association").filter(
        status__in=(RecommendationStatus.NOTICE, RecommendationStatus.FINAL)
    )
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    prefixes, codes = permissions.region_codes_of(user)
    q = Q(region_id__in=codes)
    for prefix in prefixes:
        q |= Q(region__code__startswith=prefix)
    return qs.filter(q)


def notice_list(*, user) -> QuerySet[Recommendation]:
    return notice_visible(user=user).order_by("-notice_start", "-id")


def notice_get(*, user, pk: int) -> Recommendation:
    return notice_visible(user=user).get(pk=pk)


def objection_visible(*, user) -> QuerySet[Objection]:
    """The office sees every objection to its region's lists; an objector their own."""
    scope = scope_for(user)
    qs = Objection.objects.select_related("entry__recommendation", "entry__talent", "filed_by")
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(filed_by_id=scope.user_id)
    if scope.is_officer:
        q |= scope.region_q("entry__recommendation__region")
    return qs.filter(q)


# Results ----------------------------------------------------------------------------------------


def current_results(talent, on: dt.date | None = None) -> QuerySet[EvaluationResult]:
    """The results ``talent`` holds on ``on`` (today): not revoked, inside their validity.
    What later issues (the talent code) read to decide a talent's services."""
    on = on or timezone.localdate()
    talent_id = getattr(talent, "pk", talent)
    return (
        EvaluationResult.objects.filter(
            talent_id=talent_id, revoked=False, valid_from__lte=on, valid_until__gte=on
        )
        .select_related("region")
        .order_by("tier", "-valid_from")
    )


def result_visible(*, user) -> QuerySet[EvaluationResult]:
    scope = scope_for(user)
    qs = EvaluationResult.objects.select_related("talent", "region")
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(pk__in=[])
    if scope.is_officer:
        q |= scope.region_q("region")
    if scope.talent_id is not None:
        q |= Q(talent_id=scope.talent_id)
    enterprises = permissions.enterprise_ids(user)
    if enterprises:
        q |= Q(evaluation__authorisation__enterprise_id__in=enterprises)
        q |= Q(recommendation_entry__enterprise_id__in=enterprises)
    associations = permissions.association_ids(user)
    if associations:
        q |= Q(recommendation_entry__recommendation__association_id__in=associations)
    return qs.filter(q)


@dataclass(frozen=True)
class ResultFilters:
    q: str = ""
    category: str = ""
    tier: str = ""
    region: str = ""
    source: str = ""
    state: str = ""  # current, expired, revoked


def result_list(*, user, filters: ResultFilters | None = None) -> QuerySet[EvaluationResult]:
    f = filters or ResultFilters()
    qs = result_visible(user=user)
    for term in _terms(f.q):
        qs = qs.filter(Q(talent__name__icontains=term) | Q(evidence__icontains=term))
    if f.category:
        qs = qs.filter(category=f.category)
    if f.tier:
        qs = qs.filter(tier=f.tier)
    if f.region:
        qs = qs.filter(region__code__startswith=f.region)
    if f.source:
        qs = qs.filter(source=f.source)
    today = timezone.localdate()
    if f.state == "current":
        qs = qs.filter(revoked=False, valid_from__lte=today, valid_until__gte=today)
    elif f.state == "expired":
        qs = qs.filter(revoked=False, valid_until__lt=today)
    elif f.state == "revoked":
        qs = qs.filter(revoked=True)
    return qs.order_by("-valid_from", "talent__name", "id")


def result_get(*, user, pk: int) -> EvaluationResult:
    return result_visible(user=user).get(pk=pk)


@dataclass(frozen=True)
class CategoryRow:
    category: str
    label: str
    results: int  # results not revoked
    talents: int  # distinct talents holding them
    current: int  # valid today


@dataclass(frozen=True)
class ResultSummary:
    authorised_enterprises: int  # enterprises holding an authorisation (not revoked)
    self_evaluated_talents: int  # distinct talents whose evaluation was endorsed
    recommended_talents: int  # distinct talents recognised through 行业公荐
    talents: int  # distinct talents holding any result
    by_category: list[CategoryRow]


def result_summary(*, user, region: str = "") -> ResultSummary:
    """The figures of the results page, computed from the records the user sees."""
    authorisations = (
        authorisation_visible(user=user)
        .exclude(status=AuthorisationStatus.REVOKED)
        .filter(category__in=AUTHORISED_CATEGORIES)
    )
    results = result_visible(user=user).filter(revoked=False)
    if region:
        authorisations = authorisations.filter(region__code__startswith=region)
        results = results.filter(region__code__startswith=region)
    today = timezone.localdate()
    counts = {
        row["category"]: row
        for row in results.values("category").annotate(
            n=Count("id"),
            talents=Count("talent", distinct=True),
            current=Count("id", filter=Q(valid_from__lte=today, valid_until__gte=today)),
        )
    }
    by_category = [
        CategoryRow(
            category=c.value,
            label=str(c.label),
            results=counts.get(c.value, {}).get("n", 0),
            talents=counts.get(c.value, {}).get("talents", 0),
            current=counts.get(c.value, {}).get("current", 0),
        )
        for c in Category
    ]
    return ResultSummary(
        authorised_enterprises=authorisations.values("enterprise").distinct().count(),
        self_evaluated_talents=results.filter(source="evaluation")
        .values("talent")
        .distinct()
        .count(),
        recommended_talents=results.filter(category=Category.ASSOCIATION)
        .values("talent")
        .distinct()
        .count(),
        talents=results.values("talent").distinct().count(),
        by_category=by_category,
    )
