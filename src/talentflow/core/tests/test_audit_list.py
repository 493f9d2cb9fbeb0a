"""The audit trail page: scoped to the officer's regions, filterable, paginated, htmx-aware."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from talentflow.core.models import AuditEvent
from talentflow.core.selectors import AuditFilters, audit_list
from talentflow.directory.services import organisation_update
from talentflow.reference.models import Region

URL = reverse("core:audit_list")


@pytest.fixture
def events(cast):
    """One change in 嘉善 by its officer and one in 青田 by its officer."""
    organisation_update(
        actor=cast.officer_jiashan,
        organisation=cast.orgs["fulai"],
        data={"address": "嘉善大道1号"},
    )
    organisation_update(
        actor=cast.officer_qingtian,
        organisation=cast.orgs["xiafeng"],
        data={"address": "青田路8号"},
    )
    return cast


def page(client, user, **params):
    client.force_login(user)
    headers = {k: params.pop(k) for k in list(params) if k.startswith("HTTP_")}
    return client.get(URL, params, **headers)


def reprs(response) -> list[str]:
    return [e.object_repr for e in response.context["page_obj"].object_list]


def test_officer_sees_events_of_own_region_only(client, events):
    """嘉善's officer sees the 福莱 change, not 侠峰's in 青田 nor platform-wide events."""
    response = page(client, events.officer_jiashan)
    assert response.status_code == 200
    assert reprs(response) == ["浙江福莱新材料股份有限公司"]


def test_prefecture_officer_sees_events_of_its_counties(client, events):
    """丽水's officer governs 青田, so the 侠峰 change is in their trail."""
    assert "浙江侠峰精密压铸有限公司" in reprs(page(client, events.officer_lishui))


def test_admin_sees_every_event(client, events):
    """The administrator also sees the events without a region (reference loads, accounts)."""
    response = page(client, events.admin)
    names = reprs(response)
    assert "浙江福莱新材料股份有限公司" in names and "浙江侠峰精密压铸有限公司" in names
    assert response.context["page_obj"].paginator.count == AuditEvent.objects.count()


@pytest.mark.parametrize(
    "username",
    ["enterprise_user", "institution_user", "talent_user", "student_user", "provider_qingpu"],
)
def test_other_roles_are_refused(client, events, username):
    """Only officers and administrators read the trail: everyone else gets 403."""
    assert page(client, getattr(events, username)).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_row_shows_actor_action_and_changed_values(client, events):
    """A row names the actor, the action in words and the field's value before → after."""
    response = page(client, events.officer_jiashan, HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert "嘉善人才办" in content
    assert "Organisation changed" in content
    assert "嘉善大道1号" in content
    row = response.context["page_obj"].object_list[0]
    assert row.changed_fields == ["address"]


def test_filters_by_action_object_type_actor_and_text(client, events):
    """Each filter narrows the admin's trail to the matching events."""
    admin = events.admin
    assert reprs(page(client, admin, action="organisation.update", actor="qingtian")) == [
        "浙江侠峰精密压铸有限公司"
    ]
    assert reprs(page(client, admin, object_type="directory.organisation", q="福莱")) == [
        "浙江福莱新材料股份有限公司"
    ]
    assert set(reprs(page(client, admin, action="talent.create"))) == {"谭刚", "研究生甲"}
    assert reprs(page(client, admin, actor="嘉善人才办")) == ["浙江福莱新材料股份有限公司"]


def test_action_choices_are_only_those_the_user_can_see(client, events):
    """An officer cannot pick (or probe for) actions that only occur outside their scope."""
    form = page(client, events.officer_jiashan).context["form"]
    assert [value for value, _ in form.fields["action"].choices] == ["", "organisation.update"]
    response = page(client, events.officer_jiashan, action="reference.load")
    assert response.status_code == 200
    assert "action" in response.context["form"].errors


def test_date_filters_use_local_days(client, events):
    """date_from/date_to include whole days in the platform's time zone."""
    jiashan = Region.objects.get(code="330421")
    AuditEvent.objects.create(
        occurred_at=timezone.make_aware(dt.datetime(2024, 5, 1, 23, 30)),
        actor_label="system:test",
        action="talent.update",
        object_type="directory.talentprofile",
        object_id="0",
        object_repr="五月的人才",
        region=jiashan,
    )
    officer = events.officer_jiashan
    assert reprs(page(client, officer, date_from="2024-05-01", date_to="2024-05-01")) == [
        "五月的人才"
    ]
    assert reprs(page(client, officer, date_to="2024-04-30")) == []
    assert "五月的人才" not in reprs(page(client, officer, date_from="2024-05-02"))


def test_bad_dates_are_reported_not_fatal(client, events):
    """An end before the start is an error on the form; the list still renders."""
    response = page(client, events.admin, date_from="2024-05-02", date_to="2024-05-01")
    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors
    # The date picker gets ISO dates back whatever the page's language formats dates as.
    assert 'type="date" name="date_from" value="2024-05-02"' in response.content.decode()


def test_htmx_request_gets_only_the_results(client, events):
    """A filter change sent by htmx receives the results partial, not the whole page."""
    client.force_login(events.admin)
    response = client.get(URL, {"q": "福莱"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    content = response.content.decode()
    assert "<html" not in content and 'id="audit-table"' in content
    assert "HX-Request" in response["Vary"]
    full = client.get(URL, {"q": "福莱"})
    assert "<html" in full.content.decode() and 'id="audit-results"' in full.content.decode()


def test_pagination_keeps_the_filters(client, cast, settings):
    """Page links carry the current filters; page 2 holds the remainder."""
    jiashan = Region.objects.get(code="330421")
    for n in range(settings.TALENTFLOW_PAGE_SIZE + 3):
        AuditEvent.objects.create(
            actor_label="system:test",
            action="talent.update",
            object_type="directory.talentprofile",
            object_id=str(n),
            object_repr=f"批量{n}",
            region=jiashan,
        )
    first = page(client, cast.officer_jiashan, action="talent.update")
    assert len(first.context["page_obj"].object_list) == settings.TALENTFLOW_PAGE_SIZE
    assert "?action=talent.update&amp;page=2" in first.content.decode()
    second = page(client, cast.officer_jiashan, action="talent.update", page=2)
    assert len(second.context["page_obj"].object_list) == 3


def test_selector_selects_related_rows(django_assert_max_num_queries, events):
    """Listing a page of events costs a fixed number of queries, however many rows."""
    with django_assert_max_num_queries(3):
        rows = list(audit_list(user=events.admin, filters=AuditFilters())[:25])
        for row in rows:
            _ = (row.actor, row.region)
