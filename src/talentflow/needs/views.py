"""The need lifecycle pages: the list and its export, 出题 (pose and edit), 助题 (framing and
acceptance criteria), the detail page with its transitions, the timeline, documents, and the
enterprise visits (走访) needs are collected on.

Views parse input, call one selector or service and render. Who sees a need is decided by
``selectors.need_visible`` (a need out of sight is a 404); who may change it by the services and
``needs.permissions`` (visible but not changeable is a 403). The proposals, engagement,
verification and outcome sections of the detail page come from ``views_solving``.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch
from django.forms import BaseForm, BaseFormSet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentflow.accounts.models import Role
from talentflow.accounts.permissions import scope_for
from talentflow.directory import selectors as directory_selectors
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
from talentflow.needs import permissions, selectors, services, views_solving, workflow
from talentflow.needs.forms import (
    NEED_PARAMS,
    AttachmentsForm,
    CriteriaFormSet,
    NeedAssistForm,
    NeedFilterForm,
    NeedPoseForm,
    ReasonForm,
    VisitFilterForm,
    VisitForm,
    criteria_initial,
    enterprises_posing_for,
    need_filters_from,
)
from talentflow.needs.models import (
    Document,
    DocumentKind,
    EnterpriseVisit,
    Need,
    NeedEvent,
    NeedStage,
    Outcome,
    OutcomeStatus,
    Qualifier,
)
from talentflow.needs.selectors import NeedFilters, VisitSummary
from talentflow.needs.views_solving import money, unit_label, wan

# The need-level transitions taken from the detail page (the others — select, verification —
# belong to the proposal and verification forms of views_solving).
NEED_ACTIONS: dict[str, Callable[..., Need]] = {
    workflow.Action.SUBMIT: services.need_submit,
    workflow.Action.RETURN: services.need_return,
    workflow.Action.PUBLISH: services.need_publish,
    workflow.Action.WITHDRAW: services.need_withdraw,
    workflow.Action.CANCEL: services.need_cancel,
    workflow.Action.CLOSE: services.need_close,
}
ACTION_BUTTONS = {
    workflow.Action.SUBMIT: gettext_lazy("Submit to the talent office"),
    workflow.Action.RETURN: gettext_lazy("Return to the enterprise"),
    workflow.Action.PUBLISH: gettext_lazy("Publish for proposals"),
    workflow.Action.WITHDRAW: gettext_lazy("Withdraw the need"),
    workflow.Action.CANCEL: gettext_lazy("Cancel the engagement"),
    workflow.Action.CLOSE: gettext_lazy("Close with the confirmed outcomes"),
}
ACTION_DONE = {
    workflow.Action.SUBMIT: gettext_lazy("The need was submitted to the talent office."),
    workflow.Action.RETURN: gettext_lazy("The need was returned to the enterprise."),
    workflow.Action.PUBLISH: gettext_lazy("The need is published and open for proposals."),
    workflow.Action.WITHDRAW: gettext_lazy("The need was withdrawn."),
    workflow.Action.CANCEL: gettext_lazy("The engagement was cancelled."),
    workflow.Action.CLOSE: gettext_lazy("The need is closed."),
}
ACTION_CONFIRM = {
    workflow.Action.SUBMIT: gettext_lazy(
        "Submit the need? You can no longer edit it unless the talent office returns it."
    ),
    workflow.Action.PUBLISH: gettext_lazy("Publish the need to the solvers now?"),
    workflow.Action.CLOSE: gettext_lazy("Close the need? Outcomes can no longer be recorded."),
}
# What each timeline entry means, in words (NeedEvent.action codes).
EVENT_LABELS = {
    "create": gettext_lazy("Need recorded"),
    "submit": gettext_lazy("Submitted to the talent office"),
    "return": gettext_lazy("Returned to the enterprise for revision"),
    "publish": gettext_lazy("Published for proposals"),
    "withdraw": gettext_lazy("Need withdrawn"),
    "proposal.submit": gettext_lazy("Proposal submitted"),
    "proposal.shortlisted": gettext_lazy("Proposal shortlisted"),
    "proposal.declined": gettext_lazy("Proposal declined"),
    "proposal.withdrawn": gettext_lazy("Proposal withdrawn by its authors"),
    "proposal.selected": gettext_lazy("Proposal selected"),
    "select": gettext_lazy("Engagement started"),
    "start_verification": gettext_lazy("Workshop verification started"),
    "verification_passed": gettext_lazy("Workshop verification passed"),
    "verification_failed": gettext_lazy("Workshop verification failed: back to work"),
    "outcome.confirm": gettext_lazy("Outcome confirmed"),
    "outcome.reject": gettext_lazy("Outcome not confirmed"),
    "close": gettext_lazy("Closed with its outcomes"),
    "cancel": gettext_lazy("Engagement cancelled"),
}
LATEST_EVENTS = 5


# Helpers ---------------------------------------------------------------------------------


def _need(request: HttpRequest, pk: int) -> Need:
    return _get_or_404(selectors.need_get, user=request.user, pk=pk)


def _can_record_visit(user) -> bool:
    """Who is offered the visit form: the talent office and institutes. The service decides
    for which enterprise each may record one."""
    scope = scope_for(user)
    return (
        scope.is_admin or scope.is_officer or Role.INSTITUTION in scope.organisation_roles.values()
    )


def _is_solver(user) -> bool:
    scope = scope_for(user)
    return bool(scope.roles & {Role.INSTITUTION, Role.TALENT, Role.STUDENT}) or (
        scope.talent_id is not None
    )


def _add_errors(error: ValidationError, forms: list[BaseForm]) -> None:
    """Put a service's ValidationError next to the fields it names, on whichever form has the
    field; the rest goes to the first form's non-field errors. ``file`` is the attachments."""
    if not hasattr(error, "error_dict"):
        forms[0].add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        name = "attachments" if field == "file" else field
        target = next((f for f in forms if name in f.fields), None)
        if target is None:
            forms[0].add_error(None, errors)
        else:
            target.add_error(name, errors)


