"""The talent-code pages: the published lists, the talent's code page (fresh, refreshed,
greyed out), the catalogue with its filters and export, service management, the counter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from talentflow.credentials import keys
from talentflow.credentials.lists import open_list
from talentflow.credentials.models import Revocation, Service
from talentflow.credentials.tests.builders import SERVICE_NAME, jiashan_result, qingpu_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def english(settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        yield


def test_published_lists_need_no_login_and_verify_against_the_root(client, cast):
    root = client.get(reverse("credentials:root")).json()
    assert root["spki"] == keys.root_spki()
    trust = client.get(reverse("credentials:trust_list")).json()
    body = open_list(trust, root["spki"])
    assert {k["region"] for k in body["keys"]} == {"330421", "310118", "320509"}
    revocations = client.get(reverse("credentials:revocations") + "?since=0").json()
    assert open_list(revocations, root["spki"])["entries"] == []


def test_revocation_shows_up_in_the_published_list(
    client, cast, django_capture_on_commit_callbacks
):
    from talentflow.evaluation import services as evaluation

    result = jiashan_result(cast.officer_jiashan, cast.talents["tangang"])
    with django_capture_on_commit_callbacks(execute=True):
        evaluation.result_revoke(actor=cast.officer_jiashan, result=result, reason="撤销")
    # The signal synced it already.
    assert Revocation.objects.filter(source=f"result:{result.pk}").exists()
    signed = client.get(reverse("credentials:revocations") + "?since=0").json()
    body = open_list(signed, keys.root_spki())
    assert body["seq"] == 1 and len(body["entries"]) == 1
    later = open_list(
        client.get(reverse("credentials:revocations") + "?since=1").json(), keys.root_spki()
    )
    assert later["entries"] == [] and later["seq"] == 1


def test_my_code_page_shows_a_fresh_qr_and_refreshes(client, cast, english, settings):
    settings.TALENTFLOW_CODE_SECONDS = 120
    jiashan_result(cast.officer_jiashan, cast.talents["tangang"], tier="C")
    client.force_login(cast.talent_user)
    page = client.get(reverse("credentials:my_code"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html and 'data-state="valid"' in html
    assert "谭*" in html and "谭刚</p>" not in html
    assert 'hx-trigger="every 90s"' in html  # before the 120 s expiry
    assert page["Cache-Control"] == "no-store"
    # The htmx refresh answers the card alone, with another code.
    partial = client.get(reverse("credentials:my_code"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and 'id="talent-code"' in partial
    assert "TF1:" in partial.split('id="code-text"')[1] and "<svg" in partial


def test_my_code_page_greys_out_when_revoked(client, cast, english):
    from talentflow.evaluation import services as evaluation

    result = jiashan_result(cast.officer_jiashan, cast.talents["tangang"], tier="C")
    evaluation.result_revoke(actor=cast.officer_jiashan, result=result, reason="撤销")
    client.force_login(cast.talent_user)
    html = client.get(reverse("credentials:my_code")).content.decode()
    assert 'data-state="lapsed"' in html and "<svg" not in html.split('id="talent-code"')[1]
    assert "was revoked" in html


def test_my_code_page_greys_out_when_lapsed(client, cast, english):
    from talentflow.evaluation.models import EvaluationResult
    from talentflow.reference.models import Region

    EvaluationResult.objects.create(
        talent=cast.talents["tangang"],
        category="other",
        tier="D",
        region=Region.objects.get(code="330421"),
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2022, 12, 31),
        source="direct",
    )
    client.force_login(cast.talent_user)
    html = client.get(reverse("credentials:my_code")).content.decode()
    assert 'data-state="lapsed"' in html and "lapsed on 2022-12-31" in html


def test_catalogue_filters_search_and_export(client, cast, english):
    qingpu_service(cast.officer_qingpu, cast.orgs["qingpu_apartment"])
    qingpu_service(
        cast.officer_qingpu,
        cast.orgs["qingpu_apartment"],
        code="qp-bus",
        name="青浦人才公交卡",
        group="transport",
        tiers="ABCDE",
        limit="per_year",
        limit_count=12,
    )
    client.force_login(cast.enterprise_user)
    url = reverse("credentials:service_list")
    html = client.get(url).content.decode()
    assert SERVICE_NAME in html and "青浦人才公交卡" in html and "12 times a year" in html
    html = client.get(url, {"group": "transport"}).content.decode()
    assert SERVICE_NAME not in html and "青浦人才公交卡" in html
    html = client.get(url, {"tier": "E"}).content.decode()
    assert SERVICE_NAME not in html and "青浦人才公交卡" in html
    html = client.get(url, {"q": "首次入住"}).content.decode()
    assert SERVICE_NAME in html and "青浦人才公交卡" not in html
    html = client.get(url, {"q": "没有这个"}).content.decode()
    assert "No service matches these filters." in html
    export = client.get(reverse("credentials:service_export", kwargs={"fmt": "csv"}))
    text = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "服务名称" in text and SERVICE_NAME in text and "青浦人才公交卡" in text


def test_officer_adds_and_edits_a_service(client, cast, english):
    client.force_login(cast.officer_qingpu)
    form = {
        "code": "qp-clinic",
        "name": "青浦人才门诊绿色通道",
        "region": "310118",
        "provider": cast.orgs["qingpu_apartment"].pk,
        "group": "medical",
        "eligible_tiers": ["A", "B", "C"],
        "limit": "per_year",
        "limit_count": 4,
        "description": "",
        "active": "on",
    }
    response = client.post(reverse("credentials:service_create"), form)
    service = Service.objects.get(code="qp-clinic")
    assert response.status_code == 302 and service.eligible_tiers == "ABC"
    assert service.limit_count == 4
    response = client.post(
        reverse("credentials:service_edit", args=[service.pk]), {**form, "limit": "once"}
    )
    service.refresh_from_db()
    assert response.status_code == 302 and service.limit == "once" and service.limit_count == 1
    # Another region's officer may see it but not change it.
    client.force_login(cast.officer_jiashan)
    assert client.get(reverse("credentials:service_edit", args=[service.pk])).status_code == 403


def test_service_form_refuses_a_provider_of_another_region(client, cast, english):
    client.force_login(cast.admin)
    response = client.post(
        reverse("credentials:service_create"),
        {
            "code": "js-x",
            "name": "x",
            "region": "330421",
            "provider": cast.orgs["qingpu_apartment"].pk,
            "group": "medical",
            "eligible_tiers": ["A"],
            "limit": "once",
            "limit_count": 1,
        },
    )
    assert response.status_code == 200
    assert "The provider is not in this region." in response.content.decode()
    assert not Service.objects.filter(code="js-x").exists()


def test_counter_page_carries_the_root_key_and_the_providers_services(client, cast):
    service = qingpu_service(cast.officer_qingpu, cast.orgs["qingpu_apartment"])
    client.force_login(cast.provider_qingpu)
    html = client.get(reverse("credentials:verify")).content.decode()
    assert keys.root_spki() in html
    assert "credentials/verify.js" in html and "vendor/jsqr/jsQR.js" in html
    assert f'"id": {service.pk}' in html and '"limit": "once"' in html
    assert reverse("api:credentials_redemption_create") in html
    # The service worker that keeps the page for a reload with no network.
    assert f'data-worker-url="{reverse("credentials:counter_worker")}"' in html
    assert 'data-worker-scope="/credentials/verify/"' in html


def test_counter_worker_is_scoped_to_the_page_and_names_only_paths(client, cast):
    import json

    from talentflow.credentials.views import COUNTER_CACHE

    response = client.get(reverse("credentials:counter_worker"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Cache-Control"] == "no-cache"
    # Served from the page's own folder, so its default scope covers the page.
    page = reverse("credentials:verify")
    assert reverse("credentials:counter_worker").rsplit("/", 1)[0] + "/" == page
    body = response.content.decode()
    config = json.loads(body.split("const CONFIG = ", 1)[1].split(";\n", 1)[0])
    assert config == {
        "cache": COUNTER_CACHE,
        "prefix": "talentflow-counter-",
        "page": page,
        "static": "/static/",
    }
    assert COUNTER_CACHE.startswith(config["prefix"])
    assert client.post(reverse("credentials:counter_worker")).status_code == 405


def test_counter_worker_is_served_with_hashed_static_names(client, settings, tmp_path):
    """Deployments (and the demo) serve static files under hashed names from a manifest."""
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    response = client.get(reverse("credentials:counter_worker"))
    assert response.status_code == 200
    assert '"static": "/static/"' in response.content.decode()
