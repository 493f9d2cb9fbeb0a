"""The signing keys: encrypted at rest, rotation without invalidating earlier codes, the signed
trust list and the contract ``sign_body``/``verify_body``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone

from talentflow.credentials import code as tcode
from talentflow.credentials import keys
from talentflow.credentials.lists import open_list
from talentflow.credentials.models import RegionKey, RootKey

pytestmark = pytest.mark.django_db

JIASHAN, QINGPU, WUJIANG = "330421", "310118", "320509"


def _claims(iss: str, iat: int, seconds: int = 120) -> tcode.Claims:
    return tcode.Claims(
        iss=iss,
        iat=iat,
        exp=iat + seconds,
        sid="0123456789abcdef",
        cat="other",
        tier="C",
        grp=("apartment",),
        mn="谭*",
    )


def test_private_keys_are_encrypted_at_rest():
    key = keys.region_key(JIASHAN)
    keys.root_key()
    with connection.cursor() as cursor:
        cursor.execute("SELECT private_encrypted FROM credentials_regionkey")
        region_rows = [r[0] for r in cursor.fetchall()]
        cursor.execute("SELECT private_encrypted FROM credentials_rootkey")
        root_rows = [r[0] for r in cursor.fetchall()]
    assert region_rows and root_rows
    for stored in region_rows + root_rows:
        assert "BEGIN" not in stored and "PRIVATE" not in stored
    # ... and yet it opens to the same key.
    assert keys.region_key(JIASHAN).kid == key.kid


def test_region_key_is_created_once_and_reused():
    first = keys.region_key(QINGPU)
    assert keys.region_key(QINGPU).kid == first.kid
    assert RegionKey.objects.filter(region_id=QINGPU).count() == 1


def test_trust_list_has_every_member_region_and_is_signed_by_the_root():
    signed = __import__("talentflow.credentials.services", fromlist=["x"]).signed_trust_list()
    body = open_list(signed, keys.root_spki())
    assert body["issuer"] == "yrd-demo-zone"
    assert {k["region"] for k in body["keys"]} == {JIASHAN, QINGPU, WUJIANG}
    assert RootKey.objects.count() == 1
    # A tampered body no longer opens.
    body["keys"][0]["not_after"] += 1
    with pytest.raises(ValueError):
        open_list(signed, keys.root_spki())


def test_rotation_keeps_earlier_codes_valid_and_refuses_later_ones_under_the_old_key():
    old = keys.region_key(JIASHAN)
    now = int(timezone.now().timestamp())
    before = tcode.issue(_claims(JIASHAN, now), old)
    new_row = keys.rotate(JIASHAN, actor=None, system_label="test")
    assert new_row.kid != old.kid_b64
    trust = keys.trust_list()
    # Signed before the rotation: still valid until it expires.
    result = tcode.verify(before, trust=trust, revoked=None, now=now + 60)
    assert result.ok, result
    # Claiming to be issued an hour later under the old key: refused.
    later = tcode.issue(_claims(JIASHAN, now + 3600), old)
    refused = tcode.verify(later, trust=trust, revoked=None, now=now + 3600)
    assert not refused.ok and refused.reason == "key_not_valid"
    # The new key signs from now on.
    assert (
        keys.region_key(JIASHAN).kid
        == tcode.SigningKey.from_pem(keys.key_for_row(new_row).to_pem()).kid
    )
    fresh = tcode.issue(_claims(JIASHAN, now + 3600), keys.region_key(JIASHAN))
    assert tcode.verify(fresh, trust=keys.trust_list(), revoked=None, now=now + 3600).ok
    # The old key ends at now + the code lifetime.
    old_row = RegionKey.objects.get(kid=old.kid_b64)
    assert old_row.not_after <= timezone.now() + dt.timedelta(seconds=keys.code_seconds())


def test_sign_body_and_verify_body():
    body = {"certificate": 12, "talent": "谭刚", "valid_until": "2030-01-01"}
    signed = keys.sign_body(WUJIANG, body)
    assert set(signed) == {"kid", "sig"}
    assert keys.verify_body(body, signed["kid"], signed["sig"])
    assert not keys.verify_body({**body, "talent": "谭钢"}, signed["kid"], signed["sig"])
    assert not keys.verify_body(body, "AAAAAAAAAAA=", signed["sig"])
    assert not keys.verify_body(body, signed["kid"], "not base64!")


def test_verify_body_survives_rotation():
    body = {"n": 1}
    signed = keys.sign_body(JIASHAN, body)
    keys.rotate(JIASHAN, actor=None, system_label="test")
    assert keys.verify_body(body, signed["kid"], signed["sig"])


def test_rotation_is_audited(cast):
    from talentflow.core.models import AuditEvent

    keys.region_key(QINGPU)
    keys.rotate(QINGPU, actor=cast.officer_qingpu)
    assert AuditEvent.objects.filter(action="talent_key.rotate").count() == 1


def test_rotate_command():
    from io import StringIO

    from django.core.management import CommandError, call_command

    old = keys.region_key(WUJIANG)
    out = StringIO()
    call_command("credentials_rotate", WUJIANG, stdout=out)
    assert "new key" in out.getvalue()
    assert keys.region_key(WUJIANG).kid != old.kid
    with pytest.raises(CommandError):
        call_command("credentials_rotate", "331003")
