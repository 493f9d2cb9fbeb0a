"""The needs of the demo: the article's cases at the stage they reached, 青田's visits, and
generated needs in every region and every stage of the lifecycle
(企业出题 → 政府助题 → 平台答题 → 车间验题 → 市场评价).

Every record is written through ``needs.services`` by the system task "demo", backdated with
``at=`` so the timelines read as the 2024–2026 history they replay. What the platform's pages
compute from these records is what the article reports (shared/scenario/seed_figures.csv):

- S30, S31: 浙江理工大学青田研究院 visited 78 above-scale 青田 enterprises (some twice) and
  collected 54 needs on those visits — ``selectors.visit_summary``;
- S26–S29, S37: three needs of 浙江侠峰精密压铸 solved and closed by 白景元's team
  (丽水职业技术学院, where he is employed since July 2025), the first under a 1,000,000-yuan
  contract; confirmed outcomes: corrosion life +30 %, 2 invention patents granted, die-casting
  energy −15 %;
- S08: 谭刚's team at 浙江福莱新材料 (BOPP coating), revenue more than 5,000,000 yuan;
- S05, S06: 浙江万泰钢's corrosion-resistant rebar, output value 20,000,000 yuan, 2 students
  retained;
- S32: 青田县永鑫阀门, castings cost more than 400 yuan lower per tonne;
- S34–S36: the two 青田 institutes' engagements (横向项目): exactly 15, contracts totalling more
  than 10,000,000 yuan, and confirmed revenue plus new output value of the enterprises they
  served (``OutcomeKind.REVENUE`` + ``OutcomeKind.OUTPUT_VALUE``, the article's
  "产业化收入") of more than 45,000,000 yuan — ``selectors.engagement_report`` and
  ``selectors.outcome_report(by="institution")``.

What the article does not say is not invented about real organisations and people: where a
named case needs a number the article does not give (a contract amount other than 侠峰's, a
criterion's threshold), the value is the demo's assumption and says so, or the record leaves
it out (瑞兴's pass rate "显著提升" has no number, so no pass-rate outcome is recorded). The
breakdown of the institutes' totals over individual projects, and everything around the
article's cases, is generated and labelled ``DataSource.GENERATED``.

Dates: the article's cases and 青田's visits happened before the article (late 2025) and keep
fixed dates. Generated needs that are still open are dated relative to the day of the load, so
their deadlines lie ahead (or, for the deliberately overdue ones, just behind) whenever the
demo is loaded.

The article's figures hold at any ``scale``: where a small scale leaves fewer generated 青田
enterprises than the 78 visited, this step adds generated ones (labelled, audited).
"""

from __future__ import annotations

import datetime as dt
import inspect
import random
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Model

from talentflow.core.models import DataSource
from talentflow.core.notifications import notifications_mark_read
from talentflow.demo import bulk
from talentflow.demo.context import SYSTEM_LABEL, DemoContext
from talentflow.demo.generated import GeneratedEnterprise, person_name
from talentflow.demo.vocabulary import PROFILES, REGION_PLANS, TOWNS, UNIVERSITY_PROFILES
from talentflow.directory import services as directory_services
from talentflow.directory.models import (
    Affiliation,
    AffiliationKind,
    Education,
    Gender,
    Organisation,
    OrganisationKind,
    TalentProfile,
)
from talentflow.needs import services
from talentflow.needs.models import (
    Engagement,
    EnterpriseVisit,
    Need,
    Outcome,
    Proposal,
    VerificationRound,
)
from talentflow.reference.models import Discipline, DisciplineScheme

SHANGHAI = ZoneInfo("Asia/Shanghai")
SYSTEM: dict[str, Any] = {"actor": None, "system_label": SYSTEM_LABEL}
ARTICLE, GENERATED = DataSource.ARTICLE, DataSource.GENERATED
QINGTIAN = "331121"
# The article appeared in late 2025: what it counts happened before this day.
ARTICLE_DATE = dt.date(2025, 11, 25)
# The two institutes whose engagements the article counts (S34–S36).
INSTITUTES = ("zstu_qingtian", "ustb_qingtian")
ZSTU_VISITED = 78  # S30
ZSTU_NEEDS = 54  # S31
ZSTU_FOLLOW_UPS = 10  # second visits, e.g. the on-site "会诊" at 瑞兴 — no new needs counted twice

# Record-keeping notes shown on the records themselves (Chinese, like the rest of the data).
ASSUMED = "（合同金额为演示设定，文章未载。）"
GENERATED_NOTE = "（演示数据：企业与需求为生成。）"


# Need templates ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Criterion:
    description: str
    comparator: str = "pass_fail"
    target: float | None = None
    unit: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "comparator": self.comparator,
            "target_value": None if self.target is None else str(self.target),
            "unit": self.unit,
        }


@dataclass(frozen=True)
class OutcomeSpec:
    kind: str
    low: float
    high: float
    step: float  # money in 10,000 yuan steps, percentages in halves, counts whole


@dataclass(frozen=True)
class NeedTemplate:
    title: str  # may contain {p}, a product of the profile
    summary: str
    description: str
    current_state: str
    indicators: str
    criteria: tuple[Criterion, ...]
    approach: str
    outcomes: tuple[OutcomeSpec, ...]
    budget: tuple[int, int] = (200_000, 800_000)


def _pct(kind: str, low: float, high: float) -> OutcomeSpec:
    return OutcomeSpec(kind, low, high, 0.5)


def _money(kind: str, low: float, high: float) -> OutcomeSpec:
    return OutcomeSpec(kind, low, high, 10_000)


def _count(kind: str, low: int, high: int) -> OutcomeSpec:
    return OutcomeSpec(kind, low, high, 1)


AT_LEAST, AT_MOST = "at_least", "at_most"

PRODUCTS: dict[str, tuple[str, ...]] = {
    "valve": ("闸阀", "球阀", "蝶阀", "截止阀", "止回阀", "调节阀"),
    "casting": ("铝合金压铸件", "不锈钢熔模铸件", "球墨铸铁件", "精密铸件", "锌合金压铸件"),
    "steel": ("不锈钢带", "无缝钢管", "特钢棒材", "不锈钢板"),
    "mould": ("汽车保险杠模具", "家电外壳模具", "薄壁包装模具", "多腔注塑模具", "车灯模具"),
    "plastics": ("日用塑料制品", "薄壁注塑件", "家电塑料件"),
    "auto_parts": ("制动卡钳", "转向节", "电机壳体", "底盘支架"),
    "electronics": ("传感器模组", "电源模块", "PCB组件", "光电器件"),
    "new_materials": ("功能膜", "特种工程塑料", "光学膜", "涂层材料"),
    "equipment": ("智能仓储系统", "焊接机器人工作站", "自动化装配线"),
    "precision": ("精密轴承", "减速器齿轮", "滚珠丝杠"),
    "software": ("生产执行系统", "质量追溯平台"),
    "textile": ("印染面料", "化纤织物"),
    "cable": ("光缆护套", "电力电缆"),
    "medical": ("医用导管", "一次性输注器械"),
    "machine_tools": ("带锯床", "数控车床"),
    "wood_toys": ("木制玩具", "益智积木"),
    "bamboo": ("竹集成材", "竹砧板"),
    "ceramics": ("青瓷", "日用陶瓷"),
}

