"""Records for the rules app's tests, built through the services: 嘉善's seed policies, their
2026 budgets, and applications in any review state."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from talentflow.reference.models import Region
from talentflow.rules import services
from talentflow.rules.models import Application, Policy
from talentflow.tests.cast import Cast

SYSTEM = {"actor": None, "system_label": "test"}
YEAR = 2026
DAY = dt.date(2026, 3, 2)


def evidence(
    name: str = "聘任合同.pdf", content: bytes = b"%PDF-1.4 evidence"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, "application/pdf")


def seed(budget: dict[str, str] | None = None) -> dict[str, Policy]:
    """嘉善's three seed policies, with 2026 budgets for the two money ones."""
    policies = services.seed_policies_create(region=Region.objects.get(code="330421"))
    budget = budget or {"practice_base_subsidy": "300000", "vice_president_subsidy": "1000000"}
    for code, amount in budget.items():
        services.policy_year_set(**SYSTEM, policy=policies[code], year=YEAR, budget=Decimal(amount))
    return policies


def vp_application(
    c: Cast,
    policy: Policy,
    *,
    salary: str = "400000",
    state: str = "draft",
    applied_on: dt.date = DAY,
    actor=None,
) -> Application:
    """福莱 applies for 谭刚's 科技副总 subsidy, as its enterprise user (or a system task)."""
    application = services.application_create(
        actor=actor or c.enterprise_user,
        policy=policy,
        organisation=c.orgs["fulai"],
        talent=c.talents["tangang"],
        facts={"appointed": True, "annual_salary": salary},
        applied_on=applied_on,
        uploads=[evidence()],
    )
    return advance(application, state)


def advance(application: Application, state: str) -> Application:
    steps = {
        "draft": [],
        "submitted": ["submit"],
        "finance_review": ["submit", "office_approve"],
        "returned": ["submit", "office_return"],
        "approved": ["submit", "office_approve", "finance_approve"],
        "paid": ["submit", "office_approve", "finance_approve", "pay"],
    }[state]
    for step in steps:
        if step == "submit":
            application = services.application_submit(**SYSTEM, application=application)
        elif step == "pay":
            services.payout_record(**SYSTEM, application=application)
        else:
            application = services.application_review(
                **SYSTEM, application=application, action=step, reason="请补充材料"
            )
    application.refresh_from_db()
    return application
