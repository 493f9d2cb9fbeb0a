"""The certificate lifecycle as a pure transition table (no ORM; tested without a database).

    applied ──certify (一地认定, signed)──► certified ──revoke──► revoked
       │ └──reject──► rejected
       └──withdraw──► withdrawn

Only the issuing region's office certifies, rejects and revokes; the talent withdraws.
"""

from __future__ import annotations

from enum import StrEnum


class Party(StrEnum):
    TALENT = "talent"  # the talent the certificate is for
    ISSUER = "issuer"  # an officer governing the issuing region


class Action(StrEnum):
    CERTIFY = "certify"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    REVOKE = "revoke"


class TransitionError(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "party": not the actor's to take; "state": not now


# (action, from state) → (to state, the party that may take it)
CERTIFICATE: dict[tuple[Action, str], tuple[str, Party]] = {
    (Action.CERTIFY, "applied"): ("certified", Party.ISSUER),
    (Action.REJECT, "applied"): ("rejected", Party.ISSUER),
    (Action.WITHDRAW, "applied"): ("withdrawn", Party.TALENT),
    (Action.REVOKE, "certified"): ("revoked", Party.ISSUER),
}
# Actions that need a reason.
NEEDS_REASON = frozenset({Action.REJECT, Action.REVOKE})


def check(action: Action, state: str, parties: set[Party]) -> str:
    """The state that follows, or TransitionError: "party" when the action is not for any of
    ``parties`` at all, "state" when it is theirs but not possible from ``state``."""
    entry = CERTIFICATE.get((action, state))
    whose = {party for (a, _s), (_t, party) in CERTIFICATE.items() if a == action}
    if not whose & parties:
        raise TransitionError("party")
    if entry is None:
        raise TransitionError("state")
    return entry[0]


def allowed(state: str, parties: set[Party]) -> list[Action]:
    return [a for (a, s), (_t, party) in CERTIFICATE.items() if s == state and party in parties]
