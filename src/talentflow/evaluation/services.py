"""Writes of talent evaluation. Each function is one atomic state change: it checks who acts,
validates, writes, records one audit event and notifies the parties (e-mails after commit).

``actor=None`` is a system task (the demo) named by ``system_label``; only a system task may
backdate what happened with ``at`` (the demo replays 2025–2026).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentflow.accounts.models import Membership, Role
from talentflow.core.audit import audit_record, snapshot
from talentflow.core.notifications import notify, register
from talentflow.core.services import event_time as _when
from talentflow.core.services import local_day as _day
from talentflow.core.services import model_update
from talentflow.core.services import region_officers as _officers
from talentflow.core.uploads import check_upload
from talentflow.directory.models import (
    Affiliation,
    AffiliationKind,
    Organisation,
    OrganisationKind,
    TalentProfile,
)
from talentflow.evaluation import permissions, workflow
from talentflow.evaluation.models import (
    AUTHORISED_CATEGORIES,
    DIRECT_CATEGORIES,
    QUOTA_STATUSES,
    TIER_VALIDITY_YEARS,
    Authorisation,
    AuthorisationStatus,
    Category,
    EnterpriseEvaluation,
    EvaluationResult,
    EvaluationStatus,
    Objection,
    ObjectionStatus,
    Recommendation,
    RecommendationEntry,
    RecommendationStatus,
    ResultSource,
    Tier,
)
from talentflow.reference.models import Region

for _kind, _message in {
    "evaluation.authorised": gettext_lazy(
        "The talent office of %(region)s authorised %(enterprise)s to evaluate its talents "
        "(%(category)s), %(quota)s talents until %(until)s."
    ),
    "evaluation.authorisation_revoked": gettext_lazy(
        "The authorisation of %(enterprise)s to evaluate its talents was revoked: %(reason)s"
    ),
    "evaluation.submitted": gettext_lazy(
        "%(enterprise)s submitted its evaluation of %(talent)s for endorsement."
    ),
    "evaluation.endorsed": gettext_lazy(
        "The talent office endorsed the evaluation of %(talent)s: %(tier)s until %(until)s."
    ),
    "evaluation.returned": gettext_lazy(
        "The talent office returned the evaluation of %(talent)s: %(reason)s"
    ),
    "evaluation.recommendation_filed": gettext_lazy(
        "%(association)s filed the recommendation list “%(title)s”."
    ),
    "evaluation.notice_opened": gettext_lazy(
        "The recommendation list “%(title)s” is in public notice until %(until)s."
    ),
    "evaluation.objection_filed": gettext_lazy(
        "An objection to %(talent)s on “%(title)s” was filed."
    ),
    "evaluation.objection_resolved": gettext_lazy(
        "Your objection to %(talent)s on “%(title)s” was %(outcome)s: %(resolution)s"
    ),
    "evaluation.recommendation_final": gettext_lazy(
        "The recommendation list “%(title)s” is final: %(count)s talents recognised."
    ),
    "evaluation.result_recorded": gettext_lazy(
        "You were recognised as %(tier)s (%(category)s) until %(until)s."
    ),
    "evaluation.result_revoked": gettext_lazy(
        "Your recognition as %(tier)s (%(category)s) was revoked: %(reason)s"
    ),
}.items():
    register(_kind, _message)

EVIDENCE_KINDS = (AffiliationKind.EMPLOYED, AffiliationKind.SECONDED, AffiliationKind.SERVING)


# Helpers ---------------------------------------------------------------------------------


def _org_users(organisation_id: int, role: str):
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation_id, role=role, is_active=True
        ).select_related("user")
    ]


def _talent_user(talent: TalentProfile):
    return [talent.user] if talent.user_id else []


def _require_office(actor, region_code: str, message: str | None = None) -> None:
    if actor is not None and not permissions.governs(actor, region_code):
        raise PermissionDenied(message or _("Only the talent office of this region may do this."))


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Give the reason.")})
    return reason


def _attach(instance, upload, *, field: str, name_field: str) -> None:
    """Store an upload on ``instance`` (not saved yet). Files are not transactional: the
    caller removes the file when validation fails afterwards."""
    check_upload(upload, field)
    getattr(instance, field).save(upload.name, upload, save=False)
    setattr(instance, name_field, PurePath(upload.name).name[:255])


def _save(instance, *, file_field: str | None = None) -> None:
    try:
        instance.full_clean()
        instance.save()
    except Exception:
        if file_field and getattr(instance, file_field):
            getattr(instance, file_field).delete(save=False)
        raise


def default_valid_until(tier: str, valid_from: dt.date) -> dt.date:
    years = TIER_VALIDITY_YEARS[tier]
    try:
        end = valid_from.replace(year=valid_from.year + years)
    except ValueError:  # 29 February
        end = valid_from.replace(year=valid_from.year + years, day=28)
    return end - dt.timedelta(days=1)


def _is_affiliated(talent: TalentProfile, organisation_id: int, on: dt.date) -> bool:
    return (
        Affiliation.objects.filter(
            talent=talent,
            organisation_id=organisation_id,
            kind__in=EVIDENCE_KINDS,
            start_date__lte=on,
        )
        .exclude(end_date__lt=on)
        .exists()
    )


def _tier(value: str, field: str = "tier") -> str:
    if value not in Tier.values:
        raise ValidationError({field: _("Choose a tier.")})
    return value


# Authorisations -----------------------------------------------------------------------------


def _granting_region(actor, enterprise: Organisation, region: Region | None) -> Region:
    """The officer's own region that covers the enterprise (the narrowest, when an officer
    governs both a county and its prefecture); a system task names it or takes the
    enterprise's."""
    if region is not None:
        return region
    if actor is not None:
        scope = permissions.scope_for(actor)
        governed = sorted(
            Region.objects.filter(code__in=scope.region_codes),
            key=lambda r: len(r.prefix),
            reverse=True,
        )
        for candidate in governed:
            if enterprise.region_id.startswith(candidate.prefix):
                return candidate
    return enterprise.region


