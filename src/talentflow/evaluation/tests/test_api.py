"""The evaluation API: the same rules as the pages (quota, region, notice)."""

from __future__ import annotations

import datetime as dt

import pytest

from talentflow.accounts.services import api_token_create
from talentflow.evaluation import services
from talentflow.evaluation.tests.builders import authorise, evaluate, huangyan, recommend, today

pytestmark = pytest.mark.django_db


def _headers(user) -> dict:
    _token, key = api_token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def h(cast):
    return huangyan(cast)


def test_authorise_evaluate_submit_endorse(client, h):
    office, enterprise = _headers(h.officer), _headers(h.enterprise_user)
    created = client.post(
        "/api/evaluation/authorisations",
        {
            "enterprise": h.enterprise.pk,
            "scope": "模具岗位",
            "quota": 1,
            "period_start": today().isoformat(),
            "period_end": (today() + dt.timedelta(days=30)).isoformat(),
            "criteria_text": "贡献",
        },
        content_type="application/json",
        **office,
    )
    assert created.status_code == 201, created.content
    authorisation = created.json()
    assert (authorisation["region"], authorisation["left"]) == ("331003", 1)
    ids = []
    for talent in h.talents[:2]:
        response = client.post(
            "/api/evaluation/evaluations",
            {
                "authorisation": authorisation["id"],
                "talent": talent.pk,
                "evaluated_on": today().isoformat(),
                "role": "模具组长",
                "years_on_job": 29,
                "achievements": "专利",
                "proposed_tier": "E",
            },
            content_type="application/json",
            **enterprise,
        )
        assert response.status_code == 201, response.content
        ids.append(response.json()["id"])
    url = "/api/evaluation/evaluations/{}/actions/{}"
    first = client.post(
        url.format(ids[0], "submit"), {}, content_type="application/json", **enterprise
    )
    assert first.json()["status"] == "submitted"
    second = client.post(
        url.format(ids[1], "submit"), {}, content_type="application/json", **enterprise
    )
    assert second.status_code == 422
    assert "quota" in second.json()["detail"]
    endorsed = client.post(
        url.format(ids[0], "endorse"), {"tier": "D"}, content_type="application/json", **office
    )
    assert endorsed.json()["status"] == "endorsed"
    results = client.get("/api/evaluation/results", **office).json()
    assert [r["tier"] for r in results["items"]] == ["D"]


def test_other_region_cannot_endorse_over_the_api(client, h, cast):
    authorisation = authorise(h)
    evaluation = evaluate(h, authorisation, h.talents[0])
    services.evaluation_submit(actor=h.enterprise_user, evaluation=evaluation)
    response = client.post(
        f"/api/evaluation/evaluations/{evaluation.pk}/actions/endorse",
        {},
        content_type="application/json",
        **_headers(cast.officer_jiashan),
    )
    assert response.status_code == 404
    evaluation.refresh_from_db()
    assert evaluation.status == "submitted"


def test_notice_and_early_finalise_over_the_api(client, h):
    recommendation = recommend(h)
    office = _headers(h.officer)
    opened = client.post(
        f"/api/evaluation/recommendations/{recommendation.pk}/notice",
        {"notice_start": today().isoformat(), "notice_end": today().isoformat()},
        content_type="application/json",
        **office,
    )
    assert opened.json()["status"] == "notice"
    entry = opened.json()["entries"][0]["id"]
    objection = client.post(
        "/api/evaluation/objections",
        {"entry": entry, "reason": "不实"},
        content_type="application/json",
        **_headers(h.enterprise_user),
    )
    assert objection.status_code == 201
    early = client.post(
        f"/api/evaluation/recommendations/{recommendation.pk}/finalise",
        {},
        content_type="application/json",
        **office,
    )
    assert early.status_code == 422
