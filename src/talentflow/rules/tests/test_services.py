"""Policies and subsidies through the services: amounts with the policies' own numbers,
versions that never rewrite old applications, the what-if, review, budget and permissions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from talentflow.core.models import AuditEvent, Notification
from talentflow.rules import selectors, services
from talentflow.rules.models import ApplicationStatus, Payout, PolicyVersionRecord
from talentflow.rules.tests.builders import (
    DAY,
    SYSTEM,
    YEAR,
    advance,
    evidence,
    seed,
    vp_application,
)

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    # Messages are matched in English; the platform speaks Chinese first.
    with translation.override("en"):
        yield


@pytest.fixture
def policies(cast):
    return seed()


def _new_version(policy, *, rate="0.50", cap="250000", start=dt.date(2026, 7, 1), actor=None):
    draft = services.version_draft_create(actor=actor, policy=policy)
    return services.version_update(
        actor=actor,
        version=draft,
        params={"rate": rate, "cap": cap},
        effective_from=start,
    )


@pytest.mark.parametrize(
    ("salary", "amount"),
    [
        ("0", "0.00"),  # salary 0: eligible, nothing to pay
        ("300000", "120000.00"),
        ("499999.97", "199999.99"),
        ("500000", "200000.00"),  # exactly the cap
        ("800000", "200000.00"),
    ],
)
def test_vice_president_subsidy_is_computed_and_stored_on_submit(cast, policies, salary, amount):
    app = vp_application(cast, policies["vice_president_subsidy"], salary=salary, state="submitted")
    assert app.amount == D(amount)
    assert app.version.number == 1
    assert app.computation["amount"] == amount
    assert f"annual_salary = {D(salary):,.2f}" in app.explanation
    assert app.explanation[0] == "vice_president_subsidy v1 (from 2024-01-01)"


def test_an_old_application_keeps_its_amount_and_explanation_after_a_new_version(cast, policies):
    policy = policies["vice_president_subsidy"]
    old = vp_application(cast, policy, salary="400000", state="approved")
    kept = (old.amount, old.version_id, list(old.explanation), dict(old.computation))
    assert old.amount == D("160000.00")
    v2 = _new_version(policy, start=dt.date(2026, 3, 1))
    services.version_publish(actor=cast.officer_jiashan, version=v2)
    old.refresh_from_db()
    assert (old.amount, old.version_id, old.explanation, old.computation) == kept
    # A new application dated on the day v2 starts is computed with v2.
    new = vp_application(
        cast, policy, salary="400000", state="submitted", applied_on=dt.date(2026, 3, 1)
    )
    assert new.version.number == 2 and new.amount == D("200000.00")
    assert "400,000.00 × 0.50 = 200,000.00" in new.explanation
    # The day before it starts, v1 still decides.
    before = vp_application(
        cast, policy, salary="400000", state="submitted", applied_on=dt.date(2026, 2, 28)
    )
    assert before.version.number == 1 and before.amount == D("160000.00")


def test_a_published_version_is_immutable_and_publishing_is_audited(cast, policies):
    policy = policies["vice_president_subsidy"]
    v2 = _new_version(policy, actor=cast.officer_jiashan)
    services.version_publish(actor=cast.officer_jiashan, version=v2)
    assert AuditEvent.objects.filter(action="policy.version_publish", object_id=str(v2.pk)).exists()
    with pytest.raises(ValidationError):
        services.version_update(
            actor=cast.officer_jiashan, version=v2, params={"rate": "0.9", "cap": "1"}
        )
    with pytest.raises(ValidationError):
        services.version_publish(actor=cast.officer_jiashan, version=v2)
    v2.refresh_from_db()
    assert v2.params == {"rate": "0.50", "cap": "250000"}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"params": {"rate": 0.5, "cap": "200000"}}, "rate"),  # a float
        ({"params": {"rate": "四成", "cap": "200000"}}, "rate"),
        ({"params": {"rate": "0.40"}}, "cap"),  # missing
        ({"params": {"rate": "0.40", "cap": "1", "bonus": "1"}}, "bonus"),  # unknown
        ({"steps": [{"name": "subsidy", "expression": "annual_salary *", "reads": ""}]}, "steps"),
        ({"steps": [{"name": "subsidy", "expression": "salary * rate", "reads": ""}]}, "steps"),
        ({"eligibility": "appointed and"}, "steps"),
        ({"effective_from": dt.date(2024, 1, 1)}, "effective_from"),  # not after v1
    ],
)
def test_a_draft_is_validated_and_a_bad_change_changes_nothing(cast, policies, change, field):
    draft = services.version_draft_create(
        actor=cast.officer_jiashan, policy=policies["vice_president_subsidy"]
    )
    before = PolicyVersionRecord.objects.get(pk=draft.pk)
    with pytest.raises(ValidationError) as error:
        services.version_update(actor=cast.officer_jiashan, version=draft, **change)
    assert field in error.value.message_dict
    after = PolicyVersionRecord.objects.get(pk=draft.pk)
    assert (after.params, after.steps, after.eligibility, after.effective_from) == (
        before.params,
        before.steps,
        before.eligibility,
        before.effective_from,
    )


def test_what_if_shows_each_difference_and_the_budget_effect(cast, policies):
    policy = policies["vice_president_subsidy"]
    approved = vp_application(cast, policy, salary="300000", state="approved")  # 120,000
    in_review = vp_application(cast, policy, salary="600000", state="finance_review")  # 200,000
    paid = vp_application(cast, policy, salary="100000", state="paid")  # 40,000, final
    draft = _new_version(policy, rate="0.50", cap="250000")
    result = selectors.what_if(draft)
    rows = {r.application.pk: r for r in result.rows}
    assert paid.pk not in rows
    assert (rows[approved.pk].now, rows[approved.pk].draft, rows[approved.pk].difference) == (
        D("120000.00"),
        D("150000.00"),
        D("30000.00"),
    )
    assert (rows[in_review.pk].now, rows[in_review.pk].draft) == (D("200000.00"), D("250000.00"))
    assert result.total_difference == D("80000.00")
    (budget,) = result.budgets
    assert budget.year == YEAR and budget.budget == D("1000000.00")
    assert budget.paid == D("40000.00")
    assert (budget.committed_now, budget.committed_draft) == (D("120000.00"), D("150000.00"))
    assert (budget.left_now, budget.left_draft) == (D("840000.00"), D("810000.00"))
    assert (budget.in_review_now, budget.in_review_draft) == (D("200000.00"), D("250000.00"))
    figures = selectors.budget_figures(policy, YEAR)
    assert (figures.committed, figures.paid, figures.left) == (
        D("120000.00"),
        D("40000.00"),
        D("840000.00"),
    )


def test_return_with_a_reason_then_amend_and_resubmit_recomputes(cast, policies):
    policy = policies["vice_president_subsidy"]
    app = vp_application(cast, policy, salary="300000", state="submitted")
    with pytest.raises(ValidationError):
        services.application_review(
            actor=cast.officer_jiashan, application=app, action="office_return", reason=" "
        )
    app = services.application_review(
        actor=cast.officer_jiashan,
        application=app,
        action="office_return",
        reason="年薪证明与合同不一致",
    )
    assert app.status == ApplicationStatus.RETURNED
    assert app.return_reason == "年薪证明与合同不一致"
    assert Notification.objects.filter(
        recipient=cast.enterprise_user, kind="rules.returned"
    ).exists()
    services.application_update(
        actor=cast.enterprise_user,
        application=app,
        facts={"appointed": True, "annual_salary": "350000.00"},
    )
    app = services.application_submit(actor=cast.enterprise_user, application=app)
    assert app.status == ApplicationStatus.SUBMITTED and app.amount == D("140000.00")
    actions = list(app.events.values_list("action", flat=True))
    assert actions == ["create", "submit", "office_return", "submit"]
    # Finance returns too; the applicant amends again.
    app = services.application_review(
        actor=cast.officer_jiashan, application=app, action="office_approve"
    )
    app = services.application_review(
        actor=cast.finance_jiashan, application=app, action="finance_return", reason="缺少银行账户"
    )
    assert app.status == ApplicationStatus.RETURNED and app.return_reason == "缺少银行账户"


def test_approval_beyond_the_budget_left_is_refused(cast):
    policies = seed({"vice_president_subsidy": "300000", "practice_base_subsidy": "30000"})
    policy = policies["vice_president_subsidy"]
    vp_application(cast, policy, salary="500000", state="approved")  # 200,000 committed
    second = vp_application(cast, policy, salary="300000", state="finance_review")  # 120,000
    with pytest.raises(ValidationError, match=r"100,000\.00 yuan left"):
        services.application_review(
            actor=cast.finance_jiashan, application=second, action="finance_approve"
        )
    second.refresh_from_db()
    assert second.status == ApplicationStatus.FINANCE_REVIEW
    # Exactly what is left is fine.
    third = vp_application(cast, policy, salary="250000", state="finance_review")  # 100,000
    third = services.application_review(
        actor=cast.finance_jiashan, application=third, action="finance_approve"
    )
    assert third.status == ApplicationStatus.APPROVED
    assert selectors.budget_figures(policy, YEAR).left == D("0.00")


def test_no_budget_for_the_year_refuses_approval(cast, policies):
    app = vp_application(
        cast,
        policies["vice_president_subsidy"],
        state="finance_review",
        applied_on=dt.date(2025, 6, 1),
    )
    with pytest.raises(ValidationError, match="No budget"):
        services.application_review(
            actor=cast.finance_jiashan, application=app, action="finance_approve"
        )


def test_payout_is_recorded_once_by_finance(cast, policies):
    app = vp_application(cast, policies["vice_president_subsidy"], state="approved")
    with pytest.raises(PermissionDenied):
        services.payout_record(actor=cast.officer_jiashan, application=app)
    with pytest.raises(PermissionDenied):
        services.payout_record(actor=cast.enterprise_user, application=app)
    payout = services.payout_record(actor=cast.finance_jiashan, application=app, reference="BX-1")
    assert payout.amount == D("160000.00")
    with pytest.raises(ValidationError, match="already paid"):
        services.payout_record(actor=cast.finance_jiashan, application=app)
    assert Payout.objects.filter(application=app).count() == 1
    app.refresh_from_db()
    assert app.status == ApplicationStatus.PAID
    assert Notification.objects.filter(recipient=cast.enterprise_user, kind="rules.paid").exists()


def test_practice_base_subsidy_once_per_enterprise(cast, policies):
    policy = policies["practice_base_subsidy"]

    def apply():
        return services.application_create(
            actor=cast.enterprise_user,
            policy=policy,
            organisation=cast.orgs["fulai"],
            facts={"designated_practice_base": True},
            applied_on=DAY,
            uploads=[evidence("实践基地认定文件.pdf")],
        )

    first = advance(apply(), "approved")
    assert first.amount == D("30000.00")
    assert "育才补贴 30,000.00 (once per practice base)" in first.explanation
    with pytest.raises(ValidationError, match="Not eligible"):
        services.application_submit(actor=cast.enterprise_user, application=apply())


def test_priority_flag_for_a_joint_training_student(cast, policies):
    policy = policies["joint_training_priority"]
    app = services.application_create(
        actor=cast.student_user,
        policy=policy,
        facts={"in_joint_training": True, "joint_training_role": "student"},
        uploads=[evidence("联合培养协议.pdf")],
        applied_on=DAY,
    )
    assert app.applicant_talent == cast.talents["student"]
    app = services.application_submit(actor=cast.student_user, application=app)
    assert app.granted is True and app.amount == D("0.00")
    with pytest.raises(PermissionDenied):
        services.application_review(
            actor=cast.finance_jiashan, application=app, action="office_approve"
        )
    app = services.application_review(
        actor=cast.officer_jiashan, application=app, action="office_approve"
    )
    assert app.status == ApplicationStatus.APPROVED  # a flag needs no finance step
    with pytest.raises(PermissionDenied):
        services.application_create(
            actor=cast.enterprise_user,
            policy=policy,
            facts={"in_joint_training": True, "joint_training_role": "student"},
        )


def test_permissions_of_regions_enterprises_and_finance(cast, policies):
    policy = policies["vice_president_subsidy"]
    # Another enterprise (侠峰, 青田) cannot apply for 福莱, nor for itself under 嘉善's policy.
    with pytest.raises(PermissionDenied):
        vp_application(cast, policy, actor=cast.enterprise_qingtian)
    with pytest.raises(PermissionDenied):
        services.application_create(
            actor=cast.enterprise_qingtian,
            policy=policy,
            organisation=cast.orgs["xiafeng"],
            talent=cast.talents["tangang"],
            facts={"appointed": True, "annual_salary": "100000"},
        )
    app = vp_application(cast, policy, state="submitted")
    # Other regions' officers neither see nor review it; finance does not review first.
    for user in (cast.officer_qingpu, cast.officer_lishui):
        assert not selectors.application_visible(user=user).filter(pk=app.pk).exists()
        with pytest.raises(PermissionDenied):
            services.application_review(actor=user, application=app, action="office_approve")
    with pytest.raises(PermissionDenied):
        services.application_review(
            actor=cast.finance_jiashan, application=app, action="office_approve"
        )
    with pytest.raises(PermissionDenied):
        services.application_review(
            actor=cast.enterprise_user, application=app, action="office_approve"
        )
    app = services.application_review(
        actor=cast.officer_jiashan, application=app, action="office_approve"
    )
    # The talent office does not approve for finance.
    with pytest.raises(PermissionDenied):
        services.application_review(
            actor=cast.officer_jiashan, application=app, action="finance_approve"
        )
    visible = {
        name
        for name, user in cast.users().items()
        if selectors.application_visible(user=user).filter(pk=app.pk).exists()
    }
    assert visible == {"admin", "officer_jiashan", "enterprise_user", "finance_jiashan"}
    # Only the talent office of 嘉善 (and admins) draft versions.
    for user in (cast.finance_jiashan, cast.officer_qingpu, cast.enterprise_user):
        with pytest.raises(PermissionDenied):
            services.version_draft_create(actor=user, policy=policy)


def test_finance_is_no_officer_anywhere(cast):
    from talentflow.accounts.permissions import scope_for

    scope = scope_for(cast.finance_jiashan)
    assert not scope.is_officer and scope.region_prefixes == ()
    assert scope.finances_region("330421") and not scope.finances_region("310118")


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [("合同.exe", 10, "not accepted"), ("合同.pdf", 11 * 1024 * 1024, "larger than")],
)
def test_evidence_type_and_size_are_checked(cast, policies, name, size, message):
    app = vp_application(cast, policies["vice_president_subsidy"])
    upload = SimpleUploadedFile(name, b"x" * size, "application/octet-stream")
    with pytest.raises(ValidationError, match=message):
        services.evidence_add(actor=cast.enterprise_user, application=app, upload=upload)
    assert app.evidence.count() == 1


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        ({"appointed": True, "annual_salary": "-1"}, "annual_salary"),
        ({"appointed": True, "annual_salary": 400000.0}, "annual_salary"),
        ({"appointed": True, "annual_salary": "1.234"}, "annual_salary"),
        ({"appointed": True}, "annual_salary"),
        ({"appointed": "maybe", "annual_salary": "1"}, "appointed"),
    ],
)
def test_bad_facts_are_refused(cast, policies, facts, field):
    with pytest.raises(ValidationError) as error:
        services.application_create(
            actor=cast.enterprise_user,
            policy=policies["vice_president_subsidy"],
            organisation=cast.orgs["fulai"],
            talent=cast.talents["tangang"],
            facts=facts,
        )
    assert field in error.value.message_dict


def test_submit_needs_evidence(cast, policies):
    app = services.application_create(
        actor=cast.enterprise_user,
        policy=policies["vice_president_subsidy"],
        organisation=cast.orgs["fulai"],
        talent=cast.talents["tangang"],
        facts={"appointed": True, "annual_salary": "100000"},
    )
    with pytest.raises(ValidationError, match="evidence"):
        services.application_submit(actor=cast.enterprise_user, application=app)


def test_the_budget_cannot_fall_below_committed_and_paid(cast, policies):
    policy = policies["vice_president_subsidy"]
    vp_application(cast, policy, salary="500000", state="approved")
    with pytest.raises(ValidationError):
        services.policy_year_set(**SYSTEM, policy=policy, year=YEAR, budget=D("199999.99"))
    services.policy_year_set(
        actor=cast.officer_jiashan, policy=policy, year=YEAR, budget=D("200000")
    )
    with pytest.raises(PermissionDenied):
        services.policy_year_set(
            actor=cast.officer_qingpu, policy=policy, year=YEAR, budget=D("200000")
        )
