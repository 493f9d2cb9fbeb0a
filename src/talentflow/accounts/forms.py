"""Forms of the account pages (API tokens) and of the back office (adding a user).

Log-in and password change use Django's own forms unchanged.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from talentflow.accounts.models import ApiToken, User

# Tokens live at most a year: an integration must be looked at again at least that often.
TOKEN_VALIDITY_CHOICES = [
    (30, _("30 days")),
    (90, _("90 days")),
    (180, _("180 days")),
    (365, _("1 year")),
]


class ApiTokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=_("What the token is for, e.g. the system that will use it."),
    )
    valid_days = forms.TypedChoiceField(
        label=_("Valid for"),
        choices=TOKEN_VALIDITY_CHOICES,
        coerce=int,
        initial=90,
    )

    def clean_name(self) -> str:
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Give the token a name."))
        return name


class UserAddForm(UserCreationForm):
    """The back office's "add user" form; the account itself is made by ``user_create``."""

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "display_name", "email")
