"""The appointment pages as people use them: a 科技副总 request, the office's candidates and
proposal, the candidate's and employer's answers, the start with its 聘书, the work log and
reviews, renewal, the subsidy, joint labs, the figures per region, exports, and who is refused.

The records live in 嘉善 (the cast): 福莱 hosts, 谭刚 (employed by 浙江大学, which has no user:
its consent is a system task) is appointed, ``officer_jiashan`` is the office."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from talentflow.programmes import services_appointments as services
from talentflow.programmes.models import (
    Appointment,
    AppointmentRequest,
    AppointmentStatus,
    JointLab,
    PeriodReview,
    RequestStatus,
    WorkLog,
)

pytestmark = pytest.mark.django_db

TITLE = "功能膜材料科技副总"


@pytest.fixture(autouse=True)
def fresh_engine():
    """The matching engine forgets what it indexed in other tests (as in matching's tests)."""
    from talentflow.matching import index

    index.default_index().reset()
    yield
    index.default_index().reset()


def coating_expert(cast):
    """A films expert employed by 杭电嘉善研究院: 谭刚 serves 福莱 already, so the engine
    never recommends him to it (a conflict of interest)."""
    from talentflow.tests.factories import AffiliationFactory, TalentFactory

    expert = TalentFactory(name="林涂布", expertise="薄膜涂布；功能膜材料；BOPP；涂布缺陷")
    AffiliationFactory(talent=expert, organisation=cast.orgs["hdu_jiashan"], position="研究员")
    return expert


def today() -> dt.date:
    return timezone.localdate()


def file_request(cast, **fields) -> AppointmentRequest:
    data = {
        "kind": "vice_president",
        "host": cast.orgs["fulai"],
        "title": TITLE,
        "description": "主持功能膜材料研发，解决BOPP薄膜涂布缺陷。",
        "field": "薄膜涂布 功能膜材料 BOPP",
        **fields,
    }
    return services.request_create(actor=cast.enterprise_user, **data)


def propose(cast, record=None) -> Appointment:
    return services.appointment_propose(
        actor=cast.officer_jiashan,
        appointee=cast.talents["tangang"],
        request=record or file_request(cast),
    )


def consented(cast) -> Appointment:
    appointment = propose(cast)
    services.appointment_transition(
        actor=cast.talent_user, appointment=appointment, action="accept"
    )
    appointment.refresh_from_db()
    if appointment.status == AppointmentStatus.ACCEPTED:
        services.appointment_transition(
            actor=None, system_label="test", appointment=appointment, action="consent"
        )
    appointment.refresh_from_db()
    return appointment


def active(cast, salary: Decimal | None = Decimal("450000.00")) -> Appointment:
    return services.appointment_start(
        actor=cast.enterprise_user,
        appointment=consented(cast),
        term_start=today() - dt.timedelta(days=60),
        term_end=today() + dt.timedelta(days=3 * 365),
        duties="指导功能膜研发。",
        days_per_month=4,
        annual_salary=salary,
    )


def detail_url(appointment) -> str:
    return reverse("programmes:appointment_detail", args=[appointment.pk])


# Requests ------------------------------------------------------------------------------------


def test_enterprise_files_a_request_through_the_form(client, cast):
    client.force_login(cast.enterprise_user)
    url = reverse("programmes:request_create")
    page = client.get(url)
    assert page.status_code == 200
    # The host choices: the organisations the user acts for, and nothing else.
    hosts = page.context["form"].fields["host"].queryset
    assert list(hosts) == [cast.orgs["fulai"]]
    response = client.post(
        url,
        {
            "kind": "vice_president",
            "host": cast.orgs["fulai"].pk,
            "title": TITLE,
            "description": "主持研发。",
            "field": "功能膜材料",
        },
    )
    record = AppointmentRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == record.get_absolute_url()
    assert (record.host, record.region_id, record.status) == (
        cast.orgs["fulai"],
        "330421",
        RequestStatus.OPEN,
    )
    assert client.get(response["Location"]).status_code == 200


def test_officer_files_for_the_organisations_of_the_region(client, cast):
    client.force_login(cast.officer_jiashan)
    page = client.get(reverse("programmes:request_create"))
    hosts = set(page.context["form"].fields["host"].queryset)
    assert {cast.orgs["fulai"], cast.orgs["hdu_jiashan"]} <= hosts
    assert cast.orgs["xiafeng"] not in hosts  # 青田's
    response = client.post(
        reverse("programmes:request_create"),
        {
            "kind": "industry_professor",
            "host": cast.orgs["hdu_jiashan"].pk,
            "title": "产业教授需求",
            "description": "讲授涂布工艺课程。",
        },
    )
    assert response.status_code == 302
    assert AppointmentRequest.objects.get().kind == "industry_professor"


def test_request_form_explains_what_is_missing(client, cast):
    client.force_login(cast.enterprise_user)
    response = client.post(
        reverse("programmes:request_create"),
        {"kind": "vice_president", "host": cast.orgs["xiafeng"].pk, "title": ""},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "This field is required." in form.errors["title"]
    assert "This field is required." in form.errors["description"]
    # Another enterprise is not among the choices.
    assert "Select a valid choice" in " ".join(form.errors["host"])
    assert not AppointmentRequest.objects.exists()


def test_request_form_shows_the_service_refusal(client, cast):
    """An institution asks for an industry professor; a 科技副总 is an enterprise's."""
    client.force_login(cast.institution_user)
    response = client.post(
        reverse("programmes:request_create"),
        {
            "kind": "vice_president",
            "host": cast.orgs["hdu_jiashan"].pk,
            "title": "科技副总",
            "description": "研发",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not AppointmentRequest.objects.exists()


def test_request_list_filters_searches_and_scopes(client, cast):
    file_request(cast)
    file_request(cast, kind="partner", title="校企合伙人需求")
    client.force_login(cast.enterprise_user)
    url = reverse("programmes:request_list")
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["page_obj"].paginator.count == 2
    only_partner = client.get(url, {"kind": "partner"})
    assert [r.title for r in only_partner.context["requests"]] == ["校企合伙人需求"]
    searched = client.get(url, {"q": "科技副总"})
    assert [r.title for r in searched.context["requests"]] == [TITLE]
    by_region = client.get(url, {"region": "330421"})
    assert by_region.context["page_obj"].paginator.count == 2
    nothing = client.get(url, {"status": "withdrawn"})
    assert "No request matches these filters." in nothing.content.decode()
    # htmx asks for the results only.
    partial = client.get(url, {"kind": "partner"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in partial.content and "校企合伙人需求" in partial.content.decode()
    # Another region's enterprise sees none of them; a talent may not open the list.
    client.force_login(cast.enterprise_qingtian)
    assert client.get(url).context["page_obj"].paginator.count == 0
    assert "There is no appointment request for you to see yet." in client.get(url).content.decode()
    client.force_login(cast.talent_user)
    assert client.get(url).status_code == 403


def test_request_export_csv_and_excel(client, cast):
    file_request(cast)
    client.force_login(cast.officer_jiashan)
    response = client.get(reverse("programmes:request_export", kwargs={"fmt": "csv"}))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["系统编号", "类别", "用人单位"]
    assert rows[1][2] == "浙江福莱新材料股份有限公司" and rows[1][4] == TITLE
    xlsx = client.get(reverse("programmes:request_export", kwargs={"fmt": "xlsx"}))
    assert xlsx.status_code == 200
    assert b"".join(xlsx.streaming_content)[:2] == b"PK"
    assert (
        client.get(reverse("programmes:request_export", kwargs={"fmt": "pdf"})).status_code == 404
    )


def test_office_sees_candidates_with_reasons_and_proposes_one(client, cast):
    expert = coating_expert(cast)
    record = file_request(cast)
    url = record.get_absolute_url()
    client.force_login(cast.enterprise_user)
    host_page = client.get(url)
    assert host_page.status_code == 200
    assert 'id="candidates-panel"' not in host_page.content.decode()

    client.force_login(cast.officer_jiashan)
    page = client.get(url)
    assert page.status_code == 200
    names = [c["match"].talent.name for c in page.context["candidates"]]
    assert "林涂布" in names
    assert "谭刚" not in names  # serves 福莱 already: a conflict for the engine
    found = next(c for c in page.context["candidates"] if c["match"].talent == expert)
    assert found["reasons"], "each candidate comes with the engine's reasons"
    html = page.content.decode()
    assert 'data-testid="reasons"' in html and "Propose" in html

    response = client.post(
        reverse("programmes:request_propose", args=[record.pk]),
        {"talent": expert.pk, "level": "city", "proposal_note": "薄膜涂布专家"},
    )
    appointment = Appointment.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(appointment)
    assert (appointment.status, appointment.level, appointment.request) == (
        AppointmentStatus.PROPOSED,
        "city",
        record,
    )
    assert appointment.employer == cast.orgs["hdu_jiashan"]
    # Proposed people leave the candidates and join the proposals.
    again = client.get(url)
    assert "林涂布" not in [c["match"].talent.name for c in again.context["candidates"]]
    assert [a.appointee.name for a in again.context["proposals"]] == ["林涂布"]
    # A second proposal of the same person at the same host is refused with the reason.
    refused = client.post(
        reverse("programmes:request_propose", args=[record.pk]),
        {"talent": expert.pk, "level": "county"},
        follow=True,
    )
    assert Appointment.objects.count() == 1
    assert next(iter(refused.context["messages"])).level_tag == "error"


def test_host_may_not_propose_and_strangers_get_404(client, cast):
    record = file_request(cast)
    client.force_login(cast.enterprise_user)
    response = client.post(
        reverse("programmes:request_propose", args=[record.pk]),
        {"talent": cast.talents["tangang"].pk, "level": "county"},
    )
    assert response.status_code == 403
    client.force_login(cast.officer_qingpu)
    assert client.get(record.get_absolute_url()).status_code == 404


def test_withdraw_a_request(client, cast):
    record = file_request(cast)
    client.force_login(cast.enterprise_user)
    response = client.post(
        reverse("programmes:request_withdraw", args=[record.pk]), {"reason": "已自行招聘。"}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.status == RequestStatus.WITHDRAWN


# Appointments ----------------------------------------------------------------------------------


def test_candidate_accepts_on_the_page(client, cast):
    appointment = propose(cast)
    client.force_login(cast.talent_user)
    page = client.get(detail_url(appointment))
    assert [a["name"] for a in page.context["actions"]] == ["accept", "decline"]
    response = client.post(
        reverse("programmes:appointment_action", args=[appointment.pk, "accept"])
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status in (AppointmentStatus.ACCEPTED, AppointmentStatus.CONSENTED)


def test_decline_needs_a_reason(client, cast):
    appointment = propose(cast)
    client.force_login(cast.talent_user)
    url = reverse("programmes:appointment_action", args=[appointment.pk, "decline"])
    response = client.post(url, {"reason": ""}, follow=True)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PROPOSED
    assert next(iter(response.context["messages"])).level_tag == "error"
    client.post(url, {"reason": "教学任务繁重。"})
    appointment.refresh_from_db()
    assert (appointment.status, appointment.decision_note) == (
        AppointmentStatus.DECLINED,
        "教学任务繁重。",
    )


def test_others_may_not_take_the_candidates_action(client, cast):
    appointment = propose(cast)
    client.force_login(cast.enterprise_user)
    url = reverse("programmes:appointment_action", args=[appointment.pk, "accept"])
    assert client.post(url).status_code == 403
    client.force_login(cast.officer_qingtian)
    assert client.post(url).status_code == 404
    assert client.get(detail_url(appointment)).status_code == 404
    client.force_login(cast.talent_user)
    bogus = reverse("programmes:appointment_action", args=[appointment.pk, "explode"])
    assert client.post(bogus).status_code == 404


def test_host_starts_with_term_duties_days_and_salary(client, cast):
    appointment = consented(cast)
    client.force_login(cast.enterprise_user)
    page = client.get(detail_url(appointment))
    assert page.context["can_start"] and 'id="start-form"' in page.content.decode()
    url = reverse("programmes:appointment_start", args=[appointment.pk])
    bad = client.post(
        url,
        {
            "term_start": today().isoformat(),
            "term_end": (today() - dt.timedelta(days=1)).isoformat(),
            "duties": "研发",
            "days_per_month": 40,
        },
    )
    assert bad.status_code == 422
    errors = bad.context["start_form"].errors
    assert "The term must end after it starts." in errors["term_end"]
    assert "days_per_month" in errors
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONSENTED
    response = client.post(
        url,
        {
            "term_start": today().isoformat(),
            "term_end": (today() + dt.timedelta(days=730)).isoformat(),
            "duties": "指导功能膜研发。",
            "days_per_month": 4,
            "annual_salary": "450000.50",
        },
    )
    assert response.status_code == 302
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.ACTIVE
    assert appointment.annual_salary == Decimal("450000.50")
    assert appointment.letter_number.startswith("330421-")
    shown = client.get(detail_url(appointment)).content.decode()
    assert appointment.letter_number in shown and "450000.50" in shown
    assert 'id="letter-download"' in shown


def test_the_letter_is_a_pdf_for_the_parties_once_started(client, cast):
    appointment = consented(cast)
    letter = reverse("programmes:appointment_letter", args=[appointment.pk])
    client.force_login(cast.enterprise_user)
    assert client.get(letter).status_code == 404  # not started: no letter yet
    services.appointment_start(
        actor=cast.enterprise_user,
        appointment=appointment,
        term_start=today(),
        term_end=today() + dt.timedelta(days=365),
        duties="指导研发。",
        days_per_month=4,
    )
    for user in (cast.enterprise_user, cast.talent_user, cast.officer_jiashan):
        client.force_login(user)
        response = client.get(letter)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert "attachment" in response["Content-Disposition"]
    client.force_login(cast.officer_qingpu)
    assert client.get(letter).status_code == 404


def test_work_log_review_and_renewal(client, cast):
    appointment = active(cast)
    url = detail_url(appointment)
    # The appointee logs work; a date outside the term is refused on the form.
    client.force_login(cast.talent_user)
    page = client.get(url)
    assert page.context["can_log"] and not page.context["can_review"]
    log_url = reverse("programmes:worklog_add", args=[appointment.pk])
    outside = client.post(
        log_url,
        {
            "date": (today() - dt.timedelta(days=365)).isoformat(),
            "kind": "visit",
            "days": "1",
            "summary": "走访",
        },
    )
    assert outside.status_code == 422 and outside.context["log_form"].errors
    assert (
        client.post(
            log_url,
            {"date": today().isoformat(), "kind": "visit", "days": "1.5", "summary": "现场指导。"},
        ).status_code
        == 302
    )
    assert WorkLog.objects.get().days == Decimal("1.5")
    # The host reviews a period, and may not log work.
    client.force_login(cast.enterprise_user)
    assert client.post(log_url, {}).status_code == 403
    review_url = reverse("programmes:review_add", args=[appointment.pk])
    response = client.post(
        review_url,
        {
            "period_start": (today() - dt.timedelta(days=60)).isoformat(),
            "period_end": (today() - dt.timedelta(days=1)).isoformat(),
            "rating": "excellent",
            "comments": "成效显著。",
        },
    )
    assert response.status_code == 302
    assert PeriodReview.objects.get().rating == "excellent"
    inverted = client.post(
        review_url,
        {
            "period_start": today().isoformat(),
            "period_end": (today() - dt.timedelta(days=5)).isoformat(),
            "rating": "good",
        },
    )
    assert inverted.status_code == 422
    assert (
        "The period must not end before it starts."
        in inverted.context["review_form"].errors["period_end"]
    )
    # The host renews: a new active appointment follows.
    response = client.post(
        reverse("programmes:appointment_renew", args=[appointment.pk]),
        {"term_end": (today() + dt.timedelta(days=6 * 365)).isoformat()},
    )
    assert response.status_code == 302
    renewal = Appointment.objects.get(renewed_from=appointment)
    assert response["Location"] == detail_url(renewal)
    assert renewal.status == AppointmentStatus.ACTIVE
    assert renewal.letter_number != appointment.letter_number


def test_subsidy_button_leads_to_the_rules_application(client, cast):
    from talentflow.reference.models import Region
    from talentflow.rules import services as rules_services

    rules_services.seed_policies_create(region=Region.objects.get(code="330421"))
    appointment = active(cast)
    client.force_login(cast.enterprise_user)
    page = client.get(detail_url(appointment))
    assert page.context["can_apply_subsidy"] and "Apply for the subsidy" in page.content.decode()
    response = client.post(reverse("programmes:subsidy_apply", args=[appointment.pk]))
    appointment.refresh_from_db()
    assert appointment.subsidy_application is not None
    assert response["Location"] == reverse(
        "rules:application_detail", args=[appointment.subsidy_application_id]
    )
    after = client.get(detail_url(appointment))
    assert not after.context["can_apply_subsidy"]
    assert 'id="subsidy"' in after.content.decode()


def test_no_subsidy_button_without_a_salary(client, cast):
    appointment = active(cast, salary=None)
    client.force_login(cast.enterprise_user)
    page = client.get(detail_url(appointment))
    assert not page.context["can_apply_subsidy"]
    assert "Apply for the subsidy" not in page.content.decode()


def test_appointment_list_filters_and_export(client, cast):
    appointment = active(cast)
    client.force_login(cast.talent_user)
    url = reverse("programmes:appointment_list")
    page = client.get(url)
    assert [a.pk for a in page.context["appointments"]] == [appointment.pk]
    assert client.get(url, {"q": "福莱"}).context["page_obj"].paginator.count == 1
    assert (
        client.get(url, {"q": appointment.letter_number}).context["page_obj"].paginator.count == 1
    )
    assert client.get(url, {"status": "proposed"}).context["page_obj"].paginator.count == 0
    assert client.get(url, {"level": "provincial"}).context["page_obj"].paginator.count == 0
    assert client.get(url, {"kind": "vice_president"}).context["page_obj"].paginator.count == 1
    response = client.get(reverse("programmes:appointment_export", kwargs={"fmt": "csv"}))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][1] == "聘书编号"
    assert rows[1][1] == appointment.letter_number and rows[1][4] == "谭刚"
    assert rows[1][11] == "450000.00"
    # Someone who is no party sees an empty list.
    client.force_login(cast.student_user)
    empty = client.get(url)
    assert empty.context["page_obj"].paginator.count == 0
    assert "There is no appointment for you to see yet." in empty.content.decode()


# Joint labs and figures ------------------------------------------------------------------------


def test_office_records_a_joint_lab_and_the_figures_count_it(client, cast):
    appointment = active(cast)
    client.force_login(cast.officer_jiashan)
    form_url = reverse("programmes:joint_lab_create")
    assert client.get(form_url + f"?appointment={appointment.pk}").status_code == 200
    missing = client.post(form_url, {"name": ""})
    assert missing.status_code == 200 and "name" in missing.context["form"].errors
    response = client.post(
        form_url,
        {
            "name": "功能膜联合实验室",
            "enterprise": cast.orgs["fulai"].pk,
            "institution": cast.orgs["hdu_jiashan"].pk,
            "established_on": today().isoformat(),
            "appointment": appointment.pk,
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    lab = JointLab.objects.get()
    assert (lab.region_id, lab.appointment) == ("330421", appointment)
    listing = client.get(reverse("programmes:joint_lab_list"))
    assert "功能膜联合实验室" in listing.content.decode()
    assert "功能膜联合实验室" in client.get(detail_url(appointment)).content.decode()

    stats = client.get(reverse("programmes:stats"))
    assert stats.status_code == 200
    [row] = stats.context["rows"]
    assert row["code"] == "330421"
    # vice presidents, professors, partners, mutual hiring, active, collaborations, labs
    assert row["values"] == [1, 0, 0, 0, 1, 0, 1]
    html = stats.content.decode()
    assert 'id="appointment-chart-data"' in html and "echarts.min.js" in html
    chart = json.loads(
        re.search(r'id="appointment-chart-data"[^>]*>(.*?)</script>', html, re.S).group(1)
    )
    assert chart["regions"] == [row["name"]] and chart["series"][0]["values"] == [1]
    # Enterprises see the lab they co-built, not the figures.
    client.force_login(cast.enterprise_user)
    assert "功能膜联合实验室" in client.get(reverse("programmes:joint_lab_list")).content.decode()
    assert client.get(reverse("programmes:stats")).status_code == 403
    assert client.get(form_url).status_code == 403


def test_stats_empty_state(client, cast):
    client.force_login(cast.officer_qingpu)
    response = client.get(reverse("programmes:stats"))
    assert response.status_code == 200
    assert "No appointment is recorded in your regions yet." in response.content.decode()
