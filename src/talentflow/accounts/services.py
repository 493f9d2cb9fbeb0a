"""Writes to accounts: users, memberships and API tokens, each audited."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentflow.accounts.models import ApiToken, Membership, User
from talentflow.accounts.permissions import forget_scope, scope_for
from talentflow.core.audit import audit_record, snapshot
from talentflow.core.services import require


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
) -> User:
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
