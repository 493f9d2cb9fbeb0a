"""Demo records: evaluation authorisations, evaluations and 行业公荐 (issue 5)."""

from __future__ import annotations

from talentflow.demo.context import DemoContext


def evaluations_create(ctx: DemoContext) -> int:
    """Not written yet: creates nothing."""
    return 0
