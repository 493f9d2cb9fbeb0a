"""The need lifecycle in the back office: readable and searchable, never writable.

Every change of a need goes through the lifecycle services (transition table, permissions,
timeline, audit trail, notifications); an admin form would bypass all of them, so nothing here
can add, change or delete. Documents are listed by name and size only: their files are served
solely through the permission-checked download view, never as a media URL.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from talentflow.core.admin_base import ReadOnlyAdmin, ReadOnlyInline
from talentflow.needs.models import (
    AcceptanceCriterion,
    ConfidentialityAcceptance,
    CriterionCheck,
    Document,
    Engagement,
    EngagementMember,
    EngagementMilestone,
    EnterpriseVisit,
    Need,
    NeedEvent,
    Outcome,
    Proposal,
    ProposalMember,
    ProposalMilestone,
    VerificationRound,
)


class CriterionInline(ReadOnlyInline):
    model = AcceptanceCriterion
    fields = ("position", "description", "comparator", "target_value", "unit")


class EventInline(ReadOnlyInline):
    model = NeedEvent
    fields = ("at", "actor_label", "action", "from_state", "to_state", "note")
    ordering = ("at", "id")


class ProposalInline(ReadOnlyInline):
    model = Proposal
    fields = ("organisation", "author", "trl", "cost", "ip_terms", "state", "decline_reason")


class DocumentInline(ReadOnlyInline):
    model = Document
    fk_name = "need"
    # No "file": its value renders as a link to the media URL.
    fields = ("kind", "original_name", "size", "content_type", "uploaded_by", "created_at")


@admin.register(Need)
class NeedAdmin(ReadOnlyAdmin):
    list_display = (
        "title",
        "enterprise",
        "region",
        "state",
        "stage_due",
        "confidentiality",
        "source",
        "data_source",
    )
    list_filter = (
        "state",
        "confidentiality",
        "source",
        "data_source",
        ("region", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("title", "summary", "enterprise__name", "enterprise__uscc")
    list_select_related = ("enterprise", "region")
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("title", "enterprise", "region", "state", "stage_due", "source")}),
        (
            _("The problem (企业出题)"),
            {
                "fields": (
                    "summary",
                    "description",
                    "current_state",
                    "target_indicators",
                    "budget_min",
                    "budget_max",
                    "wanted_by",
                    "confidentiality",
                )
            },
        ),
        (
            _("Framing (政府助题)"),
            {
                "fields": (
                    "solver_brief",
                    "industry",
                    "disciplines",
                    "target_institutions",
                    "target_pools",
                    "proposals_due",
                )
            },
        ),
        (None, {"fields": ("visit", "created_by", "data_source", "created_at", "updated_at")}),
    )
    readonly_fields = (
        "title",
        "enterprise",
        "region",
        "state",
        "stage_due",
        "source",
        "summary",
        "description",
        "current_state",
        "target_indicators",
        "budget_min",
        "budget_max",
        "wanted_by",
        "confidentiality",
        "solver_brief",
        "industry",
        "disciplines",
        "target_institutions",
        "target_pools",
        "proposals_due",
        "visit",
        "created_by",
        "data_source",
        "created_at",
        "updated_at",
    )
    inlines = (CriterionInline, EventInline, ProposalInline, DocumentInline)


@admin.register(EnterpriseVisit)
class EnterpriseVisitAdmin(ReadOnlyAdmin):
    list_display = ("visited_on", "enterprise", "region", "visitor_organisation", "data_source")
    list_filter = ("data_source", ("region", admin.RelatedOnlyFieldListFilter))
    search_fields = ("enterprise__name", "visitor_organisation__name", "participants")
    list_select_related = ("enterprise", "region", "visitor_organisation")
    date_hierarchy = "visited_on"
    fields = (
        "enterprise",
        "region",
        "visited_on",
        "visitor_organisation",
        "participants",
        "notes",
        "recorded_by",
        "data_source",
        "created_at",
    )
    readonly_fields = fields


class ProposalMemberInline(ReadOnlyInline):
    model = ProposalMember
    fields = ("talent", "role")


class ProposalMilestoneInline(ReadOnlyInline):
    model = ProposalMilestone
    fields = ("position", "title", "due_date", "deliverable")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("need", "organisation", "author", "trl", "cost", "state", "created_at")
    list_filter = ("state", "ip_terms", "decline_reason")
    search_fields = ("need__title", "organisation__name", "approach")
    list_select_related = ("need", "organisation", "author")
    fields = (
        "need",
        "organisation",
        "author",
        "approach",
        "trl",
        "cost",
        "ip_terms",
        "ip_note",
        "state",
        "decline_reason",
        "decline_note",
        "decided_by",
        "decided_at",
        "created_at",
    )
    readonly_fields = fields
    inlines = (ProposalMemberInline, ProposalMilestoneInline)


class EngagementMemberInline(ReadOnlyInline):
    model = EngagementMember
    fields = ("talent", "role")


class EngagementMilestoneInline(ReadOnlyInline):
    model = EngagementMilestone
    fields = ("position", "title", "due_date", "deliverable", "completed_on")


class VerificationRoundInline(ReadOnlyInline):
    model = VerificationRound
    fields = ("number", "passed", "findings", "recorded_by", "recorded_at")
    show_change_link = True  # its criterion checks are on the round's own page


@admin.register(Engagement)
class EngagementAdmin(ReadOnlyAdmin):
    list_display = ("need", "institution", "contract_amount", "signed_on", "planned_end")
    search_fields = ("need__title", "institution__name")
    list_select_related = ("need", "institution")
    date_hierarchy = "signed_on"
    fields = ("need", "proposal", "institution", "contract_amount", "signed_on", "planned_end")
    readonly_fields = fields
    inlines = (EngagementMemberInline, EngagementMilestoneInline, VerificationRoundInline)


class CriterionCheckInline(ReadOnlyInline):
    model = CriterionCheck
    fields = ("criterion", "passed", "measured_value", "unit", "note")


@admin.register(VerificationRound)
class VerificationRoundAdmin(ReadOnlyAdmin):
    list_display = ("engagement", "number", "passed", "recorded_at")
    list_filter = ("passed",)
    search_fields = ("engagement__need__title", "findings")
    list_select_related = ("engagement__need",)
    fields = (
        "engagement",
        "number",
        "started_by",
        "passed",
        "findings",
        "recorded_by",
        "recorded_at",
    )
    readonly_fields = fields
    inlines = (CriterionCheckInline,)


@admin.register(Outcome)
class OutcomeAdmin(ReadOnlyAdmin):
    list_display = ("need", "kind", "qualifier", "amount", "unit_basis", "status", "confirmed_at")
    list_filter = ("status", "kind")
    search_fields = ("need__title", "need__enterprise__name", "description")
    list_select_related = ("need",)
    fields = (
        "need",
        "kind",
        "qualifier",
        "amount",
        "unit_basis",
        "period_start",
        "period_end",
        "description",
        "status",
        "recorded_by",
        "confirmed_by",
        "confirmed_at",
        "rejection_reason",
    )
    readonly_fields = fields


@admin.register(Document)
class DocumentAdmin(ReadOnlyAdmin):
    list_display = ("original_name", "need", "kind", "size", "uploaded_by", "created_at")
    list_filter = ("kind",)
    search_fields = ("original_name", "need__title")
    list_select_related = ("need", "uploaded_by")
    fields = (
        "need",
        "kind",
        "original_name",
        "size",
        "content_type",
        "check_ref",
        "outcome",
        "uploaded_by",
        "created_at",
    )
    readonly_fields = fields


@admin.register(ConfidentialityAcceptance)
class ConfidentialityAcceptanceAdmin(ReadOnlyAdmin):
    list_display = ("need", "user", "terms_version", "accepted_at")
    list_filter = ("terms_version",)
    search_fields = ("need__title", "user__username", "user__display_name")
    list_select_related = ("need", "user")
    fields = ("need", "user", "terms_version", "accepted_at")
    readonly_fields = fields
