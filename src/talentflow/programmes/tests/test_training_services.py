"""Joint training (六方联动): who may take each step, the six parties, the 育才补贴 through the
rules app, graduation and retention, and bad input that changes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from talentflow.core.models import AuditEvent, Notification
from talentflow.programmes import selectors_training as selectors
from talentflow.programmes import services_training as services
from talentflow.programmes.models import (
    Agreement,
    AgreementStatus,
    CohortMentor,
    CohortStatus,
    CohortStudent,
    CohortTopic,
    Milestone,
    PracticeBase,
    PracticeBaseStatus,
    Trainee,
    TraineeStatus,
)
from talentflow.programmes.tests import factories_training as f
from talentflow.rules import services as rules_services
from talentflow.rules.models import Application, ApplicationStatus
from talentflow.rules.tests.builders import advance
from talentflow.tests.factories import TalentFactory

pytestmark = pytest.mark.django_db

SYSTEM = f.SYSTEM
# The cast's users by their standing towards 福莱's practice base, 杭电嘉善研究院's cohort and
# their agreement (谭刚 is the academic mentor, 研究生甲 the student).
ROLES = {
    "office": "officer_jiashan",
    "other_office": "officer_qingpu",
    "enterprise": "enterprise_user",
    "institution": "institution_user",
    "mentor": "talent_user",
    "student": "student_user",
    "unrelated": "provider_qingpu",
}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def evidence() -> SimpleUploadedFile:
    return SimpleUploadedFile("实践基地认定文件.pdf", b"%PDF-1.4 evidence", "application/pdf")


# Every transition per role -------------------------------------------------------------------


@dataclass
class Op:
    allowed: frozenset[str]
    setup: Callable  # (cast) -> context
    act: Callable  # (actor, cast, context) -> None
    state: Callable  # (context) -> a value the step changes


def _base_state(ctx):
    return PracticeBase.objects.values_list("status", flat=True).get(pk=ctx.pk)


def _agreement_state(ctx):
    return Agreement.objects.values_list("status", flat=True).get(pk=ctx.pk)


def _signed_with_milestone(cast):
    agreement = f.agreement(cast, signed=True)
    return services.milestone_add(
        **SYSTEM, agreement=agreement, title="开题", due=dt.date(2026, 12, 1)
    )


def _graduated(cast):
    agreement = f.agreement(cast, signed=True)
    trainee = agreement.trainees.get()
    return services.trainee_graduate(
        **SYSTEM, trainee=trainee, graduated_on=dt.date(2028, 6, 20), result_summary="在线检测系统"
    )


def _trainee_row(ctx):
    return Trainee.objects.values_list("status", "stayed").get(pk=ctx.pk)


OFFICE = frozenset({"office"})
EDITORS = frozenset({"office", "institution"})
OPS: dict[str, Op] = {
    "practice_base_apply": Op(
        frozenset({"office", "enterprise"}),
        lambda cast: None,
        lambda actor, cast, ctx: services.practice_base_apply(
            actor=actor, enterprise=cast.orgs["fulai"], description="中试线", capacity=3
        ),
        lambda ctx: PracticeBase.objects.count(),
    ),
    "practice_base_approve": Op(
        OFFICE,
        lambda cast: f.practice_base(cast.orgs["fulai"]),
        lambda actor, cast, ctx: services.practice_base_transition(
            actor=actor, base=ctx, action="approve"
        ),
        _base_state,
    ),
    "practice_base_reject": Op(
        OFFICE,
        lambda cast: f.practice_base(cast.orgs["fulai"]),
        lambda actor, cast, ctx: services.practice_base_transition(
            actor=actor, base=ctx, action="reject", reason="不符合条件"
        ),
        _base_state,
    ),
    "practice_base_withdraw": Op(
        frozenset({"enterprise"}),
        lambda cast: f.practice_base(cast.orgs["fulai"]),
        lambda actor, cast, ctx: services.practice_base_transition(
            actor=actor, base=ctx, action="withdraw", reason="暂缓申报"
        ),
        _base_state,
    ),
    "practice_base_subsidy_apply": Op(
        frozenset({"enterprise"}),
        lambda cast: (
            rules_services.seed_policies_create(region=f.region()),
            f.practice_base(cast.orgs["fulai"], state="approved"),
        )[1],
        lambda actor, cast, ctx: services.practice_base_subsidy_apply(
            actor=actor, base=ctx, uploads=[evidence()]
        ),
        lambda ctx: Application.objects.count(),
    ),
    "cohort_create": Op(
        OFFICE,
        lambda cast: None,
        lambda actor, cast, ctx: services.cohort_create(
            actor=actor,
            name="2027 级",
            region=f.region(),
            institution=cast.orgs["hdu_jiashan"],
            year=2027,
        ),
        lambda ctx: AuditEvent.objects.filter(action="cohort.create").count(),
    ),
    "cohort_mentor_set": Op(
        EDITORS,
        lambda cast: f.cohort(cast),
        lambda actor, cast, ctx: services.cohort_mentor_set(
            actor=actor, cohort=ctx, mentor=cast.talents["tangang"], capacity=3
        ),
        lambda ctx: CohortMentor.objects.filter(cohort=ctx).count(),
    ),
    "cohort_topic_add": Op(
        EDITORS,
        lambda cast: (
            services.cohort_mentor_set(
                **SYSTEM, cohort=f.cohort(cast), mentor=cast.talents["tangang"], capacity=3
            ),
            f.submitted_need(cast.orgs["fulai"]),
        ),
        lambda actor, cast, ctx: services.cohort_topic_add(
            actor=actor,
            cohort=ctx[0].cohort,
            need=ctx[1],
            title="涂布",
            mentor=ctx[0],
            capacity=2,
        ),
        lambda ctx: CohortTopic.objects.count(),
    ),
    "cohort_student_set": Op(
        EDITORS,
        lambda cast: f.cohort(cast),
        lambda actor, cast, ctx: services.cohort_student_set(
            actor=actor, cohort=ctx, student=cast.talents["student"]
        ),
        lambda ctx: CohortStudent.objects.filter(cohort=ctx).count(),
    ),
    "allocation_run": Op(
        OFFICE,
        lambda cast: f.small_cohort(cast).cohort,
        lambda actor, cast, ctx: services.allocation_run(actor=actor, cohort=ctx),
        lambda ctx: ctx.runs.count(),
    ),
    "placement_set": Op(
        OFFICE,
        lambda cast: f.small_cohort(cast),
        lambda actor, cast, ctx: services.placement_set(
            actor=actor, cohort_student=ctx.students[3], topic=ctx.topics[0]
        ),
        lambda ctx: CohortStudent.objects.values_list("pinned", flat=True).get(
            pk=ctx.students[3].pk
        ),
    ),
    "allocation_confirm": Op(
        OFFICE,
        lambda cast: services.allocation_run(**SYSTEM, cohort=f.small_cohort(cast).cohort).cohort,
        lambda actor, cast, ctx: services.allocation_confirm(
            actor=actor, cohort=ctx, start_date=f.START, end_date=f.END
        ),
        lambda ctx: Agreement.objects.count(),
    ),
    "agreement_create": Op(
        OFFICE,
        lambda cast: f.submitted_need(cast.orgs["fulai"]),
        lambda actor, cast, ctx: services.agreement_create(
            actor=actor,
            region=f.region(),
            institution=cast.orgs["hdu_jiashan"],
            enterprise=cast.orgs["fulai"],
            academic_mentor=cast.talents["tangang"],
            need=ctx,
            topic="涂布",
            students=[cast.talents["student"]],
            start_date=f.START,
            end_date=f.END,
        ),
        lambda ctx: Agreement.objects.count(),
    ),
    "agreement_sign": Op(
        OFFICE,
        lambda cast: f.agreement(cast, enterprise_mentor=TalentFactory(name="工程师")),
        lambda actor, cast, ctx: services.agreement_transition(
            actor=actor, agreement=ctx, action="sign"
        ),
        _agreement_state,
    ),
    "agreement_cancel": Op(
        OFFICE,
        lambda cast: f.agreement(cast),
        lambda actor, cast, ctx: services.agreement_transition(
            actor=actor, agreement=ctx, action="cancel", reason="企业退出"
        ),
        _agreement_state,
    ),
    "agreement_complete": Op(
        EDITORS,
        lambda cast: f.agreement(cast, signed=True),
        lambda actor, cast, ctx: services.agreement_transition(
            actor=actor, agreement=ctx, action="complete"
        ),
        _agreement_state,
    ),
    "agreement_terminate": Op(
        OFFICE,
        lambda cast: f.agreement(cast, signed=True),
        lambda actor, cast, ctx: services.agreement_transition(
            actor=actor, agreement=ctx, action="terminate", reason="企业停产"
        ),
        _agreement_state,
    ),
    "milestone_add": Op(
        frozenset({"office", "institution", "enterprise"}),
        lambda cast: f.agreement(cast, signed=True),
        lambda actor, cast, ctx: services.milestone_add(
            actor=actor, agreement=ctx, title="中期检查", due=dt.date(2027, 6, 1)
        ),
        lambda ctx: Milestone.objects.filter(agreement=ctx).count(),
    ),
    "milestone_done": Op(
        frozenset({"office", "institution", "enterprise"}),
        _signed_with_milestone,
        lambda actor, cast, ctx: services.milestone_done(
            actor=actor, milestone=ctx, done_on=dt.date(2026, 11, 20)
        ),
        lambda ctx: Milestone.objects.values_list("done_on", flat=True).get(pk=ctx.pk),
    ),
    "trainee_graduate": Op(
        EDITORS,
        lambda cast: f.agreement(cast, signed=True).trainees.get(),
        lambda actor, cast, ctx: services.trainee_graduate(
            actor=actor, trainee=ctx, graduated_on=dt.date(2028, 6, 20), result_summary="检测系统"
        ),
        _trainee_row,
    ),
    "trainee_destination": Op(
        EDITORS,
        _graduated,
        lambda actor, cast, ctx: services.trainee_destination(
            actor=actor, trainee=ctx, destination=cast.orgs["zhongyang"]
        ),
        _trainee_row,
    ),
    "trainee_withdraw": Op(
        EDITORS,
        lambda cast: f.agreement(cast, signed=True).trainees.get(),
        lambda actor, cast, ctx: services.trainee_withdraw(actor=actor, trainee=ctx, reason="转学"),
        _trainee_row,
    ),
}


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("name", list(OPS))
def test_each_step_is_taken_only_by_its_parties(cast, name, role):
    """Allowed: the step changes the record and is audited. Forbidden: PermissionDenied, and
    nothing changes (not even the audit trail)."""
    op = OPS[name]
    actor = getattr(cast, ROLES[role])
    ctx = op.setup(cast)
    before, events = op.state(ctx), AuditEvent.objects.count()
    if role in op.allowed:
        op.act(actor, cast, ctx)
        assert op.state(ctx) != before
        assert AuditEvent.objects.count() > events
        assert AuditEvent.objects.latest("id").actor == actor
    else:
        with pytest.raises(PermissionDenied):
            op.act(actor, cast, ctx)
        assert op.state(ctx) == before
        assert AuditEvent.objects.count() == events


def test_wrong_state_is_refused_not_denied(cast):
    """The office may approve, but not twice; a signed agreement cannot be signed again."""
    base = f.practice_base(cast.orgs["fulai"], state="approved")
    with pytest.raises(ValidationError, match="not possible while it is “Approved”"):
        services.practice_base_transition(actor=cast.officer_jiashan, base=base, action="approve")
    agreement = f.agreement(cast, signed=True)
    with pytest.raises(ValidationError):
        services.agreement_transition(
            actor=cast.officer_jiashan, agreement=agreement, action="sign"
        )
    with pytest.raises(ValidationError, match="Unknown action"):
        services.agreement_transition(
            actor=cast.officer_jiashan, agreement=agreement, action="explode"
        )


# Practice base and its 育才补贴 -----------------------------------------------------------------


def test_approved_base_applies_for_the_subsidy_computed_by_rules(cast):
    """30,000 yuan, computed by the rules app's seed policy, once per enterprise."""
    policies = rules_services.seed_policies_create(region=f.region())
    rules_services.policy_year_set(
        **SYSTEM, policy=policies["practice_base_subsidy"], year=2026, budget=Decimal("300000")
    )
    base = f.practice_base(cast.orgs["fulai"], institutions=[cast.orgs["hdu_jiashan"]])
    assert Notification.objects.filter(
        recipient=cast.officer_jiashan, kind="training.practice_base_applied"
    ).exists()
    services.practice_base_transition(actor=cast.officer_jiashan, base=base, action="approve")
    assert Notification.objects.filter(
        recipient=cast.enterprise_user, kind="training.practice_base_decided"
    ).exists()
    application = services.practice_base_subsidy_apply(
        actor=cast.enterprise_user, base=base, uploads=[evidence()], applied_on=dt.date(2026, 3, 2)
    )
    base.refresh_from_db()
    assert base.subsidy_application == application
    assert application.policy.code == "practice_base_subsidy"
    assert application.applicant_organisation == cast.orgs["fulai"]
    assert application.facts == {"designated_practice_base": True, "subsidy_received": False}
    application = advance(application, "approved")
    assert application.amount == Decimal("30000.00")
    assert application.status == ApplicationStatus.APPROVED
    with pytest.raises(ValidationError, match="already applied"):
        services.practice_base_subsidy_apply(
            actor=cast.enterprise_user, base=base, uploads=[evidence()]
        )
    assert AuditEvent.objects.filter(
        action="practice_base.subsidy_apply", object_id=str(base.pk)
    ).exists()


