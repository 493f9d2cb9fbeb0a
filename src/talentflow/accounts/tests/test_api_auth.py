"""The API's authentication: bearer tokens, the browser session with CSRF, and /api/me."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string

from talentflow.accounts.models import ApiToken
from talentflow.accounts.services import api_token_create, api_token_revoke
from talentflow.core.models import AuditEvent
from talentflow.tests.cast import CAST_ROLES

ME = "/api/me"
ORGANISATIONS = "/api/organisations"


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def organisation_body(region: str = "330421", name: str = "嘉善测试精密机械有限公司") -> dict:
    from talentflow.tests.factories import uscc_for

    return {"name": name, "kind": "enterprise", "region": region, "uscc": uscc_for(region, 4242)}


# Bearer tokens ----------------------------------------------------------------------------


def test_valid_token_authenticates_and_records_last_use(client, cast):
    """A valid key identifies its owner and stamps the token's last use."""
    token, key = api_token_create(actor=cast.officer_jiashan, name="integration")
    assert token.last_used_at is None
    response = client.get(ME, headers=bearer(key))
    assert response.status_code == 200
    assert response.json()["username"] == "officer_jiashan"
    token.refresh_from_db()
    assert token.last_used_at is not None
    assert timezone.now() - token.last_used_at < dt.timedelta(minutes=1)


def test_token_scheme_is_case_insensitive(client, cast):
    """'bearer' in lower case is the same scheme (RFC 7235)."""
    _token, key = api_token_create(actor=cast.officer_jiashan, name="integration")
    response = client.get(ME, headers={"Authorization": f"bearer {key}"})
    assert response.status_code == 200


@pytest.mark.parametrize(
    "header",
    [
        "Bearer tf_not-a-real-key",
        "Bearer ",
        "Token tf_not-a-real-key",
        "Basic b2ZmaWNlcjpwYXNzd29yZA==",
        "Bearer " + "x" * 500,
    ],
)
def test_wrong_token_is_401(client, cast, header):
    """An unknown key, a missing key or another scheme is refused with 401 JSON."""
    response = client.get(ME, headers={"Authorization": header})
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_revoked_token_is_401(client, cast):
    """A revoked token no longer opens the API."""
    token, key = api_token_create(actor=cast.officer_jiashan, name="integration")
    assert client.get(ME, headers=bearer(key)).status_code == 200
    api_token_revoke(actor=cast.officer_jiashan, token=token)
    assert client.get(ME, headers=bearer(key)).status_code == 401


def test_expired_token_is_401(client, cast):
    """A token past its expiry date is refused."""
    token, key = api_token_create(actor=cast.officer_jiashan, name="integration", valid_days=30)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(ME, headers=bearer(key)).status_code == 401


def test_token_of_inactive_user_is_401(client, cast):
    """Deactivating a user disables their tokens at once."""
    _token, key = api_token_create(actor=cast.officer_jiashan, name="integration")
    cast.officer_jiashan.is_active = False
    cast.officer_jiashan.save(update_fields=["is_active"])
    assert client.get(ME, headers=bearer(key)).status_code == 401


def test_token_post_needs_no_csrf(cast):
    """A bearer token is not a cookie: a POST with it needs no CSRF token."""
    _token, key = api_token_create(actor=cast.officer_jiashan, name="integration")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        ORGANISATIONS, organisation_body(), content_type="application/json", headers=bearer(key)
    )
    assert response.status_code == 201, response.content
    event = AuditEvent.objects.get(action="organisation.create", object_id=response.json()["id"])
    assert event.actor_id == cast.officer_jiashan.pk


def test_bad_token_is_not_rescued_by_a_session(cast):
    """A request that presents a bearer credential is judged by it alone: a wrong key is 401
    even when a signed-in session cookie rides along."""
    client = Client()
    client.force_login(cast.officer_jiashan)
    assert client.get(ME).status_code == 200
    response = client.get(ME, headers=bearer("tf_wrong"))
    assert response.status_code == 401


