"""The demo load: the article's world in full, generated records labelled, valid and audited."""

from __future__ import annotations

import datetime as dt

from talentflow.accounts.models import User
from talentflow.core.models import AuditEvent, DataSource
from talentflow.core.validators import uscc_is_valid
from talentflow.demo import generated
from talentflow.demo.loader import LOADED_ACTION, database_counts, demo_load
from talentflow.demo.tests.conftest import SMALL
from talentflow.directory.models import Affiliation, Organisation, Pool, TalentProfile

# name: (kind, GB/T 2260 region, parent). Written out here, not read from named.py, so a wrong
# code in the scenario fails the test.
ARTICLE_ORGANISATIONS = {
    "浙江大学": ("university", "330106", None),
    "复旦大学": ("university", "310110", None),
    "上海大学": ("university", "310113", None),
    "杭州电子科技大学": ("university", "330114", None),
    "浙江理工大学": ("university", "330114", None),
    "北京科技大学": ("university", "110108", None),
    "东北大学": ("university", "210102", None),
    "丽水职业技术学院": ("university", "331102", None),
    "台州职业技术学院": ("university", "331002", None),
    "浙江大学长三角智慧绿洲创新中心": ("platform", "330421", "浙江大学"),
    "嘉善复旦研究院": ("research_institute", "330421", "复旦大学"),
    "上海大学(浙江)高端装备基础件材料研究院": ("research_institute", "330421", "上海大学"),
    "杭州电子科技大学嘉善研究院": ("research_institute", "330421", "杭州电子科技大学"),
    "浙江中扬立库技术有限公司": ("enterprise", "330421", None),
    "浙江万泰钢有限公司": ("enterprise", "330421", None),
    "城市钢厂绿色化产业技术中心": ("platform", "330421", "浙江万泰钢有限公司"),
    "浙江研一特材技术有限公司": ("enterprise", "330421", None),
    "浙江福莱新材料股份有限公司": ("enterprise", "330421", None),
    "浙江理工大学青田研究院": ("research_institute", "331121", "浙江理工大学"),
    "北京科技大学青田新材料研究院": ("research_institute", "331121", "北京科技大学"),
    "浙江侠峰精密压铸有限公司": ("enterprise", "331121", None),
    "浙江瑞兴阀门有限公司": ("enterprise", "331121", None),
    "青田县永鑫阀门有限公司": ("enterprise", "331121", None),
    "青山钢铁": ("enterprise", "331121", None),
    "浙江凯华模具有限公司": ("enterprise", "331003", None),
    "浙江赛豪实业有限公司": ("enterprise", "331003", None),
    "中国模具工业协会": ("association", "110100", None),
    "嘉善县委人才办": ("government", "330421", None),
    "青浦区委人才办": ("government", "310118", None),
    "吴江区委人才办": ("government", "320509", None),
    "青田县委人才办": ("government", "331121", None),
    "黄岩区委人才办": ("government", "331003", None),
    "丽水市委人才办": ("government", "331100", None),
    "青田县产业发展技能服务团": ("government", "331121", None),
}

# (person, organisation, kind, position, start, end); None = not asserted.
ARTICLE_AFFILIATIONS = [
    ("唐宁", "浙江大学长三角智慧绿洲创新中心", "employed", "研究员", None, None),
    ("唐宁", "浙江中扬立库技术有限公司", "seconded", None, None, None),
    ("谭刚", "浙江大学", "employed", "求是讲席教授", None, None),
    ("谭刚", "浙江福莱新材料股份有限公司", "serving", "科技副总", None, None),
    ("杨晓明", "浙江福莱新材料股份有限公司", "employed", None, None, None),
    ("刘兵", "杭州电子科技大学", "employed", "教授", None, None),
    ("刘兵", "杭州电子科技大学嘉善研究院", "serving", None, dt.date(2024, 1, 1), None),
    ("白景元", "东北大学", "studying", "博士研究生", None, dt.date(2025, 6, 30)),
    ("白景元", "丽水职业技术学院", "employed", None, dt.date(2025, 7, 1), None),
    ("白景元", "浙江侠峰精密压铸有限公司", "serving", "科技副总", dt.date(2025, 7, 1), None),
    ("章斌", "浙江瑞兴阀门有限公司", "employed", "技术部经理", None, None),
    ("张光", "浙江理工大学青田研究院", "employed", "院长", None, None),
    ("梁建宇", "浙江凯华模具有限公司", "employed", "模具组长", None, None),
    ("蔡文军", "浙江凯华模具有限公司", "employed", "技术主管", None, None),
    ("李克杰", "台州职业技术学院", "employed", None, None, None),
    ("李克杰", "浙江赛豪实业有限公司", "serving", "科技副总", None, None),
]
ARTICLE_PEOPLE = {
    "唐宁",
    "谭刚",
    "杨晓明",
    "刘兵",
    "白景元",
    "章斌",
    "张光",
    "梁建宇",
    "蔡文军",
    "李克杰",
}
TANG_NING_STUDENTS = {"陈思远", "许嘉怡", "周子涵"}


