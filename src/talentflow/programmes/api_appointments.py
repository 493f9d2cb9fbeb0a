"""Appointments over the API (``/api/programmes``): requests and the office's candidates,
proposals, the appointment lifecycle (accept, decline, consent, refuse, withdraw, start, end,
terminate, renew), the work log, period reviews, the 聘书 as PDF and the figures per region.

The same selectors decide what a caller sees (404 otherwise) and the same services who may
change what (403) and when (422). References in bodies: organisations, needs and talents by id,
industries by GB/T 4754 code, disciplines by code. Money is an exact decimal string.
"""

# No "from __future__ import annotations" here: ninja reads these annotations at import.
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from talentflow.directory.models import Organisation, TalentProfile
from talentflow.directory.selectors import organisation_visible
from talentflow.needs.schemas import ExactDecimal, decimal_text
from talentflow.programmes import permissions
from talentflow.programmes import selectors_appointments as selectors
from talentflow.programmes import services_appointments as services
from talentflow.programmes.forms_appointments import target_choices
from talentflow.programmes.models import (
    Appointment,
    AppointmentKind,
    AppointmentLevel,
    AppointmentRequest,
    PeriodReview,
    ReviewRating,
    WorkLog,
    WorkLogKind,
)
from talentflow.programmes.workflow import Party

router = Router(tags=["programmes"])

PAGE_SIZE = settings.TALENTFLOW_PAGE_SIZE
MAX_PAGE_SIZE = 100
TRANSITIONS = ("accept", "decline", "consent", "refuse", "withdraw", "end", "terminate")


# Schemas -----------------------------------------------------------------------------------------


class RequestOut(Schema):
    id: int
    kind: str
    host: int = Field(..., alias="host_id")
    host_name: str = Field(..., alias="host.name")
    region: str = Field(..., alias="region_id")
    title: str
    description: str
    need: int | None = Field(None, alias="need_id")
    field: str
    industry: str | None = Field(None, alias="industry_id")
    disciplines: list[str]
    target_organisations: list[int]
    status: str
    created_at: dt.datetime

    @staticmethod
    def resolve_disciplines(obj: AppointmentRequest) -> list[str]:
        return sorted(d.code for d in obj.disciplines.all())

    @staticmethod
    def resolve_target_organisations(obj: AppointmentRequest) -> list[int]:
        return sorted(o.pk for o in obj.target_organisations.all())


class RequestIn(Schema):
    kind: AppointmentKind
    host: int
    title: str
    description: str
    need: int | None = None
    field: str = ""
    industry: str | None = Field(None, description="GB/T 4754 code")
    disciplines: list[str] = Field(default_factory=list, description="Discipline codes")
    target_organisations: list[int] = Field(default_factory=list)


class RequestQuery(Schema):
    q: str = ""
    kind: str = ""
    status: str = ""
    region: str = ""


class ReasonIn(Schema):
    reason: str = ""


class ReasonItemOut(Schema):
    code: str
    score: float
    evidence: list[str]


class CandidateOut(Schema):
    talent: int
    name: str
    institution: str | None
    score: float
    reasons: list[ReasonItemOut]


class ProposalIn(Schema):
    talent: int
    level: AppointmentLevel = AppointmentLevel.COUNTY
    proposal_note: str = ""


class AppointmentOut(Schema):
    id: int
    request: int | None = Field(None, alias="request_id")
    kind: str
    level: str
    host: int = Field(..., alias="host_id")
    host_name: str = Field(..., alias="host.name")
    region: str = Field(..., alias="region_id")
    appointee: int = Field(..., alias="appointee_id")
    appointee_name: str = Field(..., alias="appointee.name")
    employer: int | None = Field(None, alias="employer_id")
    status: str
    term_start: dt.date | None
    term_end: dt.date | None
    duties: str
    days_per_month: int | None
    annual_salary: str | None = Field(description="Yuan, exact decimal")
    proposal_note: str
    decision_note: str
    ended_on: dt.date | None
    renewed_from: int | None = Field(None, alias="renewed_from_id")
    letter_number: str | None
    subsidy_application: int | None = Field(None, alias="subsidy_application_id")
    allowed_actions: list[str] = Field(
        default_factory=list,
        description="accept, decline, consent, refuse, withdraw, end, terminate "
        "(POST …/actions) as the caller may now; in the detail only",
    )

    @staticmethod
    def resolve_annual_salary(obj: Appointment) -> str | None:
        return decimal_text(obj.annual_salary)

    @staticmethod
    def resolve_allowed_actions(obj: Appointment) -> list[str]:
        return list(getattr(obj, "allowed_actions", []))


class AppointmentQuery(Schema):
    q: str = ""
    kind: str = ""
    status: str = ""
    level: str = ""
    region: str = ""
    appointee: int | None = None
    host: int | None = None


