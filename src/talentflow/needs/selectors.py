"""Reads of needs. Who sees which need is decided here, once.

- the enterprise sees all its needs, drafts included;
- the talent office of the need's region sees every need once submitted; officers of an
  alliance see published needs aimed at one of the alliance's pools;
- solvers (institutions, talents) see needs open for proposals that are aimed at them — open
  to all when no institution or pool is targeted, else the targeted institutions, their people,
  and the talents of the targeted pools, and talents invited to it — plus every need they
  proposed for or work on;
- platform administrators see everything.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.apps import apps
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum

from talentflow.accounts.models import Role
from talentflow.accounts.permissions import scope_for
from talentflow.directory.models import Affiliation
from talentflow.needs import workflow
from talentflow.needs.models import (
    Engagement,
    EngagementMember,
    EnterpriseVisit,
    Need,
    NeedEvent,
    Outcome,
    OutcomeStatus,
    Proposal,
    ProposalMember,
)

SOLVER_VISIBLE_STATES = ("published",)


def _targeted_at_nothing() -> Q:
    institutions = Need.target_institutions.through.objects.filter(need_id=OuterRef("pk"))
    pools = Need.target_pools.through.objects.filter(need_id=OuterRef("pk"))
    return ~Exists(institutions) & ~Exists(pools)


def need_visible(*, user) -> QuerySet[Need]:
    scope = scope_for(user)
    qs = Need.objects.all()
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(pk__in=[])
    if scope.organisation_ids:
        q |= Q(enterprise_id__in=scope.organisation_ids)
    if scope.is_officer:
        q |= scope.region_q("region") & ~Q(state=workflow.State.DRAFT)
        q |= Q(state__in=SOLVER_VISIBLE_STATES, target_pools__alliance_id__in=scope.alliance_ids)
    # Solvers (institutions and talents): what is open and aimed at them.
    institution_ids = [
        org for org, role in scope.organisation_roles.items() if role == Role.INSTITUTION
    ]
    if institution_ids or scope.talent_id is not None:
        aimed = _targeted_at_nothing()
        if institution_ids:
            aimed |= Q(target_institutions__in=institution_ids)
        if scope.talent_id is not None:
            aimed |= Q(target_pools__talents=scope.talent_id)
            current_employers = Affiliation.objects.filter(
                talent_id=scope.talent_id, end_date__isnull=True
            ).values("organisation_id")
            aimed |= Q(target_institutions__in=current_employers)
        q |= Q(state__in=SOLVER_VISIBLE_STATES) & aimed
    # Talents invited to propose (matching app) see the need they were invited to.
    if scope.talent_id is not None and apps.is_installed("talentflow.matching"):
        invitations = apps.get_model("matching", "Invitation").objects.filter(
            talent_id=scope.talent_id
        )
        q |= Q(state__in=SOLVER_VISIBLE_STATES, pk__in=invitations.values("need_id"))
    # Participants keep seeing what they took part in.
    mine = Q(author_id=scope.user_id)
    if scope.organisation_ids:
        mine |= Q(organisation_id__in=scope.organisation_ids)
    if scope.talent_id is not None:
        mine |= Q(members__talent_id=scope.talent_id)
    q |= Q(pk__in=Proposal.objects.filter(mine).values("need_id"))
    return qs.filter(pk__in=Need.objects.filter(q).values("pk"))


@dataclass(frozen=True)
class NeedFilters:
    q: str = ""
    stage: str = ""
    state: str = ""
    region: str = ""
    industry: str = ""
    overdue: bool = False
    enterprise: int | None = None
    source: str = ""
    visit: int | None = None
    open_only: bool = False  # open for proposals (the solvers' view)


def need_list(*, user, filters: NeedFilters | None = None) -> QuerySet[Need]:
    f = filters or NeedFilters()
    qs = need_visible(user=user)
    for term in f.q.replace("，", " ").replace(",", " ").split():
        qs = qs.filter(
            Q(title__icontains=term)
            | Q(summary__icontains=term)
            | Q(solver_brief__icontains=term)
            | Q(enterprise__name__icontains=term)
        )
    if f.stage:
        states = [s.value for s, stage in workflow.STAGE_OF.items() if stage.value == f.stage]
        qs = qs.filter(state__in=states)
    if f.state:
        qs = qs.filter(state=f.state)
    if f.region:
        prefix = (
            f.region[:2]
            if f.region.endswith("0000")
            else (f.region[:4] if f.region.endswith("00") else f.region)
        )
        qs = qs.filter(region__code__startswith=prefix)
    if f.industry:
        if f.industry.isalpha():
            qs = qs.filter(industry__section=f.industry.upper())
        else:
            qs = qs.filter(industry__code__startswith=f.industry)
    if f.overdue:
        qs = qs.filter(stage_due__lt=dt.date.today()).exclude(state__in=workflow.FINAL_STATES)
    if f.enterprise:
        qs = qs.filter(enterprise_id=f.enterprise)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.visit:
        qs = qs.filter(visit_id=f.visit)
    if f.open_only:
        qs = qs.filter(state=workflow.State.PUBLISHED)
    return qs.select_related("enterprise", "region", "industry").order_by("-updated_at", "-id")


def need_get(*, user, pk: int) -> Need:
    return (
        need_visible(user=user)
        .select_related("enterprise", "region", "industry", "visit", "created_by")
        .prefetch_related(
            "criteria",
            "disciplines",
            "target_institutions",
            "target_pools",
            "documents",
            "outcomes",
        )
        .get(pk=pk)
    )


def need_timeline(*, need: Need, user=None) -> QuerySet[NeedEvent]:
    """The need's events in order. The enterprise and its talent office read all of them;
    anyone else reads the need's own events and those of their own proposals only — other
    solvers' proposals and the reasons they were declined are not theirs to read."""
    from talentflow.needs.permissions import parties

    events = need.events.select_related("actor").order_by("at", "id")
    if user is None or parties(user, need) & {workflow.Party.ENTERPRISE, workflow.Party.OFFICER}:
        return events
    scope = scope_for(user)
    mine = Q(author_id=scope.user_id)
    if scope.organisation_ids:
        mine |= Q(organisation_id__in=scope.organisation_ids)
    if scope.talent_id is not None:
        mine |= Q(members__talent_id=scope.talent_id)
    own = Proposal.objects.filter(mine, need=need).values("pk")
    return events.filter(Q(proposal__isnull=True) | Q(proposal__in=own))


