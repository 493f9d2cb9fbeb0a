"""The back office: every registered model opens; writes go through the services."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from talentflow.accounts.models import ApiToken, Membership, User
from talentflow.accounts.services import api_token_create
from talentflow.core.models import AuditEvent
from talentflow.core.validators import id_number_mask
from talentflow.directory.models import Organisation, Pool, TalentProfile
from talentflow.reference.models import Industry, Region
from talentflow.tests.factories import id_number_for, uscc_for


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.admin)
    return client


def test_every_registered_changelist_loads(admin_client):
    """Each model in the admin opens its list, and a search on it, for the administrator."""
    for model in admin.site._registry:
        url = admin_url(model, "changelist")
        assert admin_client.get(url).status_code == 200, url
        assert admin_client.get(url, {"q": "嘉善"}).status_code == 200, url


def test_every_change_page_loads_for_an_existing_row(admin_client):
    """The detail page of the first row of each model opens (read-only or editable)."""
    for model in admin.site._registry:
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            continue
        url = admin_url(model, "change", obj.pk)
        assert admin_client.get(url).status_code == 200, url


def test_all_app_models_are_registered():
    """No model of core, reference, accounts or directory is missing from the back office."""
    from django.apps import apps

    for label in ("core", "reference", "accounts", "directory"):
        for model in apps.get_app_config(label).get_models():
            assert model in admin.site._registry, model


def test_audit_events_cannot_be_added_changed_or_deleted(admin_client, cast):
    """Even a superuser only reads the trail."""
    request = RequestFactory().get("/")
    request.user = cast.admin
    model_admin = admin.site._registry[AuditEvent]
    event = AuditEvent.objects.first()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, event)
    assert not model_admin.has_delete_permission(request, event)
    assert admin_client.get(admin_url(AuditEvent, "add")).status_code == 403
    assert admin_client.post(admin_url(AuditEvent, "delete", event.pk)).status_code == 403
    response = admin_client.post(admin_url(AuditEvent, "change", event.pk), {"action": "x"})
    assert response.status_code == 403


@pytest.mark.parametrize("model", [Region, Industry])
def test_reference_data_is_view_and_search_only(admin_client, model, cast):
    """Reference rows come from the loader: no add, change or delete in the admin."""
    assert admin_client.get(admin_url(model, "add")).status_code == 403
    obj = model.objects.first()
    assert admin_client.post(admin_url(model, "change", obj.pk), {}).status_code == 403
    assert admin_client.post(admin_url(model, "delete", obj.pk)).status_code == 403
    response = admin_client.get(
        admin_url(model, "changelist"), {"q": "嘉善" if model is Region else "模具"}
    )
    assert response.status_code == 200


def test_region_autocomplete_serves_big_foreign_keys(admin_client):
    """Organisation.region (3,429 regions) is an autocomplete, searched by name."""
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "directory",
            "model_name": "organisation",
            "field_name": "region",
            "term": "嘉善",
        },
    )
    assert response.status_code == 200
    assert "330421" in [r["id"] for r in response.json()["results"]]


def _organisation_post(org: Organisation, **changes) -> dict:
    data = {
        "name": org.name,
        "kind": org.kind,
        "uscc": org.uscc or "",
        "region": org.region_id,
        "industry": org.industry_id or "",
        "parent": org.parent_id or "",
        "address": org.address,
        "website": org.website,
        "description": org.description,
        "is_active": "on" if org.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def test_admin_edit_of_an_organisation_goes_through_the_service(admin_client, cast):
    """Changing an organisation in the admin records organisation.update with the admin."""
    fulai = cast.orgs["fulai"]
    response = admin_client.post(
        admin_url(Organisation, "change", fulai.pk),
        _organisation_post(fulai, address="嘉善县惠民街道"),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    fulai.refresh_from_db()
    assert fulai.address == "嘉善县惠民街道"
    event = AuditEvent.objects.get(action="organisation.update", object_id=str(fulai.pk))
    assert event.actor == cast.admin
    assert event.after == {"address": "嘉善县惠民街道"}
    assert event.region_id == "330421"


def test_admin_add_of_an_organisation_goes_through_the_service(admin_client, cast):
    uscc = uscc_for("330421", 777)
    response = admin_client.post(
        admin_url(Organisation, "add"),
        {"name": "嘉善新企业有限公司", "kind": "enterprise", "uscc": uscc, "region": "330421"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    org = Organisation.objects.get(uscc=uscc)
    event = AuditEvent.objects.get(action="organisation.create", object_id=str(org.pk))
    assert event.actor == cast.admin and event.region_id == "330421"


def test_admin_add_of_an_enterprise_without_uscc_is_refused(admin_client, cast):
    response = admin_client.post(
        admin_url(Organisation, "add"),
        {"name": "无代码企业", "kind": "enterprise", "region": "330421"},
    )
    assert response.status_code == 200
    assert "uscc" in response.context["adminform"].form.errors
    assert not Organisation.objects.filter(name="无代码企业").exists()


def _talent_post(talent: TalentProfile, **changes) -> dict:
    data = {
        "name": talent.name,
        "home_region": talent.home_region_id,
        "availability": talent.availability,
        "is_active": "on",
        "affiliations-TOTAL_FORMS": "0",
        "affiliations-INITIAL_FORMS": "0",
        "affiliations-MIN_NUM_FORMS": "0",
        "affiliations-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def test_talent_change_page_never_shows_the_encrypted_identity_number(admin_client, cast):
    """Only the masked identity number appears; the ciphertext and the digest never do."""
    tangang = cast.talents["tangang"]
    content = admin_client.get(admin_url(TalentProfile, "change", tangang.pk)).content.decode()
    assert tangang.id_number_masked in content
    assert tangang.id_number_encrypted not in content
    assert tangang.id_number_digest not in content
    assert "id_number_encrypted" not in content and "id_number_digest" not in content


def test_admin_talent_edit_goes_through_the_service(admin_client, cast):
    """A new identity number typed in the admin is encrypted and masked by the service."""
    tangang = cast.talents["tangang"]
    old_digest = tangang.id_number_digest
    new_number = id_number_for("330106", 4242)
    response = admin_client.post(
        admin_url(TalentProfile, "change", tangang.pk),
        _talent_post(tangang, id_number=new_number, expertise="薄膜涂布；BOPP；涂层缺陷"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    tangang.refresh_from_db()
    assert tangang.id_number_digest != old_digest
    assert tangang.id_number_masked == id_number_mask(new_number)
    event = AuditEvent.objects.get(action="talent.update", object_id=str(tangang.pk))
    assert event.actor == cast.admin
    assert "id_number_masked" in event.changed_fields and "expertise" in event.changed_fields
    assert new_number not in str(event.before) + str(event.after)


def test_admin_rejects_an_invalid_identity_number(admin_client, cast):
    tangang = cast.talents["tangang"]
    response = admin_client.post(
        admin_url(TalentProfile, "change", tangang.pk),
        _talent_post(tangang, id_number="330106198001010000"),
    )
    assert response.status_code == 200
    assert "id_number" in response.context["adminform"].form.errors


def test_admin_talent_add_goes_through_the_service(admin_client, cast):
    response = admin_client.post(
        admin_url(TalentProfile, "add"),
        {
            "name": "后台新增人才",
            "home_region": "330421",
            "availability": "available",
            "id_number": id_number_for("330421", 4343),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    talent = TalentProfile.objects.get(name="后台新增人才")
    assert talent.id_number_encrypted and talent.id_number_masked
    assert AuditEvent.objects.filter(action="talent.create", object_id=str(talent.pk)).exists()


def test_admin_user_and_membership_adds_are_audited(admin_client, cast):
    """New accounts and roles made in the admin go through user_create / membership_create."""
    response = admin_client.post(
        admin_url(User, "add"),
        {
            "username": "new_officer",
            "display_name": "新干部",
            "password1": "Officer-2026x",
            "password2": "Officer-2026x",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="new_officer")
    assert user.check_password("Officer-2026x")
    assert AuditEvent.objects.filter(action="user.create", object_id=str(user.pk)).exists()

    response = admin_client.post(
        admin_url(Membership, "add"), {"user": user.pk, "role": "officer", "region": "330421"}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    membership = Membership.objects.get(user=user)
    event = AuditEvent.objects.get(action="membership.create", object_id=str(membership.pk))
    assert event.region_id == "330421" and event.actor == cast.admin


def test_admin_user_add_applies_the_password_rules(admin_client, cast):
    response = admin_client.post(
        admin_url(User, "add"),
        {"username": "weak", "password1": "lettersonlyxx", "password2": "lettersonlyxx"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="weak").exists()


def test_pool_add_goes_through_the_service_and_pools_are_not_editable(admin_client, cast):
    response = admin_client.post(
        admin_url(Pool, "add"),
        {"code": "jiashan-experts", "name": "嘉善专家库", "region": "330421"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    pool = Pool.objects.get(code="jiashan-experts")
    assert AuditEvent.objects.filter(action="pool.create", object_id=str(pool.pk)).exists()
    assert admin_client.post(admin_url(Pool, "change", pool.pk), {}).status_code == 403


def test_admin_revokes_tokens_through_the_service(admin_client, cast):
    """The token admin shows no digest and revokes with the accounts service (audited)."""
    token, _key = api_token_create(actor=cast.enterprise_user, name="ERP")
    page = admin_client.get(admin_url(ApiToken, "change", token.pk)).content.decode()
    assert token.digest not in page
    response = admin_client.post(
        admin_url(ApiToken, "changelist"),
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
    )
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    event = AuditEvent.objects.get(action="api_token.revoke", object_id=str(token.pk))
    assert event.actor == cast.admin


def test_directory_records_cannot_be_deleted_in_the_admin(admin_client, cast):
    fulai = cast.orgs["fulai"]
    assert admin_client.post(admin_url(Organisation, "delete", fulai.pk)).status_code == 403
    assert Organisation.objects.filter(pk=fulai.pk).exists()


def test_admin_is_chinese_by_default(admin_client):
    content = admin_client.get(reverse("admin:index")).content.decode()
    assert 'lang="zh-hans"' in content


def test_admin_needs_staff(client, cast):
    client.force_login(cast.officer_jiashan)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
