"""The review of an application (申报), as a pure transition table.

    draft ─submit─▶ submitted ─office approve─▶ finance_review ─finance approve─▶ approved
      ▲                 │                             │                                │
      └─── returned ◀───┴──── return (with a reason) ─┘                          pay ─▶ paid

Flag policies end with the talent office: office approve ▶ approved.

The applicant may withdraw an application until it is approved (by finance, or by the office
for a flag) or paid: draft, submitted, returned or in finance review ─withdraw─▶ withdrawn.
A withdrawn application is kept but is final: it is never resubmitted (file a new one).

The applicant amends a returned application and submits it again (it is recomputed then).
No ORM here: who is which party is decided by ``rules.permissions``.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    FINANCE_REVIEW = "finance_review"
    RETURNED = "returned"
    APPROVED = "approved"
    PAID = "paid"
    WITHDRAWN = "withdrawn"


class Action(StrEnum):
    SUBMIT = "submit"
    OFFICE_APPROVE = "office_approve"
    OFFICE_RETURN = "office_return"
    FINANCE_APPROVE = "finance_approve"
    FINANCE_RETURN = "finance_return"
    PAY = "pay"
    WITHDRAW = "withdraw"


class Party(StrEnum):
    APPLICANT = "applicant"
    OFFICE = "office"  # the talent office of the policy's region
    FINANCE = "finance"  # the finance bureau of the policy's region


class TransitionError(ValueError):
    pass


# (action, from state) → (party allowed, to state); money policies.
TRANSITIONS: dict[tuple[Action, State], tuple[Party, State]] = {
    (Action.SUBMIT, State.DRAFT): (Party.APPLICANT, State.SUBMITTED),
    (Action.SUBMIT, State.RETURNED): (Party.APPLICANT, State.SUBMITTED),
    (Action.OFFICE_APPROVE, State.SUBMITTED): (Party.OFFICE, State.FINANCE_REVIEW),
    (Action.OFFICE_RETURN, State.SUBMITTED): (Party.OFFICE, State.RETURNED),
    (Action.FINANCE_APPROVE, State.FINANCE_REVIEW): (Party.FINANCE, State.APPROVED),
    (Action.FINANCE_RETURN, State.FINANCE_REVIEW): (Party.FINANCE, State.RETURNED),
    (Action.PAY, State.APPROVED): (Party.FINANCE, State.PAID),
    (Action.WITHDRAW, State.DRAFT): (Party.APPLICANT, State.WITHDRAWN),
    (Action.WITHDRAW, State.SUBMITTED): (Party.APPLICANT, State.WITHDRAWN),
    (Action.WITHDRAW, State.RETURNED): (Party.APPLICANT, State.WITHDRAWN),
    (Action.WITHDRAW, State.FINANCE_REVIEW): (Party.APPLICANT, State.WITHDRAWN),
}
# A flag grants a standing, not money: the talent office's approval is final.
FLAG_TRANSITIONS: dict[tuple[Action, State], tuple[Party, State]] = {
    (Action.SUBMIT, State.DRAFT): (Party.APPLICANT, State.SUBMITTED),
    (Action.SUBMIT, State.RETURNED): (Party.APPLICANT, State.SUBMITTED),
    (Action.OFFICE_APPROVE, State.SUBMITTED): (Party.OFFICE, State.APPROVED),
    (Action.OFFICE_RETURN, State.SUBMITTED): (Party.OFFICE, State.RETURNED),
    (Action.WITHDRAW, State.DRAFT): (Party.APPLICANT, State.WITHDRAWN),
    (Action.WITHDRAW, State.SUBMITTED): (Party.APPLICANT, State.WITHDRAWN),
    (Action.WITHDRAW, State.RETURNED): (Party.APPLICANT, State.WITHDRAWN),
}
RETURNS = {Action.OFFICE_RETURN, Action.FINANCE_RETURN}
EDITABLE = {State.DRAFT, State.RETURNED}


def _table(flag: bool) -> dict[tuple[Action, State], tuple[Party, State]]:
    return FLAG_TRANSITIONS if flag else TRANSITIONS


def check(action: str, state: str, parties: set[str], *, flag: bool = False) -> State:
    """The state after ``action``, or TransitionError saying why not."""
    entry = _table(flag).get((Action(action), State(state)))
    if entry is None:
        raise TransitionError(f"{action} is not possible in state {state}")
    party, target = entry
    if party not in parties:
        raise TransitionError(f"{action} is for the {party}")
    return target


def allowed_actions(state: str, parties: set[str], *, flag: bool = False) -> list[Action]:
    return [
        action
        for (action, source), (party, _target) in _table(flag).items()
        if source == state and party in parties
    ]
