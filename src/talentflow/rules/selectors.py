"""Reads of the rules app: which policies and applications a user sees, budget figures, and
the what-if of a draft version."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from talentflow.accounts.models import Role
from talentflow.accounts.permissions import scope_for
from talentflow.rules import facts as fact_specs
from talentflow.rules import policy as engine
from talentflow.rules.models import (
    CURRENT_STATUSES,
    Application,
    ApplicationStatus,
    Payout,
    Policy,
    PolicyVersionRecord,
    PolicyYear,
    VersionStatus,
)

ZERO = Decimal("0.00")


# Policies and versions -------------------------------------------------------------------


def policy_list(*, user) -> QuerySet[Policy]:
    """Policies are public to every signed-in user: enterprises and talents apply under them."""
    if not scope_for(user).is_authenticated:
        return Policy.objects.none()
    return Policy.objects.select_related("region").order_by("region_id", "code")


def policy_get(*, user, pk: int) -> Policy:
    return policy_list(user=user).get(pk=pk)


def published_versions(policy: Policy) -> list[PolicyVersionRecord]:
    return list(
        policy.versions.filter(status=VersionStatus.PUBLISHED)
        .select_related("policy")
        .order_by("effective_from", "number")
    )


def version_in_force(policy: Policy, day) -> PolicyVersionRecord:
    """The published version in force on ``day``; PolicyError if none is."""
    records = published_versions(policy)
    chosen = engine.version_on([r.to_pure() for r in records], day)
    return next(r for r in records if r.number == chosen.version)


def current_version(policy: Policy) -> PolicyVersionRecord | None:
    records = published_versions(policy)
    return records[-1] if records else None


def draft_version(policy: Policy) -> PolicyVersionRecord | None:
    return policy.versions.filter(status=VersionStatus.DRAFT).select_related("policy").first()


def version_visible(*, user) -> QuerySet[PolicyVersionRecord]:
    """Published versions to everyone signed in; drafts to who manages the policy."""
    scope = scope_for(user)
    if not scope.is_authenticated:
        return PolicyVersionRecord.objects.none()
    qs = PolicyVersionRecord.objects.select_related("policy", "policy__region")
    if scope.is_admin:
        return qs
    return qs.filter(Q(status=VersionStatus.PUBLISHED) | scope.region_q("policy__region"))


# Applications ----------------------------------------------------------------------------


def application_visible(*, user) -> QuerySet[Application]:
    scope = scope_for(user)
    if not scope.is_authenticated:
        return Application.objects.none()
    qs = Application.objects.select_related(
        "policy", "policy__region", "applicant_organisation", "applicant_talent", "talent"
    )
    if scope.is_admin:
        return qs
    enterprise_ids = [
        oid for oid, role in scope.organisation_roles.items() if role == Role.ENTERPRISE
    ]
    q = scope.region_q("policy__region") | scope.finance_q("policy__region")
    q |= Q(applicant_organisation_id__in=enterprise_ids)
    if scope.talent_id is not None:
        q |= Q(applicant_talent_id=scope.talent_id)
    return qs.filter(q)


def application_get(*, user, pk: int) -> Application:
    return application_visible(user=user).get(pk=pk)


@dataclass(frozen=True)
class ApplicationFilters:
    q: str = ""
    policy: int | None = None
    status: str = ""
    year: int | None = None
    applicant: int | None = None  # an organisation id


def application_list(*, user, filters: ApplicationFilters | None = None) -> QuerySet[Application]:
    f = filters or ApplicationFilters()
    qs = application_visible(user=user)
    if f.q:
        qs = qs.filter(
            Q(applicant_organisation__name__icontains=f.q)
            | Q(applicant_talent__name__icontains=f.q)
            | Q(talent__name__icontains=f.q)
            | Q(policy__name__icontains=f.q)
        )
    if f.policy:
        qs = qs.filter(policy_id=f.policy)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.year:
        qs = qs.filter(year=f.year)
    if f.applicant:
        qs = qs.filter(applicant_organisation_id=f.applicant)
    return qs.order_by("-applied_on", "-id")


# Budgets ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class BudgetFigures:
    year: int
    budget: Decimal | None  # None: no budget set for the year
    committed: Decimal  # approved, not yet paid
    paid: Decimal
    in_review: Decimal  # submitted or at finance: not committed yet

    @property
    def left(self) -> Decimal | None:
        if self.budget is None:
            return None
        return self.budget - self.committed - self.paid


def _sum(qs, name: str) -> Decimal:
    # SQLite's SUM loses the scale of decimals (200000 for 200000.00): put the fen back.
    return (qs.aggregate(total=Sum(name))["total"] or ZERO).quantize(ZERO)


def budget_figures(policy: Policy, year: int) -> BudgetFigures:
    row = PolicyYear.objects.filter(policy=policy, year=year).first()
    apps = Application.objects.filter(policy=policy, year=year)
    return BudgetFigures(
        year=year,
        budget=row.budget if row is not None else None,
        committed=_sum(apps.filter(status=ApplicationStatus.APPROVED), "amount"),
        paid=_sum(Payout.objects.filter(application__policy=policy, year=year), "amount"),
        in_review=_sum(
            apps.filter(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.FINANCE_REVIEW]),
            "amount",
        ),
    )


def budgets(policy: Policy) -> list[BudgetFigures]:
    years = set(policy.years.values_list("year", flat=True))
    years |= set(
        policy.applications.exclude(status=ApplicationStatus.WITHDRAWN)
        .values_list("year", flat=True)
        .distinct()
    )
    return [budget_figures(policy, y) for y in sorted(years, reverse=True)]


# What-if ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WhatIfRow:
    application: Application
    now: Decimal
    draft: Decimal | None  # None: the draft cannot compute it (error says why)
    error: str = ""
    applies: bool = False  # the application's date is on or after the draft's start

    @property
    def difference(self) -> Decimal | None:
        return None if self.draft is None else self.draft - self.now


@dataclass(frozen=True)
class WhatIfBudget:
    year: int
    budget: Decimal | None
    committed_now: Decimal
    committed_draft: Decimal
    in_review_now: Decimal
    in_review_draft: Decimal
    paid: Decimal

    @property
    def left_now(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.committed_now - self.paid

    @property
    def left_draft(self) -> Decimal | None:
        return None if self.budget is None else self.budget - self.committed_draft - self.paid

    @property
    def committed_difference(self) -> Decimal:
        return self.committed_draft - self.committed_now


@dataclass
class WhatIf:
    rows: list[WhatIfRow] = field(default_factory=list)
    budgets: list[WhatIfBudget] = field(default_factory=list)
    total_now: Decimal = ZERO
    total_draft: Decimal = ZERO

    @property
    def total_difference(self) -> Decimal:
        return self.total_draft - self.total_now


def what_if(version: PolicyVersionRecord) -> WhatIf:
    """Every current application of the policy (not yet paid): its amount now and under the
    draft ``version`` with the same facts, and each year's budget now and under the draft
    (committed = approved applications; paid amounts are final and stay as they are)."""
    pure = version.to_pure()
    apps = list(
        Application.objects.filter(policy=version.policy_id, status__in=CURRENT_STATUSES)
        .select_related("applicant_organisation", "applicant_talent", "talent", "version")
        .order_by("year", "applied_on", "id")
    )
    result = WhatIf()
    per_year: dict[int, dict[str, Decimal]] = {}
    for app in apps:
        now = app.amount
        try:
            kinds = {**(app.version.fact_kinds if app.version else {}), **version.fact_kinds}
            draft = engine.compute(pure, fact_specs.for_engine(app.facts, kinds)).amount
            error = ""
        except engine.PolicyError as exc:
            draft, error = None, str(exc)
        result.rows.append(
            WhatIfRow(app, now, draft, error, applies=app.applied_on >= version.effective_from)
        )
        result.total_now += now
        result.total_draft += draft if draft is not None else now
        sums = per_year.setdefault(app.year, dict.fromkeys(("cn", "cd", "rn", "rd"), ZERO))
        under = draft if draft is not None else now
        if app.status == ApplicationStatus.APPROVED:
            sums["cn"] += now
            sums["cd"] += under
        elif app.status in (ApplicationStatus.SUBMITTED, ApplicationStatus.FINANCE_REVIEW):
            sums["rn"] += now
            sums["rd"] += under
    years = set(per_year) | set(version.policy.years.values_list("year", flat=True))
    for year in sorted(years, reverse=True):
        figures = budget_figures(version.policy, year)
        sums = per_year.get(year, dict.fromkeys(("cn", "cd", "rn", "rd"), ZERO))
        result.budgets.append(
            WhatIfBudget(
                year=year,
                budget=figures.budget,
                committed_now=sums["cn"],
                committed_draft=sums["cd"],
                in_review_now=sums["rn"],
                in_review_draft=sums["rd"],
                paid=figures.paid,
            )
        )
    return result
