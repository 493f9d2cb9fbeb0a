"""How a ledger entry's calculation reads, on pages and in exported files."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

UNIT_LABELS = {
    "yuan": gettext_lazy("yuan"),
    "yuan_per_unit": gettext_lazy("yuan per unit"),
    "percent": gettext_lazy("percentage points"),
    "count": gettext_lazy("items"),
    "person": gettext_lazy("people"),
    "year": gettext_lazy("years"),
    "day": gettext_lazy("days"),
}


def unit_label(unit: str) -> str:
    return str(UNIT_LABELS.get(unit, unit))


def cents(value: Any) -> Decimal:
    """A sum of points to the cent: SQLite returns sums of decimals unscaled."""
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _n(value: Any) -> str:
    """A stored decimal without trailing zeros ("5.0000" → "5", "10000.00" → "10000")."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value)
    return format(number.normalize(), "f")


def calculation_text(x: dict[str, Any]) -> str:
    """One line: base + quantity ÷ unit size × points per unit = raw, the cap applied, the
    points granted, and the version that says so."""
    if "reverses" in x:
        if x.get("reason") == "voided":
            return _("Reverses entry %(entry)s: the event was voided.") % {"entry": x["reverses"]}
        if x.get("new_version"):
            return _("Reverses entry %(entry)s: recomputed under version %(version)s.") % {
                "entry": x["reverses"],
                "version": x["new_version"],
            }
        return _("Reverses entry %(entry)s: no longer earns points.") % {"entry": x["reverses"]}
    text = _("v%(version)s: %(base)s + %(quantity)s ÷ %(unit)s × %(rate)s = %(raw)s") % {
        "version": x["version"],
        "base": _n(x["base"]),
        "quantity": _n(x["quantity"]),
        "unit": _n(x["unit_size"]),
        "rate": _n(x["per_unit"]),
        "raw": x["raw"],
    }
    if x.get("capped_by") == "kind":
        text += _("; capped: %(cap)s for this kind a year, %(used)s used before") % {
            "cap": _n(x["kind_cap"]),
            "used": _n(x["kind_used_before"]),
        }
    elif x.get("capped_by") == "period":
        text += _("; capped: %(cap)s in all a year, %(used)s used before") % {
            "cap": _n(x["period_cap"]),
            "used": _n(x["period_used_before"]),
        }
    if x.get("capped_by"):
        text += f" → {x['points']}"
    return text
