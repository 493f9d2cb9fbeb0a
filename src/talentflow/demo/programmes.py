"""Demo records: appointments and joint training (issue 6)."""

from __future__ import annotations

from talentflow.demo.context import DemoContext


def programmes_create(ctx: DemoContext) -> int:
    """Not written yet: creates nothing."""
    return 0
