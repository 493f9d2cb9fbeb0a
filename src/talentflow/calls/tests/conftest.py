"""Shared fixtures of the calls tests."""

from __future__ import annotations

import pytest
from django.utils import translation

from talentflow.calls.tests.builders import Zone, build_zone


@pytest.fixture(autouse=True)
def english(client):
    """Pages, API answers and service messages are asserted by their English msgids."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def zone(db) -> Zone:
    return build_zone()
