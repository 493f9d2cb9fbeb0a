"""Role-matrix rows for the calls app's pages and API."""

from __future__ import annotations

from talentflow.tests.matrix_base import Row

CALLS_ROWS: list[Row] = []
