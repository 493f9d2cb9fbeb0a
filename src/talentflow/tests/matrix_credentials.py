"""Role-matrix rows for the credentials app's pages and API.

The records: 嘉善's office recorded a tier-C result for 谭刚 (so he holds a code issued by 嘉善);
青浦's office put a once-only talent-apartment service of 青浦人才公寓 (the cast's provider) in the
catalogue. The signed lists are public; the catalogue is for everyone signed in; services are
managed by the office of their region; only a provider user verifies codes at its counter.
"""

from __future__ import annotations

import uuid

from django.urls import reverse

from talentflow.tests.cast import Cast
from talentflow.tests.matrix_base import (
    ADMIN_AND_OFFICERS,
    LOGGED_IN,
    Row,
    api_by_set,
    api_statuses,
    by_set,
    statuses,
)
from talentflow.tests.matrix_needs import _once

TALENTS = {"talent_user", "student_user"}
QINGPU_OFFICE = {"admin", "officer_qingpu"}
PROVIDER = {"provider_qingpu"}


def result(c: Cast) -> int:
    from talentflow.credentials.tests.builders import jiashan_result

    return _once(
        c, "credentials:result", lambda: jiashan_result(c.officer_jiashan, c.talents["tangang"])
    ).pk


def service(c: Cast) -> int:
    from talentflow.credentials.tests.builders import qingpu_service

    return _once(
        c,
        "credentials:service",
        lambda: qingpu_service(c.officer_qingpu, c.orgs["qingpu_apartment"]),
    ).pk


def code_text(c: Cast) -> str:
    from talentflow.credentials import services

    result(c)
    return services.code_issue(c.talents["tangang"]).text


def _page(name: str, *args):
    return reverse(f"credentials:{name}", args=list(args))


def _api(name: str, *args):
    return reverse(f"api:{name}", args=list(args))


PUBLIC = statuses(200, anonymous=200)
SERVICE_NAME = "青浦人才公寓首次入住优惠"

CREDENTIALS_ROWS: list[Row] = [
    Row("credentials:trust_list", "get", lambda c: _page("trust_list"), PUBLIC),
    Row("credentials:revocations", "get", lambda c: _page("revocations") + "?since=0", PUBLIC),
    Row("credentials:root", "get", lambda c: _page("root"), PUBLIC),
    Row(
        # 谭刚 holds a code (masked as 谭*); the student has none and sees the greyed page.
        "credentials:my_code",
        "get",
        lambda c: result(c) and _page("my_code"),
        by_set(TALENTS, 200, 403),
        marker="谭*",
        marker_roles={"talent_user"},
    ),
    Row(
        "credentials:service_list",
        "get",
        lambda c: service(c) and _page("service_list"),
        statuses(200),
        marker=SERVICE_NAME,
        marker_roles=set(LOGGED_IN),
    ),
    Row(
        "credentials:service_create",
        "get",
        lambda c: _page("service_create"),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
    ),
    Row(
        "credentials:service_export",
        "get",
        lambda c: service(c) and reverse("credentials:service_export", kwargs={"fmt": "csv"}),
        statuses(200),
        marker=SERVICE_NAME,
        marker_roles=set(LOGGED_IN),
    ),
    Row(
        "credentials:service_detail",
        "get",
        lambda c: _page("service_detail", service(c)),
        statuses(200),
    ),
    Row(
        "credentials:service_edit",
        "get",
        lambda c: _page("service_edit", service(c)),
        by_set(QINGPU_OFFICE, 200, 403),
    ),
    Row("credentials:counter_worker", "get", lambda c: _page("counter_worker"), PUBLIC),
    Row("credentials:verify", "get", lambda c: _page("verify"), by_set(PROVIDER, 200, 403)),
    Row(
        "credentials:redemption_list",
        "get",
        lambda c: _page("redemption_list"),
        by_set({*ADMIN_AND_OFFICERS, *PROVIDER}, 200, 403),
    ),
    # API
    Row(
        "api:credentials_my_code",
        "get",
        lambda c: result(c) and _api("credentials_my_code"),
        {**api_by_set({"talent_user"}, 200, 403), "student_user": 404},
        api=True,
        marker="谭*",
        marker_roles={"talent_user"},
    ),
    Row(
        "api:credentials_trust_list",
        "get",
        lambda c: _api("credentials_trust_list"),
        api_statuses(200),
        api=True,
    ),
    Row(
        "api:credentials_revocations",
        "get",
        lambda c: _api("credentials_revocations"),
        api_statuses(200),
        api=True,
    ),
    Row(
        "api:credentials_service_list",
        "get",
        lambda c: service(c) and _api("credentials_service_list"),
        api_statuses(200),
        api=True,
        marker=SERVICE_NAME,
        marker_roles=set(LOGGED_IN),
    ),
    Row(
        "api:credentials_redemption_create",
        "post",
        lambda c: _api("credentials_redemption_create"),
        api_by_set(PROVIDER, 201, 403),
        body=lambda c: {"uuid": str(uuid.uuid4()), "service": service(c), "code": code_text(c)},
        api=True,
    ),
    Row(
        "api:credentials_redemption_list",
        "get",
        lambda c: _api("credentials_redemption_list"),
        api_statuses(200),
        api=True,
    ),
]
