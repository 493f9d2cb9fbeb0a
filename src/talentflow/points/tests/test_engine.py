"""The pure points computation: table-driven with the demo table's own numbers, edges, and
properties (hypothesis). No database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentflow.points.engine import (
    Event,
    Rate,
    Used,
    Version,
    VersionIndex,
    compute,
    compute_one,
    raw_points,
)

D = Decimal
V1 = Version(
    id=1,
    number=1,
    effective_from=dt.date(2024, 1, 1),
    period_cap=D("500"),
    rates={
        "output_value": Rate("output_value", D("0"), D("1"), D("10000"), D("200")),
        "invention_patent_granted": Rate(
            "invention_patent_granted", D("0"), D("30"), D("1"), D("120")
        ),
        "energy_reduction": Rate("energy_reduction", D("0"), D("2"), D("1"), D("40")),
        "engagement_completed": Rate("engagement_completed", D("10"), D("0"), D("1"), D("60")),
        "unit_cost_reduction": Rate("unit_cost_reduction", D("5"), D("1"), D("100"), None),
    },
)
V2 = Version(
    id=2,
    number=2,
    effective_from=dt.date(2026, 1, 1),
    period_cap=D("500"),
    rates={
        **V1.rates,
        "invention_patent_granted": Rate(
            "invention_patent_granted", D("0"), D("40"), D("1"), D("160")
        ),
    },
)


@pytest.mark.parametrize(
    ("kind", "quantity", "expected"),
    [
        ("output_value", "20000000", "200.00"),  # 万泰钢's 2000万: 2,000 raw, capped at 200
        ("output_value", "1990000", "199.00"),
        ("output_value", "2000000", "200.00"),  # exactly the cap
        ("output_value", "15000", "1.50"),
        ("output_value", "0", "0.00"),  # zero quantity: base only (0 here)
        ("engagement_completed", "0", "10.00"),  # zero quantity: the base still counts
        ("engagement_completed", "1", "10.00"),
        ("invention_patent_granted", "2", "60.00"),  # 侠峰's two granted patents
        ("invention_patent_granted", "5", "120.00"),
        ("energy_reduction", "15", "30.00"),  # −15 % energy
        ("unit_cost_reduction", "400", "9.00"),  # 永鑫: 400 yuan per tonne → 5 + 4
        ("unit_cost_reduction", "0.005", "5.00"),  # rounded half up to the cent
    ],
)
def test_points_of_one_event(kind, quantity, expected):
    """The first event of a year: base + quantity ÷ unit size × rate, then the kind's cap."""
    results = list(compute([V1], [Event(1, kind, dt.date(2025, 5, 1), D(quantity))]))
    assert [r.points for r in results] == [D(expected)]


def test_cap_exactly_reached_then_nothing_more():
    """Two patents reach 60; four more reach 120 exactly; the next one earns 0, capped."""
    events = [
        Event(1, "invention_patent_granted", dt.date(2025, 1, 1), D("2")),
        Event(2, "invention_patent_granted", dt.date(2025, 2, 1), D("2")),
        Event(3, "invention_patent_granted", dt.date(2025, 3, 1), D("2")),
        Event(4, "invention_patent_granted", dt.date(2025, 4, 1), D("1")),
    ]
    results = list(compute([V1], events))
    assert [r.points for r in results] == [D("60"), D("60"), D("0"), D("0")]
    assert results[1].capped_by == ""
    assert results[2].capped_by == "kind"
    assert results[2].explanation()["kind_used_before"] == "120.00"


def test_cap_applies_per_year():
    """The cap is per calendar year: January of the next year starts afresh."""
    events = [
        Event(1, "output_value", dt.date(2025, 12, 31), D("3000000")),
        Event(2, "output_value", dt.date(2026, 1, 1), D("3000000")),
    ]
    results = list(compute([V1], events))
    assert [(r.period, r.points) for r in results] == [("2025", D("200")), ("2026", D("200"))]


def test_overall_cap_per_year():
    """The version's cap of 500 a year stops the total across kinds."""
    version = Version(1, 1, dt.date(2024, 1, 1), V1.rates, period_cap=D("250"))
    events = [
        Event(1, "output_value", dt.date(2025, 1, 1), D("2000000")),  # 200
        Event(2, "invention_patent_granted", dt.date(2025, 2, 1), D("3")),  # 90 → 50
        Event(3, "energy_reduction", dt.date(2025, 3, 1), D("10")),  # 20 → 0
    ]
    results = list(compute([version], events))
    assert [r.points for r in results] == [D("200"), D("50"), D("0")]
    assert [r.capped_by for r in results] == ["", "period", "period"]


def test_event_on_the_day_a_version_starts_uses_it():
    """An event on 2026-01-01 counts under v2 (which starts that day); the day before, v1."""
    index = VersionIndex([V1, V2])
    before = list(
        compute(index, [Event(1, "invention_patent_granted", dt.date(2025, 12, 31), D("1"))])
    )
    on = list(compute(index, [Event(1, "invention_patent_granted", dt.date(2026, 1, 1), D("1"))]))
    assert (before[0].version_number, before[0].points) == (1, D("30"))
    assert (on[0].version_number, on[0].points) == (2, D("40"))


