"""Money as officers read it: exact yuan with thousands separators, and signed differences."""

from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def yuan(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{Decimal(value):,.2f}"


@register.filter
def signed_yuan(value) -> str:
    if value is None:
        return "—"
    value = Decimal(value)
    return f"+{value:,.2f}" if value > 0 else f"{value:,.2f}"
