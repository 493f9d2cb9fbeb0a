"""Structured re-ranking: per-expert features as numpy arrays, scored for a whole candidate
set at once, and the explanation of each recommended expert.

Everything here is row-indexed, with rows shared with the BM25 index (``bm25.BM25Index``):
a row is assigned when an expert is indexed and never reused, so an edit (new row, old row
dead) cannot leave stale features behind. Multi-valued fields (codes, pools, organisations)
are ``Ragged`` lists; taxonomy codes are encoded once into the ids of their prefixes so that
"how deep do two codes agree" is a vectorised comparison.
"""

from __future__ import annotations

import array
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from talentflow.matching.engine.bm25 import BM25Index, Grow
from talentflow.matching.engine.types import ExpertDoc, NeedQuery, Reason
from talentflow.matching.engine.weights import (
    DISCIPLINE_PROXIMITY,
    INDUSTRY_PROXIMITY,
    REGION_PROXIMITY,
    TITLE_LEVELS,
    Weights,
)

# GB/T 4754-2017: the 门类 section of each 2-digit 大类 division (sections are ranges).
_SECTION_RANGES = [
    ("A", 1, 5), ("B", 6, 12), ("C", 13, 43), ("D", 44, 46), ("E", 47, 50), ("F", 51, 52),
    ("G", 53, 60), ("H", 61, 62), ("I", 63, 65), ("J", 66, 69), ("K", 70, 70), ("L", 71, 72),
    ("M", 73, 75), ("N", 76, 79), ("O", 80, 82), ("P", 83, 83), ("Q", 84, 85), ("R", 86, 90),
    ("S", 91, 96), ("T", 97, 97),
]  # fmt: skip
SECTION_OF_DIVISION: dict[str, str] = {
    f"{d:02d}": letter for letter, lo, hi in _SECTION_RANGES for d in range(lo, hi + 1)
}

TITLE_CODES = list(TITLE_LEVELS)  # index = stored title code
TITLE_VALUES = np.asarray([TITLE_LEVELS[t] for t in TITLE_CODES], dtype=np.float32)
AVAILABILITY_CODES = {"available": 0, "limited": 1, "unavailable": 2}
AVAILABILITY_NAMES = {v: k for k, v in AVAILABILITY_CODES.items()}


# -- taxonomy codes ---------------------------------------------------------------------------


def industry_levels(code: str) -> tuple[str, ...]:
    """A GB/T 4754 code's chain of prefixes, section first: "3311" → (C, 33, 331, 3311)."""
    code = code.strip().upper()
    if len(code) == 1 and "A" <= code <= "T":
        return (code,)
    if code.isdigit() and 2 <= len(code) <= 4 and code[:2] in SECTION_OF_DIVISION:
        return (SECTION_OF_DIVISION[code[:2]], *(code[:n] for n in range(2, len(code) + 1)))
    return ()


def discipline_levels(code: str) -> tuple[str, ...]:
    """A discipline code's chain of prefixes, scheme-tagged so schemes never match.

    Graduate catalogue: 门类 (2 digits), 一级学科 (4), 二级 (6): "080201" → (g08, g0802,
    g080201). NSFC: department letter, then letter + 2, 4, 6 digits: "E0508" → (nE, nE05,
    nE0508).
    """
    code = code.strip().upper()
    if code.isdigit() and len(code) in (2, 4, 6):
        return tuple(f"g{code[:n]}" for n in range(2, len(code) + 1, 2))
    if code[:1].isalpha() and code[1:].isdigit() and len(code) in (1, 3, 5, 7):
        return (f"n{code[0]}", *(f"n{code[:n]}" for n in range(3, len(code) + 1, 2)))
    return ()


