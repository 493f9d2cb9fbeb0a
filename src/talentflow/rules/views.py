"""Pages of policies and subsidies: policies with their versions and budgets, a draft version's
edit, what-if and publish, applications (申报) with their explanation, review and payout.

Views parse input, call one selector or service and render. What a user sees is decided by
``selectors`` (out of sight is a 404), what they may change by the services (403)."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentflow.directory.io.sheets import (
    CSV_CONTENT_TYPE,
    FORMATS,
    XLSX_CONTENT_TYPE,
    csv_chunks,
    write_xlsx,
)
from talentflow.directory.views import (
    _get_or_404,
    _is_partial,
    _paginate,
    _query_without_page,
    _render_list,
)
from talentflow.rules import facts as fact_specs
from talentflow.rules import permissions, selectors, services, workflow
from talentflow.rules import policy as engine
from talentflow.rules.forms import (
    APPLICATION_PARAMS,
    ApplicationFilterForm,
    ApplicationForm,
    BudgetForm,
    PayoutForm,
    ReviewForm,
    VersionForm,
    WithdrawForm,
    talents_of,
)
from talentflow.rules.models import (
    ApplicantKind,
    Application,
    Evidence,
    Policy,
    PolicyVersionRecord,
)

NAV = "rules"
ACTION_LABELS = {
    workflow.Action.SUBMIT: gettext_lazy("Submit"),
    workflow.Action.OFFICE_APPROVE: gettext_lazy("Approve (talent office)"),
    workflow.Action.OFFICE_RETURN: gettext_lazy("Return to the applicant"),
    workflow.Action.FINANCE_APPROVE: gettext_lazy("Approve (finance)"),
    workflow.Action.FINANCE_RETURN: gettext_lazy("Return to the applicant"),
    workflow.Action.PAY: gettext_lazy("Record the payout"),
    workflow.Action.WITHDRAW: gettext_lazy("Withdraw the application"),
}
# Actions with a button of their own on the application page (not the review form).
OWN_BUTTONS = {workflow.Action.SUBMIT, workflow.Action.PAY, workflow.Action.WITHDRAW}
EVENT_LABELS = {
    "create": gettext_lazy("Application created"),
    "submit": gettext_lazy("Submitted"),
    "office_approve": gettext_lazy("Approved by the talent office"),
    "office_return": gettext_lazy("Returned by the talent office"),
    "finance_approve": gettext_lazy("Approved by finance"),
    "finance_return": gettext_lazy("Returned by finance"),
    "pay": gettext_lazy("Paid"),
    "withdraw": gettext_lazy("Withdrawn by the applicant"),
}


def _policy(request: HttpRequest, pk: int) -> Policy:
    return _get_or_404(selectors.policy_get, user=request.user, pk=pk)


def _application(request: HttpRequest, pk: int) -> Application:
    return _get_or_404(selectors.application_get, user=request.user, pk=pk)


def _version(request: HttpRequest, pk: int) -> PolicyVersionRecord:
    version = selectors.version_visible(user=request.user).filter(pk=pk).first()
    if version is None:
        raise Http404(_("No such record, or you may not see it."))
    return version


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


# Policies --------------------------------------------------------------------------------


@login_required
@require_GET
def policy_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    rows = []
    for policy in selectors.policy_list(user=user):
        current = selectors.current_version(policy)
        rows.append(
            {
                "policy": policy,
                "current": current,
                "can_apply": permissions.can_apply(user, policy),
                "budget": selectors.budget_figures(policy, timezone.localdate().year)
                if policy.is_money and permissions.sees_budget(user, policy)
                else None,
            }
        )
    return render(
        request,
        "rules/policy_list.html",
        {"nav_active": NAV, "rows": rows, "year": timezone.localdate().year},
    )


@login_required
@require_GET
def policy_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    policy = _policy(request, pk)
    manages = permissions.can_manage_policy(user, policy)
    versions = list(selectors.version_visible(user=user).filter(policy=policy).order_by("-number"))
    current = selectors.current_version(policy)
    return render(
        request,
        "rules/policy_detail.html",
        {
            "nav_active": NAV,
            "policy": policy,
            "versions": versions,
            "current": current,
            "explained": current.to_pure() if current else None,
            "manages": manages,
            "draft": selectors.draft_version(policy) if manages else None,
            "budgets": selectors.budgets(policy) if permissions.sees_budget(user, policy) else None,
            "budget_form": BudgetForm(initial={"year": timezone.localdate().year})
            if manages and policy.is_money
            else None,
            "can_apply": permissions.can_apply(user, policy),
        },
    )


@login_required
@require_POST
def budget_set(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(request, pk)
    if not permissions.can_manage_policy(request.user, policy):
        raise PermissionDenied
    form = BudgetForm(request.POST)
    if form.is_valid():
        try:
            services.policy_year_set(
                actor=request.user,
                policy=policy,
                year=form.cleaned_data["year"],
                budget=form.cleaned_data["budget"],
            )
        except ValidationError as error:
            messages.error(request, _error_text(error))
        else:
            messages.success(request, _("The budget was set."))
    else:
        messages.error(request, _("Enter a year and a budget of at least 0."))
    return redirect(policy)


# Versions --------------------------------------------------------------------------------


@login_required
@require_POST
def version_draft(request: HttpRequest, pk: int) -> HttpResponse:
    policy = _policy(request, pk)
    try:
        draft = services.version_draft_create(actor=request.user, policy=policy)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(policy)
    messages.success(request, _("A draft version was made from the current one."))
    return redirect("rules:version_edit", pk=draft.pk)


@login_required
@require_GET
def version_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    return render(
        request,
        "rules/version_detail.html",
        {
            "nav_active": NAV,
            "version": version,
            "policy": version.policy,
            "manages": permissions.can_manage_policy(request.user, version.policy),
            "facts": _fact_rows(version),
        },
    )


def _fact_rows(version: PolicyVersionRecord) -> list[tuple[str, dict[str, Any]]]:
    rows = []
    for name in version.facts:
        kind = fact_specs.spec(name, version.fact_kinds).kind
        label = fact_specs.KINDS.get(kind) or _("one of a list")
        rows.append((name, {"code": kind, "label": label}))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def version_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    if not permissions.can_manage_policy(request.user, version.policy):
        raise PermissionDenied
    if not version.is_draft:
        messages.error(request, _("A published version cannot be changed; make a new draft."))
        return redirect(version)
    form = VersionForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            services.version_update(
                actor=request.user,
                version=version,
                effective_from=form.cleaned_data["effective_from"],
                params=form.params(),
                eligibility=form.cleaned_data["eligibility"],
                steps=form.cleaned_data["steps"],
                # A form without the facts list (an older page) leaves them as they are.
                facts=form.cleaned_data["facts"] if "facts" in request.POST else None,
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    name = f"param_{field}" if f"param_{field}" in form.fields else field
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("The draft was saved. Check its effect before publishing."))
            return redirect("rules:version_whatif", pk=version.pk)
    return render(
        request,
        "rules/version_edit.html",
        {"nav_active": NAV, "version": version, "policy": version.policy, "form": form},
    )


@login_required
@require_GET
def version_whatif(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    if not permissions.can_manage_policy(request.user, version.policy):
        raise PermissionDenied
    current = selectors.current_version(version.policy)
    return render(
        request,
        "rules/version_whatif.html",
        {
            "nav_active": NAV,
            "version": version,
            "policy": version.policy,
            "current": current,
            "result": selectors.what_if(version),
        },
    )


@login_required
@require_POST
def version_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    try:
        services.version_publish(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("rules:version_whatif", pk=version.pk)
    messages.success(
        request,
        _("Version %(n)s is published; it applies from %(day)s.")
        % {"n": version.number, "day": version.effective_from.isoformat()},
    )
    return redirect(version.policy)


@login_required
@require_POST
def version_discard(request: HttpRequest, pk: int) -> HttpResponse:
    version = _version(request, pk)
    policy = version.policy
    try:
        services.version_discard(actor=request.user, version=version)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect(version)
    messages.success(request, _("The draft version %(n)s was discarded.") % {"n": version.number})
    return redirect(policy)


# Applications: list and export -----------------------------------------------------------


def _filters(request: HttpRequest) -> selectors.ApplicationFilters:
    form = ApplicationFilterForm(request.GET or None)
    if not form.is_valid():
        return selectors.ApplicationFilters(q=request.GET.get("q", "").strip())
    data = form.cleaned_data
    return selectors.ApplicationFilters(
        q=(data.get("q") or "").strip(),
        policy=data["policy"].pk if data.get("policy") else None,
        status=data.get("status") or "",
        year=data.get("year"),
        applicant=data.get("applicant"),
    )


@login_required
@require_GET
def application_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    page_obj = _paginate(request, selectors.application_list(user=user, filters=_filters(request)))
    context: dict[str, Any] = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "applications": page_obj.object_list,
        "filtered": any(request.GET.get(n) for n in APPLICATION_PARAMS),
        "query": _query_without_page(request),
    }
    if not _is_partial(request):
        context["filter_form"] = ApplicationFilterForm(request.GET or None)
    return _render_list(
        request,
        template="rules/application_list.html",
        partial="rules/_application_results.html",
        context=context,
    )


# Chinese headers whatever the interface language, as the other exports (decision 0005).
EXPORT_COLUMNS: tuple[tuple[str, int], ...] = (
    ("系统编号", 10),
    ("政策", 30),
    ("申报主体", 30),
    ("涉及人才", 12),
    ("申报日期", 12),
    ("预算年度", 8),
    ("状态", 16),
    ("政策版本", 8),
    ("金额（元）", 14),
    ("计算说明", 80),
)


def _export_rows(applications) -> Iterator[list[Any]]:
    for app in applications.iterator(chunk_size=500):
        yield [
            app.pk,
            app.policy.name,
            app.applicant_name,
            app.talent.name if app.talent else "",
            app.applied_on,
            app.year,
            app.get_status_display(),
            app.computation.get("version", ""),
            app.amount if app.policy.is_money else None,
            "；".join(app.explanation),
        ]


@login_required
@require_GET
def application_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Exactly the list the user sees with the same query string, as .xlsx or .csv."""
    if fmt not in FORMATS:
        raise Http404
    applications = selectors.application_list(user=request.user, filters=_filters(request))
    filename = f"talentflow-applications-{timezone.localdate():%Y%m%d}.{fmt}"
    headers = [h for h, _w in EXPORT_COLUMNS]

    def rows() -> Iterator[list[Any]]:
        with translation.override(settings.LANGUAGE_CODE):
            yield from _export_rows(applications)

    if fmt == "csv":
        chunks = (chunk.encode("utf-8") for chunk in csv_chunks(headers=headers, rows=rows()))
        response = StreamingHttpResponse(chunks, content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    target = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
    write_xlsx(
        target, title="申报", headers=headers, widths=[w for _h, w in EXPORT_COLUMNS], rows=rows()
    )
    target.seek(0)
    return FileResponse(
        target, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


# Applications: form, detail, actions -----------------------------------------------------


def _version_in_force(policy: Policy, day) -> PolicyVersionRecord:
    try:
        return selectors.version_in_force(policy, day)
    except engine.PolicyError as error:
        raise Http404(_("No version of the policy is in force today.")) from error


def _form_for(request: HttpRequest, policy: Policy, *, application: Application | None = None):
    user = request.user
    day = application.applied_on if application else timezone.localdate()
    version = _version_in_force(policy, day)
    organisations = talents = None
    if application is None and policy.applicant_kind == ApplicantKind.ENTERPRISE:
        organisations = permissions.applicant_organisations(user, policy)
    if policy.code == "vice_president_subsidy":
        org = application.applicant_organisation if application else None
        if org is None and organisations is not None:
            talents = talents_of_any(organisations)
        else:
            talents = talents_of(org)
    initial = {}
    if application is not None:
        initial = {f"fact_{k}": v for k, v in application.facts.items()}
        initial["talent"] = application.talent_id
    return ApplicationForm(
        request.POST or None,
        request.FILES or None,
        fact_names=list(version.facts),
        fact_kinds=dict(version.fact_kinds),
        organisations=organisations,
        talents=talents,
        evidence_required=application is None,
        initial=initial,
    )


def talents_of_any(organisations):
    from talentflow.directory.models import TalentProfile

    return TalentProfile.objects.filter(affiliations__organisation__in=organisations).distinct()


@login_required
@require_http_methods(["GET", "POST"])
def application_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    policy = _policy(request, pk)
    if not permissions.can_apply(user, policy):
        raise PermissionDenied
    form = _form_for(request, policy)
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                actor=user,
                policy=policy,
                organisation=form.cleaned_data.get("organisation"),
                talent=form.cleaned_data.get("talent"),
                facts=form.facts(),
                uploads=form.cleaned_data.get("evidence") or [],
            )
        except ValidationError as error:
            _add_fact_errors(form, error)
        else:
            messages.success(
                request, _("The application is saved as a draft. Check it, then submit it.")
            )
            return redirect(application)
    return render(
        request,
        "rules/application_form.html",
        {"nav_active": NAV, "policy": policy, "form": form, "application": None},
    )


def _add_fact_errors(form: ApplicationForm, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        name = {"file": "evidence"}.get(field, field)
        if f"fact_{field}" in form.fields:
            name = f"fact_{field}"
        form.add_error(name if name in form.fields else None, errors)


@login_required
@require_http_methods(["GET", "POST"])
def application_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    application = _application(request, pk)
    if not permissions.can_edit_application(user, application):
        raise PermissionDenied
    form = _form_for(request, application.policy, application=application)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.application_update(
                    actor=user,
                    application=application,
                    facts=form.facts(),
                    talent=form.cleaned_data.get("talent"),
                )
                for upload in form.cleaned_data.get("evidence") or []:
                    services.evidence_add(actor=user, application=application, upload=upload)
        except ValidationError as error:
            _add_fact_errors(form, error)
        else:
            messages.success(request, _("The application was amended."))
            return redirect(application)
    return render(
        request,
        "rules/application_form.html",
        {"nav_active": NAV, "policy": application.policy, "form": form, "application": application},
    )


def _events(application: Application) -> list:
    events = list(application.events.select_related("actor"))
    for event in events:
        event.label = EVENT_LABELS.get(event.action, event.action)
    return events


@login_required
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    application = _application(request, pk)
    parties = permissions.parties(user, application)
    actions = workflow.allowed_actions(
        application.status, parties, flag=not application.policy.is_money
    )
    budget = None
    if application.policy.is_money and permissions.sees_budget(user, application.policy):
        budget = selectors.budget_figures(application.policy, application.year)
    return render(
        request,
        "rules/application_detail.html",
        {
            "nav_active": NAV,
            "application": application,
            "policy": application.policy,
            "events": _events(application),
            "evidence": application.evidence.all(),
            "facts": [(fact_specs.spec(k).label, v) for k, v in sorted(application.facts.items())],
            "payout": getattr(application, "payout", None),
            "can_edit": permissions.can_edit_application(user, application),
            "submit": workflow.Action.SUBMIT in actions,
            "reviews": [
                (a.value, ACTION_LABELS[a], a in workflow.RETURNS)
                for a in actions
                if a not in OWN_BUTTONS
            ],
            "withdraw": workflow.Action.WITHDRAW in actions,
            "withdraw_form": WithdrawForm(),
            "pay": workflow.Action.PAY in actions,
            "review_form": ReviewForm(),
            "payout_form": PayoutForm(initial={"paid_on": timezone.localdate()}),
            "budget": budget,
        },
    )


@login_required
@require_POST
def application_submit(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    try:
        application = services.application_submit(actor=request.user, application=application)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("Submitted to the talent office. Computed: %(amount)s yuan.")
            % {"amount": f"{application.amount:,.2f}"},
        )
    return redirect(application)


@login_required
@require_POST
def application_review(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    action = request.POST.get("action", "")
    if action not in {a.value for a in workflow.Action} - {a.value for a in OWN_BUTTONS}:
        messages.error(request, _("Unknown review action."))
        return redirect(application)
    reason = request.POST.get("reason", "")[:2000]
    try:
        services.application_review(
            actor=request.user, application=application, action=action, reason=reason
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("%(action)s: done.") % {"action": ACTION_LABELS[action]})
    return redirect(application)


@login_required
@require_POST
def application_pay(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = PayoutForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the date of the payment."))
        return redirect(application)
    try:
        services.payout_record(
            actor=request.user,
            application=application,
            paid_on=form.cleaned_data["paid_on"],
            reference=form.cleaned_data["reference"],
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, _("The payout was recorded."))
    return redirect(application)


@login_required
@require_POST
def application_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    form = WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _error_text(ValidationError(list(form.errors.values()))))
        return redirect(application)
    try:
        services.application_withdraw(
            actor=request.user, application=application, reason=form.cleaned_data["reason"]
        )
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("The application was withdrawn. To apply again, file a new application."),
        )
    return redirect(application)


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    """An evidence file, only to who sees its application."""
    evidence = Evidence.objects.filter(pk=pk).first()
    if (
        evidence is None
        or not selectors.application_visible(user=request.user)
        .filter(pk=evidence.application_id)
        .exists()
    ):
        raise Http404(_("No such record, or you may not see it."))
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The file is missing.")) from error
    return FileResponse(handle, as_attachment=True, filename=evidence.original_name)
