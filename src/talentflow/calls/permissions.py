"""How a user stands to a call, on the one Scope (accounts/permissions.py).

The talent office of the calling region governs the call (opens, reviews, closes, publishes);
everyone signed in who belongs to one of the alliance's member regions (an officer governing
it, a user acting for an organisation there, a talent at home or working there) sees the open
calls and the published results; a talent applies; a panel member scores. Platform
administrators act as the office.
"""

from __future__ import annotations

from talentflow.accounts.permissions import scope_for
from talentflow.calls.workflow import Party


def governs(user, region_code: str | None) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.governs_region(region_code)


def is_office_user(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.is_officer


def user_regions(user) -> tuple[tuple[str, ...], frozenset[str]]:
    """The prefixes a user governs and the regions of their organisations, home and work."""
    from talentflow.evaluation.permissions import region_codes_of

    return region_codes_of(user)


def member_codes(alliance_id: int) -> list[str]:
    from talentflow.reference.models import AllianceMember

    return list(
        AllianceMember.objects.filter(alliance_id=alliance_id)
        .order_by("region_id")
        .values_list("region_id", flat=True)
    )


def in_alliance(user, alliance_id: int) -> bool:
    scope = scope_for(user)
    if not scope.is_authenticated:
        return False
    if scope.is_admin:
        return True
    prefixes, codes = user_regions(user)
    return any(
        c in codes or any(c.startswith(p) for p in prefixes) for c in member_codes(alliance_id)
    )


def reviewer_of(user, call):
    """The user's seat on the call's panel, or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    from django.db.models import Q

    scope = scope_for(user)
    q = Q(user_id=user.pk)
    if scope.talent_id is not None:
        q |= Q(talent_id=scope.talent_id)
    return call.reviewers.filter(q).first()


def call_parties(user, call) -> set[Party]:
    if user is None:  # a system task acts as every party
        return set(Party)
    found: set[Party] = set()
    if governs(user, call.region_id):
        found.add(Party.OFFICE)
    scope = scope_for(user)
    if scope.talent_id is not None and call.applications.filter(talent_id=scope.talent_id).exists():
        found.add(Party.APPLICANT)
    if reviewer_of(user, call) is not None:
        found.add(Party.REVIEWER)
    return found
