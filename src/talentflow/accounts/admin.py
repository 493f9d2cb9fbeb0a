"""Users, roles and API tokens in the back office.

Every change goes through the accounts services, so it is validated the same way as everywhere
and enters the audit trail: new users (`user_create`), changes to a user's details and flags
(`user_update`), new roles (`membership_create`), ending or restoring a role
(`membership_set_active`; memberships are never deleted, so history stays readable), and token
revocation. A token's key is shown once, to its owner, on the token page. Django's groups and
per-user permissions are not used: the platform's rules live in accounts/permissions.py.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from talentflow.accounts import services
from talentflow.accounts.forms import UserAddForm
from talentflow.accounts.models import ApiToken, Membership, User
from talentflow.core.admin import adopt_saved


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    fields = ("role", "organisation", "region", "is_active", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = UserAddForm
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("username", "display_name", "email", "password1", "password2"),
            },
        ),
    )
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("display_name", "first_name", "last_name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    readonly_fields = ("last_login", "date_joined")
    list_display = ("username", "display_name", "email", "is_active", "is_staff", "last_login")
    list_filter = ("is_active", "is_staff", "is_superuser", "memberships__role")
    search_fields = ("username", "display_name", "email")
    inlines = (MembershipInline,)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()

    def save_model(self, request, obj, form, change) -> None:
        if change:
            user = services.user_update(
                actor=request.user,
                user=User.objects.get(pk=obj.pk),
                data={name: form.cleaned_data[name] for name in form.changed_data},
            )
            adopt_saved(obj, user)
            return
        user = services.user_create(
            actor=request.user,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],
            display_name=form.cleaned_data.get("display_name", ""),
            email=form.cleaned_data.get("email", ""),
        )
        adopt_saved(obj, user)


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation", "region", "is_active", "created_at")
    list_filter = ("role", "is_active")
    search_fields = (
        "user__username",
        "user__display_name",
        "organisation__name",
        "region__code",
        "region__name",
    )
    autocomplete_fields = ("user", "organisation", "region")
    list_select_related = ("user", "organisation", "region")
    fields = ("user", "role", "organisation", "region", "is_active")

    def get_fields(self, request, obj=None):
        # A membership starts active; there is nothing to choose about it when granting.
        return self.fields if obj is not None else ("user", "role", "organisation", "region")

    readonly_fields = ("user", "role", "organisation", "region", "is_active")
    actions = ("deactivate_memberships", "activate_memberships")

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else ()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def _set_active(self, request, queryset, is_active: bool) -> None:
        for membership in queryset:
            services.membership_set_active(
                actor=request.user, membership=membership, is_active=is_active
            )
        self.message_user(request, _("Done."), messages.SUCCESS)

    @admin.action(description=_("End the selected roles"))
    def deactivate_memberships(self, request, queryset) -> None:
        self._set_active(request, queryset, False)

    @admin.action(description=_("Restore the selected roles"))
    def activate_memberships(self, request, queryset) -> None:
        self._set_active(request, queryset, True)

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return  # every field is read-only once granted; roles end through the actions
        membership = services.membership_create(
            actor=request.user,
            user=form.cleaned_data["user"],
            role=form.cleaned_data["role"],
            organisation=form.cleaned_data.get("organisation"),
            region=form.cleaned_data.get("region"),
        )
        adopt_saved(obj, membership)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("name", "user", "prefix", "created_at", "last_used_at", "expires_at", "status")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter), "expires_at")
    search_fields = ("name", "prefix", "user__username", "user__display_name")
    list_select_related = ("user",)
    # The digest is deliberately absent: it is the stored secret the API compares with.
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "expires_at", "revoked_at")
    readonly_fields = fields
    actions = ("revoke_tokens",)

    @admin.display(description=_("status"))
    def status(self, obj: ApiToken) -> str:
        if obj.revoked_at:
            return str(_("Revoked"))
        return str(_("Active")) if obj.is_usable else str(_("Expired"))

    @admin.action(description=_("Revoke the selected tokens"), permissions=["view"])
    def revoke_tokens(self, request, queryset) -> None:
        count = 0
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke(actor=request.user, token=token)
            count += 1
        self.message_user(
            request,
            ngettext("%(count)d token revoked.", "%(count)d tokens revoked.", count)
            % {"count": count},
            messages.SUCCESS,
        )

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
