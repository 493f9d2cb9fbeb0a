"""Shared fixtures of the talent code tests."""

from __future__ import annotations

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(client):
    """Pages, API answers and service messages are asserted by their English msgids, whatever
    catalogue is compiled (the UI's default language is zh-hans)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
