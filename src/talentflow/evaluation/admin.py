"""Talent evaluation in the back office: readable and searchable, never writable (every change
goes through the services: permissions, audit trail, notifications)."""

from __future__ import annotations

from django.contrib import admin

from talentflow.core.admin_base import ReadOnlyAdmin, ReadOnlyInline
from talentflow.evaluation.models import (
    Authorisation,
    EnterpriseEvaluation,
    EvaluationResult,
    Objection,
    Recommendation,
    RecommendationEntry,
)


@admin.register(Authorisation)
class AuthorisationAdmin(ReadOnlyAdmin):
    list_display = (
        "enterprise",
        "region",
        "category",
        "quota",
        "period_start",
        "period_end",
        "status",
    )
    list_filter = ("status", "category")
    search_fields = ("enterprise__name", "scope")


@admin.register(EnterpriseEvaluation)
class EnterpriseEvaluationAdmin(ReadOnlyAdmin):
    list_display = ("talent", "authorisation", "evaluated_on", "proposed_tier", "status")
    list_filter = ("status", "proposed_tier")
    search_fields = ("talent__name", "authorisation__enterprise__name")
    exclude = ("evidence_file",)


class EntryInline(ReadOnlyInline):
    model = RecommendationEntry
    fields = ("talent", "enterprise", "proposed_tier", "removed")


@admin.register(Recommendation)
class RecommendationAdmin(ReadOnlyAdmin):
    list_display = ("title", "association", "region", "status", "notice_start", "notice_end")
    list_filter = ("status",)
    search_fields = ("title", "association__name")
    inlines = [EntryInline]


@admin.register(Objection)
class ObjectionAdmin(ReadOnlyAdmin):
    list_display = ("entry", "status", "created_at")
    list_filter = ("status",)


@admin.register(EvaluationResult)
class EvaluationResultAdmin(ReadOnlyAdmin):
    list_display = ("talent", "category", "tier", "region", "valid_from", "valid_until", "revoked")
    list_filter = ("category", "tier", "revoked", "source")
    search_fields = ("talent__name",)
    exclude = ("evidence_file",)
