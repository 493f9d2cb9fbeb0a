"""One demo load per test module, rolled back at the end of the module.

Loading the demo (the named records in full, generated ones at a small scale) takes a few
seconds; the read-only tests of a module share one load. The module fixture holds an open
transaction around it; each test's own ``db`` transaction nests inside as a savepoint, so tests
stay isolated from each other, and the rollback at the end leaves the test database as the
other apps' tests expect it.
"""

from __future__ import annotations

import pytest
from django.db import transaction

from talentflow.demo.loader import demo_load

# Generated records at 3 % of the full demo: enough to exercise every generator branch, while
# the records the article names are loaded in full.
SMALL = 0.03


@pytest.fixture(scope="module")
def _demo_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield demo_load(scale=SMALL)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_module, db):
    """The demo, loaded once for the module; the test runs in its own nested transaction."""
    return _demo_module
