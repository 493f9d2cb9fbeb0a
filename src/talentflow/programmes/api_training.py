"""Joint training (六方联动) over the API (``/api/programmes/training``): graduate practice bases
and their 育才补贴, cohorts with the stable allocation (mentors, topics, students, runs, pins,
confirmation), six-party agreements with milestones and trainees, and the figures per region.

The same selectors decide what a caller sees (404 otherwise) and the same services who may
change what (403) and when (422). References in bodies: organisations, talents and needs by id
among those the caller can see, cohort members by their ids in the cohort, regions by
GB/T 2260 code.
"""

# No "from __future__ import annotations" here: ninja reads these annotations at import.
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from talentflow.directory.selectors import organisation_visible
from talentflow.programmes import permissions, selectors_training, services_training, workflow
from talentflow.programmes.forms_training import talent_for, topic_needs
from talentflow.programmes.models import (
    Agreement,
    AllocationRun,
    Cohort,
    CohortStudent,
    Milestone,
    PracticeBase,
    Trainee,
)
from talentflow.reference.models import Region

router = Router(tags=["programmes"])

PAGE_SIZE = settings.TALENTFLOW_PAGE_SIZE
MAX_PAGE_SIZE = 100


# Schemas -----------------------------------------------------------------------------------------


class PracticeBaseOut(Schema):
    id: int
    enterprise: int = Field(..., alias="enterprise_id")
    enterprise_name: str = Field(..., alias="enterprise.name")
    region: str = Field(..., alias="region_id")
    institutions: list[int]
    description: str
    capacity: int
    status: str
    applied_on: dt.date
    decided_on: dt.date | None
    decision_note: str
    subsidy_application: int | None = Field(None, alias="subsidy_application_id")

    @staticmethod
    def resolve_institutions(obj: PracticeBase) -> list[int]:
        return sorted(obj.institutions.values_list("pk", flat=True))


class PracticeBaseIn(Schema):
    enterprise: int
    description: str
    capacity: int
    institutions: list[int] = []


class StatusQuery(Schema):
    q: str = ""
    status: str = ""


class ReasonIn(Schema):
    reason: str = ""


class SubsidyOut(Schema):
    application: int
    practice_base: int


class CohortIn(Schema):
    name: str
    region: str
    institution: int
    year: int


class MentorOut(Schema):
    id: int
    mentor: int = Field(..., alias="mentor_id")
    mentor_name: str = Field(..., alias="mentor.name")
    capacity: int
    ranking: list[int]


class TopicOut(Schema):
    id: int
    need: int = Field(..., alias="need_id")
    title: str
    mentor: int = Field(..., alias="mentor_id")
    enterprise_mentor: int | None = Field(None, alias="enterprise_mentor_id")
    capacity: int


class StudentOut(Schema):
    id: int
    student: int = Field(..., alias="student_id")
    student_name: str = Field(..., alias="student.name")
    preferences: list[int]
    placed_topic: int | None = Field(None, alias="placed_topic_id")
    pinned: bool


class RunOut(Schema):
    id: int
    run_at: dt.datetime
    students: int
    placed: int
    pinned: int
    unplaced: int
    blocking_pairs: int
    dropped_pairs: int | None

    @staticmethod
    def resolve_unplaced(obj: AllocationRun) -> int:
        return obj.students - obj.placed

    @staticmethod
    def resolve_dropped_pairs(obj: AllocationRun) -> int | None:
        return obj.result.get("dropped_pairs") if isinstance(obj.result, dict) else None


class CohortOut(Schema):
    id: int
    name: str
    region: str = Field(..., alias="region_id")
    institution: int = Field(..., alias="institution_id")
    institution_name: str = Field(..., alias="institution.name")
    year: int
    status: str
    mentors: list[MentorOut]
    topics: list[TopicOut]
    students: list[StudentOut]
    latest_run: RunOut | None

    @staticmethod
    def resolve_mentors(obj: Cohort):
        return list(obj.mentors.select_related("mentor"))

    @staticmethod
    def resolve_topics(obj: Cohort):
        return list(obj.topics.all())

    @staticmethod
    def resolve_students(obj: Cohort):
        return list(obj.students.select_related("student"))

    @staticmethod
    def resolve_latest_run(obj: Cohort):
        return obj.runs.first()


