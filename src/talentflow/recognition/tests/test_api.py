"""The recognition API: apply, upload evidence, certify in 嘉善, check in 青浦, revoke."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talentflow.accounts.services import api_token_create
from talentflow.recognition.models import Certificate
from talentflow.recognition.tests.builders import upload, zone


def _auth(user) -> dict:
    _token, key = api_token_create(actor=user, name="test")
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.mark.django_db
def test_api_lifecycle(client, cast):
    z = zone(cast)
    talent = _auth(cast.talent_user)
    created = client.post(
        reverse("api:recognition_certificate_apply"),
        {"entry": z.title.pk, "issuing_region": "330421", "title_level": "senior_deputy"},
        content_type="application/json",
        **talent,
    )
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    certify = reverse("api:recognition_certificate_action", args=[pk, "certify"])
    jiashan = _auth(cast.officer_jiashan)
    no_evidence = client.post(certify, {}, content_type="application/json", **jiashan)
    assert no_evidence.status_code == 422
    assert Certificate.objects.get().status == "applied"
    evidence = client.post(
        reverse("api:recognition_certificate_evidence", args=[pk]), {"file": upload()}, **talent
    )
    assert evidence.status_code == 201
    done = client.post(certify, {}, content_type="application/json", **jiashan)
    assert done.status_code == 200 and done.json()["status"] == "certified"

    qingpu = _auth(cast.officer_qingpu)
    detail = client.get(reverse("api:recognition_certificate_detail", args=[pk]), **qingpu).json()
    assert detail["valid_today"] and detail["signature_check"]["valid"]
    assert detail["body"]["issuer"] == "330421" and detail["actions"] == []
    stats = client.get(reverse("api:recognition_stats"), **qingpu).json()
    row = {r["code"]: r for r in stats["regions"]}
    assert row["310118"]["from_partners"] == 1 and row["330421"]["issued_people"]["title"] == 1

    revoke = reverse("api:recognition_certificate_action", args=[pk, "revoke"])
    assert (
        client.post(revoke, {"reason": "x"}, content_type="application/json", **qingpu).status_code
        == 403
    )
    assert (
        client.post(revoke, {"reason": ""}, content_type="application/json", **jiashan).status_code
        == 422
    )
    assert (
        client.post(
            revoke, {"reason": "注销"}, content_type="application/json", **jiashan
        ).status_code
        == 200
    )
    assert (
        client.get(reverse("api:recognition_certificate_detail", args=[pk]), **qingpu).status_code
        == 404
    )
    listed = client.get(
        reverse("api:recognition_certificate_list") + "?valid=true", **jiashan
    ).json()
    assert listed["count"] == 0
