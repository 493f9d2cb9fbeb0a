from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "talentflow.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from talentflow.core import audit_display, notifications
        from talentflow.matching import signals

        signals.connect()
        for kind, message in NOTIFICATIONS.items():
            notifications.register(kind, message)
        audit_display.register(actions=AUDIT_ACTIONS)


NOTIFICATIONS = {
    "matching.invited": _(
        "%(enterprise)s and its talent office invite you to propose for the need “%(need)s”."
    ),
    "matching.declined": _("%(talent)s declined the invitation to the need “%(need)s”."),
}

# How matching's audit events read in the trail (core/audit_display.py).
AUDIT_ACTIONS = {
    "invitation.create": _("Expert invited to a need"),
    "invitation.decline": _("Invitation declined"),
    "interest.declare": _("Interest in an organisation declared"),
    "interest.withdraw": _("Declared interest withdrawn"),
    "capacity.set": _("Engagement capacity set"),
    "past_engagement.create": _("Past engagement recorded"),
    "import.engagements": _("Past engagements imported"),
}
