"""Stable student-project allocation (SPA-student): examples, oracle and property tests.

No database: the module under test is pure Python.
"""

from __future__ import annotations

import random
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from matching.games import StudentAllocation

from talentflow.programmes.allocation import (
    Allocation,
    Mentor,
    Student,
    Topic,
    allocate,
    blocking_pairs,
    validate,
)

# --- helpers -------------------------------------------------------------------------------


def random_instance(
    rng: random.Random,
    n_students: int,
    n_topics: int,
    n_mentors: int,
    *,
    max_list: int = 5,
    min_capacity: int = 1,
    max_topic_capacity: int = 3,
    max_mentor_capacity: int = 4,
    rank_fraction: float = 1.0,
    empty_lists: bool = False,
) -> tuple[list[Student], list[Topic], list[Mentor]]:
    """Random SPA instance. Mentors rank the students who list one of their topics (each kept
    with probability ``rank_fraction``), plus nobody else."""
    topics = [
        Topic(
            f"t{j}", f"m{rng.randrange(n_mentors)}", rng.randint(min_capacity, max_topic_capacity)
        )
        for j in range(n_topics)
    ]
    topic_ids = [t.id for t in topics]
    students = []
    for i in range(n_students):
        length = rng.randint(0 if empty_lists else 1, min(n_topics, max_list))
        students.append(Student(f"s{i}", tuple(rng.sample(topic_ids, length))))
    mentors = []
    for k in range(n_mentors):
        mine = {t.id for t in topics if t.mentor == f"m{k}"}
        applicants = [
            s.id for s in students if mine & set(s.preferences) and rng.random() < rank_fraction
        ]
        rng.shuffle(applicants)
        capacity = rng.randint(min_capacity, max_mentor_capacity)
        mentors.append(Mentor(f"m{k}", capacity, tuple(applicants)))
    return students, topics, mentors


def oracle(students, topics, mentors, *, clean: bool = False) -> dict:
    """The ``matching`` package's student-optimal allocation as {student: topic or None}."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # it warns about capacities and unranked pairs
        game = StudentAllocation.create_from_dictionaries(
            {s.id: list(s.preferences) for s in students},
            {m.id: list(m.ranking) for m in mentors},
            {t.id: t.mentor for t in topics},
            {t.id: t.capacity for t in topics},
            {m.id: m.capacity for m in mentors},
            clean=clean,
        )
        found = game.solve(optimal="student")
    result: dict = {s.id: None for s in students}
    for project, matched in found.items():
        for student in matched:
            result[student.name] = project.name
    return result


def assert_feasible(students, topics, mentors, result: Allocation) -> None:
    """Capacities respected, loads consistent, every assignment on the student's list."""
    listed = {s.id: set(s.preferences) for s in students}
    mentor_of = {t.id: t.mentor for t in topics}
    assert set(result.assignment) == {s.id for s in students}
    topic_load = dict.fromkeys(mentor_of, 0)
    mentor_load = {m.id: 0 for m in mentors}
    for sid, tid in result.assignment.items():
        if tid is not None:
            assert tid in listed[sid]
            topic_load[tid] += 1
            mentor_load[mentor_of[tid]] += 1
    assert result.topic_load == topic_load
    assert result.mentor_load == mentor_load
    assert all(topic_load[t.id] <= t.capacity for t in topics)
    assert all(mentor_load[m.id] <= m.capacity for m in mentors)


# --- hand-made examples ------------------------------------------------------------------

# The worked example of Abraham, Irving & Manlove (2007), as recalled here: 7 students,
# 8 projects, 3 lecturers. The expected allocation is the one the SPA-student algorithm gives
# (checked against `matching` and by the blocking-pair check below).
PAPER_STUDENTS = [
    Student("s1", ("p1", "p7")),
    Student("s2", ("p1", "p2", "p3", "p4", "p5", "p6")),
    Student("s3", ("p2", "p1", "p4")),
    Student("s4", ("p2",)),
    Student("s5", ("p1", "p2", "p3", "p4")),
    Student("s6", ("p2", "p3", "p4", "p5", "p6")),
    Student("s7", ("p5", "p3", "p8")),
]
PAPER_TOPICS = [
    Topic("p1", "l1", 2),
    Topic("p2", "l1", 1),
    Topic("p3", "l1", 1),
    Topic("p4", "l2", 1),
    Topic("p5", "l2", 1),
    Topic("p6", "l2", 1),
    Topic("p7", "l3", 1),
    Topic("p8", "l3", 1),
]
PAPER_MENTORS = [
    Mentor("l1", 3, ("s7", "s4", "s1", "s3", "s2", "s5", "s6")),
    Mentor("l2", 2, ("s3", "s2", "s6", "s7", "s5")),
    Mentor("l3", 2, ("s1", "s7")),
]


