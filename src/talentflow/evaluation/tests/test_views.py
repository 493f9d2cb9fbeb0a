"""The evaluation pages as people use them: forms, review, notice and objections, results on
the profile, exports, and who is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talentflow.evaluation import services
from talentflow.evaluation.models import (
    Authorisation,
    Category,
    EnterpriseEvaluation,
    EvaluationStatus,
    ObjectionStatus,
)
from talentflow.evaluation.tests.builders import (
    authorise,
    evaluate,
    huangyan,
    recommend,
    submitted,
    today,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def h(cast):
    return huangyan(cast)


def test_officer_authorises_through_the_form(client, h):
    client.force_login(h.officer)
    url = reverse("evaluation:authorisation_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "enterprise": h.enterprise.pk,
            "category": Category.EMPLOYER,
            "scope": "模具岗位",
            "quota": 3,
            "period_start": today().isoformat(),
            "period_end": (today() + dt.timedelta(days=30)).isoformat(),
            "criteria_text": "贡献",
            "criteria_file": SimpleUploadedFile("标准.pdf", b"%PDF-1.4", "application/pdf"),
        },
    )
    authorisation = Authorisation.objects.get()
    assert response.status_code == 302
    assert authorisation.criteria_file_name == "标准.pdf"
    page = client.get(reverse("evaluation:authorisation_list")).content.decode()
    assert "浙江凯华模具有限公司" in page


def test_authorisation_list_shows_quota_used_and_left(client, h):
    authorisation = authorise(h, quota=3)
    submitted(h, authorisation, h.talents[0])
    client.force_login(h.officer)
    page = client.get(reverse("evaluation:authorisation_detail", args=[authorisation.pk]))
    assert "1 of 3 used, 2 left" in page.content.decode()


def test_authorisation_export_lists_quota(client, h):
    authorise(h, quota=4)
    client.force_login(h.officer)
    response = client.get(reverse("evaluation:authorisation_export", kwargs={"fmt": "csv"}))
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "人才名额" in content and "浙江凯华模具有限公司" in content
    xlsx = client.get(reverse("evaluation:authorisation_export", kwargs={"fmt": "xlsx"}))
    assert xlsx.status_code == 200


def test_enterprise_evaluates_with_evidence_validated(client, h):
    authorisation = authorise(h)
    client.force_login(h.enterprise_user)
    url = reverse("evaluation:evaluation_create", args=[authorisation.pk])
    data = {
        "talent": h.talents[0].pk,
        "evaluated_on": today().isoformat(),
        "role": "模具组长",
        "years_on_job": 29,
        "achievements": "参与多项关键专利研发。",
        "degree": "",
        "proposed_tier": "E",
    }
    bad = client.post(url, {**data, "evidence": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad.status_code == 200
    assert "not accepted" in bad.content.decode() or "不接受" in bad.content.decode()
    assert not EnterpriseEvaluation.objects.exists()
    good = client.post(
        url, {**data, "evidence": SimpleUploadedFile("专利.pdf", b"%PDF", "application/pdf")}
    )
    evaluation = EnterpriseEvaluation.objects.get()
    assert good.status_code == 302
    assert evaluation.evidence_file_name == "专利.pdf"
    client.post(reverse("evaluation:evaluation_action", args=[evaluation.pk, "submit"]))
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED


def test_office_endorses_from_the_review_page(client, h):
    evaluation = submitted(h, authorise(h), h.talents[0])
    client.force_login(h.officer)
    page = client.get(reverse("evaluation:evaluation_detail", args=[evaluation.pk]))
    assert "Endorse" in page.content.decode() or "认账" in page.content.decode()
    client.post(
        reverse("evaluation:evaluation_action", args=[evaluation.pk, "endorse"]),
        {"tier": "D", "valid_from": today().isoformat()},
    )
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.ENDORSED
    assert evaluation.result.tier == "D"


def test_other_regions_officer_gets_404_and_cannot_endorse(client, h, cast):
    """嘉善's officer does not even see 黄岩's evaluation; the service refuses regardless."""
    evaluation = submitted(h, authorise(h), h.talents[0])
    client.force_login(cast.officer_jiashan)
    response = client.post(
        reverse("evaluation:evaluation_action", args=[evaluation.pk, "endorse"]),
        {"tier": "D", "valid_from": today().isoformat()},
    )
    assert response.status_code == 404
    evaluation.refresh_from_db()
    assert evaluation.status == EvaluationStatus.SUBMITTED


def test_notice_objection_and_resolution_through_pages(client, h, cast):
    recommendation = recommend(h)
    services.recommendation_open_notice(
        actor=h.officer,
        recommendation=recommendation,
        notice_start=today(),
        notice_end=today() + dt.timedelta(days=5),
    )
    entry = recommendation.entries.first()
    # The enterprise of 黄岩 sees the notice and objects.
    client.force_login(h.enterprise_user)
    page = client.get(reverse("evaluation:notice_detail", args=[recommendation.pk]))
    assert entry.talent.name in page.content.decode()
    client.post(reverse("evaluation:objection_create", args=[entry.pk]), {"reason": "不实"})
    objection = entry.objections.get()
    # 谭刚 (not of 黄岩) does not see it.
    client.force_login(cast.talent_user)
    assert (
        client.get(reverse("evaluation:notice_detail", args=[recommendation.pk])).status_code == 404
    )
    # The office upholds it: the talent is removed.
    client.force_login(h.officer)
    client.post(
        reverse("evaluation:objection_resolve", args=[objection.pk]),
        {"decision": "uphold", "resolution": "属实"},
    )
    objection.refresh_from_db()
    entry.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD
    assert entry.removed
    # Finalising now is refused: the notice still runs.
    client.post(reverse("evaluation:recommendation_finalise", args=[recommendation.pk]))
    recommendation.refresh_from_db()
    assert recommendation.status == "notice"


def test_association_files_a_list_through_the_form(client, h):
    client.force_login(h.association_user)
    url = reverse("evaluation:recommendation_create")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "模具行业公荐",
            "region": "331003",
            "entries-TOTAL_FORMS": "2",
            "entries-INITIAL_FORMS": "0",
            "entries-MIN_NUM_FORMS": "1",
            "entries-MAX_NUM_FORMS": "200",
            "entries-0-talent": h.talents[0].pk,
            "entries-0-reason": "贡献突出",
            "entries-0-proposed_tier": "E",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert h.association.evaluation_recommendations.get().entries.count() == 1


def test_results_shown_on_the_profile_with_validity(client, h):
    """A current result and an expired one both show, each marked."""
    talent = h.talents[0]
    services.result_record(
        actor=h.officer,
        talent=talent,
        category=Category.TOP_TALENT,
        tier="B",
        region=h.region,
        valid_from=today() - dt.timedelta(days=10),
        evidence="拔尖",
    )
    services.result_record(
        actor=h.officer,
        talent=talent,
        category=Category.OTHER,
        tier="E",
        region=h.region,
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2021, 1, 1),
        evidence="旧",
    )
    client.force_login(h.officer)
    page = client.get(talent.get_absolute_url()).content.decode()
    start = page.index('id="evaluation-results"')
    section = page[start : page.index("</section>", start)]
    assert "2021-01-01" in section
    assert section.count("badge text-bg-success") == 1  # only the current one is valid


def test_result_list_counts_and_filters(client, h):
    authorisation = authorise(h, quota=5)
    for talent in h.talents[:2]:
        services.evaluation_endorse(actor=h.officer, evaluation=submitted(h, authorisation, talent))
    client.force_login(h.officer)
    page = client.get(reverse("evaluation:result_list")).content.decode()
    assert 'id="authorised-enterprises">1<' in page
    assert 'id="evaluated-talents">2<' in page
    filtered = client.get(reverse("evaluation:result_list"), {"category": "other"})
    assert (
        "No result matches these filters." in filtered.content.decode()
        or "没有" in filtered.content.decode()
    )


def test_talent_sees_only_own_results(client, h, cast):
    services.result_record(
        actor=h.officer,
        talent=h.talents[0],
        category=Category.OTHER,
        tier="E",
        region=h.region,
        valid_from=today(),
        evidence="x",
    )
    client.force_login(cast.talent_user)
    page = client.get(reverse("evaluation:result_list")).content.decode()
    assert h.talents[0].name not in page


def test_enterprise_edits_a_returned_evaluation(client, h):
    evaluation = submitted(h, authorise(h), h.talents[0])
    services.evaluation_return(actor=h.officer, evaluation=evaluation, reason="补充材料")
    client.force_login(h.enterprise_user)
    url = reverse("evaluation:evaluation_edit", args=[evaluation.pk])
    assert "补充材料" in client.get(url).content.decode()
    client.post(
        url,
        {
            "evaluated_on": today().isoformat(),
            "role": "模具组长",
            "years_on_job": 29,
            "achievements": "补充：发明专利两项。",
            "proposed_tier": "D",
        },
    )
    evaluation.refresh_from_db()
    assert evaluation.achievements == "补充：发明专利两项。"
    assert evaluation.status == EvaluationStatus.RETURNED


def test_draft_is_not_shown_to_the_office(client, h):
    evaluation = evaluate(h, authorise(h), h.talents[0])
    client.force_login(h.officer)
    assert (
        client.get(reverse("evaluation:evaluation_detail", args=[evaluation.pk])).status_code == 404
    )