def test_every_article_organisation_is_loaded_in_its_region(demo):
    """Each organisation the article names exists once, of its kind, in its GB/T 2260 region,
    under its parent, labelled as named in the article."""
    for name, (kind, region, parent) in ARTICLE_ORGANISATIONS.items():
        org = Organisation.objects.get(name=name)
        assert (org.kind, org.region_id) == (kind, region), name
        assert (org.parent.name if org.parent else None) == parent, name
        assert org.data_source == DataSource.ARTICLE, name


def test_every_enterprise_has_a_valid_credit_code_of_its_region(demo):
    """All enterprises, named or generated, carry a check-valid USCC registered in their region;
    the named ones say the code is generated for the demo."""
    enterprises = Organisation.objects.filter(kind="enterprise")
    assert enterprises.count() > 12
    for org in enterprises:
        assert uscc_is_valid(org.uscc), org.name
        assert org.uscc[2:8] == org.region_id, org.name
    for org in enterprises.filter(data_source=DataSource.ARTICLE):
        assert "演示生成" in org.description, org.name


def test_article_people_have_their_affiliations(demo):
    """Every tie the article describes is recorded with its kind, position and dates."""
    for person, org, kind, position, start, end in ARTICLE_AFFILIATIONS:
        aff = Affiliation.objects.get(talent__name=person, organisation__name=org, kind=kind)
        if position is not None:
            assert aff.position == position, (person, org)
        if start is not None:
            assert aff.start_date == start, (person, org)
        assert aff.end_date == end, (person, org)
    # 刘兵's enterprise is not named in the article, so none is invented.
    assert not Affiliation.objects.filter(
        talent__name="刘兵", organisation__kind="enterprise"
    ).exists()


def test_bai_jingyuan_is_a_partner_employed_by_the_school_serving_the_enterprise(demo):
    """白景元 ("编制在学校、服务在企业"): his studies ended in 2025, then from July 2025 he is
    employed by 丽水职业技术学院 and serves 侠峰 as 科技副总 at the same time."""
    bai = TalentProfile.objects.get(name="白景元")
    current = {(a.organisation.name, a.kind) for a in bai.affiliations.all() if a.is_current}
    assert current == {
        ("丽水职业技术学院", "employed"),
        ("浙江侠峰精密压铸有限公司", "serving"),
    }
    assert bai.education == "doctorate"
    assert "压铸" in bai.expertise_list


def test_tang_ning_has_three_generated_students_seconded_to_zhongyang(demo):
    """唐宁's three unnamed students get invented names, labelled generated, studying at 浙江大学
    and seconded to 浙江中扬立库."""
    for name in TANG_NING_STUDENTS:
        student = TalentProfile.objects.get(name=name)
        assert student.data_source == DataSource.GENERATED
        kinds = {(a.organisation.name, a.kind) for a in student.affiliations.all()}
        assert kinds == {("浙江大学", "studying"), ("浙江中扬立库技术有限公司", "seconded")}


def test_article_people_carry_no_personal_data_the_article_does_not_state(demo):
    """Named real people get no identity number, birth year, phone or e-mail; 梁建宇's
    secondary education and the expertise the article describes are recorded."""
    people = TalentProfile.objects.filter(name__in=ARTICLE_PEOPLE)
    assert set(people.values_list("name", flat=True)) == ARTICLE_PEOPLE
    for person in people:
        assert person.data_source == DataSource.ARTICLE
        assert not person.id_number_encrypted and person.id_number_digest is None
        assert person.birth_year is None and not person.phone and not person.email
    assert TalentProfile.objects.get(name="梁建宇").education == "secondary"
    tangang = TalentProfile.objects.get(name="谭刚")
    assert {"薄膜涂布", "BOPP", "功能膜材料"} <= set(tangang.expertise_list)


