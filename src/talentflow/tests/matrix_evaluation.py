"""Role-matrix rows for the evaluation app's pages and API.

The records live in 嘉善 (the cast has no 黄岩 officer): 嘉善's office authorises 福莱 to evaluate
its talents, 福莱 evaluates 谭刚 (serving it as 科技副总), the mould association files a list with
谭刚 on it to 嘉善's office, and the office records a direct result for him. So ``admin`` and
``officer_jiashan`` are the office; the other officers are another region's.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
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
ENTERPRISES = {"enterprise_user", "enterprise_qingtian"}
OFFICE_OR_ENTERPRISE = {*ADMIN_AND_OFFICERS, *ENTERPRISES}
SEE_AUTH = {*OFFICE, "enterprise_user"}
SEE_EVALUATION = {*SEE_AUTH, "talent_user"}  # 谭刚 sees his own evaluation once submitted
SEE_LIST = {*OFFICE, "association_user"}
# People of 嘉善: its officer, those acting for its organisations, talents working there.
SEE_NOTICE = {
    *OFFICE,
    "enterprise_user",
    "institution_user",
    "talent_user",
    "student_user",
}
SEE_RESULT = {*OFFICE, "talent_user"}
SEE_FULAI = {"admin", "officer_jiashan", "enterprise_user", "talent_user"}
LIST_TITLE = "矩阵测试行业公荐榜单"


def _today() -> dt.date:
    return timezone.localdate()


def auth(c: Cast) -> int:
    from talentflow.evaluation import services

    def build():
        return services.authorisation_create(
            actor=c.officer_jiashan,
            enterprise=c.orgs["fulai"],
            scope="功能膜材料研发岗位",
            quota=5,
            period_start=_today() - dt.timedelta(days=30),
            period_end=_today() + dt.timedelta(days=300),
            criteria_text="以贡献论英雄。",
            criteria_file=SimpleUploadedFile("标准.pdf", b"%PDF-1.4 matrix", "application/pdf"),
        )

    return _once(c, "evaluation:auth", build).pk


def evaluation(c: Cast, state: str = "submitted") -> int:
    from talentflow.evaluation import services
    from talentflow.evaluation.models import Authorisation

    def build():
        draft = services.evaluation_create(
            actor=c.enterprise_user,
            authorisation=Authorisation.objects.get(pk=auth(c)),
            talent=c.talents["tangang"],
            evaluated_on=_today(),
            role="科技副总",
            years_on_job=20,
            achievements="解决BOPP薄膜涂布缺陷。",
            proposed_tier="C",
        )
        if state == "submitted":
            services.evaluation_submit(actor=c.enterprise_user, evaluation=draft)
        return draft

    return _once(c, f"evaluation:{state}", build).pk


def recommendation(c: Cast, state: str = "submitted") -> int:
    from talentflow.evaluation import services
    from talentflow.reference.models import Region

    def build():
        filed = services.recommendation_create(
            actor=c.association_user,
            association=c.orgs["mould_association"],
            region=Region.objects.get(code="330421"),
            title=LIST_TITLE,
            entries=[
                {"talent": c.talents["tangang"], "reason": "贡献突出。", "proposed_tier": "D"}
            ],
        )
        if state == "notice":
            services.recommendation_open_notice(
                actor=c.officer_jiashan,
                recommendation=filed,
                notice_start=_today(),
                notice_end=_today() + dt.timedelta(days=7),
            )
        return filed

    return _once(c, f"evaluation:recommendation:{state}", build).pk


def entry(c: Cast) -> int:
    from talentflow.evaluation.models import RecommendationEntry

    return RecommendationEntry.objects.get(recommendation_id=recommendation(c, "notice")).pk


def objection(c: Cast) -> int:
    from talentflow.evaluation import services
    from talentflow.evaluation.models import RecommendationEntry

    def build():
        return services.objection_file(
            actor=c.enterprise_user,
            entry=RecommendationEntry.objects.get(pk=entry(c)),
            reason="矩阵测试异议。",
        )

    return _once(c, "evaluation:objection", build).pk


def result(c: Cast) -> int:
    from talentflow.evaluation import services
    from talentflow.reference.models import Region

    def build():
        return services.result_record(
            actor=c.officer_jiashan,
            talent=c.talents["tangang"],
            category="other",
            tier="E",
            region=Region.objects.get(code="330421"),
            valid_from=_today(),
            evidence="创新成果。",
        )

    return _once(c, "evaluation:result", build).pk


def _page(name: str, *args):
    return reverse(f"evaluation:{name}", args=list(args))


def _api(name: str, *args):
    return reverse(f"api:{name}", args=list(args))


EVALUATION_ROWS: list[Row] = [
    # Authorisations
    Row(
        "evaluation:authorisation_list",
        "get",
        lambda c: auth(c) and _page("authorisation_list"),
        by_set(OFFICE_OR_ENTERPRISE, 200, 403),
        marker="浙江福莱新材料股份有限公司",
        marker_roles=SEE_AUTH,
    ),
    Row(
        "evaluation:authorisation_create",
        "get",
        lambda c: _page("authorisation_create"),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
    ),
    Row(
        "evaluation:authorisation_export",
        "get",
        lambda c: auth(c) and reverse("evaluation:authorisation_export", kwargs={"fmt": "csv"}),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
        marker="浙江福莱新材料股份有限公司",
        marker_roles=OFFICE,
    ),
    Row(
        "evaluation:authorisation_detail",
        "get",
        lambda c: _page("authorisation_detail", auth(c)),
        by_set(SEE_AUTH, 200, 404),
    ),
    Row(
        "evaluation:authorisation_revoke",
        "post",
        lambda c: _page("authorisation_revoke", auth(c)),
        {**by_set(SEE_AUTH, 302, 404), "enterprise_user": 403},
        body=lambda c: {"reason": "矩阵测试"},
    ),
    Row(
        "evaluation:download",
        "get",
        lambda c: reverse("evaluation:download", args=["criteria", auth(c)]),
        by_set(SEE_AUTH, 200, 404),
    ),
    # Evaluations
    Row(
        "evaluation:evaluation_create",
        "get",
        lambda c: _page("evaluation_create", auth(c)),
        {**by_set(SEE_AUTH, 403, 404), "enterprise_user": 200},
    ),
    Row(
        "evaluation:evaluation_list",
        "get",
        lambda c: evaluation(c) and _page("evaluation_list"),
        by_set(OFFICE_OR_ENTERPRISE, 200, 403),
        marker="科技副总",
        marker_roles=SEE_AUTH,
    ),
    Row(
        "evaluation:evaluation_detail",
        "get",
        lambda c: _page("evaluation_detail", evaluation(c)),
        by_set(SEE_EVALUATION, 200, 404),
    ),
    Row(
        # A draft is the enterprise's own until submitted; the administrator sees it.
        "evaluation:evaluation_edit",
        "get",
        lambda c: _page("evaluation_edit", evaluation(c, "draft")),
        {**by_set({"admin", "enterprise_user"}, 403, 404), "enterprise_user": 200},
    ),
    Row(
        "evaluation:evaluation_action",
        "post",
        lambda c: _page("evaluation_action", evaluation(c, "draft"), "submit"),
        {**by_set({"admin", "enterprise_user"}, 403, 404), "enterprise_user": 302},
    ),
    # 行业公荐 and 公示
    Row(
        "evaluation:recommendation_list",
        "get",
        lambda c: recommendation(c) and _page("recommendation_list"),
        by_set({*ADMIN_AND_OFFICERS, "association_user"}, 200, 403),
        marker=LIST_TITLE,
        marker_roles=SEE_LIST,
    ),
    Row(
        "evaluation:recommendation_create",
        "get",
        lambda c: _page("recommendation_create"),
        by_set({"association_user"}, 200, 403),
    ),
    Row(
        "evaluation:recommendation_detail",
        "get",
        lambda c: _page("recommendation_detail", recommendation(c)),
        by_set(SEE_LIST, 200, 404),
    ),
    Row(
        "evaluation:recommendation_notice",
        "post",
        lambda c: _page("recommendation_notice", recommendation(c)),
        {**by_set(SEE_LIST, 302, 404), "association_user": 403},
        body=lambda c: {
            "notice_start": _today().isoformat(),
            "notice_end": (_today() + dt.timedelta(days=7)).isoformat(),
        },
    ),
    Row(
        # The office is sent back with the reason (the notice still runs).
        "evaluation:recommendation_finalise",
        "post",
        lambda c: _page("recommendation_finalise", recommendation(c, "notice")),
        {**by_set(SEE_LIST, 302, 404), "association_user": 403},
    ),
    Row(
        "evaluation:objection_resolve",
        "post",
        lambda c: _page("objection_resolve", objection(c)),
        {**by_set({*OFFICE, "enterprise_user"}, 302, 404), "enterprise_user": 403},
        body=lambda c: {"decision": "dismiss", "resolution": "异议不成立。"},
    ),
    Row(
        "evaluation:notice_list",
        "get",
        lambda c: recommendation(c, "notice") and _page("notice_list"),
        statuses(200),
        marker=LIST_TITLE,
        marker_roles=SEE_NOTICE,
    ),
    Row(
        "evaluation:notice_detail",
        "get",
        lambda c: _page("notice_detail", recommendation(c, "notice")),
        by_set(SEE_NOTICE, 200, 404),
    ),
    Row(
        "evaluation:objection_create",
        "post",
        lambda c: _page("objection_create", entry(c)),
        by_set(SEE_NOTICE, 302, 404),
        body=lambda c: {"reason": "矩阵测试异议。"},
    ),
    # Results
    Row(
        "evaluation:result_list",
        "get",
        lambda c: result(c) and _page("result_list"),
        statuses(200),
        marker="创新成果",
        marker_roles=set(),  # the evidence is on the result's own page, not in the list
    ),
    Row(
        "evaluation:result_export",
        "get",
        lambda c: result(c) and reverse("evaluation:result_export", kwargs={"fmt": "csv"}),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
        marker="谭刚",
        marker_roles=OFFICE,
    ),
    Row(
        "evaluation:result_create",
        "get",
        lambda c: _page("result_create"),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
    ),
    Row(
        "evaluation:result_detail",
        "get",
        lambda c: _page("result_detail", result(c)),
        by_set(SEE_RESULT, 200, 404),
        marker="创新成果",
        marker_roles=SEE_RESULT,
    ),
    Row(
        "evaluation:result_revoke",
        "post",
        lambda c: _page("result_revoke", result(c)),
        {**by_set(SEE_RESULT, 302, 404), "talent_user": 403},
        body=lambda c: {"reason": "矩阵测试"},
    ),
    # API
    Row(
        "api:evaluation_authorisation_list",
        "get",
        lambda c: auth(c) and _api("evaluation_authorisation_list"),
        api_statuses(200),
        api=True,
        marker="浙江福莱新材料股份有限公司",
        marker_roles=SEE_AUTH,
    ),
    Row(
        "api:evaluation_authorisation_create",
        "post",
        lambda c: _api("evaluation_authorisation_create"),
        {**api_by_set(SEE_FULAI, 403, 422), "admin": 201, "officer_jiashan": 201},
        body=lambda c: {
            "enterprise": c.orgs["fulai"].pk,
            "scope": "研发岗位",
            "quota": 3,
            "period_start": _today().isoformat(),
            "period_end": (_today() + dt.timedelta(days=90)).isoformat(),
            "criteria_text": "贡献",
        },
        api=True,
    ),
    Row(
        "api:evaluation_authorisation_detail",
        "get",
        lambda c: _api("evaluation_authorisation_detail", auth(c)),
        api_by_set(SEE_AUTH, 200, 404),
        api=True,
    ),
    Row(
        "api:evaluation_authorisation_revoke",
        "post",
        lambda c: _api("evaluation_authorisation_revoke", auth(c)),
        {**api_by_set(SEE_AUTH, 200, 404), "enterprise_user": 403},
        body=lambda c: {"reason": "矩阵测试"},
        api=True,
    ),
    Row(
        "api:evaluation_list",
        "get",
        lambda c: evaluation(c) and _api("evaluation_list"),
        api_statuses(200),
        api=True,
        marker="解决BOPP薄膜涂布缺陷",
        marker_roles=SEE_EVALUATION,
    ),
    Row(
        "api:evaluation_create",
        "post",
        lambda c: _api("evaluation_create"),
        {**api_by_set(SEE_AUTH, 403, 422), "enterprise_user": 201},
        body=lambda c: {
            "authorisation": auth(c),
            "talent": c.talents["tangang"].pk,
            "evaluated_on": _today().isoformat(),
            "role": "科技副总",
            "years_on_job": 20,
            "achievements": "贡献",
            "proposed_tier": "D",
        },
        api=True,
    ),
    Row(
        "api:evaluation_detail",
        "get",
        lambda c: _api("evaluation_detail", evaluation(c)),
        api_by_set(SEE_EVALUATION, 200, 404),
        api=True,
    ),
    Row(
        "api:evaluation_action",
        "post",
        lambda c: _api("evaluation_action", evaluation(c, "draft"), "submit"),
        {**api_by_set({"admin", "enterprise_user"}, 403, 404), "enterprise_user": 200},
        body=lambda c: {},
        api=True,
    ),
    Row(
        "api:evaluation_recommendation_list",
        "get",
        lambda c: recommendation(c, "notice") and _api("evaluation_recommendation_list"),
        api_statuses(200),
        api=True,
        marker=LIST_TITLE,
        marker_roles=SEE_NOTICE | SEE_LIST,
    ),
    Row(
        "api:evaluation_recommendation_create",
        "post",
        lambda c: _api("evaluation_recommendation_create"),
        {**api_by_set({"association_user"}, 201, 403)},
        body=lambda c: {
            "region": "330421",
            "title": "新榜单",
            "entries": [
                {"talent": c.talents["tangang"].pk, "reason": "贡献", "proposed_tier": "D"}
            ],
        },
        api=True,
    ),
    Row(
        "api:evaluation_recommendation_detail",
        "get",
        lambda c: _api("evaluation_recommendation_detail", recommendation(c)),
        api_by_set(SEE_LIST, 200, 404),
        api=True,
    ),
    Row(
        "api:evaluation_recommendation_notice",
        "post",
        lambda c: _api("evaluation_recommendation_notice", recommendation(c)),
        {**api_by_set(SEE_LIST, 200, 404), "association_user": 403},
        body=lambda c: {
            "notice_start": _today().isoformat(),
            "notice_end": (_today() + dt.timedelta(days=7)).isoformat(),
        },
        api=True,
    ),
    Row(
        # The notice still runs: the office is refused with 422, the association with 403.
        "api:evaluation_recommendation_finalise",
        "post",
        lambda c: _api("evaluation_recommendation_finalise", recommendation(c, "notice")),
        {**api_by_set(SEE_LIST, 422, 404), "association_user": 403},
        body=lambda c: {},
        api=True,
    ),
    Row(
        "api:evaluation_objection_create",
        "post",
        lambda c: _api("evaluation_objection_create"),
        api_by_set(SEE_NOTICE, 201, 422),
        body=lambda c: {"entry": entry(c), "reason": "异议"},
        api=True,
    ),
    Row(
        "api:evaluation_objection_resolve",
        "post",
        lambda c: _api("evaluation_objection_resolve", objection(c)),
        {**api_by_set({*OFFICE, "enterprise_user"}, 200, 404), "enterprise_user": 403},
        body=lambda c: {"uphold": False, "resolution": "异议不成立。"},
        api=True,
    ),
    Row(
        "api:evaluation_result_list",
        "get",
        lambda c: result(c) and _api("evaluation_result_list"),
        api_statuses(200),
        api=True,
        marker="创新成果",
        marker_roles=SEE_RESULT,
    ),
    Row(
        "api:evaluation_result_create",
        "post",
        lambda c: _api("evaluation_result_create"),
        {**api_by_set(SEE_FULAI, 403, 422), "admin": 201, "officer_jiashan": 201},
        body=lambda c: {
            "talent": c.talents["tangang"].pk,
            "category": "top_talent",
            "tier": "C",
            "region": "330421",
            "valid_from": _today().isoformat(),
            "evidence": "拔尖人才",
        },
        api=True,
    ),
    Row(
        "api:evaluation_result_detail",
        "get",
        lambda c: _api("evaluation_result_detail", result(c)),
        api_by_set(SEE_RESULT, 200, 404),
        api=True,
    ),
    Row(
        "api:evaluation_result_revoke",
        "post",
        lambda c: _api("evaluation_result_revoke", result(c)),
        {**api_by_set(SEE_RESULT, 200, 404), "talent_user": 403},
        body=lambda c: {"reason": "矩阵测试"},
        api=True,
    ),
]