def test_paper_example():
    result = allocate(PAPER_STUDENTS, PAPER_TOPICS, PAPER_MENTORS)
    assert result.assignment == oracle(PAPER_STUDENTS, PAPER_TOPICS, PAPER_MENTORS)
    assert result.assignment == {
        "s1": "p1",
        "s2": "p5",
        "s3": "p4",
        "s4": "p2",
        "s5": None,
        "s6": None,
        "s7": "p3",
    }
    assert blocking_pairs(PAPER_STUDENTS, PAPER_TOPICS, PAPER_MENTORS, result) == []
    assert result.mentor_load == {"l1": 3, "l2": 2, "l3": 0}
    assert result.students_of("p1") == ["s1"]
    assert result.assigned == 5


def test_topic_full_rejects_mentors_worst():
    students = [Student("a", ("t",)), Student("b", ("t", "u")), Student("c", ("t",))]
    topics = [Topic("t", "m", 2), Topic("u", "m", 1)]
    mentors = [Mentor("m", 3, ("c", "a", "b"))]
    result = allocate(students, topics, mentors)
    assert result.assignment == {"a": "t", "b": "u", "c": "t"}
    assert result.topic_load == {"t": 2, "u": 1}


def test_mentor_full_rejects_worst_across_topics():
    # m takes 2 students over two topics; "c" is m's worst, so "c" loses "u" when "a" arrives
    students = [Student("c", ("u", "x")), Student("b", ("t",)), Student("a", ("u",))]
    topics = [Topic("t", "m", 1), Topic("u", "m", 2), Topic("x", "n", 1)]
    mentors = [Mentor("m", 2, ("a", "b", "c")), Mentor("n", 1, ("c",))]
    result = allocate(students, topics, mentors)
    assert result.assignment == {"c": "x", "b": "t", "a": "u"}
    assert result.mentor_load == {"m": 2, "n": 1}


def test_zero_capacity_and_empty_list():
    students = [Student("a", ("t", "u")), Student("b", ())]
    topics = [Topic("t", "m", 0), Topic("u", "n", 1)]
    mentors = [Mentor("m", 5, ("a",)), Mentor("n", 0, ("a",))]
    result = allocate(students, topics, mentors)
    assert result.assignment == {"a": None, "b": None}
    assert blocking_pairs(students, topics, mentors, result) == []


def test_blocking_pairs_finds_each_kind():
    students = [Student("a", ("t", "u")), Student("b", ("t",))]
    topics = [Topic("t", "m", 1), Topic("u", "m", 1)]
    mentors = [Mentor("m", 2, ("a", "b"))]
    # (c) t is full with b, and m prefers a to b
    assert blocking_pairs(students, topics, mentors, {"a": "u", "b": "t"}) == [("a", "t")]
    # (a) topics and mentor under-subscribed, students unassigned
    assert blocking_pairs(students, topics, mentors, {"a": None, "b": None}) == [
        ("a", "t"),
        ("a", "u"),
        ("b", "t"),
    ]
    # (b) t under-subscribed and m full (capacity 1)
    one = [Mentor("m", 1, ("b", "a"))]
    students = [Student("a", ("t",)), Student("b", ("t", "u"))]
    # b is with m already (on u) and prefers t
    assert blocking_pairs(students, topics, one, {"b": "u"}) == [("b", "t")]
    # m prefers b to its worst (and only) student a; (b, t) also blocks by (c)
    assert blocking_pairs(students, topics, one, {"a": "t"}) == [
        ("b", "t"),
        ("b", "u"),
    ]
    # m prefers b, who is on their first choice: stable
    assert blocking_pairs(students, topics, one, {"b": "t"}) == []


def test_blocking_pairs_rejects_invalid_allocation():
    students = [Student("a", ("t",)), Student("b", ("t",))]
    topics = [Topic("t", "m", 1), Topic("u", "m", 1)]
    mentors = [Mentor("m", 2, ("a", "b"))]
    with pytest.raises(ValueError, match="over capacity"):
        blocking_pairs(students, topics, mentors, {"a": "t", "b": "t"})
    with pytest.raises(ValueError, match="do not list"):
        blocking_pairs(students, topics, mentors, {"a": "u"})
    with pytest.raises(ValueError, match="unknown student"):
        blocking_pairs(students, topics, mentors, {"z": None})


