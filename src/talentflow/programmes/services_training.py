"""Writes of joint training (六方联动; DOMAIN.md M1): practice bases, allocation cohorts,
six-party agreements, milestones and trainees. Each function is one atomic state change: it
checks who acts, validates, writes, records one audit event per change and notifies the parties
(e-mails after commit).

``actor=None`` is a system task (the demo) named by ``system_label``; only a system task may
backdate what happened with ``at``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentflow.accounts.models import Membership, Role
from talentflow.accounts.permissions import scope_for
from talentflow.core.audit import audit_record, snapshot
from talentflow.core.notifications import notify, register
from talentflow.core.services import event_time as _when
from talentflow.core.services import local_day as _day
from talentflow.core.services import region_officers as _officers
from talentflow.core.services import require
from talentflow.directory.models import (
    INSTITUTION_KINDS,
    Organisation,
    OrganisationKind,
    TalentProfile,
)
from talentflow.needs.models import Need, NeedState, Outcome
from talentflow.programmes import allocation, permissions, workflow
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
    Trainee,
    TraineeStatus,
)
from talentflow.reference.models import Region

AUDIT_ACTIONS: dict[str, Any] = {
    "practice_base.apply": gettext_lazy("Practice base applied for"),
    "practice_base.approve": gettext_lazy("Practice base approved"),
    "practice_base.reject": gettext_lazy("Practice base rejected"),
    "practice_base.withdraw": gettext_lazy("Practice base application withdrawn"),
    "practice_base.subsidy_apply": gettext_lazy("育才补贴 applied for by a practice base"),
    "cohort.create": gettext_lazy("Joint-training cohort created"),
    "cohort.mentor_set": gettext_lazy("Cohort mentor set"),
    "cohort.topic_add": gettext_lazy("Cohort topic added"),
    "cohort.student_set": gettext_lazy("Cohort student's preferences set"),
    "cohort.import": gettext_lazy("Cohort preferences imported"),
    "cohort.run": gettext_lazy("Allocation computed"),
    "cohort.pin": gettext_lazy("Student pinned to a topic"),
    "cohort.unpin": gettext_lazy("Student's placement released"),
    "cohort.confirm": gettext_lazy("Allocation confirmed"),
    "agreement.create": gettext_lazy("Joint-training agreement drafted"),
    "agreement.mentor_set": gettext_lazy("Enterprise mentor named on an agreement"),
    "agreement.sign": gettext_lazy("Joint-training agreement signed"),
    "agreement.complete": gettext_lazy("Joint-training agreement completed"),
    "agreement.cancel": gettext_lazy("Joint-training agreement cancelled"),
    "agreement.terminate": gettext_lazy("Joint-training agreement terminated"),
    "milestone.create": gettext_lazy("Milestone added"),
    "milestone.done": gettext_lazy("Milestone reached"),
    "trainee.graduate": gettext_lazy("Trainee graduated"),
    "trainee.destination": gettext_lazy("Graduate's destination recorded"),
    "trainee.withdraw": gettext_lazy("Trainee left the programme"),
}

for _kind, _message in {
    "training.practice_base_applied": gettext_lazy(
        "%(enterprise)s applied to be a graduate practice base (研究生实践基地)."
    ),
    "training.practice_base_decided": gettext_lazy(
        "The application of %(enterprise)s to be a graduate practice base was %(outcome)s. "
        "%(reason)s"
    ),
    "training.practice_base_withdrawn": gettext_lazy(
        "%(enterprise)s withdrew its application to be a graduate practice base: %(reason)s"
    ),
    "training.cohort_created": gettext_lazy(
        "The talent office of %(region)s opened the joint-training cohort “%(cohort)s” with "
        "%(institution)s."
    ),
    "training.allocation_run": gettext_lazy(
        "The allocation of “%(cohort)s” was computed: %(placed)s of %(students)s students placed."
    ),
    "training.pinned": gettext_lazy(
        "The talent office placed you on the topic “%(topic)s” of “%(cohort)s”."
    ),
    "training.allocation_confirmed": gettext_lazy(
        "The allocation of “%(cohort)s” is confirmed: %(agreements)s agreements drafted."
    ),
    "training.agreement_created": gettext_lazy(
        "A joint-training agreement on “%(topic)s” at %(enterprise)s was drafted with you as a "
        "party."
    ),
    "training.agreement_changed": gettext_lazy(
        "The joint-training agreement on “%(topic)s” at %(enterprise)s is now %(status)s. "
        "%(reason)s"
    ),
    "training.milestone_done": gettext_lazy(
        "The milestone “%(milestone)s” of the agreement on “%(topic)s” was reached on %(date)s."
    ),
    "training.graduated": gettext_lazy(
        "%(student)s graduated from the joint training on “%(topic)s” with a practical result."
    ),
    "training.withdrawn": gettext_lazy(
        "%(student)s left the joint training on “%(topic)s”: %(reason)s"
    ),
}.items():
    register(_kind, _message)

# 育才补贴: the rules app's seed policy (rules/seeds.py) — 30,000 yuan once per enterprise.
PRACTICE_BASE_POLICY = "practice_base_subsidy"
# Needs that are no real topic: not yet posed to the office, or given up.
UNUSABLE_NEED_STATES = (NeedState.DRAFT, NeedState.WITHDRAWN, NeedState.CANCELLED)


# Helpers ---------------------------------------------------------------------------------


def _org_users(organisation_id: int | None, role: str):
    if organisation_id is None:
        return []
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation_id, role=role, is_active=True
        ).select_related("user")
    ]


def _talent_users(talents: Iterable[TalentProfile | None]):
    return [t.user for t in talents if t is not None and t.user_id]


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Give the reason.")})
    return reason


def _is_enterprise_user(actor, organisation_id: int) -> bool:
    return scope_for(actor).organisation_roles.get(organisation_id) == Role.ENTERPRISE


def _require_office(actor, region_code: str) -> None:
    if actor is not None and not permissions.governs(actor, region_code):
        raise PermissionDenied(_("Only the talent office of this region may do this."))


def _action(action: str) -> workflow.Action:
    try:
        return workflow.Action(action)
    except ValueError as error:
        raise ValidationError({"action": _("Unknown action.")}) from error


def _check(table, action: workflow.Action, state: str, parties: set, label: str, whose: str) -> str:
    """The next state, or PermissionDenied (not the actor's) / ValidationError (not now)."""
    try:
        return workflow.check(table, action, state, parties)
    except workflow.TransitionError as error:
        if error.reason == "party":
            raise PermissionDenied(whose) from error
        raise ValidationError(
            _("This is not possible while it is “%(status)s”.") % {"status": label}
        ) from error


def _positive(value: Any, field: str, *, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ValidationError(
            {field: _("Enter a whole number of at least %(n)s.") % {"n": minimum}}
        )
    return value


def _ids(values: Any, field: str) -> list[int]:
    """A list of record ids, best first, without repeats."""
    if values is None or isinstance(values, str | bytes):
        raise ValidationError({field: _("Give a list of ids, best first.")})
    out: list[int] = []
    for value in values:
        if isinstance(value, bool):
            raise ValidationError({field: _("Give a list of ids, best first.")})
        try:
            number = int(getattr(value, "pk", value))
        except (TypeError, ValueError) as error:
            raise ValidationError({field: _("Give a list of ids, best first.")}) from error
        if number in out:
            raise ValidationError({field: _("Each entry may be listed only once.")})
        out.append(number)
    return out


# Practice bases (研究生实践基地) ---------------------------------------------------------------


@transaction.atomic
def practice_base_apply(
    *,
    actor,
    enterprise: Organisation,
    description: str,
    capacity: int,
    institutions: Iterable[Organisation] = (),
    applied_on: dt.date | None = None,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> PracticeBase:
    """An enterprise (or the office for it) applies to be a graduate practice base."""
    when = _when(actor, at)
    if actor is not None:
        require(
            _is_enterprise_user(actor, enterprise.pk)
            or permissions.governs(actor, enterprise.region_id),
            _("Only the enterprise itself or its talent office may apply for it."),
        )
    if enterprise.kind != OrganisationKind.ENTERPRISE:
        raise ValidationError({"enterprise": _("Only an enterprise can be a practice base.")})
    institutions = list(institutions)
    if any(i.kind not in INSTITUTION_KINDS for i in institutions):
        raise ValidationError(
            {"institutions": _("Partner institutions are universities or institutes.")}
        )
    if PracticeBase.objects.filter(
        enterprise=enterprise,
        status__in=[PracticeBaseStatus.SUBMITTED, PracticeBaseStatus.APPROVED],
    ).exists():
        raise ValidationError(
            _("%(enterprise)s already has a practice-base application or designation.")
            % {"enterprise": enterprise.name}
        )
    base = PracticeBase(
        enterprise=enterprise,
        region_id=enterprise.region_id,
        description=(description or "").strip(),
        capacity=_positive(capacity, "capacity"),
        applied_on=applied_on or _day(when),
        created_by=actor,
    )
    base.full_clean()
    base.save()
    base.institutions.set(institutions)
    audit_record(
        actor=actor,
        action="practice_base.apply",
        obj=base,
        after=snapshot(base, m2m={"institutions": institutions}),
        region=base.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_officers(base.region_id),
        kind="training.practice_base_applied",
        params={"enterprise": enterprise.name},
        url=base.get_absolute_url(),
        exclude=actor,
    )
    return base


@transaction.atomic
def practice_base_transition(
    *,
    actor,
    base: PracticeBase,
    action: str,
    reason: str = "",
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> PracticeBase:
    """approve / reject (the office of the base's region), withdraw (the enterprise)."""
    when = _when(actor, at)
    action = _action(action)
    base = (
        PracticeBase.objects.select_for_update(of=("self",))
        .select_related("enterprise")
        .get(pk=base.pk)
    )
    target = _check(
        workflow.PRACTICE_BASE,
        action,
        base.status,
        permissions.practice_base_parties(actor, base),
        str(PracticeBaseStatus(base.status).label),
        _("Only the talent office decides, and only the enterprise withdraws."),
    )
    before = snapshot(base)
    note = _reason(reason) if action in workflow.NEEDS_REASON else (reason or "").strip()
    base.status = target
    base.decision_note = note
    if action != workflow.Action.WITHDRAW:
        base.decided_on = _day(when)
        base.decided_by = actor
    base.save()
    audit_record(
        actor=actor,
        action=f"practice_base.{action.value}",
        obj=base,
        before=before,
        after=snapshot(base),
        region=base.region_id,
        system_label=system_label,
    )
    if action == workflow.Action.WITHDRAW:
        notify(
            recipients=_officers(base.region_id),
            kind="training.practice_base_withdrawn",
            params={"enterprise": base.enterprise.name, "reason": note},
            url=base.get_absolute_url(),
            exclude=actor,
        )
    else:
        notify(
            recipients=_org_users(base.enterprise_id, Role.ENTERPRISE),
            kind="training.practice_base_decided",
            params={
                "enterprise": base.enterprise.name,
                "outcome": str(PracticeBaseStatus(base.status).label).lower(),
                "reason": note,
            },
            url=base.get_absolute_url(),
            exclude=actor,
        )
    return base


def _practice_base_policy(base: PracticeBase):
    from talentflow.rules.models import Policy

    policy = Policy.objects.select_related("region").filter(code=PRACTICE_BASE_POLICY).first()
    if policy is None or not base.region_id.startswith(policy.region.prefix):
        raise ValidationError(
            _("No 育才补贴 policy covers %(region)s.") % {"region": base.region.name}
        )
    return policy


@transaction.atomic
def practice_base_subsidy_apply(
    *,
    actor,
    base: PracticeBase,
    uploads: Sequence = (),
    applied_on: dt.date | None = None,
    system_label: str | None = None,
    at: dt.datetime | None = None,
):
    """A designated base's enterprise applies for the 育才补贴 (a draft application of the rules
    app; the amount is computed there when it is submitted, never here)."""
    from talentflow.rules import facts as fact_specs
    from talentflow.rules import services as rules_services
    from talentflow.rules.models import Application, ApplicationStatus

    base = (
        PracticeBase.objects.select_for_update(of=("self",))
        .select_related("enterprise", "region", "subsidy_application")
        .get(pk=base.pk)
    )
    if actor is not None:
        require(
            _is_enterprise_user(actor, base.enterprise_id),
            _("Only the designated enterprise applies for its 育才补贴."),
        )
    if base.status != PracticeBaseStatus.APPROVED:
        raise ValidationError(_("Only an approved practice base may apply for the 育才补贴."))
    current = base.subsidy_application
    if current is not None and current.status != ApplicationStatus.WITHDRAWN:
        raise ValidationError(_("This practice base has already applied for the 育才补贴."))
    policy = _practice_base_policy(base)
    facts: dict[str, Any] = {"designated_practice_base": True}
    # 育才补贴 is paid once per enterprise. The rules app derives that fact from its own
    # approved and paid applications; it is given here only if a version stops deriving it.
    if not fact_specs.spec("subsidy_received").derived:
        facts["subsidy_received"] = Application.objects.filter(
            policy=policy,
            applicant_organisation_id=base.enterprise_id,
            status__in=[ApplicationStatus.APPROVED, ApplicationStatus.PAID],
        ).exists()
    application = rules_services.application_create(
        actor=actor,
        policy=policy,
        facts=facts,
        organisation=base.enterprise,
        applied_on=applied_on,
        uploads=uploads,
        at=at,
        system_label=system_label,
    )
    before = snapshot(base)
    base.subsidy_application = application
    base.save(update_fields=["subsidy_application", "updated_at"])
    audit_record(
        actor=actor,
        action="practice_base.subsidy_apply",
        obj=base,
        before=before,
        after=snapshot(base),
        region=base.region_id,
        system_label=system_label,
    )
    return application


# Cohorts and allocation --------------------------------------------------------------------


def _locked_cohort(cohort: Cohort) -> Cohort:
    return (
        Cohort.objects.select_for_update(of=("self",))
        .select_related("region", "institution")
        .get(pk=cohort.pk)
    )


def _require_cohort_editor(actor, cohort: Cohort) -> None:
    require(
        bool(permissions.cohort_parties(actor, cohort)),
        _("Only the cohort's institution or its talent office may change it."),
    )


def _require_open(cohort: Cohort) -> None:
    if cohort.status != CohortStatus.OPEN:
        raise ValidationError(_("The cohort's allocation is confirmed: it can no longer change."))


@transaction.atomic
def cohort_create(
    *,
    actor,
    name: str,
    region: Region,
    institution: Organisation,
    year: int,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Cohort:
    """The office opens an allocation round of its region with one institution."""
    _when(actor, at)
    _require_office(actor, region.code)
    if institution.kind not in INSTITUTION_KINDS:
        raise ValidationError({"institution": _("Choose a university or an institute.")})
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year such as 2026.")})
    cohort = Cohort(
        name=(name or "").strip(),
        region=region,
        institution=institution,
        year=year,
        created_by=actor,
    )
    cohort.full_clean()
    cohort.save()
    audit_record(
        actor=actor,
        action="cohort.create",
        obj=cohort,
        after=snapshot(cohort),
        region=region,
        system_label=system_label,
    )
    notify(
        recipients=_org_users(institution.pk, Role.INSTITUTION),
        kind="training.cohort_created",
        params={"region": region.name, "cohort": cohort.name, "institution": institution.name},
        url=cohort.get_absolute_url(),
        exclude=actor,
    )
    return cohort


@transaction.atomic
def cohort_mentor_set(
    *,
    actor,
    cohort: Cohort,
    mentor: TalentProfile,
    capacity: int,
    ranking: Sequence[int] | None = None,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> CohortMentor:
    """Add an academic mentor to the cohort or change their capacity and ranking
    (``CohortStudent`` ids, best first; ``None`` keeps the ranking they have)."""
    _when(actor, at)
    cohort = _locked_cohort(cohort)
    _require_cohort_editor(actor, cohort)
    _require_open(cohort)
    capacity = _positive(capacity, "capacity", minimum=0)
    record = CohortMentor.objects.filter(cohort=cohort, mentor=mentor).first()
    before = snapshot(record) if record is not None else None
    if record is None:
        record = CohortMentor(cohort=cohort, mentor=mentor, capacity=capacity, ranking=[])
    record.capacity = capacity
    if ranking is not None:
        ranked = _ids(ranking, "ranking")
        known = set(CohortStudent.objects.filter(cohort=cohort).values_list("pk", flat=True))
        strangers = [pk for pk in ranked if pk not in known]
        if strangers:
            raise ValidationError(
                {
                    "ranking": _(
                        "The ranking names students who are not in the cohort “%(cohort)s”: "
                        "%(ids)s."
                    )
                    % {"cohort": cohort.name, "ids": ", ".join(map(str, strangers))}
                }
            )
        record.ranking = ranked
    record.full_clean(validate_constraints=False)
    record.save()
    audit_record(
        actor=actor,
        action="cohort.mentor_set",
        obj=cohort,
        before=before,
        after=snapshot(record),
        region=cohort.region_id,
        system_label=system_label,
    )
    return record


def _cohort_mentor(cohort: Cohort, mentor) -> CohortMentor:
    if isinstance(mentor, CohortMentor):
        if mentor.cohort_id != cohort.pk:
            raise ValidationError({"mentor": _("This mentor is not a mentor of the cohort.")})
        return mentor
    record = CohortMentor.objects.filter(cohort=cohort, mentor=mentor).first()
    if record is None:
        raise ValidationError(
            {"mentor": _("Add %(mentor)s as a mentor of the cohort first.") % {"mentor": mentor}}
        )
    return record


@transaction.atomic
def cohort_topic_add(
    *,
    actor,
    cohort: Cohort,
    need: Need,
    title: str,
    mentor: CohortMentor | TalentProfile,
    capacity: int,
    enterprise_mentor: TalentProfile | None = None,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> CohortTopic:
    """A topic from a real need of an enterprise of the cohort's region, with its academic
    mentor (a mentor of the cohort) and the number of students it takes."""
    _when(actor, at)
    cohort = _locked_cohort(cohort)
    _require_cohort_editor(actor, cohort)
    _require_open(cohort)
    need = Need.objects.select_related("enterprise").get(pk=need.pk)
    if not need.enterprise.region_id.startswith(cohort.region.prefix):
        raise ValidationError(
            {
                "need": _("%(enterprise)s is not an enterprise of %(region)s.")
                % {"enterprise": need.enterprise.name, "region": cohort.region.name}
            }
        )
    if need.state in UNUSABLE_NEED_STATES:
        raise ValidationError(
            {
                "need": _("The need “%(need)s” is “%(state)s”: it cannot be a topic.")
                % {"need": need.title, "state": NeedState(need.state).label}
            }
        )
    record = _cohort_mentor(cohort, mentor)
    if enterprise_mentor is not None and enterprise_mentor.pk == record.mentor_id:
        raise ValidationError(
            {"enterprise_mentor": _("The enterprise mentor is not the academic mentor.")}
        )
    topic = CohortTopic(
        cohort=cohort,
        need=need,
        title=(title or "").strip() or need.title,
        mentor=record,
        enterprise_mentor=enterprise_mentor,
        capacity=_positive(capacity, "capacity"),
    )
    topic.full_clean()
    topic.save()
    audit_record(
        actor=actor,
        action="cohort.topic_add",
        obj=cohort,
        after=snapshot(topic),
        region=cohort.region_id,
        system_label=system_label,
    )
    return topic


@transaction.atomic
def cohort_student_set(
    *,
    actor,
    cohort: Cohort,
    student: TalentProfile,
    preferences: Sequence[int] = (),
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> CohortStudent:
    """Add a student to the cohort or replace their ranked topics (``CohortTopic`` ids, best
    first)."""
    _when(actor, at)
    cohort = _locked_cohort(cohort)
    _require_cohort_editor(actor, cohort)
    _require_open(cohort)
    wanted = _ids(preferences, "preferences")
    known = set(CohortTopic.objects.filter(cohort=cohort).values_list("pk", flat=True))
    strangers = [pk for pk in wanted if pk not in known]
    if strangers:
        raise ValidationError(
            {
                "preferences": _(
                    "The preferences name topics that are not in the cohort “%(cohort)s”: %(ids)s."
                )
                % {"cohort": cohort.name, "ids": ", ".join(map(str, strangers))}
            }
        )
    if CohortMentor.objects.filter(cohort=cohort, mentor=student).exists():
        raise ValidationError({"student": _("A mentor of the cohort cannot be its student.")})
    record = CohortStudent.objects.filter(cohort=cohort, student=student).first()
    before = snapshot(record) if record is not None else None
    if record is None:
        record = CohortStudent(cohort=cohort, student=student)
    record.preferences = wanted
    # An unpinned placement on a topic the student no longer lists is stale.
    if not record.pinned and record.placed_topic_id not in (None, *wanted):
        record.placed_topic = None
    record.full_clean(validate_constraints=False)
    record.save()
    audit_record(
        actor=actor,
        action="cohort.student_set",
        obj=cohort,
        before=before,
        after=snapshot(record),
        region=cohort.region_id,
        system_label=system_label,
    )
    return record


@dataclass(frozen=True)
class ImportReport:
    created: int
    updated: int

    def __str__(self) -> str:
        return _("%(created)s students added, %(updated)s updated.") % {
            "created": self.created,
            "updated": self.updated,
        }


IMPORT_MAX_ROWS = 5000


def _import_rows(cohort: Cohort, data: bytes, filename: str) -> list[tuple[TalentProfile, list]]:
    """Each row: the student's system number (talent id), then the cohort's topics best first
    (topic id or exact title). Every row is checked before anything is written."""
    from talentflow.directory.io.sheets import SheetError, cell_text, read_table

    try:
        table = read_table(data, filename=filename, max_rows=IMPORT_MAX_ROWS)
    except SheetError as error:
        raise ValidationError({"file": error.message}) from error
    topics = list(CohortTopic.objects.filter(cohort=cohort))
    by_id = {str(t.pk): t.pk for t in topics}
    by_title: dict[str, list[int]] = {}
    for t in topics:
        by_title.setdefault(t.title.strip(), []).append(t.pk)
    mentors = set(CohortMentor.objects.filter(cohort=cohort).values_list("mentor_id", flat=True))
    cells = [[cell_text(v).strip() for v in values] for _n, values in table.rows]
    wanted_ids = {c[0] for c in cells if c and c[0].isdigit()}
    talents = TalentProfile.objects.in_bulk([int(i) for i in wanted_ids])
    errors: list[str] = []
    rows: list[tuple[TalentProfile, list[int]]] = []
    seen: set[int] = set()
    for (number, _values), row in zip(table.rows, cells, strict=True):
        key = row[0] if row else ""
        talent = talents.get(int(key)) if key.isdigit() else None
        if talent is None:
            errors.append(
                _("Row %(n)s: no student with the number “%(key)s”.") % {"n": number, "key": key}
            )
            continue
        if talent.pk in seen:
            errors.append(
                _("Row %(n)s: %(student)s is listed twice.") % {"n": number, "student": talent.name}
            )
            continue
        seen.add(talent.pk)
        if talent.pk in mentors:
            errors.append(
                _("Row %(n)s: a mentor of the cohort cannot be its student.") % {"n": number}
            )
            continue
        prefs: list[int] = []
        for cell in (c for c in row[1:] if c):
            pk = by_id.get(cell)
            titled = by_title.get(cell, [])
            if pk is None and len(titled) == 1:
                pk = titled[0]
            if pk is None:
                errors.append(
                    _("Row %(n)s: “%(topic)s” is not a topic of the cohort “%(cohort)s”.")
                    % {"n": number, "topic": cell, "cohort": cohort.name}
                )
                break
            if pk in prefs:
                errors.append(
                    _("Row %(n)s: “%(topic)s” is listed twice.") % {"n": number, "topic": cell}
                )
                break
            prefs.append(pk)
        else:
            rows.append((talent, prefs))
    if errors:
        raise ValidationError({"file": errors})
    return rows


@transaction.atomic
def cohort_import(
    *,
    actor,
    cohort: Cohort,
    data: bytes,
    filename: str,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> ImportReport:
    """Students' ranked topics from a CSV or Excel file (one row per student: the talent id,
    then topics best first); all rows or none."""
    _when(actor, at)
    cohort = _locked_cohort(cohort)
    _require_cohort_editor(actor, cohort)
    _require_open(cohort)
    rows = _import_rows(cohort, data, filename)
    existing = {r.student_id: r for r in CohortStudent.objects.filter(cohort=cohort)}
    created: list[CohortStudent] = []
    updated: list[CohortStudent] = []
    for talent, prefs in rows:
        record = existing.get(talent.pk)
        if record is None:
            created.append(CohortStudent(cohort=cohort, student=talent, preferences=prefs))
            continue
        if record.preferences != prefs:
            record.preferences = prefs
            if not record.pinned and record.placed_topic_id not in (None, *prefs):
                record.placed_topic = None
            updated.append(record)
    CohortStudent.objects.bulk_create(created)
    CohortStudent.objects.bulk_update(updated, ["preferences", "placed_topic"])
    report = ImportReport(created=len(created), updated=len(updated))
    audit_record(
        actor=actor,
        action="cohort.import",
        obj=cohort,
        after={
            "file": filename[:255],
            "created": sorted(str(r.student_id) for r in created),
            "updated": sorted(str(r.student_id) for r in updated),
        },
        region=cohort.region_id,
        system_label=system_label,
    )
    return report


def cohort_instance(cohort: Cohort):
    """The allocation problem of the cohort's unpinned students, as ``allocation`` takes it:
    (students, topics, mentors, pinned records, dropped pairs). Pinned students keep their
    topic and use up its capacity and its mentor's."""
    topics = list(CohortTopic.objects.filter(cohort=cohort).order_by("pk"))
    mentors = list(CohortMentor.objects.filter(cohort=cohort).order_by("pk"))
    records = list(CohortStudent.objects.filter(cohort=cohort).order_by("pk"))
    pinned = [r for r in records if r.pinned and r.placed_topic_id is not None]
    free = [r for r in records if not (r.pinned and r.placed_topic_id is not None)]
    topic_mentor = {t.pk: t.mentor_id for t in topics}
    topic_used: dict[int, int] = {}
    mentor_used: dict[int, int] = {}
    for r in pinned:
        topic_used[r.placed_topic_id] = topic_used.get(r.placed_topic_id, 0) + 1
        m = topic_mentor[r.placed_topic_id]
        mentor_used[m] = mentor_used.get(m, 0) + 1
    free_ids = {r.pk for r in free}
    ranked_by = {m.pk: {sid for sid in m.ranking if sid in free_ids} for m in mentors}
    students = []
    dropped = 0
    for r in free:
        prefs = [t for t in r.preferences if t in topic_mentor]
        dropped += sum(1 for t in prefs if r.pk not in ranked_by[topic_mentor[t]])
        students.append(allocation.Student(id=r.pk, preferences=tuple(prefs)))
    alloc_topics = [
        allocation.Topic(
            id=t.pk, mentor=t.mentor_id, capacity=max(t.capacity - topic_used.get(t.pk, 0), 0)
        )
        for t in topics
    ]
    alloc_mentors = [
        allocation.Mentor(
            id=m.pk,
            capacity=max(m.capacity - mentor_used.get(m.pk, 0), 0),
            ranking=tuple(sid for sid in m.ranking if sid in free_ids),
        )
        for m in mentors
    ]
    return students, alloc_topics, alloc_mentors, pinned, dropped


@transaction.atomic
def allocation_run(
    *, actor, cohort: Cohort, system_label: str | None = None, at: dt.datetime | None = None
) -> AllocationRun:
    """Compute the student-optimal stable allocation of the unpinned students and store it."""
    when = _when(actor, at)
    cohort = _locked_cohort(cohort)
    _require_office(actor, cohort.region_id)
    _require_open(cohort)
    students, topics, mentors, pinned, dropped = cohort_instance(cohort)
    try:
        result = allocation.allocate(students, topics, mentors, unranked="drop")
        blocking = allocation.blocking_pairs(students, topics, mentors, result, unranked="drop")
    except ValueError as error:
        raise ValidationError(str(error)) from error
    free = {r.pk: r for r in CohortStudent.objects.filter(pk__in=[s.id for s in students])}
    changed = []
    for sid, tid in result.assignment.items():
        record = free[sid]
        if record.placed_topic_id != tid:
            record.placed_topic_id = tid
            changed.append(record)
    CohortStudent.objects.bulk_update(changed, ["placed_topic"])
    placements = {str(sid): tid for sid, tid in result.assignment.items()}
    placements.update({str(r.pk): r.placed_topic_id for r in pinned})
    placements = dict(sorted(placements.items(), key=lambda kv: int(kv[0])))
    run = AllocationRun.objects.create(
        cohort=cohort,
        run_at=when,
        run_by=actor,
        students=len(placements),
        placed=result.assigned + len(pinned),
        pinned=len(pinned),
        blocking_pairs=len(blocking),
        result={"placements": placements, "dropped_pairs": dropped},
    )
    audit_record(
        actor=actor,
        action="cohort.run",
        obj=cohort,
        after={
            "run": run.pk,
            "students": run.students,
            "placed": run.placed,
            "pinned": run.pinned,
            "blocking_pairs": run.blocking_pairs,
            "dropped_pairs": dropped,
            "changed": len(changed),
        },
        region=cohort.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_org_users(cohort.institution_id, Role.INSTITUTION),
        kind="training.allocation_run",
        params={"cohort": cohort.name, "placed": run.placed, "students": run.students},
        url=cohort.get_absolute_url(),
        exclude=actor,
    )
    return run


@transaction.atomic
def placement_set(
    *,
    actor,
    cohort_student: CohortStudent,
    topic: CohortTopic | None = None,
    pinned: bool = True,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> CohortStudent:
    """The office's adjustment: pin a student to a topic (also one they did not list), kept by
    every re-run; or release the pin (``pinned=False``) so that the next run places them."""
    _when(actor, at)
    record = CohortStudent.objects.select_related("student__user").get(pk=cohort_student.pk)
    cohort = _locked_cohort(record.cohort)
    _require_office(actor, cohort.region_id)
    _require_open(cohort)
    before = snapshot(record)
    if not pinned:
        if not record.pinned:
            raise ValidationError(_("This student's placement is not pinned."))
        record.pinned = False
        record.save(update_fields=["pinned"])
        action = "cohort.unpin"
    else:
        if topic is None:
            raise ValidationError({"topic": _("Choose the topic to pin the student to.")})
        topic = CohortTopic.objects.select_related("mentor").get(pk=topic.pk)
        if topic.cohort_id != cohort.pk:
            raise ValidationError({"topic": _("This topic is not in the student's cohort.")})
        others = CohortStudent.objects.filter(cohort=cohort, pinned=True).exclude(pk=record.pk)
        if others.filter(placed_topic=topic).count() >= topic.capacity:
            raise ValidationError(
                {
                    "topic": _("The topic “%(topic)s” is full: %(n)s students are pinned to it.")
                    % {"topic": topic.title, "n": topic.capacity}
                }
            )
        if others.filter(placed_topic__mentor=topic.mentor).count() >= topic.mentor.capacity:
            raise ValidationError(
                {
                    "topic": _(
                        "The mentor %(mentor)s is full: %(n)s students are pinned to their topics."
                    )
                    % {"mentor": topic.mentor.mentor, "n": topic.mentor.capacity}
                }
            )
        record.placed_topic = topic
        record.pinned = True
        record.save(update_fields=["placed_topic", "pinned"])
        action = "cohort.pin"
    audit_record(
        actor=actor,
        action=action,
        obj=cohort,
        before=before,
        after=snapshot(record),
        region=cohort.region_id,
        system_label=system_label,
    )
    if action == "cohort.pin":
        notify(
            recipients=_talent_users([record.student]),
            kind="training.pinned",
            params={"topic": topic.title, "cohort": cohort.name},
            url=cohort.get_absolute_url(),
            exclude=actor,
        )
    return record


# Agreements (六方联动) ----------------------------------------------------------------------


def _busy_students(student_ids: Iterable[int], start: dt.date, end: dt.date, exclude=None):
    """The students among ``student_ids`` training under another signed agreement that
    overlaps ``start``–``end``."""
    qs = Trainee.objects.filter(
        student_id__in=list(student_ids),
        status=TraineeStatus.TRAINING,
        agreement__status=AgreementStatus.SIGNED,
        agreement__start_date__lt=end,
        agreement__end_date__gt=start,
    ).select_related("student")
    if exclude is not None:
        qs = qs.exclude(agreement_id=exclude)
    return sorted({t.student.name for t in qs})


def _check_six_parties(
    *,
    region: Region,
    institution: Organisation,
    enterprise: Organisation,
    academic_mentor: TalentProfile,
    enterprise_mentor: TalentProfile | None,
    need: Need,
    students: Sequence[TalentProfile],
    start_date: dt.date,
    end_date: dt.date,
    practice_base: PracticeBase | None,
) -> None:
    errors: dict[str, Any] = {}
    if institution.kind not in INSTITUTION_KINDS:
        errors["institution"] = _("Choose a university or an institute.")
    if enterprise.kind != OrganisationKind.ENTERPRISE:
        errors["enterprise"] = _("Choose an enterprise.")
    elif not enterprise.region_id.startswith(region.prefix):
        errors["enterprise"] = _("%(enterprise)s is not an enterprise of %(region)s.") % {
            "enterprise": enterprise.name,
            "region": region.name,
        }
    if need.enterprise_id != enterprise.pk:
        errors["need"] = _("The topic must be a need of %(enterprise)s.") % {
            "enterprise": enterprise.name
        }
    if enterprise_mentor is not None and enterprise_mentor.pk == academic_mentor.pk:
        errors["enterprise_mentor"] = _("The enterprise mentor is not the academic mentor.")
    ids = [s.pk for s in students]
    if not ids:
        errors["students"] = _("An agreement binds at least one graduate student.")
    elif len(set(ids)) != len(ids):
        errors["students"] = _("Each student may be listed only once.")
    elif {academic_mentor.pk, getattr(enterprise_mentor, "pk", None)} & set(ids):
        errors["students"] = _("A mentor of the agreement cannot be its student.")
    if not start_date or not end_date or end_date <= start_date:
        errors["end_date"] = _("The agreement ends after it starts.")
    if practice_base is not None and (
        practice_base.enterprise_id != enterprise.pk
        or practice_base.status != PracticeBaseStatus.APPROVED
    ):
        errors["practice_base"] = _("Choose an approved practice base of %(enterprise)s.") % {
            "enterprise": enterprise.name
        }
    if errors:
        raise ValidationError(errors)


def _agreement_users(agreement: Agreement, students: Iterable[TalentProfile] | None = None):
    if students is None:
        students = [t.student for t in agreement.trainees.select_related("student__user")]
    return [
        *_org_users(agreement.institution_id, Role.INSTITUTION),
        *_org_users(agreement.enterprise_id, Role.ENTERPRISE),
        *_talent_users([agreement.academic_mentor, agreement.enterprise_mentor, *students]),
    ]


def _agreement_build(
    *,
    actor,
    region: Region,
    institution: Organisation,
    enterprise: Organisation,
    academic_mentor: TalentProfile,
    need: Need,
    topic: str,
    students: Sequence[TalentProfile],
    start_date: dt.date,
    end_date: dt.date,
    enterprise_mentor: TalentProfile | None = None,
    practice_base: PracticeBase | None = None,
    cohort_topic: CohortTopic | None = None,
    system_label: str | None = None,
) -> Agreement:
    _check_six_parties(
        region=region,
        institution=institution,
        enterprise=enterprise,
        academic_mentor=academic_mentor,
        enterprise_mentor=enterprise_mentor,
        need=need,
        students=students,
        start_date=start_date,
        end_date=end_date,
        practice_base=practice_base,
    )
    busy = _busy_students([s.pk for s in students], start_date, end_date)
    if busy:
        raise ValidationError(
            {
                "students": _("Already training under another signed agreement then: %(names)s.")
                % {"names": "、".join(busy)}
            }
        )
    agreement = Agreement(
        region=region,
        institution=institution,
        enterprise=enterprise,
        academic_mentor=academic_mentor,
        enterprise_mentor=enterprise_mentor,
        need=need,
        topic=(topic or "").strip() or need.title,
        cohort_topic=cohort_topic,
        practice_base=practice_base,
        start_date=start_date,
        end_date=end_date,
        created_by=actor,
    )
    agreement.full_clean()
    agreement.save()
    Trainee.objects.bulk_create([Trainee(agreement=agreement, student=s) for s in students])
    audit_record(
        actor=actor,
        action="agreement.create",
        obj=agreement,
        after={**snapshot(agreement), "students": sorted(str(s.pk) for s in students)},
        region=region,
        system_label=system_label,
    )
    notify(
        recipients=_agreement_users(agreement, students),
        kind="training.agreement_created",
        params={"topic": agreement.topic, "enterprise": enterprise.name},
        url=agreement.get_absolute_url(),
        exclude=actor,
    )
    return agreement


@transaction.atomic
def allocation_confirm(
    *,
    actor,
    cohort: Cohort,
    start_date: dt.date,
    end_date: dt.date,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> list[Agreement]:
    """The office confirms the cohort's placements: one draft agreement per topic with placed
    students, binding the cohort's region and institution, the need's enterprise, the topic's
    mentors and its students."""
    _when(actor, at)
    cohort = _locked_cohort(cohort)
    _require_office(actor, cohort.region_id)
    _require_open(cohort)
    placed = list(
        CohortStudent.objects.filter(cohort=cohort, placed_topic__isnull=False)
        .select_related("student__user")
        .order_by("placed_topic_id", "pk")
    )
    if not placed:
        raise ValidationError(_("Nobody is placed yet: run the allocation first."))
    by_topic: dict[int, list[TalentProfile]] = {}
    for record in placed:
        by_topic.setdefault(record.placed_topic_id, []).append(record.student)
    topics = CohortTopic.objects.select_related(
        "need__enterprise", "mentor__mentor__user", "enterprise_mentor__user"
    ).in_bulk(list(by_topic))
    agreements = []
    for topic_id, students in by_topic.items():
        topic = topics[topic_id]
        agreements.append(
            _agreement_build(
                actor=actor,
                region=cohort.region,
                institution=cohort.institution,
                enterprise=topic.need.enterprise,
                academic_mentor=topic.mentor.mentor,
                enterprise_mentor=topic.enterprise_mentor,
                need=topic.need,
                topic=topic.title,
                students=students,
                start_date=start_date,
                end_date=end_date,
                practice_base=PracticeBase.objects.filter(
                    enterprise_id=topic.need.enterprise_id, status=PracticeBaseStatus.APPROVED
                ).first(),
                cohort_topic=topic,
                system_label=system_label,
            )
        )
    before = snapshot(cohort)
    cohort.status = CohortStatus.CONFIRMED
    cohort.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="cohort.confirm",
        obj=cohort,
        before=before,
        after={**snapshot(cohort), "agreements": sorted(str(a.pk) for a in agreements)},
        region=cohort.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_org_users(cohort.institution_id, Role.INSTITUTION),
        kind="training.allocation_confirmed",
        params={"cohort": cohort.name, "agreements": len(agreements)},
        url=cohort.get_absolute_url(),
        exclude=actor,
    )
    return agreements


@transaction.atomic
def agreement_create(
    *,
    actor,
    region: Region,
    institution: Organisation,
    enterprise: Organisation,
    academic_mentor: TalentProfile,
    need: Need,
    topic: str,
    students: Sequence[TalentProfile],
    start_date: dt.date,
    end_date: dt.date,
    enterprise_mentor: TalentProfile | None = None,
    practice_base: PracticeBase | None = None,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Agreement:
    """The office drafts a six-party agreement directly, without a cohort."""
    _when(actor, at)
    _require_office(actor, region.code)
    return _agreement_build(
        actor=actor,
        region=region,
        institution=institution,
        enterprise=enterprise,
        academic_mentor=academic_mentor,
        enterprise_mentor=enterprise_mentor,
        need=need,
        topic=topic,
        students=list(students),
        start_date=start_date,
        end_date=end_date,
        practice_base=practice_base,
        system_label=system_label,
    )


def _locked_agreement(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update(of=("self",))
        .select_related(
            "region",
            "institution",
            "enterprise",
            "academic_mentor__user",
            "enterprise_mentor__user",
        )
        .get(pk=agreement.pk)
    )


@transaction.atomic
def agreement_mentor_set(
    *,
    actor,
    agreement: Agreement,
    enterprise_mentor: TalentProfile,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Agreement:
    """The office names (or changes) the enterprise mentor of a draft agreement."""
    _when(actor, at)
    agreement = _locked_agreement(agreement)
    _require_office(actor, agreement.region_id)
    if agreement.status != AgreementStatus.DRAFT:
        raise ValidationError(_("Only a draft agreement's parties can change."))
    if enterprise_mentor.pk == agreement.academic_mentor_id:
        raise ValidationError(
            {"enterprise_mentor": _("The enterprise mentor is not the academic mentor.")}
        )
    if agreement.trainees.filter(student=enterprise_mentor).exists():
        raise ValidationError(
            {"enterprise_mentor": _("A mentor of the agreement cannot be its student.")}
        )
    before = snapshot(agreement)
    agreement.enterprise_mentor = enterprise_mentor
    agreement.save(update_fields=["enterprise_mentor", "updated_at"])
    audit_record(
        actor=actor,
        action="agreement.mentor_set",
        obj=agreement,
        before=before,
        after=snapshot(agreement),
        region=agreement.region_id,
        system_label=system_label,
    )
    return agreement


@transaction.atomic
def agreement_transition(
    *,
    actor,
    agreement: Agreement,
    action: str,
    reason: str = "",
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Agreement:
    """sign / cancel / terminate (the office), complete (the office or the institution)."""
    _when(actor, at)
    action = _action(action)
    agreement = _locked_agreement(agreement)
    target = _check(
        workflow.AGREEMENT,
        action,
        agreement.status,
        permissions.agreement_parties(actor, agreement),
        str(AgreementStatus(agreement.status).label),
        _("Only the talent office (or the institution, to complete it) may do this."),
    )
    note = _reason(reason) if action in workflow.NEEDS_REASON else ""
    trainees = list(agreement.trainees.select_related("student__user"))
    if action == workflow.Action.SIGN:
        if agreement.enterprise_mentor_id is None:
            raise ValidationError(
                {
                    "enterprise_mentor": _(
                        "An agreement binds six parties: name the enterprise mentor before signing."
                    )
                }
            )
        training = [t.student_id for t in trainees if t.status == TraineeStatus.TRAINING]
        if not training:
            raise ValidationError(_("An agreement binds at least one graduate student."))
        busy = _busy_students(
            training, agreement.start_date, agreement.end_date, exclude=agreement.pk
        )
        if busy:
            raise ValidationError(
                {
                    "students": _(
                        "Already training under another signed agreement then: %(names)s."
                    )
                    % {"names": "、".join(busy)}
                }
            )
    before = snapshot(agreement)
    agreement.status = target
    if note:
        agreement.end_reason = note
    agreement.save()
    audit_record(
        actor=actor,
        action=f"agreement.{action.value}",
        obj=agreement,
        before=before,
        after=snapshot(agreement),
        region=agreement.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_agreement_users(agreement, [t.student for t in trainees]),
        kind="training.agreement_changed",
        params={
            "topic": agreement.topic,
            "enterprise": agreement.enterprise.name,
            "status": str(AgreementStatus(agreement.status).label),
            "reason": note,
        },
        url=agreement.get_absolute_url(),
        exclude=actor,
    )
    return agreement


# Milestones and trainees ---------------------------------------------------------------------


def _require_agreement_party(actor, agreement: Agreement, parties: set) -> None:
    require(
        bool(permissions.agreement_parties(actor, agreement) & parties),
        _("Only the talent office, the institution or the enterprise of the agreement may."),
    )


@transaction.atomic
def milestone_add(
    *,
    actor,
    agreement: Agreement,
    title: str,
    due: dt.date,
    note: str = "",
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Milestone:
    _when(actor, at)
    agreement = _locked_agreement(agreement)
    _require_agreement_party(
        actor, agreement, {workflow.Party.OFFICE, workflow.Party.INSTITUTION, workflow.Party.HOST}
    )
    if agreement.status not in (AgreementStatus.DRAFT, AgreementStatus.SIGNED):
        raise ValidationError(_("The agreement has ended: no more milestones."))
    if not isinstance(due, dt.date) or not agreement.start_date <= due <= agreement.end_date:
        raise ValidationError(
            {
                "due": _("The milestone is due within the agreement (%(start)s – %(end)s).")
                % {"start": agreement.start_date, "end": agreement.end_date}
            }
        )
    milestone = Milestone(
        agreement=agreement, title=(title or "").strip(), due=due, note=(note or "").strip()
    )
    milestone.full_clean()
    milestone.save()
    audit_record(
        actor=actor,
        action="milestone.create",
        obj=milestone,
        after=snapshot(milestone),
        region=agreement.region_id,
        system_label=system_label,
    )
    return milestone


@transaction.atomic
def milestone_done(
    *,
    actor,
    milestone: Milestone,
    done_on: dt.date,
    note: str = "",
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Milestone:
    _when(actor, at)
    milestone = Milestone.objects.select_for_update(of=("self",)).get(pk=milestone.pk)
    agreement = _locked_agreement(milestone.agreement)
    _require_agreement_party(
        actor, agreement, {workflow.Party.OFFICE, workflow.Party.INSTITUTION, workflow.Party.HOST}
    )
    if agreement.status != AgreementStatus.SIGNED:
        raise ValidationError(_("Milestones are reached while the agreement runs (signed)."))
    if milestone.done_on is not None:
        raise ValidationError(_("This milestone is already reached."))
    if not isinstance(done_on, dt.date) or done_on < agreement.start_date:
        raise ValidationError({"done_on": _("The date lies before the agreement starts.")})
    before = snapshot(milestone)
    milestone.done_on = done_on
    if (note or "").strip():
        milestone.note = note.strip()
    milestone.save()
    audit_record(
        actor=actor,
        action="milestone.done",
        obj=milestone,
        before=before,
        after=snapshot(milestone),
        region=agreement.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_agreement_users(agreement),
        kind="training.milestone_done",
        params={"milestone": milestone.title, "topic": agreement.topic, "date": str(done_on)},
        url=agreement.get_absolute_url(),
        exclude=actor,
    )
    return milestone


def _locked_trainee(trainee: Trainee) -> tuple[Trainee, Agreement]:
    trainee = (
        Trainee.objects.select_for_update(of=("self",))
        .select_related("student__user")
        .get(pk=trainee.pk)
    )
    return trainee, _locked_agreement(trainee.agreement)


def _require_trainee_editor(actor, agreement: Agreement) -> None:
    require(
        bool(
            permissions.agreement_parties(actor, agreement)
            & {workflow.Party.OFFICE, workflow.Party.INSTITUTION}
        ),
        _("Only the talent office or the institution of the agreement may."),
    )


@transaction.atomic
def trainee_graduate(
    *,
    actor,
    trainee: Trainee,
    graduated_on: dt.date,
    result_summary: str,
    outcome: Outcome | None = None,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Trainee:
    """ "捧着实践成果毕业": the trainee graduates with a practical result (optionally an outcome
    of the agreement's need)."""
    _when(actor, at)
    trainee, agreement = _locked_trainee(trainee)
    _require_trainee_editor(actor, agreement)
    if agreement.status not in (AgreementStatus.SIGNED, AgreementStatus.COMPLETED):
        raise ValidationError(_("Trainees graduate under a signed agreement."))
    if trainee.status != TraineeStatus.TRAINING:
        raise ValidationError(_("This trainee is no longer in training."))
    errors: dict[str, Any] = {}
    summary = (result_summary or "").strip()
    if not summary:
        errors["result_summary"] = _("Describe the practical result.")
    if not isinstance(graduated_on, dt.date) or graduated_on < agreement.start_date:
        errors["graduated_on"] = _("The date lies before the agreement starts.")
    if outcome is not None and outcome.need_id != agreement.need_id:
        errors["outcome"] = _("Choose an outcome of the agreement's need.")
    if errors:
        raise ValidationError(errors)
    before = snapshot(trainee)
    trainee.status = TraineeStatus.GRADUATED
    trainee.graduated_on = graduated_on
    trainee.result_summary = summary
    trainee.outcome = outcome
    trainee.save()
    audit_record(
        actor=actor,
        action="trainee.graduate",
        obj=agreement,
        before=before,
        after=snapshot(trainee),
        region=agreement.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_agreement_users(agreement, [trainee.student]),
        kind="training.graduated",
        params={"student": trainee.student.name, "topic": agreement.topic},
        url=agreement.get_absolute_url(),
        exclude=actor,
    )
    return trainee


@transaction.atomic
def trainee_destination(
    *,
    actor,
    trainee: Trainee,
    destination: Organisation | None = None,
    destination_region: Region | None = None,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Trainee:
    """Where a graduate works: ``stayed`` when that is inside the agreement's region (留善)."""
    _when(actor, at)
    trainee, agreement = _locked_trainee(trainee)
    _require_trainee_editor(actor, agreement)
    if trainee.status != TraineeStatus.GRADUATED:
        raise ValidationError(_("A destination is recorded after graduation."))
    if destination_region is None and destination is not None:
        destination_region = destination.region
    if destination_region is None:
        raise ValidationError({"destination_region": _("Choose where the graduate works.")})
    if destination is not None and destination.region_id != destination_region.code:
        raise ValidationError(
            {
                "destination_region": _("%(org)s is not in %(region)s.")
                % {"org": destination.name, "region": destination_region.name}
            }
        )
    before = snapshot(trainee)
    trainee.destination = destination
    trainee.destination_region = destination_region
    trainee.stayed = destination_region.code.startswith(agreement.region.prefix)
    trainee.save()
    audit_record(
        actor=actor,
        action="trainee.destination",
        obj=agreement,
        before=before,
        after=snapshot(trainee),
        region=agreement.region_id,
        system_label=system_label,
    )
    return trainee


@transaction.atomic
def trainee_withdraw(
    *,
    actor,
    trainee: Trainee,
    reason: str,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Trainee:
    _when(actor, at)
    trainee, agreement = _locked_trainee(trainee)
    _require_trainee_editor(actor, agreement)
    if trainee.status != TraineeStatus.TRAINING:
        raise ValidationError(_("This trainee is no longer in training."))
    note = _reason(reason)
    before = snapshot(trainee)
    trainee.status = TraineeStatus.WITHDRAWN
    trainee.save()
    audit_record(
        actor=actor,
        action="trainee.withdraw",
        obj=agreement,
        before=before,
        after={**snapshot(trainee), "reason": note},
        region=agreement.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_agreement_users(agreement, [trainee.student]),
        kind="training.withdrawn",
        params={"student": trainee.student.name, "topic": agreement.topic, "reason": note},
        url=agreement.get_absolute_url(),
        exclude=actor,
    )
    return trainee


__all__ = [
    "AUDIT_ACTIONS",
    "ImportReport",
    "agreement_create",
    "agreement_mentor_set",
    "agreement_transition",
    "allocation_confirm",
    "allocation_run",
    "cohort_create",
    "cohort_import",
    "cohort_instance",
    "cohort_mentor_set",
    "cohort_student_set",
    "cohort_topic_add",
    "milestone_add",
    "milestone_done",
    "placement_set",
    "practice_base_apply",
    "practice_base_subsidy_apply",
    "practice_base_transition",
    "trainee_destination",
    "trainee_graduate",
    "trainee_withdraw",
]