@transaction.atomic
def authorisation_create(
    *,
    actor,
    enterprise: Organisation,
    scope: str,
    quota: int,
    period_start: dt.date,
    period_end: dt.date,
    criteria_text: str,
    category: str = Category.EMPLOYER,
    criteria_file=None,
    region: Region | None = None,
    system_label: str | None = None,
) -> Authorisation:
    """The talent office authorises an enterprise of its region to evaluate its own people."""
    region = _granting_region(actor, enterprise, region)
    _require_office(actor, region.code)
    if category not in AUTHORISED_CATEGORIES:
        raise ValidationError(
            {"category": _("The office authorises only self-evaluation categories.")}
        )
    authorisation = Authorisation(
        region=region,
        enterprise=enterprise,
        category=category,
        scope=(scope or "").strip(),
        quota=quota,
        period_start=period_start,
        period_end=period_end,
        criteria_text=(criteria_text or "").strip(),
        granted_by=actor,
    )
    if criteria_file is not None:
        _attach(
            authorisation, criteria_file, field="criteria_file", name_field="criteria_file_name"
        )
    _save(authorisation, file_field="criteria_file")
    audit_record(
        actor=actor,
        action="authorisation.create",
        obj=authorisation,
        after=snapshot(authorisation),
        region=region,
        system_label=system_label,
    )
    notify(
        recipients=_org_users(enterprise.pk, Role.ENTERPRISE),
        kind="evaluation.authorised",
        params={
            "region": region.name,
            "enterprise": enterprise.name,
            "category": str(authorisation.get_category_display()),
            "quota": quota,
            "until": period_end.isoformat(),
        },
        url=authorisation.get_absolute_url(),
        exclude=actor,
    )
    return authorisation


@transaction.atomic
def authorisation_revoke(
    *, actor, authorisation: Authorisation, reason: str, system_label: str | None = None
) -> Authorisation:
    """Evaluations already endorsed keep their results; nothing more can be submitted."""
    authorisation = Authorisation.objects.select_for_update(of=("self",)).get(pk=authorisation.pk)
    _require_office(actor, authorisation.region_id)
    if authorisation.status == AuthorisationStatus.REVOKED:
        raise ValidationError(_("This authorisation is already revoked."))
    before = snapshot(authorisation)
    authorisation.status = AuthorisationStatus.REVOKED
    authorisation.revoked_reason = _reason(reason)
    authorisation.revoked_at = timezone.now()
    authorisation.save()
    audit_record(
        actor=actor,
        action="authorisation.revoke",
        obj=authorisation,
        before=before,
        after=snapshot(authorisation),
        region=authorisation.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_org_users(authorisation.enterprise_id, Role.ENTERPRISE),
        kind="evaluation.authorisation_revoked",
        params={"enterprise": authorisation.enterprise.name, "reason": reason},
        url=authorisation.get_absolute_url(),
        exclude=actor,
    )
    return authorisation


