"""Talents and affiliations over the API, for every role of the cast."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentflow.core.models import AuditEvent
from talentflow.directory.models import Affiliation, TalentProfile
from talentflow.directory.selectors import talent_list
from talentflow.reference.models import Alliance, Region
from talentflow.tests.cast import CAST_ROLES
from talentflow.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PoolFactory,
    TalentFactory,
    id_number_for,
)

URL = "/api/talents"

ROLES = list(CAST_ROLES)


def as_user(client, user):
    client.force_login(user)
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def post(client, url: str, body: dict):
    return client.post(url, body, content_type="application/json")


def patch(client, url: str, body: dict):
    return client.patch(url, body, content_type="application/json")


@pytest.fixture
def jiashan_talent(cast):
    return TalentFactory(name="嘉善本地工程师", home_region=Region.objects.get(code="330421"))


# Reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_what_the_web_list_shows(client, cast, role):
    """For every role the API list holds exactly the selector's (the web list's) rows."""
    user = getattr(cast, role)
    expected = set(talent_list(user=user).values_list("pk", flat=True))
    response = as_user(client, user).get(URL, {"page_size": 100})
    assert ids(response) == expected
    assert response.json()["count"] == len(expected)


def test_search_by_expertise_is_scoped(client, cast):
    """嘉善's officer finds 谭刚 (he serves 福莱 in 嘉善) by 薄膜涂布; 青田's officer does not."""
    tangang = cast.talents["tangang"].pk
    assert ids(as_user(client, cast.officer_jiashan).get(URL, {"q": "薄膜涂布"})) == {tangang}
    assert ids(as_user(client, cast.officer_qingtian).get(URL, {"q": "薄膜涂布"})) == set()


def test_enterprise_sees_its_people(client, cast):
    """福莱's user sees the talents affiliated with 福莱: 谭刚."""
    assert ids(as_user(client, cast.enterprise_user).get(URL)) == {cast.talents["tangang"].pk}


def test_talent_sees_only_themself(client, cast):
    """A talent sees their own profile and nobody else's."""
    assert ids(as_user(client, cast.talent_user).get(URL)) == {cast.talents["tangang"].pk}
    assert ids(as_user(client, cast.provider_qingpu).get(URL)) == set()


def test_list_filters(client, cast, jiashan_talent):
    """The web list's filters: region, organisation, availability, pool, title, education."""
    as_user(client, cast.admin)
    tangang, student = cast.talents["tangang"].pk, cast.talents["student"].pk
    assert ids(client.get(URL, {"organisation": cast.orgs["zhongyang"].pk})) == {student}
    assert ids(client.get(URL, {"region": "330421"})) == {tangang, student, jiashan_talent.pk}
    jiashan_talent.availability = "limited"
    jiashan_talent.education = "master"
    jiashan_talent.save()
    assert ids(client.get(URL, {"availability": "limited"})) == {jiashan_talent.pk}
    assert ids(client.get(URL, {"education": "master"})) == {jiashan_talent.pk}
    pool = PoolFactory(code="jiashan-materials")
    jiashan_talent.pools.add(pool)
    assert ids(client.get(URL, {"pool": "jiashan-materials"})) == {jiashan_talent.pk}
    assert ids(client.get(URL, {"pool": pool.pk})) == {jiashan_talent.pk}
    assert ids(client.get(URL, {"pool": "no-such-pool"})) == set()
    assert client.get(URL, {"availability": "sometimes"}).status_code == 422


def test_list_item_shape(client, cast):
    """A list item: masked identity number, home region by code, current affiliations."""
    item = as_user(client, cast.talent_user).get(URL).json()["items"][0]
    tangang = cast.talents["tangang"]
    assert item["name"] == "谭刚"
    assert item["id_number_masked"] == tangang.id_number_masked
    assert "*" in item["id_number_masked"]
    assert "id_number" not in item
    assert item["home_region"]["code"] == "330106"
    assert item["expertise"] == ["薄膜涂布", "功能膜材料", "BOPP"]
    assert {(a["kind"], a["organisation"]["name"]) for a in item["current_affiliations"]} == {
        ("employed", "浙江大学"),
        ("serving", "浙江福莱新材料股份有限公司"),
    }


