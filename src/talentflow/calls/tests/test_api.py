"""The /api/calls operations: a whole call through the API, and the refusals' statuses."""

from __future__ import annotations

import datetime as dt

import pytest

from talentflow.accounts.services import api_token_create
from talentflow.calls.models import Call
from talentflow.calls.tests.builders import JIASHAN, QINGPU, REGIONS, WUJIANG

pytestmark = pytest.mark.django_db


def _as(client, user):
    _token, key = api_token_create(actor=user, name="test")

    def call(method, url, body=None):
        kwargs = {"HTTP_AUTHORIZATION": f"Bearer {key}"}
        if method == "get":
            return client.get(url, **kwargs)
        return getattr(client, method)(
            url, data=body or {}, content_type="application/json", **kwargs
        )

    return call


def test_a_call_through_the_api(zone, client):
    office = _as(client, zone.officers[WUJIANG])
    today = dt.date.today()
    body = {
        "alliance": "yrd-demo-zone",
        "programme": "江苏省双创计划",
        "title": "吴江区双创计划申报",
        "kind": "talent",
        "period_start": today.isoformat(),
        "period_end": (today + dt.timedelta(days=10)).isoformat(),
        "quota": 1,
        "criteria": [
            {"name": "水平", "weight": 50, "max_score": "10"},
            {"name": "贡献", "weight": 40, "max_score": "10"},
        ],
    }
    response = office("post", "/api/calls", body)
    assert response.status_code == 422 and "sum to 90" in response.content.decode()
    body["criteria"][1]["weight"] = 50
    response = office("post", "/api/calls", body)
    assert response.status_code == 201, response.content
    call_id = response.json()["id"]
    assert response.json()["region"] == WUJIANG
    response = office(
        "put",
        f"/api/calls/{call_id}/panel",
        {"experts": [zone.experts[QINGPU].pk, zone.experts[WUJIANG].pk]},
    )
    assert response.status_code == 422 and "嘉善县" in response.json()["detail"]
    experts = [zone.experts[c].pk for c in REGIONS]
    assert office("put", f"/api/calls/{call_id}/panel", {"experts": experts}).status_code == 200
    # Another member's office may see the open call but not move it.
    other = _as(client, zone.officers[JIASHAN])
    assert office("post", f"/api/calls/{call_id}/actions/open").json()["status"] == "open"
    assert other("post", f"/api/calls/{call_id}/actions/start_review").status_code == 403
    for code in REGIONS:
        talent = zone.talents[code][0]
        response = _as(client, talent.user)(
            "post", f"/api/calls/{call_id}/applications", {"statement": "申报"}
        )
        assert response.status_code == 201 and response.json()["home_region"] == code
    assert office("post", f"/api/calls/{call_id}/actions/start_review").status_code == 200
    call = Call.objects.get(pk=call_id)
    criteria = [c.pk for c in call.criteria.all()]
    assert office("post", f"/api/calls/{call_id}/actions/publish").status_code == 422
    for code in REGIONS:
        reviewer = _as(client, zone.experts[code].user)
        for n, application in enumerate(call.applications.order_by("id")):
            response = reviewer(
                "post",
                f"/api/calls/applications/{application.pk}/scores",
                {"scores": {str(criteria[0]): str(5 + n), str(criteria[1]): "8"}},
            )
            assert response.status_code == 200, response.content
    assert office("post", f"/api/calls/{call_id}/actions/close").status_code == 200
    assert office("post", f"/api/calls/{call_id}/actions/publish").status_code == 200
    results = _as(client, zone.talents[JIASHAN][1].user)(
        "get", f"/api/calls/{call_id}/results"
    ).json()
    # 50·7/10 + 50·8/10 = 75 for the last applicant (吴江), the best.
    assert results == [
        {
            "rank": 1,
            "name": zone.talents[WUJIANG][0].name,
            "project_title": "",
            "home_region": WUJIANG,
            "home_region_name": "吴江区",
            "total": "75.00",
        }
    ]
    stats = {r["code"]: r for r in office("get", "/api/calls/stats").json()}
    assert stats[WUJIANG]["received"] == 3 and stats[WUJIANG]["selected_here"] == 1


def test_conflict_scoring_is_refused_over_the_api(zone, client):
    from talentflow.calls import services
    from talentflow.calls.tests.builders import SYSTEM, apply_all, open_call
    from talentflow.tests.factories import AffiliationFactory

    call = open_call(zone)
    applications = apply_all(zone, call)
    services.call_transition(**SYSTEM, call=call, action="start_review")
    expert = zone.experts[WUJIANG]
    AffiliationFactory(talent=expert, organisation=zone.enterprises[WUJIANG], kind="serving")
    mine = next(a for a in applications if a.home_region_id == WUJIANG)
    response = _as(client, expert.user)(
        "post",
        f"/api/calls/applications/{mine.pk}/scores",
        {"scores": {str(c.pk): "1" for c in call.criteria.all()}},
    )
    assert response.status_code == 403
    assert "Conflict of interest" in response.content.decode()
