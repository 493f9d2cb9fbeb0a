"""A points scheme for 嘉善 (where the cast's need of 福莱 is solved) and helpers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from talentflow.needs.tests.builders import SYSTEM, need_in_state
from talentflow.points import services
from talentflow.reference.models import Region

D = Decimal
TABLE = [
    {"kind": "revenue", "points_per_unit": D("1"), "unit_size": D("10000"), "cap": D("300")},
    {"kind": "engagement_completed", "base_points": D("10")},
    {"kind": "students_mentored", "points_per_unit": D("5"), "cap": D("12")},
    {"kind": "industry_service", "points_per_unit": D("1")},
]


def publish(scheme, *, start: dt.date, table=TABLE, period_cap=None, note=""):
    version = services.version_create(**SYSTEM, scheme=scheme, effective_from=start)
    services.version_update(
        **SYSTEM,
        version=version,
        effective_from=start,
        period_cap=period_cap,
        note=note,
        rates=table,
    )
    services.version_publish(**SYSTEM, version=version)
    version.refresh_from_db()
    return version


@pytest.fixture
def jiashan_scheme(cast):
    scheme = services.scheme_create(
        **SYSTEM, region=Region.objects.get(code="330421"), name="嘉善县人才积分办法（测试）"
    )
    publish(scheme, start=dt.date(2024, 1, 1))
    return scheme


@pytest.fixture
def closed_need(cast):
    """福莱's need, solved by 谭刚 (lead) and 研究生甲: verified, revenue > 5,000,000 confirmed."""
    return need_in_state(cast, "closed")


@pytest.fixture(autouse=True)
def english(client):
    """Pages, API answers and service messages are asserted by their English msgids, whatever
    catalogue is compiled (the UI's default language is zh-hans)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield
