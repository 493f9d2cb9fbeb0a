"""Corrections (voiding an event: reversal entries, never edits) and the talent's
notifications of new and voided points."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentflow.core.models import AuditEvent, Notification
from talentflow.needs.models import Outcome, OutcomeStatus
from talentflow.needs.tests.builders import SYSTEM
from talentflow.points import services
from talentflow.points.models import EntryKind, LedgerEntry, PointsEvent
from talentflow.points.tests.conftest import publish
from talentflow.reference.models import Region

D = Decimal


def _record(cast, actor=None, **overrides):
    data = {
        "talent": cast.talents["tangang"],
        "kind": "students_mentored",
        "region": Region.objects.get(code="330421"),
        "occurred_on": dt.date(2025, 3, 1),
        "quantity": "2",
        "evidence": "嘉善县研究生联合培养备案表 2025-03",
    }
    data.update(overrides)
    return services.event_record(actor=actor or cast.officer_jiashan, **data)


def _total(talent) -> Decimal:
    return LedgerEntry.objects.filter(talent=talent).aggregate(t=Sum("points"))["t"] or D("0")


def _notes(user, kind):
    return Notification.objects.filter(recipient=user, kind=kind)


# Voiding -------------------------------------------------------------------------------------


def test_voiding_appends_a_reversal_and_changes_no_row(cast, jiashan_scheme):
    event = _record(cast)
    before = list(LedgerEntry.objects.order_by("id").values())
    services.event_void(actor=cast.officer_jiashan, event=event, reason="备案表编号有误")
    after = list(LedgerEntry.objects.order_by("id").values())
    assert after[: len(before)] == before  # nothing rewritten
    reversal = LedgerEntry.objects.get(event=event, kind=EntryKind.REVERSAL)
    assert reversal.points == D("-10.00")
    assert reversal.reverses_id == before[0]["id"]
    assert reversal.explanation["reason"] == "voided"
    assert _total(cast.talents["tangang"]) == D("0")
    event.refresh_from_db()
    assert event.is_voided and event.void_reason == "备案表编号有误"
    assert event.voided_by == cast.officer_jiashan
    audit = AuditEvent.objects.get(action="points.event_void", object_id=str(event.pk))
    assert audit.after["void_reason"] == "备案表编号有误"


def test_voiding_frees_the_cap_for_later_events_of_the_year(cast, jiashan_scheme):
    """students_mentored is capped at 12 a year: 10 + 2; void the first and the second event
    is recomputed to its full 10."""
    first = _record(cast, occurred_on=dt.date(2025, 2, 1), quantity="2")
    second = _record(cast, occurred_on=dt.date(2025, 6, 1), quantity="2")
    assert _total(cast.talents["tangang"]) == D("12.00")
    services.event_void(actor=cast.officer_jiashan, event=first, reason="重复登记")
    assert _total(cast.talents["tangang"]) == D("10.00")
    active = LedgerEntry.objects.get(event=second, kind=EntryKind.CREDIT, reversal__isnull=True)
    assert active.points == D("10.00")
    # Idempotent afterwards.
    assert services.ledger_recompute(**SYSTEM, scheme=jiashan_scheme) == (0, 0)


def test_a_voided_event_cannot_be_voided_twice(cast, jiashan_scheme):
    event = _record(cast)
    services.event_void(actor=cast.officer_jiashan, event=event, reason="错误")
    rows = LedgerEntry.objects.count()
    with pytest.raises(ValidationError):
        services.event_void(actor=cast.officer_jiashan, event=event, reason="再次")
    assert LedgerEntry.objects.count() == rows
    assert AuditEvent.objects.filter(action="points.event_void").count() == 1


def test_voiding_needs_a_reason(cast, jiashan_scheme):
    event = _record(cast)
    with pytest.raises(ValidationError) as error:
        services.event_void(actor=cast.officer_jiashan, event=event, reason="  ")
    assert "reason" in error.value.message_dict
    event.refresh_from_db()
    assert not event.is_voided


@pytest.mark.parametrize(
    "role", ["officer_qingtian", "enterprise_user", "talent_user", "institution_user"]
)
def test_only_the_office_of_the_events_region_voids(cast, jiashan_scheme, role):
    event = _record(cast)
    with pytest.raises(PermissionDenied):
        services.event_void(actor=getattr(cast, role), event=event, reason="x")
    event.refresh_from_db()
    assert not event.is_voided


def test_statement_shows_the_voided_event_and_its_reversal(client, cast, jiashan_scheme):
    event = _record(cast)
    services.event_void(actor=cast.officer_jiashan, event=event, reason="备案表编号有误")
    client.force_login(cast.talent_user)
    page = client.get(reverse("points:statement", args=[cast.talents["tangang"].pk]))
    html = page.content.decode()
    assert "备案表编号有误" in html
    entries = list(page.context["entries"])
    assert [e.kind for e in entries] == [EntryKind.CREDIT, EntryKind.REVERSAL]
    assert "voided" in html or "作废" in html
    api = client.get(reverse("api:points_statement", args=[cast.talents["tangang"].pk]))
    rows = api.json()["entries"]
    assert [r["kind"] for r in rows] == ["credit", "reversal"]
    assert all(r["event_voided"] and r["void_reason"] == "备案表编号有误" for r in rows)


def test_void_page_voids_with_a_reason(client, cast, jiashan_scheme):
    event = _record(cast)
    client.force_login(cast.officer_jiashan)
    url = reverse("points:event_void", args=[event.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "证明材料不符"})
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.void_reason == "证明材料不符"
    # Voided: the page shows it and offers no form; posting again changes nothing.
    again = client.post(url, {"reason": "再次"})
    assert again.status_code == 400
    assert LedgerEntry.objects.filter(event=event, kind=EntryKind.REVERSAL).count() == 1


def test_void_api(client, cast, jiashan_scheme):
    event = _record(cast)
    client.force_login(cast.officer_jiashan)
    url = reverse("api:points_event_void", args=[event.pk])
    response = client.post(url, {"reason": "重复"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["void_reason"] == "重复"
    assert response.json()["points"] == "0.00"
    again = client.post(url, {"reason": "重复"}, content_type="application/json")
    assert again.status_code == 422


# Derived events whose source lapses ----------------------------------------------------------


def test_sync_voids_events_whose_outcome_is_no_longer_confirmed(cast, jiashan_scheme, closed_need):
    services.events_sync(**SYSTEM)
    assert _total(cast.talents["tangang"]) == D("310.00")
    # The outcome is taken back (as a correction of the needs app would): no longer confirmed.
    Outcome.objects.filter(need=closed_need).update(status=OutcomeStatus.REJECTED)
    result = services.events_sync(**SYSTEM)
    assert result.voided == 2  # 谭刚's and 研究生甲's revenue events
    assert _total(cast.talents["tangang"]) == D("10.00")
    revenue = PointsEvent.objects.get(talent=cast.talents["tangang"], kind="revenue")
    assert revenue.is_voided
    assert AuditEvent.objects.filter(action="points.event_void").count() == 2
    # Again: nothing more is voided, derived or written.
    again = services.events_sync(**SYSTEM)
    assert (again.events, again.entries, again.reversals, again.voided) == (0, 0, 0, 0)


def test_sync_voids_events_of_an_engagement_no_longer_verified(cast, jiashan_scheme, closed_need):
    services.events_sync(**SYSTEM)
    Outcome.objects.filter(need=closed_need).update(status=OutcomeStatus.REJECTED)
    type(closed_need).objects.filter(pk=closed_need.pk).update(state="cancelled")
    result = services.events_sync(**SYSTEM)
    assert result.voided == 4
    assert _total(cast.talents["tangang"]) == D("0")
    assert _total(cast.talents["student"]) == D("0")


def test_a_voided_derived_event_is_not_derived_again(cast, jiashan_scheme, closed_need):
    services.events_sync(**SYSTEM)
    revenue = PointsEvent.objects.get(talent=cast.talents["tangang"], kind="revenue")
    services.event_void(actor=cast.officer_jiashan, event=revenue, reason="成果归属有误")
    again = services.events_sync(**SYSTEM)
    assert (again.events, again.entries, again.voided) == (0, 0, 0)
    assert _total(cast.talents["tangang"]) == D("10.00")


# Notifications --------------------------------------------------------------------------------


def test_sync_notifies_each_talent_once(cast, jiashan_scheme, closed_need):
    services.events_sync(**SYSTEM)
    for user in (cast.talent_user, cast.student_user):
        notes = _notes(user, "points.credited")
        assert notes.count() == 1  # two events, two entries: one notification
        assert notes.get().params == {"entries": 2, "points": "310.00"}
        assert notes.get().url == reverse("points:my_statement")
    services.events_sync(**SYSTEM)  # nothing new: no notification
    assert _notes(cast.talent_user, "points.credited").count() == 1


def test_recording_notifies_the_talent(cast, jiashan_scheme):
    _record(cast)
    assert _notes(cast.talent_user, "points.credited").get().params["points"] == "10.00"
    assert not _notes(cast.student_user, "points.credited").exists()


def test_voiding_notifies_the_talent_with_the_reason(cast, jiashan_scheme):
    from talentflow.core.notifications import render

    event = _record(cast)
    services.event_void(actor=cast.officer_jiashan, event=event, reason="备案表编号有误")
    note = _notes(cast.talent_user, "points.voided").get()
    assert "备案表编号有误" in render(note)


def test_sync_voiding_notifies_once_per_talent(cast, jiashan_scheme, closed_need):
    services.events_sync(**SYSTEM)
    Outcome.objects.filter(need=closed_need).update(status=OutcomeStatus.REJECTED)
    type(closed_need).objects.filter(pk=closed_need.pk).update(state="cancelled")
    services.events_sync(**SYSTEM)  # two events of each talent voided
    assert _notes(cast.talent_user, "points.voided").count() == 1
    assert _notes(cast.student_user, "points.voided").count() == 1


# Voiding, then syncing again, never counts twice (hypothesis) --------------------------------

TABLE = [
    {"kind": "students_mentored", "points_per_unit": D("5"), "cap": D("40")},
    {"kind": "industry_service", "points_per_unit": D("1"), "cap": D("25")},
    {"kind": "revenue", "points_per_unit": D("1"), "unit_size": D("10000"), "cap": D("300")},
    {"kind": "engagement_completed", "base_points": D("10")},
]


class Rollback(Exception):
    pass


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    events=st.lists(
        st.tuples(
            st.sampled_from(["students_mentored", "industry_service"]),
            st.dates(dt.date(2024, 6, 1), dt.date(2025, 12, 31)),
            st.integers(min_value=1, max_value=12),
        ),
        min_size=1,
        max_size=8,
    ),
    steps=st.lists(
        st.tuples(st.sampled_from(["void", "sync", "recompute"]), st.integers(0, 20)),
        min_size=1,
        max_size=8,
    ),
)
def test_voiding_then_syncing_never_counts_twice(cast, closed_need, events, steps):
    """Whatever is voided and synced in whatever order: every non-voided event holds exactly
    one active entry, every voided event none, the ledger sums to the active entries, and a
    recompute afterwards changes nothing."""
    try:
        with transaction.atomic():
            region = Region.objects.get(code="330421")
            scheme = services.scheme_create(**SYSTEM, region=region, name="性质测试")
            publish(scheme, start=dt.date(2024, 1, 1), table=TABLE, period_cap=D("400"))
            services.events_sync(**SYSTEM)
            for kind, day, quantity in events:
                _record(cast, kind=kind, occurred_on=day, quantity=quantity, actor=None)
            for action, pick in steps:
                if action == "sync":
                    services.events_sync(**SYSTEM)
                elif action == "recompute":
                    services.ledger_recompute(**SYSTEM, scheme=scheme)
                else:
                    live = list(PointsEvent.objects.filter(voided_at__isnull=True).order_by("id"))
                    if live:
                        services.event_void(**SYSTEM, event=live[pick % len(live)], reason="r")
            for event in PointsEvent.objects.all():
                active = LedgerEntry.objects.filter(
                    event=event, kind=EntryKind.CREDIT, reversal__isnull=True
                )
                assert active.count() == (0 if event.is_voided else 1)
                held = LedgerEntry.objects.filter(event=event).aggregate(t=Sum("points"))["t"]
                expected = D("0") if event.is_voided else active.get().points
                assert D(held or 0) == expected
            # Every reversal reverses a distinct entry of its own event.
            for r in LedgerEntry.objects.filter(kind=EntryKind.REVERSAL):
                assert r.reverses.event_id == r.event_id and r.points == -r.reverses.points
            assert services.ledger_recompute(**SYSTEM, scheme=scheme) == (0, 0)
            again = services.events_sync(**SYSTEM)
            assert (again.events, again.entries, again.reversals, again.voided) == (0, 0, 0, 0)
            raise Rollback
    except Rollback:
        pass