class ActionIn(Schema):
    action: str = Field(description="accept, decline, consent, refuse, withdraw, end, terminate")
    reason: str = ""


class StartIn(Schema):
    term_start: dt.date
    term_end: dt.date
    duties: str
    days_per_month: int = Field(..., ge=1, le=31)
    annual_salary: ExactDecimal | None = None


class RenewIn(Schema):
    term_end: dt.date
    duties: str | None = None
    days_per_month: int | None = Field(None, ge=1, le=31)
    annual_salary: ExactDecimal | None = None


class WorkLogOut(Schema):
    id: int
    appointment: int = Field(..., alias="appointment_id")
    date: dt.date
    kind: str
    days: str = Field(description="Exact decimal, e.g. 1.5")
    summary: str
    engagement: int | None = Field(None, alias="engagement_id")

    @staticmethod
    def resolve_days(obj: WorkLog) -> str:
        return decimal_text(obj.days)


class WorkLogIn(Schema):
    date: dt.date
    kind: WorkLogKind
    days: ExactDecimal = Decimal("1")
    summary: str
    engagement: int | None = None


class ReviewOut(Schema):
    id: int
    appointment: int = Field(..., alias="appointment_id")
    period_start: dt.date
    period_end: dt.date
    rating: str
    comments: str


class ReviewIn(Schema):
    period_start: dt.date
    period_end: dt.date
    rating: ReviewRating
    comments: str = ""


class StatsOut(Schema):
    region: str
    region_name: str
    vice_presidents: int
    industry_professors: int
    partners: int
    mutual_hiring: int
    active: int
    collaborations: int
    joint_labs: int


# Helpers ----------------------------------------------------------------------------------------


def _invalid(field: str, message: str):
    raise ValidationError({field: [message]})


