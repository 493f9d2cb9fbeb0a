"""Points for shared talent (实用型产业人才积分评价, 青田): the pure computation. No ORM.

A scheme version is a table: for each event kind, base points, points per unit (a unit being
e.g. 10,000 yuan of new output value, one invention patent, one percent of energy saved, one
day of service) and an optional cap per talent and period for that kind; the version may also
cap a talent's total per period. The period is the calendar year of the event.

``compute`` walks one talent's events in event order and returns, per event, the points and an
explanation (base + units × rate, the caps and how much of them was used before, the version).
It is a plain Decimal computation rather than an expression language: it has to recompute a
million events in seconds (bench/bench_points.py), and its table is the whole rule.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0")


@dataclass(frozen=True)
class Rate:
    """One row of a version's table."""

    kind: str
    base: Decimal = ZERO
    per_unit: Decimal = ZERO
    unit_size: Decimal = Decimal("1")  # quantity that makes one unit (10000 yuan, 1 patent)
    cap: Decimal | None = None  # per talent per period for this kind; None: no cap


@dataclass(frozen=True)
class Version:
    id: int
    number: int
    effective_from: dt.date
    rates: Mapping[str, Rate]
    period_cap: Decimal | None = None  # per talent per period, all kinds together


@dataclass(slots=True)
class Event:
    key: object  # the caller's identifier (an event id)
    kind: str
    occurred_on: dt.date
    quantity: Decimal


@dataclass
class Used:
    """Points already granted to the talent in one period: in total and per kind."""

    total: Decimal = ZERO
    by_kind: dict[str, Decimal] = field(default_factory=dict)

    def add(self, kind: str, points: Decimal) -> None:
        self.total += points
        self.by_kind[kind] = self.by_kind.get(kind, ZERO) + points


@dataclass(slots=True)  # not frozen: a frozen dataclass costs 3 µs more per result
class Result:
    key: object
    version_id: int
    version_number: int
    period: str
    points: Decimal
    # The parts of the explanation, kept as values: building JSON for a million events that
    # nobody reads would cost more than the computation.
    kind: str
    quantity: Decimal
    base: Decimal
    per_unit: Decimal
    unit_size: Decimal
    raw: Decimal
    kind_cap: Decimal | None
    kind_used: Decimal
    period_cap: Decimal | None
    period_used: Decimal
    capped_by: str  # "", "kind" or "period"

    def explanation(self) -> dict[str, object]:
        def s(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "version": self.version_number,
            "kind": self.kind,
            "quantity": str(self.quantity),
            "base": str(self.base),
            "per_unit": str(self.per_unit),
            "unit_size": str(self.unit_size),
            "units": str(self.quantity / self.unit_size),
            "raw": str(self.raw),
            "kind_cap": s(self.kind_cap),
            "kind_used_before": str(self.kind_used),
            "period_cap": s(self.period_cap),
            "period_used_before": str(self.period_used),
            "capped_by": self.capped_by,
            "period": self.period,
            "points": str(self.points),
        }

    def _texts(self) -> tuple[str, ...]:
        """The values of the explanation as text, in ``DIGEST_KEYS`` order."""
        return (
            str(self.version_number),
            self.kind,
            str(self.quantity),
            str(self.base),
            str(self.per_unit),
            str(self.unit_size),
            str(self.raw),
            str(self.kind_cap),
            str(self.kind_used),
            str(self.period_cap),
            str(self.period_used),
            self.capped_by,
            self.period,
            str(self.points),
        )

    def digest(self) -> str:
        """The explanation as one short string (stored next to it): a recompute compares
        digests instead of decoding a million JSON explanations. ``digest_of`` gives the same
        string for a stored explanation."""
        return f"{self.version_id}|" + "|".join(self._texts())

    def stored(self) -> tuple[str, str]:
        """(``explanation()`` as JSON text, ``digest()``), built from one pass over the values:
        a publish writes a million of them."""
        t = self._texts()
        kind_cap = "null" if self.kind_cap is None else f'"{t[7]}"'
        period_cap = "null" if self.period_cap is None else f'"{t[9]}"'
        js = _JSON_STRINGS
        kind = js.get(t[1]) or _json_str(t[1])
        capped_by = js.get(t[11]) or _json_str(t[11])
        period = js.get(t[12]) or _json_str(t[12])
        text = (
            f'{{"version":{t[0]},"kind":{kind},"quantity":"{t[2]}",'
            f'"base":"{t[3]}","per_unit":"{t[4]}","unit_size":"{t[5]}",'
            f'"units":"{self.quantity / self.unit_size}","raw":"{t[6]}",'
            f'"kind_cap":{kind_cap},"kind_used_before":"{t[8]}",'
            f'"period_cap":{period_cap},"period_used_before":"{t[10]}",'
            f'"capped_by":{capped_by},"period":{period},'
            f'"points":"{t[13]}"}}'
        )
        return text, f"{self.version_id}|" + "|".join(t)


