"""The demo's policies and subsidies: computed by the engine, budgets computed from records."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.test import override_settings

from talentflow.demo.loader import STEPS, demo_load
from talentflow.demo.subsidies import subsidies_create
from talentflow.demo.tests.conftest import SMALL
from talentflow.rules import selectors
from talentflow.rules.models import Application, ApplicationStatus, Payout, Policy

D = Decimal


@pytest.fixture(scope="module")
def _demo_subsidies(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo up to and including this step (the later steps are other apps'), rolled
    back at the end of the module."""
    last = next(i for i, step in enumerate(STEPS) if step.run is subsidies_create)
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield demo_load(scale=SMALL, steps=STEPS[: last + 1])
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_subsidies, db):
    return _demo_subsidies


@pytest.mark.django_db
def test_demo_subsidies_are_computed_and_budgets_add_up(demo):
    vp = Policy.objects.get(code="vice_president_subsidy")
    base = Policy.objects.get(code="practice_base_subsidy")
    assert vp.region_id == base.region_id == "330421"
    tangang = Application.objects.get(policy=vp, talent__name="谭刚")
    assert tangang.applicant_organisation.name == "浙江福莱新材料股份有限公司"
    assert tangang.status == ApplicationStatus.PAID and tangang.amount == D("200000.00")
    assert "500,000.00 × 0.40 = 200,000.00" in tangang.explanation  # exactly the cap
    paid_bases = Application.objects.filter(policy=base, status=ApplicationStatus.PAID)
    names = set(paid_bases.values_list("applicant_organisation__name", flat=True))
    assert {"浙江中扬立库技术有限公司", "浙江万泰钢有限公司"} <= names
    for policy in (vp, base):
        figures = selectors.budget_figures(policy, 2026)
        paid = sum(p.amount for p in Payout.objects.filter(application__policy=policy))
        committed = sum(
            a.amount
            for a in Application.objects.filter(policy=policy, status=ApplicationStatus.APPROVED)
        )
        assert figures.paid == paid > 0 and figures.committed == committed
        assert figures.left == figures.budget - paid - committed >= 0
    # The 科技副总 beyond 谭刚 are generated researchers serving 嘉善 enterprises: a small-scale
    # load may have none; with six or more, every review state appears.
    vps = Application.objects.filter(policy=vp)
    if vps.count() >= 7:
        statuses = set(vps.values_list("status", flat=True))
        assert {"paid", "approved", "finance_review", "submitted", "returned"} <= statuses
    flags = Application.objects.filter(policy__code="joint_training_priority", granted=True)
    assert flags.filter(status=ApplicationStatus.APPROVED).count() >= 2
