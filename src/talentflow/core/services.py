"""Helpers shared by the services of every app."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _


def model_update(
    *, instance: models.Model, data: Mapping[str, Any], fields: Iterable[str]
) -> tuple[list[str], list[str]]:
    """Assign the allowed ``fields`` present in ``data``; return (changed fields, changed m2m).

    Many-to-many values are applied only after the instance is saved, by the caller, through
    ``apply_m2m``: they need a primary key and must not be set before validation passes.
    """
    changed: list[str] = []
    changed_m2m: list[str] = []
    m2m_names = {f.name for f in instance._meta.many_to_many}
    for name in fields:
        if name not in data:
            continue
        if name in m2m_names:
            current = {str(pk) for pk in getattr(instance, name).values_list("pk", flat=True)}
            wanted = {str(getattr(v, "pk", v)) for v in data[name]}
            if current != wanted:
                changed_m2m.append(name)
            continue
        field = instance._meta.get_field(name)
        value = data[name]
        attname = field.attname
        if isinstance(field, models.ForeignKey) and isinstance(value, models.Model):
            value = value.pk
        if getattr(instance, attname) != value:
            setattr(instance, attname, value)
            changed.append(name)
    return changed, changed_m2m


def refuse_fields_outside(
    *, instance: models.Model, data: Mapping[str, Any], allowed: Iterable[str], known: Iterable[str]
) -> None:
    """Raise a ValidationError naming every ``known`` field in ``data`` that the caller may not
    change (not in ``allowed``) and whose value differs — instead of ignoring it silently.

    Sending an unchanged value is fine: clients (an edited export, an API PATCH of a fetched
    record) often send whole records back.
    """
    import copy

    forbidden = [f for f in known if f in data and f not in set(allowed)]
    if not forbidden:
        return
    changed, changed_m2m = model_update(instance=copy.copy(instance), data=data, fields=forbidden)
    refused = changed + changed_m2m
    if refused:
        raise ValidationError({name: _("You may not change this field.") for name in refused})


def apply_m2m(instance: models.Model, data: Mapping[str, Any], names: Iterable[str]) -> None:
    for name in names:
        getattr(instance, name).set(list(data[name]))


def add_m2m_to_new(instance: models.Model, data: Mapping[str, Any], names: Iterable[str]) -> None:
    """Link a just-created instance: one INSERT per relation, without ``set()``'s read of the
    (necessarily empty) current links. Values are instances or primary keys already resolved
    by the caller; the database's foreign keys still refuse an unknown one.
    """
    for name in names:
        values = {getattr(v, "pk", v) for v in data.get(name) or ()}
        if not values:
            continue
        field = instance._meta.get_field(name)
        through = field.remote_field.through
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        through.objects.bulk_create(
            [through(**{f"{source}_id": instance.pk, f"{target}_id": v}) for v in values]
        )


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("You may not do this."))


def validation_error_dict(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {k: [str(m) for m in v] for k, v in error.message_dict.items()}
    return {"__all__": [str(m) for m in error.messages]}


# Shared by every app's services --------------------------------------------------------------


def event_time(actor, at: dt.datetime | None) -> dt.datetime:
    """When a state change happens: now, or ``at`` when a system task (``actor=None``, the
    demo) replays history; a user may never backdate."""
    if at is not None and actor is not None:
        raise ValueError("only system tasks may backdate events")
    return at or timezone.now()


def local_day(at: dt.datetime) -> dt.date:
    """The local date of a moment (the moment's own date when it is naive)."""
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def region_officers(region_code: str) -> list:
    """The active talent-office officers of the region and of the regions above it (its city
    and province), who are notified of what happens in it."""
    from talentflow.accounts.models import Membership, Role

    codes = {region_code, region_code[:4] + "00", region_code[:2] + "0000"}
    return [
        m.user
        for m in Membership.objects.filter(
            role=Role.OFFICER, region_id__in=codes, is_active=True
        ).select_related("user")
    ]
