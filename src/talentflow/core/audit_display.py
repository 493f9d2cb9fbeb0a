"""How audit events read to a person: action labels, object types and changed values.

The trail stores codes (``talent.update``, ``directory.talentprofile``, attribute names and raw
values) so that it never changes once written; the words shown for them are decided here, at
display time, in the reader's language. Apps added later get a readable fallback without
registering anything: the object type's verbose name and the verb.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentflow.core.models import AuditEvent

ACTION_LABELS = {
    "organisation.create": gettext_lazy("Organisation registered"),
    "organisation.update": gettext_lazy("Organisation changed"),
    "talent.create": gettext_lazy("Talent registered"),
    "talent.update": gettext_lazy("Talent profile changed"),
    "affiliation.create": gettext_lazy("Affiliation added"),
    "affiliation.end": gettext_lazy("Affiliation ended"),
    "pool.create": gettext_lazy("Talent pool created"),
    "user.create": gettext_lazy("User account created"),
    "membership.create": gettext_lazy("Role granted"),
    "api_token.create": gettext_lazy("API token created"),
    "api_token.revoke": gettext_lazy("API token revoked"),
    "reference.load": gettext_lazy("Reference data loaded"),
}

VERB_LABELS = {
    "create": gettext_lazy("created"),
    "update": gettext_lazy("changed"),
    "delete": gettext_lazy("deleted"),
    "end": gettext_lazy("ended"),
    "revoke": gettext_lazy("revoked"),
    "import": gettext_lazy("imported"),
    "load": gettext_lazy("loaded"),
    "submit": gettext_lazy("submitted"),
    "approve": gettext_lazy("approved"),
    "reject": gettext_lazy("rejected"),
    "issue": gettext_lazy("issued"),
    "verify": gettext_lazy("verified"),
}

# Objects with a page of their own; the page itself decides whether the reader may see it.
OBJECT_URL_NAMES = {
    "directory.organisation": "directory:organisation_detail",
    "directory.talentprofile": "directory:talent_detail",
}

EMPTY = "—"


def register(*, actions: dict | None = None, object_urls: dict | None = None) -> None:
    """An app names its own audit actions and the pages of its objects (from ``ready()``)."""
    ACTION_LABELS.update(actions or {})
    OBJECT_URL_NAMES.update(object_urls or {})


def _model_for(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    model = _model_for(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def action_label(action: str, object_type: str = "") -> str:
    known = ACTION_LABELS.get(action)
    if known is not None:
        return str(known)
    subject, _sep, verb = action.rpartition(".")
    verb_label = VERB_LABELS.get(verb)
    if verb_label is None or not (subject or object_type):
        return action
    noun = object_type_label(object_type) if object_type else subject
    return _("%(object)s %(verb)s") % {"object": noun, "verb": verb_label}


def object_url(event: AuditEvent) -> str:
    name = OBJECT_URL_NAMES.get(event.object_type)
    if name is None or not event.object_id.isdigit():
        return ""
    try:
        return reverse(name, args=[int(event.object_id)])
    except NoReverseMatch:
        return ""


@dataclass(frozen=True)
class Change:
    name: str
    label: str
    before: str
    after: str


def _field_for(model: type[models.Model] | None, name: str) -> models.Field | None:
    if model is None:
        return None
    for field in (*model._meta.concrete_fields, *model._meta.many_to_many):
        if name in {field.name, field.attname}:
            return field
    return None


def display_value(field: models.Field | None, value: Any) -> str:
    if value is None or value == "" or value == []:
        return EMPTY
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if field is not None and field.choices:
        choices = {str(k): v for k, v in field.flatchoices}
        if isinstance(value, list):
            return "、".join(str(choices.get(str(v), v)) for v in value)
        return str(choices.get(str(value), value))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def audit_changes(event: AuditEvent) -> list[Change]:
    """The changed fields of ``event`` with readable labels and before/after values."""
    model = _model_for(event.object_type)
    before, after = event.before or {}, event.after or {}
    changes = []
    for name in event.changed_fields:
        field = _field_for(model, name)
        label = str(field.verbose_name) if field is not None else name
        changes.append(
            Change(
                name=name,
                label=label,
                before=display_value(field, before.get(name)),
                after=display_value(field, after.get(name)),
            )
        )
    return changes
