"""Who is which party of a policy or an application (see ``workflow.Party``).

- the talent office of the policy's region (officers governing it) manages the policy's
  versions and budgets and reviews applications first; platform administrators too;
- the finance bureau of the policy's region (role ``finance``) reviews second and records the
  payout; it sees the policy's budgets and applications, nothing else of the region;
- the applicant: the enterprise a user acts for, or the talent (student) themselves.
"""

from __future__ import annotations

from talentflow.accounts.models import Role
from talentflow.accounts.permissions import scope_for
from talentflow.rules.models import ApplicantKind, Application, Policy
from talentflow.rules.workflow import Party


def can_manage_policy(user, policy: Policy) -> bool:
    """Draft, edit, try out and publish versions; set budgets."""
    scope = scope_for(user)
    return scope.is_admin or scope.governs_region(policy.region_id)


def sees_budget(user, policy: Policy) -> bool:
    scope = scope_for(user)
    return (
        scope.is_admin
        or scope.governs_region(policy.region_id)
        or scope.finances_region(policy.region_id)
    )


def applicant_organisations(user, policy: Policy):
    """The enterprises ``user`` may apply for under ``policy``: those of its region they act
    for as an enterprise user."""
    from talentflow.directory.models import Organisation

    scope = scope_for(user)
    if policy.applicant_kind != ApplicantKind.ENTERPRISE:
        return Organisation.objects.none()
    ids = [oid for oid, role in scope.organisation_roles.items() if role == Role.ENTERPRISE]
    return Organisation.objects.filter(
        pk__in=ids, region__code__startswith=policy.region.prefix
    ).order_by("name")


def can_apply(user, policy: Policy) -> bool:
    if policy.applicant_kind == ApplicantKind.TALENT:
        return scope_for(user).talent_id is not None
    return applicant_organisations(user, policy).exists()


def parties(user, application: Application) -> set[str]:
    scope = scope_for(user)
    found: set[str] = set()
    region = application.policy.region_id
    if scope.is_admin or scope.governs_region(region):
        found.add(Party.OFFICE)
    if scope.is_admin or scope.finances_region(region):
        found.add(Party.FINANCE)
    if (
        application.applicant_organisation_id is not None
        and scope.organisation_roles.get(application.applicant_organisation_id) == Role.ENTERPRISE
    ) or (
        application.applicant_talent_id is not None
        and application.applicant_talent_id == scope.talent_id
    ):
        found.add(Party.APPLICANT)
    return found


def can_edit_application(user, application: Application) -> bool:
    from talentflow.rules.workflow import EDITABLE

    return Party.APPLICANT in parties(user, application) and application.status in EDITABLE
