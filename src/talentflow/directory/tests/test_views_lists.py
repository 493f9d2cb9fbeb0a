"""The talent and organisation list pages: scoping per role, search, filters, htmx, pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentflow.directory import services
from talentflow.reference.models import Region, TitleSeries
from talentflow.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PoolFactory,
    TalentFactory,
)

TALENTS = reverse("directory:talent_list")
ORGANISATIONS = reverse("directory:organisation_list")


def listed_talents(response) -> list[str]:
    return [t.name for t in response.context["page_obj"].object_list]


def get_talents(client, user, **params):
    client.force_login(user)
    response = client.get(TALENTS, params)
    assert response.status_code == 200
    return response


# Scoping ---------------------------------------------------------------------------------


def test_anonymous_visitor_is_sent_to_login(client, db):
    """The directory is for signed-in users only."""
    response = client.get(TALENTS)
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_jiashan_officer_sees_the_expert_serving_in_jiashan(client, cast):
    """谭刚 lives in 杭州 but serves 福莱 in 嘉善, so 嘉善's officer finds him in the list."""
    response = get_talents(client, cast.officer_jiashan)
    assert "谭刚" in listed_talents(response)
    assert response.context["nav_active"] == "talents"


def test_jiashan_officer_finds_him_by_a_chinese_expertise_keyword(client, cast):
    """Searching 薄膜涂布 matches 谭刚's expertise keywords."""
    response = get_talents(client, cast.officer_jiashan, q="薄膜涂布")
    assert listed_talents(response) == ["谭刚"]


def test_search_matches_organisation_names(client, cast):
    """Searching by an organisation's name finds the people affiliated with it."""
    response = get_talents(client, cast.officer_jiashan, q="福莱")
    assert listed_talents(response) == ["谭刚"]


def test_qingtian_officer_does_not_see_him(client, cast):
    """谭刚 has no tie to 青田, so its officer neither lists nor finds him."""
    assert "谭刚" not in listed_talents(get_talents(client, cast.officer_qingtian))
    assert listed_talents(get_talents(client, cast.officer_qingtian, q="薄膜涂布")) == []


def test_enterprise_sees_only_people_affiliated_with_it(client, cast):
    """福莱's user sees 谭刚 (serving 福莱), not the student seconded to 中扬 nor others."""
    TalentFactory(name="嘉善工程师")  # home 嘉善, no tie to 福莱
    assert listed_talents(get_talents(client, cast.enterprise_user)) == ["谭刚"]


def test_talent_sees_only_himself(client, cast):
    """A talent's list holds exactly their own profile."""
    assert listed_talents(get_talents(client, cast.talent_user)) == ["谭刚"]


def test_rows_show_affiliations_title_keywords_region_and_pools(client, cast):
    """A row shows the current affiliations, the title name, keywords, home region and pools."""
    tangang = cast.talents["tangang"]
    pool = PoolFactory(name="嘉善科技副总专家库")
    services.talent_update(
        actor=cast.admin,
        talent=tangang,
        data={
            "title_series": TitleSeries.objects.get(name="高等学校教师"),
            "title_level": "senior_full",
            "pools": [pool],
        },
    )
    html = get_talents(client, cast.officer_jiashan).content.decode()
    for text in ("浙江大学", "求是讲席教授", "科技副总", "教授", "薄膜涂布", "功能膜材料"):
        assert text in html
    assert "杭州市" in html and "西湖区" in html
    assert "嘉善科技副总专家库" in html


def test_pools_of_other_regions_are_not_named(client, cast):
    """A pool the user may not see is not shown on a talent's row."""
    pool = PoolFactory(name="青田技能服务团", region=Region.objects.get(code="331121"))
    services.talent_update(actor=cast.admin, talent=cast.talents["tangang"], data={"pools": [pool]})
    assert "青田技能服务团" not in get_talents(client, cast.officer_jiashan).content.decode()
    assert "青田技能服务团" in get_talents(client, cast.officer_qingtian).content.decode()


