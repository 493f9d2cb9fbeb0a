"""Recomputing policy amounts (issue 5): 100,000 科技副总 subsidy applications through the
policy engine (rule-engine expressions on exact Decimals, with explanations). Prints time and
RSS; asserts nothing.

    uv run python bench/bench_rules.py [--n 100000]
"""

from __future__ import annotations

import argparse
import random
import resource
import time
from decimal import Decimal

from talentflow.rules.policy import compute
from talentflow.rules.seeds import VICE_PRESIDENT_SUBSIDY


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=100_000)
    n = parser.parse_args().n
    rng = random.Random(7)
    facts = [
        {
            "appointed": rng.random() < 0.95,
            "annual_salary": Decimal(rng.randint(0, 120_000_000)) / 100,
        }
        for _ in range(n)
    ]
    started = time.perf_counter()
    total = Decimal("0")
    lines = 0
    for f in facts:
        result = compute(VICE_PRESIDENT_SUBSIDY, f)
        total += result.amount
        lines += len(result.explanation())
    elapsed = time.perf_counter() - started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"applications: {n:,}; recomputed in {elapsed:.2f} s ({n / elapsed:,.0f}/s)")
    print(f"total amount: {total:,.2f} yuan; explanation lines: {lines:,}")
    print(f"peak RSS: {rss:,.0f} MiB")


if __name__ == "__main__":
    main()
