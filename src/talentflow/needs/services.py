"""Writes of the need lifecycle. Each function is one atomic state change: it checks the actor
against the transition table (workflow.py), validates, writes the change, one ``NeedEvent``
for the timeline, one ``AuditEvent`` for the trail, and notifies the parties (e-mails after
commit).

``actor=None`` is a system task (the demo, a data migration) named by ``system_label``; only a
system task may backdate what happened with ``at`` (the demo replays 2024–2026).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentflow.accounts.models import Membership, Role
from talentflow.accounts.permissions import scope_for
from talentflow.core.audit import actor_label, audit_record, snapshot
from talentflow.core.notifications import notify, register
from talentflow.core.services import apply_m2m, model_update, refuse_fields_outside
from talentflow.core.services import event_time as _when
from talentflow.core.uploads import check_upload
from talentflow.directory.models import Organisation, OrganisationKind, TalentProfile
from talentflow.needs import outcomes as outcome_rules
from talentflow.needs import permissions, workflow
from talentflow.needs.models import (
    AcceptanceCriterion,
    ConfidentialityAcceptance,
    CriterionCheck,
    DeclineReason,
    Document,
    DocumentKind,
    Engagement,
    EngagementMember,
    EngagementMilestone,
    EnterpriseVisit,
    Need,
    NeedEvent,
    NeedSource,
    NeedState,
    Outcome,
    OutcomeStatus,
    Proposal,
    ProposalMember,
    ProposalMilestone,
    ProposalState,
    TeamRole,
    VerificationRound,
)

# Fields the enterprise writes when posing, and those the talent office sets when assisting.
POSE_FIELDS = (
    "title",
    "summary",
    "description",
    "current_state",
    "target_indicators",
    "industry",
    "budget_min",
    "budget_max",
    "wanted_by",
    "confidentiality",
)
ASSIST_FIELDS = (
    "solver_brief",
    "industry",
    "disciplines",
    "target_institutions",
    "target_pools",
    "proposals_due",
)
NEED_FIELDS = tuple(dict.fromkeys(POSE_FIELDS + ASSIST_FIELDS))
NEED_M2M = ("disciplines", "target_institutions", "target_pools")

for _kind, _message in {
    "need.submitted": gettext_lazy("%(enterprise)s submitted the need “%(need)s”."),
    "need.returned": gettext_lazy(
        "The talent office returned the need “%(need)s” for revision: %(reason)s"
    ),
    "need.published": gettext_lazy("The need “%(need)s” is open for proposals."),
    "need.withdrawn": gettext_lazy("The need “%(need)s” was withdrawn: %(reason)s"),
    "need.cancelled": gettext_lazy("The engagement on “%(need)s” was cancelled: %(reason)s"),
    "need.closed": gettext_lazy("The need “%(need)s” is closed with its outcomes confirmed."),
    "proposal.submitted": gettext_lazy("A proposal for “%(need)s” arrived from %(author)s."),
    "proposal.shortlisted": gettext_lazy("Your proposal for “%(need)s” is on the shortlist."),
    "proposal.declined": gettext_lazy("Your proposal for “%(need)s” was declined: %(reason)s"),
    "proposal.withdrawn": gettext_lazy("%(author)s withdrew their proposal for “%(need)s”."),
    "proposal.selected": gettext_lazy(
        "Your proposal for “%(need)s” was selected: the engagement has started."
    ),
    "verification.started": gettext_lazy("The workshop verification of “%(need)s” has started."),
    "verification.passed": gettext_lazy("“%(need)s” passed the workshop verification."),
    "verification.failed": gettext_lazy(
        "“%(need)s” did not pass the workshop verification and returns to work: %(findings)s"
    ),
    "outcome.recorded": gettext_lazy("An outcome of “%(need)s” awaits confirmation: %(outcome)s"),
    "outcome.confirmed": gettext_lazy("The outcome %(outcome)s of “%(need)s” was confirmed."),
    "outcome.rejected": gettext_lazy(
        "The outcome %(outcome)s of “%(need)s” was not confirmed: %(reason)s"
    ),
}.items():
    register(_kind, _message)


# Helpers ---------------------------------------------------------------------------------


def _today(at: dt.datetime) -> dt.date:
    return timezone.localdate(at) if timezone.is_aware(at) else at.date()


def _parties(actor, need: Need) -> set[workflow.Party]:
    if actor is None:  # a system task acts as every party
        return set(workflow.Party)
    return permissions.parties(actor, need)


def _require_transition(actor, need: Need, action: workflow.Action) -> workflow.State:
    try:
        return workflow.check(action, need.state, _parties(actor, need))
    except workflow.TransitionError as error:
        if error.reason == "party":
            raise PermissionDenied(_("You may not do this to this need.")) from error
        raise ValidationError(
            _("This is not possible while the need is “%(state)s”.")
            % {"state": NeedState(need.state).label}
        ) from error


def _event(
    *,
    need: Need,
    actor,
    action: str,
    at: dt.datetime,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    system_label: str | None = None,
    proposal: Proposal | None = None,
) -> NeedEvent:
    return NeedEvent.objects.create(
        need=need,
        proposal=proposal,
        at=at,
        actor=actor,
        actor_label=actor_label(actor) if actor is not None else f"system:{system_label or 'task'}",
        action=action,
        from_state=from_state,
        to_state=to_state,
        note=note,
    )


def _stage_due(need: Need, today: dt.date) -> dt.date | None:
    days = settings.TALENTFLOW_NEED_DAYS
    match need.state:
        case workflow.State.SUBMITTED:
            return today + dt.timedelta(days=days["assist"])
        case workflow.State.RETURNED:
            return today + dt.timedelta(days=days["revise"])
        case workflow.State.PUBLISHED:
            return need.proposals_due
        case workflow.State.ENGAGED:
            engagement = Engagement.objects.filter(need=need).first()
            return engagement.planned_end if engagement else None
        case workflow.State.VERIFYING:
            return today + dt.timedelta(days=days["verify"])
        case workflow.State.VERIFIED:
            return today + dt.timedelta(days=days["value"])
    return None


def _officers(need: Need):
    """Users acting as talent-office officers for the need's region (or a region above it)."""
    region = need.region
    codes = {region.code, region.code[:4] + "00", region.code[:2] + "0000"}
    return [
        m.user
        for m in Membership.objects.filter(
            role=Role.OFFICER, region_id__in=codes, is_active=True
        ).select_related("user")
    ]


