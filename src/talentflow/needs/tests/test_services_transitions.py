"""Every transition through the services: allowed for the right role, forbidden (403) for every
other role, and refused (validation error) from every other state. Table-driven.

The need is 福莱's (嘉善). Who is what to it is written out here from the issue, independently
of needs/permissions.py: 福莱's user is the enterprise; 嘉善's officer and the platform
administrator are the talent office; once an engagement exists, 杭电嘉善研究院 (its institution),
谭刚 (lead) and the student (member) are the solvers. Everyone else is nobody to this need.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from talentflow.needs import services
from talentflow.needs.models import Need, Proposal
from talentflow.needs.tests.builders import SYSTEM, frame, need_in_state, propose
from talentflow.tests.cast import CAST_ROLES

ENTERPRISE = {"enterprise_user"}
OFFICER = {"officer_jiashan", "admin"}
SOLVER = {"institution_user", "talent_user", "student_user"}

# action: (states it starts from, roles allowed)
TABLE = {
    "submit": ({"draft", "returned"}, ENTERPRISE),
    "return": ({"submitted"}, OFFICER),
    "publish": ({"submitted"}, OFFICER),
    "withdraw": ({"draft", "returned", "submitted", "published"}, ENTERPRISE | OFFICER),
    "select": ({"published"}, ENTERPRISE | OFFICER),
    "start_verification": ({"engaged"}, ENTERPRISE | SOLVER),
    "record_verification": ({"verifying"}, ENTERPRISE),
    "close": ({"verified"}, OFFICER),
    "cancel": ({"engaged", "verifying"}, ENTERPRISE | OFFICER),
}
STATES = [
    "draft",
    "returned",
    "submitted",
    "published",
    "engaged",
    "verifying",
    "verified",
    "closed",
    "withdrawn",
    "cancelled",
]


def _any_proposal(need: Need) -> Proposal:
    proposal = need.proposals.filter(state__in=["submitted", "shortlisted"]).first()
    if proposal is None:  # a need that never had one: any proposal row will do for the check
        proposal = Proposal.objects.create(
            need=need, approach="x", trl=5, cost=Decimal("1"), ip_terms="shared"
        )
    return proposal


def _run(action: str, actor, need: Need):
    if action == "submit":
        return services.need_submit(actor=actor, need=need)
    if action == "return":
        return services.need_return(actor=actor, need=need, reason="请补充工艺参数。")
    if action == "publish":
        return services.need_publish(actor=actor, need=need)
    if action == "withdraw":
        return services.need_withdraw(actor=actor, need=need, reason="已自行解决。")
    if action == "cancel":
        return services.need_cancel(actor=actor, need=need, reason="企业转产。")
    if action == "close":
        return services.need_close(actor=actor, need=need)
    if action == "select":
        return services.proposal_select(
            actor=actor,
            proposal=_any_proposal(need),
            contract_amount=Decimal("500000"),
            signed_on=dt.date.today(),
        )
    if action == "start_verification":
        return services.verification_start(actor=actor, need=need)
    if action == "record_verification":
        return services.verification_record(
            actor=actor,
            need=need,
            checks=[
                {"criterion": c, "passed": True, "measured_value": "99"}
                for c in need.criteria.all()
            ],
        )
    raise AssertionError(action)


def _prepare(cast, state: str) -> Need:
    """The need in ``state``, with whatever the allowed action there needs to succeed."""
    need = need_in_state(cast, state)
    if state == "submitted":
        frame(need)  # brief, industry, criteria, proposals due: publishable
    if state == "verified":
        outcome = services.outcome_record(**SYSTEM, need=need, kind="revenue", amount="1000000")
        services.outcome_confirm(**SYSTEM, outcome=outcome)
    return Need.objects.get(pk=need.pk)


class Rollback(Exception):
    pass


@pytest.mark.parametrize("state", STATES)
def test_each_action_from_this_state_by_each_role(cast, state):
    need = _prepare(cast, state)
    if state == "published":
        propose(cast, need)
    failures = []
    for action, (sources, allowed_roles) in TABLE.items():
        for role in CAST_ROLES:
            actor = getattr(cast, role)
            if state not in sources:
                expected = ValidationError
            elif role not in allowed_roles:
                expected = PermissionDenied
            else:
                expected = None
            outcome = None
            try:
                with transaction.atomic():
                    fresh = Need.objects.get(pk=need.pk)
                    try:
                        _run(action, actor, fresh)
                    except (PermissionDenied, ValidationError) as error:
                        outcome = type(error)
                    raise Rollback
            except Rollback:
                pass
            if outcome is not expected:
                failures.append(f"{action} by {role}: got {outcome}, expected {expected}")
    assert failures == []
    assert Need.objects.get(pk=need.pk).state == state  # every attempt was rolled back


def test_refused_transition_changes_nothing(cast):
    """A forbidden attempt leaves state, timeline and audit trail as they were."""
    from talentflow.core.models import AuditEvent

    need = need_in_state(cast, "submitted")
    events, audits = need.events.count(), AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        services.need_publish(actor=cast.enterprise_user, need=need)
    with pytest.raises(ValidationError):
        services.need_return(actor=cast.officer_jiashan, need=need, reason="   ")
    need.refresh_from_db()
    assert need.state == "submitted"
    assert need.events.count() == events and AuditEvent.objects.count() == audits


def test_publishing_needs_the_framing(cast):
    """The office cannot publish before writing the brief, the industry, criteria and a due
    date; the error names each missing piece."""
    need = need_in_state(cast, "submitted")
    with pytest.raises(ValidationError) as info:
        services.need_publish(actor=cast.officer_jiashan, need=need)
    assert set(info.value.message_dict) == {
        "solver_brief",
        "industry",
        "criteria",
        "proposals_due",
    }


def test_proposal_actions_by_role(cast):
    """Shortlist and decline are the deciders'; withdraw is the author's."""
    need = need_in_state(cast, "published")
    proposal = services.proposal_submit(
        actor=cast.institution_user,
        need=need,
        organisation=cast.orgs["hdu_jiashan"],
        approach="方案",
        trl=5,
        cost=Decimal("300000"),
        ip_terms="shared",
        members=[(cast.talents["tangang"], "lead")],
    )
    for role in CAST_ROLES:
        actor = getattr(cast, role)
        for action, allowed in (
            ("shortlist", ENTERPRISE | OFFICER),
            ("decline", ENTERPRISE | OFFICER),
            ("withdraw", {"institution_user"}),
        ):
            try:
                with transaction.atomic():
                    fresh = Proposal.objects.get(pk=proposal.pk)
                    try:
                        if action == "shortlist":
                            services.proposal_shortlist(actor=actor, proposal=fresh)
                        elif action == "decline":
                            services.proposal_decline(
                                actor=actor, proposal=fresh, reason_code="cost"
                            )
                        else:
                            services.proposal_withdraw(actor=actor, proposal=fresh)
                        result = "ok"
                    except PermissionDenied:
                        result = "forbidden"
                    raise Rollback
            except Rollback:
                pass
            assert result == ("ok" if role in allowed else "forbidden"), (action, role)
