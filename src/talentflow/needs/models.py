"""Needs and everything that happens to them: 企业出题 → 政府助题 → 平台答题 → 车间验题 → 市场评价.

A ``Need`` is an enterprise's technical problem. Its ``state`` follows ``workflow.py``; every
change of state is also a ``NeedEvent`` (the timeline the parties read) and an ``AuditEvent``
(the trail officers audit). Proposals answer a published need; selecting one makes the
``Engagement`` (合作 / 横向项目); ``VerificationRound``s record the workshop's checks of the
``AcceptanceCriterion``s; ``Outcome``s are the market's verdict, confirmed by the office.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentflow.core.models import DataSource, StoredFile, TimeStampedModel
from talentflow.core.uploads import stored_name
from talentflow.needs import workflow


class NeedState(models.TextChoices):
    DRAFT = workflow.State.DRAFT, _("Draft")
    RETURNED = workflow.State.RETURNED, _("Returned for revision")
    SUBMITTED = workflow.State.SUBMITTED, _("Awaiting the talent office")
    PUBLISHED = workflow.State.PUBLISHED, _("Open for proposals")
    ENGAGED = workflow.State.ENGAGED, _("Being solved")
    VERIFYING = workflow.State.VERIFYING, _("Workshop verification")
    VERIFIED = workflow.State.VERIFIED, _("Verified, outcomes being measured")
    CLOSED = workflow.State.CLOSED, _("Closed with outcomes")
    WITHDRAWN = workflow.State.WITHDRAWN, _("Withdrawn")
    CANCELLED = workflow.State.CANCELLED, _("Cancelled")


class NeedStage(models.TextChoices):
    POSE = workflow.Stage.POSE, _("Enterprise poses (企业出题)")
    ASSIST = workflow.Stage.ASSIST, _("Government assists (政府助题)")
    ANSWER = workflow.Stage.ANSWER, _("Platform answers (平台答题)")
    VERIFY = workflow.Stage.VERIFY, _("Workshop verifies (车间验题)")
    VALUE = workflow.Stage.VALUE, _("Market values (市场评价)")
    ENDED = workflow.Stage.ENDED, _("Ended")


class Confidentiality(models.TextChoices):
    PUBLIC = "public", _("Public")
    CONFIDENTIAL = "confidential", _("Details only for solvers who accept the terms")


class NeedSource(models.TextChoices):
    POSTED = "posted", _("Posted by the enterprise")
    VISIT = "visit", _("Collected on an enterprise visit")


class EnterpriseVisit(TimeStampedModel):
    """A visit to an enterprise (走访) by the talent office or an institute, to collect needs."""

    enterprise = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="visits",
    )
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    visited_on = models.DateField(_("visited on"))
    visitor_organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("visited by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="visits_made",
    )
    participants = models.CharField(_("participants"), max_length=255, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    data_source = models.CharField(
        _("source"), max_length=16, choices=DataSource.choices, default=DataSource.ENTERED
    )

    class Meta:
        verbose_name = _("enterprise visit")
        verbose_name_plural = _("enterprise visits")
        ordering = ["-visited_on", "-id"]

    def __str__(self) -> str:
        return f"{self.visited_on} {self.enterprise}"


class Need(TimeStampedModel):
    enterprise = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        related_name="needs",
    )
    # The region of the talent office that assists the need: the enterprise's, when posed.
    region = models.ForeignKey(
        "reference.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(
        _("public summary"),
        help_text=_("Shown to every solver, also when the details are confidential."),
    )
    description = models.TextField(_("problem description"), blank=True)
    current_state = models.TextField(_("current state"), blank=True)
    target_indicators = models.TextField(
        _("target indicators"),
        blank=True,
        help_text=_("What success looks like, e.g. “corrosion life +30%”, one per line."),
    )
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
    budget_min = models.DecimalField(
        _("budget from (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    budget_max = models.DecimalField(
        _("budget up to (yuan)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    wanted_by = models.DateField(_("solution wanted by"), null=True, blank=True)
    confidentiality = models.CharField(
        _("confidentiality"),
        max_length=16,
        choices=Confidentiality.choices,
        default=Confidentiality.PUBLIC,
    )
    # 助题: the talent office's framing of the problem for solvers.
    solver_brief = models.TextField(
        _("brief for solvers"),
        blank=True,
        help_text=_("The need rewritten in the solvers' language by the talent office."),
    )
    target_institutions = models.ManyToManyField(
        "directory.Organisation",
        verbose_name=_("target institutions"),
        blank=True,
        related_name="targeted_needs",
    )
    target_pools = models.ManyToManyField(
        "directory.Pool", verbose_name=_("target talent pools"), blank=True, related_name="needs"
    )
    proposals_due = models.DateField(_("proposals due"), null=True, blank=True)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=NeedState.choices,
        default=NeedState.DRAFT,
        db_index=True,
    )
    stage_due = models.DateField(_("current stage due"), null=True, blank=True, db_index=True)
    source = models.CharField(
        _("how it arrived"), max_length=16, choices=NeedSource.choices, default=NeedSource.POSTED
    )
    visit = models.ForeignKey(
        EnterpriseVisit,
        verbose_name=_("visit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="needs",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    data_source = models.CharField(
        _("source"), max_length=16, choices=DataSource.choices, default=DataSource.ENTERED
    )

    class Meta:
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(budget_min__isnull=True)
                | models.Q(budget_max__isnull=True)
                | models.Q(budget_max__gte=models.F("budget_min")),
                name="need_budget_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("needs:detail", args=[self.pk])

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if (
            self.budget_min is not None
            and self.budget_max is not None
            and self.budget_max < self.budget_min
        ):
            raise ValidationError(
                {"budget_max": _("The upper end of the budget is below its lower end.")}
            )

    @property
    def stage(self) -> str:
        return workflow.STAGE_OF[workflow.State(self.state)].value

    def get_stage_display(self) -> str:
        return NeedStage(self.stage).label

    @property
    def is_final(self) -> bool:
        return self.state in workflow.FINAL_STATES

    @property
    def is_overdue(self) -> bool:
        return bool(self.stage_due and not self.is_final and self.stage_due < dt.date.today())

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality == Confidentiality.CONFIDENTIAL


class NeedEvent(models.Model):
    """One entry of a need's timeline: who did what at which stage, with the reason or note."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_label = models.CharField(_("by"), max_length=150)
    action = models.CharField(_("action"), max_length=48)
    from_state = models.CharField(max_length=16, blank=True)
    to_state = models.CharField(max_length=16, blank=True)
    note = models.TextField(_("note"), blank=True)
    # Set on proposal events: their notes (a decline reason) are for the proposal's people and
    # the deciders, not for every solver who can see the need.
    proposal = models.ForeignKey(
        "needs.Proposal",
        verbose_name=_("proposal"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
    )

    class Meta:
        verbose_name = _("need event")
        verbose_name_plural = _("need events")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.action} {self.need}"

    @property
    def stage(self) -> str:
        state = self.to_state or self.from_state
        return workflow.STAGE_OF[workflow.State(state)].value if state else ""


