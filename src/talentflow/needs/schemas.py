"""Shapes of the needs API: what goes out, what comes in.

Money and measurements are exact decimals end to end. They go out as strings exactly as stored
("5000000.00", "98.6000"), and come in as strings ("5000000.00") or whole JSON numbers (5000000).
A JSON number with a fraction (98.6) is refused: by the time it reaches the server it has been
parsed into a binary float, and an amount of 16 or more digits may already have been rounded.

Related records go out with their natural codes next to their names, as in the directory API;
records of the lifecycle itself (needs, proposals, criteria, outcomes, visits) are named by id.
"""

# No "from __future__ import annotations" here: ninja reads these annotations at import.
import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import BeforeValidator, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

from talentflow.directory.schemas import DisciplineIn, OrganisationRef, PoolRef
from talentflow.needs import outcomes as outcome_rules
from talentflow.needs.models import (
    Comparator,
    Confidentiality,
    DeclineReason,
    DocumentKind,
    IpTerms,
    NeedSource,
    NeedStage,
    NeedState,
    OutcomeKind,
    Qualifier,
    TeamRole,
)
from talentflow.reference.api import DisciplineOut, IndustryOut, RegionOut

# Exact decimals ---------------------------------------------------------------------------


def _exact(value: Any) -> Any:
    # bool is an int to Python; true is no amount.
    if isinstance(value, bool | float):
        raise PydanticCustomError(
            "decimal_as_string",
            _(
                'Send the value as a string, e.g. "5000000.00": a JSON number with a '
                "fraction is a binary float and may already be rounded."
            ),
        )
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        return value.strip()
    return value


ExactDecimal = Annotated[
    Decimal,
    BeforeValidator(_exact),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^-?\d+(\.\d+)?$",
            "examples": ["5000000.00"],
            "description": "An exact decimal as a string (a whole JSON number is accepted too)",
        }
    ),
]


def decimal_text(value: Decimal | None) -> str | None:
    """A stored decimal as text, without exponent notation."""
    return None if value is None else format(value, "f")


def _user_name(user) -> str | None:
    return str(user) if user is not None else None


# Outputs ---------------------------------------------------------------------------------


class CriterionOut(Schema):
    id: int
    position: int
    description: str
    comparator: str = Field(description="at_least, at_most, equals or pass_fail")
    comparator_label: str
    target_value: str | None = Field(description="Exact decimal, as stored")
    unit: str

    @staticmethod
    def resolve_comparator_label(obj) -> str:
        return str(obj.get_comparator_display())

    @staticmethod
    def resolve_target_value(obj) -> str | None:
        return decimal_text(obj.target_value)


class DocumentOut(Schema):
    id: int
    kind: str = Field(description="attachment, evidence or outcome_evidence")
    kind_label: str
    name: str = Field(description="The file name as uploaded")
    size: int = Field(description="Bytes")
    content_type: str
    uploaded_at: dt.datetime
    url: str = Field(description="Download through the API (permission-checked)")

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.original_name

    @staticmethod
    def resolve_uploaded_at(obj) -> dt.datetime:
        return obj.created_at

    @staticmethod
    def resolve_url(obj) -> str:
        from django.urls import reverse

        return reverse("api:need_document_download", args=[obj.pk])


class NeedOut(Schema):
    id: int
    title: str
    summary: str = Field(description="The public summary, shown to every solver")
    enterprise: OrganisationRef
    region: RegionOut = Field(description="Region of the talent office that assists the need")
    industry: IndustryOut | None
    state: str = Field(
        description="draft, returned, submitted, published, engaged, verifying, "
        "verified, closed, withdrawn or cancelled"
    )
    state_label: str
    stage: str = Field(
        description="pose (出题), assist (助题), answer (答题), verify (验题), "
        "value (评价) or ended"
    )
    stage_label: str
    stage_due: dt.date | None = Field(description="Deadline of the current stage")
    overdue: bool = Field(description="The current stage is past its deadline")
    confidentiality: str = Field(description="public or confidential")
    source: str = Field(description="posted by the enterprise, or collected on a visit")
    budget_min: str | None = Field(description="Yuan, exact decimal")
    budget_max: str | None = Field(description="Yuan, exact decimal")
    wanted_by: dt.date | None
    proposals_due: dt.date | None
    url: str = Field(description="The need's page in the web application")
    created_at: dt.datetime
    updated_at: dt.datetime

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_stage_label(obj) -> str:
        return str(obj.get_stage_display())

    @staticmethod
    def resolve_overdue(obj) -> bool:
        return obj.is_overdue

    @staticmethod
    def resolve_budget_min(obj) -> str | None:
        return decimal_text(obj.budget_min)

    @staticmethod
    def resolve_budget_max(obj) -> str | None:
        return decimal_text(obj.budget_max)

    @staticmethod
    def resolve_url(obj) -> str:
        return obj.get_absolute_url()


