"""The 验题 and 评价 pages: starting and recording the workshop check with evidence, recording
outcomes in exact decimals with their units, and the office confirming or rejecting them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talentflow.needs.models import CriterionCheck, Document, Outcome, VerificationRound
from talentflow.needs.tests.builders import need_in_state
from talentflow.needs.tests.test_views_solving import login, sections


@pytest.fixture
def en(client):
    """A client that reads the English pages, so assertions do not depend on the catalogue."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def criteria_of(need):
    return list(need.criteria.all())


def check_post(need, *, first_passed=True, second_passed=True, **extra) -> dict:
    """The record form: criterion 1 is 良品率 ≥ 98 %, criterion 2 a pass/fail run."""
    c1, c2 = criteria_of(need)
    data = {
        f"passed_{c1.pk}": "yes" if first_passed else "no",
        f"measured_{c1.pk}": "98.6" if first_passed else "96.2",
        f"unit_{c1.pk}": "%",
        f"note_{c1.pk}": "",
        f"passed_{c2.pk}": "yes" if second_passed else "no",
        f"measured_{c2.pk}": "",
        f"unit_{c2.pk}": "",
        f"note_{c2.pk}": "" if second_passed else "第 50 小时出现窝点",
        "findings": "",
    }
    data.update(extra)
    return data


# Starting ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("enterprise_user", 302),
        ("institution_user", 302),  # the engagement's institution delivers
        ("officer_jiashan", 403),
        ("officer_qingtian", 404),
    ],
)
def test_verification_start_per_role(en, cast, role, status):
    """The enterprise or the solvers open a round; the office may not; others see nothing."""
    need = need_in_state(cast, "engaged")
    response = login(en, getattr(cast, role)).post(
        reverse("needs:verification_start", args=[need.pk])
    )
    assert response.status_code == status
    need.refresh_from_db()
    assert need.state == ("verifying" if status == 302 else "engaged")


def test_verification_start_is_post_only(en, cast):
    need = need_in_state(cast, "engaged")
    response = login(en, cast.enterprise_user).get(
        reverse("needs:verification_start", args=[need.pk])
    )
    assert response.status_code == 405


# Recording -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("enterprise_user", 200),
        ("institution_user", 403),
        ("officer_jiashan", 403),
        ("talent_user", 403),
        ("officer_qingtian", 404),
    ],
)
def test_verification_form_is_the_enterprises(en, cast, role, status):
    """Only the enterprise records its workshop's check."""
    need = need_in_state(cast, "verifying")
    response = login(en, getattr(cast, role)).get(
        reverse("needs:verification_record", args=[need.pk])
    )
    assert response.status_code == status


