"""The browser verifier of the talent code (``static/credentials/verify.js``) agrees with the
Python one (``talentflow.credentials.code.verify``), in a real browser.

Every test vector of ``make_vectors`` gives the same outcome in the browser (a valid code the
same claims, a refused one the same reason); so do random single-byte changes of code texts
(all refused) and random single-byte changes of the COSE bytes under a fresh zlib/base45 wrap
(which reach the CBOR and signature checks). The signed lists open against the pinned root key
only when untouched. And with the page offline after the script and the lists were loaded, a
code still verifies: nothing needs the network.

No Django server: the module is served from a temporary folder by ``http.server`` (a module
script needs an http origin).
"""

from __future__ import annotations

import base64
import functools
import http.server
import random
import shutil
import threading
import zlib
from pathlib import Path

import cbor2
import pytest

from talentflow.credentials import code as pycode
from talentflow.credentials.lists import RevocationList, Service, TrustList, open_list
from talentflow.credentials.tests import make_vectors
from talentflow.tests.test_browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is not installed"),
]

VERIFY_JS = Path(pycode.__file__).resolve().parent / "static" / "credentials" / "verify.js"
HARNESS = '<!doctype html><html><head><meta charset="utf-8"><title>verify.js</title></head>\
<body><p id="status">loading</p><script type="module">import * as V from "./verify.js";\
window.V = V; document.getElementById("status").textContent = "ready";</script></body></html>'

REFUSALS_OF_A_CHANGE = {"format", "unknown_key", "key_not_valid", "signature"}
BASE45 = pycode.BASE45


# ---------------------------------------------------------------------------------------------
# Fixtures


@pytest.fixture(scope="module")
def vectors() -> dict:
    return make_vectors.build()


@pytest.fixture(scope="module")
def origin(tmp_path_factory):
    """An http origin serving the harness page and verify.js."""
    root = tmp_path_factory.mktemp("verify_js")
    shutil.copy(VERIFY_JS, root / "verify.js")
    (root / "index.html").write_text(HARNESS, encoding="utf-8")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=str(root))
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


def open_harness(context, origin):
    from playwright.sync_api import expect

    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{origin}/index.html")
    expect(page.locator("#status")).to_have_text("ready")
    assert not errors
    return page


@pytest.fixture(scope="module")
def page(chromium, origin):
    context = chromium.new_context()
    context.set_default_timeout(30_000)
    yield open_harness(context, origin)
    context.close()


# Verifies a list of [text, service-or-null] against the opened lists; the lists are opened in
# the page with the pinned root key, as a counter page does.
VERIFY_MANY = """async ({vectors, cases}) => {
  const V = window.V;
  const trust = await V.loadTrustList(
      await V.openSignedList(vectors.trust_list, vectors.root.spki));
  const revocation = V.RevocationList.fromBody(
      await V.openSignedList(vectors.revocation_list, vectors.root.spki));
  const out = [];
  for (const [text, service] of cases) {
    const r = await V.verifyCode(text, {trust, revocation, now: vectors.now, service});
    out.push(r.ok ? {ok: true, claims: r.claims, region: r.region}
                  : {ok: false, reason: r.reason, detail: r.detail});
  }
  return out;
}"""


def services_by_code(vectors) -> dict:
    return {s["code"]: s for s in vectors["services"]}


def js_verify(page, vectors, cases: list[tuple[str, str | None]]) -> list[dict]:
    services = services_by_code(vectors)
    payload = [[text, services[code] if code else None] for text, code in cases]
    return page.evaluate(VERIFY_MANY, {"vectors": vectors, "cases": payload})


def py_verify(vectors, text: str, service_code: str | None = None) -> str:
    """The Python verifier's outcome ("valid" or the reason) against the vectors' lists."""
    root = vectors["root"]["spki"]
    trust = TrustList.from_body(open_list(vectors["trust_list"], root))
    revoked = RevocationList.from_body(open_list(vectors["revocation_list"], root))
    service = None
    if service_code:
        s = services_by_code(vectors)[service_code]
        service = Service(s["code"], s["group"], tuple(s["eligible_tiers"]), s["limit"])
    outcome = pycode.verify(text, trust=trust, revoked=revoked, now=vectors["now"], service=service)
    return "valid" if outcome.ok else outcome.reason


def outcome(result: dict) -> str:
    return "valid" if result["ok"] else result["reason"]


# ---------------------------------------------------------------------------------------------
# Layers


