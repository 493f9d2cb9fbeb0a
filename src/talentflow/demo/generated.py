"""Generated demo records around the article's world, so lists look like a real county's.

Everything here is invented and carries ``DataSource.GENERATED``: a few hundred enterprises in
嘉善, 青浦, 吴江, 青田, 黄岩 and the 丽水 counties, in trades that fit each place; about 2,500
engineers, skilled workers, researchers and graduate students with their affiliations over
time — past jobs, commutes across the demonstration zone, researchers serving enterprises in
the counties, students seconded to their university's county institute. No identity numbers,
phone numbers or e-mail addresses: a check-valid number or a plausible address could belong to
a real person.

The output depends only on the seed and the scale: the generator draws from one seeded
``random.Random`` and dates are counted from a fixed reference date, not from today.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from random import Random

from talentflow.core.models import DataSource
from talentflow.demo import bulk
from talentflow.demo.context import SYSTEM_LABEL, DemoContext
from talentflow.demo.named import PEOPLE
from talentflow.demo.vocabulary import (
    COMMUTER_HOMES,
    GIVEN_ANY,
    GIVEN_FEMALE,
    GIVEN_MALE,
    NAMED_TRADE_NAMES,
    PROFILES,
    REGION_PLANS,
    SENIOR_POSITION_MARKERS,
    SURNAMES,
    TOWNS,
    TRADE_NAME_CHARS,
    UNIVERSITY_PROFILES,
    WORKER_EXPERTISE,
    IndustryProfile,
    RegionPlan,
)
from talentflow.directory.models import (
    Affiliation,
    AffiliationKind,
    Availability,
    Education,
    Gender,
    Organisation,
    OrganisationKind,
    TalentProfile,
)
from talentflow.reference.models import (
    Discipline,
    DisciplineScheme,
    Industry,
    Qualification,
    TitleLevel,
    TitleSeries,
)

# Dates are drawn up to the article's time, so the demo reads the same whenever it is loaded.
REFERENCE_DATE = dt.date(2025, 12, 1)

ORG_NOTE = "演示数据（生成）：名称与统一社会信用代码均为虚构。"
TALENT_NOTE = "（演示数据，人物为虚构。）"

YRD_CODES = ("330421", "310118", "320509")
LISHUI_PREFIX = "3311"

# 职称系列 numbers (reference/data/zhicheng_series_27.csv).
UNIVERSITY_TEACHER, NATURAL_SCIENCE_RESEARCHER, ENGINEERING, LAB_TECHNICIAN = 1, 3, 5, 20

# Entries of the 2021 national vocational-qualification catalogue, by who holds them.
ENGINEER_QUALIFICATIONS = (34, 37, 65, 45, 36)  # 注册安全/特种设备检验/设备监理/专利代理/计量
ELECTRICAL_QUALIFICATIONS = (20, 49)  # 注册电气工程师, 计算机技术与软件
WORKER_QUALIFICATIONS = (92, 94, 80)  # 特种作业, 特种设备作业, 消防设施操作员

# Staff generated for each university and institute at scale 1 (people the article names
# are created besides). 北京科技大学青田新材料研究院 "集聚45名科研人员": exactly 45, at any scale.
ACADEMIC_STAFF = {
    "zju": 50,
    "fudan": 20,
    "shu": 20,
    "hdu": 30,
    "zstu": 25,
    "ustb": 20,
    "neu": 10,
    "lszy": 15,
    "tzvtc": 15,
}
INSTITUTE_STAFF = {
    "zju_oasis": 24,
    "fudan_jiashan": 15,
    "shu_zhejiang": 15,
    "hdu_jiashan": 15,
    "zstu_qingtian": 24,
}
USTB_QINGTIAN_RESEARCHERS = 45
STUDENTS = {"zju": 40, "fudan": 15, "shu": 15, "hdu": 25, "zstu": 20, "ustb": 20, "neu": 15}
# Where a university's students are seconded: its institute in a county. None go to 北科大
# 青田新材料研究院, so its people stay the article's 45 researchers.
STUDENT_SECONDMENT = {
    "zju": "zju_oasis",
    "fudan": "fudan_jiashan",
    "shu": "shu_zhejiang",
    "hdu": "hdu_jiashan",
    "zstu": "zstu_qingtian",
}
INSTITUTE_PARENT = {
    "zju_oasis": "zju",
    "fudan_jiashan": "fudan",
    "shu_zhejiang": "shu",
    "hdu_jiashan": "hdu",
    "zstu_qingtian": "zstu",
    "ustb_qingtian": "ustb",
}

SERVICE_PROVIDERS = (
    # (key, name, region, industry, description)
    (
        "qingpu_apartment",
        "青浦人才公寓服务中心",
        "310118",
        "7040",
        "示范区“人才码”服务：人才公寓。",
    ),
    ("qingpu_transit", "青浦人才出行服务站", "310118", "5411", "示范区“人才码”服务：交通出行。"),
    (
        "jiashan_apartment",
        "嘉善人才公寓运营服务中心",
        "330421",
        "7040",
        "示范区“人才码”服务：人才公寓。",
    ),
    ("jiashan_transit", "嘉善人才出行服务站", "330421", "5411", "示范区“人才码”服务：交通出行。"),
    (
        "wujiang_apartment",
        "吴江人才公寓服务中心",
        "320509",
        "7040",
        "示范区“人才码”服务：人才公寓。",
    ),
    ("wujiang_transit", "吴江人才出行服务站", "320509", "5411", "示范区“人才码”服务：交通出行。"),
)


@dataclass(frozen=True)
class GeneratedEnterprise:
    org: Organisation
    profile: IndustryProfile
    region: str


@dataclass
class AffiliationDraft:
    org: Organisation
    kind: str
    start: dt.date
    end: dt.date | None = None
    position: str = ""

    @property
    def region(self) -> str:
        return self.org.region_id


@dataclass
class TalentDraft:
    """A talent to create, decided in full before anything is written."""

    kind: str  # engineer, worker, technician, academic, researcher, student
    name: str
    gender: str
    birth_year: int
    home_region: str
    education: str
    profile: IndustryProfile
    title: tuple[int, str] | None = None
    disciplines: list[str] = field(default_factory=list)
    industries: list[str] = field(default_factory=list)
    qualifications: list[int] = field(default_factory=list)
    expertise: list[str] = field(default_factory=list)
    biography: str = ""
    availability: str = Availability.AVAILABLE
    affiliations: list[AffiliationDraft] = field(default_factory=list)
    pools: set[str] = field(default_factory=set)

    def regions(self) -> set[str]:
        """Home and every region the talent currently works in."""
        return {self.home_region} | {a.region for a in self.affiliations if a.end is None}


# Small helpers ---------------------------------------------------------------------------


def _weighted(rng: Random, pairs) -> str:
    items, weights = zip(*pairs, strict=True)
    return rng.choices(items, weights=weights)[0]


def _date_between(rng: Random, start: dt.date, end: dt.date) -> dt.date:
    if end <= start:
        return start
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


# Nobody generated shares a name with a person the article names: searching 刘兵 finds him.
RESERVED_NAMES = frozenset(person.name for person in PEOPLE)


def person_name(rng: Random, gender: str) -> str:
    while True:
        surname = _weighted(rng, SURNAMES)
        pool = GIVEN_MALE if gender == Gender.MALE else GIVEN_FEMALE
        if rng.random() < 0.25:
            name = surname + rng.choice(pool)
        else:
            first = rng.choice(GIVEN_ANY + pool)
            second = rng.choice(pool)
            if second == first:
                second = rng.choice(pool)
            name = surname + first + second
        if name not in RESERVED_NAMES:
            return name


def _availability(rng: Random) -> str:
    return _weighted(
        rng,
        (
            (Availability.AVAILABLE, 55),
            (Availability.LIMITED, 35),
            (Availability.UNAVAILABLE, 10),
        ),
    )


def _keywords(rng: Random, words: tuple[str, ...], low: int, high: int) -> list[str]:
    return rng.sample(words, min(len(words), rng.randint(low, high)))


def _position(rng: Random, positions: tuple[str, ...], years: int) -> str:
    if years < 12:
        junior = [p for p in positions if not any(m in p for m in SENIOR_POSITION_MARKERS)]
        positions = tuple(junior) or positions
    return rng.choice(positions)


# Organisations ---------------------------------------------------------------------------


def _company_name(rng: Random, plan: RegionPlan, profile: IndustryProfile, taken: set) -> str:
    while True:
        trade = rng.choice(TRADE_NAME_CHARS) + rng.choice(TRADE_NAME_CHARS)
        if trade[0] == trade[1] or trade in NAMED_TRADE_NAMES:
            continue
        suffix = "股份有限公司" if rng.random() < 0.1 else "有限公司"
        name = f"{rng.choice(plan.name_prefixes)}{trade}{rng.choice(profile.trade_words)}{suffix}"
        if name not in taken:
            taken.add(name)
            return name


def _address(ctx: DemoContext, region: str) -> str:
    return ctx.region(region).full_name.replace(" ", "") + ctx.rng.choice(TOWNS[region])


def organisations_create(ctx: DemoContext) -> int:
    rng = ctx.rng
    yrd = ctx.alliance("yrd-demo-zone")
    keyed: dict[str, Organisation] = {}
    shared: dict[int, list] = {}
    for key, name, region, industry, description in SERVICE_PROVIDERS:
        keyed[key] = Organisation(
            name=name,
            kind=OrganisationKind.SERVICE_PROVIDER,
            region=ctx.region(region),
            industry_id=industry,
            address=_address(ctx, region),
            description=f"{ORG_NOTE}{description}",
            data_source=DataSource.GENERATED,
        )
        # Providers honour the talent code across the demonstration zone (M5).
        shared[id(keyed[key])] = [yrd]
    # The article does not name the association that recommended 梁建宇 and 蔡文军 (行业公荐).
    keyed["mould_association"] = Organisation(
        name="黄岩区模具行业协会",
        kind=OrganisationKind.ASSOCIATION,
        region=ctx.region("331003"),
        industry_id="9522",
        address=_address(ctx, "331003"),
        description="演示数据（生成）：文章未写出参与黄岩“行业公荐”的行业协会名称。",
        data_source=DataSource.GENERATED,
    )

    industry_names = dict(Industry.objects.filter(level=4).values_list("code", "name"))
    taken = set(Organisation.objects.values_list("name", flat=True))
    planned: list[tuple[Organisation, IndustryProfile, str]] = []
    for plan in REGION_PLANS:
        for _ in range(ctx.scaled(plan.enterprises)):
            profile = PROFILES[_weighted(rng, plan.profiles)]
            industry = rng.choice(profile.industries)
            name = _company_name(rng, plan, profile, taken)
            organisation = Organisation(
                name=name,
                kind=OrganisationKind.ENTERPRISE,
                region=ctx.region(plan.code),
                uscc=ctx.usccs.allocate(plan.code, name),
                industry_id=industry,
                address=_address(ctx, plan.code),
                description=f"{ORG_NOTE}主营：{industry_names[industry]}。",
                data_source=DataSource.GENERATED,
            )
            planned.append((organisation, profile, plan.code))
    bulk.organisations_bulk_create(
        [*keyed.values(), *(o for o, _p, _r in planned)],
        shared_with=shared,
        system_label=SYSTEM_LABEL,
    )
    ctx.orgs.update(keyed)
    ctx.extra["enterprises"] = [
        GeneratedEnterprise(org=o, profile=p, region=r) for o, p, r in planned
    ]
    return len(keyed) + len(planned)


# Talents ---------------------------------------------------------------------------------


class _Enterprises:
    """Generated enterprises by region and by trade, for picking employers and clients."""

    def __init__(self, enterprises: list[GeneratedEnterprise]) -> None:
        self.all = enterprises
        self.by_region: dict[str, list[GeneratedEnterprise]] = defaultdict(list)
        self.by_profile: dict[str, list[GeneratedEnterprise]] = defaultdict(list)
        for e in enterprises:
            self.by_region[e.region].append(e)
            self.by_profile[e.profile.key].append(e)

    def other_in(self, rng: Random, regions, exclude: GeneratedEnterprise):
        candidates = [e for r in regions for e in self.by_region.get(r, ()) if e is not exclude]
        return rng.choice(candidates) if candidates else None

    def client_for(self, rng: Random, profile_keys, *, regions=None):
        candidates = [
            e
            for key in profile_keys
            for e in self.by_profile.get(key, ())
            if regions is None or e.region in regions
        ]
        return rng.choice(candidates) if candidates else None


def _engineer_title(rng: Random, age: int, series: int = ENGINEERING) -> tuple[int, str]:
    if age < 30:
        levels = ((TitleLevel.ASSISTANT, 60), (TitleLevel.INTERMEDIATE, 40))
    elif age < 40:
        levels = (
            (TitleLevel.ASSISTANT, 5),
            (TitleLevel.INTERMEDIATE, 60),
            (TitleLevel.SENIOR_DEPUTY, 35),
        )
    else:
        levels = (
            (TitleLevel.INTERMEDIATE, 30),
            (TitleLevel.SENIOR_DEPUTY, 55),
            (TitleLevel.SENIOR_FULL, 15),
        )
    return series, _weighted(rng, levels)


def _academic_title(rng: Random, age: int, series: int) -> tuple[int, str]:
    if age < 35:
        levels = ((TitleLevel.INTERMEDIATE, 70), (TitleLevel.SENIOR_DEPUTY, 30))
    elif age < 45:
        levels = (
            (TitleLevel.INTERMEDIATE, 20),
            (TitleLevel.SENIOR_DEPUTY, 55),
            (TitleLevel.SENIOR_FULL, 25),
        )
    else:
        levels = ((TitleLevel.SENIOR_DEPUTY, 40), (TitleLevel.SENIOR_FULL, 60))
    return series, _weighted(rng, levels)


def _home_for(rng: Random, region: str, away: float) -> str:
    if rng.random() < away and COMMUTER_HOMES.get(region):
        return rng.choice(COMMUTER_HOMES[region])
    return region


def _employee(ctx: DemoContext, ents: _Enterprises, employer: GeneratedEnterprise) -> TalentDraft:
    rng = ctx.rng
    profile = employer.profile
    roll = rng.random()
    kind = "engineer" if roll < 0.55 else "worker" if roll < 0.95 else "technician"
    gender = Gender.MALE if rng.random() < (0.72 if kind == "worker" else 0.68) else Gender.FEMALE
    birth_year = rng.randint(1965, 2003) if kind == "worker" else rng.randint(1968, 1999)
    age = REFERENCE_DATE.year - birth_year
    working_from = dt.date(max(birth_year + 19, 1990), 7, 1)
    years = max(1, (REFERENCE_DATE - working_from).days // 365)
    draft = TalentDraft(
        kind=kind,
        name=person_name(rng, gender),
        gender=gender,
        birth_year=birth_year,
        home_region=_home_for(rng, employer.region, 0.2),
        education=Education.SECONDARY,
        profile=profile,
        availability=_availability(rng),
        industries=[employer.org.industry_id],
    )
    if kind == "worker":
        draft.education = _weighted(
            rng,
            ((Education.SECONDARY, 55), (Education.ASSOCIATE, 40), (Education.BELOW, 5)),
        )
        draft.expertise = _keywords(rng, WORKER_EXPERTISE[profile.key], 1, 3)
        if rng.random() < 0.3:
            draft.qualifications = [rng.choice(WORKER_QUALIFICATIONS)]
    else:
        draft.education = _weighted(
            rng,
            (
                (Education.BACHELOR, 50),
                (Education.MASTER, 20),
                (Education.ASSOCIATE, 25),
                (Education.DOCTORATE, 5),
            ),
        )
        series = LAB_TECHNICIAN if kind == "technician" else ENGINEERING
        draft.title = _engineer_title(rng, age, series)
        draft.disciplines = rng.sample(
            profile.disciplines, min(len(profile.disciplines), rng.randint(1, 2))
        )
        draft.expertise = _keywords(rng, profile.expertise, 2, 4)
        if rng.random() < 0.15:
            choices = ENGINEER_QUALIFICATIONS
            if profile.key in {"electronics", "equipment", "software"}:
                choices += ELECTRICAL_QUALIFICATIONS
            draft.qualifications = [rng.choice(choices)]
    if rng.random() < 0.3 and len(profile.industries) > 1:
        draft.industries.append(rng.choice(profile.industries))

    def position_at(p: IndustryProfile, years_then: int) -> str:
        if kind == "technician":
            return "实验员"
        positions = p.worker_positions if kind == "worker" else p.engineer_positions
        return _position(rng, positions, years_then)

    start = _month_start(_date_between(rng, max(working_from, dt.date(2005, 1, 1)), REFERENCE_DATE))
    # A past job: most move within the county, some across it (the flow the platform shows).
    if rng.random() < 0.35 and start - working_from > dt.timedelta(days=400):
        nearby = (
            (employer.region,)
            if rng.random() < 0.7
            else COMMUTER_HOMES.get(employer.region, (employer.region,))
        )
        previous = ents.other_in(rng, nearby, exclude=employer)
        if previous is not None:
            prev_start = _month_start(
                _date_between(rng, working_from, start - dt.timedelta(days=365))
            )
            draft.affiliations.append(
                AffiliationDraft(
                    org=previous.org,
                    kind=AffiliationKind.EMPLOYED,
                    start=prev_start,
                    end=start - dt.timedelta(days=rng.randint(1, 60)),
                    position=position_at(previous.profile, (prev_start - working_from).days // 365),
                )
            )
    position = position_at(profile, years)
    draft.affiliations.append(
        AffiliationDraft(employer.org, AffiliationKind.EMPLOYED, start, position=position)
    )
    # Some engineers also serve a client enterprise part-time in a neighbouring region.
    if kind == "engineer" and age >= 35 and rng.random() < 0.06:
        client = ents.client_for(
            rng, (profile.key,), regions=COMMUTER_HOMES.get(employer.region, ())
        )
        if client is not None:
            draft.affiliations.append(
                AffiliationDraft(
                    client.org,
                    AffiliationKind.SERVING,
                    _month_start(_date_between(rng, dt.date(2021, 1, 1), REFERENCE_DATE)),
                    position="兼职技术顾问",
                )
            )
    words = "、".join(draft.expertise[:2])
    if kind == "worker":
        draft.biography = f"{employer.org.name}{position}，一线从业{years}年，擅长{words}。"
    else:
        draft.biography = f"{employer.org.name}{position}，从事{words}等工作{years}年。"
    draft.biography += TALENT_NOTE
    return draft


def _academic(
    ctx: DemoContext,
    ents: _Enterprises,
    org_key: str,
    *,
    kind: str = "academic",
    seconded_from: str | None = None,
) -> TalentDraft:
    """University staff, or an institute researcher (employed there or seconded by its parent)."""
    rng = ctx.rng
    org = ctx.orgs[org_key]
    profile = PROFILES[rng.choice(UNIVERSITY_PROFILES[org_key])]
    gender = Gender.MALE if rng.random() < 0.7 else Gender.FEMALE
    birth_year = rng.randint(1962, 1993)
    age = REFERENCE_DATE.year - birth_year
    employer = ctx.orgs[seconded_from] if seconded_from else org
    if kind == "academic":
        series = UNIVERSITY_TEACHER if rng.random() < 0.7 else NATURAL_SCIENCE_RESEARCHER
        education = Education.DOCTORATE if rng.random() < 0.9 else Education.MASTER
    else:
        series = NATURAL_SCIENCE_RESEARCHER if rng.random() < 0.6 else ENGINEERING
        education = _weighted(
            rng,
            ((Education.DOCTORATE, 50), (Education.MASTER, 40), (Education.BACHELOR, 10)),
        )
    title = _academic_title(rng, age, series)
    home = employer.region_id if seconded_from else _home_for(rng, org.region_id, 0.1)
    draft = TalentDraft(
        kind=kind,
        name=person_name(rng, gender),
        gender=gender,
        birth_year=birth_year,
        home_region=home,
        education=education,
        profile=profile,
        title=title,
        disciplines=rng.sample(profile.disciplines, min(2, len(profile.disciplines))),
        industries=rng.sample(profile.industries, min(2, len(profile.industries))),
        expertise=_keywords(rng, profile.expertise, 3, 5),
        availability=_availability(rng),
    )
    joined = _month_start(
        _date_between(rng, dt.date(max(birth_year + 27, 1995), 9, 1), REFERENCE_DATE)
    )
    if seconded_from:
        draft.affiliations.append(
            AffiliationDraft(employer, AffiliationKind.EMPLOYED, joined, position="研究人员")
        )
        draft.affiliations.append(
            AffiliationDraft(
                org,
                AffiliationKind.SECONDED,
                _month_start(_date_between(rng, max(joined, dt.date(2021, 1, 1)), REFERENCE_DATE)),
                position="驻院研究人员",
            )
        )
    else:
        position = "教师" if series == UNIVERSITY_TEACHER else "研究人员"
        draft.affiliations.append(
            AffiliationDraft(org, AffiliationKind.EMPLOYED, joined, position=position)
        )
    # Researchers serve enterprises part-time: the experts a county "shares but need not own".
    serving_odds = 0.35 if kind == "academic" else 0.3
    if rng.random() < serving_odds:
        regions = None if kind == "academic" else (org.region_id,)
        client = ents.client_for(rng, (profile.key,), regions=regions)
        if client is not None:
            start = _month_start(_date_between(rng, dt.date(2019, 1, 1), REFERENCE_DATE))
            ended = rng.random() < 0.2 and (REFERENCE_DATE - start).days > 400
            draft.affiliations.append(
                AffiliationDraft(
                    client.org,
                    AffiliationKind.SERVING,
                    start,
                    end=_date_between(rng, start + dt.timedelta(days=180), REFERENCE_DATE)
                    if ended
                    else None,
                    position=rng.choice(("技术顾问", "特聘专家", "兼职研发负责人")),
                )
            )
    words = "、".join(draft.expertise[:3])
    role = "教师" if kind == "academic" and series == UNIVERSITY_TEACHER else "科研人员"
    draft.biography = f"{org.name}{role}，研究方向：{words}。{TALENT_NOTE}"
    return draft


def _student(ctx: DemoContext, university: str) -> TalentDraft:
    rng = ctx.rng
    org = ctx.orgs[university]
    profile = PROFILES[rng.choice(UNIVERSITY_PROFILES[university])]
    gender = Gender.MALE if rng.random() < 0.62 else Gender.FEMALE
    doctoral = rng.random() < 0.25
    birth_year = rng.randint(1995, 2000) if doctoral else rng.randint(1998, 2003)
    draft = TalentDraft(
        kind="student",
        name=person_name(rng, gender),
        gender=gender,
        birth_year=birth_year,
        home_region=org.region_id,
        education=Education.MASTER if doctoral else Education.BACHELOR,
        profile=profile,
        disciplines=[rng.choice(profile.disciplines)],
        industries=[rng.choice(profile.industries)],
        expertise=_keywords(rng, profile.expertise, 2, 3),
        availability=_availability(rng),
    )
    degree = "博士研究生" if doctoral else "硕士研究生"
    start = dt.date(
        rng.choice((2021, 2022, 2023, 2024, 2025) if doctoral else (2023, 2024, 2025)), 9, 1
    )
    draft.affiliations.append(
        AffiliationDraft(org, AffiliationKind.STUDYING, start, position=degree)
    )
    institute = STUDENT_SECONDMENT.get(university)
    if institute and rng.random() < 0.3 and start < dt.date(2025, 9, 1):
        draft.affiliations.append(
            AffiliationDraft(
                ctx.orgs[institute],
                AffiliationKind.SECONDED,
                _month_start(_date_between(rng, start + dt.timedelta(days=180), REFERENCE_DATE)),
                position="驻院研究生",
            )
        )
    words = "、".join(draft.expertise[:2])
    draft.biography = f"{org.name}{degree}，研究方向：{words}。{TALENT_NOTE}"
    return draft


def _graduate(ctx: DemoContext, ents: _Enterprises, university: str) -> TalentDraft | None:
    """A former student now employed by an enterprise in one of the counties."""
    rng = ctx.rng
    draft = _student(ctx, university)
    client = ents.client_for(rng, (draft.profile.key,))
    if client is None:
        return None
    studying = draft.affiliations[0]
    studying.start = dt.date(rng.choice((2019, 2020, 2021, 2022)), 9, 1)
    studying.end = dt.date(studying.start.year + 3, 6, 30)
    doctoral = studying.position == "博士研究生"
    draft.birth_year = studying.start.year - (
        rng.randint(25, 28) if doctoral else rng.randint(22, 24)
    )
    draft.affiliations = [
        studying,
        AffiliationDraft(
            client.org,
            AffiliationKind.EMPLOYED,
            dt.date(studying.end.year, 7, 1),
            position=_position(rng, draft.profile.engineer_positions, 0),
        ),
    ]
    draft.kind = "engineer"
    draft.education = Education.DOCTORATE if doctoral else Education.MASTER
    draft.title = (ENGINEERING, TitleLevel.ASSISTANT)
    draft.biography = (
        f"{ctx.orgs[university].name}毕业，现任{client.org.name}"
        f"{draft.affiliations[-1].position}。{TALENT_NOTE}"
    )
    return draft


def _assign_pools(rng: Random, draft: TalentDraft) -> None:
    regions = draft.regions()
    in_yrd = any(r in YRD_CODES for r in regions)
    in_lishui = any(r.startswith(LISHUI_PREFIX) for r in regions)
    senior = draft.title is not None and draft.title[1] in {
        TitleLevel.SENIOR_FULL,
        TitleLevel.SENIOR_DEPUTY,
    }
    mid_or_senior = senior or (
        draft.title is not None and draft.title[1] == TitleLevel.INTERMEDIATE
    )
    serving_regions = {
        a.region for a in draft.affiliations if a.kind == AffiliationKind.SERVING and a.end is None
    }
    academic = draft.kind in {"academic", "researcher"}
    if in_yrd and (academic or mid_or_senior) and rng.random() < (0.6 if academic else 0.3):
        draft.pools.add("yrd")
    if academic and ("330421" in serving_regions or (senior and rng.random() < 0.2)):
        draft.pools.add("jiashan_vp")
    if in_lishui and draft.kind != "student" and rng.random() < (0.7 if academic else 0.35):
        draft.pools.add("lishui")
    if "331121" in regions and draft.kind != "student" and rng.random() < 0.25:
        draft.pools.add("qingtian_team")
    if "331003" in regions and (senior or draft.kind == "worker") and rng.random() < 0.2:
        draft.pools.add("huangyan_yongning")


def drafts_build(ctx: DemoContext) -> list[TalentDraft]:
    """Decide every generated talent before writing any (the random stream stays stable)."""
    rng = ctx.rng
    ents = _Enterprises(ctx.extra.get("enterprises", []))
    drafts: list[TalentDraft] = []
    for employer in ents.all:
        for _ in range(rng.randint(3, 7)):
            drafts.append(_employee(ctx, ents, employer))
    for key, n in ACADEMIC_STAFF.items():
        for _ in range(ctx.scaled(n)):
            drafts.append(_academic(ctx, ents, key))
    for key, n in INSTITUTE_STAFF.items():
        for _ in range(ctx.scaled(n)):
            parent = INSTITUTE_PARENT[key] if rng.random() < 0.4 else None
            drafts.append(_academic(ctx, ents, key, kind="researcher", seconded_from=parent))
    for _ in range(USTB_QINGTIAN_RESEARCHERS):
        parent = "ustb" if rng.random() < 0.4 else None
        drafts.append(
            _academic(ctx, ents, "ustb_qingtian", kind="researcher", seconded_from=parent)
        )
    for key, n in STUDENTS.items():
        for _ in range(ctx.scaled(n)):
            drafts.append(_student(ctx, key))
        for _ in range(ctx.scaled(n // 5, minimum=0)):
            graduate = _graduate(ctx, ents, key)
            if graduate is not None:
                drafts.append(graduate)
    for draft in drafts:
        _assign_pools(rng, draft)
    return drafts


def talents_create(ctx: DemoContext) -> int:
    series = {s.seq: s for s in TitleSeries.objects.all()}
    disciplines = {
        d.code: d for d in Discipline.objects.filter(scheme=DisciplineScheme.GRADUATE_2022)
    }
    industries = {i.code: i for i in Industry.objects.filter(level=4)}
    qualifications = {q.entry_no: q for q in Qualification.objects.all()}
    drafts = drafts_build(ctx)
    talents: list[TalentProfile] = []
    m2m: dict[int, dict[str, list]] = {}
    for draft in drafts:
        title_series, title_level = draft.title or (None, "")
        talent = TalentProfile(
            name=draft.name,
            gender=draft.gender,
            birth_year=draft.birth_year,
            education=draft.education,
            home_region=ctx.region(draft.home_region),
            title_series=series[title_series] if title_series else None,
            title_level=title_level,
            expertise="；".join(draft.expertise),
            biography=draft.biography,
            availability=draft.availability,
            data_source=DataSource.GENERATED,
        )
        talents.append(talent)
        m2m[id(talent)] = {
            "qualifications": [qualifications[n] for n in dict.fromkeys(draft.qualifications)],
            "disciplines": [disciplines[c] for c in dict.fromkeys(draft.disciplines)],
            "industries": [industries[c] for c in dict.fromkeys(draft.industries)],
            "pools": [ctx.pools[k] for k in sorted(draft.pools)],
        }
    bulk.talents_bulk_create(talents, m2m=m2m, system_label=SYSTEM_LABEL)
    affiliations = [
        Affiliation(
            talent=talent,
            organisation=aff.org,
            kind=aff.kind,
            start_date=aff.start,
            end_date=aff.end,
            position=aff.position,
        )
        for talent, draft in zip(talents, drafts, strict=True)
        for aff in draft.affiliations
    ]
    bulk.affiliations_bulk_create(affiliations, system_label=SYSTEM_LABEL)
    ctx.extra["generated_talents"] = talents
    return len(talents) + len(affiliations)
