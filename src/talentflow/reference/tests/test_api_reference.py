"""Reference data over the API: lookups for searchable selects, regions and alliances."""

import pytest
from django.urls import reverse

from talentflow.reference.models import Discipline, Qualification, TitleSeries


def lookup(client, kind: str, **params) -> list[dict]:
    response = client.get(reverse("api:reference_lookup", kwargs={"kind": kind}), params)
    assert response.status_code == 200, response.content
    return response.json()["items"]


@pytest.fixture
def officer(client, cast):
    client.force_login(cast.officer_jiashan)
    return client


def test_lookup_url_name_is_stable():
    """The web forms find the lookup by its URL name."""
    assert reverse("api:reference_lookup", kwargs={"kind": "regions"}) == (
        "/api/reference/lookup/regions"
    )


@pytest.mark.parametrize(
    "role", ["admin", "enterprise_user", "talent_user", "provider_qingpu", "student_user"]
)
def test_any_signed_in_user_may_look_up(client, cast, role):
    """Reference data is public policy: every role reads it."""
    client.force_login(getattr(cast, role))
    assert lookup(client, "industries", q="3391")[0]["value"] == "3391"


def test_lookup_needs_authentication(client, db):
    """Anonymous callers get 401, not reference data."""
    response = client.get("/api/reference/lookup/regions?q=嘉善")
    assert response.status_code == 401


def test_region_by_name_shows_full_name(officer):
    """Typing a county's name finds it, labelled with province and prefecture."""
    items = lookup(officer, "regions", q="嘉善")
    assert items[0] == {"value": "330421", "text": "330421 浙江省 嘉兴市 嘉善县"}


def test_region_exact_code_comes_first(officer):
    """An exact code is the first item even when it is a prefecture."""
    items = lookup(officer, "regions", q="331100")
    assert items[0]["value"] == "331100"


def test_region_prefers_counties(officer):
    """A prefecture's name lists its counties before the prefecture itself."""
    values = [i["value"] for i in lookup(officer, "regions", q="丽水", limit=50)]
    assert "331121" in values and "331100" in values
    assert values.index("331121") < values.index("331100")
    assert values[0].startswith("3311") and values[0] != "331100"


def test_region_code_prefix(officer):
    """A code prefix matches every region below it, in code order among counties."""
    values = [i["value"] for i in lookup(officer, "regions", q="3311", limit=50)]
    assert set(values) >= {"331102", "331121", "331181", "331100"}
    assert all(v.startswith("3311") for v in values)
    counties = [v for v in values if v != "331100"]
    assert counties == sorted(counties)


def test_industry_lookup_by_code_and_name(officer):
    """Industries match by code prefix (exact first) and by part of the name."""
    items = lookup(officer, "industries", q="339")
    assert items[0] == {"value": "339", "text": "339 铸造及其他金属制品制造"}
    assert {"value": "3391", "text": "3391 黑色金属铸造"} in items
    names = lookup(officer, "industries", q="黑色金属铸造")
    assert names[0]["value"] == "3391"


def test_industry_section_letter(officer):
    """A section letter, in either case, finds the section first."""
    assert lookup(officer, "industries", q="c")[0]["value"] == "C"


def test_discipline_lookup_values_are_ids(officer):
    """Discipline items carry the record id (codes repeat across the two schemes)."""
    item = lookup(officer, "disciplines", q="0805")[0]
    discipline = Discipline.objects.get(scheme="grad2022", code="0805")
    assert item == {"value": str(discipline.pk), "text": "0805 材料科学与工程"}


def test_discipline_lookup_by_scheme_and_lower_case_code(officer):
    """NSFC codes are found in lower case too, and the scheme narrows the search."""
    items = lookup(officer, "disciplines", q="e01", scheme="nsfc")
    assert items[0]["text"] == "E01 金属材料"
    assert all(Discipline.objects.get(pk=i["value"]).scheme == "nsfc" for i in items)
    assert lookup(officer, "disciplines", q="E01", scheme="grad2022") == []


def test_discipline_lookup_by_english_name(officer):
    """NSFC disciplines also match their English names."""
    texts = [i["text"] for i in lookup(officer, "disciplines", q="metallic material")]
    assert "E01 金属材料" in texts


def test_qualification_lookup(officer):
    """A number matches the catalogue entry exactly; words match names."""
    items = lookup(officer, "qualifications", q="12")
    entry = Qualification.objects.get(entry_no=12)
    assert items[0] == {"value": str(entry.pk), "text": "12 注册建筑师"}
    assert all("注册" in i["text"] for i in lookup(officer, "qualifications", q="注册"))


def test_title_series_lookup(officer):
    """Title series are found by number or name."""
    series = TitleSeries.objects.get(seq=5)
    assert lookup(officer, "title-series", q="5")[0] == {
        "value": str(series.pk),
        "text": "5 工程技术人员",
    }
    assert lookup(officer, "title-series", q="工程技术")[0]["value"] == str(series.pk)


def test_lookup_limit(officer):
    """The limit defaults to 20 and may not exceed 50."""
    assert len(lookup(officer, "regions")) == 20
    assert len(lookup(officer, "regions", limit=5)) == 5
    assert len(lookup(officer, "regions", limit=50)) == 50
    assert officer.get("/api/reference/lookup/regions?limit=51").status_code == 422
    assert officer.get("/api/reference/lookup/regions?limit=0").status_code == 422


def test_lookup_unknown_kind_is_422(officer):
    """Only the documented kinds exist."""
    assert officer.get("/api/reference/lookup/users").status_code == 422


def test_lookup_without_match_is_empty(officer):
    """No match is an empty list, not an error."""
    assert lookup(officer, "industries", q="不存在的行业名称") == []


def test_region_detail(officer):
    """A region with its parent, children and alliances."""
    body = officer.get("/api/reference/regions/330421").json()
    assert body["name"] == "嘉善县"
    assert body["parent"]["code"] == "330400"
    assert body["children"] == []
    assert [a["code"] for a in body["alliances"]] == ["yrd-demo-zone"]
    lishui = officer.get("/api/reference/regions/331100").json()
    assert "331121" in [c["code"] for c in lishui["children"]]
    assert [a["code"] for a in lishui["alliances"]] == ["lishui-1plus9"]


def test_region_detail_unknown_code_is_404(officer):
    """An unknown code is 404 with a JSON detail."""
    response = officer.get("/api/reference/regions/999999")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_alliances_with_members(client, cast):
    """Both alliances are listed with their member regions, also to non-officers."""
    client.force_login(cast.enterprise_qingtian)
    body = client.get("/api/reference/alliances").json()
    by_code = {a["code"]: a for a in body}
    assert set(by_code) == {"yrd-demo-zone", "lishui-1plus9"}
    assert [m["code"] for m in by_code["yrd-demo-zone"]["members"]] == [
        "310118",
        "320509",
        "330421",
    ]
    assert len(by_code["lishui-1plus9"]["members"]) == 10
