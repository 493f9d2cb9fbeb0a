"""Rules of the lifecycle beyond the transition table: who sees a need and its confidential
details, exact decimal outcomes with units, and verification rounds that keep their findings."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import given, settings
from hypothesis import strategies as st

from talentflow.needs import outcomes as outcome_rules
from talentflow.needs import permissions, selectors, services
from talentflow.needs.models import Outcome
from talentflow.needs.tests.builders import SYSTEM, need_in_state, propose
from talentflow.reference.models import Alliance, Region
from talentflow.tests.cast import CAST_ROLES
from talentflow.tests.factories import PoolFactory, TalentFactory


def visible(user) -> set[int]:
    return set(selectors.need_visible(user=user).values_list("pk", flat=True))


# Who sees which need -----------------------------------------------------------------------


def test_a_draft_is_the_enterprises_alone(cast):
    need = need_in_state(cast, "draft")
    seeing = {role for role in CAST_ROLES if need.pk in visible(getattr(cast, role))}
    assert seeing == {"enterprise_user", "admin"}


def test_submitted_need_reaches_its_talent_office_not_solvers(cast):
    need = need_in_state(cast, "submitted")
    seeing = {role for role in CAST_ROLES if need.pk in visible(getattr(cast, role))}
    assert seeing == {"enterprise_user", "admin", "officer_jiashan"}


def test_published_need_without_targets_is_open_to_every_solver(cast):
    need = need_in_state(cast, "published")
    seeing = {role for role in CAST_ROLES if need.pk in visible(getattr(cast, role))}
    assert seeing == {
        "enterprise_user",
        "admin",
        "officer_jiashan",
        "institution_user",
        "talent_user",
        "student_user",
    }


def test_targeted_need_reaches_only_its_targets_and_the_alliance(cast):
    """Aimed at the 示范区 pool: its talents and the alliance's officers see it; a solver
    outside the pool does not."""
    pool = PoolFactory(region=None, alliance=Alliance.objects.get(code="yrd-demo-zone"))
    member = TalentFactory(name="示范区专家", home_region=Region.objects.get(code="310118"))
    pool.talents.add(member)
    from talentflow.tests.factories import UserFactory

    member.user = UserFactory(username="pool_member")
    member.save()
    need = need_in_state(cast, "submitted")
    services.need_update(**SYSTEM, need=need, data={"target_pools": [pool]})
    from talentflow.needs.tests.builders import frame

    frame(need)
    services.need_publish(**SYSTEM, need=need)
    assert need.pk in visible(member.user)
    assert need.pk in visible(cast.officer_qingpu)  # same alliance, other province
    assert need.pk not in visible(cast.officer_qingtian)
    assert need.pk not in visible(cast.talent_user)  # not in the pool
    assert need.pk not in visible(cast.institution_user)  # not targeted


def test_participants_keep_seeing_what_they_worked_on(cast):
    need = need_in_state(cast, "closed")
    assert need.pk in visible(cast.talent_user)
    assert need.pk in visible(cast.institution_user)
    assert need.pk not in visible(cast.enterprise_qingtian)


# Confidential details ----------------------------------------------------------------------


def test_confidential_details_need_accepted_terms(cast):
    need = need_in_state(cast, "published", confidentiality="confidential")
    assert permissions.sees_details(cast.enterprise_user, need)
    assert permissions.sees_details(cast.officer_jiashan, need)
    assert not permissions.sees_details(cast.institution_user, need)
    assert not permissions.sees_details(cast.talent_user, need)
    services.confidentiality_accept(actor=cast.institution_user, need=need)
    assert permissions.sees_details(cast.institution_user, need)
    assert not permissions.sees_details(cast.talent_user, need)  # acceptance is personal


def test_no_proposal_without_reading_the_details(cast):
    need = need_in_state(cast, "published", confidentiality="confidential")
    with pytest.raises(PermissionDenied):
        services.proposal_submit(
            actor=cast.talent_user,
            need=need,
            approach="方案",
            trl=4,
            cost=Decimal("100000"),
            ip_terms="shared",
            members=[(cast.talents["tangang"], "lead")],
        )


def test_accepting_terms_of_an_invisible_need_is_refused(cast):
    need = need_in_state(cast, "submitted", confidentiality="confidential")
    with pytest.raises(PermissionDenied):
        services.confidentiality_accept(actor=cast.institution_user, need=need)


# Outcomes: exact decimals, units and bounds --------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "amount", "basis", "unit"),
    [
        ("revenue", "5000000.00", "", "yuan"),
        ("output_value", "20000000", "", "yuan"),
        ("unit_cost_reduction", "400", "吨", "yuan/吨"),
        ("energy_reduction", "15", "", "%"),
        ("lifetime_change", "30", "", "%"),
        ("invention_patent_granted", "2", "", "count"),
        ("students_retained", "2", "", "person"),
        ("cost_reduction", "1234567.89", "", "yuan"),
    ],
)
def test_outcome_amount_and_unit_round_trip(cast, kind, amount, basis, unit):
    need = need_in_state(cast, "verified")
    outcome = services.outcome_record(
        actor=cast.enterprise_user, need=need, kind=kind, amount=amount, unit_basis=basis
    )
    stored = Outcome.objects.get(pk=outcome.pk)
    assert stored.amount == Decimal(amount)
    assert isinstance(stored.amount, Decimal)
    assert outcome_rules.unit_code(stored.kind, stored.unit_basis) == unit


@pytest.mark.parametrize(
    ("kind", "amount", "basis", "field"),
    [
        ("revenue", "-5000000", "", "amount"),
        ("revenue", "0", "", "amount"),
        ("revenue", "abc", "", "amount"),
        ("revenue", "NaN", "", "amount"),
        ("revenue", "1e13", "", "amount"),  # ten trillion yuan from one county need
        ("energy_reduction", "140", "", "amount"),  # cannot save more than all of it
        ("invention_patent_granted", "2.5", "", "amount"),
        ("revenue", "100.001", "", "amount"),
        ("unit_cost_reduction", "400", "", "unit_basis"),
        ("revenue", "400", "吨", "unit_basis"),
    ],
)
def test_bad_outcome_values_are_refused_with_the_field_named(cast, kind, amount, basis, field):
    need = need_in_state(cast, "verified")
    with pytest.raises(ValidationError) as info:
        services.outcome_record(
            actor=cast.enterprise_user, need=need, kind=kind, amount=amount, unit_basis=basis
        )
    assert field in info.value.message_dict
    assert not Outcome.objects.filter(need=need).exists()


@given(
    st.decimals(
        min_value=Decimal("0.01"),
        max_value=Decimal("100000000000"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )
)
@settings(max_examples=50)
def test_any_money_amount_within_bounds_is_kept_exactly(amount):
    outcome_rules.check_value("revenue", amount)


def test_outcomes_only_after_verification_and_confirmed_only_by_the_office(cast):
    with pytest.raises(ValidationError):
        services.outcome_record(
            actor=cast.enterprise_user,
            need=need_in_state(cast, "engaged"),
            kind="revenue",
            amount="1",
        )
    need = need_in_state(cast, "verified")
    outcome = services.outcome_record(
        actor=cast.talent_user, need=need, kind="revenue", amount="5000000"
    )
    for role in ("enterprise_user", "talent_user", "officer_qingpu"):
        with pytest.raises(PermissionDenied):
            services.outcome_confirm(actor=getattr(cast, role), outcome=outcome)
    services.outcome_confirm(actor=cast.officer_jiashan, outcome=outcome)
    with pytest.raises(ValidationError):
        services.outcome_reject(actor=cast.officer_jiashan, outcome=outcome, reason="x")


def test_closing_waits_for_every_recorded_outcome(cast):
    need = need_in_state(cast, "verified")
    with pytest.raises(ValidationError):
        services.need_close(actor=cast.officer_jiashan, need=need)
    first = services.outcome_record(**SYSTEM, need=need, kind="revenue", amount="100")
    services.outcome_record(**SYSTEM, need=need, kind="new_product", amount="1")
    services.outcome_confirm(actor=cast.officer_jiashan, outcome=first)
    with pytest.raises(ValidationError):
        services.need_close(actor=cast.officer_jiashan, need=need)


# 验题: failed rounds keep their findings -------------------------------------------------


def test_failed_verification_returns_to_work_and_keeps_findings(cast):
    need = need_in_state(cast, "verifying")
    first, second = list(need.criteria.all())
    with pytest.raises(ValidationError) as info:  # a failure must say what failed
        services.verification_record(
            actor=cast.enterprise_user,
            need=need,
            checks=[
                {"criterion": first, "passed": False, "measured_value": "95.2"},
                {"criterion": second, "passed": True},
            ],
        )
    assert "findings" in info.value.message_dict
    round1 = services.verification_record(
        actor=cast.enterprise_user,
        need=need,
        checks=[
            {"criterion": first, "passed": False, "measured_value": "95.2"},
            {"criterion": second, "passed": True},
        ],
        findings="良品率 95.2%，未达 98%：涂布头第 3 区流量不均。",
    )
    need.refresh_from_db()
    assert need.state == "engaged"
    services.verification_start(actor=cast.talent_user, need=need)
    round2 = services.verification_record(
        actor=cast.enterprise_user,
        need=need,
        checks=[
            {"criterion": first, "passed": True, "measured_value": "98.7"},
            {"criterion": second, "passed": True},
        ],
    )
    need.refresh_from_db()
    assert need.state == "verified"
    round1.refresh_from_db()
    assert round1.passed is False and "第 3 区" in round1.findings
    assert round1.checks.get(criterion=first).measured_value == Decimal("95.2000")
    assert round2.number == 2 and round2.passed is True


def test_every_criterion_must_be_checked_and_measured(cast):
    need = need_in_state(cast, "verifying")
    first, second = list(need.criteria.all())
    with pytest.raises(ValidationError) as info:
        services.verification_record(
            actor=cast.enterprise_user, need=need, checks=[{"criterion": second, "passed": True}]
        )
    assert "checks" in info.value.message_dict
    with pytest.raises(ValidationError):  # a measured criterion needs its measured value
        services.verification_record(
            actor=cast.enterprise_user,
            need=need,
            checks=[{"criterion": first, "passed": True}, {"criterion": second, "passed": True}],
        )


# Selection --------------------------------------------------------------------------------


def test_selection_declines_the_others_with_their_reasons(cast):
    need = need_in_state(cast, "published")
    chosen = propose(cast, need)
    other = services.proposal_submit(
        actor=cast.talent_user,
        need=need,
        approach="另一方案",
        trl=3,
        cost=Decimal("900000"),
        ip_terms="solver_licensed",
        members=[(cast.talents["tangang"], "lead")],
    )
    with pytest.raises(ValidationError) as info:
        services.proposal_select(
            actor=cast.enterprise_user,
            proposal=chosen,
            contract_amount=Decimal("580000"),
            signed_on=need.proposals_due,
        )
    assert "declines" in info.value.message_dict
    with pytest.raises(ValidationError):  # "other" needs words
        services.proposal_select(
            actor=cast.enterprise_user,
            proposal=chosen,
            contract_amount=Decimal("580000"),
            signed_on=need.proposals_due,
            declines={other.pk: ("other", "")},
        )
    engagement = services.proposal_select(
        actor=cast.enterprise_user,
        proposal=chosen,
        contract_amount=Decimal("580000.50"),
        signed_on=need.proposals_due,
        declines={other.pk: ("too_early", "技术成熟度 3 级，量产风险大。")},
    )
    other.refresh_from_db()
    assert other.state == "declined" and other.decline_reason == "too_early"
    assert engagement.contract_amount == Decimal("580000.50")
    assert {m.talent.name for m in engagement.members.all()} == {"谭刚", "研究生甲"}
    assert engagement.milestones.count() == 2
    from talentflow.core.models import Notification

    declined = Notification.objects.get(recipient=cast.talent_user, kind="proposal.declined")
    assert "技术成熟度" in str(declined)


# Documents ---------------------------------------------------------------------------------


def test_documents_refuse_unknown_types_and_oversize(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    need = need_in_state(cast, "draft")
    with pytest.raises(ValidationError):
        services.document_add(
            actor=cast.enterprise_user,
            need=need,
            upload=SimpleUploadedFile("x.exe", b"MZ"),
        )
    settings.TALENTFLOW_DOCUMENT_MAX_BYTES = 10
    with pytest.raises(ValidationError):
        services.document_add(
            actor=cast.enterprise_user,
            need=need,
            upload=SimpleUploadedFile("spec.pdf", b"%PDF-1.4 " + b"x" * 100),
        )
    settings.TALENTFLOW_DOCUMENT_MAX_BYTES = 10_000
    doc = services.document_add(
        actor=cast.enterprise_user, need=need, upload=SimpleUploadedFile("规格书.pdf", b"%PDF-1.4")
    )
    assert doc.original_name == "规格书.pdf" and (tmp_path / doc.file.name).exists()
    assert "规格书" not in doc.file.name  # stored under a random name
    with pytest.raises(PermissionDenied):
        services.document_add(
            actor=cast.talent_user, need=need, upload=SimpleUploadedFile("a.pdf", b"%PDF")
        )


def test_timeline_hides_other_solvers_proposals_and_decline_notes(cast):
    """The deciders read every event; a solver reads the need's events and their own
    proposal's, never another solver's decline reason."""
    need = need_in_state(cast, "published")
    theirs = services.proposal_submit(
        actor=cast.talent_user,
        need=need,
        approach="方案甲",
        trl=4,
        cost=Decimal("200000"),
        ip_terms="shared",
        members=[(cast.talents["tangang"], "lead")],
    )
    services.proposal_decline(
        actor=cast.officer_jiashan, proposal=theirs, reason_code="other", note="团队已满负荷"
    )
    for_officer = [e.note for e in selectors.need_timeline(need=need, user=cast.officer_jiashan)]
    for_institution = [
        e.note for e in selectors.need_timeline(need=need, user=cast.institution_user)
    ]
    for_author = [e.note for e in selectors.need_timeline(need=need, user=cast.talent_user)]
    assert any("团队已满负荷" in n for n in for_officer)
    assert any("团队已满负荷" in n for n in for_author)
    assert not any("团队已满负荷" in n for n in for_institution)
    assert len(for_institution) < len(for_officer)


def test_evidence_is_for_the_parties_attachments_for_readers_of_the_details(
    cast, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    need = need_in_state(cast, "published")
    attachment = services.document_add(
        **SYSTEM, need=need, upload=SimpleUploadedFile("图纸.pdf", b"%PDF")
    )
    evidence = services.document_add(
        **SYSTEM, need=need, upload=SimpleUploadedFile("检测报告.pdf", b"%PDF"), kind="evidence"
    )
    solver_outside = TalentFactory(name="旁观专家")
    from talentflow.tests.factories import UserFactory

    solver_outside.user = UserFactory(username="onlooker")
    solver_outside.save()
    assert permissions.can_download(solver_outside.user, attachment)  # public need
    assert not permissions.can_download(solver_outside.user, evidence)
    assert permissions.can_download(cast.enterprise_user, evidence)
    assert not permissions.can_download(cast.enterprise_qingtian, attachment)  # cannot see it