class CohortSummaryOut(Schema):
    id: int
    name: str
    region: str = Field(..., alias="region_id")
    institution: int = Field(..., alias="institution_id")
    institution_name: str = Field(..., alias="institution.name")
    year: int
    status: str


class CohortQuery(Schema):
    q: str = ""
    status: str = ""
    year: int | None = None


class MentorIn(Schema):
    mentor: int
    capacity: int
    ranking: list[int] = Field([], description="CohortStudent ids, best first.")


class TopicIn(Schema):
    need: int
    title: str
    mentor: int = Field(..., description="The CohortMentor id.")
    capacity: int
    enterprise_mentor: int | None = None


class StudentIn(Schema):
    student: int
    preferences: list[int] = Field([], description="CohortTopic ids, best first.")


class PlacementIn(Schema):
    student: int = Field(..., description="The CohortStudent id.")
    topic: int | None = None
    pinned: bool = True


class ConfirmIn(Schema):
    start_date: dt.date
    end_date: dt.date


class MilestoneOut(Schema):
    id: int
    agreement: int = Field(..., alias="agreement_id")
    title: str
    due: dt.date
    done_on: dt.date | None
    note: str


class TraineeOut(Schema):
    id: int
    agreement: int = Field(..., alias="agreement_id")
    student: int = Field(..., alias="student_id")
    student_name: str = Field(..., alias="student.name")
    status: str
    graduated_on: dt.date | None
    result_summary: str
    outcome: int | None = Field(None, alias="outcome_id")
    destination: int | None = Field(None, alias="destination_id")
    destination_region: str | None = Field(None, alias="destination_region_id")
    stayed: bool | None


class AgreementOut(Schema):
    id: int
    region: str = Field(..., alias="region_id")
    institution: int = Field(..., alias="institution_id")
    institution_name: str = Field(..., alias="institution.name")
    enterprise: int = Field(..., alias="enterprise_id")
    enterprise_name: str = Field(..., alias="enterprise.name")
    academic_mentor: int = Field(..., alias="academic_mentor_id")
    enterprise_mentor: int | None = Field(None, alias="enterprise_mentor_id")
    need: int = Field(..., alias="need_id")
    topic: str
    cohort_topic: int | None = Field(None, alias="cohort_topic_id")
    practice_base: int | None = Field(None, alias="practice_base_id")
    start_date: dt.date
    end_date: dt.date
    status: str
    end_reason: str
    milestones: list[MilestoneOut]
    trainees: list[TraineeOut]

    @staticmethod
    def resolve_milestones(obj: Agreement):
        return list(obj.milestones.all())

    @staticmethod
    def resolve_trainees(obj: Agreement):
        return list(obj.trainees.select_related("student"))


class AgreementIn(Schema):
    region: str
    institution: int
    enterprise: int
    academic_mentor: int
    enterprise_mentor: int | None = None
    need: int
    topic: str
    students: list[int]
    start_date: dt.date
    end_date: dt.date
    practice_base: int | None = None


class EnterpriseMentorIn(Schema):
    enterprise_mentor: int


class MilestoneIn(Schema):
    title: str
    due: dt.date
    note: str = ""


class MilestoneDoneIn(Schema):
    done_on: dt.date
    note: str = ""


class GraduateIn(Schema):
    graduated_on: dt.date
    result_summary: str
    outcome: int | None = None


class DestinationIn(Schema):
    destination: int | None = None
    destination_region: str | None = None


class RegionStatsOut(Schema):
    region_code: str
    region_name: str
    academic_mentors: int
    enterprise_mentors: int
    students: int
    enterprises: int
    practice_bases: int
    graduates: int
    known_destinations: int
    stayed: int
    retention_rate: Decimal | None


# Helpers ----------------------------------------------------------------------------------------


def _invalid(field: str, message: str):
    raise ValidationError({field: [message]})


def _region(field: str, code: str | None) -> Region | None:
    if code is None:
        return None
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        _invalid(field, _("Unknown region code: %(code)s.") % {"code": code})
    return region


def _talent(user, field: str, pk: int | None, cohort=None, organisation_id=None):
    if pk is None:
        return None
    talent = talent_for(user, pk, cohort, organisation_id)
    if talent is None:
        _invalid(field, _("Unknown talent: %(id)s.") % {"id": pk})
    return talent


