"""Reads of the programme calls. Who sees what is decided here, once:

- the talent office of the calling region sees its calls in every state, with all applications
  and scores;
- everyone signed in who belongs to a member region of the call's alliance sees the call once
  it is open (criteria, panel, progress) and, once published, the result (selected names, home
  regions, totals);
- an applicant sees their own application; a panel member sees the applications of the calls
  they review (from the review on);
- platform administrators see everything.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from talentflow.accounts.permissions import scope_for
from talentflow.calls import permissions, workflow
from talentflow.calls.models import Application, ApplicationStatus, Call, CallStatus
from talentflow.reference.models import AllianceMember, Region


def _terms(q: str) -> list[str]:
    return q.replace("，", " ").replace(",", " ").split()


def _alliances_of(user) -> set[int]:
    prefixes, codes = permissions.user_regions(user)
    found = set()
    for alliance_id, code in AllianceMember.objects.values_list("alliance_id", "region_id"):
        if code in codes or any(code.startswith(p) for p in prefixes):
            found.add(alliance_id)
    return found


def call_visible(*, user) -> QuerySet[Call]:
    scope = scope_for(user)
    qs = Call.objects.select_related("region", "alliance", "created_by")
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(alliance_id__in=_alliances_of(user), status__in=workflow.PUBLIC)
    if scope.is_officer:
        q |= scope.region_q("region")
    q |= Q(reviewers__user_id=user.pk)
    if scope.talent_id is not None:
        q |= Q(reviewers__talent_id=scope.talent_id) | Q(applications__talent_id=scope.talent_id)
    return qs.filter(pk__in=Call.objects.filter(q).values("pk"))


@dataclass(frozen=True)
class CallFilters:
    q: str = ""
    status: str = ""
    kind: str = ""
    region: str = ""
    alliance: str = ""


def call_list(*, user, filters: CallFilters | None = None) -> QuerySet[Call]:
    f = filters or CallFilters()
    qs = call_visible(user=user)
    for term in _terms(f.q):
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(programme__icontains=term)
            | Q(description__icontains=term)
            | Q(region__name__icontains=term)
        )
    if f.status:
        qs = qs.filter(status=f.status)
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.region:
        qs = qs.filter(region__code__startswith=f.region)
    if f.alliance:
        qs = qs.filter(alliance__code=f.alliance)
    return qs.annotate(
        applied=Count("applications", distinct=True),
        selected=Count(
            "applications",
            filter=Q(applications__status=ApplicationStatus.SELECTED),
            distinct=True,
        ),
        panel=Count("reviewers", distinct=True),
    ).order_by("-period_start", "title", "id")


def call_get(*, user, pk: int) -> Call:
    return call_list(user=user).get(pk=pk)


def is_office(user, call: Call) -> bool:
    return permissions.governs(user, call.region_id)


def application_visible(*, user) -> QuerySet[Application]:
    scope = scope_for(user)
    qs = Application.objects.select_related(
        "call__region", "call__alliance", "talent", "home_region", "organisation"
    )
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(pk__in=[])
    if scope.is_officer:
        q |= scope.region_q("call__region")
    if scope.talent_id is not None:
        q |= Q(talent_id=scope.talent_id)
        q |= Q(
            call__reviewers__talent_id=scope.talent_id,
            call__status__in=(CallStatus.REVIEW, CallStatus.CLOSED, CallStatus.PUBLISHED),
        )
    q |= Q(
        call__reviewers__user_id=user.pk,
        call__status__in=(CallStatus.REVIEW, CallStatus.CLOSED, CallStatus.PUBLISHED),
    )
    return qs.filter(pk__in=Application.objects.filter(q).values("pk"))


def application_list(*, user, call: Call) -> QuerySet[Application]:
    return application_visible(user=user).filter(call=call).order_by("rank", "submitted_at", "id")


def application_get(*, user, pk: int) -> Application:
    return application_visible(user=user).get(pk=pk)


def results(*, user, call: Call) -> list[Application]:
    """The published result: the selected applications, best first (the office sees the
    ranking before publishing)."""
    if call.status != CallStatus.PUBLISHED and not (
        call.status == CallStatus.CLOSED and is_office(user, call)
    ):
        return []
    return list(
        Application.objects.filter(call=call, status=ApplicationStatus.SELECTED)
        .select_related("talent", "home_region", "organisation")
        .order_by("rank", "id")
    )


def results_by_region(selected: list[Application]) -> list[dict[str, Any]]:
    counts: dict[str, dict[str, Any]] = {}
    for a in selected:
        row = counts.setdefault(
            a.home_region_id, {"code": a.home_region_id, "name": a.home_region.name, "selected": 0}
        )
        row["selected"] += 1
    return sorted(counts.values(), key=lambda r: r["code"])


def progress(call: Call) -> dict[str, int]:
    """Score sheets expected (reviewer × application without a conflict) and done."""
    from talentflow.calls.services import expected_pairs, missing_scores

    expected = len(expected_pairs(call))
    missing = len(missing_scores(call))
    return {"expected": expected, "done": expected - missing, "missing": missing}


def region_stats(user, alliance_code: str | None = None) -> list[dict[str, Any]]:
    """Per member region of the alliances the user sees: applicants and selected by home
    region, applications received and selected by calling region, over the visible calls
    (the office's own calls in every state, the others once published)."""
    calls = call_visible(user=user)
    if alliance_code:
        calls = calls.filter(alliance__code=alliance_code)
    scope = scope_for(user)
    counted = calls.filter(
        Q(status=CallStatus.PUBLISHED)
        | (scope.region_q("region") if not scope.is_admin else Q(pk__isnull=False))
    )
    apps = Application.objects.filter(call__in=counted.values("pk"))
    codes = sorted(
        set(
            AllianceMember.objects.filter(alliance_id__in=calls.values("alliance_id")).values_list(
                "region_id", flat=True
            )
        )
    )
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    rows = []
    sel = Q(status=ApplicationStatus.SELECTED)
    for code in codes:
        rows.append(
            {
                "code": code,
                "name": names.get(code, code),
                "applicants": apps.filter(home_region_id=code).count(),
                "selected": apps.filter(sel, home_region_id=code).count(),
                "received": apps.filter(call__region_id=code).count(),
                "selected_here": apps.filter(sel, call__region_id=code).count(),
                "selected_elsewhere": apps.filter(sel, home_region_id=code)
                .exclude(call__region_id=code)
                .count(),
            }
        )
    return rows
