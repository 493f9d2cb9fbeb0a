"""Signed trust and revocation lists: canonical JSON, root key pinning, incremental merge."""

from __future__ import annotations

import base64
import copy
import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentflow.credentials.code import SigningKey
from talentflow.credentials.lists import (
    ListSignatureError,
    RevocationList,
    Service,
    TrustKey,
    TrustList,
    canonical_json,
    open_list,
    revocation_hash,
    sign_list,
    verify_raw,
)

ROOT = SigningKey.from_private_value(7)
OTHER = SigningKey.from_private_value(8)
REGION_KEY = SigningKey.from_private_value(9)


def trust_body() -> dict:
    return TrustList("yrd", 1_780_000_000, [REGION_KEY.trust_key("330421", 1, 2)]).to_body()


def test_signed_list_opens_with_the_root_key():
    signed = sign_list(trust_body(), ROOT)
    assert set(signed) == {"body", "kid", "sig"}
    assert base64.b64decode(signed["kid"]) == hashlib.sha256(ROOT.spki).digest()[:8]
    assert len(base64.b64decode(signed["sig"])) == 64
    # survives a JSON round trip (what a client gets over HTTP)
    body = open_list(json.loads(json.dumps(signed)), ROOT.spki_b64)
    assert TrustList.from_body(body).lookup(REGION_KEY.kid).region == "330421"


def test_signature_covers_the_canonical_bytes():
    body = {"b": [1, "二"], "a": {"y": None, "x": True}}
    data = canonical_json(body)
    assert data == '{"a":{"x":true,"y":null},"b":[1,"二"]}'.encode()
    signed = sign_list(body, ROOT)
    assert verify_raw(data, base64.b64decode(signed["sig"]), ROOT.public_key)
    with pytest.raises(ValueError):
        canonical_json({"amount": 1.5})


def test_refused_with_another_key():
    signed = sign_list(trust_body(), ROOT)
    with pytest.raises(ListSignatureError):
        open_list(signed, OTHER.spki_b64)
    with pytest.raises(ListSignatureError):
        open_list(sign_list(trust_body(), OTHER), ROOT.spki_b64)
    forged = dict(sign_list(trust_body(), OTHER), kid=ROOT.kid_b64)  # claims the root's kid
    with pytest.raises(ListSignatureError):
        open_list(forged, ROOT.spki_b64)


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_refused_when_one_byte_of_the_body_changes(data):
    signed = sign_list(trust_body(), ROOT)
    text = json.dumps(signed["body"], ensure_ascii=False).encode()
    i = data.draw(st.integers(0, len(text) - 1))
    byte = data.draw(st.integers(0, 255).filter(lambda b: b != text[i]))
    mutated = text[:i] + bytes([byte]) + text[i + 1 :]
    try:
        body = json.loads(mutated.decode())
    except (UnicodeDecodeError, ValueError):
        return  # no longer JSON: a client cannot even parse it
    if _plain(body) and canonical_json(body) == canonical_json(signed["body"]):
        return  # e.g. whitespace changed: the same body, rightly accepted
    with pytest.raises(ListSignatureError):
        open_list({**signed, "body": body}, ROOT.spki_b64)


def _plain(value) -> bool:
    try:
        canonical_json(value)
    except ValueError:
        return False
    return isinstance(value, dict)


def test_refused_when_a_value_changes_or_the_shape_is_wrong():
    signed = sign_list(trust_body(), ROOT)
    changed = copy.deepcopy(signed)
    changed["body"]["keys"][0]["not_after"] += 1
    with pytest.raises(ListSignatureError):
        open_list(changed, ROOT.spki_b64)
    for broken in ({"body": signed["body"]}, {**signed, "sig": "***"}, {**signed, "body": []}):
        with pytest.raises(ListSignatureError):
            open_list(broken, ROOT.spki_b64)


def test_trust_key_kid_must_match_its_spki():
    item = REGION_KEY.trust_key("330421", 1, 2).to_json()
    assert TrustKey.from_json(item).kid == REGION_KEY.kid
    with pytest.raises(ValueError):
        TrustKey.from_json({**item, "kid": OTHER.kid_b64})


# --- revocation ---------------------------------------------------------------------------

operations = st.lists(
    st.tuples(
        st.sampled_from(["330421", "310118", "320509"]),
        st.sampled_from([f"{i:016x}" for i in range(6)]),  # few sids: re-revocations happen
        st.integers(0, 10**6),
    ),
    max_size=30,
)


@settings(max_examples=200, deadline=None)
@given(operations, st.lists(st.integers(0, 30), max_size=6))
def test_incremental_merge_equals_the_full_list(ops, sync_points):
    server = RevocationList("yrd")
    client = RevocationList("yrd")
    fresh = set(sync_points)
    for n, (iss, sid, since) in enumerate(ops, start=1):
        server.revoke(iss, sid, since, at=n)
        if n in fresh:  # the client syncs now and then with ?since=<its seq>
            client.merge(json.loads(json.dumps(server.since(client.seq))))
    client.merge(server.since(client.seq))
    assert client.to_body() == server.to_body()
    assert RevocationList.from_body(server.to_body()).to_body() == server.to_body()
    # merging a delta twice, or an old delta late, changes nothing
    client.merge(server.since(0))
    assert client.to_body() == server.to_body()
    for iss, sid, _ in ops:
        for iat in (0, 10**6):
            assert client.contains(iss, sid, iat) == server.contains(iss, sid, iat)


def test_revocation_semantics_and_delta():
    rl = RevocationList("yrd")
    rl.revoke("330421", "a" * 16, 1000)
    rl.revoke("310118", "b" * 16, 2000)
    assert rl.contains("330421", "a" * 16, 999)
    assert not rl.contains("330421", "a" * 16, 1000)  # a later code passes
    assert not rl.contains("310118", "a" * 16, 999)  # the hash covers the issuer
    delta = rl.since(1)
    assert delta["seq"] == 2 and [e["seq"] for e in delta["entries"]] == [2]
    assert delta["entries"][0]["h"] == hashlib.sha256(b"310118:" + b"b" * 16).digest()[:16].hex()
    assert revocation_hash("310118", "b" * 16) == delta["entries"][0]["h"]
    rl.revoke("330421", "a" * 16, 5000)  # revoked again later
    assert rl.contains("330421", "a" * 16, 4000)
    assert [e["seq"] for e in rl.since(2)["entries"]] == [3]
    with pytest.raises(ValueError):
        RevocationList("other").merge(delta)


def test_signed_revocation_list_round_trip():
    rl = RevocationList("yrd")
    rl.revoke("330421", "c" * 16, 10, at=10)
    signed = sign_list(rl.since(0), ROOT)
    client = RevocationList("yrd")
    client.merge(open_list(json.loads(json.dumps(signed)), ROOT.spki_b64))
    assert client.contains("330421", "c" * 16, 9)
    bad = copy.deepcopy(signed)
    bad["body"]["entries"][0]["since"] = 11
    with pytest.raises(ListSignatureError):
        open_list(bad, ROOT.spki_b64)


def test_service_admits():
    service = Service("APT", "housing", ["A", "B"], "once")
    assert service.admits("A", ("housing",))
    assert not service.admits("C", ("housing",))
    assert not service.admits("A", ("medical",))
    with pytest.raises(ValueError):
        Service("X", "g", ("A",), "twice")