def _request(user, pk: int) -> AppointmentRequest:
    found = selectors.requests_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _appointment(user, pk: int) -> Appointment:
    found = (
        selectors.appointments_for(user)
        .select_related("host", "appointee", "employer", "region")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    return found


def _detail(user, pk: int) -> Appointment:
    appointment = _appointment(user, pk)
    appointment.allowed_actions = [
        str(a) for a in selectors.appointment_actions(user, appointment) if str(a) in TRANSITIONS
    ]
    return appointment


def _organisation(user, field: str, pk: int) -> Organisation:
    found = organisation_visible(user=user).filter(pk=pk).first()
    if found is None:
        _invalid(field, _("Unknown organisation: %(id)s.") % {"id": pk})
    return found


def _require_parties(user, appointment: Appointment, wanted: set[Party]) -> None:
    if not permissions.appointment_parties(user, appointment) & wanted:
        raise PermissionDenied(_("You may not do this."))


# Requests ---------------------------------------------------------------------------------------


@router.get(
    "/requests",
    response=list[RequestOut],
    url_name="programmes_request_list",
    summary="List appointment requests",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def request_list(request: HttpRequest, filters: Query[RequestQuery]):
    """The office: its regions' requests; an organisation: its own."""
    from django.db.models import Q

    qs = (
        selectors.requests_for(request.auth)
        .select_related("host")
        .prefetch_related("disciplines", "target_organisations")
    )
    if filters.q.strip():
        q = filters.q.strip()
        qs = qs.filter(Q(title__icontains=q) | Q(host__name__icontains=q) | Q(field__icontains=q))
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.region.strip():
        qs = qs.filter(region__code__startswith=filters.region.strip())
    return qs


@router.post(
    "/requests",
    response={201: RequestOut},
    url_name="programmes_request_create",
    summary="File an appointment request (科技副总, 产业教授, 合伙人, 互聘共享)",
)
def request_create(request: HttpRequest, payload: RequestIn):
    from talentflow.needs.selectors import need_visible
    from talentflow.reference.models import Discipline, Industry

    user = request.auth
    host = _organisation(user, "host", payload.host)
    need = None
    if payload.need is not None:
        need = need_visible(user=user).filter(pk=payload.need).first()
        if need is None:
            _invalid("need", _("Unknown need: %(id)s.") % {"id": payload.need})
    industry = None
    if payload.industry:
        industry = Industry.objects.filter(code=payload.industry.strip()).first()
        if industry is None:
            _invalid("industry", _("Unknown industry code: %(code)s.") % {"code": payload.industry})
    disciplines = []
    for i, code in enumerate(payload.disciplines):
        found = Discipline.objects.filter(code=code.strip()).order_by("scheme").first()
        if found is None:
            _invalid(f"disciplines.{i}", _("Unknown discipline code: %(code)s.") % {"code": code})
        disciplines.append(found)
    choices = target_choices(user)
    targets = []
    for i, pk in enumerate(payload.target_organisations):
        found = choices.filter(pk=pk).first()
        if found is None:
            _invalid(f"target_organisations.{i}", _("Unknown organisation: %(id)s.") % {"id": pk})
        targets.append(found)
    created = services.request_create(
        actor=user,
        kind=payload.kind.value,
        host=host,
        title=payload.title,
        description=payload.description,
        need=need,
        field=payload.field,
        industry=industry,
        disciplines=disciplines,
        target_organisations=targets,
    )
    return _request(user, created.pk)


@router.get(
    "/requests/{int:request_id}",
    response=RequestOut,
    url_name="programmes_request_detail",
    summary="One appointment request",
)
def request_detail(request: HttpRequest, request_id: int):
    return _request(request.auth, request_id)


@router.get(
    "/requests/{int:request_id}/candidates",
    response=list[CandidateOut],
    url_name="programmes_request_candidates",
    summary="The matching engine's candidates for a request, explained (the office)",
)
def request_candidates(request: HttpRequest, request_id: int, top: int = 20) -> list[dict]:
    user = request.auth
    record = _request(user, request_id)
    if Party.OFFICE not in permissions.request_parties(user, record):
        raise PermissionDenied(_("Only the talent office sees the candidates."))
    matches = selectors.candidates_for_request(user=user, request=record, top=min(max(top, 1), 50))
    return [
        {
            "talent": m.talent.pk,
            "name": m.talent.name,
            "institution": m.institution.name if m.institution else None,
            "score": m.score,
            "reasons": [
                {"code": r.code, "score": r.score, "evidence": list(r.evidence)} for r in m.reasons
            ],
        }
        for m in matches
    ]


@router.post(
    "/requests/{int:request_id}/proposals",
    response={201: AppointmentOut},
    url_name="programmes_request_propose",
    summary="Propose a candidate for a request (the office)",
)
def request_propose(request: HttpRequest, request_id: int, payload: ProposalIn):
    user = request.auth
    record = _request(user, request_id)
    appointee = TalentProfile.objects.filter(pk=payload.talent).first()
    if appointee is None:
        _invalid("talent", _("Unknown talent: %(id)s.") % {"id": payload.talent})
    proposed = services.appointment_propose(
        actor=user,
        appointee=appointee,
        request=record,
        level=payload.level.value,
        proposal_note=payload.proposal_note,
    )
    return _detail(user, proposed.pk)


# Appointments -----------------------------------------------------------------------------------


@router.get(
    "/appointments",
    response=list[AppointmentOut],
    url_name="programmes_appointment_list",
    summary="List appointments",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def appointment_list(request: HttpRequest, filters: Query[AppointmentQuery]):
    """The office: its regions'; hosts, employers and appointees: theirs."""
    from django.db.models import Q

    qs = selectors.appointments_for(request.auth).select_related("host", "appointee")
    if filters.q.strip():
        q = filters.q.strip()
        qs = qs.filter(
            Q(appointee__name__icontains=q)
            | Q(host__name__icontains=q)
            | Q(letter_number__icontains=q)
        )
    for name in ("kind", "status", "level"):
        value = getattr(filters, name)
        if value:
            qs = qs.filter(**{name: value})
    if filters.region.strip():
        qs = qs.filter(region__code__startswith=filters.region.strip())
    if filters.appointee is not None:
        qs = qs.filter(appointee_id=filters.appointee)
    if filters.host is not None:
        qs = qs.filter(host_id=filters.host)
    return qs


@router.get(
    "/appointments/{int:appointment_id}",
    response=AppointmentOut,
    url_name="programmes_appointment_detail",
    summary="One appointment, with the actions the caller may take",
)
def appointment_detail(request: HttpRequest, appointment_id: int):
    return _detail(request.auth, appointment_id)


@router.post(
    "/appointments/{int:appointment_id}/actions",
    response=AppointmentOut,
    url_name="programmes_appointment_action",
    summary="Accept, decline, consent, refuse, withdraw, end or terminate",
)
def appointment_action(request: HttpRequest, appointment_id: int, payload: ActionIn):
    """``decline``, ``refuse``, ``withdraw`` and ``terminate`` need a ``reason``."""
    user = request.auth
    appointment = _appointment(user, appointment_id)
    if payload.action not in TRANSITIONS:
        _invalid("action", _("Unknown action: %(action)s.") % {"action": payload.action})
    services.appointment_transition(
        actor=user, appointment=appointment, action=payload.action, reason=payload.reason
    )
    return _detail(user, appointment_id)


@router.post(
    "/appointments/{int:appointment_id}/start",
    response=AppointmentOut,
    url_name="programmes_appointment_start",
    summary="Start a consented appointment: term, duties, days, salary (the host or office)",
)
def appointment_start(request: HttpRequest, appointment_id: int, payload: StartIn):
    user = request.auth
    appointment = _appointment(user, appointment_id)
    services.appointment_start(
        actor=user,
        appointment=appointment,
        term_start=payload.term_start,
        term_end=payload.term_end,
        duties=payload.duties,
        days_per_month=payload.days_per_month,
        annual_salary=payload.annual_salary,
    )
    return _detail(user, appointment_id)


@router.post(
    "/appointments/{int:appointment_id}/renew",
    response={201: AppointmentOut},
    url_name="programmes_appointment_renew",
    summary="Renew an active appointment: the new appointment",
)
def appointment_renew(request: HttpRequest, appointment_id: int, payload: RenewIn):
    user = request.auth
    appointment = _appointment(user, appointment_id)
    renewed = services.appointment_renew(
        actor=user,
        appointment=appointment,
        term_end=payload.term_end,
        duties=payload.duties,
        days_per_month=payload.days_per_month,
        annual_salary=payload.annual_salary,
    )
    return _detail(user, renewed.pk)


@router.get(
    "/appointments/{int:appointment_id}/logs",
    response=list[WorkLogOut],
    url_name="programmes_worklog_list",
    summary="An appointment's work log",
)
def worklog_list(request: HttpRequest, appointment_id: int):
    return list(_appointment(request.auth, appointment_id).logs.all())


@router.post(
    "/appointments/{int:appointment_id}/logs",
    response={201: WorkLogOut},
    url_name="programmes_worklog_add",
    summary="Log a day of work (the appointee or the office)",
)
def worklog_add(request: HttpRequest, appointment_id: int, payload: WorkLogIn) -> WorkLog:
    user = request.auth
    appointment = _appointment(user, appointment_id)
    engagement = None
    if payload.engagement is not None:
        from talentflow.needs.models import Engagement

        engagement = Engagement.objects.filter(pk=payload.engagement).first()
        if engagement is None:
            _invalid("engagement", _("Unknown engagement: %(id)s.") % {"id": payload.engagement})
    return services.worklog_add(
        actor=user,
        appointment=appointment,
        date=payload.date,
        kind=payload.kind.value,
        days=payload.days,
        summary=payload.summary,
        engagement=engagement,
    )


@router.post(
    "/appointments/{int:appointment_id}/reviews",
    response={201: ReviewOut},
    url_name="programmes_review_add",
    summary="Review a period of the term (the host)",
)
def review_add(request: HttpRequest, appointment_id: int, payload: ReviewIn) -> PeriodReview:
    user = request.auth
    appointment = _appointment(user, appointment_id)
    return services.review_add(
        actor=user,
        appointment=appointment,
        period_start=payload.period_start,
        period_end=payload.period_end,
        rating=payload.rating.value,
        comments=payload.comments,
    )


@router.get(
    "/appointments/{int:appointment_id}/letter.pdf",
    response={200: None},
    url_name="programmes_appointment_letter",
    summary="The letter of appointment (聘书) as PDF, once started",
)
def appointment_letter(request: HttpRequest, appointment_id: int):
    from talentflow.programmes.letters import render_letter

    user = request.auth
    appointment = _appointment(user, appointment_id)
    _require_parties(user, appointment, set(Party))
    if not appointment.letter_number:
        raise Http404
    try:
        content = render_letter(appointment)
    except ValueError as error:
        raise Http404 from error
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"聘书-{appointment.letter_number}.pdf"
    )
    return response


# Figures ----------------------------------------------------------------------------------------


@router.get(
    "/stats",
    response=list[StatsOut],
    url_name="programmes_stats",
    summary="Appointments, collaborations and joint labs per region (the office)",
)
def stats(request: HttpRequest, region: str = "") -> list[dict]:
    from talentflow.reference.models import Region

    user = request.auth
    if not permissions.is_office_user(user):
        raise PermissionDenied(_("Only the talent office sees the figures."))
    rows = []
    for row in selectors.region_stats(user, region_prefix=region.strip()[:6] or None):
        found = row.get("region")
        if isinstance(found, Region):
            code, name = found.code, found.name
        else:
            code = str(found or row.get("region_code") or row.get("code") or "")
            name = row.get("region_name") or row.get("name")
            if not name:
                match = Region.objects.filter(code=code).first()
                name = match.name if match else code
        rows.append(
            {
                "region": code,
                "region_name": str(name),
                **{
                    k: int(row.get(k) or 0)
                    for k in (
                        "vice_presidents",
                        "industry_professors",
                        "partners",
                        "mutual_hiring",
                        "active",
                        "collaborations",
                        "joint_labs",
                    )
                },
            }
        )
    return rows
