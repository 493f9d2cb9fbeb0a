"""The need lifecycle over the API: 企业出题 → 政府助题 → 平台答题 → 车间验题 → 市场评价.

The same operations as the web pages, under the same rules: each endpoint parses its input,
resolves the references in it, and calls one selector (to read) or one service (to write).
The selectors decide which needs, proposals and visits a caller sees (404 otherwise); the
services decide who may change what (403) and in which state (422). Confidential details go
out only when ``permissions.sees_details`` says so.

Everything lives under ``/api/needs`` (the router mounted by ``talentflow/api.py``); records
that are not reached through one need — proposals, documents, milestones, reports, visits —
have their own path segment there: ``/api/needs/proposals/{id}``, ``/api/needs/visits``, …
"""

# No "from __future__ import annotations" here: ninja reads these annotations at import.
from collections.abc import Iterable
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.db.models import Count, QuerySet, prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile
from ninja.pagination import PageNumberPagination, paginate

from talentflow.core.models import DataSource
from talentflow.core.services import require
from talentflow.directory.api import References, sent
from talentflow.directory.models import Organisation, OrganisationKind
from talentflow.directory.selectors import organisation_visible
from talentflow.needs import outcomes as outcome_rules
from talentflow.needs import permissions, selectors, services, workflow
from talentflow.needs.models import (
    CriterionCheck,
    Document,
    Engagement,
    EngagementMilestone,
    EnterpriseVisit,
    Need,
    NeedEvent,
    Outcome,
    OutcomeKind,
    Proposal,
)
from talentflow.needs.schemas import (
    CriteriaIn,
    CriterionOut,
    DocumentIn,
    DocumentOut,
    EngagementOut,
    EngagementReportRowOut,
    MilestoneCompleteIn,
    NeedDetailOut,
    NeedEventOut,
    NeedIn,
    NeedOut,
    NeedPatch,
    NeedQuery,
    OutcomeIn,
    OutcomeOut,
    OutcomeReportOut,
    OutcomeReportQuery,
    ProposalActionIn,
    ProposalIn,
    ProposalOut,
    ReasonIn,
    SelectIn,
    VerificationIn,
    VisitIn,
    VisitOut,
    VisitQuery,
    VisitSummaryOut,
    decimal_text,
)

router = Router(tags=["needs"])

PAGE_SIZE = settings.TALENTFLOW_PAGE_SIZE
CENT = Decimal("0.01")
MAX_PAGE_SIZE = 100


class NeedAction(StrEnum):
    SUBMIT = "submit"
    RETURN = "return"
    PUBLISH = "publish"
    WITHDRAW = "withdraw"
    CANCEL = "cancel"
    CLOSE = "close"


class ProposalAction(StrEnum):
    SHORTLIST = "shortlist"
    DECLINE = "decline"
    WITHDRAW = "withdraw"


# (service, whether it takes the reason)
NEED_ACTIONS = {
    NeedAction.SUBMIT: (services.need_submit, False),
    NeedAction.RETURN: (services.need_return, True),
    NeedAction.PUBLISH: (services.need_publish, False),
    NeedAction.WITHDRAW: (services.need_withdraw, True),
    NeedAction.CANCEL: (services.need_cancel, True),
    NeedAction.CLOSE: (services.need_close, False),
}


# Reading helpers -------------------------------------------------------------------------


def _visible_need(user, need_id: int) -> Need:
    """The need without its detail prefetches, for endpoints about one of its parts."""
    return selectors.need_visible(user=user).select_related("region", "enterprise").get(pk=need_id)


def _need_with_access(user, need: Need) -> Need:
    """Mark ``need`` with what the caller may see and do, for the output schemas."""
    # parties() looks at the engagement's team; one prefetch serves every later check.
    prefetch_related_objects([need], "engagement__members")
    parties = permissions.parties(user, need)
    need.details_hidden = not permissions.sees_details(user, need)
    need.allowed_actions = [str(a) for a in workflow.allowed_actions(need.state, parties)]
    need.may = {
        "edit": permissions.can_edit_need(user, need),
        "set_criteria": permissions.can_assist(user, need),
        "propose": permissions.can_propose(user, need),
        "accept_terms": need.details_hidden,
    }
    return need