TEMPLATES: dict[str, tuple[NeedTemplate, ...]] = {
    "valve": (
        NeedTemplate(
            "{p}密封面内漏返修率高",
            "{p}出厂密封试验内漏返修多，寻求密封副材料与研磨工艺改进方案。",
            "阀座与阀瓣密封面在出厂试压中出现微渗漏，返修需重新研磨，占用产能；初步判断与密封面"
            "材料硬度匹配和研磨工艺一致性有关。",
            "出厂密封试验一次合格率约92%，返修平均每台耗时1.5小时。",
            "密封试验一次合格率 ≥ 98%\n启闭寿命试验 10000 次无泄漏",
            (
                Criterion("密封试验一次合格率", AT_LEAST, 98, "%"),
                Criterion("启闭寿命试验10000次无泄漏"),
            ),
            "对密封副做硬度梯度匹配设计，优化研磨工艺参数并引入在线检测，形成密封面质量控制规程。",
            (_pct("pass_rate_change", 3, 8), _money("cost_reduction", 200_000, 900_000)),
            (200_000, 600_000),
        ),
        NeedTemplate(
            "{p}阀体铸件气孔与缩松",
            "{p}阀体铸件气孔、缩松导致壳体试压渗漏，需要铸造工艺与凝固模拟支持。",
            "阀体为不锈钢熔模铸件，壁厚不均处易产生缩松；壳体强度试验渗漏后只能报废。",
            "阀体铸件报废率约7%，壳体试压渗漏占不合格原因的六成。",
            "阀体铸件报废率 ≤ 3%\n壳体强度试验一次通过",
            (Criterion("阀体铸件报废率", AT_MOST, 3, "%"), Criterion("壳体强度试验一次通过")),
            "凝固过程数值模拟定位缩松部位，重新设计浇冒口与冷铁布置，配合熔炼除气工艺。",
            (_money("cost_reduction", 300_000, 1_500_000), _pct("pass_rate_change", 2, 6)),
            (300_000, 800_000),
        ),
        NeedTemplate(
            "{p}密封面堆焊层开裂",
            "硬质合金堆焊密封面出现裂纹，需要堆焊工艺与焊材替代方案。",
            "钴基合金堆焊后在热处理和机加工阶段出现微裂纹，着色探伤不合格率高，钴基焊材成本也在上涨。",
            "堆焊层着色探伤不合格率约8%。",
            "堆焊层硬度 ≥ 40 HRC\n着色探伤无裂纹",
            (Criterion("堆焊层硬度", AT_LEAST, 40, "HRC"), Criterion("着色探伤无裂纹")),
            "评估铁基替代焊材，优化预热与层间温度，采用等离子堆焊并制定焊后热处理规范。",
            (_money("cost_reduction", 200_000, 800_000), _count("utility_patent_filed", 1, 2)),
            (150_000, 500_000),
        ),
        NeedTemplate(
            "{p}智能执行机构与远程状态监测",
            "开发带开度反馈和故障预警的智能执行机构，满足化工用户远程运维需求。",
            "用户要求阀门接入DCS并提供运行状态数据，企业缺少嵌入式与工业通信开发能力。",
            "现有电动执行机构仅有开关量反馈，没有状态监测功能。",
            "开度反馈误差 ≤ 1%\n连续运行 168 小时无故障",
            (Criterion("开度反馈误差", AT_MOST, 1, "%"), Criterion("连续运行168小时无故障")),
            "采用霍尔位置传感与电机电流特征监测，开发支持 Modbus/HART 的控制板和状态诊断算法。",
            (_count("new_product", 1, 1), _money("revenue", 1_000_000, 6_000_000)),
            (400_000, 1_000_000),
        ),
        NeedTemplate(
            "{p}低温工况密封失效",
            "LNG 等深冷工况下阀门密封失效，需要低温密封材料与结构方案。",
            "-196℃深冷试验中填料和阀座密封出现泄漏，需要低温材料选型和长颈阀盖结构优化。",
            "深冷试验一次通过率不足80%。",
            "-196℃深冷密封试验通过\n深冷试验一次通过率 ≥ 95%",
            (Criterion("-196℃深冷密封试验"), Criterion("深冷试验一次通过率", AT_LEAST, 95, "%")),
            "筛选改性PTFE与柔性石墨组合密封，优化长颈阀盖传热结构，开展深冷循环试验。",
            (_pct("pass_rate_change", 5, 15), _money("revenue", 800_000, 4_000_000)),
            (300_000, 900_000),
        ),
    ),
    "casting": (
        NeedTemplate(
            "{p}废品率偏高",
            "{p}综合废品率偏高，需要工艺诊断与参数优化。",
            "铸件内部气孔、冷隔和尺寸超差并存，工艺参数靠经验调整，换班后质量波动明显。",
            "综合废品率约8%，X射线抽检不合格占一半。",
            "综合废品率 ≤ 3%\nX射线内部质量抽检合格",
            (Criterion("综合废品率", AT_MOST, 3, "%"), Criterion("X射线内部质量抽检合格")),
            "建立工艺参数与缺陷的对应数据库，用数值模拟优化浇注系统，制定关键参数控制窗口。",
            (_money("cost_reduction", 300_000, 1_200_000), _pct("pass_rate_change", 3, 6)),
        ),
        NeedTemplate(
            "熔炼工序能耗偏高",
            "中频炉熔炼能耗偏高，寻求节能工艺与余热利用方案。",
            "熔炼占全厂用电六成以上，炉料配比和保温时间不合理，余热没有利用。",
            "吨铸件熔炼电耗约620千瓦时。",
            "吨铸件熔炼电耗 ≤ 550 kWh\n铸件化学成分合格",
            (
                Criterion("吨铸件熔炼电耗", AT_MOST, 550, "kWh/吨"),
                Criterion("铸件化学成分合格"),
            ),
            "优化炉料配比与熔炼曲线，改造保温工艺，增设余热回收预热炉料。",
            (_pct("energy_reduction", 8, 18), _money("cost_reduction", 300_000, 1_000_000)),
        ),
        NeedTemplate(
            "{p}压铸模具热裂寿命短",
            "压铸模具型腔热疲劳龟裂早，需要模具材料与表面处理方案。",
            "模具在约4万模次后出现龟裂，修模频繁，影响交期。",
            "模具平均寿命约4万模次。",
            "模具寿命 ≥ 80000 模次",
            (Criterion("模具寿命", AT_LEAST, 80000, "模次"),),
            "选用高韧性热作模具钢，优化热处理并采用氮化加PVD复合涂层，改进模温控制。",
            (_pct("lifetime_change", 30, 80), _money("cost_reduction", 200_000, 700_000)),
        ),
        NeedTemplate(
            "铸造旧砂再生与粉尘治理",
            "旧砂回用率低、车间粉尘大，需要再生工艺与除尘方案。",
            "旧砂大部分外运处置，新砂成本和环保压力都在增加。",
            "旧砂回用率约60%。",
            "旧砂再生回用率 ≥ 90%\n粉尘排放达标",
            (Criterion("旧砂再生回用率", AT_LEAST, 90, "%"), Criterion("粉尘排放达标")),
            "采用热法加机械再生组合工艺，配套脉冲布袋除尘与在线监测。",
            (_money("cost_reduction", 400_000, 1_500_000),),
        ),
        NeedTemplate(
            "{p}尺寸一致性差",
            "{p}关键尺寸波动大、加工余量留得多，需要过程能力提升。",
            "同一批次关键尺寸波动大，只能加大加工余量，材料和机加工成本都高。",
            "关键尺寸过程能力指数 CPK 约0.9。",
            "关键尺寸 CPK ≥ 1.33",
            (Criterion("关键尺寸CPK", AT_LEAST, 1.33),),
            "分析收缩规律修正模具尺寸，建立在线测量与统计过程控制。",
            (_money("cost_reduction", 200_000, 900_000), _pct("pass_rate_change", 2, 5)),
        ),
    ),
    "steel": (
        NeedTemplate(
            "{p}表面缺陷在线检测",
            "{p}表面缺陷依靠人工目检，需要机器视觉在线检测系统。",
            "产线速度提高后人工目检漏检增多，客户投诉集中在划伤和结疤。",
            "人工目检漏检率约5%。",
            "缺陷检出率 ≥ 95%\n误报率 ≤ 5%",
            (Criterion("缺陷检出率", AT_LEAST, 95, "%"), Criterion("误报率", AT_MOST, 5, "%")),
            "线阵相机成像加深度学习缺陷分类，与产线控制系统联动标记。",
            (_pct("pass_rate_change", 1, 4), _money("cost_reduction", 300_000, 1_000_000)),
            (400_000, 1_200_000),
        ),
        NeedTemplate(
            "{p}耐腐蚀性能提升",
            "{p}耐蚀性能不能满足沿海客户要求，需要成分与工艺优化。",
            "沿海项目客户要求更长的耐蚀寿命，现有牌号盐雾试验表现不足。",
            "中性盐雾试验约600小时出现锈点。",
            "中性盐雾试验 ≥ 1000 h 无锈点",
            (Criterion("中性盐雾试验无锈点时间", AT_LEAST, 1000, "h"),),
            "微合金化成分设计结合表面钝化工艺，开展加速腐蚀试验验证。",
            (_pct("lifetime_change", 20, 60), _money("output_value", 2_000_000, 10_000_000)),
            (500_000, 1_500_000),
        ),
        NeedTemplate(
            "加热炉燃耗降低",
            "轧钢加热炉燃耗偏高，寻求燃烧控制与余热回收方案。",
            "加热炉燃烧控制依赖人工，空燃比波动大，烟气余热利用不足。",
            "吨钢燃耗约1.3吉焦。",
            "吨钢燃耗 ≤ 1.1 GJ",
            (Criterion("吨钢燃耗", AT_MOST, 1.1, "GJ/吨"),),
            "建立炉温模型实现空燃比闭环控制，增设烟气余热换热器。",
            (_pct("energy_reduction", 8, 15), _money("cost_reduction", 500_000, 2_000_000)),
        ),
        NeedTemplate(
            "{p}热处理硬度离散大",
            "{p}热处理后硬度离散大，需要工艺与装备改进。",
            "连续炉温度均匀性差，同批产品硬度极差大，客户退货时有发生。",
            "同批硬度极差约6 HRC。",
            "同批硬度极差 ≤ 3 HRC",
            (Criterion("同批硬度极差", AT_MOST, 3, "HRC"),),
            "炉温场测试与分区控制改造，优化淬火介质与冷却工艺。",
            (_pct("pass_rate_change", 2, 6), _money("revenue", 1_000_000, 5_000_000)),
        ),
    ),
    "mould": (
        NeedTemplate(
            "{p}冷却不均导致成型周期长",
            "{p}冷却不均，成型周期长且制品翘曲，需要随形冷却设计。",
            "常规钻孔水路难以贴近复杂型面，局部过热导致周期长、翘曲大。",
            "成型周期约58秒，翘曲超差返修。",
            "成型周期缩短 ≥ 15%\n制品翘曲 ≤ 0.5 mm",
            (
                Criterion("成型周期缩短", AT_LEAST, 15, "%"),
                Criterion("制品翘曲", AT_MOST, 0.5, "mm"),
            ),
            "模流分析优化冷却布局，采用增材制造随形水路镶件。",
            (_money("revenue", 1_000_000, 4_000_000), _money("cost_reduction", 200_000, 600_000)),
        ),
        NeedTemplate(
            "{p}型腔表面耐磨与抛光",
            "{p}型腔磨损快、抛光难，需要材料与表面处理方案。",
            "玻纤增强料冲刷导致型腔磨损，镜面抛光保持时间短。",
            "型腔约20万模次需返修抛光。",
            "型腔表面粗糙度 Ra ≤ 0.05 μm\n返修间隔 ≥ 40 万模次",
            (
                Criterion("型腔表面粗糙度Ra", AT_MOST, 0.05, "μm"),
                Criterion("返修间隔", AT_LEAST, 400000, "模次"),
            ),
            "选用预硬镜面模具钢并做真空热处理，表面采用类金刚石涂层。",
            (_pct("lifetime_change", 50, 100), _money("cost_reduction", 150_000, 500_000)),
        ),
        NeedTemplate(
            "{p}试模次数多",
            "{p}开发阶段试模次数多、周期长，需要设计仿真能力。",
            "设计阶段缺少仿真，问题到试模才暴露，平均试模四五次。",
            "平均试模4.5次，开发周期约75天。",
            "平均试模次数 ≤ 2 次",
            (Criterion("平均试模次数", AT_MOST, 2, "次"),),
            "建立模流与结构仿真流程和设计规范库，培训企业设计团队。",
            (_money("cost_reduction", 300_000, 900_000), _money("revenue", 800_000, 3_000_000)),
        ),
    ),
    "plastics": (
        NeedTemplate(
            "再生料改性力学性能不足",
            "提高再生塑料掺用比例而不降低制品强度，需要改性配方。",
            "客户要求使用再生料，掺用比例超过30%后制品强度和外观下降。",
            "再生料掺用比例30%时拉伸强度约24 MPa。",
            "再生料掺用 ≥ 50% 时拉伸强度 ≥ 30 MPa",
            (Criterion("拉伸强度", AT_LEAST, 30, "MPa"),),
            "相容剂与增韧剂复配改性，优化双螺杆挤出工艺。",
            (_money("cost_reduction", 300_000, 1_200_000), _count("new_product", 1, 2)),
        ),
        NeedTemplate(
            "{p}翘曲变形",
            "{p}注塑后翘曲变形超差，需要工艺与模具协同优化。",
            "大平面薄壁件冷却后翘曲，装配困难。",
            "平面度约0.8 mm。",
            "平面度 ≤ 0.3 mm",
            (Criterion("平面度", AT_MOST, 0.3, "mm"),),
            "模流分析定位收缩不均，调整浇口与保压曲线，修正模具补偿量。",
            (_pct("pass_rate_change", 3, 8),),
        ),
    ),
    "auto_parts": (
        NeedTemplate(
            "{p}轻量化设计",
            "{p}需要在保证强度的前提下减重，满足新能源整车厂要求。",
            "整车厂提出减重指标，企业缺少拓扑优化与疲劳分析能力。",
            "现有产品重量高出客户目标约12%。",
            "减重 ≥ 10%\n台架疲劳试验通过",
            (Criterion("减重比例", AT_LEAST, 10, "%"), Criterion("台架疲劳试验通过")),
            "拓扑优化与疲劳仿真，配合高强铝合金材料替代与工艺验证。",
            (_money("revenue", 2_000_000, 8_000_000), _count("new_product", 1, 1)),
            (400_000, 1_000_000),
        ),
        NeedTemplate(
            "{p}装配线视觉检测",
            "{p}装配漏装错装靠人工检查，需要视觉检测。",
            "多品种混线生产，人工检查容易漏检。",
            "漏检率约0.5%，客户审核提出整改。",
            "漏检率 ≤ 0.1%",
            (Criterion("漏检率", AT_MOST, 0.1, "%"),),
            "多相机视觉检测加防错系统，与MES工单联动。",
            (_money("cost_reduction", 200_000, 800_000),),
        ),
    ),
    "electronics": (
        NeedTemplate(
            "{p}贴装虚焊检测",
            "{p}虚焊漏检导致售后返修，需要在线检测方案。",
            "细间距器件虚焊用现有AOI难以识别，问题到客户端才暴露。",
            "售后返修中约四成为虚焊。",
            "虚焊检出率 ≥ 99%",
            (Criterion("虚焊检出率", AT_LEAST, 99, "%"),),
            "3D 锡膏检测与X射线抽检结合，建立缺陷图像库训练分类模型。",
            (_pct("pass_rate_change", 1, 3), _money("cost_reduction", 200_000, 800_000)),
        ),
        NeedTemplate(
            "{p}温漂补偿",
            "{p}全温区精度不达标，需要温度补偿算法。",
            "-40℃到85℃范围内输出漂移大，高端客户无法导入。",
            "全温区误差约1.5%FS。",
            "全温区误差 ≤ 0.5%FS",
            (Criterion("全温区误差", AT_MOST, 0.5, "%FS"),),
            "建立温度特性模型，设计多段补偿算法并实现产线自动标定。",
            (_count("new_product", 1, 2), _money("revenue", 1_000_000, 5_000_000)),
        ),
        NeedTemplate(
            "{p}散热设计",
            "{p}满载温升高、寿命短，需要热设计支持。",
            "功率密度提高后热点温度超标，加速老化。",
            "满载温升约55 K。",
            "满载温升 ≤ 40 K",
            (Criterion("满载温升", AT_MOST, 40, "K"),),
            "热仿真优化布局与散热结构，选用高导热界面材料。",
            (_pct("lifetime_change", 20, 50), _money("revenue", 800_000, 3_000_000)),
        ),
    ),
    "new_materials": (
        NeedTemplate(
            "{p}涂层附着力不足",
            "{p}涂层附着力不稳定，需要表面处理与配方改进。",
            "高速涂布后附着力批次波动大，客户复检不合格。",
            "百格试验约一成批次达不到0级。",
            "百格试验 0 级\n耐湿热 500 h 不脱层",
            (Criterion("百格试验0级"), Criterion("耐湿热500小时不脱层")),
            "电晕与底涂工艺优化，调整涂层树脂体系与固化条件。",
            (_money("revenue", 1_000_000, 6_000_000),),
        ),
        NeedTemplate(
            "{p}耐热等级提升",
            "{p}耐热等级不足，需要改性配方。",
            "新能源客户要求更高的耐热和阻燃等级。",
            "热变形温度约170℃。",
            "热变形温度 ≥ 200 ℃\n阻燃 V-0",
            (Criterion("热变形温度", AT_LEAST, 200, "℃"), Criterion("阻燃等级V-0")),
            "耐热单体共聚与无卤阻燃体系复配，优化造粒工艺。",
            (_count("new_product", 1, 2), _money("output_value", 2_000_000, 10_000_000)),
            (300_000, 1_000_000),
        ),
        NeedTemplate(
            "{p}雾度与透光率控制",
            "{p}雾度偏高、批次稳定性差，需要工艺控制方案。",
            "拉伸和涂布过程中微观缺陷导致雾度超标。",
            "雾度约1.8%。",
            "雾度 ≤ 1%\n透光率 ≥ 91%",
            (Criterion("雾度", AT_MOST, 1, "%"), Criterion("透光率", AT_LEAST, 91, "%")),
            "洁净度与拉伸温度场控制，在线光学检测反馈调节。",
            (_pct("pass_rate_change", 3, 8), _money("revenue", 1_000_000, 4_000_000)),
        ),
    ),
    "equipment": (
        NeedTemplate(
            "{p}多机调度效率低",
            "{p}多台设备协同调度效率低，需要调度算法。",
            "订单高峰时设备拥堵、空驶多，吞吐量达不到设计值。",
            "实际吞吐量约为设计值的75%。",
            "吞吐效率提升 ≥ 20%",
            (Criterion("吞吐效率提升", AT_LEAST, 20, "%"),),
            "建立仿真模型，设计多智能体路径规划与任务分配算法。",
            (_money("revenue", 2_000_000, 8_000_000),),
            (400_000, 1_000_000),
        ),
        NeedTemplate(
            "{p}视觉纠偏",
            "{p}来料位置偏差大，需要视觉引导纠偏。",
            "工件来料一致性差，示教轨迹无法适应，需人工干预。",
            "人工干预约每班20次。",
            "定位精度 ≤ 0.2 mm\n连续运行 8 小时无人工干预",
            (
                Criterion("定位精度", AT_MOST, 0.2, "mm"),
                Criterion("连续运行8小时无人工干预"),
            ),
            "结构光三维视觉定位与轨迹在线修正。",
            (_count("new_product", 1, 1), _money("revenue", 1_000_000, 5_000_000)),
        ),
        NeedTemplate(
            "关键设备预测性维护",
            "关键设备突发故障停线，需要状态监测与故障预警。",
            "主轴和减速机突发故障造成停线，维修靠事后处理。",
            "年非计划停机约120小时。",
            "故障预警准确率 ≥ 90%",
            (Criterion("故障预警准确率", AT_LEAST, 90, "%"),),
            "振动与电流监测，建立故障特征库与剩余寿命预测模型。",
            (_money("cost_reduction", 300_000, 1_200_000),),
        ),
    ),
    "precision": (
        NeedTemplate(
            "{p}磨削烧伤",
            "{p}磨削烧伤导致早期失效，需要工艺与检测方案。",
            "高效磨削时局部烧伤，酸洗抽检才能发现。",
            "酸洗抽检烧伤率约2%。",
            "磨削烧伤为零\n圆度 ≤ 2 μm",
            (Criterion("磨削烧伤为零"), Criterion("圆度", AT_MOST, 2, "μm")),
            "优化磨削参数与冷却，引入巴克豪森噪声在线检测。",
            (_pct("pass_rate_change", 1, 4),),
        ),
        NeedTemplate(
            "{p}运行噪声偏高",
            "{p}运行噪声高，高端客户导入受阻。",
            "齿面修形和装配精度不足导致啸叫。",
            "整机噪声约72 dB。",
            "噪声 ≤ 65 dB",
            (Criterion("运行噪声", AT_MOST, 65, "dB"),),
            "齿面修形优化与装配工艺改进，建立噪声测试台。",
            (_money("revenue", 1_000_000, 4_000_000),),
        ),
    ),
    "software": (
        NeedTemplate(
            "{p}与设备数据贯通",
            "{p}与车间设备数据不通，需要数据采集与集成。",
            "设备品牌多、协议不一，生产数据仍靠人工录入。",
            "设备联网率约40%。",
            "设备接入率 ≥ 95%",
            (Criterion("设备接入率", AT_LEAST, 95, "%"),),
            "边缘网关多协议采集，统一数据模型并接入生产执行系统。",
            (_money("cost_reduction", 200_000, 800_000),),
        ),
        NeedTemplate(
            "{p}工艺参数智能推荐",
            "基于历史数据推荐工艺参数，减少调机时间。",
            "换型调机依赖老师傅经验，新人上手慢。",
            "平均换型调机约2小时。",
            "换型调机时间缩短 ≥ 40%",
            (Criterion("换型调机时间缩短", AT_LEAST, 40, "%"),),
            "建立工艺知识库与参数推荐模型，嵌入生产执行系统。",
            (_money("revenue", 500_000, 2_000_000),),
        ),
    ),
    "textile": (
        NeedTemplate(
            "{p}印染废水回用率低",
            "印染废水回用率低、用水成本高，需要处理与回用工艺。",
            "废水含盐量和色度高，现有工艺回用率低。",
            "废水回用率约25%。",
            "废水回用率 ≥ 50%\n回用水质满足工艺要求",
            (Criterion("废水回用率", AT_LEAST, 50, "%"), Criterion("回用水质满足工艺要求")),
            "分质收集加膜处理组合工艺，回用水分级使用。",
            (_money("cost_reduction", 300_000, 1_000_000), _pct("energy_reduction", 5, 12)),
        ),
        NeedTemplate(
            "{p}织造断经在线检测",
            "{p}织造断经靠人工巡检，需要在线检测。",
            "断经发现晚造成织疵，降等品多。",
            "降等品率约4%。",
            "断经检出率 ≥ 98%",
            (Criterion("断经检出率", AT_LEAST, 98, "%"),),
            "织机视觉与张力传感融合检测，自动停机报警。",
            (_pct("pass_rate_change", 1, 3),),
        ),
    ),
    "cable": (
        NeedTemplate(
            "{p}低温开裂",
            "{p}低温环境开裂，需要护套材料改性。",
            "北方项目冬季敷设时护套开裂。",
            "-40℃冲击试验合格率约85%。",
            "-40℃ 冲击试验通过",
            (Criterion("-40℃冲击试验通过"),),
            "护套料增韧改性与挤出工艺优化。",
            (_pct("pass_rate_change", 5, 12),),
        ),
        NeedTemplate(
            "{p}挤出偏心在线控制",
            "{p}挤出偏心超差，需要在线测量与闭环控制。",
            "偏心靠离线切片检测，发现时已生产大量不合格品。",
            "偏心度约12%。",
            "偏心度 ≤ 8%",
            (Criterion("偏心度", AT_MOST, 8, "%"),),
            "X射线在线测径测偏与机头自动调偏闭环控制。",
            (_money("cost_reduction", 300_000, 1_000_000),),
        ),
    ),
    "medical": (
        NeedTemplate(
            "{p}亲水涂层润滑性",
            "{p}亲水涂层润滑性与牢度不足，需要涂层配方与工艺。",
            "涂层在反复摩擦后脱落，无法满足注册检验要求。",
            "摩擦力约0.25 N，循环后明显上升。",
            "摩擦力 ≤ 0.1 N\n循环 20 次后摩擦力不超过初始值的 1.5 倍",
            (
                Criterion("摩擦力", AT_MOST, 0.1, "N"),
                Criterion("循环20次后摩擦力不超过初始值1.5倍"),
            ),
            "光固化亲水涂层配方设计与等离子预处理工艺。",
            (_count("new_product", 1, 1),),
        ),
        NeedTemplate(
            "{p}无菌包装密封检测",
            "{p}无菌包装密封缺陷抽检发现晚，需要在线检测。",
            "封口微通道缺陷人工难以识别。",
            "密封缺陷依靠抽样染色检测。",
            "密封缺陷检出率 ≥ 99.5%",
            (Criterion("密封缺陷检出率", AT_LEAST, 99.5, "%"),),
            "封口视觉与压力衰减检测结合的在线检测工位。",
            (_money("cost_reduction", 200_000, 600_000),),
        ),
    ),
    "machine_tools": (
        NeedTemplate(
            "{p}切削精度保持性差",
            "{p}使用一段时间后切削精度下降，需要结构与导向改进。",
            "锯带导向和床身刚性不足，使用半年后锯切斜度超差。",
            "锯切垂直度约0.5 mm/100 mm。",
            "锯切垂直度 ≤ 0.2 mm/100 mm",
            (Criterion("锯切垂直度", AT_MOST, 0.2, "mm/100mm"),),
            "床身结构有限元优化与导向机构改进，建立精度保持性试验。",
            (_money("revenue", 1_000_000, 5_000_000),),
        ),
        NeedTemplate(
            "{p}主轴热变形补偿",
            "{p}主轴热变形导致加工尺寸漂移，需要补偿方案。",
            "开机后两小时内尺寸漂移明显，需反复对刀。",
            "热漂移约25 μm。",
            "热漂移 ≤ 10 μm",
            (Criterion("主轴热漂移", AT_MOST, 10, "μm"),),
            "温度场测点优化与热误差建模，数控系统实时补偿。",
            (_count("new_product", 1, 1),),
        ),
    ),
    "wood_toys": (
        NeedTemplate(
            "{p}水性漆附着力与安全检测",
            "{p}水性漆附着力不足，出口安全检测压力大。",
            "改用水性漆后附着力下降，出口检测重金属迁移项目要求严格。",
            "附着力测试约一成批次不合格。",
            "漆膜附着力合格\n重金属迁移检测合格",
            (Criterion("漆膜附着力合格"), Criterion("重金属迁移检测合格")),
            "木材表面预处理与水性漆体系优化，建立出厂快速检测。",
            (_pct("pass_rate_change", 3, 10),),
        ),
        NeedTemplate(
            "{p}数控雕刻自动上下料",
            "数控雕刻工序上下料靠人工，需要自动化改造。",
            "小件多品种，人工上下料效率低、招工难。",
            "每台设备需一人看管。",
            "人均效率提升 ≥ 30%",
            (Criterion("人均效率提升", AT_LEAST, 30, "%"),),
            "柔性料仓与协作机器人上下料，快换夹具设计。",
            (_money("cost_reduction", 150_000, 500_000),),
        ),
    ),
    "bamboo": (
        NeedTemplate(
            "{p}防霉处理",
            "{p}梅雨季节发霉，需要环保防霉工艺。",
            "出口产品海运途中发霉退货。",
            "防霉试验等级约2级。",
            "防霉等级 0 级",
            (Criterion("防霉等级0级"),),
            "竹材热处理改性结合环保防霉剂浸渍工艺。",
            (_pct("pass_rate_change", 3, 10),),
        ),
        NeedTemplate(
            "{p}胶合强度不足",
            "{p}胶合强度不稳定，需要胶黏剂与热压工艺改进。",
            "无醛胶黏剂替代后胶合强度下降。",
            "胶合强度约5.5 MPa。",
            "胶合强度 ≥ 7 MPa",
            (Criterion("胶合强度", AT_LEAST, 7, "MPa"),),
            "无醛胶黏剂改性与热压曲线优化。",
            (_money("output_value", 1_000_000, 4_000_000),),
        ),
    ),
    "ceramics": (
        NeedTemplate(
            "{p}釉面烧成合格率低",
            "{p}釉面缺陷多，烧成合格率低，需要釉料与烧成制度优化。",
            "针孔、缩釉等釉面缺陷多，凭经验调整烧成曲线。",
            "烧成合格率约70%。",
            "烧成合格率 ≥ 85%",
            (Criterion("烧成合格率", AT_LEAST, 85, "%"),),
            "釉料配方与烧成气氛、温度曲线协同优化，窑温在线监测。",
            (_pct("pass_rate_change", 8, 15), _money("revenue", 500_000, 2_000_000)),
        ),
        NeedTemplate(
            "梭式窑烧成能耗偏高",
            "梭式窑天然气耗偏高，需要节能改造方案。",
            "窑体保温和燃烧控制落后，排烟温度高。",
            "单窑次天然气耗约420立方米。",
            "单窑次天然气耗 ≤ 360 m³",
            (Criterion("单窑次天然气耗", AT_MOST, 360, "m³"),),
            "窑体轻质保温改造与燃烧自动控制，烟气余热预热助燃风。",
            (_pct("energy_reduction", 10, 18),),
        ),
    ),
}

