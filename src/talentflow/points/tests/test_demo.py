"""The demo's points: 青田's scheme with two versions, events derived from the demo's verified
needs, and 白景元's statement computed from them. One small demo load for the module."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import Sum

from talentflow.accounts.models import User
from talentflow.demo.loader import STEPS, demo_load
from talentflow.demo.points import points_create
from talentflow.directory.models import TalentProfile
from talentflow.points import selectors, services
from talentflow.points.models import EntryKind, LedgerEntry, PointsEvent, PointsScheme
from talentflow.reference.models import Region

D = Decimal


@pytest.fixture(scope="module")
def _demo_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            # The steps up to and including this app's: the test does not depend on the
            # steps after it (other apps').
            steps = STEPS[: next(i for i, s in enumerate(STEPS) if s.run is points_create) + 1]
            yield demo_load(scale=0.03, steps=steps)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_module, db):
    return _demo_module


def bai() -> TalentProfile:
    return TalentProfile.objects.get(name="白景元")


def test_qingtian_scheme_has_two_published_versions(demo):
    scheme = PointsScheme.objects.get(region_id="331121")
    assert [(v.number, v.effective_from, v.status) for v in scheme.versions.order_by("number")] == [
        (1, dt.date(2024, 1, 1), "published"),
        (2, dt.date(2026, 1, 1), "published"),
    ]


def test_bai_jingyuans_points_for_xiafeng_come_from_the_records(demo):
    """The three solved problems (10 each), two granted invention patents (30 each under v1),
    corrosion life +30 % (1 per %) and energy −15 % (2 per %): 150 points in 2025, v1."""
    entries = LedgerEntry.objects.filter(
        talent=bai(), event__engagement__need__enterprise__name="浙江侠峰精密压铸有限公司"
    )
    by_kind = {
        row["event__kind"]: row["total"]
        for row in entries.values("event__kind").annotate(total=Sum("points"))
    }
    assert {k: D(v).quantize(D("0.01")) for k, v in by_kind.items()} == {
        "engagement_completed": D("30.00"),
        "invention_patent_granted": D("60.00"),
        "lifetime_change": D("30.00"),
        "energy_reduction": D("30.00"),
    }
    assert set(entries.values_list("version__number", flat=True)) == {1}
    assert set(entries.values_list("period", flat=True)) == {"2025"}


def test_v2_recomputed_2026_forward_and_left_2025(demo):
    """The appointment year served in 2026 was entered under v1 (20), reversed, and entered
    under v2 (25); nothing of 2025 was reversed."""
    appointment = LedgerEntry.objects.filter(
        talent=bai(), event__kind="appointment_served"
    ).order_by("id")
    assert [(e.kind, e.points, e.version.number) for e in appointment] == [
        (EntryKind.CREDIT, D("20.00"), 1),
        (EntryKind.REVERSAL, D("-20.00"), 1),
        (EntryKind.CREDIT, D("25.00"), 2),
    ]
    assert not LedgerEntry.objects.filter(kind=EntryKind.REVERSAL, period="2025").exists()
    active_2026 = LedgerEntry.objects.filter(
        period="2026", kind=EntryKind.CREDIT, reversal__isnull=True
    )
    assert set(active_2026.values_list("version__number", flat=True)) == {2}
    # Officers' service days earn points only from v2, which takes them in.
    service = LedgerEntry.objects.filter(event__kind="industry_service", kind=EntryKind.CREDIT)
    assert service.exists()
    assert set(service.values_list("version__number", flat=True)) == {2}


def test_the_demo_sync_is_idempotent(demo):
    before = (PointsEvent.objects.count(), LedgerEntry.objects.count())
    result = services.events_sync(actor=None, system_label="test", region_prefixes=["3311"])
    assert (result.events, result.entries, result.reversals) == (0, 0, 0)
    scheme = PointsScheme.objects.get(region_id="331121")
    assert services.ledger_recompute(actor=None, scheme=scheme) == (0, 0)
    assert (PointsEvent.objects.count(), LedgerEntry.objects.count()) == before


@pytest.mark.parametrize(
    ("username", "region"), [("officer_qingtian", "331121"), ("officer_lishui", "331100")]
)
def test_qingtian_and_lishui_boards_show_the_shared_experts(demo, username, region):
    board = selectors.leaderboard(
        user=User.objects.get(username=username), region=Region.objects.get(code=region)
    )
    names = list(board.values_list("name", flat=True))
    assert "白景元" in names and "张光" in names
    points = [row.points for row in board]
    assert points == sorted(points, reverse=True)


def test_bai_jingyuan_reads_nothing_he_should_not(demo):
    """The demo's enterprise 侠峰, which 白景元 serves, does not see his statement."""
    xiafeng = User.objects.get(username="xiafeng")
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.statement_talent(user=xiafeng, pk=bai().pk)
    assert selectors.statement_talent(
        user=User.objects.get(username="officer_qingtian"), pk=bai().pk
    )


def test_demo_pages_render(demo, client):
    from django.urls import reverse

    client.force_login(User.objects.get(username="officer_qingtian"))
    html = client.get(reverse("points:statement", args=[bai().pk])).content.decode()
    assert "青田县实用型产业人才积分评价办法 v2" in html
    assert "reversal" in html or "冲销" in html or "Reverses" in html
    html = client.get(reverse("points:leaderboard")).content.decode()
    assert "白景元" in html
    scheme = PointsScheme.objects.get(region_id="331121")
    assert client.get(reverse("points:scheme_detail", args=[scheme.pk])).status_code == 200
    client.force_login(User.objects.get(username="officer_lishui"))
    html = client.get(reverse("points:leaderboard") + "?region=331100&period=2025").content.decode()
    assert "白景元" in html and "张光" in html


def test_the_demo_shows_a_voided_event_and_its_reversal(demo):
    """张光's duplicate mentoring record of 2026 is voided: credit and reversal, 0 held."""
    event = PointsEvent.objects.get(voided_at__isnull=False)
    assert event.kind == "students_mentored" and "重复" in event.void_reason
    entries = LedgerEntry.objects.filter(event=event).order_by("id")
    assert [e.kind for e in entries] == [EntryKind.CREDIT, EntryKind.REVERSAL]
    assert sum(e.points for e in entries) == D("0")
    assert entries[1].explanation["reason"] == "voided"