def _organisation(user, field: str, pk: int | None):
    if pk is None:
        return None
    org = organisation_visible(user=user).filter(pk=pk).first()
    if org is None:
        _invalid(field, _("Unknown organisation: %(id)s.") % {"id": pk})
    return org


def _institution(field: str, pk: int):
    from talentflow.directory.models import INSTITUTION_KINDS, Organisation

    org = Organisation.objects.filter(pk=pk, kind__in=INSTITUTION_KINDS).first()
    if org is None:
        _invalid(field, _("Unknown institution: %(id)s.") % {"id": pk})
    return org


def _any_organisation(field: str, pk: int | None):
    from talentflow.directory.models import Organisation

    if pk is None:
        return None
    org = Organisation.objects.select_related("region").filter(pk=pk).first()
    if org is None:
        _invalid(field, _("Unknown organisation: %(id)s.") % {"id": pk})
    return org


def _need(user, field: str, pk: int):
    from talentflow.needs.selectors import need_visible

    need = need_visible(user=user).filter(pk=pk).first()
    if need is None:
        _invalid(field, _("Unknown need: %(id)s.") % {"id": pk})
    return need


def _filter(qs, *, q: str, status: str, search: tuple[str, ...], year: int | None = None):
    from django.db.models import Q

    if q:
        cond = Q()
        for path in search:
            cond |= Q(**{f"{path}__icontains": q})
        qs = qs.filter(cond)
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    return qs


def _base(user, pk: int) -> PracticeBase:
    return selectors_training.practice_bases_for(user).get(pk=pk)


def _cohort(user, pk: int) -> Cohort:
    return selectors_training.cohorts_for(user).get(pk=pk)


def _agreement(user, pk: int) -> Agreement:
    return selectors_training.agreements_for(user).get(pk=pk)


def _trainee(user, pk: int) -> Trainee:
    return Trainee.objects.select_related("agreement").get(
        pk=pk, agreement__in=selectors_training.agreements_for(user)
    )


# Practice bases ---------------------------------------------------------------------------------


