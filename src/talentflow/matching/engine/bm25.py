"""BM25 lexical retrieval over numpy/scipy arrays, built for a million profiles.

**Scoring: Okapi BM25**, k1 = 1.2, b = 0.75, with Lucene's always-positive IDF
``ln(1 + (N − df + 0.5) / (df + 0.5))``. A document's score is the sum, over the query's
*distinct* terms, of ``idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·dl/avgdl))``. Query terms are
counted once: a need that repeats a word is not thereby asking more for it, and counting once
keeps scores comparable across short and long needs. Plain Okapi rather than BM25+ because
profiles are short and of similar length, where BM25+'s floor for long documents buys
nothing; the Lucene IDF already keeps very common terms from scoring negative.

**Layout.** The main segment is term-major (CSC): for each term, the sorted rows of the
documents holding it, their BM25 weights precomputed as float32 and their term frequencies
(uint8, kept only to recompute weights on ``compact``). A query sums the posting weights of
its terms into a dense float32 accumulator (one slot per row) and takes the top k with
``np.argpartition``. Rows are int32, assigned in insertion order and never reused.

**Updates.** ``add`` writes the document into a small *delta* segment (term → rows, tfs in
Python lists) whose weights are computed at query time; ``remove`` marks the row dead
(a tombstone: its postings stay until compaction but it is never returned); ``update`` is
remove + add under the same key, so a changed document is found by its new words only.
``compact`` merges the delta into a new main segment, drops dead postings and recomputes
every IDF, the average length and all weights from the stored term frequencies.

**The approximation between compactions**: main-segment weights keep the IDF and average
length of the last compaction; delta documents are weighted with the same average length and
an IDF whose df adds the delta's postings to the main df and whose N is the live document
count. Dead documents still count in df until compaction. With a delta of a few percent the
scores move by far less than the gaps between ranks; ``compact`` makes them exact again.
Rows are not renumbered by ``compact`` (dead rows simply hold no postings), so callers may
keep per-row arrays aligned with the index; ``build`` starts from row 0.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from talentflow.matching.engine.text import judge, raw_tokens

TF_MAX = 255  # term frequencies are stored as uint8; a profile never repeats a term that often


@dataclass(frozen=True)
class BM25Params:
    """Okapi BM25 parameters: ``k1`` saturates term frequency, ``b`` normalises length."""

    k1: float = 1.2
    b: float = 0.75


def bm25_idf(df: np.ndarray | float, n: float) -> np.ndarray:
    """Lucene's BM25 IDF: positive even for a term in every document."""
    df = np.asarray(df, dtype=np.float64)
    return np.log1p((n - df + 0.5) / (df + 0.5))


def bm25_tf(tf: np.ndarray, dl: np.ndarray, avgdl: float, params: BM25Params) -> np.ndarray:
    """The term-frequency factor of BM25, with length normalisation (float64)."""
    tf = np.asarray(tf, dtype=np.float64)
    norm = params.k1 * (1.0 - params.b + params.b * np.asarray(dl, dtype=np.float64) / avgdl)
    return tf * (params.k1 + 1.0) / (tf + norm)


class Grow:
    """An appendable numpy array (capacity doubles): per-row data that grows with upserts."""

    def __init__(self, dtype: Any, initial: np.ndarray | None = None) -> None:
        data = np.zeros(16, dtype=dtype) if initial is None else np.asarray(initial, dtype=dtype)
        self.n = len(data) if initial is not None else 0
        self._a = data if len(data) else np.zeros(16, dtype=dtype)

    def _reserve(self, extra: int) -> None:
        need = self.n + extra
        if need > len(self._a):
            bigger = np.zeros(max(need, 2 * len(self._a)), dtype=self._a.dtype)
            bigger[: self.n] = self._a[: self.n]
            self._a = bigger

    def append(self, value: Any) -> int:
        self._reserve(1)
        self._a[self.n] = value
        self.n += 1
        return self.n - 1

    def extend(self, values: Any) -> None:
        values = np.asarray(values, dtype=self._a.dtype)
        self._reserve(len(values))
        self._a[self.n : self.n + len(values)] = values
        self.n += len(values)

    @property
    def a(self) -> np.ndarray:
        """The live view (writes go through to the store)."""
        return self._a[: self.n]

    def __len__(self) -> int:
        return self.n


