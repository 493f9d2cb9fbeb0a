"""The transition tables, without a database."""

import pytest

from talentflow.evaluation import workflow
from talentflow.evaluation.workflow import Action, Party, TransitionError

E, OFFICE = {Party.ENTERPRISE}, {Party.OFFICE}


@pytest.mark.parametrize(
    ("action", "state", "parties", "expected"),
    [
        (Action.SUBMIT, "draft", E, "submitted"),
        (Action.SUBMIT, "returned", E, "submitted"),
        (Action.ENDORSE, "submitted", OFFICE, "endorsed"),
        (Action.RETURN, "submitted", OFFICE, "returned"),
    ],
)
def test_allowed_evaluation_transitions(action, state, parties, expected):
    """Each allowed transition leads to its state."""
    assert workflow.check(workflow.EVALUATION, action, state, parties) == expected


@pytest.mark.parametrize(
    ("action", "state", "parties", "reason"),
    [
        (Action.SUBMIT, "draft", OFFICE, "party"),  # the office does not submit for the enterprise
        (Action.ENDORSE, "submitted", E, "party"),  # an enterprise never endorses itself
        (Action.ENDORSE, "draft", OFFICE, "state"),
        (Action.ENDORSE, "endorsed", OFFICE, "state"),
        (Action.RETURN, "returned", OFFICE, "state"),
        (Action.SUBMIT, "endorsed", E, "state"),
    ],
)
def test_forbidden_evaluation_transitions(action, state, parties, reason):
    """Forbidden transitions say whether the party or the state is wrong."""
    with pytest.raises(TransitionError) as error:
        workflow.check(workflow.EVALUATION, action, state, parties)
    assert error.value.reason == reason


def test_recommendation_table():
    """公示 opens from a filed list, finalising follows the notice; both are the office's."""
    assert (
        workflow.check(workflow.RECOMMENDATION, Action.OPEN_NOTICE, "submitted", OFFICE) == "notice"
    )
    assert workflow.check(workflow.RECOMMENDATION, Action.FINALISE, "notice", OFFICE) == "final"
    with pytest.raises(TransitionError):
        workflow.check(workflow.RECOMMENDATION, Action.FINALISE, "submitted", OFFICE)
    assert workflow.allowed(workflow.EVALUATION, "submitted", OFFICE) == [
        Action.ENDORSE,
        Action.RETURN,
    ]
