"""Writes of the cross-region programme calls. Each function is one atomic state change: it
checks who acts, validates, writes, records one audit event and notifies the parties.

``actor=None`` is a system task (the demo) named by ``system_label``; only a system task may
backdate what happened with ``at``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentflow.accounts.models import Membership
from talentflow.accounts.permissions import scope_for
from talentflow.calls import permissions, scoring, workflow
from talentflow.calls.models import (
    Application,
    ApplicationStatus,
    Call,
    CallKind,
    CallStatus,
    Criterion,
    Reviewer,
    ReviewerKind,
    Score,
)
from talentflow.core.audit import audit_record, snapshot
from talentflow.core.notifications import notify, register
from talentflow.core.services import event_time as _when
from talentflow.core.services import local_day as _day
from talentflow.core.services import region_officers as _officers
from talentflow.core.uploads import check_upload
from talentflow.directory.models import (
    Affiliation,
    AffiliationKind,
    Organisation,
    OrganisationKind,
    TalentProfile,
)
from talentflow.reference.models import Alliance, Region

AUDIT_ACTIONS = {
    "call.create": gettext_lazy("Programme call created"),
    "call.update": gettext_lazy("Programme call changed"),
    "call.panel": gettext_lazy("Joint review panel appointed"),
    "call.open": gettext_lazy("Programme call opened"),
    "call.start_review": gettext_lazy("Joint review started"),
    "call.close": gettext_lazy("Joint review closed: applications ranked and selected"),
    "call.publish": gettext_lazy("Programme call result published"),
    "call.cancel": gettext_lazy("Programme call cancelled"),
    "application.create": gettext_lazy("Programme application submitted"),
    "application.score": gettext_lazy("Programme application scored"),
}

for _kind, _message in {
    "calls.opened": gettext_lazy(
        "%(region)s opened the call “%(title)s” (%(programme)s) until %(until)s."
    ),
    "calls.panel": gettext_lazy("You sit on the joint review panel of “%(title)s”."),
    "calls.applied": gettext_lazy("%(applicant)s (%(home)s) applied to “%(title)s”."),
    "calls.review": gettext_lazy(
        "The joint review of “%(title)s” started: score %(count)s applications."
    ),
    "calls.published": gettext_lazy(
        "The result of “%(title)s” is published: %(outcome)s (rank %(rank)s, %(total)s points)."
    ),
}.items():
    register(_kind, _message)

EVIDENCE_KINDS = (AffiliationKind.EMPLOYED, AffiliationKind.SECONDED, AffiliationKind.SERVING)


# Helpers ---------------------------------------------------------------------------------


def _require_office(actor, call: Call) -> None:
    if actor is not None and not permissions.governs(actor, call.region_id):
        raise PermissionDenied(
            _("Only the talent office of %(region)s may do this.") % {"region": call.region.name}
        )


def _member_of(code: str | None, members: Sequence[str]) -> str | None:
    """The member region that contains ``code`` (itself or the county above it)."""
    if not code:
        return None
    for member in members:
        if code == member or code.startswith(member.rstrip("0") or member):
            return member
    return None


def _current_affiliations(talent: TalentProfile, on: dt.date):
    return (
        Affiliation.objects.filter(talent=talent, kind__in=EVIDENCE_KINDS, start_date__lte=on)
        .exclude(end_date__lt=on)
        .select_related("organisation")
        .order_by("start_date", "id")
    )


def talent_member_region(talent: TalentProfile, members: Sequence[str], on: dt.date) -> str | None:
    """A talent's member region: their home region, else where they work now."""
    found = _member_of(talent.home_region_id, members)
    if found:
        return found
    for affiliation in _current_affiliations(talent, on):
        found = _member_of(affiliation.organisation.region_id, members)
        if found:
            return found
    return None


# Criteria and calls --------------------------------------------------------------------------


