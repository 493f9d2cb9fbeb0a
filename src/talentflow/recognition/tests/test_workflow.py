"""The certificate transition table, without a database."""

from __future__ import annotations

import pytest

from talentflow.recognition.workflow import (
    CERTIFICATE,
    Action,
    Party,
    TransitionError,
    allowed,
    check,
)

STATES = ["applied", "certified", "rejected", "withdrawn", "revoked"]

# (action, state, party) → the next state, or the reason of the refusal.
CASES = [
    (Action.CERTIFY, "applied", Party.ISSUER, "certified"),
    (Action.CERTIFY, "applied", Party.TALENT, "party"),
    (Action.CERTIFY, "certified", Party.ISSUER, "state"),
    (Action.REJECT, "applied", Party.ISSUER, "rejected"),
    (Action.REJECT, "applied", Party.TALENT, "party"),
    (Action.REJECT, "certified", Party.ISSUER, "state"),
    (Action.WITHDRAW, "applied", Party.TALENT, "withdrawn"),
    (Action.WITHDRAW, "applied", Party.ISSUER, "party"),
    (Action.WITHDRAW, "certified", Party.TALENT, "state"),
    (Action.REVOKE, "certified", Party.ISSUER, "revoked"),
    (Action.REVOKE, "certified", Party.TALENT, "party"),
    (Action.REVOKE, "applied", Party.ISSUER, "state"),
    (Action.REVOKE, "revoked", Party.ISSUER, "state"),
]


@pytest.mark.parametrize(("action", "state", "party", "expected"), CASES)
def test_transitions(action, state, party, expected):
    if expected in {"party", "state"}:
        with pytest.raises(TransitionError) as error:
            check(action, state, {party})
        assert error.value.reason == expected
    else:
        assert check(action, state, {party}) == expected


def test_terminal_states_allow_nothing():
    for state in ("rejected", "withdrawn", "revoked"):
        assert allowed(state, set(Party)) == []


def test_allowed_matches_the_table():
    for state in STATES:
        for party in Party:
            expected = {a for (a, s), (_t, p) in CERTIFICATE.items() if s == state and p == party}
            assert set(allowed(state, {party})) == expected
    assert allowed("applied", {Party.ISSUER}) == [Action.CERTIFY, Action.REJECT]
