"""Stable student–project allocation for joint training (issue 6, "Allocation").

This is the Student–Project Allocation problem (SPA) of Abraham, Irving and Manlove, "Two
algorithms for the Student-Project Allocation problem", J. Discrete Algorithms 5 (2007). Students
rank topics (projects); each topic is offered by one mentor (the paper's lecturer) and has a
capacity; each mentor has a capacity and a strict ranking of students. :func:`allocate` runs the
paper's SPA-student algorithm and returns the **student-optimal** stable allocation: every student
gets the best topic they have in any stable allocation. That allocation is unique, so the result
does not depend on the input order.

Pure Python, no Django. Iterative (no recursion), ``O(P log C)`` for ``P`` ranked pairs: the
paper's explicit deletions are kept as one threshold per topic and one per mentor (a pair
``(s, t)`` is deleted once the mentor ranks ``s`` below the topic's or the mentor's threshold;
thresholds only ever tighten), each topic keeps a max-heap of its students by mentor rank, and
each mentor a lazily cleaned max-heap.

Conventions (the same as the ``matching`` package's ``StudentAllocation``, which the tests use as
an oracle on small instances):

* A student lists a topic = the student finds it acceptable. A topic's own ranking is its mentor's
  ranking restricted to the students who list it; mentors rank students strictly (no ties).
* Every mentor must rank every student who lists one of the mentor's topics. An *unranked pair*
  (student lists a topic whose mentor does not rank them) is an error by default
  (``unranked="error"``); with ``unranked="drop"`` the pair is treated as unacceptable: it is
  removed from the student's list before allocating and can never block (``matching`` with
  ``clean=True`` does the same). A mentor ranking students who list none of their topics is
  harmless: those entries are ignored.
* Students may list no topic (they stay unassigned). Capacities may be 0 (the topic or mentor then
  takes nobody). A topic capacity above its mentor's, or a mentor capacity above the sum of their
  topics', is allowed (``matching`` only warns) and does not change the result.
* A pair ``(s, t)``, ``t`` offered by mentor ``m``, **blocks** an allocation ``M`` when ``s`` lists
  ``t``, ``s`` is unassigned or prefers ``t`` to ``M(s)``, and one of:
  (a) ``t`` and ``m`` are both under-subscribed;
  (b) ``t`` is under-subscribed, ``m`` is full, and either ``s`` is already with ``m`` (on another
  topic) or ``m`` prefers ``s`` to the worst student in ``M(m)``;
  (c) ``t`` is full and ``m`` prefers ``s`` to the worst student in ``M(t)``.
  (A full topic or mentor with nobody assigned, i.e. capacity 0, cannot be blocked through.)
"""

from __future__ import annotations

import heapq
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

__all__ = [
    "Allocation",
    "Instance",
    "Mentor",
    "Student",
    "Topic",
    "allocate",
    "blocking_pairs",
    "validate",
]

Unranked = Literal["error", "drop"]


@dataclass(frozen=True, slots=True)
class Student:
    """A student and their ranked topics, best first (the topics they find acceptable)."""

    id: Hashable
    preferences: Sequence[Hashable] = ()


@dataclass(frozen=True, slots=True)
class Topic:
    """A topic (project) offered by one mentor, taking at most ``capacity`` students."""

    id: Hashable
    mentor: Hashable
    capacity: int


@dataclass(frozen=True, slots=True)
class Mentor:
    """A mentor (the paper's lecturer): a capacity over all their topics and a strict ranking of
    students, best first."""

    id: Hashable
    capacity: int
    ranking: Sequence[Hashable] = ()


@dataclass(frozen=True, slots=True)
class Allocation:
    """The result: each student's topic (``None`` when unassigned) and the loads."""

    assignment: dict[Hashable, Hashable | None]
    topic_load: dict[Hashable, int]
    mentor_load: dict[Hashable, int]

    @property
    def assigned(self) -> int:
        return sum(t is not None for t in self.assignment.values())

    def students_of(self, topic: Hashable) -> list[Hashable]:
        """The students assigned to ``topic``, in input order."""
        return [s for s, t in self.assignment.items() if t == topic]


