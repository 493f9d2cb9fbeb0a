"""Role-matrix rows for the calls app's pages and API.

嘉善's office (``officer_jiashan``) opens a call of the demonstration zone; its joint panel is
``officer_jiashan``, ``officer_qingpu`` and a generated 吴江 expert. Everyone of the zone's
regions (its officers, those acting for its organisations, talents working there, the 青浦
provider) sees the call once open and its published result; the other regions' people do not.
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

SYSTEM = {"actor": None, "system_label": "matrix"}
OFFICE = {"admin", "officer_jiashan"}
REVIEWERS = {"officer_jiashan", "officer_qingpu"}
# The demonstration zone's people: 嘉善 and 青浦 officers, 福莱 and 杭电嘉善研究院, 谭刚 (serving
# 福莱), the student (seconded to 中扬), the 青浦 provider.
SEE_CALL = {
    "admin",
    "officer_jiashan",
    "officer_qingpu",
    "enterprise_user",
    "institution_user",
    "talent_user",
    "student_user",
    "provider_qingpu",
}
TALENTS = {"talent_user", "student_user"}
SEE_APPLICATION = {"admin", "officer_jiashan", "officer_qingpu"}
CALL_TITLE = "矩阵测试跨区域申报"
SELECTED_NAME = "矩阵测试入选人"
CRITERIA = [
    {"name": "水平", "weight": 60, "max_score": Decimal(10)},
    {"name": "贡献", "weight": 40, "max_score": Decimal(10)},
]


def _wujiang_expert(c: Cast):
    from talentflow.reference.models import Region
    from talentflow.tests.factories import TalentFactory

    return _once(
        c,
        "calls:wujiang_expert",
        lambda: TalentFactory(name="矩阵吴江专家", home_region=Region.objects.get(code="320509")),
    )


def _build(c: Cast, state: str):
    from talentflow.calls import services
    from talentflow.reference.models import Alliance, Region
    from talentflow.tests.factories import AffiliationFactory, OrganisationFactory, TalentFactory

    today = timezone.localdate()
    call = services.call_create(
        actor=c.officer_jiashan,
        alliance=Alliance.objects.get(code="yrd-demo-zone"),
        programme="嘉善县人才计划",
        title=CALL_TITLE,
        kind="talent",
        period_start=today - dt.timedelta(days=3),
        period_end=today + dt.timedelta(days=30),
        quota=1,
        criteria=CRITERIA,
    )
    if state == "draft":
        return call
    services.panel_set(
        **SYSTEM,
        call=call,
        users=[c.officer_jiashan, c.officer_qingpu],
        talents=[_wujiang_expert(c)],
    )
    call = services.call_transition(**SYSTEM, call=call, action="open")
    if state == "open":
        return call
    enterprise = OrganisationFactory(
        name="矩阵测试青浦企业", region=Region.objects.get(code="310118")
    )
    applicant = TalentFactory(name=SELECTED_NAME, home_region=Region.objects.get(code="310118"))
    AffiliationFactory(talent=applicant, organisation=enterprise)
    application = services.application_create(
        **SYSTEM, call=call, talent=applicant, statement="矩阵测试申报材料"
    )
    call = services.call_transition(**SYSTEM, call=call, action="start_review")
    if state == "review":
        return call
    criteria = list(call.criteria.all())
    for reviewer, app in services.expected_pairs(call):
        services.scores_record(
            **SYSTEM,
            application=app,
            reviewer=reviewer,
            scores={x.pk: Decimal(8) for x in criteria},
        )
    services.call_transition(**SYSTEM, call=call, action="close")
    call = services.call_transition(**SYSTEM, call=call, action="publish")
    assert application.pk
    return call


def call(c: Cast, state: str) -> int:
    return _once(c, f"calls:{state}", lambda: _build(c, state)).pk


def application(c: Cast, state: str) -> int:
    from talentflow.calls.models import Application

    return Application.objects.get(call_id=call(c, state)).pk


def _scores(c: Cast) -> dict:
    from talentflow.calls.models import Criterion

    return {
        "scores": {str(x.pk): "7.5" for x in Criterion.objects.filter(call_id=call(c, "review"))}
    }


def _score_form(c: Cast) -> dict:
    from talentflow.calls.models import Criterion

    return {f"c{x.pk}": "7.5" for x in Criterion.objects.filter(call_id=call(c, "review"))}


def _new_call(c: Cast) -> dict:
    today = timezone.localdate()
    return {
        "alliance": "yrd-demo-zone",
        "programme": "矩阵测试计划",
        "title": "矩阵测试新通知",
        "kind": "talent",
        "period_start": today.isoformat(),
        "period_end": (today + dt.timedelta(days=30)).isoformat(),
        "quota": 3,
        "criteria": [{"name": "水平", "weight": 100, "max_score": "10"}],
    }


def _panel(c: Cast) -> dict:
    return {
        "officers": [c.officer_jiashan.pk, c.officer_qingpu.pk],
        "experts": [_wujiang_expert(c).pk],
    }


SEE_DRAFT = by_set(OFFICE, 200, 404)

CALLS_ROWS: list[Row] = [
    Row(
        "calls:call_list",
        "get",
        lambda c: (call(c, "open"), reverse("calls:call_list"))[1],
        statuses(200),
        marker=CALL_TITLE,
        marker_roles=SEE_CALL,
    ),
    Row(
        "calls:call_create",
        "get",
        lambda c: reverse("calls:call_create"),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
    ),
    Row(
        "calls:call_export",
        "get",
        lambda c: (call(c, "open"), reverse("calls:call_export", args=["csv"]))[1],
        statuses(200),
        marker=CALL_TITLE,
        marker_roles=SEE_CALL,
    ),
    Row(
        "calls:stats",
        "get",
        lambda c: (call(c, "published"), reverse("calls:stats"))[1],
        statuses(200),
        marker="calls-stats",
        marker_roles=SEE_CALL,
    ),
    Row(
        "calls:call_detail",
        "get",
        lambda c: reverse("calls:call_detail", args=[call(c, "open")]),
        by_set(SEE_CALL, 200, 404),
    ),
    Row(
        "calls:call_edit",
        "get",
        lambda c: reverse("calls:call_edit", args=[call(c, "draft")]),
        SEE_DRAFT,
    ),
    Row(
        "calls:panel_edit",
        "get",
        lambda c: reverse("calls:panel_edit", args=[call(c, "draft")]),
        SEE_DRAFT,
    ),
    Row(
        "calls:call_action",
        "post",
        lambda c: reverse("calls:call_action", args=[call(c, "open"), "start_review"]),
        {**by_set(SEE_CALL, 403, 404), **dict.fromkeys(OFFICE, 302)},
    ),
    Row(
        "calls:application_create",
        "get",
        lambda c: reverse("calls:application_create", args=[call(c, "open")]),
        {**by_set(SEE_CALL, 403, 404), **dict.fromkeys(TALENTS, 200)},
    ),
    Row(
        "calls:results",
        "get",
        lambda c: reverse("calls:results", args=[call(c, "published")]),
        by_set(SEE_CALL, 200, 404),
        marker=SELECTED_NAME,
        marker_roles=SEE_CALL,
    ),
    Row(
        "calls:application_detail",
        "get",
        lambda c: reverse("calls:application_detail", args=[application(c, "published")]),
        by_set(SEE_APPLICATION, 200, 404),
    ),
    Row(
        "calls:score",
        "post",
        lambda c: reverse("calls:score", args=[application(c, "review")]),
        {**by_set(SEE_APPLICATION, 403, 404), **dict.fromkeys(REVIEWERS, 302)},
        body=_score_form,
    ),
    Row(
        "calls:application_download",
        "get",
        lambda c: reverse("calls:application_download", args=[application(c, "published")]),
        statuses(404),  # no evidence uploaded: nothing to download for anyone
    ),
    # API
    Row(
        "api:calls_call_list",
        "get",
        lambda c: (call(c, "open"), reverse("api:calls_call_list"))[1],
        api_statuses(200),
        api=True,
        marker=CALL_TITLE,
        marker_roles=SEE_CALL,
    ),
    Row(
        "api:calls_call_create",
        "post",
        lambda c: reverse("api:calls_call_create"),
        api_by_set({"admin", "officer_jiashan", "officer_qingpu"}, 201, 403),
        body=_new_call,
        api=True,
    ),
    Row(
        "api:calls_stats",
        "get",
        lambda c: (call(c, "published"), reverse("api:calls_stats"))[1],
        api_statuses(200),
        api=True,
    ),
    Row(
        "api:calls_call_detail",
        "get",
        lambda c: reverse("api:calls_call_detail", args=[call(c, "open")]),
        api_by_set(SEE_CALL, 200, 404),
        api=True,
    ),
    Row(
        "api:calls_call_update",
        "patch",
        lambda c: reverse("api:calls_call_update", args=[call(c, "draft")]),
        api_by_set(OFFICE, 200, 404),
        body=lambda c: {"quota": 4},
        api=True,
    ),
    Row(
        "api:calls_panel_set",
        "put",
        lambda c: reverse("api:calls_panel_set", args=[call(c, "draft")]),
        api_by_set(OFFICE, 200, 404),
        body=_panel,
        api=True,
    ),
    Row(
        "api:calls_call_action",
        "post",
        lambda c: reverse("api:calls_call_action", args=[call(c, "open"), "start_review"]),
        {**api_by_set(SEE_CALL, 403, 404), **dict.fromkeys(OFFICE, 422)},  # no application
        body=lambda c: {},
        api=True,
    ),
    Row(
        "api:calls_application_list",
        "get",
        lambda c: reverse("api:calls_application_list", args=[call(c, "published")]),
        api_by_set(SEE_CALL, 200, 404),
        api=True,
        marker=SELECTED_NAME,
        marker_roles=SEE_APPLICATION,
    ),
    Row(
        "api:calls_application_create",
        "post",
        lambda c: reverse("api:calls_application_create", args=[call(c, "open")]),
        {**api_by_set(SEE_CALL, 403, 404), **dict.fromkeys(TALENTS, 201)},
        body=lambda c: {"statement": "矩阵测试申报"},
        api=True,
    ),
    Row(
        "api:calls_results",
        "get",
        lambda c: reverse("api:calls_results", args=[call(c, "published")]),
        api_by_set(SEE_CALL, 200, 404),
        api=True,
        marker=SELECTED_NAME,
        marker_roles=SEE_CALL,
    ),
    Row(
        "api:calls_application_detail",
        "get",
        lambda c: reverse("api:calls_application_detail", args=[application(c, "published")]),
        api_by_set(SEE_APPLICATION, 200, 404),
        api=True,
    ),
    Row(
        "api:calls_score",
        "post",
        lambda c: reverse("api:calls_score", args=[application(c, "review")]),
        {**api_by_set(SEE_APPLICATION, 403, 404), **dict.fromkeys(REVIEWERS, 200)},
        body=_scores,
        api=True,
    ),
]
