"""Joint training over the API: practice bases applied for and decided, a cohort filled, run,
pinned, re-run and confirmed, agreements signed with milestones and trainees to graduation and
retention — and the 404/403/422 answers of those who may not."""

from __future__ import annotations

from decimal import Decimal

import pytest

from talentflow.accounts.services import api_token_create
from talentflow.programmes.models import (
    Agreement,
    CohortStudent,
    PracticeBase,
    PracticeBaseStatus,
)
from talentflow.programmes.tests import factories_training as f
from talentflow.tests.factories import AffiliationFactory, TalentFactory

pytestmark = pytest.mark.django_db

T = "/api/programmes/training"


def _headers(user) -> dict:
    _token, key = api_token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def _post(client, path: str, body: dict | None, user):
    return client.post(f"{T}{path}", body or {}, content_type="application/json", **_headers(user))


def _get(client, path: str, user):
    return client.get(f"{T}{path}", **_headers(user))


def test_practice_base_round_trip(client, cast):
    from talentflow.rules import services as rules_services

    policies = rules_services.seed_policies_create(region=f.region())
    rules_services.policy_year_set(
        **f.SYSTEM, policy=policies["practice_base_subsidy"], year=2026, budget=Decimal("300000")
    )
    body = {
        "enterprise": cast.orgs["fulai"].pk,
        "description": "涂布中试线。",
        "capacity": 3,
        "institutions": [cast.orgs["hdu_jiashan"].pk],
    }
    created = _post(client, "/bases", body, cast.enterprise_user)
    assert created.status_code == 201, created.content
    base = created.json()
    assert base["status"] == "submitted"
    assert base["region"] == "330421"
    assert base["institutions"] == [cast.orgs["hdu_jiashan"].pk]
    # The institution named as partner sees it; another region's office does not.
    listed = _get(client, "/bases", cast.institution_user).json()
    assert [b["id"] for b in listed["items"]] == [base["id"]]
    assert _get(client, f"/bases/{base['id']}", cast.officer_qingpu).status_code == 404
    # Not the enterprise's to approve; the office approves.
    refused = _post(client, f"/bases/{base['id']}/actions/approve", {}, cast.enterprise_user)
    assert refused.status_code == 403
    assert (
        _post(client, f"/bases/{base['id']}/actions/bogus", {}, cast.officer_jiashan).status_code
        == 404
    )
    approved = _post(client, f"/bases/{base['id']}/actions/approve", {}, cast.officer_jiashan)
    assert approved.json()["status"] == "approved"
    subsidy = _post(client, f"/bases/{base['id']}/subsidy", {}, cast.enterprise_user)
    assert subsidy.status_code == 201, subsidy.content
    again = _get(client, f"/bases/{base['id']}", cast.enterprise_user).json()
    assert again["subsidy_application"] == subsidy.json()["application"]
    twice = _post(client, f"/bases/{base['id']}/subsidy", {}, cast.enterprise_user)
    assert twice.status_code == 422
    assert "already applied" in twice.json()["detail"]


def test_reject_without_reason_is_422_and_changes_nothing(client, cast):
    base = f.practice_base(cast.orgs["fulai"])
    response = _post(client, f"/bases/{base.pk}/actions/reject", {}, cast.officer_jiashan)
    assert response.status_code == 422
    base.refresh_from_db()
    assert base.status == PracticeBaseStatus.SUBMITTED
    assert PracticeBase.objects.count() == 1


