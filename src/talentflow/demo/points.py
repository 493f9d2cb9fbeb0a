"""Demo records: points rules, verified events and the points ledger (issue 5)."""

from __future__ import annotations

from talentflow.demo.context import DemoContext


def points_create(ctx: DemoContext) -> int:
    """Not written yet: creates nothing."""
    return 0
