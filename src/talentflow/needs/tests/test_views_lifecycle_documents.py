"""Confidential details and documents: what reaches whom, on the page and as a download."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talentflow.needs import services
from talentflow.needs.models import ConfidentialityAcceptance, Document, Need
from talentflow.needs.tests.builders import SYSTEM, frame, need_in_state, propose
from talentflow.tests.factories import MembershipFactory, UserFactory

DESCRIPTION = "BOPP 薄膜涂布出现窝点缺陷，良品率低。"  # the builder's confidential text
CURRENT_STATE = "现有涂布线良品率 92%。"
SECRET_FILE = b"%PDF-1.4 secret process parameters"
TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def english(client):
    """The pages are asserted by their English msgids, whatever catalogue is compiled."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def confidential(cast, state: str = "published") -> Need:
    need = need_in_state(cast, state, confidentiality="confidential")
    services.document_add(
        **SYSTEM, need=need, upload=SimpleUploadedFile("工艺参数.pdf", SECRET_FILE)
    )
    return need


def attachment(need: Need) -> Document:
    return need.documents.get(kind="attachment")


def download(client, document: Document):
    return client.get(reverse("needs:document_download", args=[document.pk]))


def test_solver_sees_the_summary_only_until_accepting_the_terms(client, cast):
    """An institution reads the public summary and the terms box; the description, current
    state and attachment are nowhere in the page, and the file is a 404 — until it accepts."""
    need = confidential(cast)
    document = attachment(need)
    client.force_login(cast.institution_user)
    html = client.get(reverse("needs:detail", args=[need.pk])).text
    assert need.summary in html
    assert DESCRIPTION not in html and CURRENT_STATE not in html
    assert "工艺参数.pdf" not in html
    assert reverse("needs:document_download", args=[document.pk]) not in html
    assert "Accept the confidentiality terms" in html
    assert "2026-11" in html  # the terms version
    assert download(client, document).status_code == 404

    response = client.post(reverse("needs:accept_terms", args=[need.pk]))
    assert response.status_code == 302
    acceptance = ConfidentialityAcceptance.objects.get(need=need, user=cast.institution_user)
    assert acceptance.terms_version == "2026-11"
    html = client.get(reverse("needs:detail", args=[need.pk])).text
    assert DESCRIPTION in html and CURRENT_STATE in html and "工艺参数.pdf" in html
    assert "Accept the confidentiality terms" not in html
    response = download(client, document)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SECRET_FILE
    assert "attachment;" in response["Content-Disposition"]
    assert "%E5%B7%A5%E8%89%BA%E5%8F%82%E6%95%B0.pdf" in response["Content-Disposition"]


def test_accepting_is_per_user(client, cast):
    """One solver's acceptance opens the details to that solver only."""
    need = confidential(cast)
    client.force_login(cast.institution_user)
    client.post(reverse("needs:accept_terms", args=[need.pk]))
    client.force_login(cast.talent_user)
    assert DESCRIPTION not in client.get(reverse("needs:detail", args=[need.pk])).text
    assert download(client, attachment(need)).status_code == 404


@pytest.mark.parametrize("role", ["enterprise_user", "officer_jiashan", "admin"])
def test_parties_see_the_details_without_accepting(client, cast, role):
    """The enterprise, its talent office and the administrator read and download at once."""
    need = confidential(cast)
    client.force_login(getattr(cast, role))
    assert DESCRIPTION in client.get(reverse("needs:detail", args=[need.pk])).text
    assert download(client, attachment(need)).status_code == 200


def test_engagement_solvers_see_the_details(client, cast):
    """Once engaged, the selected team works with the details without a separate acceptance."""
    need = confidential(cast, "engaged")
    client.force_login(cast.talent_user)
    assert DESCRIPTION in client.get(reverse("needs:detail", args=[need.pk])).text
    assert download(client, attachment(need)).status_code == 200


def test_public_need_shows_details_to_every_viewer(client, cast):
    """Without confidentiality there is nothing to accept."""
    need = need_in_state(cast, "published")
    services.document_add(**SYSTEM, need=need, upload=SimpleUploadedFile("a.pdf", b"%PDF"))
    client.force_login(cast.institution_user)
    html = client.get(reverse("needs:detail", args=[need.pk])).text
    assert DESCRIPTION in html and "Accept the confidentiality terms" not in html
    assert download(client, attachment(need)).status_code == 200


