"""The demo's evaluations: the article's figures (37 enterprises authorised, 108 talents
evaluated) counted by the selector the results page uses, at the small test scale; 梁建宇 and
蔡文军 recognised through a finished 行业公荐 public notice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction

from talentflow.accounts.models import User
from talentflow.calls import demo as calls_demo
from talentflow.credentials import demo as credentials_demo
from talentflow.demo import needs, points, programmes, subsidies
from talentflow.demo.loader import STEPS, demo_load
from talentflow.directory.models import TalentProfile
from talentflow.evaluation import selectors
from talentflow.evaluation.models import (
    Category,
    EnterpriseEvaluation,
    EvaluationStatus,
    ObjectionStatus,
    Recommendation,
    RecommendationStatus,
)
from talentflow.recognition import demo as recognition_demo

SMALL = 0.03
# The steps evaluations build on (directory records, users and roles) and the evaluations
# themselves: the other issues' steps are tested with the whole demo in demo/tests.
OTHER_STEPS = (
    needs.needs_create,
    subsidies.subsidies_create,
    points.points_create,
    programmes.programmes_create,
    recognition_demo.recognition_create,
    calls_demo.calls_create,
    credentials_demo.services_create,
)


@pytest.fixture(scope="module")
def _demo_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield demo_load(scale=SMALL, steps=[s for s in STEPS if s.run not in OTHER_STEPS])
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_module, db):
    return _demo_module


def officer():
    return User.objects.get(username="officer_huangyan")


def test_results_page_shows_37_enterprises_and_108_talents(demo, client):
    """S: 37 enterprises authorised to self-evaluate, 108 talents evaluated — computed."""
    summary = selectors.result_summary(user=officer())
    assert summary.authorised_enterprises == 37
    assert summary.self_evaluated_talents == 108
    row = next(r for r in summary.by_category if r.category == Category.EMPLOYER)
    assert row.talents == 108
    client.force_login(officer())
    page = client.get("/evaluation/results/").content.decode()
    assert 'id="authorised-enterprises">37<' in page
    assert 'id="evaluated-talents">108<' in page


def test_pending_and_returned_evaluations_exist_but_do_not_count(demo):
    qs = EnterpriseEvaluation.objects.filter(authorisation__region_id="331003")
    assert qs.filter(status=EvaluationStatus.SUBMITTED).count() == 2
    assert qs.filter(status=EvaluationStatus.ENDORSED).count() == 108
    assert qs.filter(times_returned__gt=0, status=EvaluationStatus.ENDORSED).exists()


def test_liang_jianyu_recognised_through_industry_recommendation(demo, client):
    """梁建宇 (no degree, 29 years on the job) and 蔡文军 hold 行业团体公荐 results after a
    finished 公示 whose objection about the degree was dismissed; his profile shows it."""
    recommendation = Recommendation.objects.get(association__name="黄岩区模具行业协会")
    assert recommendation.status == RecommendationStatus.FINAL
    objection = recommendation.entries.get(talent__name="梁建宇").objections.get()
    assert objection.status == ObjectionStatus.DISMISSED
    for name in ("梁建宇", "蔡文军"):
        talent = TalentProfile.objects.get(name=name)
        results = selectors.current_results(talent, on=dt.date(2026, 1, 1))
        assert [r.category for r in results] == [Category.ASSOCIATION]
    liang = TalentProfile.objects.get(name="梁建宇")
    assert liang.education != "bachelor"
    client.force_login(officer())
    page = client.get(liang.get_absolute_url()).content.decode()
    assert 'id="evaluation-results"' in page


def test_other_categories_have_results(demo):
    summary = selectors.result_summary(user=officer())
    counts = {r.category: r.results for r in summary.by_category}
    for category in (Category.AUTHORITY, Category.TOP_TALENT, Category.OTHER):
        assert counts[category] >= 1
    assert counts[Category.ASSOCIATION] == 2
