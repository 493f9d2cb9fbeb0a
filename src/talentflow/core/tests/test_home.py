"""The home page of every role: computed from the records, scoped like the directory."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from talentflow.core.selectors import officer_overview
from talentflow.reference.models import Alliance, Region
from talentflow.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PoolFactory,
    TalentFactory,
    UserFactory,
)

HOME = reverse("core:home")


def get_home(client, user):
    client.force_login(user)
    response = client.get(HOME)
    assert response.status_code == 200
    return response


def test_anonymous_is_sent_to_login(client, db):
    """Without a session the home page redirects to the log-in page, keeping ``next``."""
    response = client.get(HOME)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:login')}?next={HOME}"


def test_home_renders_for_every_cast_member(client, cast):
    """Every member of the cast gets a 200 home page with something of their own on it."""
    for username, user in cast.users().items():
        response = get_home(client, user)
        assert response.templates[0].name == "core/home.html"
        assert response.context["has_home"], f"{username} sees only the no-role message"
        assert 'id="no-role"' not in response.content.decode()


def test_officer_jiashan_counts_include_tangang(client, cast):
    """谭刚 (home 杭州) serves 福莱 in 嘉善, so 嘉善's officer counts him as tied to the region."""
    overview = get_home(client, cast.officer_jiashan).context["officer"]
    assert overview.talents_total == 2  # 谭刚 and the student seconded to 中扬
    assert overview.talents_local == 2
    assert overview.talents_home == 0
    assert overview.talents_tied == 2
    assert overview.talents_shared == 0
    assert overview.organisations_total == 3
    assert overview.organisations_local == 3
    assert [r.code for r in overview.regions] == ["330421"]
    assert {a.code for a in overview.alliances} == {"yrd-demo-zone"}


def test_officer_qingtian_counts_exclude_tangang(client, cast):
    """青田's officer sees 侠峰 only and none of 嘉善's people."""
    response = get_home(client, cast.officer_qingtian)
    overview = response.context["officer"]
    assert overview.talents_total == 0
    assert overview.organisations_total == 1
    assert "谭刚" not in response.content.decode()
    # No talent yet: an honest empty state instead of an empty chart.
    assert 'id="talent-chart"' not in response.content.decode()
    assert "empty-state" in response.content.decode()


def test_shared_records_are_counted_apart_from_local_ones(client, cast):
    """An alliance pool and an organisation shared with the alliance count as shared."""
    demo_zone = Alliance.objects.get(code="yrd-demo-zone")
    qingpu = Region.objects.get(code="310118")
    pool = PoolFactory(code="yrd-shared", region=None, alliance=demo_zone)
    TalentFactory(name="青浦专家", home_region=qingpu, pools=[pool])
    shared_org = OrganisationFactory(name="青浦共享企业", region=qingpu)
    shared_org.shared_with.add(demo_zone)
    TalentFactory(name="嘉善本地人才", home_region=Region.objects.get(code="330421"))

    jiashan = officer_overview(user=cast.officer_jiashan)
    assert (jiashan.talents_total, jiashan.talents_local, jiashan.talents_shared) == (4, 3, 1)
    assert jiashan.talents_home == 1
    assert (jiashan.organisations_local, jiashan.organisations_shared) == (3, 1)
    assert jiashan.pools_total == 1

    qingtian = officer_overview(user=cast.officer_qingtian)
    assert qingtian.talents_total == 0 and qingtian.organisations_shared == 0


def test_availability_and_chart_buckets_count_visible_talents(client, cast):
    """The availability card and the chart data are counts of the visible talents only."""
    jiashan = Region.objects.get(code="330421")
    TalentFactory(name="甲", home_region=jiashan, availability="limited", education="doctorate")
    TalentFactory(name="乙", home_region=Region.objects.get(code="331121"), education="master")
    response = get_home(client, cast.officer_jiashan)
    overview = response.context["officer"]
    availability = {b.key: b.count for b in overview.by_availability}
    assert availability == {"available": 2, "limited": 1, "unavailable": 0}
    education = {b.key: b.count for b in overview.by_education}
    assert education["doctorate"] == 1 and education["master"] == 0
    assert education[""] == 2  # the cast's two profiles state no education
    data = response.context["chart_data"]
    assert sum(data["education"]["values"]) == 3
    assert sum(data["title_level"]["values"]) == 3
    content = response.content.decode()
    assert 'id="talent-chart-data"' in content
    assert "vendor/echarts/echarts.min.js" in content


def test_officer_home_lists_latest_events_of_own_region_only(client, cast):
    """The latest-changes card shows 嘉善's events, not 青田's."""
    from talentflow.directory.services import organisation_update

    organisation_update(
        actor=cast.officer_jiashan, organisation=cast.orgs["fulai"], data={"address": "嘉善大道1号"}
    )
    organisation_update(
        actor=cast.officer_qingtian, organisation=cast.orgs["xiafeng"], data={"address": "青田路"}
    )
    events = get_home(client, cast.officer_jiashan).context["recent_events"]
    assert [e.object_repr for e in events] == ["浙江福莱新材料股份有限公司"]


