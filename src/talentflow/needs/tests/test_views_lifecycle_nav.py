"""The navigation to the needs and the notification bell, per role."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from talentflow.core.models import Notification
from talentflow.needs import services
from talentflow.needs.tests.builders import need_in_state
from talentflow.tests.cast import CAST_ROLES

OFFICES = {"admin", "officer_jiashan", "officer_qingpu", "officer_qingtian", "officer_lishui"}


@pytest.fixture(autouse=True)
def english(client):
    """The pages are asserted by their English msgids, whatever catalogue is compiled."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def nav(html: str) -> dict[str, str]:
    return {
        label: href
        for href, label in re.findall(r'<a class="nav-link[^"]*" href="([^"]+)">([^<]+)</a>', html)
    }


@pytest.mark.parametrize("role", CAST_ROLES)
def test_needs_and_outcomes_in_the_navigation(client, cast, role):
    """Everyone in the cast but finance reaches the needs; only offices see the outcome
    report."""
    client.force_login(getattr(cast, role))
    links = nav(client.get(reverse("core:home")).text)
    if role == "finance_jiashan":
        assert "Needs" not in links and "Outcomes" not in links
        return
    assert links.get("Needs") == reverse("needs:list")
    if role in OFFICES:
        assert links.get("Outcomes") == reverse("needs:outcome_report")
    else:
        assert "Outcomes" not in links


def test_needs_item_is_highlighted_on_the_needs_pages(client, cast):
    """The list page marks its navigation item as the current page."""
    client.force_login(cast.enterprise_user)
    html = client.get(reverse("needs:list")).text
    assert re.search(r'<a class="nav-link active" aria-current="page" href="/needs/">', html)


def test_bell_shows_the_unread_count(client, cast, django_capture_on_commit_callbacks):
    """A submitted need notifies the office: its bell shows one unread notification."""
    client.force_login(cast.officer_jiashan)
    html = client.get(reverse("core:home")).text
    assert f'href="{reverse("core:notifications")}" id="notification-bell"' in html
    assert 'id="notification-count"' not in html
    need = need_in_state(cast, "draft")
    with django_capture_on_commit_callbacks(execute=True):
        services.need_submit(actor=cast.enterprise_user, need=need)
    assert Notification.objects.filter(recipient=cast.officer_jiashan).count() == 1
    html = client.get(reverse("core:home")).text
    badge = re.search(r'id="notification-count">(\d+)<', html)
    assert badge and badge.group(1) == "1"


def test_no_bell_for_anonymous_visitors(client):
    """The login page has no bell."""
    html = client.get(reverse("accounts:login")).text
    assert "notification-bell" not in html
