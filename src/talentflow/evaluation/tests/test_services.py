"""The rules of evaluation: quota, period, who endorses, the public notice, results."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from talentflow.core.models import AuditEvent, Notification
from talentflow.evaluation import selectors, services
from talentflow.evaluation.models import (
    AuthorisationStatus,
    Category,
    EvaluationResult,
    EvaluationStatus,
    ObjectionStatus,
    RecommendationStatus,
    ResultSource,
)
from talentflow.evaluation.tests.builders import (
    SYSTEM,
    authorise,
    evaluate,
    huangyan,
    recommend,
    submitted,
    today,
)
from talentflow.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def h(cast):
    return huangyan(cast)


# Authorisations ---------------------------------------------------------------------------


def test_officer_authorises_an_enterprise_of_the_region(h):
    """The grant carries the officer's region, is audited and tells the enterprise."""
    authorisation = authorise(h, quota=3)
    assert authorisation.region_id == "331003"
    assert authorisation.granted_by == h.officer
    assert AuditEvent.objects.filter(
        action="authorisation.create", object_id=str(authorisation.pk)
    ).exists()
    assert Notification.objects.filter(
        recipient=h.enterprise_user, kind="evaluation.authorised"
    ).exists()


def test_another_regions_officer_cannot_authorise(h, cast):
    """嘉善's officer governs no 黄岩 enterprise."""
    with pytest.raises(PermissionDenied):
        services.authorisation_create(
            actor=cast.officer_jiashan,
            enterprise=h.enterprise,
            scope="模具",
            quota=1,
            period_start=today(),
            period_end=today(),
            criteria_text="贡献",
        )


def test_enterprise_outside_the_region_is_refused(h):
    """A 嘉善 enterprise cannot be authorised by 黄岩's office."""
    with pytest.raises(ValidationError) as error:
        services.authorisation_create(
            actor=None,
            system_label="test",
            enterprise=OrganisationFactory(),  # 嘉善
            region=h.region,
            scope="模具",
            quota=1,
            period_start=today(),
            period_end=today(),
            criteria_text="贡献",
        )
    assert "enterprise" in error.value.message_dict


def test_period_must_be_ordered_and_quota_positive(h):
    with pytest.raises(ValidationError) as error:
        authorise(h, quota=0, start=today(), end=today() - dt.timedelta(days=1))
    assert {"quota", "period_end"} <= set(error.value.message_dict)


def test_criteria_document_type_is_validated(h):
    """Only document types the platform accepts; nothing is written otherwise."""
    bad = SimpleUploadedFile("criteria.exe", b"MZ", "application/octet-stream")
    with pytest.raises(ValidationError):
        authorise(h, criteria_file=bad)
    good = SimpleUploadedFile("评价标准.pdf", b"%PDF-1.4", "application/pdf")
    authorisation = authorise(h, criteria_file=good)
    assert authorisation.criteria_file_name == "评价标准.pdf"


# Quota and period ------------------------------------------------------------------------


def test_quota_is_enforced(h):
    """With a quota of two, the third submission is refused; a returned one frees its place."""
    authorisation = authorise(h, quota=2)
    first = submitted(h, authorisation, h.talents[0])
    submitted(h, authorisation, h.talents[1])
    third = evaluate(h, authorisation, h.talents[2])
    with pytest.raises(ValidationError, match="quota"):
        services.evaluation_submit(actor=h.enterprise_user, evaluation=third)
    third.refresh_from_db()
    assert third.status == EvaluationStatus.DRAFT
    services.evaluation_return(actor=h.officer, evaluation=first, reason="请补充专利证明。")
    services.evaluation_submit(actor=h.enterprise_user, evaluation=third)
    assert services.quota_used(authorisation) == 2
    # …and the returned one cannot come back while the quota is full.
    with pytest.raises(ValidationError, match="quota"):
        services.evaluation_submit(actor=h.enterprise_user, evaluation=first)


def test_evaluation_date_must_lie_inside_the_period(h):
    authorisation = authorise(h, start=today() - dt.timedelta(days=10), end=today())
    with pytest.raises(ValidationError) as error:
        evaluate(h, authorisation, h.talents[0], on=today() + dt.timedelta(days=1))
    assert "evaluated_on" in error.value.message_dict


def test_submission_after_the_period_is_refused(h):
    """An authorisation that has expired admits no more submissions."""
    authorisation = authorise(
        h, start=today() - dt.timedelta(days=60), end=today() - dt.timedelta(days=1)
    )
    evaluation = evaluate(h, authorisation, h.talents[0], on=today() - dt.timedelta(days=5))
    with pytest.raises(ValidationError, match="period"):
        services.evaluation_submit(actor=h.enterprise_user, evaluation=evaluation)


def test_revoked_authorisation_admits_no_evaluation(h):
    authorisation = authorise(h)
    services.authorisation_revoke(actor=h.officer, authorisation=authorisation, reason="企业注销")
    authorisation.refresh_from_db()
    assert authorisation.status == AuthorisationStatus.REVOKED
    with pytest.raises(ValidationError):
        evaluate(h, authorisation, h.talents[0])


