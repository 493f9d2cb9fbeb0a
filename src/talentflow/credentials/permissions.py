"""How a user stands to the talent code's records, on the one Scope (accounts/permissions.py).

Officers manage the services of their region (an officer of a prefecture those of its
counties); a provider user acts for its organisation: verifies codes at its counter and records
redemptions of its services; a talent holds their own code. Platform administrators manage
everything but do not act at a counter.
"""

from __future__ import annotations

from talentflow.accounts.models import Role
from talentflow.accounts.permissions import scope_for


def manages_region(user, region_code: str | None) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.governs_region(region_code)


def is_office_user(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.is_officer


def provider_ids(user) -> list[int]:
    scope = scope_for(user)
    return sorted(o for o, r in scope.organisation_roles.items() if r == Role.PROVIDER)


def is_provider(user) -> bool:
    return bool(provider_ids(user))


def acts_for_provider(user, organisation_id: int | None) -> bool:
    return scope_for(user).organisation_roles.get(organisation_id) == Role.PROVIDER


def talent_id(user) -> int | None:
    return scope_for(user).talent_id
