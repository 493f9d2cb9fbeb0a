from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CallsConfig(AppConfig):
    name = "talentflow.calls"
    label = "calls"
    verbose_name = _("Cross-region programme calls")

    def ready(self) -> None:
        from talentflow.calls import services  # registers the notification kinds
        from talentflow.core import audit_display

        audit_display.register(actions=services.AUDIT_ACTIONS, object_urls=OBJECT_URLS)


OBJECT_URLS = {
    "calls.call": "calls:call_detail",
    "calls.application": "calls:application_detail",
}
