"""The directory in the back office.

Organisations, talent profiles and pools are created and changed here through the directory
services, exactly as from the web pages: the same permission checks, validation, encryption of
identity numbers and one audit event per change. (Making them read-only would leave the back
office unable to correct a record without a web session of the right region; calling the
services keeps one path for every write.) What has no service — deleting, editing a pool,
changing affiliations — is read-only here; affiliations are added and ended on the talent pages.
The encrypted identity number and its digest are never shown; an administrator may type a new
identity number, which the service validates, encrypts and masks.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from talentflow.core import crypto
from talentflow.core.admin import adopt_saved
from talentflow.core.validators import normalise_code, validate_id_number
from talentflow.directory import services
from talentflow.directory.models import Affiliation, Organisation, Pool, TalentProfile


class NoDeleteAdmin(admin.ModelAdmin):
    # No delete service exists and the records are referenced (PROTECT) by affiliations,
    # memberships and the audit trail: deactivate instead.
    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ServiceRelatedMixin:
    def save_related(self, request, form, formsets, change) -> None:
        # The service has already set (and audited) the many-to-many fields; the admin's
        # form.save_m2m() would write them a second time behind the trail's back.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Organisation)
class OrganisationAdmin(ServiceRelatedMixin, NoDeleteAdmin):
    # Web addresses typed without a scheme are https ones (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("name", "kind", "uscc", "region", "industry", "data_source", "is_active")
    list_filter = (
        "kind",
        "data_source",
        "is_active",
        ("region", admin.RelatedOnlyFieldListFilter),
        "shared_with",
    )
    search_fields = ("name", "uscc", "address")
    autocomplete_fields = ("region", "industry", "parent", "shared_with")
    list_select_related = ("region", "industry")
    readonly_fields = ("data_source", "created_at", "updated_at")
    add_fields = (
        "name",
        "kind",
        "uscc",
        "region",
        "industry",
        "parent",
        "address",
        "website",
        "description",
        "shared_with",
    )

    def get_fields(self, request, obj=None):
        if obj is None:
            return self.add_fields
        return (*self.add_fields, "is_active", *self.readonly_fields)

    def save_model(self, request, obj, form, change) -> None:
        data = {k: v for k, v in form.cleaned_data.items() if k in services.ORGANISATION_FIELDS}
        if change:
            services.organisation_update(actor=request.user, organisation=obj, data=data)
            return
        data.pop("is_active", None)
        organisation = services.organisation_create(actor=request.user, **data)
        adopt_saved(obj, organisation)


class TalentAdminForm(forms.ModelForm):
    id_number = forms.CharField(
        label=_("new identity number"),
        required=False,
        max_length=18,
        help_text=_(
            "Only to set or replace it: leave empty to keep the current one. "
            "It is stored encrypted and shown masked."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = TalentProfile
        # The admin narrows these to its fieldsets; data_source and the identity-number
        # columns are never form fields.
        fields = ("user", *services.TALENT_FIELDS)

    def clean_id_number(self) -> str:
        code = normalise_code(self.cleaned_data.get("id_number") or "")
        if not code:
            return ""
        validate_id_number(code)
        duplicate = TalentProfile.objects.filter(id_number_digest=crypto.lookup_digest(code))
        if self.instance.pk:
            duplicate = duplicate.exclude(pk=self.instance.pk)
        if duplicate.exists():
            raise forms.ValidationError(
                _("Another talent profile already has this identity number.")
            )
        return code


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    extra = 0
    can_delete = False
    fields = ("kind", "organisation", "position", "start_date", "end_date", "note")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TalentProfile)
class TalentProfileAdmin(ServiceRelatedMixin, NoDeleteAdmin):
    form = TalentAdminForm
    list_display = (
        "name",
        "home_region",
        "title_series",
        "title_level",
        "education",
        "availability",
        "id_number_masked",
        "data_source",
        "is_active",
    )
    list_filter = (
        "availability",
        "education",
        "title_level",
        "gender",
        "data_source",
        "is_active",
        ("home_region", admin.RelatedOnlyFieldListFilter),
        "pools",
    )
    search_fields = ("name", "expertise", "email", "user__username")
    autocomplete_fields = (
        "user",
        "home_region",
        "title_series",
        "qualifications",
        "disciplines",
        "industries",
        "pools",
    )
    list_select_related = ("home_region", "title_series")
    inlines = (AffiliationInline,)
    person_fields = ("name", "gender", "birth_year", "id_number", "home_region", "phone", "email")
    profile_fields = (
        "education",
        "title_series",
        "title_level",
        "qualifications",
        "disciplines",
        "industries",
        "expertise",
        "biography",
        "availability",
        "pools",
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return (
                (None, {"fields": ("user", *self.person_fields)}),
                (_("Profile"), {"fields": self.profile_fields}),
            )
        return (
            (None, {"fields": ("user", "id_number_masked", *self.person_fields)}),
            (_("Profile"), {"fields": self.profile_fields}),
            (None, {"fields": ("is_active", "data_source", "created_at", "updated_at")}),
        )

    def get_readonly_fields(self, request, obj=None):
        readonly = ["id_number_masked", "data_source", "created_at", "updated_at"]
        if obj is not None:
            # Linking a profile to another account has no service yet.
            readonly.append("user")
        return readonly

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def save_model(self, request, obj, form, change) -> None:
        data = {k: v for k, v in form.cleaned_data.items() if k in services.TALENT_FIELDS}
        id_number = form.cleaned_data.get("id_number", "")
        if change:
            if id_number:
                data["id_number"] = id_number
            services.talent_update(actor=request.user, talent=obj, data=data)
            return
        data.pop("is_active", None)
        talent = services.talent_create(
            actor=request.user,
            id_number=id_number,
            user=form.cleaned_data.get("user"),
            **data,
        )
        adopt_saved(obj, talent)


@admin.register(Pool)
class PoolAdmin(NoDeleteAdmin):
    list_display = ("code", "name", "region", "alliance")
    list_filter = ("alliance",)
    search_fields = ("code", "name")
    autocomplete_fields = ("region", "alliance")
    list_select_related = ("region", "alliance")
    fields = ("code", "name", "description", "region", "alliance")

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def save_model(self, request, obj, form, change) -> None:
        pool = services.pool_create(
            actor=request.user,
            code=form.cleaned_data["code"],
            name=form.cleaned_data["name"],
            description=form.cleaned_data.get("description", ""),
            region=form.cleaned_data.get("region"),
            alliance=form.cleaned_data.get("alliance"),
        )
        adopt_saved(obj, pool)


@admin.register(Affiliation)
class AffiliationAdmin(NoDeleteAdmin):
    list_display = ("talent", "kind", "organisation", "position", "start_date", "end_date")
    list_filter = ("kind",)
    search_fields = ("talent__name", "organisation__name", "position")
    list_select_related = ("talent", "organisation")
    date_hierarchy = "start_date"
    fields = ("talent", "organisation", "kind", "position", "start_date", "end_date", "note")
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
