"""Account pages: log in and out, change the password, manage API tokens."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from talentflow.accounts import services
from talentflow.accounts.forms import ApiTokenCreateForm
from talentflow.accounts.models import ApiToken
from talentflow.core.templatetags.core_ui import minutes


class LoginView(auth_views.LoginView):
    """Django's log-in view; ``next`` is followed only to this site (url_has_allowed_host…).

    django-axes watches the failures: its backend refuses a locked username/address pair and
    its middleware replaces the response with accounts/locked_out.html.
    """

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["failure_limit"] = settings.AXES_FAILURE_LIMIT
        context["lockout_minutes"] = minutes(get_cool_off(self.request))
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django's own rule since 5.0): a link or image cannot log anyone out."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("You have logged out."))
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("core:home")

    def form_valid(self, form):
        # Through the service, not form.save(): the change must enter the audit trail.
        user = services.user_password_change(
            actor=self.request.user,
            user=self.request.user,
            password=form.cleaned_data["new_password1"],
        )
        update_session_auth_hash(self.request, user)
        messages.success(self.request, _("Your password has been changed."))
        return redirect(self.get_success_url())


def _api_root(request: HttpRequest) -> str:
    try:
        path = reverse("api-1:api-root")
    except NoReverseMatch:
        path = "/api/"
    return request.build_absolute_uri(path)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request: HttpRequest) -> HttpResponse:
    """The user's API tokens; a POST makes a new one and shows its key on this response only.

    The key is rendered straight into the POST response instead of redirecting to a GET that
    would need it stored somewhere (the session) in the meantime; only its digest is kept.
    """
    new_key = None
    new_token = None
    if request.method == "POST":
        form = ApiTokenCreateForm(request.POST)
        if form.is_valid():
            new_token, new_key = services.api_token_create(
                actor=request.user,
                name=form.cleaned_data["name"],
                valid_days=form.cleaned_data["valid_days"],
            )
            form = ApiTokenCreateForm()
    else:
        form = ApiTokenCreateForm()
    tokens = ApiToken.objects.filter(user=request.user).order_by("-created_at", "-id")
    context = {
        "form": form,
        "tokens": tokens,
        "new_key": new_key,
        "new_token": new_token,
        "api_root": _api_root(request),
    }
    return render(request, "accounts/token_list.html", context)


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's token is answered as if it did not exist: 404, not 403.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    was_usable = token.is_usable
    services.api_token_revoke(actor=request.user, token=token)
    if was_usable:
        messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    else:
        messages.info(
            request, _("The token “%(name)s” was no longer usable.") % {"name": token.name}
        )
    return redirect("accounts:token_list")
