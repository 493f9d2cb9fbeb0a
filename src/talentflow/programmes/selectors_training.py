"""Reads of joint training (六方联动). Who sees what is decided here, once:

- the talent office sees the practice bases, cohorts and agreements of the regions it governs;
  platform administrators see everything;
- an enterprise sees its own practice-base applications, the cohorts offering topics from its
  needs and the agreements it is party to;
- an institution sees the cohorts it runs, the practice bases naming it as a partner and its
  agreements;
- mentors and students see the cohorts they take part in and the agreements they are party to.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from talentflow.accounts.models import Role
from talentflow.accounts.permissions import scope_for
from talentflow.programmes import permissions, workflow
from talentflow.programmes.models import (
    Agreement,
    AgreementStatus,
    Cohort,
    PracticeBase,
    PracticeBaseStatus,
    Trainee,
    TraineeStatus,
)
from talentflow.reference.models import Region

# Agreements that count as joint training in the figures: signed or completed.
COUNTED_AGREEMENTS = (AgreementStatus.SIGNED, AgreementStatus.COMPLETED)
RATE = Decimal("0.0001")


def _org_ids(user, role: str) -> list[int]:
    return [o for o, r in scope_for(user).organisation_roles.items() if r == role]


def practice_bases_for(user) -> QuerySet[PracticeBase]:
    scope = scope_for(user)
    qs = PracticeBase.objects.select_related("enterprise", "region", "subsidy_application")
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(pk__in=[])
    if scope.is_officer:
        q |= scope.region_q("region")
    enterprises = _org_ids(user, Role.ENTERPRISE)
    if enterprises:
        q |= Q(enterprise_id__in=enterprises)
    institutions = _org_ids(user, Role.INSTITUTION)
    if institutions:
        q |= Q(
            pk__in=PracticeBase.institutions.through.objects.filter(
                organisation_id__in=institutions
            ).values("practicebase_id")
        )
    return qs.filter(q)


def cohorts_for(user) -> QuerySet[Cohort]:
    scope = scope_for(user)
    qs = Cohort.objects.select_related("region", "institution")
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(pk__in=[])
    if scope.is_officer:
        q |= scope.region_q("region")
    institutions = _org_ids(user, Role.INSTITUTION)
    if institutions:
        q |= Q(institution_id__in=institutions)
    enterprises = _org_ids(user, Role.ENTERPRISE)
    ids = Q(pk__in=[])
    if enterprises:
        ids |= Q(topics__need__enterprise_id__in=enterprises)
    if scope.talent_id is not None:
        ids |= Q(mentors__mentor_id=scope.talent_id) | Q(students__student_id=scope.talent_id)
    q |= Q(pk__in=Cohort.objects.filter(ids).values("pk"))
    return qs.filter(q)


def agreements_for(user) -> QuerySet[Agreement]:
    scope = scope_for(user)
    qs = Agreement.objects.select_related(
        "region", "institution", "enterprise", "academic_mentor", "enterprise_mentor", "need"
    )
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(pk__in=[])
    if scope.is_officer:
        q |= scope.region_q("region")
    orgs = permissions.organisation_ids(user)
    if orgs:
        q |= Q(institution_id__in=orgs) | Q(enterprise_id__in=orgs)
    if scope.talent_id is not None:
        t = scope.talent_id
        q |= (
            Q(academic_mentor_id=t)
            | Q(enterprise_mentor_id=t)
            | Q(pk__in=Trainee.objects.filter(student_id=t).values("agreement_id"))
        )
    return qs.filter(q)


def practice_base_actions(user, base: PracticeBase) -> list[str]:
    return [
        a.value
        for a in workflow.allowed(
            workflow.PRACTICE_BASE, base.status, permissions.practice_base_parties(user, base)
        )
    ]


def agreement_actions(user, agreement: Agreement) -> list[str]:
    return [
        a.value
        for a in workflow.allowed(
            workflow.AGREEMENT, agreement.status, permissions.agreement_parties(user, agreement)
        )
    ]


def region_stats(user, region_prefix: str | None = None) -> list[dict[str, Any]]:
    """Per region (the agreement's, the practice base's): mentors, students and enterprises in
    joint training (agreements signed or completed; distinct people and enterprises), approved
    practice bases, graduates, graduates with a known destination, those who stayed in the
    region, and the retention rate = stayed / graduates with a known destination (a Decimal to
    four places, None when no destination is known)."""
    agreements = agreements_for(user).filter(status__in=COUNTED_AGREEMENTS)
    bases = practice_bases_for(user).filter(status=PracticeBaseStatus.APPROVED)
    if region_prefix:
        agreements = agreements.filter(region__code__startswith=region_prefix)
        bases = bases.filter(region__code__startswith=region_prefix)
    rows: dict[str, dict[str, Any]] = {}

    def row(code: str) -> dict[str, Any]:
        if code not in rows:
            rows[code] = {
                "academic": set(),
                "enterprise_mentors": set(),
                "students": set(),
                "enterprises": set(),
                "practice_bases": 0,
                "graduates": 0,
                "known_destinations": 0,
                "stayed": 0,
            }
        return rows[code]

    for region_id, academic, enterprise_mentor, enterprise in agreements.values_list(
        "region_id", "academic_mentor_id", "enterprise_mentor_id", "enterprise_id"
    ):
        r = row(region_id)
        r["academic"].add(academic)
        if enterprise_mentor is not None:
            r["enterprise_mentors"].add(enterprise_mentor)
        r["enterprises"].add(enterprise)
    trainees = Trainee.objects.filter(agreement__in=agreements.values("pk")).values_list(
        "agreement__region_id", "student_id", "status", "stayed"
    )
    for region_id, student, status, stayed in trainees:
        r = row(region_id)
        r["students"].add(student)
        if status == TraineeStatus.GRADUATED:
            r["graduates"] += 1
            if stayed is not None:
                r["known_destinations"] += 1
                r["stayed"] += int(stayed)
    for (region_id,) in bases.values_list("region_id"):
        row(region_id)["practice_bases"] += 1
    names = dict(Region.objects.filter(code__in=list(rows)).values_list("code", "name"))
    out = []
    for code in sorted(rows):
        r = rows[code]
        known = r["known_destinations"]
        out.append(
            {
                "region_code": code,
                "region_name": names.get(code, code),
                "academic_mentors": len(r["academic"]),
                "enterprise_mentors": len(r["enterprise_mentors"]),
                "students": len(r["students"]),
                "enterprises": len(r["enterprises"]),
                "practice_bases": r["practice_bases"],
                "graduates": r["graduates"],
                "known_destinations": known,
                "stayed": r["stayed"],
                "retention_rate": (
                    (Decimal(r["stayed"]) / Decimal(known)).quantize(RATE) if known else None
                ),
            }
        )
    return out
