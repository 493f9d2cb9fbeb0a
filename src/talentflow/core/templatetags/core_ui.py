"""Template helpers shared by every app's pages: Bootstrap form widgets, pagination, audit."""

from __future__ import annotations

import datetime as dt

from django import forms, template
from django.core.paginator import Page
from django.forms.boundfield import BoundField
from django.utils.safestring import SafeString

from talentflow.core import audit_display
from talentflow.core.models import AuditEvent

register = template.Library()


@register.filter
def widget_kind(field: BoundField) -> str:
    """How includes/form.html lays a field out: check, choices (radios/checkboxes) or input."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return "check"
    if isinstance(widget, forms.RadioSelect):  # CheckboxSelectMultiple is a RadioSelect
        return "choices"
    return "input"


@register.simple_tag
def bootstrap_widget(field: BoundField) -> SafeString:
    """The field's widget with Bootstrap 5 classes and its help text and errors described."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    elif isinstance(widget, forms.RadioSelect):
        css = "form-check-input"
    else:
        css = "form-control"
    classes = [widget.attrs.get("class", ""), css]
    attrs: dict[str, str] = {}
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        classes.append("is-invalid")
        attrs["aria-invalid"] = "true"
        described_by.append(f"{field.auto_id}_error")
    attrs["class"] = " ".join(c for c in classes if c)
    if described_by and field.auto_id:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def page_range(page_obj: Page, on_each_side: int = 2, on_ends: int = 1) -> list:
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    )


@register.filter
def audit_action(event: AuditEvent) -> str:
    return audit_display.action_label(event.action, event.object_type)


@register.filter
def audit_object_type(event: AuditEvent) -> str:
    return audit_display.object_type_label(event.object_type)


@register.filter
def audit_object_url(event: AuditEvent) -> str:
    return audit_display.object_url(event)


@register.filter
def audit_changes(event: AuditEvent) -> list[audit_display.Change]:
    return audit_display.audit_changes(event)


@register.filter
def minutes(value: dt.timedelta | None) -> int:
    """Whole minutes of a duration, rounded up: "try again in 15 minutes", never "in 0"."""
    if not value:
        return 0
    seconds = int(value.total_seconds())
    return max(1, -(-seconds // 60))
