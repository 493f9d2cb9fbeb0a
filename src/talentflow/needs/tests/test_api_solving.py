"""Answering, verifying and valuing needs over the API (答题, 验题, 评价), reports and visits.

The need of the builders belongs to 福莱 (嘉善); 杭电嘉善研究院 (institution_user) proposes with
谭刚 (talent_user) as lead expert and the graduate student (student_user) as member.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from talentflow.core.models import AuditEvent
from talentflow.needs import services
from talentflow.needs.models import (
    Document,
    EnterpriseVisit,
    Need,
    Outcome,
    Proposal,
    VerificationRound,
)
from talentflow.needs.tests.builders import SYSTEM, TODAY, need_in_state, propose
from talentflow.needs.tests.test_api_needs import Api, api_as, ok
from talentflow.tests.cast import CAST_ROLES
from talentflow.tests.factories import MembershipFactory, TalentFactory, UserFactory


@pytest.fixture
def zju_user(cast):
    """Acts for 浙江大学, a second institution answering the same need."""
    user = UserFactory(username="zju_tech_transfer", display_name="浙大技术转移中心")
    MembershipFactory(user=user, role="institution", organisation=cast.orgs["zju"])
    return user


def zju_proposal(cast, need: Need) -> Proposal:
    lead = TalentFactory(name="唐宁", home_region=cast.orgs["zju"].region)
    return propose(cast, need, organisation=cast.orgs["zju"], lead=lead)


def new_proposal(cast, **extra) -> dict:
    return {
        "approach": "改进涂布头结构，建立浆料流变模型。",
        "trl": 5,
        "cost": "450000.50",
        "ip_terms": "shared",
        "organisation": cast.orgs["hdu_jiashan"].pk,
        "members": [
            {"talent": cast.talents["tangang"].pk, "role": "lead"},
            {"talent": cast.talents["student"].pk, "role": "student"},
        ],
        "milestones": [
            {"title": "小试", "due_date": (TODAY + dt.timedelta(days=45)).isoformat()},
            {
                "title": "中试",
                "due_date": (TODAY + dt.timedelta(days=90)).isoformat(),
                "deliverable": "中试报告",
            },
        ],
        **extra,
    }


# Reading, per role ------------------------------------------------------------------------

PARTS = ("", "/timeline", "/proposals", "/engagement", "/outcomes")
PARTIES = {
    "admin",
    "officer_jiashan",
    "enterprise_user",
    "institution_user",
    "talent_user",
    "student_user",
}


@pytest.mark.parametrize("role", CAST_ROLES)
def test_reading_a_closed_need_per_role(client, cast, role):
    """A closed need of 福莱 solved by 杭电嘉善研究院 (谭刚 lead, the student a member): its
    parties read the need, its timeline, proposals, engagement and outcomes; everyone else
    gets 404 for each, as if it did not exist."""
    need = need_in_state(cast, "closed")
    api = api_as(client, cast, role)
    for part in PARTS:
        response = api.get(f"/{need.pk}{part}")
        assert response.status_code == (200 if role in PARTIES else 404), (role, part)
    if role in PARTIES:
        [outcome] = ok(api.get(f"/{need.pk}/outcomes"))
        assert (outcome["amount"], outcome["unit"], outcome["status"]) == (
            "5000000.00",
            "yuan",
            "confirmed",
        )
        proposals = ok(api.get(f"/{need.pk}/proposals"))
        # Authors, deciders and the people named on its team see the proposal.
        assert len(proposals) == 1


# Proposals -------------------------------------------------------------------------------


def test_institution_proposes(client, cast):
    """201: the proposal with its team, milestones and exact cost; the enterprise is told."""
    need = need_in_state(cast, "published")
    body = ok(
        api_as(client, cast, "institution_user").post(f"/{need.pk}/proposals", new_proposal(cast)),
        201,
    )
    assert body["state"] == "submitted"
    assert body["cost"] == "450000.50"
    assert body["organisation"]["id"] == cast.orgs["hdu_jiashan"].pk
    assert [(m["talent"]["name"], m["role"]) for m in body["members"]] == [
        ("谭刚", "lead"),
        ("研究生甲", "student"),
    ]
    assert [m["title"] for m in body["milestones"]] == ["小试", "中试"]
    assert body["allowed_actions"] == ["withdraw"]
    proposal = Proposal.objects.get(pk=body["id"])
    assert proposal.author == cast.institution_user
    assert proposal.cost == Decimal("450000.50")


def test_expert_proposes_without_an_institution(client, cast):
    """A talent answers in their own name."""
    need = need_in_state(cast, "published")
    body = ok(
        api_as(client, cast, "talent_user").post(
            f"/{need.pk}/proposals", new_proposal(cast, organisation=None)
        ),
        201,
    )
    assert body["organisation"] is None
    assert body["author"] == "谭刚"


def test_proposing_on_a_confidential_need_needs_the_terms(client, cast):
    """Reading the details comes before answering: 403, then 201 after accepting."""
    need = need_in_state(cast, "published", confidentiality="confidential")
    api = api_as(client, cast, "institution_user")
    response = api.post(f"/{need.pk}/proposals", new_proposal(cast))
    assert response.status_code == 403
    assert not Proposal.objects.exists()
    ok(api.post(f"/{need.pk}/accept-terms"))
    ok(api.post(f"/{need.pk}/proposals", new_proposal(cast)), 201)


@pytest.mark.parametrize(
    ("role", "state", "status"),
    [
        ("enterprise_user", "published", 403),  # the enterprise does not answer its own need
        ("officer_jiashan", "published", 403),
        ("institution_user", "engaged", 422),  # no longer open (it still sees it: it answered)
        ("institution_user", "submitted", 404),  # not yet published: not visible
        ("provider_qingpu", "published", 404),
    ],
)
def test_proposal_refused(client, cast, role, state, status):
    """Only solvers answer, only open needs, only needs they see. (Proposing in one's own
    name here: the institution is not an organisation the others can name.)"""
    need = need_in_state(cast, state)
    before = Proposal.objects.count()
    body = new_proposal(cast, organisation=None)
    response = api_as(client, cast, role).post(f"/{need.pk}/proposals", body)
    assert response.status_code == status, response.content
    assert Proposal.objects.count() == before


def test_proposal_for_another_institution_is_refused(client, cast, zju_user):
    """An institution proposes only for itself: 浙大 is not an organisation it can see."""
    need = need_in_state(cast, "published")
    body = new_proposal(cast, organisation=cast.orgs["zju"].pk)
    response = api_as(client, cast, "institution_user").post(f"/{need.pk}/proposals", body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["organisation"]


def test_proposal_without_one_lead_is_422(client, cast):
    need = need_in_state(cast, "published")
    body = new_proposal(cast, members=[{"talent": cast.talents["student"].pk, "role": "student"}])
    response = api_as(client, cast, "institution_user").post(f"/{need.pk}/proposals", body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["members"]


def test_proposal_cost_as_a_json_float_is_422(client, cast):
    need = need_in_state(cast, "published")
    response = api_as(client, cast, "institution_user").post(
        f"/{need.pk}/proposals", new_proposal(cast, cost=450000.5)
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "cost"


def test_proposal_lists_are_scoped(client, cast, zju_user):
    """The enterprise and its office see both proposals; each institution its own."""
    need = need_in_state(cast, "published")
    hdu = propose(cast, need)
    zju = zju_proposal(cast, need)

    def listed(role_or_user):
        user = getattr(cast, role_or_user) if isinstance(role_or_user, str) else role_or_user
        return {p["id"] for p in ok(Api(client, user).get(f"/{need.pk}/proposals"))}

    assert listed("enterprise_user") == {hdu.pk, zju.pk}
    assert listed("officer_jiashan") == {hdu.pk, zju.pk}
    assert listed("institution_user") == {hdu.pk}
    assert listed(zju_user) == {zju.pk}
    assert listed("talent_user") == {hdu.pk}  # named on 杭电's team
    assert listed("student_user") == {hdu.pk, zju.pk}  # on both teams
    assert Api(client, cast.officer_qingtian).get(f"/{need.pk}/proposals").status_code == 404


def test_proposal_detail_visibility(client, cast, zju_user):
    """A proposal is read by the deciders and its authors; another solver gets 404."""
    need = need_in_state(cast, "published")
    hdu = propose(cast, need)
    assert ok(api_as(client, cast, "enterprise_user").get(f"/proposals/{hdu.pk}"))["id"] == hdu.pk
    body = ok(api_as(client, cast, "officer_jiashan").get(f"/proposals/{hdu.pk}"))
    assert body["allowed_actions"] == ["shortlist", "decline", "select"]
    assert body["cost"] == "600000.00"
    assert ok(api_as(client, cast, "institution_user").get(f"/proposals/{hdu.pk}"))
    assert Api(client, zju_user).get(f"/proposals/{hdu.pk}").status_code == 404
    assert api_as(client, cast, "officer_qingtian").get(f"/proposals/{hdu.pk}").status_code == 404
    assert api_as(client, cast, "admin").get("/proposals/987654").status_code == 404


def test_shortlist_and_decline_with_a_coded_reason(client, cast, zju_user):
    """The enterprise shortlists; its office declines with a reason the author reads."""
    need = need_in_state(cast, "published")
    hdu = propose(cast, need)
    zju = zju_proposal(cast, need)
    shortlisted = ok(
        api_as(client, cast, "enterprise_user").post(f"/proposals/{hdu.pk}/actions/shortlist")
    )
    assert shortlisted["state"] == "shortlisted"
    declined = ok(
        api_as(client, cast, "officer_jiashan").post(
            f"/proposals/{zju.pk}/actions/decline", {"reason": "cost", "note": "报价超出预算。"}
        )
    )
    assert declined["state"] == "declined"
    seen_by_author = ok(Api(client, zju_user).get(f"/proposals/{zju.pk}"))
    assert seen_by_author["decline_reason"] == "cost"
    assert seen_by_author["decline_reason_label"] == "Cost"
    assert seen_by_author["decline_note"] == "报价超出预算。"
    assert seen_by_author["allowed_actions"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [({}, "reason"), ({"reason": "other"}, "note"), ({"reason": "other", "note": " "}, "note")],
)
def test_decline_needs_its_reason(client, cast, body, field):
    need = need_in_state(cast, "published")
    proposal = propose(cast, need)
    response = api_as(client, cast, "enterprise_user").post(
        f"/proposals/{proposal.pk}/actions/decline", body
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]
    assert Proposal.objects.get(pk=proposal.pk).state == "submitted"


@pytest.mark.parametrize(
    ("role", "action"),
    [
        ("institution_user", "shortlist"),  # the author does not decide
        ("institution_user", "decline"),
        ("enterprise_user", "withdraw"),  # the decider does not withdraw it
        ("officer_jiashan", "withdraw"),
    ],
)
def test_proposal_action_by_the_wrong_party_is_403(client, cast, role, action):
    need = need_in_state(cast, "published")
    proposal = propose(cast, need)
    response = api_as(client, cast, role).post(
        f"/proposals/{proposal.pk}/actions/{action}", {"reason": "cost"}
    )
    assert response.status_code == 403
    assert Proposal.objects.get(pk=proposal.pk).state == "submitted"


def test_author_withdraws_and_cannot_act_again(client, cast):
    """The author withdraws; withdrawing twice, or shortlisting it after, is 422."""
    need = need_in_state(cast, "published")
    proposal = propose(cast, need)
    api = api_as(client, cast, "institution_user")
    assert ok(api.post(f"/proposals/{proposal.pk}/actions/withdraw"))["state"] == "withdrawn"
    assert api.post(f"/proposals/{proposal.pk}/actions/withdraw").status_code == 422
    response = api_as(client, cast, "enterprise_user").post(
        f"/proposals/{proposal.pk}/actions/shortlist"
    )
    assert response.status_code == 422


def select_body(**extra) -> dict:
    return {"contract_amount": "580000.00", "signed_on": TODAY.isoformat(), **extra}


def test_selecting_starts_the_engagement(client, cast, zju_user):
    """The enterprise selects 杭电's proposal, declining 浙大's with a reason: 201 with the
    engagement; the need is engaged; the team and milestones carry over."""
    need = need_in_state(cast, "published")
    hdu = propose(cast, need)
    zju = zju_proposal(cast, need)
    body = ok(
        api_as(client, cast, "enterprise_user").post(
            f"/proposals/{hdu.pk}/select",
            select_body(declines=[{"proposal": zju.pk, "reason": "capacity", "note": ""}]),
        ),
        201,
    )
    assert body["contract_amount"] == "580000.00"
    assert body["institution"]["id"] == cast.orgs["hdu_jiashan"].pk
    assert [m["talent"]["name"] for m in body["members"]] == ["谭刚", "研究生甲"]
    assert [m["title"] for m in body["milestones"]] == ["中试", "量产验证"]
    assert body["planned_end"] == (TODAY + dt.timedelta(days=120)).isoformat()
    assert body["verification_rounds"] == []
    assert Need.objects.get(pk=need.pk).state == "engaged"
    assert Proposal.objects.get(pk=zju.pk).decline_reason == "capacity"


def test_selecting_without_declining_the_others_is_422(client, cast):
    need = need_in_state(cast, "published")
    hdu = propose(cast, need)
    zju_proposal(cast, need)
    response = api_as(client, cast, "officer_jiashan").post(
        f"/proposals/{hdu.pk}/select", select_body()
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["declines"]
    assert Need.objects.get(pk=need.pk).state == "published"


@pytest.mark.parametrize(("role", "status"), [("institution_user", 403), ("talent_user", 403)])
def test_selecting_by_a_solver_is_refused(client, cast, role, status):
    """Neither the author nor a member of its team may select the proposal."""
    need = need_in_state(cast, "published")
    proposal = propose(cast, need)
    response = api_as(client, cast, role).post(f"/proposals/{proposal.pk}/select", select_body())
    assert response.status_code == status
    assert Need.objects.get(pk=need.pk).state == "published"


def test_contract_amount_as_a_json_float_is_422(client, cast):
    need = need_in_state(cast, "published")
    proposal = propose(cast, need)
    response = api_as(client, cast, "enterprise_user").post(
        f"/proposals/{proposal.pk}/select", select_body(contract_amount=580000.0)
    )
    assert response.status_code == 422
    assert Need.objects.get(pk=need.pk).state == "published"


# The engagement and 验题 ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("enterprise_user", 200),
        ("officer_jiashan", 200),
        ("admin", 200),
        ("institution_user", 200),  # the engagement's institution
        ("talent_user", 200),  # its lead expert
        ("student_user", 200),  # its student member
        ("officer_qingtian", 404),
        ("enterprise_qingtian", 404),
        ("provider_qingpu", 404),
    ],
)
def test_engagement_per_role(client, cast, role, status):
    need = need_in_state(cast, "engaged")
    response = api_as(client, cast, role).get(f"/{need.pk}/engagement")
    assert response.status_code == status
    if status == 200:
        assert response.json()["contract_amount"] == "580000.00"


def test_declined_author_sees_the_need_but_not_the_engagement(client, cast, zju_user):
    """浙大's declined proposal keeps the need visible to it, not the contract: 403."""
    need = need_in_state(cast, "published")
    hdu = propose(cast, need)
    zju = zju_proposal(cast, need)
    services.proposal_select(
        **SYSTEM,
        proposal=hdu,
        contract_amount=Decimal("580000"),
        signed_on=TODAY,
        declines={zju.pk: ("cost", "")},
    )
    api = Api(client, zju_user)
    assert ok(api.get(f"/{need.pk}"))["state"] == "engaged"
    assert api.get(f"/{need.pk}/engagement").status_code == 403
    assert api.get(f"/{need.pk}/outcomes").status_code == 403


