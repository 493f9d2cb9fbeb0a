"""The demo's needs: the article's figures, computed by the selectors the pages use, and
histories that went through the lifecycle the way real needs do.

The demo is loaded once for the module at a small scale (conftest.SMALL): the article's
figures must hold at any scale, so the small load is also the test that they do.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from talentflow.accounts.models import User
from talentflow.core.models import DataSource, Notification
from talentflow.demo.loader import database_counts, demo_load
from talentflow.demo.tests.conftest import SMALL
from talentflow.directory.models import Organisation, TalentProfile
from talentflow.needs import selectors, workflow
from talentflow.needs.models import (
    Engagement,
    EnterpriseVisit,
    Need,
    NeedEvent,
    Outcome,
    Proposal,
)

INSTITUTES = ("浙江理工大学青田研究院", "北京科技大学青田新材料研究院")


def user(username: str) -> User:
    return User.objects.get(username=username)


def org(name: str) -> Organisation:
    return Organisation.objects.get(name=name)


def enterprise_row(username: str, name: str):
    rows, _columns = selectors.outcome_report(user=user(username), by="enterprise")
    return next(r for r in rows if r.label == name)


# The article's figures -------------------------------------------------------------------


@pytest.mark.parametrize("username", ["officer_qingtian", "officer_lishui", "admin"])
def test_qingtian_institute_visited_78_enterprises_and_collected_54_needs(demo, username):
    """S30, S31: the visit summary of 浙江理工大学青田研究院 in 青田 shows 78 distinct enterprises
    (visited at least once each, some twice) and 54 needs collected on those visits."""
    summary = selectors.visit_summary(
        user=user(username), region="331121", visitor=org("浙江理工大学青田研究院").pk
    )
    assert summary.enterprises == 78
    assert summary.visits >= 78
    assert summary.needs == 54


def test_the_54_visit_needs_arrived_submitted_and_moved_on(demo):
    """Needs collected on visits start as submitted (source "visit"); most moved on to later
    stages, a few still wait for the talent office."""
    needs = Need.objects.filter(visit__visitor_organisation__name="浙江理工大学青田研究院")
    assert needs.count() == 54
    assert set(needs.values_list("source", flat=True)) == {"visit"}
    first = NeedEvent.objects.filter(need__in=needs, action="create")
    assert set(first.values_list("to_state", flat=True)) == {"submitted"}
    states = set(needs.values_list("state", flat=True))
    assert {"closed", "engaged", "published", "withdrawn", "submitted"} <= states


def test_xiafeng_three_problems_solved_by_bai_jingyuans_team(demo):
    """S26–S29, S37: three closed needs of 侠峰 with 白景元 as lead of a 丽水职业技术学院 team;
    confirmed outcomes +30 % corrosion life, 2 invention patents, −15 % energy; the first
    engagement's contract is the planned 1,000,000 yuan."""
    bai = TalentProfile.objects.get(name="白景元")
    solved = Need.objects.filter(
        enterprise__name="浙江侠峰精密压铸有限公司",
        state="closed",
        engagement__members__talent=bai,
        engagement__members__role="lead",
    )
    assert solved.count() == 3
    institutions = set(solved.values_list("engagement__institution__name", flat=True))
    assert institutions == {"丽水职业技术学院"}
    row = enterprise_row("officer_qingtian", "浙江侠峰精密压铸有限公司")
    assert row.needs == 3
    assert row.total("lifetime_change") == Decimal("30")
    assert row.total("invention_patent_granted") == Decimal("2")
    assert row.total("energy_reduction") == Decimal("15")
    first = Engagement.objects.filter(need__in=solved).order_by("signed_on").first()
    assert first.contract_amount == Decimal("1000000")
    assert first.signed_on >= dt.date(2025, 7, 1)  # he joined the college in July 2025
    assert first.need.source == "visit"
    assert first.need.visit.visitor_organisation.name == "青田县产业发展技能服务团"