def test_subsidy_needs_an_approved_base_and_the_policy(cast):
    base = f.practice_base(cast.orgs["fulai"])
    with pytest.raises(ValidationError, match="approved practice base"):
        services.practice_base_subsidy_apply(actor=cast.enterprise_user, base=base)
    base = services.practice_base_transition(**SYSTEM, base=base, action="approve")
    with pytest.raises(ValidationError, match="No 育才补贴 policy"):
        services.practice_base_subsidy_apply(actor=cast.enterprise_user, base=base)
    assert Application.objects.count() == 0


def test_one_live_practice_base_per_enterprise(cast):
    f.practice_base(cast.orgs["fulai"])
    with pytest.raises(ValidationError, match="already has a practice-base application"):
        f.practice_base(cast.orgs["fulai"])
    with pytest.raises(ValidationError, match="Only an enterprise"):
        f.practice_base(cast.orgs["hdu_jiashan"])
    with pytest.raises(ValidationError, match="Give the reason"):
        services.practice_base_transition(
            actor=cast.officer_jiashan, base=PracticeBase.objects.get(), action="reject"
        )
    assert PracticeBase.objects.get().status == PracticeBaseStatus.SUBMITTED


# Cohort input ---------------------------------------------------------------------------------


def test_preferences_and_rankings_from_another_cohort_are_refused_when_set(cast):
    """Refused with the offending ids when they are set, not at run time; nothing changes."""
    setup = f.small_cohort(cast)
    other = f.cohort(cast, name="另一批")
    services.cohort_mentor_set(**SYSTEM, cohort=other, mentor=cast.talents["tangang"], capacity=1)
    stranger = services.cohort_student_set(
        **SYSTEM, cohort=other, student=TalentFactory(name="外批研究生")
    )
    student = setup.students[0]
    foreign_topic = services.cohort_topic_add(
        **SYSTEM,
        cohort=other,
        need=f.submitted_need(cast.orgs["fulai"]),
        title="外批课题",
        mentor=cast.talents["tangang"],
        capacity=1,
    )
    need, outsider = f.submitted_need(cast.orgs["fulai"]), TalentFactory(name="陌生导师")
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match=f"not in the cohort .*{foreign_topic.pk}"):
        services.cohort_student_set(
            actor=cast.institution_user,
            cohort=setup.cohort,
            student=student.student,
            preferences=[setup.topics[1].pk, foreign_topic.pk],
        )
    with pytest.raises(ValidationError, match=f"not in the cohort .*{stranger.pk}"):
        services.cohort_mentor_set(
            actor=cast.institution_user,
            cohort=setup.cohort,
            mentor=cast.talents["tangang"],
            capacity=2,
            ranking=[student.pk, stranger.pk],
        )
    with pytest.raises(ValidationError, match="only once"):
        services.cohort_student_set(
            actor=cast.institution_user,
            cohort=setup.cohort,
            student=student.student,
            preferences=[setup.topics[1].pk, setup.topics[1].pk],
        )
    with pytest.raises(ValidationError, match="mentor of the cohort first"):
        services.cohort_topic_add(
            actor=cast.institution_user,
            cohort=setup.cohort,
            need=need,
            title="x",
            mentor=outsider,
            capacity=1,
        )
    student.refresh_from_db()
    assert student.preferences == [setup.topics[0].pk, setup.topics[2].pk]
    assert CohortMentor.objects.get(pk=setup.mentors[0].pk).ranking == setup.mentors[0].ranking
    assert CohortTopic.objects.filter(cohort=setup.cohort).count() == 3
    assert AuditEvent.objects.count() == events


