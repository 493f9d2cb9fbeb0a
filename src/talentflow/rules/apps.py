from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "talentflow.rules"
    label = "rules"
    verbose_name = _("Policies and subsidies")

    def ready(self) -> None:
        from talentflow.core import audit_display
        from talentflow.rules import services  # noqa: F401 — registers the notification kinds

        audit_display.register(actions=AUDIT_ACTIONS, object_urls=OBJECT_URLS)


# How the rules app's audit events read in the trail (core/audit_display.py).
AUDIT_ACTIONS = {
    "policy.create": _("Policy created"),
    "policy.budget": _("Policy budget set"),
    "policy.version_draft": _("Policy version drafted"),
    "policy.version_update": _("Draft policy version changed"),
    "policy.version_publish": _("Policy version published"),
    "policy.version_discard": _("Draft policy version discarded"),
    "application.create": _("Application created"),
    "application.update": _("Application amended"),
    "application.evidence": _("Evidence added to an application"),
    "application.submit": _("Application submitted"),
    "application.office_approve": _("Application approved by the talent office"),
    "application.office_return": _("Application returned by the talent office"),
    "application.finance_approve": _("Application approved by finance"),
    "application.finance_return": _("Application returned by finance"),
    "application.pay": _("Payout recorded"),
    "application.withdraw": _("Application withdrawn by the applicant"),
}

OBJECT_URLS = {
    "rules.policy": "rules:policy_detail",
    "rules.policyversionrecord": "rules:version_detail",
    "rules.application": "rules:application_detail",
}