def _need_detail(user, need_id: int) -> Need:
    return _need_with_access(user, selectors.need_get(user=user, pk=need_id))


def _require_party(user, need: Need) -> None:
    # The contract amount, the workshop's findings and the measured outcomes are the business
    # of the enterprise, its talent office and the solvers (as on the need's page); authors of
    # declined proposals still see the need itself.
    require(bool(permissions.parties(user, need)), _("Only the parties of the need see this."))


def _require_report_reader(user) -> None:
    # Reports sum outcomes across enterprises: the talent offices' statistics (see the brief).
    require(permissions.can_view_reports(user), _("Reports are for the talent office."))


def _proposal_actions(user, proposal: Proposal) -> list[str]:
    parties = permissions.proposal_parties(user, proposal)
    found = []
    for action in workflow.ProposalAction:
        try:
            workflow.check_proposal(action, proposal.state, parties)
            if action == workflow.ProposalAction.SELECT:
                workflow.check(
                    workflow.Action.SELECT,
                    proposal.need.state,
                    permissions.parties(user, proposal.need),
                )
        except workflow.TransitionError:
            continue
        found.append(str(action))
    return found


def _proposals_out(user, need: Need, proposals: Iterable[Proposal]) -> list[Proposal]:
    prefetch_related_objects([need], "engagement__members")
    out = []
    for proposal in proposals:
        proposal.need = need
        proposal.allowed_actions = _proposal_actions(user, proposal)
        out.append(proposal)
    return out


def _proposal(user, proposal_id: int) -> Proposal:
    """A proposal the caller may see: its need is visible to them and the proposal among
    those ``selectors.proposals_visible`` shows them."""
    need_id = Proposal.objects.filter(pk=proposal_id).values_list("need_id", flat=True).first()
    if need_id is None:
        raise Http404
    need = _visible_need(user, need_id)
    proposal = selectors.proposals_visible(user=user, need=need).get(pk=proposal_id)
    return _proposals_out(user, need, [proposal])[0]


def _engagement(need: Need) -> Engagement:
    engagement = selectors.engagement_get(need=need)
    if engagement is None:
        raise Http404
    return engagement


def _outcomes(need: Need) -> list[Outcome]:
    outcomes = list(need.outcomes.order_by("created_at", "id"))
    prefetch_related_objects(outcomes, "recorded_by", "confirmed_by", "documents")
    return outcomes


def _outcome_out(need: Need, outcome_id: int) -> Outcome:
    """Re-read after a write, so the amount is returned exactly as stored."""
    return next(o for o in _outcomes(need) if o.pk == outcome_id)


def _filters(query: NeedQuery) -> selectors.NeedFilters:
    return selectors.NeedFilters(
        q=query.q or "",
        stage=query.stage.value if query.stage else "",
        state=query.state.value if query.state else "",
        region=(query.region or "").strip(),
        industry=(query.industry or "").strip(),
        overdue=query.overdue,
        enterprise=query.enterprise,
        source=query.source.value if query.source else "",
        visit=query.visit,
        open_only=query.open_only,
    )


# Resolving references --------------------------------------------------------------------


def _organisations(refs: References, field: str, ids: Iterable[int]) -> list[Organisation]:
    wanted = set(ids)
    found = list(organisation_visible(user=refs.user).filter(pk__in=wanted))
    missing = sorted(wanted - {o.pk for o in found})
    if missing:
        refs.fail(
            field,
            _("Unknown organisation: %(id)s.") % {"id": ", ".join(str(m) for m in missing)},
        )
    return found


def _text(value: str | None) -> str:
    return value if value is not None else ""


def need_data(payload: dict[str, Any], *, refs: References) -> dict[str, Any]:
    """Service arguments from a need body (only the keys present in it)."""
    data: dict[str, Any] = {}
    for name, value in payload.items():
        if name == "industry":
            data[name] = refs.industry(name, value)
        elif name == "disciplines":
            data[name] = refs.disciplines(name, value or [])
        elif name == "target_pools":
            data[name] = refs.pools(name, value or [])
        elif name == "target_institutions":
            data[name] = _organisations(refs, name, value or [])
        elif name in {"description", "current_state", "target_indicators", "solver_brief"}:
            data[name] = _text(value)
        elif name == "confidentiality":
            data[name] = str(value.value)
        else:
            data[name] = value
    return data


