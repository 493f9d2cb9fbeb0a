from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "talentflow.credentials"
    label = "credentials"
    verbose_name = _("Talent code")

    def ready(self) -> None:
        from django.db import transaction
        from django.db.models.signals import post_save

        from talentflow.core import audit_display
        from talentflow.credentials import services

        audit_display.register(actions=services.AUDIT_ACTIONS, object_urls=OBJECT_URLS)

        def _revoked(sender, instance, **kwargs) -> None:
            # A revoked result or certificate enters the signed revocation list once the
            # revocation is committed (the list is also synced before every read).
            if getattr(instance, "revoked", False) or getattr(instance, "revoked_at", None):
                transaction.on_commit(services.revocations_sync)

        post_save.connect(
            _revoked,
            sender="evaluation.EvaluationResult",
            dispatch_uid="credentials_result",
            weak=False,
        )
        post_save.connect(
            _revoked,
            sender="recognition.Certificate",
            dispatch_uid="credentials_certificate",
            weak=False,
        )


OBJECT_URLS = {"credentials.service": "credentials:service_detail"}