class BM25Builder:
    """Collects documents for ``BM25Index.build`` in chunks, without per-term Python work.

    Raw segmenter tokens are mapped to integer ids through a ``defaultdict`` whose default is
    its own length (the mapping runs in C); each distinct raw token is judged once
    (``text.judge``), and per-chunk numpy code drops stopwords, counts term frequencies and
    lays the chunk out row-major. ``finish`` converts to the term-major main segment.
    """

    CHUNK = 100_000

    def __init__(self, params: BM25Params | None = None) -> None:
        self.params = params or BM25Params()
        raw_vocab: defaultdict[str, int] = defaultdict()
        raw_vocab.default_factory = raw_vocab.__len__
        self._raw_vocab = raw_vocab
        self._raw2term = np.zeros(0, dtype=np.int32)
        self.vocab: dict[str, int] = {}
        self.keys: list[int] = []
        self._buf_ids: list[int] = []
        self._buf_lens: list[int] = []
        self._chunks: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []

    def add_text(self, key: int, text: str) -> None:
        """Index ``text`` (tokenised exactly as ``text.tokenize`` would) under ``key``."""
        self.add_raw(key, raw_tokens(text))

    def add_raw(self, key: int, tokens: Sequence[str]) -> None:
        """Index already segmented tokens; they are judged (stopwords …) like raw tokens."""
        self.keys.append(key)
        self._buf_lens.append(len(tokens))
        self._buf_ids.extend(map(self._raw_vocab.__getitem__, tokens))
        if len(self._buf_lens) >= self.CHUNK:
            self._flush()

    def _judge_new_raw(self) -> None:
        start = len(self._raw2term)
        if start == len(self._raw_vocab):
            return
        vocab = self.vocab
        new = np.empty(len(self._raw_vocab) - start, dtype=np.int32)
        for i, raw in enumerate(itertools.islice(self._raw_vocab, start, None)):
            term = judge(raw)
            if term:
                tid = vocab.get(term)
                if tid is None:
                    tid = vocab[term] = len(vocab)
                new[i] = tid
            else:
                new[i] = -1
        self._raw2term = np.concatenate([self._raw2term, new])

    def _flush(self) -> None:
        if not self._buf_lens:
            return
        self._judge_new_raw()
        lens = np.asarray(self._buf_lens, dtype=np.int64)
        terms = self._raw2term[np.asarray(self._buf_ids, dtype=np.int32)]
        self._buf_ids, self._buf_lens = [], []
        m = len(lens)
        rows = np.repeat(np.arange(m, dtype=np.int64), lens)
        kept = terms >= 0
        terms, rows = terms[kept], rows[kept]
        dl = np.bincount(rows, minlength=m).astype(np.int32)
        width = max(len(self.vocab), 1)
        uniq, counts = np.unique(rows * width + terms, return_counts=True)
        row_nnz = np.bincount(uniq // width, minlength=m).astype(np.int64)
        tf = np.minimum(counts, TF_MAX).astype(np.uint8)
        self._chunks.append(((uniq % width).astype(np.int32), tf, row_nnz, dl))

    def finish(self) -> BM25Index:
        """The index of everything added, rows numbered in insertion order from 0."""
        self._flush()
        n = len(self.keys)
        if self._chunks:
            terms = np.concatenate([c[0] for c in self._chunks])
            tf = np.concatenate([c[1] for c in self._chunks])
            row_nnz = np.concatenate([c[2] for c in self._chunks])
            dl = np.concatenate([c[3] for c in self._chunks])
        else:
            terms, tf = np.zeros(0, np.int32), np.zeros(0, np.uint8)
            row_nnz, dl = np.zeros(0, np.int64), np.zeros(0, np.int32)
        self._chunks = []
        indptr = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(row_nnz, out=indptr[1:])
        csr = sp.csr_matrix((tf, terms, indptr), shape=(n, max(len(self.vocab), 1)))
        del terms, tf, indptr
        csc = csr.tocsc()
        del csr
        index = BM25Index(self.params)
        index.vocab = self.vocab
        index.keys = Grow(np.int64, np.asarray(self.keys, dtype=np.int64))
        index.row_of = {k: r for r, k in enumerate(self.keys)}
        if len(index.row_of) != n:
            raise ValueError("duplicate document keys")
        index.alive = Grow(np.bool_, np.ones(n, dtype=np.bool_))
        index.dl = Grow(np.int32, dl)
        index.n_alive = n
        index._set_main(
            csc.indptr.astype(np.int64), csc.indices.astype(np.int32, copy=False), csc.data
        )
        return index


class BM25Index:
    """The index: ``search``/``scores`` for queries, ``add``/``remove``/``update`` for edits."""

    def __init__(self, params: BM25Params | None = None) -> None:
        self.params = params or BM25Params()
        self.vocab: dict[str, int] = {}
        self.keys = Grow(np.int64)  # row → document key
        self.row_of: dict[int, int] = {}  # live document key → row
        self.alive = Grow(np.bool_)
        self.dl = Grow(np.int32)  # document length in kept terms
        self.n_alive = 0
        self._dead_since_compact: list[int] = []
        self._dead_cache: np.ndarray | None = None
        # main segment (term-major)
        self.indptr = np.zeros(1, dtype=np.int64)
        self.post_rows = np.zeros(0, dtype=np.int32)
        self.post_w = np.zeros(0, dtype=np.float32)
        self.post_tf = np.zeros(0, dtype=np.uint8)
        self.df_main = np.zeros(0, dtype=np.int64)
        self.avgdl = 1.0
        self.n_main = 0  # live documents when the main segment was laid out
        # delta segment
        self.delta: dict[int, tuple[list[int], list[int]]] = {}
        self.delta_docs = 0

    # -- building -------------------------------------------------------------------------

    @classmethod
    def build(cls, docs: Iterable[tuple[int, str]], params: BM25Params | None = None) -> BM25Index:
        """Index ``(key, text)`` pairs in one pass."""
        builder = BM25Builder(params)
        for key, text in docs:
            builder.add_text(key, text)
        return builder.finish()

    @classmethod
    def build_tokens(
        cls, docs: Iterable[tuple[int, Sequence[str]]], params: BM25Params | None = None
    ) -> BM25Index:
        """Index ``(key, tokens)`` pairs whose tokens are already terms."""
        builder = BM25Builder(params)
        for key, tokens in docs:
            builder.add_raw(key, list(tokens))
        return builder.finish()

    def _set_main(self, indptr: np.ndarray, rows: np.ndarray, tf: np.ndarray) -> None:
        """Install a term-major segment and (re)compute IDF, avgdl and every weight."""
        self.indptr, self.post_rows = indptr, rows
        self.post_tf = np.minimum(tf, TF_MAX).astype(np.uint8, copy=False)
        self.df_main = np.diff(indptr)
        live_dl = self.dl.a[self.alive.a]
        self.n_main = int(self.alive.a.sum())
        self.avgdl = float(live_dl.mean()) if len(live_dl) and live_dl.mean() > 0 else 1.0
        idf = bm25_idf(self.df_main, self.n_main).astype(np.float32)
        weights = np.empty(len(rows), dtype=np.float32)
        block = 4_000_000  # postings per block: bounds the temporaries
        k1, b = self.params.k1, self.params.b
        n_terms = len(self.df_main)
        bounds = np.searchsorted(indptr, np.arange(block, len(rows), block), side="left")
        term_cuts = np.unique(np.concatenate([[0], bounds, [n_terms]])).tolist()
        dl = self.dl.a
        for t_lo, t_hi in itertools.pairwise(term_cuts):
            lo, hi = int(indptr[t_lo]), int(indptr[t_hi])
            if hi == lo:
                continue
            term_of = np.repeat(np.arange(t_lo, t_hi), self.df_main[t_lo:t_hi])
            tfs = self.post_tf[lo:hi].astype(np.float32)
            norm = k1 * (1.0 - b + b * dl[rows[lo:hi]].astype(np.float32) / self.avgdl)
            weights[lo:hi] = idf[term_of] * tfs * (k1 + 1.0) / (tfs + norm)
        self.post_w = weights
        nonempty = self.df_main > 0
        self.ub = np.zeros(len(self.df_main), dtype=np.float32)
        if nonempty.any():
            self.ub[nonempty] = np.maximum.reduceat(weights, indptr[:-1][nonempty])
        self.delta, self.delta_docs = {}, 0
        self._dead_since_compact, self._dead_cache = [], None

    # -- edits ----------------------------------------------------------------------------

    def _term_id(self, term: str) -> int:
        tid = self.vocab.get(term)
        if tid is None:
            tid = self.vocab[term] = len(self.vocab)
        return tid

    def add(self, key: int, tokens: Sequence[str]) -> int:
        """Add a document of (already tokenised) terms under a new key; returns its row."""
        if key in self.row_of:
            raise KeyError(f"document {key} is already indexed; use update()")
        row = self.keys.append(key)
        self.alive.append(True)
        self.row_of[key] = row
        counts: dict[int, int] = {}
        for term in tokens:
            tid = self._term_id(term)
            counts[tid] = counts.get(tid, 0) + 1
        self.dl.append(sum(counts.values()))
        for tid, tf in counts.items():
            rows, tfs = self.delta.setdefault(tid, ([], []))
            rows.append(row)
            tfs.append(min(tf, TF_MAX))
        self.n_alive += 1
        self.delta_docs += 1
        return row

    def add_text(self, key: int, text: str) -> int:
        """``add`` for raw text, tokenised as at build time."""
        return self.add(key, [t for t in map(judge, raw_tokens(text)) if t])

    def remove(self, key: int) -> int | None:
        """Forget the document with ``key`` (a tombstone until ``compact``); its old row."""
        row = self.row_of.pop(key, None)
        if row is None:
            return None
        self.alive.a[row] = False
        self.n_alive -= 1
        self._dead_since_compact.append(row)
        self._dead_cache = None
        return row

    def update(self, key: int, tokens: Sequence[str]) -> int:
        """Replace the document under ``key``: old words no longer find it, new ones do."""
        self.remove(key)
        return self.add(key, tokens)

    def compact(self) -> None:
        """Merge the delta, drop dead postings and recompute all statistics exactly.

        Done in place on the term-major arrays, without a sparse-matrix round trip: within
        each term the live main postings keep their order and the delta's follow them (delta
        rows are newer, hence larger), so the result stays sorted by row. Peak extra memory
        is about two int32 arrays the size of the postings.
        """
        n_terms = max(len(self.vocab), 1)
        n_main_terms = len(self.df_main)
        alive = self.alive.a
        keep = alive[self.post_rows]
        kept_before = np.zeros(len(keep) + 1, dtype=np.int64)
        np.cumsum(keep, out=kept_before[1:])
        main_counts = np.zeros(n_terms, dtype=np.int64)
        main_counts[:n_main_terms] = kept_before[self.indptr[1:]] - kept_before[self.indptr[:-1]]
        del kept_before
        d_terms, d_rows, d_tf = [], [], []
        for tid in sorted(self.delta):
            rows, tfs = self.delta[tid]
            r = np.asarray(rows, dtype=np.int32)
            k = alive[r]
            d_terms.append(np.full(int(k.sum()), tid, dtype=np.int32))
            d_rows.append(r[k])
            d_tf.append(np.asarray(tfs, dtype=np.uint8)[k])
        rows_main, tf_main = self.post_rows[keep], self.post_tf[keep]
        del keep
        self.post_rows = self.post_tf = self.post_w = np.zeros(0)  # let the old arrays go
        indptr = np.zeros(n_terms + 1, dtype=np.int64)
        if d_terms and sum(len(t) for t in d_terms):
            terms = np.concatenate(d_terms)
            d_counts = np.bincount(terms, minlength=n_terms).astype(np.int64)
            np.cumsum(main_counts + d_counts, out=indptr[1:])
            total = int(indptr[-1])
            rows = np.empty(total, dtype=np.int32)
            tf = np.empty(total, dtype=np.uint8)
            # main posting j of term t moves by the delta postings of the terms before t
            delta_before = indptr[:-1] - np.concatenate([[0], np.cumsum(main_counts)[:-1]])
            shift = np.repeat(delta_before.astype(np.int32), main_counts)
            pos = np.arange(len(rows_main), dtype=np.int64) + shift
            del shift
            rows[pos], tf[pos] = rows_main, tf_main
            del pos
            # delta postings of term t follow its main postings, in their (row) order
            start = indptr[:-1] + main_counts
            rank = np.arange(len(terms)) - np.repeat(np.cumsum(d_counts) - d_counts, d_counts)
            dpos = start[terms] + rank
            rows[dpos], tf[dpos] = np.concatenate(d_rows), np.concatenate(d_tf)
        else:
            np.cumsum(main_counts, out=indptr[1:])
            rows, tf = rows_main, tf_main
        self._set_main(indptr, rows, tf)

    @property
    def needs_compaction(self) -> bool:
        """True once edits since the last compaction exceed 5 % of the live documents."""
        edits = self.delta_docs + len(self._dead_since_compact)
        return edits > max(1_000, 0.05 * max(self.n_alive, 1))

    # -- queries --------------------------------------------------------------------------

    def term_ids(self, terms: Iterable[str]) -> tuple[list[str], np.ndarray]:
        """The distinct terms among ``terms`` that occur in some document (first-seen
        order), and their ids. Terms whose documents were all removed are left out."""
        vocab, df, delta = self.vocab, self.df_main, self.delta
        known = []
        for t in dict.fromkeys(terms):
            tid = vocab.get(t)
            if tid is not None and ((tid < len(df) and df[tid] > 0) or tid in delta):
                known.append(t)
        return known, np.asarray([vocab[t] for t in known], dtype=np.int64)

    def idf_of(self, tids: np.ndarray) -> np.ndarray:
        """Current IDF estimates of term ids (main df + delta postings, live N)."""
        out = np.zeros(len(tids), dtype=np.float64)
        for i, tid in enumerate(tids.tolist()):
            entry = self.delta.get(tid)
            out[i] = self._idf_now(tid, len(entry[0]) if entry else 0)
        return out

    def _idf_now(self, tid: int, delta_df: int) -> float:
        df_main = int(self.df_main[tid]) if tid < len(self.df_main) else 0
        n = max(self.n_alive, 1)
        # dead documents still count in df_main: never let df exceed the live count
        return float(bm25_idf(min(df_main + delta_df, n), n))

    def _delta_postings(self, tid: int) -> tuple[np.ndarray, np.ndarray] | None:
        entry = self.delta.get(tid)
        if not entry:
            return None
        rows = np.asarray(entry[0], dtype=np.int64)
        tf = np.asarray(entry[1], dtype=np.float64)
        w = self._idf_now(tid, len(rows)) * bm25_tf(tf, self.dl.a[rows], self.avgdl, self.params)
        return rows, w.astype(np.float32)

    def scores(self, tids: np.ndarray) -> np.ndarray:
        """BM25 score of every row for the distinct term ids ``tids`` (dead rows: 0)."""
        acc = np.zeros(len(self.keys), dtype=np.float32)
        indptr, post_rows, post_w = self.indptr, self.post_rows, self.post_w
        n_main_terms = len(self.df_main)
        for tid in tids.tolist():
            if tid < n_main_terms:
                lo, hi = indptr[tid], indptr[tid + 1]
                if hi > lo:
                    acc[post_rows[lo:hi]] += post_w[lo:hi]
            if self.delta:
                d = self._delta_postings(tid)
                if d is not None:
                    acc[d[0]] += d[1]
        dead = self.dead_rows()
        if len(dead):
            acc[dead] = 0.0
        return acc

    #: Terms in more than this share of the rows (and at least ``prune_min_df``) may be left
    #: out of the dense pass of ``score_query`` (see ``Scored``) …
    prune_share = 0.2
    prune_min_df = 5_000
    #: … as long as their summed maximum weights stay under this share of the query's. Kept
    #: conservative: on the benchmark corpus a bolder split (2 %, 0.35) made most top-200
    #: queries fall back to the dense pass and cost more than it saved; at these settings
    #: only the near-ubiquitous terms are held back and the fallback is rare.
    prune_ub_share = 0.1

    def score_query(self, tids: np.ndarray, prune: bool = True) -> Scored:
        """Scores for one query, with the most common terms held back (``Scored``)."""
        n_main_terms = len(self.df_main)
        tail: list[int] = []
        if prune and len(tids):
            main = [t for t in tids.tolist() if t < n_main_terms]
            limit = max(self.prune_min_df, self.prune_share * len(self.keys))
            budget = self.prune_ub_share * float(self.ub[main].sum()) if main else 0.0
            spent = 0.0
            for t in sorted(main, key=lambda t: -int(self.df_main[t])):
                if self.df_main[t] <= limit or spent + float(self.ub[t]) > budget:
                    break
                tail.append(t)
                spent += float(self.ub[t])
        acc = np.zeros(len(self.keys), dtype=np.float32)
        indptr, post_rows, post_w = self.indptr, self.post_rows, self.post_w
        held = set(tail)
        for tid in tids.tolist():
            if tid < n_main_terms and tid not in held:
                lo, hi = indptr[tid], indptr[tid + 1]
                if hi > lo:
                    acc[post_rows[lo:hi]] += post_w[lo:hi]
            if self.delta:
                d = self._delta_postings(tid)
                if d is not None:
                    acc[d[0]] += d[1]
        dead = self.dead_rows()
        if len(dead):
            acc[dead] = -np.inf
        return Scored(self, acc, tail)

    def dead_rows(self) -> np.ndarray:
        """Rows removed since the last compaction (older dead rows hold no postings)."""
        if self._dead_cache is None:
            self._dead_cache = np.asarray(self._dead_since_compact, dtype=np.int64)
        return self._dead_cache

    def weights_at(self, tids: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Per-term BM25 contributions, shape (len(tids), len(rows)): the explanation's
        evidence of which query terms a document matched and how much each gave."""
        rows = np.asarray(rows, dtype=np.int64)
        out = np.zeros((len(tids), len(rows)), dtype=np.float32)
        n_main_terms = len(self.df_main)
        for i, tid in enumerate(tids.tolist()):
            if tid < n_main_terms:
                lo, hi = int(self.indptr[tid]), int(self.indptr[tid + 1])
                col = self.post_rows[lo:hi]
                if hi > lo:
                    pos = np.searchsorted(col, rows)
                    pos_c = np.minimum(pos, hi - lo - 1)
                    hit = col[pos_c] == rows
                    out[i, hit] += self.post_w[lo + pos_c[hit]]
            d = self._delta_postings(tid) if self.delta else None
            if d is not None:
                order = np.argsort(d[0])
                drows, dw = d[0][order], d[1][order]
                pos = np.minimum(np.searchsorted(drows, rows), len(drows) - 1)
                hit = drows[pos] == rows
                out[i, hit] += dw[pos[hit]]
        out[:, ~self.alive.a[rows]] = 0.0
        return out

    def search(self, tokens: Iterable[str], top_k: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """The ``top_k`` live documents for ``tokens``: (keys, scores), score descending and
        key ascending among equal scores; documents scoring 0 are not returned."""
        _, tids = self.term_ids(tokens)
        scored = self.score_query(tids)
        rows = scored.top(top_k)
        return self.keys.a[rows], scored.exact(rows)


class Scored:
    """BM25 scores of one query, exact on demand, with its most common terms held back.

    A handful of query terms (参与, 制造, 工程 …) can hold a third of a million postings each
    while adding little to any score: their IDF is low. They form the *tail*: ``partial``
    holds every other term's contribution (densely, per row), ``exact(rows)`` adds the tail
    for given rows by binary search in its posting lists, and ``top(k)`` is exact in the
    MaxScore way — it takes the best rows by partial score, scores them exactly, and accepts
    the result when even a row outside that set, with the tail's maximum weights added, could
    not reach the k-th exact score; otherwise it adds the tail densely and ranks everything.
    Blocked and dead rows hold −inf, so they never score.
    """

    def __init__(self, index: BM25Index, partial: np.ndarray, tail: list[int]) -> None:
        self.index = index
        self.partial = partial
        self.tail = tail
        self.tail_ub = float(index.ub[tail].sum()) if tail else 0.0
        self.fallbacks = 0  # how often top() had to add the tail densely (for benchmarks)

    def block(self, rows: np.ndarray) -> None:
        """Never return these rows (exclusions, conflicts, full capacity)."""
        if len(rows):
            self.partial[rows] = -np.inf

    def exact(self, rows: np.ndarray) -> np.ndarray:
        """The full BM25 score of ``rows`` (−inf for blocked or dead rows)."""
        rows = np.asarray(rows, dtype=np.int64)
        out = self.partial[rows].copy()
        index = self.index
        for tid in self.tail:
            lo, hi = int(index.indptr[tid]), int(index.indptr[tid + 1])
            col = index.post_rows[lo:hi]
            pos = np.minimum(np.searchsorted(col, rows), hi - lo - 1)
            hit = col[pos] == rows
            out[hit] += index.post_w[lo + pos[hit]]
        return out

    def densify(self) -> np.ndarray:
        """Add the tail to every row: ``partial`` becomes the full scores."""
        index = self.index
        for tid in self.tail:
            lo, hi = index.indptr[tid], index.indptr[tid + 1]
            self.partial[index.post_rows[lo:hi]] += index.post_w[lo:hi]
        self.tail, self.tail_ub = [], 0.0
        return self.partial

    def top(self, k: int) -> np.ndarray:
        """Rows of the k best positive scores, score desc then key asc (exact)."""
        keys = self.index.keys.a
        if not self.tail:
            return top_rows(self.partial, k, keys)
        pool_size = max(4 * k, k + 256)
        pool = top_rows(self.partial, pool_size, keys)
        floor = float(self.partial[pool[-1]]) if len(pool) == pool_size else 0.0
        scores = self.exact(pool)
        chosen = _top_exact(scores, k, keys[pool])
        bound = (floor + self.tail_ub) * (1 + 1e-5) + 1e-6  # float32 rounding margin
        if len(chosen) == k and float(scores[chosen[-1]]) > bound:
            return pool[chosen]
        self.fallbacks += 1
        return top_rows(self.densify(), k, keys)


def top_rows(acc: np.ndarray, k: int, keys: np.ndarray) -> np.ndarray:
    """Rows of the ``k`` highest positive scores, ordered score desc then key asc.

    Exact with ties: when the k-th score is shared, the rows holding it are chosen by key,
    so the result does not depend on argpartition's arbitrary order.

    Fast on a million rows: the k-th best score of a strided sample of ~sqrt(k·n) rows is a
    lower bound of the true k-th best (any k rows are), so only the rows at or above it —
    about as many again — need partitioning; the full scan is a single comparison.
    """
    n = len(acc)
    if k <= 0 or n == 0:
        return np.zeros(0, dtype=np.int64)
    stride = int(n / np.sqrt(k * n)) if n > 64 * k else 1
    if stride > 1:
        sample = acc[::stride]
        positive = sample[sample > 0]
        if len(positive) >= k:
            bound = np.partition(positive, len(positive) - k)[len(positive) - k]
            cand = np.flatnonzero(acc >= bound)
        else:
            cand = np.flatnonzero(acc > 0)
        return cand[_top_exact(acc[cand], k, keys[cand])]
    return _top_exact(acc, k, keys)


def _top_exact(acc: np.ndarray, k: int, keys: np.ndarray) -> np.ndarray:
    n = len(acc)
    if k < n:
        part = np.argpartition(acc, n - k)[n - k :]
        threshold = acc[part].min()
        above = part[acc[part] > threshold]
        if threshold > 0:
            tied = np.flatnonzero(acc == threshold)
            if len(tied) > k - len(above):
                tied = tied[np.argsort(keys[tied], kind="stable")[: k - len(above)]]
            chosen = np.concatenate([above, tied])
        else:
            chosen = above
    else:
        chosen = np.flatnonzero(acc > 0)
    chosen = chosen[acc[chosen] > 0]
    order = np.lexsort((keys[chosen], -acc[chosen]))
    return chosen[order].astype(np.int64)
