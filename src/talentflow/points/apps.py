from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "talentflow.points"
    label = "points"
    verbose_name = _("Points")

    def ready(self) -> None:
        from talentflow.core import audit_display, notifications
        from talentflow.points.services import NOTIFICATIONS

        audit_display.register(actions=AUDIT_ACTIONS, object_urls=OBJECT_URLS)
        for kind, message in NOTIFICATIONS.items():
            notifications.register(kind, message)


# How the points app's audit events read in the trail (core/audit_display.py).
AUDIT_ACTIONS = {
    "points.scheme_create": _("Points scheme created"),
    "points.version_create": _("Points rules version drafted"),
    "points.version_update": _("Points rules draft changed"),
    "points.version_publish": _("Points rules version published"),
    "points.event_derive": _("Points event derived from a verified record"),
    "points.event_record": _("Points event recorded"),
    "points.event_void": _("Points event voided"),
    "points.ledger_recompute": _("Points ledger recomputed"),
}

OBJECT_URLS = {
    "points.pointsscheme": "points:scheme_detail",
    "points.schemeversion": "points:version_detail",
}