# The browser session ----------------------------------------------------------------------


def test_anonymous_is_401(client, cast):
    """Without a token or a session every endpoint answers 401, also for a POST."""
    assert client.get(ME).status_code == 401
    assert client.get(ORGANISATIONS).status_code == 401
    response = Client(enforce_csrf_checks=True).post(
        ORGANISATIONS, organisation_body(), content_type="application/json"
    )
    assert response.status_code == 401


def test_session_authenticates_reads(client, cast):
    """The web pages' scripts call the API with the signed-in session."""
    client.force_login(cast.enterprise_user)
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["username"] == "fulai"


def test_session_post_without_csrf_token_is_403(cast):
    """An unsafe method over the session needs the CSRF token, as any form does."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer_jiashan)
    response = client.post(ORGANISATIONS, organisation_body(), content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert not AuditEvent.objects.filter(action="organisation.create").exists()


def test_session_post_with_csrf_token_is_accepted(cast):
    """With the X-CSRFToken header from the csrftoken cookie the POST goes through."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.officer_jiashan)
    # What a page's {% csrf_token %} leaves behind: the cookie, echoed in the header.
    csrf = get_random_string(32)
    client.cookies[settings.CSRF_COOKIE_NAME] = csrf
    response = client.post(
        ORGANISATIONS,
        organisation_body(),
        content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )
    assert response.status_code == 201, response.content


# /api/me ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "role",
    list(CAST_ROLES),
)
def test_me_for_every_role(client, cast, role):
    """Every member of the cast can ask who they are, with a token as with a session."""
    user = getattr(cast, role)
    _token, key = api_token_create(actor=user, name="me")
    body = client.get(ME, headers=bearer(key)).json()
    assert body["id"] == user.pk
    assert body["username"] == user.username
    assert body["display_name"] == user.display_name


def test_me_officer(client, cast):
    """An officer sees their region, its alliance and what they may do."""
    client.force_login(cast.officer_jiashan)
    body = client.get(ME).json()
    assert body["roles"] == ["officer"]
    assert body["memberships"][0]["region"]["code"] == "330421"
    assert body["memberships"][0]["organisation"] is None
    assert body["scope"]["is_officer"] is True
    assert body["scope"]["region_codes"] == ["330421"]
    assert [a["code"] for a in body["scope"]["alliances"]] == ["yrd-demo-zone"]
    assert body["may"] == {
        "create_organisation": True,
        "create_talent": True,
        "import_data": True,
        "view_audit": True,
    }


def test_me_enterprise(client, cast):
    """An enterprise user acts for their organisation and may not register records."""
    client.force_login(cast.enterprise_user)
    body = client.get(ME).json()
    assert body["roles"] == ["enterprise"]
    assert body["memberships"][0]["organisation"]["id"] == cast.orgs["fulai"].pk
    assert body["scope"]["organisation_ids"] == [cast.orgs["fulai"].pk]
    assert body["scope"]["is_officer"] is False
    assert body["may"]["create_organisation"] is False
    assert body["may"]["create_talent"] is False


def test_me_talent(client, cast):
    """A talent's scope names their own profile."""
    client.force_login(cast.talent_user)
    body = client.get(ME).json()
    assert body["roles"] == ["talent"]
    assert body["scope"]["talent_id"] == cast.talents["tangang"].pk
    assert all(m["organisation"] is None and m["region"] is None for m in body["memberships"])
    assert body["scope"]["organisation_ids"] == []


def test_me_admin(client, cast):
    """The administrator's scope is everything."""
    client.force_login(cast.admin)
    body = client.get(ME).json()
    assert body["scope"]["is_admin"] is True
    assert body["may"]["create_organisation"] is True


# Errors in the caller's language ---------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_errors_follow_accept_language(client, cast, language):
    """Error responses are produced in the language the request asks for."""
    response = client.get(ME, headers={"Accept-Language": language})
    assert response.status_code == 401
    assert response["Content-Language"] == language
