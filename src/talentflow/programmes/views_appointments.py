"""The appointment pages (科技副总, 产业教授, 校院企人才"合伙人", 互聘共享): requests and the
office's candidates from the matching engine, appointments with their actions, start, renewal,
work log, period reviews, the subsidy and the 聘书; joint laboratories; the figures per region.

Views parse input, call one selector or service and render. A record out of sight is a 404
(the selectors decide); visible but not changeable is a 403 (the services decide).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from talentflow.directory.io.sheets import FORMATS
from talentflow.directory.views import (
    _add_service_errors,
    _paginate,
    _query_without_page,
    _render_list,
)
from talentflow.evaluation.views import _export
from talentflow.matching.views import reason_rows
from talentflow.programmes import permissions
from talentflow.programmes import selectors_appointments as selectors
from talentflow.programmes import services_appointments as services
from talentflow.programmes.forms_appointments import (
    AppointmentFilterForm,
    JointLabForm,
    ProposeForm,
    ReasonForm,
    RenewForm,
    RequestFilterForm,
    RequestForm,
    ReviewForm,
    StartForm,
    WorkLogForm,
    request_hosts,
)
from talentflow.programmes.models import (
    Appointment,
    AppointmentRequest,
    RequestStatus,
)
from talentflow.programmes.workflow import APPOINTMENT, NEEDS_REASON, Action, Party
from talentflow.reference.models import Region

NAV = "programmes"

# The actions of workflow.APPOINTMENT taken with a plain POST (start has its own form).
TRANSITIONS = ("accept", "decline", "consent", "refuse", "withdraw", "end", "terminate")


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _not_found() -> Http404:
    return Http404(_("No such record, or you may not see it."))


def _office_or_organisation(user) -> bool:
    return permissions.is_office_user(user) or bool(permissions.organisation_ids(user))


def _request_for(user, pk: int) -> AppointmentRequest:
    found = (
        selectors.requests_for(user)
        .select_related("host", "region", "need", "industry", "created_by")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise _not_found()
    return found


def _appointment_for(user, pk: int) -> Appointment:
    found = (
        selectors.appointments_for(user)
        .select_related(
            "host", "region", "appointee", "employer", "request", "renewed_from", "proposed_by"
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise _not_found()
    return found


# Requests ------------------------------------------------------------------------------------


def _requests(user) -> QuerySet[AppointmentRequest]:
    return selectors.requests_for(user).select_related("host", "region")


@login_required
@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """The office: its regions' requests; an organisation: its own."""
    user = request.user
    _require(_office_or_organisation(user))
    visible = _requests(user)
    form = RequestFilterForm(request.GET or None, queryset=visible)
    page_obj = _paginate(request, form.apply(visible))
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "requests": page_obj.object_list,
        "filter_form": form,
        "filtered": any(request.GET.get(k) for k in form.fields),
        "query": _query_without_page(request),
        "can_create": request_hosts(user).exists(),
    }
    return _render_list(
        request,
        template="programmes/appointments/request_list.html",
        partial="programmes/appointments/_request_results.html",
        context=context,
    )


REQUEST_COLUMNS = (
    ("系统编号", 10),
    ("类别", 24),
    ("用人单位", 32),
    ("地区", 14),
    ("需求名称", 32),
    ("领域", 20),
    ("状态", 10),
    ("提出日期", 12),
    ("推荐人选数", 10),
)


@login_required
@require_GET
def request_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    user = request.user
    _require(_office_or_organisation(user))
    visible = _requests(user)
    form = RequestFilterForm(request.GET or None, queryset=visible)
    qs = form.apply(visible).annotate(proposed=Count("appointments"))
    rows = (
        [
            r.pk,
            r.get_kind_display(),
            r.host.name,
            r.region.name,
            r.title,
            r.field,
            r.get_status_display(),
            timezone.localdate(r.created_at),
            r.proposed,
        ]
        for r in qs.iterator(chunk_size=500)
    )
    return _export(
        fmt=fmt,
        title="聘任需求",
        filename="appointment-requests",
        columns=REQUEST_COLUMNS,
        rows=rows,
    )


