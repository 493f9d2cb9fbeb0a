"""Reference data in the back office: look-up only.

Every row comes from the files in reference/data through ``reference_load`` (which records the
load in the audit trail); an edit here would be silently undone by the next load and would
escape the trail, so nothing can be added, changed or deleted.
"""

from __future__ import annotations

from django.contrib import admin

from talentflow.core.admin_base import ReadOnlyAdmin, ReadOnlyInline
from talentflow.reference.models import (
    Alliance,
    AllianceMember,
    Discipline,
    Industry,
    Qualification,
    Region,
    TitleSeries,
)


@admin.register(Region)
class RegionAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "full_name", "level", "parent", "stats_only")
    list_filter = ("level", "stats_only")
    search_fields = ("code", "name", "full_name")
    list_select_related = ("parent",)
    show_full_result_count = False


class AllianceMemberInline(ReadOnlyInline):
    model = AllianceMember
    fields = ("region", "joined_on")


@admin.register(Alliance)
class AllianceAdmin(ReadOnlyAdmin):
    list_display = ("code", "short_name", "name")
    search_fields = ("code", "name", "short_name")
    inlines = (AllianceMemberInline,)


@admin.register(AllianceMember)
class AllianceMemberAdmin(ReadOnlyAdmin):
    list_display = ("alliance", "region", "joined_on")
    list_filter = ("alliance",)
    search_fields = ("region__code", "region__name", "alliance__name", "alliance__short_name")
    list_select_related = ("alliance", "region")


@admin.register(Industry)
class IndustryAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "level", "section", "parent")
    list_filter = ("level", "section")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    show_full_result_count = False


@admin.register(Discipline)
class DisciplineAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "name_en", "scheme", "level")
    list_filter = ("scheme", "level")
    search_fields = ("code", "name", "name_en")


@admin.register(TitleSeries)
class TitleSeriesAdmin(ReadOnlyAdmin):
    list_display = (
        "seq",
        "name",
        "title_senior_full",
        "title_senior_deputy",
        "title_intermediate",
        "title_assistant",
        "title_junior",
        "verified",
    )
    list_filter = ("verified",)
    search_fields = ("name", "title_senior_full", "title_senior_deputy", "title_intermediate")


@admin.register(Qualification)
class QualificationAdmin(ReadOnlyAdmin):
    list_display = ("entry_no", "name", "personnel_type", "category", "catalogue_item", "verified")
    list_filter = ("personnel_type", "category", "verified")
    search_fields = ("name", "catalogue_item")
