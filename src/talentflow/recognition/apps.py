from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecognitionConfig(AppConfig):
    name = "talentflow.recognition"
    label = "recognition"
    verbose_name = _("Mutual recognition")

    def ready(self) -> None:
        from talentflow.core import audit_display

        # Registers the notification kinds (module import) before any service runs.
        from talentflow.recognition import services

        audit_display.register(actions=services.AUDIT_ACTIONS, object_urls=OBJECT_URLS)


OBJECT_URLS = {
    "recognition.certificate": "recognition:certificate_detail",
}