def test_engagement_before_selection_is_404(client, cast):
    need = need_in_state(cast, "published")
    assert api_as(client, cast, "enterprise_user").get(f"/{need.pk}/engagement").status_code == 404


@pytest.mark.parametrize(
    ("role", "state", "status"),
    [
        ("institution_user", "engaged", 200),  # the solvers deliver
        ("talent_user", "engaged", 200),
        ("enterprise_user", "engaged", 200),  # or the enterprise calls them to the line
        ("officer_jiashan", "engaged", 403),
        ("enterprise_user", "verifying", 422),
        ("enterprise_user", "published", 422),
        ("officer_qingtian", "engaged", 404),
    ],
)
def test_start_verification(client, cast, role, state, status):
    need = need_in_state(cast, state)
    response = api_as(client, cast, role).post(f"/{need.pk}/verification/start")
    assert response.status_code == status, response.content
    if status == 200:
        assert Need.objects.get(pk=need.pk).state == "verifying"
        assert [r["number"] for r in response.json()["verification_rounds"]] == [1]
        assert response.json()["verification_rounds"][0]["passed"] is None


def checks_for(need: Need, *, first_passes: bool, value: str = "96.5") -> list[dict]:
    first, second = need.criteria.all()
    return [
        {"criterion": first.pk, "passed": first_passes, "measured_value": value, "unit": "%"},
        {"criterion": second.pk, "passed": True, "note": "72 小时无窝点"},
    ]


