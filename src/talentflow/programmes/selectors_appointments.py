"""Reads of appointments. Who sees what is decided here, once:

- the talent office sees the requests, appointments and joint laboratories of the regions it
  governs (an officer of a prefecture governs its counties); administrators see everything;
- an organisation's users see the requests it filed, the appointments it hosts or whose
  appointee it employs, and its joint laboratories;
- a talent sees their own appointments.

Nobody else sees an appointment (not even an active one's public facts): the profile pages
show the serving tie (``directory.Affiliation``) instead.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from talentflow.accounts.permissions import scope_for
from talentflow.directory.models import Organisation, TalentProfile
from talentflow.programmes import permissions, workflow
from talentflow.programmes.models import (
    ENTERPRISE_HOSTED,
    HOLDING_STATES,
    STARTED_STATES,
    Appointment,
    AppointmentKind,
    AppointmentRequest,
    AppointmentStatus,
    JointLab,
    WorkLog,
)
from talentflow.programmes.workflow import Party
from talentflow.reference.models import Region

# Actions offered besides the workflow's transitions (see ``appointment_actions``).
EXTRA_ACTIONS = ("renew", "worklog", "review", "subsidy", "letter")


def requests_for(user) -> QuerySet[AppointmentRequest]:
    scope = scope_for(user)
    qs = AppointmentRequest.objects.select_related(
        "host", "region", "need", "industry", "created_by"
    )
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(pk__in=[])
    if scope.is_officer:
        q |= scope.region_q("region")
    organisations = permissions.organisation_ids(user)
    if organisations:
        q |= Q(host_id__in=organisations)
    return qs.filter(q)


def appointments_for(user) -> QuerySet[Appointment]:
    scope = scope_for(user)
    qs = Appointment.objects.select_related(
        "host", "region", "appointee", "employer", "request", "renewed_from"
    )
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(pk__in=[])
    if scope.is_officer:
        q |= scope.region_q("region")
    organisations = permissions.organisation_ids(user)
    if organisations:
        q |= Q(host_id__in=organisations) | Q(employer_id__in=organisations)
    if scope.talent_id is not None:
        q |= Q(appointee_id=scope.talent_id)
    return qs.filter(q)


def joint_labs_for(user) -> QuerySet[JointLab]:
    scope = scope_for(user)
    qs = JointLab.objects.select_related("region", "enterprise", "institution", "appointment")
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(pk__in=[])
    if scope.is_officer:
        q |= scope.region_q("region")
    organisations = permissions.organisation_ids(user)
    if organisations:
        q |= Q(enterprise_id__in=organisations) | Q(institution_id__in=organisations)
    return qs.filter(q)


def appointment_actions(user, appointment: Appointment) -> list[str]:
    """What ``user`` may do to ``appointment`` now: the workflow's transitions (accept,
    decline, consent, refuse, start, end, terminate, withdraw) and ``renew`` (host or office,
    in office), ``worklog`` (appointee or office, once started), ``review`` (host, once
    started), ``subsidy`` (host or office, an enterprise-hosted appointment in office with a
    salary and no application yet), ``letter`` (any party, once started)."""
    parties = permissions.appointment_parties(user, appointment)
    status = appointment.status
    found = [str(a) for a in workflow.allowed(workflow.APPOINTMENT, status, parties)]
    if status == AppointmentStatus.ACCEPTED and appointment.employer_id is None:
        # Nobody to ask: the candidate's accept already consents.
        found = [a for a in found if a not in ("consent", "refuse")]
    started = status in STARTED_STATES
    if status == AppointmentStatus.ACTIVE and parties & {Party.HOST, Party.OFFICE}:
        found.append("renew")
    if started and parties & {Party.APPOINTEE, Party.OFFICE}:
        found.append("worklog")
    if started and Party.HOST in parties:
        found.append("review")
    if (
        status == AppointmentStatus.ACTIVE
        and appointment.kind in ENTERPRISE_HOSTED
        and appointment.annual_salary
        and appointment.subsidy_application_id is None
        and parties & {Party.HOST, Party.OFFICE}
    ):
        found.append("subsidy")
    if started and parties:
        found.append("letter")
    return found


# Candidates -----------------------------------------------------------------------------------


def candidates_for_request(*, user, request: AppointmentRequest, top: int = 20):
    """The best experts for the request, explained (``matching.selectors.ExpertMatch``), for
    its talent office only. People already proposed on the request, experts with a conflict
    of interest with the host (the engine's rule) and experts already holding the most
    appointments allowed are left out; the candidates are the talents the officer sees."""
    from talentflow.directory.selectors import talent_visible
    from talentflow.matching import selectors as matching
    from talentflow.matching.engine.types import NeedQuery
    from talentflow.programmes.services_appointments import max_concurrent

    if not permissions.governs(user, request.region_id):
        raise PermissionDenied(
            _("Only the talent office of %(region)s looks for candidates for this request.")
            % {"region": request.region.name}
        )
    proposed = set(
        Appointment.objects.filter(request=request).values_list("appointee_id", flat=True)
    )
    full = _full_appointees(max_concurrent())
    exclude = proposed | full
    if request.need_id is not None:
        query = matching.need_query(request.need, exclude=exclude)
        query = NeedQuery(**{**query.__dict__, "enterprise": request.host_id})
    else:
        text = "\n".join(
            p.strip()
            for p in (request.title, request.field, request.description)
            if p and p.strip()
        )
        query = NeedQuery(
            text=text,
            industries=(request.industry_id,) if request.industry_id else (),
            disciplines=tuple(sorted(request.disciplines.values_list("code", flat=True))),
            region=request.region_id,
            enterprise=request.host_id,
            exclude=tuple(sorted(exclude)),
        )
    scope = scope_for(user)
    allowed = None
    if not scope.is_admin:
        allowed = set(talent_visible(user=user).filter(is_active=True).values_list("pk", flat=True))
    return matching._matches(matching.ranked(query, top=top, allowed=allowed))


def _full_appointees(limit: int) -> set[int]:
    counts: dict[int, int] = defaultdict(int)
    for appointee_id in Appointment.objects.filter(status__in=HOLDING_STATES).values_list(
        "appointee_id", flat=True
    ):
        counts[appointee_id] += 1
    return {pk for pk, n in counts.items() if n >= limit}


# Profile pages --------------------------------------------------------------------------------


def serving_for_talent(talent: TalentProfile) -> QuerySet[Appointment]:
    """The talent's appointments in office (their profile page)."""
    return (
        Appointment.objects.filter(appointee=talent, status=AppointmentStatus.ACTIVE)
        .select_related("host", "region")
        .order_by("-term_start", "-id")
    )


def serving_at_organisation(organisation: Organisation) -> QuerySet[Appointment]:
    """The appointees in office at the organisation (its page)."""
    return (
        Appointment.objects.filter(host=organisation, status=AppointmentStatus.ACTIVE)
        .select_related("appointee", "employer", "region")
        .order_by("-term_start", "-id")
    )


# Figures --------------------------------------------------------------------------------------

KIND_COLUMNS = {
    AppointmentKind.VICE_PRESIDENT: "vice_presidents",
    AppointmentKind.INDUSTRY_PROFESSOR: "industry_professors",
    AppointmentKind.PARTNER: "partners",
    AppointmentKind.MUTUAL_HIRING: "mutual_hiring",
}


def _collaborations(appointments: list[Appointment]) -> set[int]:
    """Distinct engagements linked by the appointments' work logs, and engagements of the
    hosts' needs led by the appointee and signed during the term."""
    from talentflow.needs.models import Engagement, TeamRole

    found = set(
        WorkLog.objects.filter(
            appointment__in=[a.pk for a in appointments], engagement__isnull=False
        ).values_list("engagement_id", flat=True)
    )
    started = [a for a in appointments if a.term_start]
    if not started:
        return found
    by_pair: dict[tuple[int, int], list[tuple[dt.date, dt.date | None]]] = defaultdict(list)
    for a in started:
        last = a.ended_on or a.term_end
        if a.ended_on and a.term_end:
            last = min(a.ended_on, a.term_end)
        by_pair[(a.host_id, a.appointee_id)].append((a.term_start, last))
    rows = Engagement.objects.filter(
        need__enterprise_id__in={h for h, _t in by_pair},
        proposal__members__role=TeamRole.LEAD,
        proposal__members__talent_id__in={t for _h, t in by_pair},
    ).values_list("pk", "need__enterprise_id", "proposal__members__talent_id", "signed_on")
    for pk, host_id, talent_id, signed_on in rows:
        for start, last in by_pair.get((host_id, talent_id), ()):
            if start <= signed_on and (last is None or signed_on <= last):
                found.add(pk)
                break
    return found


def region_stats(user, region_prefix: str | None = None) -> list[dict[str, Any]]:
    """Per region (of the appointments and joint laboratories the user sees), best known
    first by code: appointments ever started by kind (``STARTED_STATES``), those in office,
    distinct collaborations (``needs.Engagement``) and joint laboratories."""
    appointments = appointments_for(user)
    labs = joint_labs_for(user)
    if region_prefix:
        appointments = appointments.filter(region__code__startswith=region_prefix)
        labs = labs.filter(region__code__startswith=region_prefix)
    by_region: dict[str, list[Appointment]] = defaultdict(list)
    for appointment in appointments.order_by("id"):
        by_region[appointment.region_id].append(appointment)
    lab_counts: dict[str, int] = defaultdict(int)
    for code in labs.values_list("region_id", flat=True):
        lab_counts[code] += 1
    codes = sorted(set(by_region) | set(lab_counts))
    regions = Region.objects.in_bulk(codes)
    rows = []
    for code in codes:
        items = by_region.get(code, [])
        started = [a for a in items if a.status in STARTED_STATES]
        row: dict[str, Any] = {"region": regions[code], "code": code, "name": regions[code].name}
        for kind, column in KIND_COLUMNS.items():
            # A renewal continues the same appointment: each chain counts once.
            row[column] = sum(1 for a in started if a.kind == kind and a.renewed_from_id is None)
        row["active"] = sum(1 for a in items if a.status == AppointmentStatus.ACTIVE)
        row["collaborations"] = len(_collaborations(started))
        row["joint_labs"] = lab_counts.get(code, 0)
        rows.append(row)
    return rows
