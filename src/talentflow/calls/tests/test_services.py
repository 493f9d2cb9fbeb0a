"""The services of the calls: who may apply, the panel's regions, conflicts of interest,
closing, ranking and publishing, and who may move a call."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from talentflow.calls import selectors, services
from talentflow.calls.models import ApplicationStatus, CallStatus, Score
from talentflow.calls.tests.builders import (
    CRITERIA,
    JIASHAN,
    QINGPU,
    REGIONS,
    SYSTEM,
    WUJIANG,
    apply_all,
    draft_call,
    open_call,
    score_all,
)
from talentflow.core.models import AuditEvent
from talentflow.tests.factories import AffiliationFactory, TalentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_applicants_from_all_three_regions_can_apply(zone):
    call = open_call(zone)
    applications = apply_all(zone, call)
    assert sorted({a.home_region_id for a in applications}) == sorted(REGIONS)
    assert all(a.organisation == zone.enterprises[a.home_region_id] for a in applications)
    assert AuditEvent.objects.filter(action="application.create").count() == 6


def test_an_applicant_outside_the_member_regions_is_refused(zone):
    from talentflow.reference.models import Region

    call = open_call(zone)
    login = UserFactory(username="hangzhou_talent")
    outsider = TalentFactory(
        name="杭州人才", home_region=Region.objects.get(code="330106"), user=login
    )
    with pytest.raises(ValidationError, match="neither lives nor works"):
        services.application_create(actor=login, call=call, talent=outsider, statement="申报")
    # Working in a member region is enough: they apply as of that region.
    AffiliationFactory(talent=outsider, organisation=zone.enterprises[WUJIANG])
    application = services.application_create(
        actor=login, call=call, talent=outsider, statement="申报"
    )
    assert application.home_region_id == WUJIANG


def test_one_applies_only_for_oneself_and_only_while_open_and_in_period(zone):
    call = draft_call(zone)
    talent = zone.talents[JIASHAN][0]
    with pytest.raises(ValidationError, match="does not take applications"):
        services.application_create(actor=talent.user, call=call, talent=talent, statement="x")
    services.panel_set(**SYSTEM, call=call, talents=list(zone.experts.values()))
    services.call_transition(**SYSTEM, call=call, action="open")
    other = zone.talents[QINGPU][0]
    with pytest.raises(PermissionDenied):
        services.application_create(actor=talent.user, call=call, talent=other, statement="x")
    late = dt.datetime.combine(call.period_end + dt.timedelta(days=1), dt.time(10))
    with pytest.raises(ValidationError, match="Applications are taken from"):
        services.application_create(**SYSTEM, call=call, talent=talent, statement="x", at=late)
    services.application_create(actor=talent.user, call=call, talent=talent, statement="x")
    with pytest.raises(ValidationError, match="already applied"):
        services.application_create(actor=talent.user, call=call, talent=talent, statement="y")


def test_a_project_is_applied_for_with_the_applicants_enterprise(zone):
    call = open_call(zone, region=WUJIANG, kind="project")
    talent = zone.talents[JIASHAN][0]
    with pytest.raises(ValidationError, match="Name the project"):
        services.application_create(actor=talent.user, call=call, talent=talent, statement="x")
    with pytest.raises(ValidationError, match="does not work for"):
        services.application_create(
            actor=talent.user,
            call=call,
            talent=talent,
            statement="x",
            project_title="智能产线",
            organisation=zone.enterprises[QINGPU],
        )
    application = services.application_create(
        actor=talent.user,
        call=call,
        talent=talent,
        statement="x",
        project_title="智能产线",
        organisation=zone.enterprises[JIASHAN],
    )
    assert application.home_region_id == JIASHAN


@pytest.mark.parametrize("left_out", REGIONS)
def test_a_panel_without_every_member_region_is_refused(zone, left_out):
    call = draft_call(zone)
    experts = [e for code, e in zone.experts.items() if code != left_out]
    with pytest.raises(ValidationError, match="every member region") as error:
        services.panel_set(actor=zone.officers[QINGPU], call=call, talents=experts)
    from talentflow.reference.models import Region

    assert Region.objects.get(code=left_out).name in str(error.value)
    assert call.reviewers.count() == 0
    # Nor may the call open without a complete panel.
    with pytest.raises(ValidationError, match="Appoint the joint review panel"):
        services.call_transition(actor=zone.officers[QINGPU], call=call, action="open")


def test_a_panel_of_officers_and_experts_from_all_regions(zone):
    call = draft_call(zone)
    reviewers = services.panel_set(
        actor=zone.officers[QINGPU],
        call=call,
        users=[zone.officers[JIASHAN], zone.officers[QINGPU]],
        talents=[zone.experts[WUJIANG]],
    )
    assert sorted(r.region_id for r in reviewers) == sorted(REGIONS)
    assert {r.kind for r in reviewers} == {"officer", "expert"}


def test_criteria_weights_must_sum_to_100(zone):
    bad = [dict(c) for c in CRITERIA]
    bad[0]["weight"] = 50
    with pytest.raises(ValidationError, match="sum to 110"):
        services.call_create(
            actor=zone.officers[QINGPU],
            alliance=zone.alliance,
            programme="东方英才计划",
            title="x",
            kind="talent",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 2, 1),
            quota=1,
            criteria=bad,
        )


def test_scoring_an_application_of_ones_own_organisation_is_refused(zone):
    call = open_call(zone)
    applications = apply_all(zone, call)
    services.call_transition(**SYSTEM, call=call, action="start_review")
    # The 嘉善 expert joins the enterprise of the 嘉善 applicants: a conflict.
    expert = zone.experts[JIASHAN]
    AffiliationFactory(
        talent=expert,
        organisation=zone.enterprises[JIASHAN],
        kind="serving",
        start_date=dt.date(2019, 1, 1),
    )
    mine = next(a for a in applications if a.home_region_id == JIASHAN)
    criteria = list(call.criteria.all())
    with pytest.raises(PermissionDenied, match="Conflict of interest") as error:
        services.scores_record(
            actor=expert.user, application=mine, scores={c.pk: 5 for c in criteria}
        )
    assert zone.enterprises[JIASHAN].name in str(error.value)
    assert not Score.objects.filter(application=mine).exists()
    # Another region's application is theirs to score; the conflicted pairs are not expected.
    theirs = next(a for a in applications if a.home_region_id == QINGPU)
    services.scores_record(
        actor=expert.user, application=theirs, scores={c.pk: 5 for c in criteria}
    )
    pairs = services.expected_pairs(call)
    assert len(pairs) == 3 * 6 - 2


def test_a_score_must_lie_in_range_and_cover_every_criterion(zone):
    call = open_call(zone)
    application = apply_all(zone, call)[0]
    services.call_transition(**SYSTEM, call=call, action="start_review")
    expert = zone.experts[QINGPU]
    c = list(call.criteria.all())
    with pytest.raises(ValidationError, match="between 0 and 10"):
        services.scores_record(
            actor=expert.user, application=application, scores={c[0].pk: 11, c[1].pk: 1, c[2].pk: 1}
        )
    with pytest.raises(ValidationError, match="Score every criterion"):
        services.scores_record(actor=expert.user, application=application, scores={c[0].pk: 1})
    with pytest.raises(PermissionDenied):  # not on the panel
        services.scores_record(
            actor=zone.officers[QINGPU],
            application=application,
            scores={x.pk: 1 for x in c},
        )


def test_publishing_or_closing_before_every_score_is_in_is_refused(zone):
    call = open_call(zone)
    apply_all(zone, call)
    services.call_transition(**SYSTEM, call=call, action="start_review")
    officer = zone.officers[QINGPU]
    with pytest.raises(ValidationError, match="18 score sheets are missing"):
        services.call_transition(actor=officer, call=call, action="publish")
    with pytest.raises(ValidationError, match="missing"):
        services.call_transition(actor=officer, call=call, action="close")
    call.refresh_from_db()
    assert call.status == CallStatus.REVIEW


def test_close_ranks_selects_up_to_the_quota_and_publish_makes_it_public(zone):
    call = open_call(zone, quota=2)
    applications = apply_all(zone, call)
    services.call_transition(**SYSTEM, call=call, action="start_review")
    # 吴江 0 best (40 + 27 + 27 = 94); 青浦 0 and 嘉善 1 tie at 75 (36 + 18 + 21 and
    # 24 + 30 + 21): 青浦 0 applied later but is stronger on the heaviest criterion (40%).
    by = {a.talent.name: a for a in applications}
    sheets = {a.pk: [Decimal(5), Decimal(5), Decimal(10)] for a in applications}
    sheets[by["吴江区申报人0"].pk] = [Decimal(10), Decimal(9), Decimal(18)]
    sheets[by["青浦区申报人0"].pk] = [Decimal(9), Decimal(6), Decimal(14)]
    sheets[by["嘉善县申报人1"].pk] = [Decimal(6), Decimal(10), Decimal(14)]
    score_all(call, sheets)
    officer = zone.officers[QINGPU]
    with pytest.raises(ValidationError, match="not possible"):  # publish only after closing
        services.call_transition(actor=officer, call=call, action="publish")
    services.call_transition(actor=officer, call=call, action="close")
    ranked = list(call.applications.order_by("rank"))
    assert [a.talent.name for a in ranked[:3]] == [
        "吴江区申报人0",
        "青浦区申报人0",
        "嘉善县申报人1",
    ]
    assert ranked[0].total == Decimal("94.00")
    assert ranked[1].total == ranked[2].total == Decimal("75.00")
    assert [a.status for a in ranked[:3]] == [
        ApplicationStatus.SELECTED,
        ApplicationStatus.SELECTED,
        ApplicationStatus.NOT_SELECTED,
    ]
    # Not public before publishing: a 嘉善 talent sees no result yet.
    jiashan_user = zone.talents[JIASHAN][0].user
    assert selectors.results(user=jiashan_user, call=call) == []
    services.call_transition(actor=officer, call=call, action="publish")
    call.refresh_from_db()
    selected = selectors.results(user=jiashan_user, call=call)
    assert [a.talent.name for a in selected] == ["吴江区申报人0", "青浦区申报人0"]


@pytest.mark.parametrize("action", ["open", "start_review", "close", "publish", "cancel"])
def test_only_the_calls_office_moves_it(zone, action):
    """A 嘉善 officer, an applicant and a reviewer may not move 青浦's call."""
    call = open_call(zone) if action != "open" else draft_call(zone)
    if action == "open":
        services.panel_set(**SYSTEM, call=call, talents=list(zone.experts.values()))
    talent = zone.talents[JIASHAN][0]
    if call.status == CallStatus.OPEN:
        services.application_create(actor=talent.user, call=call, talent=talent, statement="x")
    if action in ("close", "publish"):
        services.call_transition(**SYSTEM, call=call, action="start_review")
        score_all(call)
    if action == "publish":
        services.call_transition(**SYSTEM, call=call, action="close")
    call.refresh_from_db()
    for outsider in (zone.officers[JIASHAN], talent.user, zone.experts[WUJIANG].user):
        with pytest.raises(PermissionDenied):
            services.call_transition(actor=outsider, call=call, action=action, reason="r")
    services.call_transition(actor=zone.officers[QINGPU], call=call, action=action, reason="r")


def test_only_the_office_of_a_member_region_drafts_a_call(zone, cast):
    with pytest.raises(PermissionDenied):
        services.call_create(
            actor=cast.officer_qingtian,
            alliance=zone.alliance,
            programme="x",
            title="x",
            kind="talent",
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 2, 1),
            quota=1,
            criteria=CRITERIA,
        )


def test_region_stats_count_by_home_and_by_calling_region(zone):
    call = open_call(zone, quota=6)
    apply_all(zone, call)
    services.call_transition(**SYSTEM, call=call, action="start_review")
    score_all(call)
    services.call_transition(**SYSTEM, call=call, action="close")
    services.call_transition(**SYSTEM, call=call, action="publish")
    rows = {r["code"]: r for r in selectors.region_stats(zone.officers[JIASHAN])}
    assert rows[JIASHAN]["applicants"] == 2 and rows[JIASHAN]["selected"] == 2
    assert rows[JIASHAN]["selected_elsewhere"] == 2
    assert rows[QINGPU]["received"] == 6 and rows[QINGPU]["selected_here"] == 6
    assert rows[QINGPU]["selected_elsewhere"] == 0
