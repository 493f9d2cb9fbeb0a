"""The pure transition table, checked exhaustively without a database."""

from __future__ import annotations

import itertools

import pytest

from talentflow.needs import workflow
from talentflow.needs.workflow import Action, Party, State

ALL_PARTY_SETS = [
    frozenset(c) for r in range(len(Party) + 1) for c in itertools.combinations(list(Party), r)
]

# The table as the issue states it, written out independently of workflow.py.
EXPECTED = {
    Action.SUBMIT: ({State.DRAFT, State.RETURNED}, State.SUBMITTED, {Party.ENTERPRISE}),
    Action.RETURN: ({State.SUBMITTED}, State.RETURNED, {Party.OFFICER}),
    Action.PUBLISH: ({State.SUBMITTED}, State.PUBLISHED, {Party.OFFICER}),
    Action.WITHDRAW: (
        {State.DRAFT, State.RETURNED, State.SUBMITTED, State.PUBLISHED},
        State.WITHDRAWN,
        {Party.ENTERPRISE, Party.OFFICER},
    ),
    Action.SELECT: ({State.PUBLISHED}, State.ENGAGED, {Party.ENTERPRISE, Party.OFFICER}),
    Action.START_VERIFICATION: (
        {State.ENGAGED},
        State.VERIFYING,
        {Party.ENTERPRISE, Party.SOLVER},
    ),
    Action.VERIFICATION_PASSED: ({State.VERIFYING}, State.VERIFIED, {Party.ENTERPRISE}),
    Action.VERIFICATION_FAILED: ({State.VERIFYING}, State.ENGAGED, {Party.ENTERPRISE}),
    Action.CLOSE: ({State.VERIFIED}, State.CLOSED, {Party.OFFICER}),
    Action.CANCEL: (
        {State.ENGAGED, State.VERIFYING},
        State.CANCELLED,
        {Party.ENTERPRISE, Party.OFFICER},
    ),
}


def test_table_covers_every_action():
    assert set(workflow.TRANSITIONS) == set(Action) == set(EXPECTED)


@pytest.mark.parametrize("action", list(Action))
def test_every_action_from_every_state_for_every_party_set(action):
    """Allowed exactly from the listed states for the listed parties; otherwise the error says
    whether the state or the party is wrong."""
    sources, target, parties = EXPECTED[action]
    for state, party_set in itertools.product(State, ALL_PARTY_SETS):
        if state not in sources:
            with pytest.raises(workflow.TransitionError) as info:
                workflow.check(action, state, party_set)
            assert info.value.reason == "state"
        elif not party_set & parties:
            with pytest.raises(workflow.TransitionError) as info:
                workflow.check(action, state, party_set)
            assert info.value.reason == "party"
        else:
            assert workflow.check(action, state, party_set) == target


def test_reasons_are_required_where_something_is_refused_or_stopped():
    needs_reason = {a for a, t in workflow.TRANSITIONS.items() if t.needs_reason}
    assert needs_reason == {Action.RETURN, Action.WITHDRAW, Action.CANCEL}


def test_final_states_have_no_way_out():
    for state in workflow.FINAL_STATES:
        assert workflow.allowed_actions(state, set(Party)) == []


def test_every_state_is_reachable_from_draft():
    reached, frontier = {State.DRAFT}, [State.DRAFT]
    while frontier:
        state = frontier.pop()
        for t in workflow.TRANSITIONS.values():
            if state in t.sources and t.target not in reached:
                reached.add(t.target)
                frontier.append(t.target)
    assert reached == set(State)


def test_five_stages_in_order_cover_the_states():
    assert [s.value for s in workflow.STAGES_IN_ORDER] == [
        "pose",
        "assist",
        "answer",
        "verify",
        "value",
    ]
    assert set(workflow.STAGE_OF) == set(State)


def test_allowed_actions_lists_what_check_accepts():
    for state, party_set in itertools.product(State, ALL_PARTY_SETS):
        for action in workflow.allowed_actions(state, party_set):
            workflow.check(action, state, party_set)


@pytest.mark.parametrize(
    ("action", "state", "parties", "result"),
    [
        ("shortlist", "submitted", {"decider"}, "shortlisted"),
        ("decline", "shortlisted", {"decider"}, "declined"),
        ("select", "submitted", {"decider"}, "selected"),
        ("withdraw", "shortlisted", {"author"}, "withdrawn"),
    ],
)
def test_proposal_transitions_allowed(action, state, parties, result):
    assert workflow.check_proposal(action, state, parties) == result


@pytest.mark.parametrize(
    ("action", "state", "parties", "reason"),
    [
        ("shortlist", "submitted", {"author"}, "party"),
        ("withdraw", "submitted", {"decider"}, "party"),
        ("decline", "declined", {"decider"}, "state"),
        ("select", "withdrawn", {"decider"}, "state"),
        ("shortlist", "shortlisted", {"decider"}, "state"),
        ("withdraw", "selected", {"author"}, "state"),
    ],
)
def test_proposal_transitions_refused(action, state, parties, reason):
    with pytest.raises(workflow.TransitionError) as info:
        workflow.check_proposal(action, state, parties)
    assert info.value.reason == reason