def test_topics_come_from_real_needs_of_the_region(cast):
    setup = f.small_cohort(cast)
    qingtian_need = f.submitted_need(cast.orgs["xiafeng"])
    with pytest.raises(ValidationError, match="not an enterprise of 嘉善"):
        services.cohort_topic_add(
            actor=cast.officer_jiashan,
            cohort=setup.cohort,
            need=qingtian_need,
            title="压铸",
            mentor=setup.mentors[0],
            capacity=1,
        )
    from talentflow.needs import services as need_services

    draft = need_services.need_create(
        **SYSTEM, enterprise=cast.orgs["fulai"], title="草稿需求", summary="草稿"
    )
    with pytest.raises(ValidationError, match="cannot be a topic"):
        services.cohort_topic_add(
            actor=cast.officer_jiashan,
            cohort=setup.cohort,
            need=draft,
            title="草稿",
            mentor=setup.mentors[0],
            capacity=1,
        )
    assert CohortTopic.objects.filter(cohort=setup.cohort).count() == 3


# Six parties ----------------------------------------------------------------------------------


def test_signing_needs_the_enterprise_mentor(cast):
    agreement = f.agreement(cast)
    with pytest.raises(ValidationError, match="name the enterprise mentor before signing"):
        services.agreement_transition(
            actor=cast.officer_jiashan, agreement=agreement, action="sign"
        )
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.DRAFT
    engineer = TalentFactory(name="工程师")
    services.agreement_mentor_set(
        actor=cast.officer_jiashan, agreement=agreement, enterprise_mentor=engineer
    )
    agreement = services.agreement_transition(
        actor=cast.officer_jiashan, agreement=agreement, action="sign"
    )
    assert agreement.status == AgreementStatus.SIGNED
    for user, kind in [
        (cast.institution_user, "training.agreement_changed"),
        (cast.enterprise_user, "training.agreement_changed"),
        (cast.talent_user, "training.agreement_changed"),
        (cast.student_user, "training.agreement_changed"),
    ]:
        assert Notification.objects.filter(recipient=user, kind=kind).exists(), user


