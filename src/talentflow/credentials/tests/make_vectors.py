"""Print test vectors for other talent-code verifiers (the JavaScript one) as JSON on stdout.

    uv run python -m talentflow.credentials.tests.make_vectors > vectors.json

Fixed keys (from fixed private numbers) and deterministic ES256 (RFC 6979), so the output is
the same on every run. Layout::

    {"now": int, "skew": 300, "root": {"spki": b64, "kid": b64},
     "trust_list": signed, "revocation_list": signed (full), "revocation_delta":
     {"since": M, "signed": signed delta}, "services": [Service.to_json()...],
     "codes": [{"name", "text", "service": code|null, "expect": "valid"|reason,
                "claims": {...}|null}...],
     "lists": [{"name", "kind": "trust"|"revocation", "signed", "root_spki", "expect":
                "ok"|"bad_signature"}...],
     "debug": {"cose_hex", "protected_hex", "payload_hex", "sig_structure_hex", ...}}

A verifier must return exactly ``expect`` for each code when given the opened trust list,
the opened revocation list, ``now`` and the named service (or none).
"""

from __future__ import annotations

import copy
import json
import sys
import zlib

import cbor2

from talentflow.credentials.code import (
    ALG_ES256,
    PREFIX,
    REASONS,
    SKEW,
    Claims,
    SigningKey,
    b45encode,
    cose_sign1,
    issue,
    protected_header,
    raw_sign,
    sig_structure,
    verify,
)
from talentflow.credentials.lists import (
    RevocationList,
    Service,
    TrustList,
    open_list,
    sign_list,
)

NOW = 1_780_000_000  # 2026-05-28T20:26:40Z
DAY = 86_400
ALLIANCE = "yrd-demo-zone"  # 长三角生态绿色一体化发展示范区

JIASHAN, QINGPU, WUJIANG = "330421", "310118", "320509"

ROOT = SigningKey.from_private_value(0x7A1E_57F1_0000_0001)
JIASHAN_OLD = SigningKey.from_private_value(0x7A1E_57F1_0000_0010)
JIASHAN_KEY = SigningKey.from_private_value(0x7A1E_57F1_0000_0011)
QINGPU_KEY = SigningKey.from_private_value(0x7A1E_57F1_0000_0020)
WUJIANG_KEY = SigningKey.from_private_value(0x7A1E_57F1_0000_0030)
STRAY_KEY = SigningKey.from_private_value(0x7A1E_57F1_0000_0099)  # in no trust list
OTHER_ROOT = SigningKey.from_private_value(0x7A1E_57F1_0000_0002)

ROTATED_AT = NOW - 30 * DAY  # JIASHAN_OLD signs until then; JIASHAN_KEY from then


def trust_list() -> TrustList:
    return TrustList(
        issuer=ALLIANCE,
        issued_at=NOW - DAY,
        keys=[
            JIASHAN_OLD.trust_key(JIASHAN, NOW - 400 * DAY, ROTATED_AT),
            JIASHAN_KEY.trust_key(JIASHAN, ROTATED_AT, NOW + 365 * DAY),
            QINGPU_KEY.trust_key(QINGPU, NOW - 400 * DAY, NOW + 365 * DAY),
            WUJIANG_KEY.trust_key(WUJIANG, NOW - 10 * DAY, NOW + 365 * DAY),
        ],
    )


SID_OK = "0a1b2c3d4e5f6071"
SID_REVOKED = "9f8e7d6c5b4a3921"
SID_REISSUED = "1122334455667788"


def revocation_list() -> RevocationList:
    rl = RevocationList(issuer=ALLIANCE)
    rl.revoke(JIASHAN, "ffffffffffffff01", NOW - 20 * DAY, at=NOW - 20 * DAY)  # seq 1
    rl.revoke(JIASHAN, SID_REVOKED, NOW - 2 * DAY, at=NOW - 2 * DAY)  # seq 2
    rl.revoke(JIASHAN, SID_REISSUED, NOW - DAY, at=NOW - DAY)  # seq 3
    return rl


