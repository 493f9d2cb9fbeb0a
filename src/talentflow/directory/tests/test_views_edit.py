"""Creating and editing talents, organisations and affiliations through the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from talentflow.core import crypto
from talentflow.core.models import AuditEvent
from talentflow.directory.models import Affiliation, Organisation, TalentProfile
from talentflow.reference.models import Alliance, Discipline, Qualification, TitleSeries
from talentflow.tests.factories import (
    PoolFactory,
    TalentFactory,
    id_number_for,
    uscc_for,
)

TALENT_NEW = reverse("directory:talent_create")
ORGANISATION_NEW = reverse("directory:organisation_create")


def edit_url(talent) -> str:
    return reverse("directory:talent_edit", args=[talent.pk])


def organisation_edit_url(organisation) -> str:
    return reverse("directory:organisation_edit", args=[organisation.pk])


def talent_post(**overrides) -> dict:
    """The form as a browser posts it: every field, blanks for those left empty."""
    data = {
        "name": "张工",
        "gender": "male",
        "birth_year": "1980",
        "id_number": "",
        "education": "master",
        "home_region": "330421",
        "phone": "",
        "email": "",
        "title_series": "",
        "title_level": "",
        "expertise": "压铸，模具",
        "biography": "",
        "availability": "available",
        "is_active": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# Talents: create -------------------------------------------------------------------------


def test_officer_creates_a_talent_and_lands_on_the_profile(client, cast):
    """A valid form creates the talent through the service (audited) and redirects."""
    number = id_number_for("330421", 77)
    client.force_login(cast.officer_jiashan)
    response = client.post(
        TALENT_NEW,
        talent_post(id_number=number.lower(), industries=["3391"], disciplines=[], pools=[]),
    )
    talent = TalentProfile.objects.get(name="张工")
    assert response.status_code == 302 and response["Location"] == talent.get_absolute_url()
    assert crypto.decrypt(talent.id_number_encrypted) == number
    assert talent.expertise == "压铸；模具"
    assert list(talent.industries.values_list("code", flat=True)) == ["3391"]
    assert AuditEvent.objects.filter(action="talent.create", object_id=str(talent.pk)).exists()


def test_create_form_offers_only_the_officers_regions(client, cast):
    """丽水's officer chooses among 丽水 and its nine counties; 嘉善's is preset to 嘉善."""
    client.force_login(cast.officer_lishui)
    form = client.get(TALENT_NEW).context["form"]
    codes = set(form.fields["home_region"].queryset.values_list("code", flat=True))
    assert "331100" in codes and "331121" in codes and "330421" not in codes
    assert len(codes) == 10
    client.force_login(cast.officer_jiashan)
    form = client.get(TALENT_NEW).context["form"]
    assert form["home_region"].value() == "330421"


def test_officer_cannot_create_in_another_region(client, cast):
    """Posting a region outside one's own is a form error, and nothing is created."""
    client.force_login(cast.officer_jiashan)
    response = client.post(TALENT_NEW, talent_post(home_region="331121"))
    assert response.status_code == 200
    assert "home_region" in response.context["form"].errors
    assert not TalentProfile.objects.filter(name="张工").exists()


@pytest.mark.parametrize("who", ["enterprise_user", "talent_user", "institution_user"])
def test_non_officers_may_not_create_talents(client, cast, who):
    """Only officers and administrators register talents: everyone else gets 403."""
    client.force_login(getattr(cast, who))
    assert client.get(TALENT_NEW).status_code == 403
    assert client.post(TALENT_NEW, talent_post()).status_code == 403


def test_bad_identity_number_is_shown_next_to_the_field(client, cast):
    """The service's ValidationError for id_number lands on the id_number field."""
    client.force_login(cast.officer_jiashan)
    response = client.post(
        TALENT_NEW, talent_post(id_number="330421198001010010"), HTTP_ACCEPT_LANGUAGE="en"
    )
    form = response.context["form"]
    assert response.status_code == 200
    assert "check digit" in " ".join(form.errors["id_number"])
    assert not TalentProfile.objects.filter(name="张工").exists()


def test_duplicate_identity_number_is_reported_on_the_field(client, cast):
    """A second profile with the same identity number is refused next to the field."""
    number = id_number_for("330421", 78)
    TalentFactory(name="先登记", id_number=number)
    client.force_login(cast.officer_jiashan)
    response = client.post(TALENT_NEW, talent_post(id_number=number), HTTP_ACCEPT_LANGUAGE="en")
    assert "already has this identity number" in " ".join(
        response.context["form"].errors["id_number"]
    )