class Comparator(models.TextChoices):
    AT_LEAST = "at_least", _("at least (≥)")
    AT_MOST = "at_most", _("at most (≤)")
    EQUALS = "equals", _("equal to (=)")
    PASS_FAIL = "pass_fail", _("pass / fail")


class AcceptanceCriterion(models.Model):
    """What the workshop will check on its line (验题), set by the talent office (助题)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="criteria")
    position = models.PositiveSmallIntegerField(_("order"), default=1)
    description = models.CharField(_("criterion"), max_length=255)
    comparator = models.CharField(
        _("comparison"), max_length=16, choices=Comparator.choices, default=Comparator.PASS_FAIL
    )
    target_value = models.DecimalField(
        _("target value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("acceptance criterion")
        verbose_name_plural = _("acceptance criteria")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.comparator != Comparator.PASS_FAIL and self.target_value is None:
            raise ValidationError(
                {"target_value": _("A measured criterion needs the value to reach.")}
            )


class ConfidentialityAcceptance(models.Model):
    """A user accepted the platform's confidentiality terms for one need's details."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    terms_version = models.CharField(_("terms version"), max_length=16)
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("confidentiality acceptance")
        verbose_name_plural = _("confidentiality acceptances")
        constraints = [
            models.UniqueConstraint(fields=["need", "user"], name="uniq_confidentiality_acceptance")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.need}"


class IpTerms(models.TextChoices):
    ENTERPRISE = "enterprise", _("The enterprise owns the results")
    SHARED = "shared", _("Jointly owned")
    SOLVER_LICENSED = "solver_licensed", _("The solver owns them and licenses the enterprise")
    OTHER = "other", _("Other (see note)")


class ProposalState(models.TextChoices):
    SUBMITTED = workflow.ProposalState.SUBMITTED, _("Submitted")
    SHORTLISTED = workflow.ProposalState.SHORTLISTED, _("Shortlisted")
    SELECTED = workflow.ProposalState.SELECTED, _("Selected")
    DECLINED = workflow.ProposalState.DECLINED, _("Declined")
    WITHDRAWN = workflow.ProposalState.WITHDRAWN, _("Withdrawn")


