"""The demo step of the calls on a small DemoContext (no earlier steps: it tops up the 嘉善,
青浦 and 吴江 talents it needs): the result pages show 13 嘉善 talents in 东方英才, 2 嘉善
projects in 双创计划 and 3 青浦/吴江 talents in the Zhejiang programme."""

from __future__ import annotations

import io

import pytest
from django.db import transaction

from talentflow.calls import selectors, services
from talentflow.calls.demo import JIASHAN, QINGPU, WUJIANG, calls_create
from talentflow.calls.models import ApplicationStatus, CallStatus
from talentflow.core.models import AuditEvent
from talentflow.demo.context import DemoContext
from talentflow.reference.models import Region
from talentflow.tests.factories import MembershipFactory, UserFactory


@pytest.fixture(scope="module")
def _demo_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            ctx = DemoContext(out=io.StringIO(), scale=0.01)
            created = calls_create(ctx)
            yield ctx, created
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_module, db):
    return _demo_module


def _zone_user():
    user = UserFactory(username="demo_test_officer_qingpu")
    MembershipFactory(user=user, role="officer", region=Region.objects.get(code=QINGPU))
    return user


def _selected_by_home(call) -> dict[str, int]:
    counts: dict[str, int] = {}
    for a in call.applications.filter(status=ApplicationStatus.SELECTED):
        counts[a.home_region_id] = counts.get(a.home_region_id, 0) + 1
    return counts


def test_three_calls_published_with_the_seed_figures(demo):
    ctx, created = demo
    calls = ctx.extra["calls"]
    assert created > 0
    for call in calls.values():
        call.refresh_from_db()
        assert call.status == CallStatus.PUBLISHED
        assert services.missing_scores(call) == []
        assert set(call.reviewers.values_list("region_id", flat=True)) == {
            JIASHAN,
            QINGPU,
            WUJIANG,
        }
    assert _selected_by_home(calls["dongfang"]) == {JIASHAN: 13}
    assert calls["dongfang"].region_id == QINGPU
    assert _selected_by_home(calls["shuangchuang"]) == {JIASHAN: 2}
    assert calls["shuangchuang"].kind == "project"
    assert calls["shuangchuang"].region_id == WUJIANG
    selected = _selected_by_home(calls["zhejiang"])
    assert sum(selected.values()) == 3 and set(selected) <= {QINGPU, WUJIANG}
    assert calls["zhejiang"].region_id == JIASHAN
    # Applicants came from all three regions to each call; written through the services.
    for call in calls.values():
        assert set(call.applications.values_list("home_region_id", flat=True)) == {
            JIASHAN,
            QINGPU,
            WUJIANG,
        }
    assert AuditEvent.objects.filter(action="call.publish", actor_label="system:demo").count() == 3


def test_result_pages_show_13_2_and_3(demo, client):
    ctx, _created = demo
    client.force_login(_zone_user())
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    expected = {"dongfang": (13, {JIASHAN: 13}), "shuangchuang": (2, {JIASHAN: 2})}
    for key, (n, by_region) in expected.items():
        call = ctx.extra["calls"][key]
        page = client.get(f"/calls/{call.pk}/results/").content.decode()
        assert f"{n} selected" in page
        for code, count in by_region.items():
            assert f'data-region="{code}"' in page
            assert f'<span class="selected-n">{count}</span>' in page
    zhejiang = ctx.extra["calls"]["zhejiang"]
    page = client.get(f"/calls/{zhejiang.pk}/results/").content.decode()
    assert "3 selected" in page and f'data-region="{JIASHAN}"' not in page
    rows = {r["code"]: r for r in selectors.region_stats(_zone_user_cached())}
    assert rows[JIASHAN]["selected_elsewhere"] == 15
    assert rows[QINGPU]["selected_elsewhere"] + rows[WUJIANG]["selected_elsewhere"] == 3


def _zone_user_cached():
    from talentflow.accounts.models import User

    return User.objects.get(username="demo_test_officer_qingpu")
