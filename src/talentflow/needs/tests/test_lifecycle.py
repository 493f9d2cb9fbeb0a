"""One need through all five stages, as the parties would drive it."""

from __future__ import annotations

import pytest
from django.core import mail

from talentflow.core.models import AuditEvent, Notification
from talentflow.needs.models import NeedEvent
from talentflow.needs.tests.builders import ORDER, need_in_state


@pytest.mark.parametrize("state", [*ORDER, "withdrawn", "cancelled"])
def test_builder_reaches_every_state(cast, state):
    """Every state is reachable through the services (the transition table is connected)."""
    need = need_in_state(cast, state)
    assert need.state == state


def test_closed_need_has_a_timeline_an_audit_trail_and_notified_people(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        need = need_in_state(cast, "closed")
    actions = list(NeedEvent.objects.filter(need=need).values_list("action", flat=True))
    assert actions[0] == "create" and actions[-1] == "close"
    for expected in (
        "submit",
        "publish",
        "proposal.submit",
        "select",
        "start_verification",
        "verification_passed",
        "outcome.confirm",
    ):
        assert expected in actions
    audited = set(
        AuditEvent.objects.filter(object_type="needs.need", object_id=str(need.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"need.create", "need.submit", "need.publish", "need.select", "need.close"} <= audited
    assert Notification.objects.filter(recipient=cast.officer_jiashan).exists()
    assert Notification.objects.filter(recipient=cast.enterprise_user).exists()
    assert Notification.objects.filter(recipient=cast.talent_user, kind="proposal.selected")


def test_submitting_mails_the_talent_office_after_commit(cast, django_capture_on_commit_callbacks):
    """The officer of the region gets an in-app notification and, once committed, an e-mail."""
    from talentflow.needs import services
    from talentflow.needs.tests.builders import draft_need

    cast.officer_jiashan.email = "rencaiban@jiashan.example"
    cast.officer_jiashan.save()
    need = draft_need(cast)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.need_submit(actor=cast.enterprise_user, need=need)
    assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["rencaiban@jiashan.example"]]
    assert need.title in mail.outbox[0].body
    assert Notification.objects.filter(recipient=cast.officer_jiashan, kind="need.submitted")