def test_agreement_parties_must_fit(cast):
    """The need is the enterprise's, the enterprise is of the region, at least one student,
    the dates run forward; nothing is written on refusal."""
    zhongyang_need = f.submitted_need(cast.orgs["zhongyang"])
    base = {
        "actor": cast.officer_jiashan,
        "region": f.region(),
        "institution": cast.orgs["hdu_jiashan"],
        "enterprise": cast.orgs["fulai"],
        "academic_mentor": cast.talents["tangang"],
        "need": f.submitted_need(cast.orgs["fulai"]),
        "topic": "涂布",
        "students": [cast.talents["student"]],
        "start_date": f.START,
        "end_date": f.END,
    }
    bad = [
        ({"need": zhongyang_need}, "need"),
        (
            {"enterprise": cast.orgs["xiafeng"], "need": f.submitted_need(cast.orgs["xiafeng"])},
            "enterprise",
        ),
        ({"students": []}, "students"),
        ({"students": [cast.talents["tangang"]]}, "students"),
        ({"end_date": f.START}, "end_date"),
        ({"institution": cast.orgs["fulai"]}, "institution"),
        ({"practice_base": f.practice_base(cast.orgs["fulai"])}, "practice_base"),
    ]
    events = AuditEvent.objects.filter(action="agreement.create").count()
    for change, field in bad:
        with pytest.raises(ValidationError) as error:
            services.agreement_create(**{**base, **change})
        assert field in error.value.message_dict, (change, error.value)
    assert Agreement.objects.count() == 0
    assert Trainee.objects.count() == 0
    assert AuditEvent.objects.filter(action="agreement.create").count() == events