@dataclass(slots=True)
class Instance:
    """A validated problem in index form (what :func:`validate` returns).

    Students, topics and mentors are numbered in input order; ``prefs[i]`` lists topic indices
    (unranked pairs already dropped when ``unranked="drop"``); ``rank[i][k]`` is student ``i``'s
    position in mentor ``k``'s ranking (only for the mentors of the topics ``i`` lists).
    """

    student_ids: list[Hashable]
    topic_ids: list[Hashable]
    mentor_ids: list[Hashable]
    prefs: list[list[int]]
    rank: list[dict[int, int]]
    topic_mentor: list[int]
    topic_capacity: list[int]
    mentor_capacity: list[int]
    topic_index: dict[Hashable, int] = field(repr=False)
    student_index: dict[Hashable, int] = field(repr=False)


def _capacity(kind: str, ident: Hashable, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{kind} {ident!r}: capacity must be an integer, got {value!r}")
    if value < 0:
        raise ValueError(f"{kind} {ident!r}: capacity must be >= 0, got {value}")
    return value


def _index(kind: str, items: Iterable[Hashable]) -> dict[Hashable, int]:
    index: dict[Hashable, int] = {}
    for ident in items:
        if ident in index:
            raise ValueError(f"duplicate {kind} id {ident!r}")
        index[ident] = len(index)
    return index


def validate(
    students: Sequence[Student],
    topics: Sequence[Topic],
    mentors: Sequence[Mentor],
    *,
    unranked: Unranked = "error",
) -> Instance:
    """Check the input and build the index form; raise ``ValueError`` with a clear message.

    Refused: duplicate ids; a topic whose mentor is unknown; a negative or non-integer capacity;
    a student listing an unknown topic or the same topic twice; a mentor ranking an unknown
    student or the same student twice; and (unless ``unranked="drop"``) a student listing a topic
    whose mentor does not rank them.
    """
    if unranked not in ("error", "drop"):
        raise ValueError(f"unranked must be 'error' or 'drop', got {unranked!r}")
    student_index = _index("student", (s.id for s in students))
    topic_index = _index("topic", (t.id for t in topics))
    mentor_index = _index("mentor", (m.id for m in mentors))

    topic_mentor: list[int] = []
    topic_capacity: list[int] = []
    for t in topics:
        if t.mentor not in mentor_index:
            raise ValueError(f"topic {t.id!r}: unknown mentor {t.mentor!r}")
        topic_mentor.append(mentor_index[t.mentor])
        topic_capacity.append(_capacity("topic", t.id, t.capacity))
    mentor_capacity = [_capacity("mentor", m.id, m.capacity) for m in mentors]

    mentor_rank: list[dict[int, int]] = []
    for m in mentors:
        ranks: dict[int, int] = {}
        for position, sid in enumerate(m.ranking):
            i = student_index.get(sid)
            if i is None:
                raise ValueError(f"mentor {m.id!r} ranks unknown student {sid!r}")
            if i in ranks:
                raise ValueError(f"mentor {m.id!r} ranks student {sid!r} twice")
            ranks[i] = position
        mentor_rank.append(ranks)

    prefs: list[list[int]] = []
    rank: list[dict[int, int]] = []
    for i, s in enumerate(students):
        if isinstance(s.preferences, str | bytes):
            raise ValueError(f"student {s.id!r}: preferences must be a sequence of topic ids")
        listed: list[int] = []
        seen: set[int] = set()
        ranks_of_i: dict[int, int] = {}
        for tid in s.preferences:
            j = topic_index.get(tid)
            if j is None:
                raise ValueError(f"student {s.id!r} lists unknown topic {tid!r}")
            if j in seen:
                raise ValueError(f"student {s.id!r} lists topic {tid!r} twice")
            seen.add(j)
            k = topic_mentor[j]
            position = mentor_rank[k].get(i)
            if position is None:
                if unranked == "error":
                    raise ValueError(
                        f"student {s.id!r} lists topic {tid!r} but its mentor "
                        f"{mentors[k].id!r} does not rank them (rank them, or pass "
                        "unranked='drop' to treat the pair as unacceptable)"
                    )
                continue
            listed.append(j)
            ranks_of_i[k] = position
        prefs.append(listed)
        rank.append(ranks_of_i)

    return Instance(
        student_ids=list(student_index),
        topic_ids=list(topic_index),
        mentor_ids=list(mentor_index),
        prefs=prefs,
        rank=rank,
        topic_mentor=topic_mentor,
        topic_capacity=topic_capacity,
        mentor_capacity=mentor_capacity,
        topic_index=topic_index,
        student_index=student_index,
    )


def _solve(inst: Instance) -> list[int]:
    """SPA-student on the index form; returns each student's topic index or -1."""
    n, n_topics, n_mentors = len(inst.prefs), len(inst.topic_ids), len(inst.mentor_ids)
    prefs, rank, topic_mentor = inst.prefs, inst.rank, inst.topic_mentor
    tcap, mcap = inst.topic_capacity, inst.mentor_capacity
    unlimited = n  # mentor ranks are < n
    tthresh = [unlimited] * n_topics  # pairs (s, t) with rank > tthresh[t] are deleted
    mthresh = [unlimited] * n_mentors  # pairs (s, t of m) with rank > mthresh[m] are deleted
    tload = [0] * n_topics
    mload = [0] * n_mentors
    theap: list[list[tuple[int, int]]] = [[] for _ in range(n_topics)]  # (-rank, student)
    mheap: list[list[tuple[int, int]]] = [[] for _ in range(n_mentors)]  # lazy: may be stale
    assigned = [-1] * n
    nxt = [0] * n
    heappush, heappop = heapq.heappush, heapq.heappop

    def mentor_worst(k: int) -> int:
        """Mentor ``k``'s worst assigned student (-1 if none), dropping stale heap entries."""
        h = mheap[k]
        while h:
            s = h[0][1]
            a = assigned[s]
            if a >= 0 and topic_mentor[a] == k:
                return s
            heappop(h)
        return -1

    free = list(range(n - 1, -1, -1))  # pop() takes students in input order
    while free:
        s = free.pop()
        plist, ranks, p = prefs[s], rank[s], nxt[s]
        while p < len(plist):
            t = plist[p]
            k = topic_mentor[t]
            r = ranks[k]
            if r <= tthresh[t] and r <= mthresh[k]:
                break
            p += 1
        else:
            nxt[s] = p
            continue  # list exhausted: s stays unassigned
        nxt[s] = p
        # provisionally assign s to t (offered by k)
        assigned[s] = t
        heappush(theap[t], (-r, s))
        heappush(mheap[k], (-r, s))
        tload[t] += 1
        mload[k] += 1
        if tload[t] > tcap[t]:
            _, w = heappop(theap[t])  # t's worst student
            assigned[w] = -1
            tload[t] -= 1
            mload[k] -= 1
            nxt[w] += 1  # (w, t) is deleted by the threshold below anyway
            free.append(w)
        elif mload[k] > mcap[k]:
            w = mentor_worst(k)
            u = assigned[w]  # w is also the worst on its topic u
            heappop(theap[u])
            heappop(mheap[k])
            assigned[w] = -1
            tload[u] -= 1
            mload[k] -= 1
            nxt[w] += 1
            free.append(w)
        if tload[t] == tcap[t]:
            worst = -theap[t][0][0] if theap[t] else -1
            if worst < tthresh[t]:
                tthresh[t] = worst
        if mload[k] == mcap[k]:
            w = mentor_worst(k)
            worst = rank[w][k] if w >= 0 else -1
            if worst < mthresh[k]:
                mthresh[k] = worst
    return assigned


def _result(inst: Instance, assigned: list[int]) -> Allocation:
    tload = [0] * len(inst.topic_ids)
    mload = [0] * len(inst.mentor_ids)
    assignment: dict[Hashable, Hashable | None] = {}
    for sid, t in zip(inst.student_ids, assigned, strict=True):
        if t >= 0:
            tload[t] += 1
            mload[inst.topic_mentor[t]] += 1
            assignment[sid] = inst.topic_ids[t]
        else:
            assignment[sid] = None
    return Allocation(
        assignment=assignment,
        topic_load=dict(zip(inst.topic_ids, tload, strict=True)),
        mentor_load=dict(zip(inst.mentor_ids, mload, strict=True)),
    )


def allocate(
    students: Sequence[Student],
    topics: Sequence[Topic],
    mentors: Sequence[Mentor],
    *,
    unranked: Unranked = "error",
) -> Allocation:
    """The student-optimal stable allocation (SPA-student); see the module docstring."""
    inst = validate(students, topics, mentors, unranked=unranked)
    return _result(inst, _solve(inst))


def blocking_pairs(
    students: Sequence[Student],
    topics: Sequence[Topic],
    mentors: Sequence[Mentor],
    allocation: Allocation | dict[Hashable, Hashable | None],
    *,
    unranked: Unranked = "error",
) -> list[tuple[Hashable, Hashable]]:
    """The (student id, topic id) pairs blocking ``allocation`` (SPA definition, module doc).

    ``allocation`` is an :class:`Allocation` or a plain ``{student: topic or None}`` mapping
    (students missing from it count as unassigned). Raises ``ValueError`` if the allocation
    itself is invalid: an unknown student or topic, a student on a topic they do not list (or
    whose pair is unranked), or a topic or mentor over capacity. Empty list = stable.
    """
    inst = validate(students, topics, mentors, unranked=unranked)
    mapping = allocation.assignment if isinstance(allocation, Allocation) else allocation
    n_topics, n_mentors = len(inst.topic_ids), len(inst.mentor_ids)
    assigned = [-1] * len(inst.student_ids)
    tload = [0] * n_topics
    mload = [0] * n_mentors
    tworst = [-1] * n_topics
    mworst = [-1] * n_mentors
    for sid, tid in mapping.items():
        i = inst.student_index.get(sid)
        if i is None:
            raise ValueError(f"allocation names unknown student {sid!r}")
        if tid is None:
            continue
        t = inst.topic_index.get(tid)
        if t is None:
            raise ValueError(f"allocation gives student {sid!r} unknown topic {tid!r}")
        if t not in inst.prefs[i]:
            raise ValueError(f"allocation gives student {sid!r} topic {tid!r} they do not list")
        k = inst.topic_mentor[t]
        r = inst.rank[i][k]
        assigned[i] = t
        tload[t] += 1
        mload[k] += 1
        tworst[t] = max(tworst[t], r)
        mworst[k] = max(mworst[k], r)
    for t in range(n_topics):
        if tload[t] > inst.topic_capacity[t]:
            raise ValueError(f"topic {inst.topic_ids[t]!r} is over capacity")
    for k in range(n_mentors):
        if mload[k] > inst.mentor_capacity[k]:
            raise ValueError(f"mentor {inst.mentor_ids[k]!r} is over capacity")

    blocking: list[tuple[Hashable, Hashable]] = []
    for i, plist in enumerate(inst.prefs):
        current = assigned[i]
        current_mentor = inst.topic_mentor[current] if current >= 0 else -1
        for t in plist:
            if t == current:
                break  # only topics the student prefers to their own
            k = inst.topic_mentor[t]
            r = inst.rank[i][k]
            t_full = tload[t] >= inst.topic_capacity[t]
            m_full = mload[k] >= inst.mentor_capacity[k]
            if not t_full:
                blocks = not m_full or (mload[k] > 0 and (current_mentor == k or r < mworst[k]))
            else:
                blocks = tload[t] > 0 and r < tworst[t]
            if blocks:
                blocking.append((inst.student_ids[i], inst.topic_ids[t]))
    return blocking
