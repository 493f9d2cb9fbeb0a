"""Demo records: talent evaluation in 黄岩 ("永宁骏才", issue 5).

The article reports 37 enterprises authorised to self-evaluate and 108 talents evaluated
(DOMAIN.md M8). Here 黄岩's talent office authorises 37 generated 黄岩 enterprises
(用人单位自主评价); they evaluate 108 of their people, who are endorsed (认账) through the
services — the figures on the results page are counted from these records, at any ``scale``
(a small scale that leaves fewer generated enterprises or employees is topped up with
generated, labelled ones). A few evaluations were returned once and resubmitted; two more wait
for the office's review (they are not among the 108).

梁建宇 (29 years on the job, no degree) and 蔡文军 of 浙江凯华模具 are 行业公荐: the mould
association files them, the office publishes the list for public notice (公示), dismisses an
objection to 梁建宇's lack of a degree (破四唯) and finalises it. They are not among the 108.
A few results of the office's own categories (主管单位, "拔尖人才", 其他创新人才) go to generated
talents. Tiers and dates are the demo's assumptions: the article gives neither.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

from talentflow.core.models import DataSource
from talentflow.core.notifications import notifications_mark_read
from talentflow.demo import bulk
from talentflow.demo.context import SYSTEM_LABEL, DemoContext
from talentflow.demo.generated import ORG_NOTE, TALENT_NOTE, _company_name, person_name
from talentflow.demo.vocabulary import PROFILES, REGION_PLANS, TOWNS, WORKER_EXPERTISE
from talentflow.directory.models import (
    Affiliation,
    AffiliationKind,
    Education,
    Gender,
    Organisation,
    OrganisationKind,
    TalentProfile,
)
from talentflow.evaluation import services
from talentflow.evaluation.models import Category

HUANGYAN = "331003"
AUTHORISED = 37  # enterprises authorised to self-evaluate (the article)
EVALUATED = 108  # talents evaluated (the article)
PENDING = 2  # evaluations still with the office
RETURNED_ONCE = 3  # evaluations returned once for more evidence, then endorsed
PERIOD = (dt.date(2025, 3, 1), dt.date(2027, 2, 28))
SHANGHAI = ZoneInfo("Asia/Shanghai")
SYSTEM = {"actor": None, "system_label": SYSTEM_LABEL}
DEMO_NOTE = "（演示数据）"

CRITERIA = (
    "以岗位贡献论英雄，不唯学历、职称、论文、奖项：\n"
    "1. 在本企业关键岗位连续工作，解决过生产中的技术难题；\n"
    "2. 参与专利、新产品、工艺改进，或带徒传艺成效明显；\n"
    "3. 由企业技术委员会评议，公示无异议后报区委人才办认账。"
)
ACHIEVEMENTS = (
    "主持{kw}工艺改进，良品率提升{n}%",
    "参与{kw}相关发明专利{m}项",
    "解决{kw}关键技术难题，年节约成本{n}万元",
    "带徒{m}名，其中{m}名成长为班组骨干",
    "牵头{kw}新产品试制，实现批量生产",
)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI)


def _day_in(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


# Enterprises and their people ----------------------------------------------------------------


def _enterprises(ctx: DemoContext, rng: random.Random) -> list[Organisation]:
    """37 generated 黄岩 enterprises, topped up when the scale left fewer."""
    have = [e.org for e in ctx.extra.get("enterprises", []) if e.region == HUANGYAN]
    missing = AUTHORISED - len(have)
    if missing > 0:
        plan = next(p for p in REGION_PLANS if p.code == HUANGYAN)
        region = ctx.region(HUANGYAN)
        taken = set(Organisation.objects.values_list("name", flat=True))
        added = []
        for _ in range(missing):
            keys, weights = zip(*plan.profiles, strict=True)
            profile = PROFILES[rng.choices(keys, weights=weights)[0]]
            name = _company_name(rng, plan, profile, taken)
            added.append(
                Organisation(
                    name=name,
                    kind=OrganisationKind.ENTERPRISE,
                    region=region,
                    uscc=ctx.usccs.allocate(HUANGYAN, name),
                    industry_id=rng.choice(profile.industries),
                    address=region.full_name.replace(" ", "") + rng.choice(TOWNS[HUANGYAN]),
                    description=ORG_NOTE,
                    data_source=DataSource.GENERATED,
                )
            )
        bulk.organisations_bulk_create(added, system_label=SYSTEM_LABEL)
        have += added
    return sorted(rng.sample(have, AUTHORISED), key=lambda o: o.name)


def _employees(enterprises: list[Organisation]) -> dict[int, list[Affiliation]]:
    found: dict[int, list[Affiliation]] = {o.pk: [] for o in enterprises}
    for affiliation in (
        Affiliation.objects.filter(
            organisation__in=enterprises,
            kind=AffiliationKind.EMPLOYED,
            end_date__isnull=True,
            start_date__lte=dt.date(2025, 3, 1),
        )
        .select_related("talent")
        .order_by("start_date", "id")
    ):
        found[affiliation.organisation_id].append(affiliation)
    return found


def _hire(
    ctx: DemoContext, rng: random.Random, wanted: dict[Organisation, int]
) -> list[Affiliation]:
    """Generated employees for enterprises that have fewer people than they evaluate."""
    region = ctx.region(HUANGYAN)
    talents, plans = [], []
    for org, n in wanted.items():
        for _ in range(n):
            gender = Gender.MALE if rng.random() < 0.7 else Gender.FEMALE
            birth = rng.randint(1968, 1996)
            talents.append(
                TalentProfile(
                    name=person_name(rng, gender),
                    gender=gender,
                    birth_year=birth,
                    home_region=region,
                    education=rng.choice(
                        [Education.SECONDARY, Education.ASSOCIATE, Education.BACHELOR]
                    ),
                    expertise="；".join(rng.sample(WORKER_EXPERTISE["mould"], 2)),
                    biography=TALENT_NOTE,
                    data_source=DataSource.GENERATED,
                )
            )
            plans.append((org, dt.date(max(birth + 20, 1995), 7, 1)))
    bulk.talents_bulk_create(talents, m2m={}, system_label=SYSTEM_LABEL)
    affiliations = [
        Affiliation(
            talent=t,
            organisation=org,
            kind=AffiliationKind.EMPLOYED,
            start_date=start,
            position=rng.choice(("模具钳工", "数控技师", "工艺工程师", "车间主任", "质检组长")),
        )
        for t, (org, start) in zip(talents, plans, strict=True)
    ]
    return bulk.affiliations_bulk_create(affiliations, system_label=SYSTEM_LABEL)


def _achievements(rng: random.Random, talent: TalentProfile) -> str:
    keywords = talent.expertise_list or ["模具"]
    lines = rng.sample(ACHIEVEMENTS, 2)
    return (
        "；".join(
            line.format(kw=rng.choice(keywords), n=rng.randint(3, 40), m=rng.randint(1, 4))
            for line in lines
        )
        + "。"
        + DEMO_NOTE
    )


# The step -----------------------------------------------------------------------------------------


def evaluations_create(ctx: DemoContext) -> int:
    # Its own random stream: the evaluations never shift what earlier steps generated.
    rng = random.Random(f"{ctx.seed}-evaluations")
    created = 0
    region = ctx.region(HUANGYAN)
    enterprises = _enterprises(ctx, rng)
    per = [3] * AUTHORISED
    for i in rng.sample(range(AUTHORISED), AUTHORISED * 3 - EVALUATED):
        per[i] = 2
    # The first enterprises with spare places also hold the pending evaluations.
    wanted = [n + (1 if i < PENDING else 0) for i, n in enumerate(per)]
    staff = _employees(enterprises)
    seen: set[int] = set()
    for org in enterprises:  # a talent is evaluated once, by one employer
        unique = [a for a in staff[org.pk] if a.talent_id not in seen]
        staff[org.pk] = unique
        seen.update(a.talent_id for a in unique[: wanted[enterprises.index(org)]])
    short = {o: wanted[i] - len(staff[o.pk]) for i, o in enumerate(enterprises)}
    hired = _hire(ctx, rng, {o: n for o, n in short.items() if n > 0})
    created += 2 * len(hired)
    for affiliation in hired:
        staff[affiliation.organisation_id].append(affiliation)

    returned_left = RETURNED_ONCE
    for i, org in enumerate(enterprises):
        granted = _day_in(rng, dt.date(2025, 3, 3), dt.date(2025, 3, 28))
        authorisation = services.authorisation_create(
            **SYSTEM,
            enterprise=org,
            region=region,
            category=Category.EMPLOYER,
            scope="本企业研发、工艺、技能岗位的骨干人才",
            quota=wanted[i] + rng.randint(0, 2),
            period_start=PERIOD[0],
            period_end=PERIOD[1],
            criteria_text=CRITERIA,
        )
        created += 1
        for n, affiliation in enumerate(staff[org.pk][: wanted[i]]):
            talent = affiliation.talent
            evaluated_on = _day_in(rng, granted + dt.timedelta(days=20), dt.date(2025, 8, 29))
            evaluation = services.evaluation_create(
                **SYSTEM,
                authorisation=authorisation,
                talent=talent,
                evaluated_on=evaluated_on,
                role=affiliation.position or "技术骨干",
                years_on_job=max(1, evaluated_on.year - affiliation.start_date.year),
                achievements=_achievements(rng, talent),
                degree=talent.education
                if talent.education in (Education.BACHELOR, Education.MASTER)
                else "",
                proposed_tier=rng.choices(["E", "D", "C"], weights=[7, 3, 1])[0],
            )
            submitted = evaluated_on + dt.timedelta(days=rng.randint(1, 10))
            services.evaluation_submit(**SYSTEM, evaluation=evaluation, at=_at(submitted))
            created += 1
            if n >= per[i]:  # pending: with the office since the autumn
                continue
            if returned_left and rng.random() < 0.1:
                returned_left -= 1
                services.evaluation_return(
                    **SYSTEM,
                    evaluation=evaluation,
                    reason="请补充专利证书或技术攻关成果的证明材料。",
                    at=_at(submitted + dt.timedelta(days=5)),
                )
                services.evaluation_update(
                    actor=None,
                    evaluation=evaluation,
                    data={"achievements": evaluation.achievements + "（已补充专利证书复印件。）"},
                    system_label=SYSTEM_LABEL,
                )
                submitted += dt.timedelta(days=9)
                services.evaluation_submit(**SYSTEM, evaluation=evaluation, at=_at(submitted))
            endorsed = submitted + dt.timedelta(days=rng.randint(7, 30))
            services.evaluation_endorse(
                **SYSTEM, evaluation=evaluation, valid_from=endorsed, at=_at(endorsed, 15)
            )
            created += 1
    created += _industry_recommendation(ctx)
    created += _direct_results(ctx, rng, exclude={a.talent_id for v in staff.values() for a in v})
    # The replay notified the demo users (黄岩's officer, 梁建宇 …) of months of history at
    # once; it is history, so their inboxes start read, as after the needs step.
    for user in ctx.users.values():
        notifications_mark_read(user=user)
    return created


def _industry_recommendation(ctx: DemoContext) -> int:
    """行业公荐: 梁建宇 and 蔡文军 of 浙江凯华模具, through a finished public notice."""
    kaihua = ctx.orgs["kaihua"]
    recommendation = services.recommendation_create(
        **SYSTEM,
        association=ctx.orgs["mould_association"],
        region=ctx.region(HUANGYAN),
        title="黄岩区首批“行业公荐”人才榜单（模具行业）",
        entries=[
            {
                "talent": ctx.talents["liangjianyu"],
                "enterprise": kaihua,
                "reason": "浙江凯华模具有限公司模具组长，在模具岗位深耕29年，深度参与公司多项关键"
                "专利研发和技术攻关；曾获中国模具工业协会“卓越模工”荣誉称号。",
                "proposed_tier": "E",
            },
            {
                "talent": ctx.talents["caiwenjun"],
                "enterprise": kaihua,
                "reason": "浙江凯华模具有限公司技术主管，长期负责模具技术管理与攻关。",
                "proposed_tier": "E",
            },
        ],
        at=_at(dt.date(2025, 5, 12)),
    )
    services.recommendation_open_notice(
        **SYSTEM,
        recommendation=recommendation,
        notice_start=dt.date(2025, 5, 20),
        notice_end=dt.date(2025, 5, 26),
    )
    liang = recommendation.entries.get(talent=ctx.talents["liangjianyu"])
    objection = services.objection_file(
        **SYSTEM,
        entry=liang,
        reason="梁建宇为中专学历，未达到大专及以上学历，是否符合人才评价条件？" + DEMO_NOTE,
        at=_at(dt.date(2025, 5, 22)),
    )
    services.objection_resolve(
        **SYSTEM,
        objection=objection,
        uphold=False,
        resolution="“永宁骏才”评价破除唯学历：以岗位贡献论英雄，梁建宇深耕模具岗位29年、参与多项"
        "关键专利研发，符合行业公荐条件。异议不成立。",
        at=_at(dt.date(2025, 5, 27)),
    )
    results = services.recommendation_finalise(
        **SYSTEM,
        recommendation=recommendation,
        valid_from=dt.date(2025, 6, 3),
        at=_at(dt.date(2025, 6, 3)),
    )
    return 2 + 1 + len(results)


def _direct_results(ctx: DemoContext, rng: random.Random, *, exclude: set[int]) -> int:
    """The office's own categories, for three generated 黄岩 talents."""
    region = ctx.region(HUANGYAN)
    plan = (
        (Category.AUTHORITY, "C", "区经信局推荐：智能制造车间数字化改造骨干。"),
        (Category.TOP_TALENT, "B", "“拔尖人才”专项：主持省级模具重点研发项目。"),
        (Category.OTHER, "D", "其他创新人才：新型塑料成型工艺创新团队核心成员。"),
    )
    candidates = list(
        TalentProfile.objects.filter(
            home_region=region,
            data_source=DataSource.GENERATED,
            affiliations__end_date__isnull=True,
        )
        .exclude(pk__in=exclude)
        .distinct()
        .order_by("id")[:50]
    )
    if len(candidates) < len(plan):
        enterprise = ctx.orgs["kaihua"]
        hired = _hire(ctx, rng, {enterprise: len(plan) - len(candidates)})
        candidates += [a.talent for a in hired]
    chosen = rng.sample(candidates, len(plan))
    for talent, (category, tier, evidence) in zip(chosen, plan, strict=True):
        services.result_record(
            **SYSTEM,
            talent=talent,
            category=category,
            tier=tier,
            region=region,
            valid_from=dt.date(2025, 9, 1),
            evidence=evidence + DEMO_NOTE,
        )
    return len(plan)