class CodeBook:
    """Codes → small ints, and each code's prefix chain as ids (0 = absent level).

    ``levels`` is an (n_codes, 4) int32 array; ``depth`` how many levels a code has.
    Unknown or malformed codes get an id with depth 0: stored, shown, never matched.
    """

    def __init__(self, chain: Callable[[str], tuple[str, ...]]) -> None:
        self._chain = chain
        self.ids: dict[str, int] = {}
        self.codes: list[str] = []
        self._prefix_ids: dict[str, int] = {}
        self._rows: list[tuple[int, int, int, int]] = []
        self._depths: list[int] = []
        self._levels: np.ndarray | None = None
        self._depth: np.ndarray | None = None

    def encode(self, code: str) -> int:
        cid = self.ids.get(code)
        if cid is not None:
            return cid
        chain = self._chain(code)
        pids = [self._prefix_ids.setdefault(p, len(self._prefix_ids) + 1) for p in chain[:4]]
        self._rows.append(tuple(pids + [0] * (4 - len(pids))))  # type: ignore[arg-type]
        self._depths.append(len(pids))
        self.codes.append(code)
        cid = self.ids[code] = len(self.codes) - 1
        self._levels = self._depth = None
        return cid

    def encode_many(self, codes: Iterable[str]) -> list[int]:
        """Distinct non-empty codes as ids, in order."""
        ids = self.ids
        out: list[int] = []
        for code in codes:
            cid = ids.get(code)
            if cid is None:
                if not code:
                    continue
                cid = self.encode(code)
            if cid not in out:
                out.append(cid)
        return out

    @property
    def levels(self) -> np.ndarray:
        if self._levels is None:
            self._levels = np.asarray(self._rows or [(0, 0, 0, 0)], dtype=np.int32).reshape(-1, 4)
            self._depth = np.asarray(self._depths or [0], dtype=np.int8)
        return self._levels

    @property
    def depth(self) -> np.ndarray:
        _ = self.levels
        assert self._depth is not None
        return self._depth


def common_depth(codebook: CodeBook, expert_cids: np.ndarray, query_cids: np.ndarray) -> np.ndarray:
    """(m, q) array: how many leading levels each expert code shares with each query code."""
    lv = codebook.levels
    e = lv[expert_cids][:, None, :]
    q = lv[query_cids][None, :, :]
    eq = (e == q) & (q != 0)
    return np.cumprod(eq, axis=2, dtype=np.int8).sum(axis=2)


def industry_proximity(depth: np.ndarray, query_depth: np.ndarray) -> np.ndarray:
    """``INDUSTRY_PROXIMITY`` of shared depths; full when the expert lies inside the query
    code (shares all of the query code's levels)."""
    table = np.asarray([INDUSTRY_PROXIMITY[d] for d in range(5)], dtype=np.float32)
    inside = (depth == query_depth[None, :]) & (query_depth[None, :] > 0)
    return np.where(inside, np.float32(INDUSTRY_PROXIMITY[4]), table[np.minimum(depth, 4)])


def discipline_proximity(depth: np.ndarray, query_depth: np.ndarray) -> np.ndarray:
    """``DISCIPLINE_PROXIMITY`` of shared depths: inside/equal → exact, a shared first-level
    discipline (depth ≥ 2) → first, a shared 门类/department → top."""
    p = DISCIPLINE_PROXIMITY
    inside = (depth == query_depth[None, :]) & (query_depth[None, :] > 0)
    graded = np.where(depth >= 2, p["first"], np.where(depth == 1, p["top"], p["none"]))
    return np.where(inside, p["exact"], graded).astype(np.float32)


def region_code(code: str) -> int:
    """GB/T 2260 six-digit code as an int (0 when absent or malformed)."""
    code = code.strip()
    return int(code) if len(code) == 6 and code.isdigit() else 0


