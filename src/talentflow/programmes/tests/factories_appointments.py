"""Appointments for the tests, built through the services (as a system task) from the cast:
谭刚 (浙江大学) appointed 科技副总 of 浙江福莱新材料 in 嘉善, with 浙江大学's institution user as
the employer who consents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from talentflow.programmes import services_appointments as services
from talentflow.programmes.models import Appointment, AppointmentKind, AppointmentRequest
from talentflow.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    TalentFactory,
    UserFactory,
)

SYSTEM = {"actor": None, "system_label": "test"}
TERM_START = dt.date(2026, 1, 1)
TERM_END = dt.date(2028, 12, 31)

# The actions (as a system task) that bring a proposed appointment to each state.
PATHS: dict[str, tuple[str, ...]] = {
    "proposed": (),
    "accepted": ("accept",),
    "consented": ("accept", "consent"),
    "active": ("accept", "consent", "start"),
    "ended": ("accept", "consent", "start", "end"),
    "terminated": ("accept", "consent", "start", "terminate"),
    "declined": ("decline",),
    "refused": ("accept", "refuse"),
    "withdrawn": ("withdraw",),
}


def employer_user(cast, username: str = "zju_hr"):
    """A user acting for 浙江大学 (谭刚's employer) as its institution."""
    user = UserFactory(username=username, display_name="浙江大学人事处")
    if not user.memberships.exists():
        MembershipFactory(user=user, role="institution", organisation=cast.orgs["zju"])
    return user


def employ(talent, organisation, start: dt.date = dt.date(2020, 1, 1)):
    return AffiliationFactory(talent=talent, organisation=organisation, start_date=start)


def expert(name: str, *, employer=None, expertise: str = "薄膜涂布；功能膜材料", user=None):
    """A talent (with an account when ``user`` is a username) employed by ``employer``."""
    account = UserFactory(username=user, display_name=name) if user else None
    talent = TalentFactory(name=name, expertise=expertise, user=account)
    if employer is not None:
        employ(talent, employer)
    return talent


def enterprise(name: str = "嘉善测试企业有限公司", **fields):
    return OrganisationFactory(name=name, **fields)


def request_for(cast, *, host=None, kind: str = AppointmentKind.VICE_PRESIDENT, **fields):
    fields.setdefault("title", "BOPP 薄膜涂布缺陷攻关")
    fields.setdefault("description", "解决涂布条纹与针孔缺陷，带教工艺团队。")
    return services.request_create(**SYSTEM, kind=kind, host=host or cast.orgs["fulai"], **fields)


def appointment_in_state(
    cast,
    state: str = "active",
    *,
    appointee=None,
    host=None,
    kind: str = AppointmentKind.VICE_PRESIDENT,
    request: AppointmentRequest | None = None,
    term_start: dt.date = TERM_START,
    term_end: dt.date = TERM_END,
    annual_salary: Decimal | None = Decimal("500000"),
    employed: bool = True,
) -> Appointment:
    """An appointment brought to ``state`` by the services. By default 谭刚, employed by
    浙江大学 (added to the cast here), serves 福莱 as 科技副总."""
    if appointee is None:
        appointee = cast.talents["tangang"]
        if (
            employed
            and not appointee.affiliations.filter(
                organisation=cast.orgs["zju"], kind="employed"
            ).exists()
        ):
            employ(appointee, cast.orgs["zju"])
    appointment = services.appointment_propose(
        **SYSTEM,
        appointee=appointee,
        request=request,
        kind=None if request else kind,
        host=None if request else (host or cast.orgs["fulai"]),
        proposal_note="涂布工艺专家",
    )
    for action in PATHS[state]:
        if action == "start":
            appointment = services.appointment_start(
                **SYSTEM,
                appointment=appointment,
                term_start=term_start,
                term_end=term_end,
                duties="指导薄膜涂布工艺，培养技术骨干。",
                days_per_month=4,
                annual_salary=annual_salary,
            )
        elif action == "consent" and appointment.employer_id is None:
            continue  # accepted without an employer is consented already
        else:
            appointment = services.appointment_transition(
                **SYSTEM, appointment=appointment, action=action, reason="测试原因"
            )
    appointment.refresh_from_db()
    return appointment
