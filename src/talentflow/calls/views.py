"""The programme-call pages (跨区域申报): the list and its export, the call form with its
criteria, the call's page (criteria, panel, applications, scoring progress, ranking, the
office's actions), the application form, the scoring form, the published result and the
statistics per region.

A record out of sight is a 404 (the selectors decide); visible but not changeable is a 403
(the services decide).
"""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentflow.accounts.permissions import scope_for
from talentflow.calls import permissions, selectors, services, workflow
from talentflow.calls.forms import (
    ApplicationForm,
    CallFilterForm,
    CallForm,
    CriterionFormSet,
    PanelForm,
    ReasonForm,
    ScoreForm,
)
from talentflow.calls.models import TIE_RULE, CallKind, CallStatus, Score
from talentflow.directory.io.sheets import FORMATS
from talentflow.directory.models import TalentProfile
from talentflow.directory.views import (
    _add_service_errors,
    _get_or_404,
    _paginate,
    _query_without_page,
    _render_list,
)
from talentflow.evaluation.views import _export, _file_response

NAV = "calls"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


@login_required
@require_GET
def call_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = CallFilterForm(request.GET or None)
    page_obj = _paginate(request, selectors.call_list(user=user, filters=form.filters()))
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "calls": page_obj.object_list,
        "filter_form": form,
        "filtered": any(request.GET.get(k) for k in form.fields),
        "query": _query_without_page(request),
        "is_office": permissions.is_office_user(user),
    }
    return _render_list(
        request,
        template="calls/call_list.html",
        partial="calls/_call_results.html",
        context=context,
    )


CALL_COLUMNS = (
    ("系统编号", 10),
    ("人才计划", 20),
    ("申报通知", 36),
    ("发布地区", 14),
    ("联盟", 20),
    ("类别", 10),
    ("申报起始", 12),
    ("申报截止", 12),
    ("名额", 8),
    ("申报数", 8),
    ("入选数", 8),
    ("状态", 14),
)


@login_required
@require_GET
def call_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    form = CallFilterForm(request.GET or None)
    qs = selectors.call_list(user=request.user, filters=form.filters())
    rows = (
        [
            c.pk,
            c.programme,
            c.title,
            c.region.name,
            str(c.alliance),
            c.get_kind_display(),
            c.period_start,
            c.period_end,
            c.quota,
            c.applied,
            c.selected if c.status == CallStatus.PUBLISHED else "",
            c.get_status_display(),
        ]
        for c in qs.iterator(chunk_size=500)
    )
    return _export(fmt=fmt, title="跨区域申报", filename="calls", columns=CALL_COLUMNS, rows=rows)