def _criteria(criteria: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Clean the criteria rows (name, weight, max_score); weights sum to 100."""
    rows, names = [], set()
    for row in criteria:
        name = (row.get("name") or "").strip()
        if not name:
            continue
        try:
            weight = int(row.get("weight"))
            max_score = Decimal(str(row.get("max_score")))
        except (TypeError, ValueError, InvalidOperation) as error:
            raise ValidationError(
                {"criteria": _("Give each criterion a whole weight and a maximum score.")}
            ) from error
        if weight < 1 or weight > 100:
            raise ValidationError({"criteria": _("A weight lies between 1 and 100.")})
        if max_score <= 0 or max_score.as_tuple().exponent < -2 or max_score >= 10000:
            raise ValidationError(
                {"criteria": _("A maximum score is positive, with at most two decimals.")}
            )
        if name in names:
            raise ValidationError(
                {"criteria": _("The criterion “%(name)s” appears twice.") % {"name": name}}
            )
        names.add(name)
        rows.append({"name": name[:200], "weight": weight, "max_score": max_score})
    if not rows:
        raise ValidationError({"criteria": _("Give at least one criterion.")})
    total = sum(r["weight"] for r in rows)
    if total != 100:
        raise ValidationError(
            {"criteria": _("The weights sum to %(total)s, not 100.") % {"total": total}}
        )
    return rows


def _set_criteria(call: Call, rows: list[dict[str, Any]]) -> None:
    call.criteria.all().delete()
    Criterion.objects.bulk_create(
        [Criterion(call=call, position=i, **row) for i, row in enumerate(rows, start=1)]
    )


def _calling_region(actor, alliance: Alliance, region: Region | None) -> Region:
    members = permissions.member_codes(alliance.pk)
    if region is None:
        if actor is None:
            raise ValidationError({"region": _("Name the calling region.")})
        scope = scope_for(actor)
        governed = [m for m in members if scope.is_admin or scope.governs_region(m)]
        if not governed:
            raise PermissionDenied(
                _("Only the talent office of a member region of %(alliance)s may open a call.")
                % {"alliance": alliance}
            )
        region = Region.objects.get(code=governed[0])
    if region.code not in members:
        raise ValidationError(
            {
                "region": _("%(region)s is not a member of %(alliance)s.")
                % {"region": region.name, "alliance": alliance}
            }
        )
    if actor is not None and not permissions.governs(actor, region.code):
        raise PermissionDenied(_("Only the talent office of this region may do this."))
    return region


def _check_call(call: Call) -> None:
    errors = {}
    if call.period_start and call.period_end and call.period_end < call.period_start:
        errors["period_end"] = _("The period ends before it starts.")
    if call.quota is not None and call.quota < 1:
        errors["quota"] = _("The quota is at least one.")
    if errors:
        raise ValidationError(errors)


CALL_FIELDS = ("programme", "title", "kind", "description", "period_start", "period_end", "quota")


@transaction.atomic
def call_create(
    *,
    actor,
    alliance: Alliance,
    programme: str,
    title: str,
    kind: str,
    period_start: dt.date,
    period_end: dt.date,
    quota: int,
    criteria: Sequence[Mapping[str, Any]],
    description: str = "",
    region: Region | None = None,
    system_label: str | None = None,
) -> Call:
    """The office of a member region drafts a call with its one set of criteria."""
    region = _calling_region(actor, alliance, region)
    if kind not in CallKind.values:
        raise ValidationError({"kind": _("Choose talent or project.")})
    rows = _criteria(criteria)
    call = Call(
        alliance=alliance,
        region=region,
        programme=(programme or "").strip(),
        title=(title or "").strip(),
        kind=kind,
        description=(description or "").strip(),
        period_start=period_start,
        period_end=period_end,
        quota=quota,
        created_by=actor,
    )
    _check_call(call)
    call.full_clean()
    call.save()
    _set_criteria(call, rows)
    after = snapshot(call)
    after["criteria"] = [{**r, "max_score": str(r["max_score"])} for r in rows]
    audit_record(
        actor=actor,
        action="call.create",
        obj=call,
        after=after,
        region=region,
        system_label=system_label,
    )
    return call


def _locked(call: Call) -> Call:
    return (
        Call.objects.select_for_update(of=("self",))
        .select_related("region", "alliance")
        .get(pk=call.pk)
    )


def _criteria_rows(call: Call) -> list[dict[str, Any]]:
    return [
        {"name": c.name, "weight": c.weight, "max_score": str(c.max_score)}
        for c in call.criteria.all()
    ]


@transaction.atomic
def call_update(
    *,
    actor,
    call: Call,
    data: Mapping[str, Any],
    criteria: Sequence[Mapping[str, Any]] | None = None,
    system_label: str | None = None,
) -> Call:
    """The office changes a draft call (and replaces its criteria when given)."""
    call = _locked(call)
    _require_office(actor, call)
    if call.status not in workflow.EDITABLE:
        raise ValidationError(_("Only a draft call can be changed."))
    before = snapshot(call)
    before["criteria"] = _criteria_rows(call)
    for name in CALL_FIELDS:
        if name in data:
            value = data[name]
            setattr(call, name, value.strip() if isinstance(value, str) else value)
    if call.kind not in CallKind.values:
        raise ValidationError({"kind": _("Choose talent or project.")})
    _check_call(call)
    call.full_clean()
    call.save()
    if criteria is not None:
        _set_criteria(call, _criteria(criteria))
    after = snapshot(call)
    after["criteria"] = _criteria_rows(call)
    audit_record(
        actor=actor,
        action="call.update",
        obj=call,
        before=before,
        after=after,
        region=call.region_id,
        system_label=system_label,
    )
    return call


# The joint review panel ----------------------------------------------------------------------


def _seat(call: Call, members: list[str], *, user=None, talent=None) -> Reviewer:
    today = timezone.localdate()
    if talent is not None:
        region = talent_member_region(talent, members, today)
        if region is None:
            raise ValidationError(
                {
                    "reviewers": _("%(name)s belongs to no member region of %(alliance)s.")
                    % {"name": talent.name, "alliance": call.alliance}
                }
            )
        return Reviewer(
            call=call,
            kind=ReviewerKind.EXPERT,
            talent=talent,
            user=talent.user if talent.user_id else None,
            name=talent.name,
            region_id=region,
        )
    scope = scope_for(user)
    region = next((m for m in members if scope.governs_region(m)), None)
    if region is None:
        raise ValidationError(
            {
                "reviewers": _("%(name)s is no officer of a member region of %(alliance)s.")
                % {"name": user.display_name or user.username, "alliance": call.alliance}
            }
        )
    return Reviewer(
        call=call,
        kind=ReviewerKind.OFFICER,
        user=user,
        name=user.display_name or user.username,
        region_id=region,
    )


def panel_missing(call: Call, reviewers: Iterable[Reviewer]) -> list[str]:
    """The member regions with no reviewer on the panel."""
    have = {r.region_id for r in reviewers}
    return [m for m in permissions.member_codes(call.alliance_id) if m not in have]


def _region_names(codes: Sequence[str]) -> str:
    names = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    return "、".join(names.get(c, c) for c in codes)


@transaction.atomic
def panel_set(
    *,
    actor,
    call: Call,
    users: Sequence = (),
    talents: Sequence[TalentProfile] = (),
    system_label: str | None = None,
) -> list[Reviewer]:
    """The office appoints the joint review panel (officers as users, experts as talents). A
    panel that lacks a member region is refused."""
    call = _locked(call)
    _require_office(actor, call)
    if call.status not in workflow.PANEL_EDITABLE:
        raise ValidationError(_("The panel is fixed once the review has started."))
    members = permissions.member_codes(call.alliance_id)
    seats: list[Reviewer] = []
    seen_users: set[int] = set()
    seen_talents: set[int] = set()
    for talent in talents:
        if talent.pk in seen_talents:
            continue
        seat = _seat(call, members, talent=talent)
        if seat.user_id in seen_users:
            continue
        seen_talents.add(talent.pk)
        if seat.user_id:
            seen_users.add(seat.user_id)
        seats.append(seat)
    for user in users:
        if user.pk in seen_users:
            continue
        profile = getattr(user, "talent_profile", None)
        if profile is not None and profile.pk in seen_talents:
            continue
        seen_users.add(user.pk)
        seats.append(_seat(call, members, user=user))
    missing = panel_missing(call, seats)
    if missing:
        raise ValidationError(
            {
                "reviewers": _(
                    "The joint review panel needs reviewers from every member region: none "
                    "from %(regions)s."
                )
                % {"regions": _region_names(missing)}
            }
        )
    before = [r.name for r in call.reviewers.all()]
    call.reviewers.all().delete()
    Reviewer.objects.bulk_create(seats)
    audit_record(
        actor=actor,
        action="call.panel",
        obj=call,
        before={"reviewers": before},
        after={"reviewers": [f"{s.name} ({s.region_id})" for s in seats]},
        region=call.region_id,
        system_label=system_label,
    )
    notify(
        recipients=[s.user for s in seats if s.user_id],
        kind="calls.panel",
        params={"title": call.title},
        url=call.get_absolute_url(),
        exclude=actor,
    )
    return list(call.reviewers.all())


# Applications --------------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *,
    actor,
    call: Call,
    talent: TalentProfile,
    statement: str,
    organisation: Organisation | None = None,
    project_title: str = "",
    evidence=None,
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> Application:
    """A talent of any member region applies while the call is open and its period runs; for a
    project call, on behalf of a project of an enterprise of a member region they work for."""
    when = _when(actor, at)
    day = _day(when)
    call = Call.objects.select_related("region", "alliance").get(pk=call.pk)
    if actor is not None and scope_for(actor).talent_id != talent.pk:
        raise PermissionDenied(_("A talent applies for themselves."))
    if call.status != CallStatus.OPEN:
        raise ValidationError(_("This call does not take applications now."))
    if not call.period_start <= day <= call.period_end:
        raise ValidationError(
            _("Applications are taken from %(start)s to %(end)s.")
            % {"start": call.period_start, "end": call.period_end}
        )
    members = permissions.member_codes(call.alliance_id)
    statement = (statement or "").strip()
    project_title = (project_title or "").strip()
    if not statement:
        raise ValidationError({"statement": _("Write the statement.")})
    if call.kind == CallKind.PROJECT:
        if not project_title:
            raise ValidationError({"project_title": _("Name the project.")})
        if organisation is None or organisation.kind != OrganisationKind.ENTERPRISE:
            raise ValidationError(
                {"organisation": _("A project is applied for with its enterprise.")}
            )
        if not _current_affiliations(talent, day).filter(organisation=organisation).exists():
            raise ValidationError(
                {
                    "organisation": _("%(talent)s does not work for %(enterprise)s.")
                    % {"talent": talent.name, "enterprise": organisation.name}
                }
            )
        home = _member_of(organisation.region_id, members)
        if home is None:
            raise ValidationError(
                {
                    "organisation": _("%(enterprise)s is in no member region of %(alliance)s.")
                    % {"enterprise": organisation.name, "alliance": call.alliance}
                }
            )
        if Application.objects.filter(
            call=call, organisation=organisation, project_title=project_title
        ).exists():
            raise ValidationError({"project_title": _("This project has already applied.")})
    else:
        project_title = ""
        home = talent_member_region(talent, members, day)
        if home is None:
            raise ValidationError(
                {
                    "talent": _(
                        "Applicants come from the member regions of %(alliance)s: %(talent)s "
                        "neither lives nor works in one."
                    )
                    % {"alliance": call.alliance, "talent": talent.name}
                }
            )
        if Application.objects.filter(call=call, talent=talent, project_title="").exists():
            raise ValidationError({"talent": _("You have already applied to this call.")})
        if organisation is None:
            employed = (
                _current_affiliations(talent, day).filter(kind=AffiliationKind.EMPLOYED).first()
            )
            organisation = employed.organisation if employed else None
    application = Application(
        call=call,
        talent=talent,
        home_region_id=home,
        organisation=organisation,
        project_title=project_title[:200],
        statement=statement,
        submitted_at=when,
    )
    if evidence is not None:
        check_upload(evidence, "evidence")
        application.evidence_file.save(evidence.name, evidence, save=False)
        application.evidence_file_name = PurePath(evidence.name).name[:255]
    try:
        application.full_clean()
        application.save()
    except Exception:
        if application.evidence_file:
            application.evidence_file.delete(save=False)
        raise
    audit_record(
        actor=actor,
        action="application.create",
        obj=application,
        after=snapshot(application),
        region=call.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_officers(call.region_id),
        kind="calls.applied",
        params={
            "applicant": str(application),
            "home": application.home_region.name,
            "title": call.title,
        },
        url=application.get_absolute_url(),
        exclude=actor,
    )
    return application


# Scoring -------------------------------------------------------------------------------------


class _Ties:
    """The organisations people work for (employed, seconded, serving), read once for many
    conflict checks; users' organisation memberships likewise."""

    def __init__(self, talent_ids: Iterable[int], user_ids: Iterable[int]) -> None:
        self.spans: dict[int, list[tuple[int, dt.date, dt.date | None]]] = {}
        for talent_id, org_id, start, end in Affiliation.objects.filter(
            talent_id__in=set(talent_ids), kind__in=EVIDENCE_KINDS
        ).values_list("talent_id", "organisation_id", "start_date", "end_date"):
            self.spans.setdefault(talent_id, []).append((org_id, start, end))
        self.members: dict[int, set[int]] = {}
        for user_id, org_id in Membership.objects.filter(
            user_id__in=set(user_ids), is_active=True, organisation__isnull=False
        ).values_list("user_id", "organisation_id"):
            self.members.setdefault(user_id, set()).add(org_id)

    def orgs_on(self, talent_id: int | None, day: dt.date) -> set[int]:
        return {
            org
            for org, start, end in self.spans.get(talent_id, ())
            if start <= day and (end is None or end >= day)
        }


def conflict_reason(
    reviewer: Reviewer, application: Application, *, ties: _Ties | None = None
) -> str | None:
    """Why ``reviewer`` may not score ``application`` (their own organisation), or None. The
    organisations count as of the day the application was submitted."""
    if reviewer.talent_id and reviewer.talent_id == application.talent_id:
        return _("%(name)s may not score their own application.") % {"name": reviewer.name}
    if ties is None:
        ties = _Ties(
            [t for t in (reviewer.talent_id, application.talent_id) if t],
            [reviewer.user_id] if reviewer.user_id else [],
        )
    day = _day(application.submitted_at)
    organisation_ids = ties.orgs_on(reviewer.talent_id, day) if reviewer.talent_id else set()
    organisation_ids |= ties.members.get(reviewer.user_id, set())
    applicant_orgs = ties.orgs_on(application.talent_id, day)
    if application.organisation_id:
        applicant_orgs.add(application.organisation_id)
    shared = organisation_ids & applicant_orgs
    if shared:
        org = Organisation.objects.filter(pk__in=shared).order_by("name").first()
        return _(
            "Conflict of interest: %(name)s and the applicant are both of %(organisation)s."
        ) % {"name": reviewer.name, "organisation": org.name}
    return None


def expected_pairs(call: Call) -> list[tuple[Reviewer, Application]]:
    """Every (reviewer, application) that must be scored: all but the conflicted ones."""
    reviewers = list(call.reviewers.all())
    applications = list(call.applications.select_related("talent"))
    ties = _Ties(
        [r.talent_id for r in reviewers if r.talent_id] + [a.talent_id for a in applications],
        [r.user_id for r in reviewers if r.user_id],
    )
    return [
        (r, a) for a in applications for r in reviewers if conflict_reason(r, a, ties=ties) is None
    ]


def missing_scores(call: Call) -> list[tuple[Reviewer, Application]]:
    n = call.criteria.count()
    done = {}
    for reviewer_id, application_id in Score.objects.filter(application__call=call).values_list(
        "reviewer_id", "application_id"
    ):
        done[(reviewer_id, application_id)] = done.get((reviewer_id, application_id), 0) + 1
    return [(r, a) for r, a in expected_pairs(call) if done.get((r.pk, a.pk), 0) < n]


def _score_value(raw, criterion: Criterion) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError) as error:
        raise ValidationError(
            {"scores": _("“%(name)s”: give a number.") % {"name": criterion.name}}
        ) from error
    if not value.is_finite() or value < 0 or value > criterion.max_score:
        raise ValidationError(
            {
                "scores": _("“%(name)s”: a score lies between 0 and %(max)s.")
                % {"name": criterion.name, "max": criterion.max_score}
            }
        )
    if value.as_tuple().exponent < -2:
        raise ValidationError(
            {"scores": _("“%(name)s”: at most two decimals.") % {"name": criterion.name}}
        )
    return value


