"""The evaluation lifecycles as pure transition tables (no ORM; tested without a database).

An enterprise evaluation (用人单位自主评价 / 企业认定、政府认账):

    draft ──submit──► submitted ──endorse (认账)──► endorsed
                          │  ▲
                    return│  │submit (resubmitted)
                          ▼  │
                        returned

An industry recommendation (行业公荐):

    submitted ──open_notice (公示)──► notice ──finalise──► final
"""

from __future__ import annotations

from enum import StrEnum


class Party(StrEnum):
    ENTERPRISE = "enterprise"  # acts for the authorised enterprise
    OFFICE = "office"  # an officer governing the authorisation's or list's region


class Action(StrEnum):
    SUBMIT = "submit"
    ENDORSE = "endorse"
    RETURN = "return"
    OPEN_NOTICE = "open_notice"
    FINALISE = "finalise"


class TransitionError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "party": not the actor's to take; "state": not now


# (action, from state) → (to state, the party that may take it)
EVALUATION: dict[tuple[Action, str], tuple[str, Party]] = {
    (Action.SUBMIT, "draft"): ("submitted", Party.ENTERPRISE),
    (Action.SUBMIT, "returned"): ("submitted", Party.ENTERPRISE),
    (Action.ENDORSE, "submitted"): ("endorsed", Party.OFFICE),
    (Action.RETURN, "submitted"): ("returned", Party.OFFICE),
}
RECOMMENDATION: dict[tuple[Action, str], tuple[str, Party]] = {
    (Action.OPEN_NOTICE, "submitted"): ("notice", Party.OFFICE),
    (Action.FINALISE, "notice"): ("final", Party.OFFICE),
}
# States in which the enterprise may still change its evaluation.
EDITABLE = frozenset({"draft", "returned"})


def check(table, action: Action, state: str, parties: set[Party]) -> str:
    """The state that follows, or TransitionError: "party" when the action is not for any of
    ``parties`` at all, "state" when it is theirs but not possible from ``state``."""
    entry = table.get((action, state))
    whose = {party for (a, _s), (_t, party) in table.items() if a == action}
    if not whose & parties:
        raise TransitionError("party")
    if entry is None:
        raise TransitionError("state")
    return entry[0]


def allowed(table, state: str, parties: set[Party]) -> list[Action]:
    return [a for (a, s), (_t, party) in table.items() if s == state and party in parties]