def test_required_name_message_is_chinese_for_a_chinese_browser(client, cast):
    """With a Chinese browser, Django's own messages come in Chinese."""
    client.force_login(cast.officer_jiashan)
    response = client.post(TALENT_NEW, talent_post(name=""), HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "这个字段是必填项。" in response.context["form"].errors["name"]
    assert "这个字段是必填项。" in response.content.decode()


def test_title_level_without_series_is_a_field_error(client, cast):
    """A title level needs its series; the model's message appears at the series field."""
    client.force_login(cast.officer_jiashan)
    response = client.post(
        TALENT_NEW, talent_post(title_level="senior_full"), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (
        "Choose the series of this title level." in response.context["form"].errors["title_series"]
    )


# Talents: edit ---------------------------------------------------------------------------


def test_officer_edit_writes_an_audit_event(client, cast):
    """Saving a changed profile goes through talent_update, which records an AuditEvent."""
    talent = TalentFactory(name="李工", expertise="压铸")
    client.force_login(cast.officer_jiashan)
    response = client.post(
        edit_url(talent), talent_post(name="李工", expertise="压铸；真空压铸", gender="")
    )
    assert response.status_code == 302
    talent.refresh_from_db()
    assert talent.expertise == "压铸；真空压铸"
    event = AuditEvent.objects.get(action="talent.update", object_id=str(talent.pk))
    assert event.actor == cast.officer_jiashan
    assert event.before["expertise"] == "压铸" and event.after["expertise"] == "压铸；真空压铸"


def test_edit_visible_but_not_editable_is_403(client, cast):
    """嘉善's officer sees 谭刚 (serving 福莱) but his home is 杭州: editing is forbidden."""
    tangang = cast.talents["tangang"]
    client.force_login(cast.officer_jiashan)
    assert client.get(edit_url(tangang)).status_code == 403
    assert client.post(edit_url(tangang), talent_post(name="改名")).status_code == 403
    client.force_login(cast.enterprise_user)
    assert client.get(edit_url(tangang)).status_code == 403


def test_edit_invisible_is_404(client, cast):
    """青田's officer may not even see 谭刚: 404, not 403."""
    client.force_login(cast.officer_qingtian)
    assert client.get(edit_url(cast.talents["tangang"])).status_code == 404


def test_identity_number_is_never_prefilled_or_shown_unmasked(client, cast):
    """The edit form leaves the number blank and shows only the mask in its help text."""
    number = id_number_for("330421", 79)
    talent = TalentFactory(name="王工", id_number=number)
    client.force_login(cast.officer_jiashan)
    for url in (edit_url(talent), talent.get_absolute_url(), reverse("directory:talent_list")):
        html = client.get(url).content.decode()
        assert number not in html
    html = client.get(edit_url(talent)).content.decode()
    assert talent.id_number_masked in html
    assert 'name="id_number" value' not in html


def test_blank_identity_number_keeps_the_current_one(client, cast):
    """Leaving the number blank on edit keeps it; typing a new one replaces it."""
    number, new_number = id_number_for("330421", 80), id_number_for("330421", 81)
    talent = TalentFactory(name="赵工", id_number=number)
    client.force_login(cast.officer_jiashan)
    client.post(edit_url(talent), talent_post(name="赵工", id_number=""))
    talent.refresh_from_db()
    assert crypto.decrypt(talent.id_number_encrypted) == number
    client.post(edit_url(talent), talent_post(name="赵工", id_number=new_number))
    talent.refresh_from_db()
    assert crypto.decrypt(talent.id_number_encrypted) == new_number


def test_self_edit_form_has_only_the_self_fields(client, cast):
    """谭刚 editing himself gets no name, home region, identity number or pools."""
    client.force_login(cast.talent_user)
    form = client.get(edit_url(cast.talents["tangang"])).context["form"]
    for name in ("name", "home_region", "id_number", "pools", "is_active", "gender"):
        assert name not in form.fields
    assert "expertise" in form.fields and "phone" in form.fields


def test_self_edit_cannot_change_name_or_home_region(client, cast):
    """Posting name and home_region anyway changes neither; the allowed fields are saved."""
    tangang = cast.talents["tangang"]
    client.force_login(cast.talent_user)
    response = client.post(
        edit_url(tangang),
        {
            "name": "改名",
            "home_region": "330421",
            "expertise": "薄膜涂布；BOPP；锂电隔膜",
            "availability": "limited",
            "phone": "13900000000",
        },
    )
    assert response.status_code == 302
    tangang.refresh_from_db()
    assert tangang.name == "谭刚" and tangang.home_region_id == "330106"
    assert tangang.expertise == "薄膜涂布；BOPP；锂电隔膜" and tangang.phone == "13900000000"


def test_m2m_selects_render_only_the_chosen_options(client, cast):
    """Industries and disciplines render their chosen options, not the whole taxonomies."""
    discipline = Discipline.objects.get(scheme="grad2022", code="0805")
    talent = TalentFactory(name="材料专家", industries=["2921"], disciplines=[discipline])
    client.force_login(cast.officer_jiashan)
    html = client.get(edit_url(talent)).content.decode()
    start = html.index('name="industries"')
    select = html[start : html.index("</select>", start)]
    assert select.count("<option") == 1 and 'value="2921" selected' in select
    assert "data-tom-select" in select
    start = html.index('name="disciplines"')
    select = html[start : html.index("</select>", start)]
    assert select.count("<option") == 1 and f'value="{discipline.pk}" selected' in select


def test_any_valid_code_is_accepted_for_many_to_many_fields(client, cast):
    """A code never rendered as an option (NSFC, a 小类, a qualification) is accepted."""
    nsfc = Discipline.objects.get(scheme="nsfc", code="E0501")
    qualification = Qualification.objects.first()
    talent = TalentFactory(name="全能专家")
    client.force_login(cast.officer_jiashan)
    response = client.post(
        edit_url(talent),
        talent_post(
            name="全能专家",
            industries=["3391", "C"],
            disciplines=[str(nsfc.pk)],
            qualifications=[str(qualification.pk)],
        ),
    )
    assert response.status_code == 302
    assert set(talent.industries.values_list("code", flat=True)) == {"3391", "C"}
    assert list(talent.disciplines.all()) == [nsfc]
    assert list(talent.qualifications.all()) == [qualification]


def test_unknown_code_is_a_field_error(client, cast):
    """An industry code that does not exist is refused at the field."""
    talent = TalentFactory(name="钱工")
    client.force_login(cast.officer_jiashan)
    response = client.post(edit_url(talent), talent_post(name="钱工", industries=["ZZZZ"]))
    assert response.status_code == 200 and "industries" in response.context["form"].errors


def test_saving_keeps_pools_the_officer_cannot_see(client, cast):
    """A talent in another region's pool stays there when 嘉善's officer saves the form."""
    from talentflow.directory import services
    from talentflow.reference.models import Region

    own = PoolFactory(name="嘉善库")
    other = PoolFactory(name="青浦库", region=Region.objects.get(code="310118"))
    talent = TalentFactory(name="孙工")
    services.talent_update(actor=cast.admin, talent=talent, data={"pools": [other]})
    client.force_login(cast.officer_jiashan)
    response = client.post(edit_url(talent), talent_post(name="孙工", pools=[str(own.pk)]))
    assert response.status_code == 302
    assert set(talent.pools.values_list("name", flat=True)) == {"嘉善库", "青浦库"}


# Organisations ---------------------------------------------------------------------------


def organisation_post(**overrides) -> dict:
    data = {
        "name": "浙江万泰钢有限公司",
        "kind": "enterprise",
        "uscc": uscc_for("330421", 555),
        "region": "330421",
        "industry": "3120",
        "parent": "",
        "address": "嘉善县",
        "website": "",
        "description": "",
    }
    data.update(overrides)
    return data


def test_officer_creates_an_enterprise(client, cast):
    """A valid enterprise is created through the service and the page redirects to it."""
    client.force_login(cast.officer_jiashan)
    response = client.post(
        ORGANISATION_NEW,
        organisation_post(
            uscc=" " + uscc_for("330421", 555).lower(),
            shared_with=[str(Alliance.objects.get(code="yrd-demo-zone").pk)],
        ),
    )
    organisation = Organisation.objects.get(name="浙江万泰钢有限公司")
    assert response["Location"] == organisation.get_absolute_url()
    assert organisation.uscc == uscc_for("330421", 555)
    assert organisation.industry_id == "3120"
    assert [a.code for a in organisation.shared_with.all()] == ["yrd-demo-zone"]
    assert AuditEvent.objects.filter(action="organisation.create").exists()


def test_bad_uscc_is_explained_in_chinese_field_terms(client, cast):
    """A wrong check character is a uscc field error naming GB 32100."""
    code = uscc_for("330421", 556)
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    client.force_login(cast.officer_jiashan)
    response = client.post(
        ORGANISATION_NEW, organisation_post(uscc=wrong), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "GB 32100" in " ".join(response.context["form"].errors["uscc"])
    assert not Organisation.objects.filter(name="浙江万泰钢有限公司").exists()


def test_enterprise_without_uscc_is_refused_at_the_field(client, cast):
    """An enterprise must have its credit code: the model's message lands on uscc."""
    client.force_login(cast.officer_jiashan)
    response = client.post(ORGANISATION_NEW, organisation_post(uscc=""), HTTP_ACCEPT_LANGUAGE="en")
    assert "unified social credit code" in " ".join(response.context["form"].errors["uscc"])


def test_duplicate_uscc_message_is_chinese(client, cast):
    """With a Chinese browser, the duplicate-code message (Django's own) is in Chinese."""
    client.force_login(cast.officer_jiashan)
    response = client.post(
        ORGANISATION_NEW,
        organisation_post(uscc=cast.orgs["fulai"].uscc),
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    errors = " ".join(response.context["form"].errors["uscc"])
    assert "已存在" in errors


def test_institution_may_be_created_without_uscc(client, cast):
    """A research institute needs no credit code."""
    client.force_login(cast.officer_jiashan)
    response = client.post(
        ORGANISATION_NEW,
        organisation_post(name="嘉善新研究院", kind="research_institute", uscc="", industry=""),
    )
    assert response.status_code == 302
    assert Organisation.objects.get(name="嘉善新研究院").uscc is None


@pytest.mark.parametrize("who", ["enterprise_user", "talent_user"])
def test_non_officers_may_not_create_organisations(client, cast, who):
    """Enterprises and talents get 403 on the new-organisation page."""
    client.force_login(getattr(cast, who))
    assert client.get(ORGANISATION_NEW).status_code == 403


def test_enterprise_edits_its_own_record_without_office_fields(client, cast):
    """福莱's user edits its address but is not offered kind, credit code, region, sharing."""
    fulai = cast.orgs["fulai"]
    client.force_login(cast.enterprise_user)
    form = client.get(organisation_edit_url(fulai)).context["form"]
    assert not {"kind", "uscc", "region", "shared_with"} & set(form.fields)
    response = client.post(
        organisation_edit_url(fulai),
        {"name": fulai.name, "address": "嘉善县姚庄镇", "is_active": "on", "industry": ""},
    )
    assert response.status_code == 302
    fulai.refresh_from_db()
    assert fulai.address == "嘉善县姚庄镇" and fulai.region_id == "330421"
    event = AuditEvent.objects.get(action="organisation.update", object_id=str(fulai.pk))
    assert event.actor == cast.enterprise_user


def test_edit_organisation_visible_but_not_editable_is_403(client, cast):
    """An organisation shared with 青浦 is visible there but only 嘉善 edits it."""
    from talentflow.directory import services

    fulai = cast.orgs["fulai"]
    services.organisation_update(
        actor=cast.admin,
        organisation=fulai,
        data={"shared_with": [Alliance.objects.get(code="yrd-demo-zone")]},
    )
    client.force_login(cast.officer_qingpu)
    assert client.get(organisation_edit_url(fulai)).status_code == 403
    client.force_login(cast.officer_qingtian)
    assert client.get(organisation_edit_url(fulai)).status_code == 404


# Affiliations ----------------------------------------------------------------------------


def test_officer_adds_an_affiliation(client, cast):
    """嘉善's officer records a new employment of a 嘉善 talent at 福莱."""
    talent = TalentFactory(name="周工")
    client.force_login(cast.officer_jiashan)
    url = reverse("directory:affiliation_create", args=[talent.pk])
    response = client.post(
        url,
        {
            "organisation": cast.orgs["fulai"].pk,
            "kind": "employed",
            "position": "工艺工程师",
            "start_date": "2025-03-01",
            "end_date": "",
            "note": "",
        },
    )
    assert response.status_code == 302 and response["Location"] == talent.get_absolute_url()
    affiliation = Affiliation.objects.get(talent=talent)
    assert affiliation.organisation == cast.orgs["fulai"] and affiliation.position == "工艺工程师"
    assert AuditEvent.objects.filter(action="affiliation.create").exists()


def test_affiliation_end_before_start_is_a_field_error(client, cast):
    """An end date before the start is refused next to the end date."""
    talent = TalentFactory(name="吴工")
    client.force_login(cast.officer_jiashan)
    response = client.post(
        reverse("directory:affiliation_create", args=[talent.pk]),
        {
            "organisation": cast.orgs["fulai"].pk,
            "kind": "employed",
            "start_date": "2025-03-01",
            "end_date": "2024-01-01",
        },
    )
    assert response.status_code == 200 and "end_date" in response.context["form"].errors


def test_enterprise_may_tie_a_visible_talent_only_to_itself(client, cast):
    """福莱's user may record 谭刚 at 福莱, and is offered no other organisation."""
    tangang = cast.talents["tangang"]
    client.force_login(cast.enterprise_user)
    url = reverse("directory:affiliation_create", args=[tangang.pk])
    form = client.get(url).context["form"]
    assert list(form.fields["organisation"].queryset) == [cast.orgs["fulai"]]
    response = client.post(
        url, {"organisation": cast.orgs["zju"].pk, "kind": "serving", "start_date": "2025-01-01"}
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors


def test_affiliation_form_without_any_choosable_organisation_is_403(client, cast):
    """吴江's officer sees a 示范区-pool talent but may edit neither them nor any organisation."""
    from talentflow.reference.models import Region
    from talentflow.tests.factories import MembershipFactory, UserFactory

    wujiang = UserFactory(username="officer_wujiang")
    MembershipFactory(user=wujiang, role="officer", region=Region.objects.get(code="320509"))
    pool = PoolFactory(
        name="示范区共享库", region=None, alliance=Alliance.objects.get(code="yrd-demo-zone")
    )
    talent = TalentFactory(name="郑工", pools=[pool])
    url = reverse("directory:affiliation_create", args=[talent.pk])
    client.force_login(wujiang)
    assert client.get(talent.get_absolute_url()).status_code == 200
    assert client.get(url).status_code == 403
    client.force_login(cast.officer_qingtian)
    assert client.get(url).status_code == 404


def test_end_affiliation_defaults_to_today(client, cast):
    """Ending 谭刚's 福莱 service as 嘉善's officer sets today's date and audits it."""
    serving = Affiliation.objects.get(talent=cast.talents["tangang"], kind="serving")
    client.force_login(cast.officer_jiashan)
    response = client.post(reverse("directory:affiliation_end", args=[serving.pk]))
    assert response.status_code == 302
    serving.refresh_from_db()
    assert serving.end_date == dt.date.today()
    assert AuditEvent.objects.filter(action="affiliation.end", object_id=str(serving.pk)).exists()


def test_end_affiliation_with_a_date_and_twice(client, cast):
    """A chosen end date is kept; ending again is refused with a message, not an error."""
    serving = Affiliation.objects.get(talent=cast.talents["tangang"], kind="serving")
    url = reverse("directory:affiliation_end", args=[serving.pk])
    client.force_login(cast.officer_jiashan)
    client.post(url, {"end_date": "2025-06-30"})
    serving.refresh_from_db()
    assert serving.end_date == dt.date(2025, 6, 30)
    response = client.post(url, {"end_date": "2025-07-31"}, HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert b"This affiliation has already ended." in response.content
    serving.refresh_from_db()
    assert serving.end_date == dt.date(2025, 6, 30)


def test_end_affiliation_permissions(client, cast):
    """嘉善's officer may not end 谭刚's 浙大 employment (403); GET is not allowed (405)."""
    employed = Affiliation.objects.get(talent=cast.talents["tangang"], kind="employed")
    url = reverse("directory:affiliation_end", args=[employed.pk])
    client.force_login(cast.officer_jiashan)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403
    client.force_login(cast.officer_qingtian)
    assert client.post(url).status_code == 404
    employed.refresh_from_db()
    assert employed.end_date is None


def test_end_affiliation_redirects_to_a_safe_next_only(client, cast):
    """next= is followed when it is on this site, ignored when it points elsewhere."""
    serving = Affiliation.objects.get(talent=cast.talents["tangang"], kind="serving")
    url = reverse("directory:affiliation_end", args=[serving.pk])
    client.force_login(cast.admin)
    response = client.post(url, {"next": "https://evil.example/"})
    assert response["Location"] == cast.talents["tangang"].get_absolute_url()


def test_title_choices_are_the_27_series(client, cast):
    """The title series select offers the 27 series."""
    client.force_login(cast.officer_jiashan)
    form = client.get(TALENT_NEW).context["form"]
    assert form.fields["title_series"].queryset.count() == TitleSeries.objects.count() == 27
