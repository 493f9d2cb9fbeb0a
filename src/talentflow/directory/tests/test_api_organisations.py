"""Organisations over the API, for every role of the cast: what each sees and may change."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from talentflow.accounts.services import api_token_create
from talentflow.core.models import AuditEvent
from talentflow.directory.models import Organisation
from talentflow.directory.selectors import organisation_list
from talentflow.reference.models import Alliance
from talentflow.tests.cast import CAST_ROLES
from talentflow.tests.factories import OrganisationFactory, uscc_for

URL = "/api/organisations"

ROLES = list(CAST_ROLES)


def as_user(client, user):
    client.force_login(user)
    return client


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {item["id"] for item in response.json()["items"]}


def new_enterprise(region: str = "330421", n: int = 7001, **extra) -> dict:
    return {
        "name": f"测试企业{n}有限公司",
        "kind": "enterprise",
        "region": region,
        "uscc": uscc_for(region, n),
        **extra,
    }


# Reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_list_shows_what_the_web_list_shows(client, cast, role):
    """For every role the API list holds exactly the selector's (the web list's) rows."""
    user = getattr(cast, role)
    expected = set(organisation_list(user=user).values_list("pk", flat=True))
    response = as_user(client, user).get(URL, {"page_size": 100})
    assert ids(response) == expected
    assert response.json()["count"] == len(expected)


def test_officer_sees_own_region_only(client, cast):
    """嘉善's officer sees 嘉善's organisations, not 青田's."""
    seen = ids(as_user(client, cast.officer_jiashan).get(URL))
    assert {cast.orgs["fulai"].pk, cast.orgs["zhongyang"].pk, cast.orgs["hdu_jiashan"].pk} <= seen
    assert cast.orgs["xiafeng"].pk not in seen


def test_enterprise_sees_itself_only(client, cast):
    """An enterprise user sees the organisation they act for."""
    assert ids(as_user(client, cast.enterprise_user).get(URL)) == {cast.orgs["fulai"].pk}


def test_shared_record_is_seen_across_the_alliance(client, cast):
    """A record shared with the 示范区 is seen by 青浦's officer, not by 青田's."""
    shared = OrganisationFactory(name="嘉善共享平台", region=cast.orgs["fulai"].region)
    shared.shared_with.set([Alliance.objects.get(code="yrd-demo-zone")])
    assert shared.pk in ids(as_user(client, cast.officer_qingpu).get(URL))
    assert shared.pk not in ids(as_user(client, cast.officer_qingtian).get(URL))


def test_list_filters(client, cast):
    """q, kind, region and industry filter as on the web list."""
    as_user(client, cast.admin)
    assert ids(client.get(URL, {"q": "福莱"})) == {cast.orgs["fulai"].pk}
    assert ids(client.get(URL, {"kind": "university"})) == {cast.orgs["zju"].pk}
    assert ids(client.get(URL, {"region": "331100"})) == {cast.orgs["xiafeng"].pk}
    assert ids(client.get(URL, {"region": "330421", "kind": "research_institute"})) == {
        cast.orgs["hdu_jiashan"].pk
    }
    fulai = cast.orgs["fulai"]
    fulai.industry_id = "2929"
    fulai.save()
    assert ids(client.get(URL, {"industry": "29"})) == {fulai.pk}
    assert ids(client.get(URL, {"industry": "C"})) == {fulai.pk}


def test_unknown_kind_filter_is_422(client, cast):
    """A misspelt kind is an error rather than a silently unfiltered list."""
    response = as_user(client, cast.admin).get(URL, {"kind": "company"})
    assert response.status_code == 422


def test_pagination(client, cast):
    """Pages hold page_size items and the total count; the page size is capped at 100."""
    for n in range(30):
        OrganisationFactory(name=f"分页测试{n:02d}有限公司", region=cast.orgs["fulai"].region)
    as_user(client, cast.officer_jiashan)
    total = organisation_list(user=cast.officer_jiashan).count()
    first = client.get(URL).json()
    assert first["count"] == total
    assert len(first["items"]) == 25
    second = client.get(URL, {"page": 2}).json()
    assert len(second["items"]) == total - 25
    assert not {i["id"] for i in first["items"]} & {i["id"] for i in second["items"]}
    small = client.get(URL, {"page": 3, "page_size": 5}).json()
    names = [i["name"] for i in client.get(URL, {"page_size": 100}).json()["items"]]
    assert [i["name"] for i in small["items"]] == names[10:15]
    assert client.get(URL, {"page": 0}).status_code == 422


def test_list_item_shape(client, cast):
    """Items name related records by code and name, and link to the web page."""
    items = as_user(client, cast.enterprise_user).get(URL).json()["items"]
    assert items[0]["region"] == {
        "code": "330421",
        "name": "嘉善县",
        "level": "county",
        "full_name": "浙江省 嘉兴市 嘉善县",
    }
    assert items[0]["uscc"] == cast.orgs["fulai"].uscc
    assert items[0]["url"] == cast.orgs["fulai"].get_absolute_url()
    assert items[0]["kind"] == "enterprise"


