"""Answering and valuing a need (答题 → 验题 → 评价): proposals, selection, the engagement,
the workshop check, outcomes, and the officers' reports.

Views parse input, find the record through the selectors (a need or proposal the user may not
see is a 404), call one service and render. The services decide who may do what (a refused
action is their PermissionDenied, a 403); the buttons shown ask the same permission functions
and the transition table, so a button is never offered that the service would refuse.

``detail_context`` feeds ``needs/_solving_sections.html``, which the need page (views.py)
includes: everything those sections show is computed here for ``request.user``.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.forms import BaseForm, BaseFormSet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from talentflow.accounts.permissions import scope_for
from talentflow.directory.io.sheets import XLSX_CONTENT_TYPE, write_xlsx
from talentflow.needs import outcomes as outcome_rules
from talentflow.needs import permissions, selectors, services, workflow
from talentflow.needs.forms_solving import (
    DIMENSION_LABELS,
    LOCAL_TALENT_OPTIONS,
    TRL_LEVELS,
    DeclineForm,
    MilestoneFormSet,
    OutcomeForm,
    ProposalForm,
    RejectForm,
    ReportFilterForm,
    SelectForm,
    TeamFormSet,
    VerificationForm,
    talent_lookup_items,
    talents_for_team,
)
from talentflow.needs.models import (
    AcceptanceCriterion,
    Comparator,
    DocumentKind,
    EngagementMilestone,
    Need,
    Outcome,
    OutcomeKind,
    OutcomeStatus,
    Proposal,
    TeamRole,
)
from talentflow.reference.models import Region

Party = workflow.Party
PAction = workflow.ProposalAction
TRL_LABELS = dict(TRL_LEVELS)
# Amounts of money from this size on also show in 万元, the unit officers report in.
WAN = Decimal("10000")


# Display ---------------------------------------------------------------------------------


def money(value: Decimal | None) -> str:
    """An exact amount with thousands separators: 5,000,000 · 1,234,567.80 (no rounding; the
    fen are shown only when there are any). Database sums may carry extra zeros
    (8234567.89000000 on SQLite); they are not digits of the amount."""
    if value is None:
        return ""
    whole, _dot, fraction = f"{value:,f}".partition(".")
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction.ljust(2, '0')}" if fraction else whole


def wan(value: Decimal) -> str:
    """The amount in 万元, exactly: 5,000,000 → 500; 4,567,890.12 → 456.789012."""
    return number(value / WAN)


def number(value: Decimal | None) -> str:
    """A measured value without the stored trailing zeros: 98.6000 → 98.6, 1500 → 1,500."""
    if value is None:
        return ""
    whole, _dot, fraction = f"{value:,f}".partition(".")
    fraction = fraction.rstrip("0")
    return f"{whole}.{fraction}" if fraction else whole


def criterion_target(criterion: AcceptanceCriterion) -> str:
    """“at least (≥) 98 %”, or “pass / fail” for a criterion that is not measured."""
    label = str(criterion.get_comparator_display())
    if criterion.comparator == Comparator.PASS_FAIL or criterion.target_value is None:
        return label
    return f"{label} {number(criterion.target_value)} {criterion.unit}".strip()


def unit_label(kind: str, basis: str = "") -> str:
    """The unit of an outcome kind for people (``outcomes.unit_code`` is the stable code)."""
    code = outcome_rules.unit_code(kind, basis)
    if code.startswith("yuan/"):
        return _("yuan/%(basis)s") % {"basis": basis}
    return {"yuan": _("yuan"), "%": "%", "person": _("persons"), "count": ""}[code]


def outcome_number(kind: str, amount: Decimal | None) -> str:
    """Money with its fen when there are any (1,234,567.80); percentages and counts plain."""
    return money(amount) if kind in outcome_rules.MONEY_KINDS else number(amount)


def outcome_amount(kind: str, amount: Decimal, basis: str = "") -> str:
    """“5,000,000 yuan (500 万元)”, “400 yuan/吨”, “15.5 %”, “2”."""
    unit = unit_label(kind, basis)
    text = f"{outcome_number(kind, amount)} {unit}".strip()
    if outcome_rules.RULES[kind].unit == "yuan" and amount >= WAN:
        text += " " + _("(%(amount)s 万元)") % {"amount": wan(amount)}
    return text


def column_label(kind: str, basis: str) -> str:
    unit = unit_label(kind, basis)
    name = str(OutcomeKind(kind).label)
    return f"{name} ({unit})" if unit else name


def report_column_label(kind: str, basis: str) -> str:
    """Summed columns carry their unit; averaged ones (percentages, savings per unit) say so."""
    label = column_label(kind, basis)
    if kind in outcome_rules.ADDITIVE_KINDS:
        return label
    return _("%(column)s, mean") % {"column": label}


QUALIFIER_PREFIX = {
    "more_than": gettext_lazy("more than"),
    "about": pgettext_lazy("approximately", "about"),
}


def report_cell(kind: str, cell: selectors.Aggregate | None) -> str:
    """“more than 5,000,000”, “15 (mean of 3)”, or "" when the row has no such outcome."""
    if cell is None:
        return ""
    text = outcome_number(kind, cell.value)
    prefix = QUALIFIER_PREFIX.get(cell.qualifier)
    if prefix:
        text = f"{prefix} {text}"
    if not cell.additive and cell.outcomes > 1:
        text += " " + _("(mean of %(count)d)") % {"count": cell.outcomes}
    return text


def _xlsx_cell(kind: str, cell: selectors.Aggregate | None):
    # Exact figures stay numbers in the sheet; bounds and estimates say what they are.
    if cell is None:
        return None
    if cell.qualifier == "exact" and (cell.additive or cell.outcomes == 1):
        return cell.value
    return report_cell(kind, cell)


# Helpers ---------------------------------------------------------------------------------


def _need_or_404(user, pk: int) -> Need:
    try:
        return selectors.need_get(user=user, pk=pk)
    except Need.DoesNotExist as error:
        raise Http404(_("No such need, or you may not see it.")) from error


def _proposal_or_404(user, pk: int) -> Proposal:
    need_id = Proposal.objects.filter(pk=pk).values_list("need_id", flat=True).first()
    if need_id is None:
        raise Http404
    need = _need_or_404(user, need_id)
    try:
        proposal = selectors.proposals_visible(user=user, need=need).get(pk=pk)
    except Proposal.DoesNotExist as error:
        raise Http404(_("No such proposal, or you may not see it.")) from error
    proposal.need = need
    return proposal


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


def _need_url(need: Need, anchor: str = "") -> str:
    return reverse("needs:detail", args=[need.pk]) + (f"#{anchor}" if anchor else "")


def _messages_of(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


def _add_errors(form: BaseForm, error: ValidationError, aliases: dict[str, str] | None = None):
    """Show a service's ValidationError next to the fields it names (others on top)."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        name = aliases.get(key, key)
        form.add_error(name if name in form.fields else None, errors)


