"""The audit trail in the back office: readable and searchable, never writable."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from talentflow.core import audit_display
from talentflow.core.models import AuditEvent, Notification


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("occurred_at", "actor_label", "action_display", "object_repr", "region")
    list_filter = ("action", "object_type", ("region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("object_repr", "actor_label", "object_id", "action")
    date_hierarchy = "occurred_at"
    list_select_related = ("region",)
    fields = (
        "occurred_at",
        "actor",
        "actor_label",
        "action",
        "object_type",
        "object_id",
        "object_repr",
        "region",
        "ip_address",
        "changes_display",
    )
    readonly_fields = fields

    # The trail is append-only (ORM and database trigger); the admin offers no way around it,
    # not even to a superuser.
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("action"), ordering="action")
    def action_display(self, obj: AuditEvent) -> str:
        return audit_display.action_label(obj.action, obj.object_type)

    @admin.display(description=_("changes"))
    def changes_display(self, obj: AuditEvent) -> str:
        changes = audit_display.audit_changes(obj)
        if not changes:
            return "—"
        if obj.before is None:
            return "\n".join(f"{c.label}: {c.after}" for c in changes)
        return "\n".join(f"{c.label}: {c.before} → {c.after}" for c in changes)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are written by services and marked read by their recipient."""

    list_display = ("created_at", "recipient", "message", "read_at")
    list_filter = ("kind",)
    search_fields = ("recipient__username", "kind")
    date_hierarchy = "created_at"
    list_select_related = ("recipient",)
    fields = ("created_at", "recipient", "kind", "message", "url", "read_at")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("message"))
    def message(self, obj: Notification) -> str:
        return str(obj)


def adopt_saved(target, saved) -> None:
    """Make the admin's unsaved ``target`` stand for ``saved``, the row a service created.

    The admin builds an instance from its form and later logs and redirects with that same
    object; the service builds and saves its own. Copying the saved values across lets the
    admin carry on as if it had saved the row itself, while the write stayed in the service.
    """
    for field in saved._meta.concrete_fields:
        setattr(target, field.attname, getattr(saved, field.attname))
    target._state.adding = False
    target._state.db = saved._state.db