def test_all_criteria_pass_verifies_the_need(en, cast):
    """Every criterion passed: the need is verified, and the round shows each measured value
    against its target, with the evidence file linked."""
    need = need_in_state(cast, "verifying")
    c1, _c2 = criteria_of(need)
    evidence = SimpleUploadedFile("良品率报告.pdf", b"%PDF-1.4 test", "application/pdf")
    response = login(en, cast.enterprise_user).post(
        reverse("needs:verification_record", args=[need.pk]),
        {**check_post(need), f"evidence_{c1.pk}": evidence},
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.state == "verified"
    round_ = VerificationRound.objects.get(engagement__need=need)
    assert round_.passed is True
    check = CriterionCheck.objects.get(round=round_, criterion=c1)
    assert check.measured_value == Decimal("98.6")
    document = Document.objects.get(check_ref=check)
    assert document.kind == "evidence" and document.original_name == "良品率报告.pdf"
    html = sections(cast.enterprise_user, need)
    assert 'data-round-passed="yes"' in html
    assert "98.6 %" in html and "at least (≥) 98 %" in html
    assert "良品率报告.pdf" in html
    assert reverse("needs:document_download", args=[document.pk]) in html
    assert reverse("needs:outcome_create", args=[need.pk]) in html


def test_a_failed_criterion_returns_the_need_to_work_with_findings(en, cast):
    """One failure: back to engaged, the findings kept on the round and shown on the page."""
    need = need_in_state(cast, "verifying")
    response = login(en, cast.enterprise_user).post(
        reverse("needs:verification_record", args=[need.pk]),
        check_post(
            need, second_passed=False, findings="连续运行 50 小时后出现窝点，需调整干燥曲线。"
        ),
        follow=True,
    )
    html = response.content.decode()
    assert "the need returned to work with the findings" in html
    need.refresh_from_db()
    assert need.state == "engaged"
    page = sections(cast.institution_user, need)
    assert 'data-testid="returned-to-work"' in page
    assert "Round 1 failed: the need returned to work." in page
    assert "连续运行 50 小时后出现窝点，需调整干燥曲线。" in page
    assert "第 50 小时出现窝点" in page  # the failed check's note


def test_failed_round_findings_survive_the_next_round(en, cast):
    """Round 1 fails; round 2 passes: round 1 and its findings are still on the page."""
    need = need_in_state(cast, "verifying")
    login(en, cast.enterprise_user)
    url = reverse("needs:verification_record", args=[need.pk])
    en.post(url, check_post(need, first_passed=False, findings="良品率仅 96.2%。"))
    en.post(reverse("needs:verification_start", args=[need.pk]))
    form = en.get(url)
    assert "良品率仅 96.2%。" in form.content.decode()  # earlier findings shown while checking
    assert en.post(url, check_post(need)).status_code == 302
    need.refresh_from_db()
    assert need.state == "verified"
    html = sections(cast.enterprise_user, need)
    assert 'id="round-1"' in html and 'id="round-2"' in html
    assert "良品率仅 96.2%。" in html and "96.2 %" in html


def test_a_failure_requires_findings(en, cast):
    """A failed criterion without findings is refused; nothing changes."""
    need = need_in_state(cast, "verifying")
    response = login(en, cast.enterprise_user).post(
        reverse("needs:verification_record", args=[need.pk]),
        check_post(need, second_passed=False),
    )
    assert response.status_code == 200
    assert "Describe the findings the solvers must work on." in response.content.decode()
    need.refresh_from_db()
    assert need.state == "verifying"
    assert not CriterionCheck.objects.filter(round__engagement__need=need).exists()


def test_measured_criterion_needs_its_value(en, cast):
    """The 良品率 criterion is measured: leaving the value out is an error on that row."""
    need = need_in_state(cast, "verifying")
    c1, _c2 = criteria_of(need)
    response = login(en, cast.enterprise_user).post(
        reverse("needs:verification_record", args=[need.pk]),
        check_post(need, **{f"measured_{c1.pk}": ""}),
    )
    assert response.status_code == 200
    assert response.context["form"].errors[f"measured_{c1.pk}"]
    assert "Enter the value measured on the line." in response.content.decode()
    need.refresh_from_db()
    assert need.state == "verifying"


def test_refused_evidence_file_saves_nothing(en, cast):
    """An evidence file of a refused type stops the whole record: the round stays open."""
    need = need_in_state(cast, "verifying")
    c1, _c2 = criteria_of(need)
    bad = SimpleUploadedFile("macro.exe", b"MZ", "application/octet-stream")
    response = login(en, cast.enterprise_user).post(
        reverse("needs:verification_record", args=[need.pk]),
        {**check_post(need), f"evidence_{c1.pk}": bad},
    )
    assert response.status_code == 200
    assert "files of type .exe are not accepted" in response.content.decode()
    need.refresh_from_db()
    assert need.state == "verifying"
    assert not CriterionCheck.objects.filter(round__engagement__need=need).exists()
    assert not Document.objects.filter(need=need).exists()


def test_record_when_no_round_is_open(en, cast):
    """An engaged need has no open round: the enterprise is sent back with a message."""
    need = need_in_state(cast, "engaged")
    response = login(en, cast.enterprise_user).get(
        reverse("needs:verification_record", args=[need.pk]), follow=True
    )
    assert "No verification round is open for this need." in response.content.decode()


# Outcomes --------------------------------------------------------------------------------


def outcome_post(**fields) -> dict:
    data = {
        "kind": "revenue",
        "amount": "",
        "scale": "yuan",
        "unit_basis": "",
        "qualifier": "exact",
        "period_start": "",
        "period_end": "",
        "description": "",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("enterprise_user", 200),
        ("institution_user", 200),
        ("officer_jiashan", 200),
        ("student_user", 200),  # on the engagement's team
        ("enterprise_qingtian", 404),
        ("officer_qingtian", 404),
    ],
)
def test_outcome_form_for_the_parties(en, cast, role, status):
    need = need_in_state(cast, "verified")
    response = login(en, getattr(cast, role)).get(reverse("needs:outcome_create", args=[need.pk]))
    assert response.status_code == status


