"""Matching in the back office: readable and searchable, never writable.

Invitations, declarations and capacities change through the services (permissions, audit
trail, notifications, the engine's change log); past engagements through the import.
"""

from __future__ import annotations

from django.contrib import admin

from talentflow.core.admin_base import ReadOnlyAdmin
from talentflow.matching.models import (
    ExpertCapacity,
    IndexChange,
    InterestDeclaration,
    Invitation,
    PastEngagement,
)


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdmin):
    list_display = ("need", "talent", "status", "invited_by", "created_at")
    list_filter = ("status",)
    search_fields = ("need__title", "talent__name", "need__enterprise__name")
    list_select_related = ("need", "talent", "invited_by")


@admin.register(InterestDeclaration)
class InterestDeclarationAdmin(ReadOnlyAdmin):
    list_display = ("talent", "organisation", "kind", "declared_at")
    list_filter = ("kind",)
    search_fields = ("talent__name", "organisation__name")
    list_select_related = ("talent", "organisation")


@admin.register(ExpertCapacity)
class ExpertCapacityAdmin(ReadOnlyAdmin):
    list_display = ("talent", "max_concurrent", "updated_at")
    search_fields = ("talent__name",)
    list_select_related = ("talent",)


@admin.register(PastEngagement)
class PastEngagementAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "year", "industry", "source", "created_at")
    list_filter = ("data_source",)
    search_fields = ("text", "talents__name", "source")
    list_select_related = ("industry",)


@admin.register(IndexChange)
class IndexChangeAdmin(ReadOnlyAdmin):
    list_display = ("seq", "talent_id", "at")
