"""The arithmetic of the joint review, pure (no ORM): weighted totals and the ranking.

A reviewer's total of an application is Σ weight × score / max_score over the criteria (the
weights sum to 100, so it lies in 0..100); the application's total is the mean of its
reviewers' totals, rounded half-up to 0.01 only at the end. All in Decimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Rule:
    weight: int
    max_score: Decimal


def check_criteria(rules: Sequence[Rule]) -> None:
    if not rules:
        raise ValueError("no criteria")
    if sum(r.weight for r in rules) != 100:
        raise ValueError("weights must sum to 100")
    if any(r.max_score <= 0 or r.weight <= 0 for r in rules):
        raise ValueError("weights and maximum scores are positive")


def reviewer_total(rules: Sequence[Rule], scores: Sequence[Decimal]) -> Decimal:
    """One reviewer's weighted total, unrounded (28 significant digits)."""
    if len(scores) != len(rules):
        raise ValueError("one score per criterion")
    with localcontext() as ctx:
        ctx.prec = 40
        total = Decimal(0)
        for rule, score in zip(rules, scores, strict=True):
            if score < 0 or score > rule.max_score:
                raise ValueError("score outside 0..max")
            total += Decimal(rule.weight) * Decimal(score) / Decimal(rule.max_score)
        return total


def weighted_total(rules: Sequence[Rule], sheets: Sequence[Sequence[Decimal]]) -> Decimal:
    """The mean over the reviewers' sheets (one score per criterion each), to 0.01 half-up."""
    if not sheets:
        raise ValueError("no reviewer scored")
    with localcontext() as ctx:
        ctx.prec = 40
        mean = sum((reviewer_total(rules, s) for s in sheets), Decimal(0)) / len(sheets)
        return mean.quantize(CENT, rounding=ROUND_HALF_UP)


def heaviest_index(rules: Sequence[Rule]) -> int:
    """The criterion that breaks ties: the largest weight, the first of equals."""
    return max(range(len(rules)), key=lambda i: (rules[i].weight, -i))


def heaviest_mean(rules: Sequence[Rule], sheets: Sequence[Sequence[Decimal]]) -> Decimal:
    i = heaviest_index(rules)
    with localcontext() as ctx:
        ctx.prec = 40
        return sum((Decimal(s[i]) for s in sheets), Decimal(0)) / len(sheets)


@dataclass(frozen=True)
class Entry:
    key: object  # the application's id
    total: Decimal
    tie: Decimal  # the mean on the heaviest criterion
    submitted: object  # comparable (a datetime)


def rank(entries: Sequence[Entry]) -> list[Entry]:
    """Best first: the higher total, then the higher mean on the heaviest criterion, then the
    earlier application (then the smaller id, so that the order is total)."""
    return sorted(entries, key=lambda e: (-e.total, -e.tie, e.submitted, e.key))
