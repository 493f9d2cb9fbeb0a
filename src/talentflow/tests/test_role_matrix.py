"""Every page and API endpoint × every role: allowed, forbidden, or scoped.

Each row names an endpoint, how to call it, and the status each role gets. "Scoped" rows also
check *what* comes back: the same list endpoint answers everyone with 200, but only the roles
that may see 谭刚 (home in Hangzhou, serving 福莱 in 嘉善) find him in it.

``test_every_endpoint_is_in_the_matrix`` fails when a URL is added without a row here.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from talentflow.accounts.services import api_token_create
from talentflow.tests.cast import Cast
from talentflow.tests.matrix_base import (
    ADMIN_AND_OFFICERS,
    ANON,
    ROLES,
    Row,
    api_by_set,
    api_statuses,
    by_set,
    statuses,
)
from talentflow.tests.matrix_calls import CALLS_ROWS
from talentflow.tests.matrix_credentials import CREDENTIALS_ROWS
from talentflow.tests.matrix_evaluation import EVALUATION_ROWS
from talentflow.tests.matrix_matching import MATCHING_ROWS
from talentflow.tests.matrix_needs import NEEDS_ROWS
from talentflow.tests.matrix_points import POINTS_ROWS
from talentflow.tests.matrix_programmes_appointments import APPOINTMENT_ROWS
from talentflow.tests.matrix_programmes_training import TRAINING_ROWS
from talentflow.tests.matrix_recognition import RECOGNITION_ROWS
from talentflow.tests.matrix_rules import RULES_ROWS

# Who sees 福莱 (the organisation) and 谭刚 (the talent), and who may change them.
SEE_FULAI = {"admin", "officer_jiashan", "enterprise_user", "talent_user"}
EDIT_FULAI = {"admin", "officer_jiashan", "enterprise_user"}
SEE_TANGANG = {"admin", "officer_jiashan", "enterprise_user", "talent_user"}
EDIT_TANGANG = {"admin", "talent_user"}
# May tie 谭刚 to an organisation: those who edit him, and those who edit an organisation
# they could tie him to (an enterprise records who serves it).
AFFILIATE_TANGANG = {"admin", "talent_user", "officer_jiashan", "enterprise_user"}


def fulai(c: Cast) -> int:
    return c.orgs["fulai"].pk


def tangang(c: Cast) -> int:
    return c.talents["tangang"].pk


def tangang_at_fulai(c: Cast) -> int:
    return c.talents["tangang"].affiliations.get(organisation=c.orgs["fulai"]).pk


def officer_token(c: Cast) -> int:
    token, _key = api_token_create(actor=c.officer_jiashan, name="matrix")
    return token.pk


NEW_ORG_IN_JIASHAN = {
    "name": "矩阵测试企业有限公司",
    "kind": "enterprise",
    "region": "330421",
    "uscc": "914403001922038216",
}
NEW_TALENT_IN_JIASHAN = {"name": "矩阵测试人才", "home_region": "330421"}

ROWS: list[Row] = [
    # core
    Row("core:home", "get", lambda c: reverse("core:home"), statuses(200)),
    Row(
        "core:audit_list",
        "get",
        lambda c: reverse("core:audit_list"),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
    ),
    Row("core:healthz", "get", lambda c: reverse("core:healthz"), statuses(200, anonymous=200)),
    Row("set_language", "post", lambda c: reverse("set_language"), statuses(302)),
    # accounts
    Row(
        "accounts:login",
        "get",
        lambda c: reverse("accounts:login"),
        statuses(302, anonymous=200),  # a signed-in user is sent on to the home page
    ),
    Row("accounts:logout", "post", lambda c: reverse("accounts:logout"), statuses(302)),
    Row(
        "accounts:password_change",
        "get",
        lambda c: reverse("accounts:password_change"),
        statuses(200),
    ),
    Row("accounts:token_list", "get", lambda c: reverse("accounts:token_list"), statuses(200)),
    Row(
        "accounts:token_revoke",
        "post",
        lambda c: reverse("accounts:token_revoke", args=[officer_token(c)]),
        statuses(404, officer_jiashan=302),
    ),
    # directory: organisations
    Row(
        "directory:organisation_list",
        "get",
        lambda c: reverse("directory:organisation_list"),
        statuses(200),
        marker="浙江福莱新材料股份有限公司",
        marker_roles=SEE_FULAI,
    ),
    Row(
        "directory:organisation_create",
        "get",
        lambda c: reverse("directory:organisation_create"),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
    ),
    Row(
        "directory:organisation_detail",
        "get",
        lambda c: reverse("directory:organisation_detail", args=[fulai(c)]),
        by_set(SEE_FULAI, 200, 404),
    ),
    Row(
        "directory:organisation_edit",
        "get",
        lambda c: reverse("directory:organisation_edit", args=[fulai(c)]),
        {**by_set(SEE_FULAI, 403, 404), **dict.fromkeys(EDIT_FULAI, 200)},
    ),
    # directory: talents
    Row(
        "directory:talent_list",
        "get",
        lambda c: reverse("directory:talent_list") + "?q=薄膜涂布",
        statuses(200),
        marker="谭刚",
        marker_roles=SEE_TANGANG,
    ),
    Row(
        "directory:talent_create",
        "get",
        lambda c: reverse("directory:talent_create"),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
    ),
    Row(
        "directory:talent_detail",
        "get",
        lambda c: reverse("directory:talent_detail", args=[tangang(c)]),
        by_set(SEE_TANGANG, 200, 404),
    ),
    Row(
        "directory:talent_edit",
        "get",
        lambda c: reverse("directory:talent_edit", args=[tangang(c)]),
        {**by_set(SEE_TANGANG, 403, 404), **dict.fromkeys(EDIT_TANGANG, 200)},
    ),
    Row(
        "directory:affiliation_create",
        "get",
        lambda c: reverse("directory:affiliation_create", args=[tangang(c)]),
        {**by_set(SEE_TANGANG, 403, 404), **dict.fromkeys(AFFILIATE_TANGANG, 200)},
    ),
    Row(
        "directory:affiliation_end",
        "post",
        lambda c: reverse("directory:affiliation_end", args=[tangang_at_fulai(c)]),
        {**by_set(SEE_TANGANG, 403, 404), **dict.fromkeys(AFFILIATE_TANGANG, 302)},
        body=lambda c: {"end_date": dt.date.today().isoformat()},
    ),
    Row(
        "directory:my_profile",
        "get",
        lambda c: reverse("directory:my_profile"),
        statuses(200, talent_user=302, student_user=302),
    ),
    Row(
        "directory:import",
        "get",
        lambda c: reverse("directory:import", args=["talents"]),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
    ),
    Row(
        "directory:import_template",
        "get",
        lambda c: reverse("directory:import_template", args=["talents"]),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
    ),
    Row(
        "directory:export",
        "get",
        lambda c: reverse("directory:export", args=["talents", "csv"]),
        statuses(200),
        marker="谭刚",
        marker_roles=SEE_TANGANG,
    ),
    # back office
    Row(
        "admin:index",
        "get",
        lambda c: reverse("admin:index"),
        statuses(302, admin=200),
    ),
    # API
    Row(
        "api:openapi-json",
        "get",
        lambda c: reverse("api:openapi-json"),
        api_statuses(200, anonymous=200),
        api=True,
    ),
    Row(
        "api:openapi-view",
        "get",
        lambda c: reverse("api:openapi-view"),
        api_statuses(200, anonymous=200),
        api=True,
    ),
    Row("api:me", "get", lambda c: reverse("api:me"), api_statuses(200), api=True),
    Row(
        "api:organisation_list",
        "get",
        lambda c: reverse("api:organisation_list") + "?q=福莱",
        api_statuses(200),
        api=True,
        marker="浙江福莱新材料股份有限公司",
        marker_roles=SEE_FULAI,
    ),
    Row(
        "api:organisation_create",
        "post",
        lambda c: reverse("api:organisation_create"),
        api_by_set({"admin", "officer_jiashan"}, 201, 403),
        body=lambda c: NEW_ORG_IN_JIASHAN,
        api=True,
    ),
    Row(
        "api:organisation_detail",
        "get",
        lambda c: reverse("api:organisation_detail", args=[fulai(c)]),
        api_by_set(SEE_FULAI, 200, 404),
        api=True,
    ),
    Row(
        "api:organisation_update",
        "patch",
        lambda c: reverse("api:organisation_update", args=[fulai(c)]),
        {**api_by_set(SEE_FULAI, 403, 404), **dict.fromkeys(EDIT_FULAI, 200)},
        body=lambda c: {"description": "矩阵测试"},
        api=True,
    ),
    Row(
        "api:talent_list",
        "get",
        lambda c: reverse("api:talent_list") + "?q=薄膜涂布",
        api_statuses(200),
        api=True,
        marker="谭刚",
        marker_roles=SEE_TANGANG,
    ),
    Row(
        "api:talent_create",
        "post",
        lambda c: reverse("api:talent_create"),
        api_by_set({"admin", "officer_jiashan"}, 201, 403),
        body=lambda c: NEW_TALENT_IN_JIASHAN,
        api=True,
    ),
    Row(
        "api:talent_detail",
        "get",
        lambda c: reverse("api:talent_detail", args=[tangang(c)]),
        api_by_set(SEE_TANGANG, 200, 404),
        api=True,
    ),
    Row(
        "api:talent_update",
        "patch",
        lambda c: reverse("api:talent_update", args=[tangang(c)]),
        {**api_by_set(SEE_TANGANG, 403, 404), **dict.fromkeys(EDIT_TANGANG, 200)},
        body=lambda c: {"biography": "矩阵测试"},
        api=True,
    ),
    Row(
        "api:affiliation_list",
        "get",
        lambda c: reverse("api:affiliation_list", args=[tangang(c)]),
        api_by_set(SEE_TANGANG, 200, 404),
        api=True,
    ),
    Row(
        "api:affiliation_create",
        "post",
        lambda c: reverse("api:affiliation_create", args=[tangang(c)]),
        {**api_by_set(SEE_TANGANG, 403, 404), **dict.fromkeys(EDIT_FULAI | EDIT_TANGANG, 201)},
        body=lambda c: {
            "organisation": fulai(c),
            "kind": "serving",
            "start_date": "2026-01-01",
            "position": "顾问",
        },
        api=True,
    ),
    Row(
        "api:reference_lookup",
        "get",
        lambda c: reverse("api:reference_lookup", args=["industries"]) + "?q=压铸",
        api_statuses(200),
        api=True,
    ),
    Row(
        "api:region_detail",
        "get",
        lambda c: reverse("api:region_detail", args=["330421"]),
        api_statuses(200),
        api=True,
    ),
    Row(
        "api:alliance_list",
        "get",
        lambda c: reverse("api:alliance_list"),
        api_statuses(200),
        api=True,
    ),
]

ROWS += NEEDS_ROWS + MATCHING_ROWS + RULES_ROWS + POINTS_ROWS + EVALUATION_ROWS
ROWS += APPOINTMENT_ROWS + TRAINING_ROWS
ROWS += RECOGNITION_ROWS + CALLS_ROWS + CREDENTIALS_ROWS

# Not endpoints a role acts on: ninja's index of the API (it answers 404 to everyone).
NOT_IN_MATRIX = {"api:api-root"}


def _url_names(patterns, namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                yield "admin:index"
                continue
            yield from _url_names(pattern.url_patterns, pattern.namespace or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_endpoint_is_in_the_matrix():
    """A new page or API operation must get a row (and so a decision for every role)."""
    names = set(_url_names(get_resolver().url_patterns)) - NOT_IN_MATRIX
    assert names - {row.name for row in ROWS} == set()


def _call(client, row: Row, cast: Cast, role: str):
    user = None if role == ANON else getattr(cast, role)
    url = row.url(cast)
    body = row.body(cast) if row.body else {}
    if row.api:
        headers = {}
        if user is not None:
            _token, key = api_token_create(actor=user, name="matrix")
            headers["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        call = getattr(client, row.method)
        if row.method == "get":
            return call(url, **headers)
        if row.multipart:
            return call(url, data=body, **headers)
        return call(url, data=body, content_type="application/json", **headers)
    if user is not None:
        client.force_login(user)
    if row.method == "get":
        return client.get(url)
    return client.post(url, data=body)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda r: r.id)
def test_role_matrix(client, cast, row: Row, role: str):
    """Each role gets the status its row says; scoped answers contain only what it may see."""
    response = _call(client, row, cast, role)
    expected = row.expect[role]
    assert response.status_code == expected, (
        f"{row.id} as {role}: {response.status_code}, expected {expected}"
    )
    if expected == 302 and role == ANON and not row.api and row.name != "set_language":
        assert reverse("accounts:login") in response["Location"] or row.name == "admin:index"
    if row.marker and expected == 200:
        if row.api:
            content = json.dumps(response.json(), ensure_ascii=False)
        elif response.streaming:
            content = b"".join(response.streaming_content).decode("utf-8-sig")
        else:
            content = response.content.decode("utf-8-sig")
        assert (row.marker in content) == (role in row.marker_roles), (
            f"{row.id} as {role}: marker {row.marker!r} presence wrong"
        )
