"""The appointments API: a round trip from the request to the 聘书 with exact decimal strings,
the same refusals as the pages (403, 404, 422), pagination and the figures per region."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from talentflow.accounts.services import api_token_create
from talentflow.programmes.models import Appointment, AppointmentStatus
from talentflow.programmes.tests.api_operations_appointments import OPERATIONS

pytestmark = pytest.mark.django_db

BASE = "/api/programmes"


@pytest.fixture(autouse=True)
def fresh_engine():
    from talentflow.matching import index

    index.default_index().reset()
    yield
    index.default_index().reset()


def today() -> dt.date:
    return timezone.localdate()


def _headers(user) -> dict:
    _token, key = api_token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, path: str, body: dict, user):
    return client.post(BASE + path, body, content_type="application/json", **_headers(user))


def _get(client, path: str, user, **params):
    return client.get(BASE + path, params, **_headers(user))


@pytest.fixture
def expert(cast):
    """A films expert of 杭电嘉善研究院 with an account (the engine's candidate for 福莱)."""
    from talentflow.tests.factories import (
        AffiliationFactory,
        MembershipFactory,
        TalentFactory,
        UserFactory,
    )

    user = UserFactory(username="lintubu", display_name="林涂布")
    MembershipFactory(user=user, role="talent")
    talent = TalentFactory(
        name="林涂布", user=user, expertise="薄膜涂布；功能膜材料；BOPP；涂布缺陷"
    )
    AffiliationFactory(talent=talent, organisation=cast.orgs["hdu_jiashan"], position="研究员")
    return talent


def _file(client, cast) -> dict:
    response = _post(
        client,
        "/requests",
        {
            "kind": "vice_president",
            "host": cast.orgs["fulai"].pk,
            "title": "功能膜材料科技副总",
            "description": "主持功能膜材料研发，解决BOPP薄膜涂布缺陷。",
            "field": "薄膜涂布 功能膜材料",
            "target_organisations": [cast.orgs["hdu_jiashan"].pk],
        },
        cast.enterprise_user,
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_the_operations_are_documented(client):
    schema = client.get("/api/openapi.json").json()
    documented = {
        (path, method)
        for path, ops in schema["paths"].items()
        if path.startswith("/api/programmes/") and not path.startswith("/api/programmes/training")
        for method in ops
    }
    assert documented == OPERATIONS


def test_round_trip_from_request_to_letter(client, cast, expert):
    filed = _file(client, cast)
    assert (filed["region"], filed["status"], filed["host"]) == (
        "330421",
        "open",
        cast.orgs["fulai"].pk,
    )
    assert filed["target_organisations"] == [cast.orgs["hdu_jiashan"].pk]
    rid = filed["id"]

    # The office sees the engine's candidates with reasons, and proposes one.
    candidates = _get(client, f"/requests/{rid}/candidates", cast.officer_jiashan)
    assert candidates.status_code == 200, candidates.content
    found = next(c for c in candidates.json() if c["talent"] == expert.pk)
    assert found["reasons"] and {"code", "score", "evidence"} <= set(found["reasons"][0])
    assert _get(client, f"/requests/{rid}/candidates", cast.enterprise_user).status_code == 403
    proposed = _post(
        client,
        f"/requests/{rid}/proposals",
        {"talent": expert.pk, "level": "city", "proposal_note": "薄膜涂布专家"},
        cast.officer_jiashan,
    )
    assert proposed.status_code == 201, proposed.content
    body = proposed.json()
    aid = body["id"]
    assert (body["status"], body["level"], body["employer"], body["annual_salary"]) == (
        "proposed",
        "city",
        cast.orgs["hdu_jiashan"].pk,
        None,
    )

    # The candidate sees accept/decline and accepts; the employer consents.
    mine = _get(client, f"/appointments/{aid}", expert.user)
    assert mine.json()["allowed_actions"] == ["accept", "decline"]
    accepted = _post(client, f"/appointments/{aid}/actions", {"action": "accept"}, expert.user)
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    consented = _post(
        client, f"/appointments/{aid}/actions", {"action": "consent"}, cast.institution_user
    )
    assert consented.status_code == 200 and consented.json()["status"] == "consented"

    # The host starts it: the salary comes back exactly as sent.
    started = _post(
        client,
        f"/appointments/{aid}/start",
        {
            "term_start": today().isoformat(),
            "term_end": (today() + dt.timedelta(days=3 * 365)).isoformat(),
            "duties": "指导功能膜研发。",
            "days_per_month": 4,
            "annual_salary": "450000.05",
        },
        cast.enterprise_user,
    )
    assert started.status_code == 200, started.content
    active = started.json()
    assert (active["status"], active["annual_salary"], active["days_per_month"]) == (
        "active",
        "450000.05",
        4,
    )
    assert active["letter_number"].startswith("330421-")
    assert set(active["allowed_actions"]) == {"end", "terminate"}
    assert _get(client, f"/requests/{rid}", cast.enterprise_user).json()["status"] == "filled"

    # Work log with an exact half day; the host's review.
    log = _post(
        client,
        f"/appointments/{aid}/logs",
        {"date": today().isoformat(), "kind": "visit", "days": "1.5", "summary": "现场指导。"},
        expert.user,
    )
    assert log.status_code == 201, log.content
    assert log.json()["days"] == "1.5"
    logs = _get(client, f"/appointments/{aid}/logs", cast.enterprise_user)
    assert [entry["days"] for entry in logs.json()] == ["1.5"]
    review = _post(
        client,
        f"/appointments/{aid}/reviews",
        {"period_start": today().isoformat(), "period_end": today().isoformat(), "rating": "good"},
        cast.enterprise_user,
    )
    assert review.status_code == 201 and review.json()["rating"] == "good"

    # The 聘书.
    letter = _get(client, f"/appointments/{aid}/letter.pdf", expert.user)
    assert letter.status_code == 200
    assert letter["Content-Type"] == "application/pdf" and letter.content.startswith(b"%PDF")

    # Renewal: a new appointment that renews this one.
    renewed = _post(
        client,
        f"/appointments/{aid}/renew",
        {"term_end": (today() + dt.timedelta(days=6 * 365)).isoformat()},
        cast.enterprise_user,
    )
    assert renewed.status_code == 201, renewed.content
    assert renewed.json()["renewed_from"] == aid
    assert renewed.json()["annual_salary"] == "450000.05"

    # The figures of 嘉善: one 科技副总 (the renewal continues it), in office.
    stats = _get(client, "/stats", cast.officer_jiashan)
    assert stats.status_code == 200
    [row] = stats.json()
    assert (row["region"], row["vice_presidents"], row["active"]) == ("330421", 1, 1)
    assert _get(client, "/stats", cast.enterprise_user).status_code == 403


def test_refusals_carry_their_reasons(client, cast, expert):
    rid = _file(client, cast)["id"]
    aid = _post(
        client, f"/requests/{rid}/proposals", {"talent": expert.pk}, cast.officer_jiashan
    ).json()["id"]
    # Declining needs a reason: 422 naming it, and nothing changes.
    declined = _post(client, f"/appointments/{aid}/actions", {"action": "decline"}, expert.user)
    assert declined.status_code == 422
    assert declined.json()["errors"]
    assert Appointment.objects.get(pk=aid).status == AppointmentStatus.PROPOSED
    unknown = _post(client, f"/appointments/{aid}/actions", {"action": "explode"}, expert.user)
    assert unknown.status_code == 422 and "action" in unknown.json()["errors"]
    # The host may not accept for the candidate; another region's officer does not see it.
    assert (
        _post(
            client, f"/appointments/{aid}/actions", {"action": "accept"}, cast.enterprise_user
        ).status_code
        == 403
    )
    assert _get(client, f"/appointments/{aid}", cast.officer_qingpu).status_code == 404
    assert _get(client, f"/requests/{rid}", cast.officer_qingpu).status_code == 404
    # Not started: no letter.
    assert _get(client, f"/appointments/{aid}/letter.pdf", expert.user).status_code == 404
    # Unknown references are 422 naming the field.
    bad = _post(
        client,
        "/requests",
        {
            "kind": "vice_president",
            "host": cast.orgs["fulai"].pk,
            "title": "x",
            "description": "y",
            "industry": "9999",
        },
        cast.enterprise_user,
    )
    assert bad.status_code == 422 and "industry" in bad.json()["errors"]
    # A malformed salary is refused before any service runs.
    assert (
        _post(
            client,
            f"/appointments/{aid}/start",
            {
                "term_start": today().isoformat(),
                "term_end": today().isoformat(),
                "duties": "x",
                "days_per_month": 4,
                "annual_salary": "4.5e5",
            },
            cast.enterprise_user,
        ).status_code
        == 422
    )
    client.logout()
    assert client.get(BASE + "/appointments").status_code == 401


def test_lists_are_paged_and_filtered(client, cast, expert):
    rid = _file(client, cast)["id"]
    _post(client, f"/requests/{rid}/proposals", {"talent": expert.pk}, cast.officer_jiashan)
    listed = _get(client, "/appointments", cast.officer_jiashan, page_size=1)
    assert listed.status_code == 200
    assert listed.json()["count"] == 1 and len(listed.json()["items"]) == 1
    assert listed.json()["items"][0]["appointee_name"] == "林涂布"
    assert _get(client, "/appointments", cast.officer_jiashan, status="active").json()["count"] == 0
    assert _get(client, "/appointments", cast.officer_jiashan, q="林涂").json()["count"] == 1
    assert _get(client, "/appointments", cast.enterprise_qingtian).json()["count"] == 0
    requests = _get(client, "/requests", cast.enterprise_user, kind="vice_president")
    assert requests.json()["count"] == 1
    assert _get(client, "/requests", cast.enterprise_user, kind="partner").json()["count"] == 0