def _proposal_allows(action: PAction, proposal: Proposal, parties: set) -> bool:
    try:
        workflow.check_proposal(action, proposal.state, parties)
    except workflow.TransitionError:
        return False
    return True


# The need page's sections ------------------------------------------------------------------


@dataclass
class ProposalCard:
    proposal: Proposal
    lead: Any
    team: list
    milestones: list
    cost: str
    trl_label: str
    is_mine: bool
    can_shortlist: bool = False
    can_decline: bool = False
    can_withdraw: bool = False
    can_select: bool = False
    decline_form: DeclineForm | None = None

    @property
    def can_act(self) -> bool:
        return self.can_shortlist or self.can_decline or self.can_withdraw or self.can_select


def _proposal_card(user, need: Need, proposal: Proposal, *, prefix: str = "") -> ProposalCard:
    proposal.need = need
    pp = permissions.proposal_parties(user, proposal)
    members = list(proposal.members.all())
    open_for_decisions = need.state == workflow.State.PUBLISHED
    card = ProposalCard(
        proposal=proposal,
        lead=next((m for m in members if m.role == TeamRole.LEAD), None),
        team=members,
        milestones=list(proposal.milestones.all()),
        cost=money(proposal.cost),
        trl_label=str(TRL_LABELS.get(proposal.trl, "")),
        is_mine=workflow.ProposalParty.AUTHOR in pp,
        can_shortlist=open_for_decisions and _proposal_allows(PAction.SHORTLIST, proposal, pp),
        can_decline=open_for_decisions and _proposal_allows(PAction.DECLINE, proposal, pp),
        can_withdraw=_proposal_allows(PAction.WITHDRAW, proposal, pp),
        can_select=open_for_decisions
        and _proposal_allows(PAction.SELECT, proposal, pp)
        and workflow.Action.SELECT
        in workflow.allowed_actions(need.state, permissions.parties(user, need)),
    )
    if card.can_decline:
        card.decline_form = DeclineForm(prefix=prefix or f"decline-{proposal.pk}")
    return card