def test_list_queries_do_not_grow_with_the_page(client, cast, django_assert_max_num_queries):
    """A page of 100 organisations, each with region, industry and parent, costs as many
    queries as a page of 5."""
    parent = cast.orgs["hdu_jiashan"]
    for n in range(100):
        OrganisationFactory(
            name=f"查询测试{n:03d}", region=parent.region, parent=parent, industry_id="3391"
        )
    as_user(client, cast.officer_jiashan)
    client.get(URL)  # the session and scope are warm from here on, as in any later request
    with CaptureQueriesContext(connection) as small:
        assert len(client.get(URL, {"page_size": 5}).json()["items"]) == 5
    with django_assert_max_num_queries(len(small.captured_queries)):
        body = client.get(URL, {"page_size": 100}).json()
    assert len(body["items"]) == 100


def test_detail_visible(client, cast):
    """A visible organisation, with the alliances it is shared with."""
    body = as_user(client, cast.officer_jiashan).get(f"{URL}/{cast.orgs['fulai'].pk}").json()
    assert body["name"] == "浙江福莱新材料股份有限公司"
    assert body["shared_with"] == []


@pytest.mark.parametrize(
    ("role", "org"),
    [
        ("officer_qingtian", "fulai"),
        ("officer_jiashan", "xiafeng"),
        ("enterprise_user", "zhongyang"),
        ("provider_qingpu", "fulai"),
    ],
)
def test_detail_not_visible_is_404(client, cast, role, org):
    """A record hidden from the caller is 404, as if it did not exist."""
    response = as_user(client, getattr(cast, role)).get(f"{URL}/{cast.orgs[org].pk}")
    assert response.status_code == 404
    assert list(response.json()) == ["detail"]


def test_detail_missing_is_404(client, cast):
    """An id that does not exist is 404."""
    assert as_user(client, cast.admin).get(f"{URL}/987654").status_code == 404


# Creating --------------------------------------------------------------------------------


