"""Word lists the generated demo records are drawn from.

Industry profiles fit the places: 嘉善 electronics, new materials, equipment and precision
machinery; 青浦 software, electronics, medical devices; 吴江 textiles and optical cable; 青田
valves, stainless steel and casting; 黄岩 moulds, plastics and car parts; the 丽水 counties their
own trades (缙云 saw machines, 松阳 stainless pipe, 云和 wooden toys, 庆元 bamboo, 龙泉 car parts
and celadon). Industry codes are GB/T 4754-2017 小类, disciplines the 2022 graduate catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class IndustryProfile:
    key: str
    industries: tuple[str, ...]  # GB/T 4754-2017 小类 codes
    trade_words: tuple[str, ...]  # the trade part of a company name
    expertise: tuple[str, ...]  # keywords for talents of this trade
    disciplines: tuple[str, ...]  # 2022 graduate catalogue 一级学科 codes
    engineer_positions: tuple[str, ...]
    worker_positions: tuple[str, ...]


PROFILES: dict[str, IndustryProfile] = {
    p.key: p
    for p in (
        IndustryProfile(
            "electronics",
            ("3982", "3976", "3983", "3974", "3914"),
            ("电子科技", "光电科技", "传感技术", "微电子", "智能科技"),
            (
                "机器视觉",
                "PCB设计",
                "SMT贴装",
                "嵌入式开发",
                "传感器标定",
                "光电检测",
                "电路可靠性",
                "FPGA",
                "工业相机",
                "图像处理",
            ),
            ("0809", "0810", "0811", "0812"),
            ("硬件工程师", "工艺工程师", "测试工程师", "质量工程师", "研发部经理"),
            ("SMT操作员", "电子装接工", "质检员", "设备维修工", "班组长"),
        ),
        IndustryProfile(
            "new_materials",
            ("2651", "2921", "3985", "2929"),
            ("新材料科技", "高分子材料", "膜科技", "材料科技"),
            (
                "薄膜涂布",
                "功能膜材料",
                "高分子改性",
                "涂层工艺",
                "流延膜",
                "材料表征",
                "特种工程塑料",
                "复合材料",
                "BOPP",
            ),
            ("0805", "0817", "0703"),
            ("材料工程师", "工艺工程师", "研发工程师", "质量工程师", "技术部经理"),
            ("涂布机长", "挤出操作工", "配料工", "质检员", "班组长"),
        ),
        IndustryProfile(
            "equipment",
            ("3491", "3439", "3499", "3421"),
            ("智能装备", "自动化设备", "机器人科技", "物流装备"),
            (
                "工业机器人",
                "运动控制",
                "机器视觉",
                "PLC编程",
                "智能仓储",
                "AGV",
                "伺服控制",
                "数字孪生",
            ),
            ("0802", "0811"),
            ("机械工程师", "电气工程师", "软件工程师", "项目经理", "总工程师"),
            ("装配钳工", "电工", "调试员", "焊工", "班组长"),
        ),
        IndustryProfile(
            "precision",
            ("3484", "3451", "3482", "3453"),
            ("精密机械", "轴承", "精工", "传动科技"),
            (
                "数控加工",
                "精密磨削",
                "热处理",
                "公差分析",
                "轴承设计",
                "表面处理",
                "五轴加工",
                "检测计量",
            ),
            ("0802", "0804"),
            ("机械工程师", "工艺工程师", "质量工程师", "设备工程师", "技术部经理"),
            ("数控车工", "磨工", "热处理工", "质检员", "班组长"),
        ),
        IndustryProfile(
            "steel",
            ("3130", "3120"),
            ("钢业", "不锈钢", "特钢", "钢管"),
            (
                "耐蚀钢",
                "不锈钢冶炼",
                "轧制工艺",
                "热处理",
                "稀土钢",
                "钢管成型",
                "焊管工艺",
                "节能降碳",
                "金相分析",
            ),
            ("0806", "0805"),
            ("冶金工程师", "工艺工程师", "质量工程师", "设备工程师", "技术部经理"),
            ("炼钢工", "轧钢工", "焊管工", "质检员", "班组长"),
        ),
        IndustryProfile(
            "valve",
            ("3443", "3441"),
            ("阀门", "阀业", "流体控制", "泵阀"),
            (
                "阀门",
                "密封结构",
                "低温阀门",
                "球阀",
                "阀门铸件",
                "流体仿真",
                "阀门检测",
                "耐蚀钢",
                "堆焊",
            ),
            ("0802", "0807"),
            ("阀门设计工程师", "工艺工程师", "质量工程师", "技术部经理", "总工程师"),
            ("阀门装配工", "数控车工", "焊工", "试压工", "班组长"),
        ),
        IndustryProfile(
            "casting",
            ("3391", "3392", "3393"),
            ("铸造", "精密铸造", "压铸", "铸业"),
            (
                "压铸",
                "熔模铸造",
                "砂型铸造",
                "铸件缺陷分析",
                "模流分析",
                "熔炼",
                "热处理",
                "铝合金压铸",
            ),
            ("0805", "0802", "0806"),
            ("铸造工程师", "工艺工程师", "质量工程师", "模具工程师", "技术部经理"),
            ("压铸工", "造型工", "熔炼工", "清理工", "班组长"),
        ),
        IndustryProfile(
            "mould",
            ("3525", "3523"),
            ("模具", "模塑", "精密模具", "模业"),
            (
                "模具",
                "注塑模具设计",
                "模流分析",
                "热流道",
                "模具钢",
                "随形水路",
                "数控加工",
                "电火花加工",
                "模具装配",
            ),
            ("0802", "0805"),
            ("模具设计师", "CAE工程师", "工艺工程师", "项目经理", "技术主管"),
            ("模具钳工", "数控铣工", "电火花操作工", "模具组长", "试模员"),
        ),
        IndustryProfile(
            "plastics",
            ("2927", "2929", "2926"),
            ("塑业", "塑胶", "塑料制品", "日用品"),
            ("注塑", "注塑工艺", "吹塑成型", "高分子改性", "塑料回收", "产品结构设计"),
            ("0805", "0817", "0822"),
            ("产品工程师", "工艺工程师", "质量工程师", "技术部经理"),
            ("注塑工", "吹塑工", "质检员", "班组长"),
        ),
        IndustryProfile(
            "auto_parts",
            ("3670",),
            ("汽车部件", "汽配", "汽车零部件", "车业"),
            ("汽车零部件", "注塑", "冲压工艺", "IATF16949", "轻量化", "压铸", "汽车空调部件"),
            ("0802", "0823"),
            ("产品工程师", "工艺工程师", "质量工程师", "项目经理"),
            ("冲压工", "注塑工", "装配工", "质检员", "班组长"),
        ),
        IndustryProfile(
            "software",
            ("6513", "6532", "6531"),
            ("信息技术", "软件", "数字科技", "网络科技"),
            ("工业互联网", "数据分析", "机器视觉", "物联网", "MES系统", "云平台", "人工智能"),
            ("0812", "0835"),
            ("软件工程师", "算法工程师", "产品经理", "项目经理", "技术总监"),
            ("实施工程师", "运维员"),
        ),
        IndustryProfile(
            "textile",
            ("1751", "2822", "1752", "1742"),
            ("纺织", "丝绸", "化纤", "织造"),
            ("化纤织造", "印染工艺", "功能纤维", "织物整理", "丝绸加工", "节能减排"),
            ("0821",),
            ("工艺工程师", "染整工程师", "质量工程师", "技术部经理"),
            ("织布工", "挡车工", "染色工", "质检员", "班组长"),
        ),
        IndustryProfile(
            "cable",
            ("3832", "3833", "3831"),
            ("光电", "线缆", "通信科技", "光纤"),
            ("光纤拉丝", "光缆结构设计", "通信线缆", "材料表征", "检测计量"),
            ("0803", "0810"),
            ("工艺工程师", "研发工程师", "质量工程师", "技术部经理"),
            ("拉丝工", "成缆工", "质检员", "班组长"),
        ),
        IndustryProfile(
            "medical",
            ("3589", "3581"),
            ("医疗器械", "生物医疗", "医疗科技"),
            ("医疗器械注册", "精密注塑", "洁净生产", "质量体系", "生物相容性"),
            ("0831",),
            ("注册工程师", "研发工程师", "质量工程师", "项目经理"),
            ("装配工", "洁净车间操作员", "质检员"),
        ),
        IndustryProfile(
            "machine_tools",
            ("3421", "3465"),
            ("机床", "锯床", "工具", "机械"),
            ("带锯床", "数控系统", "机床装配", "电动工具", "切削工艺"),
            ("0802",),
            ("机械工程师", "电气工程师", "工艺工程师", "技术部经理"),
            ("装配钳工", "数控车工", "电工", "班组长"),
        ),
        IndustryProfile(
            "wood_toys",
            ("2459",),
            ("玩具", "木制品", "益智玩具"),
            ("木制玩具设计", "木材加工", "涂装工艺", "产品安全检测"),
            ("0829", "1403"),
            ("产品设计师", "工艺工程师", "质量工程师"),
            ("木工", "涂装工", "包装工", "质检员"),
        ),
        IndustryProfile(
            "bamboo",
            ("2041",),
            ("竹木", "竹业", "竹制品"),
            ("竹材加工", "竹制品设计", "胶合工艺", "防霉处理"),
            ("0829",),
            ("工艺工程师", "产品设计师", "质量工程师"),
            ("竹材加工工", "砂光工", "质检员"),
        ),
        IndustryProfile(
            "ceramics",
            ("3074", "3075"),
            ("青瓷", "陶瓷", "瓷业"),
            ("青瓷烧制", "釉料配方", "窑炉控制", "陶瓷成型"),
            ("0805", "1403"),
            ("工艺美术师", "工艺工程师", "产品设计师"),
            ("拉坯工", "施釉工", "烧窑工"),
        ),
    )
}


# Hands-on keywords for skilled workers of each trade (engineers draw on PROFILES' expertise).
WORKER_EXPERTISE: dict[str, tuple[str, ...]] = {
    "electronics": ("SMT贴装", "电子装配", "焊接工艺", "AOI检测", "设备维护"),
    "new_materials": ("涂布操作", "挤出工艺", "配料", "薄膜涂布", "设备维护"),
    "equipment": ("装配调试", "电气接线", "焊接", "PLC编程", "设备维护"),
    "precision": ("数控加工", "精密磨削", "热处理", "检测计量", "设备维护"),
    "steel": ("炼钢操作", "轧制工艺", "焊管工艺", "热处理", "设备维护"),
    "valve": ("阀门装配", "数控加工", "堆焊", "试压检测", "阀门"),
    "casting": ("压铸", "熔炼", "造型", "铸件清理", "热处理"),
    "mould": ("模具装配", "电火花加工", "数控加工", "模具抛光", "试模", "模具"),
    "plastics": ("注塑", "吹塑成型", "模具维护", "质量检验"),
    "auto_parts": ("冲压工艺", "注塑", "装配", "质量检验", "压铸"),
    "software": ("系统实施", "运维", "物联网"),
    "textile": ("织造", "染色", "整理工艺", "质量检验"),
    "cable": ("光纤拉丝", "成缆", "质量检验"),
    "medical": ("洁净生产", "精密注塑", "装配"),
    "machine_tools": ("机床装配", "数控加工", "电气接线", "带锯床"),
    "wood_toys": ("木材加工", "涂装工艺", "木工"),
    "bamboo": ("竹材加工", "砂光", "胶合工艺"),
    "ceramics": ("拉坯", "施釉", "青瓷烧制", "窑炉控制"),
}

# Positions that take years in the trade (a 技术部经理 of 26 would look wrong).
SENIOR_POSITION_MARKERS = ("经理", "总", "主管", "组长", "负责人")


@dataclass(frozen=True)
class RegionPlan:
    code: str
    enterprises: int  # at scale 1
    profiles: tuple[tuple[str, int], ...]  # (profile key, weight)
    name_prefixes: tuple[str, ...]  # how companies registered here name themselves


REGION_PLANS: tuple[RegionPlan, ...] = (
    RegionPlan(
        "330421",
        100,
        (
            ("electronics", 3),
            ("new_materials", 3),
            ("equipment", 2),
            ("precision", 2),
            ("steel", 1),
        ),
        ("浙江", "嘉善", "嘉兴"),
    ),
    RegionPlan(
        "310118",
        35,
        (("software", 2), ("electronics", 2), ("medical", 1), ("equipment", 1)),
        ("上海",),
    ),
    RegionPlan(
        "320509",
        35,
        (("textile", 2), ("cable", 2), ("electronics", 1), ("equipment", 1)),
        ("苏州", "吴江", "江苏"),
    ),
    # 青田 needs more enterprises than its institutes visited (78 规上企业 in the article).
    RegionPlan(
        "331121", 95, (("valve", 4), ("casting", 3), ("steel", 2)), ("浙江", "青田县", "丽水")
    ),
    # 黄岩 needs more enterprises than it authorised to self-evaluate (37 in the article).
    RegionPlan(
        "331003",
        80,
        (("mould", 4), ("plastics", 3), ("auto_parts", 2)),
        ("浙江", "台州市黄岩", "台州"),
    ),
    RegionPlan(
        "331102", 10, (("auto_parts", 1), ("casting", 1), ("equipment", 1)), ("丽水", "浙江")
    ),
    RegionPlan("331122", 8, (("machine_tools", 3), ("precision", 1)), ("缙云县", "浙江")),
    RegionPlan("331123", 6, (("casting", 1), ("precision", 1)), ("遂昌县", "丽水")),
    RegionPlan("331124", 10, (("steel", 3), ("valve", 1)), ("松阳县", "浙江")),
    RegionPlan("331125", 6, (("wood_toys", 1),), ("云和县", "浙江")),
    RegionPlan("331126", 5, (("bamboo", 1),), ("庆元县", "浙江")),
    RegionPlan("331127", 4, (("precision", 1), ("casting", 1)), ("景宁", "丽水")),
    RegionPlan("331181", 8, (("auto_parts", 2), ("ceramics", 1)), ("龙泉市", "浙江")),
)

# Trade-name characters (字号). Combinations that the article's enterprises use are skipped by
# the generator, so no generated company shares a 字号 with a named one.
TRADE_NAME_CHARS = (
    "华鑫恒宏盛泰达丰晟嘉诚信安隆通源宇航创锐博汇联众立新美佳力森腾润昌豪盈精工正德远"
    "康万顺永益天宝金银海明辉鸿亿邦旭东方富昊卓越群星光耀祥和"
)
NAMED_TRADE_NAMES = ("中扬", "万泰", "研一", "福莱", "侠峰", "瑞兴", "永鑫", "青山", "凯华", "赛豪")

# Surnames weighted roughly as in Zhejiang, Shanghai and southern Jiangsu.
SURNAMES: tuple[tuple[str, int], ...] = (
    ("王", 70),
    ("陈", 70),
    ("张", 50),
    ("李", 45),
    ("徐", 30),
    ("周", 30),
    ("吴", 30),
    ("林", 30),
    ("朱", 25),
    ("黄", 25),
    ("杨", 25),
    ("沈", 20),
    ("金", 20),
    ("胡", 20),
    ("叶", 20),
    ("潘", 15),
    ("刘", 25),
    ("赵", 12),
    ("孙", 12),
    ("钱", 8),
    ("蒋", 12),
    ("郑", 15),
    ("何", 12),
    ("方", 10),
    ("陆", 12),
    ("顾", 10),
    ("许", 10),
    ("施", 8),
    ("邵", 8),
    ("俞", 8),
    ("夏", 7),
    ("汪", 7),
    ("应", 6),
    ("蔡", 8),
    ("丁", 6),
    ("姚", 7),
    ("卢", 6),
    ("程", 6),
    ("梁", 6),
    ("宋", 6),
    ("谢", 6),
    ("邱", 5),
    ("季", 5),
    ("戴", 5),
    ("严", 5),
    ("包", 4),
    ("雷", 4),
    ("柳", 3),
    ("项", 3),
    ("留", 2),
    ("缪", 3),
)
GIVEN_MALE = "伟强军杰涛磊斌波勇刚鹏辉华明建国文俊峰宇浩凯晨航超毅庆林海东平志成军良栋"
GIVEN_FEMALE = "芳娟敏静丽艳燕红霞玲婷雪颖琳洁慧佳怡欣悦蕾晓梅萍莉倩媛琪妍雯瑶岚"
GIVEN_ANY = "子一思嘉文晓雨明天俊家宏欣佳永立云海"

# Towns and streets (街道/镇) where generated organisations sit, from the NBS 2021 town codes
# (shared/data/admin_divisions/yrd_towns_2021.csv).
TOWNS: dict[str, tuple[str, ...]] = {
    "330421": (
        "魏塘街道",
        "罗星街道",
        "惠民街道",
        "大云镇",
        "西塘镇",
        "干窑镇",
        "陶庄镇",
        "姚庄镇",
        "天凝镇",
    ),
    "310118": (
        "夏阳街道",
        "盈浦街道",
        "香花桥街道",
        "朱家角镇",
        "练塘镇",
        "金泽镇",
        "赵巷镇",
        "徐泾镇",
        "华新镇",
        "重固镇",
        "白鹤镇",
    ),
    "320509": (
        "松陵街道",
        "横扇街道",
        "八坼街道",
        "江陵街道",
        "平望镇",
        "盛泽镇",
        "七都镇",
        "震泽镇",
        "桃源镇",
        "黎里镇",
        "同里镇",
    ),
    "331121": (
        "鹤城街道",
        "瓯南街道",
        "油竹街道",
        "三溪口街道",
        "温溪镇",
        "东源镇",
        "高湖镇",
        "船寮镇",
        "海口镇",
        "腊口镇",
    ),
    "331003": (
        "东城街道",
        "南城街道",
        "西城街道",
        "北城街道",
        "新前街道",
        "澄江街道",
        "江口街道",
        "高桥街道",
        "院桥镇",
        "沙埠镇",
    ),
    "331102": ("紫金街道", "岩泉街道", "万象街道", "白云街道", "联城街道", "南明山街道", "碧湖镇"),
    "331122": ("五云街道", "新碧街道", "仙都街道", "壶镇镇", "新建镇", "东渡镇"),
    "331123": ("妙高街道", "云峰街道", "新路湾镇", "北界镇"),
    "331124": ("西屏街道", "水南街道", "望松街道", "古市镇", "象溪镇"),
    "331125": ("浮云街道", "元和街道", "白龙山街道", "凤凰山街道", "崇头镇"),
    "331126": ("松源街道", "濛洲街道", "屏都街道", "黄田镇", "竹口镇"),
    "331127": ("红星街道", "鹤溪街道", "渤海镇", "东坑镇"),
    "331181": ("龙渊街道", "西街街道", "剑池街道", "石达石街道", "八都镇", "上垟镇"),
}

# Where people employed in a region may live instead: neighbouring districts, the other members
# of the demonstration zone, the other 丽水 counties (GB/T 2260 codes).
COMMUTER_HOMES: dict[str, tuple[str, ...]] = {
    "330421": ("310118", "320509", "330402", "330411", "330482"),
    "310118": ("330421", "320509", "310112"),
    "320509": ("330421", "310118", "320506", "320508"),
    "331121": ("331102", "331124", "331122"),
    "331003": ("331002", "331004", "331081"),
    "331102": ("331121", "331122"),
    "331122": ("331102",),
    "331123": ("331102",),
    "331124": ("331102", "331121"),
    "331125": ("331102",),
    "331126": ("331102",),
    "331127": ("331102",),
    "331181": ("331102",),
}

# Research profiles of the universities and institutes whose staff and students are generated.
UNIVERSITY_PROFILES: dict[str, tuple[str, ...]] = {
    "zju": ("new_materials", "electronics", "equipment", "mould", "casting", "software"),
    "fudan": ("electronics", "software", "medical", "new_materials"),
    "shu": ("steel", "casting", "precision", "new_materials"),
    "hdu": ("electronics", "software", "equipment"),
    "zstu": ("textile", "valve", "equipment", "new_materials"),
    "ustb": ("steel", "casting", "valve"),
    "neu": ("steel", "casting", "equipment"),
    "lszy": ("casting", "valve", "auto_parts", "mould"),
    "tzvtc": ("mould", "plastics", "auto_parts"),
    "zju_oasis": ("electronics", "equipment", "new_materials", "software"),
    "fudan_jiashan": ("electronics", "medical", "new_materials"),
    "shu_zhejiang": ("steel", "precision", "new_materials"),
    "hdu_jiashan": ("electronics", "software", "equipment"),
    "zstu_qingtian": ("valve", "textile", "equipment"),
    "ustb_qingtian": ("steel", "casting", "valve"),
}
