"""The one permission model: scope per role, and who may change what."""

from __future__ import annotations

from talentflow.accounts import permissions
from talentflow.accounts.permissions import scope_for
from talentflow.reference.models import Alliance


def test_officer_scope_covers_region_and_its_alliances(cast):
    scope = scope_for(cast.officer_jiashan)
    assert scope.is_officer and not scope.is_admin
    assert scope.region_prefixes == ("330421",)
    assert set(scope.alliance_ids) == {Alliance.objects.get(code="yrd-demo-zone").pk}


def test_prefecture_officer_governs_its_counties(cast):
    """丽水市 (331100) covers 青田 (331121) and sits in the 1+9 alliance."""
    scope = scope_for(cast.officer_lishui)
    assert scope.governs_region("331121") and scope.governs_region("331181")
    assert not scope.governs_region("330421")
    assert Alliance.objects.get(code="lishui-1plus9").pk in scope.alliance_ids


def test_anonymous_and_inactive_users_have_no_scope(cast):
    from django.contrib.auth.models import AnonymousUser

    assert not scope_for(AnonymousUser()).is_authenticated
    cast.officer_jiashan.is_active = False
    cast.officer_jiashan._talentflow_scope = None
    assert not scope_for(cast.officer_jiashan).is_authenticated


def test_talent_scope_is_own_profile(cast):
    scope = scope_for(cast.talent_user)
    assert scope.talent_id == cast.talents["tangang"].pk
    assert not scope.is_officer and not scope.organisation_ids


def test_who_may_edit_an_organisation(cast):
    fulai = cast.orgs["fulai"]
    assert permissions.can_edit_organisation(cast.admin, fulai)
    assert permissions.can_edit_organisation(cast.officer_jiashan, fulai)
    assert permissions.can_edit_organisation(cast.enterprise_user, fulai)
    assert not permissions.can_edit_organisation(cast.officer_qingpu, fulai)
    assert not permissions.can_edit_organisation(cast.enterprise_qingtian, fulai)
    assert not permissions.can_edit_organisation(cast.talent_user, fulai)


def test_who_may_edit_a_talent(cast):
    """The home region's officer and the talent; not the officer where the talent serves."""
    tangang = cast.talents["tangang"]  # home region 杭州西湖区, serves 福莱 in 嘉善
    assert permissions.can_edit_talent(cast.talent_user, tangang)
    assert permissions.can_edit_talent(cast.admin, tangang)
    assert not permissions.can_edit_talent(cast.officer_jiashan, tangang)
    assert not permissions.can_edit_talent(cast.enterprise_user, tangang)
    assert not permissions.can_edit_talent(cast.student_user, tangang)


def test_creation_is_limited_to_governed_regions(cast):
    assert permissions.can_create_talent(cast.officer_jiashan, region_code="330421")
    assert not permissions.can_create_talent(cast.officer_jiashan, region_code="331121")
    assert permissions.can_create_organisation(cast.officer_lishui, region_code="331121")
    assert not permissions.can_create_organisation(cast.enterprise_user, region_code="330421")