def budget_display(need: Need) -> str:
    """The budget in yuan with its 万元 equivalent, the unit officers and enterprises speak."""
    low, high = need.budget_min, need.budget_max
    if low is not None and high is not None:
        return _("%(low)s – %(high)s yuan (%(low_wan)s – %(high_wan)s 万元)") % {
            "low": money(low),
            "high": money(high),
            "low_wan": wan(low),
            "high_wan": wan(high),
        }
    if low is not None:
        return _("from %(low)s yuan (%(low_wan)s 万元)") % {
            "low": money(low),
            "low_wan": wan(low),
        }
    if high is not None:
        return _("up to %(high)s yuan (%(high_wan)s 万元)") % {
            "high": money(high),
            "high_wan": wan(high),
        }
    return ""


@dataclass(frozen=True)
class Step:
    stage: str
    label: str
    status: str  # done, current, ended, todo


def stage_steps(need: Need, events: list[NeedEvent] | None = None) -> list[Step]:
    """The five stages as a progress bar. An ended need shows where it ended: the stage of
    the state it was withdrawn or cancelled from."""
    stage = need.stage
    status_here = "current"
    if stage == workflow.Stage.ENDED:
        status_here = "ended"
        last = next(
            (e for e in reversed(events or []) if e.to_state == need.state and e.from_state),
            None,
        )
        stage = (
            workflow.STAGE_OF[workflow.State(last.from_state)].value
            if last is not None
            else workflow.Stage.POSE.value
        )
    order = [s.value for s in workflow.STAGES_IN_ORDER]
    here = order.index(stage)
    steps = []
    for i, code in enumerate(order):
        status = "done" if i < here else status_here if i == here else "todo"
        if code == workflow.Stage.VALUE and need.state == workflow.State.CLOSED:
            status = "done"
        steps.append(Step(stage=code, label=NeedStage(code).label, status=status))
    return steps


@dataclass(frozen=True)
class TimelineEntry:
    event: NeedEvent
    who: str
    stage: str
    stage_label: str
    what: str
    note: str


