"""What the directory's talent profile shows of a talent's evaluation results."""

from __future__ import annotations

from django import template
from django.utils import timezone

from talentflow.evaluation.models import EvaluationResult

register = template.Library()


@register.simple_tag
def talent_results(talent) -> list[dict]:
    """Every result of the talent, current ones first. The profile page is already limited to
    those who may see the talent; a result says what the region recognised, nothing private."""
    today = timezone.localdate()
    results = EvaluationResult.objects.filter(talent=talent).select_related("region")
    rows = [{"result": r, "current": r.is_current(today)} for r in results]
    rows.sort(key=lambda row: (not row["current"], row["result"].revoked, row["result"].tier))
    return rows