@router.get(
    "/bases",
    response=list[PracticeBaseOut],
    url_name="training_practice_base_list",
    summary="List graduate practice bases",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def practice_base_list(request: HttpRequest, filters: Query[StatusQuery]):
    """The office: its region's; an enterprise: its own; an institution: those naming it."""
    return _filter(
        selectors_training.practice_bases_for(request.auth).prefetch_related("institutions"),
        q=filters.q,
        status=filters.status,
        search=("enterprise__name", "description"),
    )


@router.post(
    "/bases",
    response={201: PracticeBaseOut},
    url_name="training_practice_base_create",
    summary="Apply to be a graduate practice base",
)
def practice_base_create(request: HttpRequest, payload: PracticeBaseIn):
    user = request.auth
    base = services_training.practice_base_apply(
        actor=user,
        enterprise=_organisation(user, "enterprise", payload.enterprise),
        description=payload.description,
        capacity=payload.capacity,
        # Partner institutions by id among all institutions: an enterprise names universities
        # it does not otherwise deal with on the platform.
        institutions=[_institution("institutions", pk) for pk in payload.institutions],
    )
    return _base(user, base.pk)


@router.get(
    "/bases/{int:base_id}",
    response=PracticeBaseOut,
    url_name="training_practice_base_detail",
    summary="One graduate practice base",
)
def practice_base_detail(request: HttpRequest, base_id: int):
    return _base(request.auth, base_id)


@router.post(
    "/bases/{int:base_id}/actions/{action}",
    response=PracticeBaseOut,
    url_name="training_practice_base_action",
    summary="Approve, reject or withdraw a practice-base application",
)
def practice_base_action(request: HttpRequest, base_id: int, action: str, payload: ReasonIn):
    """``approve`` and ``reject`` (the office; a reason for rejecting), ``withdraw`` (the
    enterprise, with a reason)."""
    user = request.auth
    base = _base(user, base_id)
    if (
        action not in {a.value for a in workflow.Action}
        or (
            workflow.Action(action),
            "submitted",
        )
        not in workflow.PRACTICE_BASE
    ):
        raise Http404
    services_training.practice_base_transition(
        actor=user, base=base, action=action, reason=payload.reason
    )
    return _base(user, base_id)


@router.post(
    "/bases/{int:base_id}/subsidy",
    response={201: SubsidyOut},
    url_name="training_practice_base_subsidy",
    summary="Apply for the 育才补贴 as an approved practice base",
)
def practice_base_subsidy(request: HttpRequest, base_id: int):
    """Files the application with the rules app (``/api/rules``); the amount is the policy's."""
    user = request.auth
    base = _base(user, base_id)
    application = services_training.practice_base_subsidy_apply(actor=user, base=base)
    return {"application": application.pk, "practice_base": base.pk}


# Cohorts ----------------------------------------------------------------------------------------


@router.get(
    "/cohorts",
    response=list[CohortSummaryOut],
    url_name="training_cohort_list",
    summary="List joint-training cohorts",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def cohort_list(request: HttpRequest, filters: Query[CohortQuery]):
    return _filter(
        selectors_training.cohorts_for(request.auth),
        q=filters.q,
        status=filters.status,
        year=filters.year,
        search=("name", "institution__name"),
    )


@router.post(
    "/cohorts",
    response={201: CohortOut},
    url_name="training_cohort_create",
    summary="Open a joint-training cohort",
)
def cohort_create(request: HttpRequest, payload: CohortIn):
    user = request.auth
    cohort = services_training.cohort_create(
        actor=user,
        name=payload.name,
        region=_region("region", payload.region),
        institution=_organisation(user, "institution", payload.institution),
        year=payload.year,
    )
    return _cohort(user, cohort.pk)


@router.get(
    "/cohorts/{int:cohort_id}",
    response=CohortOut,
    url_name="training_cohort_detail",
    summary="One cohort: mentors, topics, students, the latest run",
)
def cohort_detail(request: HttpRequest, cohort_id: int):
    return _cohort(request.auth, cohort_id)


@router.post(
    "/cohorts/{int:cohort_id}/mentors",
    response=CohortOut,
    url_name="training_cohort_mentor_set",
    summary="Add a mentor or set a mentor's capacity and ranking",
)
def cohort_mentor_set(request: HttpRequest, cohort_id: int, payload: MentorIn):
    user = request.auth
    cohort = _cohort(user, cohort_id)
    services_training.cohort_mentor_set(
        actor=user,
        cohort=cohort,
        mentor=_talent(user, "mentor", payload.mentor, cohort),
        capacity=payload.capacity,
        ranking=payload.ranking,
    )
    return _cohort(user, cohort_id)


@router.post(
    "/cohorts/{int:cohort_id}/topics",
    response=CohortOut,
    url_name="training_cohort_topic_add",
    summary="Add a topic from an enterprise need",
)
def cohort_topic_add(request: HttpRequest, cohort_id: int, payload: TopicIn):
    user = request.auth
    cohort = _cohort(user, cohort_id)
    mentor = cohort.mentors.filter(pk=payload.mentor).first()
    if mentor is None:
        _invalid("mentor", _("Not a mentor of this cohort: %(id)s.") % {"id": payload.mentor})
    need = topic_needs(user, cohort).filter(pk=payload.need).first()
    if need is None:
        _invalid("need", _("Unknown need: %(id)s.") % {"id": payload.need})
    services_training.cohort_topic_add(
        actor=user,
        cohort=cohort,
        need=need,
        title=payload.title,
        mentor=mentor,
        capacity=payload.capacity,
        enterprise_mentor=_talent(
            user, "enterprise_mentor", payload.enterprise_mentor, cohort, need.enterprise_id
        ),
    )
    return _cohort(user, cohort_id)


@router.post(
    "/cohorts/{int:cohort_id}/students",
    response=CohortOut,
    url_name="training_cohort_student_set",
    summary="Add a student or set a student's ranked topics",
)
def cohort_student_set(request: HttpRequest, cohort_id: int, payload: StudentIn):
    user = request.auth
    cohort = _cohort(user, cohort_id)
    services_training.cohort_student_set(
        actor=user,
        cohort=cohort,
        student=_talent(user, "student", payload.student, cohort),
        preferences=payload.preferences,
    )
    return _cohort(user, cohort_id)


@router.post(
    "/cohorts/{int:cohort_id}/run",
    response=RunOut,
    url_name="training_cohort_run",
    summary="Compute the stable allocation (pinned students keep their topic)",
)
def cohort_run(request: HttpRequest, cohort_id: int):
    user = request.auth
    return services_training.allocation_run(actor=user, cohort=_cohort(user, cohort_id))


@router.post(
    "/cohorts/{int:cohort_id}/placements",
    response=StudentOut,
    url_name="training_cohort_placement",
    summary="Pin a student to a topic, or release the pin",
)
def cohort_placement(request: HttpRequest, cohort_id: int, payload: PlacementIn):
    user = request.auth
    cohort = _cohort(user, cohort_id)
    place = cohort.students.filter(pk=payload.student).first()
    if place is None:
        _invalid("student", _("Not a student of this cohort: %(id)s.") % {"id": payload.student})
    topic = None
    if payload.topic is not None:
        topic = cohort.topics.filter(pk=payload.topic).first()
        if topic is None:
            _invalid("topic", _("Not a topic of this cohort: %(id)s.") % {"id": payload.topic})
    services_training.placement_set(
        actor=user, cohort_student=place, topic=topic, pinned=payload.pinned
    )
    return CohortStudent.objects.select_related("student").get(pk=place.pk)


@router.post(
    "/cohorts/{int:cohort_id}/confirm",
    response=list[AgreementOut],
    url_name="training_cohort_confirm",
    summary="Confirm the allocation: one draft agreement per topic with placed students",
)
def cohort_confirm(request: HttpRequest, cohort_id: int, payload: ConfirmIn):
    user = request.auth
    return services_training.allocation_confirm(
        actor=user,
        cohort=_cohort(user, cohort_id),
        start_date=payload.start_date,
        end_date=payload.end_date,
    )


# Agreements -------------------------------------------------------------------------------------


@router.get(
    "/agreements",
    response=list[AgreementOut],
    url_name="training_agreement_list",
    summary="List six-party joint-training agreements",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def agreement_list(request: HttpRequest, filters: Query[StatusQuery]):
    """Each party sees its agreements: the office, the institution, the enterprise, the mentors
    and the students."""
    return _filter(
        selectors_training.agreements_for(request.auth),
        q=filters.q,
        status=filters.status,
        search=("topic", "enterprise__name", "institution__name"),
    )


@router.post(
    "/agreements",
    response={201: AgreementOut},
    url_name="training_agreement_create",
    summary="Record an agreement made outside a cohort (a draft)",
)
def agreement_create(request: HttpRequest, payload: AgreementIn):
    user = request.auth
    practice_base = None
    if payload.practice_base is not None:
        practice_base = (
            selectors_training.practice_bases_for(user).filter(pk=payload.practice_base).first()
        )
        if practice_base is None:
            _invalid(
                "practice_base",
                _("Unknown practice base: %(id)s.") % {"id": payload.practice_base},
            )
    agreement = services_training.agreement_create(
        actor=user,
        region=_region("region", payload.region),
        institution=_organisation(user, "institution", payload.institution),
        enterprise=_organisation(user, "enterprise", payload.enterprise),
        academic_mentor=_talent(user, "academic_mentor", payload.academic_mentor),
        enterprise_mentor=_talent(user, "enterprise_mentor", payload.enterprise_mentor),
        need=_need(user, "need", payload.need),
        topic=payload.topic,
        students=[_talent(user, "students", pk) for pk in payload.students],
        start_date=payload.start_date,
        end_date=payload.end_date,
        practice_base=practice_base,
    )
    return _agreement(user, agreement.pk)


@router.get(
    "/agreements/{int:agreement_id}",
    response=AgreementOut,
    url_name="training_agreement_detail",
    summary="One agreement with its milestones and trainees",
)
def agreement_detail(request: HttpRequest, agreement_id: int):
    return _agreement(request.auth, agreement_id)


@router.post(
    "/agreements/{int:agreement_id}/actions/{action}",
    response=AgreementOut,
    url_name="training_agreement_action",
    summary="Sign, cancel, complete or terminate an agreement",
)
def agreement_action(request: HttpRequest, agreement_id: int, action: str, payload: ReasonIn):
    """``sign`` and ``cancel`` (the office, a draft; a reason to cancel), ``complete`` (the
    office or the institution), ``terminate`` (the office, with a reason)."""
    user = request.auth
    agreement = _agreement(user, agreement_id)
    if action not in {a for (a, _s) in workflow.AGREEMENT}:
        raise Http404
    services_training.agreement_transition(
        actor=user, agreement=agreement, action=action, reason=payload.reason
    )
    return _agreement(user, agreement_id)


@router.post(
    "/agreements/{int:agreement_id}/enterprise-mentor",
    response=AgreementOut,
    url_name="training_agreement_mentor",
    summary="Name the enterprise mentor of a draft agreement",
)
def agreement_mentor(request: HttpRequest, agreement_id: int, payload: EnterpriseMentorIn):
    user = request.auth
    agreement = _agreement(user, agreement_id)
    # The office's step: refuse others before resolving the talent (403, not 422).
    if workflow.Party.OFFICE not in permissions.agreement_parties(user, agreement):
        raise PermissionDenied
    services_training.agreement_mentor_set(
        actor=user,
        agreement=agreement,
        enterprise_mentor=_talent(user, "enterprise_mentor", payload.enterprise_mentor),
    )
    return _agreement(user, agreement_id)


@router.post(
    "/agreements/{int:agreement_id}/milestones",
    response={201: MilestoneOut},
    url_name="training_milestone_add",
    summary="Add a milestone to an agreement",
)
def milestone_add(request: HttpRequest, agreement_id: int, payload: MilestoneIn):
    user = request.auth
    milestone = services_training.milestone_add(
        actor=user,
        agreement=_agreement(user, agreement_id),
        title=payload.title,
        due=payload.due,
        note=payload.note,
    )
    return milestone


@router.post(
    "/milestones/{int:milestone_id}/done",
    response=MilestoneOut,
    url_name="training_milestone_done",
    summary="Mark a milestone done",
)
def milestone_done(request: HttpRequest, milestone_id: int, payload: MilestoneDoneIn):
    user = request.auth
    milestone = Milestone.objects.get(
        pk=milestone_id, agreement__in=selectors_training.agreements_for(user)
    )
    return services_training.milestone_done(
        actor=user, milestone=milestone, done_on=payload.done_on, note=payload.note
    )


@router.post(
    "/trainees/{int:trainee_id}/graduate",
    response=TraineeOut,
    url_name="training_trainee_graduate",
    summary="Record a trainee's graduation and practical result",
)
def trainee_graduate(request: HttpRequest, trainee_id: int, payload: GraduateIn):
    from talentflow.needs.models import Outcome

    user = request.auth
    trainee = _trainee(user, trainee_id)
    outcome = None
    if payload.outcome is not None:
        outcome = Outcome.objects.filter(
            pk=payload.outcome, need_id=trainee.agreement.need_id
        ).first()
        if outcome is None:
            _invalid(
                "outcome",
                _("Not an outcome of the agreement's need: %(id)s.") % {"id": payload.outcome},
            )
    services_training.trainee_graduate(
        actor=user,
        trainee=trainee,
        graduated_on=payload.graduated_on,
        result_summary=payload.result_summary,
        outcome=outcome,
    )
    return _trainee(user, trainee_id)


@router.post(
    "/trainees/{int:trainee_id}/destination",
    response=TraineeOut,
    url_name="training_trainee_destination",
    summary="Record where a graduate works (stayed in the region or not)",
)
def trainee_destination(request: HttpRequest, trainee_id: int, payload: DestinationIn):
    user = request.auth
    trainee = _trainee(user, trainee_id)
    services_training.trainee_destination(
        actor=user,
        trainee=trainee,
        # Any organisation on the platform (as on the page): the graduate's employer.
        destination=_any_organisation("destination", payload.destination),
        destination_region=_region("destination_region", payload.destination_region),
    )
    return _trainee(user, trainee_id)


@router.post(
    "/trainees/{int:trainee_id}/withdraw",
    response=TraineeOut,
    url_name="training_trainee_withdraw",
    summary="A trainee leaves the programme",
)
def trainee_withdraw(request: HttpRequest, trainee_id: int, payload: ReasonIn):
    user = request.auth
    services_training.trainee_withdraw(
        actor=user, trainee=_trainee(user, trainee_id), reason=payload.reason
    )
    return _trainee(user, trainee_id)


# Statistics -------------------------------------------------------------------------------------


@router.get(
    "/stats",
    response=list[RegionStatsOut],
    url_name="training_stats",
    summary="Joint-training figures per region, with the retention rate",
)
def training_stats(request: HttpRequest):
    """Counted from the agreements and practice bases the caller sees."""
    return selectors_training.region_stats(request.auth)