def proposals_visible(*, user, need: Need) -> QuerySet[Proposal]:
    """The enterprise and its talent office see every proposal; a solver sees their own: those
    they wrote, submitted for their institution, or are named on the team of."""
    from talentflow.needs.permissions import parties

    qs = need.proposals.select_related("author", "organisation").prefetch_related(
        Prefetch("members", queryset=ProposalMember.objects.select_related("talent")),
        "milestones",
    )
    if parties(user, need) & {workflow.Party.ENTERPRISE, workflow.Party.OFFICER}:
        return qs
    scope = scope_for(user)
    mine = Q(author_id=scope.user_id)
    if scope.organisation_ids:
        mine |= Q(organisation_id__in=scope.organisation_ids)
    if scope.talent_id is not None:
        mine |= Q(members__talent_id=scope.talent_id)
    return qs.filter(pk__in=need.proposals.filter(mine).values("pk"))


def engagement_get(*, need: Need) -> Engagement | None:
    return (
        Engagement.objects.filter(need=need)
        .select_related("institution", "proposal")
        .prefetch_related(
            Prefetch("members", queryset=EngagementMember.objects.select_related("talent")),
            "milestones",
            "verification_rounds__checks__criterion",
            "verification_rounds__checks__documents",
        )
        .first()
    )


# Reports ---------------------------------------------------------------------------------

OUTCOME_DIMENSIONS = ("region", "enterprise", "institution", "expert")


@dataclass(frozen=True)
class Aggregate:
    """One cell of the outcome report: the sum (amounts, counts, people) or the mean
    (percentages, savings per unit) of ``outcomes`` confirmed outcomes, and whether that
    figure is exact, a lower bound ("more_than") or approximate ("about")."""

    value: Decimal
    outcomes: int
    qualifier: str
    additive: bool


@dataclass
class OutcomeRow:
    key: str
    label: str
    cells: dict[tuple[str, str], Aggregate]  # (kind, unit_basis) -> aggregate
    needs: int

    @property
    def totals(self) -> dict[tuple[str, str], Decimal]:
        return {column: cell.value for column, cell in self.cells.items()}

    def total(self, kind: str, basis: str = "") -> Decimal:
        cell = self.cells.get((kind, basis))
        return cell.value if cell is not None else Decimal("0")


