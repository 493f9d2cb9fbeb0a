"""The matching tests start with this process's engine forgotten."""

from __future__ import annotations

import pytest

from talentflow.matching import index


@pytest.fixture(autouse=True)
def fresh_engine():
    """The database is rolled back between tests; the engine would notice the rewritten change
    log and rebuild (tested in test_index), but a fresh start keeps the tests independent."""
    index.default_index().reset()
    yield
    index.default_index().reset()