class NeedMayOut(Schema):
    edit: bool = Field(description="PATCH the need now")
    set_criteria: bool = Field(description="PUT its acceptance criteria now")
    propose: bool = Field(description="Submit a proposal (after accepting the terms if needed)")
    accept_terms: bool = Field(description="Accept the confidentiality terms to read the details")


class NeedDetailOut(NeedOut):
    details_hidden: bool = Field(
        description="The need is confidential and the caller has not accepted its terms: "
        "description, current_state and attachments are withheld (null)"
    )
    description: str | None
    current_state: str | None
    target_indicators: str = Field(description="What success looks like, one per line")
    solver_brief: str = Field(description="The need framed for solvers by the talent office")
    disciplines: list[DisciplineOut]
    target_institutions: list[OrganisationRef]
    target_pools: list[PoolRef]
    criteria: list[CriterionOut] = Field(description="What the workshop will check (验题)")
    attachments: list[DocumentOut] | None
    visit: int | None = Field(description="Id of the visit the need was collected on")
    allowed_actions: list[str] = Field(
        description="Transitions the caller may make now: submit, return, publish, withdraw, "
        "cancel, close (POST …/actions/{action}); select (POST proposals/{id}/select); "
        "start_verification (POST …/verification/start); verification_passed and "
        "verification_failed (POST …/verification)"
    )
    may: NeedMayOut

    @staticmethod
    def resolve_description(obj) -> str | None:
        return None if obj.details_hidden else obj.description

    @staticmethod
    def resolve_current_state(obj) -> str | None:
        return None if obj.details_hidden else obj.current_state

    @staticmethod
    def resolve_criteria(obj) -> list:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_attachments(obj) -> list | None:
        if obj.details_hidden:
            return None
        return [d for d in obj.documents.all() if d.kind == DocumentKind.ATTACHMENT]

    @staticmethod
    def resolve_visit(obj) -> int | None:
        return obj.visit_id


class NeedEventOut(Schema):
    at: dt.datetime
    actor: str = Field(description="Who acted: a user's name, or system:<task>")
    action: str
    stage: str = Field(description="The stage the need was in after the event")
    from_state: str
    to_state: str
    note: str = Field(description="The reason or note given")

    @staticmethod
    def resolve_actor(obj) -> str:
        return str(obj.actor) if obj.actor is not None else obj.actor_label


class TalentRef(Schema):
    id: int
    name: str


class TeamMemberOut(Schema):
    talent: TalentRef
    role: str = Field(description="lead, member, student or engineer")
    role_label: str

    @staticmethod
    def resolve_role_label(obj) -> str:
        return str(obj.get_role_display())


class MilestoneOut(Schema):
    id: int
    position: int
    title: str
    due_date: dt.date
    deliverable: str


class ProposalOut(Schema):
    id: int
    need: int
    state: str = Field(description="submitted, shortlisted, selected, declined or withdrawn")
    state_label: str
    organisation: OrganisationRef | None = Field(description="The proposing institution")
    author: str | None
    approach: str
    trl: int = Field(description="Technology readiness level, 1-9")
    cost: str = Field(description="Yuan, exact decimal")
    ip_terms: str
    ip_terms_label: str
    ip_note: str
    members: list[TeamMemberOut]
    milestones: list[MilestoneOut]
    decline_reason: str = Field(
        description="too_early, cost, unclear_route, capacity or other; empty unless declined"
    )
    decline_reason_label: str
    decline_note: str
    decided_at: dt.datetime | None
    created_at: dt.datetime
    allowed_actions: list[str] = Field(
        description="shortlist, decline, withdraw (POST …/actions/{action}) and select "
        "(POST …/select) as the caller may now"
    )

    @staticmethod
    def resolve_need(obj) -> int:
        return obj.need_id

    @staticmethod
    def resolve_state_label(obj) -> str:
        return str(obj.get_state_display())

    @staticmethod
    def resolve_author(obj) -> str | None:
        return _user_name(obj.author)

    @staticmethod
    def resolve_cost(obj) -> str:
        return decimal_text(obj.cost)

    @staticmethod
    def resolve_ip_terms_label(obj) -> str:
        return str(obj.get_ip_terms_display())

    @staticmethod
    def resolve_decline_reason_label(obj) -> str:
        return str(obj.get_decline_reason_display()) if obj.decline_reason else ""

    @staticmethod
    def resolve_members(obj) -> list:
        return list(obj.members.all())

    @staticmethod
    def resolve_milestones(obj) -> list:
        return list(obj.milestones.all())