# Needs -----------------------------------------------------------------------------------


@router.get("", response=list[NeedOut], url_name="need_list", summary="List needs")
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def need_list(request: HttpRequest, filters: Query[NeedQuery]) -> QuerySet[Need]:
    """The needs you can see, filtered as on the web list, a page at a time: the enterprise
    its own, the talent office those of its region once submitted, solvers those open to them
    and those they answered."""
    return selectors.need_list(user=request.auth, filters=_filters(filters))


@router.post(
    "", response={201: NeedDetailOut}, url_name="need_create", summary="Pose a need (出题)"
)
def need_create(request: HttpRequest, payload: NeedIn) -> Need:
    """The enterprise poses a need: it is saved as a draft, to be submitted. With ``visit``,
    the talent office or the visiting institute records a need collected on a visit (走访),
    which arrives submitted."""
    user = request.auth
    refs = References(user=user)
    visit = None
    if payload.visit is not None:
        visit = (
            selectors.visit_visible(user=user)
            .select_related("enterprise")
            .filter(pk=payload.visit)
            .first()
        )
        if visit is None:
            refs.fail("visit", _("Unknown visit: %(id)s.") % {"id": payload.visit})
    if visit is not None and visit.enterprise_id == payload.enterprise:
        enterprise = visit.enterprise
    else:
        enterprise = refs.organisation("enterprise", payload.enterprise)
    body = sent(payload, all_fields=True)
    for name in ("enterprise", "visit", "title", "summary"):
        body.pop(name)
    data = need_data(body, refs=refs)
    refs.raise_if_any()
    need = services.need_create(
        actor=user,
        enterprise=enterprise,
        title=payload.title,
        summary=payload.summary,
        visit=visit,
        data_source=DataSource.API,
        **data,
    )
    return _need_detail(user, need.pk)


@router.get("/{int:need_id}", response=NeedDetailOut, url_name="need_detail", summary="One need")
def need_detail(request: HttpRequest, need_id: int) -> Need:
    """The need with its criteria and what you may do now. The description, current state
    and attachments of a confidential need are withheld (``details_hidden``) until you accept
    its confidentiality terms, unless you are a party to it."""
    return _need_detail(request.auth, need_id)


@router.patch(
    "/{int:need_id}", response=NeedDetailOut, url_name="need_update", summary="Change a need"
)
def need_update(request: HttpRequest, need_id: int, payload: NeedPatch) -> Need:
    """Change the fields sent: the enterprise its text while the need is a draft or
    returned; the talent office frames it (brief, codes, targets, deadline) while it is
    submitted or published."""
    user = request.auth
    need = _visible_need(user, need_id)
    refs = References(user=user)
    data = need_data(sent(payload), refs=refs)
    refs.raise_if_any()
    services.need_update(actor=user, need=need, data=data)
    return _need_detail(user, need.pk)


@router.put(
    "/{int:need_id}/criteria",
    response=list[CriterionOut],
    url_name="need_criteria_set",
    summary="Set the acceptance criteria (助题)",
)
def need_criteria_set(request: HttpRequest, need_id: int, payload: CriteriaIn) -> list:
    """Replace the criteria the workshop will check. The talent office sets them while
    assisting, until a verification has checked them."""
    user = request.auth
    need = _visible_need(user, need_id)
    services.criteria_set(
        actor=user,
        need=need,
        criteria=[c.model_dump() for c in payload.criteria],
    )
    return list(need.criteria.all())


@router.post(
    "/{int:need_id}/actions/{action}",
    response=NeedDetailOut,
    url_name="need_action",
    summary="Move a need on: submit, return, publish, withdraw, cancel, close",
)
def need_action(
    request: HttpRequest, need_id: int, action: NeedAction, payload: ReasonIn | None = None
) -> Need:
    """``submit`` (enterprise), ``return`` (talent office, with a reason), ``publish``
    (talent office), ``withdraw`` (either, with a reason, until a solver is selected),
    ``cancel`` (either, with a reason, during the engagement), ``close`` (talent office,
    after outcomes are confirmed). Wrong party: 403; wrong state: 422."""
    user = request.auth
    need = _visible_need(user, need_id)
    service, takes_reason = NEED_ACTIONS[action]
    arguments: dict[str, Any] = {"actor": user, "need": need}
    if takes_reason:
        arguments["reason"] = payload.reason if payload is not None else ""
    service(**arguments)
    return _need_detail(user, need.pk)


