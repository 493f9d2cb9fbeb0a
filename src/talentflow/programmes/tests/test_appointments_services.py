"""Appointments through the services and selectors, with the test cast: 谭刚 (浙江大学) proposed
by 嘉善's talent office as 科技副总 of 浙江福莱新材料, consented by 浙江大学, started by 福莱."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from talentflow.core.models import AuditEvent, Notification
from talentflow.directory.models import Affiliation, AffiliationKind
from talentflow.matching import index
from talentflow.matching.models import InterestDeclaration
from talentflow.matching.tests.helpers import make_talent
from talentflow.programmes import selectors_appointments as selectors
from talentflow.programmes import services_appointments as services
from talentflow.programmes import workflow
from talentflow.programmes.models import (
    Appointment,
    AppointmentKind,
    AppointmentRequest,
    AppointmentStatus,
    JointLab,
    PeriodReview,
    RequestStatus,
    WorkLog,
)
from talentflow.programmes.tests.factories_appointments import (
    PATHS,
    SYSTEM,
    TERM_END,
    TERM_START,
    appointment_in_state,
    employer_user,
    enterprise,
    expert,
    request_for,
)
from talentflow.programmes.workflow import Party
from talentflow.tests.factories import OrganisationFactory

# The English message of a refusal, whatever field it is attached to.


def message_of(error: ValidationError) -> str:
    return " ".join(error.messages)


@pytest.fixture
def zju_user(cast):
    return employer_user(cast)


@pytest.fixture
def stranger(db):
    """A talent with an account who has nothing to do with the appointment."""
    return expert("路人专家", user="stranger").user


# Requests ------------------------------------------------------------------------------------


def test_the_host_files_a_request_audited_and_the_office_hears(cast):
    request = services.request_create(
        actor=cast.enterprise_user,
        kind=AppointmentKind.VICE_PRESIDENT,
        host=cast.orgs["fulai"],
        title="薄膜涂布缺陷攻关",
        description="解决涂布缺陷。",
        target_organisations=[cast.orgs["zju"]],
    )
    assert request.region_id == "330421" and request.status == RequestStatus.OPEN
    assert list(request.target_organisations.all()) == [cast.orgs["zju"]]
    event = AuditEvent.objects.get(action="appointment_request.create")
    assert event.object_id == str(request.pk) and event.after["target_organisations"] == [
        str(cast.orgs["zju"].pk)
    ]
    assert Notification.objects.filter(
        recipient=cast.officer_jiashan, kind="programmes.request_filed"
    ).exists()


def test_a_request_is_filed_by_the_host_or_its_office_only(cast):
    with pytest.raises(PermissionDenied, match="Only 浙江福莱新材料股份有限公司 or the talent"):
        services.request_create(
            actor=cast.enterprise_qingtian,
            kind=AppointmentKind.VICE_PRESIDENT,
            host=cast.orgs["fulai"],
            title="x",
            description="y",
        )
    request = services.request_create(
        actor=cast.officer_jiashan,
        kind=AppointmentKind.INDUSTRY_PROFESSOR,
        host=cast.orgs["hdu_jiashan"],
        title="产业教授",
        description="带教研究生。",
    )
    assert request.host == cast.orgs["hdu_jiashan"]


def test_the_kind_must_fit_the_host(cast):
    with pytest.raises(ValidationError, match="hosted by a university or an institute"):
        services.request_create(
            **SYSTEM,
            kind=AppointmentKind.INDUSTRY_PROFESSOR,
            host=cast.orgs["fulai"],
            title="x",
            description="y",
        )
    with pytest.raises(ValidationError, match="hosted by an enterprise"):
        services.request_create(
            **SYSTEM,
            kind=AppointmentKind.VICE_PRESIDENT,
            host=cast.orgs["hdu_jiashan"],
            title="x",
            description="y",
        )
    assert not AppointmentRequest.objects.exists()


def test_withdrawing_a_request_needs_a_reason_and_the_host(cast):
    request = request_for(cast)
    with pytest.raises(PermissionDenied):
        services.request_withdraw(actor=cast.enterprise_qingtian, request=request, reason="x")
    with pytest.raises(ValidationError, match="Give the reason"):
        services.request_withdraw(actor=cast.enterprise_user, request=request, reason=" ")
    request = services.request_withdraw(
        actor=cast.enterprise_user, request=request, reason="已自行招聘。"
    )
    assert request.status == RequestStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="not possible while the request"):
        services.request_withdraw(actor=cast.enterprise_user, request=request, reason="again")
    with pytest.raises(ValidationError, match="nobody more is proposed"):
        services.appointment_propose(**SYSTEM, appointee=expert("某专家"), request=request)


# Proposals and their refusals ----------------------------------------------------------------


def test_the_office_proposes_audited_and_the_candidate_and_host_hear(cast):
    request = request_for(cast)
    appointment = services.appointment_propose(
        actor=cast.officer_jiashan, appointee=cast.talents["tangang"], request=request
    )
    assert appointment.status == AppointmentStatus.PROPOSED
    assert appointment.kind == AppointmentKind.VICE_PRESIDENT
    assert appointment.host == cast.orgs["fulai"] and appointment.region_id == "330421"
    assert appointment.employer == cast.orgs["zju"]  # the current employer, by default
    assert appointment.proposed_by == cast.officer_jiashan
    assert AuditEvent.objects.filter(
        action="appointment.propose", object_id=str(appointment.pk)
    ).exists()
    kinds = set(
        Notification.objects.filter(kind="programmes.proposed").values_list(
            "recipient__username", flat=True
        )
    )
    assert kinds == {"tangang", "fulai"}


@pytest.mark.parametrize(
    "who", ["enterprise_user", "officer_qingtian", "talent_user", "institution_user"]
)
def test_only_the_office_of_the_host_region_proposes(cast, who):
    with pytest.raises(PermissionDenied, match="Only the talent office of 嘉善县 proposes"):
        services.appointment_propose(
            actor=getattr(cast, who),
            appointee=cast.talents["tangang"],
            kind=AppointmentKind.VICE_PRESIDENT,
            host=cast.orgs["fulai"],
        )
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("interest", ["owner", "shareholder", "founder"])
def test_a_declared_ownership_interest_refuses_the_appointment(cast, interest):
    InterestDeclaration.objects.create(
        talent=cast.talents["tangang"], organisation=cast.orgs["fulai"], kind=interest
    )
    with pytest.raises(ValidationError) as refused:
        services.appointment_propose(
            actor=cast.officer_jiashan,
            appointee=cast.talents["tangang"],
            kind=AppointmentKind.VICE_PRESIDENT,
            host=cast.orgs["fulai"],
        )
    assert message_of(refused.value) == (
        f"谭刚 declared an interest ({interest}) in 浙江福莱新材料股份有限公司: an expert may not "
        "be appointed to an enterprise they own or founded."
    )
    assert not Appointment.objects.exists()
    assert not AuditEvent.objects.filter(action="appointment.propose").exists()


def test_other_interests_do_not_refuse_it(cast):
    InterestDeclaration.objects.create(
        talent=cast.talents["tangang"], organisation=cast.orgs["fulai"], kind="board"
    )
    assert appointment_in_state(cast, "proposed").status == AppointmentStatus.PROPOSED


def test_an_interest_declared_after_the_proposal_refuses_the_accept(cast):
    appointment = appointment_in_state(cast, "proposed")
    InterestDeclaration.objects.create(
        talent=cast.talents["tangang"], organisation=cast.orgs["fulai"], kind="founder"
    )
    with pytest.raises(ValidationError, match="declared an interest"):
        services.appointment_transition(
            actor=cast.talent_user, appointment=appointment, action="accept"
        )
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.PROPOSED


def test_an_enterprise_owned_by_the_experts_institution_is_refused(cast):
    zju = cast.orgs["zju"]
    holding = OrganisationFactory(name="浙江浙大控股集团有限公司", parent=zju)
    spinoff = enterprise("浙大科技成果转化公司", parent=holding)
    with pytest.raises(ValidationError) as refused:
        services.appointment_propose(
            actor=cast.officer_jiashan,
            appointee=cast.talents["tangang"],
            kind=AppointmentKind.VICE_PRESIDENT,
            host=spinoff,
        )
    assert message_of(refused.value) == (
        "浙大科技成果转化公司 is owned by 浙江大学, and 谭刚 works for 浙江大学: an expert may not "
        "be appointed to an enterprise their employer owns."
    )
    # A college of the university employs the expert: the university's company is still theirs.
    college = OrganisationFactory(name="浙江大学化工学院", kind="university", parent=zju)
    member = expert("学院专家", employer=college)
    with pytest.raises(
        ValidationError, match="is owned by 浙江大学, and 学院专家 works for 浙江大学化工学院"
    ):
        services.appointment_propose(
            **SYSTEM, appointee=member, kind=AppointmentKind.VICE_PRESIDENT, host=spinoff
        )
    # Another university's expert is free to serve it.
    other = expert("外校专家", employer=OrganisationFactory(name="复旦大学", kind="university"))
    assert (
        services.appointment_propose(
            **SYSTEM, appointee=other, kind=AppointmentKind.VICE_PRESIDENT, host=spinoff
        ).employer.name
        == "复旦大学"
    )


def test_staff_of_the_host_and_a_second_live_appointment_are_refused(cast):
    staff = expert("福莱工程师", employer=cast.orgs["fulai"])
    with pytest.raises(ValidationError, match="employed by 浙江福莱新材料股份有限公司"):
        services.appointment_propose(
            **SYSTEM, appointee=staff, kind=AppointmentKind.VICE_PRESIDENT, host=cast.orgs["fulai"]
        )
    appointment_in_state(cast, "proposed")
    with pytest.raises(ValidationError, match="already has an appointment at"):
        appointment_in_state(cast, "proposed")
    # Once the first is over, a new one may be proposed.
    first = Appointment.objects.get()
    services.appointment_transition(**SYSTEM, appointment=first, action="decline", reason="忙")
    assert appointment_in_state(cast, "proposed").pk != first.pk


def _hosts(n: int):
    return [enterprise(f"嘉善企业{i}有限公司") for i in range(n)]


def test_at_most_three_appointments_at_the_same_time(cast):
    talent = cast.talents["tangang"]
    for host in _hosts(3):
        appointment_in_state(cast, "active", host=host)
    with pytest.raises(ValidationError) as refused:
        services.appointment_propose(
            actor=cast.officer_jiashan,
            appointee=talent,
            kind=AppointmentKind.VICE_PRESIDENT,
            host=cast.orgs["fulai"],
        )
    assert message_of(refused.value) == (
        "谭刚 already holds 3 appointments; at most 3 at the same time."
    )
    assert Appointment.objects.count() == 3


@override_settings(TALENTFLOW_MAX_CONCURRENT_APPOINTMENTS=1)
def test_the_limit_is_a_setting_and_the_accept_rechecks_it(cast):
    first, second = (appointment_in_state(cast, "proposed", host=h) for h in _hosts(2))
    services.appointment_transition(actor=cast.talent_user, appointment=first, action="accept")
    with pytest.raises(ValidationError) as refused:
        services.appointment_transition(actor=cast.talent_user, appointment=second, action="accept")
    assert message_of(refused.value) == (
        "谭刚 already holds 1 appointments; at most 1 at the same time."
    )
    second.refresh_from_db()
    assert second.status == AppointmentStatus.PROPOSED
    # Ended and declined appointments hold no place.
    services.appointment_transition(**SYSTEM, appointment=first, action="withdraw", reason="改派")
    services.appointment_transition(actor=cast.talent_user, appointment=second, action="accept")


@override_settings(TALENTFLOW_MAX_CONCURRENT_APPOINTMENTS=5)
def test_a_higher_limit_lets_more_through(cast):
    for host in _hosts(4):
        appointment_in_state(cast, "active", host=host)
    assert appointment_in_state(cast, "active").status == AppointmentStatus.ACTIVE
    with pytest.raises(ValidationError, match="already holds 5 appointments; at most 5"):
        appointment_in_state(cast, "proposed", host=enterprise("第六家企业"))


# Every lifecycle transition by every role -----------------------------------------------------

ROLES = {
    "office": {Party.OFFICE},
    "office_other_region": set(),
    "host": {Party.HOST},
    "employer": {Party.EMPLOYER},
    "appointee": {Party.APPOINTEE},
    "unrelated_talent": set(),
    "anonymous": set(),
    "system": set(Party),
}
ACTIONS = ["accept", "decline", "consent", "refuse", "withdraw", "start", "end", "terminate"]


def _actor(role, cast, zju_user, stranger):
    return {
        "office": cast.officer_jiashan,
        "office_other_region": cast.officer_qingtian,
        "host": cast.enterprise_user,
        "employer": zju_user,
        "appointee": cast.talent_user,
        "unrelated_talent": stranger,
        "anonymous": AnonymousUser(),
        "system": None,
    }[role]


def _expected(action: str, state: str, parties: set[Party]) -> str:
    try:
        workflow.check(workflow.APPOINTMENT, workflow.Action(action), state, parties)
    except workflow.TransitionError as error:
        return "forbidden" if error.reason == "party" else "invalid"
    return "ok"


def _attempt(actor, appointment, action: str) -> str:
    try:
        with transaction.atomic():
            if action == "start":
                services.appointment_start(
                    actor=actor,
                    appointment=appointment,
                    term_start=TERM_START,
                    term_end=TERM_END,
                    duties="指导工艺。",
                    days_per_month=4,
                )
            else:
                services.appointment_transition(
                    actor=actor, appointment=appointment, action=action, reason="理由"
                )
            raise _Undo
    except _Undo:
        return "ok"
    except PermissionDenied:
        return "forbidden"
    except ValidationError:
        return "invalid"


class _Undo(Exception):
    """Rolls back a transition that went through, so every action starts from the state."""


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("state", list(PATHS))
def test_every_transition_is_allowed_or_refused_per_role(cast, zju_user, stranger, state, role):
    appointment = appointment_in_state(cast, state)
    actor = _actor(role, cast, zju_user, stranger)
    got = {action: _attempt(actor, appointment, action) for action in ACTIONS}
    want = {action: _expected(action, state, ROLES[role]) for action in ACTIONS}
    assert got == want
    appointment.refresh_from_db()
    assert appointment.status == state  # nothing stuck


def test_a_refusal_names_who_may_act(cast, zju_user):
    appointment = appointment_in_state(cast, "proposed")
    with pytest.raises(PermissionDenied, match="Only 谭刚, the candidate, may accept"):
        services.appointment_transition(
            actor=cast.enterprise_user, appointment=appointment, action="accept"
        )
    appointment = appointment_in_state(cast, "accepted", host=enterprise())
    with pytest.raises(PermissionDenied, match="Only 浙江大学, the appointee's employer"):
        services.appointment_transition(
            actor=cast.officer_jiashan, appointment=appointment, action="consent"
        )
    with pytest.raises(ValidationError, match="not possible while the appointment is"):
        services.appointment_transition(
            actor=cast.talent_user, appointment=appointment, action="accept"
        )


def test_declining_refusing_withdrawing_and_terminating_need_a_reason(cast, zju_user):
    cases = [
        ("proposed", "decline", cast.talent_user),
        ("accepted", "refuse", zju_user),
        ("consented", "withdraw", cast.officer_jiashan),
        ("active", "terminate", cast.talent_user),
    ]
    for state, action, actor in cases:
        appointment = appointment_in_state(cast, state, host=enterprise())
        with pytest.raises(ValidationError, match="Give the reason"):
            services.appointment_transition(
                actor=actor, appointment=appointment, action=action, reason=""
            )
        done = services.appointment_transition(
            actor=actor, appointment=appointment, action=action, reason="另有安排"
        )
        assert done.decision_note == "另有安排"


def test_the_full_path_notifies_each_party(cast, zju_user):
    appointment = appointment_in_state(cast, "proposed")
    services.appointment_transition(
        actor=cast.talent_user, appointment=appointment, action="accept"
    )
    assert Notification.objects.filter(recipient=zju_user, kind="programmes.consent_asked").exists()
    services.appointment_transition(actor=zju_user, appointment=appointment, action="consent")
    assert Notification.objects.filter(
        recipient=cast.talent_user, kind="programmes.consented"
    ).exists()
    services.appointment_start(
        actor=cast.enterprise_user,
        appointment=appointment,
        term_start=TERM_START,
        term_end=TERM_END,
        duties="指导工艺。",
        days_per_month=4,
    )
    started = set(
        Notification.objects.filter(kind="programmes.started").values_list(
            "recipient__username", flat=True
        )
    )
    assert started == {"tangang", "zju_hr", "officer_jiashan"}  # not the actor (福莱)
    actions = list(
        AuditEvent.objects.filter(
            object_type="programmes.appointment", object_id=str(appointment.pk)
        )
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "appointment.propose",
        "appointment.accept",
        "appointment.consent",
        "appointment.start",
    ]


def test_without_an_employer_the_accept_is_the_consent(cast):
    freelancer = expert("独立专家", user="freelancer")
    appointment = services.appointment_propose(
        **SYSTEM, appointee=freelancer, kind=AppointmentKind.VICE_PRESIDENT, host=cast.orgs["fulai"]
    )
    assert appointment.employer is None
    appointment = services.appointment_transition(
        actor=freelancer.user, appointment=appointment, action="accept"
    )
    assert appointment.status == AppointmentStatus.CONSENTED


# Start, renew, end ---------------------------------------------------------------------------


def test_start_numbers_the_letter_and_records_the_serving_tie_on_both_sides(cast):
    request = request_for(cast)
    newcomer = expert("新专家", employer=cast.orgs["zju"])
    appointment = appointment_in_state(cast, "active", appointee=newcomer, request=request)
    assert appointment.letter_number == "330421-KJFZ-2026-0001"
    assert appointment.term_start == TERM_START and appointment.term_end == TERM_END
    affiliation = appointment.affiliation
    assert affiliation.kind == AffiliationKind.SERVING and affiliation.end_date is None
    assert affiliation.organisation == cast.orgs["fulai"] and affiliation.talent == newcomer
    assert affiliation.position == "科技副总" and affiliation.start_date == TERM_START
    assert affiliation in newcomer.affiliations.all()
    assert affiliation in cast.orgs["fulai"].affiliations.all()
    assert list(selectors.serving_for_talent(newcomer)) == [appointment]
    assert list(selectors.serving_at_organisation(cast.orgs["fulai"])) == [appointment]
    request.refresh_from_db()
    assert request.status == RequestStatus.FILLED
    # Numbers run per region, kind and year.
    second = appointment_in_state(cast, "active", host=enterprise())
    assert second.letter_number == "330421-KJFZ-2026-0002"
    professor = appointment_in_state(
        cast,
        "active",
        appointee=expert("企业工程师", employer=cast.orgs["zhongyang"]),
        host=cast.orgs["hdu_jiashan"],
        kind=AppointmentKind.INDUSTRY_PROFESSOR,
        annual_salary=None,
    )
    assert professor.letter_number == "330421-CYJS-2026-0001"
    assert professor.affiliation.position == "产业教授"
    qingtian = appointment_in_state(cast, "active", host=cast.orgs["xiafeng"])
    assert qingtian.letter_number == "331121-KJFZ-2026-0001"


def test_an_open_serving_tie_is_reused(cast):
    before = Affiliation.objects.filter(
        talent=cast.talents["tangang"], organisation=cast.orgs["fulai"], kind="serving"
    ).get()
    appointment = appointment_in_state(cast, "active")
    assert appointment.affiliation_id == before.pk
    assert Affiliation.objects.filter(organisation=cast.orgs["fulai"], kind="serving").count() == 1


def test_start_validates_the_term(cast):
    appointment = appointment_in_state(cast, "consented")
    bad = {
        "term_end": dict(term_start=TERM_START, term_end=TERM_START, duties="x", days_per_month=4),
        "duties": dict(term_start=TERM_START, term_end=TERM_END, duties=" ", days_per_month=4),
        "days_per_month": dict(
            term_start=TERM_START, term_end=TERM_END, duties="x", days_per_month=40
        ),
    }
    for field, data in bad.items():
        with pytest.raises(ValidationError) as refused:
            services.appointment_start(**SYSTEM, appointment=appointment, **data)
        assert field in refused.value.message_dict
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONSENTED and appointment.letter_number is None


@pytest.mark.parametrize("action", ["end", "terminate"])
def test_ending_ends_the_serving_tie(cast, action):
    appointment = appointment_in_state(cast, "active", host=enterprise())
    actor = cast.talent_user if action == "terminate" else cast.officer_jiashan
    appointment = services.appointment_transition(
        actor=actor, appointment=appointment, action=action, reason="项目结束"
    )
    today = timezone.localdate()
    assert appointment.ended_on == min(today, TERM_END)
    affiliation = Affiliation.objects.get(pk=appointment.affiliation_id)
    assert affiliation.end_date == appointment.ended_on
    assert not selectors.serving_for_talent(appointment.appointee).exists()


def test_renewal_continues_with_a_new_letter(cast):
    old = appointment_in_state(
        cast, "active", term_start=dt.date(2024, 1, 1), term_end=dt.date(2025, 12, 31)
    )
    assert old.letter_number == "330421-KJFZ-2024-0001"
    with pytest.raises(PermissionDenied):
        services.appointment_renew(
            actor=cast.talent_user, appointment=old, term_end=dt.date(2027, 12, 31)
        )
    new = services.appointment_renew(
        actor=cast.enterprise_user, appointment=old, term_end=dt.date(2027, 12, 31)
    )
    old.refresh_from_db()
    assert old.status == AppointmentStatus.ENDED and old.ended_on == dt.date(2025, 12, 31)
    assert new.status == AppointmentStatus.ACTIVE and new.renewed_from == old
    assert new.term_start == dt.date(2026, 1, 1) and new.term_end == dt.date(2027, 12, 31)
    assert new.letter_number == "330421-KJFZ-2026-0001"
    assert (new.appointee, new.host, new.employer, new.kind) == (
        old.appointee,
        old.host,
        old.employer,
        old.kind,
    )
    assert new.duties == old.duties and new.annual_salary == old.annual_salary
    assert new.affiliation_id == old.affiliation_id
    assert Affiliation.objects.get(pk=new.affiliation_id).end_date is None
    with pytest.raises(ValidationError, match="Only an appointment in office is renewed"):
        services.appointment_renew(
            actor=cast.enterprise_user, appointment=old, term_end=dt.date(2027, 12, 31)
        )
    assert AuditEvent.objects.filter(action="appointment.renew", object_id=str(new.pk)).exists()


# Work logs and reviews ----------------------------------------------------------------------


def test_work_is_logged_inside_the_term_by_the_appointee_or_the_office(cast):
    appointment = appointment_in_state(cast, "active")
    log = services.worklog_add(
        actor=cast.talent_user,
        appointment=appointment,
        date=dt.date(2026, 3, 2),
        kind="visit",
        days=Decimal("1.5"),
        summary="现场诊断涂布条纹。",
    )
    assert log.recorded_by == cast.talent_user and log.days == Decimal("1.5")
    assert AuditEvent.objects.filter(action="worklog.create", object_id=str(log.pk)).exists()
    assert Notification.objects.filter(
        recipient=cast.enterprise_user, kind="programmes.worklog"
    ).exists()
    for outside in (dt.date(2025, 12, 31), dt.date(2029, 1, 1)):
        with pytest.raises(ValidationError, match="outside the term"):
            services.worklog_add(
                actor=cast.officer_jiashan,
                appointment=appointment,
                date=outside,
                kind="visit",
                days=1,
                summary="x",
            )
    with pytest.raises(PermissionDenied, match="Only 谭刚 or the talent office"):
        services.worklog_add(
            actor=cast.enterprise_user,
            appointment=appointment,
            date=dt.date(2026, 3, 2),
            kind="visit",
            days=1,
            summary="x",
        )
    assert WorkLog.objects.count() == 1


def test_no_work_log_before_the_start_nor_after_the_end(cast):
    consented = appointment_in_state(cast, "consented")
    with pytest.raises(ValidationError, match="once the appointment has started"):
        services.worklog_add(
            **SYSTEM, appointment=consented, date=TERM_START, kind="visit", days=1, summary="x"
        )
    ended = appointment_in_state(
        cast,
        "ended",
        host=enterprise(),
        term_start=dt.date(2024, 1, 1),
        term_end=dt.date(2025, 6, 30),
    )
    services.worklog_add(
        **SYSTEM, appointment=ended, date=dt.date(2025, 6, 30), kind="other", days=1, summary="x"
    )
    with pytest.raises(ValidationError, match="outside the term"):
        services.worklog_add(
            **SYSTEM, appointment=ended, date=dt.date(2025, 7, 1), kind="other", days=1, summary="x"
        )


def test_the_host_reviews_periods_inside_the_term(cast):
    appointment = appointment_in_state(cast, "active")
    review = services.review_add(
        actor=cast.enterprise_user,
        appointment=appointment,
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 6, 30),
        rating="excellent",
        comments="解决了关键缺陷。",
    )
    assert review.reviewed_by == cast.enterprise_user
    assert Notification.objects.filter(
        recipient=cast.talent_user, kind="programmes.reviewed"
    ).exists()
    for who in (cast.talent_user, cast.officer_jiashan):
        with pytest.raises(PermissionDenied, match="Only 浙江福莱新材料股份有限公司 reviews"):
            services.review_add(
                actor=who,
                appointment=appointment,
                period_start=dt.date(2026, 7, 1),
                period_end=dt.date(2026, 12, 31),
                rating="good",
            )
    with pytest.raises(ValidationError, match="outside the term"):
        services.review_add(
            actor=cast.enterprise_user,
            appointment=appointment,
            period_start=dt.date(2028, 7, 1),
            period_end=dt.date(2029, 6, 30),
            rating="good",
        )
    with pytest.raises(ValidationError, match="already reviewed"):
        services.review_add(
            actor=cast.enterprise_user,
            appointment=appointment,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 3, 31),
            rating="good",
        )
    assert PeriodReview.objects.count() == 1


# The 科技副总 subsidy -------------------------------------------------------------------------


@pytest.fixture
def policies(cast, settings, tmp_path):
    from talentflow.rules.tests.builders import seed

    settings.MEDIA_ROOT = tmp_path
    return seed()


@pytest.mark.parametrize("who", ["enterprise_user", "officer_jiashan"])
def test_the_subsidy_application_is_computed_by_the_rules(cast, policies, who):
    from talentflow.rules import services as rules_services

    appointment = appointment_in_state(cast, "active", annual_salary=Decimal("500000"))
    application = services.subsidy_apply(actor=getattr(cast, who), appointment=appointment)
    appointment.refresh_from_db()
    assert appointment.subsidy_application == application
    assert application.policy == policies["vice_president_subsidy"]
    assert application.applicant_organisation == cast.orgs["fulai"]
    assert application.talent == cast.talents["tangang"]
    assert application.facts["appointed"] is True
    submitted = rules_services.application_submit(**SYSTEM, application=application)
    assert submitted.amount == Decimal("200000.00")  # 500,000 × 40 %, at most 200,000
    with pytest.raises(ValidationError, match="already applied for"):
        services.subsidy_apply(actor=getattr(cast, who), appointment=appointment)


def test_the_subsidy_needs_an_enterprise_appointment_in_office_with_a_salary(cast, policies):
    no_salary = appointment_in_state(cast, "active", annual_salary=None)
    with pytest.raises(ValidationError, match="Record the annual salary"):
        services.subsidy_apply(actor=cast.enterprise_user, appointment=no_salary)
    professor = appointment_in_state(
        cast,
        "active",
        appointee=expert("企业工程师", employer=cast.orgs["zhongyang"]),
        host=cast.orgs["hdu_jiashan"],
        kind=AppointmentKind.INDUSTRY_PROFESSOR,
    )
    with pytest.raises(ValidationError, match="hosted by an enterprise"):
        services.subsidy_apply(actor=cast.institution_user, appointment=professor)
    consented = appointment_in_state(cast, "consented", host=enterprise())
    with pytest.raises(ValidationError, match="while the appointment is in office"):
        services.subsidy_apply(**SYSTEM, appointment=consented)
    with pytest.raises(PermissionDenied):
        services.subsidy_apply(actor=cast.talent_user, appointment=no_salary)


# Joint laboratories --------------------------------------------------------------------------


def test_the_office_records_joint_laboratories(cast):
    appointment = appointment_in_state(cast, "active")
    lab = services.joint_lab_create(
        actor=cast.officer_jiashan,
        name="福莱—浙大功能膜联合实验室",
        enterprise=cast.orgs["fulai"],
        institution=cast.orgs["zju"],
        established_on=dt.date(2026, 5, 1),
        appointment=appointment,
    )
    assert lab.region_id == "330421" and lab.recorded_by == cast.officer_jiashan
    assert AuditEvent.objects.filter(action="joint_lab.create").count() == 1
    with pytest.raises(PermissionDenied, match="Only the talent office of 嘉善县"):
        services.joint_lab_create(
            actor=cast.enterprise_user,
            name="x",
            enterprise=cast.orgs["fulai"],
            institution=cast.orgs["zju"],
            established_on=dt.date(2026, 5, 1),
        )
    with pytest.raises(ValidationError, match="is not a university or an institute"):
        services.joint_lab_create(
            actor=cast.officer_jiashan,
            name="x",
            enterprise=cast.orgs["fulai"],
            institution=cast.orgs["zhongyang"],
            established_on=dt.date(2026, 5, 1),
        )
    assert JointLab.objects.count() == 1


# Visibility and actions ----------------------------------------------------------------------


def test_appointments_are_seen_by_their_parties_and_office_only(cast, zju_user, stranger):
    appointment = appointment_in_state(cast, "active")
    seen = {
        "officer_jiashan": True,
        "admin": True,
        "enterprise_user": True,
        "talent_user": True,
        "officer_qingtian": False,
        "officer_qingpu": False,
        "enterprise_qingtian": False,
        "institution_user": False,
        "student_user": False,
    }
    for name, visible in seen.items():
        assert (
            selectors.appointments_for(getattr(cast, name)).filter(pk=appointment.pk).exists()
            is visible
        ), name
    assert selectors.appointments_for(zju_user).filter(pk=appointment.pk).exists()
    assert not selectors.appointments_for(stranger).exists()
    assert not selectors.appointments_for(AnonymousUser()).exists()
    request = request_for(cast)
    assert list(selectors.requests_for(cast.enterprise_user)) == [request]
    assert list(selectors.requests_for(cast.officer_jiashan)) == [request]
    assert not selectors.requests_for(cast.officer_qingtian).exists()
    assert not selectors.requests_for(cast.talent_user).exists()


def test_actions_offered_before_the_start(cast, zju_user):
    proposed = appointment_in_state(cast, "proposed")
    assert selectors.appointment_actions(cast.talent_user, proposed) == ["accept", "decline"]
    assert selectors.appointment_actions(cast.enterprise_user, proposed) == ["withdraw"]
    assert selectors.appointment_actions(zju_user, proposed) == []
    accepted = services.appointment_transition(
        actor=cast.talent_user, appointment=proposed, action="accept"
    )
    assert selectors.appointment_actions(zju_user, accepted) == ["consent", "refuse"]


def test_actions_offered_in_office(cast, zju_user):
    active = appointment_in_state(cast, "active")
    assert selectors.appointment_actions(zju_user, active) == ["letter"]
    assert selectors.appointment_actions(cast.talent_user, active) == [
        "terminate",
        "worklog",
        "letter",
    ]
    assert set(selectors.appointment_actions(cast.enterprise_user, active)) == {
        "end",
        "terminate",
        "renew",
        "review",
        "subsidy",
        "letter",
    }
    assert selectors.appointment_actions(cast.officer_qingtian, active) == []


# Candidates ----------------------------------------------------------------------------------


@pytest.fixture
def fresh_engine():
    index.default_index().reset()
    yield
    index.default_index().reset()


def test_candidates_are_ranked_experts_not_yet_proposed(cast, fresh_engine):
    coating = "薄膜涂布；涂布工艺；浆料流变；功能膜材料"
    experts = [make_talent(f"涂布专家{i}", coating) for i in range(3)]
    unrelated = make_talent("水产养殖专家", "水产养殖；鱼病防治")
    request = request_for(
        cast, title="薄膜涂布工艺专家", description="涂布工艺与浆料流变问题，功能膜材料。"
    )
    found = selectors.candidates_for_request(user=cast.officer_jiashan, request=request)
    ids = [m.talent.pk for m in found]
    assert set(e.pk for e in experts) <= set(ids)
    assert unrelated.pk not in ids[: len(experts)]
    assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
    services.appointment_propose(**SYSTEM, appointee=experts[0], request=request)
    again = [
        m.talent.pk
        for m in selectors.candidates_for_request(user=cast.officer_jiashan, request=request)
    ]
    assert experts[0].pk not in again and experts[1].pk in again
    for who in ("enterprise_user", "officer_qingtian", "talent_user"):
        with pytest.raises(PermissionDenied, match="Only the talent office of 嘉善县"):
            selectors.candidates_for_request(user=getattr(cast, who), request=request)


# Figures -------------------------------------------------------------------------------------


def test_region_stats_count_exactly(cast):
    from talentflow.needs.tests.builders import need_in_state

    hosts = _hosts(3)
    # 嘉善: 谭刚 at 福莱 (in office), renewed once (one chain); an expert at 中扬 (ended); an
    # industry professor at 杭电嘉善研究院 (in office); a proposal (not started); a partner.
    tangang = appointment_in_state(
        cast, "active", term_start=dt.date(2024, 1, 1), term_end=dt.date(2025, 12, 31)
    )
    tangang = services.appointment_renew(
        **SYSTEM, appointment=tangang, term_end=dt.date(2027, 12, 31)
    )
    appointment_in_state(
        cast,
        "ended",
        appointee=expert("中扬专家", employer=cast.orgs["zju"]),
        host=cast.orgs["zhongyang"],
    )
    appointment_in_state(
        cast,
        "active",
        appointee=expert("企业工程师", employer=cast.orgs["zhongyang"]),
        host=cast.orgs["hdu_jiashan"],
        kind=AppointmentKind.INDUSTRY_PROFESSOR,
    )
    appointment_in_state(cast, "proposed", appointee=expert("候选人"), host=hosts[0])
    appointment_in_state(
        cast, "terminated", appointee=expert("合伙人"), host=hosts[1], kind="partner"
    )
    # 青田: one 科技副总 in office.
    appointment_in_state(cast, "active", appointee=expert("青田专家"), host=cast.orgs["xiafeng"])
    # Collaborations: 福莱's need engaged with 谭刚 leading (signed today, inside the renewed
    # term), also linked by a work log — one collaboration.
    need = need_in_state(cast, "engaged")
    services.worklog_add(
        **SYSTEM,
        appointment=tangang,
        date=timezone.localdate(),
        kind="problem",
        days=1,
        summary="涂布缺陷攻关",
        engagement=need.engagement,
    )
    services.joint_lab_create(
        **SYSTEM,
        name="联合实验室",
        enterprise=cast.orgs["fulai"],
        institution=cast.orgs["zju"],
        established_on=dt.date(2026, 5, 1),
    )
    jiashan = {
        "code": "330421",
        "vice_presidents": 2,
        "industry_professors": 1,
        "partners": 1,
        "mutual_hiring": 0,
        "active": 2,
        "collaborations": 1,
        "joint_labs": 1,
    }
    qingtian = {
        "code": "331121",
        "vice_presidents": 1,
        "industry_professors": 0,
        "partners": 0,
        "mutual_hiring": 0,
        "active": 1,
        "collaborations": 0,
        "joint_labs": 0,
    }

    def rows(user, prefix=None):
        return [
            {k: v for k, v in row.items() if k not in {"region", "name"}}
            for row in selectors.region_stats(user, prefix)
        ]

    assert rows(cast.admin) == [jiashan, qingtian]
    assert rows(cast.admin, "3311") == [qingtian]
    assert rows(cast.officer_jiashan) == [jiashan]
    assert rows(cast.officer_lishui) == [qingtian]
    assert selectors.region_stats(cast.officer_jiashan)[0]["name"] == "嘉善县"
    assert rows(cast.student_user) == []