def test_demo_and_article_records_carry_distinct_badges(client, cast):
    """Generated demo data and people named in the article are labelled differently."""
    TalentFactory(name="演示人员", data_source="generated")
    TalentFactory(name="文章人物", data_source="article")
    client.force_login(cast.officer_jiashan)
    response = client.get(TALENTS, HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert html.count("demo data") == 1
    assert html.count("from the article") == 1


# Filters ---------------------------------------------------------------------------------


@pytest.fixture
def variety(cast):
    """Three 嘉善 talents that differ in industry, pool and title series."""
    pool = PoolFactory(code="jiashan-experts", name="嘉善专家库")
    die_casting = TalentFactory(name="压铸专家", industries=["3391"], pools=[pool])
    film = TalentFactory(
        name="涂布专家",
        industries=["2921"],
        title_series=TitleSeries.objects.get(name="工程技术人员"),
        title_level="senior_deputy",
    )
    qingpu = TalentFactory(name="青浦专家", home_region=Region.objects.get(code="310118"))
    return {"pool": pool, "die_casting": die_casting, "film": film, "qingpu": qingpu}


def test_filter_by_region(client, cast, variety):
    """region=310118 keeps the talents living in (or currently working in) 青浦."""
    names = listed_talents(get_talents(client, cast.admin, region="310118"))
    assert names == ["青浦专家"]


def test_filter_by_region_of_current_affiliation(client, cast, variety):
    """region=330421 includes 谭刚, whose current affiliation (福莱) is in 嘉善."""
    names = listed_talents(get_talents(client, cast.admin, region="330421"))
    assert "谭刚" in names and "青浦专家" not in names


def test_filter_by_industry_section_and_division(client, cast, variety):
    """Industry C (manufacturing) and 33 (metal products) match by code prefix."""
    section = listed_talents(get_talents(client, cast.admin, industry="C"))
    assert sorted(section) == ["压铸专家", "涂布专家"]
    assert listed_talents(get_talents(client, cast.admin, industry="33")) == ["压铸专家"]


def test_filter_by_pool_id_or_code(client, cast, variety):
    """A pool is given by id (the filter form) or code (links from spreadsheets)."""
    by_id = listed_talents(get_talents(client, cast.admin, pool=variety["pool"].pk))
    by_code = listed_talents(get_talents(client, cast.admin, pool="jiashan-experts"))
    assert by_id == by_code == ["压铸专家"]


def test_filter_by_title_series(client, cast, variety):
    """title_series keeps the talents holding a title of that series."""
    series = TitleSeries.objects.get(name="工程技术人员")
    assert listed_talents(get_talents(client, cast.admin, title_series=series.pk)) == ["涂布专家"]


def test_filter_form_shows_the_chosen_values_again(client, cast, variety):
    """The filter panel is bound to the query, so the chosen options stay selected."""
    response = get_talents(client, cast.admin, q="压铸", industry="33")
    form = response.context["filter_form"]
    assert form["q"].value() == "压铸" and form["industry"].value() == "33"
    assert 'value="33" selected' in response.content.decode()


def test_pool_filter_offers_only_visible_pools(client, cast, variety):
    """The pool choices come from pool_visible: 青田's officer is not offered 嘉善's pool."""
    form = get_talents(client, cast.officer_qingtian).context["filter_form"]
    assert str(variety["pool"].pk) not in [str(v) for v, _ in form.fields["pool"].choices]
    form = get_talents(client, cast.officer_jiashan).context["filter_form"]
    assert str(variety["pool"].pk) in [str(v) for v, _ in form.fields["pool"].choices]


def test_industry_filter_groups_divisions_under_sections(client, cast):
    """Industries are offered as GB/T 4754 门类 groups holding their 大类."""
    choices = get_talents(client, cast.admin).context["filter_form"].fields["industry"].choices
    groups = {label: options for label, options in choices[1:]}
    manufacturing = next(options for label, options in groups.items() if label.startswith("C "))
    codes = [code for code, _ in manufacturing]
    assert codes[0] == "C" and "33" in codes and "3391" not in codes


def test_region_filter_offers_regions_in_use_and_their_prefectures(client, cast):
    """丽水's officer can filter by the city as a whole and by a county with data."""
    TalentFactory(name="松阳专家", home_region=Region.objects.get(code="331124"))
    choices = get_talents(client, cast.officer_lishui).context["filter_form"].fields["region"]
    codes = [code for _, options in choices.choices[1:] for code, _ in options]
    assert "331100" in codes and "331124" in codes


# htmx and pages ---------------------------------------------------------------------------


def test_htmx_request_gets_only_the_results_partial(client, cast):
    """With HX-Request the view answers with the results fragment, without the layout."""
    client.force_login(cast.officer_jiashan)
    response = client.get(TALENTS, {"q": "薄膜涂布"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and '<nav class="navbar' not in html
    assert 'id="talent-count"' in html and "谭刚" in html
    assert "HX-Request" in response["Vary"]


def test_full_page_has_the_htmx_filter_form(client, cast):
    """Without HX-Request the page carries the layout and a filter form wired to htmx."""
    html = get_talents(client, cast.officer_jiashan).content.decode()
    assert "<html" in html and 'id="talent-results"' in html
    assert 'hx-get="/directory/talents/"' in html and 'hx-push-url="true"' in html
    assert "input changed delay:300ms" in html


def test_history_restore_gets_the_whole_page(client, cast):
    """htmx restoring history asks for the whole page, so it gets the layout."""
    client.force_login(cast.officer_jiashan)
    response = client.get(TALENTS, HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true")
    assert "<html" in response.content.decode()


@override_settings(TALENTFLOW_PAGE_SIZE=2)
def test_pagination_splits_the_list_and_keeps_the_filters(client, cast):
    """Five matches at two per page make three pages; links keep the query string."""
    for i in range(5):
        TalentFactory(name=f"压铸工{i}", expertise="压铸")
    first = get_talents(client, cast.admin, q="压铸")
    assert first.context["page_obj"].paginator.count == 5
    assert len(listed_talents(first)) == 2
    html = first.content.decode()
    assert "?q=%E5%8E%8B%E9%93%B8&amp;page=2" in html
    last = get_talents(client, cast.admin, q="压铸", page="3")
    assert listed_talents(last) == ["压铸工4"]
    beyond = get_talents(client, cast.admin, q="压铸", page="99")
    assert beyond.context["page_obj"].number == 3


def test_talent_list_query_count_does_not_grow_with_rows(client, cast):
    """Affiliations, titles, regions and pools are fetched per page, not per row."""
    series = TitleSeries.objects.get(name="工程技术人员")
    pool = PoolFactory()

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(TALENTS, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        return len(context.captured_queries)

    client.force_login(cast.officer_jiashan)
    client.get(TALENTS)
    before = queries()
    for i in range(6):
        talent = TalentFactory(
            name=f"工程师{i}", title_series=series, title_level="intermediate", pools=[pool]
        )
        AffiliationFactory(talent=talent, organisation=cast.orgs["fulai"])
    assert queries() == before


def test_total_count_is_shown(client, cast):
    """The number of matching talents is shown above the table."""
    client.force_login(cast.admin)
    html = client.get(TALENTS, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "2 talents" in html


def test_empty_state_distinguishes_no_match_from_no_data(client, cast, django_user_model):
    """Filters that match nothing say so; a directory without talents says it is empty."""
    client.force_login(cast.officer_jiashan)
    html = client.get(TALENTS, {"q": "不存在的关键词"}, HTTP_ACCEPT_LANGUAGE="en").content
    assert b"No talent matches these filters." in html
    client.force_login(cast.officer_qingpu)
    html = client.get(TALENTS, HTTP_ACCEPT_LANGUAGE="en").content
    assert b"There are no talents in your directory yet." in html
    assert reverse("directory:talent_create").encode() in html


# Buttons ---------------------------------------------------------------------------------


def test_officer_gets_import_new_and_export_links_with_the_query(client, cast):
    """Export links carry the current filters; import and new are offered to an officer."""
    html = get_talents(client, cast.officer_jiashan, q="薄膜涂布").content.decode()
    export = reverse("directory:export", kwargs={"kind": "talents", "fmt": "xlsx"})
    csv = reverse("directory:export", kwargs={"kind": "talents", "fmt": "csv"})
    assert f"{export}?q=%E8%96%84%E8%86%9C%E6%B6%82%E5%B8%83" in html
    assert f"{csv}?q=" in html
    assert reverse("directory:import", kwargs={"kind": "talents"}) in html
    assert reverse("directory:talent_create") in html


def test_enterprise_gets_export_but_not_import_or_new(client, cast):
    """An enterprise may export what it sees but neither imports nor registers talents."""
    html = get_talents(client, cast.enterprise_user).content.decode()
    assert reverse("directory:export", kwargs={"kind": "talents", "fmt": "xlsx"}) in html
    assert reverse("directory:import", kwargs={"kind": "talents"}) not in html
    assert reverse("directory:talent_create") not in html


# Organisations ---------------------------------------------------------------------------


def listed_organisations(response) -> list[str]:
    return [o.name for o in response.context["page_obj"].object_list]


def test_organisation_list_is_scoped_per_role(client, cast):
    """嘉善's officer sees 嘉善's organisations; 福莱's user only 福莱."""
    client.force_login(cast.officer_jiashan)
    names = listed_organisations(client.get(ORGANISATIONS))
    assert "浙江福莱新材料股份有限公司" in names and "浙江侠峰精密压铸有限公司" not in names
    client.force_login(cast.enterprise_user)
    response = client.get(ORGANISATIONS)
    assert listed_organisations(response) == ["浙江福莱新材料股份有限公司"]
    assert response.context["nav_active"] == "organisations"


def test_organisation_filters_by_kind_and_search(client, cast):
    """kind and q narrow the organisation list."""
    client.force_login(cast.officer_jiashan)
    by_kind = client.get(ORGANISATIONS, {"kind": "research_institute"})
    assert listed_organisations(by_kind) == ["杭州电子科技大学嘉善研究院"]
    by_text = client.get(ORGANISATIONS, {"q": "中扬"})
    assert listed_organisations(by_text) == ["浙江中扬立库技术有限公司"]


def test_organisation_people_count_counts_current_visible_people(client, cast):
    """People = current affiliations of talents the user may see; past ones do not count."""
    fulai = cast.orgs["fulai"]
    AffiliationFactory(organisation=fulai)
    AffiliationFactory(organisation=fulai, end_date=dt.date(2021, 1, 1))
    client.force_login(cast.officer_jiashan)
    rows = {o.name: o.people for o in client.get(ORGANISATIONS).context["page_obj"]}
    assert rows["浙江福莱新材料股份有限公司"] == 2
    client.force_login(cast.enterprise_user)
    rows = {o.name: o.people for o in client.get(ORGANISATIONS).context["page_obj"]}
    assert rows["浙江福莱新材料股份有限公司"] == 2


def test_organisation_list_query_count_does_not_grow_with_rows(client, cast):
    """Adding organisations does not add queries: the people count is annotated."""

    def queries() -> int:
        with CaptureQueriesContext(connection) as context:
            response = client.get(ORGANISATIONS, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        return len(context.captured_queries)

    client.force_login(cast.admin)
    client.get(ORGANISATIONS)  # the session and scope are loaded once
    before = queries()
    for _ in range(6):
        AffiliationFactory(organisation=OrganisationFactory())
    assert queries() == before


def test_organisation_htmx_partial_and_empty_state(client, cast):
    """The organisation list answers htmx with its fragment, and says when nothing matches."""
    client.force_login(cast.officer_jiashan)
    response = client.get(
        ORGANISATIONS, {"q": "无此单位"}, HTTP_HX_REQUEST="true", HTTP_ACCEPT_LANGUAGE="en"
    )
    html = response.content.decode()
    assert "<html" not in html
    assert "No organisation matches these filters." in html
