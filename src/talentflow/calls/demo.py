"""Demo records: cross-region programme applications in the demonstration zone (跨区域申报).

The article reports 13 嘉善 talents selected for Shanghai's 东方英才, 2 嘉善 projects for Jiangsu's
双创计划 and 3 青浦/吴江 talents in Zhejiang programmes, by joint review with unified criteria
(DOMAIN.md M4). Here 青浦's, 吴江's and 嘉善's talent offices open the three calls; generated
talents of 嘉善, 青浦 and 吴江 apply (topped up with generated, labelled ones when the scale left
too few); a joint panel of two experts per member region (plus the calling office's officer,
when the demo users exist) scores every application it may; the offices close, rank and
publish. The figures on the result pages are counted from these records. Programme titles,
criteria, quotas, dates and scores are the demo's assumptions: the article gives none.

``calls_create(ctx)`` is a demo step: it writes only through the services, as the system task.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from talentflow.calls import permissions, services
from talentflow.calls.models import Call
from talentflow.core.models import DataSource
from talentflow.demo import bulk
from talentflow.demo.context import SYSTEM_LABEL, DemoContext
from talentflow.demo.generated import ORG_NOTE, TALENT_NOTE, person_name
from talentflow.directory.models import (
    Affiliation,
    AffiliationKind,
    Education,
    Gender,
    Organisation,
    OrganisationKind,
    TalentProfile,
)

JIASHAN, QINGPU, WUJIANG = "330421", "310118", "320509"
ZONE = "yrd-demo-zone"
SHANGHAI = ZoneInfo("Asia/Shanghai")
SYSTEM = {"actor": None, "system_label": SYSTEM_LABEL}
DEMO_NOTE = "（演示数据）"
REVIEWERS_PER_REGION = 2
PROJECTS = (
    "高性能复合材料智能化成型产线",
    "工业视觉检测与柔性装配系统",
    "新能源汽车轻量化部件研发及产业化",
    "精密光学薄膜涂布工艺升级",
    "智能仓储物流机器人集群调度",
    "水乡生态环境监测传感网络",
)


@dataclass(frozen=True)
class Plan:
    key: str
    region: str  # the calling office
    programme: str
    title: str
    kind: str
    quota: int
    period: tuple[dt.date, dt.date]
    review: dt.date
    close: dt.date
    publish: dt.date
    strong: dict[str, int]  # applicants who will be selected, per home region
    weak: dict[str, int]  # applicants who will not
    criteria: tuple[tuple[str, int, str], ...]
    description: str


PLANS = (
    Plan(
        key="dongfang",
        region=QINGPU,
        programme="上海市“东方英才”计划",
        title="2025年度“东方英才”计划示范区跨区域联合申报（青浦区受理）",
        kind="talent",
        quota=13,
        period=(dt.date(2025, 3, 3), dt.date(2025, 4, 15)),
        review=dt.date(2025, 4, 21),
        close=dt.date(2025, 5, 23),
        publish=dt.date(2025, 5, 30),
        strong={JIASHAN: 13},
        weak={JIASHAN: 2, QINGPU: 3, WUJIANG: 2},
        criteria=(
            ("学术技术水平与专业能力", 35, "10"),
            ("创新成果与知识产权", 25, "10"),
            ("产业贡献与经济社会效益", 25, "10"),
            ("发展潜力与示范区服务计划", 15, "5"),
        ),
        description="示范区三地人才均可申报，嘉善、青浦、吴江三地专家组成联合评审组，统一评审标准。",
    ),
    Plan(
        key="shuangchuang",
        region=WUJIANG,
        programme="江苏省“双创计划”",
        title="2025年度江苏省“双创计划”示范区项目联合申报（吴江区受理）",
        kind="project",
        quota=2,
        period=(dt.date(2025, 4, 1), dt.date(2025, 5, 16)),
        review=dt.date(2025, 5, 22),
        close=dt.date(2025, 6, 20),
        publish=dt.date(2025, 6, 27),
        strong={JIASHAN: 2},
        weak={JIASHAN: 1, QINGPU: 1, WUJIANG: 1},
        criteria=(
            ("项目技术先进性", 40, "10"),
            ("团队与负责人能力", 30, "10"),
            ("市场前景与产业化基础", 30, "10"),
        ),
        description="以企业项目申报，申报人代表所在企业；示范区三地专家联合评审。",
    ),
    Plan(
        key="zhejiang",
        region=JIASHAN,
        programme="浙江省高层次人才特殊支持计划",
        title="2025年度浙江省人才计划示范区专项联合申报（嘉善县受理）",
        kind="talent",
        quota=3,
        period=(dt.date(2025, 5, 6), dt.date(2025, 6, 20)),
        review=dt.date(2025, 6, 25),
        close=dt.date(2025, 7, 25),
        publish=dt.date(2025, 8, 1),
        strong={QINGPU: 2, WUJIANG: 1},
        weak={JIASHAN: 2, QINGPU: 1, WUJIANG: 1},
        criteria=(
            ("专业水平与业绩", 40, "10"),
            ("创新能力", 30, "10"),
            ("服务示范区一体化发展", 30, "10"),
        ),
        description="示范区青浦、吴江人才可在嘉善申报浙江省人才计划，三地联合评审。",
    ),
)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


class _People:
    """Generated talents employed by enterprises of a region since before 2025, handed out
    once each; topped up with generated, labelled ones when the scale left too few."""

    def __init__(self, ctx: DemoContext, rng: random.Random) -> None:
        self.ctx, self.rng = ctx, rng
        self.taken: set[int] = set()
        self.pool: dict[str, list[Affiliation]] = {}
        self.created = 0

    def _load(self, code: str) -> list[Affiliation]:
        if code not in self.pool:
            qs = (
                Affiliation.objects.filter(
                    kind=AffiliationKind.EMPLOYED,
                    end_date__isnull=True,
                    start_date__lte=dt.date(2025, 1, 1),
                    organisation__kind=OrganisationKind.ENTERPRISE,
                    organisation__region_id=code,
                    talent__home_region_id=code,
                    talent__data_source=DataSource.GENERATED,
                )
                .select_related("talent", "organisation")
                .order_by("id")
            )
            found = list(qs[:400])
            self.rng.shuffle(found)
            self.pool[code] = found
        return self.pool[code]

    def take(self, code: str, n: int, *, avoid_orgs: set[int] = frozenset()) -> list[Affiliation]:
        chosen = []
        for affiliation in self._load(code):
            if len(chosen) == n:
                break
            if affiliation.talent_id in self.taken or affiliation.organisation_id in avoid_orgs:
                continue
            self.taken.add(affiliation.talent_id)
            chosen.append(affiliation)
        if len(chosen) < n:
            chosen += self._hire(code, n - len(chosen))
        return chosen

    def _hire(self, code: str, n: int) -> list[Affiliation]:
        region = self.ctx.region(code)
        names = set(Organisation.objects.values_list("name", flat=True))
        orgs = []
        for i in range((n + 2) // 3):
            name = f"{region.name}示范区协同创新科技有限公司{len(names) % 1000:03d}{i}"
            while name in names:
                name += "一"
            names.add(name)
            orgs.append(
                Organisation(
                    name=name,
                    kind=OrganisationKind.ENTERPRISE,
                    region=region,
                    uscc=self.ctx.usccs.allocate(code, name),
                    description=ORG_NOTE,
                    data_source=DataSource.GENERATED,
                )
            )
        bulk.organisations_bulk_create(orgs, system_label=SYSTEM_LABEL)
        talents = []
        for _ in range(n):
            gender = Gender.MALE if self.rng.random() < 0.65 else Gender.FEMALE
            talents.append(
                TalentProfile(
                    name=person_name(self.rng, gender),
                    gender=gender,
                    birth_year=self.rng.randint(1972, 1992),
                    home_region=region,
                    education=self.rng.choice([Education.BACHELOR, Education.MASTER]),
                    expertise="智能制造；新材料",
                    biography=TALENT_NOTE,
                    data_source=DataSource.GENERATED,
                )
            )
        bulk.talents_bulk_create(talents, m2m={}, system_label=SYSTEM_LABEL)
        affiliations = bulk.affiliations_bulk_create(
            [
                Affiliation(
                    talent=t,
                    organisation=orgs[i % len(orgs)],
                    kind=AffiliationKind.EMPLOYED,
                    start_date=dt.date(2020, 7, 1),
                    position="研发负责人",
                )
                for i, t in enumerate(talents)
            ],
            system_label=SYSTEM_LABEL,
        )
        self.created += len(orgs) + 2 * len(talents)
        self.taken.update(t.pk for t in talents)
        return affiliations


def _score(rng: random.Random, strength: float, maximum: Decimal) -> Decimal:
    value = Decimal(str(max(0.0, min(1.0, strength + rng.uniform(-0.03, 0.03))))) * maximum
    return min(maximum, value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _officer_reviewers(ctx: DemoContext, call: Call) -> list:
    """The demo officers of the member regions (when the demo users exist)."""
    members = permissions.member_codes(call.alliance_id)
    found = []
    for username in ("officer_jiashan", "officer_qingpu", "officer_wujiang"):
        user = ctx.users.get(username)
        if user is not None and any(permissions.governs(user, m) for m in members):
            found.append(user)
    return found


def _run(ctx: DemoContext, rng: random.Random, people: _People, plan: Plan) -> tuple[Call, int]:
    alliance = ctx.alliance(ZONE)
    call = services.call_create(
        **SYSTEM,
        alliance=alliance,
        region=ctx.region(plan.region),
        programme=plan.programme,
        title=plan.title,
        kind=plan.kind,
        description=plan.description + DEMO_NOTE,
        period_start=plan.period[0],
        period_end=plan.period[1],
        quota=plan.quota,
        criteria=[{"name": n, "weight": w, "max_score": Decimal(m)} for n, w, m in plan.criteria],
    )
    created = 1
    # Applicants: the strong ones first in the draw, their strengths apart from the others'.
    entrants: list[tuple[Affiliation, float]] = []
    for table, low, high in ((plan.strong, 0.83, 0.95), (plan.weak, 0.55, 0.72)):
        for code, n in table.items():
            entrants += [(a, rng.uniform(low, high)) for a in people.take(code, n)]
    rng.shuffle(entrants)
    applicant_orgs = {a.organisation_id for a, _s in entrants}
    experts = [
        a.talent
        for code in (JIASHAN, QINGPU, WUJIANG)
        for a in people.take(code, REVIEWERS_PER_REGION, avoid_orgs=applicant_orgs)
    ]
    services.panel_set(**SYSTEM, call=call, users=_officer_reviewers(ctx, call), talents=experts)
    services.call_transition(
        **SYSTEM, call=call, action="open", at=_at(plan.period[0] - dt.timedelta(days=3))
    )
    span = (plan.period[1] - plan.period[0]).days
    strengths = {}
    for n, (affiliation, strength) in enumerate(entrants):
        day = plan.period[0] + dt.timedelta(days=rng.randint(0, span))
        project = ""
        if plan.kind == "project":
            project = PROJECTS[n % len(PROJECTS)]
        application = services.application_create(
            **SYSTEM,
            call=call,
            talent=affiliation.talent,
            organisation=affiliation.organisation if plan.kind == "project" else None,
            project_title=project,
            statement=f"{affiliation.talent.name}，{affiliation.organisation.name}"
            f"{affiliation.position or '技术骨干'}，申报{plan.programme}。" + DEMO_NOTE,
            at=_at(day, rng.randint(9, 17)),
        )
        strengths[application.pk] = strength
        created += 1
    services.call_transition(**SYSTEM, call=call, action="start_review", at=_at(plan.review))
    criteria = list(call.criteria.all())
    review_span = (plan.close - plan.review).days - 1
    for reviewer, application in services.expected_pairs(call):
        services.scores_record(
            **SYSTEM,
            application=application,
            reviewer=reviewer,
            scores={c.pk: _score(rng, strengths[application.pk], c.max_score) for c in criteria},
            at=_at(plan.review + dt.timedelta(days=rng.randint(1, review_span)), 15),
        )
        created += len(criteria)
    services.call_transition(**SYSTEM, call=call, action="close", at=_at(plan.close))
    services.call_transition(**SYSTEM, call=call, action="publish", at=_at(plan.publish))
    return call, created


def calls_create(ctx: DemoContext) -> int:
    """The three calls of the seed, published; returns how many records were created."""
    from talentflow.core.notifications import notifications_mark_read

    rng = random.Random(f"{ctx.seed}-calls")
    people = _People(ctx, rng)
    created = 0
    for plan in PLANS:
        call, n = _run(ctx, rng, people, plan)
        ctx.extra.setdefault("calls", {})[plan.key] = call
        created += n
    # History: the demo users' inboxes start read.
    for user in ctx.users.values():
        notifications_mark_read(user=user)
    return created + people.created
