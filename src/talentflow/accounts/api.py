"""Who the caller is, over the API: roles, memberships and what their scope covers."""

# No "from __future__ import annotations" here: ninja reads these annotations at import.
from django.http import HttpRequest
from ninja import Field, Router, Schema

from talentflow.accounts import permissions
from talentflow.accounts.models import Membership, User
from talentflow.directory.schemas import OrganisationRef
from talentflow.reference.api import AllianceRef, RegionOut
from talentflow.reference.models import Alliance

router = Router(tags=["accounts"])


class MembershipOut(Schema):
    role: str
    role_label: str
    organisation: OrganisationRef | None
    region: RegionOut | None

    @staticmethod
    def resolve_role_label(obj: Membership) -> str:
        return str(obj.get_role_display())


class ScopeOut(Schema):
    is_admin: bool
    is_officer: bool
    region_codes: list[str] = Field(description="Regions governed as talent-office officer")
    alliances: list[AllianceRef] = Field(description="Alliances those regions belong to")
    organisation_ids: list[int] = Field(description="Organisations acted for")
    talent_id: int | None = Field(description="The caller's own talent profile")


class AllowedOut(Schema):
    create_organisation: bool
    create_talent: bool
    import_data: bool
    view_audit: bool


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    email: str
    roles: list[str]
    memberships: list[MembershipOut]
    scope: ScopeOut
    may: AllowedOut = Field(description="What the caller may do anywhere in their scope")


@router.get("/me", response=MeOut, summary="The caller")
def me(request: HttpRequest) -> dict:
    """The signed-in user or token owner, their roles and what their scope covers."""
    user: User = request.auth
    scope = permissions.scope_for(user)
    return {
        "id": user.pk,
        "username": user.username,
        "display_name": user.display_name,
        "email": user.email,
        "roles": sorted(scope.roles),
        "memberships": user.memberships.filter(is_active=True)
        .select_related("organisation", "region")
        .order_by("role", "id"),
        "scope": {
            "is_admin": scope.is_admin,
            "is_officer": scope.is_officer,
            "region_codes": sorted(scope.region_codes),
            "alliances": Alliance.objects.filter(pk__in=scope.alliance_ids).order_by("code"),
            "organisation_ids": sorted(scope.organisation_ids),
            "talent_id": scope.talent_id,
        },
        "may": {
            "create_organisation": permissions.can_create_organisation(user),
            "create_talent": permissions.can_create_talent(user),
            "import_data": permissions.can_import(user),
            "view_audit": permissions.can_view_audit(user),
        },
    }
