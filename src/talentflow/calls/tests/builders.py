"""Records the calls tests build on: the demonstration zone's three talent offices (嘉善
330421, 青浦 310118, 吴江 320509), an enterprise and two talents (with logins) in each, one
expert per region employed elsewhere, and calls in any state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from talentflow.calls import services
from talentflow.calls.models import Call
from talentflow.reference.models import Alliance, Region
from talentflow.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    TalentFactory,
    UserFactory,
)

SYSTEM = {"actor": None, "system_label": "test"}
JIASHAN, QINGPU, WUJIANG = "330421", "310118", "320509"
REGIONS = (JIASHAN, QINGPU, WUJIANG)
CRITERIA = [
    {"name": "学术技术水平", "weight": 40, "max_score": Decimal("10")},
    {"name": "创新成果", "weight": 30, "max_score": Decimal("10")},
    {"name": "产业贡献", "weight": 30, "max_score": Decimal("20")},
]


def today() -> dt.date:
    return timezone.localdate()


@dataclass
class Zone:
    alliance: Alliance
    officers: dict[str, object]
    enterprises: dict[str, object]
    talents: dict[str, list]  # two per region, each with a user
    experts: dict[str, object]  # one per region, employed by its own institute
    extra: dict = field(default_factory=dict)


def build_zone() -> Zone:
    alliance = Alliance.objects.get(code="yrd-demo-zone")
    officers, enterprises, talents, experts = {}, {}, {}, {}
    for code in REGIONS:
        region = Region.objects.get(code=code)
        user = UserFactory(username=f"calls_officer_{code}", display_name=f"{region.name}人才办")
        MembershipFactory(user=user, role="officer", region=region)
        officers[code] = user
        enterprises[code] = OrganisationFactory(
            name=f"{region.name}测试科技有限公司", region=region
        )
        institute = OrganisationFactory(
            name=f"{region.name}测试研究院", region=region, kind="research_institute"
        )
        talents[code] = []
        for i in range(2):
            login = UserFactory(username=f"calls_talent_{code}_{i}")
            talent = TalentFactory(name=f"{region.name}申报人{i}", home_region=region, user=login)
            AffiliationFactory(talent=talent, organisation=enterprises[code])
            talents[code].append(talent)
        expert_login = UserFactory(username=f"calls_expert_{code}")
        experts[code] = TalentFactory(
            name=f"{region.name}评审专家", home_region=region, user=expert_login
        )
        AffiliationFactory(talent=experts[code], organisation=institute)
    return Zone(alliance, officers, enterprises, talents, experts)


def draft_call(zone: Zone, *, region: str = QINGPU, kind: str = "talent", quota: int = 2) -> Call:
    return services.call_create(
        actor=zone.officers[region],
        alliance=zone.alliance,
        programme="东方英才计划",
        title="测试申报通知",
        kind=kind,
        period_start=today() - dt.timedelta(days=5),
        period_end=today() + dt.timedelta(days=25),
        quota=quota,
        criteria=CRITERIA,
    )


def open_call(zone: Zone, **kwargs) -> Call:
    call = draft_call(zone, **kwargs)
    services.panel_set(**SYSTEM, call=call, talents=list(zone.experts.values()))
    return services.call_transition(**SYSTEM, call=call, action="open")


def apply_all(zone: Zone, call: Call) -> list:
    return [
        services.application_create(
            actor=t.user, call=call, talent=t, statement=f"{t.name}的申报材料"
        )
        for code in REGIONS
        for t in zone.talents[code]
    ]


def score_all(call: Call, sheets: dict | None = None) -> None:
    """Every panel member scores every application they may (by default 8/8/16 of 10/10/20)."""
    call.refresh_from_db()
    criteria = list(call.criteria.all())
    for reviewer, application in services.expected_pairs(call):
        values = (sheets or {}).get(application.pk, [Decimal(8), Decimal(8), Decimal(16)])
        services.scores_record(
            **SYSTEM,
            application=application,
            reviewer=reviewer,
            scores={c.pk: v for c, v in zip(criteria, values, strict=True)},
        )
