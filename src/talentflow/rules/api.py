"""Policies and subsidies over the API, under ``/api/rules``: policies and their versions, a
draft's what-if, computing an amount with its explanation, and applications (申报) from
creation to payout — the same selectors and services as the pages, the same rules."""

# No "from __future__ import annotations" here: ninja reads these annotations at import.
import datetime as dt
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate
from ninja.responses import Status

from talentflow.core.services import require
from talentflow.directory.models import TalentProfile
from talentflow.directory.selectors import organisation_visible
from talentflow.rules import facts as fact_specs
from talentflow.rules import permissions, selectors, services
from talentflow.rules import policy as engine
from talentflow.rules.models import Application, Evidence, Policy, PolicyVersionRecord

router = Router(tags=["rules"])

PAGE_SIZE = settings.TALENTFLOW_PAGE_SIZE


def _text(value) -> str | None:
    return None if value is None else format(value, "f")


# Schemas ---------------------------------------------------------------------------------


class StepSchema(Schema):
    name: str
    expression: str = Field(description="rule-engine expression over facts, parameters, steps")
    reads: str = Field("", description="How the step reads, e.g. {annual_salary} × {rate}")


class FactSchema(Schema):
    name: str
    kind: str = Field(
        description="money, number, bool (yes/no), date or text; choice for the platform's own"
    )


class VersionOut(Schema):
    id: int
    policy: str = Field(description="Policy code")
    number: int
    effective_from: dt.date
    status: str
    params: dict[str, Any] = Field(description="Exact decimals are strings")
    eligibility: str
    steps: list[StepSchema]
    facts: list[str]
    fact_types: list[FactSchema] = Field(description="Each fact the version asks, with its type")
    published_at: dt.datetime | None

    @staticmethod
    def resolve_policy(obj: PolicyVersionRecord) -> str:
        return obj.policy.code

    @staticmethod
    def resolve_fact_types(obj: PolicyVersionRecord) -> list[dict[str, str]]:
        return [{"name": n, "kind": fact_specs.spec(n, obj.fact_kinds).kind} for n in obj.facts]


class BudgetOut(Schema):
    year: int
    budget: str | None
    in_review: str
    committed: str = Field(description="Approved, not yet paid")
    paid: str
    left: str | None


def _budget_out(b: selectors.BudgetFigures) -> dict[str, Any]:
    return {
        "year": b.year,
        "budget": _text(b.budget),
        "in_review": _text(b.in_review),
        "committed": _text(b.committed),
        "paid": _text(b.paid),
        "left": _text(b.left),
    }


class PolicyOut(Schema):
    id: int
    code: str
    name: str
    name_en: str
    region: str = Field(description="Owning region, GB/T 2260 code")
    kind: str = Field(description="money or flag")
    applicant_kind: str
    description: str

    @staticmethod
    def resolve_region(obj: Policy) -> str:
        return obj.region_id


class PolicyDetailOut(PolicyOut):
    current_version: VersionOut | None
    budgets: list[BudgetOut] | None = Field(
        None, description="Per year; for the policy's talent office, finance and admins"
    )


class VersionPatch(Schema):
    effective_from: dt.date | None = None
    params: dict[str, str] | None = Field(None, description='Exact decimals as text: "0.40"')
    eligibility: str | None = None
    steps: list[StepSchema] | None = None
    facts: list[FactSchema] | None = Field(
        None, description="The facts asked, each a name and a type (replaces the list)"
    )
    note: str | None = None


class WhatIfRowOut(Schema):
    application: int
    applicant: str
    status: str
    applied_on: dt.date
    now: str
    draft: str | None
    difference: str | None
    error: str


class WhatIfBudgetOut(Schema):
    year: int
    budget: str | None
    paid: str
    committed_now: str
    committed_draft: str
    in_review_now: str
    in_review_draft: str
    left_now: str | None
    left_draft: str | None


