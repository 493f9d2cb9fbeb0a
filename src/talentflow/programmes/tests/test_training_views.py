"""The joint-training pages as people use them: a practice base applied for, decided and
subsidised; the officers' allocation page (add mentors, topics, students; run, pin, re-run,
confirm); agreements with their six parties, milestones and trainees; the figures per region;
and who is refused (404 out of sight, 403 in sight but not theirs)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from talentflow.programmes import services_training as services
from talentflow.programmes.models import (
    Agreement,
    AgreementStatus,
    AllocationRun,
    Cohort,
    CohortMentor,
    CohortStatus,
    CohortStudent,
    CohortTopic,
    Milestone,
    PracticeBase,
    PracticeBaseStatus,
    TraineeStatus,
)
from talentflow.programmes.tests import factories_training as f
from talentflow.tests.factories import AffiliationFactory, TalentFactory

pytestmark = pytest.mark.django_db

SYSTEM = f.SYSTEM


def url(name: str, *args) -> str:
    return reverse(f"programmes:{name}", args=list(args))


def text(response) -> str:
    return response.content.decode()


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# Practice bases ---------------------------------------------------------------------------


def test_enterprise_applies_through_the_form(client, cast):
    client.force_login(cast.enterprise_user)
    page = client.get(url("practice_base_create"))
    assert page.status_code == 200
    response = client.post(
        url("practice_base_create"),
        {
            "enterprise": cast.orgs["fulai"].pk,
            "description": "涂布中试线；两名高级工程师带教。",
            "capacity": 3,
            "institutions": [cast.orgs["hdu_jiashan"].pk],
        },
    )
    base = PracticeBase.objects.get()
    assert response.status_code == 302
    assert response["Location"] == base.get_absolute_url()
    assert base.status == PracticeBaseStatus.SUBMITTED
    assert list(base.institutions.all()) == [cast.orgs["hdu_jiashan"]]


def test_practice_base_form_says_what_is_wrong(client, cast):
    client.force_login(cast.enterprise_user)
    response = client.post(
        url("practice_base_create"),
        {"enterprise": cast.orgs["fulai"].pk, "description": "", "capacity": 0},
    )
    assert response.status_code == 200
    body = text(response)
    assert "This field is required." in body
    assert "Ensure this value is greater than or equal to 1." in body
    assert not PracticeBase.objects.exists()


def test_a_second_live_application_is_refused_next_to_the_form(client, cast):
    f.practice_base(cast.orgs["fulai"])
    client.force_login(cast.enterprise_user)
    response = client.post(
        url("practice_base_create"),
        {"enterprise": cast.orgs["fulai"].pk, "description": "再次申请", "capacity": 2},
    )
    assert response.status_code == 200
    assert "already has a practice-base application" in text(response)
    assert PracticeBase.objects.count() == 1


def test_people_without_an_organisation_cannot_apply(client, cast):
    client.force_login(cast.talent_user)
    assert client.get(url("practice_base_create")).status_code == 403


def test_office_approves_and_the_enterprise_applies_for_the_subsidy(client, cast):
    from talentflow.rules import services as rules_services
    from talentflow.rules.models import Application

    policies = rules_services.seed_policies_create(region=f.region())
    rules_services.policy_year_set(
        **SYSTEM, policy=policies["practice_base_subsidy"], year=2026, budget=Decimal("300000")
    )
    base = f.practice_base(cast.orgs["fulai"])
    client.force_login(cast.officer_jiashan)
    detail = client.get(base.get_absolute_url())
    assert "Approve as a practice base" in text(detail)
    assert "Apply for the 育才补贴" not in text(detail)
    response = client.post(url("practice_base_action", base.pk, "approve"), {"reason": ""})
    assert response.status_code == 302
    base.refresh_from_db()
    assert base.status == PracticeBaseStatus.APPROVED

    client.force_login(cast.enterprise_user)
    detail = client.get(base.get_absolute_url())
    assert "Apply for the 育才补贴" in text(detail)
    response = client.post(url("practice_base_subsidy", base.pk))
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == application.get_absolute_url()
    base.refresh_from_db()
    assert base.subsidy_application == application
    # The base's page links the application; no second button.
    detail = text(client.get(base.get_absolute_url()))
    assert application.get_absolute_url() in detail
    assert "Apply for the 育才补贴" not in detail


def test_reject_needs_a_reason_and_only_the_office_decides(client, cast):
    base = f.practice_base(cast.orgs["fulai"])
    client.force_login(cast.enterprise_user)
    assert client.post(url("practice_base_action", base.pk, "approve")).status_code == 403
    client.force_login(cast.officer_jiashan)
    response = client.post(url("practice_base_action", base.pk, "reject"), follow=True)
    assert "Give the reason." in text(response)
    base.refresh_from_db()
    assert base.status == PracticeBaseStatus.SUBMITTED
    client.post(url("practice_base_action", base.pk, "reject"), {"reason": "无带教工程师。"})
    base.refresh_from_db()
    assert base.status == PracticeBaseStatus.REJECTED
    assert base.decision_note == "无带教工程师。"


def test_enterprise_withdraws_its_application(client, cast):
    base = f.practice_base(cast.orgs["fulai"])
    client.force_login(cast.enterprise_user)
    client.post(url("practice_base_action", base.pk, "withdraw"), {"reason": "暂缓申请。"})
    base.refresh_from_db()
    assert base.status == PracticeBaseStatus.WITHDRAWN


def test_practice_bases_are_out_of_sight_of_other_regions(client, cast):
    base = f.practice_base(cast.orgs["fulai"])
    client.force_login(cast.officer_qingpu)
    assert client.get(base.get_absolute_url()).status_code == 404
    assert client.post(url("practice_base_action", base.pk, "approve")).status_code == 404
    listing = client.get(url("practice_base_list"))
    assert "浙江福莱新材料股份有限公司" not in text(listing)
    assert "No graduate practice base yet." in text(listing)


def test_practice_base_list_filters_and_exports(client, cast):
    f.practice_base(cast.orgs["fulai"])
    f.practice_base(cast.orgs["zhongyang"], state="approved")
    client.force_login(cast.officer_jiashan)
    listing = text(client.get(url("practice_base_list") + "?status=approved"))
    assert "浙江中扬立库技术有限公司" in listing
    assert "浙江福莱新材料股份有限公司" not in listing
    partial = client.get(url("practice_base_list") + "?q=福莱", HTTP_HX_REQUEST="true")
    assert "<html" not in text(partial)
    assert "浙江福莱新材料股份有限公司" in text(partial)
    csv = client.get(reverse("programmes:practice_base_export", kwargs={"fmt": "csv"}))
    content = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "企业" in content.splitlines()[0]
    assert "浙江福莱新材料股份有限公司" in content and "浙江中扬立库技术有限公司" in content
    xlsx = client.get(reverse("programmes:practice_base_export", kwargs={"fmt": "xlsx"}))
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


# Cohorts and the allocation page -------------------------------------------------------


def test_officer_opens_a_cohort_and_the_institution_fills_it(client, cast):
    client.force_login(cast.officer_jiashan)
    response = client.post(
        url("cohort_create"),
        {
            "name": "2026 级入企联培",
            "region": "330421",
            "institution": cast.orgs["hdu_jiashan"].pk,
            "year": 2026,
        },
    )
    cohort = Cohort.objects.get()
    assert response["Location"] == cohort.get_absolute_url()

    client.force_login(cast.institution_user)
    need = f.submitted_need(cast.orgs["fulai"])
    # The institution enrols its own people: a professor and a graduate student of it.
    hdu = cast.orgs["hdu_jiashan"]
    mentor = TalentFactory(name="导师甲")
    AffiliationFactory(talent=mentor, organisation=hdu)
    student = TalentFactory(name="研究生甲")
    AffiliationFactory(talent=student, organisation=hdu, kind="studying")
    assert client.get(url("cohort_mentor", cohort.pk)).status_code == 200
    client.post(url("cohort_mentor", cohort.pk), {"mentor": mentor.pk, "capacity": 2})
    cohort_mentor = CohortMentor.objects.get(cohort=cohort)
    response = client.post(
        url("cohort_topic", cohort.pk),
        {"need": need.pk, "title": "涂布缺陷在线检测", "mentor": cohort_mentor.pk, "capacity": 1},
    )
    assert response.status_code == 302, text(response)
    topic = CohortTopic.objects.get(cohort=cohort)
    client.post(url("cohort_student", cohort.pk), {"student": student.pk, "choice_1": topic.pk})
    place = CohortStudent.objects.get(cohort=cohort)
    assert place.preferences == [topic.pk]
    client.post(
        url("cohort_mentor", cohort.pk),
        {"mentor": mentor.pk, "capacity": 2, "ranking": str(student.pk)},
    )
    cohort_mentor.refresh_from_db()
    assert cohort_mentor.ranking == [place.pk]

    page = text(client.get(cohort.get_absolute_url()))
    assert "涂布缺陷在线检测" in page and "研究生甲" in page
    # The institution fills the cohort; only the office runs the allocation.
    assert "Run the allocation" not in page
    assert client.post(url("cohort_run", cohort.pk)).status_code == 403


def test_cohort_forms_say_what_is_wrong(client, cast):
    setup = f.small_cohort(cast)
    cohort = setup.cohort
    client.force_login(cast.institution_user)
    response = client.post(
        url("cohort_mentor", cohort.pk),
        {"mentor": cast.talents["tangang"].pk, "capacity": 2, "ranking": "99999, abc"},
    )
    assert response.status_code == 200
    assert "“abc” is not a system number" in text(response)
    response = client.post(
        url("cohort_mentor", cohort.pk),
        {"mentor": cast.talents["tangang"].pk, "capacity": 2, "ranking": "99999"},
    )
    assert "Not students of this cohort: 99999" in text(response)
    t0 = setup.topics[0].pk
    response = client.post(
        url("cohort_student", cohort.pk),
        {"student": cast.talents["student"].pk, "choice_1": t0, "choice_2": t0},
    )
    assert "A topic is chosen twice" in text(response)
    response = client.post(url("cohort_student", cohort.pk), {"student": 99999})
    assert "No talent you can see has the number 99999." in text(response)


def test_officer_runs_pins_reruns_and_confirms(client, cast):
    setup = f.small_cohort(cast)
    cohort = setup.cohort
    client.force_login(cast.officer_jiashan)
    page = text(client.get(cohort.get_absolute_url()))
    assert "Run the allocation" in page
    assert "The allocation has not been run yet." in page
    assert "Confirm the allocation" not in page

    client.post(url("cohort_run", cohort.pk))
    run = AllocationRun.objects.get(cohort=cohort)
    assert run.blocking_pairs == 0
    page = text(client.get(cohort.get_absolute_url()))
    assert f'data-count="placed">{run.placed}<' in page
    assert f'data-count="unplaced">{run.students - run.placed}<' in page
    assert 'data-count="blocking">0' in page
    assert "Re-run the allocation" in page

    # Pin a student to a topic they did not get, then re-run: the pin holds.
    student = next(s for s in CohortStudent.objects.filter(cohort=cohort))
    target = next(t for t in setup.topics if t.pk != student.placed_topic_id)
    response = client.post(
        url("cohort_placement", cohort.pk, student.pk), {"topic": target.pk, "pinned": "on"}
    )
    assert response.status_code == 302
    student.refresh_from_db()
    assert student.pinned and student.placed_topic_id == target.pk
    client.post(url("cohort_run", cohort.pk))
    latest = AllocationRun.objects.filter(cohort=cohort).first()
    assert latest.pinned == 1
    student.refresh_from_db()
    assert student.placed_topic_id == target.pk
    history = text(client.get(cohort.get_absolute_url()))
    assert history.count('<tr><td class="small">') >= 2  # two runs in the history

    # Unpin through htmx: the placements table comes back alone.
    response = client.post(
        url("cohort_placement", cohort.pk, student.pk),
        {"topic": target.pk, "unpin": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert 'id="placements"' in text(response) and "<html" not in text(response)
    assert "The pin is released: re-run the allocation." in text(response)
    student.refresh_from_db()
    assert not student.pinned

    response = client.post(
        url("cohort_confirm", cohort.pk),
        {"start_date": "2026-09-01", "end_date": "2026-08-01"},
        follow=True,
    )
    assert "The end must come after the start." in text(response)
    assert not Agreement.objects.exists()
    client.post(
        url("cohort_confirm", cohort.pk), {"start_date": "2026-09-01", "end_date": "2028-06-30"}
    )
    cohort.refresh_from_db()
    assert cohort.status == CohortStatus.CONFIRMED
    placed_topics = set(
        CohortStudent.objects.filter(cohort=cohort, placed_topic__isnull=False).values_list(
            "placed_topic", flat=True
        )
    )
    agreements = Agreement.objects.filter(cohort_topic__cohort=cohort)
    assert set(agreements.values_list("cohort_topic", flat=True)) == placed_topics
    assert all(a.status == AgreementStatus.DRAFT for a in agreements)
    page = text(client.get(cohort.get_absolute_url()))
    assert "Agreements of this cohort" in page
    assert "Run the allocation" not in page and "Re-run the allocation" not in page


def test_preferences_are_imported_from_a_csv_file(client, cast):
    from django.core.files.uploadedfile import SimpleUploadedFile

    setup = f.small_cohort(cast)
    cohort = setup.cohort
    t0, _t1, t2 = setup.topics
    newcomer = TalentFactory(name="研究生戊")
    AffiliationFactory(talent=newcomer, organisation=cast.orgs["hdu_jiashan"], kind="studying")
    data = f"学生编号,第一志愿,第二志愿\n{newcomer.pk},{t2.title},{t0.pk}\n".encode()
    client.force_login(cast.institution_user)
    page = text(client.get(cohort.get_absolute_url()))
    assert "Import preferences" in page
    response = client.post(
        url("cohort_import", cohort.pk),
        {"file": SimpleUploadedFile("志愿.csv", data, "text/csv")},
        follow=True,
    )
    assert "1 students added, 0 updated." in text(response)
    assert CohortStudent.objects.get(cohort=cohort, student=newcomer).preferences == [t2.pk, t0.pk]
    bad = f"学生编号,第一志愿\n{newcomer.pk},不存在的课题\n".encode()
    response = client.post(
        url("cohort_import", cohort.pk),
        {"file": SimpleUploadedFile("志愿.csv", bad, "text/csv")},
        follow=True,
    )
    assert "is not a topic of the cohort" in text(response)
    assert CohortStudent.objects.get(cohort=cohort, student=newcomer).preferences == [t2.pk, t0.pk]
    response = client.post(
        url("cohort_import", cohort.pk),
        {"file": SimpleUploadedFile("志愿.txt", data, "text/plain")},
        follow=True,
    )
    assert "Upload a .csv or .xlsx file." in text(response)


def test_pinning_to_a_full_topic_is_refused_with_the_reason(client, cast):
    setup = f.small_cohort(cast)
    cohort = setup.cohort
    small = setup.topics[1]  # capacity 1
    first, second = setup.students[0], setup.students[1]
    services.placement_set(**SYSTEM, cohort_student=first, topic=small)
    client.force_login(cast.officer_jiashan)
    response = client.post(
        url("cohort_placement", cohort.pk, second.pk),
        {"topic": small.pk, "pinned": "on"},
        follow=True,
    )
    assert "is full" in text(response)
    second.refresh_from_db()
    assert not second.pinned


def test_cohorts_are_out_of_sight_of_other_offices_and_unrelated_people(client, cast):
    setup = f.small_cohort(cast)
    for role in ("officer_qingpu", "provider_qingpu", "enterprise_qingtian"):
        client.force_login(getattr(cast, role))
        assert client.get(setup.cohort.get_absolute_url()).status_code == 404, role
        assert client.post(url("cohort_run", setup.cohort.pk)).status_code == 404, role
    client.force_login(cast.officer_jiashan)
    listing = text(client.get(url("cohort_list")))
    assert "2026 级入企联培" in listing


# Agreements ------------------------------------------------------------------------------


def test_agreement_page_shows_the_six_parties_to_each_of_them(client, cast):
    engineer = TalentFactory(name="工程师戊")
    agreement = f.agreement(cast, enterprise_mentor=engineer)
    for role in (
        "officer_jiashan",
        "institution_user",
        "enterprise_user",
        "talent_user",
        "student_user",
    ):
        client.force_login(getattr(cast, role))
        page = client.get(agreement.get_absolute_url())
        assert page.status_code == 200, role
        body = text(page)
        for party in (
            "嘉善县",
            "杭州电子科技大学嘉善研究院",
            "浙江福莱新材料股份有限公司",
            "谭刚",
            "工程师戊",
            "研究生甲",
        ):
            assert party in body, (role, party)
        assert agreement.need.get_absolute_url() in body
    for role in ("officer_qingpu", "provider_qingpu"):
        client.force_login(getattr(cast, role))
        assert client.get(agreement.get_absolute_url()).status_code == 404, role


def test_officer_names_the_mentor_signs_and_the_institution_completes(client, cast):
    agreement = f.agreement(cast)
    client.force_login(cast.enterprise_user)
    assert client.post(url("agreement_action", agreement.pk, "sign")).status_code == 403
    client.force_login(cast.officer_jiashan)
    page = text(client.get(agreement.get_absolute_url()))
    assert "Name the enterprise mentor before signing." in page
    response = client.post(url("agreement_action", agreement.pk, "sign"), follow=True)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.DRAFT
    assert "enterprise mentor" in text(response)
    engineer = TalentFactory(name="工程师戊")
    engineer.affiliations.create(
        organisation=cast.orgs["fulai"], kind="employed", start_date=dt.date(2020, 1, 1)
    )
    client.post(url("agreement_mentor", agreement.pk), {"enterprise_mentor": engineer.pk})
    agreement.refresh_from_db()
    assert agreement.enterprise_mentor == engineer
    client.post(url("agreement_action", agreement.pk, "sign"))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    client.force_login(cast.institution_user)
    client.post(url("agreement_action", agreement.pk, "complete"))
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.COMPLETED


def test_terminate_needs_a_reason(client, cast):
    agreement = f.agreement(cast, signed=True)
    client.force_login(cast.officer_jiashan)
    response = client.post(url("agreement_action", agreement.pk, "terminate"), follow=True)
    assert "Give the reason." in text(response)
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.SIGNED
    client.post(url("agreement_action", agreement.pk, "terminate"), {"reason": "企业停产。"})
    agreement.refresh_from_db()
    assert agreement.status == AgreementStatus.TERMINATED
    assert agreement.end_reason == "企业停产。"


def test_milestones_are_added_and_marked_done(client, cast):
    agreement = f.agreement(cast, signed=True)
    client.force_login(cast.enterprise_user)
    response = client.post(
        url("agreement_milestone_add", agreement.pk), {"title": "开题"}, follow=True
    )
    assert "Due: This field is required." in text(response)
    client.post(
        url("agreement_milestone_add", agreement.pk), {"title": "开题报告", "due": "2026-12-01"}
    )
    milestone = Milestone.objects.get(agreement=agreement)
    client.post(url("agreement_milestone_done", milestone.pk), {"done_on": "2026-11-28"})
    milestone.refresh_from_db()
    assert milestone.done_on == dt.date(2026, 11, 28)
    # A student sees the milestones but does not manage them.
    client.force_login(cast.student_user)
    page = text(client.get(agreement.get_absolute_url()))
    assert "开题报告" in page and "Add the milestone" not in page


def test_trainee_graduates_and_stays_in_the_region(client, cast):
    agreement = f.agreement(cast, signed=True)
    trainee = agreement.trainees.get()
    client.force_login(cast.institution_user)
    prefix = f"t{trainee.pk}-"
    response = client.post(
        url("agreement_trainee_graduate", trainee.pk),
        {prefix + "graduated_on": "2028-06-20"},
        follow=True,
    )
    assert "Practical result: This field is required." in text(response)
    client.post(
        url("agreement_trainee_graduate", trainee.pk),
        {prefix + "graduated_on": "2028-06-20", prefix + "result_summary": "在线检测系统上线。"},
    )
    trainee.refresh_from_db()
    assert trainee.status == TraineeStatus.GRADUATED
    response = client.post(
        url("agreement_trainee_destination", trainee.pk),
        {"destination": cast.orgs["fulai"].pk},
        follow=True,
    )
    trainee.refresh_from_db()
    assert trainee.stayed is True
    assert trainee.destination_region_id == "330421"
    assert "stayed in the region (留在本地)" in text(response)
    # The enterprise sees the record but does not keep it.
    client.force_login(cast.enterprise_user)
    assert (
        client.post(url("agreement_trainee_withdraw", trainee.pk), {"reason": "x"}).status_code
        == 403
    )


def test_destination_outside_the_region_is_not_retention(client, cast):
    agreement = f.agreement(cast, signed=True)
    trainee = agreement.trainees.get()
    services.trainee_graduate(
        **SYSTEM, trainee=trainee, graduated_on=dt.date(2028, 6, 20), result_summary="成果"
    )
    client.force_login(cast.officer_jiashan)
    response = client.post(
        url("agreement_trainee_destination", trainee.pk),
        {"destination_region": "310118"},
        follow=True,
    )
    trainee.refresh_from_db()
    assert trainee.stayed is False
    assert "left the region" in text(response)
    response = client.post(
        url("agreement_trainee_destination", trainee.pk),
        {"destination_region": "999999"},
        follow=True,
    )
    assert "Unknown region code: 999999." in text(response)


def test_direct_agreement_form(client, cast):
    need = f.submitted_need(cast.orgs["fulai"])
    client.force_login(cast.officer_jiashan)
    assert client.get(url("agreement_create")).status_code == 200
    data = {
        "region": "330421",
        "institution": cast.orgs["hdu_jiashan"].pk,
        "enterprise": cast.orgs["fulai"].pk,
        "need": need.pk,
        "topic": "涂布缺陷在线检测",
        "academic_mentor": cast.talents["tangang"].pk,
        "students": str(cast.talents["student"].pk),
        "start_date": "2026-09-01",
        "end_date": "2026-01-01",
    }
    response = client.post(url("agreement_create"), data)
    assert response.status_code == 200
    assert "The end must come after the start." in text(response)
    data["end_date"] = "2028-06-30"
    response = client.post(url("agreement_create"), data)
    agreement = Agreement.objects.get()
    assert response["Location"] == agreement.get_absolute_url()
    assert list(agreement.trainees.values_list("student", flat=True)) == [
        cast.talents["student"].pk
    ]
    client.force_login(cast.institution_user)
    assert client.get(url("agreement_create")).status_code == 403


def test_agreement_lists_are_scoped_and_exported(client, cast):
    f.agreement(cast)
    client.force_login(cast.student_user)
    assert "涂布缺陷在线检测" in text(client.get(url("agreement_list")))
    client.force_login(cast.provider_qingpu)
    listing = text(client.get(url("agreement_list")))
    assert "涂布缺陷在线检测" not in listing
    assert "No joint-training agreement yet." in listing
    client.force_login(cast.officer_jiashan)
    csv = client.get(reverse("programmes:agreement_export", kwargs={"fmt": "csv"}))
    content = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "涂布缺陷在线检测" in content and "谭刚" in content
    assert (
        client.get(reverse("programmes:agreement_export", kwargs={"fmt": "pdf"})).status_code == 404
    )


# Statistics ------------------------------------------------------------------------------


def test_stats_show_retention_per_region(client, cast):
    agreement = f.agreement(cast, signed=True, students=[cast.talents["student"], TalentFactory()])
    first, second = agreement.trainees.all()
    for trainee, region in ((first, "330421"), (second, "310118")):
        services.trainee_graduate(
            **SYSTEM, trainee=trainee, graduated_on=dt.date(2028, 6, 20), result_summary="成果"
        )
        services.trainee_destination(**SYSTEM, trainee=trainee, destination_region=f.region(region))
    client.force_login(cast.officer_jiashan)
    page = text(client.get(url("training_stats")))
    assert "嘉善县" in page
    assert "50.0%" in page
    assert 'id="training-chart-data"' in page
    csv = client.get(url("training_stats") + "?format=csv")
    content = b"".join(csv.streaming_content).decode("utf-8-sig")
    assert "留存率" in content.splitlines()[0] and "50.0%" in content
    client.force_login(cast.officer_qingpu)
    page = text(client.get(url("training_stats")))
    assert "No joint-training figures in your regions yet." in page
    client.force_login(cast.talent_user)
    assert client.get(url("training_stats")).status_code == 403