def test_failed_verification_returns_to_work_and_keeps_its_findings(client, cast):
    """A failed check sends the need back to engaged; the round keeps its findings and
    checks, and a second round that passes moves the need on."""
    need = need_in_state(cast, "verifying")
    api = api_as(client, cast, "enterprise_user")
    body = ok(
        api.post(
            f"/{need.pk}/verification",
            {"checks": checks_for(need, first_passes=False), "findings": "良品率未达 98%。"},
        )
    )
    assert Need.objects.get(pk=need.pk).state == "engaged"
    [round_1] = body["verification_rounds"]
    assert round_1["passed"] is False
    assert round_1["findings"] == "良品率未达 98%。"
    assert [c["passed"] for c in round_1["checks"]] == [False, True]
    assert round_1["checks"][0]["measured_value"] == "96.5000"
    assert round_1["checks"][0]["criterion"]["description"] == "良品率"

    # Read back by every party, the findings are there.
    for role in ("officer_jiashan", "institution_user", "talent_user"):
        rounds = ok(api_as(client, cast, role).get(f"/{need.pk}/engagement"))["verification_rounds"]
        assert rounds[0]["findings"] == "良品率未达 98%。", role

    ok(api_as(client, cast, "institution_user").post(f"/{need.pk}/verification/start"))
    body = ok(
        api.post(
            f"/{need.pk}/verification",
            {"checks": checks_for(need, first_passes=True, value="98.6")},
        )
    )
    assert Need.objects.get(pk=need.pk).state == "verified"
    assert [(r["number"], r["passed"]) for r in body["verification_rounds"]] == [
        (1, False),
        (2, True),
    ]
    assert body["verification_rounds"][0]["findings"] == "良品率未达 98%。"
    assert VerificationRound.objects.get(number=1).checks.count() == 2