def test_fulai_revenue_from_tan_gangs_team(demo):
    """S08: 谭刚 leads, with 2 graduate students and 杨晓明 as enterprise engineer; the closed
    need's confirmed revenue is more than 5,000,000 yuan."""
    row = enterprise_row("officer_jiashan", "浙江福莱新材料股份有限公司")
    assert row.total("revenue") >= Decimal("5000000")
    need = Need.objects.get(enterprise__name="浙江福莱新材料股份有限公司", title__contains="BOPP")
    assert need.state == "closed" and need.data_source == DataSource.ARTICLE
    revenue = need.outcomes.get(kind="revenue")
    assert (revenue.amount, revenue.qualifier, revenue.status) == (
        Decimal("5000000.00"),
        "more_than",
        "confirmed",
    )
    team = {(m.talent.name, m.role) for m in need.engagement.members.all()}
    assert ("谭刚", "lead") in team and ("杨晓明", "engineer") in team
    assert sum(1 for _name, role in team if role == "student") == 2


def test_wantai_output_value_and_students_retained(demo):
    """S05, S06: 万泰钢's rebar need is closed with 20,000,000 yuan new output value and 2
    graduate students retained, by a mentor-and-students team."""
    row = enterprise_row("officer_jiashan", "浙江万泰钢有限公司")
    assert row.total("output_value") == Decimal("20000000")
    assert row.total("students_retained") == Decimal("2")
    need = Need.objects.get(enterprise__name="浙江万泰钢有限公司")
    roles = sorted(need.engagement.members.values_list("role", flat=True))
    assert roles == ["engineer", "lead", "student", "student"]


def test_yongxin_castings_cost_400_yuan_less_per_tonne(demo):
    """S32: more than 400 yuan per tonne of castings, confirmed, by 北科大青田新材料研究院."""
    row = enterprise_row("officer_qingtian", "青田县永鑫阀门有限公司")
    assert row.total("unit_cost_reduction", "吨") == Decimal("400")
    outcome = Outcome.objects.get(need__enterprise__name="青田县永鑫阀门有限公司")
    assert (outcome.qualifier, outcome.status) == ("more_than", "confirmed")
    engagement = outcome.need.engagement
    assert engagement.institution.name == "北京科技大学青田新材料研究院"
    assert {"lead", "student", "engineer"} <= set(engagement.members.values_list("role", flat=True))


def test_zhongyang_and_ruixing_reached_verification_without_invented_figures(demo):
    """唐宁 with his 3 students finished 中扬立库's project; 张光's institute raised 瑞兴's pass
    rate "显著" — both verified, and no number the article does not give is recorded."""
    zhongyang = Need.objects.get(enterprise__name="浙江中扬立库技术有限公司")
    assert zhongyang.state == "verified"
    team = {(m.talent.name, m.role) for m in zhongyang.engagement.members.all()}
    assert team == {
        ("唐宁", "lead"),
        ("陈思远", "student"),
        ("许嘉怡", "student"),
        ("周子涵", "student"),
    }
    ruixing = Need.objects.get(enterprise__name="浙江瑞兴阀门有限公司")
    assert ruixing.state == "verified"
    assert ruixing.visit.visitor_organisation.name == "浙江理工大学青田研究院"
    assert ruixing.engagement.members.get(role="lead").talent.name == "张光"
    assert not ruixing.outcomes.exists() and not zhongyang.outcomes.exists()


@pytest.mark.parametrize("username", ["officer_qingtian", "officer_lishui", "admin"])
def test_the_two_qingtian_institutes_signed_15_projects_worth_over_10_million(demo, username):
    """S34, S35: the engagement report counts exactly 15 horizontal projects of the two
    institutes together, with contracts totalling more than 10,000,000 yuan."""
    rows = [
        r
        for r in selectors.engagement_report(user=user(username))
        if r["institution__name"] in INSTITUTES
    ]
    assert sum(r["engagements"] for r in rows) == 15
    assert sum(r["contract_total"] for r in rows) > Decimal("10000000")


