"""The needs in the back office: readable and searchable, never writable, files never linked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse

from talentflow.needs import services
from talentflow.needs.models import (
    Document,
    Need,
    VerificationRound,
)
from talentflow.needs.tests.builders import SYSTEM, need_in_state

INLINED = {
    "acceptancecriterion",
    "needevent",
    "proposalmember",
    "proposalmilestone",
    "engagementmember",
    "engagementmilestone",
    "criterioncheck",
}


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def records(cast):
    """A closed confidential need with an attachment, a visit and an accepted confidentiality."""
    need = need_in_state(cast, "closed", confidentiality="confidential")
    services.document_add(
        **SYSTEM, need=need, upload=SimpleUploadedFile("工艺参数.pdf", b"%PDF secret")
    )
    services.visit_create(**SYSTEM, enterprise=cast.orgs["xiafeng"], visited_on=dt.date.today())
    services.confidentiality_accept(actor=cast.institution_user, need=need)
    return need


@pytest.fixture
def admin_client(client, cast):
    client.force_login(cast.admin)
    return client


def needs_admins():
    return [(m, a) for m, a in admin.site._registry.items() if m._meta.app_label == "needs"]


def test_every_needs_model_is_in_the_back_office():
    """Each needs model has its page, or is shown inline on its parent's page."""
    registered = {m for m, _a in needs_admins()}
    for model in apps.get_app_config("needs").get_models():
        assert model in registered or model._meta.model_name in INLINED, model


def test_changelists_searches_and_detail_pages_open(admin_client, records):
    """Every needs page lists, searches and shows a row for the administrator."""
    for model, _model_admin in needs_admins():
        url = admin_url(model, "changelist")
        assert admin_client.get(url).status_code == 200, url
        assert admin_client.get(url, {"q": "BOPP"}).status_code == 200, url
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, model
        assert admin_client.get(admin_url(model, "change", obj.pk)).status_code == 200, model


def test_nothing_can_be_added_changed_or_deleted(admin_client, cast, records):
    """Even a superuser only reads: the lifecycle services are the only writers."""
    request = RequestFactory().get("/")
    request.user = cast.admin
    for model, model_admin in needs_admins():
        assert not model_admin.has_add_permission(request), model
        assert not model_admin.has_change_permission(request), model
        assert not model_admin.has_delete_permission(request), model
    need = records
    assert admin_client.get(admin_url(Need, "add")).status_code == 403
    response = admin_client.post(admin_url(Need, "change", need.pk), {"title": "改"})
    assert response.status_code == 403
    assert admin_client.post(admin_url(Need, "delete", need.pk), {"post": "yes"}).status_code == 403
    need.refresh_from_db()
    assert need.title != "改"


def test_need_page_shows_its_timeline_criteria_and_proposals(admin_client, records):
    """The need's page carries its criteria, events and proposals inline."""
    html = admin_client.get(admin_url(Need, "change", records.pk)).text
    assert "良品率" in html  # a criterion
    assert "verification_passed" in html  # an event
    assert "杭州电子科技大学嘉善研究院" in html  # the proposal's institution


def test_documents_are_listed_without_their_file_url(admin_client, records):
    """Names and sizes only: neither the media URL nor the stored file name appears."""
    document = Document.objects.get(need=records)
    for url in (
        admin_url(Document, "changelist"),
        admin_url(Document, "change", document.pk),
        admin_url(Need, "change", records.pk),
    ):
        html = admin_client.get(url).text
        assert "工艺参数.pdf" in html, url
        assert document.file.name not in html, url
        assert "/media/" not in html, url


def test_verification_round_page_shows_its_checks(admin_client, records):
    """A round's page lists the check of each criterion."""
    round_ = VerificationRound.objects.get(engagement__need=records)
    html = admin_client.get(admin_url(VerificationRound, "change", round_.pk)).text
    assert "良品率" in html and "98.6" in html