@login_required
@require_http_methods(["GET", "POST"])
def request_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(_office_or_organisation(user))
    form = RequestForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_create(actor=user, **form.service_data())
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The request is filed with the talent office."))
            return redirect(created)
    return render(
        request, "programmes/appointments/request_form.html", {"nav_active": NAV, "form": form}
    )


def _candidates(user, record: AppointmentRequest) -> tuple[list[dict[str, Any]], str]:
    """The engine's ranked experts with their reasons, or why there are none to show."""
    if record.status != RequestStatus.OPEN:
        return [], ""
    try:
        matches = selectors.candidates_for_request(user=user, request=record, top=20)
    except ValidationError as error:
        return [], " ".join(error.messages)
    return [{"match": m, "reasons": reason_rows(m.reasons)} for m in matches], ""


@login_required
@require_GET
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    record = _request_for(user, pk)
    return _render_request(request, record)


def _render_request(
    request: HttpRequest,
    record: AppointmentRequest,
    *,
    propose_form: ProposeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    user = request.user
    parties = permissions.request_parties(user, record)
    is_office = Party.OFFICE in parties
    candidates, candidates_error = _candidates(user, record) if is_office else ([], "")
    proposals = (
        selectors.appointments_for(user)
        .filter(request=record)
        .select_related("appointee", "employer")
        .order_by("created_at", "id")
    )
    context = {
        "nav_active": NAV,
        "record": record,
        "is_office": is_office,
        "can_withdraw": bool(parties) and record.status == RequestStatus.OPEN,
        "can_propose": is_office and record.status == RequestStatus.OPEN,
        "candidates": candidates,
        "candidates_error": candidates_error,
        "proposals": proposals,
        "propose_form": propose_form or ProposeForm(),
        "withdraw_form": ReasonForm(),
        "disciplines": list(record.disciplines.all()),
        "targets": list(record.target_organisations.all()),
    }
    return render(request, "programmes/appointments/request_detail.html", context, status=status)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    record = _request_for(user, pk)
    _require(bool(permissions.request_parties(user, record)))
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        services.request_withdraw(actor=user, request=record, reason=reason)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The request is withdrawn."))
    return redirect(record)


@login_required
@require_POST
def request_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """The office proposes a candidate (from the engine's list) for the request."""
    from talentflow.directory.models import TalentProfile

    user = request.user
    record = _request_for(user, pk)
    _require(Party.OFFICE in permissions.request_parties(user, record))
    form = ProposeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the candidate and the level."))
        return redirect(record)
    appointee = TalentProfile.objects.filter(pk=form.cleaned_data["talent"]).first()
    if appointee is None:
        messages.error(request, _("Unknown talent."))
        return redirect(record)
    try:
        proposed = services.appointment_propose(
            actor=user,
            appointee=appointee,
            request=record,
            level=form.cleaned_data["level"],
            proposal_note=form.cleaned_data.get("proposal_note") or "",
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(record)
    messages.success(
        request,
        _("%(name)s is proposed: the candidate is asked to accept.") % {"name": appointee.name},
    )
    return redirect(proposed)


# Appointments --------------------------------------------------------------------------------


def _appointments(user) -> QuerySet[Appointment]:
    return selectors.appointments_for(user).select_related("host", "region", "appointee")


@login_required
@require_GET
def appointment_list(request: HttpRequest) -> HttpResponse:
    """The office: its regions' appointments; hosts, employers and appointees: theirs."""
    user = request.user
    visible = _appointments(user)
    form = AppointmentFilterForm(request.GET or None, queryset=visible)
    page_obj = _paginate(request, form.apply(visible))
    context = {
        "nav_active": NAV,
        "page_obj": page_obj,
        "appointments": page_obj.object_list,
        "filter_form": form,
        "filtered": any(request.GET.get(k) for k in form.fields),
        "query": _query_without_page(request),
        "is_office": permissions.is_office_user(user),
    }
    return _render_list(
        request,
        template="programmes/appointments/appointment_list.html",
        partial="programmes/appointments/_appointment_results.html",
        context=context,
    )


APPOINTMENT_COLUMNS = (
    ("系统编号", 10),
    ("聘书编号", 24),
    ("类别", 24),
    ("级别", 10),
    ("受聘人", 14),
    ("用人单位", 32),
    ("派出单位", 32),
    ("地区", 14),
    ("聘期起", 12),
    ("聘期止", 12),
    ("每月工作天数", 12),
    ("年薪（元）", 14),
    ("状态", 16),
)


@login_required
@require_GET
def appointment_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in FORMATS:
        raise Http404
    user = request.user
    visible = _appointments(user).select_related("employer")
    form = AppointmentFilterForm(request.GET or None, queryset=visible)
    rows = (
        [
            a.pk,
            a.letter_number or "",
            a.get_kind_display(),
            a.get_level_display(),
            a.appointee.name,
            a.host.name,
            a.employer.name if a.employer_id else "",
            a.region.name,
            a.term_start,
            a.term_end,
            a.days_per_month,
            a.annual_salary,
            a.get_status_display(),
        ]
        for a in form.apply(visible).iterator(chunk_size=500)
    )
    return _export(
        fmt=fmt,
        title="人才聘任",
        filename="appointments",
        columns=APPOINTMENT_COLUMNS,
        rows=rows,
    )


def _render_appointment(
    request: HttpRequest, appointment: Appointment, *, status: int = 200, **forms: Any
) -> HttpResponse:
    user = request.user
    parties = permissions.appointment_parties(user, appointment)
    found = [str(a) for a in selectors.appointment_actions(user, appointment)]
    actions = [a for a in found if a in TRANSITIONS]
    today = timezone.localdate()
    start_initial = {
        "term_start": today,
        "term_end": today.replace(year=today.year + 3)
        if not (today.month == 2 and today.day == 29)
        else today.replace(year=today.year + 3, day=28),
    }
    labels = _action_labels()
    renewal = Appointment.objects.filter(renewed_from=appointment).first()
    context = {
        "nav_active": NAV,
        "appointment": appointment,
        "parties": sorted(str(p) for p in parties),
        "is_office": Party.OFFICE in parties,
        "actions": [
            {
                "name": str(a),
                "needs_reason": Action(str(a)) in NEEDS_REASON,
                "label": labels.get(str(a), str(a)),
            }
            for a in actions
        ],
        "can_start": "start" in found,
        "can_renew": "renew" in found,
        "can_log": "worklog" in found,
        "can_review": "review" in found,
        "can_apply_subsidy": "subsidy" in found,
        "can_letter": "letter" in found,
        "start_form": forms.get("start_form") or StartForm(initial=start_initial),
        "renew_form": forms.get("renew_form") or RenewForm(),
        "log_form": forms.get("log_form") or WorkLogForm(),
        "review_form": forms.get("review_form") or ReviewForm(),
        "logs": appointment.logs.select_related("engagement", "recorded_by"),
        "reviews": appointment.reviews.select_related("reviewed_by"),
        "joint_labs": appointment.joint_labs.select_related("enterprise", "institution"),
        "renewal": renewal,
        "subsidy": appointment.subsidy_application if appointment.subsidy_application_id else None,
    }
    return render(
        request, "programmes/appointments/appointment_detail.html", context, status=status
    )


def _action_labels() -> dict[str, str]:
    return {
        "accept": _("Accept the appointment"),
        "decline": _("Decline"),
        "consent": _("Consent as the employer"),
        "refuse": _("Refuse consent"),
        "withdraw": _("Withdraw the proposal"),
        "end": _("End the appointment"),
        "terminate": _("Terminate early"),
    }


@login_required
@require_GET
def appointment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_appointment(request, _appointment_for(request.user, pk))


@login_required
@require_POST
def appointment_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = request.user
    appointment = _appointment_for(user, pk)
    if action not in TRANSITIONS:
        raise Http404
    # A party may take an action only if it is theirs at all (else 403).
    whose = set().union(*(who for (a, _s), (_t, who) in APPOINTMENT.items() if a == action))
    _require(bool(permissions.appointment_parties(user, appointment) & whose))
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    try:
        services.appointment_transition(
            actor=user, appointment=appointment, action=action, reason=reason
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("Done: %(action)s.") % {"action": _action_labels().get(action, action)}
        )
    return redirect(appointment)


def _on_detail_form(
    request: HttpRequest, appointment: Appointment, form, form_name: str, call, success: str
) -> HttpResponse:
    """Validate ``form``, call the service; on an error show the detail page with the form."""
    if form.is_valid():
        try:
            result = call(form.cleaned_data)
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(result if isinstance(result, Appointment) else appointment)
    return _render_appointment(request, appointment, status=422, **{form_name: form})


@login_required
@require_POST
def appointment_start(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    appointment = _appointment_for(user, pk)
    _require(bool(permissions.appointment_parties(user, appointment) & {Party.HOST, Party.OFFICE}))
    return _on_detail_form(
        request,
        appointment,
        StartForm(request.POST),
        "start_form",
        lambda d: services.appointment_start(
            actor=user,
            appointment=appointment,
            term_start=d["term_start"],
            term_end=d["term_end"],
            duties=d["duties"],
            days_per_month=d["days_per_month"],
            annual_salary=d.get("annual_salary"),
        ),
        _("The appointment has started: the letter of appointment (聘书) is ready."),
    )


@login_required
@require_POST
def appointment_renew(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    appointment = _appointment_for(user, pk)
    _require(bool(permissions.appointment_parties(user, appointment) & {Party.HOST, Party.OFFICE}))
    return _on_detail_form(
        request,
        appointment,
        RenewForm(request.POST),
        "renew_form",
        lambda d: services.appointment_renew(
            actor=user,
            appointment=appointment,
            term_end=d["term_end"],
            duties=d.get("duties") or None,
            days_per_month=d.get("days_per_month"),
            annual_salary=d.get("annual_salary"),
        ),
        _("The appointment is renewed: a new term and letter number."),
    )


@login_required
@require_POST
def worklog_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    appointment = _appointment_for(user, pk)
    _require(
        bool(permissions.appointment_parties(user, appointment) & {Party.APPOINTEE, Party.OFFICE})
    )
    return _on_detail_form(
        request,
        appointment,
        WorkLogForm(request.POST),
        "log_form",
        lambda d: services.worklog_add(
            actor=user,
            appointment=appointment,
            date=d["date"],
            kind=d["kind"],
            days=d["days"],
            summary=d["summary"],
        ),
        _("The work is logged."),
    )


@login_required
@require_POST
def review_add(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    appointment = _appointment_for(user, pk)
    _require(Party.HOST in permissions.appointment_parties(user, appointment))
    return _on_detail_form(
        request,
        appointment,
        ReviewForm(request.POST),
        "review_form",
        lambda d: services.review_add(
            actor=user,
            appointment=appointment,
            period_start=d["period_start"],
            period_end=d["period_end"],
            rating=d["rating"],
            comments=d.get("comments") or "",
        ),
        _("The review of the period is recorded."),
    )


@login_required
@require_POST
def subsidy_apply(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    appointment = _appointment_for(user, pk)
    _require(bool(permissions.appointment_parties(user, appointment) & {Party.HOST, Party.OFFICE}))
    try:
        application = services.subsidy_apply(actor=user, appointment=appointment)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(appointment)
    messages.success(
        request,
        _("The subsidy application is drafted: add the evidence and submit it."),
    )
    return redirect(reverse("rules:application_detail", args=[application.pk]))


@login_required
@require_GET
def appointment_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The 聘书 as PDF: for the parties and the office, once the appointment has started."""
    from talentflow.programmes.letters import render_letter

    user = request.user
    appointment = _appointment_for(user, pk)
    _require(bool(permissions.appointment_parties(user, appointment)))
    if not appointment.letter_number:
        raise _not_found()
    try:
        content = render_letter(appointment)
    except ValueError as error:
        raise _not_found() from error
    response = HttpResponse(content, content_type="application/pdf")
    name = f"聘书-{appointment.letter_number}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


# Joint laboratories --------------------------------------------------------------------------


@login_required
@require_GET
def joint_lab_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(_office_or_organisation(user))
    qs = selectors.joint_labs_for(user)
    q = (request.GET.get("q") or "").strip()
    if q:
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(enterprise__name__icontains=q)
            | Q(institution__name__icontains=q)
        )
    page_obj = _paginate(request, qs)
    return render(
        request,
        "programmes/appointments/joint_lab_list.html",
        {
            "nav_active": NAV,
            "page_obj": page_obj,
            "labs": page_obj.object_list,
            "q": q,
            "query": _query_without_page(request),
            "can_create": permissions.is_office_user(user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def joint_lab_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(permissions.is_office_user(user))
    appointments = _appointments(user).filter(status__in=("active", "ended", "terminated"))
    initial = {}
    if request.GET.get("appointment", "").isdigit():
        initial["appointment"] = int(request.GET["appointment"])
    form = JointLabForm(request.POST or None, user=user, appointments=appointments, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.joint_lab_create(
                actor=user,
                name=data["name"],
                enterprise=data["enterprise"],
                institution=data["institution"],
                established_on=data["established_on"],
                appointment=data.get("appointment"),
                description=data.get("description") or "",
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The joint laboratory is recorded."))
            return redirect("programmes:joint_lab_list")
    return render(
        request, "programmes/appointments/joint_lab_form.html", {"nav_active": NAV, "form": form}
    )


# Figures per region --------------------------------------------------------------------------

STAT_KEYS = (
    "vice_presidents",
    "industry_professors",
    "partners",
    "mutual_hiring",
    "active",
    "collaborations",
    "joint_labs",
)


def _stat_labels() -> dict[str, str]:
    return {
        "vice_presidents": _("Technology vice presidents (科技副总)"),
        "industry_professors": _("Industry professors (产业教授)"),
        "partners": _("Partners (合伙人)"),
        "mutual_hiring": _("Mutual hiring (互聘共享)"),
        "active": _("In office now"),
        "collaborations": _("Collaborations"),
        "joint_labs": _("Joint laboratories"),
    }


def _region_of(row: dict[str, Any]) -> tuple[str, str]:
    """(code, name) of a stats row, whatever form its region takes."""
    region = row.get("region")
    if isinstance(region, Region):
        return region.code, region.name
    code = str(region or row.get("region_code") or row.get("code") or "")
    name = row.get("region_name") or row.get("name")
    if not name:
        found = Region.objects.filter(code=code).first()
        name = found.name if found else code
    return code, str(name)


@login_required
@require_GET
def stats(request: HttpRequest) -> HttpResponse:
    user = request.user
    _require(permissions.is_office_user(user))
    prefix = (request.GET.get("region") or "").strip()[:6] or None
    rows = []
    for row in selectors.region_stats(user, region_prefix=prefix):
        code, name = _region_of(row)
        rows.append({"code": code, "name": name, "values": [row.get(k, 0) for k in STAT_KEYS]})
    labels = _stat_labels()
    chart = {
        "regions": [r["name"] for r in rows],
        "series": [
            {"name": labels[k], "values": [r["values"][i] for r in rows]}
            for i, k in enumerate(STAT_KEYS)
            if k not in ("active", "collaborations", "joint_labs")
        ],
    }
    return render(
        request,
        "programmes/appointments/stats.html",
        {
            "nav_active": NAV,
            "headers": [labels[k] for k in STAT_KEYS],
            "rows": rows,
            "chart": json.loads(json.dumps(chart, default=str)) if rows else None,
            "prefix": prefix or "",
        },
    )
