"""Programmes (issue 6; DOMAIN.md M1, M3).

**Appointments** (科技副总, 产业教授, 校院企人才"合伙人", 互聘共享): an organisation files an
``AppointmentRequest`` (its need, field, target institutions); the talent office proposes
candidates (found with the matching engine) as ``Appointment`` records; the candidate accepts,
the candidate's employer consents, the host starts the appointment with its term, duties,
working days and salary. During the term the appointee logs ``WorkLog`` entries, the host
reviews each period (``PeriodReview``); the appointment ends, is renewed (a new appointment
``renewed_from`` this one) or is terminated with a reason. ``JointLab`` records the joint
laboratories co-built through appointments.

**Joint training** (六方联动): an enterprise applies to be a graduate practice base
(``PracticeBase``, approved by the office; the 育才补贴 then applies through the rules app). A
``Cohort`` is one allocation round of a region with one institution: mentors with capacities and
their ranking of students, topics taken from real enterprise needs, students' ranked
preferences; the platform computes the stable allocation (``allocation.py``), officers pin or
release placements and re-run. A confirmed allocation becomes ``Agreement`` records binding the
six parties, with milestones; each ``Trainee`` graduates with a practical result and a
destination (stayed in the region or not: retention).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from talentflow.core.models import TimeStampedModel

# Appointments -----------------------------------------------------------------------------


class AppointmentKind(models.TextChoices):
    VICE_PRESIDENT = "vice_president", _("Technology vice president (科技副总)")
    INDUSTRY_PROFESSOR = "industry_professor", _("Industry professor (产业教授)")
    PARTNER = "partner", _("School–enterprise partner (校院企人才“合伙人”)")
    MUTUAL_HIRING = "mutual_hiring", _("Mutual hiring (互聘共享)")


# Kinds in which an enterprise hosts an expert from an institution; an industry professor is
# the reverse: an institution hosts an enterprise engineer.
ENTERPRISE_HOSTED = (
    AppointmentKind.VICE_PRESIDENT,
    AppointmentKind.PARTNER,
    AppointmentKind.MUTUAL_HIRING,
)


class AppointmentLevel(models.TextChoices):
    COUNTY = "county", _("County")
    CITY = "city", _("City")
    PROVINCIAL = "provincial", _("Provincial")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    FILLED = "filled", _("Filled")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AppointmentRequest(TimeStampedModel):
    """An organisation asks for an appointee: an enterprise for a 科技副总 (its need, field,
    target institutions), an institution for an 产业教授 (target enterprises)."""

    kind = models.CharField(_("kind"), max_length=20, choices=AppointmentKind.choices)
    host = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="appointment_requests",
    )
    region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The host's region: its talent office handles the request."),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what the appointee should do"))
    need = models.ForeignKey(
        "needs.Need",
        verbose_name=_("need"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment_requests",
    )
    field = models.CharField(_("field"), max_length=200, blank=True)
    industry = models.ForeignKey(
        "reference.Industry",
        verbose_name=_("industry"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    disciplines = models.ManyToManyField(
        "reference.Discipline", verbose_name=_("disciplines"), blank=True, related_name="+"
    )
    target_organisations = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("target institutions or enterprises"),
        blank=True,
        related_name="targeted_by_appointment_requests",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=RequestStatus.choices,
        default=RequestStatus.OPEN,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("appointment request")
        verbose_name_plural = _("appointment requests")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.host} · {self.get_kind_display()} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:request_detail", args=[self.pk])


class AppointmentStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed to the candidate")
    ACCEPTED = "accepted", _("Accepted, awaiting the employer's consent")
    CONSENTED = "consented", _("Employer consented, awaiting start")
    ACTIVE = "active", _("In office")
    ENDED = "ended", _("Ended")
    TERMINATED = "terminated", _("Terminated")
    DECLINED = "declined", _("Declined by the candidate")
    REFUSED = "refused", _("Refused by the employer")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States that hold a place among the appointee's concurrent appointments.
HOLDING_STATES = (
    AppointmentStatus.ACCEPTED,
    AppointmentStatus.CONSENTED,
    AppointmentStatus.ACTIVE,
)
# States that count as "appointed" (cumulative figures: started at some point).
STARTED_STATES = (
    AppointmentStatus.ACTIVE,
    AppointmentStatus.ENDED,
    AppointmentStatus.TERMINATED,
)


class Appointment(TimeStampedModel):
    """One person appointed (or proposed) to serve a host organisation."""

    request = models.ForeignKey(
        AppointmentRequest,
        verbose_name=_("request"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AppointmentKind.choices)
    level = models.CharField(
        _("level"),
        max_length=16,
        choices=AppointmentLevel.choices,
        default=AppointmentLevel.COUNTY,
    )
    host = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("host organisation"),
        on_delete=models.PROTECT,
        related_name="hosted_appointments",
    )
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    appointee = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("appointee"),
        on_delete=models.PROTECT,
        related_name="appointments",
    )
    employer = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="consented_appointments",
        help_text=_("The appointee's employer, who keeps them and must consent."),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AppointmentStatus.choices,
        default=AppointmentStatus.PROPOSED,
        db_index=True,
    )
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    duties = models.TextField(_("duties"), blank=True)
    days_per_month = models.PositiveSmallIntegerField(
        _("working days per month"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    annual_salary = models.DecimalField(
        _("annual salary (yuan)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("What the host pays the appointee per year."),
    )
    proposal_note = models.TextField(_("why this candidate"), blank=True)
    decision_note = models.TextField(_("reason"), blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    renewed_from = models.OneToOneField(
        "self",
        verbose_name=_("renews"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="renewal",
    )
    letter_number = models.CharField(
        _("letter number"), max_length=40, null=True, blank=True, unique=True
    )
    affiliation = models.ForeignKey(
        "directory.Affiliation",
        verbose_name=_("affiliation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The serving tie recorded on both sides' pages while in office."),
    )
    subsidy_application = models.OneToOneField(
        "rules.Application",
        verbose_name=_("subsidy application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment",
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        ordering = ["-term_start", "-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gt=models.F("term_start")),
                name="appointment_term_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointee} · {self.get_kind_display()} · {self.host}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:appointment_detail", args=[self.pk])


class WorkLogKind(models.TextChoices):
    VISIT = "visit", _("Visit to the host")
    PROBLEM = "problem", _("Technical problem handled")
    TRAINING = "training", _("Training or supervision")
    OTHER = "other", _("Other work")


class WorkLog(TimeStampedModel):
    """What the appointee did on a day of the term."""

    appointment = models.ForeignKey(
        Appointment, verbose_name=_("appointment"), on_delete=models.CASCADE, related_name="logs"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=16, choices=WorkLogKind.choices)
    days = models.DecimalField(
        _("days"),
        max_digits=4,
        decimal_places=1,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("31"))],
    )
    summary = models.TextField(_("what was done"))
    engagement = models.ForeignKey(
        "needs.Engagement",
        verbose_name=_("linked engagement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appointment_logs",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("work log entry")
        verbose_name_plural = _("work log")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.appointment} · {self.date} · {self.get_kind_display()}"


class ReviewRating(models.TextChoices):
    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    PASS = "pass", _("Satisfactory")
    FAIL = "fail", _("Unsatisfactory")


class PeriodReview(TimeStampedModel):
    """The host's review of one period of the term."""

    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("appointment"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    rating = models.CharField(_("rating"), max_length=16, choices=ReviewRating.choices)
    comments = models.TextField(_("comments"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("period review")
        verbose_name_plural = _("period reviews")
        ordering = ["-period_end", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")),
                name="review_period_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["appointment", "period_start"], name="uniq_review_period"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.appointment} · {self.period_start}–{self.period_end}"


class JointLab(TimeStampedModel):
    """A joint laboratory co-built by an enterprise and an institution (联合实验室)."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    enterprise = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="joint_labs",
    )
    institution = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="institution_joint_labs",
    )
    appointment = models.ForeignKey(
        Appointment,
        verbose_name=_("through appointment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="joint_labs",
    )
    established_on = models.DateField(_("established on"))
    description = models.TextField(_("description"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("joint laboratory")
        verbose_name_plural = _("joint laboratories")
        ordering = ["-established_on", "-id"]

    def __str__(self) -> str:
        return self.name


# Joint training (六方联动) ------------------------------------------------------------------


class PracticeBaseStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class PracticeBase(TimeStampedModel):
    """An enterprise's application to be a graduate practice base (研究生实践基地)."""

    enterprise = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="practice_base_applications",
    )
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    institutions = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("partner institutions"),
        blank=True,
        related_name="practice_bases",
    )
    description = models.TextField(_("facilities and supervision offered"))
    capacity = models.PositiveSmallIntegerField(
        _("students it can take"), validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=PracticeBaseStatus.choices,
        default=PracticeBaseStatus.SUBMITTED,
        db_index=True,
    )
    applied_on = models.DateField(_("applied on"))
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decision_note = models.TextField(_("reason"), blank=True)
    subsidy_application = models.OneToOneField(
        "rules.Application",
        verbose_name=_("育才补贴 application"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practice_base",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("filed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("graduate practice base")
        verbose_name_plural = _("graduate practice bases")
        ordering = ["-applied_on", "-id"]
        constraints = [
            # One live application or designation per enterprise at a time.
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(status__in=["submitted", "approved"]),
                name="uniq_live_practice_base",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:practice_base_detail", args=[self.pk])


class CohortStatus(models.TextChoices):
    OPEN = "open", _("Collecting preferences")
    CONFIRMED = "confirmed", _("Allocation confirmed")


class Cohort(TimeStampedModel):
    """One allocation round of joint training: a region's enterprises' topics, one
    institution's students and mentors (e.g. "2026 级入企联培")."""

    name = models.CharField(_("name"), max_length=200)
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="cohorts",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CohortStatus.choices,
        default=CohortStatus.OPEN,
        db_index=True,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("joint-training cohort")
        verbose_name_plural = _("joint-training cohorts")
        ordering = ["-year", "-id"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("programmes:cohort_detail", args=[self.pk])


class CohortMentor(models.Model):
    """An academic mentor of the cohort with a capacity and a strict ranking of students."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="mentors"
    )
    mentor = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("academic mentor"),
        on_delete=models.PROTECT,
        related_name="cohort_mentorships",
    )
    capacity = models.PositiveSmallIntegerField(_("students at most"))
    # The student ids of the cohort (CohortStudent pk), best first.
    ranking = models.JSONField(_("ranking of students"), default=list, blank=True)

    class Meta:
        verbose_name = _("cohort mentor")
        verbose_name_plural = _("cohort mentors")
        ordering = ["cohort_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "mentor"], name="uniq_cohort_mentor")
        ]

    def __str__(self) -> str:
        return str(self.mentor)


class CohortTopic(models.Model):
    """A topic taken from a real enterprise need, offered with an academic mentor."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="topics"
    )
    need = models.ForeignKey(
        "needs.Need", verbose_name=_("need"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    mentor = models.ForeignKey(
        CohortMentor,
        verbose_name=_("academic mentor"),
        on_delete=models.PROTECT,
        related_name="topics",
    )
    enterprise_mentor = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("enterprise mentor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    capacity = models.PositiveSmallIntegerField(_("students at most"))

    class Meta:
        verbose_name = _("cohort topic")
        verbose_name_plural = _("cohort topics")
        ordering = ["cohort_id", "id"]

    def __str__(self) -> str:
        return self.title


class CohortStudent(models.Model):
    """A graduate student of the cohort with ranked topics, and where they are placed."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="students"
    )
    student = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="cohort_places",
    )
    # CohortTopic ids, best first.
    preferences = models.JSONField(_("ranked topics"), default=list, blank=True)
    placed_topic = models.ForeignKey(
        CohortTopic,
        verbose_name=_("placed on"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="placed_students",
    )
    # An officer's adjustment: the placement is kept by every re-run.
    pinned = models.BooleanField(_("pinned by the office"), default=False)

    class Meta:
        verbose_name = _("cohort student")
        verbose_name_plural = _("cohort students")
        ordering = ["cohort_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cohort", "student"], name="uniq_cohort_student")
        ]

    def __str__(self) -> str:
        return str(self.student)


class AllocationRun(models.Model):
    """One computation of a cohort's allocation: what went in, what came out."""

    cohort = models.ForeignKey(
        Cohort, verbose_name=_("cohort"), on_delete=models.CASCADE, related_name="runs"
    )
    run_at = models.DateTimeField(_("run at"))
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("run by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    students = models.PositiveIntegerField(_("students"))
    placed = models.PositiveIntegerField(_("placed"))
    pinned = models.PositiveIntegerField(_("pinned"))
    blocking_pairs = models.PositiveIntegerField(_("blocking pairs"))
    # {"placements": {"CohortStudent pk": CohortTopic pk or null}, "dropped_pairs": n}
    result = models.JSONField(_("result"), default=dict)

    class Meta:
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        ordering = ["-run_at", "-id"]

    def __str__(self) -> str:
        return f"{self.cohort} · {self.run_at:%Y-%m-%d %H:%M}"


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed: in training")
    COMPLETED = "completed", _("Completed")
    TERMINATED = "terminated", _("Terminated")


class Agreement(TimeStampedModel):
    """A six-party joint-training agreement (六方联动): the government (region), the
    institution, the enterprise, the academic mentor, the enterprise mentor and the students,
    on a topic from a real enterprise need."""

    region = models.ForeignKey(
        "reference.Region", verbose_name=_("government"), on_delete=models.PROTECT, related_name="+"
    )
    institution = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("institution"),
        on_delete=models.PROTECT,
        related_name="training_agreements",
    )
    enterprise = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="hosted_training_agreements",
    )
    academic_mentor = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("academic mentor"),
        on_delete=models.PROTECT,
        related_name="academic_agreements",
    )
    enterprise_mentor = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("enterprise mentor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="enterprise_agreements",
    )
    need = models.ForeignKey(
        "needs.Need",
        verbose_name=_("topic (need)"),
        on_delete=models.PROTECT,
        related_name="training_agreements",
    )
    topic = models.CharField(_("topic"), max_length=200)
    cohort_topic = models.OneToOneField(
        CohortTopic,
        verbose_name=_("cohort topic"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreement",
    )
    practice_base = models.ForeignKey(
        PracticeBase,
        verbose_name=_("practice base"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
    )
    start_date = models.DateField(_("starts"))
    end_date = models.DateField(_("ends"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=AgreementStatus.choices,
        default=AgreementStatus.DRAFT,
        db_index=True,
    )
    end_reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("joint-training agreement")
        verbose_name_plural = _("joint-training agreements")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gt=models.F("start_date")),
                name="agreement_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.topic}"

    def get_absolute_url(self) -> str:
        return reverse("programmes:agreement_detail", args=[self.pk])


class Milestone(TimeStampedModel):
    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("due"))
    done_on = models.DateField(_("done on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due", "id"]

    def __str__(self) -> str:
        return self.title


class TraineeStatus(models.TextChoices):
    TRAINING = "training", _("In training")
    GRADUATED = "graduated", _("Graduated")
    WITHDRAWN = "withdrawn", _("Left the programme")


class Trainee(TimeStampedModel):
    """A graduate student under an agreement: "带着课题入企上学、捧着实践成果毕业"."""

    agreement = models.ForeignKey(
        Agreement, verbose_name=_("agreement"), on_delete=models.CASCADE, related_name="trainees"
    )
    student = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("student"),
        on_delete=models.PROTECT,
        related_name="traineeships",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=TraineeStatus.choices,
        default=TraineeStatus.TRAINING,
        db_index=True,
    )
    graduated_on = models.DateField(_("graduated on"), null=True, blank=True)
    result_summary = models.TextField(_("practical result"), blank=True)
    outcome = models.ForeignKey(
        "needs.Outcome",
        verbose_name=_("linked outcome"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # After graduation: where the graduate works, and whether that is in the agreement's
    # region (留善 for 嘉善). Null while unknown.
    destination = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("works at"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    destination_region = models.ForeignKey(
        "reference.Region",
        verbose_name=_("works in"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    stayed = models.BooleanField(_("stayed in the region"), null=True, blank=True)

    class Meta:
        verbose_name = _("trainee")
        verbose_name_plural = _("trainees")
        ordering = ["agreement_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "student"], name="uniq_trainee")
        ]

    def __str__(self) -> str:
        return f"{self.student} · {self.agreement}"
