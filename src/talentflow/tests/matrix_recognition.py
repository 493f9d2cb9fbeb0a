"""Role-matrix rows for the recognition app's pages and API."""

from __future__ import annotations

from talentflow.tests.matrix_base import Row

RECOGNITION_ROWS: list[Row] = []