def test_failed_verification_without_findings_is_422(client, cast):
    need = need_in_state(cast, "verifying")
    response = api_as(client, cast, "enterprise_user").post(
        f"/{need.pk}/verification", {"checks": checks_for(need, first_passes=False)}
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["findings"]
    assert Need.objects.get(pk=need.pk).state == "verifying"


def test_verification_must_check_every_criterion(client, cast):
    need = need_in_state(cast, "verifying")
    response = api_as(client, cast, "enterprise_user").post(
        f"/{need.pk}/verification", {"checks": checks_for(need, first_passes=True)[:1]}
    )
    assert response.status_code == 422
    assert "checks" in response.json()["errors"]


def test_measured_value_as_a_json_float_is_422(client, cast):
    need = need_in_state(cast, "verifying")
    checks = checks_for(need, first_passes=True)
    checks[0]["measured_value"] = 98.6
    response = api_as(client, cast, "enterprise_user").post(
        f"/{need.pk}/verification", {"checks": checks}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "measured_value"


@pytest.mark.parametrize(
    ("role", "state", "status"),
    [
        ("institution_user", "verifying", 403),  # solvers do not grade their own work
        ("officer_jiashan", "verifying", 403),
        ("enterprise_user", "engaged", 422),
    ],
)
def test_record_verification_refused(client, cast, role, state, status):
    need = need_in_state(cast, state)
    response = api_as(client, cast, role).post(
        f"/{need.pk}/verification", {"checks": checks_for(need, first_passes=True)}
    )
    assert response.status_code == status
    assert Need.objects.get(pk=need.pk).state == state


@pytest.mark.parametrize(("role", "status"), [("institution_user", 200), ("officer_jiashan", 403)])
def test_milestone_complete(client, cast, role, status):
    """The solvers (or the enterprise) mark a milestone done; the office does not."""
    need = need_in_state(cast, "engaged")
    milestone = need.engagement.milestones.first()
    response = api_as(client, cast, role).post(
        f"/milestones/{milestone.pk}/complete", {"completed_on": TODAY.isoformat()}
    )
    assert response.status_code == status
    if status == 200:
        assert response.json()["milestones"][0]["completed_on"] == TODAY.isoformat()


# 评价: outcomes ---------------------------------------------------------------------------


def test_decimal_amounts_and_units_round_trip(client, cast):
    """ "5000000.00" revenue and "400" yuan per 吨 come back exactly, with their units."""
    need = need_in_state(cast, "verified")
    api = api_as(client, cast, "enterprise_user")
    revenue = ok(
        api.post(
            f"/{need.pk}/outcomes",
            {"kind": "revenue", "amount": "5000000.00", "qualifier": "more_than"},
        ),
        201,
    )
    assert (revenue["amount"], revenue["unit"]) == ("5000000.00", "yuan")
    per_tonne = ok(
        api.post(
            f"/{need.pk}/outcomes",
            {"kind": "unit_cost_reduction", "amount": "400", "unit_basis": "吨"},
        ),
        201,
    )
    assert (per_tonne["amount"], per_tonne["unit"]) == ("400.00", "yuan/吨")
    assert per_tonne["status"] == "recorded"

    listed = ok(api_as(client, cast, "officer_jiashan").get(f"/{need.pk}/outcomes"))
    by_kind = {o["kind"]: o for o in listed}
    assert (by_kind["revenue"]["amount"], by_kind["revenue"]["unit"]) == ("5000000.00", "yuan")
    assert by_kind["revenue"]["kind_label"] == "Revenue"
    assert by_kind["revenue"]["qualifier"] == "more_than"
    assert (by_kind["unit_cost_reduction"]["amount"], by_kind["unit_cost_reduction"]["unit"]) == (
        "400.00",
        "yuan/吨",
    )
    assert by_kind["unit_cost_reduction"]["unit_basis"] == "吨"
    assert Outcome.objects.get(kind="revenue").amount == Decimal("5000000.00")


def test_the_largest_amount_keeps_every_digit(client, cast):
    """Just under the bound of 1,000亿 yuan, every digit and both decimals survive."""
    need = need_in_state(cast, "verified")
    body = ok(
        api_as(client, cast, "officer_jiashan").post(
            f"/{need.pk}/outcomes", {"kind": "output_value", "amount": "99999999999.99"}
        ),
        201,
    )
    assert body["amount"] == "99999999999.99"
    assert Outcome.objects.get().amount == Decimal("99999999999.99")


def test_whole_json_numbers_are_exact(client, cast):
    """A whole JSON number is exact and accepted: 2 invention patents."""
    need = need_in_state(cast, "verified")
    body = ok(
        api_as(client, cast, "enterprise_user").post(
            f"/{need.pk}/outcomes", {"kind": "invention_patent_filed", "amount": 2}
        ),
        201,
    )
    assert (body["amount"], body["unit"]) == ("2.00", "count")


@pytest.mark.parametrize(
    ("kind", "amount"),
    [
        ("revenue", "-5000000"),
        ("revenue", "0"),
        ("revenue", "0.00"),
        ("revenue", "100000000000.01"),  # over 1,000亿 from one need: a typing mistake
        ("energy_reduction", "140"),  # a reduction of more than the whole
        ("revenue", "12.345"),
        ("invention_patent_filed", "1.5"),
        ("revenue", "abc"),
        ("revenue", "NaN"),
    ],
)
def test_bad_amounts_are_422_naming_amount(client, cast, kind, amount):
    """Negative, zero, absurd, over-precise or fractional counts: refused, naming amount."""
    need = need_in_state(cast, "verified")
    response = api_as(client, cast, "enterprise_user").post(
        f"/{need.pk}/outcomes", {"kind": kind, "amount": amount}
    )
    assert response.status_code == 422, response.content
    body = response.json()
    if "errors" in body:  # refused by the rules of the platform
        assert list(body["errors"]) == ["amount"]
        assert body["errors"]["amount"][0]
    else:  # not a number at all: refused by the request validation
        assert body["detail"][0]["loc"][-1] == "amount"
    assert not Outcome.objects.exists()


def test_amount_as_a_json_float_is_422_with_a_clear_message(client, cast):
    need = need_in_state(cast, "verified")
    response = api_as(client, cast, "enterprise_user").post(
        f"/{need.pk}/outcomes", {"kind": "revenue", "amount": 5000000.0}
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"][-1] == "amount"
    assert '"5000000.00"' in error["msg"]
    assert not Outcome.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "unit_cost_reduction", "amount": "400"}, "unit_basis"),
        ({"kind": "revenue", "amount": "400", "unit_basis": "吨"}, "unit_basis"),
        (
            {
                "kind": "revenue",
                "amount": "400",
                "period_start": "2026-06-01",
                "period_end": "2026-01-01",
            },
            "period_end",
        ),
    ],
)
def test_outcome_field_rules(client, cast, body, field):
    need = need_in_state(cast, "verified")
    response = api_as(client, cast, "enterprise_user").post(f"/{need.pk}/outcomes", body)
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


