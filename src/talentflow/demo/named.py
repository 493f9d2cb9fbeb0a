"""The article's world: every organisation and person the seed article names, and the pools.

Source: shared/seed/000_eea76f0dae49dd7d.txt (嘉善, 青田 and 黄岩 features). Records here carry
``DataSource.ARTICLE``; the three graduate students of 唐宁, whom the article counts but does not
name, carry invented names and ``DataSource.GENERATED``.

What the article does not say, the demo does not invent about real people: no identity numbers,
birth years, phone numbers, genders; education and titles only where the article states or
plainly implies them (教授, 研究员, 博士生, 中专). Affiliations need a start date and the article
gives few; where a date is the demo's assumption, the affiliation's note says so.

Region codes are GB/T 2260, checked against reference/data/cn_admin_divisions_county_2025.csv.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from talentflow.core.models import DataSource
from talentflow.demo.context import SYSTEM_LABEL, DemoContext
from talentflow.directory import services
from talentflow.directory.models import (
    AffiliationKind,
    Availability,
    Education,
    OrganisationKind,
)
from talentflow.reference.models import (
    Discipline,
    DisciplineScheme,
    Industry,
    TitleLevel,
    TitleSeries,
)

YRD = "yrd-demo-zone"
LISHUI = "lishui-1plus9"

USCC_NOTE = "统一社会信用代码为演示生成（校验位有效），并非该企业的真实代码。"
DATE_ASSUMED = "起始日期文章未载，为演示设定。"


@dataclass(frozen=True)
class OrgSpec:
    key: str
    name: str
    kind: str
    region: str
    industry: str | None = None
    parent: str | None = None
    address: str = ""
    website: str = ""
    description: str = ""
    shared_with: tuple[str, ...] = ()
    data_source: str = DataSource.ARTICLE


E, U, R, P, G, A = (
    OrganisationKind.ENTERPRISE,
    OrganisationKind.UNIVERSITY,
    OrganisationKind.RESEARCH_INSTITUTE,
    OrganisationKind.PLATFORM,
    OrganisationKind.GOVERNMENT,
    OrganisationKind.ASSOCIATION,
)

# Parents come before their children. Industries are GB/T 4754-2017 小类.
ORGANISATIONS: tuple[OrgSpec, ...] = (
    # Universities, at their main campus.
    OrgSpec(
        "zju",
        "浙江大学",
        U,
        "330106",
        "8341",
        website="https://www.zju.edu.cn/",
        description="高校。求是讲席教授谭刚任浙江福莱新材料股份有限公司“科技副总”。",
    ),
    OrgSpec(
        "fudan",
        "复旦大学",
        U,
        "310110",
        "8341",
        website="https://www.fudan.edu.cn/",
        description="高校，在嘉善设有嘉善复旦研究院。",
    ),
    OrgSpec(
        "shu",
        "上海大学",
        U,
        "310113",
        "8341",
        website="https://www.shu.edu.cn/",
        description="高校，在嘉善设有上海大学(浙江)高端装备基础件材料研究院。",
    ),
    # 杭州电子科技大学 and 浙江理工大学: main campuses in 下沙, 钱塘区 since the 2021 redistricting.
    OrgSpec(
        "hdu",
        "杭州电子科技大学",
        U,
        "330114",
        "8341",
        website="https://www.hdu.edu.cn/",
        description="高校，在嘉善设有杭州电子科技大学嘉善研究院。",
    ),
    OrgSpec(
        "zstu",
        "浙江理工大学",
        U,
        "330114",
        "8341",
        website="https://www.zstu.edu.cn/",
        description="高校，在青田设有浙江理工大学青田研究院。",
    ),
    OrgSpec(
        "ustb",
        "北京科技大学",
        U,
        "110108",
        "8341",
        website="https://www.ustb.edu.cn/",
        description="高校，在青田设有北京科技大学青田新材料研究院。",
    ),
    OrgSpec(
        "neu",
        "东北大学",
        U,
        "210102",
        "8341",
        website="https://www.neu.edu.cn/",
        description="高校。白景元在此攻读博士学位。",
    ),
    OrgSpec(
        "lszy",
        "丽水职业技术学院",
        U,
        "331102",
        "8341",
        shared_with=(LISHUI,),
        description="丽水市“编制在学校、服务在企业”的校院企人才“合伙人”机制：白景元毕业后"
        "入职本校，并任浙江侠峰精密压铸有限公司“科技副总”。",
    ),
    # The college's seat is taken to be 椒江区; the demo has not verified the campus district.
    OrgSpec(
        "tzvtc",
        "台州职业技术学院",
        U,
        "331002",
        "8341",
        description="李克杰所在高校；以“互聘共享”机制服务浙江赛豪实业有限公司。",
    ),
    # 嘉善: platforms and research institutes of universities.
    OrgSpec(
        "zju_oasis",
        "浙江大学长三角智慧绿洲创新中心",
        P,
        "330421",
        "7320",
        parent="zju",
        shared_with=(YRD,),
        description="浙江大学在嘉善的创新平台（文中简称“浙大智慧绿洲”）。研究员唐宁带3名研究生"
        "长期驻扎浙江中扬立库技术有限公司，完成“基于视觉感知的智能物流机器人关键技术”等攻关。",
    ),
    OrgSpec(
        "fudan_jiashan",
        "嘉善复旦研究院",
        R,
        "330421",
        "7320",
        parent="fudan",
        shared_with=(YRD,),
        description="参与嘉善研究生入企联合培养。",
    ),
    OrgSpec(
        "shu_zhejiang",
        "上海大学(浙江)高端装备基础件材料研究院",
        R,
        "330421",
        "7320",
        parent="shu",
        shared_with=(YRD,),
        description="参与嘉善研究生入企联合培养。",
    ),
    OrgSpec(
        "hdu_jiashan",
        "杭州电子科技大学嘉善研究院",
        R,
        "330421",
        "7320",
        parent="hdu",
        address="浙江省嘉兴市嘉善县罗星街道",
        shared_with=(YRD,),
        description="位于嘉善县罗星街道。2024年向企业推荐教授刘兵到企担任“科技副总”；"
        "参与嘉善研究生入企联合培养。",
    ),
    # 嘉善: enterprises.
    OrgSpec(
        "zhongyang",
        "浙江中扬立库技术有限公司",
        E,
        "330421",
        "3439",
        address="浙江省嘉兴市嘉善县嘉善经济技术开发区",
        description="位于嘉善经济技术开发区，企业实验室有浙大智慧绿洲研究员唐宁及3名研究生长期"
        "驻扎，开展“基于视觉感知的智能物流机器人关键技术”等校企合作攻关。",
    ),
    OrgSpec(
        "wantai",
        "浙江万泰钢有限公司",
        E,
        "330421",
        "3130",
        description="与研发机构共建“城市钢厂绿色化产业技术中心”，与高校导师联合培养研究生，"
        "以钢筋节能降碳技术为研究生课题，合作开发稀土耐蚀钢筋和耐海洋腐蚀钢筋。",
    ),
    OrgSpec(
        "wantai_centre",
        "城市钢厂绿色化产业技术中心",
        P,
        "330421",
        "7320",
        parent="wantai",
        description="浙江万泰钢有限公司与研发机构共建（文章未写明合作研发机构）。",
    ),
    OrgSpec(
        "yanyi",
        "浙江研一特材技术有限公司",
        E,
        "330421",
        "2651",
        address="浙江省嘉兴市嘉善县罗星街道",
        description="位于嘉善县罗星街道，5条自动化生产线生产特种塑料颗粒，产品受新能源行业头部"
        "企业青睐。",
    ),
    OrgSpec(
        "fulai",
        "浙江福莱新材料股份有限公司",
        E,
        "330421",
        "2921",
        description="浙江大学求是讲席教授谭刚任“科技副总”，带领硕博团队协助企业解决BOPP薄膜"
        "涂布窝点问题；企业省级人才杨晓明任“产业教授”，为研究生提供技术指导和实验场地。",
    ),
    # 青田: research institutes, enterprises, the skills service team.
    OrgSpec(
        "zstu_qingtian",
        "浙江理工大学青田研究院",
        R,
        "331121",
        "7320",
        parent="zstu",
        shared_with=(LISHUI,),
        description="院长张光。“一链一院一团队”，“车间里搞科研”：在技能服务团的需求信息基础上"
        "走访规上企业、摸排技术需求并定向攻关；试点打造省市县共建产业专家服务基地；通过丽水市"
        "“1+9”共享人才库服务松阳等周边区域企业。",
    ),
    OrgSpec(
        "ustb_qingtian",
        "北京科技大学青田新材料研究院",
        R,
        "331121",
        "7320",
        parent="ustb",
        shared_with=(LISHUI,),
        description="“一链一院一团队”；以“七步科技创新工作法”匹配校内专家成果，“导师+研究生+"
        "企业工程师”混编团队驻扎车间；助力本地龙头企业青山钢铁牵头承担国家重点研发计划。",
    ),
    # 侠峰 appears in the 青田 feature (found by 青田's skills service team); its registration
    # district is the article's context, not a verified registry entry.
    OrgSpec(
        "xiafeng",
        "浙江侠峰精密压铸有限公司",
        E,
        "331121",
        "3392",
        description="青田县技能服务团摸排发现其钢材压铸工艺瓶颈，通过高校渠道对接东北大学博士生"
        "白景元，企业计划投入百万元科研资金；白景元2025年7月起任“科技副总”。",
    ),
    OrgSpec(
        "ruixing",
        "浙江瑞兴阀门有限公司",
        E,
        "331121",
        "3443",
        address="浙江省丽水市青田县油竹街道",
        description="位于青田油竹街道。与浙江理工大学青田研究院专家团队围绕新一代低温液氧阀开展"
        "现场“会诊”，产品合格率显著提升。",
    ),
    OrgSpec(
        "yongxin",
        "青田县永鑫阀门有限公司",
        E,
        "331121",
        "3443",
        description="北京科技大学青田新材料研究院以“七步科技创新工作法”为其量身定制技术升级方案，"
        "混编团队驻扎车间，通过材料革新降低铸件成本。",
    ),
    # The article says only "本地龙头企业青山钢铁"; the registered name of the 青田 company is
    # not verified, so the record uses the article's name.
    OrgSpec(
        "qingshan",
        "青山钢铁",
        E,
        "331121",
        "3120",
        description="文中称“本地龙头企业青山钢铁”（企业登记全称未核实，沿用文章用名）。在北京科技"
        "大学青田新材料研究院助力下牵头承担国家重点研发计划。",
    ),
    # 黄岩.
    OrgSpec(
        "kaihua",
        "浙江凯华模具有限公司",
        E,
        "331003",
        "3525",
        description="国家级高新技术企业，黄岩首批行业公荐试点单位。模具组长梁建宇、技术主管蔡文军"
        "入选黄岩区首批“行业公荐”榜单。",
    ),
    # 赛豪 appears in the 黄岩 feature; its registration district is not verified.
    OrgSpec(
        "saihao",
        "浙江赛豪实业有限公司",
        E,
        "331003",
        "3525",
        description="台州职业技术学院李克杰以“互聘共享”机制任“科技副总”，带领团队攻克模块化"
        "水路型芯。",
    ),
    # The association's seat in 北京 is recorded at city level: the district is not verified.
    OrgSpec(
        "cdmia",
        "中国模具工业协会",
        A,
        "110100",
        "9522",
        description="全国性行业协会，曾授予浙江凯华模具有限公司梁建宇“卓越模工”荣誉称号。",
    ),
    # Talent offices (县委/区委/市委人才办): the officers' organisations.
    OrgSpec(
        "office_jiashan",
        "嘉善县委人才办",
        G,
        "330421",
        description="推动“六方联动”研究生入企培养、“科技副总”选派与“产业教授”机制；与青浦、"
        "吴江共建示范区人才跨域流动共享。",
    ),
    OrgSpec(
        "office_qingpu",
        "青浦区委人才办",
        G,
        "310118",
        description="示范区三地之一：职称评审、跨域申报、资格互认。",
    ),
    OrgSpec(
        "office_wujiang",
        "吴江区委人才办",
        G,
        "320509",
        description="示范区三地之一：职称评审、跨域申报、资格互认。",
    ),
    OrgSpec(
        "office_qingtian",
        "青田县委人才办",
        G,
        "331121",
        description="组建产业发展技能服务团；推出“实用型产业人才积分评价办法”。",
    ),
    OrgSpec(
        "office_huangyan",
        "黄岩区委人才办",
        G,
        "331003",
        description="“永宁骏才”人才评价体系（六大类别），“企业认定、政府认账”专项评价。",
    ),
    OrgSpec(
        "office_lishui",
        "丽水市委人才办",
        G,
        "331100",
        description="丽水市“1+9”共享人才库；“编制在学校、服务在企业”的校院企人才“合伙人”机制。",
    ),
    OrgSpec(
        "qingtian_team",
        "青田县产业发展技能服务团",
        G,
        "331121",
        shared_with=(LISHUI,),
        description="青田县组建：聚焦平台落地、机制改革，深耕一线需求排摸，推动产才精准对接；"
        "为浙江侠峰精密压铸有限公司对接白景元并全程“陪跑”。",
    ),
)


@dataclass(frozen=True)
class PoolSpec:
    key: str
    code: str
    name: str
    region: str | None = None
    alliance: str | None = None
    description: str = ""


POOLS: tuple[PoolSpec, ...] = (
    PoolSpec(
        "yrd",
        "yrd-demo-zone",
        "示范区人才库",
        alliance=YRD,
        description="长三角生态绿色一体化发展示范区（嘉善、青浦、吴江）共享人才库："
        "一地认定、三地互认。",
    ),
    PoolSpec(
        "lishui",
        "lishui-1plus9",
        "丽水“1+9”共享人才库",
        alliance=LISHUI,
        description="丽水市与所辖九个县（市、区）共建共享，跨县调配人才解决企业难题。",
    ),
    PoolSpec(
        "jiashan_vp",
        "jiashan-kjfz",
        "嘉善县科技副总专家库",
        region="330421",
        description="企业提出需求、指定领域与目标院校后，政府协助联系专家兼任“科技副总”。",
    ),
    PoolSpec(
        "qingtian_team",
        "qingtian-jnfwt",
        "青田县技能服务团人才库",
        region="331121",
        description="青田县产业发展技能服务团排摸企业需求、匹配共享人才。",
    ),
    PoolSpec(
        "huangyan_yongning",
        "huangyan-ynjc",
        "黄岩区“永宁骏才”人才库",
        region="331003",
        description="“永宁骏才”评价体系发现的人才：从一线工匠到一流专家。",
    ),
)


@dataclass(frozen=True)
class AffSpec:
    org: str
    kind: str
    start: dt.date
    end: dt.date | None = None
    position: str = ""
    note: str = ""


@dataclass(frozen=True)
class PersonSpec:
    key: str
    name: str
    home_region: str
    expertise: str = ""
    biography: str = ""
    education: str = ""
    gender: str = ""
    title: tuple[int, str] | None = None  # (title series number, TitleLevel)
    disciplines: tuple[str, ...] = ()  # 2022 graduate catalogue codes
    industries: tuple[str, ...] = ()
    pools: tuple[str, ...] = ()
    affiliations: tuple[AffSpec, ...] = ()
    availability: str = Availability.AVAILABLE
    data_source: str = DataSource.ARTICLE


EMPLOYED, SECONDED, SERVING, STUDYING = (
    AffiliationKind.EMPLOYED,
    AffiliationKind.SECONDED,
    AffiliationKind.SERVING,
    AffiliationKind.STUDYING,
)
UNIVERSITY_TEACHER, NATURAL_SCIENCE_RESEARCHER = 1, 3  # 职称系列 numbers (zhicheng_series_27)


def _tang_ning_student(key: str, name: str, gender: str) -> PersonSpec:
    # The article: "唐宁带着3名研究生长期驻扎企业" — three unnamed students; the names are
    # invented for the demo, so the records are labelled generated.
    return PersonSpec(
        key=key,
        name=name,
        home_region="330106",
        gender=gender,
        education=Education.BACHELOR,
        expertise="机器视觉；智能物流机器人；视觉感知",
        biography="浙江大学研究生，随导师唐宁长期驻扎浙江中扬立库技术有限公司，参与“基于视觉感知的"
        "智能物流机器人关键技术”攻关。（演示数据：文章未写研究生姓名，姓名为虚构。）",
        disciplines=("0811",),
        industries=("3439",),
        affiliations=(
            AffSpec("zju", STUDYING, dt.date(2023, 9, 1), position="硕士研究生", note=DATE_ASSUMED),
            AffSpec(
                "zhongyang",
                SECONDED,
                dt.date(2024, 3, 1),
                position="驻企研究生",
                note="“六方联动”入企联合培养。" + DATE_ASSUMED,
            ),
        ),
        data_source=DataSource.GENERATED,
    )


PEOPLE: tuple[PersonSpec, ...] = (
    PersonSpec(
        key="tangning",
        name="唐宁",
        home_region="330421",
        title=(NATURAL_SCIENCE_RESEARCHER, TitleLevel.SENIOR_FULL),
        expertise="机器视觉；视觉感知；智能物流机器人",
        biography="浙江大学长三角智慧绿洲创新中心研究员，带着3名研究生长期驻扎浙江中扬立库技术有限公司，"
        "参与校企合作项目，完成“基于视觉感知的智能物流机器人关键技术”等科研攻关。",
        disciplines=("0811",),
        industries=("3439",),
        pools=("yrd",),
        affiliations=(
            AffSpec(
                "zju_oasis", EMPLOYED, dt.date(2022, 1, 1), position="研究员", note=DATE_ASSUMED
            ),
            AffSpec(
                "zhongyang",
                SECONDED,
                dt.date(2024, 3, 1),
                position="驻企研究员",
                note="带3名研究生长期驻扎企业。" + DATE_ASSUMED,
            ),
        ),
    ),
    _tang_ning_student("tangning_student_1", "陈思远", "male"),
    _tang_ning_student("tangning_student_2", "许嘉怡", "female"),
    _tang_ning_student("tangning_student_3", "周子涵", "male"),
    PersonSpec(
        key="tangang",
        name="谭刚",
        home_region="330106",
        title=(UNIVERSITY_TEACHER, TitleLevel.SENIOR_FULL),
        expertise="薄膜涂布；BOPP；功能膜材料",
        biography="浙江大学求是讲席教授。作为浙江福莱新材料股份有限公司的“科技副总”，带领硕博团队"
        "协助企业解决BOPP薄膜涂布窝点问题，实现创收超500万元；团队中2名研究生开展膜材料技术攻关。",
        disciplines=("0805",),
        industries=("2921",),
        pools=("jiashan_vp", "yrd"),
        availability=Availability.LIMITED,
        affiliations=(
            AffSpec(
                "zju", EMPLOYED, dt.date(2015, 1, 1), position="求是讲席教授", note=DATE_ASSUMED
            ),
            AffSpec(
                "fulai",
                SERVING,
                dt.date(2024, 3, 1),
                position="科技副总",
                note="政府部门协助联系，兼任企业“科技副总”。" + DATE_ASSUMED,
            ),
        ),
    ),
    PersonSpec(
        key="yangxiaoming",
        name="杨晓明",
        home_region="330421",
        expertise="膜材料；薄膜涂布",
        biography="浙江福莱新材料股份有限公司省级人才，主动担任“产业教授”，为研究生提供技术指导和"
        "实验场地：“产业教授可以把学校的科研成果带到企业，也能把企业的技术问题带到高校。”",
        industries=("2921",),
        pools=("yrd",),
        affiliations=(
            AffSpec(
                "fulai",
                EMPLOYED,
                dt.date(2018, 1, 1),
                position="产业教授（企业省级人才）",
                note=DATE_ASSUMED,
            ),
        ),
    ),
    PersonSpec(
        key="liubing",
        name="刘兵",
        home_region="330114",
        title=(UNIVERSITY_TEACHER, TitleLevel.SENIOR_FULL),
        # The article names neither his field nor the enterprise he serves: neither is invented.
        biography="杭州电子科技大学教授。2024年由杭州电子科技大学嘉善研究院推荐到企担任“科技副总”，"
        "打通科研成果从实验室走向生产线的“最后一米”（文章未写企业名称）。",
        pools=("jiashan_vp",),
        affiliations=(
            AffSpec("hdu", EMPLOYED, dt.date(2010, 1, 1), position="教授", note=DATE_ASSUMED),
            AffSpec(
                "hdu_jiashan",
                SERVING,
                dt.date(2024, 1, 1),
                position="研究院推荐专家",
                note="2024年由研究院推荐到企担任“科技副总”，文章未写企业名称；日期按年份设定。",
            ),
        ),
    ),
    PersonSpec(
        key="baijingyuan",
        name="白景元",
        home_region="331102",
        education=Education.DOCTORATE,
        expertise="压铸；钢材压铸工艺；散热壳体；耐腐蚀",
        biography="东北大学博士生，经青田县技能服务团对接，解决浙江侠峰精密压铸有限公司钢材压铸工艺"
        "瓶颈。毕业后入职丽水职业技术学院，2025年7月起任侠峰“科技副总”（校院企人才“合伙人”："
        "编制在学校、服务在企业）。团队累计攻克3项核心技术难题。",
        disciplines=("0805",),
        industries=("3392",),
        pools=("lishui", "qingtian_team"),
        affiliations=(
            AffSpec(
                "neu",
                STUDYING,
                dt.date(2021, 9, 1),
                dt.date(2025, 6, 30),
                position="博士研究生",
                note="入学日期文章未载，为演示设定；2025年毕业。",
            ),
            AffSpec(
                "lszy",
                EMPLOYED,
                dt.date(2025, 7, 1),
                position="教师",
                note="“合伙人”机制：编制在学校。入职日期按文章“2025年7月”设定。",
            ),
            AffSpec(
                "xiafeng",
                SERVING,
                dt.date(2025, 7, 1),
                position="科技副总",
                note="“合伙人”机制：服务在企业。2025年7月正式受聘。",
            ),
        ),
    ),
    PersonSpec(
        key="zhangbin",
        name="章斌",
        home_region="331121",
        expertise="阀门；低温液氧阀",
        biography="浙江瑞兴阀门有限公司技术部经理。与浙江理工大学青田研究院专家团队围绕新一代低温"
        "液氧阀现场“会诊”：“合作带来了扎实的理论支撑，让生产难题迎刃而解，产品合格率显著提升。”",
        industries=("3443",),
        pools=("qingtian_team",),
        affiliations=(
            AffSpec(
                "ruixing", EMPLOYED, dt.date(2015, 1, 1), position="技术部经理", note=DATE_ASSUMED
            ),
        ),
    ),
    PersonSpec(
        key="zhangguang",
        name="张光",
        home_region="331121",
        expertise="阀门；低温液氧阀",
        biography="浙江理工大学青田研究院院长：“研究院的首要任务不是发表论文，而是深入车间。”"
        "在技能服务团提供的需求信息基础上，研究院走访规上企业、摸排技术需求并开展定向攻关。",
        industries=("3443",),
        pools=("lishui", "qingtian_team"),
        affiliations=(
            AffSpec(
                "zstu_qingtian", EMPLOYED, dt.date(2022, 1, 1), position="院长", note=DATE_ASSUMED
            ),
        ),
    ),
    PersonSpec(
        key="liangjianyu",
        name="梁建宇",
        home_region="331003",
        education=Education.SECONDARY,
        expertise="模具；模具制造",
        biography="浙江凯华模具有限公司模具组长，中专（高中）学历，在模具岗位深耕29年，深度参与公司"
        "多项关键专利研发和技术攻关；曾获中国模具工业协会授予的“卓越模工”荣誉称号；入选黄岩区首批"
        "“行业公荐”榜单。",
        industries=("3525",),
        pools=("huangyan_yongning",),
        affiliations=(
            AffSpec(
                "kaihua",
                EMPLOYED,
                dt.date(1997, 1, 1),
                position="模具组长",
                note="文章称其在模具岗位深耕29年；在凯华的起始日期文章未载，按从业年限设定。",
            ),
        ),
    ),
    PersonSpec(
        key="caiwenjun",
        name="蔡文军",
        home_region="331003",
        expertise="模具；技术管理",
        biography="浙江凯华模具有限公司技术主管，与梁建宇一同入选黄岩区首批“行业公荐”榜单。",
        industries=("3525",),
        pools=("huangyan_yongning",),
        affiliations=(
            AffSpec(
                "kaihua", EMPLOYED, dt.date(2012, 1, 1), position="技术主管", note=DATE_ASSUMED
            ),
        ),
    ),
    PersonSpec(
        key="likejie",
        name="李克杰",
        home_region="331002",
        expertise="模具；模块化水路型芯",
        biography="台州职业技术学院教师。通过黄岩“互聘共享”机制担任浙江赛豪实业有限公司“科技副总”，"
        "带领团队攻克模块化水路型芯。",
        disciplines=("0802",),
        industries=("3525",),
        pools=("huangyan_yongning",),
        affiliations=(
            AffSpec("tzvtc", EMPLOYED, dt.date(2012, 9, 1), position="教师", note=DATE_ASSUMED),
            AffSpec(
                "saihao",
                SERVING,
                dt.date(2023, 1, 1),
                position="科技副总",
                note="“互聘共享”。" + DATE_ASSUMED,
            ),
        ),
    ),
)


# Steps -----------------------------------------------------------------------------------


def organisations_create(ctx: DemoContext) -> int:
    for spec in ORGANISATIONS:
        uscc = None
        description = spec.description
        if spec.kind == OrganisationKind.ENTERPRISE:
            uscc = ctx.usccs.allocate(spec.region, spec.name)
            description = f"{description}\n{USCC_NOTE}"
        ctx.orgs[spec.key] = services.organisation_create(
            actor=None,
            system_label=SYSTEM_LABEL,
            name=spec.name,
            kind=spec.kind,
            region=ctx.region(spec.region),
            uscc=uscc,
            industry=spec.industry,
            parent=ctx.orgs[spec.parent] if spec.parent else None,
            address=spec.address,
            website=spec.website,
            description=description,
            shared_with=[ctx.alliance(code) for code in spec.shared_with],
            data_source=spec.data_source,
        )
    return len(ORGANISATIONS)


def pools_create(ctx: DemoContext) -> int:
    for spec in POOLS:
        ctx.pools[spec.key] = services.pool_create(
            actor=None,
            system_label=SYSTEM_LABEL,
            code=spec.code,
            name=spec.name,
            region=ctx.region(spec.region) if spec.region else None,
            alliance=ctx.alliance(spec.alliance) if spec.alliance else None,
            description=spec.description,
        )
    return len(POOLS)


def talents_create(ctx: DemoContext) -> int:
    from talentflow.demo.logins import user_for_talent

    series = {s.seq: s for s in TitleSeries.objects.all()}
    disciplines = {
        d.code: d for d in Discipline.objects.filter(scheme=DisciplineScheme.GRADUATE_2022)
    }
    created = 0
    for spec in PEOPLE:
        fields: dict = {
            "gender": spec.gender,
            "education": spec.education,
            "expertise": spec.expertise,
            "biography": spec.biography,
            "availability": spec.availability,
            "disciplines": [disciplines[c] for c in spec.disciplines],
            "industries": list(Industry.objects.filter(code__in=spec.industries)),
            "pools": [ctx.pools[k] for k in spec.pools],
        }
        if spec.title:
            fields["title_series"] = series[spec.title[0]]
            fields["title_level"] = spec.title[1]
        user = user_for_talent(ctx, spec.key)
        if user is not None:
            fields["user"] = user
        talent = services.talent_create(
            actor=None,
            system_label=SYSTEM_LABEL,
            name=spec.name,
            home_region=ctx.region(spec.home_region),
            data_source=spec.data_source,
            **fields,
        )
        ctx.talents[spec.key] = talent
        created += 1
        for aff in spec.affiliations:
            services.affiliation_create(
                actor=None,
                system_label=SYSTEM_LABEL,
                talent=talent,
                organisation=ctx.orgs[aff.org],
                kind=aff.kind,
                start_date=aff.start,
                end_date=aff.end,
                position=aff.position,
                note=aff.note,
            )
            created += 1
    return created