def test_outcome_form_before_verification_redirects(en, cast):
    need = need_in_state(cast, "engaged")
    response = login(en, cast.enterprise_user).get(
        reverse("needs:outcome_create", args=[need.pk]), follow=True
    )
    assert "Outcomes are recorded after the workshop verification" in response.content.decode()


def test_decimal_amounts_and_units_survive_the_round_trip(en, cast):
    """5000000.00 yuan of revenue and 400 yuan/吨 are stored exactly and read back exactly."""
    need = need_in_state(cast, "verified")
    url = reverse("needs:outcome_create", args=[need.pk])
    login(en, cast.enterprise_user)
    response = en.post(url, outcome_post(amount="5000000.00", qualifier="more_than"))
    assert response.status_code == 302
    response = en.post(url, outcome_post(kind="unit_cost_reduction", amount="400", unit_basis="吨"))
    assert response.status_code == 302
    revenue = Outcome.objects.get(need=need, kind="revenue")
    per_tonne = Outcome.objects.get(need=need, kind="unit_cost_reduction")
    assert revenue.amount == Decimal("5000000.00") and revenue.qualifier == "more_than"
    assert (per_tonne.amount, per_tonne.unit_basis) == (Decimal("400.00"), "吨")
    html = sections(cast.enterprise_user, need)
    assert "more than 5,000,000 yuan (500 万元)" in html
    assert "400 yuan/吨" in html
    assert "Awaiting confirmation" in html


def test_amount_in_wan_is_converted_exactly(en, cast):
    """2000 万元 is recorded as 20,000,000 yuan, and 0.05 万元 as 500 yuan."""
    need = need_in_state(cast, "verified")
    url = reverse("needs:outcome_create", args=[need.pk])
    login(en, cast.enterprise_user)
    en.post(url, outcome_post(kind="output_value", amount="2,000", scale="wan"))
    en.post(url, outcome_post(kind="cost_reduction", amount="0.05", scale="wan"))
    assert Outcome.objects.get(kind="output_value").amount == Decimal("20000000")
    assert Outcome.objects.get(kind="cost_reduction").amount == Decimal("500")


def test_wan_is_refused_for_percentages(en, cast):
    need = need_in_state(cast, "verified")
    response = login(en, cast.enterprise_user).post(
        reverse("needs:outcome_create", args=[need.pk]),
        outcome_post(kind="energy_reduction", amount="15", scale="wan"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["scale"]
    assert not Outcome.objects.filter(need=need).exists()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"amount": "-5000"}, "amount", "An outcome is a positive amount"),
        ({"amount": "0"}, "amount", "An outcome is a positive amount"),
        ({"kind": "energy_reduction", "amount": "140"}, "amount", "This is more than 100"),
        ({"amount": "200000000000"}, "amount", "This is more than 100,000,000,000"),
        ({"kind": "invention_patent_filed", "amount": "1.5"}, "amount", "whole numbers"),
        ({"amount": "12.345"}, "amount", "at most two decimal places"),
        ({"amount": "很多"}, "amount", "Enter a number."),
        ({"kind": "unit_cost_reduction", "amount": "400"}, "unit_basis", "per which unit"),
        ({"amount": "100", "unit_basis": "吨"}, "unit_basis", "Only a cost per unit"),
    ],
)
def test_absurd_values_are_refused_next_to_the_field(en, cast, fields, field, message):
    """Negative, zero, impossible and malformed values come back with the service's message
    next to the field, and nothing is saved."""
    need = need_in_state(cast, "verified")
    response = login(en, cast.enterprise_user).post(
        reverse("needs:outcome_create", args=[need.pk]), outcome_post(**fields)
    )
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors, errors
    assert message in " ".join(errors[field])
    assert not Outcome.objects.filter(need=need).exists()