_JSON_STRINGS: dict[str, str] = {}


def _json_str(value: str) -> str:
    """A JSON string literal; kinds, periods and cap markers repeat, so they are cached."""
    text = _JSON_STRINGS.get(value)
    if text is None:
        text = _JSON_STRINGS[value] = json.dumps(value)
    return text


DIGEST_KEYS = (
    "version",
    "kind",
    "quantity",
    "base",
    "per_unit",
    "unit_size",
    "raw",
    "kind_cap",
    "kind_used_before",
    "period_cap",
    "period_used_before",
    "capped_by",
    "period",
    "points",
)


def digest_of(version_id: int, explanation: Mapping[str, object]) -> str:
    """``Result.digest`` of an entry from its stored explanation (entries written before the
    digest column existed)."""
    return "|".join([str(version_id), *(str(explanation.get(k)) for k in DIGEST_KEYS)])


def period_of(day: dt.date) -> str:
    return str(day.year)


def raw_points(rate: Rate, quantity: Decimal) -> Decimal:
    """base + quantity / unit_size × per_unit, to the cent (half up)."""
    return (rate.base + quantity / rate.unit_size * rate.per_unit).quantize(CENT, ROUND_HALF_UP)


class VersionIndex:
    """The published versions of one scheme, found by date (the latest started on or before)."""

    def __init__(self, versions: Iterable[Version]) -> None:
        self.versions = sorted(versions, key=lambda v: v.effective_from)
        self._starts = [v.effective_from for v in self.versions]

    def at(self, day: dt.date) -> Version | None:
        i = bisect.bisect_right(self._starts, day)
        return self.versions[i - 1] if i else None


def compute_one(
    version: Version, event: Event, used: Used, period: str | None = None
) -> Result | None:
    """The points of ``event`` under ``version`` given what the period already used; adds
    them to ``used``. None when the version has no row for the event's kind. ``period``: the
    event's, when the caller knows it already."""
    rate = version.rates.get(event.kind)
    if rate is None:
        return None
    raw = raw_points(rate, event.quantity)
    points = raw
    capped_by = ""
    kind_used = used.by_kind.get(event.kind, ZERO)
    if rate.cap is not None:
        room = rate.cap - kind_used
        if room < points:
            points = room if room > ZERO else ZERO
            capped_by = "kind"
    period_used = used.total
    if version.period_cap is not None:
        room = version.period_cap - period_used
        if room < points:
            points = room if room > ZERO else ZERO
            capped_by = "period"
    points = points.quantize(CENT)
    used.add(event.kind, points)
    return Result(
        key=event.key,
        version_id=version.id,
        version_number=version.number,
        period=period if period is not None else period_of(event.occurred_on),
        points=points,
        kind=event.kind,
        quantity=event.quantity,
        base=rate.base,
        per_unit=rate.per_unit,
        unit_size=rate.unit_size,
        raw=raw,
        kind_cap=rate.cap,
        kind_used=kind_used,
        period_cap=version.period_cap,
        period_used=period_used,
        capped_by=capped_by,
    )


def compute(
    versions: VersionIndex | Sequence[Version],
    events: Iterable[Event],
    *,
    used: Mapping[str, Used] | None = None,
) -> Iterator[Result]:
    """One talent's events (sorted by date, then key) → their results, caps applied per period
    in that order. ``used`` carries what earlier, unchanged events already took per period.
    Events before the first version, or of a kind the version does not list, yield nothing."""
    index = versions if isinstance(versions, VersionIndex) else VersionIndex(versions)
    periods: dict[str, Used] = {p: Used(u.total, dict(u.by_kind)) for p, u in (used or {}).items()}
    for event in events:
        version = index.at(event.occurred_on)
        if version is None:
            continue
        period = period_of(event.occurred_on)
        bucket = periods.get(period)
        if bucket is None:
            bucket = periods[period] = Used()
        result = compute_one(version, event, bucket, period)
        if result is not None:
            yield result
