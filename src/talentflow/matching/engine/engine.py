"""The matching engine's facade: build from experts, keep in step with edits, recommend.

    engine = Engine.build(experts)                      # Iterable[ExpertDoc], one pass
    engine.recommend(NeedQuery(text=…, industries=…, enterprise=…), top=20)
    engine.upsert(expert); engine.remove(expert_id)     # incremental, same rows semantics
    engine.bm25_top("…", top=20)                        # the plain BM25 baseline
    engine.suggest_codes("压铸 模具 铝合金")             # (industries, disciplines)

A recommendation is computed in four steps:

1. **Retrieval.** BM25 over the profiles gives a score for every expert; experts who may not
   be recommended are zeroed first (full capacity, the need's ``exclude`` list, and conflicts
   of interest: anyone whose organisations or declared conflicts include the need's
   enterprise). The ``candidates`` best are taken.
2. **Extra candidates**, so a fitting expert who words things differently is not missed: the
   experts whose past engagements best match the need (their own BM25 index), and the
   experts with the need's industry/discipline codes who have the best wording among those.
3. **Re-ranking** of the candidate set with vectorised structured signals (``rerank``) and
   the weights of ``weights.Weights``; order is score desc, then expert id asc.
4. **Explanation** of the returned experts: one ``Reason`` per signal that changed the
   score, with its signed share and evidence (the matched query terms, best first; the
   shared codes as "CODE" or "EXPERT~QUERY"; the matched past engagement texts; title level;
   region code; pool slugs; availability; "load/capacity").

Conflicts of interest are matched on organisation ids only: the caller (the index service)
puts an expert's current employers and served organisations in ``organisations`` and the
organisations they or their employer own or belong to in ``conflicts``.

``Recommendation.lexical`` is the raw BM25 score; the ``terms`` reason carries its weighted,
normalised share. An expert with no term in common with the need is recommended only through
a matching past engagement (code candidates must share a term). Unavailable experts are not
excluded but pushed down (``Weights.unavailable``); full ones are excluded.

Not thread-safe for writes: callers serialise ``upsert``/``remove``/``compact`` against
queries. ``upsert`` compacts by itself once edits pass 5 % of the index (seconds at a million
profiles); a caller that cannot wait may call ``compact`` in the background instead.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from talentflow.matching.engine.bm25 import (
    BM25Builder,
    BM25Index,
    BM25Params,
    Grow,
    Scored,
    top_rows,
)
from talentflow.matching.engine.rerank import (
    FeatureBuilder,
    Features,
    PastSignal,
    PastStore,
    QueryContext,
    combine,
    encode_query,
    explain,
    rank,
    signals,
)
from talentflow.matching.engine.text import tokenize, unique_terms
from talentflow.matching.engine.types import ExpertDoc, NeedQuery, PastWork, Recommendation
from talentflow.matching.engine.weights import DEFAULT_WEIGHTS, Weights

PAST_CANDIDATES = 50  # experts added to the candidate set through their past engagements
CODE_CANDIDATES = 50  # … and through the need's industry/discipline codes

REFERENCE_DATA = Path(__file__).resolve().parents[2] / "reference" / "data"


@dataclass
class _PastHits:
    """Past engagements matching one need: arrays aligned by hit."""

    eng: np.ndarray
    row: np.ndarray
    sim: np.ndarray

    @classmethod
    def empty(cls) -> _PastHits:
        z = np.zeros(0, dtype=np.int64)
        return cls(z, z, np.zeros(0, dtype=np.float32))


class Engine:
    """The pure matching engine over ``ExpertDoc`` records (see module docstring)."""

    def __init__(self, weights: Weights = DEFAULT_WEIGHTS, params: BM25Params | None = None):
        self.weights = weights
        self.params = params or BM25Params()
        self.index = BM25Index(self.params)
        self.features = Features()
        self.past = PastStore(
            index=BM25Index(self.params),
            owner=Grow(np.int64),
            verified=Grow(np.bool_),
            valued=Grow(np.bool_),
            texts=[],
            by_row={},
        )
        self._taxonomy: _TaxonomyIndex | None = None

    # -- building and edits ---------------------------------------------------------------

    @classmethod
    def build(
        cls,
        experts: Iterable[ExpertDoc],
        weights: Weights = DEFAULT_WEIGHTS,
        params: BM25Params | None = None,
    ) -> Engine:
        """Index every expert in one pass over ``experts`` (a generator is fine: nothing of
        an ``ExpertDoc`` is kept but its features and its past engagement texts)."""
        engine = cls(weights, params)
        text_builder = BM25Builder(engine.params)
        feature_builder = FeatureBuilder()
        past_builder = BM25Builder(engine.params)
        owner, verified, valued, texts = [], [], [], []
        by_row: dict[int, list[int]] = {}
        seen: set[int] = set()
        for row, doc in enumerate(experts):
            if doc.id in seen:
                raise ValueError(f"expert {doc.id} appears twice")
            seen.add(doc.id)
            text_builder.add_text(doc.id, doc.text)
            feature_builder.add(doc)
            if doc.past:
                for work in doc.past:
                    number = len(texts)
                    past_builder.add_text(number, work.text)
                    owner.append(row)
                    verified.append(work.verified)
                    valued.append(work.valued)
                    texts.append(work.text)
                    by_row.setdefault(row, []).append(number)
        engine.index = text_builder.finish()
        engine.features = feature_builder.finish()
        engine.past = PastStore(
            index=past_builder.finish(),
            owner=Grow(np.int64, np.asarray(owner, dtype=np.int64)),
            verified=Grow(np.bool_, np.asarray(verified, dtype=np.bool_)),
            valued=Grow(np.bool_, np.asarray(valued, dtype=np.bool_)),
            texts=texts,
            by_row=by_row,
        )
        return engine

    def __len__(self) -> int:
        return self.index.n_alive

    def __contains__(self, expert_id: object) -> bool:
        return expert_id in self.index.row_of

    def upsert(self, expert: ExpertDoc) -> None:
        """Add or replace an expert: text, codes, load, past engagements all at once. The
        old version stops matching immediately (its row is dead), the new one matches."""
        self.remove(expert.id)
        row = self.index.add(expert.id, tokenize(expert.text))
        frow = self.features.append(expert)
        if row != frow:  # pragma: no cover - a broken invariant, not a user error
            raise RuntimeError("index and features out of step")
        for work in expert.past:
            self._add_past(row, work)
        if self.index.needs_compaction:
            self.compact()

    def _add_past(self, row: int, work: PastWork) -> None:
        number = len(self.past.texts)
        self.past.index.add(number, tokenize(work.text))
        self.past.owner.append(row)
        self.past.verified.append(work.verified)
        self.past.valued.append(work.valued)
        self.past.texts.append(work.text)
        self.past.by_row.setdefault(row, []).append(number)

    def remove(self, expert_id: int) -> bool:
        """Forget an expert (and their past engagements); False if they were not indexed."""
        row = self.index.remove(expert_id)
        if row is None:
            return False
        self.features.mark_full(row, False)
        for number in self.past.by_row.pop(row, []):
            self.past.index.remove(number)
        return True

    def compact(self) -> None:
        """Fold edits into the main segments and recompute BM25 statistics exactly."""
        self.index.compact()
        self.past.index.compact()

    # -- queries --------------------------------------------------------------------------

    def bm25_top(self, query_text: str, top: int = 20) -> list[tuple[int, float]]:
        """Plain BM25 over the profiles: the baseline, with no exclusion or re-ranking."""
        _, tids = self.index.term_ids(unique_terms(query_text))
        scored = self.index.score_query(tids)
        rows = scored.top(top)
        keys = self.index.keys.a
        return [(int(keys[r]), float(s)) for r, s in zip(rows, scored.exact(rows), strict=True)]

    def _blocked(self, query: NeedQuery) -> np.ndarray:
        """Rows this need may not be given: its ``exclude`` list and conflicts of interest
        (full-capacity experts are blocked for every need; see ``_recommendable``)."""
        parts = []
        if query.exclude:
            rows = [self.index.row_of.get(i) for i in query.exclude]
            parts.append(np.asarray([r for r in rows if r is not None], dtype=np.int64))
        if query.enterprise is not None:
            parts.append(self.features.orgs.lookup([query.enterprise]))
        return np.concatenate(parts) if parts else np.zeros(0, np.int64)

    def _recommendable(self, rows: np.ndarray, blocked: np.ndarray) -> np.ndarray:
        """Mask of rows that are live, below capacity and not blocked for this need."""
        f = self.features
        ok = self.index.alive.a[rows] & (f.load.a[rows] < f.capacity.a[rows])
        if len(blocked):
            ok &= ~np.isin(rows, blocked)
        return ok

    def _past_hits(self, ctx: QueryContext, blocked: np.ndarray) -> _PastHits:
        past = self.past.index
        if not len(past.keys):
            return _PastHits.empty()
        _, tids = past.term_ids(ctx.all_terms)
        if not len(tids):
            return _PastHits.empty()
        norm = float(past.idf_of(tids).sum())
        acc = past.scores(tids)
        sim = acc / np.float32(norm)
        hit = np.flatnonzero(sim >= self.weights.past_work_floor)
        if not len(hit):
            return _PastHits.empty()
        eng = past.keys.a[hit]
        rows = self.past.owner.a[eng]
        ok = self._recommendable(rows, blocked)
        return _PastHits(eng[ok], rows[ok], np.minimum(sim[hit][ok], 1.0).astype(np.float32))

    def _past_signal(self, hits: _PastHits, rows: np.ndarray) -> PastSignal:
        """Per candidate row: the best similarity of its matched engagements, of its
        verified ones and of its valued ones (0 where none)."""
        verified = self.past.verified.a[hits.eng]
        valued = self.past.valued.a[hits.eng]
        return PastSignal(
            sim=_best_per_row(hits.row, hits.sim, rows),
            verified=_best_per_row(hits.row[verified], hits.sim[verified], rows),
            valued=_best_per_row(hits.row[valued], hits.sim[valued], rows),
        )

    def _code_candidates(self, ctx: QueryContext, scored: Scored) -> np.ndarray:
        """Up to ``CODE_CANDIDATES`` experts filed under the need's own codes (or inside
        them), best wording first; only those sharing at least one term with the need."""
        f = self.features
        keys = []
        for cid in ctx.ind.tolist():
            deepest = [p for p in f.industries.levels[cid][1:] if p]
            keys += [2 * int(deepest[-1])] if deepest else []
        for cid in ctx.disc.tolist():
            deepest = [p for p in f.disciplines.levels[cid][1:] if p]
            keys += [2 * int(deepest[-1]) + 1] if deepest else []
        if not keys:
            return np.zeros(0, dtype=np.int64)
        rows = f.code_rows.lookup(keys)
        ids = self.index.keys.a
        if len(rows) > 4 * CODE_CANDIDATES:  # preselect by the dense part of the score
            rows = np.unique(rows[top_rows(scored.partial[rows], 4 * CODE_CANDIDATES, ids[rows])])
        else:
            rows = np.unique(rows)
        lex = scored.exact(rows)
        return rows[top_rows(lex, CODE_CANDIDATES, ids[rows])]

    def recommend(
        self, query: NeedQuery, top: int = 20, candidates: int = 200
    ) -> list[Recommendation]:
        """The ``top`` experts for a need, best first, each with the reasons for its place."""
        all_terms = unique_terms(query.text)
        terms, tids = self.index.term_ids(all_terms)
        ctx = encode_query(self.features, query, all_terms, terms, tids)
        scored = self.index.score_query(tids)
        blocked = self._blocked(query)
        scored.block(self.features.full_rows())
        scored.block(blocked)
        keys = self.index.keys.a
        lex_rows = scored.top(max(candidates, top))
        hits = self._past_hits(ctx, blocked)
        past_rows = self._past_candidates(hits)
        code_rows = self._code_candidates(ctx, scored)
        rows = np.unique(np.concatenate([lex_rows, past_rows, code_rows]))
        lex = scored.exact(rows)
        rows, lex = rows[np.isfinite(lex)], lex[np.isfinite(lex)]  # never a blocked row
        if not len(rows):
            return []
        contrib = combine(
            signals(self.features, ctx, rows, lex, self._past_signal(hits, rows)), self.weights
        )
        score = np.sum(np.stack(list(contrib.values())), axis=0, dtype=np.float64)
        ids = keys[rows]
        chosen = rank(ids, score)[:top]
        top_r = rows[chosen]
        term_w = self.index.weights_at(tids, top_r)
        out = []
        for j, (i, row) in enumerate(zip(chosen.tolist(), top_r.tolist(), strict=True)):
            reasons = explain(
                self.features,
                ctx,
                row,
                {name: float(v[i]) for name, v in contrib.items()},
                term_w[:, j],
                self._past_evidence(hits, row),
            )
            out.append(
                Recommendation(
                    expert_id=int(ids[i]),
                    score=float(score[i]),
                    lexical=float(lex[i]),
                    reasons=reasons,
                )
            )
        return out

    def _past_candidates(self, hits: _PastHits) -> np.ndarray:
        """The ``PAST_CANDIDATES`` rows with the most similar past engagements."""
        if not len(hits.row):
            return np.zeros(0, dtype=np.int64)
        order = np.lexsort((self.index.keys.a[hits.row], -hits.sim))
        best: dict[int, None] = {}
        for r in hits.row[order].tolist():
            best.setdefault(r, None)
            if len(best) >= PAST_CANDIDATES:
                break
        return np.fromiter(best, dtype=np.int64, count=len(best))

    def _past_evidence(
        self, hits: _PastHits, row: int
    ) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
        """Texts of this expert's matched engagements (best first): all, verified, valued."""
        mine = np.flatnonzero(hits.row == row)
        if not len(mine):
            return (), (), ()
        mine = mine[np.argsort(-hits.sim[mine], kind="stable")]
        engs = hits.eng[mine].tolist()
        texts = self.past.texts
        ver, val = self.past.verified.a, self.past.valued.a
        return (
            tuple(dict.fromkeys(texts[e] for e in engs)),
            tuple(dict.fromkeys(texts[e] for e in engs if ver[e])),
            tuple(dict.fromkeys(texts[e] for e in engs if val[e])),
        )

    # -- code suggestions -----------------------------------------------------------------

    def suggest_codes_scored(
        self, text: str, top: int = 3
    ) -> tuple[list[tuple[str, float]], list[tuple[str, float]]]:
        """Industry and discipline codes for a need's text, with scores in (0, 1].

        Two votes are added: the codes of the experts whose profiles best match the text
        (weighted by their BM25 score — real usage shows which codes such work is filed
        under), and a BM25 index over the taxonomies' own words (GB/T 4754 小类 names and
        explanatory notes; graduate 一级学科 names enriched with the NSFC names under them),
        which also works before any expert is indexed. Codes below a quarter of the best
        are not suggested.
        """
        terms = unique_terms(text)
        ind_votes: dict[str, float] = {}
        disc_votes: dict[str, float] = {}
        _, tids = self.index.term_ids(terms)
        if len(tids):
            scored = self.index.score_query(tids)
            rows = scored.top(100)
            if len(rows):
                lex = scored.exact(rows)
                weight = lex / lex[0]
                f = self.features
                for ragged, book, votes in (
                    (f.ind, f.industries, ind_votes),
                    (f.disc, f.disciplines, disc_votes),
                ):
                    owner, cids = ragged.gather(rows)
                    for o, c in zip(owner.tolist(), cids.tolist(), strict=True):
                        code = book.codes[c]
                        votes[code] = votes.get(code, 0.0) + float(weight[o])
        tax = self._taxonomy_index()
        for votes, tax_scores in zip((ind_votes, disc_votes), tax.suggest(terms), strict=True):
            _normalise(votes)
            for code, s in tax_scores.items():
                votes[code] = votes.get(code, 0.0) + 0.5 * s
        return _best(ind_votes, top), _best(disc_votes, top)

    def suggest_codes(self, text: str, top: int = 3) -> tuple[list[str], list[str]]:
        """``suggest_codes_scored`` without the scores: (industry codes, discipline codes)."""
        ind, disc = self.suggest_codes_scored(text, top)
        return [c for c, _ in ind], [c for c, _ in disc]

    def _taxonomy_index(self) -> _TaxonomyIndex:
        if self._taxonomy is None:
            self._taxonomy = _TaxonomyIndex.load(REFERENCE_DATA)
        return self._taxonomy