class WhatIfOut(Schema):
    version: int
    total_now: str
    total_draft: str
    total_difference: str
    rows: list[WhatIfRowOut]
    budgets: list[WhatIfBudgetOut]


class ComputeIn(Schema):
    facts: dict[str, Any] = Field(description='Money as text, e.g. {"annual_salary": "480000"}')
    on: dt.date | None = Field(None, description="The date whose version applies (default today)")
    version: int | None = Field(None, description="A version id (e.g. a draft) instead of a date")


class ComputationOut(Schema):
    policy: str
    version: int
    effective_from: str
    eligible: bool
    amount: str
    granted: bool | None
    params: dict[str, Any]
    facts: dict[str, Any]
    steps: list[dict[str, Any]]
    explanation: list[str]


class ApplicationOut(Schema):
    id: int
    policy: str
    applicant_organisation: int | None = Field(None, alias="applicant_organisation_id")
    applicant_talent: int | None = Field(None, alias="applicant_talent_id")
    applicant: str
    talent: int | None = Field(None, alias="talent_id")
    applied_on: dt.date
    year: int
    status: str
    facts: dict[str, Any]
    amount: str | None
    granted: bool | None
    return_reason: str
    withdrawal_reason: str

    @staticmethod
    def resolve_policy(obj: Application) -> str:
        return obj.policy.code

    @staticmethod
    def resolve_applicant(obj: Application) -> str:
        return obj.applicant_name

    @staticmethod
    def resolve_amount(obj: Application) -> str | None:
        return _text(obj.amount) if obj.computed_at else None


class EventOut(Schema):
    action: str
    from_status: str
    to_status: str
    note: str
    actor: str | None
    at: dt.datetime

    @staticmethod
    def resolve_actor(obj) -> str | None:
        return str(obj.actor) if obj.actor_id else None


class EvidenceOut(Schema):
    id: int
    original_name: str
    size: int


class PayoutOut(Schema):
    amount: str
    paid_on: dt.date
    reference: str

    @staticmethod
    def resolve_amount(obj) -> str:
        return _text(obj.amount)


class ApplicationDetailOut(ApplicationOut):
    computation: dict[str, Any] = Field(description="Amount, version, parameters, steps")
    explanation: list[str]
    events: list[EventOut]
    evidence: list[EvidenceOut]
    payout: PayoutOut | None
    allowed_actions: list[str]

    @staticmethod
    def resolve_events(obj: Application) -> list:
        return list(obj.events.select_related("actor"))

    @staticmethod
    def resolve_evidence(obj: Application) -> list:
        return list(obj.evidence.all())

    @staticmethod
    def resolve_payout(obj: Application):
        return getattr(obj, "payout", None)

    @staticmethod
    def resolve_allowed_actions(obj: Application) -> list[str]:
        return obj.allowed


class ApplicationIn(Schema):
    policy: int = Field(description="Policy id")
    organisation: int | None = Field(None, description="Applicant enterprise id")
    talent: int | None = Field(None, description="Talent concerned (科技副总 subsidy)")
    facts: dict[str, Any]


class ApplicationPatch(Schema):
    facts: dict[str, Any]
    talent: int | None = None


class ReviewAction(StrEnum):
    OFFICE_APPROVE = "office_approve"
    OFFICE_RETURN = "office_return"
    FINANCE_APPROVE = "finance_approve"
    FINANCE_RETURN = "finance_return"


class ReviewIn(Schema):
    action: ReviewAction
    reason: str = Field("", description="Required to return")


class WithdrawIn(Schema):
    reason: str = Field("", description="Why the applicant withdraws (optional)")


class PayoutIn(Schema):
    paid_on: dt.date | None = None
    reference: str = ""


class ApplicationQuery(Schema):
    q: str | None = None
    policy: int | None = None
    status: str | None = None
    year: int | None = None
    applicant: int | None = Field(None, description="Applicant enterprise id")


# Helpers ---------------------------------------------------------------------------------


