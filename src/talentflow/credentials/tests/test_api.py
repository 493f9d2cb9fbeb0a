"""The /api/credentials operations: my code, the signed lists, the catalogue, redemptions
(idempotent by UUID, limits, refusals as 422 with the reason)."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from talentflow.accounts.services import api_token_create
from talentflow.credentials import code as tcode
from talentflow.credentials import keys
from talentflow.credentials.lists import open_list
from talentflow.credentials.tests.builders import SERVICE_NAME, jiashan_result, qingpu_service

pytestmark = pytest.mark.django_db


def _headers(user) -> dict:
    _token, key = api_token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def english(settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def test_my_code(client, cast):
    url = reverse("api:credentials_my_code")
    assert client.get(url, **_headers(cast.talent_user)).status_code == 404
    jiashan_result(cast.officer_jiashan, cast.talents["tangang"], tier="D")
    data = client.get(url, **_headers(cast.talent_user)).json()
    assert data["tier"] == "D" and data["masked_name"] == "谭*" and data["iss"] == "330421"
    assert data["exp"] - data["iat"] == keys.code_seconds()
    verified = tcode.verify(data["text"], trust=keys.trust_list(), revoked=None, now=data["iat"])
    assert verified.ok
    assert client.get(url, **_headers(cast.enterprise_user)).status_code == 403


def test_signed_lists_over_the_api(client, cast):
    headers = _headers(cast.enterprise_user)
    trust = client.get(reverse("api:credentials_trust_list"), **headers).json()
    assert len(open_list(trust, keys.root_spki())["keys"]) == 3
    revocations = client.get(reverse("api:credentials_revocations") + "?since=0", **headers).json()
    assert open_list(revocations, keys.root_spki())["seq"] == 0


def test_service_list_filters(client, cast):
    qingpu_service(cast.officer_qingpu, cast.orgs["qingpu_apartment"])
    url = reverse("api:credentials_service_list")
    headers = _headers(cast.provider_qingpu)
    items = client.get(url, {"mine": "true"}, **headers).json()["items"]
    assert [i["name"] for i in items] == [SERVICE_NAME]
    assert items[0]["eligible_tiers"] == ["A", "B", "C", "D"] and items[0]["limit"] == "once"
    assert client.get(url, {"group": "medical"}, **headers).json()["count"] == 0
    other = _headers(cast.enterprise_user)
    assert client.get(url, {"mine": "true"}, **other).json()["count"] == 0


def test_redemptions_idempotent_and_once_only(client, cast, english):
    from talentflow.credentials import services

    jiashan_result(cast.officer_jiashan, cast.talents["tangang"], tier="C")
    service = qingpu_service(cast.officer_qingpu, cast.orgs["qingpu_apartment"])
    url = reverse("api:credentials_redemption_create")
    headers = _headers(cast.provider_qingpu)
    body = {
        "uuid": str(uuid.uuid4()),
        "service": service.pk,
        "code": services.code_issue(cast.talents["tangang"]).text,
        "redeemed_at": timezone.now().isoformat(),
    }
    first = client.post(url, body, content_type="application/json", **headers)
    assert first.status_code == 201, first.content
    assert first.json()["masked_name"] == "谭*"
    again = client.post(url, body, content_type="application/json", **headers)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    second = client.post(
        url, {**body, "uuid": str(uuid.uuid4())}, content_type="application/json", **headers
    )
    assert second.status_code == 422
    assert "once-only" in second.json()["errors"]["service"][0]
    listed = client.get(reverse("api:credentials_redemption_list"), **headers).json()
    assert listed["count"] == 1
    # The office of 青浦 sees its region's redemptions; 嘉善's does not.
    assert (
        client.get(
            reverse("api:credentials_redemption_list"), **_headers(cast.officer_qingpu)
        ).json()["count"]
        == 1
    )
    assert (
        client.get(
            reverse("api:credentials_redemption_list"), **_headers(cast.officer_jiashan)
        ).json()["count"]
        == 0
    )


def test_redemption_refusals(client, cast, english):
    from talentflow.credentials import services

    jiashan_result(cast.officer_jiashan, cast.talents["tangang"], tier="C")
    service = qingpu_service(cast.officer_qingpu, cast.orgs["qingpu_apartment"])
    url = reverse("api:credentials_redemption_create")
    headers = _headers(cast.provider_qingpu)
    issued = services.code_issue(
        cast.talents["tangang"], at=timezone.now() - dt.timedelta(minutes=5)
    )

    def post(**changes):
        body = {"uuid": str(uuid.uuid4()), "service": service.pk, "code": issued.text}
        return client.post(url, {**body, **changes}, content_type="application/json", **headers)

    expired = post()  # recorded now, after the code's expiry
    assert expired.status_code == 422 and "expired" in expired.json()["detail"]
    assert post(code="TF1:garbage").json()["errors"]["code"] == ["This is not a talent code."]
    future = post(redeemed_at=(timezone.now() + dt.timedelta(hours=1)).isoformat())
    assert future.status_code == 422
    assert post(service=999999).status_code == 422
    # Recorded while the code was valid, synced later: accepted.
    ok = post(redeemed_at=(issued.expires_at - dt.timedelta(seconds=10)).isoformat())
    assert ok.status_code == 201
    # Not a provider.
    assert (
        client.post(
            url,
            {"uuid": str(uuid.uuid4()), "service": service.pk, "code": issued.text},
            content_type="application/json",
            **_headers(cast.officer_qingpu),
        ).status_code
        == 403
    )
