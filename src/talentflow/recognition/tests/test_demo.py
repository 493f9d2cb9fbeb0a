"""The recognition step after the demo's directory steps (users, named and generated
organisations and talents, roles) at a small scale: the catalogue holds the seed figures in
full, the people recognised are the scaled figures, and what one member region certifies is
counted in the other two (三地互认) — but not once revoked."""

from __future__ import annotations

import io

import pytest
from django.db import transaction
from django.utils.translation import gettext_lazy

from talentflow.accounts.models import User
from talentflow.demo import logins
from talentflow.demo.context import DemoContext, Step
from talentflow.demo.loader import STEPS, demo_load
from talentflow.recognition import selectors
from talentflow.recognition.demo import (
    JIASHAN,
    QINGPU,
    REGIONS,
    REVOKE_REASON,
    WUJIANG,
    recognition_create,
    targets,
)
from talentflow.recognition.models import Certificate, CertificateStatus, Kind

SMALL = 0.03
DIRECTORY = STEPS[: STEPS.index(next(s for s in STEPS if s.run is logins.memberships_create)) + 1]


@pytest.fixture(scope="module")
def _demo_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield demo_load(
                scale=SMALL,
                steps=[*DIRECTORY, Step(gettext_lazy("Recognition"), recognition_create)],
            )
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def demo(_demo_module, db):
    return _demo_module


@pytest.fixture
def admin(demo):
    return User.objects.get(username="admin")


def _rows(user) -> dict[str, selectors.RegionRow]:
    return {r.code: r for r in selectors.region_stats(user=user) if r.code in REGIONS}


def test_catalogue_opens_57_qualifications_and_27_title_series(admin):
    counts = {c.kind: c.entries for c in selectors.catalogue_counts(user=admin)}
    assert counts == {
        Kind.QUALIFICATION: 57,
        Kind.TITLE: 27,
        Kind.WORK_PERMIT: 2,
        Kind.CONTINUING_EDUCATION: 2,
    }


def test_people_recognised_are_the_scaled_figures(admin):
    expected = targets(DemoContext(out=io.StringIO(), scale=SMALL))
    rows = _rows(admin)
    assert set(rows) == {JIASHAN, QINGPU, WUJIANG}
    for kind in (Kind.TITLE, Kind.QUALIFICATION, Kind.CONTINUING_EDUCATION):
        assert {c: r.issued_people[kind] for c, r in rows.items()} == expected[kind]
    # Each region certifies its own talents only, but for 谭刚 (home 杭州, serving 福莱 in
    # 嘉善), whose title 嘉善 recognises so that the demo's talent login holds a code.
    for certificate in Certificate.objects.select_related("talent"):
        if certificate.talent.name == "谭刚":
            assert certificate.issuing_region_id == JIASHAN
            assert certificate.status == "certified"
            continue
        assert certificate.talent.home_region_id == certificate.issuing_region_id


def test_full_scale_figures_are_the_articles():
    full = targets(DemoContext(out=io.StringIO(), scale=1.0))
    assert sum(full[Kind.TITLE].values()) == 388
    assert sum(full[Kind.QUALIFICATION].values()) == 412


def test_open_rejected_and_revoked_certificates(demo):
    by_status = {
        s: list(Certificate.objects.filter(status=s))
        for s in (CertificateStatus.APPLIED, CertificateStatus.REJECTED, CertificateStatus.REVOKED)
    }
    assert len(by_status[CertificateStatus.APPLIED]) == 2 * len(REGIONS)
    [rejected] = by_status[CertificateStatus.REJECTED]
    assert rejected.issuing_region_id == QINGPU and rejected.reject_reason
    [revoked] = by_status[CertificateStatus.REVOKED]
    assert revoked.issuing_region_id == JIASHAN
    assert revoked.revoked_reason == REVOKE_REASON and revoked.revoked_at is not None
    for certificate in Certificate.objects.exclude(status=CertificateStatus.APPLIED):
        assert 2024 <= certificate.applied_at.year <= 2026
    certified = Certificate.objects.filter(status=CertificateStatus.CERTIFIED)
    assert all(selectors.signature_check(c).valid for c in certified[:10])


def test_jiashan_certificate_is_counted_in_qingpu_and_wujiang_revoked_one_is_not(admin):
    rows = _rows(admin)
    certified = Certificate.objects.filter(status=CertificateStatus.CERTIFIED)
    issued = {code: certified.filter(issuing_region_id=code).count() for code in REGIONS}
    assert all(issued.values())
    for code in REGIONS:
        assert rows[code].issued == issued[code]
        assert rows[code].from_partners == sum(issued.values()) - issued[code]

    jiashan = certified.filter(issuing_region_id=JIASHAN, kind=Kind.TITLE).first()
    revoked = Certificate.objects.get(status=CertificateStatus.REVOKED)
    for code in (QINGPU, WUJIANG):
        valid_there = selectors.valid_in(code)
        assert valid_there.filter(pk=jiashan.pk).exists()
        assert not valid_there.filter(pk=revoked.pk).exists()
    officer = User.objects.get(username="officer_qingpu")
    visible = selectors.certificate_visible(user=officer)
    assert visible.filter(pk=jiashan.pk).exists()
    assert not visible.filter(pk=revoked.pk).exists()
    # The revoked talent is counted by nobody.
    assert not selectors.current_certificates(revoked.talent).filter(kind=Kind.TITLE).exists()


def test_running_again_adds_nothing(demo):
    before = Certificate.objects.count()
    assert recognition_create(DemoContext(out=io.StringIO(), scale=SMALL)) == 0
    assert Certificate.objects.count() == before
