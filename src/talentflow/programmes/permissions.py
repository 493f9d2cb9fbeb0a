"""How a user stands to programme records, on the one Scope (accounts/permissions.py).

The talent office of the record's region (an officer of a prefecture governs its counties) is
the office; administrators act as the office. Organisation roles: acting for the host (an
enterprise for a 科技副总, an institution for an 产业教授), for the appointee's employer (consent),
for the training institution or enterprise. The appointee is the talent whose profile it is.
Lists are scoped in the selectors modules.
"""

from __future__ import annotations

from talentflow.accounts.models import Role
from talentflow.accounts.permissions import scope_for
from talentflow.programmes.workflow import Party

ORGANISATION_ROLES = (Role.ENTERPRISE, Role.INSTITUTION)


def governs(user, region_code: str | None) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.governs_region(region_code)


def acts_for(user, organisation_id: int | None) -> bool:
    """Whether the user acts for the organisation as its enterprise or institution user."""
    if organisation_id is None:
        return False
    return scope_for(user).organisation_roles.get(organisation_id) in ORGANISATION_ROLES


def is_office_user(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.is_officer


def organisation_ids(user) -> list[int]:
    scope = scope_for(user)
    return [o for o, r in scope.organisation_roles.items() if r in ORGANISATION_ROLES]


def appointment_parties(user, appointment) -> set[Party]:
    if user is None:  # a system task acts as every party
        return set(Party)
    found: set[Party] = set()
    if governs(user, appointment.region_id):
        found.add(Party.OFFICE)
    if acts_for(user, appointment.host_id):
        found.add(Party.HOST)
    if acts_for(user, appointment.employer_id):
        found.add(Party.EMPLOYER)
    if (
        scope_for(user).talent_id is not None
        and scope_for(user).talent_id == appointment.appointee_id
    ):
        found.add(Party.APPOINTEE)
    return found


def request_parties(user, request_record) -> set[Party]:
    if user is None:
        return set(Party)
    found: set[Party] = set()
    if governs(user, request_record.region_id):
        found.add(Party.OFFICE)
    if acts_for(user, request_record.host_id):
        found.add(Party.HOST)
    return found


def practice_base_parties(user, base) -> set[Party]:
    if user is None:
        return set(Party)
    found: set[Party] = set()
    if governs(user, base.region_id):
        found.add(Party.OFFICE)
    if acts_for(user, base.enterprise_id):
        found.add(Party.HOST)
    return found


def cohort_parties(user, cohort) -> set[Party]:
    if user is None:
        return set(Party)
    found: set[Party] = set()
    if governs(user, cohort.region_id):
        found.add(Party.OFFICE)
    if acts_for(user, cohort.institution_id):
        found.add(Party.INSTITUTION)
    return found


def agreement_parties(user, agreement) -> set[Party]:
    """The office, the institution, the enterprise (HOST); mentors and trainees see the
    agreement (``selectors_training``) but take no transition."""
    if user is None:
        return set(Party)
    found: set[Party] = set()
    if governs(user, agreement.region_id):
        found.add(Party.OFFICE)
    if acts_for(user, agreement.institution_id):
        found.add(Party.INSTITUTION)
    if acts_for(user, agreement.enterprise_id):
        found.add(Party.HOST)
    return found
