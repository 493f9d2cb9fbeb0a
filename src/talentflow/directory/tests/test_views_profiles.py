"""The talent profile, the organisation page and "my profile"."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from talentflow.directory import services
from talentflow.reference.models import Region, TitleSeries
from talentflow.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PoolFactory,
    TalentFactory,
    id_number_for,
)


def talent_url(talent) -> str:
    return reverse("directory:talent_detail", args=[talent.pk])


def organisation_url(organisation) -> str:
    return reverse("directory:organisation_detail", args=[organisation.pk])


# Talent profile --------------------------------------------------------------------------


def test_profile_of_an_invisible_talent_is_404(client, cast):
    """青田's officer may not see 谭刚: his profile does not exist for them."""
    client.force_login(cast.officer_qingtian)
    assert client.get(talent_url(cast.talents["tangang"])).status_code == 404
    client.force_login(cast.enterprise_qingtian)
    assert client.get(talent_url(cast.talents["tangang"])).status_code == 404


def test_unknown_talent_is_404(client, cast):
    """A number that is no talent gives 404, not an error."""
    client.force_login(cast.admin)
    assert client.get(reverse("directory:talent_detail", args=[999999])).status_code == 404


def test_profile_shows_the_affiliation_timeline_newest_first(client, cast):
    """All affiliations, newest first, with region, kind, position, period and "current"."""
    tangang = cast.talents["tangang"]
    hdu = cast.orgs["hdu_jiashan"]
    AffiliationFactory(
        talent=tangang,
        organisation=hdu,
        kind="seconded",
        position="访问学者",
        start_date=dt.date(2018, 1, 1),
        end_date=dt.date(2019, 6, 30),
    )
    client.force_login(cast.officer_jiashan)
    response = client.get(talent_url(tangang), HTTP_ACCEPT_LANGUAGE="en")
    rows = response.context["timeline"]
    assert [r["affiliation"].organisation.name for r in rows] == [
        "浙江福莱新材料股份有限公司",
        "浙江大学",
        "杭州电子科技大学嘉善研究院",
    ]
    html = response.content.decode()
    assert "2018-01-01 – 2019-06-30" in html and "访问学者" in html
    assert "2024-03-01 – now" in html
    assert html.count(">current<") == 2
    assert "西湖区" in html  # 浙江大学's region
    assert response.context["nav_active"] == "talents"


def test_timeline_links_only_visible_organisations(client, cast):
    """嘉善's officer gets a link to 福莱 but not to 浙江大学, which they may not see."""
    client.force_login(cast.officer_jiashan)
    html = client.get(talent_url(cast.talents["tangang"])).content.decode()
    assert f'href="{organisation_url(cast.orgs["fulai"])}"' in html
    assert f'href="{organisation_url(cast.orgs["zju"])}"' not in html
    assert "浙江大学" in html


def test_identity_number_is_masked_and_contacts_shown_only_to_editors(client, cast):
    """Everyone sees the masked number; phone and e-mail only who may edit the profile."""
    number = id_number_for("330421", 42)
    talent = TalentFactory(
        name="联系人", id_number=number, phone="13800000000", email="lianxi@example.cn"
    )
    AffiliationFactory(talent=talent, organisation=cast.orgs["fulai"])
    masked = number[:4] + "*" * 10 + number[-4:]
    client.force_login(cast.officer_jiashan)
    html = client.get(talent_url(talent)).content.decode()
    assert masked in html and number not in html
    assert "13800000000" in html and "lianxi@example.cn" in html
    client.force_login(cast.enterprise_user)
    html = client.get(talent_url(talent)).content.decode()
    assert masked in html and number not in html
    assert "13800000000" not in html and "lianxi@example.cn" not in html