def test_cohort_round_trip_run_pin_rerun_confirm(client, cast):
    office, institution = cast.officer_jiashan, cast.institution_user
    created = _post(
        client,
        "/cohorts",
        {
            "name": "2026 级入企联培",
            "region": "330421",
            "institution": cast.orgs["hdu_jiashan"].pk,
            "year": 2026,
        },
        office,
    )
    assert created.status_code == 201, created.content
    cohort_id = created.json()["id"]
    hdu = cast.orgs["hdu_jiashan"]
    mentor = TalentFactory(name="导师甲")
    AffiliationFactory(talent=mentor, organisation=hdu)
    students = [TalentFactory(name=f"研究生{n}") for n in "甲乙丙"]
    for s in students:
        AffiliationFactory(talent=s, organisation=hdu, kind="studying")
    cohort = _post(
        client, f"/cohorts/{cohort_id}/mentors", {"mentor": mentor.pk, "capacity": 2}, institution
    ).json()
    mentor_id = cohort["mentors"][0]["id"]
    needs = [
        f.submitted_need(cast.orgs["fulai"], t) for t in ("涂布缺陷在线检测", "功能膜配方优化")
    ]
    for need in needs:
        response = _post(
            client,
            f"/cohorts/{cohort_id}/topics",
            {"need": need.pk, "title": need.title, "mentor": mentor_id, "capacity": 1},
            institution,
        )
        assert response.status_code == 200, response.content
    topics = [t["id"] for t in response.json()["topics"]]
    for s in students:
        response = _post(
            client,
            f"/cohorts/{cohort_id}/students",
            {"student": s.pk, "preferences": topics},
            institution,
        )
    places = [p["id"] for p in response.json()["students"]]
    _post(
        client,
        f"/cohorts/{cohort_id}/mentors",
        {"mentor": mentor.pk, "capacity": 2, "ranking": places},
        institution,
    )
    # Only the office runs the allocation.
    assert _post(client, f"/cohorts/{cohort_id}/run", None, institution).status_code == 403
    run = _post(client, f"/cohorts/{cohort_id}/run", None, office).json()
    assert (run["students"], run["placed"], run["unplaced"], run["blocking_pairs"]) == (3, 2, 1, 0)
    assert run["dropped_pairs"] == 0
    # The mentor ranks places[0] first: the student-optimal allocation gives them topic 0.
    detail = _get(client, f"/cohorts/{cohort_id}", institution).json()
    placed = {p["id"]: p["placed_topic"] for p in detail["students"]}
    assert placed[places[0]] == topics[0]
    assert placed[places[2]] is None
    # Pin the third student to topic 1, re-run: the pin holds.
    pinned = _post(
        client,
        f"/cohorts/{cohort_id}/placements",
        {"student": places[2], "topic": topics[1]},
        office,
    )
    assert pinned.status_code == 200, pinned.content
    assert pinned.json()["pinned"] is True
    rerun = _post(client, f"/cohorts/{cohort_id}/run", None, office).json()
    assert (rerun["pinned"], rerun["placed"], rerun["blocking_pairs"]) == (1, 2, 0)
    assert CohortStudent.objects.get(pk=places[2]).placed_topic_id == topics[1]
    bad = _post(
        client, f"/cohorts/{cohort_id}/placements", {"student": 999999, "topic": topics[1]}, office
    )
    assert bad.status_code == 422
    confirmed = _post(
        client,
        f"/cohorts/{cohort_id}/confirm",
        {"start_date": "2026-09-01", "end_date": "2028-06-30"},
        office,
    )
    assert confirmed.status_code == 200, confirmed.content
    agreements = confirmed.json()
    assert sorted(a["cohort_topic"] for a in agreements) == sorted(topics)
    assert all(a["status"] == "draft" and len(a["trainees"]) == 1 for a in agreements)
    assert _get(client, f"/cohorts/{cohort_id}", office).json()["status"] == "confirmed"
    # Closed: no more runs.
    assert _post(client, f"/cohorts/{cohort_id}/run", None, office).status_code == 422


def test_cohort_is_out_of_sight_of_other_regions(client, cast):
    setup = f.small_cohort(cast)
    assert _get(client, f"/cohorts/{setup.cohort.pk}", cast.officer_qingpu).status_code == 404
    assert (
        _post(client, f"/cohorts/{setup.cohort.pk}/run", None, cast.officer_qingpu).status_code
        == 404
    )
    listed = _get(client, "/cohorts", cast.officer_qingpu).json()
    assert listed["count"] == 0


