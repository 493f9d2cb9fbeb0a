"""The call's lifecycle as a pure transition table (no ORM; tested without a database).

    draft ──open──► open ──start_review──► review ──close (rank)──► closed ──publish──► published
      │               │
      └────cancel─────┴──► cancelled

Only the calling region's talent office moves a call. Applicants apply while it is open (inside
the period); reviewers score while it is in review.
"""

from __future__ import annotations

from enum import StrEnum


class Party(StrEnum):
    OFFICE = "office"  # an officer governing the call's region
    APPLICANT = "applicant"  # a talent who applied
    REVIEWER = "reviewer"  # a member of the call's panel


class Action(StrEnum):
    OPEN = "open"
    START_REVIEW = "start_review"
    CLOSE = "close"
    PUBLISH = "publish"
    CANCEL = "cancel"


class TransitionError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "party": not the actor's to take; "state": not now


# (action, from state) → (to state, the party that may take it)
CALL: dict[tuple[Action, str], tuple[str, Party]] = {
    (Action.OPEN, "draft"): ("open", Party.OFFICE),
    (Action.START_REVIEW, "open"): ("review", Party.OFFICE),
    (Action.CLOSE, "review"): ("closed", Party.OFFICE),
    (Action.PUBLISH, "closed"): ("published", Party.OFFICE),
    (Action.CANCEL, "draft"): ("cancelled", Party.OFFICE),
    (Action.CANCEL, "open"): ("cancelled", Party.OFFICE),
}
# States in which the office may still change the call, its criteria and its panel.
EDITABLE = frozenset({"draft"})
PANEL_EDITABLE = frozenset({"draft", "open"})
# States in which the call is seen by everyone of the alliance's regions.
PUBLIC = frozenset({"open", "review", "closed", "published"})


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
