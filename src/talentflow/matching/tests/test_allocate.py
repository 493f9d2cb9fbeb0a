"""Global allocation: feasible, optimal (checked by brute force), deterministic, and sane at the
edges (no candidates, no capacity, star experts, team needs)."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentflow.matching.engine.allocate import Allocation, Candidate, allocate

C = Candidate


# --- helpers --------------------------------------------------------------------------------


def _best_scores(candidates: list[Candidate], min_score: float | None = None) -> dict:
    """What allocate may use: positive pairs at or above min_score, duplicates at their best."""
    best: dict[tuple[int, int], float] = {}
    for c in candidates:
        if c.score > 0 and (min_score is None or c.score >= min_score):
            key = (c.need_id, c.expert_id)
            best[key] = max(best.get(key, -math.inf), c.score)
    return best


def _assert_feasible(
    result: Allocation, candidates: list[Candidate], want: dict, cap: dict, min_score=None
) -> None:
    best = _best_scores(candidates, min_score)
    assert list(result.pairs) == sorted(set(result.pairs)), "sorted, no duplicate pair"
    assert all(p in best for p in result.pairs), "only usable candidate pairs"
    per_need = Counter(n for n, _ in result.pairs)
    per_expert = Counter(e for _, e in result.pairs)
    for n, k in per_need.items():
        assert k <= want.get(n, 1)
    for e, k in per_expert.items():
        assert k <= cap.get(e, 0)
    assert result.total == pytest.approx(math.fsum(best[p] for p in result.pairs))
    needs = {c.need_id for c in candidates} | set(want)
    expected_unfilled = {
        n: want.get(n, 1) - per_need[n] for n in needs if want.get(n, 1) > per_need[n]
    }
    assert dict(result.unfilled) == expected_unfilled


def _brute_force(best: dict, want: dict, cap: dict) -> tuple[float, tuple[int, float]]:
    """(best total, best (filled, total)) over every feasible assignment, by exhaustive search
    need by need over the subsets of its candidates."""
    needs = sorted({n for n, _ in best})
    by_need = {n: sorted(e for m, e in best if m == n) for n in needs}
    top_total = 0.0
    top_fill = (0, 0.0)

    def subsets(items: list[int], most: int):
        yield ()
        for i, item in enumerate(items):
            if most > 0:
                for rest in subsets(items[i + 1 :], most - 1):
                    yield (item, *rest)

    def search(i: int, left: dict, filled: int, total: float) -> None:
        nonlocal top_total, top_fill
        if i == len(needs):
            top_total = max(top_total, total)
            top_fill = max(top_fill, (filled, total))
            return
        n = needs[i]
        for chosen in subsets(by_need[n], want.get(n, 1)):
            if all(left[e] > 0 for e in chosen):
                for e in chosen:
                    left[e] -= 1
                search(i + 1, left, filled + len(chosen), total + sum(best[n, e] for e in chosen))
                for e in chosen:
                    left[e] += 1

    search(0, {e: cap.get(e, 0) for _, e in best}, 0, 0.0)
    return top_total, top_fill


def _greedy_total(best: dict, want: dict, cap: dict) -> float:
    per_need: Counter = Counter()
    per_expert: Counter = Counter()
    total = 0.0
    for (n, e), s in sorted(best.items(), key=lambda kv: (-kv[1], kv[0])):
        if per_need[n] < want.get(n, 1) and per_expert[e] < cap.get(e, 0):
            per_need[n] += 1
            per_expert[e] += 1
            total += s
    return total


@st.composite
def problems(draw, max_needs: int, max_experts: int, max_wants: int, max_cap: int):
    needs = list(range(1, draw(st.integers(1, max_needs)) + 1))
    experts = list(range(100, 100 + draw(st.integers(1, max_experts))))
    score = st.one_of(
        st.sampled_from([0.25, 0.5, 1.0]),  # ties
        st.floats(0.01, 1.0, allow_nan=False),
        st.sampled_from([0.0, -0.5]),  # never usable
    )
    pairs = draw(st.lists(st.tuples(st.sampled_from(needs), st.sampled_from(experts), score)))
    candidates = [C(n, e, s) for n, e, s in pairs]
    want = {n: draw(st.integers(0, max_wants)) for n in needs if draw(st.booleans())}
    cap = {e: draw(st.integers(0, max_cap)) for e in experts}
    return candidates, want, cap


# --- optimality and feasibility ---------------------------------------------------------------


@settings(max_examples=250, deadline=None)
@given(problems(max_needs=4, max_experts=4, max_wants=2, max_cap=2))
def test_optimal_against_brute_force(problem):
    candidates, want, cap = problem
    result = allocate(candidates, wants=want, capacity=cap)
    _assert_feasible(result, candidates, want, cap)
    best_total, _ = _brute_force(_best_scores(candidates), want, cap)
    assert result.total == pytest.approx(best_total, abs=1e-9)


@settings(max_examples=250, deadline=None)
@given(problems(max_needs=4, max_experts=4, max_wants=2, max_cap=2))
def test_fill_first_fills_most_then_scores_best(problem):
    candidates, want, cap = problem
    result = allocate(candidates, wants=want, capacity=cap, fill_first=True)
    _assert_feasible(result, candidates, want, cap)
    _, (most_filled, best_total) = _brute_force(_best_scores(candidates), want, cap)
    assert len(result.pairs) == most_filled
    assert result.total == pytest.approx(best_total, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(problems(max_needs=15, max_experts=20, max_wants=3, max_cap=3))
def test_feasible_and_never_below_greedy_on_larger_cases(problem):
    candidates, want, cap = problem
    result = allocate(candidates, wants=want, capacity=cap)
    _assert_feasible(result, candidates, want, cap)
    assert result.total >= _greedy_total(_best_scores(candidates), want, cap) - 1e-9


def test_beats_greedy_where_greedy_grabs_the_star():
    # Greedy gives the star to A (0.9) and B gets 0.1; optimal moves A to its close second.
    candidates = [C(1, 7, 0.9), C(1, 8, 0.85), C(2, 7, 0.8), C(2, 9, 0.1)]
    result = allocate(candidates, capacity={7: 1, 8: 1, 9: 1})
    assert result.pairs == ((1, 8), (2, 7))
    assert result.total == pytest.approx(1.65)


def test_star_expert_is_assigned_once_and_the_others_get_their_next_best():
    star = 1
    candidates = []
    for need in range(10, 16):
        candidates.append(C(need, star, 0.95))
        candidates.append(C(need, 100 + need, 0.6 if need == 12 else 0.8))  # 12 gains most
        candidates.append(C(need, 200 + need, 0.3))
    cap = {star: 1} | {100 + n: 1 for n in range(10, 16)} | {200 + n: 1 for n in range(10, 16)}
    result = allocate(candidates, capacity=cap)
    assert [p for p in result.pairs if p[1] == star] == [(12, star)]
    assert [p for p in result.pairs if p[1] != star] == [
        (n, 100 + n) for n in range(10, 16) if n != 12
    ]
    assert not result.unfilled


def test_team_need_takes_an_expert_only_once():
    # One expert with room for three can still fill only one of the team's two places.
    result = allocate([C(1, 5, 0.9)], wants={1: 2}, capacity={5: 3})
    assert result.pairs == ((1, 5),)
    assert dict(result.unfilled) == {1: 1}


def test_team_need_is_filled_with_distinct_experts():
    candidates = [C(1, 5, 0.9), C(1, 6, 0.5), C(1, 7, 0.7), C(2, 5, 0.4)]
    result = allocate(candidates, wants={1: 2, 2: 1}, capacity={5: 2, 6: 1, 7: 1})
    assert result.pairs == ((1, 5), (1, 7), (2, 5))
    assert not result.unfilled


def test_maximum_score_may_leave_a_need_open_but_fill_first_does_not():
    candidates = [C(1, 7, 0.9), C(1, 8, 0.1), C(2, 7, 0.3)]
    cap = {7: 1, 8: 1}
    by_score = allocate(candidates, capacity=cap)
    assert by_score.pairs == ((1, 7),)
    assert dict(by_score.unfilled) == {2: 1}
    by_fill = allocate(candidates, capacity=cap, fill_first=True)
    assert by_fill.pairs == ((1, 8), (2, 7))
    assert not by_fill.unfilled


# --- edges ----------------------------------------------------------------------------------


def test_empty_input():
    result = allocate([], capacity={})
    assert result == Allocation(pairs=(), total=0.0, unfilled={})


def test_zero_capacities_leave_every_need_unfilled():
    candidates = [C(1, 5, 0.9), C(2, 5, 0.8), C(2, 6, 0.7)]
    result = allocate(candidates, wants={1: 1, 2: 2}, capacity={5: 0, 6: -1})
    assert result.pairs == ()
    assert dict(result.unfilled) == {1: 1, 2: 2}


def test_needs_without_candidates_are_unfilled():
    result = allocate([C(1, 5, 0.9)], wants={1: 1, 2: 1, 3: 3, 4: 0}, capacity={5: 1})
    assert result.pairs == ((1, 5),)
    assert dict(result.unfilled) == {2: 1, 3: 3}


def test_default_capacity_and_a_single_wants_count():
    candidates = [C(1, 5, 0.9), C(2, 5, 0.8), C(3, 5, 0.7), C(3, 6, 0.1)]
    result = allocate(candidates, wants=1, capacity={6: 0}, default_capacity=2)
    assert result.pairs == ((1, 5), (2, 5))
    assert dict(result.unfilled) == {3: 1}


def test_weak_and_non_positive_pairs_are_not_used():
    candidates = [C(1, 5, 0.9), C(2, 6, 0.2), C(3, 7, 0.0), C(4, 8, -1.0)]
    cap = {5: 1, 6: 1, 7: 1, 8: 1}
    result = allocate(candidates, capacity=cap, min_score=0.5)
    assert result.pairs == ((1, 5),)
    assert dict(result.unfilled) == {2: 1, 3: 1, 4: 1}
    assert allocate(candidates, capacity=cap).pairs == ((1, 5), (2, 6))


def test_duplicate_pairs_count_once_at_their_best_score():
    candidates = [C(1, 5, 0.2), C(1, 5, 0.9), C(2, 5, 0.5)]
    result = allocate(candidates, capacity={5: 1})
    assert result.pairs == ((1, 5),)
    assert result.total == pytest.approx(0.9)


def test_invalid_input_raises():
    with pytest.raises(ValueError, match="score"):
        allocate([C(1, 5, math.nan)], capacity={5: 1})
    with pytest.raises(ValueError, match="wants"):
        allocate([C(1, 5, 0.5)], wants={1: -1}, capacity={5: 1})


def test_deterministic_regardless_of_order_and_duplicates():
    rng = random.Random(7)
    # Many exact ties (scores on a coarse grid) so several optima exist.
    candidates = [
        C(n, e, rng.choice([0.5, 1.0])) for n in range(40) for e in rng.sample(range(25), 6)
    ]
    want = {n: rng.randint(1, 2) for n in range(40)}
    cap = {e: rng.randint(0, 2) for e in range(25)}
    first = allocate(candidates, wants=want, capacity=cap)
    shuffled = candidates + [C(c.need_id, c.expert_id, c.score / 2) for c in candidates[::3]]
    rng.shuffle(shuffled)
    again = allocate(shuffled, wants=want, capacity=cap)
    assert again == first
    assert allocate(candidates, wants=want, capacity=cap) == first
    _assert_feasible(first, candidates, want, cap)