def test_pools_belong_to_their_region_or_alliance_and_hold_the_named_people(demo):
    """The five pools exist with their owners, and the named people sit in the sensible ones."""
    owners = {
        p.code: (p.region_id, p.alliance.code if p.alliance else None) for p in Pool.objects.all()
    }
    assert owners == {
        "yrd-demo-zone": (None, "yrd-demo-zone"),
        "lishui-1plus9": (None, "lishui-1plus9"),
        "jiashan-kjfz": ("330421", None),
        "qingtian-jnfwt": ("331121", None),
        "huangyan-ynjc": ("331003", None),
    }

    def pools_of(name: str) -> set[str]:
        return set(TalentProfile.objects.get(name=name).pools.values_list("code", flat=True))

    assert "lishui-1plus9" in pools_of("张光")
    assert "lishui-1plus9" in pools_of("白景元")
    assert "jiashan-kjfz" in pools_of("谭刚")
    assert "huangyan-ynjc" in pools_of("梁建宇")


def test_generated_records_are_labelled_and_carry_no_identity_numbers(demo):
    """Everything the article does not name is labelled generated; no generated person has an
    identity number, a phone number or an e-mail address."""
    named_orgs = set(ARTICLE_ORGANISATIONS)
    for org in Organisation.objects.exclude(name__in=named_orgs):
        assert org.data_source == DataSource.GENERATED, org.name
    generated_people = TalentProfile.objects.exclude(name__in=ARTICLE_PEOPLE)
    assert generated_people.count() > 50
    assert set(generated_people.values_list("data_source", flat=True)) == {DataSource.GENERATED}
    assert not generated_people.exclude(id_number_encrypted="").exists()
    assert not generated_people.exclude(phone="").exists()
    assert not generated_people.exclude(email="").exists()


def test_generated_talents_look_like_a_county(demo):
    """Generated talents come with employers, expertise drawn from the trades, and some flow:
    past jobs, cross-region service and secondments."""
    generated_people = TalentProfile.objects.filter(data_source=DataSource.GENERATED)
    assert not generated_people.filter(affiliations__isnull=True).exists()
    assert not generated_people.filter(expertise="").exists()
    kinds = set(
        Affiliation.objects.filter(talent__in=generated_people).values_list("kind", flat=True)
    )
    assert kinds == {"employed", "seconded", "serving", "studying"}
    assert Affiliation.objects.filter(talent__in=generated_people, end_date__isnull=False).exists()


def test_ustb_qingtian_institute_gathers_45_researchers(demo):
    """ "北科大青田新材料研究院集聚45名科研人员": 45 people currently work there, at any scale."""
    current = Affiliation.objects.filter(
        organisation__name="北京科技大学青田新材料研究院", end_date__isnull=True
    )
    assert current.count() == generated.USTB_QINGTIAN_RESEARCHERS == 45


def test_every_record_passes_full_validation_and_has_its_audit_event(demo):
    """Re-validating every row (foreign keys and constraints included) finds nothing wrong, and
    each organisation, talent and affiliation has exactly one creation event by system:demo."""
    for model in (Organisation, TalentProfile, Affiliation, Pool):
        for obj in model.objects.all():
            obj.full_clean()
    for model, action in (
        (Organisation, "organisation.create"),
        (TalentProfile, "talent.create"),
        (Affiliation, "affiliation.create"),
        (Pool, "pool.create"),
        (User, "user.create"),
    ):
        events = AuditEvent.objects.filter(action=action, actor_label="system:demo")
        assert events.count() == model.objects.count(), action
        assert set(events.values_list("object_id", flat=True)) == {
            str(pk) for pk in model.objects.values_list("pk", flat=True)
        }, action


def test_loading_twice_does_not_duplicate(demo):
    """A second load sees the marker and writes nothing."""
    assert demo.loaded
    before = database_counts()
    again = demo_load(scale=SMALL)
    assert not again.loaded
    assert database_counts() == before
    assert AuditEvent.objects.filter(action=LOADED_ACTION).count() == 1
