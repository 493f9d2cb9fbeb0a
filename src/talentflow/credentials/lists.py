"""Trust list, revocation list and service eligibility for the talent code (issue 7). Pure.

Both lists are published signed by the alliance root key as ``{"body": ..., "kid": base64,
"sig": base64}``; ``sig`` is ES256 (raw 64-byte r||s) over the canonical JSON of ``body``::

    json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()

so a JavaScript client re-serialises the parsed body identically (keys sorted, no spaces, no
floats anywhere in a body — only strings, integers, booleans, null, lists and dicts).

The revocation list is incremental: each entry carries the ``seq`` at which it was added or last
changed; a client holding ``seq`` M fetches :meth:`RevocationList.since` (M) and
:meth:`RevocationList.merge` s it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import (
    decode_dss_signature,
    encode_dss_signature,
)

ES256 = ec.ECDSA(hashes.SHA256())
try:  # RFC 6979 deterministic nonces where the OpenSSL build has them (OpenSSL >= 3.2)
    ES256_SIGN = ec.ECDSA(hashes.SHA256(), deterministic_signing=True)
    ec.generate_private_key(ec.SECP256R1()).sign(b"probe", ES256_SIGN)
except Exception:  # pragma: no cover - older OpenSSL
    ES256_SIGN = ES256


class ListSignatureError(ValueError):
    """A signed list does not open: wrong shape, wrong key or a bad signature."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)


def kid_of(spki: bytes) -> bytes:
    """The key id: the first 8 bytes of SHA-256 of the SubjectPublicKeyInfo DER."""
    return hashlib.sha256(spki).digest()[:8]


def _check_json_values(value: Any, path: str = "body") -> None:
    if isinstance(value, float):
        raise ValueError(f"{path}: floats are not allowed in a signed list")
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{path}: keys must be strings")
            _check_json_values(item, f"{path}.{key}")
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_json_values(item, f"{path}[{i}]")
    elif not (value is None or isinstance(value, str | int | bool)):
        raise ValueError(f"{path}: {type(value).__name__} is not allowed in a signed list")


def canonical_json(body: dict) -> bytes:
    """The exact bytes that are signed: sorted keys, no whitespace, UTF-8, no floats."""
    _check_json_values(body)
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign_raw(data: bytes, private_key: ec.EllipticCurvePrivateKey) -> bytes:
    """ES256 over ``data``; the 64-byte r||s form (not DER)."""
    r, s = decode_dss_signature(private_key.sign(data, ES256_SIGN))
    return r.to_bytes(32, "big") + s.to_bytes(32, "big")


def verify_raw(data: bytes, signature: bytes, public_key: ec.EllipticCurvePublicKey) -> bool:
    if len(signature) != 64:
        return False
    r = int.from_bytes(signature[:32], "big")
    s = int.from_bytes(signature[32:], "big")
    try:
        public_key.verify(encode_dss_signature(r, s), data, ES256)
    except (InvalidSignature, ValueError):
        return False
    return True


def sign_list(body: dict, root_key) -> dict:
    """``{"body", "kid", "sig"}`` signed by ``root_key`` (a ``code.SigningKey``)."""
    data = canonical_json(body)
    return {"body": body, "kid": b64(root_key.kid), "sig": b64(sign_raw(data, root_key.private))}


def open_list(signed: dict, root_spki_b64: str) -> dict:
    """The body of a signed list, checked against the pinned root public key (SPKI, base64).

    Raises ``ListSignatureError`` when the shape, the key id or the signature is wrong."""
    try:
        body, kid, sig = signed["body"], unb64(signed["kid"]), unb64(signed["sig"])
        spki = unb64(root_spki_b64)
        public_key = serialization.load_der_public_key(spki)
    except (KeyError, TypeError, ValueError, binascii.Error) as exc:
        raise ListSignatureError(f"malformed signed list: {exc}") from exc
    if not isinstance(body, dict):
        raise ListSignatureError("the body is not an object")
    if not isinstance(public_key, ec.EllipticCurvePublicKey) or not isinstance(
        public_key.curve, ec.SECP256R1
    ):
        raise ListSignatureError("the root key is not a P-256 key")
    if kid != kid_of(spki):
        raise ListSignatureError("signed by another key than the pinned root key")
    try:
        data = canonical_json(body)
    except ValueError as exc:
        raise ListSignatureError(str(exc)) from exc
    if not verify_raw(data, sig, public_key):
        raise ListSignatureError("bad signature")
    return body


# ---------------------------------------------------------------------------------------------
# Trust list


@dataclass(frozen=True)
class TrustKey:
    kid: bytes
    region: str
    spki: bytes
    not_before: int
    not_after: int
    alg: str = "ES256"

    @cached_property
    def public_key(self) -> ec.EllipticCurvePublicKey:
        key = serialization.load_der_public_key(self.spki)
        if not isinstance(key, ec.EllipticCurvePublicKey):
            raise ValueError("not an EC key")
        return key

    def valid_at(self, t: int) -> bool:
        return self.not_before <= t <= self.not_after

    def to_json(self) -> dict:
        return {
            "kid": b64(self.kid),
            "region": self.region,
            "alg": self.alg,
            "spki": b64(self.spki),
            "not_before": self.not_before,
            "not_after": self.not_after,
        }

    @classmethod
    def from_json(cls, item: dict) -> TrustKey:
        spki = unb64(item["spki"])
        kid = unb64(item["kid"])
        if kid != kid_of(spki):
            raise ValueError(f"trust list key {item['kid']}: kid does not match its SPKI")
        return cls(
            kid=kid,
            region=str(item["region"]),
            spki=spki,
            not_before=int(item["not_before"]),
            not_after=int(item["not_after"]),
            alg=str(item.get("alg", "ES256")),
        )


