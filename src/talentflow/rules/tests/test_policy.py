"""Policies as code: the seed's own numbers, their edges, versions and explanations."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from talentflow.rules.policy import PolicyError, PolicyVersion, Step, compute, version_on
from talentflow.rules.seeds import PRACTICE_BASE_SUBSIDY, VICE_PRESIDENT_SUBSIDY

D = Decimal


@pytest.mark.parametrize(
    ("salary", "expected"),
    [
        ("0", "0.00"),  # salary 0: eligible, nothing to pay
        ("0.01", "0.00"),  # 0.004 rounds half up to 0.00
        ("0.02", "0.01"),  # 0.008 → 0.01
        ("300000", "120000.00"),
        ("499999.99", "200000.00"),  # 199,999.996 rounds half up to 200,000.00
        ("500000", "200000.00"),  # exactly the cap
        ("500000.01", "200000.00"),
        ("1200000", "200000.00"),
    ],
)
def test_vice_president_subsidy_is_40_percent_capped_at_200000(salary, expected):
    result = compute(VICE_PRESIDENT_SUBSIDY, {"appointed": True, "annual_salary": D(salary)})
    assert result.eligible
    base = (D(salary) * D("0.40")).quantize(D("0.01"))
    assert result.amount == min(base, D("200000.00"))
    assert result.amount == D(expected)


def test_exactly_at_the_cap_and_one_fen_below():
    at_cap = compute(VICE_PRESIDENT_SUBSIDY, {"appointed": True, "annual_salary": D("500000")})
    assert at_cap.amount == D("200000.00")
    below = compute(VICE_PRESIDENT_SUBSIDY, {"appointed": True, "annual_salary": D("499999.97")})
    assert below.amount == D("199999.99")  # 199,999.988 → 199,999.99


def test_not_appointed_is_not_eligible_and_says_so():
    result = compute(VICE_PRESIDENT_SUBSIDY, {"appointed": False, "annual_salary": D("600000")})
    assert not result.eligible and result.amount == D("0.00")
    assert "not eligible: amount 0.00" in result.explanation()


@pytest.mark.parametrize(
    ("designated", "received", "amount"),
    [(True, False, "30000.00"), (True, True, "0.00"), (False, False, "0.00")],
)
def test_practice_base_subsidy_once_per_designated_base(designated, received, amount):
    result = compute(
        PRACTICE_BASE_SUBSIDY,
        {"designated_practice_base": designated, "subsidy_received": received},
    )
    assert result.amount == D(amount)
    assert result.eligible == (designated and not received)


def test_explanation_names_each_step_parameter_and_version():
    result = compute(VICE_PRESIDENT_SUBSIDY, {"appointed": True, "annual_salary": D("600000")})
    lines = result.explanation()
    assert lines[0] == "vice_president_subsidy v1 (from 2024-01-01)"
    assert "rate = 0.40" in lines and "cap = 200,000.00" in lines
    assert "annual_salary = 600,000.00" in lines
    assert "600,000.00 × 0.40 = 240,000.00" in lines
    assert "at most 200,000.00: 200,000.00" in lines


def test_version_in_force_starts_on_its_first_day():
    v2 = dataclasses.replace(
        VICE_PRESIDENT_SUBSIDY,
        version=2,
        effective_from=dt.date(2026, 7, 1),
        params={"rate": D("0.50"), "cap": D("250000")},
    )
    versions = [VICE_PRESIDENT_SUBSIDY, v2]
    assert version_on(versions, dt.date(2026, 6, 30)).version == 1
    assert version_on(versions, dt.date(2026, 7, 1)).version == 2  # the day it starts
    with pytest.raises(PolicyError):
        version_on(versions, dt.date(2023, 12, 31))


def test_an_old_computation_keeps_its_amount_when_a_new_version_appears():
    facts = {"appointed": True, "annual_salary": D("400000")}
    old = compute(VICE_PRESIDENT_SUBSIDY, facts)
    v2 = dataclasses.replace(
        VICE_PRESIDENT_SUBSIDY, version=2, params={"rate": D("0.50"), "cap": D("250000")}
    )
    new = compute(v2, facts)
    assert (old.version, old.amount) == (1, D("160000.00"))
    assert (new.version, new.amount) == (2, D("200000.00"))
    assert old.explanation()[0].startswith("vice_president_subsidy v1")


@pytest.mark.parametrize(
    ("facts", "message"),
    [
        ({"appointed": True}, "missing facts: annual_salary"),
        ({"appointed": True, "annual_salary": D("-1")}, "must not be negative"),
        ({"appointed": True, "annual_salary": 500000.0}, "not floats"),
        ({"appointed": True, "annual_salary": "五十万"}, "not a numeric value"),
    ],
)
def test_bad_facts_are_refused_with_the_reason(facts, message):
    with pytest.raises(PolicyError, match=message):
        compute(VICE_PRESIDENT_SUBSIDY, facts)


def test_expressions_are_checked_when_a_version_is_written_and_never_run_as_python():
    with pytest.raises(PolicyError):
        PolicyVersion(
            policy="broken",
            version=1,
            effective_from=dt.date(2026, 1, 1),
            params={},
            eligibility="true",
            steps=(Step("amount", "1 +"),),
        )
    sneaky = PolicyVersion(
        policy="sneaky",
        version=1,
        effective_from=dt.date(2026, 1, 1),
        params={},
        eligibility="true",
        steps=(Step("amount", '__import__("os")'),),
    )
    with pytest.raises(PolicyError):
        compute(sneaky, {})


@given(st.decimals(min_value=0, max_value=10_000_000, places=2))
def test_subsidy_never_exceeds_the_cap_nor_40_percent(salary):
    result = compute(VICE_PRESIDENT_SUBSIDY, {"appointed": True, "annual_salary": salary})
    assert D("0") <= result.amount <= D("200000.00")
    assert result.amount <= (salary * D("0.40")).quantize(D("0.01")) + D("0.00")
