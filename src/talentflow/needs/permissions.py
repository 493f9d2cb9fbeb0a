"""How a user stands to a need, built on the one Scope (accounts/permissions.py).

``parties`` answers the workflow's question (enterprise, officer, solver); the other functions
decide visibility of the confidential details and of proposals. What lists a user may see is
decided in ``selectors.need_visible``.
"""

from __future__ import annotations

from talentflow.accounts.models import Role
from talentflow.accounts.permissions import scope_for
from talentflow.needs import workflow
from talentflow.needs.models import ConfidentialityAcceptance, Need, Proposal


def parties(user, need: Need) -> set[workflow.Party]:
    scope = scope_for(user)
    found: set[workflow.Party] = set()
    if not scope.is_authenticated:
        return found
    if scope.is_admin or scope.governs_region(need.region_id):
        found.add(workflow.Party.OFFICER)
    if scope.organisation_roles.get(need.enterprise_id) == Role.ENTERPRISE:
        found.add(workflow.Party.ENTERPRISE)
    if is_solver(user, need):
        found.add(workflow.Party.SOLVER)
    return found


def is_solver(user, need: Need) -> bool:
    """On the selected engagement: its team, or acting for its institution."""
    scope = scope_for(user)
    engagement = getattr(need, "engagement", None) if _has_engagement(need) else None
    if engagement is None:
        return False
    if engagement.institution_id and engagement.institution_id in scope.organisation_ids:
        return True
    return scope.talent_id is not None and any(
        m.talent_id == scope.talent_id for m in engagement.members.all()
    )


def _has_engagement(need: Need) -> bool:
    from django.core.exceptions import ObjectDoesNotExist

    try:
        need.engagement  # noqa: B018 - a missing reverse one-to-one raises
    except ObjectDoesNotExist:
        return False
    return True


def can_edit_need(user, need: Need) -> bool:
    """The enterprise edits its own text while posing; the office frames it while assisting."""
    p = parties(user, need)
    if workflow.Party.ENTERPRISE in p and need.state in {"draft", "returned"}:
        return True
    return workflow.Party.OFFICER in p and need.state in {"submitted", "published"}


def can_assist(user, need: Need) -> bool:
    return workflow.Party.OFFICER in parties(user, need) and need.state in {
        "submitted",
        "published",
    }


def sees_details(user, need: Need) -> bool:
    """Confidential details: the enterprise, its talent office, the engagement's solvers, and
    anyone else only after accepting the confidentiality terms on the platform."""
    if not need.is_confidential:
        return True
    if parties(user, need):
        return True
    scope = scope_for(user)
    if not scope.is_authenticated:
        return False
    return ConfidentialityAcceptance.objects.filter(need=need, user_id=scope.user_id).exists()


def proposal_parties(user, proposal: Proposal) -> set[workflow.ProposalParty]:
    scope = scope_for(user)
    found: set[workflow.ProposalParty] = set()
    if not scope.is_authenticated:
        return found
    if proposal.author_id == scope.user_id or (
        proposal.organisation_id and proposal.organisation_id in scope.organisation_ids
    ):
        found.add(workflow.ProposalParty.AUTHOR)
    need_parties = parties(user, proposal.need)
    if need_parties & {workflow.Party.ENTERPRISE, workflow.Party.OFFICER}:
        found.add(workflow.ProposalParty.DECIDER)
    return found


def can_propose(user, need: Need) -> bool:
    """Institutions and talents may answer a need they can see that is open for proposals."""
    scope = scope_for(user)
    if not scope.is_authenticated or need.state != "published":
        return False
    solver_roles = {Role.INSTITUTION, Role.TALENT, Role.STUDENT}
    return bool(scope.roles & solver_roles) or scope.talent_id is not None


def can_view_reports(user) -> bool:
    """Outcome and engagement reports are the talent offices' (and administrators')."""
    scope = scope_for(user)
    return scope.is_admin or scope.is_officer


def can_download(user, document) -> bool:
    """Attachments follow the details rule; evidence of the workshop check and of outcomes is
    for the parties of the need only (not for every solver who can see a public need)."""
    from talentflow.needs.models import DocumentKind
    from talentflow.needs.selectors import need_visible

    need = document.need
    if not need_visible(user=user).filter(pk=need.pk).exists():
        return False
    if document.kind == DocumentKind.ATTACHMENT:
        return sees_details(user, need)
    return bool(parties(user, need))