def _version(user, version_id: int) -> PolicyVersionRecord:
    return selectors.version_visible(user=user).get(pk=version_id)


def _detail(user, application: Application) -> Application:
    from talentflow.rules import workflow

    parties = permissions.parties(user, application)
    application.allowed = [
        str(a)
        for a in workflow.allowed_actions(
            application.status, parties, flag=not application.policy.is_money
        )
    ]
    return application


def _detail_out(user, application_id: int) -> Application:
    return _detail(user, selectors.application_get(user=user, pk=application_id))


def _talent(user, talent_id: int | None) -> TalentProfile | None:
    if talent_id is None:
        return None
    from talentflow.directory.selectors import talent_visible

    talent = talent_visible(user=user).filter(pk=talent_id).first()
    if talent is None:
        raise ValidationError({"talent": _("Unknown talent: %(id)s.") % {"id": talent_id}})
    return talent


# Policies and versions -------------------------------------------------------------------


@router.get("/policies", response=list[PolicyOut], url_name="rules_policy_list", summary="Policies")
def policy_list(request: HttpRequest) -> QuerySet[Policy]:
    """Every policy: enterprises and talents apply under them."""
    return selectors.policy_list(user=request.auth)


@router.get(
    "/policies/{int:policy_id}",
    response=PolicyDetailOut,
    url_name="rules_policy_detail",
    summary="One policy",
)
def policy_detail(request: HttpRequest, policy_id: int) -> Policy:
    """The policy, its version in force and — for its talent office, finance and admins —
    each year's budget, committed, paid and left."""
    user = request.auth
    policy = selectors.policy_get(user=user, pk=policy_id)
    policy.current_version = selectors.current_version(policy)
    policy.budgets = (
        [_budget_out(b) for b in selectors.budgets(policy)]
        if permissions.sees_budget(user, policy)
        else None
    )
    return policy


@router.post(
    "/policies/{int:policy_id}/versions",
    response={201: VersionOut},
    url_name="rules_version_draft",
    summary="Draft a new version",
)
def version_draft(request: HttpRequest, policy_id: int):
    """A draft copied from the current version (the policy's talent office, admins)."""
    policy = selectors.policy_get(user=request.auth, pk=policy_id)
    return services.version_draft_create(actor=request.auth, policy=policy)


@router.get(
    "/versions/{int:version_id}",
    response=VersionOut,
    url_name="rules_version_detail",
    summary="A version",
)
def version_detail(request: HttpRequest, version_id: int) -> PolicyVersionRecord:
    return _version(request.auth, version_id)


@router.patch(
    "/versions/{int:version_id}",
    response=VersionOut,
    url_name="rules_version_update",
    summary="Change a draft version",
)
def version_update(
    request: HttpRequest, version_id: int, payload: VersionPatch
) -> PolicyVersionRecord:
    """Parameters are exact decimals as text; expressions must compute; a published version
    never changes (422)."""
    version = _version(request.auth, version_id)
    return services.version_update(
        actor=request.auth,
        version=version,
        effective_from=payload.effective_from,
        params=payload.params,
        eligibility=payload.eligibility,
        steps=[s.dict() for s in payload.steps] if payload.steps is not None else None,
        facts=[f.dict() for f in payload.facts] if payload.facts is not None else None,
        note=payload.note,
    )