class DeclineReason(models.TextChoices):
    TOO_EARLY = "too_early", _("Technology too early")
    COST = "cost", _("Cost")
    UNCLEAR_ROUTE = "unclear_route", _("Unclear technical route")
    CAPACITY = "capacity", _("Capacity of the team")
    OTHER = "other", _("Other")


class TeamRole(models.TextChoices):
    LEAD = "lead", _("Lead expert")
    MEMBER = "member", _("Team member")
    STUDENT = "student", _("Graduate student")
    ENGINEER = "engineer", _("Enterprise engineer")


class Proposal(TimeStampedModel):
    """A solver's structured answer to a published need (答题)."""

    need = models.ForeignKey(
        Need, verbose_name=_("need"), on_delete=models.CASCADE, related_name="proposals"
    )
    # Empty when the proposal was recorded by a system task (the demo's historical cases).
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    approach = models.TextField(_("approach"))
    trl = models.PositiveSmallIntegerField(
        _("technology readiness level"),
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text=_("1 (basic principles) to 9 (proven in production)."),
    )
    cost = models.DecimalField(
        _("cost (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    ip_terms = models.CharField(_("IP terms"), max_length=16, choices=IpTerms.choices)
    ip_note = models.CharField(_("IP note"), max_length=255, blank=True)
    state = models.CharField(
        _("state"),
        max_length=16,
        choices=ProposalState.choices,
        default=ProposalState.SUBMITTED,
        db_index=True,
    )
    decline_reason = models.CharField(
        _("reason declined"), max_length=16, choices=DeclineReason.choices, blank=True
    )
    decline_note = models.TextField(_("note on the decision"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        who = self.organisation or self.lead_name or self.author
        return f"{self.need} · {who}"

    @property
    def lead_name(self) -> str:
        lead = next((m for m in self.members.all() if m.role == TeamRole.LEAD), None)
        return lead.talent.name if lead else ""


class TeamMember(models.Model):
    """A talent on a proposal's or an engagement's team, with their role."""

    talent = models.ForeignKey(
        "directory.TalentProfile",
        verbose_name=_("talent"),
        on_delete=models.PROTECT,
        related_name="%(class)ss",  # proposalmembers, engagementmembers
    )
    role = models.CharField(_("role"), max_length=16, choices=TeamRole.choices)

    class Meta:
        abstract = True
        ordering = ["role", "id"]

    def __str__(self) -> str:
        return f"{self.talent} ({self.get_role_display()})"


class Milestone(models.Model):
    """A planned step with its due date and deliverable."""

    position = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("milestone"), max_length=200)
    due_date = models.DateField(_("due"))
    deliverable = models.CharField(_("deliverable"), max_length=255, blank=True)

    class Meta:
        abstract = True
        ordering = ["position", "due_date", "id"]

    def __str__(self) -> str:
        return self.title


class ProposalMember(TeamMember):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="members")

    class Meta(TeamMember.Meta):
        verbose_name = _("proposal team member")
        verbose_name_plural = _("proposal team members")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "talent"], name="uniq_proposal_member")
        ]


class ProposalMilestone(Milestone):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="milestones")

    class Meta(Milestone.Meta):
        verbose_name = _("proposal milestone")
        verbose_name_plural = _("proposal milestones")


class Engagement(TimeStampedModel):
    """The collaboration a selected proposal becomes (合作 / 横向项目)."""

    need = models.OneToOneField(
        Need, verbose_name=_("need"), on_delete=models.CASCADE, related_name="engagement"
    )
    proposal = models.OneToOneField(
        Proposal, verbose_name=_("proposal"), on_delete=models.PROTECT, related_name="engagement"
    )
    institution = models.ForeignKey(
        "directory.Organisation",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="engagements",
    )
    contract_amount = models.DecimalField(
        _("contract amount (yuan)"),
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0"))],
    )
    signed_on = models.DateField(_("signed on"))
    planned_end = models.DateField(_("planned end"), null=True, blank=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.need} · {self.institution or self.proposal}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.planned_end and self.signed_on and self.planned_end < self.signed_on:
            raise ValidationError({"planned_end": _("The planned end is before the signing.")})


class EngagementMember(TeamMember):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="members")

    class Meta(TeamMember.Meta):
        verbose_name = _("engagement team member")
        verbose_name_plural = _("engagement team members")
        constraints = [
            models.UniqueConstraint(fields=["engagement", "talent"], name="uniq_engagement_member")
        ]


class EngagementMilestone(Milestone):
    engagement = models.ForeignKey(Engagement, on_delete=models.CASCADE, related_name="milestones")
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta(Milestone.Meta):
        verbose_name = _("engagement milestone")
        verbose_name_plural = _("engagement milestones")