def _org_users(organisation_ids: Iterable[int], roles: Iterable[str] | None = None):
    qs = Membership.objects.filter(organisation_id__in=list(organisation_ids), is_active=True)
    if roles:
        qs = qs.filter(role__in=list(roles))
    return [m.user for m in qs.select_related("user")]


def _enterprise_users(need: Need):
    return _org_users([need.enterprise_id], [Role.ENTERPRISE])


def _solver_users(need: Need):
    engagement = Engagement.objects.filter(need=need).first()
    if engagement is None:
        return []
    users = _org_users([engagement.institution_id]) if engagement.institution_id else []
    talents = TalentProfile.objects.filter(
        engagementmembers__engagement=engagement, user__isnull=False
    ).select_related("user")
    return users + [t.user for t in talents]


def _proposal_authors(proposal: Proposal):
    """Who hears about a proposal's fate: its author, its institution and its team."""
    users = [proposal.author] if proposal.author_id else []
    if proposal.organisation_id:
        users += _org_users([proposal.organisation_id])
    team = TalentProfile.objects.filter(
        proposalmembers__proposal=proposal, user__isnull=False
    ).select_related("user")
    return users + [t.user for t in team]


def _params(need: Need, **extra: Any) -> dict[str, Any]:
    return {"need": need.title, "enterprise": need.enterprise.name, **extra}


def _tell(need: Need, kind: str, recipients, *, actor, **extra: Any) -> None:
    """Notify ``recipients`` (not the actor) about ``need``, linking to its page."""
    notify(
        recipients=recipients,
        kind=kind,
        params=_params(need, **extra),
        url=need.get_absolute_url(),
        exclude=actor,
    )


def _move(
    *,
    actor,
    need: Need,
    action: workflow.Action,
    at: dt.datetime,
    note: str = "",
    system_label: str | None = None,
) -> Need:
    """Apply a transition already checked: new state, stage deadline, timeline, audit."""
    before = snapshot(need)
    old = need.state
    need.state = workflow.check(action, need.state, set(workflow.Party))
    need.stage_due = _stage_due(need, _today(at))
    need.save(update_fields=["state", "stage_due", "updated_at"])
    _event(
        need=need,
        actor=actor,
        action=str(action),
        at=at,
        from_state=old,
        to_state=need.state,
        note=note,
        system_label=system_label,
    )
    audit_record(
        actor=actor,
        action=f"need.{action}",
        obj=need,
        before=before,
        after={**snapshot(need), **({"reason": note} if note else {})},
        region=need.region_id,
        system_label=system_label,
    )
    return need


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please give a reason.")})
    return reason


# 出题: posing a need ----------------------------------------------------------------------


@transaction.atomic
def need_create(
    *,
    actor,
    enterprise: Organisation,
    title: str,
    summary: str,
    visit: EnterpriseVisit | None = None,
    data_source: str = "entered",
    system_label: str | None = None,
    at: dt.datetime | None = None,
    **fields: Any,
) -> Need:
    """An enterprise poses a need (a draft); an officer records one collected on a visit, which
    arrives already submitted for assistance."""
    when = _when(actor, at)
    if enterprise.kind != OrganisationKind.ENTERPRISE:
        raise ValidationError({"enterprise": _("Needs are posed by enterprises.")})
    unknown = set(fields) - set(POSE_FIELDS)
    if unknown:
        raise TypeError(f"unknown need fields: {sorted(unknown)}")
    if actor is not None:
        scope = scope_for(actor)
        own = scope.organisation_roles.get(enterprise.pk) == Role.ENTERPRISE
        officer = scope.is_admin or scope.governs_region(enterprise.region_id)
        if visit is not None:
            if not (officer or (visit.visitor_organisation_id in scope.organisation_ids)):
                raise PermissionDenied(_("Only the visitors record the needs of a visit."))
        elif not own:
            raise PermissionDenied(_("Only the enterprise itself poses its needs."))
    need = Need(
        enterprise=enterprise,
        region_id=enterprise.region_id,
        title=title.strip(),
        summary=summary.strip(),
        created_by=actor,
        data_source=data_source,
        source=NeedSource.VISIT if visit else NeedSource.POSTED,
        visit=visit,
        state=workflow.State.SUBMITTED if visit else workflow.State.DRAFT,
    )
    model_update(instance=need, data=fields, fields=fields)
    if visit is not None and visit.enterprise_id != enterprise.pk:
        raise ValidationError({"visit": _("The visit was to another enterprise.")})
    need.full_clean(validate_constraints=False)
    need.stage_due = _stage_due(need, _today(when))
    need.save()
    _event(
        need=need,
        actor=actor,
        action="create",
        at=when,
        to_state=need.state,
        note=_("Collected on the visit of %(date)s.") % {"date": visit.visited_on} if visit else "",
        system_label=system_label,
    )
    audit_record(
        actor=actor,
        action="need.create",
        obj=need,
        after=snapshot(need),
        region=need.region_id,
        system_label=system_label,
    )
    if visit is not None:
        _tell(need, "need.submitted", _officers(need), actor=actor)
    return need


