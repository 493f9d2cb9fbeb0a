"""The home page of each role, the audit trail and the health check."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from talentflow.accounts import permissions
from talentflow.accounts.models import Role
from talentflow.core import selectors
from talentflow.core.forms import AuditFilterForm

RECENT_EVENTS = 8


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    scope = permissions.scope_for(user)
    context: dict = {"nav_active": "home"}
    if scope.is_admin or scope.is_officer:
        overview = selectors.officer_overview(user=user)
        context.update(
            officer=overview,
            chart_data=overview.chart_data(),
            recent_events=list(selectors.audit_list(user=user)[:RECENT_EVENTS]),
            can_import=permissions.can_import(user),
            can_create=permissions.can_create_organisation(user),
        )
    if scope.organisation_ids:
        context["organisations"] = selectors.organisation_summaries(user=user)
    if scope.talent_id is not None:
        context["talent"] = selectors.talent_summary(user=user)
        context["is_student"] = Role.STUDENT in scope.roles
    context["finance"] = selectors.finance_overview(user=user)
    context["role_labels"] = [str(Role(r).label) for r in sorted(scope.roles) if r in Role.values]
    context["has_home"] = any(
        context.get(k) for k in ("officer", "finance", "organisations", "talent")
    )
    return render(request, "core/home.html", context)


@require_safe
@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_view_audit(user):
        raise PermissionDenied
    actions, object_types = selectors.audit_filter_choices(user=user)
    form = AuditFilterForm(request.GET, actions=actions, object_types=object_types)
    events = selectors.audit_list(user=user, filters=form.filters())
    page_obj = Paginator(events, settings.TALENTFLOW_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"nav_active": "audit", "form": form, "page_obj": page_obj}
    # A filter change swaps only the results; a boosted or plain request gets the whole page.
    partial = request.htmx and not request.htmx.boosted
    template = "core/audit_results.html" if partial else "core/audit_list.html"
    response = render(request, template, context)
    patch_vary_headers(response, ("HX-Request",))
    return response


def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")
