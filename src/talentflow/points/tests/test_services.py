"""Deriving events, recording them, publishing versions and the append-only ledger."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from talentflow.core.models import AuditEvent
from talentflow.needs.tests.builders import SYSTEM
from talentflow.points import services
from talentflow.points.models import EntryKind, LedgerEntry, PointsEvent, PointsRate
from talentflow.points.tests.conftest import TABLE, publish
from talentflow.reference.models import Region

D = Decimal
TODAY = timezone.localdate()


def _points(talent) -> Decimal:
    return sum((e.points for e in LedgerEntry.objects.filter(talent=talent)), D("0"))


def _entries():
    return list(LedgerEntry.objects.order_by("id").values_list("id", "points", "explanation"))


def test_sync_derives_events_for_every_team_member(cast, jiashan_scheme, closed_need):
    """A confirmed outcome and a verified engagement become events of 谭刚 and 研究生甲, and the
    ledger counts them: revenue 5,000,000 ÷ 10,000 × 1 = 500, capped at 300; +10."""
    result = services.events_sync(**SYSTEM)
    assert result.events == 4
    events = PointsEvent.objects.filter(talent=cast.talents["tangang"])
    assert sorted(events.values_list("kind", flat=True)) == ["engagement_completed", "revenue"]
    assert _points(cast.talents["tangang"]) == D("310.00")
    assert _points(cast.talents["student"]) == D("310.00")
    capped = LedgerEntry.objects.get(talent=cast.talents["tangang"], event__kind="revenue")
    assert capped.explanation["capped_by"] == "kind"
    assert capped.explanation["raw"] == "500.00"
    assert capped.version.number == 1


def test_sync_twice_creates_nothing(cast, jiashan_scheme, closed_need):
    services.events_sync(**SYSTEM)
    before = (PointsEvent.objects.count(), _entries(), AuditEvent.objects.count())
    again = services.events_sync(**SYSTEM)
    assert (again.events, again.entries, again.reversals) == (0, 0, 0)
    assert (PointsEvent.objects.count(), _entries(), AuditEvent.objects.count()) == before


def test_unconfirmed_and_unverified_records_earn_nothing(cast, jiashan_scheme):
    """A need still in verification has no completed engagement and no confirmed outcome."""
    from talentflow.needs.tests.builders import need_in_state

    need_in_state(cast, "verifying")
    assert services.events_sync(**SYSTEM).events == 0


def test_officer_syncs_only_their_regions(cast, jiashan_scheme, closed_need):
    assert services.events_sync(actor=cast.officer_qingtian).events == 0
    assert services.events_sync(actor=cast.officer_jiashan).events == 4


@pytest.mark.parametrize("role", ["enterprise_user", "talent_user", "institution_user"])
def test_only_offices_sync(cast, role):
    with pytest.raises(PermissionDenied):
        services.events_sync(actor=getattr(cast, role))


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


def test_recorded_event_enters_the_ledger_and_the_audit(cast, jiashan_scheme):
    event = _record(cast)
    entry = LedgerEntry.objects.get(event=event)
    assert entry.points == D("10.00")
    assert AuditEvent.objects.filter(action="points.event_record", object_id=str(event.pk)).exists()
    assert AuditEvent.objects.filter(action="points.ledger_recompute").exists()


def test_a_recorded_event_before_others_moves_the_cap(cast, jiashan_scheme):
    """Caps apply in event order: an earlier event recorded later takes the room first, and the
    later entry is reversed and entered again with what is left."""
    later = _record(cast, occurred_on=dt.date(2025, 6, 1), quantity="2")  # 10
    _record(cast, occurred_on=dt.date(2025, 2, 1), quantity="2")  # 10 first → later gets 2
    entries = LedgerEntry.objects.filter(event=later).order_by("id")
    assert [(e.kind, e.points) for e in entries] == [
        (EntryKind.CREDIT, D("10.00")),
        (EntryKind.REVERSAL, D("-10.00")),
        (EntryKind.CREDIT, D("2.00")),
    ]
    assert _points(cast.talents["tangang"]) == D("12.00")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "abc"}, "quantity"),
        ({"evidence": "  "}, "evidence"),
        ({"kind": "revenue"}, "kind"),
        ({"occurred_on": TODAY + dt.timedelta(days=1)}, "occurred_on"),
    ],
)
def test_bad_events_are_refused_and_change_nothing(cast, jiashan_scheme, overrides, field):
    before = (PointsEvent.objects.count(), LedgerEntry.objects.count())
    with pytest.raises(ValidationError) as error:
        _record(cast, **overrides)
    assert field in error.value.message_dict
    assert (PointsEvent.objects.count(), LedgerEntry.objects.count()) == before


def test_events_are_recorded_only_in_governed_regions(cast, jiashan_scheme):
    with pytest.raises(PermissionDenied):
        _record(cast, actor=cast.officer_qingtian)  # 嘉善 is not 青田's
    with pytest.raises(PermissionDenied):
        _record(cast, actor=cast.enterprise_user)
    with pytest.raises(PermissionDenied):
        _record(cast, actor=cast.talent_user)


def test_publishing_recomputes_forward_without_rewriting_history(cast, jiashan_scheme):
    """v2 from 2026-01-01: the 2025 entry stays as it was; the 2026 entry — also the one on
    the very day v2 starts — is reversed and entered again under v2."""
    old = _record(cast, occurred_on=dt.date(2025, 12, 31), quantity="1")
    on_start = _record(cast, occurred_on=dt.date(2026, 1, 1), quantity="1")
    snapshot = _entries()
    table = [dict(r) for r in TABLE]
    table[2] = {"kind": "students_mentored", "points_per_unit": D("8"), "cap": D("20")}
    v2 = publish(jiashan_scheme, start=dt.date(2026, 1, 1), table=table)
    # Nothing that existed changed: the old rows are all still there, identical.
    assert _entries()[: len(snapshot)] == snapshot
    assert [(e.kind, e.points, e.version.number) for e in old.entries.order_by("id")] == [
        (EntryKind.CREDIT, D("5.00"), 1)
    ]
    assert [(e.kind, e.points, e.version.number) for e in on_start.entries.order_by("id")] == [
        (EntryKind.CREDIT, D("5.00"), 1),
        (EntryKind.REVERSAL, D("-5.00"), 1),
        (EntryKind.CREDIT, D("8.00"), 2),
    ]
    assert v2.is_published
    # Recomputing again is idempotent.
    assert services.ledger_recompute(**SYSTEM, scheme=jiashan_scheme) == (0, 0)


def test_published_versions_are_immutable(cast, jiashan_scheme):
    v1 = jiashan_scheme.versions.get(number=1)
    with pytest.raises(ValidationError):
        services.version_update(
            **SYSTEM, version=v1, effective_from=v1.effective_from, period_cap=None, rates=TABLE
        )
    with pytest.raises(ValidationError):
        services.version_publish(**SYSTEM, version=v1)


def test_a_new_version_must_start_after_the_latest(cast, jiashan_scheme):
    draft = services.version_create(
        **SYSTEM, scheme=jiashan_scheme, effective_from=dt.date(2024, 1, 1)
    )
    with pytest.raises(ValidationError) as error:
        services.version_publish(**SYSTEM, version=draft)
    assert "effective_from" in error.value.message_dict
    draft.refresh_from_db()
    assert not draft.is_published


def test_one_draft_at_a_time_copied_from_the_latest(cast, jiashan_scheme):
    draft = services.version_create(**SYSTEM, scheme=jiashan_scheme)
    assert draft.number == 2
    assert PointsRate.objects.filter(version=draft).count() == len(TABLE)
    with pytest.raises(ValidationError):
        services.version_create(**SYSTEM, scheme=jiashan_scheme)


@pytest.mark.parametrize(
    "rates",
    [
        [{"kind": "revenue", "unit_size": D("0")}],
        [{"kind": "revenue", "points_per_unit": D("-1")}],
        [{"kind": "revenue"}, {"kind": "revenue"}],
    ],
)
def test_bad_tables_are_refused(cast, jiashan_scheme, rates):
    draft = services.version_create(**SYSTEM, scheme=jiashan_scheme)
    with pytest.raises(ValidationError):
        services.version_update(
            **SYSTEM,
            version=draft,
            effective_from=dt.date(2027, 1, 1),
            period_cap=None,
            rates=rates,
        )
    assert draft.rates.count() == len(TABLE), "the draft's table is untouched"


def test_preview_shows_the_effect_without_writing(cast, jiashan_scheme):
    _record(cast, occurred_on=dt.date(2026, 2, 1), quantity="2")
    draft = services.version_create(
        **SYSTEM, scheme=jiashan_scheme, effective_from=dt.date(2026, 1, 1)
    )
    services.version_update(
        **SYSTEM,
        version=draft,
        effective_from=dt.date(2026, 1, 1),
        period_cap=None,
        rates=[{"kind": "students_mentored", "points_per_unit": D("3")}],
    )
    before = _entries()
    plan = services.version_preview(version=draft)
    assert plan.by_talent() == {cast.talents["tangang"].pk: (D("10.00"), D("6.00"))}
    assert _entries() == before


def test_only_the_regions_office_manages_its_scheme(cast, jiashan_scheme):
    with pytest.raises(PermissionDenied):
        services.version_create(actor=cast.officer_qingtian, scheme=jiashan_scheme)
    with pytest.raises(PermissionDenied):
        services.scheme_create(
            actor=cast.officer_jiashan, region=Region.objects.get(code="331121"), name="x"
        )
    draft = services.version_create(actor=cast.officer_jiashan, scheme=jiashan_scheme)
    assert AuditEvent.objects.filter(
        action="points.version_create", object_id=str(draft.pk)
    ).exists()


def test_the_ledger_refuses_updates_and_deletes(cast, jiashan_scheme):
    _record(cast)
    with pytest.raises(TypeError):
        LedgerEntry.objects.all().update(points=D("1"))
    with pytest.raises(TypeError):
        LedgerEntry.objects.all().delete()


def test_a_county_event_counts_under_its_prefectures_scheme(cast):
    """丽水市's scheme counts events in 松阳 (no scheme of its own), but not in 青田 once 青田
    has one."""
    lishui = services.scheme_create(**SYSTEM, region=Region.objects.get(code="331100"), name="丽水")
    qingtian = services.scheme_create(
        **SYSTEM, region=Region.objects.get(code="331121"), name="青田"
    )
    assert services.scheme_for_region("331124") == lishui
    assert services.scheme_for_region("331121") == qingtian
    assert services.scheme_for_region("330421") is None
