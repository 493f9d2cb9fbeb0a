"""The evaluation pages (永宁骏才): authorisations and their export, the enterprises'
evaluations and their review (认账), 行业公荐 lists with their public notice (公示) and
objections, and the results per region.

Views parse input, call one selector or service and render. A record out of sight is a 404
(the selectors decide); visible but not changeable is a 403 (the services decide).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentflow.directory.io.sheets import (
    CSV_CONTENT_TYPE,
    FORMATS,
    XLSX_CONTENT_TYPE,
    csv_chunks,
    write_xlsx,
)
from talentflow.directory.views import (
    _add_service_errors,
    _get_or_404,
    _is_partial,
    _paginate,
    _query_without_page,
    _render_list,
)
from talentflow.evaluation import permissions, selectors, services, workflow
from talentflow.evaluation.forms import (
    AuthorisationFilterForm,
    AuthorisationForm,
    EndorseForm,
    EntryFormSet,
    EvaluationFilterForm,
    EvaluationForm,
    FinaliseForm,
    NoticeForm,
    ObjectionForm,
    ReasonForm,
    RecommendationFilterForm,
    RecommendationForm,
    ResolveForm,
    ResultFilterForm,
    ResultForm,
    recommendable_talents,
)
from talentflow.evaluation.models import (
    AuthorisationStatus,
    EvaluationResult,
    Objection,
    ObjectionStatus,
    Recommendation,
    RecommendationEntry,
    RecommendationStatus,
)

NAV = "evaluation"


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _office_or_enterprise(user) -> bool:
    return permissions.is_office_user(user) or bool(permissions.enterprise_ids(user))


def _file_response(field, name: str) -> HttpResponse:
    if not field:
        raise Http404(_("No such record, or you may not see it."))
    try:
        handle = field.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The file is missing.")) from error
    return FileResponse(handle, as_attachment=True, filename=name or "document")


def _export(*, fmt: str, title: str, filename: str, columns, rows) -> HttpResponse:
    """The list as .xlsx or .csv, Chinese headers whatever the interface language (as the
    directory's exports, decision 0005)."""
    headers = [h for h, _w in columns]

    def labelled() -> Iterator[list[Any]]:
        with translation.override(settings.LANGUAGE_CODE):
            yield from rows

    name = f"talentflow-{filename}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        chunks = (c.encode("utf-8") for c in csv_chunks(headers=headers, rows=labelled()))
        response = StreamingHttpResponse(chunks, content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    target = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
    write_xlsx(
        target, title=title, headers=headers, widths=[w for _h, w in columns], rows=labelled()
    )
    target.seek(0)
    return FileResponse(target, as_attachment=True, filename=name, content_type=XLSX_CONTENT_TYPE)


# Authorisations ---------------------------------------------------------------------------------


@login_required
@require_GET
def authorisation_list(request: HttpRequest) -> HttpResponse:
    """Officers: their region's authorisations with quota used and left; an enterprise: its
    own."""
    user = request.user
    _require(_office_or_enterprise(user))
    form = AuthorisationFilterForm(request.GET or None)
    page_obj = _paginate(request, selectors.authorisation_list(user=user, filters=form.filters()))
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "authorisations": page_obj.object_list,
        "filter_form": form,
        "filtered": any(request.GET.get(k) for k in form.fields),
        "query": _query_without_page(request),
        "is_office": permissions.is_office_user(user),
    }
    return _render_list(
        request,
        template="evaluation/authorisation_list.html",
        partial="evaluation/_authorisation_results.html",
        context=context,
    )


AUTHORISATION_COLUMNS = (
    ("系统编号", 10),
    ("企业", 32),
    ("统一社会信用代码", 22),
    ("授权地区", 16),
    ("评价类别", 30),
    ("授权范围", 30),
    ("人才名额", 10),
    ("已用名额", 10),
    ("剩余名额", 10),
    ("已认账", 10),
    ("授权起始", 12),
    ("授权截止", 12),
    ("状态", 10),
)


@login_required
@require_GET
def authorisation_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    _require(permissions.is_office_user(request.user))
    form = AuthorisationFilterForm(request.GET or None)
    qs = selectors.authorisation_list(user=request.user, filters=form.filters())
    rows = (
        [
            a.pk,
            a.enterprise.name,
            a.enterprise.uscc or "",
            a.region.name,
            a.get_category_display(),
            a.scope,
            a.quota,
            a.used,
            max(a.quota - a.used, 0),
            a.endorsed,
            a.period_start,
            a.period_end,
            a.get_status_display(),
        ]
        for a in qs.iterator(chunk_size=500)
    )
    return _export(
        fmt=fmt,
        title="评价授权",
        filename="evaluation-authorisations",
        columns=AUTHORISATION_COLUMNS,
        rows=rows,
    )


@login_required
@require_http_methods(["GET", "POST"])
def authorisation_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(permissions.is_office_user(user))
    form = AuthorisationForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            authorisation = services.authorisation_create(
                actor=user,
                enterprise=data["enterprise"],
                category=data["category"],
                scope=data["scope"],
                quota=data["quota"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                criteria_text=data["criteria_text"],
                criteria_file=data.get("criteria_file") or None,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The enterprise is authorised to evaluate its talents."))
            return redirect(authorisation)
    return render(request, "evaluation/authorisation_form.html", {"nav_active": NAV, "form": form})


@login_required
@require_GET
def authorisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    authorisation = _get_or_404(selectors.authorisation_get, user=user, pk=pk)
    evaluations = selectors.evaluation_list(
        user=user, filters=selectors.EvaluationFilters(authorisation=authorisation.pk)
    )
    is_enterprise = permissions.acts_for(user, authorisation.enterprise_id)
    context = {
        "nav_active": NAV,
        "authorisation": authorisation,
        "evaluations": evaluations,
        "can_revoke": permissions.governs(user, authorisation.region_id)
        and authorisation.status == AuthorisationStatus.ACTIVE,
        "can_evaluate": is_enterprise and authorisation.status == AuthorisationStatus.ACTIVE,
        "revoke_form": ReasonForm(),
    }
    return render(request, "evaluation/authorisation_detail.html", context)


@login_required
@require_POST
def authorisation_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    authorisation = _get_or_404(selectors.authorisation_get, user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for revoking."))
        return redirect(authorisation)
    try:
        services.authorisation_revoke(
            actor=request.user, authorisation=authorisation, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The authorisation is revoked."))
    return redirect(authorisation)


@login_required
@require_GET
def download(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """A criteria document or an evidence file, only for who sees its record."""
    user = request.user
    if kind == "criteria":
        a = _get_or_404(selectors.authorisation_get, user=user, pk=pk)
        return _file_response(a.criteria_file, a.criteria_file_name)
    if kind == "evaluation":
        e = _get_or_404(selectors.evaluation_get, user=user, pk=pk)
        return _file_response(e.evidence_file, e.evidence_file_name)
    if kind == "result":
        r = _get_or_404(selectors.result_get, user=user, pk=pk)
        return _file_response(r.evidence_file, r.evidence_file_name)
    raise Http404


# Evaluations ------------------------------------------------------------------------------------


@login_required
@require_GET
def evaluation_list(request: HttpRequest) -> HttpResponse:
    """The review queue of the office (submitted first), and an enterprise's evaluations."""
    user = request.user
    _require(_office_or_enterprise(user))
    form = EvaluationFilterForm(request.GET or None)
    page_obj = _paginate(request, selectors.evaluation_list(user=user, filters=form.filters()))
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "evaluations": page_obj.object_list,
        "filter_form": form,
        "filtered": any(request.GET.get(k) for k in form.fields),
        "query": _query_without_page(request),
    }
    return _render_list(
        request,
        template="evaluation/evaluation_list.html",
        partial="evaluation/_evaluation_results.html",
        context=context,
    )


def _evaluation_data(form: EvaluationForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("evidence", None)
    data.pop("talent", None)
    return data


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    authorisation = _get_or_404(selectors.authorisation_get, user=user, pk=pk)
    _require(permissions.acts_for(user, authorisation.enterprise_id))
    form = EvaluationForm(request.POST or None, request.FILES or None, authorisation=authorisation)
    if request.method == "POST" and form.is_valid():
        try:
            evaluation = services.evaluation_create(
                actor=user,
                authorisation=authorisation,
                talent=form.cleaned_data["talent"],
                evidence=form.cleaned_data.get("evidence") or None,
                **_evaluation_data(form),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(
                request, _("The evaluation is saved as a draft: submit it when ready.")
            )
            return redirect(evaluation)
    return render(
        request,
        "evaluation/evaluation_form.html",
        {"nav_active": NAV, "form": form, "authorisation": authorisation},
    )


@login_required
@require_http_methods(["GET", "POST"])
def evaluation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    evaluation = _get_or_404(selectors.evaluation_get, user=user, pk=pk)
    authorisation = evaluation.authorisation
    _require(permissions.acts_for(user, authorisation.enterprise_id))
    initial = {
        name: getattr(evaluation, name)
        for name in (
            "evaluated_on",
            "role",
            "years_on_job",
            "achievements",
            "degree",
            "proposed_tier",
        )
    }
    form = EvaluationForm(
        request.POST or None,
        request.FILES or None,
        authorisation=authorisation,
        editing=True,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluation_update(
                actor=user,
                evaluation=evaluation,
                data=_evaluation_data(form),
                evidence=form.cleaned_data.get("evidence") or None,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The evaluation is saved."))
            return redirect(evaluation)
    return render(
        request,
        "evaluation/evaluation_form.html",
        {"nav_active": NAV, "form": form, "authorisation": authorisation, "evaluation": evaluation},
    )


@login_required
@require_GET
def evaluation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    evaluation = _get_or_404(selectors.evaluation_get, user=user, pk=pk)
    parties = permissions.evaluation_parties(user, evaluation)
    actions = workflow.allowed(workflow.EVALUATION, evaluation.status, parties)
    result = EvaluationResult.objects.filter(evaluation=evaluation).first()
    context = {
        "nav_active": NAV,
        "evaluation": evaluation,
        "authorisation": evaluation.authorisation,
        "actions": [str(a) for a in actions],
        "can_edit": workflow.Party.ENTERPRISE in parties and evaluation.status in workflow.EDITABLE,
        "endorse_form": EndorseForm(
            initial={"tier": evaluation.proposed_tier, "valid_from": timezone.localdate()}
        ),
        "return_form": ReasonForm(),
        "result": result,
    }
    return render(request, "evaluation/evaluation_detail.html", context)


@login_required
@require_POST
def evaluation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    evaluation = _get_or_404(selectors.evaluation_get, user=user, pk=pk)
    try:
        if action == workflow.Action.SUBMIT:
            services.evaluation_submit(actor=user, evaluation=evaluation)
            messages.success(request, _("The evaluation is submitted to the talent office."))
        elif action == workflow.Action.ENDORSE:
            form = EndorseForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose the tier and the validity."))
            services.evaluation_endorse(
                actor=user,
                evaluation=evaluation,
                tier=form.cleaned_data["tier"],
                valid_from=form.cleaned_data["valid_from"],
                valid_until=form.cleaned_data.get("valid_until"),
            )
            messages.success(request, _("The evaluation is endorsed: the talent holds the result."))
        elif action == workflow.Action.RETURN:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Give the reason."))
            services.evaluation_return(
                actor=user, evaluation=evaluation, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The evaluation is returned to the enterprise."))
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(evaluation)


# Recommendations (行业公荐) and the public notice (公示) ------------------------------------------


@login_required
@require_GET
def recommendation_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(permissions.is_office_user(user) or bool(permissions.association_ids(user)))
    form = RecommendationFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    page_obj = _paginate(
        request,
        selectors.recommendation_list(
            user=user, q=data.get("q") or "", status=data.get("status") or ""
        ),
    )
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "recommendations": page_obj.object_list,
        "filter_form": form,
        "filtered": any(request.GET.get(k) for k in form.fields),
        "query": _query_without_page(request),
        "can_create": bool(permissions.association_ids(user)),
    }
    return _render_list(
        request,
        template="evaluation/recommendation_list.html",
        partial="evaluation/_recommendation_results.html",
        context=context,
    )


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_create(request: HttpRequest) -> HttpResponse:
    from talentflow.directory.models import Organisation

    user = request.user
    associations = permissions.association_ids(user)
    _require(bool(associations))
    association = Organisation.objects.select_related("region").get(pk=associations[0])
    talents = recommendable_talents(association)
    data = request.POST if request.method == "POST" else None
    form = RecommendationForm(data, initial={"region": association.region_id})
    formset = EntryFormSet(data, talents=talents, prefix="entries")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        entries = [f.cleaned_data for f in formset.forms if f.cleaned_data.get("talent")]
        try:
            recommendation = services.recommendation_create(
                actor=user,
                association=association,
                region=form.cleaned_data["region"],
                title=form.cleaned_data["title"],
                entries=entries,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The list is filed with the talent office."))
            return redirect(recommendation)
    return render(
        request,
        "evaluation/recommendation_form.html",
        {"nav_active": NAV, "form": form, "formset": formset, "association": association},
    )


def _entries(recommendation: Recommendation, *, with_objections: bool):
    qs = recommendation.entries.select_related("talent", "enterprise")
    if with_objections:
        qs = qs.prefetch_related(
            Prefetch("objections", queryset=Objection.objects.select_related("filed_by"))
        )
    return list(qs)


@login_required
@require_GET
def recommendation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    recommendation = _get_or_404(selectors.recommendation_get, user=user, pk=pk)
    is_office = permissions.governs(user, recommendation.region_id)
    today = timezone.localdate()
    open_objections = Objection.objects.filter(
        entry__recommendation=recommendation, status=ObjectionStatus.OPEN
    ).count()
    context = {
        "nav_active": NAV,
        "recommendation": recommendation,
        "entries": _entries(recommendation, with_objections=True),
        "is_office": is_office,
        "can_open_notice": is_office and recommendation.status == RecommendationStatus.SUBMITTED,
        "can_resolve": is_office and recommendation.status == RecommendationStatus.NOTICE,
        "can_finalise": is_office
        and recommendation.status == RecommendationStatus.NOTICE
        and today > recommendation.notice_end
        and not open_objections,
        "open_objections": open_objections,
        "notice_form": NoticeForm(),
        "resolve_form": ResolveForm(),
        "finalise_form": FinaliseForm(),
        "today": today,
    }
    return render(request, "evaluation/recommendation_detail.html", context)


@login_required
@require_POST
def recommendation_notice(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _get_or_404(selectors.recommendation_get, user=request.user, pk=pk)
    form = NoticeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the dates of the public notice."))
        services.recommendation_open_notice(
            actor=request.user,
            recommendation=recommendation,
            notice_start=form.cleaned_data["notice_start"],
            notice_end=form.cleaned_data["notice_end"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The list is published for public notice."))
    return redirect(recommendation)


@login_required
@require_POST
def recommendation_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = _get_or_404(selectors.recommendation_get, user=request.user, pk=pk)
    form = FinaliseForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        results = services.recommendation_finalise(
            actor=request.user,
            recommendation=recommendation,
            valid_from=data.get("valid_from"),
            valid_until=data.get("valid_until"),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("The list is final: %(n)s talents recognised.") % {"n": len(results)}
        )
    return redirect(recommendation)


@login_required
@require_POST
def objection_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    objection = _get_or_404(
        lambda user, pk: selectors.objection_visible(user=user).get(pk=pk),
        user=request.user,
        pk=pk,
    )
    recommendation = objection.entry.recommendation
    form = ResolveForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a decision and give the reason."))
        services.objection_resolve(
            actor=request.user,
            objection=objection,
            uphold=form.cleaned_data["decision"] == "uphold",
            resolution=form.cleaned_data["resolution"],
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The objection is resolved."))
    return redirect(recommendation)


@login_required
@require_GET
def notice_list(request: HttpRequest) -> HttpResponse:
    """The public notices (公示) of the user's region: lists in notice, and final ones."""
    user = request.user
    page_obj = _paginate(
        request,
        selectors.notice_list(user=user).annotate(
            listed=Count("entries", filter=Q(entries__removed=False))
        ),
    )
    return render(
        request,
        "evaluation/notice_list.html",
        {
            "nav_active": NAV,
            "page_obj": page_obj,
            "notices": page_obj.object_list,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_GET
def notice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    recommendation = _get_or_404(selectors.notice_get, user=user, pk=pk)
    today = timezone.localdate()
    running = (
        recommendation.status == RecommendationStatus.NOTICE
        and recommendation.notice_start <= today <= recommendation.notice_end
    )
    mine = set(
        Objection.objects.filter(entry__recommendation=recommendation, filed_by=user).values_list(
            "entry_id", flat=True
        )
    )
    return render(
        request,
        "evaluation/notice_detail.html",
        {
            "nav_active": NAV,
            "recommendation": recommendation,
            "entries": _entries(recommendation, with_objections=False),
            "running": running,
            "objection_form": ObjectionForm(),
            "mine": mine,
        },
    )


@login_required
@require_POST
def objection_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    entry = (
        RecommendationEntry.objects.select_related("recommendation")
        .filter(pk=pk, recommendation__in=selectors.notice_visible(user=user))
        .first()
    )
    if entry is None:
        raise Http404(_("No such record, or you may not see it."))
    form = ObjectionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for your objection."))
        services.objection_file(actor=user, entry=entry, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your objection is filed with the talent office."))
    return redirect("evaluation:notice_detail", pk=entry.recommendation_id)


# Results -----------------------------------------------------------------------------------------


@login_required
@require_GET
def result_list(request: HttpRequest) -> HttpResponse:
    """Results with the figures of the region: enterprises authorised, talents evaluated, and
    results per category — all counted from the records the user sees."""
    user = request.user
    form = ResultFilterForm(request.GET or None)
    filters = form.filters()
    page_obj = _paginate(request, selectors.result_list(user=user, filters=filters))
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "results": page_obj.object_list,
        "filter_form": form,
        "filtered": any(request.GET.get(k) for k in form.fields),
        "query": _query_without_page(request),
        "is_office": permissions.is_office_user(user),
        "today": timezone.localdate(),
    }
    if not _is_partial(request):
        context["summary"] = selectors.result_summary(user=user, region=filters.region)
    return _render_list(
        request,
        template="evaluation/result_list.html",
        partial="evaluation/_result_results.html",
        context=context,
    )


RESULT_COLUMNS = (
    ("系统编号", 10),
    ("人才", 14),
    ("评价类别", 34),
    ("层次", 24),
    ("认定地区", 14),
    ("有效期起", 12),
    ("有效期止", 12),
    ("来源", 22),
    ("状态", 10),
)


@login_required
@require_GET
def result_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    _require(permissions.is_office_user(request.user))
    form = ResultFilterForm(request.GET or None)
    qs = selectors.result_list(user=request.user, filters=form.filters())
    today = timezone.localdate()

    def state(r: EvaluationResult) -> str:
        if r.revoked:
            return _("Revoked")
        return _("Valid") if r.is_current(today) else _("Not valid today")

    rows = (
        [
            r.pk,
            r.talent.name,
            r.get_category_display(),
            r.get_tier_display(),
            r.region.name,
            r.valid_from,
            r.valid_until,
            r.get_source_display(),
            state(r),
        ]
        for r in qs.iterator(chunk_size=500)
    )
    return _export(
        fmt=fmt, title="评价结果", filename="evaluation-results", columns=RESULT_COLUMNS, rows=rows
    )


@login_required
@require_http_methods(["GET", "POST"])
def result_create(request: HttpRequest) -> HttpResponse:
    """主管单位人才评价, "拔尖人才"专项评价, 其他创新人才评价: recorded by the office itself."""
    user = request.user
    _require(permissions.is_office_user(user))
    form = ResultForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.result_record(
                actor=user,
                talent=data["talent"],
                category=data["category"],
                tier=data["tier"],
                region=data["region"],
                valid_from=data["valid_from"],
                valid_until=data.get("valid_until"),
                evidence=data["evidence"],
                evidence_file=data.get("evidence_file") or None,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The result is recorded."))
            return redirect(result)
    return render(request, "evaluation/result_form.html", {"nav_active": NAV, "form": form})


@login_required
@require_GET
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    result = _get_or_404(selectors.result_get, user=user, pk=pk)
    return render(
        request,
        "evaluation/result_detail.html",
        {
            "nav_active": NAV,
            "result": result,
            "current": result.is_current(timezone.localdate()),
            "can_revoke": permissions.governs(user, result.region_id) and not result.revoked,
            "revoke_form": ReasonForm(),
        },
    )


@login_required
@require_POST
def result_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    result = _get_or_404(selectors.result_get, user=request.user, pk=pk)
    form = ReasonForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give the reason for revoking."))
        services.result_revoke(
            actor=request.user, result=result, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The result is revoked."))
    return redirect(result)