@pytest.mark.parametrize("username", ["officer_qingtian", "admin"])
def test_related_enterprises_industrialisation_revenue_over_45_million(demo, username):
    """S36: confirmed revenue plus new output value of the needs the two institutes solved
    (the article's "产业化收入") total more than 45,000,000 yuan in the outcome report."""
    rows, _columns = selectors.outcome_report(user=user(username), by="institution")
    mine = [r for r in rows if r.label in INSTITUTES]
    assert len(mine) == 2
    total = sum(r.total("revenue") + r.total("output_value") for r in mine)
    assert total > Decimal("45000000")


# Histories -----------------------------------------------------------------------------------


def test_every_need_went_through_allowed_transitions(demo):
    """Each need's timeline starts with its creation as a draft (or, from a visit, submitted)
    and every state change is a transition of the workflow table from the state it was in;
    the last one is the need's state."""
    transitions = {str(t.action): t for t in workflow.TRANSITIONS.values()}
    for need in Need.objects.prefetch_related("events"):
        events = list(need.events.order_by("at", "id"))
        assert events[0].action == "create"
        state = events[0].to_state
        assert state == ("submitted" if need.visit_id else "draft"), need
        for event in events[1:]:
            if not event.to_state:
                continue  # proposals and outcome confirmations do not change the state
            t = transitions[event.action]
            assert event.from_state == state, (need, event.action)
            assert state in t.sources and event.to_state == t.target, (need, event.action)
            state = event.to_state
        assert state == need.state, need


def test_timelines_are_chronological_and_dates_consistent(demo):
    """Events were written in the order they are dated, none in the future; a need comes no
    earlier than its visit, proposals come before their deadline and after publication,
    engagements are signed on the selection day and outcomes confirmed before closing."""
    now = timezone.now()
    for need in Need.objects.select_related("visit").prefetch_related("events"):
        by_id = list(need.events.order_by("id"))
        ats = [e.at for e in by_id]
        assert ats == sorted(ats), need
        assert ats[-1] < now
        if need.visit_id:
            assert timezone.localdate(ats[0]) >= need.visit.visited_on
        published = [e.at for e in by_id if e.action == "publish"]
        for e in by_id:
            if e.action == "proposal.submit":
                assert published and e.at > published[0]
                assert timezone.localdate(e.at) <= need.proposals_due, need
        if need.state == "closed":
            close = next(e.at for e in by_id if e.action == "close")
            for outcome in need.outcomes.all():
                assert outcome.confirmed_at < close
    for engagement in Engagement.objects.select_related("need"):
        select = engagement.need.events.get(action="select").at
        assert engagement.signed_on == timezone.localdate(select)
        assert engagement.planned_end > engagement.signed_on
    assert not EnterpriseVisit.objects.filter(visited_on__gt=timezone.localdate()).exists()


def test_every_stage_has_content_for_lists_and_filters(demo):
    """Lists and filters have something to show: every state, overdue needs, needs shared
    with the alliance pools, declined proposals with coded reasons, a failed verification
    round kept with its findings, withdrawals and cancellations with reasons."""
    states = set(Need.objects.values_list("state", flat=True))
    assert states == set(workflow.State)
    overdue = selectors.need_list(user=user("admin"), filters=selectors.NeedFilters(overdue=True))
    assert overdue.exists()
    open_needs = Need.objects.filter(state="published")
    assert any(not n.is_overdue for n in open_needs)
    assert Need.objects.filter(target_pools__code="yrd-demo-zone").exists()
    assert Need.objects.filter(target_pools__code="lishui-1plus9").exists()
    declined = Proposal.objects.filter(state="declined")
    assert declined.exists() and not declined.filter(decline_reason="").exists()
    failed = Engagement.objects.filter(verification_rounds__passed=False)
    assert failed.exists()
    assert not failed.filter(verification_rounds__passed=False, verification_rounds__findings="")
    for action in ("withdraw", "cancel", "return"):
        events = NeedEvent.objects.filter(action=action)
        assert events.exists() and not events.filter(note="").exists(), action
    regions = set(Need.objects.values_list("region_id", flat=True))
    assert {"330421", "310118", "320509", "331003", "331121"} <= regions
    assert any(code.startswith("3311") and code != "331121" for code in regions)


