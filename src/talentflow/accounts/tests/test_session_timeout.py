"""Idle sessions end: each request renews the session, and an idle one expires."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone


def _session(client) -> Session:
    return Session.objects.get(session_key=client.session.session_key)


def test_each_request_renews_the_idle_timeout(client, cast):
    client.force_login(cast.officer_jiashan)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() + dt.timedelta(seconds=60)
    )
    assert client.get(reverse("core:home")).status_code == 200
    remaining = _session(client).expire_date - timezone.now()
    assert remaining > dt.timedelta(seconds=settings.SESSION_COOKIE_AGE - 60)
    assert settings.SESSION_COOKIE_AGE == 30 * 60


def test_an_idle_session_has_expired(client, cast):
    """After 30 idle minutes the next page asks for the login again."""
    client.force_login(cast.officer_jiashan)
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )
    response = client.get(reverse("directory:talent_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
