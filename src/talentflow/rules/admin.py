"""Policies and applications in the back office, read-only: every change goes through the
services (validated, audited, budget-checked) on the pages or the API."""

from __future__ import annotations

from django.contrib import admin

from talentflow.core.admin_base import ReadOnlyAdmin
from talentflow.rules.models import Application, Payout, Policy, PolicyVersionRecord, PolicyYear


@admin.register(Policy)
class PolicyAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "region", "kind", "applicant_kind")
    list_filter = ("kind", "applicant_kind")
    search_fields = ("code", "name", "region__name")


@admin.register(PolicyVersionRecord)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ("policy", "number", "effective_from", "status", "published_at")
    list_filter = ("status",)
    search_fields = ("policy__name", "policy__code")
    list_select_related = ("policy",)


@admin.register(PolicyYear)
class PolicyYearAdmin(ReadOnlyAdmin):
    list_display = ("policy", "year", "budget")
    search_fields = ("policy__name",)
    list_select_related = ("policy",)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("id", "policy", "applicant_organisation", "applicant_talent", "talent")
    list_filter = ("status", "year", "policy")
    search_fields = (
        "applicant_organisation__name",
        "applicant_talent__name",
        "talent__name",
        "policy__name",
    )
    list_select_related = ("policy", "applicant_organisation", "applicant_talent", "talent")


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ("application", "amount", "year", "paid_on", "reference")
    search_fields = ("reference", "application__applicant_organisation__name")
    list_select_related = ("application",)
