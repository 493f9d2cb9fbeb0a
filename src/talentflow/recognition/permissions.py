"""How a user stands to recognition records, on the one Scope (accounts/permissions.py).

- The catalogue is seen by everyone signed in; the officers of a member region of the
  alliance (and platform administrators) maintain it.
- A certificate is certified, rejected and revoked only by an officer governing its issuing
  region: the record is signed with that region's key, so no one else may act for it (not even
  a platform administrator). The talent withdraws their own application.
- Who sees which certificate is decided in ``selectors``.
"""

from __future__ import annotations

from talentflow.accounts.permissions import scope_for
from talentflow.recognition.workflow import Party


def is_office_user(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.is_officer


def maintains_catalogue(user, alliance_id: int | None = None) -> bool:
    """Admins, and officers of a member region of ``alliance_id`` (any alliance if None)."""
    scope = scope_for(user)
    if scope.is_admin:
        return True
    if alliance_id is None:
        return bool(scope.alliance_ids)
    return alliance_id in scope.alliance_ids


def issues_for(user, region_code: str | None) -> bool:
    """An officer governing the issuing region (a prefecture's officer covers its counties)."""
    return scope_for(user).governs_region(region_code)


def is_talent(user) -> bool:
    return scope_for(user).talent_id is not None


def certificate_parties(user, certificate) -> set[Party]:
    if user is None:  # a system task acts as every party
        return set(Party)
    scope = scope_for(user)
    found: set[Party] = set()
    if scope.governs_region(certificate.issuing_region_id):
        found.add(Party.ISSUER)
    if scope.talent_id is not None and scope.talent_id == certificate.talent_id:
        found.add(Party.TALENT)
    return found
