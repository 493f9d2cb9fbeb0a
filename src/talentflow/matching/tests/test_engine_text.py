"""The matching tokenizer: what is kept, what is dropped, and that the index's fast build path
produces exactly the terms ``tokenize`` does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from talentflow.matching.engine.bm25 import BM25Index
from talentflow.matching.engine.text import STOPWORDS, tokenize, unique_terms


def test_ascii_terms_are_kept_lower_cased():
    terms = tokenize("BOPP薄膜的TRL评估")
    assert "bopp" in terms
    assert "trl" in terms
    assert "薄膜" in terms


def test_full_width_letters_fold_to_ascii():
    assert tokenize("ＢＯＰＰ薄膜") == tokenize("BOPP薄膜")


def test_digits_punctuation_and_stopwords_are_dropped():
    terms = tokenize("2019年，浙江某有限公司的研究与技术：3.5%（压铸）")
    assert "2019" not in terms
    assert "3.5" not in terms
    for dropped in ("，", "：", "（", "）", "%", "的", "有限公司", "研究", "技术", "年"):
        assert dropped not in terms
    assert "压铸" in terms


def test_compounds_also_yield_their_sub_words():
    terms = tokenize("铝合金压铸模具设计")
    assert {"铝合金", "合金", "模具", "设计", "压铸"} <= set(terms)


def test_single_character_domain_words_are_kept():
    assert "铝" in tokenize("铝 与 钢")
    assert "钢" in tokenize("铝 与 钢")


def test_repeats_are_kept_but_unique_terms_drops_them():
    assert tokenize("压铸 压铸").count("压铸") == 2
    assert unique_terms("压铸 压铸 模具") == ["压铸", "模具"]


_TEXT = st.text(
    alphabet=st.sampled_from(list("铝合金压铸模具的研究与技术abcXYZ 0123，。%ＢＯ有限公司茶叶")),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(_TEXT)
def test_no_term_is_a_stopword_blank_or_number(text):
    for term in tokenize(text):
        assert term not in STOPWORDS
        assert term.strip() == term and term
        assert not term.isdigit()
        assert term == term.lower()


@settings(max_examples=60, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=6))
def test_build_path_indexes_exactly_the_tokenized_terms(texts):
    """The builder maps raw segmenter tokens through a memo in bulk; the document lengths and
    the vocabulary must be those of ``tokenize``."""
    index = BM25Index.build(enumerate(texts))
    for row, text in enumerate(texts):
        assert index.dl.a[row] == len(tokenize(text))
    expected = {t for text in texts for t in tokenize(text)}
    assert set(index.vocab) == expected
