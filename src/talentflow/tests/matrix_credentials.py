"""Role-matrix rows for the credentials app's pages and API."""

from __future__ import annotations

from talentflow.tests.matrix_base import Row

CREDENTIALS_ROWS: list[Row] = []
