"""What each role sees in the directory: scoping is decided here, once."""

from __future__ import annotations

import datetime as dt

from talentflow.directory.selectors import (
    OrganisationFilters,
    TalentFilters,
    organisation_list,
    pool_visible,
    talent_list,
)
from talentflow.reference.models import Alliance, Region
from talentflow.tests.factories import AffiliationFactory, PoolFactory, TalentFactory


def names(user, **filters) -> set[str]:
    return {t.name for t in talent_list(user=user, filters=TalentFilters(**filters))}


def org_names(user, **filters) -> set[str]:
    return {o.name for o in organisation_list(user=user, filters=OrganisationFilters(**filters))}


def test_officer_sees_experts_serving_in_the_region(cast):
    """谭刚 lives in Hangzhou but serves 福莱 in 嘉善, so 嘉善's officer sees him."""
    assert "谭刚" in names(cast.officer_jiashan)
    assert "谭刚" not in names(cast.officer_qingtian)
    assert "谭刚" not in names(cast.officer_qingpu)


def test_chinese_search_matches_expertise_and_organisation(cast):
    assert names(cast.officer_jiashan, q="薄膜涂布") == {"谭刚"}
    assert names(cast.officer_jiashan, q="福莱") == {"谭刚"}
    assert names(cast.officer_jiashan, q="薄膜涂布 压铸") == set()


def test_enterprise_sees_its_people_and_talent_sees_self(cast):
    assert names(cast.enterprise_user) == {"谭刚"}
    assert names(cast.talent_user) == {"谭刚"}
    assert names(cast.provider_qingpu) == set()
    assert org_names(cast.enterprise_user) == {"浙江福莱新材料股份有限公司"}


def test_alliance_pool_is_shared_with_every_member_region(cast):
    """A talent of 青田 in the 1+9 pool is visible to 丽水's officers but not to 嘉善's."""
    lishui_pool = PoolFactory(
        region=None, alliance=Alliance.objects.get(code="lishui-1plus9"), name="1+9"
    )
    qingtian = Region.objects.get(code="331121")
    talent = TalentFactory(name="共享专家", home_region=qingtian)
    talent.pools.add(lishui_pool)
    songyang_officer = cast.officer_lishui  # 丽水市 covers 松阳 and is a member itself
    assert "共享专家" in names(songyang_officer)
    assert "共享专家" not in names(cast.officer_jiashan)
    assert lishui_pool in pool_visible(user=cast.officer_qingtian)
    assert lishui_pool not in pool_visible(user=cast.officer_jiashan)


def test_shared_organisation_is_visible_across_the_alliance(cast):
    fulai = cast.orgs["fulai"]
    assert fulai.name not in org_names(cast.officer_qingpu)
    fulai.shared_with.add(Alliance.objects.get(code="yrd-demo-zone"))
    assert fulai.name in org_names(cast.officer_qingpu)
    assert fulai.name not in org_names(cast.officer_qingtian)


def test_region_filter_includes_current_work_place(cast):
    """Filtering by 嘉善 finds people living there and people working there now."""
    assert "谭刚" in names(cast.admin, region="330421")
    assert "谭刚" in names(cast.admin, region="330100")  # his home, a prefecture filter
    assert "谭刚" not in names(cast.admin, region="331121")


def test_ended_affiliation_no_longer_places_a_talent(cast):
    person = TalentFactory(name="离任专家", home_region=Region.objects.get(code="110108"))
    AffiliationFactory(
        talent=person,
        organisation=cast.orgs["xiafeng"],
        start_date=dt.date(2020, 1, 1),
        end_date=dt.date(2021, 1, 1),
    )
    assert "离任专家" not in names(cast.admin, region="331121")


def test_industry_and_discipline_filters_follow_the_code_tree(cast):
    talent = cast.talents["tangang"]
    talent.industries.add("2921")  # 塑料薄膜制造 under 29 and section C
    talent.disciplines.add(*Discipline_ids("0805"))
    assert "谭刚" in names(cast.admin, industry="C")
    assert "谭刚" in names(cast.admin, industry="29")
    assert "谭刚" not in names(cast.admin, industry="33")
    assert "谭刚" in names(cast.admin, discipline="08")
    assert "谭刚" not in names(cast.admin, discipline="07")


def Discipline_ids(code: str) -> list[int]:
    from talentflow.reference.models import Discipline

    return list(Discipline.objects.filter(code=code).values_list("pk", flat=True))


def test_list_query_count_does_not_grow_with_rows(cast, django_assert_max_num_queries):
    for i in range(30):
        person = TalentFactory(name=f"工程师{i}")
        AffiliationFactory(talent=person, organisation=cast.orgs["fulai"])
    # Memberships, alliances and own profile (the scope), the page, the affiliations prefetch.
    with django_assert_max_num_queries(5):
        rows = list(talent_list(user=cast.officer_jiashan))
        for row in rows:
            _ = [a.organisation.name for a in row.current_affiliations]
            _ = row.home_region.name


def test_search_ranks_by_where_the_term_matches_then_title(cast):
    """A name match comes first, then expertise (higher title first), then biography."""
    from talentflow.reference.models import TitleSeries

    series = TitleSeries.objects.get(seq=1)
    TalentFactory(name="薄膜涂布研究者")  # the term in the name
    TalentFactory(name="甲", expertise="涂层；薄膜涂布")
    TalentFactory(name="乙", expertise="薄膜涂布", title_series=series, title_level="senior_full")
    TalentFactory(name="丙", biography="早年从事薄膜涂布")
    ranked = [t.name for t in talent_list(user=cast.admin, filters=TalentFilters(q="薄膜涂布"))]
    assert ranked[0] == "薄膜涂布研究者"
    assert ranked.index("乙") < ranked.index("甲") < ranked.index("丙")
    assert ranked.index("谭刚") < ranked.index("丙")  # his expertise beats a biography mention


def test_organisation_search_puts_name_matches_first(cast):
    cast.orgs["xiafeng"].description = "与福莱合作"
    cast.orgs["xiafeng"].save()
    ranked = [
        o.name for o in organisation_list(user=cast.admin, filters=OrganisationFilters(q="福莱"))
    ]
    assert ranked == ["浙江福莱新材料股份有限公司", "浙江侠峰精密压铸有限公司"]
