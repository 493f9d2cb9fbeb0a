"""The one permission model.

A user's ``Scope`` is computed once per request from their memberships: which regions they
govern as an officer, which alliances those regions belong to, which organisations they act
for, and which talent profile is their own. Selectors filter with it (what may be *seen*);
the ``can_*`` functions below decide what may be *changed*. Nothing else checks roles.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from talentflow.accounts.models import Role


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    is_admin: bool = False
    roles: frozenset[str] = frozenset()
    # Code prefixes of the regions governed as officer (GB/T 2260: a prefecture covers its
    # counties), and the codes themselves.
    region_prefixes: tuple[str, ...] = ()
    region_codes: frozenset[str] = frozenset()
    alliance_ids: frozenset[int] = frozenset()
    organisation_ids: frozenset[int] = frozenset()
    talent_id: int | None = None
    organisation_roles: dict[int, str] = field(default_factory=dict)
    # Regions whose finance bureau (财政) the user acts for: kept apart from
    # ``region_prefixes`` so that a finance officer is never a talent-office officer.
    finance_prefixes: tuple[str, ...] = ()

    @property
    def is_officer(self) -> bool:
        return bool(self.region_prefixes)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def region_q(self, path: str) -> Q:
        """A filter matching ``path`` (a Region relation) inside the governed regions."""
        q = Q(pk__in=[])
        for prefix in self.region_prefixes:
            q |= Q(**{f"{path}__code__startswith": prefix})
        return q

    def governs_region(self, code: str | None) -> bool:
        return bool(code) and any(code.startswith(p) for p in self.region_prefixes)

    @property
    def is_finance(self) -> bool:
        return bool(self.finance_prefixes)

    def finances_region(self, code: str | None) -> bool:
        """Whether the user acts for the finance bureau of ``code`` (or of a region above it)."""
        return bool(code) and any(code.startswith(p) for p in self.finance_prefixes)

    def finance_q(self, path: str) -> Q:
        """A filter matching ``path`` (a Region relation) inside the finance regions."""
        q = Q(pk__in=[])
        for prefix in self.finance_prefixes:
            q |= Q(**{f"{path}__code__startswith": prefix})
        return q


ANONYMOUS = Scope(user_id=None)


def scope_for(user) -> Scope:
    """The scope of ``user``, cached on the user object for the rest of the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return ANONYMOUS
    cached = getattr(user, "_talentflow_scope", None)
    if cached is not None:
        return cached

    from talentflow.reference.models import AllianceMember

    memberships = list(
        user.memberships.filter(is_active=True).select_related("region", "organisation")
    )
    roles = {m.role for m in memberships}
    is_admin = user.is_superuser or Role.PLATFORM_ADMIN in roles
    officer_regions = [m.region for m in memberships if m.role == Role.OFFICER and m.region]
    prefixes = tuple(sorted({r.prefix for r in officer_regions}))
    finance_prefixes = tuple(
        sorted({m.region.prefix for m in memberships if m.role == Role.FINANCE and m.region})
    )
    alliance_ids: set[int] = set()
    if prefixes:
        member_q = Q(pk__in=[])
        for prefix in prefixes:
            member_q |= Q(region__code__startswith=prefix)
        alliance_ids = set(
            AllianceMember.objects.filter(member_q).values_list("alliance_id", flat=True)
        )
    org_roles = {m.organisation_id: m.role for m in memberships if m.organisation_id is not None}
    # A missing reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError.
    profile = getattr(user, "talent_profile", None)
    if profile is not None:
        roles.add(Role.STUDENT if Role.STUDENT in roles else Role.TALENT)
    scope = Scope(
        user_id=user.pk,
        is_admin=is_admin,
        roles=frozenset(roles),
        region_prefixes=prefixes,
        region_codes=frozenset(r.code for r in officer_regions),
        alliance_ids=frozenset(alliance_ids),
        organisation_ids=frozenset(org_roles),
        talent_id=profile.pk if profile is not None else None,
        organisation_roles=org_roles,
        finance_prefixes=finance_prefixes,
    )
    user._talentflow_scope = scope
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope after the user's memberships change."""
    if hasattr(user, "_talentflow_scope"):
        del user._talentflow_scope


# What may be changed ---------------------------------------------------------------------


def can_create_organisation(user, *, region_code: str | None = None) -> bool:
    scope = scope_for(user)
    if scope.is_admin:
        return True
    return scope.is_officer and (region_code is None or scope.governs_region(region_code))


def can_edit_organisation(user, organisation) -> bool:
    scope = scope_for(user)
    if scope.is_admin:
        return True
    if scope.governs_region(organisation.region_id):
        return True
    return organisation.pk in scope.organisation_ids


def can_create_talent(user, *, region_code: str | None = None) -> bool:
    return can_create_organisation(user, region_code=region_code)


def can_edit_talent(user, talent) -> bool:
    scope = scope_for(user)
    if scope.is_admin:
        return True
    if scope.governs_region(talent.home_region_id):
        return True
    return talent.pk == scope.talent_id


def can_import(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.is_officer


def can_view_audit(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.is_officer