def test_each_layer_gives_the_bytes_python_gives(page, vectors):
    debug = vectors["debug"]
    got = page.evaluate(
        """(d) => {
          const V = window.V;
          const hex = (b) => V.toHex(b);
          const unhex = (h) => new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)));
          const zbytes = V.base45Decode(d.text.slice(V.PREFIX.length));
          const cose = V.zlibInflate(zbytes);
          const parsed = V.parseCose(cose);
          return {
            zlib: hex(zbytes),
            cose: hex(cose),
            protected: hex(parsed.protected),
            payload: hex(parsed.payload),
            kid: V.base64Encode(parsed.kid),
            claims: parsed.claims,
            sig_structure: hex(V.sigStructure(unhex(d.protected_hex), unhex(d.payload_hex))),
            base45: V.base45Encode(zbytes),
          };
        }""",
        debug,
    )
    assert got["zlib"] == debug["zlib_hex"]
    assert got["cose"] == debug["cose_hex"]
    assert got["protected"] == debug["protected_hex"]
    assert got["payload"] == debug["payload_hex"]
    assert got["kid"] == debug["kid"]
    assert got["claims"] == debug["claims"]
    assert got["sig_structure"] == debug["sig_structure_hex"]
    assert prefix_of(debug["text"]) + got["base45"] == debug["text"]


def prefix_of(text: str) -> str:
    return text[: len(pycode.PREFIX)]


def test_canonical_json_and_revocation_hash_match_python(page, vectors):
    body = {
        "z": 1,
        "a": [True, False, None, -5, '谭*\n"\\\u0001\u2028'],
        "10": {"9": "x", "b": [], "B": {}},
        "\U0001f600": "astral key",
        "\uff01": "BMP key above the surrogates",
    }
    got = page.evaluate(
        """async (body) => [V.canonicalJson(body), await V.revocationHash("330421", "谭0a1b")]""",
        body,
    )
    from talentflow.credentials.lists import canonical_json, revocation_hash

    assert got[0] == canonical_json(body).decode()
    assert got[1] == revocation_hash("330421", "谭0a1b")
    trust_text = page.evaluate("(b) => V.canonicalJson(b)", vectors["trust_list"]["body"])
    assert trust_text == vectors["debug"]["canonical_trust_body"]


def test_floats_cannot_be_signed(page):
    assert (
        page.evaluate(
            "() => { try { V.canonicalJson({a: 1.5}); return 'signed'; }"
            " catch { return 'refused'; } }"
        )
        == "refused"
    )


# ---------------------------------------------------------------------------------------------
# Signed lists


def test_signed_lists_open_only_when_untouched(page, vectors):
    got = page.evaluate(
        """async (lists) => {
          const out = {};
          for (const l of lists) {
            try { await V.openSignedList(l.signed, l.root_spki); out[l.name] = "ok"; }
            catch (e) { out[l.name] = e instanceof V.ListSignatureError ? "bad_signature"
                                                                         : String(e); }
          }
          return out;
        }""",
        vectors["lists"],
    )
    assert got == {v["name"]: v["expect"] for v in vectors["lists"]}
    assert "bad_signature" in got.values() and "ok" in got.values()


def test_revocation_delta_merges_into_an_older_list(page, vectors):
    root = vectors["root"]["spki"]
    full = open_list(vectors["revocation_list"], root)
    since = vectors["revocation_delta"]["since"]
    older = {
        **full,
        "seq": since,
        "entries": [e for e in full["entries"] if e["seq"] <= since],
    }
    got = page.evaluate(
        """async ({older, delta, root}) => {
          const list = V.RevocationList.fromBody(older);
          const before = list.entries.size;
          list.merge(await V.openSignedList(delta, root));
          return [before, list.toBody()];
        }""",
        {"older": older, "delta": vectors["revocation_delta"]["signed"], "root": root},
    )
    assert got[0] == len(older["entries"]) < len(full["entries"])
    assert got[1] == RevocationList.from_body(full).to_body()


# ---------------------------------------------------------------------------------------------
# Codes


def test_every_vector_gives_python_s_outcome(page, vectors):
    codes = vectors["codes"]
    results = js_verify(page, vectors, [(c["text"], c["service"]) for c in codes])
    for case, result in zip(codes, results, strict=True):
        assert outcome(result) == case["expect"], (case["name"], result)
        if case["expect"] == "valid":
            assert result["claims"] == case["claims"], case["name"]
    assert {c["expect"] for c in codes} == {"valid", *vectors["reasons"]}


def mutate_text(text: str, rng: random.Random) -> str:
    """One byte of the text changed (a base45 character mostly, sometimes any printable)."""
    i = rng.randrange(len(text))
    pool = BASE45 if rng.random() < 0.85 else "".join(map(chr, range(0x20, 0x7F)))
    c = rng.choice([ch for ch in pool if ch != text[i]])
    return text[:i] + c + text[i + 1 :]


