"""The call's transitions per role, from the pure table (no database)."""

from __future__ import annotations

import pytest

from talentflow.calls.workflow import CALL, Action, Party, TransitionError, allowed, check

STATES = ("draft", "open", "review", "closed", "published", "cancelled")
# (action, state) → the state that follows for the office; None: not possible then.
EXPECTED = {
    (Action.OPEN, "draft"): "open",
    (Action.START_REVIEW, "open"): "review",
    (Action.CLOSE, "review"): "closed",
    (Action.PUBLISH, "closed"): "published",
    (Action.CANCEL, "draft"): "cancelled",
    (Action.CANCEL, "open"): "cancelled",
}


@pytest.mark.parametrize("party", list(Party))
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(Action))
def test_transitions_per_role(action, state, party):
    expected = EXPECTED.get((action, state))
    if party != Party.OFFICE:
        with pytest.raises(TransitionError) as error:
            check(CALL, action, state, {party})
        assert error.value.reason == "party"
    elif expected is None:
        with pytest.raises(TransitionError) as error:
            check(CALL, action, state, {party})
        assert error.value.reason == "state"
    else:
        assert check(CALL, action, state, {party}) == expected


def test_applicant_and_reviewer_take_no_transition_anywhere():
    for state in STATES:
        assert allowed(CALL, state, {Party.APPLICANT, Party.REVIEWER}) == []


def test_office_actions_per_state():
    assert allowed(CALL, "draft", {Party.OFFICE}) == [Action.OPEN, Action.CANCEL]
    assert allowed(CALL, "published", {Party.OFFICE}) == []
