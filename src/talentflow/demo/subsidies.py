"""Demo records: policies, subsidy applications, payouts and budgets (issue 5)."""

from __future__ import annotations

from talentflow.demo.context import DemoContext


def subsidies_create(ctx: DemoContext) -> int:
    """Not written yet: creates nothing."""
    return 0
