"""The role matrix's vocabulary: roles, rows, and status tables (see test_role_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from talentflow.tests.cast import CAST_ROLES, Cast

ANON = "anonymous"
ROLES = [ANON, *CAST_ROLES]
LOGGED_IN = [r for r in ROLES if r != ANON]
OFFICERS = ["officer_jiashan", "officer_qingpu", "officer_qingtian", "officer_lishui"]
ADMIN_AND_OFFICERS = ["admin", *OFFICERS]


def statuses(default: int, **overrides: int) -> dict[str, int]:
    table = dict.fromkeys(LOGGED_IN, default)
    table[ANON] = 302
    table.update(overrides)
    return table


def by_set(members: set[str], yes: int, no: int, anon: int = 302) -> dict[str, int]:
    table = {role: (yes if role in members else no) for role in LOGGED_IN}
    table[ANON] = anon
    return table


@dataclass
class Row:
    name: str  # URL name
    method: str
    url: Callable[[Cast], str]
    expect: dict[str, int]
    body: Callable[[Cast], dict] | None = None
    api: bool = False
    multipart: bool = False  # an API upload: the body is sent as a form, not as JSON
    # For 200 answers: does the response mention the marker? Decided by role membership.
    marker: str | None = None
    marker_roles: set[str] = field(default_factory=set)

    @property
    def id(self) -> str:
        return f"{self.method} {self.name}"


def api_statuses(default: int, **overrides: int) -> dict[str, int]:
    table = dict.fromkeys(LOGGED_IN, default)
    table[ANON] = 401
    table.update(overrides)
    return table


def api_by_set(members: set[str], yes: int, no: int) -> dict[str, int]:
    table = {role: (yes if role in members else no) for role in LOGGED_IN}
    table[ANON] = 401
    return table
