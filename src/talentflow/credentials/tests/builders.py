"""Records the talent-code tests share: a 嘉善 result for 谭刚, services of the 青浦 provider."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from talentflow.reference.models import Region

SERVICE_NAME = "青浦人才公寓首次入住优惠"


def jiashan_result(officer, talent, *, tier: str = "C", valid_from: dt.date | None = None):
    """谭刚 serves 福莱 in 嘉善, so 嘉善's office may record a result for him."""
    from talentflow.evaluation import services

    return services.result_record(
        actor=officer,
        talent=talent,
        category="other",
        tier=tier,
        region=Region.objects.get(code="330421"),
        valid_from=valid_from or timezone.localdate() - dt.timedelta(days=10),
        evidence="薄膜涂布技术攻关。",
    )


def qingpu_service(
    officer,
    provider,
    *,
    code: str = "qp-apartment-first",
    name: str = SERVICE_NAME,
    group: str = "apartment",
    tiers: str = "ABCD",
    limit: str = "once",
    limit_count: int = 1,
):
    from talentflow.credentials import services

    return services.service_create(
        actor=officer,
        code=code,
        name=name,
        provider=provider,
        region=Region.objects.get(code="310118"),
        group=group,
        eligible_tiers=tiers,
        limit=limit,
        limit_count=limit_count,
    )
