"""The recognition pages: the partner's certificate page with the signature check, the
talent's application, the issuer's actions, the figures, the catalogue export."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talentflow.recognition.models import Certificate, CertificateStatus
from talentflow.recognition.tests.builders import JIASHAN, certified, upload, zone


@pytest.mark.django_db
def test_partner_sees_checks_and_loses_a_revoked_certificate(client, cast):
    z = zone(cast)
    certificate = certified(cast, z.qualification)
    client.force_login(cast.officer_qingpu)
    page = client.get(certificate.get_absolute_url())
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-signature="valid"' in text and certificate.kid in text
    assert "valid in your region without re-examination" in text
    assert (
        'action="' + reverse("recognition:certificate_action", args=[certificate.pk, "revoke"])
        not in text
    )  # the partner cannot revoke
    listing = client.get(reverse("recognition:certificate_list") + "?valid=on")
    assert f'data-certificate="{certificate.pk}"' in listing.content.decode()

    client.force_login(cast.officer_jiashan)
    done = client.post(
        reverse("recognition:certificate_action", args=[certificate.pk, "revoke"]),
        {"reason": "资格证书被原发证机关注销"},
    )
    assert done.status_code == 302
    client.force_login(cast.officer_qingpu)
    assert client.get(certificate.get_absolute_url()).status_code == 404
    listing = client.get(reverse("recognition:certificate_list"))
    assert f'data-certificate="{certificate.pk}"' not in listing.content.decode()


@pytest.mark.django_db
def test_tampered_certificate_page_says_invalid(client, cast):
    z = zone(cast)
    certificate = certified(cast, z.permit)
    Certificate.objects.filter(pk=certificate.pk).update(talent=cast.talents["student"])
    client.force_login(cast.officer_jiashan)
    text = client.get(certificate.get_absolute_url()).content.decode()
    assert 'data-signature="invalid"' in text


@pytest.mark.django_db
def test_talent_applies_with_evidence_and_the_issuer_certifies(client, cast):
    z = zone(cast)
    client.force_login(cast.talent_user)
    url = reverse("recognition:certificate_apply")
    refused = client.post(url, {"entry": z.hours.pk, "issuing_region": JIASHAN})
    assert refused.status_code == 200  # no evidence, no hours
    assert not Certificate.objects.exists()
    response = client.post(
        url,
        {
            "entry": z.hours.pk,
            "issuing_region": JIASHAN,
            "hours": "72",
            "evidence": upload(),
        },
    )
    certificate = Certificate.objects.get()
    assert response.status_code == 302 and response["Location"] == certificate.get_absolute_url()
    assert certificate.evidence.count() == 1

    action = reverse("recognition:certificate_action", args=[certificate.pk, "certify"])
    assert client.post(action).status_code == 403  # the talent does not certify
    client.force_login(cast.officer_jiashan)
    bad = client.post(action, {"valid_until": "not a date"})
    assert bad.status_code == 302
    assert Certificate.objects.get().status == CertificateStatus.APPLIED
    client.post(action, {"valid_until": ""})
    assert Certificate.objects.get().status == CertificateStatus.CERTIFIED
    unknown = reverse("recognition:certificate_action", args=[certificate.pk, "approve"])
    assert client.post(unknown).status_code == 404


@pytest.mark.django_db
def test_stats_and_catalogue_pages(client, cast):
    z = zone(cast)
    certified(cast, z.title)
    client.force_login(cast.officer_qingpu)
    text = client.get(reverse("recognition:stats")).content.decode()
    assert 'id="recognition-chart-data"' in text
    assert 'data-region="310118"' in text and 'data-region="320509"' in text
    client.force_login(cast.student_user)
    page = client.get(reverse("recognition:catalogue_list") + "?kind=work_permit")
    assert "外国高端人才（A类）工作许可" in page.content.decode()
    assert "专业技术人员继续教育学时" not in page.content.decode()
    export = client.get(reverse("recognition:catalogue_export", args=["csv"]))
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "互认起始" in body and z.title.title_series.name in body
    assert client.get(reverse("recognition:stats")).status_code == 403