@router.post(
    "/{int:need_id}/accept-terms",
    response=NeedDetailOut,
    url_name="need_accept_terms",
    summary="Accept the confidentiality terms",
)
def need_accept_terms(request: HttpRequest, need_id: int) -> Need:
    """Accept the platform's confidentiality terms for this need; the answer then holds its
    details. A need without confidential details answers 422."""
    user = request.auth
    need = _visible_need(user, need_id)
    services.confidentiality_accept(actor=user, need=need)
    return _need_detail(user, need.pk)


@router.get(
    "/{int:need_id}/timeline",
    response=list[NeedEventOut],
    url_name="need_timeline",
    summary="A need's timeline",
)
def need_timeline(request: HttpRequest, need_id: int) -> QuerySet[NeedEvent]:
    """Every step, oldest first: when, who, what, the stage it led to and the reason given."""
    need = _visible_need(request.auth, need_id)
    return selectors.need_timeline(need=need, user=request.auth)


@router.post(
    "/{int:need_id}/documents",
    response={201: DocumentOut},
    url_name="need_document_add",
    summary="Attach a file",
)
def need_document_add(
    request: HttpRequest,
    need_id: int,
    payload: Form[DocumentIn],
    file: File[UploadedFile],
) -> Document:
    """A multipart upload. ``attachment``: the enterprise while posing, the talent office
    while assisting; ``evidence`` of a criterion check (``check``): the enterprise;
    ``outcome_evidence`` of an outcome (``outcome``): the parties of the need."""
    user = request.auth
    need = _visible_need(user, need_id)
    refs = References(user=user)
    check = outcome = None
    if payload.check is not None:
        check = CriterionCheck.objects.filter(
            pk=payload.check, round__engagement__need=need
        ).first()
        if check is None:
            refs.fail("check", _("Not a criterion check of this need."))
    if payload.outcome is not None:
        outcome = need.outcomes.filter(pk=payload.outcome).first()
        if outcome is None:
            refs.fail("outcome", _("Not an outcome of this need."))
    refs.raise_if_any()
    return services.document_add(
        actor=user,
        need=need,
        upload=file,
        kind=str(payload.kind.value),
        check=check,
        outcome=outcome,
    )


@router.get(
    "/documents/{int:document_id}",
    url_name="need_document_download",
    summary="Download a file",
    response={200: None},
)
def need_document_download(request: HttpRequest, document_id: int) -> FileResponse:
    """The file, to those who may read it (``permissions.can_download``, as the web page):
    attachments to whoever sees the details, evidence to the need's parties. Otherwise 404."""
    user = request.auth
    document = Document.objects.select_related("need").filter(pk=document_id).first()
    if document is None or not permissions.can_download(user, document):
        raise Http404
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
    )


# Proposals (答题) ------------------------------------------------------------------------


@router.get(
    "/{int:need_id}/proposals",
    response=list[ProposalOut],
    url_name="proposal_list",
    summary="Proposals for a need",
)
def proposal_list(request: HttpRequest, need_id: int) -> list[Proposal]:
    """The enterprise and its talent office see every proposal; a solver sees their own."""
    user = request.auth
    need = _visible_need(user, need_id)
    return _proposals_out(user, need, selectors.proposals_visible(user=user, need=need))


@router.post(
    "/{int:need_id}/proposals",
    response={201: ProposalOut},
    url_name="proposal_create",
    summary="Answer a need with a proposal",
)
def proposal_create(request: HttpRequest, need_id: int, payload: ProposalIn) -> Proposal:
    """Institutions and talents answer a published need they can see (a confidential one
    after accepting its terms): approach, team with roles, TRL, milestones, cost, IP terms."""
    user = request.auth
    need = _visible_need(user, need_id)
    refs = References(user=user)
    organisation = refs.organisation("organisation", payload.organisation)
    refs.raise_if_any()
    proposal = services.proposal_submit(
        actor=user,
        need=need,
        approach=payload.approach,
        trl=payload.trl,
        cost=payload.cost,
        ip_terms=str(payload.ip_terms.value),
        ip_note=payload.ip_note,
        organisation=organisation,
        members=[(m.talent, str(m.role.value)) for m in payload.members],
        milestones=[m.model_dump() for m in payload.milestones],
    )
    return _proposal(user, proposal.pk)