def test_a_student_is_in_one_signed_agreement_at_a_time(cast):
    student = cast.talents["student"]
    f.agreement(cast, signed=True)
    with pytest.raises(ValidationError, match="Already training under another signed"):
        f.agreement(cast, students=[student])
    # A second draft made before the first was signed cannot be signed over it either.
    later = f.agreement(
        cast,
        students=[TalentFactory(name="研究生戊")],
        enterprise_mentor=TalentFactory(name="工程师己"),
    )
    Trainee.objects.create(agreement=later, student=student)  # as if added before the signing
    with pytest.raises(ValidationError, match="研究生甲"):
        services.agreement_transition(actor=cast.officer_jiashan, agreement=later, action="sign")
    assert Agreement.objects.get(pk=later.pk).status == AgreementStatus.DRAFT
    # After the first agreement, the same student may train again.
    f.agreement(cast, students=[student], start=f.END, end=dt.date(2029, 6, 30))


# Milestones, graduation, retention ------------------------------------------------------------


def test_milestones_follow_the_agreement(cast):
    draft = f.agreement(cast)
    milestone = services.milestone_add(
        actor=cast.institution_user, agreement=draft, title="开题", due=dt.date(2026, 10, 1)
    )
    with pytest.raises(ValidationError, match="while the agreement runs"):
        services.milestone_done(
            actor=cast.institution_user, milestone=milestone, done_on=dt.date(2026, 10, 1)
        )
    with pytest.raises(ValidationError, match="due within the agreement"):
        services.milestone_add(
            actor=cast.institution_user, agreement=draft, title="x", due=dt.date(2030, 1, 1)
        )
    assert Milestone.objects.filter(agreement=draft).count() == 1


