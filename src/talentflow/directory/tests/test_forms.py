"""The directory forms: lookup selects, region choices, filter choices, service data."""

from __future__ import annotations

from talentflow.directory.forms import (
    OrganisationForm,
    TalentFilterForm,
    TalentForm,
    discipline_filter_choices,
    governed_regions,
    industry_filter_choices,
)
from talentflow.reference.models import Discipline, Industry
from talentflow.tests.factories import TalentFactory, uscc_for


def test_lookup_select_renders_nothing_but_the_chosen_options(cast):
    """An unbound form for a talent with one industry renders one industry option."""
    talent = TalentFactory(name="甲", industries=["3391"])
    form = TalentForm(instance=talent, user=cast.admin)
    html = str(form["industries"])
    assert html.count("<option") == 1 and 'value="3391" selected' in html


def test_lookup_select_keeps_posted_values_and_ignores_garbage(cast):
    """A bound form re-renders the posted valid codes; malformed ids do not crash it."""
    nsfc = Discipline.objects.get(scheme="nsfc", code="E0501")
    form = TalentForm(
        data={"industries": ["2921", "NOPE"], "disciplines": ["x", str(nsfc.pk)]},
        user=cast.admin,
    )
    industries, disciplines = str(form["industries"]), str(form["disciplines"])
    assert industries.count("<option") == 1 and 'value="2921" selected' in industries
    assert disciplines.count("<option") == 1 and nsfc.name in disciplines


def test_lookup_select_accepts_codes_from_the_whole_taxonomy(cast):
    """Validation runs against the full taxonomy, not the rendered options."""
    form = TalentForm(
        data={
            "name": "乙",
            "home_region": "330421",
            "availability": "available",
            "industries": ["0111", "C"],
        },
        user=cast.admin,
    )
    assert form.is_valid(), form.errors
    assert {i.code for i in form.cleaned_data["industries"]} == {"0111", "C"}


def test_governed_regions_cover_the_prefecture_and_its_counties(cast):
    """丽水's officer governs 丽水市 and its nine county-level units; 嘉善's just 嘉善."""
    lishui = set(governed_regions(cast.officer_lishui).values_list("code", flat=True))
    assert len(lishui) == 10 and {"331100", "331121", "331181"} <= lishui
    assert list(governed_regions(cast.officer_jiashan).values_list("code", flat=True)) == ["330421"]
    assert not governed_regions(cast.enterprise_user).exists()


def test_admin_region_field_renders_only_the_chosen_region(cast):
    """For the administrator every region is allowed but only the chosen one is rendered."""
    form = TalentForm(instance=cast.talents["tangang"], user=cast.admin)
    html = str(form["home_region"])
    assert 'value="330106" selected' in html and html.count("<option") == 2  # with the blank
    assert form.fields["home_region"].queryset.count() > 3000


def test_self_service_data_holds_only_self_fields(cast):
    """service_data of a self-service form never carries name, region, pools or id number."""
    tangang = cast.talents["tangang"]
    form = TalentForm(
        data={"name": "改名", "expertise": "薄膜涂布", "availability": "limited"},
        instance=tangang,
        user=cast.talent_user,
        self_service=True,
    )
    assert form.is_valid(), form.errors
    data = form.service_data()
    assert not {"name", "home_region", "pools", "id_number"} & set(data)
    assert data["availability"] == "limited"


def test_organisation_form_for_enterprise_drops_office_fields(cast):
    """An enterprise's form has no kind, credit code, region or sharing."""
    form = OrganisationForm(instance=cast.orgs["fulai"], user=cast.enterprise_user, office=False)
    assert not {"kind", "uscc", "region", "shared_with"} & set(form.fields)


def test_organisation_form_normalises_the_credit_code(cast):
    """Spaces and lower case in a pasted USCC are folded before it is checked."""
    code = uscc_for("330421", 900)
    form = OrganisationForm(
        data={
            "name": "新公司",
            "kind": "enterprise",
            "uscc": f" {code[:9].lower()} {code[9:]} ",
            "region": "330421",
        },
        user=cast.officer_jiashan,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["uscc"] == code


def test_organisation_parent_choices_are_the_visible_organisations(cast):
    """The parent select offers what the user may see, never the organisation itself."""
    fulai = cast.orgs["fulai"]
    form = OrganisationForm(instance=fulai, user=cast.officer_jiashan)
    parents = set(form.fields["parent"].queryset)
    assert fulai not in parents and cast.orgs["hdu_jiashan"] in parents
    assert cast.orgs["xiafeng"] not in parents


def test_industry_filter_choices_are_sections_and_divisions(db):
    """20 门类 groups holding 97 大类 plus the section itself."""
    choices = industry_filter_choices()
    groups = choices[1:]
    assert len(groups) == Industry.objects.filter(level=1).count()
    options = [code for _, group in groups for code, _ in group]
    assert len(options) == Industry.objects.filter(level__lte=2).count()


def test_discipline_filter_choices_are_the_graduate_catalogue(db):
    """门类 groups of 一级学科 from the 2022 graduate catalogue, no NSFC codes."""
    choices = discipline_filter_choices()
    options = [code for _, group in choices[1:] for code, _ in group]
    assert "08" in options and "0805" in options
    assert not any(code[0].isalpha() for code in options)


def test_filter_form_binds_to_the_query(cast):
    """The filter form re-shows the query's values."""
    form = TalentFilterForm({"q": "压铸", "education": "master"}, user=cast.officer_jiashan)
    assert form["q"].value() == "压铸" and form["education"].value() == "master"


def test_enterprise_keeps_a_parent_it_cannot_see(cast):
    """Saving 侠峰's record as its own user keeps its parent in another county."""
    from talentflow.directory import services

    xiafeng = cast.orgs["xiafeng"]
    services.organisation_update(
        actor=cast.admin, organisation=xiafeng, data={"parent": cast.orgs["fulai"]}
    )
    xiafeng.refresh_from_db()
    form = OrganisationForm(instance=xiafeng, user=cast.enterprise_qingtian, office=False)
    assert "selected>浙江福莱新材料股份有限公司" in str(form["parent"])