def _criteria_data(formset) -> list[dict]:
    return [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data.get("name") and not f.cleaned_data.get("DELETE")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def call_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(permissions.is_office_user(user))
    data = request.POST if request.method == "POST" else None
    form = CallForm(data, user=user)
    formset = CriterionFormSet(data, prefix="criteria")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        fields = dict(form.cleaned_data)
        try:
            call = services.call_create(actor=user, criteria=_criteria_data(formset), **fields)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The call is drafted: appoint the panel, then open it."))
            return redirect(call)
    return render(
        request, "calls/call_form.html", {"nav_active": NAV, "form": form, "formset": formset}
    )


@login_required
@require_http_methods(["GET", "POST"])
def call_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    call = _get_or_404(selectors.call_get, user=user, pk=pk)
    _require(selectors.is_office(user, call))
    initial = {n: getattr(call, n) for n in services.CALL_FIELDS}
    data = request.POST if request.method == "POST" else None
    form = CallForm(data, user=user, editing=True, initial=initial)
    formset = CriterionFormSet(
        data,
        prefix="criteria",
        initial=[
            {"name": c.name, "weight": c.weight, "max_score": c.max_score}
            for c in call.criteria.all()
        ],
    )
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            services.call_update(
                actor=user, call=call, data=form.cleaned_data, criteria=_criteria_data(formset)
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The call is saved."))
            return redirect(call)
    return render(
        request,
        "calls/call_form.html",
        {"nav_active": NAV, "form": form, "formset": formset, "call": call},
    )


def _ranking_rows(call, user) -> list[dict]:
    if call.status not in (CallStatus.CLOSED, CallStatus.PUBLISHED):
        return []
    if call.status == CallStatus.CLOSED and not selectors.is_office(user, call):
        return []
    return list(
        selectors.application_list(user=user, call=call).exclude(rank=None).order_by("rank")
    )


@login_required
@require_GET
def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    call = _get_or_404(selectors.call_get, user=user, pk=pk)
    parties = permissions.call_parties(user, call)
    is_office = workflow.Party.OFFICE in parties
    seat = permissions.reviewer_of(user, call)
    applications = list(selectors.application_list(user=user, call=call))
    scored = set()
    if seat is not None:
        scored = set(Score.objects.filter(reviewer=seat).values_list("application_id", flat=True))
    scope = scope_for(user)
    context = {
        "nav_active": NAV,
        "call": call,
        "criteria": list(call.criteria.all()),
        "reviewers": list(call.reviewers.select_related("region")),
        "applications": applications,
        "seat": seat,
        "scored": scored,
        "is_office": is_office,
        "actions": [str(a) for a in workflow.allowed(workflow.CALL, call.status, parties)],
        "can_edit": is_office and call.status in workflow.EDITABLE,
        "can_panel": is_office and call.status in workflow.PANEL_EDITABLE,
        "can_apply": scope.talent_id is not None and call.status == CallStatus.OPEN,
        "progress": selectors.progress(call) if call.status != CallStatus.DRAFT else None,
        "ranking": _ranking_rows(call, user),
        "tie_rule": TIE_RULE,
        "reason_form": ReasonForm(),
    }
    return render(request, "calls/call_detail.html", context)


@login_required
@require_POST
def call_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    call = _get_or_404(selectors.call_get, user=user, pk=pk)
    if action not in {a.value for a in workflow.Action}:
        raise Http404
    try:
        services.call_transition(
            actor=user, call=call, action=action, reason=request.POST.get("reason", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("Done: the call is “%(status)s”.")
            % {"status": CallStatus(selectors.call_get(user=user, pk=pk).status).label},
        )
    return redirect(call)


@login_required
@require_http_methods(["GET", "POST"])
def panel_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    call = _get_or_404(selectors.call_get, user=user, pk=pk)
    _require(selectors.is_office(user, call))
    reviewers = list(call.reviewers.all())
    initial = {
        "officers": [r.user_id for r in reviewers if r.kind == "officer"],
        "experts": [r.talent_id for r in reviewers if r.talent_id],
    }
    form = PanelForm(request.POST or None, call=call, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.panel_set(
                actor=user,
                call=call,
                users=list(form.cleaned_data["officers"]),
                talents=list(form.cleaned_data["experts"]),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The joint review panel is appointed."))
            return redirect(call)
    return render(request, "calls/panel_form.html", {"nav_active": NAV, "form": form, "call": call})


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    call = _get_or_404(selectors.call_get, user=user, pk=pk)
    scope = scope_for(user)
    _require(scope.talent_id is not None)
    talent = TalentProfile.objects.get(pk=scope.talent_id)
    form = ApplicationForm(request.POST or None, request.FILES or None, call=call, talent=talent)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_create(
                actor=user,
                call=call,
                talent=talent,
                statement=data["statement"],
                organisation=data.get("organisation"),
                project_title=data.get("project_title", ""),
                evidence=data.get("evidence") or None,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your application is submitted."))
            return redirect(application)
    return render(
        request,
        "calls/application_form.html",
        {
            "nav_active": NAV,
            "form": form,
            "call": call,
            "is_project": call.kind == CallKind.PROJECT,
        },
    )


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    application = _get_or_404(selectors.application_get, user=user, pk=pk)
    call = application.call
    is_office = selectors.is_office(user, call)
    scores = Score.objects.filter(application=application).select_related("reviewer", "criterion")
    if not is_office and not scope_for(user).is_admin:
        seat = permissions.reviewer_of(user, call)
        scores = scores.filter(reviewer=seat) if seat else scores.none()
    seat = permissions.reviewer_of(user, call)
    context = {
        "nav_active": NAV,
        "application": application,
        "call": call,
        "scores": list(scores.order_by("reviewer__name", "criterion__position")),
        "seat": seat,
        "conflict": services.conflict_reason(seat, application) if seat else None,
        "can_score": seat is not None and call.status == CallStatus.REVIEW,
    }
    return render(request, "calls/application_detail.html", context)


@login_required
@require_GET
def application_download(request: HttpRequest, pk: int) -> HttpResponse:
    application = _get_or_404(selectors.application_get, user=request.user, pk=pk)
    return _file_response(application.evidence_file, application.evidence_file_name)


@login_required
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, pk: int) -> HttpResponse:
    """The reviewer's sheet: one row per criterion."""
    user = request.user
    application = _get_or_404(selectors.application_get, user=user, pk=pk)
    call = application.call
    seat = permissions.reviewer_of(user, call)
    _require(seat is not None)
    reason = services.conflict_reason(seat, application)
    if reason:
        raise PermissionDenied(reason)
    criteria = list(call.criteria.all())
    current = dict(
        Score.objects.filter(application=application, reviewer=seat).values_list(
            "criterion_id", "score"
        )
    )
    form = ScoreForm(request.POST or None, criteria=criteria, initial_scores=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.scores_record(actor=user, application=application, scores=form.scores())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect(call)
    return render(
        request,
        "calls/score_form.html",
        {"nav_active": NAV, "form": form, "application": application, "call": call},
    )


@login_required
@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    call = _get_or_404(selectors.call_get, user=user, pk=pk)
    selected = selectors.results(user=user, call=call)
    if call.status != CallStatus.PUBLISHED and not selected:
        raise Http404(_("The result of this call is not published yet."))
    context = {
        "nav_active": NAV,
        "call": call,
        "selected": selected,
        "by_region": selectors.results_by_region(selected),
        "tie_rule": TIE_RULE,
    }
    return render(request, "calls/results.html", context)


STAT_KEYS = ("applicants", "selected", "received", "selected_here", "selected_elsewhere")


def _stat_labels() -> dict[str, str]:
    return {
        "applicants": _("Applicants from the region"),
        "selected": _("Selected from the region"),
        "received": _("Applications to the region's calls"),
        "selected_here": _("Selected in the region's calls"),
        "selected_elsewhere": _("Selected in other regions' calls"),
    }


@login_required
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows = [
        {"code": r["code"], "name": r["name"], "values": [r[k] for k in STAT_KEYS]}
        for r in selectors.region_stats(user, alliance_code=request.GET.get("alliance") or None)
    ]
    labels = _stat_labels()
    chart = {
        "regions": [r["name"] for r in rows],
        "series": [
            {"name": labels[k], "values": [r["values"][i] for r in rows]}
            for i, k in enumerate(STAT_KEYS)
            if k in ("applicants", "selected", "selected_elsewhere")
        ],
    }
    return render(
        request,
        "calls/stats.html",
        {
            "nav_active": NAV,
            "headers": [labels[k] for k in STAT_KEYS],
            "rows": rows,
            "chart": json.loads(json.dumps(chart)) if rows else None,
        },
    )
