"""Outcome kinds, their units and the bounds a measured value must lie within. Pure: no ORM.

Amounts are exact decimals. Money is in yuan (an officer typing 万元 converts: 2000万元 is
20,000,000); percentages are changes in percent (能耗降低15% is 15); counts are whole numbers.
A value outside the bounds is almost certainly a typing mistake (a cost cut of 140 %, an
output value of a trillion yuan from one county need), so it is refused with the bound named.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class KindRule:
    unit: str  # "yuan", "yuan_per", "percent", "count", "person"
    maximum: Decimal
    whole: bool = False


MONEY_MAX = Decimal("100000000000")  # 1,000亿 yuan
PER_UNIT_MAX = Decimal("10000000")  # 1,000万 yuan per unit
COUNT_MAX = Decimal("10000")

RULES: dict[str, KindRule] = {
    "output_value": KindRule("yuan", MONEY_MAX),
    "revenue": KindRule("yuan", MONEY_MAX),
    "cost_reduction": KindRule("yuan", MONEY_MAX),
    "unit_cost_reduction": KindRule("yuan_per", PER_UNIT_MAX),
    # A reduction cannot exceed the whole; an increase of service life or pass rate can
    # (life doubled is +100 %), but not by more than tenfold.
    "energy_reduction": KindRule("percent", Decimal("100")),
    "lifetime_change": KindRule("percent", Decimal("1000")),
    "pass_rate_change": KindRule("percent", Decimal("100")),
    "invention_patent_filed": KindRule("count", COUNT_MAX, whole=True),
    "invention_patent_granted": KindRule("count", COUNT_MAX, whole=True),
    "utility_patent_filed": KindRule("count", COUNT_MAX, whole=True),
    "utility_patent_granted": KindRule("count", COUNT_MAX, whole=True),
    "standard": KindRule("count", COUNT_MAX, whole=True),
    "new_product": KindRule("count", COUNT_MAX, whole=True),
    "students_retained": KindRule("person", COUNT_MAX, whole=True),
}
MONEY_KINDS = frozenset(k for k, r in RULES.items() if r.unit in {"yuan", "yuan_per"})
# Amounts, counts and people add up across needs; a percentage change or a saving per tonne
# of one enterprise does not add to another's: reports show their mean instead.
ADDITIVE_KINDS = frozenset(k for k, r in RULES.items() if r.unit in {"yuan", "count", "person"})


def combined_qualifier(qualifiers) -> str:
    """The qualifier of a sum or mean: "about" if any part is approximate, else "more_than"
    if any part is a lower bound (then so is the result), else "exact"."""
    found = set(qualifiers)
    if "about" in found:
        return "about"
    if "more_than" in found:
        return "more_than"
    return "exact"


class OutcomeValueError(ValueError):
    """``field`` is the outcome field at fault; ``code`` says which rule, ``limit`` the bound."""

    def __init__(self, field: str, code: str, limit: Decimal | None = None) -> None:
        super().__init__(f"{field}: {code}")
        self.field = field
        self.code = code
        self.limit = limit


def check_value(kind: str, amount: Decimal, unit_basis: str = "") -> None:
    """Raise OutcomeValueError unless ``amount`` (and basis) make sense for ``kind``."""
    rule = RULES[kind]
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise OutcomeValueError("amount", "not_a_number")
    if amount <= 0:
        raise OutcomeValueError("amount", "not_positive")
    if amount > rule.maximum:
        raise OutcomeValueError("amount", "too_large", rule.maximum)
    if amount.as_tuple().exponent < -2:
        raise OutcomeValueError("amount", "too_precise")
    if rule.whole and amount != amount.to_integral_value():
        raise OutcomeValueError("amount", "not_whole")
    if rule.unit == "yuan_per" and not unit_basis.strip():
        raise OutcomeValueError("unit_basis", "basis_missing")
    if rule.unit != "yuan_per" and unit_basis.strip():
        raise OutcomeValueError("unit_basis", "basis_not_applicable")


def unit_code(kind: str, unit_basis: str = "") -> str:
    """A stable unit string for APIs and exports: yuan, yuan/吨, %, count, person."""
    rule = RULES[kind]
    if rule.unit == "yuan_per":
        return f"yuan/{unit_basis}"
    return {"percent": "%"}.get(rule.unit, rule.unit)