@pytest.mark.parametrize(
    ("role", "state", "status"),
    [
        ("enterprise_user", "verified", 201),
        ("talent_user", "verified", 201),  # a solver records too
        ("officer_jiashan", "verified", 201),
        ("enterprise_user", "engaged", 422),  # before the workshop check
        ("enterprise_user", "closed", 422),
        ("enterprise_qingtian", "verified", 404),
    ],
)
def test_recording_an_outcome_per_role_and_state(client, cast, role, state, status):
    need = need_in_state(cast, state)
    before = Outcome.objects.count()
    response = api_as(client, cast, role).post(
        f"/{need.pk}/outcomes", {"kind": "revenue", "amount": "1000000"}
    )
    assert response.status_code == status, response.content
    assert Outcome.objects.count() == before + (1 if status == 201 else 0)


def recorded_outcome(cast) -> tuple[Need, Outcome]:
    need = need_in_state(cast, "verified")
    outcome = services.outcome_record(
        actor=cast.enterprise_user, need=need, kind="energy_reduction", amount=Decimal("15")
    )
    return need, outcome


def test_office_confirms_an_outcome(client, cast):
    need, outcome = recorded_outcome(cast)
    body = ok(
        api_as(client, cast, "officer_jiashan").post(f"/{need.pk}/outcomes/{outcome.pk}/confirm")
    )
    assert body["status"] == "confirmed"
    assert body["confirmed_by"] == "嘉善人才办"
    assert (body["amount"], body["unit"]) == ("15.00", "%")
    assert body["recorded_by"] == "福莱新材料"
    assert AuditEvent.objects.filter(action="outcome.confirm", actor=cast.officer_jiashan)
    # Decided once: confirming again is 422.
    again = api_as(client, cast, "officer_jiashan").post(
        f"/{need.pk}/outcomes/{outcome.pk}/confirm"
    )
    assert again.status_code == 422


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("enterprise_user", 403),
        ("institution_user", 403),
        ("talent_user", 403),
        ("officer_qingtian", 404),
    ],
)
def test_only_the_office_confirms(client, cast, role, status):
    need, outcome = recorded_outcome(cast)
    api = api_as(client, cast, role)
    assert api.post(f"/{need.pk}/outcomes/{outcome.pk}/confirm").status_code == status
    response = api.post(f"/{need.pk}/outcomes/{outcome.pk}/reject", {"reason": "x"})
    assert response.status_code == status
    assert Outcome.objects.get(pk=outcome.pk).status == "recorded"


