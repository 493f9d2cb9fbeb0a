"""The talent code's services: what a talent holds, fresh codes, revocation propagation into
the signed list, the catalogue, and redemptions with their limits."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from talentflow.credentials import code as tcode
from talentflow.credentials import keys, services
from talentflow.credentials.lists import open_list, revocation_hash
from talentflow.credentials.models import Redemption, Revocation
from talentflow.credentials.tests.builders import jiashan_result, qingpu_service
from talentflow.tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tangang(cast):
    return cast.talents["tangang"]


@pytest.fixture
def result(cast, tangang):
    return jiashan_result(cast.officer_jiashan, tangang, tier="C")


@pytest.fixture
def once(cast):
    return qingpu_service(cast.officer_qingpu, cast.orgs["qingpu_apartment"])


def _verify(text, service=None, now=None):
    return tcode.verify(
        text,
        trust=keys.trust_list(),
        revoked=services.revocation_list(),
        now=now or int(timezone.now().timestamp()),
        service=services.list_service(service) if service else None,
    )


# Standing and codes ----------------------------------------------------------------------------


def test_no_code_without_a_current_result(tangang):
    assert services.code_issue(tangang) is None


def test_code_carries_only_the_minimal_claims(result, tangang, settings):
    settings.TALENTFLOW_CODE_SECONDS = 90
    issued = services.code_issue(tangang)
    claims = issued.claims
    assert claims.iss == "330421"
    assert claims.tier == "C" and claims.cat == "other"
    assert claims.mn == "谭*"
    assert claims.exp - claims.iat == 90
    assert "apartment" in claims.grp
    assert claims.sid == services.sid_of(tangang) and len(claims.sid) == 16
    assert "谭刚" not in issued.text
    verified = _verify(issued.text)
    assert verified.ok and verified.region == "330421"


def test_a_result_outside_the_alliance_gives_no_code(cast, tangang):
    from talentflow.evaluation.models import EvaluationResult
    from talentflow.reference.models import Region

    EvaluationResult.objects.create(
        talent=tangang,
        category="other",
        tier="A",
        region=Region.objects.get(code="331003"),  # 黄岩: not in the demonstration zone
        valid_from=timezone.localdate() - dt.timedelta(days=1),
        valid_until=timezone.localdate() + dt.timedelta(days=100),
        source="direct",
    )
    assert services.code_issue(tangang) is None


def test_the_best_tier_is_used(cast, tangang):
    jiashan_result(cast.officer_jiashan, tangang, tier="E")
    jiashan_result(cast.officer_jiashan, tangang, tier="B")
    assert services.code_issue(tangang).claims.tier == "B"


def test_an_expired_code_is_refused(result, tangang):
    issued = services.code_issue(tangang)
    assert _verify(issued.text, now=issued.claims.exp).reason == "expired"


# Revocation --------------------------------------------------------------------------------------


def test_revoking_the_result_revokes_the_code(cast, result, tangang):
    from talentflow.evaluation import services as evaluation

    text = services.code_issue(tangang).text
    assert _verify(text).ok
    evaluation.result_revoke(actor=cast.officer_jiashan, result=result, reason="材料不实")
    refused = _verify(text)
    assert not refused.ok and refused.reason == "revoked"
    # The talent holds no code any more.
    assert services.code_issue(tangang) is None


def test_revocations_sync_is_idempotent_and_incremental(cast, result, tangang):
    from talentflow.evaluation import services as evaluation

    other = jiashan_result(cast.officer_jiashan, tangang, tier="D")
    evaluation.result_revoke(actor=cast.officer_jiashan, result=result, reason="撤销")
    services.revocations_sync()
    assert services.revocations_sync() == 0
    first = Revocation.objects.get()
    assert first.h == revocation_hash("330421", services.sid_of(tangang))
    assert first.source == f"result:{result.pk}"
    evaluation.result_revoke(actor=cast.officer_jiashan, result=other, reason="撤销")
    full = open_list(services.signed_revocations(0), keys.root_spki())
    delta = open_list(services.signed_revocations(first.seq), keys.root_spki())
    assert full["seq"] == delta["seq"] == first.seq + 1
    assert [e["seq"] for e in delta["entries"]] == [first.seq + 1]
    # The same hash twice in the full list is one entry, the latest.
    assert len(full["entries"]) == 1


def test_a_talent_recognised_again_later_gets_codes_that_pass(cast, result, tangang):
    from talentflow.evaluation import services as evaluation

    evaluation.result_revoke(actor=cast.officer_jiashan, result=result, reason="撤销")
    services.revocations_sync()
    jiashan_result(cast.officer_jiashan, tangang, tier="C")
    later = services.code_issue(tangang, at=timezone.now() + dt.timedelta(seconds=5))
    assert _verify(later.text, now=later.claims.iat).ok


# The catalogue ---------------------------------------------------------------------------------


def test_only_the_office_of_the_region_manages_its_services(cast):
    with pytest.raises(PermissionDenied):
        qingpu_service(cast.officer_jiashan, cast.orgs["qingpu_apartment"])
    service = qingpu_service(cast.officer_qingpu, cast.orgs["qingpu_apartment"])
    with pytest.raises(PermissionDenied):
        services.service_update(actor=cast.officer_jiashan, service=service, name="改名")
    services.service_update(actor=cast.officer_qingpu, service=service, name="改名")
    service.refresh_from_db()
    assert service.name == "改名"


def test_a_service_needs_a_provider_and_a_tier(cast):
    with pytest.raises(ValidationError):
        qingpu_service(cast.officer_qingpu, cast.orgs["fulai"])  # an enterprise
    with pytest.raises(ValidationError):
        qingpu_service(cast.officer_qingpu, cast.orgs["qingpu_apartment"], tiers="XYZ")


# Redemptions -----------------------------------------------------------------------------------


def _redeem(cast, service, text, **kwargs):
    return services.redemption_record(
        actor=cast.provider_qingpu,
        service=service,
        code_text=text,
        uuid=kwargs.pop("uuid", uuid.uuid4()),
        **kwargs,
    )


def test_a_once_only_service_is_redeemed_once(cast, result, tangang, once):
    text = services.code_issue(tangang).text
    redemption, created = _redeem(cast, once, text)
    assert created and redemption.masked_name == "谭*" and redemption.once
    fresh = services.code_issue(tangang, at=timezone.now() + dt.timedelta(seconds=2)).text
    with pytest.raises(ValidationError) as error:
        _redeem(cast, once, fresh)
    assert "once-only" in str(error.value)
    assert Redemption.objects.count() == 1


def test_the_same_uuid_twice_is_one_redemption(cast, result, tangang, once):
    text = services.code_issue(tangang).text
    key = uuid.uuid4()
    first, created = _redeem(cast, once, text, uuid=key)
    again, created_again = _redeem(cast, once, text, uuid=key)
    assert created and not created_again and again.pk == first.pk


def test_n_per_year_limits_are_counted(cast, result, tangang):
    bus = qingpu_service(
        cast.officer_qingpu,
        cast.orgs["qingpu_apartment"],
        code="qp-bus",
        name="青浦人才公交卡",
        group="transport",
        limit="per_year",
        limit_count=2,
    )
    text = services.code_issue(tangang).text
    _redeem(cast, bus, text)
    _redeem(cast, bus, text)
    with pytest.raises(ValidationError) as error:
        _redeem(cast, bus, text)
    assert "2 times a year" in str(error.value)


def test_a_code_verified_offline_may_sync_after_it_expired(cast, result, tangang, once):
    issued = services.code_issue(tangang, at=timezone.now() - dt.timedelta(minutes=10))
    # Recorded at the counter while valid, synced 10 minutes later.
    at = issued.expires_at - dt.timedelta(seconds=30)
    redemption, created = _redeem(cast, once, issued.text, redeemed_at=at)
    assert created and redemption.redeemed_at == at
    # Recorded after the expiry: refused.
    late = services.code_issue(tangang, at=timezone.now() - dt.timedelta(minutes=10))
    with pytest.raises(ValidationError) as error:
        _redeem(cast, once, late.text, redeemed_at=late.expires_at + dt.timedelta(seconds=1))
    assert "expired" in str(error.value)


def test_a_tampered_or_ineligible_code_is_refused(cast, result, tangang):
    from talentflow.credentials.models import ServiceGroup

    finance = qingpu_service(
        cast.officer_qingpu,
        cast.orgs["qingpu_apartment"],
        code="qp-finance",
        name="人才贷",
        group=ServiceGroup.FINANCE,
        tiers="AB",
    )
    text = services.code_issue(tangang).text
    with pytest.raises(ValidationError, match="does not qualify"):
        _redeem(cast, finance, text)
    with pytest.raises(ValidationError):
        _redeem(cast, finance, text[:-2] + ("0" if text[-2] != "0" else "1") + text[-1])
    assert not Redemption.objects.exists()


def test_only_the_provider_of_the_service_records_it(cast, result, tangang, once):
    other_org = OrganisationFactory(
        name="青浦另一服务机构", kind="service_provider", region=once.region
    )
    other = UserFactory(username="other_provider")
    MembershipFactory(user=other, role="provider", organisation=other_org)
    with pytest.raises(PermissionDenied):
        services.redemption_record(
            actor=other,
            service=once,
            code_text=services.code_issue(tangang).text,
            uuid=uuid.uuid4(),
        )


# Recognition certificates (helper H's app) --------------------------------------------------------


def test_a_recognised_title_gives_a_code_and_its_revocation_revokes_it(cast, tangang):
    from talentflow.recognition import services as recognition
    from talentflow.recognition.tests.builders import QINGPU, apply, zone

    certificate = apply(cast, zone(cast).title, region=QINGPU)  # 副高级 title: tier D
    recognition.certificate_certify(actor=None, system_label="test", certificate=certificate)
    issued = services.code_issue(tangang)
    assert issued.claims.iss == QINGPU and issued.claims.tier == "D"
    assert issued.claims.cat == "recognition_title"
    assert _verify(issued.text).ok
    recognition.certificate_revoke(
        actor=None, system_label="test", certificate=certificate, reason="证书造假"
    )
    assert _verify(issued.text).reason == "revoked"
    assert Revocation.objects.get().source == f"certificate:{certificate.pk}"
    assert services.code_issue(tangang) is None