def test_unranked_pairs():
    students = [Student("a", ("t", "u")), Student("b", ("t",))]
    topics = [Topic("t", "m", 1), Topic("u", "n", 1)]
    mentors = [Mentor("m", 1, ("b",)), Mentor("n", 1, ("a", "a2"))]
    with pytest.raises(ValueError, match="unknown student 'a2'"):
        allocate(students, topics, mentors)
    mentors = [Mentor("m", 1, ("b",)), Mentor("n", 1, ("a",))]
    with pytest.raises(ValueError, match="lists topic 't' but its mentor 'm' does not rank"):
        allocate(students, topics, mentors)
    result = allocate(students, topics, mentors, unranked="drop")
    assert result.assignment == {"a": "u", "b": "t"}
    assert blocking_pairs(students, topics, mentors, result, unranked="drop") == []


# --- bad input -----------------------------------------------------------------------------

OK_STUDENTS = [Student("a", ("t",))]
OK_TOPICS = [Topic("t", "m", 1)]
OK_MENTORS = [Mentor("m", 1, ("a",))]


@pytest.mark.parametrize(
    ("students", "topics", "mentors", "message"),
    [
        ([Student("a", ("x",))], OK_TOPICS, OK_MENTORS, "student 'a' lists unknown topic 'x'"),
        ([Student("a", ("t", "t"))], OK_TOPICS, OK_MENTORS, "student 'a' lists topic 't' twice"),
        (OK_STUDENTS, [Topic("t", "m", -1)], OK_MENTORS, "topic 't': capacity must be >= 0"),
        (OK_STUDENTS, OK_TOPICS, [Mentor("m", -2, ("a",))], "mentor 'm': capacity must be >= 0"),
        (OK_STUDENTS, [Topic("t", "m", 1.5)], OK_MENTORS, "capacity must be an integer"),
        (OK_STUDENTS, [Topic("t", "zz", 1)], OK_MENTORS, "topic 't': unknown mentor 'zz'"),
        (OK_STUDENTS, OK_TOPICS, [Mentor("m", 1, ("a", "a"))], "ranks student 'a' twice"),
        (OK_STUDENTS, OK_TOPICS, [Mentor("m", 1, ())], "mentor 'm' does not rank them"),
        (OK_STUDENTS * 2, OK_TOPICS, OK_MENTORS, "duplicate student id 'a'"),
        (OK_STUDENTS, OK_TOPICS * 2, OK_MENTORS, "duplicate topic id 't'"),
        (OK_STUDENTS, OK_TOPICS, OK_MENTORS * 2, "duplicate mentor id 'm'"),
        ([Student("a", "t")], OK_TOPICS, OK_MENTORS, "must be a sequence of topic ids"),
    ],
)
def test_bad_input_raises_clear_error(students, topics, mentors, message):
    with pytest.raises(ValueError, match=message):
        validate(students, topics, mentors)
    with pytest.raises(ValueError, match=message):
        allocate(students, topics, mentors)


def test_bad_unranked_mode():
    with pytest.raises(ValueError, match="unranked must be"):
        allocate(OK_STUDENTS, OK_TOPICS, OK_MENTORS, unranked="ignore")


# --- property tests ------------------------------------------------------------------------

seeds = st.integers(0, 2**32 - 1)


@settings(max_examples=300, deadline=None)
@given(
    seed=seeds,
    n_students=st.integers(1, 10),
    n_topics=st.integers(1, 6),
    n_mentors=st.integers(1, 3),
)
def test_small_instances_equal_matching(seed, n_students, n_topics, n_mentors):
    rng = random.Random(seed)
    students, topics, mentors = random_instance(rng, n_students, n_topics, n_mentors)
    result = allocate(students, topics, mentors)
    assert result.assignment == oracle(students, topics, mentors)
    assert_feasible(students, topics, mentors, result)
    assert blocking_pairs(students, topics, mentors, result) == []


