"""Who may see and change points. Built on the one permission model (accounts/permissions)."""

from __future__ import annotations

from talentflow.accounts.permissions import scope_for


def can_manage_scheme(user, scheme) -> bool:
    """Draft, edit and publish versions: the talent office governing the scheme's region."""
    scope = scope_for(user)
    return scope.is_admin or scope.governs_region(scheme.region_id)


def can_create_scheme(user, region_code: str | None = None) -> bool:
    scope = scope_for(user)
    if scope.is_admin:
        return True
    return scope.is_officer and (region_code is None or scope.governs_region(region_code))


def can_record_events(user) -> bool:
    scope = scope_for(user)
    return scope.is_admin or scope.is_officer


def can_see_leaderboards(user) -> bool:
    # Rankings name people and their totals: the talent offices and administrators see them;
    # a talent sees their own statement.
    scope = scope_for(user)
    return scope.is_admin or scope.is_officer


def can_see_statement(user, talent) -> bool:
    """The talent, the offices that see the talent, administrators. Never an enterprise or an
    institution, even one the talent works for."""
    scope = scope_for(user)
    if scope.is_admin or talent.pk == scope.talent_id:
        return True
    if not scope.is_officer:
        return False
    from talentflow.directory.selectors import talent_visible

    return talent_visible(user=user).filter(pk=talent.pk).exists()


def can_void_event(user, event) -> bool:
    """The talent office governing the region the event counts in, and seeing the talent."""
    scope = scope_for(user)
    if scope.is_admin:
        return True
    if not (scope.is_officer and scope.governs_region(event.region_id)):
        return False
    from talentflow.directory.selectors import talent_visible

    return talent_visible(user=user).filter(pk=event.talent_id).exists()
