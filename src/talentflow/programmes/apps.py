from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "talentflow.programmes"
    label = "programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from talentflow.core import audit_display

        # Registers the notification kinds (module import) before any service runs.
        from talentflow.programmes import services_appointments, services_training

        audit_display.register(
            actions={**services_appointments.AUDIT_ACTIONS, **services_training.AUDIT_ACTIONS},
            object_urls=OBJECT_URLS,
        )


OBJECT_URLS = {
    "programmes.appointmentrequest": "programmes:request_detail",
    "programmes.appointment": "programmes:appointment_detail",
    "programmes.practicebase": "programmes:practice_base_detail",
    "programmes.cohort": "programmes:cohort_detail",
    "programmes.agreement": "programmes:agreement_detail",
}
