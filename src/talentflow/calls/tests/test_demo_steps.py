"""The calls step after the demo's directory steps (users, named and generated organisations
and talents, roles) at a small scale: it draws on the generated 嘉善/青浦/吴江 talents and seats
the demo officers of the zone on the panels; the seed figures hold."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils.translation import gettext_lazy

from talentflow.calls.demo import JIASHAN, QINGPU, WUJIANG, calls_create
from talentflow.calls.models import ApplicationStatus, Call
from talentflow.core.models import DataSource
from talentflow.demo import logins
from talentflow.demo.context import Step
from talentflow.demo.loader import STEPS, demo_load

SMALL = 0.03
DIRECTORY = STEPS[: STEPS.index(next(s for s in STEPS if s.run is logins.memberships_create)) + 1]


@pytest.fixture(scope="module")
def _demo_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield demo_load(
                scale=SMALL, steps=[*DIRECTORY, Step(gettext_lazy("Calls"), calls_create)]
            )
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_module, db):
    return _demo_module


def test_seed_figures_with_generated_talents_and_officers_on_the_panel(demo):
    calls = {c.programme: c for c in Call.objects.all()}
    assert len(calls) == 3

    def selected(call):
        return list(call.applications.filter(status=ApplicationStatus.SELECTED))

    dongfang = next(c for p, c in calls.items() if "东方英才" in p)
    assert [a.home_region_id for a in selected(dongfang)] == [JIASHAN] * 13
    shuangchuang = next(c for p, c in calls.items() if "双创" in p)
    assert [a.home_region_id for a in selected(shuangchuang)] == [JIASHAN] * 2
    zhejiang = next(c for p, c in calls.items() if "浙江" in p)
    assert len(selected(zhejiang)) == 3
    assert {a.home_region_id for a in selected(zhejiang)} <= {QINGPU, WUJIANG}
    for call in calls.values():
        assert call.reviewers.filter(kind="officer").exists()
        assert all(a.talent.data_source == DataSource.GENERATED for a in call.applications.all())
    assert {r.user.username for r in dongfang.reviewers.filter(kind="officer")} >= {
        "officer_jiashan",
        "officer_qingpu",
    }
