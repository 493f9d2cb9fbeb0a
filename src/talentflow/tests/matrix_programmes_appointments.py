"""Role-matrix rows for the programmes app (appointments): pages and API.

The records live in 嘉善: 福莱 (``enterprise_user``) asks for a 科技副总; 嘉善's office proposes
谭刚 (``talent_user``, employed by 浙江大学, which has no user in the cast: its consent is given
by a system task). So ``admin`` and ``officer_jiashan`` are the office, ``enterprise_user`` the
host, ``talent_user`` the appointee; the other officers are another region's.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from talentflow.tests.cast import Cast
from talentflow.tests.matrix_base import (
    ADMIN_AND_OFFICERS,
    Row,
    api_by_set,
    api_statuses,
    by_set,
    statuses,
)
from talentflow.tests.matrix_needs import _once

OFFICE = {"admin", "officer_jiashan"}
HOST = "enterprise_user"
APPOINTEE = "talent_user"
ORGANISATION_USERS = {"enterprise_user", "enterprise_qingtian", "institution_user"}
OFFICE_OR_ORGANISATION = {*ADMIN_AND_OFFICERS, *ORGANISATION_USERS}
SEE_REQUEST = {*OFFICE, HOST}
SEE_APPOINTMENT = {*OFFICE, HOST, APPOINTEE}
SEE_FULAI = {"admin", "officer_jiashan", "enterprise_user", "talent_user"}
REQUEST_TITLE = "矩阵测试科技副总需求"
SYSTEM = "matrix"


def _today() -> dt.date:
    return timezone.localdate()


def request(c: Cast) -> int:
    from talentflow.programmes import services_appointments as services

    def build():
        return services.request_create(
            actor=c.enterprise_user,
            kind="vice_president",
            host=c.orgs["fulai"],
            title=REQUEST_TITLE,
            description="主持功能膜材料研发，解决BOPP薄膜涂布缺陷。",
            field="功能膜材料",
        )

    return _once(c, "appointments:request", build).pk


def appointment(c: Cast, state: str = "active") -> int:
    """谭刚 proposed for 福莱's request, and taken on to ``state`` (proposed, consented,
    active)."""
    from talentflow.programmes import services_appointments as services
    from talentflow.programmes.models import AppointmentRequest

    def build():
        proposed = services.appointment_propose(
            actor=c.officer_jiashan,
            appointee=c.talents["tangang"],
            request=AppointmentRequest.objects.get(pk=request(c)),
            level="county",
        )
        if state == "proposed":
            return proposed
        services.appointment_transition(actor=c.talent_user, appointment=proposed, action="accept")
        proposed.refresh_from_db()
        if proposed.status == "accepted":
            services.appointment_transition(
                actor=None, system_label=SYSTEM, appointment=proposed, action="consent"
            )
        if state == "consented":
            return proposed
        return services.appointment_start(
            actor=c.enterprise_user,
            appointment=proposed,
            term_start=_today() - dt.timedelta(days=30),
            term_end=_today() + dt.timedelta(days=3 * 365),
            duties="指导功能膜研发。",
            days_per_month=4,
            annual_salary=Decimal("450000.00"),
        )

    return _once(c, f"appointments:{state}", build).pk


def _page(name: str, *args):
    return reverse(f"programmes:{name}", args=list(args))


def _api(name: str, *args):
    return reverse(f"api:{name}", args=list(args))


def _start_body(c: Cast) -> dict:
    return {
        "term_start": _today().isoformat(),
        "term_end": (_today() + dt.timedelta(days=730)).isoformat(),
        "duties": "指导功能膜研发。",
        "days_per_month": 4,
        "annual_salary": "450000.00",
    }


def _log_body(c: Cast) -> dict:
    return {
        "date": (_today() - dt.timedelta(days=1)).isoformat(),
        "kind": "visit",
        "days": "1.5",
        "summary": "现场指导涂布工艺。",
    }


def _review_body(c: Cast) -> dict:
    return {
        "period_start": (_today() - dt.timedelta(days=30)).isoformat(),
        "period_end": (_today() - dt.timedelta(days=1)).isoformat(),
        "rating": "good",
        "comments": "按期到岗。",
    }


def _renew_body(c: Cast) -> dict:
    return {"term_end": (_today() + dt.timedelta(days=6 * 365)).isoformat()}


APPOINTMENT_ROWS: list[Row] = [
    # Requests
    Row(
        "programmes:request_list",
        "get",
        lambda c: request(c) and _page("request_list"),
        by_set(OFFICE_OR_ORGANISATION, 200, 403),
        marker=REQUEST_TITLE,
        marker_roles=SEE_REQUEST,
    ),
    Row(
        "programmes:request_create",
        "get",
        lambda c: _page("request_create"),
        by_set(OFFICE_OR_ORGANISATION, 200, 403),
    ),
    Row(
        "programmes:request_export",
        "get",
        lambda c: request(c) and reverse("programmes:request_export", kwargs={"fmt": "csv"}),
        by_set(OFFICE_OR_ORGANISATION, 200, 403),
        marker=REQUEST_TITLE,
        marker_roles=SEE_REQUEST,
    ),
    Row(
        "programmes:request_detail",
        "get",
        lambda c: _page("request_detail", request(c)),
        by_set(SEE_REQUEST, 200, 404),
        marker=REQUEST_TITLE,
        marker_roles=SEE_REQUEST,
    ),
    Row(
        "programmes:request_withdraw",
        "post",
        lambda c: _page("request_withdraw", request(c)),
        by_set(SEE_REQUEST, 302, 404),
        body=lambda c: {"reason": "矩阵测试"},
    ),
    Row(
        "programmes:request_propose",
        "post",
        lambda c: _page("request_propose", request(c)),
        {**by_set(SEE_REQUEST, 302, 404), HOST: 403},
        body=lambda c: {"talent": c.talents["tangang"].pk, "level": "county"},
    ),
    # Appointments
    Row(
        "programmes:appointment_list",
        "get",
        lambda c: appointment(c) and _page("appointment_list"),
        statuses(200),
        marker="浙江福莱新材料股份有限公司",
        marker_roles=SEE_APPOINTMENT,
    ),
    Row(
        "programmes:appointment_export",
        "get",
        lambda c: (
            appointment(c) and reverse("programmes:appointment_export", kwargs={"fmt": "csv"})
        ),
        statuses(200),
        marker="谭刚",
        marker_roles=SEE_APPOINTMENT,
    ),
    Row(
        "programmes:appointment_detail",
        "get",
        lambda c: _page("appointment_detail", appointment(c)),
        by_set(SEE_APPOINTMENT, 200, 404),
    ),
    Row(
        # Accepting is the appointee's alone.
        "programmes:appointment_action",
        "post",
        lambda c: _page("appointment_action", appointment(c, "proposed"), "accept"),
        {**by_set(SEE_APPOINTMENT, 403, 404), APPOINTEE: 302},
    ),
    Row(
        "programmes:appointment_start",
        "post",
        lambda c: _page("appointment_start", appointment(c, "consented")),
        {**by_set(SEE_APPOINTMENT, 302, 404), APPOINTEE: 403},
        body=_start_body,
    ),
    Row(
        "programmes:appointment_renew",
        "post",
        lambda c: _page("appointment_renew", appointment(c)),
        {**by_set(SEE_APPOINTMENT, 302, 404), APPOINTEE: 403},
        body=_renew_body,
    ),
    Row(
        "programmes:worklog_add",
        "post",
        lambda c: _page("worklog_add", appointment(c)),
        {**by_set(SEE_APPOINTMENT, 302, 404), HOST: 403},
        body=_log_body,
    ),
    Row(
        "programmes:review_add",
        "post",
        lambda c: _page("review_add", appointment(c)),
        {**by_set(SEE_APPOINTMENT, 403, 404), HOST: 302},
        body=_review_body,
    ),
    Row(
        # Without the region's policy the host is sent back with the reason.
        "programmes:subsidy_apply",
        "post",
        lambda c: _page("subsidy_apply", appointment(c)),
        {**by_set(SEE_APPOINTMENT, 302, 404), APPOINTEE: 403},
    ),
    Row(
        "programmes:appointment_letter",
        "get",
        lambda c: _page("appointment_letter", appointment(c)),
        by_set(SEE_APPOINTMENT, 200, 404),
    ),
    # Joint laboratories and figures
    Row(
        "programmes:joint_lab_list",
        "get",
        lambda c: _page("joint_lab_list"),
        by_set(OFFICE_OR_ORGANISATION, 200, 403),
    ),
    Row(
        "programmes:joint_lab_create",
        "get",
        lambda c: _page("joint_lab_create"),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
    ),
    Row(
        "programmes:stats",
        "get",
        lambda c: appointment(c) and _page("stats"),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
        marker="嘉善县",
        marker_roles=OFFICE,
    ),
    # API
    Row(
        "api:programmes_request_list",
        "get",
        lambda c: request(c) and _api("programmes_request_list"),
        api_statuses(200),
        api=True,
        marker=REQUEST_TITLE,
        marker_roles=SEE_REQUEST,
    ),
    Row(
        "api:programmes_request_create",
        "post",
        lambda c: _api("programmes_request_create"),
        {**api_by_set(SEE_FULAI, 201, 422), APPOINTEE: 403},
        body=lambda c: {
            "kind": "vice_president",
            "host": c.orgs["fulai"].pk,
            "title": "矩阵测试",
            "description": "研发",
        },
        api=True,
    ),
    Row(
        "api:programmes_request_detail",
        "get",
        lambda c: _api("programmes_request_detail", request(c)),
        api_by_set(SEE_REQUEST, 200, 404),
        api=True,
    ),
    Row(
        "api:programmes_request_candidates",
        "get",
        lambda c: _api("programmes_request_candidates", request(c)),
        {**api_by_set(SEE_REQUEST, 200, 404), HOST: 403},
        api=True,
    ),
    Row(
        "api:programmes_request_propose",
        "post",
        lambda c: _api("programmes_request_propose", request(c)),
        {**api_by_set(SEE_REQUEST, 201, 404), HOST: 403},
        body=lambda c: {"talent": c.talents["tangang"].pk, "level": "city"},
        api=True,
    ),
    Row(
        "api:programmes_appointment_list",
        "get",
        lambda c: appointment(c) and _api("programmes_appointment_list"),
        api_statuses(200),
        api=True,
        marker="谭刚",
        marker_roles=SEE_APPOINTMENT,
    ),
    Row(
        "api:programmes_appointment_detail",
        "get",
        lambda c: _api("programmes_appointment_detail", appointment(c)),
        api_by_set(SEE_APPOINTMENT, 200, 404),
        api=True,
    ),
    Row(
        "api:programmes_appointment_action",
        "post",
        lambda c: _api("programmes_appointment_action", appointment(c, "proposed")),
        {**api_by_set(SEE_APPOINTMENT, 403, 404), APPOINTEE: 200},
        body=lambda c: {"action": "accept"},
        api=True,
    ),
    Row(
        "api:programmes_appointment_start",
        "post",
        lambda c: _api("programmes_appointment_start", appointment(c, "consented")),
        {**api_by_set(SEE_APPOINTMENT, 200, 404), APPOINTEE: 403},
        body=_start_body,
        api=True,
    ),
    Row(
        "api:programmes_appointment_renew",
        "post",
        lambda c: _api("programmes_appointment_renew", appointment(c)),
        {**api_by_set(SEE_APPOINTMENT, 201, 404), APPOINTEE: 403},
        body=_renew_body,
        api=True,
    ),
    Row(
        "api:programmes_worklog_list",
        "get",
        lambda c: _api("programmes_worklog_list", appointment(c)),
        api_by_set(SEE_APPOINTMENT, 200, 404),
        api=True,
    ),
    Row(
        "api:programmes_worklog_add",
        "post",
        lambda c: _api("programmes_worklog_add", appointment(c)),
        {**api_by_set(SEE_APPOINTMENT, 201, 404), HOST: 403},
        body=_log_body,
        api=True,
    ),
    Row(
        "api:programmes_review_add",
        "post",
        lambda c: _api("programmes_review_add", appointment(c)),
        {**api_by_set(SEE_APPOINTMENT, 403, 404), HOST: 201},
        body=_review_body,
        api=True,
    ),
    Row(
        "api:programmes_appointment_letter",
        "get",
        lambda c: _api("programmes_appointment_letter", appointment(c)),
        api_by_set(SEE_APPOINTMENT, 200, 404),
        api=True,
    ),
    Row(
        "api:programmes_stats",
        "get",
        lambda c: appointment(c) and _api("programmes_stats"),
        api_by_set(set(ADMIN_AND_OFFICERS), 200, 403),
        api=True,
        marker="330421",
        marker_roles=OFFICE,
    ),
]
