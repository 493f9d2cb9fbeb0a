"""The talent code (人才码), in the style of the EU Digital COVID Certificate (issue 7). Pure.

Layers, outermost first::

    "TF1:" + base45( zlib.compress( COSE_Sign1 , 9 ) )
    COSE_Sign1 = tag 18 [ bstr(cbor({1: -7, 4: kid})), {}, bstr(cbor(claims)), bstr(r || s) ]
    claims     = {1: iss, 6: iat, 4: exp, -260: {1: {"v": 1, "sid", "cat", "tier", "grp", "mn"}}}

The signature is ES256 over ``cbor(["Signature1", protected, b"", payload])``; ``kid`` is the
first 8 bytes of SHA-256 of the signing key's SubjectPublicKeyInfo DER. :func:`verify` refuses
with exactly one reason, checked in the order of ``REASONS``.

Decoding is strict so that any single-byte change of the text is refused: the base45 text must
be the canonical encoding of its bytes, the zlib stream must end exactly at the end of the data
with zero padding bits (inflate ignores them, so a changed text could otherwise inflate to the
same COSE bytes), and every CBOR item must span its whole byte string.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import zlib
from dataclasses import dataclass, field

import cbor2
import numpy as np
import segno
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from talentflow.credentials.lists import (
    RevocationList,
    Service,
    TrustKey,
    TrustList,
    b64,
    kid_of,
    sign_raw,
    verify_raw,
)

PREFIX = "TF1:"
SKEW = 300  # seconds of clock skew allowed before iat
ALG_ES256 = -7
CLAIMS_KEY = -260
REASONS = (
    "format",
    "unknown_key",
    "key_not_valid",
    "signature",
    "not_yet_valid",
    "expired",
    "revoked",
    "ineligible",
)
CLAIM_FIELDS = frozenset({"v", "sid", "cat", "tier", "grp", "mn"})
_MAPS = (dict, cbor2.frozendict)  # cbor2 decodes maps inside tags as frozendict

BASE45 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_B45_BAD = 0xFF
_B45_WEIGHTS = np.array([1, 45, 2025], dtype=np.uint32)
_B45_TABLE = bytes(BASE45.encode().find(bytes((i,))) % 256 if i < 128 else _B45_BAD
                   for i in range(256))  # fmt: skip


# ---------------------------------------------------------------------------------------------
# base45 (RFC 9285), strict


def b45encode(data: bytes) -> str:
    out = []
    n = len(data)
    for i in range(0, n - 1, 2):
        x = (data[i] << 8) | data[i + 1]
        e, x = divmod(x, 2025)
        d, c = divmod(x, 45)
        out.append(BASE45[c] + BASE45[d] + BASE45[e])
    if n % 2:
        d, c = divmod(data[-1], 45)
        out.append(BASE45[c] + BASE45[d])
    return "".join(out)


def b45decode(text: str) -> bytes:
    """Strict: only the 45 characters, a valid length and no group out of range, so every
    byte string has exactly one text and every text at most one byte string."""
    try:
        raw = text.encode("ascii")
    except UnicodeEncodeError:
        raise ValueError("not a base45 character") from None
    values = raw.translate(_B45_TABLE)
    if _B45_BAD in values:
        raise ValueError("not a base45 character")
    n = len(values)
    if n % 3 == 1:
        raise ValueError("bad base45 length")
    full = n - n % 3
    groups = np.frombuffer(values, dtype=np.uint8, count=full).reshape(-1, 3) @ _B45_WEIGHTS
    if full and groups.max() > 0xFFFF:
        raise ValueError("base45 group out of range")
    out = groups.astype(">u2").tobytes()
    if n % 3 == 2:
        x = values[-2] + values[-1] * 45
        if x > 0xFF:
            raise ValueError("base45 group out of range")
        out += bytes((x,))
    return out


# ---------------------------------------------------------------------------------------------
# Keys


@dataclass(frozen=True, eq=False)
class SigningKey:
    """A P-256 private key with its SPKI DER and key id."""

    private: ec.EllipticCurvePrivateKey

    def __post_init__(self) -> None:
        if not isinstance(self.private, ec.EllipticCurvePrivateKey) or not isinstance(
            self.private.curve, ec.SECP256R1
        ):
            raise ValueError("a talent code key must be an ECDSA P-256 key")
        spki = self.private.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        object.__setattr__(self, "spki", spki)
        object.__setattr__(self, "kid", kid_of(spki))

    spki: bytes = field(init=False, repr=False)  # SubjectPublicKeyInfo DER
    kid: bytes = field(init=False)  # sha256(spki)[:8]

    @classmethod
    def generate(cls) -> SigningKey:
        return cls(ec.generate_private_key(ec.SECP256R1()))

    @classmethod
    def from_private_value(cls, value: int) -> SigningKey:
        """A fixed key (test vectors, demo data)."""
        return cls(ec.derive_private_key(value, ec.SECP256R1()))

    @classmethod
    def from_pem(cls, data: bytes, password: bytes | None = None) -> SigningKey:
        return cls(serialization.load_pem_private_key(data, password=password))

    def to_pem(self, password: bytes | None = None) -> bytes:
        """PKCS#8 PEM, encrypted with ``password`` when given (keys at rest)."""
        encryption = (
            serialization.BestAvailableEncryption(password)
            if password
            else serialization.NoEncryption()
        )
        return self.private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption
        )

    @property
    def public_key(self) -> ec.EllipticCurvePublicKey:
        return self.private.public_key()

    @property
    def spki_b64(self) -> str:
        return b64(self.spki)

    @property
    def kid_b64(self) -> str:
        return b64(self.kid)

    def trust_key(self, region: str, not_before: int, not_after: int) -> TrustKey:
        return TrustKey(self.kid, region, self.spki, int(not_before), int(not_after))