def outcome_report(
    *, user, by: str, filters: NeedFilters | None = None
) -> tuple[list[OutcomeRow], list[tuple[str, str]]]:
    """Confirmed outcomes per region, enterprise, institution or expert (each member of the
    engagement's team is credited with the whole outcome): amounts, counts and people summed,
    percentages and savings per unit averaged (``outcomes.ADDITIVE_KINDS``), each with its
    qualifier. Returns the rows and the (kind, basis) columns that occur, in kind order."""
    from talentflow.needs import outcomes as rules
    from talentflow.needs.models import OutcomeKind

    if by not in OUTCOME_DIMENSIONS:
        raise ValueError(by)
    needs = need_list(user=user, filters=filters).values("pk")
    outcomes = Outcome.objects.filter(need__in=needs, status=OutcomeStatus.CONFIRMED)
    if by == "region":
        key, label = "need__region__code", "need__region__name"
    elif by == "enterprise":
        key, label = "need__enterprise_id", "need__enterprise__name"
    elif by == "institution":
        key, label = "need__engagement__institution_id", "need__engagement__institution__name"
        outcomes = outcomes.filter(need__engagement__institution__isnull=False)
    else:
        key, label = (
            "need__engagement__members__talent_id",
            "need__engagement__members__talent__name",
        )
        outcomes = outcomes.filter(need__engagement__members__isnull=False)
    grouped = (
        outcomes.values(key, label, "kind", "unit_basis", "qualifier")
        .annotate(total=Sum("amount"), count=Count("pk"))
        .order_by()
    )
    labels: dict[str, str] = {}
    parts: dict[tuple[str, tuple[str, str]], list[dict]] = defaultdict(list)
    for g in grouped:
        k = str(g[key])
        labels.setdefault(k, g[label] or k)
        parts[(k, (g["kind"], g["unit_basis"]))].append(g)
    rows: dict[str, OutcomeRow] = {k: OutcomeRow(k, name, {}, 0) for k, name in labels.items()}
    columns: set[tuple[str, str]] = set()
    for (k, column), groups in parts.items():
        total = sum((Decimal(g["total"]) for g in groups), Decimal("0"))
        count = sum(g["count"] for g in groups)
        additive = column[0] in rules.ADDITIVE_KINDS
        value = total if additive else total / count
        rows[k].cells[column] = Aggregate(
            value=value.quantize(Decimal("0.01")),
            outcomes=count,
            qualifier=rules.combined_qualifier(g["qualifier"] for g in groups),
            additive=additive,
        )
        columns.add(column)
    need_sets: dict[str, set[int]] = defaultdict(set)
    for k, need_id in outcomes.values_list(key, "need_id").distinct():
        need_sets[str(k)].add(need_id)
    for k, row in rows.items():
        row.needs = len(need_sets[k])
    order = {value: i for i, value in enumerate(OutcomeKind.values)}
    ordered_columns = sorted(columns, key=lambda c: (order.get(c[0], 99), c[1]))
    return sorted(rows.values(), key=lambda r: r.label), ordered_columns


def visit_visible(*, user) -> QuerySet[EnterpriseVisit]:
    scope = scope_for(user)
    qs = EnterpriseVisit.objects.all()
    if scope.is_admin:
        return qs
    q = Q(pk__in=[])
    if scope.is_officer:
        q |= scope.region_q("region")
    if scope.organisation_ids:
        q |= Q(visitor_organisation_id__in=scope.organisation_ids)
    return qs.filter(q)


@dataclass(frozen=True)
class VisitSummary:
    visits: int
    enterprises: int
    needs: int


def visit_summary(*, user, region: str = "", visitor: int | None = None) -> VisitSummary:
    """Visits made, distinct enterprises visited, and needs collected on them."""
    visits = visit_visible(user=user)
    if region:
        visits = visits.filter(region__code__startswith=region)
    if visitor:
        visits = visits.filter(visitor_organisation_id=visitor)
    needs = Need.objects.filter(visit__in=visits.values("pk"))
    return VisitSummary(
        visits=visits.count(),
        enterprises=visits.values("enterprise_id").distinct().count(),
        needs=needs.count(),
    )


def engagement_report(*, user, filters: NeedFilters | None = None) -> list[dict]:
    """Engagements (横向项目) per institution: how many and their total contract amount."""
    needs = need_list(user=user, filters=filters).values("pk")
    return list(
        Engagement.objects.filter(need__in=needs, institution__isnull=False)
        .values("institution_id", "institution__name")
        .annotate(engagements=Count("pk"), contract_total=Sum("contract_amount"))
        .order_by("-contract_total", "institution__name")
    )
