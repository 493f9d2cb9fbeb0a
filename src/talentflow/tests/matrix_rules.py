"""Role-matrix rows for the rules app's pages and API."""

from __future__ import annotations

from talentflow.tests.matrix_base import Row

RULES_ROWS: list[Row] = []