@router.get(
    "/proposals/{int:proposal_id}",
    response=ProposalOut,
    url_name="proposal_detail",
    summary="One proposal",
)
def proposal_detail(request: HttpRequest, proposal_id: int) -> Proposal:
    return _proposal(request.auth, proposal_id)


@router.post(
    "/proposals/{int:proposal_id}/actions/{action}",
    response=ProposalOut,
    url_name="proposal_action",
    summary="Shortlist, decline or withdraw a proposal",
)
def proposal_action(
    request: HttpRequest,
    proposal_id: int,
    action: ProposalAction,
    payload: ProposalActionIn | None = None,
) -> Proposal:
    """``shortlist`` and ``decline`` (with a coded ``reason`` and a ``note``, required for
    "other"): the enterprise or its talent office. ``withdraw``: the proposal's author."""
    user = request.auth
    proposal = _proposal(user, proposal_id)
    if action == ProposalAction.SHORTLIST:
        services.proposal_shortlist(actor=user, proposal=proposal)
    elif action == ProposalAction.DECLINE:
        reason = payload.reason.value if payload is not None and payload.reason else ""
        note = payload.note if payload is not None else ""
        services.proposal_decline(actor=user, proposal=proposal, reason_code=reason, note=note)
    else:
        services.proposal_withdraw(actor=user, proposal=proposal)
    return _proposal(user, proposal.pk)


@router.post(
    "/proposals/{int:proposal_id}/select",
    response={201: EngagementOut},
    url_name="proposal_select",
    summary="Select a proposal: the engagement starts",
)
def proposal_select(request: HttpRequest, proposal_id: int, payload: SelectIn) -> Engagement:
    """The enterprise or its talent office selects one proposal, with the contract; every
    other open proposal is declined with the coded reason given for it in ``declines``."""
    user = request.auth
    proposal = _proposal(user, proposal_id)
    engagement = services.proposal_select(
        actor=user,
        proposal=proposal,
        contract_amount=payload.contract_amount,
        signed_on=payload.signed_on,
        planned_end=payload.planned_end,
        declines={d.proposal: (str(d.reason.value), d.note) for d in payload.declines},
    )
    return _engagement(engagement.need)


# The engagement and its verification (验题) ----------------------------------------------


@router.get(
    "/{int:need_id}/engagement",
    response=EngagementOut,
    url_name="need_engagement",
    summary="The engagement on a need",
)
def need_engagement(request: HttpRequest, need_id: int) -> Engagement:
    """Contract, team, milestones and every verification round with its checks and
    findings. For the parties of the need; 404 before a proposal is selected."""
    user = request.auth
    need = _visible_need(user, need_id)
    _require_party(user, need)
    return _engagement(need)


@router.post(
    "/{int:need_id}/verification/start",
    response=EngagementOut,
    url_name="need_verification_start",
    summary="Start the workshop verification",
)
def need_verification_start(request: HttpRequest, need_id: int) -> Engagement:
    """The solvers deliver, or the enterprise calls them to the line: a new round opens."""
    user = request.auth
    need = _visible_need(user, need_id)
    services.verification_start(actor=user, need=need)
    return _engagement(need)


@router.post(
    "/{int:need_id}/verification",
    response=EngagementOut,
    url_name="need_verification_record",
    summary="Record the workshop verification",
)
def need_verification_record(
    request: HttpRequest, need_id: int, payload: VerificationIn
) -> Engagement:
    """The enterprise records the check of every criterion. All passed: the need is
    verified. Any failed: it returns to work (engaged) and the round keeps its findings."""
    user = request.auth
    need = _visible_need(user, need_id)
    services.verification_record(
        actor=user,
        need=need,
        checks=[c.model_dump() for c in payload.checks],
        findings=payload.findings,
    )
    return _engagement(need)


