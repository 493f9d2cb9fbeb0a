"""Template helpers of the points pages and of the points box on a talent's profile."""

from __future__ import annotations

from decimal import Decimal

from django import template

from talentflow.points import permissions, selectors
from talentflow.points.display import calculation_text, unit_label

register = template.Library()


@register.filter
def calculation(explanation: dict) -> str:
    return calculation_text(explanation or {})


@register.filter
def pts(value) -> str:
    """Points with two decimals and thousands separators (sums come back unscaled)."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def unit(code: str) -> str:
    return unit_label(code)


@register.inclusion_tag("points/_profile_points_box.html", takes_context=True)
def points_summary(context, talent):
    """The talent's points total and a link to the statement, for those who may read it."""
    user = context["request"].user
    if talent is None or not permissions.can_see_statement(user, talent):
        return {"visible": False}
    return {
        "visible": True,
        "talent": talent,
        "total": selectors.talent_total(talent=talent),
        "periods": selectors.statement_totals(talent=talent)[:3],
    }