# ---------------------------------------------------------------------------------------------
# Claims


@dataclass(frozen=True)
class Claims:
    iss: str  # issuing region code, e.g. "330421"
    iat: int  # issued at, epoch seconds
    exp: int  # expires, epoch seconds
    sid: str  # pseudonymous talent id (sid_for)
    cat: str  # category code
    tier: str  # tier, e.g. "D"
    grp: tuple[str, ...]  # service group codes
    mn: str  # masked name, e.g. "谭*"

    def __post_init__(self) -> None:
        object.__setattr__(self, "grp", tuple(self.grp))

    def to_cbor_map(self) -> dict:
        talent = {
            "v": 1,
            "sid": self.sid,
            "cat": self.cat,
            "tier": self.tier,
            "grp": list(self.grp),
            "mn": self.mn,
        }
        return {1: self.iss, 6: self.iat, 4: self.exp, CLAIMS_KEY: {1: talent}}

    @classmethod
    def from_cbor_map(cls, data) -> Claims:
        """Raises ``ValueError`` on anything but exactly the fields above, with their types."""
        if not isinstance(data, _MAPS) or set(data) != {1, 6, 4, CLAIMS_KEY}:
            raise ValueError("claims must be a map with keys 1, 6, 4 and -260")
        iss, iat, exp, outer = data[1], data[6], data[4], data[CLAIMS_KEY]
        if not isinstance(iss, str) or not iss:
            raise ValueError("iss must be a non-empty text")
        for name, value in (("iat", iat), ("exp", exp)):
            if type(value) is not int:
                raise ValueError(f"{name} must be an integer")
        if not isinstance(outer, _MAPS) or set(outer) != {1}:
            raise ValueError("claim -260 must be a map with the single key 1")
        talent = outer[1]
        if not isinstance(talent, _MAPS) or set(talent) != CLAIM_FIELDS:
            raise ValueError(f"talent claims must have exactly {sorted(CLAIM_FIELDS)}")
        if type(talent["v"]) is not int or talent["v"] != 1:
            raise ValueError("unsupported talent claims version")
        for name in ("sid", "cat", "tier", "mn"):
            if not isinstance(talent[name], str):
                raise ValueError(f"{name} must be a text")
        grp = talent["grp"]
        if not isinstance(grp, list | tuple) or not all(isinstance(g, str) for g in grp):
            raise ValueError("grp must be an array of texts")
        return cls(iss, iat, exp, talent["sid"], talent["cat"], talent["tier"], tuple(grp),
                   talent["mn"])  # fmt: skip


def sid_for(talent_pk, secret: bytes | str) -> str:
    """The pseudonymous talent id: HMAC-SHA256 of the pk under a server secret, 16 hex chars."""
    key = secret.encode() if isinstance(secret, str) else bytes(secret)
    return hmac.new(key, str(talent_pk).encode(), hashlib.sha256).hexdigest()[:16]


def mask_name(name: str) -> str:
    """ "谭志强" -> "谭*": the surname (first character) and a star."""
    name = (name or "").strip()
    return f"{name[0]}*" if name else "*"


# ---------------------------------------------------------------------------------------------
# Issue


