"""Reads for the home pages and the audit trail.

Every figure on a home page is counted from the querysets the directory selectors return, so a
card never shows a number the same user could not reproduce by opening the list it links to.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from talentflow.accounts.models import Role
from talentflow.accounts.permissions import scope_for
from talentflow.core.audit_display import action_label, object_type_label
from talentflow.core.models import AuditEvent
from talentflow.directory import selectors as directory
from talentflow.directory.models import (
    Affiliation,
    AffiliationKind,
    Availability,
    Education,
    Organisation,
    Pool,
    TalentProfile,
)
from talentflow.reference.models import Alliance, Region, TitleLevel

# Audit trail -----------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    object_type: str = ""
    actor: str = ""
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    q: str = ""


def audit_visible(*, user) -> QuerySet[AuditEvent]:
    """Events an admin or officer may read: officers only those recorded for their regions.

    Events without a region (accounts, API tokens, reference loads) concern the platform as a
    whole and are for administrators only.
    """
    scope = scope_for(user)
    qs = AuditEvent.objects.all()
    if scope.is_admin:
        return qs
    if scope.is_officer:
        return qs.filter(scope.region_q("region"))
    return qs.none()


def _day_start(day: dt.date) -> dt.datetime:
    # Days are the reader's local (Asia/Shanghai) days; comparing on the indexed timestamp
    # instead of a __date transform keeps the index usable.
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_list(*, user, filters: AuditFilters | None = None) -> QuerySet[AuditEvent]:
    f = filters or AuditFilters()
    qs = audit_visible(user=user).select_related("actor", "region")
    if f.action:
        qs = qs.filter(action=f.action)
    if f.object_type:
        qs = qs.filter(object_type=f.object_type)
    if f.actor:
        qs = qs.filter(
            Q(actor_label__icontains=f.actor) | Q(actor__display_name__icontains=f.actor)
        )
    if f.date_from:
        qs = qs.filter(occurred_at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(occurred_at__lt=_day_start(f.date_to + dt.timedelta(days=1)))
    if f.q:
        qs = qs.filter(object_repr__icontains=f.q)
    return qs.order_by("-occurred_at", "-id")


def audit_filter_choices(*, user) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(action, label) and (object type, label) pairs that occur in the user's visible events."""
    visible = audit_visible(user=user).order_by()
    pairs = visible.values_list("action", "object_type").distinct()
    actions: dict[str, str] = {}
    types: dict[str, str] = {}
    for action, object_type in pairs:
        actions.setdefault(action, action_label(action, object_type))
        types.setdefault(object_type, object_type_label(object_type))
    return (
        sorted(actions.items(), key=lambda kv: kv[1]),
        sorted(types.items(), key=lambda kv: kv[1]),
    )


# Home: officers and administrators -------------------------------------------------------


@dataclass(frozen=True)
class Bucket:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class OfficerOverview:
    """What an officer (or administrator) can see, counted.

    ``*_local`` are the records tied to the governed regions; ``*_shared`` are those visible
    only because an alliance shares them (alliance pools, organisations shared with an
    alliance). For an administrator without a region both are None: everything is theirs.
    """

    regions: list[Region]
    alliances: list[Alliance]
    talents_total: int
    talents_home: int | None
    talents_local: int | None
    talents_shared: int | None
    organisations_total: int
    organisations_local: int | None
    organisations_shared: int | None
    pools_total: int
    by_availability: list[Bucket]
    by_title_level: list[Bucket]
    by_education: list[Bucket]

    @property
    def talents_tied(self) -> int | None:
        """Talents tied to the region whose home is elsewhere (an expert serving here)."""
        if self.talents_local is None or self.talents_home is None:
            return None
        return self.talents_local - self.talents_home

    def chart_data(self) -> dict[str, dict[str, list]]:
        return {
            key: {"labels": [b.label for b in buckets], "values": [b.count for b in buckets]}
            for key, buckets in (
                ("title_level", self.by_title_level),
                ("education", self.by_education),
            )
        }


def _buckets(
    qs: QuerySet, field_name: str, choices: Iterable[tuple[str, object]], empty_label: str
) -> list[Bucket]:
    counts = dict(qs.order_by().values_list(field_name).annotate(n=Count("pk")))
    buckets = [Bucket(str(key), str(label), counts.get(key, 0)) for key, label in choices]
    if counts.get(""):
        buckets.append(Bucket("", empty_label, counts[""]))
    return buckets


