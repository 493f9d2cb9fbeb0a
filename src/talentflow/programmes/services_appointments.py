"""Writes of appointments (科技副总, 产业教授, 合伙人, 互聘共享). Each function is one atomic state
change: it checks who acts, validates (nothing is written when it refuses), writes, records one
audit event and notifies the parties (e-mails after commit).

``actor=None`` is a system task (the demo) named by ``system_label``; only a system task may
backdate what happened with ``at``.

Two rules protect the appointees and the public money behind the appointments:

- **ownership conflict**: an expert is never appointed to an organisation they declared they
  own, hold shares in or founded (``matching.InterestDeclaration``), nor to one owned by their
  employer (``Organisation.parent`` chains);
- **concurrency**: an expert holds at most ``TALENTFLOW_MAX_CONCURRENT_APPOINTMENTS``
  appointments at the same time (accepted, consented or in office). Accepting re-checks both
  under a row lock on the appointee, so two concurrent accepts cannot exceed the limit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentflow.accounts.models import Membership
from talentflow.core.audit import audit_record, snapshot
from talentflow.core.notifications import notify, register
from talentflow.core.services import event_time as _when
from talentflow.core.services import local_day as _day
from talentflow.core.services import region_officers as _officers
from talentflow.core.services import require
from talentflow.directory.models import (
    INSTITUTION_KINDS,
    Affiliation,
    AffiliationKind,
    Organisation,
    OrganisationKind,
    TalentProfile,
)
from talentflow.matching.models import InterestDeclaration, InterestKind
from talentflow.programmes import permissions, workflow
from talentflow.programmes.models import (
    ENTERPRISE_HOSTED,
    HOLDING_STATES,
    STARTED_STATES,
    Appointment,
    AppointmentKind,
    AppointmentLevel,
    AppointmentRequest,
    AppointmentStatus,
    JointLab,
    PeriodReview,
    RequestStatus,
    ReviewRating,
    WorkLog,
    WorkLogKind,
)
from talentflow.programmes.workflow import Action, Party
from talentflow.reference.models import Region

AUDIT_ACTIONS: dict[str, Any] = {
    "affiliation.reopen": gettext_lazy("Serving affiliation reopened for an appointment"),
    "appointment_request.create": gettext_lazy("Appointment request filed"),
    "appointment_request.withdraw": gettext_lazy("Appointment request withdrawn"),
    "appointment.propose": gettext_lazy("Appointee proposed"),
    "appointment.accept": gettext_lazy("Appointment accepted by the candidate"),
    "appointment.decline": gettext_lazy("Appointment declined by the candidate"),
    "appointment.consent": gettext_lazy("Appointment consented by the employer"),
    "appointment.refuse": gettext_lazy("Appointment refused by the employer"),
    "appointment.withdraw": gettext_lazy("Appointment withdrawn"),
    "appointment.start": gettext_lazy("Appointment started"),
    "appointment.end": gettext_lazy("Appointment ended"),
    "appointment.terminate": gettext_lazy("Appointment terminated"),
    "appointment.renew": gettext_lazy("Appointment renewed"),
    "appointment.subsidy_apply": gettext_lazy("科技副总 subsidy applied for"),
    "worklog.create": gettext_lazy("Work log entry recorded"),
    "review.create": gettext_lazy("Period review recorded"),
    "joint_lab.create": gettext_lazy("Joint laboratory recorded"),
}

for _kind, _message in {
    "programmes.request_filed": gettext_lazy("%(host)s asks for a %(kind)s: “%(title)s”."),
    "programmes.request_withdrawn": gettext_lazy(
        "The request “%(title)s” of %(host)s was withdrawn: %(reason)s"
    ),
    "programmes.proposed": gettext_lazy(
        "The talent office of %(region)s proposes %(name)s as %(kind)s of %(host)s."
    ),
    "programmes.accepted": gettext_lazy("%(name)s accepted to serve %(host)s as %(kind)s."),
    "programmes.consent_asked": gettext_lazy(
        "%(name)s accepted to serve %(host)s as %(kind)s: %(employer)s is asked to consent."
    ),
    "programmes.declined": gettext_lazy(
        "%(name)s declined to serve %(host)s as %(kind)s: %(reason)s"
    ),
    "programmes.consented": gettext_lazy(
        "%(employer)s consented to %(name)s serving %(host)s as %(kind)s."
    ),
    "programmes.refused": gettext_lazy(
        "%(employer)s refused %(name)s serving %(host)s as %(kind)s: %(reason)s"
    ),
    "programmes.withdrawn": gettext_lazy(
        "The appointment of %(name)s as %(kind)s of %(host)s was withdrawn: %(reason)s"
    ),
    "programmes.started": gettext_lazy(
        "%(name)s serves %(host)s as %(kind)s from %(start)s to %(end)s (letter %(letter)s)."
    ),
    "programmes.ended": gettext_lazy(
        "The appointment of %(name)s as %(kind)s of %(host)s ended on %(date)s."
    ),
    "programmes.terminated": gettext_lazy(
        "The appointment of %(name)s as %(kind)s of %(host)s was terminated on %(date)s: %(reason)s"
    ),
    "programmes.renewed": gettext_lazy(
        "The appointment of %(name)s as %(kind)s of %(host)s was renewed until %(end)s "
        "(letter %(letter)s)."
    ),
    "programmes.worklog": gettext_lazy(
        "%(name)s recorded %(days)s days of work for %(host)s on %(date)s."
    ),
    "programmes.reviewed": gettext_lazy(
        "%(host)s reviewed the work of %(name)s from %(start)s to %(end)s: %(rating)s."
    ),
    "programmes.subsidy_applied": gettext_lazy(
        "%(host)s applied for %(policy)s for %(name)s (draft application)."
    ),
    "programmes.joint_lab": gettext_lazy(
        "The joint laboratory “%(name)s” of %(enterprise)s and %(institution)s was recorded."
    ),
}.items():
    register(_kind, _message)

# Codes of the letter numbers (聘书编号): region, kind, year, sequence.
KIND_CODES = {
    AppointmentKind.VICE_PRESIDENT: "KJFZ",
    AppointmentKind.INDUSTRY_PROFESSOR: "CYJS",
    AppointmentKind.PARTNER: "HHR",
    AppointmentKind.MUTUAL_HIRING: "HPGX",
}
# The position recorded on the serving affiliation (stored data: one language).
KIND_POSITIONS = {
    AppointmentKind.VICE_PRESIDENT: "科技副总",
    AppointmentKind.INDUSTRY_PROFESSOR: "产业教授",
    AppointmentKind.PARTNER: "校院企人才合伙人",
    AppointmentKind.MUTUAL_HIRING: "互聘共享",
}
OWNERSHIP_INTERESTS = (InterestKind.OWNER, InterestKind.SHAREHOLDER, InterestKind.FOUNDER)
# Appointments that are not over: a second one of the same person at the same host is refused.
LIVE_STATES = (AppointmentStatus.PROPOSED, *HOLDING_STATES)
SUBSIDY_POLICY = "vice_president_subsidy"


def max_concurrent() -> int:
    return int(getattr(settings, "TALENTFLOW_MAX_CONCURRENT_APPOINTMENTS", 3))


# Helpers ---------------------------------------------------------------------------------


def _org_users(organisation_id: int | None):
    if organisation_id is None:
        return []
    return [
        m.user
        for m in Membership.objects.filter(
            organisation_id=organisation_id,
            role__in=list(permissions.ORGANISATION_ROLES),
            is_active=True,
        ).select_related("user")
    ]


def _talent_user(talent: TalentProfile):
    return [talent.user] if talent.user_id else []


def _reason(reason: str, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({field: _("Give the reason.")})
    return reason


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def _params(appointment: Appointment, **extra) -> dict[str, Any]:
    return {
        "name": appointment.appointee.name,
        "kind": str(AppointmentKind(appointment.kind).label),
        "host": appointment.host.name,
        "region": appointment.region.name,
        "employer": appointment.employer.name if appointment.employer_id else "",
        **extra,
    }


def _everyone(appointment: Appointment) -> list:
    """The parties of an appointment: appointee, host, employer, office."""
    return [
        *_talent_user(appointment.appointee),
        *_org_users(appointment.host_id),
        *_org_users(appointment.employer_id),
        *_officers(appointment.region_id),
    ]


def _check_kind_host(kind: str, host: Organisation) -> None:
    if kind not in AppointmentKind.values:
        raise ValidationError({"kind": _("Choose the kind of appointment.")})
    if kind in ENTERPRISE_HOSTED and host.kind != OrganisationKind.ENTERPRISE:
        raise ValidationError(
            {
                "host": _("A %(kind)s is hosted by an enterprise; %(host)s is not one.")
                % {"kind": AppointmentKind(kind).label, "host": host.name}
            }
        )
    if kind == AppointmentKind.INDUSTRY_PROFESSOR and host.kind not in INSTITUTION_KINDS:
        raise ValidationError(
            {
                "host": _(
                    "An industry professor is hosted by a university or an institute; "
                    "%(host)s is not one."
                )
                % {"host": host.name}
            }
        )


def _ancestors(organisation: Organisation | None) -> list[Organisation]:
    """The organisation's parents, nearest first (cycles are cut)."""
    found: list[Organisation] = []
    seen: set[int] = set()
    current = organisation.parent if organisation is not None else None
    while current is not None and current.pk not in seen:
        found.append(current)
        seen.add(current.pk)
        current = current.parent
    return found