@dataclass
class TrustList:
    issuer: str
    issued_at: int
    keys: list[TrustKey] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_kid = {k.kid: k for k in self.keys}

    def lookup(self, kid: bytes) -> TrustKey | None:
        return self._by_kid.get(bytes(kid))

    def to_body(self) -> dict:
        return {
            "issuer": self.issuer,
            "issued_at": self.issued_at,
            "keys": [k.to_json() for k in self.keys],
        }

    @classmethod
    def from_body(cls, body: dict) -> TrustList:
        return cls(
            issuer=str(body["issuer"]),
            issued_at=int(body["issued_at"]),
            keys=[TrustKey.from_json(item) for item in body["keys"]],
        )


# ---------------------------------------------------------------------------------------------
# Revocation list


def revocation_hash(iss: str, sid: str) -> str:
    """``sha256(f"{iss}:{sid}")[:16]`` as 32 hex characters."""
    return hashlib.sha256(f"{iss}:{sid}".encode()).digest()[:16].hex()


@dataclass(frozen=True)
class RevocationEntry:
    h: str  # 32 hex characters
    since: int  # codes with iat < since are revoked
    seq: int  # the list seq at which this entry was added or last changed

    def to_json(self) -> dict:
        return {"h": self.h, "since": self.since, "seq": self.seq}

    @classmethod
    def from_json(cls, item: dict) -> RevocationEntry:
        h = str(item["h"]).lower()
        if len(h) != 32 or any(c not in "0123456789abcdef" for c in h):
            raise ValueError(f"bad revocation hash {h!r}")
        return cls(h=h, since=int(item["since"]), seq=int(item["seq"]))


@dataclass
class RevocationList:
    issuer: str
    seq: int = 0
    entries: dict[str, RevocationEntry] = field(default_factory=dict)
    issued_at: int = 0

    def revoke(self, iss: str, sid: str, since: int, *, at: int | None = None) -> RevocationEntry:
        """Revoke every code of (iss, sid) issued before ``since``; bumps ``seq``."""
        self.seq += 1
        entry = RevocationEntry(revocation_hash(iss, sid), int(since), self.seq)
        self.entries[entry.h] = entry
        if at is not None:
            self.issued_at = int(at)
        return entry

    def contains(self, iss: str, sid: str, iat: int) -> bool:
        entry = self.entries.get(revocation_hash(iss, sid))
        return entry is not None and iat < entry.since

    def since(self, seq: int) -> dict:
        """The delta body for a client holding ``seq``: the entries changed after it."""
        changed = [e for e in self.entries.values() if e.seq > seq]
        return self._body(changed)

    def merge(self, delta: dict) -> None:
        """Apply a delta (or a full list) body from the same issuer."""
        if str(delta["issuer"]) != self.issuer:
            raise ValueError(f"revocation list of {delta['issuer']!r}, not {self.issuer!r}")
        for item in delta["entries"]:
            entry = RevocationEntry.from_json(item)
            current = self.entries.get(entry.h)
            if current is None or entry.seq > current.seq:
                self.entries[entry.h] = entry
        self.seq = max(self.seq, int(delta["seq"]))
        self.issued_at = max(self.issued_at, int(delta.get("issued_at", 0)))

    def to_body(self) -> dict:
        return self._body(list(self.entries.values()))

    def _body(self, entries: list[RevocationEntry]) -> dict:
        entries = sorted(entries, key=lambda e: (e.seq, e.h))
        return {
            "issuer": self.issuer,
            "seq": self.seq,
            "entries": [e.to_json() for e in entries],
            "issued_at": self.issued_at,
        }

    @classmethod
    def from_body(cls, body: dict) -> RevocationList:
        result = cls(issuer=str(body["issuer"]))
        result.merge(body)
        return result


# ---------------------------------------------------------------------------------------------
# Services


LIMIT_KINDS = ("unlimited", "once", "per_year")


@dataclass(frozen=True)
class Service:
    """What a counter checks a code against: its group and the tiers it serves.

    ``limit`` is ``"unlimited"``, ``"once"`` (once per talent ever) or ``"per_year"`` (at most
    ``limit_count`` a calendar year); the limit is enforced by the redemption records, not here.
    """

    code: str
    group: str
    eligible_tiers: tuple[str, ...]
    limit: str = "unlimited"
    limit_count: int = 1

    def __post_init__(self) -> None:
        if self.limit not in LIMIT_KINDS:
            raise ValueError(f"unknown limit kind {self.limit!r}")
        object.__setattr__(self, "eligible_tiers", tuple(self.eligible_tiers))

    def admits(self, tier: str, groups) -> bool:
        return tier in self.eligible_tiers and self.group in groups

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "group": self.group,
            "eligible_tiers": list(self.eligible_tiers),
            "limit": self.limit,
            "limit_count": self.limit_count,
        }
