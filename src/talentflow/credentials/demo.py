"""The demo's talent-code service catalogue (M5: "one code opens 120+ services").

Service types × the three regions of the demonstration zone × their providers: the talent
apartment and transit providers the generated step made (``demo/generated.py``), and for the
other groups generated providers (hospitals, schools, banks, venues, service halls, training
centres) created here in bulk. Everything is invented (``DataSource.GENERATED``).
"""

from __future__ import annotations

from talentflow.core.models import DataSource
from talentflow.credentials.models import Service, ServiceGroup, ServiceLimit
from talentflow.demo import bulk
from talentflow.demo.context import SYSTEM_LABEL, DemoContext
from talentflow.directory.models import Organisation, OrganisationKind

REGIONS = (("330421", "嘉善", "js"), ("310118", "青浦", "qp"), ("320509", "吴江", "wj"))
NOTE = "演示数据（生成）：示范区“人才码”服务机构，名称为虚构。"

# Providers per region and group: (key suffix, name pattern, industry, group). The apartment
# and transit providers come from the generated step when it ran (ctx.orgs[f"{slug}_..."]).
PROVIDERS = (
    ("apartment", "{r}人才公寓运营服务中心", "7040", ServiceGroup.APARTMENT),
    ("transit", "{r}人才出行服务站", "5411", ServiceGroup.TRANSPORT),
    ("hospital", "{r}第一人民医院人才服务中心", "8411", ServiceGroup.MEDICAL),
    ("school", "{r}教育局人才子女入学服务窗口", "8321", ServiceGroup.SCHOOLING),
    ("culture", "{r}文化旅游服务中心", "8890", ServiceGroup.CULTURE),
    ("sports", "{r}全民健身中心", "8921", ServiceGroup.SPORTS),
    ("bank", "{r}农商银行人才金融服务部", "6621", ServiceGroup.FINANCE),
    ("hall", "{r}行政服务中心人才专窗", "9221", ServiceGroup.GOVERNMENT),
    ("training", "{r}人才发展培训中心", "8391", ServiceGroup.TRAINING),
)
GENERATED_KEYS = {"apartment": "apartment", "transit": "transit"}
REGION_KEY = {"330421": "jiashan", "310118": "qingpu", "320509": "wujiang"}

# (code, name, group, tiers, limit, times a year)
SERVICE_TYPES = (
    ("apt-first", "人才公寓首次入住租金减免", ServiceGroup.APARTMENT, "ABCD", ServiceLimit.ONCE, 1),
    (
        "apt-short",
        "人才驿站短期免费住宿（7天）",
        ServiceGroup.APARTMENT,
        "ABCDE",
        ServiceLimit.PER_YEAR,
        2,
    ),
    ("apt-priority", "人才公寓优先选房", ServiceGroup.APARTMENT, "ABC", ServiceLimit.ONCE, 1),
    ("apt-subsidy", "租房补贴申领", ServiceGroup.APARTMENT, "ABCDE", ServiceLimit.PER_YEAR, 1),
    ("apt-move", "搬家服务补助", ServiceGroup.APARTMENT, "ABCD", ServiceLimit.ONCE, 1),
    ("tr-bus", "人才公交卡免费乘车", ServiceGroup.TRANSPORT, "ABCDE", ServiceLimit.UNLIMITED, 1),
    (
        "tr-shuttle",
        "示范区跨省通勤班车",
        ServiceGroup.TRANSPORT,
        "ABCDE",
        ServiceLimit.UNLIMITED,
        1,
    ),
    ("tr-station", "高铁站贵宾通道", ServiceGroup.TRANSPORT, "ABC", ServiceLimit.PER_YEAR, 12),
    ("tr-parking", "公共停车场免费停车", ServiceGroup.TRANSPORT, "ABCD", ServiceLimit.PER_YEAR, 24),
    ("tr-bike", "公共自行车免押金", ServiceGroup.TRANSPORT, "ABCDE", ServiceLimit.ONCE, 1),
    ("med-green", "就医绿色通道", ServiceGroup.MEDICAL, "ABCD", ServiceLimit.PER_YEAR, 6),
    ("med-checkup", "年度健康体检", ServiceGroup.MEDICAL, "ABCDE", ServiceLimit.PER_YEAR, 1),
    ("med-expert", "专家门诊预约", ServiceGroup.MEDICAL, "ABC", ServiceLimit.PER_YEAR, 12),
    ("med-family", "家庭医生签约", ServiceGroup.MEDICAL, "ABCDE", ServiceLimit.ONCE, 1),
    ("sch-enrol", "子女义务教育入学协调", ServiceGroup.SCHOOLING, "ABCD", ServiceLimit.ONCE, 1),
    ("sch-kinder", "子女入园协调", ServiceGroup.SCHOOLING, "ABCD", ServiceLimit.ONCE, 1),
    ("sch-transfer", "子女转学服务", ServiceGroup.SCHOOLING, "ABC", ServiceLimit.ONCE, 1),
    ("cul-scenic", "景区免费游览", ServiceGroup.CULTURE, "ABCDE", ServiceLimit.PER_YEAR, 4),
    ("cul-theatre", "文化演出优惠票", ServiceGroup.CULTURE, "ABCDE", ServiceLimit.PER_YEAR, 6),
    ("cul-library", "图书馆人才借阅证", ServiceGroup.CULTURE, "ABCDE", ServiceLimit.ONCE, 1),
    ("sp-gym", "体育场馆免费健身", ServiceGroup.SPORTS, "ABCD", ServiceLimit.PER_YEAR, 52),
    ("sp-pool", "游泳馆优惠", ServiceGroup.SPORTS, "ABCD", ServiceLimit.PER_YEAR, 24),
    ("fin-loan", "人才贷快速审批", ServiceGroup.FINANCE, "ABC", ServiceLimit.ONCE, 1),
    ("fin-card", "人才金融服务卡", ServiceGroup.FINANCE, "ABC", ServiceLimit.ONCE, 1),
    ("gov-window", "政务服务人才专窗", ServiceGroup.GOVERNMENT, "ABCDE", ServiceLimit.UNLIMITED, 1),
    ("gov-hukou", "落户一件事办理", ServiceGroup.GOVERNMENT, "ABCDE", ServiceLimit.ONCE, 1),
    ("gov-spouse", "配偶就业推荐", ServiceGroup.GOVERNMENT, "ABCD", ServiceLimit.ONCE, 1),
    (
        "tr-course",
        "专业技术人员继续教育课程",
        ServiceGroup.TRAINING,
        "ABCDE",
        ServiceLimit.PER_YEAR,
        2,
    ),
    ("tr-salon", "人才沙龙与交流活动", ServiceGroup.TRAINING, "ABCDE", ServiceLimit.PER_YEAR, 12),
    ("tr-overseas", "海外研修资助申请", ServiceGroup.TRAINING, "ABC", ServiceLimit.ONCE, 1),
    ("tr-lab", "共享实验室预约", ServiceGroup.TRAINING, "ABCD", ServiceLimit.PER_YEAR, 12),
    ("med-dental", "口腔检查", ServiceGroup.MEDICAL, "ABCDE", ServiceLimit.PER_YEAR, 1),
    ("cul-museum", "博物馆讲解预约", ServiceGroup.CULTURE, "ABCDE", ServiceLimit.PER_YEAR, 4),
    ("sp-venue", "运动场地优先预订", ServiceGroup.SPORTS, "ABCDE", ServiceLimit.PER_YEAR, 12),
    ("fin-insurance", "人才补充医疗保险", ServiceGroup.FINANCE, "ABCD", ServiceLimit.PER_YEAR, 1),
    ("sch-summer", "子女暑期托管", ServiceGroup.SCHOOLING, "ABCDE", ServiceLimit.PER_YEAR, 1),
    (
        "gov-permit",
        "外籍人才工作许可帮办",
        ServiceGroup.GOVERNMENT,
        "ABC",
        ServiceLimit.PER_YEAR,
        2,
    ),
    ("apt-clean", "人才公寓保洁服务", ServiceGroup.APARTMENT, "ABC", ServiceLimit.PER_YEAR, 12),
    ("tr-airport", "机场接送服务", ServiceGroup.TRANSPORT, "AB", ServiceLimit.PER_YEAR, 4),
    ("med-elder", "父母就医陪诊", ServiceGroup.MEDICAL, "ABC", ServiceLimit.PER_YEAR, 4),
    ("cul-cinema", "电影观影券", ServiceGroup.CULTURE, "ABCDE", ServiceLimit.PER_YEAR, 12),
    ("tr-mentor", "创业导师一对一辅导", ServiceGroup.TRAINING, "ABCD", ServiceLimit.PER_YEAR, 4),
)