def test_admin_home_counts_everything_without_a_local_split(client, cast):
    """The administrator governs no region: totals only, over every record."""
    overview = get_home(client, cast.admin).context["officer"]
    assert overview.talents_total == 2
    assert overview.organisations_total == 7
    assert overview.talents_local is None and overview.organisations_shared is None


def test_enterprise_home_shows_its_organisation_and_people_now(client, cast):
    """福莱's user sees its card (USCC, region, link) and 1 person affiliated today."""
    AffiliationFactory(
        talent=TalentFactory(name="离职工程师"),
        organisation=cast.orgs["fulai"],
        start_date=dt.date(2019, 1, 1),
        end_date=dt.date(2021, 1, 1),
    )
    response = get_home(client, cast.enterprise_user)
    [summary] = response.context["organisations"]
    fulai = cast.orgs["fulai"]
    assert summary.organisation == fulai
    assert summary.people_now == 1  # 谭刚 serving; the engineer who left is not counted
    assert [(b.key, b.count) for b in summary.by_kind] == [("serving", 1)]
    content = response.content.decode()
    assert fulai.uscc in content
    assert reverse("directory:organisation_detail", args=[fulai.pk]) in content
    assert "officer" not in response.context


@pytest.mark.parametrize(
    ("username", "org_key"),
    [
        ("institution_user", "hdu_jiashan"),
        ("provider_qingpu", "qingpu_apartment"),
        ("association_user", "mould_association"),
        ("enterprise_qingtian", "xiafeng"),
    ],
)
def test_organisation_roles_see_only_their_own_organisation(client, cast, username, org_key):
    """Institution, provider and association users get their organisation's card, no other."""
    response = get_home(client, getattr(cast, username))
    assert [s.organisation for s in response.context["organisations"]] == [cast.orgs[org_key]]
    assert response.context["organisations"][0].people_now == 0


def test_talent_home_shows_own_profile(client, cast):
    """谭刚 sees his name, his two current affiliations and links to view and edit."""
    response = get_home(client, cast.talent_user)
    summary = response.context["talent"]
    tangang = cast.talents["tangang"]
    assert summary.profile == tangang
    assert {a.organisation.name for a in summary.current_affiliations} == {
        "浙江大学",
        "浙江福莱新材料股份有限公司",
    }
    content = response.content.decode()
    assert reverse("directory:talent_detail", args=[tangang.pk]) in content
    assert reverse("directory:talent_edit", args=[tangang.pk]) in content
    assert "科技副总" in content
    assert not response.context["is_student"]


def test_student_home_is_marked_as_graduate_student(client, cast):
    """The graduate student sees their profile with both the university and the enterprise."""
    response = get_home(client, cast.student_user)
    assert response.context["is_student"]
    names = {a.organisation.name for a in response.context["talent"].current_affiliations}
    assert names == {"浙江大学", "浙江中扬立库技术有限公司"}


def test_user_without_role_sees_whom_to_contact(client, db):
    """No membership and no profile: a clear message naming the account, nothing else."""
    user = UserFactory(username="newcomer")
    response = get_home(client, user)
    assert not response.context["has_home"]
    content = response.content.decode()
    assert 'id="no-role"' in content
    assert "newcomer" in content


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_home_renders_in_both_languages(client, cast, language):
    """The page declares the language chosen through the set_language view."""
    client.force_login(cast.officer_jiashan)
    response = client.post(reverse("set_language"), {"language": language, "next": HOME})
    assert response.status_code == 302
    response = client.get(HOME)
    assert f'<html lang="{language}">' in response.content.decode()


def test_finance_home_shows_its_work_and_budgets(client, cast):
    """嘉善's finance officer sees what waits for finance and this year's budgets, computed
    from the applications; nobody else gets the finance section."""
    from talentflow.rules.tests.builders import seed, vp_application

    policies = seed()
    vp = policies["vice_president_subsidy"]
    vp_application(cast, vp, salary="400000", state="finance_review")
    vp_application(cast, vp, salary="100000", state="approved")
    client.force_login(cast.finance_jiashan)
    html = client.get(reverse("core:home"), HTTP_ACCEPT_LANGUAGE="en").text
    assert 'id="finance-home"' in html and 'id="no-role"' not in html
    review = re.search(r'id="card-finance-review".*?display-6 mb-0">(\d+)<', html, re.S)
    pay = re.search(r'id="card-finance-pay".*?display-6 mb-0">(\d+)<', html, re.S)
    assert (review.group(1), pay.group(1)) == ("1", "1")
    row = re.search(rf"{vp.name}</a></td>(.*?)</tr>", html, re.S).group(1)
    # Budget 1,000,000; 40,000 committed (approved, not paid); nothing paid; 960,000 left.
    assert re.findall(r'text-end">([^<]+)<', row) == [
        "1,000,000.00",
        "40,000.00",
        "0.00",
        "960,000.00",
    ]
    client.force_login(cast.officer_jiashan)
    assert 'id="finance-home"' not in client.get(reverse("core:home")).text