class EngagementMilestoneOut(MilestoneOut):
    completed_on: dt.date | None


class CheckOut(Schema):
    criterion: CriterionOut
    passed: bool
    measured_value: str | None = Field(description="Exact decimal, as stored")
    unit: str
    note: str
    evidence: list[DocumentOut]

    @staticmethod
    def resolve_measured_value(obj) -> str | None:
        return decimal_text(obj.measured_value)

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.documents.all())


class VerificationRoundOut(Schema):
    number: int
    started_at: dt.datetime
    passed: bool | None = Field(description="null while the round is open")
    findings: str = Field(description="What failed and must be worked on; kept for good")
    recorded_at: dt.datetime | None
    checks: list[CheckOut]

    @staticmethod
    def resolve_started_at(obj) -> dt.datetime:
        return obj.created_at

    @staticmethod
    def resolve_checks(obj) -> list:
        return list(obj.checks.all())


class EngagementOut(Schema):
    id: int
    need: int
    proposal: int
    institution: OrganisationRef | None
    contract_amount: str = Field(description="Yuan, exact decimal")
    signed_on: dt.date
    planned_end: dt.date | None
    members: list[TeamMemberOut]
    milestones: list[EngagementMilestoneOut]
    verification_rounds: list[VerificationRoundOut] = Field(
        description="Every workshop check, oldest first; failed rounds keep their findings"
    )

    @staticmethod
    def resolve_need(obj) -> int:
        return obj.need_id

    @staticmethod
    def resolve_proposal(obj) -> int:
        return obj.proposal_id

    @staticmethod
    def resolve_contract_amount(obj) -> str:
        return decimal_text(obj.contract_amount)

    @staticmethod
    def resolve_members(obj) -> list:
        return list(obj.members.all())

    @staticmethod
    def resolve_milestones(obj) -> list:
        return list(obj.milestones.all())

    @staticmethod
    def resolve_verification_rounds(obj) -> list:
        return list(obj.verification_rounds.all())


class OutcomeOut(Schema):
    id: int
    need: int
    kind: str
    kind_label: str
    amount: str = Field(description="Exact decimal as stored, e.g. 5000000.00")
    unit: str = Field(description="yuan, yuan/<basis> (e.g. yuan/吨), %, count or person")
    unit_basis: str = Field(description="For a cost per unit: the unit, e.g. 吨")
    qualifier: str = Field(description="exact, more_than or about")
    qualifier_label: str
    period_start: dt.date | None
    period_end: dt.date | None
    description: str
    status: str = Field(description="recorded (awaiting confirmation), confirmed or rejected")
    status_label: str
    recorded_by: str | None
    confirmed_by: str | None = Field(description="The officer who confirmed or rejected it")
    confirmed_at: dt.datetime | None
    rejection_reason: str
    evidence: list[DocumentOut]

    @staticmethod
    def resolve_need(obj) -> int:
        return obj.need_id

    @staticmethod
    def resolve_kind_label(obj) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_amount(obj) -> str:
        return decimal_text(obj.amount)

    @staticmethod
    def resolve_unit(obj) -> str:
        return outcome_rules.unit_code(obj.kind, obj.unit_basis)

    @staticmethod
    def resolve_qualifier_label(obj) -> str:
        return str(obj.get_qualifier_display())

    @staticmethod
    def resolve_status_label(obj) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_recorded_by(obj) -> str | None:
        return _user_name(obj.recorded_by)

    @staticmethod
    def resolve_confirmed_by(obj) -> str | None:
        return _user_name(obj.confirmed_by)

    @staticmethod
    def resolve_evidence(obj) -> list:
        return list(obj.documents.all())


