"""The need lifecycle as a pure transition table.

企业出题 → 政府助题 → 平台答题 → 车间验题 → 市场评价.

No ORM here: the services ask this module whether an action is allowed for an actor's parties
in the need's current state, and which state follows. Tests walk the whole table without a
database.

States and the five stages they belong to:

    出题 pose     draft, returned          the enterprise writes (returned: sent back to it)
    助题 assist   submitted                the talent office frames it
    答题 answer   published, engaged       solvers propose; one is selected and works on it
    验题 verify   verifying                the workshop checks each acceptance criterion
    评价 value    verified, closed         outcomes are measured and confirmed
    ended         withdrawn, cancelled     with a reason
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    RETURNED = "returned"
    SUBMITTED = "submitted"
    PUBLISHED = "published"
    ENGAGED = "engaged"
    VERIFYING = "verifying"
    VERIFIED = "verified"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"


class Stage(StrEnum):
    POSE = "pose"  # 企业出题
    ASSIST = "assist"  # 政府助题
    ANSWER = "answer"  # 平台答题
    VERIFY = "verify"  # 车间验题
    VALUE = "value"  # 市场评价
    ENDED = "ended"


STAGE_OF: dict[State, Stage] = {
    State.DRAFT: Stage.POSE,
    State.RETURNED: Stage.POSE,
    State.SUBMITTED: Stage.ASSIST,
    State.PUBLISHED: Stage.ANSWER,
    State.ENGAGED: Stage.ANSWER,
    State.VERIFYING: Stage.VERIFY,
    State.VERIFIED: Stage.VALUE,
    State.CLOSED: Stage.VALUE,
    State.WITHDRAWN: Stage.ENDED,
    State.CANCELLED: Stage.ENDED,
}
STAGES_IN_ORDER = (Stage.POSE, Stage.ASSIST, Stage.ANSWER, Stage.VERIFY, Stage.VALUE)
FINAL_STATES = frozenset({State.CLOSED, State.WITHDRAWN, State.CANCELLED})
# Before these states only the enterprise (and, once submitted, the talent office) sees a need.
OPEN_STATES = frozenset({State.PUBLISHED})


class Party(StrEnum):
    """How an actor stands to a need (an actor may be several at once)."""

    ENTERPRISE = "enterprise"  # acts for the enterprise that posed the need
    OFFICER = "officer"  # governs the need's region (or platform administrator)
    SOLVER = "solver"  # on the selected engagement's team or its institution


class Action(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"
    SELECT = "select"
    START_VERIFICATION = "start_verification"
    VERIFICATION_PASSED = "verification_passed"
    VERIFICATION_FAILED = "verification_failed"
    CLOSE = "close"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Transition:
    action: Action
    sources: frozenset[State]
    target: State
    parties: frozenset[Party]
    needs_reason: bool = False


def _t(action, sources, target, parties, needs_reason=False) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(parties), needs_reason)


ENT, OFF, SOL = Party.ENTERPRISE, Party.OFFICER, Party.SOLVER

TRANSITIONS: dict[Action, Transition] = {
    t.action: t
    for t in (
        # 出题: the enterprise submits its draft (or the version it revised after a return).
        _t(Action.SUBMIT, {State.DRAFT, State.RETURNED}, State.SUBMITTED, {ENT}),
        # 助题: the talent office sends it back with a reason, or publishes it to solvers.
        _t(Action.RETURN, {State.SUBMITTED}, State.RETURNED, {OFF}, needs_reason=True),
        _t(Action.PUBLISH, {State.SUBMITTED}, State.PUBLISHED, {OFF}),
        # Until a solver is chosen the enterprise may withdraw, and so may the office (a
        # duplicate, a need that went away), always saying why.
        _t(
            Action.WITHDRAW,
            {State.DRAFT, State.RETURNED, State.SUBMITTED, State.PUBLISHED},
            State.WITHDRAWN,
            {ENT, OFF},
            needs_reason=True,
        ),
        # 答题: the enterprise, with the office, selects one proposal: an engagement starts.
        _t(Action.SELECT, {State.PUBLISHED}, State.ENGAGED, {ENT, OFF}),
        # 验题: the solvers deliver (or the enterprise calls them to the line); the workshop's
        # check of every criterion passes the need on, or returns it to work with findings.
        _t(Action.START_VERIFICATION, {State.ENGAGED}, State.VERIFYING, {ENT, SOL}),
        _t(Action.VERIFICATION_PASSED, {State.VERIFYING}, State.VERIFIED, {ENT}),
        _t(Action.VERIFICATION_FAILED, {State.VERIFYING}, State.ENGAGED, {ENT}),
        # 评价: once outcomes are confirmed the office closes the case.
        _t(Action.CLOSE, {State.VERIFIED}, State.CLOSED, {OFF}),
        # An engagement that cannot go on is cancelled, with a reason.
        _t(
            Action.CANCEL,
            {State.ENGAGED, State.VERIFYING},
            State.CANCELLED,
            {ENT, OFF},
            needs_reason=True,
        ),
    )
}


class TransitionError(Exception):
    """The action is not possible from this state, or not for these parties."""

    def __init__(self, action: str, state: str, reason: str) -> None:
        super().__init__(f"{action} from {state}: {reason}")
        self.action = action
        self.state = state
        self.reason = reason  # "state" or "party"


def check(action: Action | str, state: State | str, parties: set[Party] | frozenset) -> State:
    """The state ``action`` leads to, or TransitionError saying whether state or party is wrong."""
    transition = TRANSITIONS[Action(action)]
    current = State(state)
    if current not in transition.sources:
        raise TransitionError(transition.action, current, "state")
    if not transition.parties & set(parties):
        raise TransitionError(transition.action, current, "party")
    return transition.target


def allowed_actions(state: State | str, parties: set[Party] | frozenset) -> list[Action]:
    """The actions these parties may take now, in table order (for buttons and the API)."""
    current = State(state)
    return [
        t.action for t in TRANSITIONS.values() if current in t.sources and t.parties & set(parties)
    ]


# Proposals (答题) have their own small table.


class ProposalState(StrEnum):
    SUBMITTED = "submitted"
    SHORTLISTED = "shortlisted"
    SELECTED = "selected"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class ProposalAction(StrEnum):
    SHORTLIST = "shortlist"
    DECLINE = "decline"
    WITHDRAW = "withdraw"
    SELECT = "select"


class ProposalParty(StrEnum):
    AUTHOR = "author"  # wrote it, or acts for the institution it was submitted for
    DECIDER = "decider"  # the need's enterprise or its talent office


PROPOSAL_OPEN = frozenset({ProposalState.SUBMITTED, ProposalState.SHORTLISTED})
PROPOSAL_TRANSITIONS: dict[ProposalAction, tuple[frozenset, ProposalState, frozenset]] = {
    ProposalAction.SHORTLIST: (
        frozenset({ProposalState.SUBMITTED}),
        ProposalState.SHORTLISTED,
        frozenset({ProposalParty.DECIDER}),
    ),
    ProposalAction.DECLINE: (
        PROPOSAL_OPEN,
        ProposalState.DECLINED,
        frozenset({ProposalParty.DECIDER}),
    ),
    ProposalAction.WITHDRAW: (
        PROPOSAL_OPEN,
        ProposalState.WITHDRAWN,
        frozenset({ProposalParty.AUTHOR}),
    ),
    ProposalAction.SELECT: (
        PROPOSAL_OPEN,
        ProposalState.SELECTED,
        frozenset({ProposalParty.DECIDER}),
    ),
}


def check_proposal(
    action: ProposalAction | str, state: ProposalState | str, parties: set | frozenset
) -> ProposalState:
    sources, target, allowed = PROPOSAL_TRANSITIONS[ProposalAction(action)]
    current = ProposalState(state)
    if current not in sources:
        raise TransitionError(ProposalAction(action), current, "state")
    if not allowed & set(parties):
        raise TransitionError(ProposalAction(action), current, "party")
    return target
