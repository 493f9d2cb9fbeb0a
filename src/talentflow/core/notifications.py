"""In-app notifications and their e-mails.

An app registers the kinds it sends with their message templates (lazy, so each reader sees
their own language); services call ``notify`` inside their transaction. The rows commit with
the change; e-mails go out only after the commit (``on_commit``), in the platform's language,
through Django's mail backend, so a rolled-back change never mails anyone.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone, translation

from talentflow.core.models import Notification

logger = logging.getLogger(__name__)

MESSAGES: dict[str, Any] = {}


def register(kind: str, message) -> None:
    """``message`` is a lazy translatable string with %(name)s placeholders for the params."""
    MESSAGES[kind] = message


def render(notification: Notification) -> str:
    template = MESSAGES.get(notification.kind)
    if template is None:
        return notification.kind
    try:
        return str(template) % notification.params
    except (KeyError, TypeError, ValueError):
        return str(template)


def notify(
    *,
    recipients: Iterable,
    kind: str,
    params: Mapping[str, Any] | None = None,
    url: str = "",
    exclude=None,
) -> list[Notification]:
    """Notify each distinct active recipient (except ``exclude``, usually the actor)."""
    if kind not in MESSAGES:
        raise KeyError(f"unregistered notification kind {kind!r}")
    seen: set[int] = set()
    users = []
    for user in recipients:
        if user is None or not user.is_active or user.pk in seen:
            continue
        if exclude is not None and user.pk == getattr(exclude, "pk", None):
            continue
        seen.add(user.pk)
        users.append(user)
    if not users:
        return []
    now = timezone.now()
    rows = Notification.objects.bulk_create(
        [
            Notification(recipient=u, kind=kind, params=dict(params or {}), url=url, created_at=now)
            for u in users
        ]
    )
    mails = [(u.email, rows[i]) for i, u in enumerate(users) if u.email]
    if mails:
        transaction.on_commit(lambda: _send_mails(mails))
    return rows


def _send_mails(mails: list[tuple[str, Notification]]) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject_prefix = str(settings.TALENTFLOW_SITE_NAME)
        messages = []
        for address, row in mails:
            text = render(row)
            link = f"\n\n{settings.TALENTFLOW_BASE_URL.rstrip('/')}{row.url}" if row.url else ""
            messages.append((f"[{subject_prefix}] {text}"[:200], text + link, None, [address]))
    try:
        send_mass_mail(messages, fail_silently=False)
    except Exception:  # the change is committed; a mail server outage must not undo it
        logger.exception("notification e-mail failed for %d recipients", len(messages))


def notification_unread_count(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_mark_read(*, user, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read (all, or the given ids). Reading is not a state
    change of any record, so it is not audited."""
    qs = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