def test_talent_must_work_for_the_enterprise(h, cast):
    authorisation = authorise(h)
    with pytest.raises(ValidationError) as error:
        evaluate(h, authorisation, cast.talents["tangang"])
    assert "talent" in error.value.message_dict


def test_only_the_authorised_enterprise_evaluates(h, cast):
    authorisation = authorise(h)
    with pytest.raises(PermissionDenied):
        services.evaluation_create(
            actor=cast.enterprise_user,  # 福莱, not 凯华
            authorisation=authorisation,
            talent=h.talents[0],
            evaluated_on=today(),
            role="x",
            years_on_job=1,
            achievements="x",
            proposed_tier="E",
        )


def test_degree_is_optional_contribution_is_not(h):
    """破四唯: no degree is fine; achievements are required."""
    authorisation = authorise(h)
    evaluation = evaluate(h, authorisation, h.talents[0], degree="")
    assert evaluation.degree == ""
    with pytest.raises(ValidationError) as error:
        evaluate(h, authorisation, h.talents[1], achievements="  ")
    assert "achievements" in error.value.message_dict


# Endorsement (认账) -------------------------------------------------------------------------


def test_endorsement_creates_the_result(h):
    authorisation = authorise(h)
    evaluation = submitted(h, authorisation, h.talents[0], proposed_tier="C")
    result = services.evaluation_endorse(actor=h.officer, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.ENDORSED
    assert result.source == ResultSource.EVALUATION
    assert result.category == Category.EMPLOYER
    assert result.tier == "C"
    assert result.region_id == "331003"
    assert result.valid_from == today()
    assert result.valid_until == services.default_valid_until("C", today())
    assert AuditEvent.objects.filter(action="evaluation.endorse").exists()
    assert AuditEvent.objects.filter(action="result.create").exists()


def test_endorsement_from_another_region_is_refused(h, cast):
    """An officer of 嘉善 cannot endorse a 黄岩 authorisation's evaluation: the reason names
    the region whose office may."""
    authorisation = authorise(h)
    evaluation = submitted(h, authorisation, h.talents[0])
    for officer in (cast.officer_jiashan, cast.officer_lishui):
        with pytest.raises(PermissionDenied, match="黄岩区"):
            services.evaluation_endorse(actor=officer, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED
    assert not EvaluationResult.objects.exists()


def test_enterprise_cannot_endorse_itself(h):
    authorisation = authorise(h)
    evaluation = submitted(h, authorisation, h.talents[0])
    with pytest.raises(PermissionDenied):
        services.evaluation_endorse(actor=h.enterprise_user, evaluation=evaluation)


def test_return_needs_a_reason_and_resubmission_works(h):
    authorisation = authorise(h)
    evaluation = submitted(h, authorisation, h.talents[0])
    with pytest.raises(ValidationError):
        services.evaluation_return(actor=h.officer, evaluation=evaluation, reason=" ")
    services.evaluation_return(actor=h.officer, evaluation=evaluation, reason="补充证明材料")
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.RETURNED
    assert Notification.objects.filter(
        recipient=h.enterprise_user, kind="evaluation.returned"
    ).exists()
    services.evaluation_update(
        actor=h.enterprise_user,
        evaluation=evaluation,
        data={"achievements": "补充：两项发明专利。"},
    )
    services.evaluation_submit(actor=h.enterprise_user, evaluation=evaluation)
    assert AuditEvent.objects.filter(action="evaluation.resubmit").exists()


def test_endorsing_a_draft_is_refused(h):
    authorisation = authorise(h)
    evaluation = evaluate(h, authorisation, h.talents[0])
    with pytest.raises(ValidationError):
        services.evaluation_endorse(actor=h.officer, evaluation=evaluation)


# 行业公荐 and 公示 ---------------------------------------------------------------------------


def _in_notice(h, talents=None):
    recommendation = recommend(h, talents)
    return services.recommendation_open_notice(
        actor=h.officer,
        recommendation=recommendation,
        notice_start=today(),
        notice_end=today() + dt.timedelta(days=6),
    )


def test_only_the_association_files_its_list(h, cast):
    with pytest.raises(PermissionDenied):
        services.recommendation_create(
            actor=cast.enterprise_user,
            association=h.association,
            region=h.region,
            title="x",
            entries=[{"talent": h.talents[0], "reason": "x", "proposed_tier": "E"}],
        )


def test_recommended_talent_must_work_in_the_region(h, cast):
    with pytest.raises(ValidationError) as error:
        recommend(h, [cast.talents["tangang"]])
    assert "entries" in error.value.message_dict


def test_upheld_objection_removes_the_talent(h, cast):
    """An objection filed during the notice and upheld takes the talent off the list; the
    final results are for the others only."""
    recommendation = _in_notice(h)
    first, second = recommendation.entries.all()
    objection = services.objection_file(
        actor=h.enterprise_user, entry=first, reason="获奖情况与事实不符。"
    )
    services.objection_resolve(
        actor=h.officer, objection=objection, uphold=True, resolution="经核实属实。"
    )
    first.refresh_from_db()
    assert first.removed
    at = timezone.make_aware(dt.datetime.combine(today() + dt.timedelta(days=7), dt.time(10)))
    results = services.recommendation_finalise(**SYSTEM, recommendation=recommendation, at=at)
    assert [r.talent_id for r in results] == [second.talent_id]
    assert results[0].category == Category.ASSOCIATION


def test_open_objection_blocks_finalising(h):
    recommendation = _in_notice(h)
    entry = recommendation.entries.first()
    objection = services.objection_file(actor=h.enterprise_user, entry=entry, reason="有异议")
    at = timezone.make_aware(dt.datetime.combine(today() + dt.timedelta(days=7), dt.time(10)))
    with pytest.raises(ValidationError, match="open objections"):
        services.recommendation_finalise(**SYSTEM, recommendation=recommendation, at=at)
    services.objection_resolve(
        actor=h.officer, objection=objection, uphold=False, resolution="异议不成立。"
    )
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.DISMISSED
    results = services.recommendation_finalise(**SYSTEM, recommendation=recommendation, at=at)
    assert len(results) == 2


def test_finalising_before_the_notice_ends_is_refused(h):
    recommendation = _in_notice(h)
    with pytest.raises(ValidationError, match="public notice runs until"):
        services.recommendation_finalise(actor=h.officer, recommendation=recommendation)
    recommendation.refresh_from_db()
    assert recommendation.status == RecommendationStatus.NOTICE


def test_objection_outside_the_notice_is_refused(h):
    recommendation = recommend(h)
    with pytest.raises(ValidationError):
        services.objection_file(
            actor=h.enterprise_user, entry=recommendation.entries.first(), reason="x"
        )


def test_objection_from_outside_the_region_is_refused(h, cast):
    """谭刚 lives in Hangzhou and works in 嘉善: 黄岩's notice is not his to object to."""
    recommendation = _in_notice(h)
    with pytest.raises(PermissionDenied):
        services.objection_file(
            actor=cast.talent_user, entry=recommendation.entries.first(), reason="x"
        )


def test_only_the_regions_office_opens_the_notice_and_resolves(h, cast):
    recommendation = recommend(h)
    with pytest.raises(PermissionDenied):
        services.recommendation_open_notice(
            actor=cast.officer_jiashan,
            recommendation=recommendation,
            notice_start=today(),
            notice_end=today(),
        )


# Results ---------------------------------------------------------------------------------


def test_results_are_valid_for_a_period(h):
    """current_results sees a result only inside its validity and until it is revoked."""
    talent = h.talents[0]
    result = services.result_record(
        actor=h.officer,
        talent=talent,
        category=Category.TOP_TALENT,
        tier="B",
        region=h.region,
        valid_from=dt.date(2025, 1, 1),
        valid_until=dt.date(2027, 12, 31),
        evidence="省级技能大师工作室领衔人。",
    )
    assert list(selectors.current_results(talent, on=dt.date(2026, 6, 1))) == [result]
    assert not selectors.current_results(talent, on=dt.date(2024, 12, 31)).exists()
    assert not selectors.current_results(talent, on=dt.date(2028, 1, 1)).exists()
    services.result_revoke(actor=h.officer, result=result, reason="材料造假")
    assert not selectors.current_results(talent, on=dt.date(2026, 6, 1)).exists()
    assert AuditEvent.objects.filter(action="result.revoke", object_id=str(result.pk)).exists()


def test_direct_results_only_for_direct_categories_with_evidence(h, cast):
    base = {
        "talent": h.talents[0],
        "tier": "E",
        "region": h.region,
        "valid_from": today(),
    }
    with pytest.raises(ValidationError):
        services.result_record(actor=h.officer, category=Category.EMPLOYER, evidence="x", **base)
    with pytest.raises(ValidationError):
        services.result_record(actor=h.officer, category=Category.OTHER, evidence="", **base)
    with pytest.raises(PermissionDenied):
        services.result_record(
            actor=cast.officer_jiashan, category=Category.OTHER, evidence="x", **base
        )


def test_summary_counts_from_records(h):
    """The results page's figures: authorised enterprises and evaluated talents."""
    authorisation = authorise(h, quota=5)
    for talent in h.talents[:3]:
        services.evaluation_endorse(actor=h.officer, evaluation=submitted(h, authorisation, talent))
    summary = selectors.result_summary(user=h.officer)
    assert summary.authorised_enterprises == 1
    assert summary.self_evaluated_talents == 3
    row = next(r for r in summary.by_category if r.category == Category.EMPLOYER)
    assert (row.results, row.talents) == (3, 3)