@router.get(
    "/versions/{int:version_id}/what-if",
    response=WhatIfOut,
    url_name="rules_version_whatif",
    summary="What-if of a version",
)
def version_whatif(request: HttpRequest, version_id: int) -> dict[str, Any]:
    """Every application not yet paid: its amount now and under this version, and each
    year's committed and left now and under it."""
    user = request.auth
    version = _version(user, version_id)
    require(permissions.can_manage_policy(user, version.policy))
    result = selectors.what_if(version)
    return {
        "version": version.number,
        "total_now": _text(result.total_now),
        "total_draft": _text(result.total_draft),
        "total_difference": _text(result.total_difference),
        "rows": [
            {
                "application": r.application.pk,
                "applicant": r.application.applicant_name,
                "status": r.application.status,
                "applied_on": r.application.applied_on,
                "now": _text(r.now),
                "draft": _text(r.draft),
                "difference": _text(r.difference),
                "error": r.error,
            }
            for r in result.rows
        ],
        "budgets": [
            {
                "year": b.year,
                "budget": _text(b.budget),
                "paid": _text(b.paid),
                "committed_now": _text(b.committed_now),
                "committed_draft": _text(b.committed_draft),
                "in_review_now": _text(b.in_review_now),
                "in_review_draft": _text(b.in_review_draft),
                "left_now": _text(b.left_now),
                "left_draft": _text(b.left_draft),
            }
            for b in result.budgets
        ],
    }


@router.post(
    "/versions/{int:version_id}/publish",
    response=VersionOut,
    url_name="rules_version_publish",
    summary="Publish a draft version",
)
def version_publish(request: HttpRequest, version_id: int) -> PolicyVersionRecord:
    """Audited; applications already computed keep their computation."""
    version = _version(request.auth, version_id)
    return services.version_publish(actor=request.auth, version=version)


@router.delete(
    "/versions/{int:version_id}",
    response={204: None},
    url_name="rules_version_discard",
    summary="Discard a draft version",
)
def version_discard(request: HttpRequest, version_id: int):
    """The policy's talent office (or an admin) discards its draft; audited. A published
    version is never discarded (422)."""
    version = _version(request.auth, version_id)
    services.version_discard(actor=request.auth, version=version)
    return Status(204, None)


@router.post(
    "/policies/{int:policy_id}/compute",
    response=ComputationOut,
    url_name="rules_policy_compute",
    summary="Compute an amount",
)
def policy_compute(request: HttpRequest, policy_id: int, payload: ComputeIn) -> dict[str, Any]:
    """Eligibility and amount with the explanation, for the given facts, under the version in
    force on ``on`` (or a version you may see). Nothing is stored."""
    user = request.auth
    policy = selectors.policy_get(user=user, pk=policy_id)
    if payload.version is not None:
        record = _version(user, payload.version)
        if record.policy_id != policy.pk:
            raise ValidationError({"version": _("Not a version of this policy.")})
    else:
        try:
            record = selectors.version_in_force(policy, payload.on or timezone.localdate())
        except engine.PolicyError as error:
            raise ValidationError({"on": str(error)}) from error
    kinds = record.fact_kinds
    facts = fact_specs.clean(record.facts, payload.facts, kinds)
    for name in record.facts:
        if fact_specs.spec(name, kinds).derived:
            facts.setdefault(name, bool(payload.facts.get(name, False)))
    try:
        result = engine.compute(record.to_pure(), fact_specs.for_engine(facts, kinds))
    except engine.PolicyError as error:
        raise ValidationError({"facts": str(error)}) from error
    return services.computation_data(result, record)


# Applications ----------------------------------------------------------------------------


@router.get(
    "/applications",
    response=list[ApplicationOut],
    url_name="rules_application_list",
    summary="Applications",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=100)
def application_list(request: HttpRequest, filters: Query[ApplicationQuery]):
    """The applications you may see: your own (enterprise or talent), or those of your
    region's policies (talent office, finance)."""
    return selectors.application_list(
        user=request.auth,
        filters=selectors.ApplicationFilters(
            q=(filters.q or "").strip(),
            policy=filters.policy,
            status=filters.status or "",
            year=filters.year,
            applicant=filters.applicant,
        ),
    )


