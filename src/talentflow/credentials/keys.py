"""The signing keys of the talent code (issue 7): each member region's key, the alliance root
key that signs the published lists, and their rotation.

Private keys are kept only as ``core.crypto.encrypt`` tokens of their PKCS#8 PEM. A region's
key is created on first use; :func:`rotate` makes a new one and ends the old key at now + the
code lifetime, so codes signed under it before stay valid until they expire anyway.

Contract (other apps sign their records with these): :func:`region_key`, :func:`sign_body`,
:func:`verify_body`.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from talentflow.core import crypto
from talentflow.credentials.code import SigningKey
from talentflow.credentials.lists import (
    TrustKey,
    TrustList,
    b64,
    canonical_json,
    sign_raw,
    unb64,
    verify_raw,
)
from talentflow.credentials.models import RegionKey, RootKey


def alliance_code() -> str:
    """The alliance whose member regions share the talent code."""
    return getattr(settings, "TALENTFLOW_CODE_ALLIANCE", "yrd-demo-zone")


def code_seconds() -> int:
    return int(getattr(settings, "TALENTFLOW_CODE_SECONDS", 120))


def key_days() -> int:
    """How long a region key signs before it must be rotated."""
    return int(getattr(settings, "TALENTFLOW_CODE_KEY_DAYS", 730))


def epoch(value: dt.datetime) -> int:
    return int(value.timestamp())


def member_codes() -> list[str]:
    from talentflow.reference.models import AllianceMember

    return sorted(
        AllianceMember.objects.filter(alliance__code=alliance_code()).values_list(
            "region_id", flat=True
        )
    )


def _seal(key: SigningKey) -> str:
    return crypto.encrypt(key.to_pem().decode("ascii"))


def _open(token: str) -> SigningKey:
    return SigningKey.from_pem(crypto.decrypt(token).encode("ascii"))


# Root -------------------------------------------------------------------------------------


def _root_row() -> RootKey:
    issuer = alliance_code()
    row = RootKey.objects.filter(issuer=issuer).first()
    if row is not None:
        return row
    key = SigningKey.generate()
    with transaction.atomic():
        row, _created = RootKey.objects.get_or_create(
            issuer=issuer,
            defaults={"kid": key.kid_b64, "spki": key.spki_b64, "private_encrypted": _seal(key)},
        )
    return row


def root_key() -> SigningKey:
    """The alliance root key (created on first use)."""
    return _open(_root_row().private_encrypted)


def root_spki() -> str:
    """The root public key to pin (SPKI DER, base64)."""
    return _root_row().spki


def lock_root() -> RootKey:
    """Serialise writers of the revocation list on the root key's row."""
    _root_row()
    return RootKey.objects.select_for_update().get(issuer=alliance_code())


# Region keys --------------------------------------------------------------------------------


def _new_region_key(region_code: str, *, start: dt.datetime) -> RegionKey:
    key = SigningKey.generate()
    return RegionKey.objects.create(
        region_id=region_code,
        kid=key.kid_b64,
        spki=key.spki_b64,
        private_encrypted=_seal(key),
        not_before=start,
        not_after=start + dt.timedelta(days=key_days()),
    )


def current_row(region_code: str, *, at: dt.datetime | None = None) -> RegionKey:
    """The region's key that signs now (the newest valid one), created on first use."""
    at = at or timezone.now()
    row = (
        RegionKey.objects.filter(
            region_id=region_code, retired=False, not_before__lte=at, not_after__gte=at
        )
        .order_by("-not_before", "-id")
        .first()
    )
    if row is None:
        with transaction.atomic():
            # One creator at a time: lock the region's keys (none may exist yet: lock the root).
            lock_root()
            row = (
                RegionKey.objects.filter(
                    region_id=region_code, retired=False, not_before__lte=at, not_after__gte=at
                )
                .order_by("-not_before", "-id")
                .first()
            ) or _new_region_key(region_code, start=at)
    return row


def region_key(region_code: str) -> SigningKey:
    """The region's current signing key; created on first use."""
    return _open(current_row(region_code).private_encrypted)


def key_for_row(row: RegionKey) -> SigningKey:
    return _open(row.private_encrypted)


@transaction.atomic
def rotate(region_code: str, *, actor=None, system_label: str | None = None) -> RegionKey:
    """A new key for the region; the old ones end at now + the code lifetime (codes they signed
    before stay valid until then, a code claiming a later issue time is refused)."""
    from talentflow.core.audit import audit_record

    lock_root()
    now = timezone.now()
    old = list(
        RegionKey.objects.select_for_update().filter(
            region_id=region_code, retired=False, not_after__gt=now
        )
    )
    end = now + dt.timedelta(seconds=code_seconds())
    for row in old:
        row.not_after = max(min(row.not_after, end), row.not_before)
        row.save(update_fields=["not_after"])
    # The new key signs from now on (the newest valid key is the current one).
    new = _new_region_key(region_code, start=now)
    audit_record(
        actor=actor,
        action="talent_key.rotate",
        obj=new,
        after={"region": region_code, "kid": new.kid, "ended": [r.kid for r in old]},
        region=region_code,
        system_label=system_label if actor is None else None,
    )
    return new


# The trust list -----------------------------------------------------------------------------


def trust_rows():
    codes = member_codes()
    for code in codes:
        current_row(code)
    return RegionKey.objects.filter(region_id__in=codes, retired=False).order_by(
        "region_id", "not_before", "id"
    )


def trust_list(*, at: dt.datetime | None = None) -> TrustList:
    at = at or timezone.now()
    keys = [
        TrustKey(
            kid=unb64(row.kid),
            region=row.region_id,
            spki=unb64(row.spki),
            not_before=epoch(row.not_before),
            not_after=epoch(row.not_after),
        )
        for row in trust_rows()
    ]
    return TrustList(issuer=alliance_code(), issued_at=epoch(at), keys=keys)


# Signed records (the contract with recognition) ------------------------------------------------


def sign_body(region_code: str, body: dict) -> dict:
    """ES256 over the canonical JSON of ``body`` with the region's current key:
    ``{"kid": b64, "sig": b64}``."""
    key = region_key(region_code)
    return {"kid": key.kid_b64, "sig": b64(sign_raw(canonical_json(body), key.private))}


def verify_body(body: dict, kid: str, sig: str) -> bool:
    """Whether ``sig`` is a signature of ``body`` by a key of the published trust list."""
    try:
        kid_bytes = unb64(kid)
        signature = unb64(sig)
        data = canonical_json(body)
    except (ValueError, TypeError):
        return False
    key = trust_list().lookup(kid_bytes)
    if key is None:
        return False
    return verify_raw(data, signature, key.public_key)
