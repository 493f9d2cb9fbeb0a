"""How a user stands to evaluation records, on the one Scope (accounts/permissions.py).

The talent office of a region governs the authorisations, recommendations and results of that
region (an officer of a prefecture governs its counties); an enterprise acts for the
enterprise authorised; an association for its own lists. Platform administrators act as the
office. Lists are scoped in ``selectors``.
"""

from __future__ import annotations

from talentflow.accounts.models import Role
from talentflow.accounts.permissions import scope_for
from talentflow.evaluation.workflow import Party


def governs(user, region_code: str | None) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.governs_region(region_code)


def acts_for(user, organisation_id: int | None, role: str = Role.ENTERPRISE) -> bool:
    return scope_for(user).organisation_roles.get(organisation_id) == role


def is_office_user(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.is_officer


def enterprise_ids(user) -> list[int]:
    scope = scope_for(user)
    return [o for o, r in scope.organisation_roles.items() if r == Role.ENTERPRISE]


def association_ids(user) -> list[int]:
    scope = scope_for(user)
    return [o for o, r in scope.organisation_roles.items() if r == Role.ASSOCIATION]


def evaluation_parties(user, evaluation) -> set[Party]:
    if user is None:  # a system task acts as every party
        return set(Party)
    found: set[Party] = set()
    authorisation = evaluation.authorisation
    if governs(user, authorisation.region_id):
        found.add(Party.OFFICE)
    if acts_for(user, authorisation.enterprise_id):
        found.add(Party.ENTERPRISE)
    return found


def region_codes_of(user) -> tuple[tuple[str, ...], frozenset[str]]:
    """The regions a user belongs to, for the public notice (公示): the prefixes they govern,
    and the regions of the organisations they act for, their home and current employers."""
    from talentflow.directory.models import Affiliation, Organisation, TalentProfile

    scope = scope_for(user)
    codes: set[str] = set(
        Organisation.objects.filter(pk__in=scope.organisation_ids).values_list(
            "region_id", flat=True
        )
    )
    if scope.talent_id is not None:
        codes.update(
            TalentProfile.objects.filter(pk=scope.talent_id).values_list(
                "home_region_id", flat=True
            )
        )
        codes.update(
            Affiliation.objects.filter(
                talent_id=scope.talent_id, end_date__isnull=True
            ).values_list("organisation__region_id", flat=True)
        )
    return scope.region_prefixes, frozenset(codes)


def sees_notice(user, recommendation) -> bool:
    scope = scope_for(user)
    if not scope.is_authenticated:
        return False
    if scope.is_admin:
        return True
    prefixes, codes = region_codes_of(user)
    code = recommendation.region_id
    return code in codes or any(code.startswith(p) for p in prefixes)
