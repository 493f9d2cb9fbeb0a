"""Role-matrix rows for the programmes app (appointments): pages and API."""

from __future__ import annotations

from talentflow.tests.matrix_base import Row

APPOINTMENT_ROWS: list[Row] = []
