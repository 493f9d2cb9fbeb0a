"""Stable student-project allocation (issue 6): 10,000 students, 2,000 topics, 1,000 mentors.

    uv run python bench/bench_student_allocation.py [--students 10000] [--topics 2000]
        [--mentors 1000] [--runs 5] [--oracle-timeout 60]

Generates a synthetic joint-training round: topics have a Zipf-like popularity (a few topics are
wanted by hundreds of students), each student ranks 5-10 distinct topics drawn by popularity,
each topic belongs to one mentor (2 topics on average) and takes 3-7 students, each mentor takes
7-14 students (about as many seats as students) and ranks every student who applied to one of
their topics (by a noisy common "merit" score, so mentors broadly agree). Prints the time of
``allocate`` (best and median of ``--runs``), peak RSS, the number assigned, that there is no
blocking pair, and, for comparison, what the ``matching`` package's ``StudentAllocation`` does at
400 and 1,000 students (in a subprocess with a timeout; it can fail with RecursionError). Not a
test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from talentflow.programmes.allocation import (
    Mentor,
    Student,
    Topic,
    allocate,
    blocking_pairs,
)


def generate(
    students: int, topics: int, mentors: int, seed: int
) -> tuple[list[Student], list[Topic], list[Mentor]]:
    rng = np.random.default_rng(seed)
    popularity = 1.0 / np.arange(1, topics + 1) ** 0.8
    popularity /= popularity.sum()
    topic_ids = rng.permutation(topics) + 1  # popularity is not in id order
    # every mentor offers at least one topic; the rest are spread at random
    owner = np.concatenate([np.arange(mentors), rng.integers(0, mentors, topics - mentors)])
    rng.shuffle(owner)
    topic_list = [
        Topic(int(topic_ids[j]), int(owner[j]) + 1, int(c))
        for j, c in enumerate(rng.integers(3, 8, topics))
    ]
    lengths = rng.integers(5, 11, students)
    student_list = []
    applicants: list[set[int]] = [set() for _ in range(mentors)]
    for i in range(students):
        drawn = rng.choice(topics, size=int(lengths[i]), replace=False, p=popularity)
        student_list.append(Student(i + 1, tuple(int(topic_ids[j]) for j in drawn)))
        for j in drawn:
            applicants[owner[j]].add(i)
    merit = rng.normal(0.0, 1.0, students)
    mentor_list = []
    for k in range(mentors):
        pool = np.fromiter(sorted(applicants[k]), dtype=np.int64)
        score = merit[pool] + rng.normal(0.0, 0.7, len(pool))
        order = pool[np.argsort(-score, kind="stable")]
        mentor_list.append(
            Mentor(k + 1, int(rng.integers(7, 15)), tuple(int(i) + 1 for i in order))
        )
    return student_list, topic_list, mentor_list


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_matching(students: int, seed: int) -> None:
    """Child process: time ``matching``'s StudentAllocation on a scaled-down instance."""
    import warnings

    from matching.games import StudentAllocation

    topics, mentors = max(2, students // 5), max(1, students // 10)
    student_list, topic_list, mentor_list = generate(students, topics, mentors, seed)
    t = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            game = StudentAllocation.create_from_dictionaries(
                {s.id: list(s.preferences) for s in student_list},
                {m.id: list(m.ranking) for m in mentor_list},
                {t.id: t.mentor for t in topic_list},
                {t.id: t.capacity for t in topic_list},
                {m.id: m.capacity for m in mentor_list},
            )
            game.solve(optimal="student")
    except RecursionError:
        print(f"RecursionError after {time.perf_counter() - t:.2f} s")
        return
    seconds = time.perf_counter() - t
    t = time.perf_counter()
    ours = allocate(student_list, topic_list, mentor_list)
    mine = time.perf_counter() - t
    theirs = {s.name: p.name for p, ss in game.matching.items() for s in ss}
    same = all(theirs.get(s) == p for s, p in ours.assignment.items())
    print(f"{seconds:.2f} s (allocate: {mine:.3f} s, same result: {same})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=10000)
    parser.add_argument("--topics", type=int, default=2000)
    parser.add_argument("--mentors", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--oracle-timeout", type=float, default=60.0)
    parser.add_argument("--matching-only", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.matching_only:
        run_matching(args.matching_only, args.seed)
        return 0

    t0 = time.perf_counter()
    students, topics, mentors = generate(args.students, args.topics, args.mentors, args.seed)
    pairs = sum(len(s.preferences) for s in students)
    print(
        f"generated in {time.perf_counter() - t0:.1f} s: {len(students)} students "
        f"({pairs} ranked pairs), {len(topics)} topics (capacity "
        f"{sum(t.capacity for t in topics)}), {len(mentors)} mentors (capacity "
        f"{sum(m.capacity for m in mentors)})"
    )
    rss_before = peak_rss_mb()
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        result = allocate(students, topics, mentors)
        times.append(time.perf_counter() - t)
    print(
        f"{'allocate':<24} best {min(times):6.3f} s   median {statistics.median(times):6.3f} s"
        f"   assigned {result.assigned:>5}/{len(students)}"
    )
    print(f"{'':<24} runs: {', '.join(f'{s:.3f}' for s in times)} s")
    print(f"{'':<24} peak RSS {peak_rss_mb():.0f} MB (before allocating {rss_before:.0f} MB)")
    t = time.perf_counter()
    blocking = blocking_pairs(students, topics, mentors, result)
    print(
        f"{'blocking_pairs':<24} {time.perf_counter() - t:6.3f} s   blocking pairs: {len(blocking)}"
    )
    assert all(result.topic_load[t.id] <= t.capacity for t in topics)
    assert all(result.mentor_load[m.id] <= m.capacity for m in mentors)

    for n in (400, 1000):
        command = [sys.executable, __file__, "--matching-only", str(n), "--seed", str(args.seed)]
        try:
            done = subprocess.run(
                command, capture_output=True, text=True, timeout=args.oracle_timeout
            )
            outcome = (done.stdout.strip() or done.stderr.strip().splitlines()[-1])[:200]
        except subprocess.TimeoutExpired:
            outcome = f"no answer within {args.oracle_timeout:.0f} s"
        print(f"{f'matching, {n} students':<24} {outcome}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