@dataclass
class OutcomeRowView:
    outcome: Outcome
    amount: str
    documents: list
    can_decide: bool
    reject_form: RejectForm | None = None


@dataclass
class CheckView:
    check: Any
    measured: str
    target: str


@dataclass
class RoundView:
    round: Any
    checks: list[CheckView] = field(default_factory=list)


def detail_context(request: HttpRequest, need: Need) -> dict:
    """What ``needs/_solving_sections.html`` shows on the need page, for ``request.user``.

    One key, ``solving``, so nothing here collides with the page's own context.
    """
    user = request.user
    parties = permissions.parties(user, need)
    allowed = set(workflow.allowed_actions(need.state, parties))
    is_party = bool(parties)
    cards = [
        _proposal_card(user, need, p) for p in selectors.proposals_visible(user=user, need=need)
    ]
    can_propose = permissions.can_propose(user, need)
    solving: dict[str, Any] = {
        "need": need,
        "parties": {p.value for p in parties},
        "is_decider": bool(parties & {Party.ENTERPRISE, Party.OFFICER}),
        "proposals": cards,
        "can_propose": can_propose,
        "sees_details": permissions.sees_details(user, need) if can_propose else True,
        # Deciders see the section from publication on; solvers when they have proposed or may.
        "show_proposals": bool(cards)
        or can_propose
        or (
            bool(parties & {Party.ENTERPRISE, Party.OFFICER})
            and need.stage not in {workflow.Stage.POSE, workflow.Stage.ASSIST}
        ),
        "engagement": None,
        "next": request.get_full_path(),
    }
    engagement = selectors.engagement_get(need=need) if is_party else None
    if engagement is not None:
        working = need.state in {workflow.State.ENGAGED, workflow.State.VERIFYING}
        may_complete = working and bool(parties & {Party.ENTERPRISE, Party.SOLVER})
        rounds = [
            RoundView(
                round=r,
                checks=[
                    CheckView(
                        check=ch,
                        measured=f"{number(ch.measured_value)} {ch.unit}".strip()
                        if ch.measured_value is not None
                        else "",
                        target=criterion_target(ch.criterion),
                    )
                    for ch in r.checks.all()
                ],
            )
            for r in engagement.verification_rounds.all()
        ]
        last = rounds[-1].round if rounds else None
        solving.update(
            engagement=engagement,
            # A team member who did not submit the proposal may not read it (selectors).
            proposal_visible=any(c.proposal.pk == engagement.proposal_id for c in cards),
            contract_amount=money(engagement.contract_amount),
            contract_wan=wan(engagement.contract_amount)
            if engagement.contract_amount >= WAN
            else "",
            team=list(engagement.members.all()),
            milestones=list(engagement.milestones.all()),
            can_complete_milestones=may_complete,
            today=timezone.localdate(),
            rounds=rounds,
            open_round=last if last is not None and last.passed is None else None,
            returned_round=last
            if last is not None and last.passed is False and need.state == workflow.State.ENGAGED
            else None,
            can_start_verification=workflow.Action.START_VERIFICATION in allowed,
            can_record_verification=workflow.Action.VERIFICATION_PASSED in allowed,
        )
    if is_party and need.state in {workflow.State.VERIFIED, workflow.State.CLOSED}:
        outcomes = list(
            need.outcomes.select_related("recorded_by", "confirmed_by")
            .prefetch_related("documents")
            .order_by("created_at", "id")
        )
        officer = Party.OFFICER in parties and need.state == workflow.State.VERIFIED
        rows = []
        for o in outcomes:
            decide = officer and o.status == OutcomeStatus.RECORDED
            rows.append(
                OutcomeRowView(
                    outcome=o,
                    amount=outcome_amount(o.kind, o.amount, o.unit_basis),
                    documents=list(o.documents.all()),
                    can_decide=decide,
                    reject_form=RejectForm(prefix=f"reject-{o.pk}") if decide else None,
                )
            )
        solving.update(
            show_outcomes=True,
            outcomes=rows,
            can_record_outcome=need.state == workflow.State.VERIFIED,
        )
    return {"solving": solving}


