"""Role-matrix rows for the need lifecycle (pages and API) and the notification inbox.

Each row builds, through the real services, the need it acts on — 福莱 (嘉善) posing a BOPP
coating need that 杭电嘉善研究院 answers with 谭刚 as lead expert and 研究生甲 on the team —
in the state the endpoint is about. Who stands where:

- the parties deciding about it: the enterprise (福莱), 嘉善's talent office, administrators;
- the solvers: the institute and the two talents on the proposal's team;
- everyone else (other regions' offices, 侠峰, the provider, the association) does not see it.
"""

from __future__ import annotations

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talentflow.needs import services
from talentflow.needs.models import EngagementMilestone, Need, Outcome
from talentflow.needs.tests.builders import SYSTEM, draft_need, frame, need_in_state, propose
from talentflow.tests.cast import Cast
from talentflow.tests.matrix_base import (
    ADMIN_AND_OFFICERS,
    Row,
    api_by_set,
    api_statuses,
    by_set,
    statuses,
)

TITLE = "BOPP 薄膜涂布窝点缺陷攻关"
TODAY = dt.date.today()

DECIDERS = {"admin", "officer_jiashan", "enterprise_user"}
OFFICE = {"admin", "officer_jiashan"}
SOLVERS = {"institution_user", "talent_user", "student_user"}
SEE_OPEN = DECIDERS | SOLVERS  # a published need aimed at no one in particular
PARTIES = DECIDERS | SOLVERS  # once 杭电嘉善研究院's proposal is selected
ENTERPRISE_AND_SOLVERS = {"enterprise_user"} | SOLVERS
VISIT_SEERS = {"admin", "officer_jiashan", "institution_user"}


def _once(c: Cast, key: str, build):
    """Build a record once per test: a row's URL and body may both need it."""
    memo = c.__dict__.setdefault("_matrix", {})
    if key not in memo:
        memo[key] = build()
    return memo[key]


def need(c: Cast, state: str, **fields) -> int:
    key = f"need:{state}:{sorted(fields.items())}"
    return _once(c, key, lambda: need_in_state(c, state, **fields)).pk


def draft(c: Cast) -> int:
    return _once(c, "draft", lambda: draft_need(c)).pk


def confidential(c: Cast) -> int:
    return need(c, "published", confidentiality="confidential")


def proposal(c: Cast) -> int:
    def build():
        published = need_in_state(c, "published")
        return propose(c, published)

    return _once(c, "proposal", build).pk


def attachment(c: Cast) -> int:
    def build():
        # Attached while 福莱 writes it; the need is then published as confidential.
        fresh = draft_need(c, confidentiality="confidential")
        document = services.document_add(
            **SYSTEM,
            need=fresh,
            upload=SimpleUploadedFile("工艺参数.pdf", b"%PDF-1.4 matrix", "application/pdf"),
        )
        services.need_submit(**SYSTEM, need=fresh)
        frame(fresh)
        services.need_publish(**SYSTEM, need=fresh)
        return document

    return _once(c, "attachment", build).pk


def milestone(c: Cast) -> int:
    def build():
        engaged = need_in_state(c, "engaged")
        return EngagementMilestone.objects.filter(engagement__need=engaged).first()

    return _once(c, "milestone", build).pk


def outcome(c: Cast) -> tuple[int, int]:
    def build():
        verified = need_in_state(c, "verified")
        return services.outcome_record(
            **SYSTEM, need=verified, kind="revenue", amount="5000000", qualifier="more_than"
        )

    found: Outcome = _once(c, "outcome", build)
    return found.need_id, found.pk


def visit(c: Cast) -> int:
    return _once(
        c,
        "visit",
        lambda: services.visit_create(
            **SYSTEM,
            enterprise=c.orgs["fulai"],
            visited_on=TODAY,
            visitor_organisation=c.orgs["hdu_jiashan"],
        ),
    ).pk


def criteria_of(c: Cast, state: str) -> list[int]:
    return list(
        Need.objects.get(pk=need(c, state))
        .criteria.order_by("position")
        .values_list("pk", flat=True)
    )


def listing(c: Cast, name: str, *args) -> str:
    need(c, "published")  # something to find
    return reverse(name, args=args)


def member_body(c: Cast) -> dict:
    return {
        "approach": "改进涂布头流场。",
        "trl": 5,
        "cost": "500000.00",
        "ip_terms": "shared",
        "members": [{"talent": c.talents["tangang"].pk, "role": "lead"}],
        "milestones": [{"title": "中试", "due_date": (TODAY + dt.timedelta(days=60)).isoformat()}],
    }


def upload_body(c: Cast) -> dict:
    return {"file": SimpleUploadedFile("图纸.pdf", b"%PDF-1.4 matrix", "application/pdf")}