@settings(max_examples=150, deadline=None)
@given(
    seed=seeds,
    n_students=st.integers(1, 10),
    n_topics=st.integers(1, 6),
    n_mentors=st.integers(1, 3),
)
def test_small_instances_with_unranked_pairs_equal_matching_clean(
    seed, n_students, n_topics, n_mentors
):
    rng = random.Random(seed)
    students, topics, mentors = random_instance(
        rng, n_students, n_topics, n_mentors, rank_fraction=0.7
    )
    inst = validate(students, topics, mentors, unranked="drop")
    # `matching` crashes on a student left with an empty list, so keep only the others
    kept = [s for s, prefs in zip(students, inst.prefs, strict=True) if prefs]
    if not kept:
        return
    kept_ids = {s.id for s in kept}
    mentors = [
        Mentor(m.id, m.capacity, tuple(s for s in m.ranking if s in kept_ids)) for m in mentors
    ]
    result = allocate(kept, topics, mentors, unranked="drop")
    assert result.assignment == oracle(kept, topics, mentors, clean=True)
    assert blocking_pairs(kept, topics, mentors, result, unranked="drop") == []


@settings(max_examples=300, deadline=None)
@given(
    seed=seeds,
    n_students=st.integers(0, 12),
    n_topics=st.integers(1, 6),
    n_mentors=st.integers(1, 3),
)
def test_student_optimal_against_every_stable_allocation(seed, n_students, n_topics, n_mentors):
    """With zero capacities and empty lists too (which `matching` cannot take): brute force
    over all feasible allocations of tiny instances; every stable one is weakly worse for every
    student than ours."""
    rng = random.Random(seed)
    n_students = min(n_students, 6)
    students, topics, mentors = random_instance(
        rng,
        n_students,
        n_topics,
        n_mentors,
        max_list=3,
        min_capacity=0,
        max_topic_capacity=2,
        max_mentor_capacity=2,
        empty_lists=True,
    )
    result = allocate(students, topics, mentors)
    assert_feasible(students, topics, mentors, result)
    assert blocking_pairs(students, topics, mentors, result) == []
    position = {s.id: {t: r for r, t in enumerate(s.preferences)} for s in students}

    def pos(sid, tid):
        return len(position[sid]) if tid is None else position[sid][tid]

    capacity = {t.id: t.capacity for t in topics}
    mentor_of = {t.id: t.mentor for t in topics}
    mentor_capacity = {m.id: m.capacity for m in mentors}

    def feasible(choice):
        tl, ml = {}, {}
        for tid in choice:
            if tid is not None:
                tl[tid] = tl.get(tid, 0) + 1
                ml[mentor_of[tid]] = ml.get(mentor_of[tid], 0) + 1
        return all(v <= capacity[t] for t, v in tl.items()) and all(
            v <= mentor_capacity[m] for m, v in ml.items()
        )

    def walk(i, choice):
        if i == len(students):
            if feasible(choice):
                yield dict(zip((s.id for s in students), choice, strict=True))
            return
        for tid in (None, *students[i].preferences):
            yield from walk(i + 1, [*choice, tid])

    stable = [a for a in walk(0, []) if not blocking_pairs(students, topics, mentors, a)]
    assert result.assignment in stable
    for other in stable:
        for sid, tid in other.items():
            assert pos(sid, result.assignment[sid]) <= pos(sid, tid)


@settings(max_examples=8, deadline=None)
@given(seed=seeds)
def test_large_instances_stable_and_within_capacity(seed):
    rng = random.Random(seed)
    students, topics, mentors = random_instance(
        rng,
        2000,
        400,
        200,
        max_list=8,
        min_capacity=0,
        max_topic_capacity=6,
        max_mentor_capacity=12,
        empty_lists=True,
    )
    result = allocate(students, topics, mentors)
    assert_feasible(students, topics, mentors, result)
    assert blocking_pairs(students, topics, mentors, result) == []


@settings(max_examples=30, deadline=None)
@given(seed=seeds)
def test_deterministic_and_independent_of_input_order(seed):
    rng = random.Random(seed)
    students, topics, mentors = random_instance(rng, 60, 15, 6, rank_fraction=0.9)
    first = allocate(students, topics, mentors, unranked="drop")
    assert allocate(students, topics, mentors, unranked="drop") == first
    rng.shuffle(students)
    rng.shuffle(topics)
    rng.shuffle(mentors)
    shuffled = allocate(students, topics, mentors, unranked="drop")
    assert shuffled.assignment == first.assignment
    assert shuffled.topic_load == first.topic_load
    assert shuffled.mentor_load == first.mentor_load