@router.post(
    "/milestones/{int:milestone_id}/complete",
    response=EngagementOut,
    url_name="need_milestone_complete",
    summary="Mark an engagement milestone done",
)
def need_milestone_complete(
    request: HttpRequest, milestone_id: int, payload: MilestoneCompleteIn
) -> Engagement:
    user = request.auth
    milestone = (
        EngagementMilestone.objects.select_related("engagement").filter(pk=milestone_id).first()
    )
    if milestone is None:
        raise Http404
    need = _visible_need(user, milestone.engagement.need_id)
    services.milestone_complete(actor=user, milestone=milestone, completed_on=payload.completed_on)
    return _engagement(need)


# Outcomes (评价) -------------------------------------------------------------------------


@router.get(
    "/{int:need_id}/outcomes",
    response=list[OutcomeOut],
    url_name="outcome_list",
    summary="A need's outcomes",
)
def outcome_list(request: HttpRequest, need_id: int) -> list[Outcome]:
    """Measured outcomes with their exact amounts and units, and who confirmed them. For
    the parties of the need."""
    user = request.auth
    need = _visible_need(user, need_id)
    _require_party(user, need)
    return _outcomes(need)


@router.post(
    "/{int:need_id}/outcomes",
    response={201: OutcomeOut},
    url_name="outcome_create",
    summary="Record an outcome",
)
def outcome_create(request: HttpRequest, need_id: int, payload: OutcomeIn) -> Outcome:
    """After the workshop verification, a party of the need records a measured outcome; it
    waits for the talent office's confirmation. ``amount`` is an exact decimal string."""
    user = request.auth
    need = _visible_need(user, need_id)
    outcome = services.outcome_record(
        actor=user,
        need=need,
        kind=str(payload.kind.value),
        amount=payload.amount,
        unit_basis=payload.unit_basis,
        qualifier=str(payload.qualifier.value),
        period_start=payload.period_start,
        period_end=payload.period_end,
        description=payload.description,
    )
    return _outcome_out(need, outcome.pk)


def _need_outcome(user, need_id: int, outcome_id: int) -> tuple[Need, Outcome]:
    need = _visible_need(user, need_id)
    return need, need.outcomes.get(pk=outcome_id)


@router.post(
    "/{int:need_id}/outcomes/{int:outcome_id}/confirm",
    response=OutcomeOut,
    url_name="outcome_confirm",
    summary="Confirm an outcome",
)
def outcome_confirm(request: HttpRequest, need_id: int, outcome_id: int) -> Outcome:
    """The talent office of the need's region confirms a recorded outcome: it now counts."""
    user = request.auth
    need, outcome = _need_outcome(user, need_id, outcome_id)
    services.outcome_confirm(actor=user, outcome=outcome)
    return _outcome_out(need, outcome.pk)


@router.post(
    "/{int:need_id}/outcomes/{int:outcome_id}/reject",
    response=OutcomeOut,
    url_name="outcome_reject",
    summary="Reject an outcome",
)
def outcome_reject(
    request: HttpRequest, need_id: int, outcome_id: int, payload: ReasonIn
) -> Outcome:
    """The talent office refuses a recorded outcome, saying why."""
    user = request.auth
    need, outcome = _need_outcome(user, need_id, outcome_id)
    services.outcome_reject(actor=user, outcome=outcome, reason=payload.reason)
    return _outcome_out(need, outcome.pk)


# Reports ---------------------------------------------------------------------------------


def _cents(total: Decimal) -> Decimal:
    # Sums of two-place amounts have two places. PostgreSQL keeps them; SQLite sums in
    # floating point and hands back e.g. 10000000 (exact to 15 digits, the scale lost).
    return total.quantize(CENT)


@router.get(
    "/reports/outcomes",
    response=OutcomeReportOut,
    url_name="outcome_report",
    summary="Confirmed outcomes per region, enterprise, institution or expert",
)
def outcome_report(request: HttpRequest, filters: Query[OutcomeReportQuery]) -> dict:
    """Confirmed outcomes over the needs you can see (filtered as the list), one row per
    region, enterprise, institution or expert (each team member is credited with the whole
    outcome): money, counts and people summed, percentages and savings per unit averaged,
    each figure with its qualifier. Talent offices and administrators."""
    user = request.auth
    _require_report_reader(user)
    rows, columns = selectors.outcome_report(user=user, by=filters.by, filters=_filters(filters))
    kind_label = dict(OutcomeKind.choices)
    return {
        "by": filters.by,
        "columns": [
            {
                "kind": kind,
                "kind_label": str(kind_label[kind]),
                "unit_basis": basis,
                "unit": outcome_rules.unit_code(kind, basis),
            }
            for kind, basis in columns
        ],
        "rows": [
            {
                "key": row.key,
                "label": row.label,
                "needs": row.needs,
                "totals": [
                    {
                        "kind": kind,
                        "unit_basis": basis,
                        "unit": outcome_rules.unit_code(kind, basis),
                        "amount": decimal_text(_cents(cell.value)),
                        "aggregate": "sum" if cell.additive else "mean",
                        "outcomes": cell.outcomes,
                        "qualifier": cell.qualifier,
                    }
                    for kind, basis in columns
                    if (cell := row.cells.get((kind, basis))) is not None
                ],
            }
            for row in rows
        ],
    }


