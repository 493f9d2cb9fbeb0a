"""Role-matrix rows for the rules app's pages and API: 嘉善's seed policies, and 福莱's
application for 谭刚's 科技副总 subsidy in the state each endpoint is about. Who stands where:

- the talent office of 嘉善 (and admins) manages the policies and reviews first;
- 嘉善's finance bureau reviews second and pays; it sees the applications of 嘉善's policies;
- 福莱 (the applicant) sees and amends its own application;
- everyone else (other regions' offices, 侠峰, the talents, …) sees the policies, not the
  application.
"""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talentflow.rules import services
from talentflow.tests.cast import Cast
from talentflow.tests.matrix_base import Row, api_by_set, api_statuses, by_set, statuses

FULAI = "浙江福莱新材料股份有限公司"
OFFICE = {"admin", "officer_jiashan"}
FINANCE = {"admin", "finance_jiashan"}
SEE_APP = {"admin", "officer_jiashan", "finance_jiashan", "enterprise_user"}
APPLICANT = {"enterprise_user"}
SEE_FULAI = {"admin", "officer_jiashan", "enterprise_user", "talent_user"}


def _once(c: Cast, key: str, build):
    memo = c.__dict__.setdefault("_rules_matrix", {})
    if key not in memo:
        memo[key] = build()
    return memo[key]


def policies(c: Cast) -> dict:
    from talentflow.rules.tests.builders import seed

    return _once(c, "policies", seed)


def vp(c: Cast) -> int:
    return policies(c)["vice_president_subsidy"].pk


def draft(c: Cast) -> int:
    return _once(
        c,
        "draft",
        lambda: services.version_draft_create(
            actor=None, policy=policies(c)["vice_president_subsidy"]
        ),
    ).pk


def application(c: Cast, state: str) -> int:
    from talentflow.rules.tests.builders import vp_application

    return _once(
        c,
        f"application:{state}",
        lambda: vp_application(c, policies(c)["vice_president_subsidy"], state=state),
    ).pk


def evidence(c: Cast) -> int:
    from talentflow.rules.models import Application

    return Application.objects.get(pk=application(c, "submitted")).evidence.first().pk


def listing(c: Cast, name: str, *args) -> str:
    application(c, "submitted")
    return reverse(name, args=args)


def upload(c: Cast) -> dict:
    return {"file": SimpleUploadedFile("年薪证明.pdf", b"%PDF-1.4 matrix", "application/pdf")}


def _rest(members: set[str], yes: int, seen_no: int, no: int) -> dict[str, int]:
    """``yes`` for ``members``, ``seen_no`` for the others who see the application (403),
    ``no`` for the rest (404)."""
    return {**by_set(SEE_APP, seen_no, no), **dict.fromkeys(members, yes)}


def _api_rest(members: set[str], yes: int) -> dict[str, int]:
    return {**api_by_set(SEE_APP, 403, 404), **dict.fromkeys(members, yes)}