def _page_queries(client, size: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(URL, {"page_size": size})
    return len(ctx.captured_queries), len(response.json()["items"])


def test_a_page_of_100_costs_constant_queries(client, cast, django_assert_max_num_queries):
    """A page of 100 talents with their affiliations costs as many queries as a page of 5."""
    region = Region.objects.get(code="330421")
    employer = OrganisationFactory(name="查询测试企业", region=region)
    for n in range(105):
        talent = TalentFactory(name=f"查询测试{n:03d}", home_region=region)
        AffiliationFactory(talent=talent, organisation=employer)
    as_user(client, cast.officer_jiashan)
    client.get(URL)  # the session and scope are warm from here on, as in any later request
    small_queries, small_items = _page_queries(client, 5)
    with django_assert_max_num_queries(small_queries):
        big_queries, big_items = _page_queries(client, 100)
    assert (small_items, big_items) == (5, 100)
    assert big_queries == small_queries


def test_detail_with_affiliations(client, cast):
    """The detail carries every affiliation, personal contact fields and the taxonomy."""
    body = as_user(client, cast.talent_user).get(f"{URL}/{cast.talents['tangang'].pk}").json()
    assert {a["position"] for a in body["affiliations"]} == {"求是讲席教授", "科技副总"}
    assert body["has_account"] is True
    assert set(body) >= {"phone", "email", "qualifications", "disciplines", "industries", "pools"}


@pytest.mark.parametrize(
    "role", ["officer_qingtian", "enterprise_qingtian", "provider_qingpu", "student_user"]
)
def test_detail_hidden_is_404(client, cast, role):
    """谭刚 is hidden from 青田, from 青浦's provider and from another talent: 404."""
    response = as_user(client, getattr(cast, role)).get(f"{URL}/{cast.talents['tangang'].pk}")
    assert response.status_code == 404


# Creating --------------------------------------------------------------------------------


def full_body(**extra) -> dict:
    return {
        "name": "沈建华",
        "home_region": "330421",
        "id_number": id_number_for("330421", 512, dt.date(1979, 5, 4)),
        "gender": "male",
        "birth_year": 1979,
        "education": "master",
        "phone": "13800000000",
        "email": "shen@example.com",
        "title_series": 5,
        "title_level": "senior_deputy",
        "qualifications": [12],
        "disciplines": ["0805", "E01", {"scheme": "grad2022", "code": "0802"}],
        "industries": ["3391", "C"],
        "expertise": ["压铸", "模具钢", "热处理"],
        "availability": "limited",
        **extra,
    }


def test_officer_creates_a_talent(client, cast):
    """嘉善's officer registers a talent of 330421 with codes for every reference: 201,
    audited; the identity number is stored encrypted and only its mask comes back."""
    PoolFactory(code="jiashan-experts")
    body = full_body(pools=["jiashan-experts"])
    response = post(as_user(client, cast.officer_jiashan), URL, body)
    assert response.status_code == 201, response.content
    data = response.json()
    assert body["id_number"] not in json.dumps(data)
    assert data["id_number_masked"] == body["id_number"][:4] + "*" * 10 + body["id_number"][-4:]
    assert data["title_series"] == {"seq": 5, "name": "工程技术人员"}
    assert data["title_name"] == "高级工程师"
    assert {(d["scheme"], d["code"]) for d in data["disciplines"]} == {
        ("grad2022", "0805"),
        ("grad2022", "0802"),
        ("nsfc", "E01"),
    }
    assert {i["code"] for i in data["industries"]} == {"3391", "C"}
    assert [q["entry_no"] for q in data["qualifications"]] == [12]
    assert [p["code"] for p in data["pools"]] == ["jiashan-experts"]
    assert data["expertise"] == ["压铸", "模具钢", "热处理"]
    talent = TalentProfile.objects.get(pk=data["id"])
    assert talent.data_source == "api"
    assert body["id_number"] not in talent.id_number_encrypted
    event = AuditEvent.objects.get(action="talent.create", object_id=str(talent.pk))
    assert event.actor_id == cast.officer_jiashan.pk
    assert body["id_number"] not in json.dumps(event.after)


def test_minimal_talent(client, cast):
    """A name and a home region are enough."""
    response = post(
        as_user(client, cast.officer_jiashan), URL, {"name": "李明", "home_region": "330421"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["id_number_masked"] == ""
    assert response.json()["availability"] == "available"


@pytest.mark.parametrize(
    "role", ["enterprise_user", "institution_user", "talent_user", "association_user"]
)
def test_non_officers_cannot_create_talents(client, cast, role):
    """Only officers and administrators register talents: 403, nothing written."""
    response = post(as_user(client, getattr(cast, role)), URL, full_body())
    assert response.status_code == 403
    assert not TalentProfile.objects.filter(name="沈建华").exists()


def test_officer_cannot_create_a_talent_of_another_region(client, cast):
    """嘉善's officer may not register a talent whose home is 青田."""
    response = post(as_user(client, cast.officer_jiashan), URL, full_body(home_region="331121"))
    assert response.status_code == 403


def test_unknown_references_are_422_per_field(client, cast):
    """Every unknown code is named under its field, all at once."""
    body = full_body(
        industries=["3391", "9999"],
        disciplines=["0805", "Z99"],
        qualifications=[12, 999],
        title_series=99,
        pools=["nowhere"],
    )
    response = post(as_user(client, cast.officer_jiashan), URL, body)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"industries", "disciplines", "qualifications", "title_series", "pools"}
    assert "9999" in errors["industries"][0]
    assert "nsfc:Z99" in errors["disciplines"][0]


def test_pool_of_another_region_is_unknown(client, cast):
    """A pool the caller cannot see cannot be named in a body."""
    PoolFactory(code="qingtian-pool", region=Region.objects.get(code="331121"))
    response = post(as_user(client, cast.officer_jiashan), URL, full_body(pools=["qingtian-pool"]))
    assert response.status_code == 422
    assert "pools" in response.json()["errors"]


def test_alliance_pool_is_known_to_members(client, cast):
    """A pool of the 示范区 can be used by 嘉善's officer."""
    PoolFactory(code="yrd-pool", region=None, alliance=Alliance.objects.get(code="yrd-demo-zone"))
    response = post(as_user(client, cast.officer_jiashan), URL, full_body(pools=["yrd-pool"]))
    assert response.status_code == 201, response.content


def test_bad_identity_number_is_422(client, cast):
    """A wrong check digit is refused, naming id_number."""
    good = id_number_for("330421", 7)
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    response = post(as_user(client, cast.officer_jiashan), URL, full_body(id_number=bad))
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["id_number"]


def test_duplicate_identity_number_is_422(client, cast):
    """Two profiles cannot hold the same identity number."""
    as_user(client, cast.officer_jiashan)
    assert post(client, URL, full_body()).status_code == 201
    response = post(client, URL, full_body(name="另一人"))
    assert response.status_code == 422
    assert "id_number" in response.json()["errors"]


def test_bad_email_is_422(client, cast):
    """Model validation errors come back under the field's name."""
    response = post(as_user(client, cast.officer_jiashan), URL, full_body(email="not-an-email"))
    assert response.status_code == 422
    assert "email" in response.json()["errors"]


def test_title_level_needs_a_series(client, cast):
    """A title level without its series is refused."""
    body = full_body()
    del body["title_series"]
    response = post(as_user(client, cast.officer_jiashan), URL, body)
    assert response.status_code == 422
    assert "title_series" in response.json()["errors"]


# Changing --------------------------------------------------------------------------------


def test_officer_patches_a_talent_of_the_region(client, cast, jiashan_talent):
    """嘉善's officer changes a 嘉善 talent; only the fields sent change; audited."""
    url = f"{URL}/{jiashan_talent.pk}"
    response = patch(
        as_user(client, cast.officer_jiashan),
        url,
        {"expertise": "涂布，薄膜", "industries": ["2929"], "title_series": 5},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["expertise"] == ["涂布", "薄膜"]
    assert [i["code"] for i in data["industries"]] == ["2929"]
    assert data["name"] == "嘉善本地工程师"
    event = AuditEvent.objects.get(action="talent.update", object_id=str(jiashan_talent.pk))
    assert event.actor_id == cast.officer_jiashan.pk


def test_officer_sets_an_identity_number(client, cast, jiashan_talent):
    """An officer may set the identity number; the response shows only the new mask."""
    number = id_number_for("330421", 901, dt.date(1990, 2, 3))
    response = patch(
        as_user(client, cast.officer_jiashan), f"{URL}/{jiashan_talent.pk}", {"id_number": number}
    )
    assert response.status_code == 200
    assert response.json()["id_number_masked"] == number[:4] + "*" * 10 + number[-4:]
    assert number not in response.content.decode()


def test_talent_patches_own_profile(client, cast):
    """谭刚 changes his phone and availability himself."""
    tangang = cast.talents["tangang"]
    response = patch(
        as_user(client, cast.talent_user),
        f"{URL}/{tangang.pk}",
        {"phone": "13900000000", "availability": "limited"},
    )
    assert response.status_code == 200, response.content
    tangang.refresh_from_db()
    assert (tangang.phone, tangang.availability) == ("13900000000", "limited")


@pytest.mark.parametrize("role", ["officer_jiashan", "enterprise_user"])
def test_visible_but_not_editable_talent_is_403(client, cast, role):
    """谭刚's home is 杭州西湖区: 嘉善's officer and 福莱 see him (he serves 福莱) but may not
    change his profile."""
    tangang = cast.talents["tangang"]
    response = patch(
        as_user(client, getattr(cast, role)), f"{URL}/{tangang.pk}", {"phone": "13000000000"}
    )
    assert response.status_code == 403
    tangang.refresh_from_db()
    assert tangang.phone != "13000000000"


def test_patch_hidden_talent_is_404(client, cast):
    """A talent hidden from the caller cannot be changed, nor found."""
    response = patch(
        as_user(client, cast.officer_qingtian),
        f"{URL}/{cast.talents['tangang'].pk}",
        {"phone": "1"},
    )
    assert response.status_code == 404


# Affiliations ----------------------------------------------------------------------------


def test_affiliation_list(client, cast):
    """A talent's affiliations, newest first."""
    response = as_user(client, cast.enterprise_user).get(
        f"{URL}/{cast.talents['tangang'].pk}/affiliations"
    )
    assert response.status_code == 200
    assert [a["position"] for a in response.json()] == ["科技副总", "求是讲席教授"]


def test_affiliation_list_hidden_is_404(client, cast):
    """Affiliations of a hidden talent are as hidden as the talent."""
    response = as_user(client, cast.officer_qingtian).get(
        f"{URL}/{cast.talents['tangang'].pk}/affiliations"
    )
    assert response.status_code == 404


def test_officer_records_an_affiliation(client, cast, jiashan_talent):
    """嘉善's officer seconds a 嘉善 talent to 中扬立库: 201, audited."""
    response = post(
        as_user(client, cast.officer_jiashan),
        f"{URL}/{jiashan_talent.pk}/affiliations",
        {
            "organisation": cast.orgs["zhongyang"].pk,
            "kind": "seconded",
            "start_date": "2025-03-01",
            "position": "视觉算法工程师",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["organisation"]["name"] == "浙江中扬立库技术有限公司"
    assert data["is_current"] is True
    assert AuditEvent.objects.filter(action="affiliation.create", object_id=str(data["id"]))


def test_enterprise_records_an_affiliation_with_itself(client, cast):
    """福莱 may record that 谭刚 (whom it sees) works with 福莱."""
    response = post(
        as_user(client, cast.enterprise_user),
        f"{URL}/{cast.talents['tangang'].pk}/affiliations",
        {"organisation": cast.orgs["fulai"].pk, "kind": "employed", "start_date": "2025-01-01"},
    )
    assert response.status_code == 201, response.content


def test_affiliation_with_hidden_organisation_is_422(client, cast):
    """An organisation the caller cannot see is an unknown organisation."""
    response = post(
        as_user(client, cast.enterprise_user),
        f"{URL}/{cast.talents['tangang'].pk}/affiliations",
        {"organisation": cast.orgs["xiafeng"].pk, "kind": "serving", "start_date": "2025-01-01"},
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["organisation"]
    assert not Affiliation.objects.filter(organisation=cast.orgs["xiafeng"]).exists()


def test_affiliation_not_allowed_is_403(client, cast):
    """谭刚's profile belongs to 杭州: 嘉善's officer may not tie him to 浙江大学 (not in 嘉善)."""
    cast.orgs["zju"].shared_with.set([Alliance.objects.get(code="yrd-demo-zone")])
    response = post(
        as_user(client, cast.officer_jiashan),
        f"{URL}/{cast.talents['tangang'].pk}/affiliations",
        {"organisation": cast.orgs["zju"].pk, "kind": "serving", "start_date": "2025-01-01"},
    )
    assert response.status_code == 403


def test_affiliation_ending_before_it_starts_is_422(client, cast, jiashan_talent):
    """The end date may not precede the start date."""
    response = post(
        as_user(client, cast.officer_jiashan),
        f"{URL}/{jiashan_talent.pk}/affiliations",
        {
            "organisation": cast.orgs["fulai"].pk,
            "kind": "employed",
            "start_date": "2025-03-01",
            "end_date": "2024-03-01",
        },
    )
    assert response.status_code == 422
    assert "end_date" in response.json()["errors"]