@transaction.atomic
def need_update(
    *, actor, need: Need, data: Mapping[str, Any], system_label: str | None = None
) -> Need:
    """The enterprise edits while posing; the talent office frames while assisting."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    allowed: list[str] = []
    if actor is None:
        allowed = list(NEED_FIELDS)
    else:
        if not permissions.can_edit_need(actor, need):
            raise PermissionDenied(_("You may not change this need now."))
        p = permissions.parties(actor, need)
        if workflow.Party.ENTERPRISE in p and need.state in {"draft", "returned"}:
            allowed += POSE_FIELDS
        if workflow.Party.OFFICER in p and need.state in {"submitted", "published"}:
            # Framing includes correcting the enterprise's wording where it misleads solvers.
            allowed += ASSIST_FIELDS + POSE_FIELDS
    refuse_fields_outside(instance=need, data=data, allowed=allowed, known=NEED_FIELDS)
    before = snapshot(need, m2m=NEED_M2M)
    changed, changed_m2m = model_update(instance=need, data=data, fields=allowed)
    if not changed and not changed_m2m:
        return need
    need.full_clean(validate_constraints=False)
    if "proposals_due" in changed and need.state == workflow.State.PUBLISHED:
        need.stage_due = need.proposals_due
    need.save()
    apply_m2m(need, data, changed_m2m)
    audit_record(
        actor=actor,
        action="need.update",
        obj=need,
        before=before,
        after=snapshot(need, m2m=NEED_M2M),
        region=need.region_id,
        system_label=system_label,
    )
    return need


@transaction.atomic
def criteria_set(
    *, actor, need: Need, criteria: Sequence[Mapping[str, Any]], system_label: str | None = None
) -> list[AcceptanceCriterion]:
    """Replace the acceptance criteria (助题). Once a verification has checked them they are
    part of the record and can no longer change."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if actor is not None and not permissions.can_assist(actor, need):
        raise PermissionDenied(_("The talent office sets the acceptance criteria."))
    if CriterionCheck.objects.filter(criterion__need=need).exists():
        raise ValidationError(_("The criteria were already checked in the workshop."))
    if need.state not in {"submitted", "published", "draft"}:
        raise ValidationError(_("The criteria are set before a solver is selected."))
    before = [c.description for c in need.criteria.all()]
    rows = []
    errors: dict[str, list[str]] = {}
    for i, data in enumerate(criteria, start=1):
        row = AcceptanceCriterion(
            need=need,
            position=i,
            description=(data.get("description") or "").strip(),
            comparator=data.get("comparator") or "pass_fail",
            target_value=_decimal_or_none(data.get("target_value"), f"criteria.{i}.target_value"),
            unit=(data.get("unit") or "").strip(),
        )
        try:
            row.full_clean(exclude=["need"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"criteria.{i}.{field}"] = messages
        rows.append(row)
    if errors:
        raise ValidationError(errors)
    need.criteria.all().delete()
    AcceptanceCriterion.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="need.criteria",
        obj=need,
        before={"criteria": before},
        after={"criteria": [r.description for r in rows]},
        region=need.region_id,
        system_label=system_label,
    )
    return rows