def valid_texts(vectors) -> list[str]:
    return [c["text"] for c in vectors["codes"] if c["expect"] == "valid" and not c["service"]]


def test_random_single_byte_changes_are_refused_alike(page, vectors):
    rng = random.Random(20260528)
    texts = valid_texts(vectors)
    mutants = sorted({mutate_text(rng.choice(texts), rng) for _ in range(400)})
    results = js_verify(page, vectors, [(m, None) for m in mutants])
    for mutant, result in zip(mutants, results, strict=True):
        assert outcome(result) in REFUSALS_OF_A_CHANGE, (mutant, result)
        assert outcome(result) == py_verify(vectors, mutant), (mutant, result)


def reencode(cose: bytes) -> str:
    return pycode.PREFIX + pycode.b45encode(zlib.compress(cose, 9))


def test_random_changes_of_the_cose_bytes_are_refused_alike(page, vectors):
    """A single byte of the COSE changed and wrapped again: the change gets past zlib's
    checksum into the CBOR, header, claims and signature checks of both verifiers."""
    rng = random.Random(7)
    coses = [pycode.decode_text(t) for t in valid_texts(vectors)]
    mutants = set()
    while len(mutants) < 300:
        cose = bytearray(rng.choice(coses))
        i = rng.randrange(len(cose))
        cose[i] = rng.choice([b for b in range(256) if b != cose[i]])
        mutants.add(reencode(bytes(cose)))
    mutants = sorted(mutants)
    results = js_verify(page, vectors, [(m, None) for m in mutants])
    reasons = set()
    for mutant, result in zip(mutants, results, strict=True):
        expected = py_verify(vectors, mutant)
        assert outcome(result) == expected, (pycode.decode_text(mutant).hex(), result)
        assert expected in REFUSALS_OF_A_CHANGE
        reasons.add(expected)
    # The changes reached past the format checks too.
    assert {"format", "signature"} <= reasons


def kid_hex(vectors) -> str:
    return base64.b64decode(vectors["debug"]["kid"]).hex()


def bstr(hex_bytes: str) -> str:
    return cbor2.dumps(bytes.fromhex(hex_bytes)).hex()


def hostile_cbor(vectors) -> dict[str, str]:
    """COSE the server refuses as "format", each with one flaw, the rest valid (a known kid,
    valid claims, a zero signature), so that a browser decoder without the check would go on
    to another reason: indefinite lengths, duplicate keys (1 and true are one key), invalid
    UTF-8, reserved values, trailing bytes, a bignum of the wrong type, a float alg."""
    kid = "48" + kid_hex(vectors)
    payload = bstr(vectors["debug"]["payload_hex"])
    prot = bstr("a2012604" + kid)
    sig = "5840" + "00" * 64
    return {
        "indefinite_map": "d284" + prot + "bfff" + payload + sig,
        "duplicate_keys": "d284" + bstr("a3012604" + kid + "04" + kid) + "a0" + payload + sig,
        "true_is_one": "d284" + bstr("a3012604" + kid + "f526") + "a0" + payload + sig,
        "bad_utf8_key": "d284" + prot + "a162c32800" + payload + sig,
        "reserved_ai": "d284" + prot + "a0" + "5c" + sig,
        "simple_below_32": "d284" + prot + "a0" + "f813" + sig,
        "trailing_in_header": "d284" + bstr("a2012604" + kid + "00") + "a0" + payload + sig,
        "bignum_of_int": "d284" + prot + "a1c20101" + payload + sig,
        "float_alg": "d284" + bstr("a201f9c70004" + kid) + "a0" + payload + sig,
        "trailing_after_cose": "d284" + prot + "a0" + payload + sig + "00",
    }


HOSTILE_NAMES = [
    "bad_utf8_key",
    "bignum_of_int",
    "duplicate_keys",
    "float_alg",
    "indefinite_map",
    "reserved_ai",
    "simple_below_32",
    "trailing_after_cose",
    "trailing_in_header",
    "true_is_one",
]


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_hostile_cbor_is_refused_alike(page, vectors, name):
    text = reencode(bytes.fromhex(hostile_cbor(vectors)[name]))
    [result] = js_verify(page, vectors, [(text, None)])
    assert outcome(result) == py_verify(vectors, text) == "format", result