def current_employers(talent: TalentProfile, on: dt.date) -> list[Organisation]:
    """The organisations employing the talent on ``on``, the earliest tie first."""
    return [
        a.organisation
        for a in Affiliation.objects.filter(
            talent=talent, kind=AffiliationKind.EMPLOYED, start_date__lte=on
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=on))
        .select_related("organisation")
        .order_by("start_date", "id")
    ]


def _check_eligible(
    *,
    appointee: TalentProfile,
    host: Organisation,
    employer: Organisation | None,
    on: dt.date,
    exclude_pk: int | None = None,
    live_check: bool = True,
) -> None:
    """The refusals of an appointment, each with its reason (ValidationError)."""
    employers = current_employers(appointee, on)
    if any(e.pk == host.pk for e in employers) or (employer is not None and employer == host):
        raise ValidationError(
            {
                "appointee": _(
                    "%(name)s is employed by %(host)s: an organisation does not appoint its "
                    "own staff."
                )
                % {"name": appointee.name, "host": host.name}
            }
        )
    interest = (
        InterestDeclaration.objects.filter(
            talent=appointee, organisation=host, kind__in=OWNERSHIP_INTERESTS
        )
        .order_by("id")
        .first()
    )
    if interest is not None:
        if host.kind == OrganisationKind.ENTERPRISE:
            message = _(
                "%(name)s declared an interest (%(interest)s) in %(host)s: an expert may not be "
                "appointed to an enterprise they own or founded."
            )
        else:
            message = _(
                "%(name)s declared an interest (%(interest)s) in %(host)s: an expert may not be "
                "appointed to an organisation they own or founded."
            )
        raise ValidationError(
            {
                "appointee": message
                % {
                    "name": appointee.name,
                    "interest": str(interest.get_kind_display()).lower(),
                    "host": host.name,
                }
            }
        )
    owners = {o.pk: o for o in _ancestors(host)}
    candidates = list(employers)
    if employer is not None and all(e.pk != employer.pk for e in candidates):
        candidates.append(employer)
    for own in candidates:
        for org in (own, *_ancestors(own)):
            if org.pk in owners:
                raise ValidationError(
                    {
                        "appointee": _(
                            "%(host)s is owned by %(owner)s, and %(name)s works for %(employer)s: "
                            "an expert may not be appointed to an enterprise their employer "
                            "owns."
                        )
                        % {
                            "host": host.name,
                            "owner": org.name,
                            "name": appointee.name,
                            "employer": own.name,
                        }
                    }
                )
    others = Appointment.objects.filter(appointee=appointee)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    if live_check and others.filter(host=host, status__in=LIVE_STATES).exists():
        raise ValidationError(
            {
                "appointee": _("%(name)s already has an appointment at %(host)s under way.")
                % {"name": appointee.name, "host": host.name}
            }
        )
    holding = others.filter(status__in=HOLDING_STATES).count()
    limit = max_concurrent()
    if holding >= limit:
        raise ValidationError(
            {
                "appointee": _(
                    "%(name)s already holds %(count)s appointments; at most %(limit)s at the "
                    "same time."
                )
                % {"name": appointee.name, "count": holding, "limit": limit}
            }
        )