def quota_used(authorisation: Authorisation, *, exclude_pk: int | None = None) -> int:
    qs = authorisation.evaluations.filter(status__in=QUOTA_STATUSES)
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.count()


# Enterprise evaluations ---------------------------------------------------------------------

EVALUATION_FIELDS = (
    "evaluated_on",
    "role",
    "years_on_job",
    "achievements",
    "degree",
    "proposed_tier",
)


def _check_evaluation(evaluation: EnterpriseEvaluation) -> None:
    """The rules of an evaluation whatever its state: inside the authorisation's period, of a
    talent working for the enterprise on that day."""
    authorisation = evaluation.authorisation
    errors: dict[str, Any] = {}
    if evaluation.evaluated_on and not authorisation.covers(evaluation.evaluated_on):
        errors["evaluated_on"] = _(
            "The evaluation date lies outside the authorisation's period (%(start)s – %(end)s)."
        ) % {"start": authorisation.period_start, "end": authorisation.period_end}
    if (
        evaluation.talent_id
        and evaluation.evaluated_on
        and not _is_affiliated(
            evaluation.talent, authorisation.enterprise_id, evaluation.evaluated_on
        )
    ):
        errors["talent"] = _(
            "%(talent)s does not work for %(enterprise)s on the evaluation date."
        ) % {"talent": evaluation.talent.name, "enterprise": authorisation.enterprise.name}
    if errors:
        raise ValidationError(errors)


def _require_enterprise(actor, authorisation: Authorisation) -> None:
    if actor is not None and not permissions.acts_for(actor, authorisation.enterprise_id):
        raise PermissionDenied(_("Only the authorised enterprise may evaluate under it."))


def _require_active(authorisation: Authorisation) -> None:
    if authorisation.status != AuthorisationStatus.ACTIVE:
        raise ValidationError(_("This authorisation was revoked."))


@transaction.atomic
def evaluation_create(
    *,
    actor,
    authorisation: Authorisation,
    talent: TalentProfile,
    evaluated_on: dt.date,
    role: str,
    years_on_job: int,
    achievements: str,
    proposed_tier: str,
    degree: str = "",
    evidence=None,
    system_label: str | None = None,
) -> EnterpriseEvaluation:
    """The enterprise records its evaluation of one of its people, as a draft."""
    authorisation = Authorisation.objects.select_related("enterprise").get(pk=authorisation.pk)
    _require_enterprise(actor, authorisation)
    _require_active(authorisation)
    if EnterpriseEvaluation.objects.filter(authorisation=authorisation, talent=talent).exists():
        raise ValidationError(
            {"talent": _("This talent is already evaluated under this authorisation.")}
        )
    evaluation = EnterpriseEvaluation(
        authorisation=authorisation,
        talent=talent,
        evaluated_on=evaluated_on,
        role=(role or "").strip(),
        years_on_job=years_on_job,
        achievements=(achievements or "").strip(),
        degree=degree or "",
        proposed_tier=proposed_tier,
        created_by=actor,
    )
    _check_evaluation(evaluation)
    if evidence is not None:
        _attach(evaluation, evidence, field="evidence_file", name_field="evidence_file_name")
    _save(evaluation, file_field="evidence_file")
    audit_record(
        actor=actor,
        action="evaluation.create",
        obj=evaluation,
        after=snapshot(evaluation),
        region=authorisation.region_id,
        system_label=system_label,
    )
    return evaluation


