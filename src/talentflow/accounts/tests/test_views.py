"""Account pages: log-in with lockout, log-out, password change and API tokens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from talentflow.accounts.models import ApiToken
from talentflow.accounts.services import api_token_create
from talentflow.core.models import AuditEvent
from talentflow.tests.factories import TEST_PASSWORD

LOGIN = reverse("accounts:login")
TOKENS = reverse("accounts:token_list")


def login(client, username, password, **extra):
    headers = {k: extra.pop(k) for k in list(extra) if k.startswith("HTTP_")}
    return client.post(LOGIN, {"username": username, "password": password, **extra}, **headers)


# Log-in ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_login_page_renders_in_both_languages(client, db, language):
    """The log-in page is served in the visitor's language, Chinese by default."""
    response = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert f'<html lang="{language}">' in response.content.decode()
    assert 'name="username"' in response.content.decode()


def test_login_succeeds_and_goes_home(client, cast):
    response = login(client, "officer_jiashan", TEST_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")
    assert client.session[SESSION_KEY] == str(cast.officer_jiashan.pk)


def test_login_follows_a_local_next(client, cast):
    response = login(client, "officer_jiashan", TEST_PASSWORD, next=reverse("core:audit_list"))
    assert response["Location"] == reverse("core:audit_list")


def test_login_ignores_a_foreign_next(client, cast):
    """An attacker's ?next=https://evil.example/ must not become an open redirect."""
    response = login(client, "officer_jiashan", TEST_PASSWORD, next="https://evil.example/")
    assert response.status_code == 302
    assert response["Location"] == reverse("core:home")


def test_wrong_password_shows_the_error(client, cast):
    """A wrong password re-renders the form with the invalid-login error; no session."""
    response = login(client, "officer_jiashan", "wrong-password-1")
    assert response.status_code == 200
    form = response.context["form"]
    assert [e.code for e in form.non_field_errors().as_data()] == ["invalid_login"]
    assert form.non_field_errors()[0] in response.content.decode()
    assert SESSION_KEY not in client.session


def test_five_failures_lock_the_username_from_that_address(client, cast, settings):
    """After 5 failures the lockout page (429) shows the cool-off; even the right password fails."""
    assert settings.AXES_FAILURE_LIMIT == 5
    for attempt in range(1, 5):
        response = login(client, "officer_jiashan", f"wrong-{attempt}")
        assert response.status_code == 200, f"locked too early at attempt {attempt}"
    response = login(client, "officer_jiashan", "wrong-5", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "accounts/locked_out.html" in [t.name for t in response.templates]
    content = response.content.decode()
    assert 'id="locked-out"' in content
    assert "15 minutes" in content

    response = login(client, "officer_jiashan", TEST_PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_lockout_is_per_username(client, cast):
    """Failures for one username do not lock another user out from the same address."""
    for attempt in range(5):
        login(client, "officer_jiashan", f"wrong-{attempt}")
    response = login(client, "officer_qingpu", TEST_PASSWORD)
    assert response.status_code == 302


def test_logged_in_user_visiting_login_is_sent_home(client, cast):
    client.force_login(cast.officer_jiashan)
    assert client.get(LOGIN)["Location"] == reverse("core:home")


# Log-out ---------------------------------------------------------------------------------


def test_logout_is_post_only(client, cast):
    """A GET (a link, an image) cannot log anyone out; a POST does and goes to the log-in page."""
    client.force_login(cast.enterprise_user)
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert SESSION_KEY in client.session
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert response["Location"] == LOGIN
    assert SESSION_KEY not in client.session


# Password change -------------------------------------------------------------------------

PASSWORD_URL = reverse("accounts:password_change")


def change_password(client, new1, new2=None, old=TEST_PASSWORD):
    return client.post(
        PASSWORD_URL,
        {"old_password": old, "new_password1": new1, "new_password2": new2 or new1},
    )


def test_password_change_page_lists_the_rules(client, cast):
    client.force_login(cast.talent_user)
    response = client.get(PASSWORD_URL, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "at least 10 characters" in response.content.decode()


def test_password_without_digits_is_rejected_with_the_message(client, cast):
    """A new password of letters only fails the letters-and-digits rule, with its message."""
    client.force_login(cast.talent_user)
    response = change_password(client, "onlylettersherexyz")
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()["new_password2"]
    assert "password_character_classes" in [e.code for e in errors]
    with translation.override("zh-hans"):
        message = gettext("The password must contain both letters and digits.")
    assert message in response.content.decode()


@pytest.mark.parametrize(
    ("password", "code"),
    [("abc12345", "password_too_short"), ("1234567890123", "password_entirely_numeric")],
)
def test_password_rules_from_settings_apply(client, cast, password, code):
    client.force_login(cast.talent_user)
    response = change_password(client, password)
    codes = [e.code for e in response.context["form"].errors.as_data()["new_password2"]]
    assert code in codes


def test_password_change_succeeds_keeps_the_session_and_says_so(client, cast):
    client.force_login(cast.talent_user)
    response = client.post(
        PASSWORD_URL,
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "NewPassword2026x",
            "new_password2": "NewPassword2026x",
        },
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("core:home")
    assert "Your password has been changed." in response.content.decode()
    cast.talent_user.refresh_from_db()
    assert cast.talent_user.check_password("NewPassword2026x")
    assert client.get(reverse("core:home")).status_code == 200


def test_wrong_old_password_is_refused(client, cast):
    client.force_login(cast.talent_user)
    response = change_password(client, "NewPassword2026x", old="not-my-password1")
    assert "old_password" in response.context["form"].errors


# API tokens ------------------------------------------------------------------------------


def test_token_page_lists_own_tokens_only(client, cast):
    api_token_create(actor=cast.enterprise_user, name="ERP 对接")
    api_token_create(actor=cast.officer_jiashan, name="officer token")
    client.force_login(cast.enterprise_user)
    response = client.get(TOKENS)
    assert response.status_code == 200
    assert [t.name for t in response.context["tokens"]] == ["ERP 对接"]
    assert "officer token" not in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


def test_creating_a_token_shows_the_key_once(client, cast):
    """The POST response carries the key, a copy button and a curl example; later GETs do not."""
    client.force_login(cast.enterprise_user)
    response = client.post(TOKENS, {"name": "ERP", "valid_days": "90"})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("tf_")
    content = response.content.decode()
    assert content.count(key) == 2  # in the copy field and in the curl example
    assert f'curl -H "Authorization: Bearer {key}" http://testserver/api/organisations' in content
    assert "data-copy-target" in content
    token = ApiToken.objects.get(user=cast.enterprise_user)
    assert token.digest == ApiToken.digest_of(key) and token.prefix == key[:8]
    assert abs((token.expires_at - token.created_at) - dt.timedelta(days=90)) < dt.timedelta(
        minutes=1
    )
    assert key not in client.get(TOKENS).content.decode()


def test_token_form_errors_are_shown(client, cast):
    client.force_login(cast.enterprise_user)
    response = client.post(TOKENS, {"name": "  ", "valid_days": "9999"})
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"name", "valid_days"}
    assert not ApiToken.objects.exists()


def test_revoking_own_token(client, cast):
    """Revoke is a POST; the token stops being usable and the trail records it."""
    token, _key = api_token_create(actor=cast.enterprise_user, name="ERP")
    client.force_login(cast.enterprise_user)
    url = reverse("accounts:token_revoke", args=[token.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == TOKENS
    token.refresh_from_db()
    assert token.revoked_at is not None and not token.is_usable
    assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).exists()


def test_revoking_someone_elses_token_is_404(client, cast):
    token, _key = api_token_create(actor=cast.officer_jiashan, name="officer token")
    client.force_login(cast.enterprise_user)
    response = client.post(reverse("accounts:token_revoke", args=[token.pk]))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.mark.parametrize("url_name", ["accounts:token_list", "accounts:password_change"])
def test_account_pages_need_a_session(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)
