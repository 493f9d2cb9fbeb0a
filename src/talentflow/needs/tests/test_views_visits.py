"""Enterprise visits (走访): recording them, the needs collected on them, and the summary."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from talentflow.needs import services
from talentflow.needs.models import EnterpriseVisit, Need
from talentflow.needs.tests.builders import SYSTEM
from talentflow.reference.models import Region
from talentflow.tests.factories import OrganisationFactory

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def english(client):
    """The pages are asserted by their English msgids, whatever catalogue is compiled."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def visit(cast, enterprise: str = "xiafeng", days_ago: int = 3, **fields) -> EnterpriseVisit:
    return services.visit_create(
        **SYSTEM,
        enterprise=cast.orgs[enterprise] if isinstance(enterprise, str) else enterprise,
        visited_on=TODAY - dt.timedelta(days=days_ago),
        **fields,
    )


def collect(cast, on: EnterpriseVisit, title: str) -> Need:
    return services.need_create(
        **SYSTEM, enterprise=on.enterprise, visit=on, title=title, summary="走访收集"
    )


def summary(response) -> tuple[int, int, int]:
    html = response.text
    return tuple(
        int(re.search(rf'data-stat="{name}">(\d+)<', html).group(1))
        for name in ("visits", "enterprises", "needs")
    )


# Recording a visit ---------------------------------------------------------------------------


def test_officer_records_a_visit_in_its_region(client, cast):
    """The 青田 office picks among its region's enterprises and records the visit."""
    client.force_login(cast.officer_qingtian)
    page = client.get(reverse("needs:visit_create")).text
    assert "浙江侠峰精密压铸有限公司" in page and "浙江福莱新材料" not in page
    response = client.post(
        reverse("needs:visit_create"),
        {
            "enterprise": cast.orgs["xiafeng"].pk,
            "visited_on": (TODAY - dt.timedelta(days=1)).isoformat(),
            "participants": "青田人才办 王科长",
            "notes": "压铸工艺瓶颈",
        },
    )
    created = EnterpriseVisit.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("needs:visit_detail", args=[created.pk])
    assert created.recorded_by == cast.officer_qingtian
    assert created.region_id == "331121" and created.visitor_organisation is None


