"""Needs over the API (出题, 助题, transitions, timeline), for every role of the cast.

Callers authenticate with bearer tokens, as integrations do. What a role sees is what the
selectors give it; what it may do is what the services allow: 404 for a need it cannot see,
403 for one it sees but may not change, 422 for a transition from the wrong state.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentflow.accounts.services import api_token_create
from talentflow.core.models import AuditEvent
from talentflow.needs import services
from talentflow.needs.models import ConfidentialityAcceptance, Need, NeedEvent
from talentflow.needs.selectors import NeedFilters, need_list
from talentflow.needs.tests.builders import SYSTEM, TODAY, draft_need, frame, need_in_state
from talentflow.tests.cast import CAST_ROLES

BASE = "/api/needs"


class Api:
    """A test client speaking JSON with one user's bearer token (none: anonymous), asking
    for English so that labels are stable whatever the catalogue holds."""

    def __init__(self, client, user=None) -> None:
        self.client = client
        self.headers = {"Accept-Language": "en"}
        if user is not None:
            _token, key = api_token_create(actor=user, name="needs-api-test")
            self.headers["Authorization"] = f"Bearer {key}"

    def get(self, path: str, params: dict | None = None):
        return self.client.get(BASE + path, params or {}, headers=self.headers)

    def _send(self, method: str, path: str, body):
        call = getattr(self.client, method)
        return call(BASE + path, body, content_type="application/json", headers=self.headers)

    def post(self, path: str, body=None):
        return self._send("post", path, body if body is not None else {})

    def patch(self, path: str, body):
        return self._send("patch", path, body)

    def put(self, path: str, body):
        return self._send("put", path, body)


def api_as(client, cast, role: str) -> Api:
    return Api(client, getattr(cast, role))


def ok(response, status: int = 200) -> dict | list:
    assert response.status_code == status, response.content.decode()
    return response.json()


def ids(response) -> set[int]:
    return {item["id"] for item in ok(response)["items"]}


def framed_submitted(cast) -> Need:
    """Submitted and framed by the office: ready to publish."""
    need = draft_need(cast)
    services.need_submit(**SYSTEM, need=need)
    return frame(need)


def confidential_published(cast) -> Need:
    return need_in_state(cast, "published", confidentiality="confidential")


# Authentication --------------------------------------------------------------------------


def _operations(client):
    schema = client.get("/api/openapi.json").json()
    for path, item in schema["paths"].items():
        if path.startswith(BASE):
            for method in item:
                yield method, path


def test_every_needs_operation_requires_authentication(client, db):
    """Without a token (or session) every operation of the needs API answers 401."""
    operations = list(_operations(client))
    assert len(operations) >= 28
    for method, path in operations:
        url = re.sub(r"\{action\}", "submit", re.sub(r"\{\w+_id\}", "1", path))
        response = getattr(client, method)(url, {}, content_type="application/json")
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.json()["detail"]


def test_operations_are_named_for_the_role_matrix(db):
    """Every needs operation has a URL name starting need_, proposal_, outcome_ or visit_."""
    from talentflow.api import api

    patterns, _app, _namespace = api.urls
    names = [p.name for p in patterns if str(p.pattern).startswith("needs")]
    assert len(names) >= 28
    assert len(set(names)) == len(names)
    assert all(re.match(r"^(need|proposal|outcome|visit)_", name) for name in names), names


# Lists -----------------------------------------------------------------------------------


@pytest.fixture
def needs_in_every_state(cast) -> dict[str, Need]:
    return {
        state: need_in_state(cast, state, title=f"状态 {state}")
        for state in ("draft", "submitted", "published", "engaged", "closed", "withdrawn")
    }


@pytest.mark.parametrize("role", CAST_ROLES)
def test_list_holds_what_the_selector_shows(client, cast, needs_in_every_state, role):
    """For every role the API list is exactly the selector's (the web list's) rows."""
    user = getattr(cast, role)
    expected = set(need_list(user=user).values_list("pk", flat=True))
    response = api_as(client, cast, role).get("", {"page_size": 100})
    assert ids(response) == expected
    assert response.json()["count"] == len(expected)


def test_list_scoping_by_role(client, cast, needs_in_every_state):
    """The enterprise sees its drafts; its office everything once submitted; 青田's office
    nothing of 嘉善; the institution and the expert what is open and what they answered; a
    service provider, no solver, nothing."""
    n = {state: need.pk for state, need in needs_in_every_state.items()}
    assert ids(api_as(client, cast, "enterprise_user").get("")) == set(n.values())
    assert ids(api_as(client, cast, "officer_jiashan").get("")) == set(n.values()) - {n["draft"]}
    assert ids(api_as(client, cast, "officer_qingtian").get("")) == set()
    assert ids(api_as(client, cast, "institution_user").get("")) == {
        n["published"],
        n["engaged"],
        n["closed"],
    }
    assert ids(api_as(client, cast, "talent_user").get("")) == {
        n["published"],
        n["engaged"],
        n["closed"],
    }
    assert ids(api_as(client, cast, "provider_qingpu").get("")) == set()


def test_list_filters(client, cast, needs_in_every_state):
    """stage, state, q, open_only, source and overdue filter as the web list does."""
    n = {state: need.pk for state, need in needs_in_every_state.items()}
    api = api_as(client, cast, "enterprise_user")
    assert ids(api.get("", {"stage": "answer"})) == {n["published"], n["engaged"]}
    assert ids(api.get("", {"state": "draft"})) == {n["draft"]}
    assert ids(api.get("", {"open_only": "true"})) == {n["published"]}
    assert ids(api.get("", {"q": "状态 closed"})) == {n["closed"]}
    assert ids(api.get("", {"source": "visit"})) == set()
    Need.objects.filter(pk=n["submitted"]).update(stage_due=TODAY - dt.timedelta(days=3))
    assert ids(api.get("", {"overdue": "true"})) == {n["submitted"]}
    assert ids(api.get("", {"region": "330400"})) == set(n.values())
    assert ids(api.get("", {"region": "331100"})) == set()
    expected = need_list(user=cast.enterprise_user, filters=NeedFilters(stage="ended"))
    assert ids(api.get("", {"stage": "ended"})) == set(expected.values_list("pk", flat=True))


def test_list_rejects_an_unknown_stage(client, cast):
    """A misspelt stage is an error, not a silently unfiltered list."""
    assert api_as(client, cast, "admin").get("", {"stage": "solve"}).status_code == 422


def test_list_item_shape(client, cast):
    """Items carry stage, state, deadline, codes with names, and budgets as exact strings."""
    need = need_in_state(cast, "submitted")
    [item] = ok(api_as(client, cast, "officer_jiashan").get(""))["items"]
    assert item["id"] == need.pk
    assert item["state"] == "submitted" and item["stage"] == "assist"
    assert item["stage_due"] == need.stage_due.isoformat()
    assert item["overdue"] is False
    assert item["enterprise"]["name"] == "浙江福莱新材料股份有限公司"
    assert item["region"]["code"] == "330421"
    assert item["budget_min"] == "300000.00" and item["budget_max"] == "800000.00"
    assert item["url"] == need.get_absolute_url()
    assert "description" not in item and "current_state" not in item


def test_list_queries_do_not_grow_with_the_page(client, cast, django_assert_max_num_queries):
    """A page of 40 needs costs as many queries as a page of 2."""
    for n in range(40):
        draft_need(cast, title=f"查询测试 {n}", industry="2921")
    api = api_as(client, cast, "enterprise_user")
    with CaptureQueriesContext(connection) as small:
        assert len(ok(api.get("", {"page_size": 2}))["items"]) == 2
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(ok(api.get("", {"page_size": 40}))["items"]) == 40


# Detail and confidentiality --------------------------------------------------------------


def test_detail_for_the_enterprise(client, cast):
    """The detail holds the text, criteria, targets and what the caller may do now."""
    need = need_in_state(cast, "draft")
    body = ok(api_as(client, cast, "enterprise_user").get(f"/{need.pk}"))
    assert body["description"] == need.description
    assert body["current_state"] == need.current_state
    assert body["details_hidden"] is False
    assert body["attachments"] == []
    assert body["allowed_actions"] == ["submit", "withdraw"]
    assert body["may"] == {
        "edit": True,
        "set_criteria": False,
        "propose": False,
        "accept_terms": False,
    }
    assert body["stage"] == "pose"


def test_detail_for_the_office_while_assisting(client, cast):
    """The office of the region may return, publish or withdraw a submitted need, and
    frame it; criteria come with exact target values."""
    need = framed_submitted(cast)
    body = ok(api_as(client, cast, "officer_jiashan").get(f"/{need.pk}"))
    assert body["allowed_actions"] == ["return", "publish", "withdraw"]
    assert body["may"]["edit"] and body["may"]["set_criteria"]
    assert [c["description"] for c in body["criteria"]] == ["良品率", "连续生产 72 小时无窝点"]
    assert body["criteria"][0]["target_value"] == "98.0000"
    assert body["criteria"][0]["comparator"] == "at_least"
    assert body["criteria"][1]["target_value"] is None
    assert body["industry"]["code"] == "2921"


@pytest.mark.parametrize(
    ("state", "role"),
    [
        ("draft", "officer_jiashan"),  # a draft is the enterprise's alone
        ("submitted", "officer_qingtian"),
        ("submitted", "institution_user"),
        ("published", "enterprise_qingtian"),
        ("engaged", "provider_qingpu"),
    ],
)
def test_detail_not_visible_is_404(client, cast, state, role):
    """A need hidden from the caller is 404, as if it did not exist."""
    need = need_in_state(cast, state)
    response = api_as(client, cast, role).get(f"/{need.pk}")
    assert response.status_code == 404
    assert list(response.json()) == ["detail"]


def test_detail_missing_is_404(client, cast):
    assert api_as(client, cast, "admin").get("/987654").status_code == 404


def test_confidential_details_never_reach_a_solver_before_the_terms(client, cast):
    """A confidential published need shows an institution its summary only — no
    description, current state or attachments — until it accepts the terms; then all."""
    need = confidential_published(cast)
    api = api_as(client, cast, "institution_user")
    response = api.get(f"/{need.pk}")
    body = ok(response)
    assert body["details_hidden"] is True
    assert body["description"] is None
    assert body["current_state"] is None
    assert body["attachments"] is None
    assert body["summary"] == need.summary
    assert body["may"]["accept_terms"] is True
    raw = response.content.decode()
    assert need.description not in raw and need.current_state not in raw
    # Nor does the list, nor the timeline.
    assert need.description not in api.get("").content.decode()
    assert need.description not in api.get(f"/{need.pk}/timeline").content.decode()

    accepted = ok(api.post(f"/{need.pk}/accept-terms"))
    assert accepted["details_hidden"] is False
    assert accepted["description"] == need.description
    assert accepted["current_state"] == need.current_state
    assert accepted["attachments"] == []
    assert ConfidentialityAcceptance.objects.filter(need=need, user=cast.institution_user)
    assert AuditEvent.objects.filter(
        action="need.confidentiality_accept", actor=cast.institution_user
    ).exists()
    # Accepting is per user: another solver still sees the summary only.
    assert ok(api_as(client, cast, "talent_user").get(f"/{need.pk}"))["details_hidden"] is True


def test_parties_see_confidential_details_without_accepting(client, cast):
    """The enterprise and its office are parties: they never need to accept terms."""
    need = confidential_published(cast)
    for role in ("enterprise_user", "officer_jiashan", "admin"):
        body = ok(api_as(client, cast, role).get(f"/{need.pk}"))
        assert body["details_hidden"] is False, role
        assert body["description"] == need.description


def test_accepting_terms_of_a_public_need_is_422(client, cast):
    """A public need has no confidential details to accept terms for."""
    need = need_in_state(cast, "published")
    response = api_as(client, cast, "institution_user").post(f"/{need.pk}/accept-terms")
    assert response.status_code == 422
    assert response.json()["detail"]


def test_accepting_terms_of_a_hidden_need_is_404(client, cast):
    need = need_in_state(cast, "submitted", confidentiality="confidential")
    response = api_as(client, cast, "institution_user").post(f"/{need.pk}/accept-terms")
    assert response.status_code == 404


def test_detail_queries_do_not_grow_with_its_parts(client, cast, django_assert_max_num_queries):
    """A need with 20 criteria, 8 disciplines and 5 target institutions costs as many
    queries as one with a single criterion."""
    from talentflow.reference.models import Discipline
    from talentflow.tests.factories import OrganisationFactory

    small = framed_submitted(cast)
    services.criteria_set(
        **SYSTEM, need=small, criteria=[{"description": "良品率", "comparator": "pass_fail"}]
    )
    large = framed_submitted(cast)
    services.criteria_set(
        **SYSTEM,
        need=large,
        criteria=[{"description": f"指标 {i}", "comparator": "pass_fail"} for i in range(20)],
    )
    institutes = [
        OrganisationFactory(name=f"研究院{i}", kind="research_institute") for i in range(5)
    ]
    services.need_update(
        **SYSTEM,
        need=large,
        data={
            "disciplines": list(Discipline.objects.all()[:8]),
            "target_institutions": institutes,
        },
    )
    api = api_as(client, cast, "officer_jiashan")
    with CaptureQueriesContext(connection) as baseline:
        ok(api.get(f"/{small.pk}"))
    with django_assert_max_num_queries(len(baseline.captured_queries)):
        body = ok(api.get(f"/{large.pk}"))
    assert len(body["criteria"]) == 20
    assert len(body["disciplines"]) == 8
    assert len(body["target_institutions"]) == 5


# 出题: creating and editing --------------------------------------------------------------


def new_need(cast, **extra) -> dict:
    return {
        "enterprise": cast.orgs["fulai"].pk,
        "title": "双向拉伸薄膜静电消除",
        "summary": "BOPP 薄膜收卷静电大，需要静电消除方案。",
        "description": "收卷时静电电压超过 20 kV。",
        "current_state": "现用离子棒效果不稳定。",
        "target_indicators": "静电电压 ≤ 2 kV",
        "industry": "2921",
        "budget_min": "200000.00",
        "budget_max": "500000",
        "wanted_by": (TODAY + dt.timedelta(days=90)).isoformat(),
        "confidentiality": "confidential",
        **extra,
    }


def test_enterprise_poses_a_draft(client, cast):
    """201: a draft of the enterprise, marked as from the API, audited, budgets exact."""
    body = ok(api_as(client, cast, "enterprise_user").post("", new_need(cast)), 201)
    assert body["state"] == "draft" and body["stage"] == "pose"
    assert body["budget_min"] == "200000.00"
    assert body["budget_max"] == "500000.00"
    assert body["confidentiality"] == "confidential"
    assert body["description"] == "收卷时静电电压超过 20 kV。"
    need = Need.objects.get(pk=body["id"])
    assert need.data_source == "api"
    assert need.budget_max == Decimal("500000")
    assert need.created_by == cast.enterprise_user
    event = AuditEvent.objects.get(action="need.create", object_id=str(need.pk))
    assert event.actor_id == cast.enterprise_user.pk


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer_jiashan", 403),  # sees 福莱, but only the enterprise poses its needs
        ("admin", 403),
        ("institution_user", 422),  # 福莱 is not an organisation it can see: unknown
        ("enterprise_qingtian", 422),
        ("talent_user", 403),  # serves 福莱, but does not act for it
    ],
)
def test_others_cannot_pose_for_the_enterprise(client, cast, role, status):
    """Only a user acting for the enterprise poses its needs; nothing is written."""
    response = api_as(client, cast, role).post("", new_need(cast))
    assert response.status_code == status, response.content
    if status == 422:
        assert list(response.json()["errors"]) == ["enterprise"]
    assert not Need.objects.exists()


@pytest.mark.parametrize("field", ["budget_min", "budget_max"])
def test_budget_as_a_json_float_is_refused(client, cast, field):
    """A budget sent as a JSON number with a fraction is 422 naming the field."""
    response = api_as(client, cast, "enterprise_user").post("", new_need(cast, **{field: 300000.5}))
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == field
    assert "string" in error["msg"]
    assert not Need.objects.exists()


def test_budget_upper_end_below_lower_end_is_422(client, cast):
    response = api_as(client, cast, "enterprise_user").post(
        "", new_need(cast, budget_min="500000", budget_max="100000")
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["budget_max"]


def test_unknown_industry_is_422_naming_it(client, cast):
    response = api_as(client, cast, "enterprise_user").post("", new_need(cast, industry="9999"))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["industry"]


def test_enterprise_edits_its_draft(client, cast):
    """PATCH changes the fields sent and leaves the others."""
    need = need_in_state(cast, "draft")
    body = ok(
        api_as(client, cast, "enterprise_user").patch(
            f"/{need.pk}", {"title": "新标题", "budget_max": "900000.00", "current_state": None}
        )
    )
    assert body["title"] == "新标题"
    assert body["budget_max"] == "900000.00"
    assert body["current_state"] == ""
    assert body["summary"] == need.summary


def test_enterprise_may_not_frame_its_need(client, cast):
    """The brief for solvers is the office's: 422 naming the field, nothing changed."""
    need = need_in_state(cast, "draft")
    response = api_as(client, cast, "enterprise_user").patch(
        f"/{need.pk}", {"title": "新标题", "solver_brief": "自己写的"}
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["solver_brief"]
    need.refresh_from_db()
    assert need.title != "新标题"


def test_office_frames_a_submitted_need(client, cast):
    """The office sets the brief, industry, disciplines, targets and proposals deadline."""
    from talentflow.tests.factories import PoolFactory

    need = need_in_state(cast, "submitted")
    pool = PoolFactory(code="jiashan-film", name="嘉善薄膜人才库")
    due = (TODAY + dt.timedelta(days=20)).isoformat()
    body = ok(
        api_as(client, cast, "officer_jiashan").patch(
            f"/{need.pk}",
            {
                "solver_brief": "涂布头流场问题。",
                "industry": "2921",
                "disciplines": ["0805"],
                "target_institutions": [cast.orgs["hdu_jiashan"].pk],
                "target_pools": [pool.code],
                "proposals_due": due,
            },
        )
    )
    assert body["solver_brief"] == "涂布头流场问题。"
    assert [d["code"] for d in body["disciplines"]] == ["0805"]
    assert [o["id"] for o in body["target_institutions"]] == [cast.orgs["hdu_jiashan"].pk]
    assert [p["code"] for p in body["target_pools"]] == ["jiashan-film"]
    assert body["proposals_due"] == due


@pytest.mark.parametrize(
    ("state", "role", "status"),
    [
        ("published", "enterprise_user", 403),  # no longer the enterprise's to edit
        ("submitted", "enterprise_user", 403),
        ("engaged", "officer_jiashan", 403),  # framing ends when a solver is selected
        ("published", "institution_user", 403),
        ("draft", "officer_jiashan", 404),
        ("submitted", "officer_qingtian", 404),
    ],
)
def test_edit_refused(client, cast, state, role, status):
    need = need_in_state(cast, state)
    response = api_as(client, cast, role).patch(f"/{need.pk}", {"title": "改不了"})
    assert response.status_code == status


def test_office_sets_the_criteria(client, cast):
    """PUT replaces the list; target values are exact decimals."""
    need = need_in_state(cast, "submitted")
    body = ok(
        api_as(client, cast, "officer_jiashan").put(
            f"/{need.pk}/criteria",
            {
                "criteria": [
                    {
                        "description": "涂层附着力",
                        "comparator": "at_least",
                        "target_value": "4.5",
                        "unit": "N/cm",
                    },
                    {"description": "连续生产无缺陷"},
                ]
            },
        )
    )
    assert [c["description"] for c in body] == ["涂层附着力", "连续生产无缺陷"]
    assert body[0]["target_value"] == "4.5000"
    assert body[1]["comparator"] == "pass_fail"
    assert list(need.criteria.values_list("target_value", flat=True)) == [Decimal("4.5"), None]


def test_a_measured_criterion_needs_its_target(client, cast):
    need = need_in_state(cast, "submitted")
    response = api_as(client, cast, "officer_jiashan").put(
        f"/{need.pk}/criteria",
        {"criteria": [{"description": "良品率", "comparator": "at_least"}]},
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["criteria.1.target_value"]


@pytest.mark.parametrize(
    ("state", "role", "status"),
    [
        ("submitted", "enterprise_user", 403),
        ("published", "institution_user", 403),
        ("engaged", "officer_jiashan", 403),
        ("submitted", "officer_qingtian", 404),
    ],
)
def test_criteria_refused(client, cast, state, role, status):
    need = need_in_state(cast, state)
    response = api_as(client, cast, role).put(
        f"/{need.pk}/criteria", {"criteria": [{"description": "x"}]}
    )
    assert response.status_code == status


# Transitions -----------------------------------------------------------------------------

# (action, the state it starts from, who may, the state it leads to)
ALLOWED = [
    ("submit", "draft", "enterprise_user", "submitted"),
    ("submit", "returned", "enterprise_user", "submitted"),
    ("return", "submitted", "officer_jiashan", "returned"),
    ("publish", "framed", "officer_jiashan", "published"),
    ("publish", "framed", "admin", "published"),
    ("withdraw", "draft", "enterprise_user", "withdrawn"),
    ("withdraw", "published", "enterprise_user", "withdrawn"),
    ("withdraw", "submitted", "officer_jiashan", "withdrawn"),
    ("cancel", "engaged", "enterprise_user", "cancelled"),
    ("cancel", "verifying", "officer_jiashan", "cancelled"),
    ("close", "valued", "officer_jiashan", "closed"),
]

# Visible to the role but not theirs to do: 403.
FORBIDDEN_PARTY = [
    ("submit", "returned", "officer_jiashan"),
    ("return", "submitted", "enterprise_user"),
    ("publish", "framed", "enterprise_user"),
    ("withdraw", "published", "institution_user"),
    ("withdraw", "published", "talent_user"),
    ("cancel", "engaged", "institution_user"),  # a solver, but may not cancel
    ("cancel", "engaged", "talent_user"),
    ("close", "valued", "enterprise_user"),
    ("close", "valued", "institution_user"),
]

# The right party, the wrong state: 422.
FORBIDDEN_STATE = [
    ("submit", "published", "enterprise_user"),
    ("return", "published", "officer_jiashan"),
    ("publish", "returned", "officer_jiashan"),
    ("withdraw", "engaged", "enterprise_user"),
    ("cancel", "published", "officer_jiashan"),
    ("close", "engaged", "officer_jiashan"),
    ("close", "closed", "officer_jiashan"),
]


def need_at(cast, state: str) -> Need:
    if state == "framed":
        return framed_submitted(cast)
    if state == "valued":  # verified, with an outcome confirmed: ready to close
        need = need_in_state(cast, "verified")
        outcome = services.outcome_record(
            **SYSTEM, need=need, kind="revenue", amount=Decimal("5000000")
        )
        services.outcome_confirm(**SYSTEM, outcome=outcome)
        return need
    return need_in_state(cast, state)


REASON = {"reason": "企业已另行解决。"}


@pytest.mark.parametrize(("action", "start", "role", "target"), ALLOWED)
def test_transition_allowed(client, cast, action, start, role, target):
    """The right party moves the need on: new state, timeline entry, audit event."""
    need = need_at(cast, start)
    before = NeedEvent.objects.filter(need=need).count()
    body = ok(api_as(client, cast, role).post(f"/{need.pk}/actions/{action}", REASON))
    assert body["state"] == target
    need.refresh_from_db()
    assert need.state == target
    assert NeedEvent.objects.filter(need=need).count() == before + 1
    assert AuditEvent.objects.filter(
        action=f"need.{action}", object_id=str(need.pk), actor=getattr(cast, role)
    ).exists()


@pytest.mark.parametrize(("action", "start", "role"), FORBIDDEN_PARTY)
def test_transition_by_the_wrong_party_is_403(client, cast, action, start, role):
    need = need_at(cast, start)
    state = Need.objects.get(pk=need.pk).state
    response = api_as(client, cast, role).post(f"/{need.pk}/actions/{action}", REASON)
    assert response.status_code == 403, response.content
    assert Need.objects.get(pk=need.pk).state == state


@pytest.mark.parametrize(("action", "start", "role"), FORBIDDEN_STATE)
def test_transition_from_the_wrong_state_is_422(client, cast, action, start, role):
    need = need_at(cast, start)
    response = api_as(client, cast, role).post(f"/{need.pk}/actions/{action}", REASON)
    assert response.status_code == 422, response.content
    assert Need.objects.get(pk=need.pk).state == need.state


@pytest.mark.parametrize(
    ("action", "start", "role"),
    [
        ("return", "submitted", "officer_jiashan"),
        ("withdraw", "draft", "enterprise_user"),
        ("cancel", "engaged", "enterprise_user"),
    ],
)
def test_transition_without_its_reason_is_422(client, cast, action, start, role):
    """Return, withdraw and cancel need a reason: 422 naming it, with or without a body."""
    need = need_at(cast, start)
    api = api_as(client, cast, role)
    for body in ({}, {"reason": "  "}):
        response = api.post(f"/{need.pk}/actions/{action}", body)
        assert response.status_code == 422
        assert list(response.json()["errors"]) == ["reason"]
    assert Need.objects.get(pk=need.pk).state == start


def test_reason_is_on_the_timeline(client, cast):
    """The return reason is what the enterprise reads on the timeline."""
    need = need_in_state(cast, "submitted")
    ok(
        api_as(client, cast, "officer_jiashan").post(
            f"/{need.pk}/actions/return", {"reason": "请补充工艺参数。"}
        )
    )
    timeline = ok(api_as(client, cast, "enterprise_user").get(f"/{need.pk}/timeline"))
    last = timeline[-1]
    assert last["action"] == "return"
    assert last["from_state"] == "submitted" and last["to_state"] == "returned"
    assert last["stage"] == "pose"
    assert last["note"] == "请补充工艺参数。"
    assert last["actor"] == "嘉善人才办"


def test_publishing_an_unframed_need_names_what_is_missing(client, cast):
    need = need_in_state(cast, "submitted")
    response = api_as(client, cast, "officer_jiashan").post(f"/{need.pk}/actions/publish")
    assert response.status_code == 422
    assert {"solver_brief", "industry", "criteria", "proposals_due"} <= set(
        response.json()["errors"]
    )


def test_unknown_action_is_422(client, cast):
    need = need_in_state(cast, "draft")
    response = api_as(client, cast, "enterprise_user").post(f"/{need.pk}/actions/approve")
    assert response.status_code == 422


def test_transition_on_a_hidden_need_is_404(client, cast):
    need = need_in_state(cast, "submitted")
    response = api_as(client, cast, "officer_qingtian").post(f"/{need.pk}/actions/publish")
    assert response.status_code == 404


# Timeline --------------------------------------------------------------------------------


def test_timeline_of_a_closed_need(client, cast):
    """Every step oldest first, each with its stage, states, actor and note."""
    need = need_in_state(cast, "closed")
    timeline = ok(api_as(client, cast, "officer_jiashan").get(f"/{need.pk}/timeline"))
    actions = [e["action"] for e in timeline]
    assert actions[0] == "create" and actions[-1] == "close"
    assert actions.index("submit") < actions.index("publish") < actions.index("select")
    assert timeline[0]["actor"] == "system:test"
    assert timeline[-1]["stage"] == "value"
    assert [e["at"] for e in timeline] == sorted(e["at"] for e in timeline)


@pytest.mark.parametrize("role", ["officer_qingtian", "enterprise_qingtian", "student_user"])
def test_timeline_of_a_hidden_need_is_404(client, cast, role):
    need = need_in_state(cast, "submitted")
    assert api_as(client, cast, role).get(f"/{need.pk}/timeline").status_code == 404