SERVICES = [
    Service("JS-APT-01", "housing", ("A", "B", "C", "D"), "once"),
    Service("QP-MED-03", "medical", ("A", "B", "C"), "per_year", 4),
    Service("WJ-EDU-02", "schooling", ("A", "B", "C", "D", "E"), "unlimited"),
]


def claims(**changes) -> Claims:
    base = {
        "iss": JIASHAN,
        "iat": NOW - 60,
        "exp": NOW + 540,
        "sid": SID_OK,
        "cat": "C2",
        "tier": "D",
        "grp": ("housing", "transport", "schooling"),
        "mn": "谭*",
    }
    base.update(changes)
    return Claims(**base)


def claims_json(c: Claims) -> dict:
    return {
        "iss": c.iss,
        "iat": c.iat,
        "exp": c.exp,
        "sid": c.sid,
        "cat": c.cat,
        "tier": c.tier,
        "grp": list(c.grp),
        "mn": c.mn,
    }


def raw_code(
    *,
    protected: bytes | None = None,
    payload: bytes | None = None,
    key: SigningKey = JIASHAN_KEY,
    unprotected=None,
    tag: int | None = 18,
    flip_signature: bool = False,
    cose_suffix: bytes = b"",
    zlib_suffix: bytes = b"",
) -> str:
    """A code built layer by layer, to make malformed and tampered ones."""
    protected = protected_header(key.kid) if protected is None else protected
    payload = cbor2.dumps(claims().to_cbor_map()) if payload is None else payload
    signature = raw_sign(sig_structure(protected, payload), key)
    if flip_signature:
        signature = bytes([signature[0] ^ 0x01]) + signature[1:]
    item = [protected, {} if unprotected is None else unprotected, payload, signature]
    cose = cbor2.dumps(cbor2.CBORTag(tag, item) if tag is not None else item) + cose_suffix
    return PREFIX + b45encode(zlib.compress(cose, 9) + zlib_suffix)


