"""The demo catalogue: 120+ services across 嘉善, 青浦 and 吴江, each with a provider there."""

from __future__ import annotations

import io

import pytest
from django.db.models import Count

from talentflow.credentials.demo import services_create
from talentflow.credentials.models import Service
from talentflow.demo.context import DemoContext

pytestmark = pytest.mark.django_db


def test_services_create_builds_the_catalogue():
    ctx = DemoContext(out=io.StringIO(), scale=0.01)
    created = services_create(ctx)
    assert created >= 120 and Service.objects.count() == created
    per_region = dict(Service.objects.values_list("region_id").annotate(n=Count("id")))
    assert set(per_region) == {"330421", "310118", "320509"}
    assert min(per_region.values()) >= 40
    for service in Service.objects.select_related("provider"):
        assert service.provider.kind == "service_provider"
        assert service.provider.region_id == service.region_id
    assert Service.objects.filter(limit="once").exists()
    assert Service.objects.filter(limit="per_year", limit_count__gt=1).exists()
    # Running it again adds nothing.
    assert services_create(ctx) == 0
