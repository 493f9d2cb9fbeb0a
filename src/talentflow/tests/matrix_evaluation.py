"""Role-matrix rows for the evaluation app's pages and API."""

from __future__ import annotations

from talentflow.tests.matrix_base import Row

EVALUATION_ROWS: list[Row] = []