def officer_overview(*, user) -> OfficerOverview:
    scope = scope_for(user)
    talents = directory.talent_visible(user=user)
    organisations = directory.organisation_visible(user=user)
    talents_total = talents.count()
    organisations_total = organisations.count()
    talents_home = talents_local = talents_shared = None
    organisations_local = organisations_shared = None
    if scope.is_officer:
        # Whatever an officer sees beyond the talents tied to the region came through an alliance.
        tied = directory.talent_local(user=user).values("pk")
        talents_home = talents.filter(scope.region_q("home_region")).count()
        talents_local = talents.filter(pk__in=tied).count()
        talents_shared = talents_total - talents_local
        organisations_local = organisations.filter(scope.region_q("region")).count()
        organisations_shared = organisations_total - organisations_local
    regions = list(Region.objects.filter(code__in=scope.region_codes).order_by("code"))
    return OfficerOverview(
        regions=regions,
        alliances=list(directory.alliance_visible(user=user).order_by("code")),
        talents_total=talents_total,
        talents_home=talents_home,
        talents_local=talents_local,
        talents_shared=talents_shared,
        organisations_total=organisations_total,
        organisations_local=organisations_local,
        organisations_shared=organisations_shared,
        pools_total=directory.pool_visible(user=user).count(),
        by_availability=_buckets(talents, "availability", Availability.choices, _("Not stated")),
        by_title_level=_buckets(talents, "title_level", TitleLevel.choices, _("No title")),
        by_education=_buckets(talents, "education", Education.choices, _("Not stated")),
    )


# Home: users acting for an organisation --------------------------------------------------


@dataclass(frozen=True)
class OrganisationSummary:
    organisation: Organisation
    role: str
    role_label: str
    people_now: int
    by_kind: list[Bucket] = field(default_factory=list)


def _current_q() -> Q:
    # The same rule as Affiliation.is_current: open-ended, or ending today or later.
    return Q(end_date__isnull=True) | Q(end_date__gte=dt.date.today())


def organisation_summaries(*, user) -> list[OrganisationSummary]:
    """The organisations the user acts for, with how many people are affiliated today."""
    scope = scope_for(user)
    organisations = (
        directory.organisation_visible(user=user)
        .filter(pk__in=scope.organisation_ids)
        .select_related("region", "industry")
        .order_by("name", "id")
    )
    summaries = []
    for organisation in organisations:
        current = directory.organisation_affiliations(user=user, organisation=organisation).filter(
            _current_q()
        )
        kinds = dict(
            current.order_by().values_list("kind").annotate(n=Count("talent", distinct=True))
        )
        role = scope.organisation_roles.get(organisation.pk, "")
        summaries.append(
            OrganisationSummary(
                organisation=organisation,
                role=role,
                role_label=str(Role(role).label) if role in Role.values else role,
                people_now=current.values("talent").distinct().count(),
                by_kind=[
                    Bucket(key, str(label), kinds[key])
                    for key, label in AffiliationKind.choices
                    if kinds.get(key)
                ],
            )
        )
    return summaries


# Home: talents and graduate students -----------------------------------------------------


@dataclass(frozen=True)
class TalentSummary:
    profile: TalentProfile
    current_affiliations: list[Affiliation]
    pools: list[Pool]


def talent_summary(*, user) -> TalentSummary | None:
    scope = scope_for(user)
    if scope.talent_id is None:
        return None
    try:
        profile = directory.talent_get(user=user, pk=scope.talent_id)
    except TalentProfile.DoesNotExist:
        return None
    return TalentSummary(
        profile=profile,
        current_affiliations=[a for a in profile.affiliations.all() if a.is_current],
        pools=list(profile.pools.all()),
    )


@dataclass(frozen=True)
class FinanceOverview:
    """What a finance officer (财政) works on: applications waiting for finance's review or
    payout, and this year's budget of each policy of their regions."""

    regions: list[Region]
    to_review: int
    to_pay: int
    budgets: list[tuple[object, object]]  # (policy, BudgetFigures of this year)
    year: int


def finance_overview(*, user) -> FinanceOverview | None:
    from talentflow.rules import selectors as rules
    from talentflow.rules.models import ApplicationStatus

    scope = scope_for(user)
    if not scope.is_finance:
        return None
    year = timezone.localdate().year
    regions = list(
        Region.objects.filter(
            pk__in=user.memberships.filter(role=Role.FINANCE).values("region")
        ).order_by("code")
    )
    counts = dict(
        rules.application_visible(user=user)
        .filter(status__in=[ApplicationStatus.FINANCE_REVIEW, ApplicationStatus.APPROVED])
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    policies = [p for p in rules.policy_list(user=user) if scope.finances_region(p.region.code)]
    return FinanceOverview(
        regions=regions,
        to_review=counts.get(ApplicationStatus.FINANCE_REVIEW, 0),
        to_pay=counts.get(ApplicationStatus.APPROVED, 0),
        budgets=[(p, rules.budget_figures(p, year)) for p in policies],
        year=year,
    )