def _locked(appointment: Appointment) -> Appointment:
    return (
        Appointment.objects.select_for_update(of=("self",))
        .select_related("host", "employer", "region", "appointee", "request")
        .get(pk=appointment.pk)
    )


def _who_may(appointment: Appointment, action: str) -> str:
    names = {
        "name": appointment.appointee.name,
        "host": appointment.host.name,
        "employer": appointment.employer.name if appointment.employer_id else "",
        "region": appointment.region.name,
    }
    if action in (Action.ACCEPT, Action.DECLINE):
        message = _("Only %(name)s, the candidate, may accept or decline this appointment.")
    elif action in (Action.CONSENT, Action.REFUSE):
        message = _("Only %(employer)s, the appointee's employer, may consent or refuse.")
    elif action == Action.WITHDRAW:
        message = _("Only the talent office of %(region)s or %(host)s may withdraw it.")
    elif action == Action.TERMINATE:
        message = _("Only %(host)s, %(name)s or the talent office of %(region)s may terminate it.")
    else:  # start, end, renew
        message = _("Only %(host)s or the talent office of %(region)s may do this.")
    return message % names


def _transition_check(actor, appointment: Appointment, action: Action) -> str:
    try:
        return workflow.check(
            workflow.APPOINTMENT,
            action,
            appointment.status,
            permissions.appointment_parties(actor, appointment),
        )
    except workflow.TransitionError as error:
        if error.reason == "party":
            raise PermissionDenied(_who_may(appointment, action)) from error
        raise ValidationError(
            _("This is not possible while the appointment is “%(status)s”.")
            % {"status": AppointmentStatus(appointment.status).label}
        ) from error


def _parties(actor, appointment: Appointment) -> set[Party]:
    return permissions.appointment_parties(actor, appointment)


def _letter_number(region_code: str, kind: str, year: int) -> str:
    """The next letter number of the region, kind and year. The region row is locked so that
    two starts cannot take the same number."""
    Region.objects.select_for_update().filter(pk=region_code).first()
    prefix = f"{region_code}-{KIND_CODES[kind]}-{year}-"
    last = 0
    for number in Appointment.objects.filter(letter_number__startswith=prefix).values_list(
        "letter_number", flat=True
    ):
        try:
            last = max(last, int(number[len(prefix) :]))
        except ValueError:
            continue
    return f"{prefix}{last + 1:04d}"


def _check_term(
    *,
    term_start: dt.date,
    term_end: dt.date,
    duties: str,
    days_per_month,
    annual_salary,
) -> tuple[str, int, Decimal | None]:
    errors: dict[str, str] = {}
    if term_start is None:
        errors["term_start"] = _("Give the start of the term.")
    if term_end is None:
        errors["term_end"] = _("Give the end of the term.")
    elif term_start is not None and term_end <= term_start:
        errors["term_end"] = _("The term must end after it starts.")
    duties = (duties or "").strip()
    if not duties:
        errors["duties"] = _("Describe the duties.")
    try:
        days = int(days_per_month)
    except (TypeError, ValueError):
        days = 0
    if not 1 <= days <= 31:
        errors["days_per_month"] = _("Give between 1 and 31 working days per month.")
    salary = None
    if annual_salary not in (None, ""):
        try:
            salary = Decimal(str(annual_salary))
        except (InvalidOperation, ValueError):
            salary = Decimal("-1")
        if not salary.is_finite() or salary < 0:
            errors["annual_salary"] = _("Give the annual salary in yuan (0 or more).")
    if errors:
        raise ValidationError(errors)
    return duties, days, salary