def test_graduation_and_destination_give_exact_retention(cast):
    """Three trainees graduate: two work in 嘉善 (留善), one in 杭州; a fourth still trains.
    Retention = 2 / 3 of the graduates with a known destination; another region's office sees
    no row."""
    students = [cast.talents["student"], *(TalentFactory(name=f"研究生{n}") for n in "乙丙丁")]
    engineer = TalentFactory(name="工程师")
    agreement = f.agreement(cast, students=students, enterprise_mentor=engineer, signed=True)
    need = agreement.need
    trainees = {t.student_id: t for t in agreement.trainees.all()}
    t = [trainees[s.pk] for s in students]
    f.practice_base(cast.orgs["fulai"], state="approved")
    stats = selectors.region_stats(cast.officer_jiashan)
    assert stats[0]["retention_rate"] is None
    with pytest.raises(ValidationError, match="after graduation"):
        services.trainee_destination(
            actor=cast.institution_user, trainee=t[0], destination=cast.orgs["zhongyang"]
        )
    for trainee in t[:3]:
        services.trainee_graduate(
            actor=cast.institution_user,
            trainee=trainee,
            graduated_on=dt.date(2028, 6, 20),
            result_summary="涂布缺陷在线检测系统上线",
        )
    services.trainee_destination(
        actor=cast.institution_user, trainee=t[0], destination=cast.orgs["zhongyang"]
    )
    services.trainee_destination(
        actor=cast.officer_jiashan, trainee=t[1], destination_region=f.region("330421")
    )
    services.trainee_destination(
        actor=cast.officer_jiashan, trainee=t[2], destination=cast.orgs["zju"]
    )
    assert [Trainee.objects.get(pk=x.pk).stayed for x in t] == [True, True, False, None]
    assert Notification.objects.filter(
        recipient=cast.student_user, kind="training.graduated"
    ).exists()
    row = selectors.region_stats(cast.officer_jiashan)
    assert row == [
        {
            "region_code": "330421",
            "region_name": "嘉善县",
            "academic_mentors": 1,
            "enterprise_mentors": 1,
            "students": 4,
            "enterprises": 1,
            "practice_bases": 1,
            "graduates": 3,
            "known_destinations": 3,
            "stayed": 2,
            "retention_rate": Decimal("0.6667"),
        }
    ]
    assert selectors.region_stats(cast.officer_qingpu) == []
    assert need.pk == agreement.need_id


