"""The rules API: a whole application from creation to payout, the what-if and compute."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from talentflow.accounts.services import api_token_create
from talentflow.rules.tests.builders import seed, vp_application

pytestmark = pytest.mark.django_db


@pytest.fixture
def policies(cast):
    return seed()


def _auth(user) -> dict:
    _token, key = api_token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def test_an_application_from_creation_to_payout(client, cast, policies):
    policy = policies["vice_president_subsidy"]
    enterprise, office, finance = (
        _auth(cast.enterprise_user),
        _auth(cast.officer_jiashan),
        _auth(cast.finance_jiashan),
    )
    created = client.post(
        "/api/rules/applications",
        {
            "policy": policy.pk,
            "organisation": cast.orgs["fulai"].pk,
            "talent": cast.talents["tangang"].pk,
            "facts": {"appointed": True, "annual_salary": "0"},
        },
        content_type="application/json",
        **enterprise,
    )
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    base = f"/api/rules/applications/{app_id}"
    assert client.post(f"{base}/submit", **enterprise).status_code == 422  # no evidence yet
    upload = SimpleUploadedFile("聘任合同.pdf", b"%PDF-1.4", "application/pdf")
    assert client.post(f"{base}/evidence", {"file": upload}, **enterprise).status_code == 201
    submitted = client.post(f"{base}/submit", **enterprise).json()
    assert submitted["status"] == "submitted" and submitted["amount"] == "0.00"  # salary 0
    # Amend after a return: the office returns with a reason.
    returned = client.post(
        f"{base}/review",
        {"action": "office_return", "reason": "年薪为0，请核实"},
        content_type="application/json",
        **office,
    ).json()
    assert returned["status"] == "returned" and returned["return_reason"] == "年薪为0，请核实"
    patched = client.patch(
        base,
        {"facts": {"appointed": True, "annual_salary": "520000.00"}},
        content_type="application/json",
        **enterprise,
    )
    assert patched.status_code == 200
    submitted = client.post(f"{base}/submit", **enterprise).json()
    assert submitted["amount"] == "200000.00"
    assert "520,000.00 × 0.40 = 208,000.00" in submitted["explanation"]
    assert submitted["computation"]["version"] == 1
    # Finance may not approve before the office.
    wrong = client.post(
        f"{base}/review", {"action": "finance_approve"}, content_type="application/json", **finance
    )
    assert wrong.status_code == 422
    for headers, action in ((office, "office_approve"), (finance, "finance_approve")):
        response = client.post(
            f"{base}/review", {"action": action}, content_type="application/json", **headers
        )
        assert response.status_code == 200, response.content
    assert (
        client.post(f"{base}/payout", {}, content_type="application/json", **office).status_code
        == 403
    )
    paid = client.post(
        f"{base}/payout", {"reference": "JS-1"}, content_type="application/json", **finance
    )
    assert paid.status_code == 201 and paid.json()["amount"] == "200000.00"
    again = client.post(f"{base}/payout", {}, content_type="application/json", **finance)
    assert again.status_code == 422
    detail = client.get(base, **enterprise).json()
    assert detail["status"] == "paid" and detail["payout"]["reference"] == "JS-1"
    assert [e["action"] for e in detail["events"]] == [
        "create",
        "submit",
        "office_return",
        "submit",
        "office_approve",
        "finance_approve",
        "pay",
    ]
    budgets = client.get(f"/api/rules/policies/{policy.pk}", **finance).json()["budgets"]
    assert budgets[0] == {
        "year": 2026,
        "budget": "1000000.00",
        "in_review": "0.00",
        "committed": "0.00",
        "paid": "200000.00",
        "left": "800000.00",
    }


def test_draft_what_if_and_publish_over_the_api(client, cast, policies):
    policy = policies["vice_president_subsidy"]
    vp_application(cast, policy, salary="300000", state="approved")
    office = _auth(cast.officer_jiashan)
    draft = client.post(f"/api/rules/policies/{policy.pk}/versions", **office).json()
    url = f"/api/rules/versions/{draft['id']}"
    refused = client.patch(
        url, {"params": {"rate": "abc", "cap": "200000"}}, content_type="application/json", **office
    )
    assert refused.status_code == 422 and "rate" in refused.json()["errors"]
    client.patch(
        url,
        {"params": {"rate": "0.30", "cap": "200000"}, "effective_from": "2026-07-01"},
        content_type="application/json",
        **office,
    )
    whatif = client.get(f"{url}/what-if", **office).json()
    assert whatif["rows"][0]["now"] == "120000.00" and whatif["rows"][0]["draft"] == "90000.00"
    assert whatif["rows"][0]["difference"] == "-30000.00"
    assert whatif["budgets"][0]["left_now"] == "880000.00"
    assert whatif["budgets"][0]["left_draft"] == "910000.00"
    # Compute with the draft before publishing; with today's version after.
    computed = client.post(
        f"/api/rules/policies/{policy.pk}/compute",
        {"facts": {"appointed": True, "annual_salary": "500000"}, "version": draft["id"]},
        content_type="application/json",
        **office,
    ).json()
    assert computed["amount"] == "150000.00" and computed["version"] == 2
    published = client.post(f"{url}/publish", **office).json()
    assert published["status"] == "published"
    assert (
        client.patch(url, {"note": "x"}, content_type="application/json", **office).status_code
        == 422
    )
    on_the_day = client.post(
        f"/api/rules/policies/{policy.pk}/compute",
        {"facts": {"appointed": True, "annual_salary": "500000"}, "on": "2026-07-01"},
        content_type="application/json",
        **office,
    ).json()
    assert on_the_day["version"] == 2
    day_before = client.post(
        f"/api/rules/policies/{policy.pk}/compute",
        {"facts": {"appointed": True, "annual_salary": "500000"}, "on": "2026-06-30"},
        content_type="application/json",
        **office,
    ).json()
    assert day_before["version"] == 1 and day_before["amount"] == "200000.00"