RULES_ROWS: list[Row] = [
    # Pages: policies and versions
    Row(
        "rules:policy_list",
        "get",
        lambda c: (vp(c), reverse("rules:policy_list"))[1],
        statuses(200),
        marker="科技副总（英才D类）薪酬补贴",
        marker_roles=set(statuses(200)) - {"anonymous"},
    ),
    Row(
        "rules:policy_detail",
        "get",
        lambda c: reverse("rules:policy_detail", args=[vp(c)]),
        statuses(200),
        marker='id="budgets"',
        marker_roles={"admin", "officer_jiashan", "finance_jiashan"},
    ),
    Row(
        "rules:budget_set",
        "post",
        lambda c: reverse("rules:budget_set", args=[vp(c)]),
        by_set(OFFICE, 302, 403),
        body=lambda c: {"year": 2027, "budget": "500000"},
    ),
    Row(
        "rules:version_draft",
        "post",
        lambda c: reverse("rules:version_draft", args=[vp(c)]),
        by_set(OFFICE, 302, 403),
    ),
    Row(
        "rules:version_detail",
        "get",
        lambda c: reverse("rules:version_detail", args=[draft(c)]),
        by_set(OFFICE, 200, 404),
    ),
    Row(
        "rules:version_edit",
        "get",
        lambda c: reverse("rules:version_edit", args=[draft(c)]),
        by_set(OFFICE, 200, 404),
    ),
    Row(
        "rules:version_whatif",
        "get",
        lambda c: (application(c, "approved"), reverse("rules:version_whatif", args=[draft(c)]))[1],
        by_set(OFFICE, 200, 404),
        marker=FULAI,
        marker_roles=OFFICE,
    ),
    Row(
        "rules:version_publish",
        "post",
        lambda c: reverse("rules:version_publish", args=[draft(c)]),
        by_set(OFFICE, 302, 404),
    ),
    Row(
        "rules:version_discard",
        "post",
        lambda c: reverse("rules:version_discard", args=[draft(c)]),
        by_set(OFFICE, 302, 404),
    ),
    # Pages: applications
    Row(
        "rules:application_list",
        "get",
        lambda c: listing(c, "rules:application_list"),
        statuses(200),
        marker=FULAI,
        marker_roles=SEE_APP,
    ),
    Row(
        "rules:application_export",
        "get",
        lambda c: listing(c, "rules:application_export", "csv"),
        statuses(200),
        marker=FULAI,
        marker_roles=SEE_APP,
    ),
    Row(
        "rules:application_create",
        "get",
        lambda c: reverse("rules:application_create", args=[vp(c)]),
        by_set(APPLICANT, 200, 403),
    ),
    Row(
        "rules:application_detail",
        "get",
        lambda c: reverse("rules:application_detail", args=[application(c, "submitted")]),
        by_set(SEE_APP, 200, 404),
    ),
    Row(
        "rules:application_edit",
        "get",
        lambda c: reverse("rules:application_edit", args=[application(c, "draft")]),
        _rest(APPLICANT, 200, 403, 404),
    ),
    Row(
        "rules:application_submit",
        "post",
        lambda c: reverse("rules:application_submit", args=[application(c, "draft")]),
        _rest(APPLICANT, 302, 403, 404),
    ),
    Row(
        "rules:application_review",
        "post",
        lambda c: reverse("rules:application_review", args=[application(c, "submitted")]),
        _rest(OFFICE, 302, 403, 404),
        body=lambda c: {"action": "office_approve"},
    ),
    Row(
        "rules:application_pay",
        "post",
        lambda c: reverse("rules:application_pay", args=[application(c, "approved")]),
        _rest(FINANCE, 302, 403, 404),
        body=lambda c: {"paid_on": "2026-04-01", "reference": "JS-2026-001"},
    ),
    Row(
        "rules:application_withdraw",
        "post",
        lambda c: reverse("rules:application_withdraw", args=[application(c, "submitted")]),
        _rest(APPLICANT, 302, 403, 404),
        body=lambda c: {"reason": "人员变动，撤回重报"},
    ),
    Row(
        "rules:evidence_download",
        "get",
        lambda c: reverse("rules:evidence_download", args=[evidence(c)]),
        by_set(SEE_APP, 200, 404),
    ),
    # API: policies and versions
    Row(
        "api:rules_policy_list",
        "get",
        lambda c: (vp(c), reverse("api:rules_policy_list"))[1],
        api_statuses(200),
        api=True,
    ),
    Row(
        "api:rules_policy_detail",
        "get",
        lambda c: reverse("api:rules_policy_detail", args=[vp(c)]),
        api_statuses(200),
        api=True,
        marker='"budgets": [',
        marker_roles={"admin", "officer_jiashan", "finance_jiashan"},
    ),
    Row(
        "api:rules_version_draft",
        "post",
        lambda c: reverse("api:rules_version_draft", args=[vp(c)]),
        api_by_set(OFFICE, 201, 403),
        api=True,
    ),
    Row(
        "api:rules_version_detail",
        "get",
        lambda c: reverse("api:rules_version_detail", args=[draft(c)]),
        api_by_set(OFFICE, 200, 404),
        api=True,
    ),
    Row(
        "api:rules_version_update",
        "patch",
        lambda c: reverse("api:rules_version_update", args=[draft(c)]),
        api_by_set(OFFICE, 200, 404),
        body=lambda c: {"params": {"rate": "0.45", "cap": "200000"}},
        api=True,
    ),
    Row(
        "api:rules_version_whatif",
        "get",
        lambda c: reverse("api:rules_version_whatif", args=[draft(c)]),
        api_by_set(OFFICE, 200, 404),
        api=True,
    ),
    Row(
        "api:rules_version_publish",
        "post",
        lambda c: reverse("api:rules_version_publish", args=[draft(c)]),
        api_by_set(OFFICE, 200, 404),
        api=True,
    ),
    Row(
        "api:rules_version_discard",
        "delete",
        lambda c: reverse("api:rules_version_discard", args=[draft(c)]),
        api_by_set(OFFICE, 204, 404),
        api=True,
    ),
    Row(
        "api:rules_policy_compute",
        "post",
        lambda c: reverse("api:rules_policy_compute", args=[vp(c)]),
        api_statuses(200),
        body=lambda c: {"facts": {"appointed": True, "annual_salary": "500000"}},
        api=True,
        marker='"amount": "200000.00"',
        marker_roles=set(api_statuses(200)) - {"anonymous"},
    ),
    # API: applications
    Row(
        "api:rules_application_list",
        "get",
        lambda c: listing(c, "api:rules_application_list"),
        api_statuses(200),
        api=True,
        marker=FULAI,
        marker_roles=SEE_APP,
    ),
    Row(
        "api:rules_application_create",
        "post",
        lambda c: (vp(c), reverse("api:rules_application_create"))[1],
        # 422 (an organisation that does not exist for them) unless they see 福莱.
        {**api_by_set(SEE_FULAI, 403, 422), "enterprise_user": 201},
        body=lambda c: {
            "policy": vp(c),
            "organisation": c.orgs["fulai"].pk,
            "talent": c.talents["tangang"].pk,
            "facts": {"appointed": True, "annual_salary": "480000.00"},
        },
        api=True,
    ),
    Row(
        "api:rules_application_detail",
        "get",
        lambda c: reverse("api:rules_application_detail", args=[application(c, "submitted")]),
        api_by_set(SEE_APP, 200, 404),
        api=True,
    ),
    Row(
        "api:rules_application_update",
        "patch",
        lambda c: reverse("api:rules_application_update", args=[application(c, "draft")]),
        _api_rest(APPLICANT, 200),
        body=lambda c: {"facts": {"appointed": True, "annual_salary": "420000"}},
        api=True,
    ),
    Row(
        "api:rules_application_evidence",
        "post",
        lambda c: reverse("api:rules_application_evidence", args=[application(c, "draft")]),
        _api_rest(APPLICANT, 201),
        body=upload,
        api=True,
        multipart=True,
    ),
    Row(
        "api:rules_application_submit",
        "post",
        lambda c: reverse("api:rules_application_submit", args=[application(c, "draft")]),
        _api_rest(APPLICANT, 200),
        api=True,
    ),
    Row(
        "api:rules_application_review",
        "post",
        lambda c: reverse("api:rules_application_review", args=[application(c, "submitted")]),
        _api_rest(OFFICE, 200),
        body=lambda c: {"action": "office_approve"},
        api=True,
    ),
    Row(
        "api:rules_application_payout",
        "post",
        lambda c: reverse("api:rules_application_payout", args=[application(c, "approved")]),
        _api_rest(FINANCE, 201),
        body=lambda c: {"reference": "JS-2026-002"},
        api=True,
    ),
    Row(
        "api:rules_application_withdraw",
        "post",
        lambda c: reverse(
            "api:rules_application_withdraw", args=[application(c, "finance_review")]
        ),
        _api_rest(APPLICANT, 200),
        body=lambda c: {"reason": "人员变动，撤回重报"},
        api=True,
    ),
]