def test_graduation_input_is_checked(cast):
    agreement = f.agreement(cast, signed=True)
    trainee = agreement.trainees.get()
    with pytest.raises(ValidationError) as error:
        services.trainee_graduate(
            actor=cast.officer_jiashan,
            trainee=trainee,
            graduated_on=dt.date(2020, 1, 1),
            result_summary=" ",
        )
    assert set(error.value.message_dict) == {"graduated_on", "result_summary"}
    trainee.refresh_from_db()
    assert trainee.status == TraineeStatus.TRAINING
    services.trainee_withdraw(actor=cast.officer_jiashan, trainee=trainee, reason="转学")
    with pytest.raises(ValidationError, match="no longer in training"):
        services.trainee_graduate(
            actor=cast.officer_jiashan,
            trainee=trainee,
            graduated_on=dt.date(2028, 1, 1),
            result_summary="x",
        )


# Visibility -----------------------------------------------------------------------------------


def test_who_sees_the_agreement_and_the_cohort(cast):
    agreement = f.agreement(cast, signed=True)
    setup = f.small_cohort(cast)
    seen = {
        role: (
            selectors.agreements_for(getattr(cast, user)).filter(pk=agreement.pk).exists(),
            selectors.cohorts_for(getattr(cast, user)).filter(pk=setup.cohort.pk).exists(),
        )
        for role, user in ROLES.items()
    }
    assert seen == {
        "office": (True, True),
        "other_office": (False, False),
        "enterprise": (True, True),
        "institution": (True, True),
        "mentor": (True, True),
        "student": (True, True),
        "unrelated": (False, False),
    }
    assert selectors.agreement_actions(cast.institution_user, agreement) == ["complete"]
    assert selectors.agreement_actions(cast.officer_jiashan, agreement) == [
        "complete",
        "terminate",
    ]
    assert selectors.agreement_actions(cast.student_user, agreement) == []


def test_cohort_confirmed_refuses_changes(cast):
    setup = f.small_cohort(cast)
    services.allocation_run(**SYSTEM, cohort=setup.cohort)
    services.allocation_confirm(
        actor=cast.officer_jiashan, cohort=setup.cohort, start_date=f.START, end_date=f.END
    )
    setup.cohort.refresh_from_db()
    assert setup.cohort.status == CohortStatus.CONFIRMED
    for call in (
        lambda: services.allocation_run(actor=cast.officer_jiashan, cohort=setup.cohort),
        lambda: services.placement_set(
            actor=cast.officer_jiashan, cohort_student=setup.students[0], topic=setup.topics[1]
        ),
        lambda: services.cohort_student_set(
            actor=cast.institution_user, cohort=setup.cohort, student=TalentFactory()
        ),
    ):
        with pytest.raises(ValidationError, match="allocation is confirmed"):
            call()


def test_cohort_import_sets_preferences_all_or_nothing(cast):
    """One row per student: talent id, then topics (id or title) best first. A bad row refuses
    the whole file."""
    setup = f.small_cohort(cast)
    t0, t1, t2 = setup.topics
    newcomer = TalentFactory(name="研究生庚")
    known = setup.students[1]
    good = (
        f"学生编号,志愿1,志愿2\n{newcomer.pk},{t2.pk},{t0.title}\n{known.student_id},{t1.pk},\n"
    ).encode()
    bad = good + b"999999,1\n" + f"{newcomer.pk},{t1.pk}\n".encode()
    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.cohort_import(
            actor=cast.institution_user, cohort=setup.cohort, data=bad, filename="志愿.csv"
        )
    messages = error.value.message_dict["file"]
    assert any("999999" in m for m in messages)
    assert any("listed twice" in m for m in messages)
    assert AuditEvent.objects.count() == events
    assert not CohortStudent.objects.filter(student=newcomer).exists()
    with pytest.raises(PermissionDenied):
        services.cohort_import(
            actor=cast.enterprise_user, cohort=setup.cohort, data=good, filename="志愿.csv"
        )
    report = services.cohort_import(
        actor=cast.institution_user, cohort=setup.cohort, data=good, filename="志愿.csv"
    )
    assert (report.created, report.updated) == (1, 1)
    assert str(report) == "1 students added, 1 updated."
    assert CohortStudent.objects.get(student=newcomer).preferences == [t2.pk, t0.pk]
    assert CohortStudent.objects.get(pk=known.pk).preferences == [t1.pk]
    assert AuditEvent.objects.filter(action="cohort.import").count() == 1
