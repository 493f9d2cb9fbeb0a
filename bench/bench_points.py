"""Points for shared talent (issue 5): 1,000,000 events of 20,000 talents through the points
engine (exact Decimals, two published versions, caps per kind and per year, an explanation per
entry). Prints time and peak RSS; asserts nothing.

    uv run python bench/bench_points.py [--n 1000000] [--talents 20000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import time
from decimal import Decimal
from itertools import groupby

from talentflow.points.engine import Event, Rate, Version, VersionIndex, compute

KINDS = {
    # kind: (base, per unit, unit size, cap), 青田's demo table
    "output_value": ("0", "1", "10000", "200"),
    "invention_patent_granted": ("0", "30", "1", "120"),
    "energy_reduction": ("0", "2", "1", "40"),
    "engagement_completed": ("10", "0", "1", "60"),
    "students_mentored": ("0", "5", "1", "30"),
    "industry_service": ("0", "1", "1", "30"),
}


def version(vid: int, start: dt.date, scale: str) -> Version:
    rates = {
        k: Rate(k, Decimal(b), Decimal(p) * Decimal(scale), Decimal(u), Decimal(c))
        for k, (b, p, u, c) in KINDS.items()
    }
    return Version(vid, vid, start, rates, period_cap=Decimal("500"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--talents", type=int, default=20_000)
    args = parser.parse_args()
    rng = random.Random(7)
    kinds = list(KINDS)
    start = dt.date(2024, 1, 1)
    events = sorted(
        (
            rng.randrange(args.talents),
            start + dt.timedelta(days=rng.randrange(3 * 365)),
            i,
            kinds[rng.randrange(len(kinds))],
            Decimal(rng.randint(0, 5_000_000)) / 100,
        )
        for i in range(args.n)
    )
    index = VersionIndex([version(1, start, "1"), version(2, dt.date(2026, 1, 1), "1.25")])
    started = time.perf_counter()
    total = Decimal("0")
    entries = capped = 0
    keys = 0
    for _talent, group in groupby(events, key=lambda e: e[0]):
        for r in compute(index, (Event(i, k, d, q) for _t, d, i, k, q in group)):
            total += r.points
            entries += 1
            capped += r.capped_by != ""
            keys += len(r.explanation())
    elapsed = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"events: {args.n:,} of {args.talents:,} talents; computed in {elapsed:.2f} s "
        f"({args.n / elapsed:,.0f}/s)"
    )
    print(
        f"entries: {entries:,} ({capped:,} capped); total points: {total:,.2f}; "
        f"explanation fields: {keys:,}"
    )
    print(f"peak RSS: {rss:,.0f} MiB")


if __name__ == "__main__":
    main()