def test_office_rejects_with_a_reason(client, cast):
    need, outcome = recorded_outcome(cast)
    api = api_as(client, cast, "officer_jiashan")
    response = api.post(f"/{need.pk}/outcomes/{outcome.pk}/reject", {"reason": ""})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["reason"]
    body = ok(api.post(f"/{need.pk}/outcomes/{outcome.pk}/reject", {"reason": "缺少能耗证明。"}))
    assert body["status"] == "rejected"
    assert body["rejection_reason"] == "缺少能耗证明。"


def test_outcome_of_another_need_is_404(client, cast):
    _need, outcome = recorded_outcome(cast)
    other = need_in_state(cast, "verified")
    response = api_as(client, cast, "officer_jiashan").post(
        f"/{other.pk}/outcomes/{outcome.pk}/confirm"
    )
    assert response.status_code == 404


# Reports ---------------------------------------------------------------------------------


def valued_need(cast, *, per_tonne="400", revenue_qualifier="exact") -> Need:
    need = need_in_state(cast, "verified")
    for kind, amount, basis, qualifier in (
        ("revenue", "5000000.00", "", revenue_qualifier),
        ("unit_cost_reduction", per_tonne, "吨", "exact"),
    ):
        outcome = services.outcome_record(
            **SYSTEM,
            need=need,
            kind=kind,
            amount=Decimal(amount),
            unit_basis=basis,
            qualifier=qualifier,
        )
        services.outcome_confirm(**SYSTEM, outcome=outcome)
    return need