@router.get(
    "/reports/engagements",
    response=list[EngagementReportRowOut],
    url_name="need_engagement_report",
    summary="Engagements (横向项目) per institution",
)
def need_engagement_report(request: HttpRequest, filters: Query[NeedQuery]) -> list[dict]:
    """How many engagements each institution holds and their total contract amount, over
    the needs you can see. Talent offices and administrators."""
    user = request.auth
    _require_report_reader(user)
    return [
        {
            "institution": {"id": row["institution_id"], "name": row["institution__name"]},
            "engagements": row["engagements"],
            "contract_total": decimal_text(_cents(row["contract_total"])),
        }
        for row in selectors.engagement_report(user=user, filters=_filters(filters))
    ]


# Visits (走访) ---------------------------------------------------------------------------


def _visits(user, query: VisitQuery) -> QuerySet[EnterpriseVisit]:
    visits = selectors.visit_visible(user=user)
    if query.region:
        visits = visits.filter(region__code__startswith=query.region.strip())
    if query.visitor:
        visits = visits.filter(visitor_organisation_id=query.visitor)
    return visits


@router.get("/visits", response=list[VisitOut], url_name="visit_list", summary="List visits")
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def visit_list(request: HttpRequest, filters: Query[VisitQuery]) -> QuerySet[EnterpriseVisit]:
    """Visits to enterprises (走访) you can see: the talent office those of its region, an
    institute those it made. Newest first."""
    return (
        _visits(request.auth, filters)
        .select_related("enterprise", "region", "visitor_organisation")
        .annotate(needs_count=Count("needs"))
        .order_by("-visited_on", "-id")
    )


@router.get(
    "/visits/summary",
    response=VisitSummaryOut,
    url_name="visit_summary",
    summary="Visits made, enterprises visited, needs collected",
)
def visit_summary(request: HttpRequest, filters: Query[VisitQuery]) -> Any:
    """The counts a county reports (青田: 78 enterprises visited, 54 needs collected)."""
    return selectors.visit_summary(
        user=request.auth, region=(filters.region or "").strip(), visitor=filters.visitor
    )


@router.post("/visits", response={201: VisitOut}, url_name="visit_create", summary="Record a visit")
def visit_create(request: HttpRequest, payload: VisitIn) -> EnterpriseVisit:
    """The talent office of the enterprise's region, or the visiting institute, records a
    visit; the needs collected on it are then created with ``visit`` set."""
    user = request.auth
    refs = References(user=user)
    # An institute visits enterprises outside its directory scope (青田's institutes went to
    # 78); an enterprise's existence is public (its USCC is), and the service decides who may
    # record the visit, so the enterprise resolves among all enterprises.
    enterprise = Organisation.objects.filter(
        pk=payload.enterprise, kind=OrganisationKind.ENTERPRISE
    ).first()
    if enterprise is None:
        refs.fail("enterprise", _("Unknown enterprise: %(id)s.") % {"id": payload.enterprise})
    visitor = refs.organisation("visitor_organisation", payload.visitor_organisation)
    refs.raise_if_any()
    visit = services.visit_create(
        actor=user,
        enterprise=enterprise,
        visited_on=payload.visited_on,
        visitor_organisation=visitor,
        participants=payload.participants,
        notes=payload.notes,
        data_source=DataSource.API,
    )
    return (
        selectors.visit_visible(user=user)
        .select_related("enterprise", "region", "visitor_organisation")
        .annotate(needs_count=Count("needs"))
        .get(pk=visit.pk)
    )