def test_visit_in_another_region_is_not_offered(client, cast):
    """The 青田 office cannot choose 福莱 (嘉善): the form refuses it."""
    client.force_login(cast.officer_qingtian)
    response = client.post(
        reverse("needs:visit_create"),
        {"enterprise": cast.orgs["fulai"].pk, "visited_on": TODAY.isoformat()},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not EnterpriseVisit.objects.exists()


def test_visit_in_the_future_is_refused_at_the_date(client, cast):
    """The service's date check comes back next to the date field."""
    client.force_login(cast.officer_qingtian)
    response = client.post(
        reverse("needs:visit_create"),
        {
            "enterprise": cast.orgs["xiafeng"].pk,
            "visited_on": (TODAY + dt.timedelta(days=2)).isoformat(),
        },
    )
    assert re.search(
        r'id="id_visited_on_error"><div>The visit date lies in the future', response.text
    )
    assert not EnterpriseVisit.objects.exists()


@pytest.mark.parametrize(
    "role", ["enterprise_user", "talent_user", "student_user", "provider_qingpu"]
)
def test_visit_form_is_403_for_who_does_not_visit(client, cast, role):
    """Enterprises, talents and providers do not record visits."""
    client.force_login(getattr(cast, role))
    assert client.get(reverse("needs:visit_create")).status_code == 403
    assert client.post(reverse("needs:visit_create"), {}).status_code == 403


def test_institution_names_itself_as_the_visitor(client, cast):
    """An institute's form requires the visitor and offers only its own institution."""
    client.force_login(cast.institution_user)
    page = client.get(reverse("needs:visit_create")).text
    visitor = re.search(r'<select name="visitor_organisation".*?</select>', page, re.S).group(0)
    assert "杭州电子科技大学嘉善研究院" in visitor and "浙江大学" not in visitor
    assert '<option value="">' not in visitor  # no "none": the institute is the visitor


def test_institution_that_sees_no_enterprise_is_told_what_to_do(client, cast):
    """The directory shows an institute no enterprise; the form says how to proceed instead
    of offering an empty choice."""
    client.force_login(cast.institution_user)
    assert 'id="no-enterprises"' in client.get(reverse("needs:visit_create")).text
    client.force_login(cast.officer_qingtian)
    assert 'id="no-enterprises"' not in client.get(reverse("needs:visit_create")).text


# A visit and its needs -----------------------------------------------------------------------


def test_visit_detail_is_for_the_office_of_its_region_and_its_visitors(client, cast):
    """The region's office and the visiting institute see the visit; others get 404."""
    made = visit(cast, "fulai", visitor_organisation=cast.orgs["hdu_jiashan"])
    url = reverse("needs:visit_detail", args=[made.pk])
    expected = {
        "admin": 200,
        "officer_jiashan": 200,
        "institution_user": 200,
        "officer_qingtian": 404,
        "enterprise_user": 404,
        "talent_user": 404,
    }
    for role, status in expected.items():
        client.force_login(getattr(cast, role))
        assert client.get(url).status_code == status, role


def test_officer_records_a_need_from_the_visit_and_it_arrives_submitted(client, cast):
    """A need collected on a visit skips the draft and waits for the office (助题)."""
    made = visit(cast)
    client.force_login(cast.officer_qingtian)
    url = reverse("needs:visit_need_create", args=[made.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "压铸能耗高",
            "summary": "压铸工序能耗高，需要工艺优化。",
            "description": "熔炼炉能耗占比大。",
            "budget_min": "200000",
            "confidentiality": "public",
        },
    )
    need = Need.objects.get()
    assert response["Location"] == reverse("needs:detail", args=[need.pk])
    assert (need.state, need.source, need.visit, need.enterprise) == (
        "submitted",
        "visit",
        made,
        cast.orgs["xiafeng"],
    )
    assert need.stage_due is not None
    detail = client.get(reverse("needs:visit_detail", args=[made.pk])).text
    assert "压铸能耗高" in detail


def test_record_and_add_another_returns_to_the_form(client, cast):
    """'Record and add another' comes back to an empty form for the next need."""
    made = visit(cast)
    client.force_login(cast.officer_qingtian)
    url = reverse("needs:visit_need_create", args=[made.pk])
    response = client.post(
        url, {"title": "一", "summary": "摘要", "confidentiality": "public", "another": "1"}
    )
    assert response["Location"] == url


def test_institution_records_a_need_it_then_no_longer_sees(client, cast):
    """The visiting institute records the need; it goes to the office and the institute is
    sent back to its visit, which counts the need without showing it."""
    made = visit(cast, "fulai", visitor_organisation=cast.orgs["hdu_jiashan"])
    client.force_login(cast.institution_user)
    response = client.post(
        reverse("needs:visit_need_create", args=[made.pk]),
        {"title": "涂布速度提升", "summary": "摘要", "confidentiality": "public"},
    )
    assert response["Location"] == reverse("needs:visit_detail", args=[made.pk])
    assert Need.objects.get().created_by == cast.institution_user
    page = client.get(response["Location"]).text
    assert "涂布速度提升" not in page
    assert "1 more need collected on this visit is with the talent office." in page


def test_visit_need_is_404_for_another_region(client, cast):
    """Another office cannot record needs on a visit it cannot see."""
    made = visit(cast)
    client.force_login(cast.officer_jiashan)
    assert client.get(reverse("needs:visit_need_create", args=[made.pk])).status_code == 404


# The list and its summary --------------------------------------------------------------------


@pytest.fixture
def qingtian_visits(cast):
    """Three visits to two 青田 enterprises and one in 嘉善; two needs collected in 青田."""
    other = OrganisationFactory(
        name="青田永鑫阀门有限公司", region=Region.objects.get(code="331121")
    )
    first = visit(cast, days_ago=40)
    second = visit(cast, days_ago=5)
    third = visit(cast, other, days_ago=2, visitor_organisation=cast.orgs["hdu_jiashan"])
    visit(cast, "fulai", days_ago=1)
    collect(cast, first, "气孔缺陷")
    collect(cast, third, "阀门铸件成本")
    return first, second, third


def test_summary_counts_visits_enterprises_and_needs(client, cast, qingtian_visits):
    """The 青田 office reads 3 visits, 2 enterprises visited, 2 needs collected."""
    client.force_login(cast.officer_qingtian)
    response = client.get(reverse("needs:visit_list"))
    assert summary(response) == (3, 2, 2)
    assert response.text.count('href="/needs/visits/') >= 3


def test_summary_is_scoped_and_filtered(client, cast, qingtian_visits):
    """The 嘉善 office counts its own visit; the admin filters by region, prefecture, visitor
    and dates."""
    client.force_login(cast.officer_jiashan)
    assert summary(client.get(reverse("needs:visit_list"))) == (1, 1, 0)
    client.force_login(cast.officer_lishui)
    assert summary(client.get(reverse("needs:visit_list"))) == (3, 2, 2)
    client.force_login(cast.admin)
    url = reverse("needs:visit_list")
    assert summary(client.get(url)) == (4, 3, 2)
    assert summary(client.get(url, {"region": "331121"})) == (3, 2, 2)
    assert summary(client.get(url, {"region": "331100"})) == (3, 2, 2)
    hdu = cast.orgs["hdu_jiashan"].pk
    assert summary(client.get(url, {"visitor": str(hdu)})) == (1, 1, 1)
    since = (TODAY - dt.timedelta(days=10)).isoformat()
    assert summary(client.get(url, {"region": "331121", "date_from": since})) == (2, 2, 1)
    until = (TODAY - dt.timedelta(days=30)).isoformat()
    assert summary(client.get(url, {"date_to": until})) == (1, 1, 1)


def test_institution_sees_the_visits_it_made(client, cast, qingtian_visits):
    """An institute's list holds its own visits only."""
    client.force_login(cast.institution_user)
    assert summary(client.get(reverse("needs:visit_list"))) == (1, 1, 1)


def test_visit_list_htmx_gets_the_results_only(client, cast, qingtian_visits):
    """Filtering with htmx swaps the summary and results only."""
    client.force_login(cast.officer_qingtian)
    response = client.get(reverse("needs:visit_list"), {"region": "331121"}, HTTP_HX_REQUEST="true")
    assert "<html" not in response.text and 'id="visit-summary"' in response.text


def test_visit_list_with_a_reversed_date_range_explains(client, cast, qingtian_visits):
    """An end before the start is reported and ignored, not a server error."""
    client.force_login(cast.officer_qingtian)
    response = client.get(
        reverse("needs:visit_list"),
        {"date_from": TODAY.isoformat(), "date_to": (TODAY - dt.timedelta(days=9)).isoformat()},
    )
    assert response.status_code == 200
    assert "The end date is before the start date." in response.text
