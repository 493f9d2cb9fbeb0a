"""BM25 against a straightforward reference implementation, and the index's edits."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from talentflow.matching.engine.bm25 import BM25Index, BM25Params, top_rows

VOCAB = [f"t{i}" for i in range(12)]


def reference_scores(
    docs: dict[int, list[str]], query: list[str], k1: float = 1.2, b: float = 0.75
) -> dict[int, float]:
    """Okapi BM25 written out term by term (Lucene IDF, distinct query terms)."""
    n = len(docs)
    avgdl = sum(len(d) for d in docs.values()) / n
    df = Counter(t for d in docs.values() for t in set(d))
    out = {}
    for key, doc in docs.items():
        tf = Counter(doc)
        score = 0.0
        for term in dict.fromkeys(query):
            if tf[term] == 0:
                continue
            idf = math.log(1 + (n - df[term] + 0.5) / (df[term] + 0.5))
            norm = k1 * (1 - b + b * len(doc) / avgdl) if avgdl else k1
            score += idf * tf[term] * (k1 + 1) / (tf[term] + norm)
        out[key] = score
    return out


def index_scores(index: BM25Index, query: list[str]) -> dict[int, float]:
    _, tids = index.term_ids(query)
    acc = index.scores(tids)
    return {int(index.keys.a[row]): float(acc[row]) for row in index.row_of.values()}


def assert_close(got: dict[int, float], want: dict[int, float]) -> None:
    assert got.keys() == want.keys()
    keys = sorted(want)
    np.testing.assert_allclose(
        [got[k] for k in keys], [want[k] for k in keys], rtol=1e-5, atol=1e-5
    )


_DOC = st.lists(st.sampled_from(VOCAB), min_size=1, max_size=15)
_CORPUS = st.lists(_DOC, min_size=1, max_size=25)
_QUERY = st.lists(st.sampled_from([*VOCAB, "unknown"]), min_size=1, max_size=6)


@settings(max_examples=120, deadline=None)
@given(_CORPUS, _QUERY)
def test_scores_equal_the_reference(corpus, query):
    docs = {100 + i: d for i, d in enumerate(corpus)}
    index = BM25Index.build_tokens(docs.items())
    assert_close(index_scores(index, query), reference_scores(docs, query))


@settings(max_examples=40, deadline=None)
@given(_CORPUS, _QUERY, st.floats(0.5, 2.0), st.floats(0.0, 1.0))
def test_parameters_are_honoured(corpus, query, k1, b):
    docs = dict(enumerate(corpus))
    index = BM25Index.build_tokens(docs.items(), BM25Params(k1=k1, b=b))
    assert_close(index_scores(index, query), reference_scores(docs, query, k1, b))


@settings(max_examples=80, deadline=None)
@given(
    _CORPUS,
    st.lists(st.tuples(st.sampled_from(["add", "remove", "update"]), st.integers(0, 40), _DOC)),
    _QUERY,
)
def test_after_edits_and_compaction_scores_equal_the_reference(corpus, edits, query):
    docs = dict(enumerate(corpus))
    index = BM25Index.build_tokens(docs.items())
    for op, key, tokens in edits:
        if op == "remove" and key in docs and len(docs) > 1:
            index.remove(key)
            del docs[key]
        elif op in ("add", "update"):
            if key in docs:
                index.update(key, tokens)
            else:
                index.add(key, tokens)
            docs[key] = tokens
    # between compactions: exactly the live documents, each matching only its current words
    for key, tokens in docs.items():
        got = index_scores(index, tokens)
        assert got[key] > 0
    for key, score in index_scores(index, query).items():
        assert (score > 0) == bool(set(query) & set(docs[key]))
    index.compact()
    assert_close(index_scores(index, query), reference_scores(docs, query))


def test_a_changed_document_is_found_by_its_new_words_only():
    index = BM25Index.build_tokens([(1, ["压铸", "模具"]), (2, ["茶叶"]), (3, ["压铸"])])
    index.update(1, ["水产", "养殖"])
    for _ in range(2):  # before and after compaction
        assert 1 not in index.search(["模具"], 10)[0]
        assert list(index.search(["压铸"], 10)[0]) == [3]
        assert list(index.search(["养殖"], 10)[0]) == [1]
        index.compact()


def test_removed_documents_are_never_returned_and_removing_twice_is_harmless():
    index = BM25Index.build_tokens([(1, ["a"]), (2, ["a"])])
    assert index.remove(1) is not None
    assert index.remove(1) is None
    assert list(index.search(["a"], 5)[0]) == [2]
    assert index.n_alive == 1


def test_search_orders_ties_by_key_and_cuts_ties_by_key():
    # ten identical documents inserted in scrambled key order: every score is equal
    keys = [7, 3, 9, 1, 8, 2, 6, 0, 5, 4]
    index = BM25Index.build_tokens([(k, ["x", "y"]) for k in keys])
    found, scores = index.search(["x"], 4)
    assert list(found) == [0, 1, 2, 3]
    assert len(set(scores.tolist())) == 1


def test_top_rows_is_exact_with_ties_at_the_boundary():
    rng = np.random.default_rng(1)
    for _ in range(50):
        acc = rng.integers(0, 4, size=40).astype(np.float32)
        keys = rng.permutation(1000)[:40]
        k = int(rng.integers(1, 45))
        got = top_rows(acc, k, keys)
        positive = [i for i in range(40) if acc[i] > 0]
        want = sorted(positive, key=lambda i: (-acc[i], keys[i]))[:k]
        assert got.tolist() == want


def test_delta_documents_are_scored_close_to_a_rebuild():
    base = [(i, ["common", f"w{i % 7}"]) for i in range(200)]
    index = BM25Index.build_tokens(base)
    index.add(1000, ["common", "w3", "rare"])
    before = index_scores(index, ["w3", "rare"])[1000]
    index.compact()
    after = index_scores(index, ["w3", "rare"])[1000]
    assert abs(before - after) / after < 0.02


def test_top_rows_sampled_path_is_exact_on_large_arrays():
    rng = np.random.default_rng(2)
    for _ in range(20):
        n = int(rng.integers(20_000, 60_000))
        acc = np.where(rng.random(n) < 0.3, rng.integers(0, 50, n), 0).astype(np.float32)
        keys = rng.permutation(n).astype(np.int64)
        k = int(rng.integers(1, 300))
        got = top_rows(acc, k, keys)
        order = np.lexsort((keys, -acc))
        want = [int(i) for i in order[:k] if acc[i] > 0]
        assert got.tolist() == want


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(VOCAB[:6]), min_size=1, max_size=8), min_size=1, max_size=60),
    _QUERY,
    st.integers(1, 30),
    st.floats(0.1, 1.0),
)
def test_pruned_top_k_equals_exhaustive_top_k(corpus, query, k, ub_share):
    """Holding common terms back (MaxScore) must not change the top k: same scores, and the
    same rows except where two scores are equal up to float rounding."""
    index = BM25Index.build_tokens(enumerate(corpus))
    index.prune_min_df, index.prune_share, index.prune_ub_share = 1, 0.0, ub_share
    _, tids = index.term_ids(query)
    full = index.scores(tids)
    want = top_rows(full, k, index.keys.a)
    scored = index.score_query(tids)
    got = scored.top(k)
    np.testing.assert_allclose(scored.exact(got), full[want], rtol=1e-5, atol=1e-6)
    for g, w in zip(got.tolist(), want.tolist(), strict=True):
        assert g == w or abs(full[g] - full[w]) <= 1e-5 * max(1.0, abs(full[w]))
    np.testing.assert_allclose(scored.exact(np.arange(len(corpus))), full, rtol=1e-5, atol=1e-6)
