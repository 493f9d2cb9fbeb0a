from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeedsConfig(AppConfig):
    name = "talentflow.needs"
    label = "needs"
    verbose_name = _("Needs")

    def ready(self) -> None:
        from talentflow.core import audit_display

        audit_display.register(actions=AUDIT_ACTIONS, object_urls=OBJECT_URLS)


# How the needs' audit events read in the trail (core/audit_display.py).
AUDIT_ACTIONS = {
    "need.create": _("Need recorded"),
    "need.update": _("Need changed"),
    "need.criteria": _("Acceptance criteria set"),
    "need.confidentiality_accept": _("Confidentiality terms accepted"),
    "need.submit": _("Need submitted to the talent office"),
    "need.return": _("Need returned to the enterprise"),
    "need.publish": _("Need published for proposals"),
    "need.withdraw": _("Need withdrawn"),
    "need.select": _("Engagement started"),
    "need.start_verification": _("Workshop verification started"),
    "need.verification_passed": _("Workshop verification passed"),
    "need.verification_failed": _("Workshop verification failed"),
    "need.close": _("Need closed"),
    "need.cancel": _("Engagement cancelled"),
    "proposal.submit": _("Proposal submitted"),
    "proposal.shortlisted": _("Proposal shortlisted"),
    "proposal.declined": _("Proposal declined"),
    "proposal.withdrawn": _("Proposal withdrawn"),
    "proposal.selected": _("Proposal selected"),
    "engagement.create": _("Engagement created"),
    "engagement.milestone": _("Milestone completed"),
    "verification.record": _("Workshop check recorded"),
    "outcome.record": _("Outcome recorded"),
    "outcome.update": _("Outcome changed"),
    "outcome.confirm": _("Outcome confirmed"),
    "outcome.reject": _("Outcome not confirmed"),
    "document.add": _("Document added"),
    "visit.create": _("Enterprise visit recorded"),
}

OBJECT_URLS = {
    "needs.need": "needs:detail",
    "needs.proposal": "needs:proposal_detail",
    "needs.enterprisevisit": "needs:visit_detail",
}
