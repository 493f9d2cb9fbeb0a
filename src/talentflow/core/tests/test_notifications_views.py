"""The notifications page: the recipient's own notifications, newest first, rendered in the
reader's language, unread highlighted, paginated, and marked read one by one or all at once."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from talentflow.core.models import Notification
from talentflow.core.notifications import notify, register

LIST = reverse("core:notifications")
READ = reverse("core:notifications_read")

register("test.hello", gettext_lazy("Proposal for “%(need)s” arrived."))


@pytest.fixture
def en(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def send(user, need: str, *, url: str = "/needs/1/", minutes_ago: int = 0) -> Notification:
    (row,) = notify(recipients=[user], kind="test.hello", params={"need": need}, url=url)
    if minutes_ago:
        row.created_at = timezone.now() - dt.timedelta(minutes=minutes_ago)
        row.save(update_fields=["created_at"])
    return row


def test_login_required(client):
    assert client.get(LIST).status_code == 302


def test_lists_only_the_recipients_notifications_newest_first(en, cast):
    """The recipient sees theirs, rendered, newest first; another user sees none of them."""
    send(cast.enterprise_user, "旧需求", minutes_ago=30)
    send(cast.enterprise_user, "新需求")
    send(cast.officer_jiashan, "别人的需求")
    en.force_login(cast.enterprise_user)
    html = en.get(LIST).content.decode()
    assert "Proposal for “新需求” arrived." in html
    assert html.index("新需求") < html.index("旧需求")
    assert "别人的需求" not in html
    en.force_login(cast.admin)
    html = en.get(LIST).content.decode()
    assert "新需求" not in html and "No notifications yet." in html


def test_unread_highlighted_and_linked(en, cast):
    row = send(cast.enterprise_user, "需求甲", url="/needs/42/")
    en.force_login(cast.enterprise_user)
    html = en.get(LIST).content.decode()
    assert f'id="notification-{row.pk}"' in html
    assert 'data-unread="yes"' in html and 'href="/needs/42/"' in html
    assert "1 unread" in html


def test_foreign_link_is_not_rendered(en, cast):
    """A notification URL that leaves the site is shown as text, never as a link."""
    send(cast.enterprise_user, "外链", url="https://evil.example/x")
    en.force_login(cast.enterprise_user)
    html = en.get(LIST).content.decode()
    assert "evil.example" not in html and "外链" in html


def test_mark_one_read(en, cast):
    first = send(cast.enterprise_user, "甲")
    second = send(cast.enterprise_user, "乙")
    en.force_login(cast.enterprise_user)
    response = en.post(READ, {"id": first.pk, "next": LIST + "?page=1"})
    assert response.status_code == 302 and response["Location"] == LIST + "?page=1"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


def test_mark_all_read(en, cast):
    rows = [send(cast.enterprise_user, f"需求{i}") for i in range(3)]
    other = send(cast.officer_jiashan, "别人的")
    en.force_login(cast.enterprise_user)
    response = en.post(READ, {"all": "1"})
    assert response["Location"] == LIST
    assert all(Notification.objects.get(pk=r.pk).read_at is not None for r in rows)
    other.refresh_from_db()
    assert other.read_at is None
    html = en.get(LIST).content.decode()
    assert 'data-unread="yes"' not in html and "Mark all read" not in html


def test_cannot_mark_someone_elses_notification(en, cast):
    other = send(cast.officer_jiashan, "别人的")
    en.force_login(cast.enterprise_user)
    en.post(READ, {"id": other.pk})
    other.refresh_from_db()
    assert other.read_at is None


def test_read_is_post_only_and_next_must_stay_on_site(en, cast):
    en.force_login(cast.enterprise_user)
    assert en.get(READ).status_code == 405
    response = en.post(READ, {"all": "1", "next": "https://evil.example/"})
    assert response["Location"] == LIST


def test_unread_filter(en, cast):
    read = send(cast.enterprise_user, "已读的")
    send(cast.enterprise_user, "未读的")
    Notification.objects.filter(pk=read.pk).update(read_at=timezone.now())
    en.force_login(cast.enterprise_user)
    html = en.get(LIST, {"unread": "1"}).content.decode()
    assert "未读的" in html and "已读的" not in html


def test_paginated(en, cast, settings):
    settings.TALENTFLOW_PAGE_SIZE = 2
    for i in range(5):
        send(cast.enterprise_user, f"第{i}条", minutes_ago=10 - i)
    en.force_login(cast.enterprise_user)
    first = en.get(LIST).content.decode()
    assert "第4条" in first and "第3条" in first and "第2条" not in first
    third = en.get(LIST, {"page": 3}).content.decode()
    assert "第0条" in third and "第4条" not in third


def test_rendered_in_the_readers_language(client, cast):
    """A need notification sent by the services reads in the reader's language (here the
    message of a real kind, in English)."""
    import talentflow.needs.services  # noqa: F401 - registers the need kinds

    notify(
        recipients=[cast.enterprise_user],
        kind="need.published",
        params={"need": "BOPP 涂布", "enterprise": "福莱"},
        url="/needs/1/",
    )
    client.force_login(cast.enterprise_user)
    html = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The need “BOPP 涂布” is open for proposals." in html
