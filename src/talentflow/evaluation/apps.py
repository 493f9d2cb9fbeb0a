from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "talentflow.evaluation"
    label = "evaluation"
    verbose_name = _("Talent evaluation")

    def ready(self) -> None:
        from talentflow.core import audit_display

        # Registers the notification kinds (module import) before any service runs.
        from talentflow.evaluation import services  # noqa: F401

        audit_display.register(actions=AUDIT_ACTIONS, object_urls=OBJECT_URLS)


# How the evaluation's audit events read in the trail (core/audit_display.py).
AUDIT_ACTIONS = {
    "authorisation.create": _("Enterprise authorised to evaluate its talents"),
    "authorisation.revoke": _("Evaluation authorisation revoked"),
    "evaluation.create": _("Enterprise evaluation recorded"),
    "evaluation.update": _("Enterprise evaluation changed"),
    "evaluation.submit": _("Enterprise evaluation submitted"),
    "evaluation.resubmit": _("Enterprise evaluation resubmitted"),
    "evaluation.endorse": _("Enterprise evaluation endorsed (认账)"),
    "evaluation.return": _("Enterprise evaluation returned"),
    "recommendation.create": _("Industry recommendation filed"),
    "recommendation.open_notice": _("Public notice opened"),
    "recommendation.remove_talent": _("Talent removed from the recommendation"),
    "recommendation.finalise": _("Industry recommendation finalised"),
    "objection.create": _("Objection filed"),
    "objection.uphold": _("Objection upheld"),
    "objection.dismiss": _("Objection dismissed"),
    "result.create": _("Evaluation result recorded"),
    "result.revoke": _("Evaluation result revoked"),
}

OBJECT_URLS = {
    "evaluation.authorisation": "evaluation:authorisation_detail",
    "evaluation.enterpriseevaluation": "evaluation:evaluation_detail",
    "evaluation.recommendation": "evaluation:recommendation_detail",
    "evaluation.evaluationresult": "evaluation:result_detail",
}
