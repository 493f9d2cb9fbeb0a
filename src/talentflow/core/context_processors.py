"""Navigation per role, computed from the user's scope (never from hard-coded user names)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talentflow.accounts.permissions import scope_for
from talentflow.core.notifications import notification_unread_count


@dataclass(frozen=True)
class NavItem:
    label: str
    url: str
    key: str


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "scope": None}
    scope = scope_for(user)
    items = [NavItem(_("Home"), reverse("core:home"), "home")]
    if scope.is_admin or scope.is_officer or scope.organisation_ids:
        items.append(NavItem(_("Talents"), reverse("directory:talent_list"), "talents"))
        items.append(
            NavItem(_("Organisations"), reverse("directory:organisation_list"), "organisations")
        )
    # Enterprises pose needs, the office assists, institutions and talents answer them.
    if scope.is_admin or scope.is_officer or scope.organisation_ids or scope.talent_id:
        items.append(NavItem(_("Needs"), reverse("needs:list"), "needs"))
    if scope.is_admin or scope.is_officer:
        items.append(NavItem(_("Outcomes"), reverse("needs:outcome_report"), "outcomes"))
    # Policies and subsidies (申报) concern everyone; finance officers review and pay.
    items.append(NavItem(_("Policies"), reverse("rules:policy_list"), "rules"))
    # Points: the office's leaderboards, a talent's own statement, everyone else the rules.
    items.append(NavItem(_("Points"), reverse("points:home"), "points"))
    items.append(NavItem(_("Evaluation"), _evaluation_url(scope), "evaluation"))
    # Appointments (科技副总, 产业教授 …) and joint training (六方联动): the office, the
    # enterprises and institutions, the experts appointed; students start at their agreements.
    programmes = _programmes_url(scope)
    if programmes:
        items.append(NavItem(_("Programmes"), programmes, "programmes"))
    # The demonstration zone's mutual recognition (一地认定、三地互认), its cross-region talent
    # programme calls (跨区域申报), and the talent code: a talent's own code, a provider's
    # counter, everyone else the service catalogue.
    items.append(NavItem(_("Recognition"), reverse("recognition:catalogue_list"), "recognition"))
    items.append(NavItem(_("Talent programmes"), reverse("calls:call_list"), "calls"))
    items.append(NavItem(_("Talent code"), _credentials_url(scope), "credentials"))
    if scope.talent_id is not None:
        items.append(NavItem(_("My profile"), reverse("directory:my_profile"), "my_profile"))
    if scope.is_admin or scope.is_officer:
        items.append(NavItem(_("Audit trail"), reverse("core:audit_list"), "audit"))
    return {
        "nav_items": items,
        "scope": scope,
        "unread_notifications": notification_unread_count(user=user),
    }


def _evaluation_url(scope) -> str:
    """Offices and enterprises start at the authorisations to self-evaluate, associations at
    their recommendations (行业公荐), everyone else at the results."""
    from talentflow.accounts.models import Role

    roles = set(scope.organisation_roles.values())
    if scope.is_admin or scope.is_officer or Role.ENTERPRISE in roles:
        return reverse("evaluation:authorisation_list")
    if Role.ASSOCIATION in roles:
        return reverse("evaluation:recommendation_list")
    return reverse("evaluation:result_list")


def _programmes_url(scope) -> str | None:
    from talentflow.accounts.models import Role

    roles = set(scope.organisation_roles.values())
    if scope.is_admin or scope.is_officer or roles & {Role.ENTERPRISE, Role.INSTITUTION}:
        return reverse("programmes:appointment_list")
    if Role.STUDENT in scope.roles:
        return reverse("programmes:agreement_list")
    if scope.talent_id is not None:
        return reverse("programmes:appointment_list")
    return None


def _credentials_url(scope) -> str:
    from talentflow.accounts.models import Role

    if Role.PROVIDER in set(scope.organisation_roles.values()):
        return reverse("credentials:verify")
    if scope.talent_id is not None:
        return reverse("credentials:my_code")
    return reverse("credentials:service_list")
