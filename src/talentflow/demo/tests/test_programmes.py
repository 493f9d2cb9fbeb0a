"""The demo's appointments and joint training: the article's figures, computed by the
programmes' own selectors from the records the demo step writes through the services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from talentflow.accounts.models import User
from talentflow.core.models import AuditEvent
from talentflow.demo.tests.conftest import SMALL
from talentflow.directory.models import TalentProfile
from talentflow.programmes import selectors_appointments, selectors_training
from talentflow.programmes.models import (
    Agreement,
    Appointment,
    AppointmentStatus,
    Cohort,
    PracticeBase,
    Trainee,
    WorkLog,
)
from talentflow.rules.models import Application, Policy
from talentflow.rules.selectors import budget_figures

JIASHAN, QINGTIAN, HUANGYAN = "330421", "331121", "331003"


@pytest.fixture
def admin(demo):
    return User.objects.get(username="admin")


def _appointment_row(user, code):
    rows = [r for r in selectors_appointments.region_stats(user, code) if r["code"] == code]
    assert len(rows) == 1
    return rows[0]


def _training_row(user, code):
    rows = [r for r in selectors_training.region_stats(user, code) if r["region_code"] == code]
    assert len(rows) == 1
    return rows[0]


def _person(name):
    return TalentProfile.objects.get(name=name)


def test_demo_is_loaded_at_the_small_scale(demo):
    assert demo.loaded
    assert SMALL < 1


def test_jiashan_appointment_figures(admin):
    row = _appointment_row(admin, JIASHAN)
    assert row["vice_presidents"] == 34  # S09
    assert row["industry_professors"] == 18  # S10
    assert row["collaborations"] == 32  # S11
    assert row["joint_labs"] == 10  # S12


def test_the_named_jiashan_appointees(admin):
    tangang = Appointment.objects.get(appointee=_person("谭刚"))
    assert tangang.kind == "vice_president"
    assert tangang.host.name == "浙江福莱新材料股份有限公司"
    assert tangang.status == AppointmentStatus.ACTIVE
    assert tangang.annual_salary == Decimal("500000")
    assert tangang.letter_number.startswith("330421-")
    # His work log links the BOPP coating engagement of 福莱.
    assert WorkLog.objects.filter(
        appointment=tangang, engagement__need__title__contains="BOPP"
    ).exists()
    assert tangang.reviews.exists()
    # 刘兵: the article names no enterprise for him, and the demo invents none.
    assert not Appointment.objects.filter(appointee=_person("刘兵")).exists()
    recommended = Appointment.objects.get(
        request__target_organisations__name="杭州电子科技大学嘉善研究院"
    )
    assert recommended.status == AppointmentStatus.ACTIVE
    assert recommended.region_id == JIASHAN
    yang = Appointment.objects.get(appointee=_person("杨晓明"))
    assert yang.kind == "industry_professor"
    assert yang.host.region_id == JIASHAN
    assert yang.employer.name == "浙江福莱新材料股份有限公司"


def test_subsidies_are_linked_not_refiled(admin):
    policy = Policy.objects.get(region_id=JIASHAN, code="vice_president_subsidy")
    applications = Application.objects.filter(policy=policy)
    # Every application the rules step filed belongs to the appointment of that person at
    # that enterprise, with the salary the application states; none was filed for anyone else.
    for application in applications:
        appointment = application.appointment
        assert appointment.appointee_id == application.talent_id
        assert appointment.host_id == application.applicant_organisation_id
        assert appointment.annual_salary == Decimal(application.facts["annual_salary"])
    linked = Appointment.objects.filter(subsidy_application__isnull=False).count()
    assert linked == applications.count()
    # No application or payout was written after the first programme record.
    first = AuditEvent.objects.filter(action="appointment.propose").order_by("id").first()
    assert first is not None
    assert not AuditEvent.objects.filter(
        id__gt=first.id, object_type__in=["rules.application", "rules.payout"]
    ).exists()
    for base in PracticeBase.objects.filter(subsidy_application__isnull=False):
        assert base.subsidy_application.applicant_organisation_id == base.enterprise_id


def test_budget_figures_are_those_of_the_rules_step(admin):
    # What the rules step makes at this scale (谭刚's 200,000 yuan paid); linking the
    # appointments to the applications changes none of it.
    policy = Policy.objects.get(region_id=JIASHAN, code="vice_president_subsidy")
    before = BUDGET_AT_SMALL_SCALE
    figures = budget_figures(policy, 2026)
    assert (figures.committed, figures.paid, figures.left) == before


def test_jiashan_joint_training_figures(admin):
    row = _training_row(admin, JIASHAN)
    assert row["academic_mentors"] == 16  # S01
    assert row["students"] == 32  # S02
    assert row["enterprises"] == 16  # S03
    assert row["practice_bases"] >= 2
    assert row["stayed"] >= 2
    assert row["retention_rate"] is not None


def test_tang_ning_and_wantai(admin):
    tangning = Agreement.objects.get(academic_mentor=_person("唐宁"))
    assert tangning.enterprise.name == "浙江中扬立库技术有限公司"
    assert tangning.status == "signed"
    assert sorted(t.student.name for t in tangning.trainees.all()) == sorted(
        ["陈思远", "许嘉怡", "周子涵"]
    )
    assert tangning.practice_base.status == "approved"
    assert tangning.practice_base.subsidy_application.status == "paid"
    wantai = Agreement.objects.get(enterprise__name="浙江万泰钢有限公司")
    trainees = list(wantai.trainees.all())
    assert len(trainees) == 2
    assert all(t.status == "graduated" and t.stayed for t in trainees)
    assert all(t.destination_region_id == JIASHAN for t in trainees)
    assert wantai.status == "completed"
    assert wantai.practice_base.subsidy_application.status == "paid"
    assert Trainee.objects.filter(stayed=False).exists()  # the rate is not trivially 100 %


def test_a_cohort_allocated_by_the_platform(admin):
    cohort = Cohort.objects.get(region_id=JIASHAN)
    assert cohort.status == "confirmed"
    assert cohort.runs.count() == 2
    assert cohort.students.filter(pinned=True).count() == 1
    assert cohort.students.filter(placed_topic__isnull=True).count() == 0
    assert Agreement.objects.filter(cohort_topic__cohort=cohort, status="signed").count() == 3


def test_qingtian(admin):
    row = _appointment_row(admin, QINGTIAN)
    assert row["partners"] == 1
    assert row["vice_presidents"] == 1  # S24
    assert row["industry_professors"] == 3  # S25
    bai = Appointment.objects.get(appointee=_person("白景元"))
    assert bai.kind == "partner"
    assert bai.host.name == "浙江侠峰精密压铸有限公司"
    assert bai.employer.name == "丽水职业技术学院"
    assert bai.term_start == dt.date(2025, 7, 1)
    assert bai.logs.filter(engagement__need__enterprise=bai.host).count() >= 2
    provincial = Appointment.objects.get(region_id=QINGTIAN, kind="vice_president")
    assert provincial.level == "provincial"


def test_huangyan_and_every_state(admin):
    row = _appointment_row(admin, HUANGYAN)
    assert row["mutual_hiring"] == 1
    li = Appointment.objects.get(appointee=_person("李克杰"))
    assert li.kind == "mutual_hiring"
    assert li.host.name == "浙江赛豪实业有限公司"
    assert li.employer.name == "台州职业技术学院"
    assert li.logs.filter(engagement__need__enterprise=li.host).exists()
    states = set(Appointment.objects.values_list("status", flat=True))
    assert {"proposed", "declined", "active", "ended", "terminated"} <= states
    assert Appointment.objects.filter(renewed_from__isnull=False).exists()
    assert Appointment.objects.get(status="declined").decision_note
    assert Appointment.objects.get(status="terminated").decision_note


BUDGET_AT_SMALL_SCALE = (Decimal("0.00"), Decimal("200000.00"), Decimal("2800000.00"))