MILESTONES = (
    ("方案设计与小试", "技术方案与小试报告"),
    ("中试验证", "中试报告"),
    ("产线导入与验收准备", "工艺文件与验收方案"),
)

RETURN_REASONS = (
    "请补充现有工艺参数和不良品统计数据，便于专家判断问题所在。",
    "目标指标不够具体，请写明验收时可测量的数值。",
    "问题描述涉及多个方向，请先确定最急需解决的一项。",
    "请说明预算范围和期望完成时间。",
)
ENTERPRISE_WITHDRAW_REASONS = (
    "企业调整产品方向，该需求暂缓。",
    "企业已通过设备供应商解决该问题。",
    "企业内部技术团队已自行攻克。",
)
OFFICE_WITHDRAW_REASONS = (
    "与企业此前提交的需求重复，已合并处理。",
    "经核实属于设备采购需求，不属于技术攻关，已转相关部门对接。",
    "企业确认暂不开展合作。",
)
NO_SOLUTION_REASONS = (
    "征集期内未收到合适方案，企业决定暂缓，待条件成熟后重新发布。",
    "收到的方案成本超出企业预算，企业决定暂缓。",
    "企业已通过其他渠道找到合作方。",
)
CANCEL_REASONS = (
    "企业产线搬迁，项目无法继续，双方协商终止。",
    "客户订单取消，企业决定终止该项目。",
    "关键技术路线经中试验证不可行，双方协商终止合作。",
)
DECLINES = (
    ("cost", "报价高于企业预算。"),
    ("too_early", "技术成熟度偏低，企业需要能尽快上线的方案。"),
    ("unclear_route", "技术路线不够清晰，缺少中试数据支撑。"),
    ("capacity", "团队同期项目较多，驻厂时间无法保证。"),
    ("other", "企业选择了有同类产线经验的团队。"),
)
FAILED_FINDINGS = (
    "连续生产中后段指标回落，未达到验收要求；需排查工艺参数漂移原因后再验。",
    "首批样件合格，但批量生产稳定性不足，部分批次超差。",
    "关键指标接近目标但未达标，需进一步优化后复验。",
)


# Telling one need's story through the services ---------------------------------------------


