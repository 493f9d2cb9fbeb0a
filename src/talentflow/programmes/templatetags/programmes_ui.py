"""What the directory's pages show of appointments in office (合伙人 and 互聘共享 keep their
employer and are recorded as serving the enterprise: both sides show it)."""

from __future__ import annotations

from django import template

from talentflow.programmes.models import Appointment, AppointmentStatus

register = template.Library()


@register.simple_tag
def talent_appointments(talent) -> list[Appointment]:
    """The talent's appointments in office. The profile page is already limited to those who
    may see the talent; an appointment in office is public: kind, host, term."""
    return list(
        Appointment.objects.filter(appointee=talent, status=AppointmentStatus.ACTIVE)
        .select_related("host", "employer")
        .order_by("term_start", "id")
    )


@register.simple_tag
def organisation_appointments(organisation) -> dict[str, list[Appointment]]:
    """The appointees serving the organisation, and its own people serving elsewhere."""
    active = Appointment.objects.filter(status=AppointmentStatus.ACTIVE).select_related(
        "appointee", "host", "employer"
    )
    return {
        "hosted": list(active.filter(host=organisation).order_by("term_start", "id")),
        "lent": list(active.filter(employer=organisation).order_by("term_start", "id")),
    }
