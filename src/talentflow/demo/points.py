"""Demo records: 青田's points rules for shared talent (实用型产业人才积分评价办法), the events
the demo's verified needs produce, a few events the talent office records, and the ledger.

The article says 青田 quantifies the technical breakthroughs and achievement transfer of shared
talent as points, and is exploring adding skilled cadres' service to industry. The numbers of
the table are not in the article: they are set for the demo (labelled so in the scheme's
description). Version 1 applies from 2024; version 2, from 2026, raises the points of a
granted invention patent and of an appointment year and takes in officers' days of service to
industry, so the statement of a talent shows 2026's entries reversed and entered again.

Everything else is computed: the events come from the confirmed outcomes and verified
engagements the needs step created (白景元's three solved problems at 浙江侠峰精密压铸, 张光's
institute at 浙江瑞兴阀门, …) through the same ``events_sync`` an officer runs.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from talentflow.demo.context import SYSTEM_LABEL, DemoContext
from talentflow.points import services
from talentflow.points.models import LedgerEntry, PointsEvent, SchemeVersion

SYSTEM = {"actor": None, "system_label": SYSTEM_LABEL}
D = Decimal

# kind: (base points, points per unit, unit size, yearly cap per talent)
TABLE_V1: dict[str, tuple[str, str, str, str | None]] = {
    "output_value": ("0", "1", "10000", "200"),
    "revenue": ("0", "0.5", "10000", "100"),
    "cost_reduction": ("0", "1", "10000", "100"),
    "unit_cost_reduction": ("5", "1", "100", "30"),
    "energy_reduction": ("0", "2", "1", "40"),
    "lifetime_change": ("0", "1", "1", "40"),
    "pass_rate_change": ("0", "2", "1", "40"),
    "invention_patent_filed": ("0", "10", "1", "40"),
    "invention_patent_granted": ("0", "30", "1", "120"),
    "utility_patent_filed": ("0", "3", "1", "15"),
    "utility_patent_granted": ("0", "10", "1", "40"),
    "standard": ("0", "20", "1", "60"),
    "new_product": ("0", "10", "1", "40"),
    "students_retained": ("0", "10", "1", "40"),
    "engagement_completed": ("10", "0", "1", "60"),
    "appointment_served": ("0", "20", "1", "40"),
    "students_mentored": ("0", "5", "1", "30"),
}
TABLE_V2 = {
    **TABLE_V1,
    "invention_patent_granted": ("0", "40", "1", "160"),
    "appointment_served": ("0", "25", "1", "50"),
    # "青田正探索将技能型干部服务产业贡献纳入积分体系": cadres' service to industry enters.
    "industry_service": ("0", "1", "1", "30"),
}


def _rates(table: dict[str, tuple[str, str, str, str | None]]) -> list[dict]:
    return [
        {
            "kind": kind,
            "base_points": D(base),
            "points_per_unit": D(rate),
            "unit_size": D(size),
            "cap": D(cap) if cap is not None else None,
        }
        for kind, (base, rate, size, cap) in table.items()
    ]


def _on_or_before(day: dt.date, today: dt.date) -> dt.date:
    return min(day, today)


def points_create(ctx: DemoContext) -> int:
    before = PointsEvent.objects.count() + LedgerEntry.objects.count()
    today = timezone.localdate()
    qingtian = ctx.region("331121")
    scheme = services.scheme_create(
        **SYSTEM,
        region=qingtian,
        name="青田县实用型产业人才积分评价办法",
        description="“共享人才”的技术攻关、成果转化等贡献量化为积分（文章：该办法已入选全国、全省"
        "人才工作创新最佳案例）。积分表中的分值与上限为演示设定，文章未载。",
    )
    v1 = services.version_create(**SYSTEM, scheme=scheme, effective_from=dt.date(2024, 1, 1))
    services.version_update(
        **SYSTEM,
        version=v1,
        effective_from=dt.date(2024, 1, 1),
        period_cap=D("500"),
        note="首版：成果、专利、合作项目、聘任、带教研究生计分。",
        rates=_rates(TABLE_V1),
    )
    services.version_publish(**SYSTEM, version=v1)

    # Events from the needs the previous step verified and valued, in 丽水's 1+9 regions.
    services.events_sync(**SYSTEM, region_prefixes=["3311"])

    # What only the talent office knows, recorded with evidence.
    t = ctx.talents
    recorded = [
        (
            t["baijingyuan"],
            "appointment_served",
            dt.date(2026, 7, 1),
            D("1"),
            "浙江侠峰精密压铸有限公司“科技副总”（2025年7月起）服务满一年。",
            "侠峰聘任书；服务期满考核表（演示数据）",
        ),
        (
            t["zhangguang"],
            "students_mentored",
            dt.date(2025, 12, 20),
            D("3"),
            "带教研究生参与瑞兴阀门低温液氧阀攻关（演示数据）。",
            "研究院研究生培养记录（演示数据）",
        ),
    ]
    team = ctx.pools.get("qingtian_team")
    if team is not None:
        # Members of 青田's skills service team stand in for the cadres whose service days the
        # county plans to count; who they are is demo data.
        members = list(
            team.talents.filter(home_region__code="331121")
            .exclude(pk__in=[p.pk for p in t.values()])
            .order_by("pk")[:2]
        )
        for i, member in enumerate(members):
            recorded.append(
                (
                    member,
                    "industry_service",
                    dt.date(2026, 3 + i, 15),
                    D(12 + 6 * i),
                    "技能服务团驻企服务（摸排需求、政策匹配、关系协调）（演示数据）。",
                    "青田县技能服务团服务台账（演示数据）",
                )
            )
    for talent, kind, day, quantity, description, evidence in recorded:
        services.event_record(
            **SYSTEM,
            talent=talent,
            kind=kind,
            region=qingtian,
            occurred_on=_on_or_before(day, today),
            quantity=quantity,
            description=description,
            evidence=evidence,
        )

    # Version 2 from 2026: publishing it recomputes 2026's entries forward.
    v2 = services.version_create(**SYSTEM, scheme=scheme, effective_from=dt.date(2026, 1, 1))
    services.version_update(
        **SYSTEM,
        version=v2,
        effective_from=dt.date(2026, 1, 1),
        period_cap=D("500"),
        note="发明专利授权与聘任年度分值提高；技能型干部服务产业天数纳入积分。",
        rates=_rates(TABLE_V2),
    )
    services.version_publish(**SYSTEM, version=v2)

    # A correction: the same mentoring recorded twice by mistake, then voided with a reason —
    # a reversal entry in the ledger, the original entry left as it was.
    duplicate = services.event_record(
        **SYSTEM,
        talent=t["zhangguang"],
        kind="students_mentored",
        region=qingtian,
        occurred_on=_on_or_before(dt.date(2026, 3, 10), today),
        quantity=D("3"),
        description="带教研究生参与瑞兴阀门低温液氧阀攻关（演示数据）。",
        evidence="研究院研究生培养记录（演示数据）",
    )
    services.event_void(
        **SYSTEM,
        event=duplicate,
        reason="与2025年12月的带教记录重复，误登记（演示数据）。",
    )
    after = PointsEvent.objects.count() + LedgerEntry.objects.count()
    return after - before + SchemeVersion.objects.filter(scheme=scheme).count() + 1
