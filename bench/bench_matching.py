"""Matching engine at scale: build time and memory, recommendation latency vs bare BM25.

    uv run python bench/bench_matching.py [--n 1000000] [--queries 300] [--seed 7]

One run, one process: generates the synthetic corpus of ``--n`` talent profiles
(``matching_corpus.py``; generation is timed alone in a first pass that keeps nothing), builds
the engine from a second pass of the same generator (build time = that pass minus the
generation time), then runs ``--queries`` need-like queries from held-out CSL papers through
the full ``Engine.recommend(top=20)`` (retrieval, re-ranking, exclusions, explanations) and
the bare ``Engine.bm25_top(top=20)``, and prints p50/p95/p99 of each and the p95 ratio. Last,
it times 1,000 profile upserts and one compaction. Targets from issue 4: build ≤ 3 min,
RSS ≤ 2 GB, recommendation p95 ≤ 30 ms and ≤ 15× the bare query. Prints; asserts nothing.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import os
import resource
import statistics
import time
from pathlib import Path


def rss_mib() -> float:
    """Current resident set size (VmRSS) in MiB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    q = statistics.quantiles(samples, n=100, method="inclusive")
    return q[49], q[94], q[98]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="talent profiles")
    parser.add_argument("--queries", type=int, default=300, help="needs to time")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    from matching_corpus import Corpus

    from talentflow.matching.engine.engine import Engine

    corpus = Corpus.load(args.seed)
    print(f"corpus: {args.n:,} profiles, seed {args.seed}, {len(corpus.fields)} CSL fields")
    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at start")
    started = time.perf_counter()
    chars = past = 0
    for doc in corpus.experts(args.n):
        chars += len(doc.text)
        past += len(doc.past)
    generation = time.perf_counter() - started
    print(
        f"corpus generation: {generation:.1f} s (mean profile {chars / args.n:.0f} chars, "
        f"{past:,} past engagements)"
    )

    gc.collect()
    base_rss = rss_mib()
    started = time.perf_counter()
    engine = Engine.build(corpus.experts(args.n))
    build_pass = time.perf_counter() - started
    gc.collect()
    index = engine.index
    print(
        f"index build: {build_pass - generation:.1f} s "
        f"(pass with generation {build_pass:.1f} s, minus {generation:.1f} s generation)"
    )
    print(
        f"memory: peak RSS {peak_rss_mib():,.0f} MiB (ru_maxrss), RSS after build "
        f"{rss_mib():,.0f} MiB (before build {base_rss:,.0f} MiB)"
    )
    print(
        f"index: {len(index.vocab):,} terms, {len(index.post_rows):,} postings, "
        f"avg doc length {index.avgdl:.1f} terms; past engagements indexed "
        f"{len(engine.past.texts):,}"
    )

    needs = corpus.needs(args.queries)
    for need in needs[:5]:  # warm-up: first-touch page faults, the taxonomy index
        engine.recommend(need, top=20)
        engine.bm25_top(need.text, top=20)
    full: list[float] = []
    bare: list[float] = []
    returned = 0
    for need in needs:
        t0 = time.perf_counter()
        engine.bm25_top(need.text, top=20)
        t1 = time.perf_counter()
        recs = engine.recommend(need, top=20)
        t2 = time.perf_counter()
        bare.append((t1 - t0) * 1000)
        full.append((t2 - t1) * 1000)
        returned += len(recs)
    f50, f95, f99 = percentiles(full)
    b50, b95, b99 = percentiles(bare)
    print(f"queries: {len(needs)} needs, mean {returned / len(needs):.1f} recommendations each")
    print(f"recommend(top=20): p50 {f50:.1f} ms, p95 {f95:.1f} ms, p99 {f99:.1f} ms")
    print(f"bm25_top(top=20):  p50 {b50:.1f} ms, p95 {b95:.1f} ms, p99 {b99:.1f} ms")
    print(f"p95 ratio full/bare: {f95 / b95:.2f}x")

    from talentflow.matching.engine.text import unique_terms

    held = fell = 0
    for need in needs:  # how the common-term pruning behaved (not timed)
        _, tids = index.term_ids(unique_terms(need.text))
        scored = index.score_query(tids)
        held += len(scored.tail)
        scored.top(200)
        fell += scored.fallbacks
    print(
        f"pruning: {held / len(needs):.1f} common terms held back per query; exact top-200 "
        f"needed the dense fallback for {fell} of {len(needs)} queries"
    )

    example = engine.recommend(needs[0], top=3)
    print(f"example need: {needs[0].text[:60]}…")
    for rec in example:
        reasons = "; ".join(
            f"{r.code} {r.score:+.2f} [{', '.join(e[:20] for e in r.evidence[:4])}]"
            for r in rec.reasons
        )
        print(f"  expert {rec.expert_id}: {rec.score:.3f} — {reasons}")

    edits = list(corpus.experts(1000))
    started = time.perf_counter()
    timings = []
    for doc in edits:
        t0 = time.perf_counter()
        engine.upsert(dataclasses.replace(doc, text=doc.text + " 新增方向"))
        timings.append((time.perf_counter() - t0) * 1000)
    u50, u95, _ = percentiles(timings)
    t0 = time.perf_counter()
    recs = engine.recommend(needs[0], top=20)
    after_edits = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    engine.compact()
    compact = time.perf_counter() - t0
    print(
        f"edits: 1,000 upserts p50 {u50:.2f} ms, p95 {u95:.2f} ms; a recommendation with "
        f"them in the delta {after_edits:.1f} ms; compact() {compact:.1f} s"
    )
    print(f"peak RSS at the end: {peak_rss_mib():,.0f} MiB")
    one, five, _ = os.getloadavg()
    print(f"load average at the end: {one:.2f} (1 min), {five:.2f} (5 min)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
