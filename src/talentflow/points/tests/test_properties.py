"""Properties of the ledger over random events (hypothesis, on the database): a new version
leaves every existing row as it was, recomputing again changes nothing, and the active entries
of a year never exceed its caps."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from talentflow.needs.tests.builders import SYSTEM
from talentflow.points import services
from talentflow.points.models import LedgerEntry
from talentflow.points.tests.conftest import publish
from talentflow.reference.models import Region

D = Decimal
TABLE = [
    {"kind": "students_mentored", "points_per_unit": D("5"), "cap": D("40")},
    {"kind": "industry_service", "points_per_unit": D("1"), "cap": D("25")},
]
TABLE_V2 = [
    {"kind": "students_mentored", "points_per_unit": D("7"), "cap": D("30")},
    {"kind": "industry_service", "base_points": D("1"), "points_per_unit": D("2"), "cap": D("25")},
]

events = st.lists(
    st.tuples(
        st.sampled_from(["students_mentored", "industry_service"]),
        st.dates(dt.date(2024, 6, 1), dt.date(2026, 6, 30)),
        st.integers(min_value=1, max_value=12),
        st.sampled_from(["tangang", "student"]),
    ),
    min_size=1,
    max_size=12,
)


class Rollback(Exception):
    pass


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(events=events, start=st.dates(dt.date(2024, 6, 1), dt.date(2026, 6, 30)))
def test_publishing_never_rewrites_and_recompute_is_idempotent(cast, events, start):
    try:
        with transaction.atomic():
            region = Region.objects.get(code="330421")
            scheme = services.scheme_create(**SYSTEM, region=region, name="性质测试")
            publish(scheme, start=dt.date(2024, 1, 1), table=TABLE, period_cap=D("60"))
            for kind, day, quantity, who in events:
                services.event_record(
                    **SYSTEM,
                    talent=cast.talents[who],
                    kind=kind,
                    region=region,
                    occurred_on=day,
                    quantity=quantity,
                    evidence="e",
                )
            before = list(LedgerEntry.objects.order_by("id").values())
            publish(scheme, start=start, table=TABLE_V2, period_cap=D("60"))
            after = list(LedgerEntry.objects.order_by("id").values())
            # Old rows are unchanged, in place.
            assert after[: len(before)] == before
            # Events before the start got no new rows.
            new = LedgerEntry.objects.filter(pk__gt=before[-1]["id"] if before else 0)
            assert not new.filter(event__occurred_on__lt=start).exists()
            # Idempotent.
            assert services.ledger_recompute(**SYSTEM, scheme=scheme) == (0, 0)
            # Within the caps, per talent and year, for what is active now.
            for row in (
                LedgerEntry.objects.values("talent", "period")
                .annotate(total=Sum("points"))
                .order_by()
            ):
                assert D("0") <= D(row["total"]) <= D("60")
            for row in (
                LedgerEntry.objects.values("talent", "period", "event__kind")
                .annotate(total=Sum("points"))
                .order_by()
            ):
                assert D(row["total"]) <= D("40")
            raise Rollback
    except Rollback:
        pass