@transaction.atomic
def evaluation_update(
    *,
    actor,
    evaluation: EnterpriseEvaluation,
    data: Mapping[str, Any],
    evidence=None,
    system_label: str | None = None,
) -> EnterpriseEvaluation:
    """The enterprise changes a draft or a returned evaluation (to answer the office)."""
    evaluation = (
        EnterpriseEvaluation.objects.select_for_update(of=("self",))
        .select_related("authorisation__enterprise", "talent")
        .get(pk=evaluation.pk)
    )
    _require_enterprise(actor, evaluation.authorisation)
    if evaluation.status not in workflow.EDITABLE:
        raise ValidationError(_("A submitted or endorsed evaluation can no longer be changed."))
    before = snapshot(evaluation)
    changed, _m2m = model_update(instance=evaluation, data=data, fields=EVALUATION_FIELDS)
    _check_evaluation(evaluation)
    if evidence is not None:
        old = evaluation.evidence_file.name
        _attach(evaluation, evidence, field="evidence_file", name_field="evidence_file_name")
        changed.append("evidence_file")
    else:
        old = None
    if not changed:
        return evaluation
    _save(evaluation, file_field="evidence_file" if evidence is not None else None)
    if old:
        evaluation.evidence_file.storage.delete(old)
    audit_record(
        actor=actor,
        action="evaluation.update",
        obj=evaluation,
        before=before,
        after=snapshot(evaluation),
        region=evaluation.authorisation.region_id,
        system_label=system_label,
    )
    return evaluation


def _transition(actor, evaluation: EnterpriseEvaluation, action: workflow.Action) -> str:
    try:
        return workflow.check(
            workflow.EVALUATION,
            action,
            evaluation.status,
            permissions.evaluation_parties(actor, evaluation),
        )
    except workflow.TransitionError as error:
        if error.reason == "party":
            if action in (workflow.Action.ENDORSE, workflow.Action.RETURN):
                raise PermissionDenied(
                    _(
                        "This evaluation was authorised by the talent office of %(region)s: "
                        "only its officers may endorse or return it."
                    )
                    % {"region": evaluation.authorisation.region.name}
                ) from error
            raise PermissionDenied(_("Only the authorised enterprise may submit it.")) from error
        raise ValidationError(
            _("This is not possible while the evaluation is “%(status)s”.")
            % {"status": EvaluationStatus(evaluation.status).label}
        ) from error


def _locked_evaluation(evaluation: EnterpriseEvaluation) -> EnterpriseEvaluation:
    return (
        EnterpriseEvaluation.objects.select_for_update(of=("self",))
        .select_related("authorisation__enterprise", "authorisation__region", "talent")
        .get(pk=evaluation.pk)
    )


