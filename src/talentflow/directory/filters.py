"""Turn query parameters into the selectors' filter objects.

The list pages, the export links (which carry the list's query string) and the API read the
same parameter names, so one filtered view of the directory is the same everywhere.
"""

from __future__ import annotations

from collections.abc import Mapping

from talentflow.directory.models import Availability, Education, OrganisationKind, Pool
from talentflow.directory.selectors import OrganisationFilters, TalentFilters
from talentflow.reference.models import TitleLevel

TALENT_PARAMS = (
    "q",
    "region",
    "industry",
    "discipline",
    "title_series",
    "title_level",
    "pool",
    "education",
    "availability",
    "organisation",
)
ORGANISATION_PARAMS = ("q", "kind", "region", "industry")


def _text(params: Mapping[str, str], name: str, max_length: int = 100) -> str:
    return (params.get(name) or "").strip()[:max_length]


def _int(params: Mapping[str, str], name: str) -> int | None:
    value = _text(params, name)
    return int(value) if value.isdigit() else None


def _choice(params: Mapping[str, str], name: str, choices) -> str:
    value = _text(params, name)
    return value if value in choices.values else ""


def _code(params: Mapping[str, str], name: str) -> str:
    value = _text(params, name, 16)
    return value.upper() if value.isalnum() and value.isascii() else ""


def _pool(params: Mapping[str, str]) -> int | None:
    """A pool is given by id or by its code (the CLI and spreadsheets use codes)."""
    value = _text(params, "pool", 48)
    if not value:
        return None
    if value.isdigit():
        return int(value)
    return Pool.objects.filter(code=value).values_list("pk", flat=True).first() or -1


def talent_filters_from(params: Mapping[str, str]) -> TalentFilters:
    return TalentFilters(
        q=_text(params, "q"),
        region=_code(params, "region"),
        industry=_code(params, "industry"),
        discipline=_code(params, "discipline"),
        title_series=_int(params, "title_series"),
        title_level=_choice(params, "title_level", TitleLevel),
        pool=_pool(params),
        education=_choice(params, "education", Education),
        availability=_choice(params, "availability", Availability),
        organisation=_int(params, "organisation"),
    )


def organisation_filters_from(params: Mapping[str, str]) -> OrganisationFilters:
    return OrganisationFilters(
        q=_text(params, "q"),
        kind=_choice(params, "kind", OrganisationKind),
        region=_code(params, "region"),
        industry=_code(params, "industry"),
    )