def code_cases() -> list[tuple[str, str, str | None, str]]:
    """(name, text, service code or None, expected outcome)."""
    good = issue(claims(), JIASHAN_KEY)
    payload = cbor2.dumps(claims().to_cbor_map())
    missing = claims().to_cbor_map()
    del missing[-260][1]["tier"]
    extra = claims().to_cbor_map()
    extra[-260][1]["idn"] = "330421199001010011"
    tampered_payload = cbor2.dumps(claims(tier="A").to_cbor_map())
    cases = [
        ("valid", good, None, "valid"),
        ("valid_service", good, "JS-APT-01", "valid"),
        ("valid_qingpu_key",
         issue(claims(iss=QINGPU, tier="B", grp=("medical",)), QINGPU_KEY), "QP-MED-03",
         "valid"),
        ("valid_wujiang_key", issue(claims(iss=WUJIANG), WUJIANG_KEY), "WJ-EDU-02", "valid"),
        ("valid_old_key_before_rotation",
         issue(claims(iat=ROTATED_AT - 100, exp=NOW + 600), JIASHAN_OLD), None, "valid"),
        ("valid_within_clock_skew", issue(claims(iat=NOW + SKEW, exp=NOW + 900), JIASHAN_KEY),
         None, "valid"),
        ("valid_reissued_after_revocation",
         issue(claims(sid=SID_REISSUED, iat=NOW - DAY), JIASHAN_KEY), None, "valid"),
        # format
        ("format_no_prefix", good[len(PREFIX):], None, "format"),
        ("format_wrong_prefix", "TF2:" + good[len(PREFIX):], None, "format"),
        ("format_bad_base45_char", good[:-1] + "a", None, "format"),
        ("format_bad_base45_length", good + "A", None, "format"),
        ("format_base45_group_overflow", PREFIX + ":::", None, "format"),
        ("format_bad_zlib", PREFIX + b45encode(b"not zlib at all"), None, "format"),
        ("format_zlib_trailing_bytes", raw_code(zlib_suffix=b"\x00"), None, "format"),
        ("format_bad_cbor", PREFIX + b45encode(zlib.compress(b"\xff\xff\xff", 9)), None,
         "format"),
        ("format_deflate_padding_bits_set", _padding_variant(), None, "format"),
        ("format_cose_trailing_bytes", raw_code(cose_suffix=b"\x00"), None, "format"),
        ("format_not_tag_18", raw_code(tag=None), None, "format"),
        ("format_wrong_tag", raw_code(tag=98), None, "format"),
        ("format_unprotected_not_map", raw_code(unprotected=[]), None, "format"),
        ("format_wrong_alg",
         raw_code(protected=cbor2.dumps({1: -35, 4: JIASHAN_KEY.kid})), None, "format"),
        ("format_missing_kid", raw_code(protected=cbor2.dumps({1: ALG_ES256})), None, "format"),
        ("format_claims_missing_tier", raw_code(payload=cbor2.dumps(missing)), None, "format"),
        ("format_claims_extra_field", raw_code(payload=cbor2.dumps(extra)), None, "format"),
        ("format_iat_not_integer",
         raw_code(payload=cbor2.dumps({**claims().to_cbor_map(), 6: "1780000000"})), None,
         "format"),
        # keys
        ("unknown_key", issue(claims(), STRAY_KEY), None, "unknown_key"),
        ("unknown_key_region_mismatch", issue(claims(iss=QINGPU), JIASHAN_KEY), None,
         "unknown_key"),
        ("key_not_valid_old_key_after_rotation",
         issue(claims(iat=ROTATED_AT + 100), JIASHAN_OLD), None, "key_not_valid"),
        ("key_not_valid_before_key", issue(claims(iss=WUJIANG, iat=NOW - 20 * DAY,
                                                  exp=NOW + 600), WUJIANG_KEY),
         None, "key_not_valid"),
        # signature
        ("signature_flipped_bit", raw_code(flip_signature=True), None, "signature"),
        ("signature_payload_changed", _swap_payload(payload, tampered_payload), None,
         "signature"),
        ("signature_by_other_key_same_kid", raw_code(key=STRAY_KEY,
                                                     protected=protected_header(JIASHAN_KEY.kid)),
         None, "signature"),
        # time
        ("not_yet_valid", issue(claims(iat=NOW + SKEW + 1, exp=NOW + 900), JIASHAN_KEY), None,
         "not_yet_valid"),
        ("expired_exactly_now", issue(claims(exp=NOW), JIASHAN_KEY), None, "expired"),
        ("expired", issue(claims(iat=NOW - 700, exp=NOW - 100), JIASHAN_KEY), None, "expired"),
        # revocation
        ("revoked", issue(claims(sid=SID_REVOKED, iat=NOW - 3 * DAY, exp=NOW + 600),
                          JIASHAN_KEY), None, "revoked"),
        ("revoked_reissued_before_since",
         issue(claims(sid=SID_REISSUED, iat=NOW - DAY - 1), JIASHAN_KEY), None, "revoked"),
        # eligibility
        ("ineligible_tier", issue(claims(tier="D"), JIASHAN_KEY), "QP-MED-03", "ineligible"),
        ("ineligible_group", issue(claims(tier="A", grp=("housing",)), JIASHAN_KEY),
         "WJ-EDU-02", "ineligible"),
    ]  # fmt: skip
    return cases


def _padding_variant() -> str:
    """A valid code with a padding bit of its last deflate byte set: inflates to the same COSE
    bytes, so a verifier must check the padding (see code._padding_set) to refuse it."""
    for n in range(500):
        cose = cose_sign1(claims(cat=f"P{n}"), JIASHAN_KEY)
        compressed = zlib.compress(cose, 9)
        last = len(compressed) - 5
        for bit in range(8):
            changed = bytearray(compressed)
            changed[last] ^= 1 << bit
            try:
                if zlib.decompress(bytes(changed)) == cose:
                    return PREFIX + b45encode(bytes(changed))
            except zlib.error:
                pass
    raise SystemExit("no code with deflate padding bits found")


def _swap_payload(signed_payload: bytes, shown_payload: bytes) -> str:
    """Signed over ``signed_payload`` but carrying ``shown_payload``."""
    protected = protected_header(JIASHAN_KEY.kid)
    signature = raw_sign(sig_structure(protected, signed_payload), JIASHAN_KEY)
    cose = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, shown_payload, signature]))
    return PREFIX + b45encode(zlib.compress(cose, 9))