def test_before_the_first_version_and_unknown_kinds_earn_nothing():
    events = [
        Event(1, "output_value", dt.date(2023, 12, 31), D("10000")),
        Event(2, "students_mentored", dt.date(2025, 1, 1), D("3")),
    ]
    assert list(compute([V1], events)) == []


def test_carried_use_counts_against_the_cap():
    """Points already granted earlier in the year (unchanged entries) reduce the room."""
    used = {"2025": Used(D("0"), {"invention_patent_granted": D("100")})}
    results = list(
        compute(
            [V1], [Event(1, "invention_patent_granted", dt.date(2025, 6, 1), D("1"))], used=used
        )
    )
    assert results[0].points == D("20")
    assert used["2025"].by_kind["invention_patent_granted"] == D("100"), "input not mutated"


def test_explanation_names_every_step():
    r = compute_one(V1, Event(9, "output_value", dt.date(2025, 1, 1), D("3000000")), Used())
    x = r.explanation()
    assert x == {
        "version": 1,
        "kind": "output_value",
        "quantity": "3000000",
        "base": "0",
        "per_unit": "1",
        "unit_size": "10000",
        "units": "300",
        "raw": "300.00",
        "kind_cap": "200",
        "kind_used_before": "0",
        "period_cap": "500",
        "period_used_before": "0",
        "capped_by": "kind",
        "period": "2025",
        "points": "200.00",
    }


def test_raw_points_rounds_half_up():
    assert raw_points(Rate("x", D("0"), D("1"), D("3")), D("1")) == D("0.33")
    assert raw_points(Rate("x", D("0"), D("1"), D("8")), D("0.2")) == D("0.03")  # 0.025 → 0.03


# Properties -------------------------------------------------------------------------------

kinds = st.sampled_from(sorted(V1.rates))
events_strategy = st.lists(
    st.tuples(
        kinds,
        st.dates(dt.date(2023, 6, 1), dt.date(2027, 6, 1)),
        st.decimals(min_value=0, max_value=10_000_000, places=2, allow_nan=False),
    ),
    max_size=60,
)


def _events(raw) -> list[Event]:
    rows = sorted(raw, key=lambda r: r[1])
    return [Event(i, k, d, q) for i, (k, d, q) in enumerate(rows)]


@settings(max_examples=150, deadline=None)
@given(events_strategy)
def test_totals_never_exceed_the_caps(raw):
    """Per year, a kind's points stay within its cap and the total within the overall cap;
    no event earns less than nothing or more than its raw points."""
    index = VersionIndex([V1, V2])
    totals: dict[str, Decimal] = {}
    by_kind: dict[tuple[str, str], Decimal] = {}
    for r in compute(index, _events(raw)):
        assert D("0") <= r.points <= r.raw
        totals[r.period] = totals.get(r.period, D("0")) + r.points
        by_kind[(r.period, r.kind)] = by_kind.get((r.period, r.kind), D("0")) + r.points
        version = V2 if r.version_number == 2 else V1
        assert totals[r.period] <= version.period_cap
        cap = version.rates[r.kind].cap
        if cap is not None:
            assert by_kind[(r.period, r.kind)] <= cap


@settings(max_examples=100, deadline=None)
@given(events_strategy)
def test_computation_is_deterministic(raw):
    """The same events give the same results, so a recompute changes nothing."""
    events = _events(raw)
    index = VersionIndex([V1, V2])
    assert [r.explanation() for r in compute(index, events)] == [
        r.explanation() for r in compute(index, events)
    ]


@settings(max_examples=150, deadline=None)
@given(
    events=st.lists(
        st.tuples(
            st.sampled_from(sorted(V1.rates)),
            st.dates(dt.date(2024, 1, 1), dt.date(2027, 12, 31)),
            st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False),
        ),
        min_size=1,
        max_size=15,
    )
)
def test_stored_text_and_digest_match_the_explanation(events):
    """What a publish writes (JSON text and digest, built without json.dumps) reads back as
    the explanation, and the digest of a stored explanation is the result's digest: a
    recompute comparing digests compares explanations."""
    import json

    from talentflow.points.engine import digest_of

    ordered = sorted(events, key=lambda e: e[1])
    for r in compute([V1, V2], [Event(i, k, d, q) for i, (k, d, q) in enumerate(ordered)]):
        text, digest = r.stored()
        assert json.loads(text) == r.explanation()
        assert digest == r.digest() == digest_of(r.version_id, r.explanation())
        assert digest.startswith(f"{r.version_id}|")
        assert digest.endswith(f"|{r.period}|{r.points}")


def test_digest_differs_when_only_the_explanation_differs():
    """Same points, different caps used before: the digests differ (the entry is redone)."""
    day = dt.date(2025, 3, 1)
    a = compute_one(V1, Event(1, "output_value", day, D("10000")), Used())
    used = Used()
    used.add("energy_reduction", D("3"))
    b = compute_one(V1, Event(1, "output_value", day, D("10000")), used)
    assert a.points == b.points
    assert a.digest() != b.digest()