def region_proximity(expert_regions: np.ndarray, query_region: int) -> np.ndarray:
    """``REGION_PROXIMITY``: full when the expert lies inside the need's region (a county,
    or a prefecture/province code ending in 00/0000), else by shared prefecture/province."""
    out = np.zeros(len(expert_regions), dtype=np.float32)
    if not query_region:
        return out
    known = expert_regions > 0
    same_prov = known & (expert_regions // 10000 == query_region // 10000)
    same_pref = known & (expert_regions // 100 == query_region // 100)
    if query_region % 10000 == 0:
        inside = same_prov
    elif query_region % 100 == 0:
        inside = same_pref
    else:
        inside = known & (expert_regions == query_region)
    out[same_prov] = REGION_PROXIMITY["province"]
    out[same_pref] = REGION_PROXIMITY["prefecture"]
    out[inside] = REGION_PROXIMITY["county"]
    return out


# -- row-indexed storage ------------------------------------------------------------------------


class Ragged:
    """Per-row variable-length lists of ints, in flat append-only arrays."""

    def __init__(self, dtype: type = np.int32) -> None:
        self.values = Grow(dtype)
        self.start = Grow(np.int64)
        self.count = Grow(np.int32)

    @classmethod
    def from_flat(cls, values: np.ndarray, counts: np.ndarray, dtype: type) -> Ragged:
        r = cls(dtype)
        r.values = Grow(dtype, values)
        starts = np.zeros(len(counts), dtype=np.int64)
        if len(counts):
            np.cumsum(counts[:-1], out=starts[1:])
        r.start = Grow(np.int64, starts)
        r.count = Grow(np.int32, counts)
        return r

    def append(self, values: Sequence[int]) -> None:
        self.start.append(len(self.values))
        self.count.append(len(values))
        self.values.extend(np.asarray(values, dtype=self.values.a.dtype))

    def row(self, row: int) -> np.ndarray:
        s = int(self.start.a[row])
        return self.values.a[s : s + int(self.count.a[row])]

    def gather(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(owner, values): every value of the given rows, ``owner`` its index in ``rows``."""
        counts = self.count.a[rows]
        total = int(counts.sum())
        owner = np.repeat(np.arange(len(rows)), counts)
        if total == 0:
            return owner, np.zeros(0, dtype=self.values.a.dtype)
        offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
        return owner, self.values.a[np.repeat(self.start.a[rows], counts) + offsets]


class RowIndex:
    """Inverted index value → rows (organisations, code prefixes): a sorted main part laid
    out at build time plus appended extras. Rows are never reused, so an entry left behind by
    an edit points at a dead row, which callers filter."""

    def __init__(self, values: np.ndarray | None = None, rows: np.ndarray | None = None) -> None:
        values = np.zeros(0, np.int64) if values is None else np.asarray(values, np.int64)
        rows = np.zeros(0, np.int64) if rows is None else np.asarray(rows, np.int64)
        order = np.argsort(values, kind="stable")
        self._values, self._rows = values[order], rows[order]
        self._extra: dict[int, list[int]] = {}

    def add(self, value: int, row: int) -> None:
        self._extra.setdefault(int(value), []).append(row)

    def lookup(self, values: Iterable[int]) -> np.ndarray:
        parts = []
        for v in values:
            lo, hi = np.searchsorted(self._values, [v, v + 1])
            parts.append(self._rows[lo:hi])
            if v in self._extra:
                parts.append(np.asarray(self._extra[v], dtype=np.int64))
        # not deduplicated: callers pick a few rows from this and deduplicate those
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)


@dataclass
class PastStore:
    """Past engagements: a BM25 index over their texts (keyed by engagement number) and, per
    engagement, its expert's row and whether its outcome was verified / valued."""

    index: BM25Index
    owner: Grow  # engagement → expert row
    verified: Grow
    valued: Grow
    texts: list[str]
    by_row: dict[int, list[int]]  # expert row → engagement numbers


class Features:
    """Every structured per-expert signal, row-indexed."""

    def __init__(self) -> None:
        self.industries = CodeBook(industry_levels)
        self.disciplines = CodeBook(discipline_levels)
        self.pool_ids: dict[str, int] = {}
        self.ids = Grow(np.int64)
        self.ind = Ragged()
        self.disc = Ragged()
        self.pools = Ragged()
        self.region = Grow(np.int32)
        self.title = Grow(np.int8)
        self.avail = Grow(np.int8)
        self.load = Grow(np.int32)
        self.capacity = Grow(np.int32)
        self.orgs = RowIndex()
        self.code_rows = RowIndex()  # industry/discipline prefix ids (tagged) → rows
        self._full: set[int] = set()
        self._full_cache: np.ndarray | None = None

    def pool_id(self, slug: str) -> int:
        return self.pool_ids.setdefault(slug, len(self.pool_ids))

    def pool_names(self) -> list[str]:
        """Pool slugs by id."""
        return list(self.pool_ids)

    def encode(self, doc: ExpertDoc) -> tuple[list[int], list[int], list[int]]:
        return (
            self.industries.encode_many(doc.industries),
            self.disciplines.encode_many(doc.disciplines),
            [self.pool_id(p) for p in dict.fromkeys(doc.pools) if p],
        )

    def code_keys(self, ind: Sequence[int], disc: Sequence[int]) -> list[int]:
        """The tagged prefix ids an expert is findable by in ``code_rows``: industries at
        division level and deeper (a section is too broad to be a candidate source),
        disciplines at first level and deeper."""
        keys: list[int] = []
        for cid in ind:
            keys += [2 * p for p in self.industries._rows[cid][1:] if p]
        for cid in disc:
            keys += [2 * p + 1 for p in self.disciplines._rows[cid][1:] if p]
        return keys

    def mark_full(self, row: int, full: bool) -> None:
        if full:
            self._full.add(row)
        else:
            self._full.discard(row)
        self._full_cache = None

    def full_rows(self) -> np.ndarray:
        """Rows at or over capacity: never recommended."""
        if self._full_cache is None:
            self._full_cache = np.fromiter(self._full, dtype=np.int64, count=len(self._full))
        return self._full_cache

    def append(self, doc: ExpertDoc) -> int:
        """Add one expert as the next row (after a build: upserts)."""
        ind, disc, pools = self.encode(doc)
        row = self.ids.append(doc.id)
        self.ind.append(ind)
        self.disc.append(disc)
        self.pools.append(pools)
        self.region.append(region_code(doc.region))
        self.title.append(title_code(doc.title_level))
        self.avail.append(AVAILABILITY_CODES.get(doc.availability, 0))
        self.load.append(doc.load)
        self.capacity.append(doc.capacity)
        for org in {*doc.organisations, *doc.conflicts}:
            self.orgs.add(org, row)
        for key in self.code_keys(ind, disc):
            self.code_rows.add(key, row)
        self.mark_full(row, doc.load >= doc.capacity)
        return row


def title_code(level: str) -> int:
    try:
        return TITLE_CODES.index(level)
    except ValueError:
        return TITLE_CODES.index("")


_TYPECODES = {"q": np.int64, "i": np.int32, "b": np.int8}


class FeatureBuilder:
    """Bulk ``Features`` for a build: plain ``array`` appends per expert, numpy at the end."""

    def __init__(self) -> None:
        self.f = Features()
        self._ids = array.array("q")
        self._ind, self._ind_n = array.array("i"), array.array("i")
        self._disc, self._disc_n = array.array("i"), array.array("i")
        self._pools, self._pools_n = array.array("i"), array.array("i")
        self._region, self._title = array.array("i"), array.array("b")
        self._avail, self._load, self._cap = array.array("b"), array.array("i"), array.array("i")
        self._org_v, self._org_r = array.array("q"), array.array("q")
        self._code_v, self._code_r = array.array("q"), array.array("q")
        self._code_keys_cache: dict[tuple[tuple[int, ...], tuple[int, ...]], list[int]] = {}
        self._titles = {t: i for i, t in enumerate(TITLE_CODES)}

    def add(self, doc: ExpertDoc) -> None:
        f = self.f
        row = len(self._ids)
        ind, disc, pools = f.encode(doc)
        self._ids.append(doc.id)
        self._ind.extend(ind)
        self._ind_n.append(len(ind))
        self._disc.extend(disc)
        self._disc_n.append(len(disc))
        self._pools.extend(pools)
        self._pools_n.append(len(pools))
        self._region.append(region_code(doc.region))
        self._title.append(self._titles.get(doc.title_level, self._titles[""]))
        self._avail.append(AVAILABILITY_CODES.get(doc.availability, 0))
        self._load.append(doc.load)
        self._cap.append(doc.capacity)
        orgs = doc.organisations if not doc.conflicts else {*doc.organisations, *doc.conflicts}
        for org in orgs:
            self._org_v.append(org)
            self._org_r.append(row)
        sig = (tuple(ind), tuple(disc))
        keys = self._code_keys_cache.get(sig)
        if keys is None:
            keys = self._code_keys_cache[sig] = f.code_keys(ind, disc)
        self._code_v.extend(keys)
        self._code_r.extend([row] * len(keys))

    def finish(self) -> Features:
        f = self.f

        def arr(a: array.array, dtype: type) -> np.ndarray:
            if not len(a):
                return np.zeros(0, dtype=dtype)
            return np.frombuffer(a, dtype=_TYPECODES[a.typecode]).astype(dtype)

        f.ids = Grow(np.int64, arr(self._ids, np.int64))
        f.ind = Ragged.from_flat(arr(self._ind, np.int32), arr(self._ind_n, np.int32), np.int32)
        f.disc = Ragged.from_flat(arr(self._disc, np.int32), arr(self._disc_n, np.int32), np.int32)
        f.pools = Ragged.from_flat(
            arr(self._pools, np.int32), arr(self._pools_n, np.int32), np.int32
        )
        f.region = Grow(np.int32, arr(self._region, np.int32))
        f.title = Grow(np.int8, arr(self._title, np.int8))
        f.avail = Grow(np.int8, arr(self._avail, np.int8))
        f.load = Grow(np.int32, arr(self._load, np.int32))
        f.capacity = Grow(np.int32, arr(self._cap, np.int32))
        f.orgs = RowIndex(arr(self._org_v, np.int64), arr(self._org_r, np.int64))
        f.code_rows = RowIndex(arr(self._code_v, np.int64), arr(self._code_r, np.int64))
        full = np.flatnonzero(f.load.a >= f.capacity.a)
        f._full = set(full.tolist())
        f._full_cache = None
        return f


# -- scoring ------------------------------------------------------------------------------------


@dataclass
class QueryContext:
    """A need, encoded once per query."""

    query: NeedQuery
    all_terms: list[str]  # the need's distinct terms
    terms: list[str]  # those that occur in some profile (aligned with tids)
    tids: np.ndarray
    ind: np.ndarray  # query industry code ids
    disc: np.ndarray
    pools: np.ndarray
    region: int

    @property
    def ind_list(self) -> list[int]:
        return self.ind.tolist()

    @property
    def disc_list(self) -> list[int]:
        return self.disc.tolist()


def encode_query(
    f: Features, query: NeedQuery, all_terms: list[str], terms: list[str], tids: np.ndarray
) -> QueryContext:
    return QueryContext(
        query=query,
        all_terms=all_terms,
        terms=terms,
        tids=tids,
        ind=np.asarray(f.industries.encode_many(query.industries), dtype=np.int64),
        disc=np.asarray(f.disciplines.encode_many(query.disciplines), dtype=np.int64),
        pools=np.asarray([f.pool_ids[p] for p in query.pools if p in f.pool_ids], np.int64),
        region=region_code(query.region),
    )


def _per_row_max(owner: np.ndarray, values: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros(n, dtype=np.float32)
    if len(values):
        np.maximum.at(out, owner, values)
    return out


def code_signal(
    book: CodeBook, ragged: Ragged, rows: np.ndarray, qcids: np.ndarray, industry: bool
) -> np.ndarray:
    """Best proximity of each row's codes to any of the query's codes, in [0, 1]."""
    if not len(qcids) or not len(rows):
        return np.zeros(len(rows), dtype=np.float32)
    owner, cids = ragged.gather(rows)
    if not len(cids):
        return np.zeros(len(rows), dtype=np.float32)
    depth = common_depth(book, cids, qcids)
    qdepth = book.depth[qcids]
    prox = industry_proximity(depth, qdepth) if industry else discipline_proximity(depth, qdepth)
    return _per_row_max(owner, prox.max(axis=1), len(rows))


@dataclass
class PastSignal:
    """Past-engagement similarity per candidate, and the matched engagements behind it."""

    sim: np.ndarray  # best similarity of any engagement
    verified: np.ndarray  # best similarity among verified engagements
    valued: np.ndarray


SIGNALS = (
    "lexical", "industry", "discipline", "past_work", "verified_outcome", "valued_outcome",
    "title", "region", "pool", "limited", "unavailable", "load",
)  # fmt: skip


def signals(
    f: Features, ctx: QueryContext, rows: np.ndarray, lex: np.ndarray, past: PastSignal
) -> dict[str, np.ndarray]:
    """Every signal for the candidate ``rows`` as [0, 1] arrays (penalties positive)."""
    best = float(lex.max()) if len(lex) else 0.0
    avail = f.avail.a[rows]
    cap = np.maximum(f.capacity.a[rows], 1).astype(np.float32)
    pools = np.zeros(len(rows), dtype=np.float32)
    if len(ctx.pools):
        owner, vals = f.pools.gather(rows)
        pools = _per_row_max(owner, np.isin(vals, ctx.pools).astype(np.float32), len(rows))
    return {
        "lexical": (lex / best if best > 0 else np.zeros_like(lex)).astype(np.float32),
        "industry": code_signal(f.industries, f.ind, rows, ctx.ind, industry=True),
        "discipline": code_signal(f.disciplines, f.disc, rows, ctx.disc, industry=False),
        "past_work": past.sim,
        "verified_outcome": past.verified,
        "valued_outcome": past.valued,
        "title": TITLE_VALUES[f.title.a[rows]],
        "region": region_proximity(f.region.a[rows], ctx.region),
        "pool": pools,
        "limited": (avail == 1).astype(np.float32),
        "unavailable": (avail == 2).astype(np.float32),
        "load": np.minimum(f.load.a[rows] / cap, 1.0).astype(np.float32),
    }


PENALTIES = frozenset({"limited", "unavailable", "load"})


def combine(sig: dict[str, np.ndarray], w: Weights) -> dict[str, np.ndarray]:
    """Each signal's signed contribution to the score (weight × signal; penalties negative)."""
    return {
        name: (-1.0 if name in PENALTIES else 1.0) * np.float32(getattr(w, name)) * values
        for name, values in sig.items()
    }


def rank(ids: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Order: score descending, then expert id ascending (stable, reproducible ties)."""
    return np.lexsort((ids, -scores))


# -- explanations -------------------------------------------------------------------------------


def _proximity(depth: int, query_depth: int, industry: bool) -> float:
    """Scalar twin of ``industry_proximity`` / ``discipline_proximity`` for one code pair."""
    if depth == query_depth and query_depth > 0:
        return INDUSTRY_PROXIMITY[4] if industry else DISCIPLINE_PROXIMITY["exact"]
    if industry:
        return INDUSTRY_PROXIMITY[min(depth, 4)]
    p = DISCIPLINE_PROXIMITY
    return p["first"] if depth >= 2 else (p["top"] if depth == 1 else p["none"])


def _code_evidence(
    book: CodeBook, expert: Sequence[int], query: Sequence[int], industry: bool
) -> tuple[str, ...]:
    """The expert codes that reach the best proximity, as "CODE" when the query has the same
    code, else "EXPERT~QUERY" (plain Python: a handful of code pairs per explained row)."""
    levels, depths = book._rows, book._depths
    best, out = 0.0, []
    for e in expert:
        le = levels[e]
        for q in query:
            lq = levels[q]
            d = 0
            while d < 4 and lq[d] and le[d] == lq[d]:
                d += 1
            prox = _proximity(d, depths[q], industry)
            if prox <= 0 or prox < best:
                continue
            if prox > best:
                best, out = prox, []
            ec, qc = book.codes[e], book.codes[q]
            out.append(ec if ec == qc else f"{ec}~{qc}")
    return tuple(dict.fromkeys(out))


def _region_evidence(region: int) -> tuple[str, ...]:
    return (f"{region:06d}",) if region else ()


def explain(
    f: Features,
    ctx: QueryContext,
    row: int,
    contrib: dict[str, float],
    term_weights: np.ndarray,
    past_evidence: tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]],
) -> tuple[Reason, ...]:
    """The reasons for one recommended row: one per signal that changed its score, each with
    its signed share of the score and the concrete evidence. ``term_weights`` holds the BM25
    contribution of each query term (ctx.terms order) to this row."""
    reasons: list[Reason] = []
    for name in SIGNALS:
        score = float(contrib[name])
        if score == 0.0:
            continue
        evidence: tuple[str, ...] = ()
        if name == "lexical":
            order = np.argsort(-term_weights, kind="stable")
            order = order[term_weights[order] > 0]
            evidence = tuple(ctx.terms[i] for i in order.tolist())
            name = "terms"
        elif name == "industry":
            evidence = _code_evidence(f.industries, f.ind.row(row).tolist(), ctx.ind_list, True)
        elif name == "discipline":
            evidence = _code_evidence(f.disciplines, f.disc.row(row).tolist(), ctx.disc_list, False)
        elif name == "past_work":
            evidence = past_evidence[0]
        elif name == "verified_outcome":
            evidence = past_evidence[1]
        elif name == "valued_outcome":
            evidence = past_evidence[2]
            name = "verified_outcome"
        elif name == "title":
            evidence = (TITLE_CODES[int(f.title.a[row])],)
        elif name == "region":
            evidence = _region_evidence(int(f.region.a[row]))
        elif name == "pool":
            own = set(f.pools.row(row).tolist()) & set(ctx.pools.tolist())
            names = f.pool_names()
            evidence = tuple(sorted(names[p] for p in own))
        elif name in ("limited", "unavailable"):
            evidence = (AVAILABILITY_NAMES[int(f.avail.a[row])],)
            name = "availability"
        elif name == "load":
            evidence = (f"{int(f.load.a[row])}/{int(f.capacity.a[row])}",)
        reasons.append(Reason(code=name, score=score, evidence=evidence))
    return _merge_same_code(reasons)


def _merge_same_code(reasons: list[Reason]) -> tuple[Reason, ...]:
    """verified + valued outcomes share the code ``verified_outcome``: one reason, summed."""
    merged: dict[str, Reason] = {}
    for r in reasons:
        if r.code in merged:
            m = merged[r.code]
            ev = tuple(dict.fromkeys((*m.evidence, *r.evidence)))
            merged[r.code] = Reason(code=r.code, score=m.score + r.score, evidence=ev)
        else:
            merged[r.code] = r
    return tuple(merged.values())