def test_the_hostile_cbor_is_otherwise_valid(vectors):
    """Without its flaw each hostile COSE would reach the signature check."""
    kid = "48" + kid_hex(vectors)
    payload = bstr(vectors["debug"]["payload_hex"])
    fine = "d284" + bstr("a2012604" + kid) + "a0" + payload + "5840" + "00" * 64
    assert py_verify(vectors, reencode(bytes.fromhex(fine))) == "signature"
    assert sorted(hostile_cbor(vectors)) == HOSTILE_NAMES


def padding_bit_change(text: str) -> str | None:
    """A single-character change of ``text`` that only flips the padding bits after the last
    deflate block (the inflated bytes stay the same), or None if this text has none."""
    original = zlib.decompress(pycode.b45decode(text[len(pycode.PREFIX) :]))
    for i in range(len(pycode.PREFIX), len(text)):
        for c in BASE45:
            if c == text[i]:
                continue
            changed = text[:i] + c + text[i + 1 :]
            try:
                if zlib.decompress(pycode.b45decode(changed[len(pycode.PREFIX) :])) == original:
                    return changed
            except (ValueError, zlib.error):
                continue
    return None


def a_padding_bit_change(vectors) -> str:
    """A changed text of a code whose claims compress (repetitive groups), so the deflate data
    is Huffman-coded and ends with padding bits; a stored (incompressible) block has none that
    one character can reach."""
    claims = make_vectors.claims(grp=tuple(f"housing-{c}" for c in "abcdef"))
    for k in range(200):
        text = pycode.issue(
            pycode.Claims(**{**claims.__dict__, "exp": claims.exp + k}), make_vectors.JIASHAN_KEY
        )
        changed = padding_bit_change(text)
        if changed:
            return changed
    pytest.fail("no code with a padding-bit change found")


def test_a_change_of_the_zlib_padding_bits_is_refused_in_the_browser(page, vectors):
    """zlib ignores the padding bits after the last deflate block, so about one random change in
    ten thousand leaves the inflated bytes alone; the browser verifier refuses it."""
    changed = a_padding_bit_change(vectors)
    [result] = js_verify(page, vectors, [(changed, None)])
    assert outcome(result) == "format"
    assert "padding" in result["detail"]


def test_a_change_of_the_zlib_padding_bits_is_refused_by_python(vectors):
    """The server refuses it too (its stream must be exactly zlib.compress(cose, 9))."""
    assert py_verify(vectors, a_padding_bit_change(vectors)) == "format"


# ---------------------------------------------------------------------------------------------
# Offline


def test_verifies_with_the_network_cut_after_the_lists_were_cached(chromium, origin, vectors):
    """The counter page loaded the script and cached the signed lists; the network goes; codes
    are still verified (valid, revoked, ineligible) and not one request is attempted."""
    context = chromium.new_context()
    context.set_default_timeout(30_000)
    try:
        page = open_harness(context, origin)
        page.evaluate(
            """(lists) => { localStorage.setItem("tf-lists", JSON.stringify(lists)); }""",
            {
                "root": vectors["root"]["spki"],
                "trust": vectors["trust_list"],
                "revocation": vectors["revocation_list"],
            },
        )
        requests = []
        page.on("request", lambda request: requests.append(request.url))
        context.set_offline(True)
        assert (
            page.evaluate(
                """async (url) => { try { await fetch(url, {cache: "no-store"}); return "online"; }
                               catch { return "offline"; } }""",
                f"{origin}/index.html",
            )
            == "offline"
        )
        requests.clear()

        codes = {c["name"]: c for c in vectors["codes"]}
        services = services_by_code(vectors)
        cases = [
            [codes["valid_service"]["text"], services["JS-APT-01"]],
            [codes["revoked"]["text"], None],
            [codes["ineligible_tier"]["text"], services["QP-MED-03"]],
        ]
        got = page.evaluate(
            """async ({cases, now}) => {
              const cached = JSON.parse(localStorage.getItem("tf-lists"));
              const trust = await V.loadTrustList(
                  await V.openSignedList(cached.trust, cached.root));
              const revocation = V.RevocationList.fromBody(
                  await V.openSignedList(cached.revocation, cached.root));
              const out = [];
              for (const [text, service] of cases) {
                out.push(await V.verifyCode(text, {trust, revocation, now, service}));
              }
              return out.map((r) => r.ok ? {ok: true, claims: r.claims} : {ok: false,
                                                                           reason: r.reason});
            }""",
            {"cases": cases, "now": vectors["now"]},
        )
        assert got == [
            {"ok": True, "claims": codes["valid_service"]["claims"]},
            {"ok": False, "reason": "revoked"},
            {"ok": False, "reason": "ineligible"},
        ]
        assert got[0]["claims"]["mn"] == "谭*"
        assert requests == []
    finally:
        context.close()
