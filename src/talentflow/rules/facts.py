"""The facts an applicant gives, by name: their kind, their label, and how they are read.

A version names its facts; this table says what the platform's own facts are, and a version
may declare more (or retype one) in its ``fact_kinds``: a name and a type — money, number,
yes/no, date or text — so that forms, the API and the engine agree. Facts are stored in JSON
with decimals as strings (read back as ``Decimal``) and dates as ISO text (which compares in
date order in an expression: ``start_date >= '2026-01-01'``). Derived facts are not asked: the
platform computes them from its records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

BOOL, MONEY, CHOICE = "bool", "money", "choice"
NUMBER, DATE, TEXT = "number", "date", "text"
CENT = Decimal("0.01")
TEXT_MAX = 200
# The types an officer gives a version's facts (a choice is the platform's own, with its list).
KINDS: dict[str, Any] = {
    MONEY: gettext_lazy("money (yuan)"),
    NUMBER: gettext_lazy("number"),
    BOOL: gettext_lazy("yes/no"),
    DATE: gettext_lazy("date"),
    TEXT: gettext_lazy("text"),
}


@dataclass(frozen=True)
class FactSpec:
    kind: str
    label: Any
    choices: tuple[tuple[str, Any], ...] = ()
    derived: bool = False  # computed by the platform, never asked


FACTS: dict[str, FactSpec] = {
    "designated_practice_base": FactSpec(
        BOOL, gettext_lazy("Designated a graduate practice base (研究生实践基地)")
    ),
    # 育才补贴 is paid once per enterprise: whether it already received it is read from the
    # platform's approved and paid applications, not asked.
    "subsidy_received": FactSpec(BOOL, gettext_lazy("Already received this subsidy"), derived=True),
    "appointed": FactSpec(
        BOOL, gettext_lazy("Appointed as technology vice president (科技副总) this year")
    ),
    "annual_salary": FactSpec(MONEY, gettext_lazy("Annual salary paid by the enterprise (yuan)")),
    "in_joint_training": FactSpec(
        BOOL, gettext_lazy("Party to a joint-training agreement (六方联动)")
    ),
    "joint_training_role": FactSpec(
        CHOICE,
        gettext_lazy("Role in the joint training"),
        choices=(
            ("academic_mentor", gettext_lazy("Academic mentor")),
            ("enterprise_mentor", gettext_lazy("Enterprise mentor")),
            ("student", gettext_lazy("Graduate student")),
        ),
    ),
}


def spec(name: str, kinds: Mapping[str, str] | None = None) -> FactSpec:
    """What ``name`` is: the version's declared type (``kinds``) if it has one, else the
    platform's table, else money."""
    known = FACTS.get(name)
    kind = (kinds or {}).get(name)
    if kind is None or (known is not None and known.kind == kind):
        return known or FactSpec(MONEY, name)
    return FactSpec(kind, known.label if known is not None else name)


def asked(names, kinds: Mapping[str, str] | None = None) -> list[str]:
    return [n for n in names if not spec(n, kinds).derived]


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"true", "1", "yes", "on", "是"}:
        return True
    if text in {"false", "0", "no", "off", "", "否"}:
        return False
    return None


def _number(value: Any, *, money: bool) -> tuple[str | None, str]:
    """(stored text, error): an exact decimal of at least 0; money has at most two decimals."""
    empty = _("Enter an amount in yuan.") if money else _("Enter a number.")
    if value is None or value == "":
        return None, empty
    if isinstance(value, float):
        return None, _('Amounts are exact: send them as text, e.g. "480000.00".')
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        return None, empty
    if not number.is_finite() or number < 0:
        return None, _("Enter a number of at least 0.")
    if money:
        if number != number.quantize(CENT):
            return None, _("Enter an amount of at least 0 with at most two decimals.")
        return str(number.quantize(CENT)), ""
    return format(number.normalize(), "f"), ""


def clean(names, raw: Mapping[str, Any], kinds: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The asked facts of ``names`` from ``raw`` (a form's or the API's values), as stored in
    JSON: booleans, choice codes, and money as a string with two decimals. Raises a
    ValidationError naming each bad fact."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in asked(names, kinds):
        s = spec(name, kinds)
        value = raw.get(name)
        if s.kind == BOOL:
            parsed = _bool(value if value is not None else False)
            if parsed is None:
                errors[name] = _("Answer yes or no.")
            else:
                out[name] = parsed
        elif s.kind == CHOICE:
            codes = [code for code, _label in s.choices]
            if value not in codes:
                errors[name] = _("Choose one of the listed options.")
            else:
                out[name] = value
        elif s.kind == DATE:
            if isinstance(value, dt.date):
                out[name] = value.isoformat()
                continue
            try:
                out[name] = dt.date.fromisoformat(str(value or "").strip()).isoformat()
            except ValueError:
                errors[name] = _("Enter a date as YYYY-MM-DD.")
        elif s.kind == TEXT:
            text = str(value if value is not None else "").strip()
            if not text:
                errors[name] = _("This fact is required.")
            elif len(text) > TEXT_MAX:
                errors[name] = _("At most %(n)d characters.") % {"n": TEXT_MAX}
            else:
                out[name] = text
        else:
            stored, error = _number(value, money=s.kind != NUMBER)
            if error:
                errors[name] = error
            else:
                out[name] = stored
    if errors:
        raise ValidationError(errors)
    return out


def for_engine(stored: Mapping[str, Any], kinds: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Stored facts as the engine reads them: money and numbers as exact ``Decimal``."""
    out: dict[str, Any] = {}
    for name, value in stored.items():
        if spec(name, kinds).kind in (MONEY, NUMBER) and isinstance(value, str):
            out[name] = Decimal(value)
        else:
            out[name] = value
    return out


def sample(name: str, kinds: Mapping[str, str] | None = None) -> Any:
    """A plausible value of ``name``, to try a version's expressions before it is saved."""
    s = spec(name, kinds)
    return {
        BOOL: True,
        CHOICE: s.choices[0][0] if s.choices else "",
        DATE: "2026-01-01",
        TEXT: "sample",
    }.get(s.kind, Decimal("100000.00"))
