"""一地认定、三地互认: a certificate certified in 嘉善 is valid, visible, counted and verifiable in
青浦 and 吴江, and disappears everywhere when 嘉善 revokes it; only the issuing region's officer
certifies; a tampered record shows an invalid signature; bad input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from talentflow.core.models import AuditEvent
from talentflow.recognition import selectors, services
from talentflow.recognition.models import Certificate, CertificateStatus, Evidence, Kind
from talentflow.recognition.tests.builders import (
    JIASHAN,
    QINGPU,
    SYSTEM,
    WUJIANG,
    apply,
    certified,
    today,
    upload,
    zone,
)
from talentflow.reference.models import Region


def _counted(user, region: str) -> dict:
    return {r.code: r for r in selectors.region_stats(user=user)}[region]


@pytest.mark.django_db
def test_certified_in_jiashan_is_valid_in_qingpu_and_wujiang_until_revoked(cast):
    z = zone(cast)
    certificate = certified(cast, z.qualification)
    talent = cast.talents["tangang"]
    partners = {"青浦": cast.officer_qingpu, "吴江": z.officer_wujiang}

    # One record, valid everywhere: the contract J reads, and the region views.
    assert list(selectors.current_certificates(talent)) == [certificate]
    for code in (JIASHAN, QINGPU, WUJIANG):
        assert certificate in selectors.valid_in(code)
    for officer in partners.values():
        assert selectors.certificate_visible(user=officer).filter(pk=certificate.pk).exists()
        assert (
            selectors.certificate_list(
                user=officer, filters=selectors.CertificateFilters(valid=True)
            )
            .filter(pk=certificate.pk)
            .exists()
        )
        check = selectors.signature_check(
            selectors.certificate_get(user=officer, pk=certificate.pk)
        )
        assert check.signed and check.valid
        assert check.region_code == JIASHAN
    # Counted: issued by 嘉善, recognised in 青浦 and 吴江 as issued by a partner.
    stats = {code: _counted(cast.officer_qingpu, code) for code in (JIASHAN, QINGPU, WUJIANG)}
    assert stats[JIASHAN].issued == 1
    assert stats[JIASHAN].issued_people[Kind.QUALIFICATION] == 1
    assert stats[JIASHAN].from_partners == 0
    assert stats[QINGPU].from_partners == 1
    assert stats[WUJIANG].from_partners == 1
    assert stats[QINGPU].issued == 0
    # Not seen outside the alliance.
    assert not selectors.certificate_visible(user=cast.officer_qingtian).exists()

    services.certificate_revoke(
        actor=cast.officer_jiashan, certificate=certificate, reason="证书系伪造"
    )
    assert not selectors.current_certificates(talent).exists()
    for code in (JIASHAN, QINGPU, WUJIANG):
        assert not selectors.valid_in(code).exists()
        assert _counted(cast.officer_jiashan, code).from_partners == 0
        assert _counted(cast.officer_jiashan, code).issued == 0
    for officer in partners.values():
        assert not selectors.certificate_visible(user=officer).filter(pk=certificate.pk).exists()
    # The issuer and the talent still see it, revoked; the talent code's list picks it up.
    assert selectors.certificate_get(user=cast.officer_jiashan, pk=certificate.pk).status == (
        CertificateStatus.REVOKED
    )
    assert selectors.certificate_get(user=cast.talent_user, pk=certificate.pk).revoked_at
    assert list(selectors.revoked_since()) == [certificate]
    assert not selectors.revoked_since(Certificate.objects.get().revoked_at).exists()


@pytest.mark.django_db
def test_only_the_issuing_regions_officer_certifies(cast):
    z = zone(cast)
    certificate = apply(cast, z.title)
    for user in (
        cast.officer_qingpu,
        z.officer_wujiang,
        cast.officer_qingtian,
        cast.talent_user,
        cast.enterprise_user,
        cast.admin,
    ):
        with pytest.raises(PermissionDenied):
            services.certificate_certify(actor=user, certificate=certificate)
    certificate.refresh_from_db()
    assert certificate.status == CertificateStatus.APPLIED
    assert not certificate.signature
    done = services.certificate_certify(actor=cast.officer_jiashan, certificate=certificate)
    assert done.status == CertificateStatus.CERTIFIED
    assert done.certified_on == today()
    assert done.valid_until == services.add_years(today(), 5)  # a title holds five years
    assert (done.valid_until - today()).days in range(5 * 365 - 2, 5 * 366)
    assert done.kid and done.signature
    # 青浦 cannot revoke what 嘉善 issued.
    with pytest.raises(PermissionDenied):
        services.certificate_revoke(actor=cast.officer_qingpu, certificate=done, reason="x")


@pytest.mark.django_db
def test_a_tampered_certificate_shows_an_invalid_signature(cast):
    z = zone(cast)
    certificate = certified(cast, z.hours)
    assert selectors.signature_check(certificate).valid
    Certificate.objects.filter(pk=certificate.pk).update(hours=900)
    tampered = Certificate.objects.get(pk=certificate.pk)
    check = selectors.signature_check(tampered)
    assert check.signed and not check.valid
    # So does a later end date, or moving it to another issuer.
    Certificate.objects.filter(pk=certificate.pk).update(
        hours=90, valid_until=certificate.valid_until + dt.timedelta(days=3650)
    )
    assert not selectors.signature_check(Certificate.objects.get(pk=certificate.pk)).valid
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_until=certificate.valid_until, issuing_region=QINGPU
    )
    assert not selectors.signature_check(Certificate.objects.get(pk=certificate.pk)).valid
    Certificate.objects.filter(pk=certificate.pk).update(issuing_region=JIASHAN)
    assert selectors.signature_check(Certificate.objects.get(pk=certificate.pk)).valid


@pytest.mark.django_db
def test_a_signature_by_another_regions_key_is_invalid(cast):
    """A key of the trust list, but not the issuer's: 青浦's key cannot sign for 嘉善."""
    from talentflow.credentials import keys

    z = zone(cast)
    certificate = certified(cast, z.permit)
    forged = keys.sign_body(QINGPU, certificate.signed_body())
    Certificate.objects.filter(pk=certificate.pk).update(kid=forged["kid"], signature=forged["sig"])
    assert not selectors.signature_check(Certificate.objects.get(pk=certificate.pk)).valid


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("action", "actor", "state", "outcome"),
    [
        ("certify", "officer_jiashan", "applied", "certified"),
        ("certify", "officer_qingpu", "applied", PermissionDenied),
        ("certify", "talent_user", "applied", PermissionDenied),
        ("reject", "officer_jiashan", "applied", "rejected"),
        ("reject", "officer_qingpu", "applied", PermissionDenied),
        ("withdraw", "talent_user", "applied", "withdrawn"),
        ("withdraw", "officer_jiashan", "applied", PermissionDenied),
        ("revoke", "officer_jiashan", "certified", "revoked"),
        ("revoke", "officer_qingpu", "certified", PermissionDenied),
        ("revoke", "talent_user", "certified", PermissionDenied),
        ("revoke", "officer_jiashan", "applied", ValidationError),
        ("certify", "officer_jiashan", "certified", ValidationError),
        ("withdraw", "talent_user", "certified", ValidationError),
    ],
)
def test_transitions_per_role(cast, action, actor, state, outcome):
    z = zone(cast)
    certificate = (certified if state == "certified" else apply)(cast, z.qualification)
    before = AuditEvent.objects.count()
    kwargs = {"reason": "理由"} if action in {"reject", "revoke"} else {}
    if isinstance(outcome, str):
        done = services.certificate_transition(
            actor=getattr(cast, actor), certificate=certificate, action=action, **kwargs
        )
        assert done.status == outcome
        assert AuditEvent.objects.count() == before + 1
    else:
        with pytest.raises(outcome):
            services.certificate_transition(
                actor=getattr(cast, actor), certificate=certificate, action=action, **kwargs
            )
        assert Certificate.objects.get(pk=certificate.pk).status == state
        assert AuditEvent.objects.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("entry", "changes", "field"),
    [
        ("qualification", {"issuing_region": "331121"}, "issuing_region"),  # 青田: not a member
        ("title", {"title_level": ""}, "title_level"),
        ("title", {"title_level": "bogus"}, "title_level"),
        ("hours", {"hours": 0}, "hours"),
        ("hours", {"hours": None}, "hours"),
        ("qualification", {"uploads": []}, "evidence"),
        ("qualification", {"uploads": [upload("virus.exe")]}, "evidence"),
    ],
)
def test_bad_applications_change_nothing(cast, entry, changes, field):
    z = zone(cast)
    kwargs = {
        "actor": cast.talent_user,
        "talent": cast.talents["tangang"],
        "entry": getattr(z, entry),
        "issuing_region": Region.objects.get(code=JIASHAN),
        "uploads": [upload()],
        "title_level": "senior_deputy",
        "hours": 40,
    }
    if "issuing_region" in changes:
        changes = {"issuing_region": Region.objects.get(code=changes["issuing_region"])}
    kwargs.update(changes)
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as error:
        services.certificate_apply(**kwargs)
    assert field in error.value.message_dict
    assert not Certificate.objects.exists()
    assert not Evidence.objects.exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db
def test_only_the_talent_applies_and_not_twice(cast):
    z = zone(cast)
    with pytest.raises(PermissionDenied):
        services.certificate_apply(
            actor=cast.officer_jiashan,
            talent=cast.talents["tangang"],
            entry=z.permit,
            issuing_region=Region.objects.get(code=JIASHAN),
            uploads=[upload()],
        )
    apply(cast, z.permit)
    with pytest.raises(ValidationError):
        apply(cast, z.permit, QINGPU)
    assert Certificate.objects.count() == 1


@pytest.mark.django_db
def test_revoke_and_reject_need_a_reason(cast):
    z = zone(cast)
    certificate = certified(cast, z.permit)
    with pytest.raises(ValidationError):
        services.certificate_revoke(actor=cast.officer_jiashan, certificate=certificate, reason=" ")
    assert Certificate.objects.get(pk=certificate.pk).revoked_at is None
    other = apply(cast, z.hours)
    with pytest.raises(ValidationError):
        services.certificate_reject(actor=cast.officer_jiashan, certificate=other, reason="")
    assert Certificate.objects.get(pk=other.pk).status == CertificateStatus.APPLIED


@pytest.mark.django_db
def test_current_certificates_on_a_day(cast):
    z = zone(cast)
    certificate = certified(cast, z.hours)  # one year
    talent = cast.talents["tangang"]
    assert selectors.current_certificates(talent, on=today()).count() == 1
    assert not selectors.current_certificates(talent, on=today() - dt.timedelta(days=1)).exists()
    assert not selectors.current_certificates(
        talent, on=certificate.valid_until + dt.timedelta(days=1)
    ).exists()


@pytest.mark.django_db
def test_catalogue_maintained_by_member_officers_only(cast):
    z = zone(cast)
    with pytest.raises(PermissionDenied):
        services.catalogue_create(
            actor=cast.officer_qingtian,
            alliance=z.alliance,
            kind=Kind.WORK_PERMIT,
            name="B类",
            since=today(),
        )
    entry = services.catalogue_create(
        actor=cast.officer_qingpu,
        alliance=z.alliance,
        kind=Kind.WORK_PERMIT,
        name="B类",
        since=today(),
    )
    with pytest.raises(ValidationError):  # the same again
        services.catalogue_create(
            actor=cast.officer_qingpu,
            alliance=z.alliance,
            kind=Kind.WORK_PERMIT,
            name="B类",
            since=today(),
        )
    with pytest.raises(ValidationError):  # a qualification without the qualification
        services.catalogue_create(
            actor=cast.officer_qingpu, alliance=z.alliance, kind=Kind.QUALIFICATION, since=today()
        )
    counts = {c.kind: c.entries for c in selectors.catalogue_counts(user=cast.student_user)}
    assert counts == {
        Kind.WORK_PERMIT: 2,
        Kind.QUALIFICATION: 1,
        Kind.TITLE: 1,
        Kind.CONTINUING_EDUCATION: 1,
    }
    services.catalogue_remove(actor=cast.officer_jiashan, entry=entry)
    apply(cast, z.permit)
    with pytest.raises(ValidationError):  # certificates refer to it
        services.catalogue_remove(actor=cast.officer_jiashan, entry=z.permit)


@pytest.mark.django_db
def test_system_task_may_backdate(cast):
    z = zone(cast)
    day = today() - dt.timedelta(days=100)
    at = dt.datetime(day.year, day.month, day.day, 4, tzinfo=dt.UTC)
    certificate = services.certificate_apply(
        talent=cast.talents["tangang"],
        entry=z.qualification,
        issuing_region=Region.objects.get(code=WUJIANG),
        at=at,
        **SYSTEM,
    )
    done = services.certificate_certify(certificate=certificate, at=at, **SYSTEM)
    assert done.certified_on == day
    assert selectors.signature_check(done).valid
    with pytest.raises(ValueError):
        services.certificate_revoke(actor=z.officer_wujiang, certificate=done, reason="x", at=at)