def timeline_entries(user, need: Need, events: list[NeedEvent]) -> list[TimelineEntry]:
    """The events ``selectors.need_timeline`` lets ``user`` read, in words: when, who, at which
    stage, what, and why.

    An action belongs to the stage in which it was taken (publishing is the talent office's
    act of 助题 even though it opens 答题), so the stage is that of the state before it;
    events that change no state take the stage the need was in. On a confidential need the
    notes (a return reason may quote the problem) are shown only to who sees the details.
    """
    sees = permissions.sees_details(user, need)
    entries = []
    current = ""
    for event in events:
        state = event.from_state or event.to_state or current
        current = event.to_state or current
        stage = workflow.STAGE_OF[workflow.State(state)].value if state else ""
        entries.append(
            TimelineEntry(
                event=event,
                who=str(event.actor) if event.actor_id else _("System"),
                stage=stage,
                stage_label=NeedStage(stage).label if stage else "",
                what=str(EVENT_LABELS.get(event.action, event.action)),
                note=event.note if sees else "",
            )
        )
    return entries


# The list and its export -------------------------------------------------------------------


@login_required
@require_GET
def need_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    filters = need_filters_from(request.GET)
    page_obj = _paginate(request, selectors.need_list(user=user, filters=filters))
    context: dict[str, Any] = {
        "nav_active": "needs",
        "page_obj": page_obj,
        "needs": page_obj.object_list,
        "filtered": any(request.GET.get(name) for name in NEED_PARAMS if name != "open_only"),
        "open_only": filters.open_only,
        "query": _query_without_page(request),
        "can_create": enterprises_posing_for(user).exists(),
        "can_record_visit": _can_record_visit(user),
        "solver_tabs": _is_solver(user),
        "can_allocate": scope_for(user).is_admin or scope_for(user).is_officer,
        "has_talent_profile": scope_for(user).talent_id is not None,
    }
    if not _is_partial(request):
        context["filter_form"] = NeedFilterForm(request.GET or None, user=user)
    return _render_list(
        request,
        template="needs/need_list.html",
        partial="needs/_need_results.html",
        context=context,
    )


# Chinese headers whatever the interface language, as for the directory's exports (decision
# 0005): officers share these files. Confidential text (description, current state) is never
# exported: a file leaves the platform's permission checks the moment it is downloaded.
EXPORT_COLUMNS: tuple[tuple[str, int], ...] = (
    ("系统编号", 10),
    ("需求名称", 36),
    ("企业", 30),
    ("统一社会信用代码", 22),
    ("地区", 24),
    ("行业", 24),
    ("阶段", 18),
    ("状态", 20),
    ("本阶段截止", 12),
    ("是否逾期", 8),
    ("来源", 16),
    ("预算下限（元）", 14),
    ("预算上限（元）", 14),
    ("方案截止", 12),
    ("承接单位", 28),
    ("合同金额（元）", 14),
    ("已确认成果", 60),
)


def _outcome_text(outcome: Outcome) -> str:
    qualifier = (
        "" if outcome.qualifier == Qualifier.EXACT else f"{outcome.get_qualifier_display()} "
    )
    unit = unit_label(outcome.kind, outcome.unit_basis)
    return f"{outcome.get_kind_display()} {qualifier}{money(outcome.amount)} {unit}".strip()


def _export_rows(needs) -> Iterator[list[Any]]:
    for need in needs.iterator(chunk_size=500):
        # A missing reverse one-to-one raises an AttributeError: getattr's default applies.
        engagement = getattr(need, "engagement", None)
        yield [
            need.pk,
            need.title,
            need.enterprise.name,
            need.enterprise.uscc or "",
            need.region.full_name or need.region.name,
            f"{need.industry.code} {need.industry.name}" if need.industry else "",
            str(need.get_stage_display()),
            need.get_state_display(),
            need.stage_due,
            _("yes") if need.is_overdue else "",
            need.get_source_display(),
            need.budget_min,
            need.budget_max,
            need.proposals_due,
            engagement.institution.name if engagement and engagement.institution else "",
            engagement.contract_amount if engagement else None,
            "；".join(_outcome_text(o) for o in need.confirmed_outcomes),
        ]


