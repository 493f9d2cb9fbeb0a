"""Check-character validators for Chinese identifiers.

Pure functions first (``uscc_check_char``, ``id_number_check_char``), usable without Django;
the ``validate_*`` wrappers raise ``ValidationError`` with translated messages for forms,
models and import rows.
"""

from __future__ import annotations

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015 统一社会信用代码: 18 characters from a 31-symbol alphabet (digits and capital
# letters without I, O, Z, S, V), check character = 31 - (Σ value·weight mod 31), 31 → 0.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_VALUE = {ch: i for i, ch in enumerate(USCC_ALPHABET)}
_USCC_SHAPE = re.compile(rf"^[{USCC_ALPHABET}]{{18}}$")

# GB 11643-1999 公民身份号码: 17 digits + check, weights 2^(17-i) mod 11, check from the
# table 1 0 X 9 8 7 6 5 4 3 2 indexed by Σ mod 11.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_TABLE = "10X98765432"
_ID_SHAPE = re.compile(r"^\d{17}[\dX]$")


def normalise_code(value: str) -> str:
    """Strip spaces and fold to upper case, as people type codes into spreadsheets."""
    return re.sub(r"\s+", "", str(value)).upper()


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_VALUE[ch] * w for ch, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def uscc_is_valid(value: str) -> bool:
    return bool(_USCC_SHAPE.match(value)) and uscc_check_char(value[:17]) == value[17]


def id_number_check_char(first17: str) -> str:
    total = sum(int(ch) * w for ch, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_TABLE[total % 11]


def id_number_birth_date(value: str) -> dt.date | None:
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def id_number_is_valid(value: str) -> bool:
    return (
        bool(_ID_SHAPE.match(value))
        and id_number_birth_date(value) is not None
        and id_number_check_char(value[:17]) == value[17]
    )


def id_number_mask(value: str) -> str:
    """Keep the first four and last four characters: enough to tell records apart."""
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


def validate_uscc(value: str) -> None:
    code = normalise_code(value)
    if len(code) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(n)d."),
            code="uscc_length",
            params={"n": len(code)},
        )
    if not _USCC_SHAPE.match(code):
        raise ValidationError(
            _(
                "A unified social credit code uses digits and capital letters except "
                "I, O, Z, S and V."
            ),
            code="uscc_alphabet",
        )
    if uscc_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The check character of this unified social credit code is wrong (GB 32100-2015)."),
            code="uscc_check",
        )


def validate_id_number(value: str) -> None:
    code = normalise_code(value)
    if not _ID_SHAPE.match(code):
        raise ValidationError(
            _("An identity number has 17 digits followed by a digit or X."),
            code="id_shape",
        )
    birth = id_number_birth_date(code)
    if birth is None or birth > dt.date.today() or birth.year < 1900:
        raise ValidationError(
            _("The birth date inside this identity number is not a real date."),
            code="id_birth_date",
        )
    if id_number_check_char(code[:17]) != code[17]:
        raise ValidationError(
            _("The check digit of this identity number is wrong (GB 11643-1999)."),
            code="id_check",
        )


def uscc_complete(first17: str) -> str:
    """Append the check character (used to generate demo and test codes)."""
    return first17 + uscc_check_char(first17)


def id_number_complete(first17: str) -> str:
    return first17 + id_number_check_char(first17)
