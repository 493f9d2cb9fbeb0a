"""Policies as code (issue 5, first part): versioned parameters, exact amounts, explanations.

Pure: no Django. A policy has versions, each effective from a date (inclusive) until the next
version starts; its parameters are data, and its computation is a list of named steps written
in a safe expression language (rule-engine: arithmetic on exact ``Decimal``s, comparisons,
``cond ? a : b``, ``$min``/``$max`` — never Python ``eval``), so an administrator can publish a
new version without a release. Every step's value is kept, so an amount always comes with its
explanation: each step, each parameter and the version it came from. An application keeps the
``Computation`` it was decided with; a later version never rewrites it.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

import rule_engine

CENT = Decimal("0.01")
MONEY = "money"
# A flag policy grants a standing (e.g. priority in project applications), not money: its last
# step is a boolean and its amount is always 0.00.
FLAG = "flag"


class PolicyError(ValueError):
    """A version or its facts cannot be computed: says which step or fact, and why."""


@dataclass(frozen=True)
class Step:
    """One named step: its expression, and how it reads to a person (a format with the
    step's own name and the names it uses, e.g. "{annual_salary} × {rate} = {base}")."""

    name: str
    expression: str
    reads: str = ""


@dataclass(frozen=True)
class PolicyVersion:
    policy: str  # stable code, e.g. "vice_president_subsidy"
    version: int
    effective_from: dt.date
    params: Mapping[str, Any]
    eligibility: str  # an expression over facts and params, True when eligible
    steps: tuple[Step, ...]  # the last step is the amount
    facts: tuple[str, ...] = ()  # the facts an applicant must give
    kind: str = MONEY  # MONEY or FLAG

    def __post_init__(self) -> None:
        if not self.steps:
            raise PolicyError(f"{self.policy} v{self.version}: no steps")
        if self.kind not in (MONEY, FLAG):
            raise PolicyError(f"{self.policy} v{self.version}: unknown kind {self.kind!r}")
        names = [s.name for s in self.steps]
        if len(set(names)) != len(names):
            raise PolicyError(f"{self.policy} v{self.version}: step names repeat")
        for text in (self.eligibility, *(s.expression for s in self.steps)):
            try:
                rule_engine.Rule(text)
            except rule_engine.errors.EngineError as error:
                raise PolicyError(f"{self.policy} v{self.version}: {text!r}: {error}") from error


@dataclass(frozen=True)
class Computed:
    name: str
    value: Any
    reads: str


@dataclass(frozen=True)
class Computation:
    """What an application is decided with: kept as it is, whatever later versions say."""

    policy: str
    version: int
    effective_from: dt.date
    eligible: bool
    amount: Decimal
    params: Mapping[str, Any]
    facts: Mapping[str, Any]
    steps: tuple[Computed, ...] = field(default_factory=tuple)
    granted: bool | None = None  # flag policies: whether the flag is granted

    def explanation(self) -> list[str]:
        lines = [f"{self.policy} v{self.version} (from {self.effective_from.isoformat()})"]
        lines += [f"{name} = {_text(value)}" for name, value in sorted(self.params.items())]
        lines += [f"{name} = {_text(value)}" for name, value in sorted(self.facts.items())]
        if not self.eligible:
            lines.append("not eligible: amount 0.00")
            return lines
        lines += [step.reads or f"{step.name} = {_text(step.value)}" for step in self.steps]
        return lines


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:,.2f}" if value == value.quantize(CENT) else f"{value:,}"
    return str(value)


def version_on(versions: Iterable[PolicyVersion], day: dt.date) -> PolicyVersion:
    """The version in force on ``day``: the latest that started on or before it."""
    candidates = [v for v in versions if v.effective_from <= day]
    if not candidates:
        raise PolicyError(f"no version in force on {day.isoformat()}")
    return max(candidates, key=lambda v: (v.effective_from, v.version))


def _exact(name: str, value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, float):
        raise PolicyError(f"{name}: money and rates are exact decimals, not floats")
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError) as error:
        raise PolicyError(f"{name}: not a number: {value!r}") from error


def compute(version: PolicyVersion, facts: Mapping[str, Any]) -> Computation:
    """Eligibility, then each step in order; the last step is the amount, rounded to the fen
    (half up). Missing facts and negative amounts are errors, never a silent zero."""
    missing = [name for name in version.facts if name not in facts]
    if missing:
        raise PolicyError(f"missing facts: {', '.join(missing)}")
    given = {name: _exact(name, value) for name, value in facts.items()}
    params = {name: _exact(name, value) for name, value in version.params.items()}
    for name, value in given.items():
        if isinstance(value, Decimal) and value < 0:
            raise PolicyError(f"{name}: must not be negative")
    context: dict[str, Any] = {**params, **given}
    eligible = bool(_evaluate(version, "eligibility", version.eligibility, context))
    if not eligible:
        return Computation(
            version.policy,
            version.version,
            version.effective_from,
            False,
            Decimal("0.00"),
            params,
            given,
            granted=False if version.kind == FLAG else None,
        )
    computed = []
    for step in version.steps:
        value = _evaluate(version, step.name, step.expression, context)
        if isinstance(value, Decimal):
            value = value.quantize(CENT, rounding=ROUND_HALF_UP)
        context[step.name] = value
        reads = step.reads.format(**{k: _text(v) for k, v in context.items()}) if step.reads else ""
        computed.append(Computed(step.name, value, reads))
    if version.kind == FLAG:
        granted = computed[-1].value
        if not isinstance(granted, bool):
            raise PolicyError(
                f"{version.policy} v{version.version}: flag {granted!r} is not a yes/no"
            )
        return Computation(
            version.policy,
            version.version,
            version.effective_from,
            True,
            Decimal("0.00"),
            params,
            given,
            tuple(computed),
            granted,
        )
    amount = computed[-1].value
    if not isinstance(amount, Decimal) or amount < 0:
        raise PolicyError(f"{version.policy} v{version.version}: amount {amount!r} is not money")
    return Computation(
        version.policy,
        version.version,
        version.effective_from,
        True,
        amount,
        params,
        given,
        tuple(computed),
    )


@functools.lru_cache(maxsize=1024)
def _rule(expression: str) -> rule_engine.Rule:
    """Parsed once per expression: recomputing 100,000 applications parses a version once."""
    return rule_engine.Rule(expression)


def _evaluate(version: PolicyVersion, name: str, expression: str, context: Mapping[str, Any]):
    try:
        return _rule(expression).evaluate(dict(context))
    except rule_engine.errors.EngineError as error:
        raise PolicyError(f"{version.policy} v{version.version}, {name}: {error}") from error