class ReportColumnOut(Schema):
    kind: str
    kind_label: str
    unit_basis: str
    unit: str


class ReportTotalOut(Schema):
    kind: str
    unit_basis: str
    unit: str
    amount: str = Field(
        description="Exact decimal: the sum of the confirmed outcomes (money, counts, people) "
        "or their mean (percentages, savings per unit), see `aggregate`"
    )
    aggregate: Literal["sum", "mean"]
    outcomes: int = Field(description="Confirmed outcomes counted in this figure")
    qualifier: Literal["exact", "more_than", "about"] = Field(
        description="more_than: a lower bound (some outcome was reported as 'more than'); "
        "about: approximate"
    )


class OutcomeReportRowOut(Schema):
    key: str = Field(description="Region code, or organisation or talent id")
    label: str
    needs: int = Field(description="Needs with confirmed outcomes counted in this row")
    totals: list[ReportTotalOut]


class OutcomeReportOut(Schema):
    by: str
    columns: list[ReportColumnOut]
    rows: list[OutcomeReportRowOut]


class InstitutionRef(Schema):
    id: int
    name: str


class EngagementReportRowOut(Schema):
    institution: InstitutionRef
    engagements: int
    contract_total: str = Field(description="Yuan, exact decimal")


class VisitOut(Schema):
    id: int
    enterprise: OrganisationRef
    region: RegionOut
    visited_on: dt.date
    visitor_organisation: OrganisationRef | None
    participants: str
    notes: str
    needs: int = Field(description="Needs collected on the visit")
    data_source: str
    created_at: dt.datetime

    @staticmethod
    def resolve_needs(obj) -> int:
        return getattr(obj, "needs_count", 0)


class VisitSummaryOut(Schema):
    visits: int
    enterprises: int = Field(description="Distinct enterprises visited")
    needs: int = Field(description="Needs collected on those visits")


# Inputs ----------------------------------------------------------------------------------

INDUSTRY_HELP = "GB/T 4754-2017 industry code, e.g. 2921"
DISCIPLINES_HELP = (
    'Disciplines as {"scheme": "grad2022", "code": "0805"} or a bare code (digits: graduate '
    "catalogue; a leading letter: NSFC)"
)


class NeedIn(Schema):
    enterprise: int = Field(description="Id of the enterprise posing the need (yours)")
    title: str = Field(min_length=1, max_length=200)
    summary: str = Field(min_length=1, description="Public summary, shown to every solver")
    description: str = Field("", description="Problem description (confidential if so marked)")
    current_state: str = Field("", description="Current state (confidential if so marked)")
    target_indicators: str = Field("", description="What success looks like, one per line")
    industry: str | None = Field(None, description=INDUSTRY_HELP, max_length=4)
    budget_min: ExactDecimal | None = None
    budget_max: ExactDecimal | None = None
    wanted_by: dt.date | None = None
    confidentiality: Confidentiality = Confidentiality.PUBLIC
    visit: int | None = Field(
        None,
        description="Id of the visit (走访) it was collected on: recorded by the visitors, "
        "it arrives already submitted to the talent office",
    )

    @field_validator("description", "current_state", "target_indicators", mode="before")
    @classmethod
    def _none_is_empty(cls, value):
        return "" if value is None else value


class NeedPatch(Schema):
    """Only the fields sent are changed. The enterprise edits the first group while the need
    is a draft or returned; the talent office every field while it is submitted or published."""

    # Typed without None: these may be left out, but not cleared.
    title: str = Field(None, min_length=1, max_length=200)
    summary: str = Field(None, min_length=1)
    confidentiality: Confidentiality = None
    description: str | None = None
    current_state: str | None = None
    target_indicators: str | None = None
    industry: str | None = Field(None, description=INDUSTRY_HELP, max_length=4)
    budget_min: ExactDecimal | None = None
    budget_max: ExactDecimal | None = None
    wanted_by: dt.date | None = None
    solver_brief: str | None = None
    disciplines: list[DisciplineIn | str] | None = Field(None, description=DISCIPLINES_HELP)
    target_institutions: list[int] | None = Field(
        None, description="Ids of institutions the need is aimed at"
    )
    target_pools: list[str] | None = Field(None, description="Codes of talent pools")
    proposals_due: dt.date | None = None