@transaction.atomic
def scores_record(
    *,
    actor,
    application: Application,
    scores: Mapping[int, Any],
    reviewer: Reviewer | None = None,
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> list[Score]:
    """A panel member scores one application on every criterion (again, to correct, while the
    review runs). ``scores`` maps criterion ids to numbers. A conflict is refused with its
    reason."""
    when = _when(actor, at)
    application = Application.objects.select_related("call__region", "talent").get(
        pk=application.pk
    )
    call = Call.objects.select_for_update(of=("self",)).get(pk=application.call_id)
    if actor is not None:
        seat = permissions.reviewer_of(actor, call)
        if seat is None or (reviewer is not None and reviewer.pk != seat.pk):
            raise PermissionDenied(_("Only the members of the joint review panel score."))
        reviewer = seat
    elif reviewer is None:
        raise ValueError("a system task names the reviewer")
    if reviewer.call_id != call.pk:
        raise ValidationError(_("This reviewer is not on this call's panel."))
    if call.status != CallStatus.REVIEW:
        raise ValidationError(_("Scores are given while the joint review runs."))
    reason = conflict_reason(reviewer, application)
    if reason:
        raise PermissionDenied(reason)
    criteria = list(call.criteria.all())
    given = {int(k): v for k, v in scores.items()}
    missing = [c.name for c in criteria if given.get(c.pk) in (None, "")]
    if missing:
        raise ValidationError(
            {"scores": _("Score every criterion: %(names)s.") % {"names": "、".join(missing)}}
        )
    unknown = set(given) - {c.pk for c in criteria}
    if unknown:
        raise ValidationError({"scores": _("A score names a criterion of another call.")})
    values = {c.pk: _score_value(given[c.pk], c) for c in criteria}
    before = {
        s.criterion.name: str(s.score)
        for s in Score.objects.filter(application=application, reviewer=reviewer).select_related(
            "criterion"
        )
    }
    Score.objects.filter(application=application, reviewer=reviewer).delete()
    rows = Score.objects.bulk_create(
        [
            Score(
                application=application,
                reviewer=reviewer,
                criterion=c,
                score=values[c.pk],
                scored_at=when,
            )
            for c in criteria
        ]
    )
    audit_record(
        actor=actor,
        action="application.score",
        obj=application,
        before={"reviewer": reviewer.name, **before} if before else None,
        after={"reviewer": reviewer.name, **{c.name: str(values[c.pk]) for c in criteria}},
        region=call.region_id,
        system_label=system_label,
    )
    return rows


def rules_of(call: Call) -> list[scoring.Rule]:
    return [scoring.Rule(c.weight, c.max_score) for c in call.criteria.all()]


def sheets_of(call: Call) -> dict[int, list[list[Decimal]]]:
    """Per application id, one list of scores (in criteria order) per reviewer who scored
    every criterion."""
    order = [c.pk for c in call.criteria.all()]
    by: dict[tuple[int, int], dict[int, Decimal]] = {}
    for s in Score.objects.filter(application__call=call):
        by.setdefault((s.application_id, s.reviewer_id), {})[s.criterion_id] = s.score
    sheets: dict[int, list[list[Decimal]]] = {}
    for (application_id, _r), values in sorted(by.items()):
        if all(c in values for c in order):
            sheets.setdefault(application_id, []).append([values[c] for c in order])
    return sheets


def ranking(call: Call) -> list[tuple[Application, Decimal]]:
    """The applications best first with their totals (only those with at least one sheet)."""
    rules = rules_of(call)
    sheets = sheets_of(call)
    applications = {a.pk: a for a in call.applications.all()}
    entries = [
        scoring.Entry(
            key=pk,
            total=scoring.weighted_total(rules, s),
            tie=scoring.heaviest_mean(rules, s),
            submitted=applications[pk].submitted_at,
        )
        for pk, s in sheets.items()
        if pk in applications
    ]
    return [(applications[e.key], e.total) for e in scoring.rank(entries)]


def _require_complete(call: Call) -> None:
    missing = missing_scores(call)
    if missing:
        raise ValidationError(
            _(
                "Every reviewer must score every application first: %(count)s score sheets are "
                "missing."
            )
            % {"count": len(missing)}
        )
    reviewed = {a.pk for _r, a in expected_pairs(call)}
    unreviewable = call.applications.exclude(pk__in=reviewed)
    if unreviewable.exists():
        raise ValidationError(
            _("No reviewer without a conflict can score %(application)s: widen the panel.")
            % {"application": unreviewable.first()}
        )


# Transitions ---------------------------------------------------------------------------------


def _transition(actor, call: Call, action: workflow.Action) -> str:
    try:
        return workflow.check(
            workflow.CALL, action, call.status, permissions.call_parties(actor, call)
        )
    except workflow.TransitionError as error:
        if error.reason == "party":
            raise PermissionDenied(
                _("Only the talent office of %(region)s may do this.")
                % {"region": call.region.name}
            ) from error
        raise ValidationError(
            _("This is not possible while the call is “%(status)s”.")
            % {"status": CallStatus(call.status).label}
        ) from error


@transaction.atomic
def call_transition(
    *,
    actor,
    call: Call,
    action: str,
    reason: str = "",
    at: dt.datetime | None = None,
    system_label: str | None = None,
) -> Call:
    """open (criteria and a complete panel needed), start_review (applications closed),
    close (every score in: rank and select up to the quota), publish, cancel (a reason)."""
    when = _when(actor, at)
    call = _locked(call)
    try:
        action = workflow.Action(action)
    except ValueError as error:
        raise ValidationError(_("Unknown action.")) from error
    if action == workflow.Action.PUBLISH and call.status == CallStatus.REVIEW:
        # Say what is missing rather than only "not now".
        _require_office(actor, call)
        _require_complete(call)
    target = _transition(actor, call, action)
    before = snapshot(call)
    recipients: list = []
    kind = None
    params: dict[str, Any] = {"title": call.title}
    if action == workflow.Action.OPEN:
        try:
            scoring.check_criteria(rules_of(call))
        except ValueError as error:
            raise ValidationError(_("The criteria's weights must sum to 100.")) from error
        missing = panel_missing(call, call.reviewers.all())
        if missing:
            raise ValidationError(
                _(
                    "Appoint the joint review panel first: it needs reviewers from every "
                    "member region (none from %(regions)s)."
                )
                % {"regions": _region_names(missing)}
            )
        call.opened_at = when
        members = permissions.member_codes(call.alliance_id)
        recipients = [u for m in members for u in _officers(m)]
        kind = "calls.opened"
        params |= {
            "region": call.region.name,
            "programme": call.programme,
            "until": call.period_end.isoformat(),
        }
    elif action == workflow.Action.START_REVIEW:
        count = call.applications.count()
        if not count:
            raise ValidationError(_("No application to review."))
        call.review_started_at = when
        recipients = [r.user for r in call.reviewers.select_related("user") if r.user_id]
        kind = "calls.review"
        params["count"] = count
    elif action == workflow.Action.CLOSE:
        _require_complete(call)
        ranked = ranking(call)
        for position, (application, total) in enumerate(ranked, start=1):
            application.rank = position
            application.total = total
            application.status = (
                ApplicationStatus.SELECTED
                if position <= call.quota
                else ApplicationStatus.NOT_SELECTED
            )
        Application.objects.bulk_update([a for a, _t in ranked], ["rank", "total", "status"])
        call.closed_at = when
    elif action == workflow.Action.PUBLISH:
        _require_complete(call)
        call.published_at = when
    elif action == workflow.Action.CANCEL:
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": _("Give the reason.")})
        call.cancelled_reason = reason[:500]
    call.status = target
    call.save()
    audit_record(
        actor=actor,
        action=f"call.{action.value}",
        obj=call,
        before=before,
        after=snapshot(call),
        region=call.region_id,
        system_label=system_label,
    )
    if kind:
        notify(
            recipients=recipients,
            kind=kind,
            params=params,
            url=call.get_absolute_url(),
            exclude=actor,
        )
    if action == workflow.Action.PUBLISH:
        for application in call.applications.select_related("talent__user"):
            if not application.talent.user_id:
                continue
            notify(
                recipients=[application.talent.user],
                kind="calls.published",
                params={
                    "title": call.title,
                    "outcome": str(ApplicationStatus(application.status).label),
                    "rank": application.rank,
                    "total": str(application.total),
                },
                url=call.get_absolute_url(),
                exclude=actor,
            )
    return call