def _decimal_or_none(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        result = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation as error:
        raise ValidationError({field: _("Enter a number.")}) from error
    if not result.is_finite():
        raise ValidationError({field: _("Enter a number.")})
    return result


@transaction.atomic
def need_submit(
    *, actor, need: Need, at: dt.datetime | None = None, system_label: str | None = None
) -> Need:
    when = _when(actor, at)
    need = Need.objects.select_for_update().get(pk=need.pk)
    _require_transition(actor, need, workflow.Action.SUBMIT)
    if not need.summary.strip() or not (need.description.strip() or need.target_indicators):
        raise ValidationError(
            _("Describe the problem and what success looks like before submitting.")
        )
    _move(actor=actor, need=need, action=workflow.Action.SUBMIT, at=when, system_label=system_label)
    _tell(need, "need.submitted", _officers(need), actor=actor)
    return need


@transaction.atomic
def need_return(
    *,
    actor,
    need: Need,
    reason: str,
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> Need:
    when = _when(actor, at)
    need = Need.objects.select_for_update().get(pk=need.pk)
    _require_transition(actor, need, workflow.Action.RETURN)
    reason = _reason(reason)
    _move(
        actor=actor,
        need=need,
        action=workflow.Action.RETURN,
        at=when,
        note=reason,
        system_label=system_label,
    )
    _tell(need, "need.returned", _enterprise_users(need), actor=actor, reason=reason)
    return need


@transaction.atomic
def need_publish(
    *, actor, need: Need, at: dt.datetime | None = None, system_label: str | None = None
) -> Need:
    """助题 done: the framed need opens for proposals (to its targets, or to every solver)."""
    when = _when(actor, at)
    need = Need.objects.select_for_update().get(pk=need.pk)
    _require_transition(actor, need, workflow.Action.PUBLISH)
    missing = {}
    if not need.solver_brief.strip():
        missing["solver_brief"] = _("Write the brief for solvers.")
    if need.industry_id is None:
        missing["industry"] = _("Choose the industry (GB/T 4754).")
    if not need.criteria.exists():
        missing["criteria"] = _("Set at least one acceptance criterion for the workshop check.")
    if need.proposals_due is None or need.proposals_due < _today(when):
        missing["proposals_due"] = _("Set a proposals deadline that is not in the past.")
    if missing:
        raise ValidationError(missing)
    _move(
        actor=actor, need=need, action=workflow.Action.PUBLISH, at=when, system_label=system_label
    )
    targeted = _org_users(need.target_institutions.values_list("pk", flat=True))
    pool_talents = TalentProfile.objects.filter(
        pools__in=need.target_pools.all(), user__isnull=False
    ).select_related("user")
    _tell(
        need,
        "need.published",
        [*_enterprise_users(need), *targeted, *(t.user for t in pool_talents)],
        actor=actor,
    )
    return need


@transaction.atomic
def need_withdraw(
    *,
    actor,
    need: Need,
    reason: str,
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> Need:
    when = _when(actor, at)
    need = Need.objects.select_for_update().get(pk=need.pk)
    _require_transition(actor, need, workflow.Action.WITHDRAW)
    reason = _reason(reason)
    open_proposals = list(need.proposals.filter(state__in=workflow.PROPOSAL_OPEN))
    _move(
        actor=actor,
        need=need,
        action=workflow.Action.WITHDRAW,
        at=when,
        note=reason,
        system_label=system_label,
    )
    # Authors of proposals still open learn why their work will not be used.
    for proposal in open_proposals:
        _proposal_decide(
            actor=actor,
            proposal=proposal,
            state=ProposalState.DECLINED,
            reason_code=DeclineReason.OTHER,
            note=_("The need was withdrawn: %(reason)s") % {"reason": reason},
            at=when,
            system_label=system_label,
        )
    recipients = _enterprise_users(need) + _officers(need)
    _tell(need, "need.withdrawn", recipients, actor=actor, reason=reason)
    return need


@transaction.atomic
def need_cancel(
    *,
    actor,
    need: Need,
    reason: str,
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> Need:
    when = _when(actor, at)
    need = Need.objects.select_for_update().get(pk=need.pk)
    _require_transition(actor, need, workflow.Action.CANCEL)
    reason = _reason(reason)
    recipients = _enterprise_users(need) + _officers(need) + _solver_users(need)
    _move(
        actor=actor,
        need=need,
        action=workflow.Action.CANCEL,
        at=when,
        note=reason,
        system_label=system_label,
    )
    _tell(need, "need.cancelled", recipients, actor=actor, reason=reason)
    return need


@transaction.atomic
def need_close(
    *, actor, need: Need, at: dt.datetime | None = None, system_label: str | None = None
) -> Need:
    """市场评价 done: the office closes the case once outcomes are confirmed."""
    when = _when(actor, at)
    need = Need.objects.select_for_update().get(pk=need.pk)
    _require_transition(actor, need, workflow.Action.CLOSE)
    if not need.outcomes.filter(status=OutcomeStatus.CONFIRMED).exists():
        raise ValidationError(_("Confirm at least one measured outcome before closing."))
    if need.outcomes.filter(status=OutcomeStatus.RECORDED).exists():
        raise ValidationError(_("Confirm or reject every recorded outcome before closing."))
    recipients = _enterprise_users(need) + _solver_users(need)
    _move(actor=actor, need=need, action=workflow.Action.CLOSE, at=when, system_label=system_label)
    _tell(need, "need.closed", recipients, actor=actor)
    return need


# Visits, confidentiality, documents ------------------------------------------------------


@transaction.atomic
def visit_create(
    *,
    actor,
    enterprise: Organisation,
    visited_on: dt.date,
    visitor_organisation: Organisation | None = None,
    participants: str = "",
    notes: str = "",
    data_source: str = "entered",
    system_label: str | None = None,
) -> EnterpriseVisit:
    """Record a visit (走访) to an enterprise, by its region's talent office or an institute."""
    if actor is not None:
        scope = scope_for(actor)
        officer = scope.is_admin or scope.governs_region(enterprise.region_id)
        # An institute records its own visits (acting for it as an institution, not as an
        # enterprise or a service provider).
        visitor = visitor_organisation is not None and (
            scope.organisation_roles.get(visitor_organisation.pk) == Role.INSTITUTION
        )
        if not (officer or visitor):
            raise PermissionDenied(
                _("Visits are recorded by the talent office or the visiting institute.")
            )
    if enterprise.kind != OrganisationKind.ENTERPRISE:
        raise ValidationError({"enterprise": _("Visits are made to enterprises.")})
    if visited_on > timezone.localdate():
        raise ValidationError({"visited_on": _("The visit date lies in the future.")})
    visit = EnterpriseVisit(
        enterprise=enterprise,
        region_id=enterprise.region_id,
        visited_on=visited_on,
        visitor_organisation=visitor_organisation,
        participants=participants,
        notes=notes,
        recorded_by=actor,
        data_source=data_source,
    )
    visit.full_clean()
    visit.save()
    audit_record(
        actor=actor,
        action="visit.create",
        obj=visit,
        after=snapshot(visit),
        region=visit.region_id,
        system_label=system_label,
    )
    return visit


@transaction.atomic
def confidentiality_accept(*, actor, need: Need) -> ConfidentialityAcceptance:
    """The actor accepts the platform's confidentiality terms for this need's details."""
    if not need.is_confidential:
        raise ValidationError(_("This need has no confidential details."))
    from talentflow.needs.selectors import need_visible

    if not need_visible(user=actor).filter(pk=need.pk).exists():
        raise PermissionDenied
    acceptance, created = ConfidentialityAcceptance.objects.get_or_create(
        need=need,
        user=actor,
        defaults={"terms_version": settings.TALENTFLOW_CONFIDENTIALITY_TERMS_VERSION},
    )
    if created:
        audit_record(
            actor=actor,
            action="need.confidentiality_accept",
            obj=need,
            after={"terms_version": acceptance.terms_version},
            region=need.region_id,
        )
    return acceptance


@transaction.atomic
def document_add(
    *,
    actor,
    need: Need,
    upload,
    kind: str = DocumentKind.ATTACHMENT,
    check: CriterionCheck | None = None,
    outcome: Outcome | None = None,
    system_label: str | None = None,
) -> Document:
    """Attach a file. Attachments are the enterprise's (and the office's while assisting);
    verification evidence the enterprise's; outcome evidence whoever may record outcomes."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if actor is not None:
        p = permissions.parties(actor, need)
        if kind == DocumentKind.ATTACHMENT:
            allowed = permissions.can_edit_need(actor, need)
        elif kind == DocumentKind.EVIDENCE:
            allowed = workflow.Party.ENTERPRISE in p and check is not None
        else:
            allowed = bool(p) and outcome is not None
        if not allowed:
            raise PermissionDenied(_("You may not add this document."))
    check_upload(upload)
    document = Document(
        need=need,
        kind=kind,
        original_name=PurePath(upload.name).name[:255],
        size=upload.size,
        content_type=(getattr(upload, "content_type", "") or "")[:128],
        check_ref=check,
        outcome=outcome,
        uploaded_by=actor,
    )
    # Files are not transactional. A failure here removes the file at once; if a caller's
    # outer transaction rolls back later, the file stays on disk without a row (harmless, and
    # never served: downloads go through the row).
    document.file.save(upload.name, upload, save=False)
    try:
        document.full_clean()
        document.save()
    except Exception:
        document.file.delete(save=False)
        raise
    audit_record(
        actor=actor,
        action="document.add",
        obj=need,
        after={"document": document.original_name, "kind": kind, "size": document.size},
        region=need.region_id,
        system_label=system_label,
    )
    return document


# 答题: proposals and selection ------------------------------------------------------------


def _talents(ids: Iterable[int]) -> dict[int, TalentProfile]:
    return {t.pk: t for t in TalentProfile.objects.filter(pk__in=list(ids))}


@transaction.atomic
def proposal_submit(
    *,
    actor,
    need: Need,
    approach: str,
    trl: int,
    cost: Decimal,
    ip_terms: str,
    members: Sequence[tuple[int | TalentProfile, str]],
    milestones: Sequence[Mapping[str, Any]] = (),
    organisation: Organisation | None = None,
    ip_note: str = "",
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> Proposal:
    """A solver answers a published need with approach, team, readiness, milestones, cost, IP."""
    when = _when(actor, at)
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.state != workflow.State.PUBLISHED:
        raise ValidationError(_("This need is not open for proposals."))
    if actor is not None:
        from talentflow.needs.selectors import need_visible

        if not need_visible(user=actor).filter(pk=need.pk).exists():
            raise PermissionDenied
        if not permissions.can_propose(actor, need):
            raise PermissionDenied(_("Institutions and talents answer needs."))
        if not permissions.sees_details(actor, need):
            raise PermissionDenied(
                _("Accept the confidentiality terms to read the details before proposing.")
            )
        scope = scope_for(actor)
        if organisation is not None and organisation.pk not in scope.organisation_ids:
            raise PermissionDenied(_("You may only propose for your own institution."))
        if need.proposals_due and _today(when) > need.proposals_due:
            raise ValidationError(_("The deadline for proposals has passed."))
    if organisation is not None and organisation.kind not in {
        OrganisationKind.UNIVERSITY,
        OrganisationKind.RESEARCH_INSTITUTE,
        OrganisationKind.PLATFORM,
    }:
        raise ValidationError({"organisation": _("Proposals come from institutions.")})
    member_ids = [getattr(t, "pk", t) for t, _role in members]
    found = _talents(member_ids)
    errors: dict[str, Any] = {}
    if len(set(member_ids)) != len(member_ids):
        errors["members"] = _("A person appears twice in the team.")
    if set(member_ids) - set(found):
        errors["members"] = _("Some team members are not in the directory.")
    roles = [role for _t, role in members]
    if roles.count(TeamRole.LEAD) != 1:
        errors["members"] = _("Name exactly one lead expert.")
    if any(role not in TeamRole.values for role in roles):
        errors["members"] = _("Unknown team role.")
    proposal = Proposal(
        need=need,
        author=actor,
        organisation=organisation,
        approach=approach.strip(),
        trl=trl,
        cost=cost,
        ip_terms=ip_terms,
        ip_note=ip_note.strip(),
    )
    try:
        proposal.full_clean(exclude=["need", "author"])
    except ValidationError as error:
        errors.update(error.message_dict)
    milestone_rows = []
    for i, m in enumerate(milestones, start=1):
        row = ProposalMilestone(
            position=i,
            title=(m.get("title") or "").strip(),
            due_date=m.get("due_date"),
            deliverable=(m.get("deliverable") or "").strip(),
        )
        try:
            row.full_clean(exclude=["proposal"])
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors[f"milestones.{i}.{field}"] = messages
        milestone_rows.append(row)
    if errors:
        raise ValidationError(errors)
    proposal.save()
    ProposalMember.objects.bulk_create(
        [
            ProposalMember(proposal=proposal, talent=found[tid], role=role)
            for tid, (_t, role) in zip(member_ids, members, strict=True)
        ]
    )
    for row in milestone_rows:
        row.proposal = proposal
    ProposalMilestone.objects.bulk_create(milestone_rows)
    who = str(organisation or found[member_ids[roles.index(TeamRole.LEAD)]])
    _event(
        need=need,
        actor=actor,
        action="proposal.submit",
        at=when,
        note=who,
        system_label=system_label,
        proposal=proposal,
    )
    audit_record(
        actor=actor,
        action="proposal.submit",
        obj=proposal,
        after={
            **snapshot(proposal),
            "members": [[tid, r] for tid, (_t, r) in zip(member_ids, members, strict=True)],
        },
        region=need.region_id,
        system_label=system_label,
    )
    _tell(
        need,
        "proposal.submitted",
        _enterprise_users(need) + _officers(need),
        actor=actor,
        author=who,
    )
    return proposal


def _proposal_decide(
    *,
    actor,
    proposal: Proposal,
    state: str,
    at: dt.datetime,
    reason_code: str = "",
    note: str = "",
    system_label: str | None = None,
) -> Proposal:
    before = snapshot(proposal)
    proposal.state = state
    if state == ProposalState.DECLINED:
        proposal.decline_reason = reason_code
        proposal.decline_note = note
    if state in {ProposalState.DECLINED, ProposalState.SELECTED, ProposalState.SHORTLISTED}:
        proposal.decided_by = actor
        proposal.decided_at = at
    proposal.save()
    _event(
        need=proposal.need,
        actor=actor,
        action=f"proposal.{state}",
        at=at,
        note=_proposal_note(proposal),
        system_label=system_label,
        proposal=proposal,
    )
    audit_record(
        actor=actor,
        action=f"proposal.{state}",
        obj=proposal,
        before=before,
        after=snapshot(proposal),
        region=proposal.need.region_id,
        system_label=system_label,
    )
    return proposal


def _proposal_note(proposal: Proposal) -> str:
    who = str(proposal.organisation or proposal.author)
    if proposal.state == ProposalState.DECLINED:
        reason = DeclineReason(proposal.decline_reason).label if proposal.decline_reason else ""
        return f"{who} · {reason}{'：' + proposal.decline_note if proposal.decline_note else ''}"
    return who


def _check_decline(reason_code: str, note: str) -> None:
    if reason_code not in DeclineReason.values:
        raise ValidationError({"reason": _("Choose why the proposal is declined.")})
    if reason_code == DeclineReason.OTHER and not note.strip():
        raise ValidationError({"note": _("Say why, when the reason is “other”.")})


def _require_proposal(actor, proposal: Proposal, action: workflow.ProposalAction):
    parties = (
        set(workflow.ProposalParty)
        if actor is None
        else permissions.proposal_parties(actor, proposal)
    )
    try:
        return workflow.check_proposal(action, proposal.state, parties)
    except workflow.TransitionError as error:
        if error.reason == "party":
            raise PermissionDenied(_("You may not do this to this proposal.")) from error
        raise ValidationError(
            _("This is not possible while the proposal is “%(state)s”.")
            % {"state": ProposalState(proposal.state).label}
        ) from error


@transaction.atomic
def proposal_shortlist(
    *, actor, proposal: Proposal, at: dt.datetime | None = None, system_label: str | None = None
) -> Proposal:
    when = _when(actor, at)
    proposal = Proposal.objects.select_for_update().select_related("need").get(pk=proposal.pk)
    target = _require_proposal(actor, proposal, workflow.ProposalAction.SHORTLIST)
    _proposal_decide(
        actor=actor, proposal=proposal, state=target, at=when, system_label=system_label
    )
    _tell(proposal.need, "proposal.shortlisted", _proposal_authors(proposal), actor=actor)
    return proposal


@transaction.atomic
def proposal_decline(
    *,
    actor,
    proposal: Proposal,
    reason_code: str,
    note: str = "",
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> Proposal:
    """Decline with a coded reason (too early, cost, unclear route, capacity, other + text)."""
    when = _when(actor, at)
    proposal = Proposal.objects.select_for_update().select_related("need").get(pk=proposal.pk)
    target = _require_proposal(actor, proposal, workflow.ProposalAction.DECLINE)
    _check_decline(reason_code, note)
    _proposal_decide(
        actor=actor,
        proposal=proposal,
        state=target,
        reason_code=reason_code,
        note=note.strip(),
        at=when,
        system_label=system_label,
    )
    _tell(
        proposal.need,
        "proposal.declined",
        _proposal_authors(proposal),
        actor=actor,
        reason=_proposal_note(proposal),
    )
    return proposal


@transaction.atomic
def proposal_withdraw(
    *, actor, proposal: Proposal, at: dt.datetime | None = None, system_label: str | None = None
) -> Proposal:
    when = _when(actor, at)
    proposal = Proposal.objects.select_for_update().select_related("need").get(pk=proposal.pk)
    target = _require_proposal(actor, proposal, workflow.ProposalAction.WITHDRAW)
    _proposal_decide(
        actor=actor, proposal=proposal, state=target, at=when, system_label=system_label
    )
    _tell(
        proposal.need,
        "proposal.withdrawn",
        _enterprise_users(proposal.need) + _officers(proposal.need),
        actor=actor,
        author=str(proposal.organisation or proposal.author),
    )
    return proposal


@transaction.atomic
def proposal_select(
    *,
    actor,
    proposal: Proposal,
    contract_amount: Decimal,
    signed_on: dt.date,
    planned_end: dt.date | None = None,
    declines: Mapping[int, tuple[str, str]] | None = None,
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> Engagement:
    """Select one proposal: the need is engaged, an engagement with its team and milestones
    starts, and every other open proposal is declined with the coded reason given for it."""
    when = _when(actor, at)
    proposal = Proposal.objects.select_for_update().select_related("need").get(pk=proposal.pk)
    need = Need.objects.select_for_update().get(pk=proposal.need_id)
    _require_transition(actor, need, workflow.Action.SELECT)
    _require_proposal(actor, proposal, workflow.ProposalAction.SELECT)
    declines = dict(declines or {})
    others = list(need.proposals.filter(state__in=workflow.PROPOSAL_OPEN).exclude(pk=proposal.pk))
    missing = [p for p in others if p.pk not in declines]
    if missing:
        raise ValidationError(
            {
                "declines": _(
                    "Give the reason each other proposal is declined (%(count)d missing)."
                )
                % {"count": len(missing)}
            }
        )
    for code, note in declines.values():
        _check_decline(code, note)
    engagement = Engagement(
        need=need,
        proposal=proposal,
        institution=proposal.organisation,
        contract_amount=contract_amount,
        signed_on=signed_on,
        planned_end=planned_end
        or max((m.due_date for m in proposal.milestones.all()), default=None),
    )
    engagement.full_clean(exclude=["need", "proposal"])
    for other in others:
        code, note = declines[other.pk]
        _proposal_decide(
            actor=actor,
            proposal=other,
            state=ProposalState.DECLINED,
            reason_code=code,
            note=note.strip(),
            at=when,
            system_label=system_label,
        )
        _tell(
            need,
            "proposal.declined",
            _proposal_authors(other),
            actor=actor,
            reason=_proposal_note(other),
        )
    _proposal_decide(
        actor=actor,
        proposal=proposal,
        state=ProposalState.SELECTED,
        at=when,
        system_label=system_label,
    )
    engagement.save()
    EngagementMember.objects.bulk_create(
        [
            EngagementMember(engagement=engagement, talent_id=m.talent_id, role=m.role)
            for m in proposal.members.all()
        ]
    )
    EngagementMilestone.objects.bulk_create(
        [
            EngagementMilestone(
                engagement=engagement,
                position=m.position,
                title=m.title,
                due_date=m.due_date,
                deliverable=m.deliverable,
            )
            for m in proposal.milestones.all()
        ]
    )
    audit_record(
        actor=actor,
        action="engagement.create",
        obj=engagement,
        after=snapshot(engagement),
        region=need.region_id,
        system_label=system_label,
    )
    _move(
        actor=actor,
        need=need,
        action=workflow.Action.SELECT,
        at=when,
        note=str(proposal.organisation or proposal.author),
        system_label=system_label,
    )
    _tell(
        need,
        "proposal.selected",
        _proposal_authors(proposal) + _enterprise_users(need) + _officers(need),
        actor=actor,
    )
    return engagement


# 验题: the workshop check -----------------------------------------------------------------


@transaction.atomic
def verification_start(
    *, actor, need: Need, at: dt.datetime | None = None, system_label: str | None = None
) -> VerificationRound:
    """The solvers deliver (or the enterprise calls them to the line): a new round opens."""
    when = _when(actor, at)
    need = Need.objects.select_for_update().get(pk=need.pk)
    _require_transition(actor, need, workflow.Action.START_VERIFICATION)
    engagement = need.engagement
    number = engagement.verification_rounds.count() + 1
    round_ = VerificationRound.objects.create(
        engagement=engagement, number=number, started_by=actor
    )
    _move(
        actor=actor,
        need=need,
        action=workflow.Action.START_VERIFICATION,
        at=when,
        note=_("Round %(n)d") % {"n": number},
        system_label=system_label,
    )
    _tell(
        need,
        "verification.started",
        _enterprise_users(need) + _solver_users(need) + _officers(need),
        actor=actor,
    )
    return round_


@transaction.atomic
def verification_record(
    *,
    actor,
    need: Need,
    checks: Sequence[Mapping[str, Any]],
    findings: str = "",
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> VerificationRound:
    """The enterprise records the check of every criterion on its line. All passed: verified.
    Any failed: back to work, and the round keeps its findings for the next attempt."""
    when = _when(actor, at)
    need = Need.objects.select_for_update().get(pk=need.pk)
    # Passing and failing start from the same state and belong to the same party.
    _require_transition(actor, need, workflow.Action.VERIFICATION_PASSED)
    round_ = need.engagement.verification_rounds.select_for_update().order_by("-number").first()
    criteria = {c.pk: c for c in need.criteria.all()}
    by_criterion: dict[int, Mapping[str, Any]] = {}
    errors: dict[str, Any] = {}
    for i, check in enumerate(checks, start=1):
        cid = getattr(check.get("criterion"), "pk", check.get("criterion"))
        if cid not in criteria:
            errors[f"checks.{i}.criterion"] = _("Not a criterion of this need.")
        elif cid in by_criterion:
            errors[f"checks.{i}.criterion"] = _("This criterion was checked twice.")
        else:
            by_criterion[cid] = check
    missing = set(criteria) - set(by_criterion)
    if missing:
        errors["checks"] = _("Record the result of every acceptance criterion (%(n)d missing).") % {
            "n": len(missing)
        }
    rows = []
    for i, (cid, check) in enumerate(by_criterion.items(), start=1):
        passed = check.get("passed")
        if not isinstance(passed, bool):
            errors[f"checks.{i}.passed"] = _("Say whether the criterion passed.")
            continue
        row = CriterionCheck(
            round=round_,
            criterion=criteria[cid],
            passed=passed,
            measured_value=_decimal_or_none(
                check.get("measured_value"), f"checks.{i}.measured_value"
            ),
            unit=(check.get("unit") or criteria[cid].unit or "").strip(),
            note=(check.get("note") or "").strip(),
        )
        if criteria[cid].comparator != "pass_fail" and row.measured_value is None:
            errors[f"checks.{i}.measured_value"] = _("Enter the value measured on the line.")
        rows.append(row)
    all_passed = bool(rows) and all(r.passed for r in rows)
    if not all_passed and not findings.strip():
        errors["findings"] = _("Describe the findings the solvers must work on.")
    if errors:
        raise ValidationError(errors)
    # The database check keeps the evidence of every round: replace only this round's checks.
    round_.checks.all().delete()
    CriterionCheck.objects.bulk_create(rows)
    before = snapshot(round_)
    round_.passed = all_passed
    round_.findings = findings.strip()
    round_.recorded_by = actor
    round_.recorded_at = when
    round_.save()
    audit_record(
        actor=actor,
        action="verification.record",
        obj=round_,
        before=before,
        after={
            **snapshot(round_),
            "checks": [[r.criterion_id, r.passed, str(r.measured_value or "")] for r in rows],
        },
        region=need.region_id,
        system_label=system_label,
    )
    action = (
        workflow.Action.VERIFICATION_PASSED if all_passed else workflow.Action.VERIFICATION_FAILED
    )
    _move(
        actor=actor,
        need=need,
        action=action,
        at=when,
        note=findings.strip()
        or _("All %(n)d criteria passed (round %(round)d).")
        % {"n": len(rows), "round": round_.number},
        system_label=system_label,
    )
    _tell(
        need,
        "verification.passed" if all_passed else "verification.failed",
        _solver_users(need) + _officers(need) + _enterprise_users(need),
        actor=actor,
        findings=findings.strip(),
    )
    return round_


# 评价: outcomes ---------------------------------------------------------------------------

_OUTCOME_MESSAGES = {
    "not_a_number": gettext_lazy("Enter a number."),
    "not_positive": gettext_lazy("An outcome is a positive amount; record what was gained."),
    "too_large": gettext_lazy("This is more than %(limit)s for this kind; check the unit."),
    "too_precise": gettext_lazy("Use at most two decimal places."),
    "not_whole": gettext_lazy("This kind is counted in whole numbers."),
    "basis_missing": gettext_lazy("Say per which unit the cost fell, e.g. 吨 (tonne)."),
    "basis_not_applicable": gettext_lazy("Only a cost per unit takes a “per” unit."),
}


def _check_outcome_value(kind: str, amount: Any, unit_basis: str) -> Decimal:
    from talentflow.needs.models import OutcomeKind

    if kind not in OutcomeKind.values:
        raise ValidationError({"kind": _("Choose the kind of outcome.")})
    try:
        value = amount if isinstance(amount, Decimal) else Decimal(str(amount).strip())
    except (InvalidOperation, ValueError) as error:
        raise ValidationError({"amount": _("Enter a number.")}) from error
    try:
        outcome_rules.check_value(kind, value, unit_basis)
    except outcome_rules.OutcomeValueError as error:
        message = _OUTCOME_MESSAGES[error.code]
        text = str(message) % {"limit": f"{error.limit:,}"} if error.limit else str(message)
        raise ValidationError({error.field: text}) from error
    return value


OUTCOME_FIELDS = (
    "kind",
    "amount",
    "unit_basis",
    "qualifier",
    "period_start",
    "period_end",
    "description",
)


@transaction.atomic
def outcome_record(
    *,
    actor,
    need: Need,
    kind: str,
    amount: Any,
    unit_basis: str = "",
    qualifier: str = "exact",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
    description: str = "",
    system_label: str | None = None,
) -> Outcome:
    """After deployment, a measured outcome is recorded (by the enterprise, the solvers or the
    office) and waits for the office's confirmation."""
    need = Need.objects.select_for_update().get(pk=need.pk)
    if actor is not None and not permissions.parties(actor, need):
        raise PermissionDenied(_("Only the parties of the need record its outcomes."))
    if need.state != workflow.State.VERIFIED:
        raise ValidationError(
            _("Outcomes are recorded after the workshop verification and before closing.")
        )
    value = _check_outcome_value(kind, amount, unit_basis.strip())
    outcome = Outcome(
        need=need,
        kind=kind,
        amount=value,
        unit_basis=unit_basis.strip(),
        qualifier=qualifier,
        period_start=period_start,
        period_end=period_end,
        description=description.strip(),
        recorded_by=actor,
    )
    outcome.full_clean()
    if period_start and period_end and period_end < period_start:
        raise ValidationError({"period_end": _("The period ends before it starts.")})
    outcome.save()
    audit_record(
        actor=actor,
        action="outcome.record",
        obj=outcome,
        after=snapshot(outcome),
        region=need.region_id,
        system_label=system_label,
    )
    _tell(need, "outcome.recorded", _officers(need), actor=actor, outcome=str(outcome))
    return outcome


def _require_officer(actor, need: Need) -> None:
    if actor is not None and workflow.Party.OFFICER not in permissions.parties(actor, need):
        raise PermissionDenied(_("The talent office confirms outcomes."))


@transaction.atomic
def outcome_confirm(
    *, actor, outcome: Outcome, at: dt.datetime | None = None, system_label: str | None = None
) -> Outcome:
    when = _when(actor, at)
    outcome = Outcome.objects.select_for_update().select_related("need").get(pk=outcome.pk)
    _require_officer(actor, outcome.need)
    if outcome.status != OutcomeStatus.RECORDED:
        raise ValidationError(_("This outcome was already decided."))
    if outcome.need.state != workflow.State.VERIFIED:
        raise ValidationError(_("Outcomes are confirmed before the need is closed."))
    before = snapshot(outcome)
    outcome.status = OutcomeStatus.CONFIRMED
    outcome.confirmed_by = actor
    outcome.confirmed_at = when
    outcome.save()
    _event(
        need=outcome.need,
        actor=actor,
        action="outcome.confirm",
        at=when,
        note=str(outcome),
        system_label=system_label,
    )
    audit_record(
        actor=actor,
        action="outcome.confirm",
        obj=outcome,
        before=before,
        after=snapshot(outcome),
        region=outcome.need.region_id,
        system_label=system_label,
    )
    if outcome.recorded_by is not None:
        _tell(
            outcome.need,
            "outcome.confirmed",
            [outcome.recorded_by],
            actor=actor,
            outcome=str(outcome),
        )
    return outcome


@transaction.atomic
def outcome_reject(*, actor, outcome: Outcome, reason: str) -> Outcome:
    outcome = Outcome.objects.select_for_update().select_related("need").get(pk=outcome.pk)
    _require_officer(actor, outcome.need)
    if outcome.status != OutcomeStatus.RECORDED:
        raise ValidationError(_("This outcome was already decided."))
    reason = _reason(reason)
    before = snapshot(outcome)
    outcome.status = OutcomeStatus.REJECTED
    outcome.rejection_reason = reason
    outcome.confirmed_by = actor
    outcome.confirmed_at = timezone.now()
    outcome.save()
    _event(
        need=outcome.need,
        actor=actor,
        action="outcome.reject",
        at=outcome.confirmed_at,
        note=f"{outcome} · {reason}",
    )
    audit_record(
        actor=actor,
        action="outcome.reject",
        obj=outcome,
        before=before,
        after=snapshot(outcome),
        region=outcome.need.region_id,
    )
    if outcome.recorded_by is not None:
        _tell(
            outcome.need,
            "outcome.rejected",
            [outcome.recorded_by],
            actor=actor,
            outcome=str(outcome),
            reason=reason,
        )
    return outcome


@transaction.atomic
def outcome_update(*, actor, outcome: Outcome, data: Mapping[str, Any]) -> Outcome:
    """Correct a recorded outcome before the office decides on it."""
    outcome = Outcome.objects.select_for_update().select_related("need").get(pk=outcome.pk)
    if actor is not None and not permissions.parties(actor, outcome.need):
        raise PermissionDenied
    if outcome.status != OutcomeStatus.RECORDED:
        raise ValidationError(_("A decided outcome can no longer change."))
    before = snapshot(outcome)
    changed, _m2m = model_update(instance=outcome, data=data, fields=OUTCOME_FIELDS)
    if not changed:
        return outcome
    outcome.amount = _check_outcome_value(outcome.kind, outcome.amount, outcome.unit_basis)
    outcome.full_clean()
    outcome.save()
    audit_record(
        actor=actor,
        action="outcome.update",
        obj=outcome,
        before=before,
        after=snapshot(outcome),
        region=outcome.need.region_id,
    )
    return outcome


def milestone_complete(*, actor, milestone: EngagementMilestone, completed_on: dt.date):
    """Mark an engagement milestone done (the enterprise or the solvers)."""
    with transaction.atomic():
        milestone = (
            EngagementMilestone.objects.select_for_update()
            .select_related("engagement__need")
            .get(pk=milestone.pk)
        )
        need = milestone.engagement.need
        p = permissions.parties(actor, need) if actor is not None else set(workflow.Party)
        if not p & {workflow.Party.ENTERPRISE, workflow.Party.SOLVER}:
            raise PermissionDenied
        if completed_on > timezone.localdate():
            raise ValidationError({"completed_on": _("The date lies in the future.")})
        before = snapshot(milestone)
        milestone.completed_on = completed_on
        milestone.save()
        audit_record(
            actor=actor,
            action="engagement.milestone",
            obj=milestone,
            before=before,
            after=snapshot(milestone),
            region=need.region_id,
        )
        return milestone


# Keep the module's public surface explicit for the views and the API.
__all__ = [
    "ASSIST_FIELDS",
    "NEED_FIELDS",
    "POSE_FIELDS",
    "confidentiality_accept",
    "criteria_set",
    "document_add",
    "milestone_complete",
    "need_cancel",
    "need_close",
    "need_create",
    "need_publish",
    "need_return",
    "need_submit",
    "need_update",
    "need_withdraw",
    "outcome_confirm",
    "outcome_record",
    "outcome_reject",
    "outcome_update",
    "proposal_decline",
    "proposal_select",
    "proposal_shortlist",
    "proposal_submit",
    "proposal_withdraw",
    "verification_record",
    "verification_start",
    "visit_create",
]