@login_required
@require_GET
def need_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Exactly the list the user sees with the same query string, as .xlsx or .csv."""
    if fmt not in FORMATS:
        raise Http404
    needs = (
        selectors.need_list(user=request.user, filters=need_filters_from(request.GET))
        .select_related("engagement__institution")
        .prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.filter(status=OutcomeStatus.CONFIRMED),
                to_attr="confirmed_outcomes",
            )
        )
    )
    filename = f"talentflow-needs-{timezone.localdate():%Y%m%d}.{fmt}"
    headers = [h for h, _w in EXPORT_COLUMNS]

    def rows() -> Iterator[list[Any]]:
        # Labels in the platform's language, like the headers, whoever downloads the file.
        with translation.override(settings.LANGUAGE_CODE):
            yield from _export_rows(needs)

    if fmt == "csv":
        chunks = (chunk.encode("utf-8") for chunk in csv_chunks(headers=headers, rows=rows()))
        response = StreamingHttpResponse(chunks, content_type=CSV_CONTENT_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    target = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
    write_xlsx(
        target,
        title="需求",
        headers=headers,
        widths=[w for _h, w in EXPORT_COLUMNS],
        rows=rows(),
    )
    target.seek(0)
    return FileResponse(
        target, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


# 出题 and 助题: posing and framing ----------------------------------------------------------


def _add_attachments(user, need: Need, attachments: AttachmentsForm) -> int:
    uploads = attachments.cleaned_data.get("attachments") or []
    for upload in uploads:
        services.document_add(actor=user, need=need, upload=upload, kind=DocumentKind.ATTACHMENT)
    return len(uploads)


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    enterprises = list(enterprises_posing_for(user))
    if not enterprises:
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    pose = NeedPoseForm(data, enterprises=enterprises)
    attachments = AttachmentsForm(data, request.FILES or None)
    if data is not None and all([pose.is_valid(), attachments.is_valid()]):
        fields = pose.service_data()
        enterprise = pose.cleaned_data.get("enterprise") or enterprises[0]
        try:
            # The need and its files are one step for the enterprise: all or nothing.
            with transaction.atomic():
                need = services.need_create(
                    actor=user,
                    enterprise=enterprise,
                    title=fields.pop("title"),
                    summary=fields.pop("summary"),
                    **fields,
                )
                _add_attachments(user, need, attachments)
        except ValidationError as error:
            _add_errors(error, [pose, attachments])
        else:
            messages.success(
                request,
                _("The need was saved as a draft. Submit it when it is complete."),
            )
            return redirect(need)
    return render(
        request,
        "needs/need_form.html",
        {"nav_active": "needs", "pose": pose, "assist": None, "attachments": attachments},
    )


@login_required
@require_http_methods(["GET", "POST"])
def need_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    need = _need(request, pk)
    if not permissions.can_edit_need(user, need):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    pose = NeedPoseForm(data, need=need)
    assist = (
        NeedAssistForm(data, user=user, need=need) if permissions.can_assist(user, need) else None
    )
    attachments = AttachmentsForm(data, request.FILES or None)
    forms = [f for f in (pose, assist, attachments) if f is not None]
    if data is not None and all([f.is_valid() for f in forms]):
        changes = pose.service_data()
        if assist is not None:
            changes.update(assist.service_data())
        try:
            with transaction.atomic():
                services.need_update(actor=user, need=need, data=changes)
                _add_attachments(user, need, attachments)
        except ValidationError as error:
            _add_errors(error, forms)
        else:
            messages.success(request, _("The need was saved."))
            return redirect(need)
    return render(
        request,
        "needs/need_form.html",
        {
            "nav_active": "needs",
            "need": need,
            "pose": pose,
            "assist": assist,
            "attachments": attachments,
            "documents": [d for d in need.documents.all() if d.kind == DocumentKind.ATTACHMENT],
        },
    )


def _criteria_errors(error: ValidationError, formset: BaseFormSet, rows: list[int]) -> list[str]:
    """Put ``criteria.<n>.<field>`` errors on the n-th submitted row; return the rest."""
    general: list[str] = []
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    for key, errors in error.error_dict.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "criteria" and parts[1].isdigit():
            index = int(parts[1]) - 1
            if 0 <= index < len(rows):
                form = formset.forms[rows[index]]
                field = parts[2] if parts[2] in form.fields else None
                form.add_error(field, errors)
                continue
        general += [str(m) for e in errors for m in e.messages]
    return general


@login_required
@require_http_methods(["GET", "POST"])
def need_criteria(request: HttpRequest, pk: int) -> HttpResponse:
    """助题: the talent office sets what the workshop will check (验题)."""
    user = request.user
    need = _need(request, pk)
    if not permissions.can_assist(user, need):
        raise PermissionDenied
    initial = criteria_initial(need)
    data = request.POST if request.method == "POST" else None
    formset = CriteriaFormSet(data, initial=initial, prefix="criteria")
    errors: list[str] = []
    if data is not None and formset.is_valid():
        rows = [i for i, form in enumerate(formset.forms) if form.is_row]
        criteria = [
            {k: formset.forms[i].cleaned_data.get(k) for k in ("description", "comparator")}
            | {
                "target_value": formset.forms[i].cleaned_data.get("target_value"),
                "unit": formset.forms[i].cleaned_data.get("unit") or "",
            }
            for i in rows
        ]
        try:
            services.criteria_set(actor=user, need=need, criteria=criteria)
        except ValidationError as error:
            errors = _criteria_errors(error, formset, rows)
        else:
            count = len(criteria)
            messages.success(
                request,
                ngettext(
                    "%(count)d acceptance criterion saved.",
                    "%(count)d acceptance criteria saved.",
                    count,
                )
                % {"count": count},
            )
            return redirect(need)
    return render(
        request,
        "needs/need_criteria.html",
        {"nav_active": "needs", "need": need, "formset": formset, "errors": errors},
    )


# The detail page and its transitions -------------------------------------------------------


def _detail_context(
    request: HttpRequest, need: Need, *, reason_forms: dict[str, ReasonForm] | None = None
) -> dict[str, Any]:
    user = request.user
    parties = permissions.parties(user, need)
    sees = permissions.sees_details(user, need)
    reason_forms = reason_forms or {}
    transitions = []
    for action in workflow.allowed_actions(need.state, parties):
        if action not in NEED_ACTIONS:
            continue
        needs_reason = workflow.TRANSITIONS[action].needs_reason
        transitions.append(
            {
                "action": action.value,
                "label": ACTION_BUTTONS[action],
                "confirm": ACTION_CONFIRM.get(action, ""),
                "needs_reason": needs_reason,
                "danger": action in {workflow.Action.WITHDRAW, workflow.Action.CANCEL},
                "form": (
                    reason_forms.get(action) or ReasonForm(auto_id=f"id_{action}_%s")
                    if needs_reason
                    else None
                ),
                "open": action in reason_forms,
            }
        )
    # Every user reads the need's own state changes, all the stage bar needs.
    events = list(selectors.need_timeline(need=need, user=user))
    entries = timeline_entries(user, need, events)
    enterprise_visible = (
        directory_selectors.organisation_visible(user=user).filter(pk=need.enterprise_id).exists()
    )
    visit_visible = (
        need.visit_id is not None
        and selectors.visit_visible(user=user).filter(pk=need.visit_id).exists()
    )
    context: dict[str, Any] = {
        "nav_active": "needs",
        "need": need,
        "parties": {p.value for p in parties},
        "sees_details": sees,
        "attachments": (
            [d for d in need.documents.all() if d.kind == DocumentKind.ATTACHMENT] if sees else []
        ),
        "criteria": [
            (c, format(c.target_value.normalize(), "f") if c.target_value is not None else "")
            for c in need.criteria.all()
        ],
        "steps": stage_steps(need, events),
        "budget": budget_display(need),
        "transitions": transitions,
        "can_edit": permissions.can_edit_need(user, need),
        "can_assist": permissions.can_assist(user, need),
        # 助题 and 答题: the enterprise and its office see who could solve it (matching app).
        "can_recommend": bool(parties & {workflow.Party.ENTERPRISE, workflow.Party.OFFICER})
        and need.state in {workflow.State.SUBMITTED, workflow.State.PUBLISHED},
        "enterprise_visible": enterprise_visible,
        "visit_visible": visit_visible,
        "latest_events": entries[-LATEST_EVENTS:],
        "more_events": len(entries) > LATEST_EVENTS,
        "terms_version": settings.TALENTFLOW_CONFIDENTIALITY_TERMS_VERSION,
        # The enterprise revises what the office asked for: the last return's reason.
        "return_reason": (
            next((e.note for e in reversed(events) if e.action == workflow.Action.RETURN), "")
            if need.state == workflow.State.RETURNED and parties
            else ""
        ),
        # When the need was recorded is its first event: a replayed or imported need keeps
        # its own date, while created_at is when the row was written.
        "recorded_at": events[0].at if events else need.created_at,
    }
    # The solving sections add their own keys; the need's own keys above stay authoritative.
    return {**views_solving.detail_context(request, need), **context}


@login_required
@require_GET
def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need(request, pk)
    return render(request, "needs/need_detail.html", _detail_context(request, need))


@login_required
@require_POST
def need_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in NEED_ACTIONS:
        raise Http404
    user = request.user
    need = _need(request, pk)
    act = workflow.Action(action)
    kwargs: dict[str, Any] = {}
    if workflow.TRANSITIONS[act].needs_reason:
        kwargs["reason"] = request.POST.get("reason", "")
    try:
        NEED_ACTIONS[act](actor=user, need=need, **kwargs)
    except ValidationError as error:
        if "reason" in kwargs and "reason" in getattr(error, "error_dict", {}):
            # The reason form opens again with the message, also without JavaScript.
            form = ReasonForm(request.POST, auto_id=f"id_{action}_%s")
            form.is_valid()
            form.add_error("reason", error.error_dict["reason"])
            context = _detail_context(request, need, reason_forms={action: form})
            return render(request, "needs/need_detail.html", context, status=400)
        for message in error.messages:
            messages.error(request, message)
        return redirect(need)
    messages.success(request, ACTION_DONE[act])
    return redirect(need)


@login_required
@require_POST
def need_accept_terms(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need(request, pk)
    try:
        services.confidentiality_accept(actor=request.user, need=need)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request, _("You accepted the confidentiality terms; the details are shown below.")
        )
    return redirect(need)


@login_required
@require_GET
def need_timeline(request: HttpRequest, pk: int) -> HttpResponse:
    need = _need(request, pk)
    events = list(selectors.need_timeline(need=need, user=request.user))
    return render(
        request,
        "needs/need_timeline.html",
        {
            "nav_active": "needs",
            "need": need,
            "entries": timeline_entries(request.user, need, events),
            "steps": stage_steps(need, events),
        },
    )


# Documents ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def document_upload(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    need = _need(request, pk)
    if not permissions.can_edit_need(user, need):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = AttachmentsForm(data, request.FILES or None, required=True)
    if data is not None and form.is_valid():
        try:
            with transaction.atomic():
                count = _add_attachments(user, need, form)
        except ValidationError as error:
            _add_errors(error, [form])
        else:
            messages.success(
                request,
                ngettext("%(count)d file attached.", "%(count)d files attached.", count)
                % {"count": count},
            )
            return redirect(need)
    return render(
        request,
        "needs/document_upload.html",
        {"nav_active": "needs", "need": need, "form": form},
    )


@login_required
@require_GET
def document_download(request: HttpRequest, pk: int) -> HttpResponse:
    """A need's file, only through ``permissions.can_download``: the need must be visible,
    attachments of a confidential need need its details, and workshop or outcome evidence is
    for the need's parties. Otherwise the file does not exist."""
    document = Document.objects.select_related("need").filter(pk=pk).first()
    if document is None or not permissions.can_download(request.user, document):
        raise Http404(_("No such record, or you may not see it."))
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404(_("The file is missing.")) from error
    return FileResponse(handle, as_attachment=True, filename=document.original_name)