def test_outcome_with_evidence(en, cast):
    """Evidence files are attached to the outcome and linked from the page."""
    need = need_in_state(cast, "verified")
    files = [
        SimpleUploadedFile("销售发票.pdf", b"%PDF-1.4 a", "application/pdf"),
        SimpleUploadedFile("财务报表.xlsx", b"PK\x03\x04", "application/vnd.ms-excel"),
    ]
    response = login(en, cast.enterprise_user).post(
        reverse("needs:outcome_create", args=[need.pk]),
        {**outcome_post(amount="1234567.89"), "evidence": files},
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get(need=need)
    assert sorted(d.original_name for d in outcome.documents.all()) == [
        "财务报表.xlsx",
        "销售发票.pdf",
    ]
    html = sections(cast.officer_jiashan, need)
    assert "销售发票.pdf" in html and "1,234,567.89 yuan" in html


def test_refused_outcome_evidence_saves_no_outcome(en, cast):
    need = need_in_state(cast, "verified")
    bad = SimpleUploadedFile("virus.bat", b"echo", "text/plain")
    response = login(en, cast.enterprise_user).post(
        reverse("needs:outcome_create", args=[need.pk]),
        {**outcome_post(amount="1000"), "evidence": [bad]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["evidence"]
    assert not Outcome.objects.filter(need=need).exists()


@pytest.fixture
def recorded(cast):
    from talentflow.needs import services

    need = need_in_state(cast, "verified")
    outcome = services.outcome_record(
        actor=cast.enterprise_user, need=need, kind="revenue", amount=Decimal("5000000.00")
    )
    return need, outcome


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("enterprise_user", 403),
        ("institution_user", 403),
        ("talent_user", 403),
        ("officer_qingtian", 404),
        ("officer_jiashan", 302),
        ("admin", 302),
    ],
)
def test_only_the_office_confirms(en, cast, recorded, role, status):
    _need, outcome = recorded
    response = login(en, getattr(cast, role)).post(
        reverse("needs:outcome_action", args=[outcome.pk, "confirm"])
    )
    assert response.status_code == status
    outcome.refresh_from_db()
    assert outcome.status == ("confirmed" if status == 302 else "recorded")


def test_confirmed_outcome_names_who_confirmed(en, cast, recorded):
    need, outcome = recorded
    assert reverse("needs:outcome_action", args=[outcome.pk, "confirm"]) not in sections(
        cast.enterprise_user, need
    )
    assert reverse("needs:outcome_action", args=[outcome.pk, "confirm"]) in sections(
        cast.officer_jiashan, need
    )
    login(en, cast.officer_jiashan).post(
        reverse("needs:outcome_action", args=[outcome.pk, "confirm"])
    )
    html = sections(cast.enterprise_user, need)
    assert "confirmed by 嘉善人才办" in html and "recorded by 福莱新材料" in html


def test_reject_needs_a_reason_and_only_the_office(en, cast, recorded):
    """The enterprise may not reject (403); the office must give a reason, which the page
    then shows."""
    need, outcome = recorded
    url = reverse("needs:outcome_action", args=[outcome.pk, "reject"])
    assert login(en, cast.enterprise_user).post(url, {"reason": "x"}).status_code == 403
    login(en, cast.officer_jiashan)
    response = en.post(url, {"reason": "  "}, follow=True)
    assert "Please give a reason." in response.content.decode()
    outcome.refresh_from_db()
    assert outcome.status == "recorded"
    en.post(url, {"form_prefix": f"reject-{outcome.pk}", f"reject-{outcome.pk}-reason": "缺少发票"})
    outcome.refresh_from_db()
    assert (outcome.status, outcome.rejection_reason) == ("rejected", "缺少发票")
    assert "缺少发票" in sections(cast.enterprise_user, need)


def test_unknown_outcome_action_is_404(en, cast, recorded):
    _need, outcome = recorded
    response = login(en, cast.officer_jiashan).post(
        reverse("needs:outcome_action", args=[outcome.pk, "delete"])
    )
    assert response.status_code == 404
