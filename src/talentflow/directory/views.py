"""The directory pages: talent and organisation lists, profiles, create/edit, affiliations.

Views parse input, check permission, call one selector or service, and render. What a user may
see comes from the selectors; what they may change from ``accounts.permissions``.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Count, Prefetch, Q
from django.forms import BaseForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from talentflow.accounts import permissions
from talentflow.directory import selectors, services
from talentflow.directory.filters import (
    ORGANISATION_PARAMS,
    TALENT_PARAMS,
    organisation_filters_from,
    talent_filters_from,
)
from talentflow.directory.forms import (
    AffiliationEndForm,
    AffiliationForm,
    OrganisationFilterForm,
    OrganisationForm,
    TalentFilterForm,
    TalentForm,
)
from talentflow.directory.models import Affiliation, Organisation, TalentProfile

T = TypeVar("T")


# Helpers ---------------------------------------------------------------------------------


def _get_or_404(getter: Callable[..., T], **kwargs: Any) -> T:
    """Call a ``*_get`` selector; a record the user may not see does not exist for them."""
    try:
        return getter(**kwargs)
    except ObjectDoesNotExist as error:
        raise Http404(_("No such record, or you may not see it.")) from error


def _paginate(request: HttpRequest, queryset) -> Page:
    return Paginator(queryset, settings.TALENTFLOW_PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def _is_partial(request: HttpRequest) -> bool:
    # A history restore asks for the whole page: htmx swaps it into <body>.
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


def _render_list(
    request: HttpRequest, *, template: str, partial: str, context: dict[str, Any]
) -> HttpResponse:
    response = render(request, partial if _is_partial(request) else template, context)
    # The same URL answers with a fragment or a page; caches must keep them apart.
    patch_vary_headers(response, ("HX-Request",))
    return response


def _add_service_errors(form: BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


# Talents ---------------------------------------------------------------------------------


@login_required
def talent_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = talent_filters_from(request.GET)
    talents = selectors.talent_list(user=user, filters=filters).prefetch_related(
        # Only the pools this user may see are named, as on the profile page.
        Prefetch("pools", queryset=selectors.pool_visible(user=user), to_attr="visible_pools")
    )
    page_obj = _paginate(request, talents)
    filtered = any(request.GET.get(name) for name in TALENT_PARAMS)
    context: dict[str, Any] = {
        "nav_active": "talents",
        "page_obj": page_obj,
        "talents": page_obj.object_list,
        "filtered": filtered,
        "query": _query_without_page(request),
        "can_create": permissions.can_create_talent(user),
        "can_import": permissions.can_import(user),
    }
    if not _is_partial(request):
        context["filter_form"] = TalentFilterForm(request.GET or None, user=user)
    return _render_list(
        request,
        template="directory/talent_list.html",
        partial="directory/_talent_results.html",
        context=context,
    )


@login_required
def talent_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    talent = _get_or_404(selectors.talent_get, user=user, pk=pk)
    can_edit = permissions.can_edit_talent(user, talent)
    affiliations = list(talent.affiliations.all())
    visible_organisations = set(
        selectors.organisation_visible(user=user)
        .filter(pk__in={a.organisation_id for a in affiliations})
        .values_list("pk", flat=True)
    )
    timeline = [
        {
            "affiliation": a,
            "organisation_visible": a.organisation_id in visible_organisations,
            "can_end": a.end_date is None
            and (can_edit or permissions.can_edit_organisation(user, a.organisation)),
        }
        for a in affiliations
    ]
    pools = list(talent.pools.all())
    visible_pools = set(
        selectors.pool_visible(user=user)
        .filter(pk__in=[p.pk for p in pools])
        .values_list("pk", flat=True)
    )
    scope = permissions.scope_for(user)
    context = {
        "nav_active": "my_profile" if scope.talent_id == talent.pk else "talents",
        "talent": talent,
        "can_edit": can_edit,
        "can_add_affiliation": can_edit or scope.is_officer or bool(scope.organisation_ids),
        "timeline": timeline,
        "pools": [p for p in pools if p.pk in visible_pools],
        "today": dt.date.today(),
    }
    return render(request, "directory/talent_detail.html", context)


def _talent_self_service(user, talent: TalentProfile | None) -> bool:
    """Whether ``user`` edits ``talent`` as the talent themself rather than as an office."""
    scope = permissions.scope_for(user)
    if talent is None or scope.is_admin:
        return False
    return not scope.governs_region(talent.home_region_id)


@login_required
def talent_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_create_talent(user):
        raise PermissionDenied
    form = TalentForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            talent = services.talent_create(
                actor=user,
                name=data.pop("name"),
                home_region=data.pop("home_region"),
                id_number=data.pop("id_number"),
                **data,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Talent %(name)s was created.") % {"name": talent.name})
            return redirect(talent)
    return render(
        request,
        "directory/talent_form.html",
        {"nav_active": "talents", "form": form, "talent": None},
    )


@login_required
def talent_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    talent = _get_or_404(selectors.talent_get, user=user, pk=pk)
    if not permissions.can_edit_talent(user, talent):
        raise PermissionDenied
    self_service = _talent_self_service(user, talent)
    # The form writes the posted values onto its instance while validating; the service gets
    # the talent as stored, so its permission check sees the stored home region.
    form = TalentForm(
        request.POST or None,
        instance=copy.copy(talent),
        user=user,
        self_service=self_service,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.talent_update(actor=user, talent=talent, data=form.service_data())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect(talent)
    scope = permissions.scope_for(user)
    return render(
        request,
        "directory/talent_form.html",
        {
            "nav_active": "my_profile" if scope.talent_id == talent.pk else "talents",
            "form": form,
            "talent": talent,
            "self_service": self_service,
        },
    )


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    talent_id = permissions.scope_for(request.user).talent_id
    if talent_id is not None:
        return redirect("directory:talent_detail", pk=talent_id)
    return render(request, "directory/no_profile.html", {"nav_active": "my_profile"})


# Organisations ---------------------------------------------------------------------------


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = organisation_filters_from(request.GET)
    today = dt.date.today()
    visible_talents = selectors.talent_visible(user=user).values("pk")
    # Counted in the same query: the people this user may see who are there now.
    organisations = selectors.organisation_list(user=user, filters=filters).annotate(
        people=Count(
            "affiliations__talent",
            filter=(Q(affiliations__end_date__isnull=True) | Q(affiliations__end_date__gte=today))
            & Q(affiliations__talent__in=visible_talents),
            distinct=True,
        )
    )
    page_obj = _paginate(request, organisations)
    context: dict[str, Any] = {
        "nav_active": "organisations",
        "page_obj": page_obj,
        "organisations": page_obj.object_list,
        "filtered": any(request.GET.get(name) for name in ORGANISATION_PARAMS),
        "query": _query_without_page(request),
        "can_create": permissions.can_create_organisation(user),
        "can_import": permissions.can_import(user),
    }
    if not _is_partial(request):
        context["filter_form"] = OrganisationFilterForm(request.GET or None, user=user)
    return _render_list(
        request,
        template="directory/organisation_list.html",
        partial="directory/_organisation_results.html",
        context=context,
    )


@login_required
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = _get_or_404(selectors.organisation_get, user=user, pk=pk)
    visible = selectors.organisation_visible(user=user)
    children = list(visible.filter(parent=organisation).select_related("region"))
    parent_visible = (
        organisation.parent_id is not None and visible.filter(pk=organisation.parent_id).exists()
    )
    affiliations = list(selectors.organisation_affiliations(user=user, organisation=organisation))
    can_edit = permissions.can_edit_organisation(user, organisation)
    context = {
        "nav_active": "organisations",
        "organisation": organisation,
        "parent_visible": parent_visible,
        "children": children,
        "current": [a for a in affiliations if a.is_current],
        "past": [a for a in affiliations if not a.is_current],
        "can_edit": can_edit,
    }
    return render(request, "directory/organisation_detail.html", context)


def _organisation_office(user, organisation: Organisation) -> bool:
    """Whether ``user`` edits as the talent office (or admin) rather than as the enterprise."""
    scope = permissions.scope_for(user)
    return scope.is_admin or scope.governs_region(organisation.region_id)


@login_required
def organisation_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.can_create_organisation(user):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.service_data()
        try:
            organisation = services.organisation_create(actor=user, **data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request, _("Organisation %(name)s was created.") % {"name": organisation.name}
            )
            return redirect(organisation)
    return render(
        request,
        "directory/organisation_form.html",
        {"nav_active": "organisations", "form": form, "organisation": None},
    )


@login_required
def organisation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    organisation = _get_or_404(selectors.organisation_get, user=user, pk=pk)
    if not permissions.can_edit_organisation(user, organisation):
        raise PermissionDenied
    # As for talents: the service must see the organisation as stored, not the posted values.
    form = OrganisationForm(
        request.POST or None,
        instance=copy.copy(organisation),
        user=user,
        office=_organisation_office(user, organisation),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                actor=user, organisation=organisation, data=form.service_data()
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The organisation was saved."))
            return redirect(organisation)
    return render(
        request,
        "directory/organisation_form.html",
        {"nav_active": "organisations", "form": form, "organisation": organisation},
    )


# Affiliations ----------------------------------------------------------------------------


def _affiliation_organisations(user, talent: TalentProfile):
    """Organisations ``user`` may tie ``talent`` to (``affiliation_create``'s permission rule).

    Whoever may edit the talent picks any organisation they can see; anyone else only the
    organisations they may edit (an enterprise records who serves it).
    """
    visible = selectors.organisation_visible(user=user).select_related("region").order_by("name")
    if permissions.can_edit_talent(user, talent):
        return visible
    editable = [o.pk for o in visible if permissions.can_edit_organisation(user, o)]
    return visible.filter(pk__in=editable)


@login_required
def affiliation_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    talent = _get_or_404(selectors.talent_get, user=user, pk=pk)
    organisations = _affiliation_organisations(user, talent)
    if not organisations.exists():
        raise PermissionDenied
    form = AffiliationForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            services.affiliation_create(actor=user, talent=talent, **form.service_data())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The affiliation was added."))
            return redirect(talent)
    return render(
        request,
        "directory/affiliation_form.html",
        {"nav_active": "talents", "form": form, "talent": talent},
    )


@require_POST
@login_required
def affiliation_end(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    visible_talents = selectors.talent_visible(user=user).values("pk")
    try:
        affiliation = Affiliation.objects.select_related("talent", "organisation").get(
            pk=pk, talent__in=visible_talents
        )
    except Affiliation.DoesNotExist as error:
        raise Http404(_("No such record, or you may not see it.")) from error
    fallback = reverse("directory:talent_detail", args=[affiliation.talent_id])
    form = AffiliationEndForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return HttpResponseRedirect(_safe_next(request, fallback))
    try:
        services.affiliation_end(
            actor=user, affiliation=affiliation, end_date=form.cleaned_data["end_date"]
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(talent)s's affiliation with %(organisation)s ended on %(date)s.")
            % {
                "talent": affiliation.talent.name,
                "organisation": affiliation.organisation.name,
                "date": form.cleaned_data["end_date"].isoformat(),
            },
        )
    return HttpResponseRedirect(_safe_next(request, fallback))