def _bstr_head(n: int) -> bytes:
    """The CBOR head of a byte string of ``n`` bytes (major type 2, shortest form)."""
    if n < 24:
        return bytes((0x40 | n,))
    if n < 0x100:
        return b"\x58" + bytes((n,))
    if n < 0x10000:
        return b"\x59" + n.to_bytes(2, "big")
    return b"\x5a" + n.to_bytes(4, "big")


# CBOR of the array head (4 items), the context "Signature1" and the empty external AAD.
_SIG1_HEAD = b"\x84\x6aSignature1"


def sig_structure(protected: bytes, payload: bytes) -> bytes:
    """The bytes ES256 signs (RFC 9052 §4.4, no external AAD): the CBOR of
    ``["Signature1", protected, b"", payload]``, written directly (the same bytes as
    ``cbor2.dumps`` gives, which the tests check) because it is on every verification."""
    return b"".join(
        (
            _SIG1_HEAD,
            _bstr_head(len(protected)),
            protected,
            b"\x40",
            _bstr_head(len(payload)),
            payload,
        )
    )


def protected_header(kid: bytes) -> bytes:
    return cbor2.dumps({1: ALG_ES256, 4: bytes(kid)})


def raw_sign(data: bytes, key: SigningKey) -> bytes:
    """Raw ES256 (64-byte r||s) of ``data`` — the benchmark's baseline."""
    return sign_raw(data, key.private)


def raw_verify(data: bytes, signature: bytes, public_key: ec.EllipticCurvePublicKey) -> bool:
    return verify_raw(data, signature, public_key)


def cose_sign1(claims: Claims, key: SigningKey) -> bytes:
    protected = protected_header(key.kid)
    payload = cbor2.dumps(claims.to_cbor_map())
    signature = raw_sign(sig_structure(protected, payload), key)
    return cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature]))


def encode_cose(cose: bytes) -> str:
    return PREFIX + b45encode(zlib.compress(cose, 9))


def issue(claims: Claims, key: SigningKey) -> str:
    """The code text (``"TF1:..."``) for ``claims`` signed with ``key``."""
    return encode_cose(cose_sign1(claims, key))


# ---------------------------------------------------------------------------------------------
# Verify


@dataclass(frozen=True)
class Verified:
    claims: Claims
    kid: bytes
    region: str  # the region of the trust-list key that signed it
    ok = True


@dataclass(frozen=True)
class Refused:
    reason: str  # one of REASONS
    detail: str = ""
    ok = False

    def __post_init__(self) -> None:
        if self.reason not in REASONS:
            raise ValueError(f"unknown refusal reason {self.reason!r}")


class _Format(ValueError):
    pass


def _cbor_exact(data: bytes):
    """Decode one CBOR item that must span all of ``data``."""
    fp = io.BytesIO(data)
    try:
        item = cbor2.CBORDecoder(fp, allow_indefinite=False, allow_duplicate_keys=False).decode()
    except Exception as exc:  # cbor2 raises various errors on hostile input
        raise _Format(f"bad CBOR: {exc}") from None
    if fp.tell() != len(data):
        raise _Format("trailing bytes after the CBOR item")
    return item


