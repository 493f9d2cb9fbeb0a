"""The review's arithmetic, without a database: weighted totals exact in Decimal (table), a
property over random sheets (total within 0..100, monotone in each score), and the tie rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentflow.calls.scoring import Entry, Rule, check_criteria, rank, weighted_total

R3 = [Rule(40, D(10)), Rule(30, D(10)), Rule(30, D(20))]


@pytest.mark.parametrize(
    ("rules", "sheets", "expected"),
    [
        # one reviewer: 40·8/10 + 30·7/10 + 30·18/20 = 32 + 21 + 27
        (R3, [[D(8), D(7), D(18)]], D("80.00")),
        # the mean of 80 and 75 (40·7.5/10 + 30·7/10 + 30·16/20 = 30 + 21 + 24)
        (R3, [[D(8), D(7), D(18)], [D("7.5"), D(7), D(16)]], D("77.50")),
        # all zero and all maximum
        (R3, [[D(0), D(0), D(0)]], D("0.00")),
        (R3, [[D(10), D(10), D(20)]] * 3, D("100.00")),
        # thirds: 100·1/3 → 33.33 (rounded once, at the end)
        ([Rule(100, D(3))], [[D(1)]], D("33.33")),
        # half-up at the end: (33.333… + 33.3416…)/2 = 33.3375 → 33.34
        ([Rule(100, D(3))], [[D(1)], [D("1.0003")]], D("33.34")),
        # decimals in the scores: 50·6.25/10 + 50·3.3/5 = 31.25 + 33
        ([Rule(50, D(10)), Rule(50, D(5))], [[D("6.25"), D("3.3")]], D("64.25")),
        # three reviewers, not a round mean: (80 + 70 + 71)/3 = 73.666… → 73.67
        (
            [Rule(60, D(10)), Rule(40, D(10))],
            [[D(8), D(8)], [D(7), D(7)], [D(7), D("7.25")]],
            D("73.67"),
        ),
    ],
)
def test_weighted_total_table(rules, sheets, expected):
    total = weighted_total(rules, sheets)
    assert total == expected
    assert str(total) == str(expected)  # two decimals, exactly


def test_criteria_must_sum_to_100():
    with pytest.raises(ValueError, match="100"):
        check_criteria([Rule(40, D(10)), Rule(40, D(10))])
    check_criteria(R3)


def test_a_score_outside_its_range_is_refused():
    with pytest.raises(ValueError):
        weighted_total(R3, [[D(11), D(0), D(0)]])
    with pytest.raises(ValueError):
        weighted_total(R3, [[D(-1), D(0), D(0)]])


@st.composite
def setups(draw):
    n = draw(st.integers(min_value=1, max_value=5))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=n - 1, max_size=n - 1, unique=True)))
    weights = [b - a for a, b in zip([0, *cuts], [*cuts, 100], strict=True)]
    maxima = [D(draw(st.integers(1, 10000))) / 100 for _ in range(n)]
    rules = [Rule(w, m) for w, m in zip(weights, maxima, strict=True)]
    reviewers = draw(st.integers(min_value=1, max_value=6))
    sheets = [[m * D(draw(st.integers(0, 100))) / 100 for m in maxima] for _ in range(reviewers)]
    sheets = [
        [
            s.quantize(D("0.01")) if s.quantize(D("0.01")) <= m else m
            for s, m in zip(row, maxima, strict=True)
        ]
        for row in sheets
    ]
    return rules, sheets


@given(setups(), st.data())
def test_total_within_0_and_100_and_monotone_in_each_score(setup, data):
    rules, sheets = setup
    total = weighted_total(rules, sheets)
    assert D(0) <= total <= D(100)
    # Raise one score of one reviewer (within its maximum): the total never falls.
    r = data.draw(st.integers(0, len(sheets) - 1))
    c = data.draw(st.integers(0, len(rules) - 1))
    room = int((rules[c].max_score - sheets[r][c]) * 100)
    step = D(data.draw(st.integers(0, room))) / 100
    raised = [row[:] for row in sheets]
    raised[r][c] = sheets[r][c] + step
    assert weighted_total(rules, raised) >= total
    lowered = [row[:] for row in sheets]
    lowered[r][c] = D(0)
    assert weighted_total(rules, lowered) <= total


def test_rank_breaks_ties_by_the_heaviest_criterion_then_the_earlier_application():
    t0 = dt.datetime(2025, 4, 1, 9)
    entries = [
        Entry(key=1, total=D("80.00"), tie=D(7), submitted=t0),
        Entry(key=2, total=D("80.00"), tie=D(9), submitted=t0 + dt.timedelta(hours=1)),
        Entry(key=3, total=D("85.00"), tie=D(1), submitted=t0 + dt.timedelta(hours=2)),
        Entry(key=4, total=D("80.00"), tie=D(7), submitted=t0 - dt.timedelta(hours=1)),
    ]
    assert [e.key for e in rank(entries)] == [3, 2, 4, 1]