def _best_per_row(hit_rows: np.ndarray, sims: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """For each of ``rows``, the largest of ``sims`` among hits on that row (0 if none)."""
    out = np.zeros(len(rows), dtype=np.float32)
    if not len(hit_rows):
        return out
    order = np.lexsort((-sims, hit_rows))
    hr, hs = hit_rows[order], sims[order]
    first = np.ones(len(hr), dtype=bool)
    first[1:] = hr[1:] != hr[:-1]
    hr, hs = hr[first], hs[first]
    pos = np.minimum(np.searchsorted(hr, rows), len(hr) - 1)
    found = hr[pos] == rows
    out[found] = hs[pos[found]]
    return out


def _normalise(votes: dict[str, float]) -> None:
    best = max(votes.values(), default=0.0)
    if best > 0:
        for k in votes:
            votes[k] /= best


def _best(votes: dict[str, float], top: int) -> list[tuple[str, float]]:
    if not votes:
        return []
    best = max(votes.values())
    ranked = sorted(votes.items(), key=lambda kv: (-kv[1], kv[0]))
    return [(c, v / best) for c, v in ranked[:top] if v >= 0.25 * best]


#: NSFC 2019 first-level codes → the graduate 一级学科 whose field they cover, so NSFC's rich
#: second/third-level names can describe the graduate codes the platform files needs under.
NSFC_TO_GRAD: dict[str, tuple[str, ...]] = {
    "A01": ("0701",), "A02": ("0801",), "A03": ("0704",), "A04": ("0702",), "A05": ("0702",),
    "B01": ("0703",), "B02": ("0703",), "B03": ("0703",), "B04": ("0703", "0805"),
    "B05": ("0703",), "B06": ("0817",), "B07": ("0830", "0703"),
    "C01": ("0710",), "C02": ("0710",), "C03": ("0713",), "C04": ("0710",), "C05": ("0710",),
    "C06": ("0710",), "C07": ("0710",), "C08": ("1001",), "C09": ("0402", "0710"),
    "C10": ("0831",), "C11": ("0710",), "C12": ("0710",), "C13": ("0901",), "C14": ("0904",),
    "C15": ("0902", "0903"), "C16": ("0907",), "C17": ("0905", "0909"), "C18": ("0906",),
    "C19": ("0908",), "C20": ("0832",),
    "D01": ("0705",), "D02": ("0709", "0818"), "D03": ("0709",), "D04": ("0708",),
    "D05": ("0706",), "D06": ("0707",),
    "E01": ("0805",), "E02": ("0805",), "E03": ("0805",), "E04": ("0806", "0819"),
    "E05": ("0802",), "E06": ("0807",), "E07": ("0808",), "E08": ("0814", "0813"),
    "E09": ("0815", "0824"),
    "F01": ("0810", "0809"), "F02": ("0812",), "F03": ("0811",), "F04": ("0809", "1401"),
    "F05": ("0803",),
    "G01": ("1201",), "G02": ("1202",), "G03": ("1204", "0202"),
    "H01": ("1002",), "H02": ("1002",), "H03": ("1002",), "H04": ("1002",), "H05": ("1002",),
    "H06": ("1002",), "H07": ("1002",), "H08": ("1002",), "H09": ("1002",), "H10": ("1001",),
    "H11": ("1002",), "H12": ("1002",), "H13": ("1002",), "H14": ("1003",), "H15": ("1002",),
    "H16": ("1002",), "H17": ("1002",), "H18": ("1002", "0831"), "H19": ("1001",),
    "H20": ("1002",), "H21": ("1009",), "H22": ("1009",), "H23": ("1012",), "H24": ("1004",),
    "H25": ("1002",), "H26": ("1004",), "H27": ("1005",), "H28": ("1008",), "H29": ("1006",),
    "H30": ("1007",), "H31": ("1007",),
}  # fmt: skip


class _TaxonomyIndex:
    """BM25 over the words of the taxonomies themselves: one document per GB/T 4754 小类
    (its name, explanatory note, and its 中类/大类 names) and one per graduate 一级学科 (its
    name, its 门类 name, and every NSFC entry mapped to it by ``NSFC_TO_GRAD``)."""

    def __init__(self, industries: BM25Index, disciplines: BM25Index, codes: list[str]):
        self.industries, self.disciplines, self.codes = industries, disciplines, codes

    @classmethod
    def load(cls, data: Path) -> _TaxonomyIndex:
        codes: list[str] = []
        ind_docs: list[tuple[int, str]] = []
        with (data / "gbt4754_2017.csv").open(encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))
        names = {r["code"]: r["name"] for r in rows}
        for r in rows:
            if r["level_no"] == "4":
                text = " ".join(
                    (r["name"], r["name"], r["description"], names.get(r["code"][:3], ""),
                     names.get(r["code"][:2], ""))
                )  # fmt: skip
                ind_docs.append((len(codes), text))
                codes.append(r["code"])
        disc_text: dict[str, list[str]] = {}
        with (data / "grad_catalogue_2022_level1.csv").open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                disc_text[r["code"]] = [r["name"], r["name"], r["category_name"]]
        with (data / "nsfc_application_codes_2019.csv").open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh):
                for grad in NSFC_TO_GRAD.get(r["code"][:3], ()):
                    if grad in disc_text:
                        disc_text[grad].append(r["name"])
        disc_docs = []
        for code, words in disc_text.items():
            disc_docs.append((len(codes), " ".join(words)))
            codes.append(code)
        return cls(BM25Index.build(ind_docs), BM25Index.build(disc_docs), codes)

    def suggest(self, terms: list[str]) -> tuple[dict[str, float], dict[str, float]]:
        """Normalised (best = 1) scores of the top taxonomy codes for the query terms."""
        out = []
        for index in (self.industries, self.disciplines):
            keys, scores = index.search(terms, 10)
            best = float(scores[0]) if len(scores) else 0.0
            out.append(
                {self.codes[int(k)]: float(s) / best for k, s in zip(keys, scores, strict=True)}
                if best > 0
                else {}
            )
        return out[0], out[1]
