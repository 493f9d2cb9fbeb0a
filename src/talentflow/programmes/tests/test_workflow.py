"""The programmes' transition tables, against the lifecycles as the domain states them: every
action from every state by every party is either allowed (to the stated state) or refused with
TransitionError "party" (not this party's action here) or "state" (theirs, but not now).

The expectations are written out below as text, independently of ``workflow.py``'s tables."""

from __future__ import annotations

import itertools

import pytest

from talentflow.programmes import workflow
from talentflow.programmes.models import AgreementStatus, AppointmentStatus, PracticeBaseStatus
from talentflow.programmes.workflow import Action, Party, TransitionError

# "from --action--> to: parties"
APPOINTMENT_SPEC = """
proposed   accept    accepted    appointee
proposed   decline   declined    appointee
accepted   consent   consented   employer
accepted   refuse    refused     employer
consented  start     active      host office
active     end       ended       host office
active     terminate terminated  host appointee office
proposed   withdraw  withdrawn   office host
accepted   withdraw  withdrawn   office host
consented  withdraw  withdrawn   office host
"""
PRACTICE_BASE_SPEC = """
submitted  approve   approved    office
submitted  reject    rejected    office
submitted  withdraw  withdrawn   host
"""
AGREEMENT_SPEC = """
draft      sign      signed      office
draft      cancel    terminated  office
signed     complete  completed   office institution
signed     terminate terminated  office
"""


def parse(spec: str) -> dict[tuple[str, str], tuple[str, set[str]]]:
    rows = {}
    for line in spec.strip().splitlines():
        source, action, target, *who = line.split()
        rows[(action, source)] = (target, set(who))
    return rows


def expected(spec, action: str, state: str, party: str) -> str:
    """The target state, or "party" / "state" as the domain reads."""
    rows = parse(spec)
    whose = set().union(*(who for (a, _s), (_t, who) in rows.items() if a == action), set())
    if party not in whose:
        return "party"
    if (action, state) not in rows:
        return "state"
    target, who = rows[(action, state)]
    return target if party in who else "party"


def outcome(table, action: Action, state: str, parties: set[Party]) -> str:
    try:
        return workflow.check(table, action, state, parties)
    except TransitionError as error:
        assert error.reason in {"party", "state"}
        return error.reason


CASES = [
    (name, table, spec, action, state, party)
    for name, table, spec, states in (
        ("appointment", workflow.APPOINTMENT, APPOINTMENT_SPEC, AppointmentStatus.values),
        ("practice_base", workflow.PRACTICE_BASE, PRACTICE_BASE_SPEC, PracticeBaseStatus.values),
        ("agreement", workflow.AGREEMENT, AGREEMENT_SPEC, AgreementStatus.values),
    )
    for action, state, party in itertools.product(Action, states, Party)
]


@pytest.mark.parametrize(
    ("name", "table", "spec", "action", "state", "party"),
    CASES,
    ids=[f"{c[0]}-{c[3]}-{c[4]}-{c[5]}" for c in CASES],
)
def test_every_action_from_every_state_by_every_party(name, table, spec, action, state, party):
    assert outcome(table, action, state, {party}) == expected(spec, action, state, party)


@pytest.mark.parametrize(
    ("table", "spec"),
    [
        (workflow.APPOINTMENT, APPOINTMENT_SPEC),
        (workflow.PRACTICE_BASE, PRACTICE_BASE_SPEC),
        (workflow.AGREEMENT, AGREEMENT_SPEC),
    ],
)
def test_tables_hold_exactly_the_stated_transitions(table, spec):
    stated = {k: (t, who) for k, (t, who) in parse(spec).items()}
    actual = {(str(a), s): (t, {str(p) for p in who}) for (a, s), (t, who) in table.items()}
    assert actual == stated


def test_a_system_task_acting_as_every_party_follows_the_states_only():
    everyone = set(Party)
    assert outcome(workflow.APPOINTMENT, Action.START, "consented", everyone) == "active"
    assert outcome(workflow.APPOINTMENT, Action.START, "proposed", everyone) == "state"
    # An action of another lifecycle is nobody's here.
    assert outcome(workflow.APPOINTMENT, Action.APPROVE, "proposed", everyone) == "party"


def test_nobody_takes_any_action():
    for action, state in itertools.product(Action, AppointmentStatus.values):
        assert outcome(workflow.APPOINTMENT, action, state, set()) == "party"


def test_allowed_lists_what_each_party_may_do_now():
    allowed = workflow.allowed
    assert allowed(workflow.APPOINTMENT, "proposed", {Party.APPOINTEE}) == [
        Action.ACCEPT,
        Action.DECLINE,
    ]
    assert allowed(workflow.APPOINTMENT, "proposed", {Party.OFFICE}) == [Action.WITHDRAW]
    assert allowed(workflow.APPOINTMENT, "accepted", {Party.EMPLOYER}) == [
        Action.CONSENT,
        Action.REFUSE,
    ]
    assert set(allowed(workflow.APPOINTMENT, "active", {Party.HOST})) == {
        Action.END,
        Action.TERMINATE,
    }
    assert allowed(workflow.APPOINTMENT, "active", {Party.APPOINTEE}) == [Action.TERMINATE]
    assert allowed(workflow.APPOINTMENT, "active", {Party.EMPLOYER}) == []
    for final in ("ended", "terminated", "declined", "refused", "withdrawn"):
        assert allowed(workflow.APPOINTMENT, final, set(Party)) == []
    assert allowed(workflow.AGREEMENT, "signed", {Party.INSTITUTION}) == [Action.COMPLETE]


def test_refusals_and_endings_carry_a_reason():
    assert {
        Action.DECLINE,
        Action.REFUSE,
        Action.TERMINATE,
        Action.WITHDRAW,
        Action.REJECT,
        Action.CANCEL,
    } == set(workflow.NEEDS_REASON)
    assert Action.ACCEPT not in workflow.NEEDS_REASON
    assert Action.END not in workflow.NEEDS_REASON
