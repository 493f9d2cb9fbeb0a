"""Role-matrix rows for the points app's pages and API."""

from __future__ import annotations

from talentflow.tests.matrix_base import Row

POINTS_ROWS: list[Row] = []