def decode_text(text: str | bytes) -> bytes:
    """The COSE bytes of a code text; raises ``ValueError`` on any format error."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("ascii")
        except UnicodeDecodeError:
            raise _Format("not ASCII") from None
    if not isinstance(text, str) or not text.startswith(PREFIX):
        raise _Format(f"missing the {PREFIX} prefix")
    try:
        compressed = b45decode(text[len(PREFIX) :])
    except ValueError as exc:
        raise _Format(f"bad base45: {exc}") from None
    inflater = zlib.decompressobj()
    try:
        cose = inflater.decompress(compressed, 1 << 16)
    except zlib.error as exc:
        raise _Format(f"bad zlib: {exc}") from None
    if not inflater.eof or inflater.unused_data or inflater.unconsumed_tail:
        raise _Format("bad zlib: truncated stream or trailing bytes")
    if _padding_set(compressed, cose):
        raise _Format("bad zlib: padding bits set after the last deflate block")
    return cose


def _padding_set(compressed: bytes, cose: bytes) -> bool:
    """Whether the unused (padding) bits of the deflate stream's last byte are not zero.

    Inflate ignores them, so a changed text could inflate to the same COSE bytes; zlib writes
    zeros. Deflate packs bits from the low end, so any set padding bit makes the highest set
    bit of that byte a padding bit: clearing it inflates to the same bytes exactly when it is
    padding (when it is a used bit, the end-of-block code changes and the output or the
    Adler-32 check does too). One small extra inflate, much cheaper than re-deflating."""
    last = len(compressed) - 5  # the Adler-32 takes the last 4 bytes
    byte = compressed[last]
    if byte == 0:
        return False
    trial = bytearray(compressed)
    trial[last] = byte ^ (1 << (byte.bit_length() - 1))
    try:
        return zlib.decompress(trial) == cose
    except zlib.error:
        return False


@dataclass(frozen=True)
class ParsedCode:
    protected: bytes
    payload: bytes
    signature: bytes
    kid: bytes
    claims: Claims


# Protected headers already checked → their kid: the same few headers (one per region key)
# come with every code, so each is decoded and checked once.
_PROTECTED_KIDS: dict[bytes, bytes] = {}


def _protected_kid(protected: bytes) -> bytes:
    header = _cbor_exact(protected)
    if not isinstance(header, _MAPS):
        raise _Format("protected header must be a map")
    alg, kid = header.get(1), header.get(4)
    if type(alg) is not int or alg != ALG_ES256:
        raise _Format("protected header: alg must be ES256 (-7)")
    if not isinstance(kid, bytes) or not kid:
        raise _Format("protected header: missing kid")
    return kid


def parse_cose(cose: bytes) -> ParsedCode:
    """Structure and claims of COSE_Sign1 bytes (signature not checked)."""
    tagged = _cbor_exact(cose)
    if not isinstance(tagged, cbor2.CBORTag) or tagged.tag != 18:
        raise _Format("not a COSE_Sign1 (tag 18)")
    item = tagged.value
    if not isinstance(item, list | tuple) or len(item) != 4:
        raise _Format("COSE_Sign1 must be an array of 4")
    protected, unprotected, payload, signature = item
    if not isinstance(protected, bytes) or not isinstance(payload, bytes):
        raise _Format("protected header and payload must be byte strings")
    if not isinstance(unprotected, _MAPS):
        raise _Format("unprotected header must be a map")
    if not isinstance(signature, bytes) or len(signature) != 64:
        raise _Format("signature must be 64 bytes")
    kid = _PROTECTED_KIDS.get(protected)
    if kid is None:
        kid = _protected_kid(protected)
        if len(_PROTECTED_KIDS) >= 64:  # a handful of region keys; never grows unbounded
            _PROTECTED_KIDS.clear()
        _PROTECTED_KIDS[protected] = kid
    try:
        claims = Claims.from_cbor_map(_cbor_exact(payload))
    except ValueError as exc:
        raise _Format(f"claims: {exc}") from None
    return ParsedCode(protected, payload, signature, kid, claims)


def verify(
    text: str | bytes,
    *,
    trust: TrustList,
    revoked: RevocationList | None,
    now: int,
    service: Service | None = None,
) -> Verified | Refused:
    """Check a code text; ``Verified`` or ``Refused`` with the first failing reason."""
    try:
        parsed = parse_cose(decode_text(text))
    except _Format as exc:
        return Refused("format", str(exc))
    claims = parsed.claims
    key = trust.lookup(parsed.kid)
    if key is None:
        return Refused("unknown_key", f"key {b64(parsed.kid)} is not in the trust list")
    if key.region != claims.iss:
        return Refused(
            "unknown_key", f"key {b64(parsed.kid)} is {key.region}'s, not {claims.iss}'s"
        )
    if not key.valid_at(claims.iat):
        return Refused(
            "key_not_valid",
            f"issued at {claims.iat}, outside the key's [{key.not_before}, {key.not_after}]",
        )
    if not verify_raw(
        sig_structure(parsed.protected, parsed.payload), parsed.signature, key.public_key
    ):
        return Refused("signature", "the signature does not verify")
    if now < claims.iat - SKEW:
        return Refused("not_yet_valid", f"issued at {claims.iat}, now {now}")
    if now >= claims.exp:
        return Refused("expired", f"expired at {claims.exp}, now {now}")
    if revoked is not None and revoked.contains(claims.iss, claims.sid, claims.iat):
        return Refused("revoked", "the talent's credential was revoked")
    if service is not None and not service.admits(claims.tier, claims.grp):
        return Refused(
            "ineligible",
            f"service {service.code} is for tiers {', '.join(service.eligible_tiers)} "
            f"in group {service.group}",
        )
    return Verified(claims, parsed.kid, key.region)


# ---------------------------------------------------------------------------------------------
# QR


def qr_svg(text: str, *, scale: int = 4) -> str:
    """The code as an inline SVG QR code (alphanumeric mode, error correction Q)."""
    qr = segno.make_qr(text, error="q", mode="alphanumeric", boost_error=False)
    return qr.svg_inline(scale=scale)
