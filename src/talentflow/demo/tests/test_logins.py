"""The demo logins: every account logs in with the shared password and sees what it should."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from talentflow.accounts.models import Role, User
from talentflow.accounts.permissions import scope_for
from talentflow.demo.logins import DEMO_PASSWORD, LOGINS, login_spec, print_logins
from talentflow.directory.models import TalentProfile
from talentflow.directory.selectors import (
    TalentFilters,
    organisation_visible,
    talent_list,
    talent_visible,
)


def user(username: str) -> User:
    return User.objects.get(username=username)


def visible_names(username: str, q: str = "") -> set[str]:
    return set(
        talent_list(user=user(username), filters=TalentFilters(q=q)).values_list("name", flat=True)
    )


def test_demo_password_satisfies_the_password_validators():
    """The shared password passes every configured validator (user_create would refuse it)."""
    validate_password(DEMO_PASSWORD)


def test_there_is_one_login_per_role():
    """Every role has at least one demo login; usernames are unique."""
    assert {spec.role for spec in LOGINS} == set(Role.values)
    assert len({spec.username for spec in LOGINS}) == len(LOGINS)


@pytest.mark.parametrize("spec", LOGINS, ids=lambda s: s.username)
def test_every_login_authenticates_with_its_role(demo, spec):
    """Each account logs in with the demo password and holds exactly its intended role."""
    request = RequestFactory().post("/")
    account = authenticate(request=request, username=spec.username, password=DEMO_PASSWORD)
    assert account is not None
    assert account.display_name == spec.display_name
    scope = scope_for(account)
    assert spec.role in scope.roles
    if spec.region:
        assert scope.region_codes == {spec.region}
    if spec.organisation:
        assert len(scope.organisation_ids) == 1
    assert scope.is_admin == spec.is_admin
    assert account.is_superuser == spec.is_admin


def test_admin_logs_in_through_the_login_page(demo, client):
    """The login form accepts the demo admin and redirects away from the form."""
    response = client.post(
        reverse("accounts:login"), {"username": "admin", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert response.wsgi_request.user.username == "admin"


def test_jiashan_officer_finds_tangang_by_his_expertise(demo):
    """谭刚 lives in 杭州 but serves 福莱 in 嘉善: the 嘉善 officer finds him under 薄膜涂布."""
    assert "谭刚" in visible_names("officer_jiashan", q="薄膜涂布")


def test_songyang_officer_sees_qingtian_experts_through_the_lishui_pool(demo):
    """张光 and 白景元 are in the 丽水 1+9 pool, so the 松阳 officer sees them; 谭刚 is not
    shared with 丽水, so the 松阳 officer does not."""
    names = visible_names("officer_songyang")
    assert {"张光", "白景元"} <= names
    assert "谭刚" not in names


def test_lishui_officer_covers_the_whole_city(demo):
    """The 丽水市 officer sees 白景元 (employed in 莲都, serving in 青田) and 章斌 (青田)."""
    assert {"白景元", "章斌", "张光"} <= visible_names("officer_lishui")


def test_demonstration_zone_officers_share_the_zone_pool(demo):
    """The 青浦 and 吴江 officers see 嘉善's experts in the 示范区 pool (谭刚, 唐宁), but not
    黄岩's 梁建宇."""
    for username in ("officer_qingpu", "officer_wujiang"):
        names = visible_names(username)
        assert {"谭刚", "唐宁"} <= names, username
        assert "梁建宇" not in names, username


def test_huangyan_officer_sees_the_mould_workers(demo):
    """The 黄岩 officer sees 梁建宇, 蔡文军 and 李克杰 (serving 赛豪 in 黄岩)."""
    assert {"梁建宇", "蔡文军", "李克杰"} <= visible_names("officer_huangyan")


def test_enterprise_sees_its_own_people_only(demo):
    """福莱 sees 谭刚 (its 科技副总) and 杨晓明, not 白景元; 侠峰 sees 白景元."""
    assert visible_names("fulai") >= {"谭刚", "杨晓明"}
    assert "白景元" not in visible_names("fulai")
    assert "白景元" in visible_names("xiafeng")
    assert set(organisation_visible(user=user("fulai")).values_list("name", flat=True)) == {
        "浙江福莱新材料股份有限公司"
    }


def test_institution_sees_liu_bing(demo):
    """杭电嘉善研究院 sees 刘兵, whom it recommended as 科技副总."""
    assert "刘兵" in visible_names("hdu_jiashan")


def test_talent_and_student_logins_are_linked_to_their_profiles(demo):
    """谭刚's login is his profile; the student login is one of 唐宁's students."""
    tangang = user("tangang")
    assert scope_for(tangang).talent_id == TalentProfile.objects.get(name="谭刚").pk
    student = user("student")
    scope = scope_for(student)
    assert Role.STUDENT in scope.roles
    profile = TalentProfile.objects.get(pk=scope.talent_id)
    assert profile.name == login_spec("student").display_name
    assert set(talent_visible(user=student).values_list("name", flat=True)) == {profile.name}


def test_provider_and_association_act_for_generated_organisations(demo):
    """The 青浦 provider and the 黄岩 association act for organisations of their kind and
    region."""
    provider = organisation_visible(user=user("provider_qingpu")).get()
    assert (provider.kind, provider.region_id) == ("service_provider", "310118")
    association = organisation_visible(user=user("mould_association")).get()
    assert (association.kind, association.region_id) == ("association", "331003")


def test_print_logins_lists_every_account_with_a_warning():
    """The console table names every account and the password, and warns it is demo-only."""
    out = io.StringIO()
    with translation.override("en"):
        print_logins(base_url="http://127.0.0.1:8000/", stdout=out)
    text = out.getvalue()
    assert "http://127.0.0.1:8000/" in text
    for spec in LOGINS:
        assert spec.username in text
    assert text.count(DEMO_PASSWORD) == len(LOGINS)
    assert "demo only" in text