@router.post(
    "/applications",
    response={201: ApplicationDetailOut},
    url_name="rules_application_create",
    summary="Create an application (申报)",
)
def application_create(request: HttpRequest, payload: ApplicationIn):
    """A draft: add evidence (``/evidence``), then submit."""
    user = request.auth
    policy = selectors.policy_get(user=user, pk=payload.policy)
    organisation = None
    if payload.organisation is not None:
        organisation = organisation_visible(user=user).filter(pk=payload.organisation).first()
        if organisation is None:
            raise ValidationError(
                {"organisation": _("Unknown organisation: %(id)s.") % {"id": payload.organisation}}
            )
    application = services.application_create(
        actor=user,
        policy=policy,
        organisation=organisation,
        talent=_talent(user, payload.talent),
        facts=payload.facts,
    )
    return _detail_out(user, application.pk)


@router.get(
    "/applications/{int:application_id}",
    response=ApplicationDetailOut,
    url_name="rules_application_detail",
    summary="One application",
)
def application_detail(request: HttpRequest, application_id: int) -> Application:
    """With its computation (the explanation), review history, evidence and payout."""
    return _detail_out(request.auth, application_id)


@router.patch(
    "/applications/{int:application_id}",
    response=ApplicationDetailOut,
    url_name="rules_application_update",
    summary="Amend an application",
)
def application_update(
    request: HttpRequest, application_id: int, payload: ApplicationPatch
) -> Application:
    user = request.auth
    application = selectors.application_get(user=user, pk=application_id)
    services.application_update(
        actor=user,
        application=application,
        facts=payload.facts,
        talent=_talent(user, payload.talent),
    )
    return _detail_out(user, application_id)


@router.post(
    "/applications/{int:application_id}/evidence",
    response={201: EvidenceOut},
    url_name="rules_application_evidence",
    summary="Attach evidence",
)
def application_evidence(
    request: HttpRequest, application_id: int, file: File[UploadedFile]
) -> Evidence:
    user = request.auth
    application = selectors.application_get(user=user, pk=application_id)
    return services.evidence_add(actor=user, application=application, upload=file)


@router.post(
    "/applications/{int:application_id}/submit",
    response=ApplicationDetailOut,
    url_name="rules_application_submit",
    summary="Submit an application",
)
def application_submit(request: HttpRequest, application_id: int) -> Application:
    """Computed now, with the version in force on the application's date, and kept."""
    user = request.auth
    application = selectors.application_get(user=user, pk=application_id)
    services.application_submit(actor=user, application=application)
    return _detail_out(user, application_id)


@router.post(
    "/applications/{int:application_id}/review",
    response=ApplicationDetailOut,
    url_name="rules_application_review",
    summary="Review an application",
)
def application_review(request: HttpRequest, application_id: int, payload: ReviewIn) -> Application:
    """The talent office, then finance, approve or return with a reason. Finance's approval
    is refused beyond the year's budget left."""
    user = request.auth
    application = selectors.application_get(user=user, pk=application_id)
    services.application_review(
        actor=user, application=application, action=payload.action.value, reason=payload.reason
    )
    return _detail_out(user, application_id)


@router.post(
    "/applications/{int:application_id}/withdraw",
    response=ApplicationDetailOut,
    url_name="rules_application_withdraw",
    summary="Withdraw an application",
)
def application_withdraw(
    request: HttpRequest, application_id: int, payload: WithdrawIn
) -> Application:
    """The applicant withdraws an application not yet approved (by finance) nor paid. It is
    kept as withdrawn, counts in no budget and is never resubmitted: apply anew."""
    user = request.auth
    application = selectors.application_get(user=user, pk=application_id)
    services.application_withdraw(actor=user, application=application, reason=payload.reason)
    return _detail_out(user, application_id)


@router.post(
    "/applications/{int:application_id}/payout",
    response={201: PayoutOut},
    url_name="rules_application_payout",
    summary="Record the payout",
)
def application_payout(request: HttpRequest, application_id: int, payload: PayoutIn):
    """Finance records the one payment of an approved amount; a second is refused (422)."""
    user = request.auth
    application = selectors.application_get(user=user, pk=application_id)
    return services.payout_record(
        actor=user, application=application, paid_on=payload.paid_on, reference=payload.reference
    )
