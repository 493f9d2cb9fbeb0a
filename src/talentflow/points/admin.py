"""Points in the back office: readable and searchable, never writable — versions are published
and ledgers written only through the services (immutability, recompute, audit trail)."""

from __future__ import annotations

from django.contrib import admin

from talentflow.core.admin_base import ReadOnlyAdmin, ReadOnlyInline
from talentflow.points.models import (
    LedgerEntry,
    PointsEvent,
    PointsRate,
    PointsScheme,
    SchemeVersion,
)


class RateInline(ReadOnlyInline):
    model = PointsRate


@admin.register(PointsScheme)
class PointsSchemeAdmin(ReadOnlyAdmin):
    list_display = ["name", "region"]


@admin.register(SchemeVersion)
class SchemeVersionAdmin(ReadOnlyAdmin):
    list_display = ["scheme", "number", "effective_from", "status", "published_at"]
    list_filter = ["status"]
    inlines = [RateInline]


@admin.register(PointsEvent)
class PointsEventAdmin(ReadOnlyAdmin):
    list_display = ["occurred_on", "talent", "kind", "quantity", "region", "source"]
    list_filter = ["kind", "source"]
    search_fields = ["talent__name", "description", "evidence", "source_key"]


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "talent", "event", "version", "kind", "points", "period"]
    list_filter = ["kind", "period"]
    search_fields = ["talent__name"]
