"""The pages: apply with evidence, the explanation and history, review buttons per role, the
draft edit → what-if → publish journey, budgets, the list's filters and export."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from talentflow.rules.models import Application, ApplicationStatus, Payout, PolicyVersionRecord
from talentflow.rules.tests.builders import seed, vp_application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(client, settings):
    # The pages are read in English here: messages are matched in the second language.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def policies(cast):
    return seed()


def test_an_enterprise_applies_with_evidence_and_submits(client, cast, policies):
    policy = policies["vice_president_subsidy"]
    client.force_login(cast.enterprise_user)
    url = reverse("rules:application_create", args=[policy.pk])
    page = client.get(url)
    assert page.status_code == 200 and "谭刚" in page.content.decode()
    bad = client.post(
        url,
        {
            "organisation": cast.orgs["fulai"].pk,
            "talent": cast.talents["tangang"].pk,
            "fact_appointed": "on",
            "fact_annual_salary": "500000",
            "evidence": SimpleUploadedFile("合同.exe", b"MZ", "application/octet-stream"),
        },
    )
    assert bad.status_code == 200 and not Application.objects.exists()
    response = client.post(
        url,
        {
            "organisation": cast.orgs["fulai"].pk,
            "talent": cast.talents["tangang"].pk,
            "fact_appointed": "on",
            "fact_annual_salary": "500000",
            "evidence": SimpleUploadedFile("聘任合同.pdf", b"%PDF-1.4", "application/pdf"),
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == application.get_absolute_url()
    assert application.evidence.count() == 1
    client.post(reverse("rules:application_submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.amount == Decimal("200000.00")  # exactly the cap
    page = client.get(application.get_absolute_url()).content.decode()
    assert "200,000.00" in page
    assert "500,000.00 × 0.40 = 200,000.00" in page
    assert "at most 200,000.00: 200,000.00" in page
    # The applicant has no review buttons.
    assert 'value="office_approve"' not in page


def test_review_buttons_follow_the_role_and_the_step(client, cast, policies):
    app = vp_application(cast, policies["vice_president_subsidy"], state="submitted")
    url = app.get_absolute_url()
    client.force_login(cast.officer_jiashan)
    assert 'value="office_approve"' in client.get(url).content.decode()
    client.force_login(cast.finance_jiashan)
    page = client.get(url).content.decode()
    assert 'value="office_approve"' not in page and 'value="finance_approve"' not in page
    client.force_login(cast.officer_jiashan)
    response = client.post(
        reverse("rules:application_review", args=[app.pk]), {"action": "office_return"}
    )
    app.refresh_from_db()
    assert response.status_code == 302 and app.status == ApplicationStatus.SUBMITTED  # no reason
    client.post(reverse("rules:application_review", args=[app.pk]), {"action": "office_approve"})
    client.force_login(cast.finance_jiashan)
    assert 'value="finance_approve"' in client.get(url).content.decode()
    client.post(reverse("rules:application_review", args=[app.pk]), {"action": "finance_approve"})
    page = client.get(url).content.decode()
    assert "Record the payout" in page
    client.post(reverse("rules:application_pay", args=[app.pk]), {"paid_on": "2026-04-01"})
    client.post(reverse("rules:application_pay", args=[app.pk]), {"paid_on": "2026-04-01"})
    assert Payout.objects.filter(application=app).count() == 1
    history = client.get(url).content.decode()
    for action in ("create", "submit", "office_approve", "finance_approve", "pay"):
        assert f'data-event="{action}"' in history


def test_draft_edit_what_if_and_publish(client, cast, policies):
    policy = policies["vice_president_subsidy"]
    app = vp_application(cast, policy, salary="300000", state="approved")
    client.force_login(cast.officer_jiashan)
    response = client.post(reverse("rules:version_draft", args=[policy.pk]))
    draft = PolicyVersionRecord.objects.get(policy=policy, status="draft")
    assert response["Location"] == reverse("rules:version_edit", args=[draft.pk])
    edit = reverse("rules:version_edit", args=[draft.pk])
    form = {
        "effective_from": "2026-07-01",
        "eligibility": draft.eligibility,
        "steps": "\n".join(json.dumps(s, ensure_ascii=False) for s in draft.steps),
        "param_rate": "0.5",
        "param_cap": "250000",
    }
    refused = client.post(edit, {**form, "param_rate": "0.5.0"})
    assert refused.status_code == 200 and "exact number" in refused.content.decode()
    response = client.post(edit, form)
    assert response["Location"] == reverse("rules:version_whatif", args=[draft.pk])
    page = client.get(response["Location"]).content.decode()
    assert "120,000.00" in page and "150,000.00" in page and "+30,000.00" in page
    assert "880,000.00" in page and "850,000.00" in page  # left now, left under the draft
    client.post(reverse("rules:version_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == "published" and draft.published_by == cast.officer_jiashan
    app.refresh_from_db()
    assert app.amount == Decimal("120000.00")  # kept
    # The published version can no longer be edited.
    assert client.get(edit).status_code == 302


def test_budget_figures_on_the_policy_page(client, cast, policies):
    policy = policies["vice_president_subsidy"]
    vp_application(cast, policy, salary="300000", state="approved")
    vp_application(cast, policy, salary="100000", state="paid")
    client.force_login(cast.finance_jiashan)
    page = client.get(policy.get_absolute_url()).content.decode()
    for figure in ("1,000,000.00", "120,000.00", "40,000.00", "840,000.00"):
        assert figure in page
    client.force_login(cast.enterprise_user)
    assert 'id="budgets"' not in client.get(policy.get_absolute_url()).content.decode()
    client.force_login(cast.officer_jiashan)
    client.post(reverse("rules:budget_set", args=[policy.pk]), {"year": 2026, "budget": "1200000"})
    assert "1,040,000.00" in client.get(policy.get_absolute_url()).content.decode()


def test_list_filters_pagination_and_export(client, cast, policies, settings):
    settings.TALENTFLOW_PAGE_SIZE = 2
    policy = policies["vice_president_subsidy"]
    for salary, state in (("100000", "submitted"), ("200000", "approved"), ("300000", "draft")):
        vp_application(cast, policy, salary=salary, state=state)
    client.force_login(cast.officer_jiashan)
    url = reverse("rules:application_list")
    page = client.get(url).content.decode()
    assert "3 applications" in page and "?page=2" in page
    assert "1 application" in client.get(url, {"status": "approved"}).content.decode()
    assert "0 applications" in client.get(url, {"year": 2025}).content.decode()
    partial = client.get(url, {"q": "福莱"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode()
    export = client.get(reverse("rules:application_export", args=["csv"]), {"status": "approved"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    assert rows[0][0] == "系统编号" and len(rows) == 2
    assert rows[1][8] == "80000.00"
    xlsx = client.get(reverse("rules:application_export", args=["xlsx"]))
    assert xlsx.status_code == 200
    client.force_login(cast.enterprise_qingtian)
    assert "0 applications" in client.get(url).content.decode()


def test_returned_application_is_amended_and_resubmitted_on_the_page(client, cast, policies):
    app = vp_application(cast, policies["vice_president_subsidy"], state="returned")
    client.force_login(cast.enterprise_user)
    page = client.get(app.get_absolute_url()).content.decode()
    assert "请补充材料" in page
    response = client.post(
        reverse("rules:application_edit", args=[app.pk]),
        {
            "talent": cast.talents["tangang"].pk,
            "fact_appointed": "on",
            "fact_annual_salary": "450000",
        },
    )
    assert response.status_code == 302
    client.post(reverse("rules:application_submit", args=[app.pk]))
    app.refresh_from_db()
    assert app.status == ApplicationStatus.SUBMITTED and app.amount == Decimal("180000.00")


def test_a_student_applies_for_the_priority_flag(client, cast, policies):
    policy = policies["joint_training_priority"]
    client.force_login(cast.student_user)
    response = client.post(
        reverse("rules:application_create", args=[policy.pk]),
        {
            "fact_in_joint_training": "on",
            "fact_joint_training_role": "student",
            "evidence": SimpleUploadedFile("联合培养协议.pdf", b"%PDF-1.4", "application/pdf"),
        },
    )
    application = Application.objects.get(policy=policy)
    assert response.status_code == 302 and application.applicant_talent == cast.talents["student"]
    client.post(reverse("rules:application_submit", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED and application.granted is True
    page = client.get(application.get_absolute_url()).content.decode()
    assert "student: priority in talent and science-project applications" in page
    # Another talent does not see it.
    client.force_login(cast.talent_user)
    assert client.get(application.get_absolute_url()).status_code == 404
