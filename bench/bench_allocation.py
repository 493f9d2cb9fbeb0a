"""Global allocation at county-to-province scale: 2,000 open needs, 20,000 experts.

    uv run python bench/bench_allocation.py [--needs 2000] [--experts 20000] [--top 50]

Generates a synthetic allocation problem shaped like the recommendation engine's output: experts
have Zipf-like popularity (a few star experts turn up in hundreds of needs' candidate lists) and
a quality that stars tend to have more of; each need draws a retrieval pool by popularity, scores
it (topical relevance x expert quality) and keeps its top ``--top`` candidates. Needs want 1
expert (80%), a team of 2 (15%) or 3 (5%); experts have 1-3 free places. Then prints, for
``allocate`` (median of ``--runs`` runs), ``allocate(fill_first=True)`` and a greedy baseline
(all pairs by score, taken when both sides have room): the time, slots and needs filled, and the
total score; and how concentrated "everyone invites their top candidate" would be. Not a test:
nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from talentflow.matching.engine.allocate import Allocation, Candidate, allocate


def generate(
    needs: int, experts: int, top: int, seed: int
) -> tuple[list[Candidate], dict[int, int], dict[int, int]]:
    """Candidates (top-``top`` per need), wants per need and capacity per expert."""
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, experts + 1) ** 0.9  # Zipf-like: rank 1 is the star
    popularity /= popularity.sum()
    quality = np.clip(rng.beta(2, 4, experts) + 0.4 * (popularity / popularity.max()) ** 0.25, 0, 1)
    expert_ids = rng.permutation(experts) + 1  # popularity is not in id order
    candidates: list[Candidate] = []
    pool = min(experts, 3 * top)
    for need in range(1, needs + 1):
        drawn = rng.choice(experts, size=pool, replace=False, p=popularity)
        relevance = rng.lognormal(0.0, 0.5, pool)
        score = relevance * (0.5 + 0.5 * quality[drawn])
        keep = np.argsort(-score, kind="stable")[:top]
        candidates.extend(
            Candidate(need, int(expert_ids[drawn[k]]), round(float(score[k]), 6)) for k in keep
        )
    wants = {n: int(w) for n, w in enumerate(rng.choice([1, 2, 3], needs, p=[0.8, 0.15, 0.05]), 1)}
    capacity = {
        int(e): int(c) for e, c in zip(expert_ids, rng.integers(1, 4, experts), strict=True)
    }
    return candidates, wants, capacity


def greedy(
    candidates: list[Candidate], wants: dict[int, int], capacity: dict[int, int]
) -> tuple[list[tuple[int, int]], float]:
    """The baseline: best pairs first, each taken if its need and its expert have room."""
    per_need: Counter[int] = Counter()
    per_expert: Counter[int] = Counter()
    chosen: list[tuple[int, int]] = []
    total = 0.0
    for c in sorted(candidates, key=lambda c: (-c.score, c.need_id, c.expert_id)):
        if per_need[c.need_id] < wants[c.need_id] and per_expert[c.expert_id] < capacity.get(
            c.expert_id, 0
        ):
            per_need[c.need_id] += 1
            per_expert[c.expert_id] += 1
            chosen.append((c.need_id, c.expert_id))
            total += c.score
    return chosen, total


def summary(name: str, seconds: float, pairs, total: float, wants: dict[int, int]) -> str:
    per_need = Counter(n for n, _ in pairs)
    full = sum(per_need[n] >= w for n, w in wants.items())
    return (
        f"{name:<24} {seconds:7.2f} s   slots {len(pairs):>5}/{sum(wants.values())}"
        f"   needs full {full:>5}/{len(wants)}   total {total:10.3f}"
    )


def check(result: Allocation, wants: dict[int, int], capacity: dict[int, int]) -> None:
    per_need = Counter(n for n, _ in result.pairs)
    per_expert = Counter(e for _, e in result.pairs)
    assert all(k <= wants[n] for n, k in per_need.items())
    assert all(k <= capacity[e] for e, k in per_expert.items())
    assert len(set(result.pairs)) == len(result.pairs)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--needs", type=int, default=2000)
    parser.add_argument("--experts", type=int, default=20000)
    parser.add_argument("--top", type=int, default=50, help="candidates per need")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=4)
    args = parser.parse_args()

    t0 = time.perf_counter()
    candidates, wants, capacity = generate(args.needs, args.experts, args.top, args.seed)
    appearances = Counter(c.expert_id for c in candidates)
    print(
        f"generated in {time.perf_counter() - t0:.1f} s: {args.needs} needs (slots wanted "
        f"{sum(wants.values())}), {args.experts} experts (capacity {sum(capacity.values())}), "
        f"{len(candidates)} candidate pairs"
    )
    print(
        f"experts in some candidate list: {len(appearances)}; the most popular is in "
        f"{appearances.most_common(1)[0][1]} lists; top 20 experts cover "
        f"{sum(k for _, k in appearances.most_common(20)) / len(candidates):.1%} of all pairs"
    )
    firsts: Counter[int] = Counter()
    seen: set[int] = set()
    for c in candidates:  # candidates come best first within each need
        if c.need_id not in seen:
            seen.add(c.need_id)
            firsts[c.expert_id] += 1
    over = sum(max(0, k - capacity[e]) for e, k in firsts.items())
    print(
        f"'everyone invites their top candidate': {len(firsts)} distinct experts, the busiest "
        f"asked by {max(firsts.values())} needs, {over} invitations beyond capacity"
    )

    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        result = allocate(candidates, wants=wants, capacity=capacity)
        times.append(time.perf_counter() - t)
    check(result, wants, capacity)
    print(summary("allocate (median)", statistics.median(times), result.pairs, result.total, wants))
    print(f"{'':<24} runs: {', '.join(f'{s:.2f}' for s in times)} s")

    t = time.perf_counter()
    filled = allocate(candidates, wants=wants, capacity=capacity, fill_first=True)
    seconds = time.perf_counter() - t
    check(filled, wants, capacity)
    print(summary("allocate fill_first", seconds, filled.pairs, filled.total, wants))

    t = time.perf_counter()
    pairs, total = greedy(candidates, wants, capacity)
    print(summary("greedy baseline", time.perf_counter() - t, pairs, total, wants))
    print(
        f"allocate vs greedy: total {result.total - total:+.3f} "
        f"({(result.total / total - 1) if total else 0:+.2%}), "
        f"slots {len(result.pairs) - len(pairs):+d}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
