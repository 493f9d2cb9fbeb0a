"""Matching quality on the labelled development set (bench/matching_devset.py): nDCG@10 and
recall@10 of plain BM25 and of the engine (BM25 + structured re-ranking), on the same index.

    uv run python bench/bench_matching_quality.py

Prints the figures; asserts nothing.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import matching_devset

from talentflow.matching.engine.engine import Engine


def _ids(results) -> list[int]:
    ids = []
    for item in results:
        if isinstance(item, tuple):
            ids.append(int(item[0]))
        elif hasattr(item, "expert_id"):
            ids.append(int(item.expert_id))
        else:
            ids.append(int(item))
    return ids


def main() -> None:
    started = time.perf_counter()
    devset = matching_devset.build()
    print(
        f"development set: {len(devset.experts):,} experts, {len(devset.queries):,} needs "
        f"(built in {time.perf_counter() - started:.1f} s)"
    )
    started = time.perf_counter()
    engine = Engine.build(devset.experts)
    print(f"index built in {time.perf_counter() - started:.1f} s")
    bm25 = matching_devset.evaluate(devset, lambda q: _ids(engine.bm25_top(q.text, top=10)))
    full = matching_devset.evaluate(devset, lambda q: _ids(engine.recommend(q, top=10)))
    print(f"{'ranker':<28}{'nDCG@10':>10}{'recall@10':>12}")
    print(f"{'plain BM25':<28}{bm25[0]:>10.4f}{bm25[1]:>12.4f}")
    print(f"{'engine (BM25 + signals)':<28}{full[0]:>10.4f}{full[1]:>12.4f}")
    if bm25[0]:
        print(f"nDCG@10 ratio engine / BM25: {full[0] / bm25[0]:.3f}")


if __name__ == "__main__":
    main()