class VerificationRound(TimeStampedModel):
    """One workshop check (验题) of every criterion; a failed round keeps its findings."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="verification_rounds"
    )
    number = models.PositiveSmallIntegerField(_("round"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    passed = models.BooleanField(_("passed"), null=True, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    class Meta:
        verbose_name = _("verification round")
        verbose_name_plural = _("verification rounds")
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["engagement", "number"], name="uniq_verification_round")
        ]

    def __str__(self) -> str:
        return f"{self.engagement.need} · {self.number}"


class CriterionCheck(models.Model):
    round = models.ForeignKey(VerificationRound, on_delete=models.CASCADE, related_name="checks")
    criterion = models.ForeignKey(
        AcceptanceCriterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        related_name="checks",
    )
    passed = models.BooleanField(_("passed"))
    measured_value = models.DecimalField(
        _("measured value"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=32, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("criterion check")
        verbose_name_plural = _("criterion checks")
        ordering = ["criterion__position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "criterion"], name="uniq_criterion_check")
        ]

    def __str__(self) -> str:
        return f"{self.criterion}: {'✓' if self.passed else '✗'}"


class OutcomeKind(models.TextChoices):
    OUTPUT_VALUE = "output_value", _("New output value")
    REVENUE = "revenue", _("Revenue")
    COST_REDUCTION = "cost_reduction", _("Cost reduction (total)")
    UNIT_COST_REDUCTION = "unit_cost_reduction", _("Cost reduction per unit")
    ENERGY_REDUCTION = "energy_reduction", _("Energy reduction")
    LIFETIME_CHANGE = "lifetime_change", _("Service life increase")
    PASS_RATE_CHANGE = "pass_rate_change", _("Pass-rate increase")
    INVENTION_PATENT_FILED = "invention_patent_filed", _("Invention patents filed")
    INVENTION_PATENT_GRANTED = "invention_patent_granted", _("Invention patents granted")
    UTILITY_PATENT_FILED = "utility_patent_filed", _("Utility-model patents filed")
    UTILITY_PATENT_GRANTED = "utility_patent_granted", _("Utility-model patents granted")
    STANDARD = "standard", _("Standards")
    NEW_PRODUCT = "new_product", _("New products")
    STUDENTS_RETAINED = "students_retained", _("Graduate students retained in the region")


class Qualifier(models.TextChoices):
    EXACT = "exact", _("exactly")
    MORE_THAN = "more_than", _("more than")
    ABOUT = "about", pgettext_lazy("approximately", "about")


class OutcomeStatus(models.TextChoices):
    RECORDED = "recorded", _("Awaiting confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REJECTED = "rejected", _("Rejected")


class Outcome(TimeStampedModel):
    """A measured result of a solved need (市场评价), in exact decimals with its unit.

    The unit follows from the kind (``outcomes.UNITS``); a per-unit cost names its basis
    (吨 for yuan per tonne). Only outcomes the talent office confirmed are counted.
    """

    need = models.ForeignKey(
        Need, verbose_name=_("need"), on_delete=models.CASCADE, related_name="outcomes"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=OutcomeKind.choices)
    amount = models.DecimalField(_("amount"), max_digits=18, decimal_places=2)
    unit_basis = models.CharField(
        _("per"),
        max_length=16,
        blank=True,
        help_text=_("For a cost per unit: the unit it is counted in, e.g. 吨 (tonne)."),
    )
    qualifier = models.CharField(
        _("qualifier"), max_length=16, choices=Qualifier.choices, default=Qualifier.EXACT
    )
    period_start = models.DateField(_("measured from"), null=True, blank=True)
    period_end = models.DateField(_("measured until"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OutcomeStatus.choices,
        default=OutcomeStatus.RECORDED,
        db_index=True,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    rejection_reason = models.TextField(_("reason rejected"), blank=True)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount} · {self.need}"


def _document_path(instance: Document, filename: str) -> str:
    return stored_name(f"needs/{instance.need_id}", filename)


class DocumentKind(models.TextChoices):
    ATTACHMENT = "attachment", _("Attachment of the need")
    EVIDENCE = "evidence", _("Verification evidence")
    OUTCOME_EVIDENCE = "outcome_evidence", _("Outcome evidence")


class Document(StoredFile):
    """A file attached to a need, a verification check or an outcome. Served only through a
    permission-checked view, never as a public media URL."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=24, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=255)
    check_ref = models.ForeignKey(
        CriterionCheck,
        verbose_name=_("criterion check"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )
    outcome = models.ForeignKey(
        Outcome,
        verbose_name=_("outcome"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="documents",
    )

    class Meta(StoredFile.Meta):
        verbose_name = _("document")
        verbose_name_plural = _("documents")