def test_unverified_title_series_is_marked(client, cast):
    """A title series not checked against the official table carries an "unverified" badge."""
    unverified = TitleSeries.objects.filter(verified=False).first()
    verified = TitleSeries.objects.filter(verified=True).first()
    talent = TalentFactory(name="职称待核", title_series=unverified)
    checked = TalentFactory(name="职称已核", title_series=verified)
    client.force_login(cast.officer_jiashan)
    html = client.get(talent_url(talent), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert unverified.name in html and ">unverified<" in html
    html = client.get(talent_url(checked), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">unverified<" not in html


def test_profile_shows_reference_data_and_visible_pools(client, cast):
    """Title, disciplines, industries, expertise, home region and visible pools appear."""
    tangang = cast.talents["tangang"]
    shown = PoolFactory(name="嘉善专家库")
    hidden = PoolFactory(name="青田技能服务团", region=Region.objects.get(code="331121"))
    services.talent_update(
        actor=cast.admin,
        talent=tangang,
        data={
            "title_series": TitleSeries.objects.get(name="高等学校教师"),
            "title_level": "senior_full",
            "industries": ["2921"],
            "biography": "攻关BOPP薄膜涂布缺陷。",
            "pools": [shown, hidden],
        },
    )
    client.force_login(cast.officer_jiashan)
    html = client.get(talent_url(tangang)).content.decode()
    for text in ("高等学校教师", "教授", "2921", "薄膜涂布", "攻关BOPP薄膜涂布缺陷", "西湖区"):
        assert text in html
    assert "嘉善专家库" in html and "青田技能服务团" not in html


def test_edit_and_end_controls_follow_permissions(client, cast):
    """嘉善's officer may end 谭刚's 福莱 affiliation but not edit him nor end 浙大's."""
    tangang = cast.talents["tangang"]
    client.force_login(cast.officer_jiashan)
    response = client.get(talent_url(tangang))
    assert not response.context["can_edit"]
    ends = {r["affiliation"].organisation.name: r["can_end"] for r in response.context["timeline"]}
    assert ends == {"浙江福莱新材料股份有限公司": True, "浙江大学": False}
    assert reverse("directory:talent_edit", args=[tangang.pk]) not in response.content.decode()
    client.force_login(cast.talent_user)
    response = client.get(talent_url(tangang))
    assert response.context["can_edit"]
    assert reverse("directory:talent_edit", args=[tangang.pk]) in response.content.decode()
    assert response.context["nav_active"] == "my_profile"


# Organisation page -----------------------------------------------------------------------


def test_organisation_page_shows_people_now_and_before(client, cast):
    """福莱's page lists 谭刚 among the people now and a former engineer among those before."""
    fulai = cast.orgs["fulai"]
    former = TalentFactory(name="前工程师")
    AffiliationFactory(
        talent=former,
        organisation=fulai,
        start_date=dt.date(2015, 1, 1),
        end_date=dt.date(2020, 1, 1),
    )
    client.force_login(cast.officer_jiashan)
    response = client.get(organisation_url(fulai))
    assert [a.talent.name for a in response.context["current"]] == ["谭刚"]
    assert [a.talent.name for a in response.context["past"]] == ["前工程师"]
    html = response.content.decode()
    assert fulai.uscc in html and "嘉善县" in html
    assert reverse("directory:organisation_edit", args=[fulai.pk]) in html


def test_organisation_page_shows_parent_children_and_alliances(client, cast):
    """Parent and units link where visible; the alliances it is shared with are named."""
    hdu = cast.orgs["hdu_jiashan"]
    lab = OrganisationFactory(
        name="杭电嘉善联合实验室", kind="platform", parent=hdu, region=hdu.region
    )
    services.organisation_update(
        actor=cast.admin, organisation=hdu, data={"shared_with": [cast_alliance("yrd-demo-zone")]}
    )
    client.force_login(cast.officer_jiashan)
    html = client.get(organisation_url(hdu)).content.decode()
    assert f'href="{organisation_url(lab)}"' in html and "示范区" in html
    html = client.get(organisation_url(lab)).content.decode()
    assert f'href="{organisation_url(hdu)}"' in html


def cast_alliance(code: str):
    from talentflow.reference.models import Alliance

    return Alliance.objects.get(code=code)


def test_organisation_page_lists_only_visible_people(client, cast):
    """An enterprise sees the people of its own organisation that it may see."""
    client.force_login(cast.enterprise_user)
    response = client.get(organisation_url(cast.orgs["fulai"]))
    assert [a.talent.name for a in response.context["current"]] == ["谭刚"]
    assert not response.context["past"]


def test_invisible_organisation_is_404(client, cast):
    """青田's officer may not see 福莱; 福莱's user may not see 侠峰."""
    client.force_login(cast.officer_qingtian)
    assert client.get(organisation_url(cast.orgs["fulai"])).status_code == 404
    client.force_login(cast.enterprise_user)
    assert client.get(organisation_url(cast.orgs["xiafeng"])).status_code == 404


def test_organisation_shared_with_an_alliance_is_visible_across_it(client, cast):
    """Shared with the 示范区, 福莱 is visible to 青浦's officer (read-only)."""
    fulai = cast.orgs["fulai"]
    client.force_login(cast.officer_qingpu)
    assert client.get(organisation_url(fulai)).status_code == 404
    services.organisation_update(
        actor=cast.admin, organisation=fulai, data={"shared_with": [cast_alliance("yrd-demo-zone")]}
    )
    response = client.get(organisation_url(fulai))
    assert response.status_code == 200 and not response.context["can_edit"]


# My profile ------------------------------------------------------------------------------


def test_my_profile_redirects_to_the_own_talent_profile(client, cast):
    """谭刚's "my profile" is his talent profile."""
    client.force_login(cast.talent_user)
    response = client.get(reverse("directory:my_profile"))
    assert response.status_code == 302
    assert response["Location"] == talent_url(cast.talents["tangang"])


def test_my_profile_without_a_talent_profile_explains_why(client, cast):
    """An officer's account has no talent profile: a friendly page says so."""
    client.force_login(cast.officer_jiashan)
    response = client.get(reverse("directory:my_profile"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"Your account has no talent profile." in response.content
    assert response.context["nav_active"] == "my_profile"