def test_download_is_404_when_the_need_is_not_visible(client, cast):
    """A file of a need out of sight does not exist for the user, even a public one."""
    need = need_in_state(cast, "submitted")
    services.document_add(**SYSTEM, need=need, upload=SimpleUploadedFile("a.pdf", b"%PDF"))
    for user in (cast.institution_user, cast.officer_qingtian, cast.talent_user):
        client.force_login(user)
        assert download(client, attachment(need)).status_code == 404


def test_evidence_documents_are_for_the_parties_only(client, cast):
    """Verification evidence is the parties' (the enterprise, its office, the engagement's
    team): a declined proposer still sees the need, and even after accepting the
    confidentiality terms it does not get the winning team's evidence; a 404 for everyone
    else."""
    need = need_in_state(cast, "published", confidentiality="confidential")
    chosen = propose(cast, need)
    declined = propose(cast, need, organisation=cast.orgs["zju"])
    services.proposal_select(
        **SYSTEM,
        proposal=chosen,
        contract_amount=Decimal("580000"),
        signed_on=TODAY,
        declines={declined.pk: ("cost", "")},
    )
    services.verification_start(**SYSTEM, need=need)
    first, second = need.criteria.all()
    round_ = services.verification_record(
        **SYSTEM,
        need=need,
        checks=[
            {"criterion": first, "passed": True, "measured_value": "98.7"},
            {"criterion": second, "passed": True},
        ],
    )
    document = services.document_add(
        **SYSTEM,
        need=need,
        upload=SimpleUploadedFile("检测报告.pdf", b"%PDF report"),
        kind="evidence",
        check=round_.checks.first(),
    )
    zju_user = UserFactory(username="zju_institution")
    MembershipFactory(user=zju_user, role="institution", organisation=cast.orgs["zju"])
    for user in (cast.enterprise_user, cast.officer_jiashan, cast.institution_user):
        client.force_login(user)
        assert download(client, document).status_code == 200
    client.force_login(zju_user)
    assert client.get(reverse("needs:detail", args=[need.pk])).status_code == 200
    assert download(client, document).status_code == 404
    client.post(reverse("needs:accept_terms", args=[need.pk]))
    assert download(client, document).status_code == 404
    client.force_login(cast.officer_qingtian)
    assert download(client, document).status_code == 404


def test_accept_terms_on_a_public_need_says_there_is_nothing_to_accept(client, cast):
    """Accepting terms of a public need changes nothing and says why."""
    need = need_in_state(cast, "published")
    client.force_login(cast.institution_user)
    response = client.post(reverse("needs:accept_terms", args=[need.pk]), follow=True)
    assert "This need has no confidential details." in response.text
    assert not ConfidentialityAcceptance.objects.exists()


def test_accept_terms_is_404_for_an_invisible_need(client, cast):
    """One cannot accept the terms of a need one cannot see."""
    need = need_in_state(cast, "submitted", confidentiality="confidential")
    client.force_login(cast.institution_user)
    assert client.post(reverse("needs:accept_terms", args=[need.pk])).status_code == 404
    assert client.get(reverse("needs:accept_terms", args=[need.pk])).status_code == 405


# Uploads -------------------------------------------------------------------------------------


def upload(client, need: Need, *files):
    return client.post(
        reverse("needs:document_upload", args=[need.pk]), {"attachments": list(files)}
    )


def test_enterprise_attaches_files_to_its_draft(client, cast):
    """Several files at once become attachments, with their original names and sizes."""
    need = need_in_state(cast, "draft")
    client.force_login(cast.enterprise_user)
    assert client.get(reverse("needs:document_upload", args=[need.pk])).status_code == 200
    response = upload(
        client,
        need,
        SimpleUploadedFile("图纸.pdf", b"%PDF drawing"),
        SimpleUploadedFile("data.xlsx", b"PK\x03\x04 sheet"),
    )
    assert response.status_code == 302
    assert sorted(need.documents.values_list("original_name", "size", "uploaded_by")) == [
        ("data.xlsx", 10, cast.enterprise_user.pk),
        ("图纸.pdf", 12, cast.enterprise_user.pk),
    ]