def _providers(ctx: DemoContext) -> dict[tuple[str, str], Organisation]:
    """(region code, group) → provider; missing ones are created in bulk."""
    found: dict[tuple[str, str], Organisation] = {}
    planned: list[Organisation] = []
    shared: dict[int, list] = {}
    yrd = ctx.alliance("yrd-demo-zone")
    for code, place, _slug in REGIONS:
        for key, pattern, industry, group in PROVIDERS:
            generated = ctx.orgs.get(f"{REGION_KEY[code]}_{GENERATED_KEYS.get(key, '-')}")
            name = pattern.format(r=place)
            existing = generated or Organisation.objects.filter(name=name).first()
            if existing is not None:
                found[(code, group)] = existing
                continue
            org = Organisation(
                name=name,
                kind=OrganisationKind.SERVICE_PROVIDER,
                region=ctx.region(code),
                industry_id=industry,
                description=NOTE,
                data_source=DataSource.GENERATED,
            )
            planned.append(org)
            shared[id(org)] = [yrd]
            found[(code, group)] = org
    if planned:
        bulk.organisations_bulk_create(planned, shared_with=shared, system_label=SYSTEM_LABEL)
    for (code, group), org in found.items():
        ctx.orgs.setdefault(f"talent_service_{code}_{group}", org)
    return found


def services_create(ctx: DemoContext) -> int:
    """The catalogue: every service type in each of the three regions (≥ 120 services)."""
    providers = _providers(ctx)
    taken = set(Service.objects.values_list("code", flat=True))
    services = []
    for code, place, slug in REGIONS:
        for type_code, name, group, tiers, limit, count in SERVICE_TYPES:
            service_code = f"{slug}-{type_code}"
            if service_code in taken:
                continue
            provider = providers[(code, group)]
            services.append(
                Service(
                    code=service_code,
                    name=f"{place}{name}",
                    provider=provider,
                    region=ctx.region(code),
                    group=group,
                    eligible_tiers=tiers,
                    limit=limit,
                    limit_count=count if limit == ServiceLimit.PER_YEAR else 1,
                    description=f"{NOTE}{provider.name}提供；示范区人才凭“人才码”享受。",
                )
            )
    Service.objects.bulk_create(services, batch_size=500)
    return len(services)