class CriterionIn(Schema):
    description: str = Field(min_length=1, max_length=255)
    comparator: Comparator = Comparator.PASS_FAIL
    target_value: ExactDecimal | None = None
    unit: str = Field("", max_length=32)


class CriteriaIn(Schema):
    criteria: list[CriterionIn] = Field(description="The whole list; it replaces the current one")


class ReasonIn(Schema):
    reason: str = Field("", description="Required to return, withdraw, cancel and reject")


class MemberIn(Schema):
    talent: int = Field(description="Talent id")
    role: TeamRole


class MilestoneIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    due_date: dt.date
    deliverable: str = Field("", max_length=255)


class ProposalIn(Schema):
    approach: str = Field(min_length=1)
    trl: int = Field(ge=1, le=9, description="Technology readiness level, 1-9")
    cost: ExactDecimal
    ip_terms: IpTerms
    ip_note: str = Field("", max_length=255)
    organisation: int | None = Field(None, description="Id of your institution, if for one")
    members: list[MemberIn] = Field(min_length=1, description="The team; exactly one lead")
    milestones: list[MilestoneIn] = Field(default_factory=list)


class ProposalActionIn(Schema):
    reason: DeclineReason | None = Field(None, description="To decline: the coded reason")
    note: str = Field("", description="To decline: the note its author reads")


class DeclineIn(Schema):
    proposal: int = Field(description="Id of another open proposal for the need")
    reason: DeclineReason
    note: str = ""


class SelectIn(Schema):
    contract_amount: ExactDecimal
    signed_on: dt.date
    planned_end: dt.date | None = None
    declines: list[DeclineIn] = Field(
        default_factory=list, description="Every other open proposal, with its coded reason"
    )


class CheckIn(Schema):
    criterion: int = Field(description="Id of an acceptance criterion of the need")
    passed: bool
    measured_value: ExactDecimal | None = None
    unit: str = Field("", max_length=32)
    note: str = ""


class VerificationIn(Schema):
    checks: list[CheckIn] = Field(description="One result per acceptance criterion")
    findings: str = Field("", description="Required when a check failed")


class OutcomeIn(Schema):
    kind: OutcomeKind
    amount: ExactDecimal = Field(
        description="Yuan for money, percent for changes (15 is 15%), whole numbers for counts"
    )
    unit_basis: str = Field("", max_length=16, description="For unit_cost_reduction: e.g. 吨")
    qualifier: Qualifier = Qualifier.EXACT
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    description: str = ""


class VisitIn(Schema):
    enterprise: int = Field(description="Id of the enterprise visited")
    visited_on: dt.date
    visitor_organisation: int | None = Field(None, description="Id of the visiting institute")
    participants: str = Field("", max_length=255)
    notes: str = ""


class MilestoneCompleteIn(Schema):
    completed_on: dt.date


class DocumentIn(Schema):
    kind: DocumentKind = DocumentKind.ATTACHMENT
    check: int | None = Field(None, description="Evidence: id of the criterion check")
    outcome: int | None = Field(None, description="Outcome evidence: id of the outcome")


# Query parameters ------------------------------------------------------------------------


class NeedQuery(Schema):
    q: str | None = Field(None, description="Words in the title, summary, brief or enterprise")
    stage: NeedStage | None = None
    state: NeedState | None = None
    region: str | None = Field(None, description="Region code; a prefecture covers its counties")
    industry: str | None = Field(None, description="Industry code (prefix) or section letter")
    overdue: bool = Field(False, description="Only needs past their stage deadline")
    enterprise: int | None = Field(None, description="Enterprise id")
    source: NeedSource | None = None
    visit: int | None = Field(None, description="Visit id")
    open_only: bool = Field(False, description="Only needs open for proposals")


class OutcomeReportQuery(NeedQuery):
    by: str = Field("region", pattern="^(region|enterprise|institution|expert)$")


class VisitQuery(Schema):
    region: str | None = Field(None, description="Region code (prefix)")
    visitor: int | None = Field(None, description="Id of the visiting organisation")