# Visits (走访) -------------------------------------------------------------------------------


def _visit_summary(user, visits, filters: dict[str, Any]) -> VisitSummary:
    if not (filters.get("date_from") or filters.get("date_to")):
        return selectors.visit_summary(
            user=user, region=filters.get("region") or "", visitor=filters.get("visitor")
        )
    # visit_summary takes no dates; the same three counts over the visits shown.
    return VisitSummary(
        visits=visits.count(),
        enterprises=visits.values("enterprise_id").distinct().count(),
        needs=Need.objects.filter(visit__in=visits.values("pk")).count(),
    )


@login_required
@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    visible = selectors.visit_visible(user=user)
    form = VisitFilterForm(request.GET or None, user=user, visits=visible)
    filters = form.filters()
    visits = visible
    if filters.get("region"):
        visits = visits.filter(region__code__startswith=filters["region"])
    if filters.get("visitor"):
        visits = visits.filter(visitor_organisation_id=filters["visitor"])
    if filters.get("date_from"):
        visits = visits.filter(visited_on__gte=filters["date_from"])
    if filters.get("date_to"):
        visits = visits.filter(visited_on__lte=filters["date_to"])
    summary = _visit_summary(user, visits, filters)
    listed = (
        visits.select_related("enterprise", "region", "visitor_organisation")
        .annotate(needs_collected=Count("needs"))
        .order_by("-visited_on", "-id")
    )
    page_obj = _paginate(request, listed)
    context: dict[str, Any] = {
        "nav_active": "needs",
        "page_obj": page_obj,
        "visits": page_obj.object_list,
        "summary": summary,
        "filtered": any(
            request.GET.get(name) for name in ("region", "visitor", "date_from", "date_to")
        ),
        "query": _query_without_page(request),
        "can_record_visit": _can_record_visit(user),
        "filter_form": form,
    }
    return _render_list(
        request,
        template="needs/visit_list.html",
        partial="needs/_visit_results.html",
        context=context,
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not _can_record_visit(user):
        raise PermissionDenied
    form = VisitForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.visit_create(actor=user, **form.service_data())
        except ValidationError as error:
            _add_errors(error, [form])
        else:
            messages.success(
                request, _("The visit was recorded. Now record the needs collected on it.")
            )
            return redirect("needs:visit_detail", pk=visit.pk)
    return render(
        request,
        "needs/visit_form.html",
        {
            "nav_active": "needs",
            "form": form,
            "no_enterprises": not form.fields["enterprise"].queryset.exists(),
        },
    )


def _visit(request: HttpRequest, pk: int) -> EnterpriseVisit:
    visit = (
        selectors.visit_visible(user=request.user)
        .select_related("enterprise", "region", "visitor_organisation", "recorded_by")
        .filter(pk=pk)
        .first()
    )
    if visit is None:
        raise Http404(_("No such record, or you may not see it."))
    return visit


@login_required
@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    visit = _visit(request, pk)
    needs = list(selectors.need_list(user=user, filters=NeedFilters(visit=visit.pk)))
    collected = Need.objects.filter(visit=visit).count()
    return render(
        request,
        "needs/visit_detail.html",
        {
            "nav_active": "needs",
            "visit": visit,
            "needs": needs,
            "hidden_needs": collected - len(needs),
            # A visit is visible to the office of its region and to its visitors: exactly
            # those who record its needs (services.need_create checks again).
            "can_add_need": True,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def visit_need_create(request: HttpRequest, pk: int) -> HttpResponse:
    """A need collected on the visit: recorded by the visitors, it arrives submitted (助题)."""
    user = request.user
    visit = _visit(request, pk)
    data = request.POST if request.method == "POST" else None
    pose = NeedPoseForm(data)
    if data is not None and pose.is_valid():
        fields = pose.service_data()
        try:
            need = services.need_create(
                actor=user,
                enterprise=visit.enterprise,
                visit=visit,
                title=fields.pop("title"),
                summary=fields.pop("summary"),
                **fields,
            )
        except ValidationError as error:
            _add_errors(error, [pose])
        else:
            messages.success(
                request,
                _("The need was recorded and is with the talent office of %(region)s.")
                % {"region": visit.region.name},
            )
            if "another" in request.POST:
                return redirect("needs:visit_need_create", pk=visit.pk)
            # An institute that collected the need does not see it once it is with the office.
            if selectors.need_visible(user=user).filter(pk=need.pk).exists():
                return redirect(need)
            return redirect("needs:visit_detail", pk=visit.pk)
    return render(
        request,
        "needs/visit_need_form.html",
        {"nav_active": "needs", "visit": visit, "pose": pose},
    )