def test_upload_refuses_types_not_accepted(client, cast):
    """An executable is refused with the reason; nothing is stored."""
    need = need_in_state(cast, "draft")
    client.force_login(cast.enterprise_user)
    response = upload(
        client,
        need,
        SimpleUploadedFile("ok.pdf", b"%PDF"),
        SimpleUploadedFile("run.exe", b"MZ"),
    )
    assert response.status_code == 200
    assert "run.exe: files of type .exe are not accepted." in response.text
    assert not need.documents.exists()


def test_upload_refuses_files_over_the_size_limit(client, cast, settings):
    """A file above TALENTFLOW_DOCUMENT_MAX_BYTES is refused."""
    settings.TALENTFLOW_DOCUMENT_MAX_BYTES = 1024 * 1024
    need = need_in_state(cast, "draft")
    client.force_login(cast.enterprise_user)
    response = upload(client, need, SimpleUploadedFile("big.pdf", b"x" * (1024 * 1024 + 1)))
    assert response.status_code == 200
    assert "big.pdf is larger than 1 MB." in response.text
    assert not need.documents.exists()


def test_upload_requires_a_file(client, cast):
    """Sending the form empty asks for a file."""
    need = need_in_state(cast, "draft")
    client.force_login(cast.enterprise_user)
    response = upload(client, need)
    assert response.status_code == 200 and "This field is required." in response.text


@pytest.mark.parametrize(
    ("state", "role", "status"),
    [
        ("submitted", "enterprise_user", 403),
        ("submitted", "officer_jiashan", 200),
        ("published", "institution_user", 403),
        ("draft", "officer_jiashan", 404),
    ],
)
def test_upload_follows_the_edit_permission(client, cast, state, role, status):
    """Attachments are added by whoever may edit the need now."""
    need = need_in_state(cast, state)
    client.force_login(getattr(cast, role))
    assert client.get(reverse("needs:document_upload", args=[need.pk])).status_code == status


def test_create_with_attachments_and_a_bad_file_stores_nothing(client, cast):
    """The need and its files are saved together or not at all."""
    client.force_login(cast.enterprise_user)
    data = {
        "title": "带附件的需求",
        "summary": "摘要",
        "confidentiality": "confidential",
        "attachments": [
            SimpleUploadedFile("spec.pdf", b"%PDF"),
            SimpleUploadedFile("virus.bat", b"echo"),
        ],
    }
    response = client.post(reverse("needs:create"), data)
    assert response.status_code == 200
    assert "virus.bat: files of type .bat are not accepted." in response.text
    assert not Need.objects.exists() and not Document.objects.exists()
    data["attachments"] = [SimpleUploadedFile("spec.pdf", b"%PDF")]
    assert client.post(reverse("needs:create"), data).status_code == 302
    need = Need.objects.get()
    assert list(need.documents.values_list("original_name", flat=True)) == ["spec.pdf"]


def test_timeline_notes_of_a_confidential_need_wait_for_the_terms(client, cast):
    """A return reason may quote the problem: a solver reads the notes of a confidential
    need's timeline only after accepting the terms."""
    need = need_in_state(cast, "returned", confidentiality="confidential")
    reason = "请补充现有工艺参数。"  # the builder's return reason
    services.need_submit(**SYSTEM, need=need)
    frame(need)
    services.need_publish(**SYSTEM, need=need)
    url = reverse("needs:timeline", args=[need.pk])
    client.force_login(cast.institution_user)
    html = client.get(url).text
    assert 'data-action="return"' in html and reason not in html
    client.post(reverse("needs:accept_terms", args=[need.pk]))
    assert reason in client.get(url).text


def test_confidential_text_never_in_the_list_or_the_timeline(client, cast):
    """A solver reading the list and the timeline of a confidential need meets no detail."""
    need = confidential(cast)
    client.force_login(cast.institution_user)
    for url in (reverse("needs:list"), reverse("needs:timeline", args=[need.pk])):
        html = client.get(url).text
        assert DESCRIPTION not in html and CURRENT_STATE not in html
    assert re.search(r"Confidential", client.get(reverse("needs:list")).text)
