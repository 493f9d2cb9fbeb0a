"""Writes of matching: invitations, declared interests, capacities and imported past engagements.

Each function is one atomic change with one ``AuditEvent``; invitations notify the talent (the
e-mail after commit). The engine learns of every change through the change log the signal
handlers append in the same transaction (``signals.py``), not through these functions.
``actor=None`` is a system task named by ``system_label`` (imports, the demo).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from talentflow.accounts import permissions
from talentflow.core.audit import audit_record, snapshot
from talentflow.core.models import DataSource
from talentflow.core.notifications import notify
from talentflow.core.services import require
from talentflow.directory.models import Organisation, TalentProfile
from talentflow.matching import selectors
from talentflow.matching.models import (
    ExpertCapacity,
    InterestDeclaration,
    InterestKind,
    Invitation,
    InvitationStatus,
    PastEngagement,
)
from talentflow.needs import permissions as need_permissions
from talentflow.needs import workflow
from talentflow.needs.models import Need, NeedState, ProposalMember
from talentflow.reference.models import Discipline, Industry

# Invitations ------------------------------------------------------------------------------


def _inviter_may(actor, need: Need) -> bool:
    if actor is None:
        return True
    return bool(
        need_permissions.parties(actor, need) & {workflow.Party.OFFICER, workflow.Party.ENTERPRISE}
    )


@transaction.atomic
def invite(
    *,
    actor,
    need: Need,
    talent: TalentProfile,
    note: str = "",
    score: float | None = None,
    system_label: str | None = None,
) -> Invitation:
    """Invite ``talent`` to propose for ``need`` (the enterprise or its talent office).

    Refused: anyone else (PermissionDenied); a need not open for proposals, an inactive talent,
    a talent outside the need's candidates (see ``selectors``), one with a conflict of interest
    with the enterprise, one already invited or already on a proposal (ValidationError).
    """
    require(
        _inviter_may(actor, need),
        _("Only the enterprise and its talent office invite experts to a need."),
    )
    need = Need.objects.select_for_update().select_related("enterprise").get(pk=need.pk)
    if need.state != NeedState.PUBLISHED:
        raise ValidationError(
            _("Experts can be invited only while the need is open for proposals.")
        )
    if not talent.is_active:
        raise ValidationError(_("%(name)s is no longer active.") % {"name": talent.name})
    if not selectors.need_candidates(need).filter(pk=talent.pk).exists():
        raise ValidationError(
            _(
                "%(name)s is outside the talents this need can reach: not tied to its region "
                "or its alliances, and not in a pool it is shared with."
            )
            % {"name": talent.name}
        )
    if selectors.has_conflict(talent, need.enterprise_id):
        raise ValidationError(
            _("%(name)s has a conflict of interest with %(enterprise)s.")
            % {"name": talent.name, "enterprise": need.enterprise.name}
        )
    if Invitation.objects.filter(need=need, talent=talent).exists():
        raise ValidationError(
            _("%(name)s is already invited to this need.") % {"name": talent.name}
        )
    if ProposalMember.objects.filter(proposal__need=need, talent=talent).exists():
        raise ValidationError(
            _("%(name)s is already on a proposal for this need.") % {"name": talent.name}
        )
    invitation = Invitation(
        need=need,
        talent=talent,
        invited_by=actor if getattr(actor, "pk", None) else None,
        note=note.strip(),
        score=score,
    )
    invitation.full_clean(exclude=["need", "talent", "invited_by"], validate_unique=False)
    invitation.save()
    audit_record(
        actor=actor,
        action="invitation.create",
        obj=invitation,
        after=snapshot(invitation),
        region=need.region_id,
        system_label=system_label,
    )
    if talent.user_id:
        notify(
            recipients=[talent.user],
            kind="matching.invited",
            params={"need": need.title, "enterprise": need.enterprise.name},
            url=need.get_absolute_url(),
            exclude=actor,
        )
    return invitation


@transaction.atomic
def invitation_decline(*, actor, invitation: Invitation, note: str = "") -> Invitation:
    """The invited talent declines; whoever invited them hears of it."""
    scope = permissions.scope_for(actor)
    require(
        scope.talent_id is not None and scope.talent_id == invitation.talent_id,
        _("Only the invited talent answers an invitation."),
    )
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("need", "talent")
        .get(pk=invitation.pk)
    )
    if invitation.status != InvitationStatus.INVITED:
        raise ValidationError(_("This invitation is already answered."))
    before = snapshot(invitation)
    invitation.status = InvitationStatus.DECLINED
    if note.strip():
        invitation.note = "\n".join(p for p in (invitation.note, note.strip()) if p)
    invitation.save(update_fields=["status", "note", "updated_at"])
    audit_record(
        actor=actor,
        action="invitation.decline",
        obj=invitation,
        before=before,
        after=snapshot(invitation),
        region=invitation.need.region_id,
    )
    if invitation.invited_by_id:
        notify(
            recipients=[invitation.invited_by],
            kind="matching.declined",
            params={"need": invitation.need.title, "talent": invitation.talent.name},
            url=invitation.need.get_absolute_url(),
            exclude=actor,
        )
    return invitation


# Declared interests and capacity ----------------------------------------------------------


@transaction.atomic
def interest_declare(
    *,
    actor,
    talent: TalentProfile,
    organisation: Organisation,
    kind: str,
    note: str = "",
    system_label: str | None = None,
) -> InterestDeclaration:
    """Declare that the talent (or their family or employer) owns or belongs to an
    organisation: from now on they are never recommended for its needs."""
    if actor is not None:
        require(permissions.can_edit_talent(actor, talent))
    if kind not in InterestKind.values:
        raise ValidationError({"kind": _("Choose a kind of interest.")})
    if InterestDeclaration.objects.filter(talent=talent, organisation=organisation).exists():
        raise ValidationError(
            {"organisation": _("An interest in this organisation is already declared.")}
        )
    declaration = InterestDeclaration(
        talent=talent, organisation=organisation, kind=kind, note=note.strip()
    )
    declaration.full_clean(validate_unique=False)
    declaration.save()
    audit_record(
        actor=actor,
        action="interest.declare",
        obj=declaration,
        after=snapshot(declaration),
        region=talent.home_region_id,
        system_label=system_label,
    )
    return declaration


@transaction.atomic
def interest_withdraw(*, actor, declaration: InterestDeclaration) -> None:
    require(permissions.can_edit_talent(actor, declaration.talent))
    before = snapshot(declaration)
    region = declaration.talent.home_region_id
    audit_record(
        actor=actor,
        action="interest.withdraw",
        obj=declaration,
        before=before,
        after={},
        region=region,
    )
    declaration.delete()


@transaction.atomic
def capacity_set(*, actor, talent: TalentProfile, max_concurrent: int) -> ExpertCapacity:
    """Set how many engagements the talent takes on at once (0 takes them out of matching)."""
    require(permissions.can_edit_talent(actor, talent))
    capacity = ExpertCapacity.objects.select_for_update().filter(talent=talent).first()
    before = snapshot(capacity) if capacity is not None else {}
    capacity = capacity or ExpertCapacity(talent=talent)
    capacity.max_concurrent = max_concurrent
    capacity.full_clean(exclude=["talent"])
    capacity.save()
    audit_record(
        actor=actor,
        action="capacity.set",
        obj=capacity,
        before=before,
        after=snapshot(capacity),
        region=talent.home_region_id,
    )
    return capacity


# Past engagements -------------------------------------------------------------------------


@transaction.atomic
def past_engagement_create(
    *,
    actor,
    text: str,
    talents: Sequence[TalentProfile],
    industry: Industry | str | None = None,
    disciplines: Iterable[Discipline] = (),
    year: int | None = None,
    source: str = "",
    data_source: str = DataSource.IMPORTED,
    system_label: str | None = None,
) -> PastEngagement:
    """Record an engagement from before the platform: the need's text and who worked on it.
    Officers and administrators only (the talents must be ones they can see)."""
    if actor is not None:
        require(permissions.can_import(actor))
        from talentflow.directory.selectors import talent_visible

        visible = set(
            talent_visible(user=actor)
            .filter(pk__in=[t.pk for t in talents])
            .values_list("pk", flat=True)
        )
        hidden = [t.name for t in talents if t.pk not in visible]
        if hidden:
            raise PermissionDenied(
                _("You cannot see these talents: %(names)s") % {"names": "、".join(hidden)}
            )
    if not talents:
        raise ValidationError({"talents": _("Name at least one expert who worked on it.")})
    record = PastEngagement(
        text=text.strip(),
        industry_id=getattr(industry, "pk", industry) or None,
        year=year,
        source=source[:255],
        data_source=data_source,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    record.full_clean(exclude=["created_by"])
    record.save()
    disciplines = list(disciplines)
    if disciplines:
        record.disciplines.add(*disciplines)
    record.talents.add(*talents)
    audit_record(
        actor=actor,
        action="past_engagement.create",
        obj=record,
        after=snapshot(record, m2m={"talents": talents, "disciplines": disciplines}),
        system_label=system_label,
    )
    return record