def _serving_affiliation(
    appointment: Appointment, start: dt.date, *, actor, system_label: str | None
) -> Affiliation:
    """The appointee's open serving tie to the host (reused), or a new one from ``start``;
    a new or reopened tie is audited as the directory's own writes are."""
    existing = (
        Affiliation.objects.filter(
            talent_id=appointment.appointee_id,
            organisation_id=appointment.host_id,
            kind=AffiliationKind.SERVING,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .order_by("start_date", "id")
        .first()
    )
    if existing is not None:
        if existing.end_date is not None:
            before = snapshot(existing)
            existing.end_date = None
            existing.save(update_fields=["end_date", "updated_at"])
            audit_record(
                actor=actor,
                action="affiliation.reopen",
                obj=existing,
                before=before,
                after=snapshot(existing),
                region=appointment.host.region_id,
                system_label=system_label,
            )
        return existing
    affiliation = Affiliation(
        talent_id=appointment.appointee_id,
        organisation_id=appointment.host_id,
        kind=AffiliationKind.SERVING,
        position=KIND_POSITIONS[appointment.kind],
        start_date=start,
        note=appointment.letter_number or "",
    )
    affiliation.full_clean()
    affiliation.save()
    audit_record(
        actor=actor,
        action="affiliation.create",
        obj=affiliation,
        after=snapshot(affiliation),
        region=appointment.host.region_id,
        system_label=system_label,
    )
    return affiliation


def _end_affiliation(
    appointment: Appointment, end: dt.date, *, actor, system_label: str | None
) -> None:
    if appointment.affiliation_id is None:
        return
    affiliation = Affiliation.objects.select_for_update().get(pk=appointment.affiliation_id)
    if affiliation.end_date is None or affiliation.end_date > end:
        before = snapshot(affiliation)
        affiliation.end_date = max(end, affiliation.start_date)
        affiliation.save(update_fields=["end_date", "updated_at"])
        audit_record(
            actor=actor,
            action="affiliation.end",
            obj=affiliation,
            before=before,
            after=snapshot(affiliation),
            region=appointment.host.region_id,
            system_label=system_label,
        )


# Requests ----------------------------------------------------------------------------------


@transaction.atomic
def request_create(
    *,
    actor,
    kind: str,
    host: Organisation,
    title: str,
    description: str,
    need=None,
    field: str = "",
    industry=None,
    disciplines: Iterable = (),
    target_organisations: Iterable = (),
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> AppointmentRequest:
    """The host (an enterprise for a 科技副总, an institution for an 产业教授) or its talent
    office files a request for an appointee."""
    _when(actor, at)
    if actor is not None:
        require(
            permissions.acts_for(actor, host.pk) or permissions.governs(actor, host.region_id),
            _("Only %(host)s or the talent office of its region may ask for an appointee.")
            % {"host": host.name},
        )
    _check_kind_host(kind, host)
    title = _text(title, "title", _("Give the request a title."))
    description = _text(description, "description", _("Say what the appointee should do."))
    if need is not None and need.enterprise_id != host.pk:
        raise ValidationError({"need": _("The need is not one of %(host)s.") % {"host": host.name}})
    request = AppointmentRequest(
        kind=kind,
        host=host,
        region_id=host.region_id,
        title=title,
        description=description,
        need=need,
        field=(field or "").strip(),
        industry=industry,
        created_by=actor,
    )
    request.full_clean()
    request.save()
    disciplines = list(disciplines)
    targets = list(target_organisations)
    if disciplines:
        request.disciplines.set(disciplines)
    if targets:
        request.target_organisations.set(targets)
    audit_record(
        actor=actor,
        action="appointment_request.create",
        obj=request,
        after=snapshot(request, m2m={"disciplines": disciplines, "target_organisations": targets}),
        region=request.region_id,
        system_label=system_label,
    )
    notify(
        recipients=[*_officers(request.region_id), *_org_users(host.pk)],
        kind="programmes.request_filed",
        params={"host": host.name, "kind": str(AppointmentKind(kind).label), "title": title},
        url=request.get_absolute_url(),
        exclude=actor,
    )
    return request


@transaction.atomic
def request_withdraw(
    *,
    actor,
    request: AppointmentRequest,
    reason: str,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> AppointmentRequest:
    _when(actor, at)
    request = (
        AppointmentRequest.objects.select_for_update(of=("self",))
        .select_related("host", "region")
        .get(pk=request.pk)
    )
    require(
        bool(permissions.request_parties(actor, request) & {Party.HOST, Party.OFFICE}),
        _("Only %(host)s or the talent office of %(region)s may withdraw this request.")
        % {"host": request.host.name, "region": request.region.name},
    )
    if request.status != RequestStatus.OPEN:
        raise ValidationError(
            _("This is not possible while the request is “%(status)s”.")
            % {"status": RequestStatus(request.status).label}
        )
    reason = _reason(reason)
    before = snapshot(request)
    request.status = RequestStatus.WITHDRAWN
    request.save(update_fields=["status", "updated_at"])
    audit_record(
        actor=actor,
        action="appointment_request.withdraw",
        obj=request,
        before={**before, "reason": ""},
        after={**snapshot(request), "reason": reason},
        region=request.region_id,
        system_label=system_label,
    )
    notify(
        recipients=[*_officers(request.region_id), *_org_users(request.host_id)],
        kind="programmes.request_withdrawn",
        params={"host": request.host.name, "title": request.title, "reason": reason},
        url=request.get_absolute_url(),
        exclude=actor,
    )
    return request


# Appointments ------------------------------------------------------------------------------


@transaction.atomic
def appointment_propose(
    *,
    actor,
    appointee: TalentProfile,
    request: AppointmentRequest | None = None,
    kind: str | None = None,
    host: Organisation | None = None,
    employer: Organisation | None = None,
    level: str = AppointmentLevel.COUNTY,
    proposal_note: str = "",
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Appointment:
    """The talent office proposes a candidate (for a request, or directly)."""
    when = _when(actor, at)
    if request is not None:
        request = AppointmentRequest.objects.select_related("host", "region").get(pk=request.pk)
        kind, host = request.kind, request.host
    if host is None:
        raise ValidationError({"host": _("Choose the host organisation.")})
    if actor is not None:
        require(
            permissions.governs(actor, host.region_id),
            _("Only the talent office of %(region)s proposes appointees to %(host)s.")
            % {"region": host.region.name, "host": host.name},
        )
    if request is not None and request.status != RequestStatus.OPEN:
        raise ValidationError(
            {
                "request": _("This request is “%(status)s”: nobody more is proposed for it.")
                % {"status": RequestStatus(request.status).label}
            }
        )
    _check_kind_host(kind or "", host)
    if level not in AppointmentLevel.values:
        raise ValidationError({"level": _("Choose the level.")})
    if not appointee.is_active:
        raise ValidationError({"appointee": _("This talent profile is inactive.")})
    today = _day(when)
    # Locked like an accept: two proposals of one person to one host cannot both pass.
    TalentProfile.objects.select_for_update().filter(pk=appointee.pk).first()
    if employer is None:
        employers = current_employers(appointee, today)
        employer = employers[0] if employers else None
    _check_eligible(appointee=appointee, host=host, employer=employer, on=today)
    appointment = Appointment(
        request=request,
        kind=kind,
        level=level,
        host=host,
        region_id=host.region_id,
        appointee=appointee,
        employer=employer,
        proposal_note=(proposal_note or "").strip(),
        proposed_by=actor,
    )
    appointment.full_clean()
    appointment.save()
    audit_record(
        actor=actor,
        action="appointment.propose",
        obj=appointment,
        after=snapshot(appointment),
        region=appointment.region_id,
        system_label=system_label,
    )
    notify(
        recipients=[*_talent_user(appointee), *_org_users(host.pk)],
        kind="programmes.proposed",
        params=_params(appointment),
        url=appointment.get_absolute_url(),
        exclude=actor,
    )
    return appointment


TRANSITION_ACTIONS = (
    Action.ACCEPT,
    Action.DECLINE,
    Action.CONSENT,
    Action.REFUSE,
    Action.WITHDRAW,
    Action.END,
    Action.TERMINATE,
)


@transaction.atomic
def appointment_transition(
    *,
    actor,
    appointment: Appointment,
    action: str,
    reason: str = "",
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Appointment:
    """accept / decline (the candidate), consent / refuse (the employer), withdraw (office or
    host, before the start), end (host or office), terminate (host, appointee or office)."""
    when = _when(actor, at)
    if action not in TRANSITION_ACTIONS:
        raise ValidationError({"action": _("Unknown action.")})
    action = Action(action)
    appointment = _locked(appointment)
    target = _transition_check(actor, appointment, action)
    reason = _reason(reason) if action in workflow.NEEDS_REASON else (reason or "").strip()
    today = _day(when)
    if action == Action.ACCEPT:
        # The appointee's row is locked: concurrent accepts of one person queue here, so the
        # count of their holding appointments is read after the previous one committed.
        TalentProfile.objects.select_for_update().filter(pk=appointment.appointee_id).first()
        _check_eligible(
            appointee=appointment.appointee,
            host=appointment.host,
            employer=appointment.employer,
            on=today,
            exclude_pk=appointment.pk,
        )
        if appointment.employer_id is None:
            target = AppointmentStatus.CONSENTED
    before = snapshot(appointment)
    appointment.status = target
    if reason:
        appointment.decision_note = reason
    if action in (Action.END, Action.TERMINATE):
        ended = today
        if appointment.term_end and appointment.term_end < ended:
            ended = appointment.term_end
        if appointment.term_start and ended < appointment.term_start:
            ended = appointment.term_start
        appointment.ended_on = ended
        _end_affiliation(appointment, ended, actor=actor, system_label=system_label)
    appointment.save()
    audit_record(
        actor=actor,
        action=f"appointment.{action.value}",
        obj=appointment,
        before=before,
        after=snapshot(appointment),
        region=appointment.region_id,
        system_label=system_label,
    )
    _notify_transition(actor, appointment, action, reason)
    return appointment


def _notify_transition(actor, appointment: Appointment, action: Action, reason: str) -> None:
    url = appointment.get_absolute_url()
    office = _officers(appointment.region_id)
    host = _org_users(appointment.host_id)
    employer = _org_users(appointment.employer_id)
    appointee = _talent_user(appointment.appointee)
    params = _params(appointment, reason=reason, date=str(appointment.ended_on or ""))
    sends: list[tuple[list, str]] = []
    if action == Action.ACCEPT:
        if appointment.employer_id is not None:
            sends = [
                (employer, "programmes.consent_asked"),
                ([*host, *office], "programmes.accepted"),
            ]
        else:
            sends = [([*host, *office], "programmes.accepted")]
    elif action == Action.DECLINE:
        sends = [([*host, *office], "programmes.declined")]
    elif action == Action.CONSENT:
        sends = [([*appointee, *host, *office], "programmes.consented")]
    elif action == Action.REFUSE:
        sends = [([*appointee, *host, *office], "programmes.refused")]
    elif action == Action.WITHDRAW:
        sends = [([*appointee, *host, *employer, *office], "programmes.withdrawn")]
    elif action == Action.END:
        sends = [([*appointee, *host, *employer, *office], "programmes.ended")]
    elif action == Action.TERMINATE:
        sends = [([*appointee, *host, *employer, *office], "programmes.terminated")]
    for recipients, kind in sends:
        notify(recipients=recipients, kind=kind, params=params, url=url, exclude=actor)


@transaction.atomic
def appointment_start(
    *,
    actor,
    appointment: Appointment,
    term_start: dt.date,
    term_end: dt.date,
    duties: str,
    days_per_month: int,
    annual_salary: Decimal | None = None,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Appointment:
    """The host (or the office) starts a consented appointment: the term, the duties, the
    letter number (聘书编号) and the serving tie shown on both sides' pages."""
    _when(actor, at)
    appointment = _locked(appointment)
    target = _transition_check(actor, appointment, Action.START)
    duties, days, salary = _check_term(
        term_start=term_start,
        term_end=term_end,
        duties=duties,
        days_per_month=days_per_month,
        annual_salary=annual_salary,
    )
    before = snapshot(appointment)
    appointment.status = target
    appointment.term_start = term_start
    appointment.term_end = term_end
    appointment.duties = duties
    appointment.days_per_month = days
    appointment.annual_salary = salary
    appointment.letter_number = _letter_number(
        appointment.region_id, appointment.kind, term_start.year
    )
    appointment.affiliation = _serving_affiliation(
        appointment, term_start, actor=actor, system_label=system_label
    )
    appointment.full_clean()
    appointment.save()
    if appointment.request_id is not None:
        AppointmentRequest.objects.filter(
            pk=appointment.request_id, status=RequestStatus.OPEN
        ).update(status=RequestStatus.FILLED, updated_at=timezone.now())
    audit_record(
        actor=actor,
        action="appointment.start",
        obj=appointment,
        before=before,
        after=snapshot(appointment),
        region=appointment.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_everyone(appointment),
        kind="programmes.started",
        params=_params(
            appointment,
            start=term_start.isoformat(),
            end=term_end.isoformat(),
            letter=appointment.letter_number,
        ),
        url=appointment.get_absolute_url(),
        exclude=actor,
    )
    return appointment


@transaction.atomic
def appointment_renew(
    *,
    actor,
    appointment: Appointment,
    term_end: dt.date,
    duties: str | None = None,
    days_per_month: int | None = None,
    annual_salary: Decimal | None = None,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> Appointment:
    """The host (or the office) renews an appointment in office: it ends on its term's end (or
    today if earlier) and a new one, ``renewed_from`` it, starts the next day with a new
    letter number, for the same parties and the same serving tie."""
    when = _when(actor, at)
    old = _locked(appointment)
    require(bool(_parties(actor, old) & {Party.HOST, Party.OFFICE}), _who_may(old, Action.END))
    if old.status != AppointmentStatus.ACTIVE:
        raise ValidationError(
            _("Only an appointment in office is renewed; this one is “%(status)s”.")
            % {"status": AppointmentStatus(old.status).label}
        )
    ended = min(old.term_end, _day(when)) if old.term_end else _day(when)
    ended = max(ended, old.term_start)
    start = ended + dt.timedelta(days=1)
    duties, days, salary = _check_term(
        term_start=start,
        term_end=term_end,
        duties=old.duties if duties is None else duties,
        days_per_month=old.days_per_month if days_per_month is None else days_per_month,
        annual_salary=old.annual_salary if annual_salary is None else annual_salary,
    )
    before = snapshot(old)
    old.status = AppointmentStatus.ENDED
    old.ended_on = ended
    old.save()
    audit_record(
        actor=actor,
        action="appointment.end",
        obj=old,
        before=before,
        after=snapshot(old),
        region=old.region_id,
        system_label=system_label,
    )
    new = Appointment(
        request=old.request,
        kind=old.kind,
        level=old.level,
        host=old.host,
        region_id=old.region_id,
        appointee=old.appointee,
        employer=old.employer,
        status=AppointmentStatus.ACTIVE,
        term_start=start,
        term_end=term_end,
        duties=duties,
        days_per_month=days,
        annual_salary=salary,
        proposal_note=old.proposal_note,
        renewed_from=old,
        letter_number=_letter_number(old.region_id, old.kind, start.year),
        affiliation=old.affiliation
        or _serving_affiliation(old, start, actor=actor, system_label=system_label),
        proposed_by=actor,
    )
    new.full_clean()
    new.save()
    audit_record(
        actor=actor,
        action="appointment.renew",
        obj=new,
        after=snapshot(new),
        region=new.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_everyone(new),
        kind="programmes.renewed",
        params=_params(new, end=term_end.isoformat(), letter=new.letter_number),
        url=new.get_absolute_url(),
        exclude=actor,
    )
    return new


def _term_last_day(appointment: Appointment) -> dt.date | None:
    if appointment.ended_on and appointment.term_end:
        return min(appointment.ended_on, appointment.term_end)
    return appointment.ended_on or appointment.term_end


def _inside_term(appointment: Appointment, first: dt.date, last: dt.date) -> bool:
    end = _term_last_day(appointment)
    return (
        appointment.term_start is not None
        and end is not None
        and appointment.term_start <= first <= last <= end
    )


@transaction.atomic
def worklog_add(
    *,
    actor,
    appointment: Appointment,
    date: dt.date,
    kind: str,
    days,
    summary: str,
    engagement=None,
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> WorkLog:
    """The appointee (or the office) records a day of work inside the term."""
    _when(actor, at)
    appointment = Appointment.objects.select_related("host", "region", "appointee").get(
        pk=appointment.pk
    )
    require(
        bool(_parties(actor, appointment) & {Party.APPOINTEE, Party.OFFICE}),
        _("Only %(name)s or the talent office of %(region)s records the work log.")
        % {"name": appointment.appointee.name, "region": appointment.region.name},
    )
    if appointment.status not in STARTED_STATES:
        raise ValidationError(_("Work is logged once the appointment has started."))
    errors: dict[str, str] = {}
    if date is None or not _inside_term(appointment, date, date):
        errors["date"] = _("The date lies outside the term (%(start)s – %(end)s).") % {
            "start": appointment.term_start,
            "end": _term_last_day(appointment),
        }
    if kind not in WorkLogKind.values:
        errors["kind"] = _("Choose the kind of work.")
    try:
        days = Decimal(str(days))
    except (InvalidOperation, ValueError):
        days = Decimal("0")
    if not days.is_finite() or not Decimal("0.5") <= days <= Decimal("31"):
        errors["days"] = _("Give between 0.5 and 31 days.")
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = _("Say what was done.")
    if errors:
        raise ValidationError(errors)
    log = WorkLog(
        appointment=appointment,
        date=date,
        kind=kind,
        days=days,
        summary=summary,
        engagement=engagement,
        recorded_by=actor,
    )
    log.full_clean()
    log.save()
    audit_record(
        actor=actor,
        action="worklog.create",
        obj=log,
        after=snapshot(log),
        region=appointment.region_id,
        system_label=system_label,
    )
    notify(
        recipients=_org_users(appointment.host_id),
        kind="programmes.worklog",
        params=_params(appointment, days=str(days), date=date.isoformat()),
        url=appointment.get_absolute_url(),
        exclude=actor,
    )
    return log


@transaction.atomic
def review_add(
    *,
    actor,
    appointment: Appointment,
    period_start: dt.date,
    period_end: dt.date,
    rating: str,
    comments: str = "",
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> PeriodReview:
    """The host reviews one period of the term."""
    _when(actor, at)
    appointment = Appointment.objects.select_related("host", "region", "appointee").get(
        pk=appointment.pk
    )
    require(
        Party.HOST in _parties(actor, appointment),
        _("Only %(host)s reviews the work of its appointee.") % {"host": appointment.host.name},
    )
    if appointment.status not in STARTED_STATES:
        raise ValidationError(_("A period is reviewed once the appointment has started."))
    errors: dict[str, str] = {}
    if period_start is None or period_end is None or period_end < period_start:
        errors["period_end"] = _("The period must end on or after its start.")
    elif not _inside_term(appointment, period_start, period_end):
        errors["period_start"] = _("The period lies outside the term (%(start)s – %(end)s).") % {
            "start": appointment.term_start,
            "end": _term_last_day(appointment),
        }
    elif PeriodReview.objects.filter(appointment=appointment, period_start=period_start).exists():
        errors["period_start"] = _("This period is already reviewed.")
    if rating not in ReviewRating.values:
        errors["rating"] = _("Choose a rating.")
    if errors:
        raise ValidationError(errors)
    review = PeriodReview(
        appointment=appointment,
        period_start=period_start,
        period_end=period_end,
        rating=rating,
        comments=(comments or "").strip(),
        reviewed_by=actor,
    )
    review.full_clean()
    review.save()
    audit_record(
        actor=actor,
        action="review.create",
        obj=review,
        after=snapshot(review),
        region=appointment.region_id,
        system_label=system_label,
    )
    notify(
        recipients=[*_talent_user(appointment.appointee), *_officers(appointment.region_id)],
        kind="programmes.reviewed",
        params=_params(
            appointment,
            start=period_start.isoformat(),
            end=period_end.isoformat(),
            rating=str(ReviewRating(rating).label),
        ),
        url=appointment.get_absolute_url(),
        exclude=actor,
    )
    return review


def subsidy_policy(region_code: str):
    """The 科技副总 subsidy policy covering the region (the narrowest), or None."""
    from talentflow.rules.models import Policy

    found = [
        p
        for p in Policy.objects.filter(code=SUBSIDY_POLICY).select_related("region")
        if region_code.startswith(p.region.prefix)
    ]
    found.sort(key=lambda p: len(p.region.prefix), reverse=True)
    return found[0] if found else None


@transaction.atomic
def subsidy_apply(
    *,
    actor,
    appointment: Appointment,
    uploads: Sequence = (),
    system_label: str | None = None,
    at: dt.datetime | None = None,
):
    """The host enterprise (or the office) applies for the 科技副总 subsidy of an appointment in
    office. The rules app computes the amount; the draft application is linked here."""
    from talentflow.rules import services as rules_services

    when = _when(actor, at)
    appointment = _locked(appointment)
    parties = _parties(actor, appointment)
    require(
        bool(parties & {Party.HOST, Party.OFFICE}),
        _("Only %(host)s or the talent office of %(region)s applies for this subsidy.")
        % {"host": appointment.host.name, "region": appointment.region.name},
    )
    if appointment.kind not in ENTERPRISE_HOSTED:
        raise ValidationError(_("Only appointments hosted by an enterprise receive this subsidy."))
    if appointment.status != AppointmentStatus.ACTIVE:
        raise ValidationError(_("The subsidy is applied for while the appointment is in office."))
    if not appointment.annual_salary:
        raise ValidationError(
            {"annual_salary": _("Record the annual salary the host pays before applying.")}
        )
    if appointment.subsidy_application_id is not None:
        raise ValidationError(_("The subsidy was already applied for under this appointment."))
    policy = subsidy_policy(appointment.region_id)
    if policy is None:
        raise ValidationError(
            _("No 科技副总 subsidy policy applies in %(region)s.")
            % {"region": appointment.region.name}
        )
    # An officer is not an applicant enterprise in the rules app: the office files for the
    # host as a system task named after it (the audit events name the officer).
    as_host = actor is not None and Party.HOST in parties
    rules_actor = actor if as_host else None
    label = system_label
    if actor is not None and not as_host:
        label = f"programmes:{getattr(actor, 'username', 'office')}"
    application = rules_services.application_create(
        actor=rules_actor,
        system_label=label,
        policy=policy,
        facts={"appointed": True, "annual_salary": str(appointment.annual_salary)},
        organisation=appointment.host,
        talent=appointment.appointee,
        applied_on=_day(when),
        uploads=uploads,
        at=at if rules_actor is None else None,
    )
    before = snapshot(appointment)
    appointment.subsidy_application = application
    appointment.save(update_fields=["subsidy_application", "updated_at"])
    audit_record(
        actor=actor,
        action="appointment.subsidy_apply",
        obj=appointment,
        before=before,
        after=snapshot(appointment),
        region=appointment.region_id,
        system_label=system_label,
    )
    notify(
        recipients=[*_talent_user(appointment.appointee), *_org_users(appointment.host_id)],
        kind="programmes.subsidy_applied",
        params=_params(appointment, policy=policy.name),
        url=application.get_absolute_url(),
        exclude=actor,
    )
    return application


# Joint laboratories ------------------------------------------------------------------------


@transaction.atomic
def joint_lab_create(
    *,
    actor,
    name: str,
    enterprise: Organisation,
    institution: Organisation,
    established_on: dt.date,
    appointment: Appointment | None = None,
    description: str = "",
    system_label: str | None = None,
    at: dt.datetime | None = None,
) -> JointLab:
    """The talent office of the enterprise's region records a joint laboratory."""
    _when(actor, at)
    if actor is not None:
        require(
            permissions.governs(actor, enterprise.region_id),
            _("Only the talent office of %(region)s records the joint laboratories of %(name)s.")
            % {"region": enterprise.region.name, "name": enterprise.name},
        )
    errors: dict[str, str] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = _("Give the laboratory's name.")
    if enterprise.kind != OrganisationKind.ENTERPRISE:
        errors["enterprise"] = _("%(name)s is not an enterprise.") % {"name": enterprise.name}
    if institution.kind not in INSTITUTION_KINDS:
        errors["institution"] = _("%(name)s is not a university or an institute.") % {
            "name": institution.name
        }
    if established_on is None:
        errors["established_on"] = _("Give the date it was established.")
    if appointment is not None and appointment.host_id not in (enterprise.pk, institution.pk):
        errors["appointment"] = _("The appointment is not hosted by either partner.")
    if errors:
        raise ValidationError(errors)
    lab = JointLab(
        name=name,
        region_id=enterprise.region_id,
        enterprise=enterprise,
        institution=institution,
        appointment=appointment,
        established_on=established_on,
        description=(description or "").strip(),
        recorded_by=actor,
    )
    lab.full_clean()
    lab.save()
    audit_record(
        actor=actor,
        action="joint_lab.create",
        obj=lab,
        after=snapshot(lab),
        region=lab.region_id,
        system_label=system_label,
    )
    notify(
        recipients=[*_org_users(enterprise.pk), *_org_users(institution.pk)],
        kind="programmes.joint_lab",
        params={"name": name, "enterprise": enterprise.name, "institution": institution.name},
        exclude=actor,
    )
    return lab