# Proposals ---------------------------------------------------------------------------------


def _talent_lookup(request: HttpRequest) -> JsonResponse:
    q = (request.GET.get("q") or "").strip()[:100]
    return JsonResponse({"items": talent_lookup_items(request.user, q)})


@login_required
@require_http_methods(["GET", "POST"])
def proposal_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    need = _need_or_404(user, pk)
    if not permissions.can_propose(user, need):
        raise PermissionDenied(_("Institutions and talents answer needs open for proposals."))
    if not permissions.sees_details(user, need):
        messages.warning(
            request, _("Accept the confidentiality terms to read the details before proposing.")
        )
        return redirect(_need_url(need))
    # The team select searches here when the user sees too many talents to list them all;
    # the reference lookup API has no talents, and this keeps the search behind the same
    # permission checks as the form.
    if request.method == "GET" and request.GET.get("lookup") == "talents":
        return _talent_lookup(request)
    talents = talents_for_team(user)
    lookup_url = ""
    if talents.count() > LOCAL_TALENT_OPTIONS:
        lookup_url = reverse("needs:proposal_create", args=[need.pk]) + "?lookup=talents"
    data = request.POST if request.method == "POST" else None
    form = ProposalForm(data, user=user)
    team = TeamFormSet(
        data, prefix="team", form_kwargs={"talents": talents, "lookup_url": lookup_url}
    )
    talent_id = scope_for(user).talent_id
    if data is None and talent_id is not None:
        # A talent usually leads their own proposal. Set on the first blank row rather than
        # as formset initial data, so every row stays optional and is judged by its content.
        team.forms[0].initial = {"talent": talent_id, "role": TeamRole.LEAD}
    milestones = MilestoneFormSet(data, prefix="milestones")
    if data is not None and all([form.is_valid(), team.is_valid(), milestones.is_valid()]):
        d = form.cleaned_data
        try:
            services.proposal_submit(
                actor=user,
                need=need,
                organisation=d.get("organisation"),
                approach=d["approach"],
                trl=d["trl"],
                cost=d["cost"],
                ip_terms=d["ip_terms"],
                ip_note=d["ip_note"],
                members=team.members(),
                milestones=milestones.milestones(),
            )
        except ValidationError as error:
            _proposal_errors(form, team, milestones, error)
        else:
            messages.success(request, _("Your proposal was submitted."))
            return redirect(_need_url(need, "proposals"))
    context = {
        "need": need,
        "form": form,
        "team": team,
        "milestones": milestones,
        "trl_levels": TRL_LEVELS,
    }
    return render(request, "needs/proposal_form.html", context)


