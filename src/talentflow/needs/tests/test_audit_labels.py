"""Every audit action the needs write reads as words in the trail, and links to its page."""

from __future__ import annotations

import re
from pathlib import Path

from talentflow.core import audit_display
from talentflow.needs import services, workflow

SERVICES = Path(services.__file__).read_text(encoding="utf-8")


def _written_actions() -> set[str]:
    literal = set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', SERVICES))
    transitions = {f"need.{action.value}" for action in workflow.Action}
    decisions = {
        f"proposal.{target.value}"
        for _sources, target, _parties in workflow.PROPOSAL_TRANSITIONS.values()
    }
    return literal | transitions | decisions


def test_every_needs_audit_action_has_a_label():
    actions = _written_actions()
    assert len(actions) > 20
    unlabelled = sorted(a for a in actions if a not in audit_display.ACTION_LABELS)
    assert unlabelled == []
    for action in actions:
        assert audit_display.action_label(action) != action


def test_need_events_link_to_the_need(cast):
    from talentflow.core.models import AuditEvent
    from talentflow.needs.tests.builders import need_in_state

    need = need_in_state(cast, "published")
    event = AuditEvent.objects.filter(action="need.publish", object_id=str(need.pk)).get()
    assert audit_display.object_url(event) == need.get_absolute_url()
