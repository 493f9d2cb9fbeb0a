"""Writes to accounts: users, memberships and API tokens, each audited."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentflow.accounts.models import ApiToken, Membership, User
from talentflow.accounts.permissions import forget_scope, scope_for
from talentflow.core.audit import audit_record, snapshot
from talentflow.core.services import model_update, require


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    display_name: str = "",
    email: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    system_label: str | None = None,
    password_hash: str | None = None,
) -> User:
    """Create a user. ``password_hash``, if given, is the already-validated ``password`` hashed
    once (``make_password``) — the demo gives fifteen accounts one password and hashing it
    fifteen times with the production hasher would cost seconds for nothing.
    """
    if actor is not None:
        require(scope_for(actor).is_admin, _("Only a platform administrator creates users."))
    user = User(
        username=username,
        display_name=display_name,
        email=email,
        is_staff=is_staff,
        is_superuser=is_superuser,
    )
    validate_password(password, user)
    if password_hash is not None:
        # Only system tasks pass a hash; checking it against the password would cost exactly
        # the hashing this saves, so the caller vouches for it.
        if actor is not None:
            raise ValueError("password_hash is for system tasks only")
        user.password = password_hash
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(
        actor=actor, action="user.create", obj=user, after=snapshot(user), system_label=system_label
    )
    return user


@transaction.atomic
def membership_create(
    *,
    actor,
    user: User,
    role: str,
    organisation=None,
    region=None,
    system_label: str | None = None,
) -> Membership:
    if actor is not None:
        require(scope_for(actor).is_admin, _("Only a platform administrator grants roles."))
    membership = Membership(user=user, role=role, organisation=organisation, region=region)
    membership.full_clean()
    membership.save()
    forget_scope(user)
    audit_record(
        actor=actor,
        action="membership.create",
        obj=membership,
        after=snapshot(membership),
        region=region or getattr(organisation, "region", None),
        system_label=system_label,
    )
    return membership


@transaction.atomic
def api_token_create(
    *, actor: User, name: str, valid_days: int | None = 365
) -> tuple[ApiToken, str]:
    """Make a token for ``actor`` and return it with its key, which is shown only this once."""
    key = ApiToken.new_key()
    token = ApiToken(
        user=actor,
        name=name.strip() or _("API token"),
        prefix=key[: ApiToken.PREFIX_LENGTH],
        digest=ApiToken.digest_of(key),
        expires_at=timezone.now() + dt.timedelta(days=valid_days) if valid_days else None,
    )
    token.full_clean()
    token.save()
    audit_record(actor=actor, action="api_token.create", obj=token, after=snapshot(token))
    return token, key


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    require(token.user_id == actor.pk or scope_for(actor).is_admin)
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        before = snapshot(token)
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor, action="api_token.revoke", obj=token, before=before, after=snapshot(token)
        )
    return token


def api_token_authenticate(*, key: str) -> User | None:
    """The active user a bearer key belongs to, or None; records when it was last used."""
    token = ApiToken.objects.select_related("user").filter(digest=ApiToken.digest_of(key)).first()
    if token is None or not token.is_usable or not token.user.is_active:
        return None
    now = timezone.now()
    # Touch at most once a minute: a busy integration must not write on every request.
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


@transaction.atomic
def user_password_change(*, actor: User, user: User, password: str) -> User:
    """Set a new password (validated against the password rules) and record that it changed.

    The trail says only that the password changed; the hash never enters it.
    """
    require(actor.pk == user.pk or scope_for(actor).is_admin)
    validate_password(password, user)
    user = User.objects.select_for_update().get(pk=user.pk)
    user.set_password(password)
    user.save(update_fields=["password"])
    audit_record(
        actor=actor,
        action="user.password_change",
        obj=user,
        before={"password": "…"},
        after={"password": _("changed")},
    )
    return user


USER_FIELDS = ("display_name", "email", "first_name", "last_name", "is_active", "is_staff")


@transaction.atomic
def user_update(*, actor: User, user: User, data: dict) -> User:
    require(scope_for(actor).is_admin, _("Only a platform administrator changes users."))
    if "is_superuser" in data and not actor.is_superuser:
        raise PermissionDenied(_("Only a superuser grants superuser rights."))
    user = User.objects.select_for_update().get(pk=user.pk)
    before = snapshot(user)
    fields = (*USER_FIELDS, "is_superuser") if actor.is_superuser else USER_FIELDS
    changed, _m2m = model_update(instance=user, data=data, fields=fields)
    if not changed:
        return user
    user.full_clean(exclude=["password"])
    user.save()
    forget_scope(user)
    audit_record(actor=actor, action="user.update", obj=user, before=before, after=snapshot(user))
    return user


@transaction.atomic
def membership_set_active(*, actor: User, membership: Membership, is_active: bool) -> Membership:
    """End (or restore) a role: memberships are never deleted, so the trail keeps its history."""
    require(scope_for(actor).is_admin, _("Only a platform administrator grants roles."))
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if membership.is_active == is_active:
        return membership
    before = snapshot(membership)
    membership.is_active = is_active
    membership.save(update_fields=["is_active", "updated_at"])
    forget_scope(membership.user)
    audit_record(
        actor=actor,
        action="membership.activate" if is_active else "membership.deactivate",
        obj=membership,
        before=before,
        after=snapshot(membership),
        region=membership.region or getattr(membership.organisation, "region", None),
    )
    return membership
