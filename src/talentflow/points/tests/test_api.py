"""The points API: the same rules as the pages, exact decimals as text."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from talentflow.accounts.services import api_token_create
from talentflow.needs.tests.builders import SYSTEM
from talentflow.points import services
from talentflow.points.models import PointsEvent
from talentflow.reference.models import Region


def _auth(user) -> dict:
    _token, key = api_token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def recorded(cast, jiashan_scheme):
    return services.event_record(
        **SYSTEM,
        talent=cast.talents["tangang"],
        kind="students_mentored",
        region=Region.objects.get(code="330421"),
        occurred_on=dt.date(2025, 3, 1),
        quantity="2",
        evidence="备案表",
    )


def test_statement_over_the_api(client, cast, recorded):
    response = client.get(
        f"/api/points/talents/{cast.talents['tangang'].pk}/statement", **_auth(cast.talent_user)
    )
    body = response.json()
    assert response.status_code == 200
    assert body["total"] == "10.00"
    assert body["periods"] == [{"period": "2025", "points": "10.00", "entries": 1}]
    entry = body["entries"][0]
    assert (entry["version"], entry["kind"], entry["points"]) == (1, "credit", "10.00")
    assert entry["calculation"]["raw"] == "10.00"
    assert entry["calculation_text"].startswith("v1:")


def test_leaderboard_and_events(client, cast, recorded):
    auth = _auth(cast.officer_jiashan)
    board = client.get("/api/points/leaderboard?period=2025", **auth).json()
    assert board["items"][0]["name"] == "谭刚"
    assert board["items"][0]["points"] == "10.00"
    events = client.get("/api/points/events", **auth).json()
    assert events["count"] == 1 and events["items"][0]["points"] == "10.00"


def test_record_and_refuse_over_the_api(client, cast, jiashan_scheme):
    auth = _auth(cast.officer_jiashan)
    body = {
        "talent": cast.talents["tangang"].pk,
        "kind": "industry_service",
        "region": "330421",
        "occurred_on": "2025-05-01",
        "quantity": "4",
        "evidence": "服务台账",
    }
    response = client.post("/api/points/events", body, content_type="application/json", **auth)
    assert response.status_code == 201, response.content
    assert response.json()["points"] == "4.00"
    response = client.post(
        "/api/points/events", {**body, "quantity": "-3"}, content_type="application/json", **auth
    )
    assert response.status_code == 422
    assert PointsEvent.objects.count() == 1


def test_publish_over_the_api(client, cast, recorded, jiashan_scheme):
    draft = services.version_create(
        **SYSTEM, scheme=jiashan_scheme, effective_from=dt.date(2025, 1, 1)
    )
    auth = _auth(cast.officer_jiashan)
    preview = client.get(f"/api/points/versions/{draft.pk}/preview", **auth).json()
    assert preview["events"] == 1 and preview["changed_entries"] == 1
    response = client.post(f"/api/points/versions/{draft.pk}/publish", **auth)
    assert response.json()["entries_reversed"] == 1
    assert response.json()["version"]["status"] == "published"
    again = client.post(f"/api/points/versions/{draft.pk}/publish", **auth)
    assert again.status_code == 422


def test_sync_command_is_idempotent(cast, jiashan_scheme, closed_need):
    out = StringIO()
    call_command("points_sync", stdout=out)
    assert out.getvalue().startswith("4 new events")
    out = StringIO()
    call_command("points_sync", "--as", "officer_jiashan", stdout=out)
    assert out.getvalue().startswith(
        "0 new events; 0 voided (source no longer confirmed or verified); "
        "0 ledger entries added, 0 reversed"
    )
    out = StringIO()
    call_command("points_sync", "--recompute", "330421", stdout=out)
    assert "0 entries added, 0 reversed" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("points_sync", "--as", "tangang")
