"""Talent code (人才码) issue and verify rates next to raw ES256 (issue 7).

    uv run python bench/bench_talent_code.py [--codes 2000] [--runs 7] [--revoked 10000]

Issues ``--codes`` distinct codes for three regions' keys, then times, best and median of
``--runs`` passes over all of them: ``issue`` (claims -> "TF1:..." text: CBOR, COSE_Sign1,
ES256, zlib, base45), the full ``verify`` (strict base45/zlib/CBOR decoding, claims checks, trust
list lookup, key window, ES256, time, revocation list of ``--revoked`` entries, service
eligibility), its decoding part alone (base45, zlib, CBOR, claims: no ES256), and raw ES256
sign and verify (``raw_sign``/``raw_verify``) of the very same
COSE Sig_structure bytes. Prints the rates, the ratio full verify / raw verify (target >= 0.5)
and peak RSS. Not a test: nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from talentflow.credentials.code import (
    Claims,
    SigningKey,
    decode_text,
    issue,
    parse_cose,
    raw_sign,
    raw_verify,
    sid_for,
    sig_structure,
    verify,
)
from talentflow.credentials.lists import RevocationList, Service, TrustList

REGIONS = ("330421", "310118", "320509")
NOW = 1_780_000_000


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def make_claims(n: int, seed: int) -> list[Claims]:
    rng = random.Random(seed)
    groups = ["housing", "transport", "medical", "schooling", "culture", "finance"]
    surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗谭"
    return [
        Claims(
            iss=REGIONS[i % 3],
            iat=NOW - rng.randint(0, 300),
            exp=NOW + 600,
            sid=sid_for(100_000 + i, b"bench secret"),
            cat=rng.choice(["A1", "B2", "C1", "C3", "D2", "E1"]),
            tier=rng.choice("ABCDE"),
            grp=tuple(rng.sample(groups, rng.randint(1, 5))),
            mn=rng.choice(surnames) + "*",
        )
        for i in range(n)
    ]


def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        function()
        times.append(time.perf_counter() - t)
    return times


def line(name: str, times: list[float], count: int) -> float:
    best = count / min(times)
    print(
        f"{name:<24} best {best:9,.0f} codes/s   median {count / statistics.median(times):9,.0f}"
        f" codes/s   ({min(times) / count * 1e6:6.1f} µs each)"
    )
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--codes", type=int, default=2000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--revoked", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    keys = {r: SigningKey.from_private_value(0xBE7C_0000 + i) for i, r in enumerate(REGIONS)}
    trust = TrustList(
        "bench", NOW, [k.trust_key(r, NOW - 86_400, NOW + 86_400) for r, k in keys.items()]
    )
    revoked = RevocationList("bench")
    for i in range(args.revoked):  # other talents: the codes below are not revoked
        revoked.revoke(REGIONS[i % 3], sid_for(i, b"bench secret"), NOW)
    service = Service("BENCH-1", "housing", ("A", "B", "C", "D", "E"))
    claims = make_claims(args.codes, args.seed)
    rss_before = peak_rss_mb()

    texts: list[str] = []

    def issue_all() -> None:
        texts[:] = [issue(c, keys[c.iss]) for c in claims]

    issue_times = timed(issue_all, args.runs)
    print(
        f"{args.codes} codes, {len(texts[0])}-{max(map(len, texts))} characters "
        f"(e.g. {texts[0][:40]}...), revocation list of {args.revoked} entries"
    )
    parsed = [parse_cose(decode_text(t)) for t in texts]
    signed = [sig_structure(p.protected, p.payload) for p in parsed]
    private = [keys[c.iss] for c in claims]
    public = [trust.lookup(p.kid).public_key for p in parsed]
    signatures = [p.signature for p in parsed]

    outcomes: list = []

    def verify_all() -> None:
        outcomes[:] = [verify(t, trust=trust, revoked=revoked, now=NOW) for t in texts]

    def verify_service_all() -> None:
        outcomes[:] = [
            verify(t, trust=trust, revoked=revoked, now=NOW, service=service) for t in texts
        ]

    def decode_all() -> None:
        for t in texts:
            parse_cose(decode_text(t))

    raw_ok: list[bool] = []

    def raw_sign_all() -> None:
        for data, key in zip(signed, private, strict=True):
            raw_sign(data, key)

    def raw_verify_all() -> None:
        raw_ok[:] = [
            raw_verify(d, s, k) for d, s, k in zip(signed, signatures, public, strict=True)
        ]

    # interleave full and raw verify passes so that both see the same machine load
    verify_times, raw_times, sign_times, service_times, decode_times = [], [], [], [], []
    for _ in range(args.runs):
        verify_times += timed(verify_all, 1)
        raw_times += timed(raw_verify_all, 1)
        sign_times += timed(raw_sign_all, 1)
        service_times += timed(verify_service_all, 1)
        decode_times += timed(decode_all, 1)
    assert all(raw_ok), "raw verify failed"
    assert all(o.ok for o in outcomes if o.ok or o.reason != "ineligible")

    issue_rate = line("issue (full code)", issue_times, args.codes)
    sign_rate = line("raw ES256 sign", sign_times, args.codes)
    verify_rate = line("verify (full code)", verify_times, args.codes)
    line("verify + service check", service_times, args.codes)
    raw_rate = line("raw ES256 verify", raw_times, args.codes)
    line("decode + parse only", decode_times, args.codes)
    print(f"{'':<24} issue / raw sign     {issue_rate / sign_rate:.2f}")
    print(f"{'':<24} verify / raw verify  {verify_rate / raw_rate:.2f}   (target >= 0.5)")
    print(f"{'':<24} peak RSS {peak_rss_mb():.0f} MB (before issuing {rss_before:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