@transaction.atomic
def evaluation_submit(
    *,
    actor,
    evaluation: EnterpriseEvaluation,
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> EnterpriseEvaluation:
    """Submit to the talent office (again, after a return). Takes a place in the quota, and
    only while the authorisation is active and its period runs."""
    when = _when(actor, at)
    evaluation = _locked_evaluation(evaluation)
    target = _transition(actor, evaluation, workflow.Action.SUBMIT)
    # The authorisation row is locked so that two submissions cannot both take the last place.
    authorisation = Authorisation.objects.select_for_update(of=("self",)).get(
        pk=evaluation.authorisation_id
    )
    _require_active(authorisation)
    if not authorisation.covers(_day(when)):
        raise ValidationError(
            _("The authorisation's period (%(start)s – %(end)s) does not include today.")
            % {"start": authorisation.period_start, "end": authorisation.period_end}
        )
    _check_evaluation(evaluation)
    used = quota_used(authorisation, exclude_pk=evaluation.pk)
    if used >= authorisation.quota:
        raise ValidationError(
            _("The authorisation's quota of %(quota)s talents is used up.")
            % {"quota": authorisation.quota}
        )
    before = snapshot(evaluation)
    resubmitted = evaluation.status == EvaluationStatus.RETURNED
    evaluation.status = target
    evaluation.submitted_at = when
    evaluation.save()
    audit_record(
        actor=actor,
        action="evaluation.resubmit" if resubmitted else "evaluation.submit",
        obj=evaluation,
        before=before,
        after=snapshot(evaluation),
        region=authorisation.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_officers(authorisation.region_id),
        kind="evaluation.submitted",
        params={"enterprise": authorisation.enterprise.name, "talent": evaluation.talent.name},
        url=evaluation.get_absolute_url(),
        exclude=actor,
    )
    return evaluation


@transaction.atomic
def evaluation_endorse(
    *,
    actor,
    evaluation: EnterpriseEvaluation,
    tier: str | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> EvaluationResult:
    """认账: the office of the authorisation's region endorses; the talent holds the result."""
    when = _when(actor, at)
    evaluation = _locked_evaluation(evaluation)
    target = _transition(actor, evaluation, workflow.Action.ENDORSE)
    before = snapshot(evaluation)
    evaluation.status = target
    evaluation.decided_at = when
    evaluation.decided_by = actor
    evaluation.return_reason = ""
    evaluation.save()
    authorisation = evaluation.authorisation
    audit_record(
        actor=actor,
        action="evaluation.endorse",
        obj=evaluation,
        before=before,
        after=snapshot(evaluation),
        region=authorisation.region_id,
        system_label=system_label,
    )
    return _result_create(
        actor=actor,
        talent=evaluation.talent,
        category=authorisation.category,
        tier=_tier(tier or evaluation.proposed_tier),
        region=authorisation.region,
        valid_from=valid_from or _day(when),
        valid_until=valid_until,
        source=ResultSource.EVALUATION,
        evaluation=evaluation,
        evidence=evaluation.achievements,
        system_label=system_label,
        extra_recipients=_org_users(authorisation.enterprise_id, Role.ENTERPRISE),
    )


@transaction.atomic
def evaluation_return(
    *,
    actor,
    evaluation: EnterpriseEvaluation,
    reason: str,
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> EnterpriseEvaluation:
    when = _when(actor, at)
    evaluation = _locked_evaluation(evaluation)
    target = _transition(actor, evaluation, workflow.Action.RETURN)
    before = snapshot(evaluation)
    evaluation.status = target
    evaluation.return_reason = _reason(reason)
    evaluation.times_returned += 1
    evaluation.decided_at = when
    evaluation.decided_by = actor
    evaluation.save()
    audit_record(
        actor=actor,
        action="evaluation.return",
        obj=evaluation,
        before=before,
        after=snapshot(evaluation),
        region=evaluation.authorisation.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_org_users(evaluation.authorisation.enterprise_id, Role.ENTERPRISE),
        kind="evaluation.returned",
        params={"talent": evaluation.talent.name, "reason": evaluation.return_reason},
        url=evaluation.get_absolute_url(),
        exclude=actor,
    )
    return evaluation


# Industry recommendations (行业公荐) --------------------------------------------------------


def current_employer(talent: TalentProfile, region: Region, on: dt.date) -> Organisation | None:
    """The enterprise in ``region`` the talent works for on ``on`` (the most recent tie)."""
    affiliation = (
        Affiliation.objects.filter(
            talent=talent,
            kind__in=EVIDENCE_KINDS,
            start_date__lte=on,
            organisation__kind=OrganisationKind.ENTERPRISE,
            organisation__region__code__startswith=region.prefix,
        )
        .exclude(end_date__lt=on)
        .select_related("organisation")
        .order_by("-start_date", "-id")
        .first()
    )
    return affiliation.organisation if affiliation else None


@transaction.atomic
def recommendation_create(
    *,
    actor,
    association: Organisation,
    region: Region,
    title: str,
    entries: Sequence[Mapping[str, Any]],
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> Recommendation:
    """An association files its list with a region's talent office. Each entry is a mapping
    with ``talent``, ``reason``, ``proposed_tier`` and optionally ``enterprise`` (else the
    talent's current employer in the region)."""
    when = _when(actor, at)
    if actor is not None and not permissions.acts_for(actor, association.pk, Role.ASSOCIATION):
        raise PermissionDenied(_("Only the association itself may file its recommendations."))
    if association.kind != OrganisationKind.ASSOCIATION:
        raise ValidationError({"association": _("Only an industry association recommends.")})
    if not entries:
        raise ValidationError({"entries": _("Recommend at least one talent.")})
    recommendation = Recommendation(
        association=association, region=region, title=(title or "").strip(), filed_by=actor
    )
    recommendation.full_clean()
    recommendation.save()
    errors: list[str] = []
    seen: set[int] = set()
    rows = []
    for i, data in enumerate(entries, start=1):
        talent = data["talent"]
        enterprise = data.get("enterprise") or current_employer(talent, region, _day(when))
        reason = (data.get("reason") or "").strip()
        tier = data.get("proposed_tier") or ""
        if talent.pk in seen:
            errors.append(_("Row %(n)s: %(talent)s is listed twice.") % {"n": i, "talent": talent})
            continue
        seen.add(talent.pk)
        if enterprise is None or not _is_affiliated(talent, enterprise.pk, _day(when)):
            errors.append(
                _("Row %(n)s: %(talent)s works for no enterprise of %(region)s.")
                % {"n": i, "talent": talent.name, "region": region.name}
            )
            continue
        if not enterprise.region_id.startswith(region.prefix):
            errors.append(
                _("Row %(n)s: %(enterprise)s is not in %(region)s.")
                % {"n": i, "enterprise": enterprise.name, "region": region.name}
            )
            continue
        if not reason:
            errors.append(_("Row %(n)s: give the reason.") % {"n": i})
            continue
        if tier not in Tier.values:
            errors.append(_("Row %(n)s: choose a tier.") % {"n": i})
            continue
        rows.append(
            RecommendationEntry(
                recommendation=recommendation,
                talent=talent,
                enterprise=enterprise,
                reason=reason,
                proposed_tier=tier,
            )
        )
    if errors:
        raise ValidationError({"entries": errors})
    RecommendationEntry.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="recommendation.create",
        obj=recommendation,
        after={
            **snapshot(recommendation),
            "entries": sorted(str(r.talent_id) for r in rows),
        },
        region=region,
        system_label=system_label,
    )
    notify(
        recipients=_officers(region.code),
        kind="evaluation.recommendation_filed",
        params={"association": association.name, "title": recommendation.title},
        url=recommendation.get_absolute_url(),
        exclude=actor,
    )
    return recommendation


def _locked_recommendation(recommendation: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("region", "association")
        .get(pk=recommendation.pk)
    )


def _recommendation_transition(actor, recommendation: Recommendation, action) -> str:
    _require_office(actor, recommendation.region_id)
    try:
        return workflow.check(
            workflow.RECOMMENDATION, action, recommendation.status, {workflow.Party.OFFICE}
        )
    except workflow.TransitionError as error:
        raise ValidationError(
            _("This is not possible while the list is “%(status)s”.")
            % {"status": RecommendationStatus(recommendation.status).label}
        ) from error


def _association_users(recommendation: Recommendation):
    return _org_users(recommendation.association_id, Role.ASSOCIATION)


@transaction.atomic
def recommendation_open_notice(
    *,
    actor,
    recommendation: Recommendation,
    notice_start: dt.date,
    notice_end: dt.date,
    system_label: str | None = None,
) -> Recommendation:
    """公示: the office publishes the list for objections between the two dates."""
    recommendation = _locked_recommendation(recommendation)
    target = _recommendation_transition(actor, recommendation, workflow.Action.OPEN_NOTICE)
    if not notice_start or not notice_end or notice_end < notice_start:
        raise ValidationError({"notice_end": _("The notice ends before it starts.")})
    before = snapshot(recommendation)
    recommendation.status = target
    recommendation.notice_start = notice_start
    recommendation.notice_end = notice_end
    recommendation.save()
    audit_record(
        actor=actor,
        action="recommendation.open_notice",
        obj=recommendation,
        before=before,
        after=snapshot(recommendation),
        region=recommendation.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_association_users(recommendation),
        kind="evaluation.notice_opened",
        params={"title": recommendation.title, "until": notice_end.isoformat()},
        url=recommendation.get_absolute_url(),
        exclude=actor,
    )
    return recommendation


@transaction.atomic
def objection_file(
    *,
    actor,
    entry: RecommendationEntry,
    reason: str,
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> Objection:
    """Anyone of the region who sees the notice may object to a listed talent while it runs."""
    when = _when(actor, at)
    entry = RecommendationEntry.objects.select_related("recommendation", "talent").get(pk=entry.pk)
    recommendation = entry.recommendation
    if actor is not None and not permissions.sees_notice(actor, recommendation):
        raise PermissionDenied(_("You may not object to this list."))
    today = _day(when)
    if recommendation.status != RecommendationStatus.NOTICE or not (
        recommendation.notice_start <= today <= recommendation.notice_end
    ):
        raise ValidationError(_("Objections are taken only while the public notice runs."))
    if entry.removed:
        raise ValidationError(_("This talent was already removed from the list."))
    objection = Objection(entry=entry, filed_by=actor, reason=_reason(reason))
    objection.full_clean()
    objection.save()
    audit_record(
        actor=actor,
        action="objection.create",
        obj=objection,
        after=snapshot(objection),
        region=recommendation.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_officers(recommendation.region_id),
        kind="evaluation.objection_filed",
        params={"talent": entry.talent.name, "title": recommendation.title},
        url=recommendation.get_absolute_url(),
        exclude=actor,
    )
    return objection


@transaction.atomic
def objection_resolve(
    *,
    actor,
    objection: Objection,
    uphold: bool,
    resolution: str,
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> Objection:
    """The office decides: an upheld objection removes the talent from the list."""
    when = _when(actor, at)
    objection = (
        Objection.objects.select_for_update(of=("self",))
        .select_related("entry__recommendation", "entry__talent", "filed_by")
        .get(pk=objection.pk)
    )
    entry = objection.entry
    recommendation = entry.recommendation
    _require_office(actor, recommendation.region_id)
    if objection.status != ObjectionStatus.OPEN:
        raise ValidationError(_("This objection is already resolved."))
    if recommendation.status != RecommendationStatus.NOTICE:
        raise ValidationError(_("The list is no longer in public notice."))
    before = snapshot(objection)
    objection.status = ObjectionStatus.UPHELD if uphold else ObjectionStatus.DISMISSED
    objection.resolution = _reason(resolution, "resolution")
    objection.resolved_at = when
    objection.resolved_by = actor
    objection.save()
    audit_record(
        actor=actor,
        action="objection.uphold" if uphold else "objection.dismiss",
        obj=objection,
        before=before,
        after=snapshot(objection),
        region=recommendation.region_id,
        system_label=system_label,
    )
    if uphold and not entry.removed:
        entry_before = snapshot(entry)
        entry.removed = True
        entry.save(update_fields=["removed"])
        audit_record(
            actor=actor,
            action="recommendation.remove_talent",
            obj=recommendation,
            before=entry_before,
            after=snapshot(entry),
            region=recommendation.region_id,
            system_label=system_label,
        )
    if objection.filed_by is not None:
        notify(
            recipients=[objection.filed_by],
            kind="evaluation.objection_resolved",
            params={
                "talent": entry.talent.name,
                "title": recommendation.title,
                "outcome": str(ObjectionStatus(objection.status).label),
                "resolution": objection.resolution,
            },
            url=reverse_notice(recommendation),
            exclude=actor,
        )
    return objection


def reverse_notice(recommendation: Recommendation) -> str:
    from django.urls import reverse

    return reverse("evaluation:notice_detail", args=[recommendation.pk])


@transaction.atomic
def recommendation_finalise(
    *,
    actor,
    recommendation: Recommendation,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> list[EvaluationResult]:
    """After the notice has ended with every objection resolved, the remaining talents hold a
    行业团体公荐 result each."""
    when = _when(actor, at)
    recommendation = _locked_recommendation(recommendation)
    target = _recommendation_transition(actor, recommendation, workflow.Action.FINALISE)
    today = _day(when)
    if today <= recommendation.notice_end:
        raise ValidationError(
            _("The public notice runs until %(end)s: finalise the list after it ends.")
            % {"end": recommendation.notice_end}
        )
    open_count = Objection.objects.filter(
        entry__recommendation=recommendation, status=ObjectionStatus.OPEN
    ).count()
    if open_count:
        raise ValidationError(
            _("Resolve the open objections first (%(n)s open).") % {"n": open_count}
        )
    before = snapshot(recommendation)
    recommendation.status = target
    recommendation.finalised_at = when
    recommendation.finalised_by = actor
    recommendation.save()
    entries = list(
        recommendation.entries.filter(removed=False).select_related("talent", "talent__user")
    )
    audit_record(
        actor=actor,
        action="recommendation.finalise",
        obj=recommendation,
        before=before,
        after={**snapshot(recommendation), "recognised": len(entries)},
        region=recommendation.region_id,
        system_label=system_label,
    )
    results = [
        _result_create(
            actor=actor,
            talent=entry.talent,
            category=Category.ASSOCIATION,
            tier=entry.proposed_tier,
            region=recommendation.region,
            valid_from=valid_from or today,
            valid_until=valid_until,
            source=ResultSource.RECOMMENDATION,
            recommendation_entry=entry,
            evidence=entry.reason,
            system_label=system_label,
        )
        for entry in entries
    ]
    notify(
        recipients=_association_users(recommendation),
        kind="evaluation.recommendation_final",
        params={"title": recommendation.title, "count": len(results)},
        url=recommendation.get_absolute_url(),
        exclude=actor,
    )
    return results


# Results ------------------------------------------------------------------------------------


def _result_create(
    *,
    actor,
    talent: TalentProfile,
    category: str,
    tier: str,
    region: Region,
    valid_from: dt.date,
    valid_until: dt.date | None,
    source: str,
    evaluation: EnterpriseEvaluation | None = None,
    recommendation_entry: RecommendationEntry | None = None,
    evidence: str = "",
    evidence_file=None,
    system_label: str | None = None,
    extra_recipients: Iterable = (),
) -> EvaluationResult:
    result = EvaluationResult(
        talent=talent,
        category=category,
        tier=tier,
        region=region,
        valid_from=valid_from,
        valid_until=valid_until or default_valid_until(tier, valid_from),
        source=source,
        evaluation=evaluation,
        recommendation_entry=recommendation_entry,
        evidence=evidence,
        recorded_by=actor,
    )
    if evidence_file is not None:
        _attach(result, evidence_file, field="evidence_file", name_field="evidence_file_name")
    _save(result, file_field="evidence_file")
    audit_record(
        actor=actor,
        action="result.create",
        obj=result,
        after=snapshot(result),
        region=region,
        system_label=system_label,
    )
    notify(
        recipients=[*_talent_user(talent), *extra_recipients],
        kind="evaluation.result_recorded",
        params={
            "tier": str(result.get_tier_display()),
            "category": str(result.get_category_display()),
            "until": result.valid_until.isoformat(),
        },
        url=result.get_absolute_url(),
        exclude=actor,
    )
    return result


def _talent_in_region(talent: TalentProfile, region: Region, on: dt.date) -> bool:
    if talent.home_region_id.startswith(region.prefix):
        return True
    return (
        Affiliation.objects.filter(
            talent=talent, start_date__lte=on, organisation__region__code__startswith=region.prefix
        )
        .exclude(end_date__lt=on)
        .exists()
    )


@transaction.atomic
def result_record(
    *,
    actor,
    talent: TalentProfile,
    category: str,
    tier: str,
    region: Region,
    valid_from: dt.date,
    evidence: str,
    valid_until: dt.date | None = None,
    evidence_file=None,
    system_label: str | None = None,
) -> EvaluationResult:
    """主管单位人才评价, "拔尖人才"专项评价, 其他创新人才评价: the office records the result
    itself, with its evidence, for a talent who lives or works in its region."""
    _require_office(actor, region.code)
    if category not in DIRECT_CATEGORIES:
        raise ValidationError(
            {"category": _("This category's results come from evaluations or recommendations.")}
        )
    _tier(tier)
    evidence = (evidence or "").strip()
    if not evidence:
        raise ValidationError({"evidence": _("Give the evidence of the evaluation.")})
    if not _talent_in_region(talent, region, valid_from):
        raise ValidationError(
            {
                "talent": _("%(talent)s neither lives nor works in %(region)s.")
                % {"talent": talent.name, "region": region.name}
            }
        )
    return _result_create(
        actor=actor,
        talent=talent,
        category=category,
        tier=tier,
        region=region,
        valid_from=valid_from,
        valid_until=valid_until,
        source=ResultSource.DIRECT,
        evidence=evidence,
        evidence_file=evidence_file,
        system_label=system_label,
    )


@transaction.atomic
def result_revoke(
    *, actor, result: EvaluationResult, reason: str, system_label: str | None = None
) -> EvaluationResult:
    result = (
        EvaluationResult.objects.select_for_update(of=("self",))
        .select_related("talent", "talent__user")
        .get(pk=result.pk)
    )
    _require_office(actor, result.region_id)
    if result.revoked:
        raise ValidationError(_("This result is already revoked."))
    before = snapshot(result)
    result.revoked = True
    result.revoked_reason = _reason(reason)
    result.revoked_at = timezone.now()
    result.save()
    audit_record(
        actor=actor,
        action="result.revoke",
        obj=result,
        before=before,
        after=snapshot(result),
        region=result.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_talent_user(result.talent),
        kind="evaluation.result_revoked",
        params={
            "tier": str(result.get_tier_display()),
            "category": str(result.get_category_display()),
            "reason": result.revoked_reason,
        },
        url=result.get_absolute_url(),
        exclude=actor,
    )
    return result