def build() -> dict:
    trust = trust_list()
    rl = revocation_list()
    services = {s.code: s for s in SERVICES}
    signed_trust = sign_list(trust.to_body(), ROOT)
    signed_rl = sign_list(rl.to_body(), ROOT)
    delta_since = 1
    signed_delta = sign_list(rl.since(delta_since), ROOT)

    codes = []
    for name, text, service, expect in code_cases():
        outcome = verify(
            text,
            trust=trust,
            revoked=rl,
            now=NOW,
            service=services[service] if service else None,
        )
        got = "valid" if outcome.ok else outcome.reason
        if got != expect:  # the vectors are checked against the Python verifier
            raise SystemExit(f"vector {name}: expected {expect}, Python says {got}")
        codes.append(
            {
                "name": name,
                "text": text,
                "service": service,
                "expect": expect,
                "claims": claims_json(outcome.claims) if outcome.ok else None,
            }
        )

    tampered_trust = copy.deepcopy(signed_trust)
    tampered_trust["body"]["keys"][0]["not_after"] += 1
    tampered_rl = copy.deepcopy(signed_rl)
    tampered_rl["body"]["entries"][0]["since"] += 1
    lists = [
        ("trust_ok", "trust", signed_trust, ROOT.spki_b64, "ok"),
        ("revocation_ok", "revocation", signed_rl, ROOT.spki_b64, "ok"),
        ("revocation_delta_ok", "revocation", signed_delta, ROOT.spki_b64, "ok"),
        ("trust_body_changed", "trust", tampered_trust, ROOT.spki_b64, "bad_signature"),
        ("revocation_body_changed", "revocation", tampered_rl, ROOT.spki_b64, "bad_signature"),
        ("trust_other_root_pinned", "trust", signed_trust, OTHER_ROOT.spki_b64, "bad_signature"),
        ("trust_signed_by_other_root", "trust", sign_list(trust.to_body(), OTHER_ROOT),
         ROOT.spki_b64, "bad_signature"),
    ]  # fmt: skip
    list_vectors = []
    for name, kind, signed, spki, expect in lists:
        try:
            open_list(signed, spki)
            got = "ok"
        except ValueError:
            got = "bad_signature"
        if got != expect:
            raise SystemExit(f"list vector {name}: expected {expect}, Python says {got}")
        list_vectors.append(
            {"name": name, "kind": kind, "signed": signed, "root_spki": spki, "expect": expect}
        )

    c = claims()
    cose = cose_sign1(c, JIASHAN_KEY)
    protected = protected_header(JIASHAN_KEY.kid)
    payload = cbor2.dumps(c.to_cbor_map())
    return {
        "now": NOW,
        "skew": SKEW,
        "reasons": list(REASONS),
        "root": {"spki": ROOT.spki_b64, "kid": ROOT.kid_b64},
        "trust_list": signed_trust,
        "revocation_list": signed_rl,
        "revocation_delta": {"since": delta_since, "signed": signed_delta},
        "services": [s.to_json() for s in SERVICES],
        "codes": codes,
        "lists": list_vectors,
        "debug": {
            "claims": claims_json(c),
            "kid": JIASHAN_KEY.kid_b64,
            "spki": JIASHAN_KEY.spki_b64,
            "protected_hex": protected.hex(),
            "payload_hex": payload.hex(),
            "sig_structure_hex": sig_structure(protected, payload).hex(),
            "cose_hex": cose.hex(),
            "zlib_hex": zlib.compress(cose, 9).hex(),
            "text": issue(c, JIASHAN_KEY),
            "canonical_trust_body": json.dumps(
                signed_trust["body"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
            ),
        },
        "notes": [
            "kid and spki and sig are standard base64 with padding; revocation h is hex.",
            "A key signs only codes whose iss equals the key's region (else unknown_key).",
            "Revoked: entry h = sha256(iss + ':' + sid)[:16] exists and iat < since.",
            "Eligible: service.eligible_tiers contains tier and claims grp contains service.group.",
        ],
    }


def main() -> int:
    json.dump(build(), sys.stdout, ensure_ascii=False, indent=1, sort_keys=False)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