REASON = {"reason": "请补充现有工艺参数。"}
SEES_FULAI = {"admin", "officer_jiashan", "enterprise_user", "talent_user"}

NEEDS_ROWS: list[Row] = [
    # Pages: the lifecycle
    Row(
        "needs:list",
        "get",
        lambda c: listing(c, "needs:list"),
        statuses(200),
        marker=TITLE,
        marker_roles=SEE_OPEN,
    ),
    Row(
        "needs:create",
        "get",
        lambda c: reverse("needs:create"),
        by_set({"enterprise_user", "enterprise_qingtian"}, 200, 403),
    ),
    Row(
        "needs:export",
        "get",
        lambda c: listing(c, "needs:export", "csv"),
        statuses(200),
        marker=TITLE,
        marker_roles=SEE_OPEN,
    ),
    Row(
        "needs:detail",
        "get",
        lambda c: reverse("needs:detail", args=[need(c, "published")]),
        by_set(SEE_OPEN, 200, 404),
    ),
    Row(
        "needs:edit",
        "get",
        lambda c: reverse("needs:edit", args=[need(c, "submitted")]),
        {**by_set(DECIDERS, 403, 404), **dict.fromkeys(OFFICE, 200)},
    ),
    Row(
        "needs:criteria",
        "get",
        lambda c: reverse("needs:criteria", args=[need(c, "submitted")]),
        {**by_set(DECIDERS, 403, 404), **dict.fromkeys(OFFICE, 200)},
    ),
    Row(
        "needs:transition",
        "post",
        lambda c: reverse("needs:transition", args=[need(c, "submitted"), "return"]),
        {**by_set(DECIDERS, 403, 404), **dict.fromkeys(OFFICE, 302)},
        body=lambda c: REASON,
    ),
    Row(
        "needs:timeline",
        "get",
        lambda c: reverse("needs:timeline", args=[need(c, "published")]),
        by_set(SEE_OPEN, 200, 404),
    ),
    Row(
        "needs:accept_terms",
        "post",
        lambda c: reverse("needs:accept_terms", args=[confidential(c)]),
        by_set(SEE_OPEN, 302, 404),
    ),
    Row(
        "needs:document_upload",
        "get",
        lambda c: reverse("needs:document_upload", args=[draft(c)]),
        {**by_set({"admin", "enterprise_user"}, 403, 404), "enterprise_user": 200},
    ),
    Row(
        # A confidential need's attachment: not for solvers who have not accepted the terms.
        "needs:document_download",
        "get",
        lambda c: reverse("needs:document_download", args=[attachment(c)]),
        by_set(DECIDERS, 200, 404),
    ),
    # Pages: visits (走访)
    Row(
        "needs:visit_list",
        "get",
        lambda c: visit(c) and reverse("needs:visit_list"),
        statuses(200),
        marker="浙江福莱新材料股份有限公司",
        marker_roles=VISIT_SEERS,
    ),
    Row(
        "needs:visit_create",
        "get",
        lambda c: reverse("needs:visit_create"),
        by_set(set(ADMIN_AND_OFFICERS) | {"institution_user"}, 200, 403),
    ),
    Row(
        "needs:visit_detail",
        "get",
        lambda c: reverse("needs:visit_detail", args=[visit(c)]),
        by_set(VISIT_SEERS, 200, 404),
    ),
    Row(
        "needs:visit_need_create",
        "get",
        lambda c: reverse("needs:visit_need_create", args=[visit(c)]),
        by_set(VISIT_SEERS, 200, 404),
    ),
    # Pages: 答题, 验题, 评价
    Row(
        "needs:proposal_create",
        "get",
        lambda c: reverse("needs:proposal_create", args=[need(c, "published")]),
        {**by_set(SEE_OPEN, 403, 404), **dict.fromkeys(SOLVERS, 200)},
    ),
    Row(
        "needs:proposal_detail",
        "get",
        lambda c: reverse("needs:proposal_detail", args=[proposal(c)]),
        by_set(SEE_OPEN, 200, 404),
    ),
    Row(
        "needs:proposal_select",
        "get",
        lambda c: reverse("needs:proposal_select", args=[proposal(c)]),
        {**by_set(SEE_OPEN, 403, 404), **dict.fromkeys(DECIDERS, 200)},
    ),
    Row(
        "needs:proposal_action",
        "post",
        lambda c: reverse("needs:proposal_action", args=[proposal(c), "shortlist"]),
        {**by_set(SEE_OPEN, 403, 404), **dict.fromkeys(DECIDERS, 302)},
    ),
    Row(
        "needs:verification_start",
        "post",
        lambda c: reverse("needs:verification_start", args=[need(c, "engaged")]),
        {**by_set(PARTIES, 403, 404), **dict.fromkeys(ENTERPRISE_AND_SOLVERS, 302)},
    ),
    Row(
        "needs:verification_record",
        "get",
        lambda c: reverse("needs:verification_record", args=[need(c, "verifying")]),
        {**by_set(PARTIES, 403, 404), "enterprise_user": 200},
    ),
    Row(
        "needs:milestone_complete",
        "post",
        lambda c: reverse("needs:milestone_complete", args=[milestone(c)]),
        {**by_set(PARTIES, 403, 404), **dict.fromkeys(ENTERPRISE_AND_SOLVERS, 302)},
        body=lambda c: {"completed_on": TODAY.isoformat()},
    ),
    Row(
        "needs:outcome_create",
        "get",
        lambda c: reverse("needs:outcome_create", args=[need(c, "verified")]),
        by_set(PARTIES, 200, 404),
    ),
    Row(
        "needs:outcome_action",
        "post",
        lambda c: reverse("needs:outcome_action", args=[outcome(c)[1], "confirm"]),
        {**by_set(PARTIES, 403, 404), **dict.fromkeys(OFFICE, 302)},
    ),
    Row(
        "needs:outcome_report",
        "get",
        lambda c: reverse("needs:outcome_report"),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
    ),
    Row(
        "needs:engagement_report",
        "get",
        lambda c: reverse("needs:engagement_report"),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
    ),
    # The inbox
    Row("core:notifications", "get", lambda c: reverse("core:notifications"), statuses(200)),
    Row(
        "core:notifications_read",
        "post",
        lambda c: reverse("core:notifications_read"),
        statuses(302),
    ),
    # API: needs
    Row(
        "api:need_list",
        "get",
        lambda c: listing(c, "api:need_list"),
        api_statuses(200),
        api=True,
        marker=TITLE,
        marker_roles=SEE_OPEN,
    ),
    Row(
        "api:need_create",
        "post",
        lambda c: reverse("api:need_create"),
        # 422 (the field names an enterprise that does not exist for them) unless they see 福莱.
        {**api_by_set(SEES_FULAI, 403, 422), "enterprise_user": 201},
        body=lambda c: {"enterprise": c.orgs["fulai"].pk, "title": "新需求", "summary": "概述"},
        api=True,
    ),
    Row(
        "api:need_detail",
        "get",
        lambda c: reverse("api:need_detail", args=[need(c, "published")]),
        api_by_set(SEE_OPEN, 200, 404),
        api=True,
    ),
    Row(
        "api:need_update",
        "patch",
        lambda c: reverse("api:need_update", args=[need(c, "submitted")]),
        {**api_by_set(DECIDERS, 403, 404), **dict.fromkeys(OFFICE, 200)},
        body=lambda c: {"solver_brief": "涂布头流场问题。"},
        api=True,
    ),
    Row(
        "api:need_criteria_set",
        "put",
        lambda c: reverse("api:need_criteria_set", args=[need(c, "submitted")]),
        {**api_by_set(DECIDERS, 403, 404), **dict.fromkeys(OFFICE, 200)},
        body=lambda c: {"criteria": [{"description": "良品率 ≥ 98%", "comparator": "pass_fail"}]},
        api=True,
    ),
    Row(
        "api:need_action",
        "post",
        lambda c: reverse("api:need_action", args=[need(c, "submitted"), "return"]),
        {**api_by_set(DECIDERS, 403, 404), **dict.fromkeys(OFFICE, 200)},
        body=lambda c: REASON,
        api=True,
    ),
    Row(
        "api:need_accept_terms",
        "post",
        lambda c: reverse("api:need_accept_terms", args=[confidential(c)]),
        api_by_set(SEE_OPEN, 200, 404),
        api=True,
    ),
    Row(
        "api:need_timeline",
        "get",
        lambda c: reverse("api:need_timeline", args=[need(c, "published")]),
        api_by_set(SEE_OPEN, 200, 404),
        api=True,
    ),
    Row(
        "api:need_document_add",
        "post",
        lambda c: reverse("api:need_document_add", args=[draft(c)]),
        {**api_by_set({"admin", "enterprise_user"}, 403, 404), "enterprise_user": 201},
        body=upload_body,
        api=True,
        multipart=True,
    ),
    Row(
        "api:need_document_download",
        "get",
        lambda c: reverse("api:need_document_download", args=[attachment(c)]),
        api_by_set(DECIDERS, 200, 404),
        api=True,
    ),
    # API: 答题
    Row(
        "api:proposal_list",
        "get",
        lambda c: proposal(c) and reverse("api:proposal_list", args=[need(c, "published")]),
        api_by_set(SEE_OPEN, 200, 404),
        api=True,
    ),
    Row(
        "api:proposal_create",
        "post",
        lambda c: reverse("api:proposal_create", args=[need(c, "published")]),
        {**api_by_set(SEE_OPEN, 403, 404), **dict.fromkeys(SOLVERS, 201)},
        body=member_body,
        api=True,
    ),
    Row(
        "api:proposal_detail",
        "get",
        lambda c: reverse("api:proposal_detail", args=[proposal(c)]),
        api_by_set(SEE_OPEN, 200, 404),
        api=True,
    ),
    Row(
        "api:proposal_action",
        "post",
        lambda c: reverse("api:proposal_action", args=[proposal(c), "shortlist"]),
        {**api_by_set(SEE_OPEN, 403, 404), **dict.fromkeys(DECIDERS, 200)},
        api=True,
    ),
    Row(
        "api:proposal_select",
        "post",
        lambda c: reverse("api:proposal_select", args=[proposal(c)]),
        {**api_by_set(SEE_OPEN, 403, 404), **dict.fromkeys(DECIDERS, 201)},
        body=lambda c: {"contract_amount": "580000.00", "signed_on": TODAY.isoformat()},
        api=True,
    ),
    # API: the engagement and 验题
    Row(
        "api:need_engagement",
        "get",
        lambda c: reverse("api:need_engagement", args=[need(c, "engaged")]),
        api_by_set(PARTIES, 200, 404),
        api=True,
    ),
    Row(
        "api:need_verification_start",
        "post",
        lambda c: reverse("api:need_verification_start", args=[need(c, "engaged")]),
        {**api_by_set(PARTIES, 403, 404), **dict.fromkeys(ENTERPRISE_AND_SOLVERS, 200)},
        api=True,
    ),
    Row(
        "api:need_verification_record",
        "post",
        lambda c: reverse("api:need_verification_record", args=[need(c, "verifying")]),
        {**api_by_set(PARTIES, 403, 404), "enterprise_user": 200},
        body=lambda c: {
            "checks": [
                {"criterion": pk, "passed": True, "measured_value": "98.6", "unit": "%"}
                for pk in criteria_of(c, "verifying")
            ]
        },
        api=True,
    ),
    Row(
        "api:need_milestone_complete",
        "post",
        lambda c: reverse("api:need_milestone_complete", args=[milestone(c)]),
        {**api_by_set(PARTIES, 403, 404), **dict.fromkeys(ENTERPRISE_AND_SOLVERS, 200)},
        body=lambda c: {"completed_on": TODAY.isoformat()},
        api=True,
    ),
    # API: 评价
    Row(
        "api:outcome_list",
        "get",
        lambda c: reverse("api:outcome_list", args=[outcome(c)[0]]),
        api_by_set(PARTIES, 200, 404),
        api=True,
    ),
    Row(
        "api:outcome_create",
        "post",
        lambda c: reverse("api:outcome_create", args=[need(c, "verified")]),
        api_by_set(PARTIES, 201, 404),
        body=lambda c: {"kind": "energy_reduction", "amount": "15"},
        api=True,
    ),
    Row(
        "api:outcome_confirm",
        "post",
        lambda c: reverse("api:outcome_confirm", args=list(outcome(c))),
        {**api_by_set(PARTIES, 403, 404), **dict.fromkeys(OFFICE, 200)},
        api=True,
    ),
    Row(
        "api:outcome_reject",
        "post",
        lambda c: reverse("api:outcome_reject", args=list(outcome(c))),
        {**api_by_set(PARTIES, 403, 404), **dict.fromkeys(OFFICE, 200)},
        body=lambda c: {"reason": "缺少财务佐证。"},
        api=True,
    ),
    Row(
        "api:outcome_report",
        "get",
        lambda c: reverse("api:outcome_report"),
        api_by_set(set(ADMIN_AND_OFFICERS), 200, 403),
        api=True,
    ),
    Row(
        "api:need_engagement_report",
        "get",
        lambda c: reverse("api:need_engagement_report"),
        api_by_set(set(ADMIN_AND_OFFICERS), 200, 403),
        api=True,
    ),
    # API: visits (走访)
    Row(
        "api:visit_list",
        "get",
        lambda c: visit(c) and reverse("api:visit_list"),
        api_statuses(200),
        api=True,
        marker="浙江福莱新材料股份有限公司",
        marker_roles=VISIT_SEERS,
    ),
    Row(
        "api:visit_summary",
        "get",
        lambda c: visit(c) and reverse("api:visit_summary"),
        api_statuses(200),
        api=True,
    ),
    Row(
        "api:visit_create",
        "post",
        lambda c: reverse("api:visit_create"),
        # Nobody else sees both 福莱 and the institute: 422 naming the field.
        api_by_set(VISIT_SEERS, 201, 422),
        body=lambda c: {
            "enterprise": c.orgs["fulai"].pk,
            "visited_on": TODAY.isoformat(),
            "visitor_organisation": c.orgs["hdu_jiashan"].pk,
        },
        api=True,
    ),
]