def test_officer_creates_in_own_region(client, cast):
    """嘉善's officer registers an enterprise in 330421: 201, audited, marked as from the API."""
    body = new_enterprise(industry="3391", shared_with=["yrd-demo-zone"], address="嘉善县罗星街道")
    response = as_user(client, cast.officer_jiashan).post(
        URL, body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["region"]["code"] == "330421"
    assert data["industry"] == {"code": "3391", "name": "黑色金属铸造"}
    assert [a["code"] for a in data["shared_with"]] == ["yrd-demo-zone"]
    organisation = Organisation.objects.get(pk=data["id"])
    assert organisation.data_source == "api"
    event = AuditEvent.objects.get(action="organisation.create", object_id=str(organisation.pk))
    assert event.actor_id == cast.officer_jiashan.pk
    assert event.region_id == "330421"


def test_officer_cannot_create_in_another_region(client, cast):
    """嘉善's officer may not register an organisation in 青田 (331121): 403, nothing written."""
    response = as_user(client, cast.officer_jiashan).post(
        URL, new_enterprise(region="331121"), content_type="application/json"
    )
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not Organisation.objects.filter(name="测试企业7001有限公司").exists()
    assert not AuditEvent.objects.filter(action="organisation.create", actor=cast.officer_jiashan)


def test_prefecture_officer_creates_in_a_county(client, cast):
    """丽水's officer governs its counties, 青田 among them."""
    response = as_user(client, cast.officer_lishui).post(
        URL, new_enterprise(region="331121"), content_type="application/json"
    )
    assert response.status_code == 201


@pytest.mark.parametrize(
    "role", ["enterprise_user", "institution_user", "talent_user", "provider_qingpu"]
)
def test_non_officers_cannot_create(client, cast, role):
    """Only officers and administrators register organisations."""
    response = as_user(client, getattr(cast, role)).post(
        URL, new_enterprise(), content_type="application/json"
    )
    assert response.status_code == 403


def test_bad_uscc_is_422_naming_uscc(client, cast):
    """A USCC with a wrong check character is refused, naming the field."""
    body = new_enterprise()
    body["uscc"] = body["uscc"][:17] + ("0" if body["uscc"][17] != "0" else "1")
    response = as_user(client, cast.officer_jiashan).post(
        URL, body, content_type="application/json"
    )
    assert response.status_code == 422
    data = response.json()
    assert list(data["errors"]) == ["uscc"]
    assert "uscc" in data["detail"]


def test_enterprise_without_uscc_is_422(client, cast):
    """An enterprise is identified by its USCC."""
    body = new_enterprise()
    del body["uscc"]
    response = as_user(client, cast.officer_jiashan).post(
        URL, body, content_type="application/json"
    )
    assert response.status_code == 422
    assert "uscc" in response.json()["errors"]


def test_duplicate_uscc_is_422(client, cast):
    """Two organisations cannot share a USCC."""
    body = new_enterprise()
    body["uscc"] = cast.orgs["fulai"].uscc
    response = as_user(client, cast.officer_jiashan).post(
        URL, body, content_type="application/json"
    )
    assert response.status_code == 422
    assert "uscc" in response.json()["errors"]


def test_uscc_is_normalised(client, cast):
    """Spaces and lower case in a USCC are tidied, as people type it."""
    body = new_enterprise()
    code = body["uscc"]
    body["uscc"] = f" {code[:6].lower()} {code[6:]} "
    response = as_user(client, cast.officer_jiashan).post(
        URL, body, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["uscc"] == code


def test_unknown_codes_are_422_naming_each_field(client, cast):
    """Unknown region, industry, alliance and parent are reported together, per field."""
    body = new_enterprise(industry="9999", shared_with=["nowhere"], parent=987654)
    body["region"] = "999999"
    response = as_user(client, cast.officer_jiashan).post(
        URL, body, content_type="application/json"
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"region", "industry", "shared_with", "parent"}


def test_parent_must_be_visible(client, cast):
    """A parent hidden from the caller is as unknown as a missing one."""
    body = new_enterprise(parent=cast.orgs["xiafeng"].pk)
    response = as_user(client, cast.officer_jiashan).post(
        URL, body, content_type="application/json"
    )
    assert response.status_code == 422
    assert "parent" in response.json()["errors"]


def test_malformed_body_is_422(client, cast):
    """A body that does not fit the schema is refused by the request validation."""
    response = as_user(client, cast.officer_jiashan).post(
        URL, {"name": "", "kind": "shop", "region": "330421"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert isinstance(response.json()["detail"], list)


def test_token_create_is_audited_as_the_token_owner(client, cast):
    """With a bearer token the audit trail names the token's owner."""
    _token, key = api_token_create(actor=cast.officer_jiashan, name="sync")
    response = client.post(
        URL,
        new_enterprise(),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 201
    event = AuditEvent.objects.get(action="organisation.create", object_id=response.json()["id"])
    assert event.actor_label == "officer_jiashan"


# Changing --------------------------------------------------------------------------------


def test_officer_patches_an_organisation_of_the_region(client, cast):
    """Only the fields sent change; the change is audited."""
    fulai = cast.orgs["fulai"]
    response = as_user(client, cast.officer_jiashan).patch(
        f"{URL}/{fulai.pk}",
        {"address": "嘉善县惠民街道", "industry": "2929"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    fulai.refresh_from_db()
    assert fulai.address == "嘉善县惠民街道"
    assert fulai.industry_id == "2929"
    assert fulai.name == "浙江福莱新材料股份有限公司"
    event = AuditEvent.objects.get(action="organisation.update", object_id=str(fulai.pk))
    assert set(event.after) == {"address", "industry_id"}


def test_patch_null_clears_an_optional_field(client, cast):
    """null clears a field that may be empty."""
    fulai = cast.orgs["fulai"]
    fulai.industry_id = "2929"
    fulai.save()
    response = as_user(client, cast.officer_jiashan).patch(
        f"{URL}/{fulai.pk}", {"industry": None}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["industry"] is None


def test_patch_null_name_is_422(client, cast):
    """A name may be changed but not removed."""
    response = as_user(client, cast.officer_jiashan).patch(
        f"{URL}/{cast.orgs['fulai'].pk}", {"name": None}, content_type="application/json"
    )
    assert response.status_code == 422


def test_enterprise_patches_its_own_record(client, cast):
    """An enterprise user edits the description of the enterprise they act for."""
    fulai = cast.orgs["fulai"]
    response = as_user(client, cast.enterprise_user).patch(
        f"{URL}/{fulai.pk}", {"description": "功能膜材料"}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["description"] == "功能膜材料"


@pytest.mark.parametrize(("role", "org"), [("talent_user", "fulai"), ("officer_qingpu", "shared")])
def test_visible_but_not_editable_is_403(client, cast, role, org):
    """Seeing a record does not make it editable: 谭刚 sees 福莱 (he serves there), 青浦's
    officer sees what 嘉善 shares with the 示范区; neither may change it."""
    if org == "shared":
        target = OrganisationFactory(name="嘉善共享平台", region=cast.orgs["fulai"].region)
        target.shared_with.set([Alliance.objects.get(code="yrd-demo-zone")])
    else:
        target = cast.orgs[org]
    as_user(client, getattr(cast, role))
    assert client.get(f"{URL}/{target.pk}").status_code == 200
    response = client.patch(
        f"{URL}/{target.pk}", {"description": "x"}, content_type="application/json"
    )
    assert response.status_code == 403
    target.refresh_from_db()
    assert target.description != "x"


def test_patch_hidden_is_404(client, cast):
    """A hidden record cannot be changed, and its existence is not revealed."""
    response = as_user(client, cast.officer_qingtian).patch(
        f"{URL}/{cast.orgs['fulai'].pk}", {"description": "x"}, content_type="application/json"
    )
    assert response.status_code == 404


def test_officer_cannot_move_an_organisation_out_of_the_region(client, cast):
    """Moving a record to a region the officer does not govern is refused, naming region."""
    response = as_user(client, cast.officer_jiashan).patch(
        f"{URL}/{cast.orgs['fulai'].pk}", {"region": "331121"}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "region" in response.json()["errors"]
    cast.orgs["fulai"].refresh_from_db()
    assert cast.orgs["fulai"].region_id == "330421"
