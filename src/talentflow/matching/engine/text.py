"""Chinese-aware text analysis for matching: one function, ``tokenize``, used for profiles,
engagement texts, needs and taxonomy names alike, so a query term and an indexed term are
always produced the same way.

Why these choices:

- **rjieba's search mode** (``cut_for_search``) emits a compound word *and* its dictionary
  sub-words (铝合金 → 合金, 铝合金; 模具设计 → 模具, 设计, 模具设计). A need that says 模具
  then finds a profile that says 模具设计, and the longer shared compound still scores
  higher because it matches more terms. Plain ``cut`` would keep 模具设计 whole and miss it.
- **NFKC, then lower case**: full-width letters and digits (ＢＯＰＰ) become ASCII, and ASCII
  terms compare case-blind (BOPP = bopp, TRL = trl); Chinese is unaffected.
- **Dropped**: punctuation and spaces, tokens made only of digits or symbols (years, amounts,
  codes such as 2019 or 3.5 carry no topic), and a compact stopword list of function words
  and the generic filler of research and company prose (研究, 技术, 有限公司 …) whose
  posting lists are huge and whose BM25 weight is close to nothing. Single characters that
  are words in their own right (铝, 钢, 铜, 茶) are kept: they are domain words.
"""

from __future__ import annotations

import re
import unicodedata

import rjieba

#: Function words and generic filler. Kept short on purpose: anything topical stays, and BM25's
#: IDF already discounts frequent words; these are dropped mainly because they are frequent
#: enough to make every query scan a large share of the index for no ranking benefit.
STOPWORDS: frozenset[str] = frozenset(
    """
    的 了 和 与 及 或 等 在 是 对 为 以 于 中 其 并 而 之 将 把 被 从 由 向 到 也 又 就 都 该 此
    这 那 个 各 种 一 上 下 所 可 不 有 无 着 过 给 让 使 年 月 日 们 我 你 他 她 它 如 若 则 即
    以及 及其 并且 或者 其中 其他 其它 以上 以下 之一 一种 一些 一个 一定 我们 本文 文章 作者
    进行 通过 提出 采用 利用 基于 根据 对于 关于 为了 由于 因此 所以 但是 然而 同时 以便
    可以 能够 已经 具有 主要 相关 方面 问题 方法 结果 表明 研究 技术 领域 工作 从事 负责
    有限公司 有限 公司 股份 有限责任 责任
    """.split()  # noqa: SIM905 - a word list reads better as text
)

_cut = rjieba.cut_for_search


#: Characters NFKC changes in a way that matters for terms: full-width letters and digits,
#: Roman numerals, CJK compatibility ideographs. Chinese full-width punctuation (，。：) is
#: everywhere but is dropped as punctuation either way, so it does not trigger NFKC, whose
#: cost (~13 µs a profile) would be a sixth of the build.
_NEEDS_NFKC = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u2160-\u217f\uf900-\ufaff]")


def normalise(text: str) -> str:
    """NFKC where it changes letters (full-width → ASCII), then lower case: the form the
    segmenter sees."""
    if _NEEDS_NFKC.search(text):
        text = unicodedata.normalize("NFKC", text)
    return text.lower()


def _has_word_char(token: str) -> bool:
    """A CJK ideograph or an ASCII letter: a token without one is a number or a symbol."""
    return any(
        "a" <= ch <= "z" or "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in token
    )


def judge(raw: str) -> str:
    """The term a raw segmenter token stands for, or '' when it is dropped.

    Raw tokens come from ``raw_tokens`` (already normalised), so this only filters; it is a
    pure function of the token, which lets callers memoise it per distinct token.
    """
    token = raw.strip()
    if not token or token in STOPWORDS or not _has_word_char(token):
        return ""
    return token


_MEMO: dict[str, str] = {}
_MEMO_LIMIT = 1_000_000  # distinct raw tokens remembered; cleared beyond (numbers, typos …)


def raw_tokens(text: str) -> list[str]:
    """The segmenter's tokens of the normalised text, nothing dropped yet."""
    return _cut(normalise(text))


def tokenize(text: str) -> list[str]:
    """Index/query terms of ``text``, in order, repeats kept (BM25 counts them)."""
    memo = _MEMO
    if len(memo) > _MEMO_LIMIT:
        memo.clear()
    out: list[str] = []
    for raw in _cut(normalise(text)):
        term = memo.get(raw)
        if term is None:
            term = memo[raw] = judge(raw)
        if term:
            out.append(term)
    return out


def unique_terms(text: str) -> list[str]:
    """``tokenize`` without repeats, first occurrence order: a query's distinct terms."""
    return list(dict.fromkeys(tokenize(text)))
