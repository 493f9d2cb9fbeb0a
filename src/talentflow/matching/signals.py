"""Append ``IndexChange`` rows for every write that changes what the engine knows of a talent.

The handlers run inside the writing transaction (Django sends model signals synchronously), so
the log entry commits with the change or not at all. They record only *which* talents changed;
``index.py`` rebuilds those talents' records from the database when it applies the log, so the
order and the number of entries do not matter and a write logged twice costs nothing but a row.

Writes that bypass model signals (``bulk_create`` of talents in the demo loader, raw SQL) must
call ``log_all()`` — every process then rebuilds its engine — or ``log_talents(ids)``.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete

from talentflow.directory.models import Affiliation, TalentProfile
from talentflow.matching.models import (
    ExpertCapacity,
    IndexChange,
    InterestDeclaration,
    PastEngagement,
)
from talentflow.needs.models import (
    Engagement,
    EngagementMember,
    Need,
    Outcome,
    ProposalMember,
)

# ``talent_id`` of an entry that asks every process for a full rebuild.
ALL = 0


def log_talents(talent_ids: Iterable[int | None]) -> None:
    """Record that these talents' matching records must be rebuilt."""
    ids = sorted({int(t) for t in talent_ids if t is not None})
    if ids:
        IndexChange.objects.bulk_create([IndexChange(talent_id=t) for t in ids])


def log_all() -> None:
    """Ask every process to rebuild its engine from scratch (after a bulk load)."""
    IndexChange.objects.create(talent_id=ALL)


# Talents and their own records --------------------------------------------------------------


def _talent_saved(sender, instance: TalentProfile, raw: bool = False, **kwargs) -> None:
    log_talents([instance.pk])


def _talent_owned(sender, instance, raw: bool = False, **kwargs) -> None:
    """A record hanging off one talent (affiliation, interest, capacity, engagement member)."""
    log_talents([instance.talent_id])


def _talent_m2m(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Qualifications, disciplines, industries or pools of talents changed, from either side."""
    if not reverse:
        if action in {"post_add", "post_remove", "post_clear"}:
            log_talents([instance.pk])
        return
    # From the other side (``pool.talents.add(...)``): pk_set holds talent ids; a clear has
    # none, so the members are read before they go.
    if action in {"post_add", "post_remove"}:
        log_talents(pk_set or ())
    elif action == "pre_clear":
        field = sender._meta.get_field("talentprofile")
        related = [f for f in sender._meta.concrete_fields if f.is_relation and f is not field]
        other = related[0].attname
        log_talents(
            sender.objects.filter(**{other: instance.pk}).values_list(field.attname, flat=True)
        )


# Engagements on the platform ----------------------------------------------------------------


def _need_team(need_id: int) -> list[int]:
    return list(
        EngagementMember.objects.filter(engagement__need_id=need_id).values_list(
            "talent_id", flat=True
        )
    )


def _need_saved(sender, instance: Need, created: bool = False, raw: bool = False, **kw) -> None:
    # A new need has no team yet; a change of state or text reaches its team's past work and
    # current load.
    if not created:
        log_talents(_need_team(instance.pk))


def _need_m2m(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    if not reverse and action in {"post_add", "post_remove", "post_clear"}:
        log_talents(_need_team(instance.pk))


def _engagement_changed(sender, instance: Engagement, raw: bool = False, **kwargs) -> None:
    # The members are copied from the proposal after the engagement is saved (bulk_create, no
    # signals), so the proposal's team is logged too.
    team = list(
        ProposalMember.objects.filter(proposal_id=instance.proposal_id).values_list(
            "talent_id", flat=True
        )
    )
    if instance.pk is not None:
        team += list(instance.members.values_list("talent_id", flat=True))
    log_talents(team)


def _outcome_changed(sender, instance: Outcome, raw: bool = False, **kwargs) -> None:
    log_talents(_need_team(instance.need_id))


# Imported past engagements ------------------------------------------------------------------


def _past_team(instance: PastEngagement) -> list[int]:
    if instance.pk is None:
        return []
    return list(instance.talents.values_list("pk", flat=True))


def _past_saved(sender, instance: PastEngagement, created: bool = False, **kwargs) -> None:
    if not created:
        log_talents(_past_team(instance))


def _past_deleting(sender, instance: PastEngagement, **kwargs) -> None:
    log_talents(_past_team(instance))  # the links are gone by post_delete


def _past_talents(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if reverse:  # talent.past_engagements.add(...): the instance is the talent
        if action in {"post_add", "post_remove", "post_clear"}:
            log_talents([instance.pk])
        return
    if action in {"post_add", "post_remove"}:
        log_talents(pk_set or ())
    elif action == "pre_clear":
        log_talents(_past_team(instance))


def _past_disciplines(sender, instance, action: str, reverse: bool, **kwargs) -> None:
    if not reverse and action in {"post_add", "post_remove", "post_clear"}:
        log_talents(_past_team(instance))


def connect() -> None:
    """Connect the handlers (from ``MatchingConfig.ready``)."""
    uid = "talentflow.matching"
    post_save.connect(_talent_saved, sender=TalentProfile, dispatch_uid=f"{uid}.talent.save")
    post_delete.connect(_talent_saved, sender=TalentProfile, dispatch_uid=f"{uid}.talent.del")
    for name in ("qualifications", "disciplines", "industries", "pools"):
        through = getattr(TalentProfile, name).through
        m2m_changed.connect(_talent_m2m, sender=through, dispatch_uid=f"{uid}.talent.{name}")
    for model in (Affiliation, InterestDeclaration, ExpertCapacity, EngagementMember):
        label = model._meta.label_lower
        post_save.connect(_talent_owned, sender=model, dispatch_uid=f"{uid}.{label}.save")
        post_delete.connect(_talent_owned, sender=model, dispatch_uid=f"{uid}.{label}.del")
    post_save.connect(_need_saved, sender=Need, dispatch_uid=f"{uid}.need.save")
    m2m_changed.connect(
        _need_m2m, sender=Need.disciplines.through, dispatch_uid=f"{uid}.need.disciplines"
    )
    post_save.connect(_engagement_changed, sender=Engagement, dispatch_uid=f"{uid}.eng.save")
    pre_delete.connect(_engagement_changed, sender=Engagement, dispatch_uid=f"{uid}.eng.del")
    post_save.connect(_outcome_changed, sender=Outcome, dispatch_uid=f"{uid}.outcome.save")
    post_delete.connect(_outcome_changed, sender=Outcome, dispatch_uid=f"{uid}.outcome.del")
    post_save.connect(_past_saved, sender=PastEngagement, dispatch_uid=f"{uid}.past.save")
    pre_delete.connect(_past_deleting, sender=PastEngagement, dispatch_uid=f"{uid}.past.del")
    m2m_changed.connect(
        _past_talents, sender=PastEngagement.talents.through, dispatch_uid=f"{uid}.past.talents"
    )
    m2m_changed.connect(
        _past_disciplines,
        sender=PastEngagement.disciplines.through,
        dispatch_uid=f"{uid}.past.disciplines",
    )