def _proposal_errors(
    form: BaseForm, team: BaseFormSet, milestones: BaseFormSet, error: ValidationError
) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    filled = milestones.filled_forms()
    for key, errors in error.error_dict.items():
        if key == "members":
            team._non_form_errors = team.error_class(
                [*team.non_form_errors(), *ValidationError(errors).messages]
            )
        elif key.startswith("milestones."):
            _prefix, index, name = key.split(".", 2)
            target = filled[int(index) - 1] if 0 < int(index) <= len(filled) else None
            if target is not None and name in target.fields:
                target.add_error(name, errors)
            else:
                form.add_error(None, errors)
        else:
            form.add_error(key if key in form.fields else None, errors)


@login_required
@require_safe
def proposal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    proposal = _proposal_or_404(request.user, pk)
    card = _proposal_card(request.user, proposal.need, proposal, prefix="decline")
    return render(request, "needs/proposal_detail.html", {"need": proposal.need, "card": card})


@login_required
@require_POST
def proposal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    handlers = {
        "shortlist": services.proposal_shortlist,
        "decline": services.proposal_decline,
        "withdraw": services.proposal_withdraw,
    }
    if action not in handlers:
        raise Http404
    user = request.user
    proposal = _proposal_or_404(user, pk)
    need = proposal.need
    back = _safe_next(request, _need_url(need, f"proposal-{proposal.pk}"))
    if action == "decline":
        form = DeclineForm(request.POST, prefix=request.POST.get("form_prefix") or "decline")
        form.is_valid()  # both fields are optional: the service says what is missing
        try:
            services.proposal_decline(
                actor=user,
                proposal=proposal,
                reason_code=form.cleaned_data.get("reason", ""),
                note=form.cleaned_data.get("note", ""),
            )
        except ValidationError as error:
            # Keep what was typed: show the proposal again with the decline form and its errors.
            card = _proposal_card(user, need, proposal, prefix="decline")
            if card.can_decline:
                card.decline_form = DeclineForm(request.POST, prefix=form.prefix)
                card.decline_form.is_valid()
                _add_errors(card.decline_form, error)
                return render(
                    request,
                    "needs/proposal_detail.html",
                    {"need": need, "card": card, "decline_open": True, "next": back},
                )
            messages.error(request, " ".join(_messages_of(error)))
        else:
            messages.success(request, _("The proposal was declined; its author sees the reason."))
        return redirect(back)
    try:
        handlers[action](actor=user, proposal=proposal)
    except ValidationError as error:
        messages.error(request, " ".join(_messages_of(error)))
    else:
        done = {
            "shortlist": _("The proposal is on the shortlist."),
            "withdraw": _("The proposal was withdrawn."),
        }
        messages.success(request, done[action])
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
def proposal_select(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    proposal = _proposal_or_404(user, pk)
    need = proposal.need
    pp = permissions.proposal_parties(user, proposal)
    if workflow.ProposalParty.DECIDER not in pp:
        raise PermissionDenied(_("The enterprise and its talent office select a proposal."))
    if need.state != workflow.State.PUBLISHED or proposal.state not in workflow.PROPOSAL_OPEN:
        messages.error(request, _("This proposal can no longer be selected."))
        return redirect(_need_url(need, "proposals"))
    others = list(
        selectors.proposals_visible(user=user, need=need)
        .filter(state__in=workflow.PROPOSAL_OPEN)
        .exclude(pk=proposal.pk)
    )
    form = SelectForm(
        request.POST if request.method == "POST" else None, proposal=proposal, others=others
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.proposal_select(
                actor=user,
                proposal=proposal,
                contract_amount=d["contract_amount"],
                signed_on=d["signed_on"],
                planned_end=d.get("planned_end"),
                declines=form.declines(),
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("The proposal was selected: the engagement has started."))
            return redirect(_need_url(need, "engagement"))
    card = _proposal_card(user, need, proposal)
    others_cards = {o.pk: _proposal_card(user, need, o) for o in others}
    rows = [{**row, "card": others_cards[row["proposal"].pk]} for row in form.decline_rows()]
    context = {"need": need, "card": card, "form": form, "decline_rows": rows}
    return render(request, "needs/proposal_select.html", context)


# The engagement and 验题 ------------------------------------------------------------------


@login_required
@require_POST
def milestone_complete(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    need_id = (
        EngagementMilestone.objects.filter(pk=pk)
        .values_list("engagement__need_id", flat=True)
        .first()
    )
    if need_id is None:
        raise Http404
    need = _need_or_404(user, need_id)
    milestone = EngagementMilestone.objects.get(pk=pk)
    raw = request.POST.get("completed_on") or ""
    try:
        completed_on = dt.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        messages.error(request, _("Enter a valid date."))
        return redirect(_need_url(need, "engagement"))
    try:
        services.milestone_complete(actor=user, milestone=milestone, completed_on=completed_on)
    except ValidationError as error:
        messages.error(request, " ".join(_messages_of(error)))
    else:
        messages.success(
            request, _("Milestone “%(title)s” is marked done.") % {"title": milestone.title}
        )
    return redirect(_safe_next(request, _need_url(need, "engagement")))


@login_required
@require_POST
def verification_start(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    need = _need_or_404(user, pk)
    try:
        round_ = services.verification_start(actor=user, need=need)
    except ValidationError as error:
        messages.error(request, " ".join(_messages_of(error)))
    else:
        messages.success(
            request,
            _("Verification round %(n)d has started: the workshop records its check.")
            % {"n": round_.number},
        )
    return redirect(_need_url(need, "verification"))


@login_required
@require_http_methods(["GET", "POST"])
def verification_record(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    need = _need_or_404(user, pk)
    if Party.ENTERPRISE not in permissions.parties(user, need):
        raise PermissionDenied(_("The enterprise records the workshop check."))
    if need.state != workflow.State.VERIFYING:
        messages.error(request, _("No verification round is open for this need."))
        return redirect(_need_url(need, "verification"))
    engagement = selectors.engagement_get(need=need)
    rounds = list(engagement.verification_rounds.all())
    criteria = list(need.criteria.all())
    for c in criteria:
        c.target_display = criterion_target(c)
    post = request.method == "POST"
    form = VerificationForm(
        request.POST if post else None, request.FILES if post else None, criteria=criteria
    )
    if post and form.is_valid():
        try:
            round_ = _record_verification(user, need, form)
        except ValidationError as error:
            aliases = {}
            for i, c in enumerate(criteria, start=1):
                aliases[f"checks.{i}.passed"] = f"passed_{c.pk}"
                aliases[f"checks.{i}.measured_value"] = f"measured_{c.pk}"
                aliases[f"checks.{i}.criterion"] = f"passed_{c.pk}"
            _add_errors(form, error, aliases)
        else:
            if round_.passed:
                messages.success(
                    request,
                    _(
                        "Every criterion passed: the need is verified and its outcomes can be "
                        "recorded."
                    ),
                )
            else:
                messages.warning(
                    request,
                    _("The check failed: the need returned to work with the findings: %(findings)s")
                    % {"findings": round_.findings},
                )
            return redirect(_need_url(need, "verification"))
    context = {
        "need": need,
        "form": form,
        "round": rounds[-1] if rounds else None,
        "previous_rounds": [r for r in rounds if r.passed is False],
    }
    return render(request, "needs/verification_form.html", context)


def _record_verification(user, need: Need, form: VerificationForm):
    """The record and its evidence files in one transaction: if a file is refused, the round
    stays open and nothing is saved."""
    with transaction.atomic():
        round_ = services.verification_record(
            actor=user,
            need=need,
            checks=form.checks(),
            findings=form.cleaned_data.get("findings", ""),
        )
        checks = {c.criterion_id: c for c in round_.checks.all()}
        for criterion_id, files in form.evidence().items():
            for upload in files:
                try:
                    services.document_add(
                        actor=user,
                        need=need,
                        upload=upload,
                        kind=DocumentKind.EVIDENCE,
                        check=checks[criterion_id],
                    )
                except ValidationError as error:
                    raise ValidationError({f"evidence_{criterion_id}": error.messages}) from error
    return round_


# 评价 -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def outcome_create(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    need = _need_or_404(user, pk)
    if not permissions.parties(user, need):
        raise PermissionDenied(_("Only the parties of the need record its outcomes."))
    if need.state != workflow.State.VERIFIED:
        messages.error(
            request, _("Outcomes are recorded after the workshop verification and before closing.")
        )
        return redirect(_need_url(need, "outcomes"))
    post = request.method == "POST"
    form = OutcomeForm(request.POST if post else None, request.FILES if post else None)
    if post and form.is_valid():
        d = form.cleaned_data
        try:
            with transaction.atomic():
                outcome = services.outcome_record(
                    actor=user,
                    need=need,
                    kind=d["kind"],
                    amount=d["amount_value"],
                    unit_basis=d.get("unit_basis", ""),
                    qualifier=d["qualifier"],
                    period_start=d.get("period_start"),
                    period_end=d.get("period_end"),
                    description=d.get("description", ""),
                )
                for upload in d.get("evidence") or []:
                    try:
                        services.document_add(
                            actor=user,
                            need=need,
                            upload=upload,
                            kind=DocumentKind.OUTCOME_EVIDENCE,
                            outcome=outcome,
                        )
                    except ValidationError as error:
                        raise ValidationError({"evidence": error.messages}) from error
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("The outcome %(amount)s was recorded; the talent office confirms it.")
                % {"amount": outcome_amount(outcome.kind, outcome.amount, outcome.unit_basis)},
            )
            return redirect(_need_url(need, "outcomes"))
    money_kinds = sorted(outcome_rules.MONEY_KINDS)
    per_unit_kinds = [k for k, r in outcome_rules.RULES.items() if r.unit == "yuan_per"]
    context = {
        "need": need,
        "form": form,
        "money_kinds": money_kinds,
        "per_unit_kinds": per_unit_kinds,
    }
    return render(request, "needs/outcome_form.html", context)


@login_required
@require_POST
def outcome_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in {"confirm", "reject"}:
        raise Http404
    user = request.user
    need_id = Outcome.objects.filter(pk=pk).values_list("need_id", flat=True).first()
    if need_id is None:
        raise Http404
    need = _need_or_404(user, need_id)
    outcome = need.outcomes.get(pk=pk)
    try:
        if action == "confirm":
            services.outcome_confirm(actor=user, outcome=outcome)
        else:
            form = RejectForm(request.POST, prefix=request.POST.get("form_prefix") or None)
            form.is_valid()
            services.outcome_reject(
                actor=user, outcome=outcome, reason=form.cleaned_data.get("reason", "")
            )
    except ValidationError as error:
        messages.error(request, " ".join(_messages_of(error)))
    else:
        text = outcome_amount(outcome.kind, outcome.amount, outcome.unit_basis)
        if action == "confirm":
            messages.success(request, _("The outcome %(amount)s is confirmed.") % {"amount": text})
        else:
            messages.success(request, _("The outcome %(amount)s was rejected.") % {"amount": text})
    return redirect(_safe_next(request, _need_url(need, f"outcome-{outcome.pk}")))


# Reports -----------------------------------------------------------------------------------


def _require_report_reader(user) -> None:
    if not permissions.can_view_reports(user):
        raise PermissionDenied(_("Reports are for talent offices."))


def _report_filters(request: HttpRequest) -> tuple[ReportFilterForm, selectors.NeedFilters]:
    user = request.user
    region_codes = set(
        selectors.need_list(user=user).order_by().values_list("region_id", flat=True).distinct()
    )
    regions = Region.objects.filter(code__in=region_codes).order_by("code")
    form = ReportFilterForm(request.GET or None, region_choices=[(r.code, r.name) for r in regions])
    filters = selectors.NeedFilters(region=form.value("region"), industry=form.value("industry"))
    return form, filters


def _xlsx_response(filename: str, title: str, headers: list[str], rows: list[list]) -> FileResponse:
    target = tempfile.TemporaryFile()  # noqa: SIM115 — FileResponse closes it
    write_xlsx(
        target,
        title=title[:31],
        headers=headers,
        widths=[32] + [18] * (len(headers) - 1),
        rows=rows,
    )
    target.seek(0)
    return FileResponse(
        target, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE
    )


@login_required
@require_safe
def outcome_report(request: HttpRequest) -> HttpResponse:
    """Confirmed outcomes summed per region, enterprise, institution or expert."""
    user = request.user
    _require_report_reader(user)
    by = request.GET.get("by") or "region"
    if by not in selectors.OUTCOME_DIMENSIONS:
        by = "region"
    form, filters = _report_filters(request)
    rows, columns = selectors.outcome_report(user=user, by=by, filters=filters)
    headers = [str(DIMENSION_LABELS[by]), _("Needs")] + [
        report_column_label(k, b) for k, b in columns
    ]
    if request.GET.get("format") == "xlsx":
        data = [
            [r.label, r.needs, *(_xlsx_cell(c[0], r.cells.get(c)) for c in columns)] for r in rows
        ]
        stamp = timezone.localdate().isoformat()
        return _xlsx_response(
            f"talentflow-outcomes-{by}-{stamp}.xlsx", _("Outcomes"), headers, data
        )
    table = [
        {"row": r, "cells": [report_cell(c[0], r.cells.get(c)) for c in columns]} for r in rows
    ]
    chart = None
    # Only amounts that add up are charted (a mean percentage is no bar to compare).
    money_columns = [c for c in columns if outcome_rules.RULES[c[0]].unit == "yuan"]
    if money_columns and rows:
        first = money_columns[0]
        chart = {
            "title": report_column_label(*first),
            "labels": [r.label for r in rows],
            "values": [str(r.total(*first)) for r in rows],
        }
    context = {
        "nav_active": "outcomes",
        "by": by,
        "dimensions": [(d, DIMENSION_LABELS[d]) for d in selectors.OUTCOME_DIMENSIONS],
        "form": form,
        "headers": headers,
        "table": table,
        "chart": chart,
        "query": _query_without(request, "by", "format"),
    }
    return render(request, "needs/report_outcomes.html", context)


def _query_without(request: HttpRequest, *names: str) -> str:
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@login_required
@require_safe
def engagement_report(request: HttpRequest) -> HttpResponse:
    """Engagements (横向项目) per institution: how many and their total contract amount."""
    user = request.user
    _require_report_reader(user)
    form, filters = _report_filters(request)
    rows = selectors.engagement_report(user=user, filters=filters)
    total_count = sum(r["engagements"] for r in rows)
    total_amount = sum((r["contract_total"] or Decimal("0") for r in rows), Decimal("0"))
    if request.GET.get("format") == "xlsx":
        headers = [_("Institution"), _("Engagements"), _("Contract amount (yuan)")]
        data = [[r["institution__name"], r["engagements"], r["contract_total"]] for r in rows]
        stamp = timezone.localdate().isoformat()
        return _xlsx_response(
            f"talentflow-engagements-{stamp}.xlsx", _("Engagements"), headers, data
        )
    table = [
        {
            "name": r["institution__name"],
            "id": r["institution_id"],
            "count": r["engagements"],
            "amount": money(r["contract_total"]),
            "wan": wan(r["contract_total"]) if r["contract_total"] >= WAN else "",
        }
        for r in rows
    ]
    context = {
        "nav_active": "outcomes",
        "form": form,
        "table": table,
        "total_count": total_count,
        "total_amount": money(total_amount),
        "total_wan": wan(total_amount) if total_amount >= WAN else "",
        "query": _query_without(request, "format"),
    }
    return render(request, "needs/report_engagements.html", context)


__all__ = [
    "detail_context",
    "engagement_report",
    "milestone_complete",
    "outcome_action",
    "outcome_create",
    "outcome_report",
    "proposal_action",
    "proposal_create",
    "proposal_detail",
    "proposal_select",
    "verification_record",
    "verification_start",
]
