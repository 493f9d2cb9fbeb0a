"""Role-matrix rows for the programmes app (training): pages and API."""

from __future__ import annotations

from talentflow.tests.matrix_base import Row

TRAINING_ROWS: list[Row] = []
