"""The audit service: every state change records one ``AuditEvent`` in the same transaction.

Services call ``audit_record`` inside their ``@transaction.atomic`` body, so the change and its
record commit together or not at all.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models
from django.db.models.fields.files import FieldFile

from talentflow.core.middleware import current_client_ip
from talentflow.core.models import AuditEvent

# Fields never copied into the trail: secrets and personal identifiers (the masked form is).
REDACTED_FIELDS = {"password", "id_number_encrypted", "id_number_digest", "digest"}


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, FieldFile):  # a stored file: its name in storage
        return value.name or ""
    if isinstance(value, list | tuple | set):
        return sorted(_plain(v) for v in value)
    return value


def snapshot(
    obj: models.Model, *, m2m: Iterable[str] | Mapping[str, Iterable[Any]] = ()
) -> dict[str, Any]:
    """The object's concrete field values and many-to-many ids as JSON-ready data.

    ``m2m`` names relations to read from the database, or maps each name to the values just
    written (model instances or primary keys) — a service that has set them knows them, and
    re-reading them costs a query per relation on every imported row.
    """
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in REDACTED_FIELDS or field.name in {"created_at", "updated_at"}:
            continue
        data[field.attname] = _plain(getattr(obj, field.attname))
    if isinstance(m2m, Mapping):
        for name, values in m2m.items():
            data[name] = sorted({str(getattr(v, "pk", v)) for v in values})
    else:
        for name in m2m:
            data[name] = sorted(str(pk) for pk in getattr(obj, name).values_list("pk", flat=True))
    return data


def actor_label(actor) -> str:
    return getattr(actor, "username", None) or "system"


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    region=None,
    system_label: str | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
) -> AuditEvent:
    """Append one event. ``actor`` is a user, or None for a system task named by ``system_label``.

    The object is ``obj``, or for a change to many rows at once (a bulk load) the explicit
    ``object_type``/``object_id``/``object_repr``. ``region`` is a Region or its code.
    """
    if obj is not None:
        object_type, object_id, object_repr = obj._meta.label_lower, str(obj.pk), str(obj)
    label = actor_label(actor) if actor is not None else f"system:{system_label or 'task'}"
    if before is not None and after is not None:
        changed = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
        before = {k: v for k, v in before.items() if k in changed}
        after = {k: v for k, v in after.items() if k in changed}
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=label,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr[:255],
        region_id=getattr(region, "pk", region),
        before=dict(before) if before is not None else None,
        after=dict(after) if after is not None else None,
        ip_address=current_client_ip(),
    )