@pytest.mark.parametrize("by", ["region", "enterprise", "institution", "expert"])
def test_outcome_report_for_the_office(client, cast, by):
    """Confirmed outcomes per dimension, exact, with their units: money summed (a lower
    bound when one part was "more than"), a saving per tonne averaged, not added."""
    valued_need(cast)
    valued_need(cast, per_tonne="300", revenue_qualifier="more_than")
    body = ok(api_as(client, cast, "officer_jiashan").get("/reports/outcomes", {"by": by}))
    assert body["by"] == by
    assert [(c["kind"], c["unit"]) for c in body["columns"]] == [
        ("revenue", "yuan"),
        ("unit_cost_reduction", "yuan/吨"),
    ]
    row = body["rows"][0]
    totals = {
        (t["kind"], t["unit"]): (t["amount"], t["aggregate"], t["outcomes"], t["qualifier"])
        for t in row["totals"]
    }
    assert totals[("revenue", "yuan")] == ("10000000.00", "sum", 2, "more_than")
    assert totals[("unit_cost_reduction", "yuan/吨")] == ("350.00", "mean", 2, "exact")
    assert row["needs"] == 2
    expected_rows = {
        "region": {"嘉善县"},
        "enterprise": {"浙江福莱新材料股份有限公司"},
        "institution": {"杭州电子科技大学嘉善研究院"},
        "expert": {"谭刚", "研究生甲"},
    }[by]
    assert {r["label"] for r in body["rows"]} == expected_rows


def test_outcome_report_is_scoped(client, cast):
    """青田's office finds no 嘉善 outcomes in its report; filters narrow it."""
    valued_need(cast)
    assert ok(api_as(client, cast, "officer_qingtian").get("/reports/outcomes"))["rows"] == []
    assert ok(api_as(client, cast, "admin").get("/reports/outcomes"))["rows"]
    assert (
        ok(api_as(client, cast, "admin").get("/reports/outcomes", {"region": "331100"}))["rows"]
        == []
    )


def test_unknown_report_dimension_is_422(client, cast):
    response = api_as(client, cast, "officer_jiashan").get("/reports/outcomes", {"by": "county"})
    assert response.status_code == 422


def test_engagement_report(client, cast):
    """Engagements per institution with their total contract amount."""
    need_in_state(cast, "engaged")
    need_in_state(cast, "closed")
    rows = ok(api_as(client, cast, "officer_jiashan").get("/reports/engagements"))
    assert rows == [
        {
            "institution": {
                "id": cast.orgs["hdu_jiashan"].pk,
                "name": "杭州电子科技大学嘉善研究院",
            },
            "engagements": 2,
            "contract_total": "1160000.00",
        }
    ]


@pytest.mark.parametrize(
    "role",
    ["enterprise_user", "institution_user", "talent_user", "student_user", "provider_qingpu"],
)
def test_reports_are_for_the_office(client, cast, role):
    api = api_as(client, cast, role)
    assert api.get("/reports/outcomes").status_code == 403
    assert api.get("/reports/engagements").status_code == 403


# Visits (走访) ---------------------------------------------------------------------------


def visit_body(cast, **extra) -> dict:
    return {
        "enterprise": cast.orgs["fulai"].pk,
        "visited_on": (TODAY - dt.timedelta(days=2)).isoformat(),
        "participants": "嘉善人才办 王科长",
        "notes": "了解涂布线技术难题。",
        **extra,
    }


def test_office_records_a_visit_and_the_need_collected(client, cast):
    """The office records a visit, then a need collected on it: it arrives submitted."""
    api = api_as(client, cast, "officer_jiashan")
    visit = ok(api.post("/visits", visit_body(cast)), 201)
    assert visit["enterprise"]["id"] == cast.orgs["fulai"].pk
    assert visit["region"]["code"] == "330421"
    assert visit["needs"] == 0
    need = ok(
        api.post(
            "",
            {
                "enterprise": cast.orgs["fulai"].pk,
                "visit": visit["id"],
                "title": "涂布线在线检测",
                "summary": "需要在线缺陷检测方案。",
                "description": "人工抽检漏检率高。",
            },
        ),
        201,
    )
    assert need["state"] == "submitted" and need["source"] == "visit"
    assert need["visit"] == visit["id"]
    assert EnterpriseVisit.objects.get().data_source == "api"
    listed = ok(api.get("/visits"))
    assert listed["count"] == 1 and listed["items"][0]["needs"] == 1
    assert ok(api.get("/visits/summary")) == {"visits": 1, "enterprises": 1, "needs": 1}


def test_institute_records_its_visit(client, cast):
    """A visiting institute records its visit, also to an enterprise outside its directory."""
    body = visit_body(
        cast,
        enterprise=cast.orgs["xiafeng"].pk,
        visitor_organisation=cast.orgs["hdu_jiashan"].pk,
    )
    visit = ok(api_as(client, cast, "institution_user").post("/visits", body), 201)
    assert visit["visitor_organisation"]["id"] == cast.orgs["hdu_jiashan"].pk
    # Its own list holds it; 青田's office (the enterprise's region) sees it too.
    assert ok(api_as(client, cast, "institution_user").get("/visits"))["count"] == 1
    assert ok(api_as(client, cast, "officer_qingtian").get("/visits"))["count"] == 1
    assert ok(api_as(client, cast, "officer_jiashan").get("/visits"))["count"] == 0