def _at(day: dt.date, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def _round(value: float, step: float) -> Decimal:
    quantum = Decimal(str(step))
    steps = (Decimal(str(value)) / quantum).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return (steps * quantum).quantize(Decimal("0.01"))


NEED_DAYS: dict[str, int] = settings.TALENTFLOW_NEED_DAYS
# Whether ``services.milestone_complete`` can be labelled as the demo's system task.
MILESTONES_AUDITABLE = "system_label" in inspect.signature(services.milestone_complete).parameters


@dataclass
class Bid:
    """A proposal as the story knows it: in a dry run only its planned end exists."""

    proposal: Proposal | None
    ends: dt.date


class Story:
    """One need's history, told in time order through the services.

    ``day`` is the story's calendar; each call happens on the day it is given (or a number of
    days after the previous one) at a plausible office hour, never before the previous event.
    In a dry run nothing is written: the run only measures how long the story takes and where
    its deadline falls, so a need that must be open today can be placed in time before it is
    told for real (the random draws are replayed identically).
    """

    def __init__(self, *, rng: random.Random, today: dt.date, start: dt.date, dry: bool) -> None:
        self.rng = rng
        self.today = today
        self.day = start
        self.dry = dry
        self.last: dt.datetime | None = None
        self.need: Need | None = None
        self.state = ""
        self.stage_due: dt.date | None = None
        self.proposals_due: dt.date | None = None
        self.criteria: tuple[Criterion, ...] = ()
        self.engagement: Engagement | None = None
        self.planned_end: dt.date | None = None

    # The calendar.

    def on(self, day: dt.date) -> dt.date:
        if day < self.day:
            raise ValueError(f"the story goes back in time: {day} < {self.day}")
        self.day = day
        return day

    def after(self, low: int, high: int) -> dt.date:
        return self.on(self.day + dt.timedelta(days=self.rng.randint(low, high)))

    def not_before(self, day: dt.date) -> dt.date:
        return self.on(max(self.day, day))

    def _when(self) -> dt.datetime:
        when = _at(self.day, self.rng.randint(9, 16), self.rng.randint(0, 59))
        if self.last is not None and when <= self.last:
            when = self.last + dt.timedelta(minutes=self.rng.randint(3, 25))
        if not self.dry and when.date() >= self.today:
            raise ValueError(f"a demo event would lie in the future: {when}")
        self.last = when
        return when

    def _state(self, state: str) -> None:
        self.state = state
        day = self.day
        self.stage_due = {
            "submitted": day + dt.timedelta(days=NEED_DAYS["assist"]),
            "returned": day + dt.timedelta(days=NEED_DAYS["revise"]),
            "published": self.proposals_due,
            "engaged": self.planned_end,
            "verifying": day + dt.timedelta(days=NEED_DAYS["verify"]),
            "verified": day + dt.timedelta(days=NEED_DAYS["value"]),
        }.get(state)

    # 出题 and 助题.

    def create(
        self,
        *,
        enterprise: Organisation,
        title: str,
        summary: str,
        data_source: str,
        visit: EnterpriseVisit | None = None,
        visitor: Organisation | None = None,
        **fields: Any,
    ) -> None:
        """Pose the need, or record it on ``visit`` — or on a visit that ``visitor`` makes
        that day (a talent office's own 走访)."""
        when = self._when()
        if visitor is not None and not self.dry:
            visit = services.visit_create(
                **SYSTEM,
                enterprise=enterprise,
                visited_on=self.day,
                visitor_organisation=visitor,
                participants=visitor.name,
                notes="走访企业，了解生产经营情况和技术需求。",
                data_source=GENERATED,
            )
        if not self.dry:
            self.need = services.need_create(
                **SYSTEM,
                enterprise=enterprise,
                title=title,
                summary=summary,
                visit=visit,
                data_source=data_source,
                at=when,
                **fields,
            )
        self._state("submitted" if visit is not None or visitor is not None else "draft")

    def submit(self) -> None:
        when = self._when()
        if not self.dry:
            services.need_submit(**SYSTEM, need=self.need, at=when)
        self._state("submitted")

    def return_(self, reason: str) -> None:
        when = self._when()
        if not self.dry:
            services.need_return(**SYSTEM, need=self.need, reason=reason, at=when)
        self._state("returned")

    def publish(
        self,
        *,
        window: int,
        brief: str,
        industry: str,
        criteria: Sequence[Criterion],
        disciplines: Iterable[Discipline] = (),
        institutions: Iterable[Organisation] = (),
        pools: Iterable[Model] = (),
    ) -> None:
        """The office frames the need (brief, codes, criteria, targets) and publishes it."""
        self.proposals_due = self.day + dt.timedelta(days=window)
        self.criteria = tuple(criteria)
        when = self._when()
        if not self.dry:
            data: dict[str, Any] = {
                "solver_brief": brief,
                "industry": industry,
                "proposals_due": self.proposals_due,
                "disciplines": list(disciplines),
                "target_institutions": list(institutions),
                "target_pools": list(pools),
            }
            # A new need has none of these yet: leaving the empty ones out spares the service
            # comparing and re-reading them.
            data = {k: v for k, v in data.items() if v != []}
            services.need_update(**SYSTEM, need=self.need, data=data)
            services.criteria_set(
                **SYSTEM, need=self.need, criteria=[c.as_dict() for c in self.criteria]
            )
            services.need_publish(**SYSTEM, need=self.need, at=when)
        self._state("published")

    def withdraw(self, reason: str) -> None:
        when = self._when()
        if not self.dry:
            services.need_withdraw(**SYSTEM, need=self.need, reason=reason, at=when)
        self._state("withdrawn")

    # 答题.

    def propose(
        self,
        *,
        organisation: Organisation | None,
        members: Sequence[tuple[int, str]],
        approach: str,
        cost: Decimal,
        trl: int,
        ip_terms: str,
        milestones: Sequence[tuple[str, str, int]],
    ) -> Bid:
        """``milestones``: (title, deliverable, days after the proposal)."""
        if self.proposals_due is not None and self.day > self.proposals_due:
            raise ValueError("a proposal after the proposals deadline")
        when = self._when()
        dates = [
            (title, deliverable, self.day + dt.timedelta(days=days))
            for title, deliverable, days in milestones
        ]
        bid = Bid(proposal=None, ends=max(due for _t, _d, due in dates))
        if not self.dry:
            bid.proposal = services.proposal_submit(
                **SYSTEM,
                need=self.need,
                organisation=organisation,
                approach=approach,
                trl=trl,
                cost=cost,
                ip_terms=ip_terms,
                members=list(members),
                milestones=[
                    {"title": title, "deliverable": deliverable, "due_date": due}
                    for title, deliverable, due in dates
                ],
                at=when,
            )
        return bid

    def shortlist(self, bid: Bid) -> None:
        when = self._when()
        if not self.dry:
            services.proposal_shortlist(**SYSTEM, proposal=bid.proposal, at=when)

    def select(self, bid: Bid, *, amount: Decimal, others: Sequence[Bid] = ()) -> None:
        """Select ``bid``: the engagement follows its milestones; every other open proposal is
        declined with a coded reason."""
        when = self._when()
        if bid.ends <= self.day:
            raise ValueError("an engagement whose plan ends before it is signed")
        self.planned_end = bid.ends
        declines = {}
        for other in others:
            code, note = self.rng.choice(DECLINES)
            if other.proposal is not None:
                declines[other.proposal.pk] = (code, note)
        if not self.dry:
            self.engagement = services.proposal_select(
                **SYSTEM,
                proposal=bid.proposal,
                contract_amount=amount,
                signed_on=self.day,
                declines=declines,
                at=when,
            )
        self._state("engaged")

    def complete_milestones(self, *, until: dt.date) -> None:
        """Mark done the milestones due by ``until`` (never later than yesterday).

        Only where ``services.milestone_complete`` takes a ``system_label``: without one its
        audit events would read "system:task" instead of "system:demo", so until then the
        demo's milestones stay open rather than be mislabelled in the trail.
        """
        if MILESTONES_AUDITABLE and not self.dry and self.engagement is not None:
            limit = min(until, self.today - dt.timedelta(days=1))
            for milestone in self.engagement.milestones.order_by("position"):
                if milestone.due_date <= limit and not milestone.completed_on:
                    done = max(self.engagement.signed_on, milestone.due_date - dt.timedelta(3))
                    services.milestone_complete(**SYSTEM, milestone=milestone, completed_on=done)

    def cancel(self, reason: str) -> None:
        when = self._when()
        if not self.dry:
            services.need_cancel(**SYSTEM, need=self.need, reason=reason, at=when)
        self._state("cancelled")

    # 验题.

    def verification_start(self) -> None:
        when = self._when()
        if not self.dry:
            services.verification_start(**SYSTEM, need=self.need, at=when)
        self._state("verifying")

    def verification_record(
        self,
        *,
        passed: bool,
        findings: str = "",
        measured: dict[int, tuple[Any, str]] | None = None,
    ) -> None:
        """Record every criterion. A failed round fails its measured criteria (or the first
        one); ``measured`` gives article values by criterion position: (value, note)."""
        when = self._when()
        checks = []
        failing = {i for i, c in enumerate(self.criteria) if c.comparator != "pass_fail"} or {0}
        for i, criterion in enumerate(self.criteria):
            ok = passed or i not in failing
            value, note = dict(measured or {}).get(i, (None, ""))
            if value is None and criterion.comparator != "pass_fail":
                value = _measured(self.rng, criterion, ok)
            checks.append((i, ok, value, note))
        if not self.dry:
            rows = list(self.need.criteria.order_by("position"))
            services.verification_record(
                **SYSTEM,
                need=self.need,
                checks=[
                    {
                        "criterion": rows[i],
                        "passed": ok,
                        "measured_value": None if value is None else str(value),
                        "unit": rows[i].unit,
                        "note": note,
                    }
                    for i, ok, value, note in checks
                ],
                findings=findings,
                at=when,
            )
        self._state("verified" if passed else "engaged")

    # 评价.

    def outcome(
        self,
        *,
        kind: str,
        amount: Decimal,
        qualifier: str = "exact",
        unit_basis: str = "",
        description: str = "",
        period: tuple[dt.date, dt.date] | None = None,
    ) -> None:
        when = self._when()
        if not self.dry:
            outcome = services.outcome_record(
                **SYSTEM,
                need=self.need,
                kind=kind,
                amount=amount,
                qualifier=qualifier,
                unit_basis=unit_basis,
                description=description,
                period_start=period[0] if period else None,
                period_end=period[1] if period else None,
            )
            services.outcome_confirm(**SYSTEM, outcome=outcome, at=when)

    def close(self) -> None:
        when = self._when()
        if not self.dry:
            services.need_close(**SYSTEM, need=self.need, at=when)
        self._state("closed")


def _measured(rng: random.Random, criterion: Criterion, passed: bool) -> Decimal:
    target = float(criterion.target or 0)
    if criterion.comparator == AT_LEAST:
        value = target * (rng.uniform(1.01, 1.06) if passed else rng.uniform(0.85, 0.97))
        if criterion.unit == "%" and passed:
            value = min(value, target + (100 - target) * 0.8)
    elif criterion.comparator == AT_MOST:
        value = target * (rng.uniform(0.6, 0.95) if passed else rng.uniform(1.1, 1.5))
    else:
        value = target
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# Who sits on the teams -----------------------------------------------------------------------

IP_TERMS = ("enterprise", "shared", "shared", "solver_licensed")


class People:
    """Generated staff and students of each institution and generated engineers of each
    enterprise, for the teams of generated needs. The people the article names join only the
    article's cases. At a small scale a team may find its institution short of people; then a
    generated student or engineer is added through the directory services (labelled)."""

    def __init__(self, ctx: DemoContext, rng: random.Random) -> None:
        self.ctx = ctx
        self.rng = rng
        self.created = 0
        named = {t.pk for t in ctx.talents.values()}
        self.staff: dict[int, list[int]] = defaultdict(list)
        self.students: dict[int, list[int]] = defaultdict(list)
        self.engineers: dict[int, list[int]] = defaultdict(list)
        rows = (
            Affiliation.objects.filter(end_date__isnull=True)
            .exclude(talent_id__in=named)
            .order_by("id")
            .values_list("talent_id", "organisation_id", "kind", "position", "talent__title_series")
        )
        for talent, org, kind, position, series in rows:
            if kind == AffiliationKind.STUDYING or "研究生" in position:
                self.students[org].append(talent)
            elif kind in {AffiliationKind.EMPLOYED, AffiliationKind.SECONDED}:
                self.staff[org].append(talent)
                if series is not None:
                    self.engineers[org].append(talent)
        self.pool_members: dict[str, set[int]] = {
            key: set(pool.talents.exclude(pk__in=named).values_list("pk", flat=True))
            for key, pool in ctx.pools.items()
        }

    def org(self, key: str) -> Organisation:
        return self.ctx.orgs[key]

    def _pick(self, candidates: Sequence[int], n: int, taken: set[int]) -> list[int]:
        free = [c for c in dict.fromkeys(candidates) if c not in taken]
        chosen = self.rng.sample(free, min(n, len(free)))
        taken.update(chosen)
        return chosen

    def team(
        self,
        *,
        institution: str | None,
        enterprise: Organisation,
        lead: int | None = None,
        members: int = 1,
        students: int = 1,
        engineer: bool = True,
        pool: str | None = None,
        expert_of: str | None = None,
    ) -> list[tuple[int, str]]:
        """A lead expert with members and graduate students from ``institution``, plus an
        engineer of the enterprise. Without an institution the expert answers on their own,
        from ``pool`` (preferably one working at ``expert_of``)."""
        taken: set[int] = set()
        if institution is not None:
            org = self.org(institution)
            staff = self.staff[org.pk] or self.staff[org.parent_id]
            learners = self.students[org.pk] + self.students[org.parent_id]
        else:
            members_of_pool = self.pool_members.get(pool or "", set())
            staff = sorted(members_of_pool)
            if expert_of is not None:
                own = self.staff[self.org(expert_of).pk]
                staff = [t for t in own if t in members_of_pool] or own
            learners = []
        if lead is None:
            lead = self._pick(staff, 1, taken)[0]
        taken.add(lead)
        team = [(lead, "lead")]
        team += [(t, "member") for t in self._pick(staff, members, taken)]
        team += [(t, "student") for t in self._pick(learners, students, taken)]
        if engineer:
            team += [(t, "engineer") for t in self._pick(self.engineers[enterprise.pk], 1, taken)]
        return team

    def ensure_students(self, key: str, n: int) -> list[int]:
        """``n`` generated students of ``key`` (created when the scale left too few)."""
        org = self.org(key)
        while len(self.students[org.pk]) < n:
            profile = PROFILES[UNIVERSITY_PROFILES[key][0]]
            talent = self._talent_create(
                name=person_name(self.rng, self.rng.choice((Gender.MALE, Gender.FEMALE))),
                region=org.region_id,
                education=Education.BACHELOR,
                expertise="；".join(profile.expertise[:2]),
                biography=f"{org.name}硕士研究生，研究方向：{'、'.join(profile.expertise[:2])}。",
            )
            self._affiliate(
                talent, org, AffiliationKind.STUDYING, dt.date(2023, 9, 1), "硕士研究生"
            )
            self.students[org.pk].append(talent.pk)
        return self.rng.sample(self.students[org.pk], n)

    def ensure_engineer(self, key: str, *, position: str, expertise: str) -> int:
        """A generated engineer of enterprise ``key`` (the article names none)."""
        org = self.org(key)
        if not self.engineers[org.pk]:
            talent = self._talent_create(
                name=person_name(self.rng, Gender.MALE),
                region=org.region_id,
                education=Education.BACHELOR,
                expertise=expertise,
                biography=f"{org.name}{position}。",
            )
            self._affiliate(talent, org, AffiliationKind.EMPLOYED, dt.date(2016, 7, 1), position)
            self.engineers[org.pk].append(talent.pk)
            self.staff[org.pk].append(talent.pk)
        return self.engineers[org.pk][0]

    def _talent_create(self, *, name: str, region: str, **fields: Any) -> TalentProfile:
        fields["biography"] += "（演示数据，人物为虚构。）"
        self.created += 1
        return directory_services.talent_create(
            **SYSTEM, name=name, home_region=region, data_source=GENERATED, **fields
        )

    def _affiliate(
        self, talent: TalentProfile, org: Organisation, kind: str, start: dt.date, position: str
    ) -> None:
        self.created += 1
        directory_services.affiliation_create(
            **SYSTEM,
            talent=talent,
            organisation=org,
            kind=kind,
            start_date=start,
            position=position,
            note="演示数据：为需求团队生成。",
        )


# A generated need's plan and its story ---------------------------------------------------

FINAL = frozenset({"closed", "withdrawn", "cancelled"})
OVERDUE = frozenset({"submitted_overdue", "published_overdue", "engaged_overdue"})
FAILED_ROUND = frozenset({"verifying", "cancelled_verifying", "closed_failed"})
SELECTED = frozenset(
    {
        "engaged",
        "engaged_overdue",
        "cancelled",
        "verifying",
        "cancelled_verifying",
        "verified",
        "closed",
        "closed_failed",
    }
)
MONEY = ("revenue", "output_value")


@dataclass
class Plan:
    """What becomes of one generated need, decided before its story is told."""

    fate: str
    enterprise: Organisation
    profile: str
    template: NeedTemplate
    product: str
    data_source: str = GENERATED
    visit: EnterpriseVisit | None = None  # collected on this (existing) visit
    visitor: Organisation | None = None  # or on a visit made on the day it is created
    winner: str | None = None  # institution key; None with ``pool``: an expert on their own
    rivals: list[str | None] = field(default_factory=list)
    pool: str | None = None  # where an expert answering on their own comes from
    expert_of: str | None = None  # … preferably one working at this institution
    target_institutions: list[str] = field(default_factory=list)
    target_pools: list[str] = field(default_factory=list)
    contract: Decimal | None = None
    money: tuple[str, Decimal] | None = None  # a fixed revenue / output-value outcome
    recent: str = ""  # "publish" / "verify": that step happens in the last weeks
    long: bool = False  # the engagement runs well past today

    @property
    def title(self) -> str:
        return self.template.title.format(p=self.product)


def _milestones(rng: random.Random, story: Story, plan: Plan) -> list[tuple[str, str, int]]:
    days = sorted(rng.sample(range(45, 300), 3))[: rng.randint(2, 3)]
    if plan.long:
        # Signed before the article and still running: the plan ends months from now.
        days[-1] = max(days[-1], (story.today - story.day).days + rng.randint(90, 240))
    return [(t, d, n) for (t, d), n in zip(MILESTONES, days, strict=False)]


def tell(story: Story, plan: Plan, people: People) -> None:
    """Tell ``plan``'s story up to its fate."""
    rng, t, fate = story.rng, plan.template, plan.fate
    low, high = t.budget
    budget_min = _round(rng.uniform(low, (low + high) / 2), 10_000)
    budget_max = _round(rng.uniform(float(budget_min) + 50_000, high + 100_000), 10_000)
    story.create(
        enterprise=plan.enterprise,
        title=plan.title,
        summary=t.summary.format(p=plan.product),
        data_source=plan.data_source,
        visit=plan.visit,
        visitor=plan.visitor,
        description=t.description + GENERATED_NOTE,
        current_state=t.current_state,
        target_indicators=t.indicators,
        industry=plan.enterprise.industry_id,
        budget_min=budget_min,
        budget_max=budget_max,
        wanted_by=story.day + dt.timedelta(days=rng.randint(180, 360)),
        confidentiality="confidential" if rng.random() < 0.2 else "public",
    )
    if fate == "draft":
        return
    if fate == "draft_withdrawn":
        story.after(8, 40)
        story.withdraw(rng.choice(ENTERPRISE_WITHDRAW_REASONS))
        return
    if story.state == "draft":
        story.after(1, 10)
        story.submit()
    if fate in {"submitted", "submitted_overdue"}:
        return
    if fate == "submitted_withdrawn":
        story.after(2, 9)
        story.withdraw(rng.choice(OFFICE_WITHDRAW_REASONS))
        return
    if fate == "returned" or rng.random() < 0.15:
        story.after(2, 6)
        story.return_(rng.choice(RETURN_REASONS))
        if fate == "returned":
            return
        story.after(4, 15)
        story.submit()
    story.after(3, 12)
    if plan.recent == "publish":
        story.not_before(story.today - dt.timedelta(days=rng.randint(18, 26)))
    window = rng.randint(28, 45)
    published = story.day
    story.publish(
        window=window,
        brief=f"{t.summary.format(p=plan.product)}验收以车间实测为准："
        + t.indicators.replace("\n", "；")
        + "。",
        industry=plan.enterprise.industry_id,
        criteria=t.criteria,
        disciplines=_disciplines(plan.profile),
        institutions=[people.org(k) for k in plan.target_institutions],
        pools=[people.ctx.pools[k] for k in plan.target_pools],
    )
    proposers: list[str | None] = list(plan.rivals)
    if fate in SELECTED:
        proposers.insert(rng.randrange(len(proposers) + 1), plan.winner)
    latest = window - 4
    if plan.recent == "publish":
        # Published in the last weeks: the proposals so far, not those still to come.
        latest = min(latest, (story.today - published).days - 1)
    offsets = sorted(rng.sample(range(2, latest), max(0, min(len(proposers), latest - 2))))
    proposers = proposers[: len(offsets)]
    bids: dict[int, Bid] = {}
    for i, (who, offset) in enumerate(zip(proposers, offsets, strict=True)):
        story.on(published + dt.timedelta(days=offset))
        cost = _round(rng.uniform(float(budget_min), float(budget_max)), 10_000)
        bids[i] = story.propose(
            organisation=people.org(who) if who else None,
            members=people.team(
                institution=who,
                enterprise=plan.enterprise,
                pool=plan.pool,
                expert_of=plan.expert_of,
                members=rng.randint(0, 2),
                students=rng.randint(0, 2),
            ),
            approach=t.approach,
            cost=plan.contract if plan.contract and who == plan.winner else cost,
            trl=rng.randint(4, 7),
            ip_terms=rng.choice(IP_TERMS),
            milestones=_milestones(rng, story, plan),
        )
    if fate in {"published", "published_overdue"}:
        if bids and rng.random() < 0.5:
            story.after(1, 2)
            story.shortlist(bids[0])
        return
    if fate == "published_withdrawn":
        story.not_before(story.proposals_due + dt.timedelta(days=rng.randint(3, 20)))
        story.withdraw(rng.choice(NO_SOLUTION_REASONS))
        return
    win = proposers.index(plan.winner)
    if rng.random() < 0.35:
        story.after(1, 5)
        story.shortlist(bids[win])
    story.after(2, 12)
    chosen = bids[win]
    amount = plan.contract or _round(rng.uniform(0.85, 1.0) * float(budget_max), 10_000)
    story.select(chosen, amount=amount, others=[b for i, b in bids.items() if i != win])
    if fate in {"engaged", "engaged_overdue"}:
        story.complete_milestones(until=story.today)
        return
    if fate == "cancelled":
        story.after(30, 100)
        story.cancel(rng.choice(CANCEL_REASONS))
        return
    # The solvers deliver towards the end of their plan.
    story.not_before(chosen.ends - dt.timedelta(days=rng.randint(0, 25)))
    story.after(1, 5)
    if plan.recent == "verify" and fate not in FAILED_ROUND:
        story.not_before(story.today - dt.timedelta(days=rng.randint(30, 120)))
    story.complete_milestones(until=story.day)
    story.verification_start()
    if fate in FAILED_ROUND:
        story.after(3, 10)
        story.verification_record(passed=False, findings=rng.choice(FAILED_FINDINGS))
        story.after(20, 50)
        if plan.recent == "verify":
            story.not_before(story.today - dt.timedelta(days=rng.randint(3, 9)))
        story.verification_start()
        if fate == "verifying":
            return
        if fate == "cancelled_verifying":
            story.after(5, 12)
            story.cancel(rng.choice(CANCEL_REASONS))
            return
    story.after(3, 10)
    story.verification_record(passed=True)
    if fate == "verified":
        return
    verified = story.day
    story.after(60, 150)
    period = (verified + dt.timedelta(days=7), story.day - dt.timedelta(days=5))
    for kind, amount, qualifier in _outcomes(rng, plan):
        story.outcome(kind=kind, amount=amount, qualifier=qualifier, period=period)
    story.after(3, 15)
    story.close()


def _outcomes(rng: random.Random, plan: Plan) -> list[tuple[str, Decimal, str]]:
    found = []
    for spec in plan.template.outcomes:
        if plan.money is not None and spec.kind in MONEY:
            continue  # the plan's own figure replaces the template's
        if spec.step == 1:
            amount = Decimal(rng.randint(int(spec.low), int(spec.high)))
        else:
            amount = _round(rng.uniform(spec.low, spec.high), spec.step)
        qualifier = "more_than" if spec.step == 10_000 and rng.random() < 0.15 else "exact"
        found.append((spec.kind, amount, qualifier))
    if plan.money is not None:
        found.insert(0, (plan.money[0], plan.money[1], "exact"))
    return found


_DISCIPLINES: dict[str, Discipline] = {}


def _disciplines(profile: str) -> list[Discipline]:
    if not _DISCIPLINES:
        _DISCIPLINES.update(
            {d.code: d for d in Discipline.objects.filter(scheme=DisciplineScheme.GRADUATE_2022)}
        )
    return [_DISCIPLINES[c] for c in PROFILES[profile].disciplines[:2] if c in _DISCIPLINES]


def tell_anchored(plan: Plan, people: People, *, rng: random.Random, today: dt.date) -> None:
    """Tell a generated need's story so that it ends before today and its current deadline
    falls where its fate wants it: ahead for open needs, just behind for overdue ones.

    The story is first told dry from an arbitrary start to measure it; the same random draws
    are then replayed from the start that places it right.
    """
    state = rng.getstate()
    dry = Story(rng=rng, today=today, start=today, dry=True)
    tell(dry, plan, people)
    placer = random.Random(f"{rng.random()}-place")
    last = (today - dt.timedelta(days=1) - dry.day).days  # the largest shift that keeps the past
    if plan.fate in OVERDUE and dry.stage_due is not None:
        shift = min(last, (today - dt.timedelta(days=5) - dry.stage_due).days)
        shift -= placer.randint(0, 40)
    elif dry.state not in FINAL and dry.stage_due is not None:
        first = (today + dt.timedelta(days=2) - dry.stage_due).days
        shift = placer.randint(first, last) if first <= last else last
    elif dry.state not in FINAL:
        shift = last - placer.randint(0, 30)  # drafts
    else:
        shift = last - placer.randint(0, 420)
    rng.setstate(state)
    story = Story(rng=rng, today=today, start=today + dt.timedelta(days=shift), dry=False)
    tell(story, plan, people)


# The article's cases ------------------------------------------------------------------------


def _d(year: int, month: int, day: int) -> dt.date:
    return dt.date(year, month, day)


def _story(rng: random.Random, today: dt.date, start: dt.date) -> Story:
    return Story(rng=rng, today=today, start=start, dry=False)


def _discipline_list(*codes: str) -> list[Discipline]:
    _disciplines("valve")  # fills the cache
    return [_DISCIPLINES[c] for c in codes]


def fulai_create(ctx: DemoContext, people: People, rng: random.Random, today: dt.date) -> None:
    """S08: 谭刚 (科技副总) with his master's and doctoral students and 杨晓明 (产业教授)
    solve the BOPP coating defects of 浙江福莱新材料: revenue of more than 5,000,000 yuan."""
    o, t = ctx.orgs, ctx.talents
    s = _story(rng, today, _d(2024, 3, 18))
    s.create(
        enterprise=o["fulai"],
        title="BOPP薄膜涂布窝点缺陷攻关",
        summary="BOPP薄膜涂布出现窝点缺陷，需要薄膜涂布工艺与功能膜材料方向的专家。",
        data_source=ARTICLE,
        description="BOPP薄膜在涂布过程中出现窝点缺陷，影响产品外观和下游使用，需要查明成因并"
        "提出工艺改进方案。企业根据自身需求指定目标院校，请政府部门协助联系专家。",
        current_state="涂布线存在窝点缺陷（具体数据文章未载）。",
        target_indicators="消除BOPP薄膜涂布窝点缺陷\n改进工艺在量产中稳定运行",
        industry="2921",
    )
    s.on(_d(2024, 3, 20))
    s.submit()
    s.on(_d(2024, 3, 28))
    s.publish(
        window=33,
        brief="窝点缺陷与涂布浆料流变、基膜表面状态和干燥条件有关，需要薄膜涂布工艺与功能膜"
        "材料方向专家；企业指定浙江大学，可由嘉善县科技副总专家库推荐。",
        industry="2921",
        criteria=(Criterion("涂布窝点缺陷消除"), Criterion("改进工艺量产稳定运行")),
        disciplines=_discipline_list("0805"),
        institutions=[o["zju"]],
        pools=[ctx.pools["jiashan_vp"]],
    )
    s.on(_d(2024, 4, 10))
    students = people.ensure_students("zju", 2)
    bid = s.propose(
        organisation=o["zju"],
        members=[
            (t["tangang"].pk, "lead"),
            (students[0], "student"),
            (students[1], "student"),
            (t["yangxiaoming"].pk, "engineer"),
        ],
        approach="谭刚任企业“科技副总”，带领硕博团队分析窝点成因，优化涂布与干燥工艺；企业"
        "“产业教授”杨晓明提供技术指导和实验场地，2名研究生开展膜材料技术攻关。" + ASSUMED,
        cost=Decimal("600000"),
        trl=5,
        ip_terms="shared",
        milestones=[
            ("窝点成因分析与小试", "成因分析报告与小试工艺", 80),
            ("中试与量产导入", "量产工艺文件", 180),
        ],
    )
    s.on(_d(2024, 4, 25))
    s.select(bid, amount=Decimal("600000"))
    s.on(_d(2024, 10, 14))
    s.complete_milestones(until=s.day)
    s.verification_start()
    s.on(_d(2024, 10, 18))
    s.verification_record(passed=True)
    s.on(_d(2025, 7, 10))
    s.outcome(
        kind="revenue",
        amount=Decimal("5000000"),
        qualifier="more_than",
        description="实现创收超500万元（文章数据）。",
        period=(_d(2024, 11, 1), _d(2025, 6, 30)),
    )
    s.on(_d(2025, 7, 15))
    s.close()


def wantai_create(ctx: DemoContext, people: People, rng: random.Random, today: dt.date) -> None:
    """S05, S06: 浙江万泰钢's corrosion-resistant rebar, developed with a university mentor and
    jointly trained graduate students: new output value 20,000,000 yuan, 2 students stayed."""
    o = ctx.orgs
    s = _story(rng, today, _d(2024, 1, 8))
    s.create(
        enterprise=o["wantai"],
        title="稀土耐蚀钢筋与耐海洋腐蚀钢筋开发",
        summary="开发稀土耐蚀钢筋和耐海洋腐蚀钢筋；以钢筋节能降碳技术为研究生课题，与高校导师"
        "联合培养研究生。",
        data_source=ARTICLE,
        description="企业与研发机构共建“城市钢厂绿色化产业技术中心”，计划开发稀土耐蚀钢筋和"
        "耐海洋腐蚀钢筋，并推进钢筋生产节能降碳；希望高校导师带研究生组团入企，以真题联合培养。",
        current_state="现有螺纹钢产品以普通牌号为主。",
        target_indicators="稀土耐蚀钢筋、耐海洋腐蚀钢筋完成试制并投产\n研究生以钢筋节能降碳技术为"
        "课题入企培养",
        industry="3130",
    )
    s.on(_d(2024, 1, 10))
    s.submit()
    s.on(_d(2024, 1, 22))
    s.publish(
        window=38,
        brief="耐蚀钢筋的成分设计与轧制工艺开发，同时以节能降碳为研究生课题，适合“导师+研究生”"
        "组团入企（六方联动）。",
        industry="3130",
        criteria=(Criterion("稀土耐蚀钢筋试制合格"), Criterion("耐海洋腐蚀钢筋中试合格")),
        disciplines=_discipline_list("0805", "0806"),
    )
    s.on(_d(2024, 2, 5))
    # The article does not name the mentor's university: the team is generated and the
    # proposal names no institution.
    mentor = people.staff[o["shu"].pk][0]
    students = people.ensure_students("shu", 2)
    engineer = people.ensure_engineer(
        "wantai", position="技术中心工程师（企业导师）", expertise="钢筋轧制；节能降碳"
    )
    bid = s.propose(
        organisation=None,
        members=[
            (mentor, "lead"),
            (students[0], "student"),
            (students[1], "student"),
            (engineer, "engineer"),
        ],
        approach="导师带研究生入企，以钢筋节能降碳技术为课题，合作开发稀土耐蚀钢筋和耐海洋腐蚀"
        "钢筋。（文章未写明合作高校；导师与研究生为演示生成人物。）" + ASSUMED,
        cost=Decimal("800000"),
        trl=4,
        ip_terms="shared",
        milestones=[
            ("稀土耐蚀钢筋试制", "试制报告", 120),
            ("耐海洋腐蚀钢筋中试与认证", "中试报告与检测报告", 300),
        ],
    )
    s.on(_d(2024, 2, 20))
    s.select(bid, amount=Decimal("800000"))
    s.on(_d(2024, 12, 9))
    s.complete_milestones(until=s.day)
    s.verification_start()
    s.on(_d(2024, 12, 13))
    s.verification_record(passed=True)
    s.on(_d(2025, 10, 15))
    s.outcome(
        kind="output_value",
        amount=Decimal("20000000"),
        description="稀土耐蚀钢筋和耐海洋腐蚀钢筋新增产值2000万元（文章数据）。",
        period=(_d(2025, 1, 1), _d(2025, 9, 30)),
    )
    s.outcome(
        kind="students_retained",
        amount=Decimal("2"),
        description="促成2名研究生毕业留善（文章数据）。",
    )
    s.on(_d(2025, 10, 20))
    s.close()


def zhongyang_create(ctx: DemoContext, people: People, rng: random.Random, today: dt.date) -> None:
    """唐宁 and his 3 students, stationed at 浙江中扬立库: "已顺利完成" — verified; the article
    gives no figure, so no outcome is recorded."""
    o, t = ctx.orgs, ctx.talents
    s = _story(rng, today, _d(2024, 2, 26))
    s.create(
        enterprise=o["zhongyang"],
        title="基于视觉感知的智能物流机器人关键技术",
        summary="研发基于视觉感知的智能物流机器人关键技术，提升立体仓库物流机器人的自主感知、"
        "定位与搬运能力。",
        data_source=ARTICLE,
        description="企业立体仓库与物流装备需要具备视觉感知能力的智能物流机器人，希望与高校院所"
        "开展校企合作攻关，研究人员驻企开展研发。",
        current_state="现有物流机器人依赖预设路径与标识定位。",
        target_indicators="完成基于视觉感知的智能物流机器人关键技术攻关并在企业验证",
        industry="3439",
    )
    s.on(_d(2024, 2, 28))
    s.submit()
    s.on(_d(2024, 3, 5))
    s.publish(
        window=24,
        brief="视觉感知、定位导航与多机协同方向，需要机器视觉与控制专家团队驻企研发。",
        industry="3439",
        criteria=(Criterion("视觉感知定位与自主搬运在企业实验室完成验证"),),
        disciplines=_discipline_list("0811"),
        institutions=[o["zju_oasis"]],
    )
    s.on(_d(2024, 3, 12))
    bid = s.propose(
        organisation=o["zju_oasis"],
        members=[
            (t["tangning"].pk, "lead"),
            (t["tangning_student_1"].pk, "student"),
            (t["tangning_student_2"].pk, "student"),
            (t["tangning_student_3"].pk, "student"),
        ],
        approach="研究员唐宁带3名研究生长期驻扎企业实验室，开展视觉感知与智能物流机器人关键技术"
        "攻关。" + ASSUMED,
        cost=Decimal("500000"),
        trl=4,
        ip_terms="shared",
        milestones=[("视觉感知算法与样机", "样机", 150), ("企业场景验证", "验证报告", 420)],
    )
    s.on(_d(2024, 3, 25))
    s.select(bid, amount=Decimal("500000"))
    s.on(_d(2025, 9, 15))
    s.complete_milestones(until=s.day)
    s.verification_start()
    s.on(_d(2025, 9, 19))
    s.verification_record(passed=True)


def ruixing_create(
    ctx: DemoContext,
    people: People,
    rng: random.Random,
    today: dt.date,
    visit: EnterpriseVisit,
) -> None:
    """浙江瑞兴阀门 and 浙江理工大学青田研究院 (院长张光), the cryogenic liquid-oxygen valve: one of
    the 54 needs collected on the institute's visits. Verified; the article says "产品合格率显著
    提升" without a number, so no pass-rate outcome is recorded (no number is invented)."""
    o, t = ctx.orgs, ctx.talents
    s = _story(rng, today, visit.visited_on)
    s.create(
        enterprise=o["ruixing"],
        visit=visit,
        title="新一代低温液氧阀生产难题攻关",
        summary="新一代低温液氧阀生产中存在技术难题，需要阀门设计与材料方向专家现场“会诊”。",
        data_source=ARTICLE,
        description="企业研制新一代低温液氧阀，生产中遇到技术难题，影响产品合格率，需要扎实的"
        "理论支撑和现场诊断。",
        current_state="产品合格率有待提升（文章未载具体数值）。",
        target_indicators="解决新一代低温液氧阀的生产难题\n产品合格率显著提升",
        industry="3443",
    )
    s.on(_d(2024, 5, 28))
    s.publish(
        window=31,
        brief="低温液氧阀的结构、材料与工艺问题，需要阀门与低温材料专家在车间开展现场诊断。",
        industry="3443",
        criteria=(Criterion("产品合格率显著提升"),),
        disciplines=_discipline_list("0802", "0805"),
        institutions=[o["zstu_qingtian"]],
    )
    s.on(_d(2024, 6, 5))
    team = people.team(
        institution="zstu_qingtian",
        enterprise=o["ruixing"],
        lead=t["zhangguang"].pk,
        members=1,
        students=1,
        engineer=False,
    )
    bid = s.propose(
        organisation=o["zstu_qingtian"],
        members=[*team, (t["zhangbin"].pk, "engineer")],
        approach="研究院专家团队“车间里搞科研”，与企业技术部围绕新一代低温液氧阀开展现场“会诊”，"
        "从结构、材料和工艺入手解决生产难题。" + ASSUMED,
        cost=Decimal("880000"),
        trl=5,
        ip_terms="shared",
        milestones=[("现场诊断与方案", "诊断报告", 90), ("工艺改进与批量验证", "验证报告", 300)],
    )
    s.on(_d(2024, 6, 20))
    s.select(bid, amount=Decimal("880000"))
    s.on(_d(2025, 6, 9))
    s.complete_milestones(until=s.day)
    s.verification_start()
    s.on(_d(2025, 6, 13))
    s.verification_record(
        passed=True,
        measured={
            0: (None, "章斌（技术部经理）：“产品合格率显著提升”。文章未给出数值，不记录合格率。")
        },
    )


def yongxin_create(
    ctx: DemoContext,
    people: People,
    rng: random.Random,
    today: dt.date,
    visit: EnterpriseVisit,
) -> None:
    """S32: 北京科技大学青田新材料研究院's "导师+研究生+企业工程师" team at 青田县永鑫阀门: the
    castings cost more than 400 yuan less per tonne."""
    o = ctx.orgs
    s = _story(rng, today, visit.visited_on)
    s.create(
        enterprise=o["yongxin"],
        visit=visit,
        title="铸件材料革新降本",
        summary="传统铸造工艺缺陷制约铸件质量与成本，需要材料与工艺升级方案。",
        data_source=ARTICLE,
        description="企业受传统工艺缺陷困扰，创新意愿不强；研究院以“七步科技创新工作法”匹配校内"
        "专家成果，为企业量身定制技术升级方案，通过材料革新降低铸件成本。",
        current_state="传统铸造工艺，铸件成本偏高（具体数据文章未载）。",
        target_indicators="通过材料革新降低每吨铸件成本",
        industry="3443",
    )
    s.on(_d(2024, 4, 30))
    s.publish(
        window=31,
        brief="铸件材料体系与铸造工艺升级，需要材料专家与研究生驻扎车间，和企业工程师混编攻关。",
        industry="3443",
        criteria=(Criterion("新材料铸件性能满足产品要求"), Criterion("每吨铸件成本下降")),
        disciplines=_discipline_list("0805", "0806"),
        institutions=[o["ustb_qingtian"]],
    )
    s.on(_d(2024, 5, 10))
    lead = people.staff[o["ustb_qingtian"].pk][0]
    student = people.ensure_students("ustb", 1)[0]
    engineer = people.ensure_engineer(
        "yongxin", position="铸造工程师", expertise="阀门铸造；熔炼工艺"
    )
    bid = s.propose(
        organisation=o["ustb_qingtian"],
        members=[(lead, "lead"), (student, "student"), (engineer, "engineer")],
        approach="按“七步科技创新工作法”匹配校内专家成果，“导师+研究生+企业工程师”混编团队驻扎"
        "车间，通过材料革新降低铸件成本。" + ASSUMED,
        cost=Decimal("620000"),
        trl=5,
        ip_terms="shared",
        milestones=[("材料方案与试制", "试制报告", 100), ("批量生产验证", "验证报告", 200)],
    )
    s.on(_d(2024, 5, 24))
    s.select(bid, amount=Decimal("620000"))
    s.on(_d(2024, 12, 2))
    s.complete_milestones(until=s.day)
    s.verification_start()
    s.on(_d(2024, 12, 5))
    s.verification_record(passed=True, measured={1: (Decimal("400"), "元/吨，文章称“超400元”。")})
    s.on(_d(2025, 4, 10))
    s.outcome(
        kind="unit_cost_reduction",
        amount=Decimal("400"),
        unit_basis="吨",
        qualifier="more_than",
        description="通过材料革新，每吨铸件成本降低超400元（文章数据）。",
        period=(_d(2025, 1, 1), _d(2025, 3, 31)),
    )
    s.on(_d(2025, 4, 18))
    s.close()


@dataclass(frozen=True)
class XiafengNeed:
    title: str
    summary: str
    description: str
    indicators: str
    criterion: str
    contract: Decimal
    outcomes: tuple[tuple[str, Decimal, str], ...]  # (kind, amount, description)
    confidential: bool = False


# S26–S29. The article counts 3 core problems solved and reports corrosion life +30 %, 2
# invention patents granted ("成果获中国发明专利授权2项", the team's results) and die-casting
# energy −15 %. The two patents are recorded on two of the three needs, so each solved problem
# carries a confirmed outcome; the totals are the article's and nothing is added.
XIAFENG = (
    XiafengNeed(
        "钢材压铸工艺瓶颈攻关",
        "钢材压铸工艺存在瓶颈，需要压铸工艺与材料方向专家攻关；企业计划投入百万元科研资金。",
        "青田县技能服务团在常态化摸排中发现企业钢材压铸工艺存在瓶颈，制约产品质量与产能；"
        "经高校渠道对接东北大学博士生白景元，双方达成合作意向，企业计划投入百万元科研资金。",
        "突破钢材压铸工艺瓶颈",
        "压铸工艺瓶颈突破，样件通过企业检验",
        Decimal("1000000"),
        (
            (
                "invention_patent_granted",
                Decimal("1"),
                "获中国发明专利授权（文章称团队成果获授权2项）。",
            ),
        ),
    ),
    XiafengNeed(
        "隔膜泵耐腐蚀寿命提升",
        "隔膜泵过流部件耐腐蚀寿命不足，需要材料与压铸工艺改进。",
        "隔膜泵过流部件在腐蚀性介质中寿命偏短，需要从材料与压铸工艺入手提升耐腐蚀性能。",
        "隔膜泵耐腐蚀寿命延长",
        "隔膜泵耐腐蚀寿命试验",
        Decimal("300000"),
        (
            ("lifetime_change", Decimal("30"), "隔膜泵耐腐蚀寿命延长30%（文章数据）。"),
            (
                "invention_patent_granted",
                Decimal("1"),
                "获中国发明专利授权（文章称团队成果获授权2项）。",
            ),
        ),
    ),
    XiafengNeed(
        "航空飞行器控制器散热壳体压铸工艺优化",
        "散热壳体压铸生产能耗偏高，需要压铸工艺优化。",
        "企业“航空飞行器控制器散热壳体压铸”项目生产能耗偏高，需要通过工艺优化降低能耗。",
        "降低散热壳体压铸生产能耗",
        "单件压铸生产能耗降低",
        Decimal("400000"),
        (("energy_reduction", Decimal("15"), "通过工艺优化降低生产能耗15%（文章数据）。"),),
        confidential=True,
    ),
)


def xiafeng_create(ctx: DemoContext, people: People, rng: random.Random, today: dt.date) -> None:
    """S26–S29, S37: 白景元's team (丽水职业技术学院, 科技副总 of 侠峰 since July 2025) solves three
    problems of 浙江侠峰精密压铸; the first came from the skills service team's visit."""
    o, t = ctx.orgs, ctx.talents
    visit = services.visit_create(
        **SYSTEM,
        enterprise=o["xiafeng"],
        visited_on=_d(2025, 3, 11),
        visitor_organisation=o["qingtian_team"],
        participants="青田县产业发展技能服务团",
        notes="常态化摸排中发现企业钢材压铸工艺瓶颈，随即通过高校渠道对接专家。",
        data_source=ARTICLE,
    )
    engineer = people.ensure_engineer(
        "xiafeng", position="压铸工艺工程师", expertise="压铸工艺；模具"
    )
    team = people.team(
        institution="lszy",
        enterprise=o["xiafeng"],
        lead=t["baijingyuan"].pk,
        members=1,
        students=0,
        engineer=False,
    )
    schedule = (
        # create, submit, publish (window), propose, select, verify, record, outcomes, close
        (
            _d(2025, 3, 11), None, (_d(2025, 4, 8), 114), _d(2025, 7, 3), _d(2025, 7, 15),
            _d(2025, 10, 13), _d(2025, 10, 16), _d(2025, 11, 6), _d(2025, 11, 10),
        ),
        (
            _d(2025, 7, 18), _d(2025, 7, 21), (_d(2025, 7, 28), 25), _d(2025, 8, 4),
            _d(2025, 8, 12), _d(2025, 10, 27), _d(2025, 10, 30), _d(2025, 11, 12),
            _d(2025, 11, 17),
        ),
        (
            _d(2025, 8, 1), _d(2025, 8, 4), (_d(2025, 8, 11), 25), _d(2025, 8, 19),
            _d(2025, 9, 1), _d(2025, 11, 3), _d(2025, 11, 6), _d(2025, 11, 18),
            _d(2025, 11, 20),
        ),
    )  # fmt: skip
    for i, (spec, days) in enumerate(zip(XIAFENG, schedule, strict=True)):
        create, submit, (publish, window), propose, select, start, record, valued, close = days
        s = _story(rng, today, create)
        s.create(
            enterprise=o["xiafeng"],
            visit=visit if i == 0 else None,
            title=spec.title,
            summary=spec.summary,
            data_source=ARTICLE,
            description=spec.description,
            current_state="文章未载具体工艺参数。",
            target_indicators=spec.indicators,
            industry="3392",
            budget_max=Decimal("1000000") if i == 0 else None,
            confidentiality="confidential" if spec.confidential else "public",
        )
        if submit is not None:
            s.on(submit)
            s.submit()
        s.on(publish)
        s.publish(
            window=window,
            brief=f"{spec.summary}技能服务团全程“陪跑”，在政策匹配、关系协调上护航。",
            industry="3392",
            criteria=(Criterion(spec.criterion),),
            disciplines=_discipline_list("0805", "0802"),
            institutions=[o["lszy"]] if i else [],
            pools=[ctx.pools["qingtian_team"], ctx.pools["lishui"]] if i == 0 else [],
        )
        s.on(propose)
        bid = s.propose(
            organisation=o["lszy"],
            members=[*team, (engineer, "engineer")],
            approach="校院企人才“合伙人”：白景元编制在丽水职业技术学院、任侠峰“科技副总”，学校的"
            "科研设备和技术储备向企业开放，企业的实际需求直接导向研究。"
            + ("企业计划投入百万元科研资金（文章数据）。" if i == 0 else ASSUMED),
            cost=spec.contract,
            trl=5,
            ip_terms="shared",
            milestones=[
                ("工艺试验与方案验证", "试验报告", (start - propose).days - 20),
                ("小批量试产", "试产报告", (start - propose).days - 3),
            ],
        )
        s.on(select)
        s.select(bid, amount=spec.contract)
        s.on(start)
        s.complete_milestones(until=s.day)
        s.verification_start()
        s.on(record)
        measured = {
            "lifetime_change": (Decimal("30"), "耐腐蚀寿命延长30%（文章数据）。"),
            "energy_reduction": (Decimal("15"), "生产能耗降低15%（文章数据）。"),
        }
        value = next((measured[k] for k, _a, _t in spec.outcomes if k in measured), None)
        s.verification_record(passed=True, measured={0: value} if value else None)
        s.on(valued)
        for kind, amount, text in spec.outcomes:
            s.outcome(kind=kind, amount=amount, description=text)
        s.on(close)
        s.close()


def saihao_create(ctx: DemoContext, people: People, rng: random.Random, today: dt.date) -> None:
    """黄岩's 互聘共享: 李克杰 (台州职业技术学院), 科技副总 of 浙江赛豪实业, leads the team that
    solved the modular water-channel cores. Verified; the article gives no figure."""
    o, t = ctx.orgs, ctx.talents
    s = _story(rng, today, _d(2024, 4, 8))
    s.create(
        enterprise=o["saihao"],
        title="模块化水路型芯攻关",
        summary="模具水路型芯设计制造难、周期长，需要模块化水路型芯方案。",
        data_source=ARTICLE,
        description="企业模具冷却水路型芯需逐副设计制造，周期长、通用性差，希望开发模块化水路型芯。",
        current_state="水路型芯逐副定制（具体数据文章未载）。",
        target_indicators="完成模块化水路型芯开发并在企业模具上应用",
        industry="3525",
    )
    s.on(_d(2024, 4, 10))
    s.submit()
    s.on(_d(2024, 4, 17))
    s.publish(
        window=30,
        brief="模具冷却水路型芯的模块化设计与制造，需要模具设计与制造方向专家。",
        industry="3525",
        criteria=(Criterion("模块化水路型芯在企业模具上试用合格"),),
        disciplines=_discipline_list("0802"),
        institutions=[o["tzvtc"]],
    )
    s.on(_d(2024, 4, 25))
    team = people.team(
        institution="tzvtc",
        enterprise=o["saihao"],
        lead=t["likejie"].pk,
        members=1,
        students=0,
        engineer=False,
    )
    bid = s.propose(
        organisation=o["tzvtc"],
        members=team,
        approach="以“互聘共享”机制，李克杰任企业“科技副总”，带领团队攻克模块化水路型芯。" + ASSUMED,
        cost=Decimal("350000"),
        trl=5,
        ip_terms="shared",
        milestones=[("型芯模块设计", "设计方案", 120), ("模具试用", "试用报告", 240)],
    )
    s.on(_d(2024, 5, 8))
    s.select(bid, amount=Decimal("350000"))
    s.on(_d(2025, 1, 6))
    s.complete_milestones(until=s.day)
    s.verification_start()
    s.on(_d(2025, 1, 9))
    s.verification_record(passed=True)


# 青田: the institutes' visits and the needs collected on them -------------------------------


@dataclass(frozen=True)
class Fate:
    fate: str
    winner: str | None = None  # an institute key, "other", or None (nobody selected)
    contract: int | None = None
    money: tuple[str, int] | None = None
    recent: str = ""
    long: bool = False


Z, U = INSTITUTES
# S34–S36: the 15 engagements of the two institutes — 瑞兴 (浙江理工) and 永鑫 (北科大) from the
# article, and these 13. Contracts: 880,000 + 620,000 + these = 11,050,000 yuan ("超千万元").
# Confirmed revenue and new output value of the enterprises served: 45,400,000 yuan
# ("超4500万元"). How the totals split over projects is generated.
ZSTU_VISIT_INSTITUTE_FATES = (
    Fate("closed", Z, 650_000, ("revenue", 6_800_000)),
    Fate("closed", Z, 720_000, ("output_value", 4_200_000)),
    Fate("closed", Z, 560_000, ("revenue", 5_600_000)),
    Fate("closed", Z, 900_000, ("output_value", 3_900_000)),
    Fate("closed", Z, 480_000, ("revenue", 2_700_000)),
    Fate("verified", Z, 600_000, recent="verify"),
    Fate("verifying", Z, 750_000, recent="verify"),
    Fate("engaged", Z, 500_000, long=True),
    Fate("closed", U, 1_200_000, ("output_value", 9_500_000)),
    Fate("closed", U, 850_000, ("revenue", 5_800_000)),
    Fate("engaged", U, 700_000, long=True),
)
USTB_VISIT_FATES = (
    Fate("closed", U, 980_000, ("output_value", 6_900_000)),
    Fate("verified", U, 660_000, recent="verify"),
)
# The rest of the 54: solved by other institutions or experts of the 1+9 pool, open, ended.
ZSTU_VISIT_OTHER_FATES = (
    *[Fate("closed", "other")] * 4,
    Fate("verified", "other", recent="verify"),
    Fate("engaged", "other", long=True),
    Fate("engaged", "other"),  # its plan ran out: overdue
    Fate("cancelled", "other"),
    *[Fate("published", recent="publish")] * 2,
    *[Fate("published_overdue")] * 2,
    *[Fate("published_withdrawn")] * 10,
    *[Fate("submitted_withdrawn")] * 16,
    *[Fate("returned")] * 2,
    *[Fate("submitted")] * 2,
)
# Earlier visits' needs have come further: the order in which fates meet visit dates.
MATURITY = {
    "closed": 0.0,
    "cancelled": 1.0,
    "verified": 1.5,
    "verifying": 2.0,
    "engaged": 2.5,
    "published_withdrawn": 3.0,
    "submitted_withdrawn": 3.0,
    "published_overdue": 4.0,
    "published": 5.0,
    "returned": 5.0,
    "submitted": 5.0,
}
OTHER_QINGTIAN_SOLVERS = ("lszy", "neu", "shu", "zju")
ZSTU_VISITS = (_d(2024, 3, 4), _d(2025, 10, 31))
ZSTU_NOTE = "在技能服务团提供的需求信息基础上走访规上企业，了解工艺现状，摸排技术需求。"
FOLLOW_UP_NOTE = "回访：跟进技术需求与合作项目进展。"


def qingtian_enterprises(ctx: DemoContext, rng: random.Random, n: int) -> list[GeneratedEnterprise]:
    """The generated 青田 enterprises, topped up to ``n`` when the scale left fewer."""
    from talentflow.demo.generated import ORG_NOTE, _company_name
    from talentflow.reference.models import Industry

    enterprises = ctx.extra.setdefault("enterprises", [])
    have = [e for e in enterprises if e.region == QINGTIAN]
    missing = n - len(have)
    if missing <= 0:
        return have
    plan = next(p for p in REGION_PLANS if p.code == QINGTIAN)
    names = dict(Industry.objects.filter(level=4).values_list("code", "name"))
    taken = set(Organisation.objects.values_list("name", flat=True))
    region = ctx.region(QINGTIAN)
    planned = []
    for _ in range(missing):
        keys, weights = zip(*plan.profiles, strict=True)
        profile = PROFILES[rng.choices(keys, weights=weights)[0]]
        name = _company_name(rng, plan, profile, taken)
        industry = rng.choice(profile.industries)
        org = Organisation(
            name=name,
            kind=OrganisationKind.ENTERPRISE,
            region=region,
            uscc=ctx.usccs.allocate(QINGTIAN, name),
            industry_id=industry,
            address=region.full_name.replace(" ", "") + rng.choice(TOWNS[QINGTIAN]),
            description=f"{ORG_NOTE}主营：{names[industry]}。",
            data_source=GENERATED,
        )
        planned.append(GeneratedEnterprise(org=org, profile=profile, region=QINGTIAN))
    bulk.organisations_bulk_create([e.org for e in planned], system_label=SYSTEM_LABEL)
    enterprises.extend(planned)
    return have + planned


def _visit(
    ctx: DemoContext,
    *,
    enterprise: Organisation,
    on: dt.date,
    by: str,
    notes: str,
    data_source: str = GENERATED,
) -> EnterpriseVisit:
    return services.visit_create(
        **SYSTEM,
        enterprise=enterprise,
        visited_on=on,
        visitor_organisation=ctx.orgs[by],
        participants=f"{ctx.orgs[by].name}专家团队",
        notes=notes,
        data_source=data_source,
    )


def _qingtian_plan(
    ctx: DemoContext,
    people: People,
    rng: random.Random,
    fate: Fate,
    enterprise: GeneratedEnterprise,
    visit: EnterpriseVisit,
) -> Plan:
    profile = enterprise.profile.key
    plan = Plan(
        fate=fate.fate,
        enterprise=enterprise.org,
        profile=profile,
        template=rng.choice(TEMPLATES[profile]),
        product=rng.choice(PRODUCTS[profile]),
        visit=visit,
        contract=Decimal(fate.contract) if fate.contract else None,
        money=(fate.money[0], Decimal(fate.money[1])) if fate.money else None,
        recent=fate.recent,
        long=fate.long,
    )
    if fate.winner in INSTITUTES:
        plan.winner = fate.winner
        other = U if fate.winner == Z else Z
        plan.rivals = rng.sample([other, "lszy"], rng.randint(0, 1))
        plan.target_institutions = [fate.winner, *plan.rivals]
    elif fate.winner == "other":
        fitting = [k for k in OTHER_QINGTIAN_SOLVERS if profile in UNIVERSITY_PROFILES[k]]
        if rng.random() < 0.25 and people.pool_members["lishui"]:
            plan.winner, plan.pool = None, "lishui"  # an expert of the 丽水 1+9 pool
        else:
            plan.winner = rng.choice(fitting or OTHER_QINGTIAN_SOLVERS)
        others = [k for k in (Z, "lszy", "neu") if k != plan.winner]
        plan.rivals = rng.sample(others, rng.randint(0, 1))
        plan.target_pools = ["lishui"] if rng.random() < 0.5 or plan.pool else []
    else:
        plan.rivals = rng.sample([Z, U, "lszy", "neu", "shu"], rng.randint(0, 1))
        plan.target_pools = ["qingtian_team"] if rng.random() < 0.5 else []
    return plan


def qingtian_create(ctx: DemoContext, people: People, rng: random.Random, today: dt.date) -> None:
    """S30, S31: 浙江理工大学青田研究院 visits 78 above-scale 青田 enterprises (and returns to ten
    of them) and collects 54 needs; 北京科技大学青田新材料研究院 visits its own. The needs go as
    far as their fates: 15 become the two institutes' engagements (S34–S36)."""
    o = ctx.orgs
    generated = qingtian_enterprises(ctx, rng, ZSTU_VISITED - 4)
    visited = rng.sample(generated, ZSTU_VISITED - 4)
    fates = [*ZSTU_VISIT_INSTITUTE_FATES, *ZSTU_VISIT_OTHER_FATES]
    with_needs = visited[: len(fates) - 4]  # four of them yield a second need later
    assert len(fates) == ZSTU_NEEDS - 1  # the 54th is 瑞兴's, told with the article's cases

    # First visits: 瑞兴's on the article case's day, the others spread over 2024–2025.
    first_days = sorted(
        ZSTU_VISITS[0] + dt.timedelta(days=rng.randint(0, (ZSTU_VISITS[1] - ZSTU_VISITS[0]).days))
        for _ in range(ZSTU_VISITED - 1)
    )
    named = [o["xiafeng"], o["yongxin"], o["qingshan"]]
    order = [*[e.org for e in visited], *named]
    rng.shuffle(order)
    first = dict(zip([org.pk for org in order], first_days, strict=True))
    first[o["ruixing"].pk] = _d(2024, 5, 14)

    visits: list[tuple[dt.date, Organisation, str, str]] = [
        (first[org.pk], org, ZSTU_NOTE, GENERATED) for org in order
    ]
    visits.append((first[o["ruixing"].pk], o["ruixing"], ZSTU_NOTE, ARTICLE))
    visits.append(
        (
            _d(2024, 9, 10),
            o["ruixing"],
            "现场“会诊”：校企双方技术人员围绕新一代低温液氧阀研讨生产难题。",
            ARTICLE,
        )
    )
    doubles = with_needs[:4]
    second: dict[int, dt.date] = {}
    for e in [*doubles, *rng.sample(with_needs[4:], ZSTU_FOLLOW_UPS - 5)]:
        day = min(first[e.org.pk] + dt.timedelta(days=rng.randint(60, 200)), ARTICLE_DATE)
        second[e.org.pk] = day
        visits.append((day, e.org, FOLLOW_UP_NOTE, GENERATED))
    made: dict[tuple[int, dt.date], EnterpriseVisit] = {}
    for day, org, notes, source in sorted(visits, key=lambda v: (v[0], v[1].pk)):
        made[(org.pk, day)] = _visit(
            ctx, enterprise=org, on=day, by=Z, notes=notes, data_source=source
        )

    ruixing_create(ctx, people, rng, today, made[(o["ruixing"].pk, first[o["ruixing"].pk])])

    # The needs of the generated enterprises, oldest first, meet the fates most advanced first.
    collected = [(first[e.org.pk], e) for e in with_needs]
    collected += [(second[e.org.pk], e) for e in doubles]
    collected.sort(key=lambda c: (c[0], c[1].org.pk))
    ranked = sorted(fates, key=lambda f: MATURITY[f.fate] + rng.uniform(0, 1.5))
    for (day, e), fate in zip(collected, ranked, strict=True):
        plan = _qingtian_plan(ctx, people, rng, fate, e, made[(e.org.pk, day)])
        tell(_story(rng, today, day), plan, people)

    # 北京科技大学青田新材料研究院's own visits: 永鑫 (the article's case), 青山钢铁, and two more.
    yongxin = _visit(
        ctx,
        enterprise=o["yongxin"],
        on=_d(2024, 4, 16),
        by=U,
        notes="以“七步科技创新工作法”诊断企业传统工艺缺陷，匹配校内专家成果。",
        data_source=ARTICLE,
    )
    yongxin_create(ctx, people, rng, today, yongxin)
    _visit(
        ctx,
        enterprise=o["qingshan"],
        on=_d(2024, 7, 9),
        by=U,
        notes="交流国家重点研发计划项目的合作分工。",
    )
    for day, fate, e in zip(
        (_d(2024, 6, 18), _d(2024, 8, 27)),
        USTB_VISIT_FATES,
        rng.sample(generated, len(USTB_VISIT_FATES)),
        strict=True,
    ):
        visit = _visit(ctx, enterprise=e.org, on=day, by=U, notes=ZSTU_NOTE)
        tell(_story(rng, today, day), _qingtian_plan(ctx, people, rng, fate, e, visit), people)


# Generated needs in every region and every stage ---------------------------------------------

# (region, needs at scale 1). 青田's posted needs come on top of the institutes' visits. The
# volume is modest on purpose: a need told through the services costs about 0.1 s, and the
# whole demo must load in seconds; the fate cycle below still gives every region every stage.
GENERATED_NEEDS: tuple[tuple[str, int], ...] = (
    ("330421", 6),
    ("310118", 2),
    ("320509", 2),
    ("331003", 3),
    (QINGTIAN, 1),
    ("331102", 1),
    ("331122", 1),
    ("331123", 1),
    ("331124", 1),
    ("331125", 1),
    ("331126", 1),
    ("331127", 1),
    ("331181", 1),
)
# Every stage appears at any scale: the cycle is walked from the start.
FATE_CYCLE = (
    "closed",
    "published",
    "engaged",
    "verifying",
    "submitted",
    "verified",
    "returned",
    "draft",
    "published_withdrawn",
    "closed",
    "cancelled",
    "submitted_withdrawn",
    "published_overdue",
    "engaged_overdue",
    "closed_failed",
    "submitted_overdue",
    "draft_withdrawn",
    "cancelled_verifying",
    "published",
    "closed",
    "engaged",
    "verified",
)
YRD_REGIONS = ("330421", "310118", "320509")
JIASHAN_INSTITUTES = ("zju_oasis", "fudan_jiashan", "shu_zhejiang", "hdu_jiashan")
SOLVERS = {
    "yrd": (*JIASHAN_INSTITUTES, "zju", "fudan", "shu", "hdu"),
    "331003": ("tzvtc", "zju", "shu", "hdu"),
    "lishui": ("lszy", "zju", "neu", "shu"),
}
OFFICES = {
    "330421": "office_jiashan",
    "310118": "office_qingpu",
    "320509": "office_wujiang",
    "331003": "office_huangyan",
    QINGTIAN: "qingtian_team",
}


def _generated_plan(
    ctx: DemoContext, people: People, rng: random.Random, fate: str, e: GeneratedEnterprise
) -> Plan:
    profile = e.profile.key
    code = e.region
    group = "yrd" if code in YRD_REGIONS else code if code == "331003" else "lishui"
    plan = Plan(
        fate=fate,
        enterprise=e.org,
        profile=profile,
        template=rng.choice(TEMPLATES[profile]),
        product=rng.choice(PRODUCTS[profile]),
    )
    solvers = SOLVERS[group]
    fitting = [k for k in solvers if profile in UNIVERSITY_PROFILES[k]] or list(solvers)
    plan.winner = rng.choice(fitting)
    roll = rng.random()
    if group == "yrd" and roll < 0.35:
        # Shared with the demonstration zone's pool: 青浦 and 吴江 needs answered from 嘉善.
        plan.target_pools = ["yrd"]
        if code != "330421":
            plan.winner = rng.choice(JIASHAN_INSTITUTES)
    elif code == "330421" and roll < 0.65:
        plan.target_institutions = [plan.winner]  # "产业领域指定目标院校"
    elif code == QINGTIAN and roll < 0.5:
        plan.target_pools = ["qingtian_team"]
    elif group == "lishui" and roll < 0.7:
        plan.target_pools = ["lishui"]
        if rng.random() < 0.4 and people.pool_members["lishui"]:
            plan.winner, plan.pool = None, "lishui"
    elif code == "331003" and roll < 0.3:
        plan.target_pools = ["huangyan_yongning"]
    plan.rivals = rng.sample([k for k in solvers if k != plan.winner], rng.choice((0, 1, 1, 2)))
    if plan.target_institutions:
        plan.target_institutions += plan.rivals
    if fate not in SELECTED:
        plan.winner = None
        plan.pool = None
    if not fate.startswith("draft") and rng.random() < 0.25:
        plan.visitor = ctx.orgs[OFFICES.get(code, "office_lishui")]
    return plan


def generated_needs_create(
    ctx: DemoContext, people: People, rng: random.Random, today: dt.date
) -> None:
    by_region: dict[str, list[GeneratedEnterprise]] = defaultdict(list)
    for e in ctx.extra.get("enterprises", []):
        by_region[e.region].append(e)
    counts = {code: ctx.scaled(n, minimum=1) for code, n in GENERATED_NEEDS if by_region.get(code)}
    codes = list(counts)
    i = 0
    while sum(counts.values()) < len(FATE_CYCLE):
        counts[codes[i % len(codes)]] += 1
        i += 1
    regions = [code for code, n in counts.items() for _ in range(n)]
    rng.shuffle(regions)
    for k, code in enumerate(regions):
        fate = FATE_CYCLE[k % len(FATE_CYCLE)]
        plan = _generated_plan(ctx, people, rng, fate, rng.choice(by_region[code]))
        tell_anchored(plan, people, rng=rng, today=today)
    # Whatever the scale, the alliances' pools carry needs across borders: a 吴江 need solved
    # from 嘉善, a 青浦 need open to the demonstration zone and a 缙云 need open to the 丽水
    # 1+9 pool right now.
    for code, fate, pool in (
        ("320509", "closed", "yrd"),
        ("310118", "published", "yrd"),
        ("331122", "published", "lishui"),
    ):
        if by_region.get(code):
            plan = _generated_plan(ctx, people, rng, fate, rng.choice(by_region[code]))
            plan.target_institutions, plan.target_pools = [], [pool]
            plan.winner = rng.choice(JIASHAN_INSTITUTES) if fate in SELECTED else None
            tell_anchored(plan, people, rng=rng, today=today)
    # "研究院积极通过丽水市'1+9'共享人才库，精准破解松阳等周边区域企业技术难题": a 松阳 need
    # answered through the pool by a researcher of 浙江理工大学青田研究院 in person — not one
    # of the institute's 横向项目, so no institution is named on it.
    songyang = by_region.get("331124")
    if songyang:
        e = songyang[0]
        plan = Plan(
            fate="closed",
            enterprise=e.org,
            profile=e.profile.key,
            template=TEMPLATES[e.profile.key][0],
            product=PRODUCTS[e.profile.key][0],
            target_pools=["lishui"],
            pool="lishui",
            expert_of=Z,
        )
        tell_anchored(plan, people, rng=rng, today=today)


# The step ---------------------------------------------------------------------------------

COUNTED: tuple[type[Model], ...] = (
    Need,
    EnterpriseVisit,
    Proposal,
    Engagement,
    VerificationRound,
    Outcome,
)


def needs_create(ctx: DemoContext) -> int:
    """The demo step: the article's cases, 青田's visits and the generated needs."""
    from django.utils import timezone

    rng = random.Random(f"{ctx.seed}-needs")
    today = timezone.localdate()
    before = sum(model.objects.count() for model in COUNTED)
    organisations = Organisation.objects.count()
    people = People(ctx, rng)
    steps: tuple[Callable[..., None], ...] = (
        wantai_create,
        zhongyang_create,
        fulai_create,
        saihao_create,
        xiafeng_create,
        qingtian_create,
        generated_needs_create,
    )
    for step in steps:
        step(ctx, people, rng, today)
    # The replay notified the demo users of two years of history at once; it is history, so
    # their inboxes start read.
    for user in ctx.users.values():
        notifications_mark_read(user=user)
    created = sum(model.objects.count() for model in COUNTED) - before
    return created + people.created + Organisation.objects.count() - organisations