def test_agreement_round_trip_to_retention(client, cast):
    office = cast.officer_jiashan
    need = f.submitted_need(cast.orgs["fulai"])
    body = {
        "region": "330421",
        "institution": cast.orgs["hdu_jiashan"].pk,
        "enterprise": cast.orgs["fulai"].pk,
        "academic_mentor": cast.talents["tangang"].pk,
        "need": need.pk,
        "topic": "涂布缺陷在线检测",
        "students": [cast.talents["student"].pk],
        "start_date": "2026-09-01",
        "end_date": "2028-06-30",
    }
    refused = _post(client, "/agreements", body, cast.enterprise_user)
    assert refused.status_code in (403, 422)
    created = _post(client, "/agreements", body, office)
    assert created.status_code == 201, created.content
    agreement = created.json()
    aid = agreement["id"]
    assert agreement["status"] == "draft"
    # Signing needs the enterprise mentor: 422 with the reason, then named and signed.
    unsigned = _post(client, f"/agreements/{aid}/actions/sign", {}, office)
    assert unsigned.status_code == 422
    assert "enterprise mentor" in unsigned.json()["detail"]
    engineer = TalentFactory(name="工程师戊")
    AffiliationFactory(talent=engineer, organisation=cast.orgs["fulai"])
    named = _post(
        client, f"/agreements/{aid}/enterprise-mentor", {"enterprise_mentor": engineer.pk}, office
    )
    assert named.status_code == 200, named.content
    assert named.json()["enterprise_mentor"] == engineer.pk
    assert (
        _post(client, f"/agreements/{aid}/actions/sign", {}, cast.enterprise_user).status_code
        == 403
    )
    signed = _post(client, f"/agreements/{aid}/actions/sign", {}, office)
    assert signed.json()["status"] == "signed"
    # Each party sees it: the student, the mentor; an outsider does not.
    assert _get(client, f"/agreements/{aid}", cast.student_user).status_code == 200
    assert _get(client, f"/agreements/{aid}", cast.talent_user).status_code == 200
    assert _get(client, f"/agreements/{aid}", cast.provider_qingpu).status_code == 404
    mine = _get(client, "/agreements", cast.student_user).json()
    assert [a["id"] for a in mine["items"]] == [aid]
    # Milestones.
    milestone = _post(
        client,
        f"/agreements/{aid}/milestones",
        {"title": "开题报告", "due": "2026-12-01"},
        cast.enterprise_user,
    )
    assert milestone.status_code == 201, milestone.content
    done = _post(
        client,
        f"/milestones/{milestone.json()['id']}/done",
        {"done_on": "2026-11-28"},
        cast.institution_user,
    )
    assert done.json()["done_on"] == "2026-11-28"
    # Graduation and destination.
    trainee_id = signed.json()["trainees"][0]["id"]
    assert (
        _post(
            client,
            f"/trainees/{trainee_id}/graduate",
            {"graduated_on": "2028-06-20", "result_summary": "x"},
            cast.enterprise_user,
        ).status_code
        == 403
    )
    graduated = _post(
        client,
        f"/trainees/{trainee_id}/graduate",
        {"graduated_on": "2028-06-20", "result_summary": "在线检测系统上线。"},
        cast.institution_user,
    )
    assert graduated.json()["status"] == "graduated"
    unknown = _post(
        client, f"/trainees/{trainee_id}/destination", {"destination_region": "999999"}, office
    )
    assert unknown.status_code == 422
    stayed = _post(
        client,
        f"/trainees/{trainee_id}/destination",
        {"destination": cast.orgs["zhongyang"].pk},
        office,
    )
    assert stayed.status_code == 200, stayed.content
    assert (stayed.json()["stayed"], stayed.json()["destination_region"]) == (True, "330421")
    stats = _get(client, "/stats", office).json()
    jiashan = next(r for r in stats if r["region_code"] == "330421")
    assert (jiashan["graduates"], jiashan["stayed"]) == (1, 1)
    assert Decimal(str(jiashan["retention_rate"])) == Decimal("1")
    assert _get(client, "/stats", cast.officer_qingpu).json() == []
    completed = _post(client, f"/agreements/{aid}/actions/complete", {}, cast.institution_user)
    assert completed.json()["status"] == "completed"
    assert Agreement.objects.get(pk=aid).status == "completed"


def test_trainee_withdraw_and_unknown_action(client, cast):
    agreement = f.agreement(cast, signed=True)
    trainee = agreement.trainees.get()
    assert (
        _post(
            client, f"/agreements/{agreement.pk}/actions/bogus", {}, cast.officer_jiashan
        ).status_code
        == 404
    )
    no_reason = _post(client, f"/trainees/{trainee.pk}/withdraw", {}, cast.officer_jiashan)
    assert no_reason.status_code == 422
    left = _post(
        client, f"/trainees/{trainee.pk}/withdraw", {"reason": "转学。"}, cast.officer_jiashan
    )
    assert left.json()["status"] == "withdrawn"
    assert (
        _post(
            client, f"/trainees/{trainee.pk}/withdraw", {"reason": "x"}, cast.officer_qingpu
        ).status_code
        == 404
    )


def test_anonymous_is_401(client):
    assert client.get(f"{T}/agreements").status_code == 401