def test_alliance_pools_carry_needs_across_regions(demo):
    """Needs aimed at an alliance pool are seen by the officers of the alliance's other
    regions; a 吴江 need shared with the 示范区 pool is solved from 嘉善, and a 松阳 need shared
    with the 丽水 1+9 pool by a researcher of 浙江理工大学青田研究院 answering in person."""
    shared = Need.objects.filter(state="published", target_pools__alliance__isnull=False)
    assert shared.filter(target_pools__code="yrd-demo-zone").exists()
    assert shared.filter(target_pools__code="lishui-1plus9").exists()
    for need in shared:
        if need.region_id.startswith("3311"):
            viewer = "officer_songyang" if need.region_id != "331124" else "officer_qingtian"
        else:
            viewer = "officer_wujiang" if need.region_id != "320509" else "officer_qingpu"
        assert selectors.need_visible(user=user(viewer)).filter(pk=need.pk).exists(), need
    assert Engagement.objects.filter(
        need__region_id="320509",
        need__target_pools__code="yrd-demo-zone",
        institution__region_id="330421",
    ).exists()
    songyang = Engagement.objects.filter(
        need__region_id="331124",
        need__target_pools__code="lishui-1plus9",
        institution__isnull=True,
        need__state="closed",
        members__role="lead",
        members__talent__affiliations__organisation__name="浙江理工大学青田研究院",
        members__talent__affiliations__end_date__isnull=True,
    )
    assert songyang.exists()


def test_records_are_labelled_article_or_generated(demo):
    """The article's cases are labelled as named in the article; every other need is
    generated; visits to generated enterprises are generated."""
    article = set(
        Need.objects.filter(data_source=DataSource.ARTICLE).values_list(
            "enterprise__name", flat=True
        )
    )
    assert article == {
        "浙江侠峰精密压铸有限公司",
        "浙江福莱新材料股份有限公司",
        "浙江万泰钢有限公司",
        "浙江中扬立库技术有限公司",
        "浙江瑞兴阀门有限公司",
        "青田县永鑫阀门有限公司",
        "浙江赛豪实业有限公司",
    }
    assert set(Need.objects.values_list("data_source", flat=True)) == {"article", "generated"}
    assert not EnterpriseVisit.objects.filter(
        enterprise__data_source=DataSource.GENERATED, data_source=DataSource.ARTICLE
    ).exists()
    assert not Need.objects.filter(
        data_source=DataSource.GENERATED,
        engagement__members__talent__data_source=DataSource.ARTICLE,
    ).exists()


def test_every_demo_write_is_audited_as_the_demo(demo):
    """Needs, visits, proposals, engagements and outcomes each have their creation event by
    system:demo, and the timeline names the demo as actor."""
    from talentflow.core.models import AuditEvent

    for model, action in (
        (Need, "need.create"),
        (EnterpriseVisit, "visit.create"),
        (Proposal, "proposal.submit"),
        (Engagement, "engagement.create"),
        (Outcome, "outcome.record"),
    ):
        events = AuditEvent.objects.filter(action=action, actor_label="system:demo")
        assert events.count() == model.objects.count(), action
    assert set(NeedEvent.objects.values_list("actor_label", flat=True)) == {"system:demo"}


def test_the_demo_users_inboxes_start_read(demo):
    """The replayed history notified the demo users, but their inboxes start read."""
    assert Notification.objects.exists()
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_loading_twice_adds_no_needs(demo):
    """A second load finds the demo and writes nothing: no needs, visits or outcomes."""
    before = database_counts()
    assert before["needs"] > 54 and before["visits"] >= 78
    again = demo_load(scale=SMALL)
    assert not again.loaded
    assert database_counts() == before