@pytest.mark.parametrize(
    ("role", "extra", "status"),
    [
        ("enterprise_user", {}, 403),
        ("talent_user", {}, 403),
        ("officer_qingtian", {}, 403),  # 福莱 is not in its region
        ("officer_jiashan", {"visited_on": (TODAY + dt.timedelta(days=1)).isoformat()}, 422),
        ("officer_jiashan", {"enterprise": 987654}, 422),
    ],
)
def test_visit_refused(client, cast, role, extra, status):
    response = api_as(client, cast, role).post("/visits", visit_body(cast, **extra))
    assert response.status_code == status, response.content
    assert not EnterpriseVisit.objects.exists()


@pytest.mark.parametrize(
    ("role", "count"),
    [
        ("officer_jiashan", 2),
        ("officer_qingtian", 0),
        ("admin", 2),
        ("enterprise_user", 0),
        ("institution_user", 1),
        ("talent_user", 0),
    ],
)
def test_visit_list_and_summary_are_scoped(client, cast, role, count):
    fulai, zhongyang = cast.orgs["fulai"], cast.orgs["zhongyang"]
    services.visit_create(**SYSTEM, enterprise=fulai, visited_on=TODAY)
    services.visit_create(
        **SYSTEM,
        enterprise=zhongyang,
        visited_on=TODAY,
        visitor_organisation=cast.orgs["hdu_jiashan"],
    )
    api = api_as(client, cast, role)
    assert ok(api.get("/visits"))["count"] == count
    assert ok(api.get("/visits/summary"))["visits"] == count
    if count:
        assert ok(api.get("/visits", {"visitor": cast.orgs["hdu_jiashan"].pk}))["count"] == 1


def test_need_from_a_visit_it_cannot_see_is_422(client, cast):
    """An enterprise cannot attach its need to a visit it does not see."""
    visit = services.visit_create(**SYSTEM, enterprise=cast.orgs["fulai"], visited_on=TODAY)
    response = api_as(client, cast, "enterprise_user").post(
        "",
        {"enterprise": cast.orgs["fulai"].pk, "visit": visit.pk, "title": "t", "summary": "s"},
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["visit"]


# Documents -------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(api: Api, need: Need, name: str = "工艺参数.pdf", **fields):
    return api.client.post(
        f"/api/needs/{need.pk}/documents",
        {"file": SimpleUploadedFile(name, b"%PDF-1.4 test", "application/pdf"), **fields},
        headers=api.headers,
    )


def test_attachments_of_a_confidential_need_follow_the_terms(client, cast, media):
    """The enterprise attaches a file to its draft; once published, a solver sees it listed
    and downloads it only after accepting the terms."""
    need = need_in_state(cast, "draft", confidentiality="confidential")
    document = ok(upload(api_as(client, cast, "enterprise_user"), need), 201)
    assert document["name"] == "工艺参数.pdf" and document["kind"] == "attachment"
    services.need_submit(**SYSTEM, need=need)
    from talentflow.needs.tests.builders import frame

    frame(need)
    services.need_publish(**SYSTEM, need=need)

    solver = api_as(client, cast, "institution_user")
    assert ok(solver.get(f"/{need.pk}"))["attachments"] is None
    assert solver.get(f"/documents/{document['id']}").status_code == 404
    ok(solver.post(f"/{need.pk}/accept-terms"))
    [listed] = ok(solver.get(f"/{need.pk}"))["attachments"]
    assert listed["id"] == document["id"]
    response = solver.client.get(listed["url"], headers=solver.headers)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"


@pytest.mark.parametrize(
    ("role", "state", "status"),
    [
        ("institution_user", "published", 403),
        ("enterprise_user", "published", 403),  # no longer posing
        ("officer_jiashan", "submitted", 201),  # assisting
        ("officer_qingtian", "submitted", 404),
    ],
)
def test_who_attaches(client, cast, media, role, state, status):
    need = need_in_state(cast, state)
    response = upload(api_as(client, cast, role), need)
    assert response.status_code == status, response.content
    assert Document.objects.count() == (1 if status == 201 else 0)


def test_disallowed_file_type_is_422(client, cast, media):
    need = need_in_state(cast, "draft")
    response = upload(api_as(client, cast, "enterprise_user"), need, name="run.exe")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["file"]


def test_evidence_of_a_check(client, cast, media):
    """The enterprise attaches evidence to a check; the engagement lists it."""
    need = need_in_state(cast, "verified")
    check = VerificationRound.objects.get().checks.first()
    api = api_as(client, cast, "enterprise_user")
    ok(upload(api, need, name="检测报告.pdf", kind="evidence", check=check.pk), 201)
    rounds = ok(api.get(f"/{need.pk}/engagement"))["verification_rounds"]
    assert [d["name"] for d in rounds[0]["checks"][0]["evidence"]] == ["检测报告.pdf"]
    wrong = upload(api, need, kind="evidence", check=987654)
    assert wrong.status_code == 422
    assert list(wrong.json()["errors"]) == ["check"]
