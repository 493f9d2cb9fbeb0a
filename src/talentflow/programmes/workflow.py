"""The programmes' lifecycles as pure transition tables (no ORM; tested without a database).

An appointment (科技副总, 产业教授, 合伙人, 互聘共享):

    proposed ──accept──► accepted ──consent──► consented ──start──► active ──end──► ended
       │  │                 │  │                  │                   │
       │  └decline►declined │  └refuse►refused    │                   ├terminate──► terminated
       └withdraw►withdrawn  └withdraw►withdrawn   └withdraw►withdrawn └renew: a new appointment
                                                                        (proposed → … → active)
                                                                        follows this one

``withdraw`` is the office's (or the host's) before the start; ``terminate`` is the host's, the
appointee's or the office's during the term, always with a reason. An appointee with no
employer on record skips ``consent`` (the office records that there is none to ask).

A practice-base application (研究生实践基地):

    submitted ──approve──► approved      submitted ──reject──► rejected
    submitted ──withdraw─► withdrawn (the enterprise)

A joint-training agreement (六方联动):

    draft ──sign──► signed ──complete──► completed
      └─cancel─► terminated   signed ──terminate──► terminated
"""

from __future__ import annotations

from enum import StrEnum


class Party(StrEnum):
    OFFICE = "office"  # an officer governing the record's region (or an administrator)
    HOST = "host"  # acts for the host organisation (appointment) / the enterprise
    APPOINTEE = "appointee"  # the appointed talent themself
    EMPLOYER = "employer"  # acts for the appointee's employer (consent)
    INSTITUTION = "institution"  # acts for the training institution


class Action(StrEnum):
    ACCEPT = "accept"
    DECLINE = "decline"
    CONSENT = "consent"
    REFUSE = "refuse"
    START = "start"
    END = "end"
    TERMINATE = "terminate"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    REJECT = "reject"
    SIGN = "sign"
    COMPLETE = "complete"
    CANCEL = "cancel"


class TransitionError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "party": not the actor's to take; "state": not now


# (action, from state) → (to state, the parties that may take it)
APPOINTMENT: dict[tuple[Action, str], tuple[str, frozenset[Party]]] = {
    (Action.ACCEPT, "proposed"): ("accepted", frozenset({Party.APPOINTEE})),
    (Action.DECLINE, "proposed"): ("declined", frozenset({Party.APPOINTEE})),
    (Action.CONSENT, "accepted"): ("consented", frozenset({Party.EMPLOYER})),
    (Action.REFUSE, "accepted"): ("refused", frozenset({Party.EMPLOYER})),
    (Action.START, "consented"): ("active", frozenset({Party.HOST, Party.OFFICE})),
    (Action.END, "active"): ("ended", frozenset({Party.HOST, Party.OFFICE})),
    (Action.TERMINATE, "active"): (
        "terminated",
        frozenset({Party.HOST, Party.APPOINTEE, Party.OFFICE}),
    ),
    (Action.WITHDRAW, "proposed"): ("withdrawn", frozenset({Party.OFFICE, Party.HOST})),
    (Action.WITHDRAW, "accepted"): ("withdrawn", frozenset({Party.OFFICE, Party.HOST})),
    (Action.WITHDRAW, "consented"): ("withdrawn", frozenset({Party.OFFICE, Party.HOST})),
}
PRACTICE_BASE: dict[tuple[Action, str], tuple[str, frozenset[Party]]] = {
    (Action.APPROVE, "submitted"): ("approved", frozenset({Party.OFFICE})),
    (Action.REJECT, "submitted"): ("rejected", frozenset({Party.OFFICE})),
    (Action.WITHDRAW, "submitted"): ("withdrawn", frozenset({Party.HOST})),
}
AGREEMENT: dict[tuple[Action, str], tuple[str, frozenset[Party]]] = {
    (Action.SIGN, "draft"): ("signed", frozenset({Party.OFFICE})),
    (Action.CANCEL, "draft"): ("terminated", frozenset({Party.OFFICE})),
    (Action.COMPLETE, "signed"): ("completed", frozenset({Party.OFFICE, Party.INSTITUTION})),
    (Action.TERMINATE, "signed"): ("terminated", frozenset({Party.OFFICE})),
}
# Actions that must carry a reason.
NEEDS_REASON = frozenset(
    {Action.DECLINE, Action.REFUSE, Action.TERMINATE, Action.WITHDRAW, Action.REJECT, Action.CANCEL}
)


def check(table, action: Action, state: str, parties: set[Party]) -> str:
    """The state that follows, or TransitionError: "party" when the action is not for any of
    ``parties`` at all, "state" when it is theirs but not possible from ``state``."""
    whose: set[Party] = set()
    for (a, _s), (_t, who) in table.items():
        if a == action:
            whose |= who
    if not whose & parties:
        raise TransitionError("party")
    entry = table.get((action, state))
    if entry is None:
        raise TransitionError("state")
    if not entry[1] & parties:
        raise TransitionError("party")
    return entry[0]


def allowed(table, state: str, parties: set[Party]) -> list[Action]:
    return [a for (a, s), (_t, who) in table.items() if s == state and who & parties]
