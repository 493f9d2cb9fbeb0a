"""A labelled development set for expert matching, built from CSL (Chinese Scientific
Literature, Apache-2.0, /work/shared/data/expert_matching/csl, copied under bench/data/csl/).

CSL has papers with title, abstract, keywords and discipline, but no authors. We make
authors: within each discipline, papers are grouped greedily by shared keywords into experts
of three papers each. One paper of some experts is held out as a *need* (its title and
abstract are the need text; its discipline is the code the talent office would set in 助题).
The expert profile is what a registry holds: the keywords of their other papers as expertise
and the titles as biography, the discipline's code.

Relevance (graded, for nDCG@10):
- 2: the expert the held-out paper came from (they wrote it);
- 1: another expert of the same discipline whose papers share at least one keyword with the
  held-out paper.
Distractors: the 8,000 CSL training titles (category only) grouped into experts of four titles
each, coded at the category level only; they are never relevant.

This is a development set of our own, not the held-out evaluation: it rewards finding the
author and close colleagues from a need's wording, which is what BM25 and the structured
signals are for. Deterministic (seeded).
"""

from __future__ import annotations

import csv
import math
import random
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from talentflow.matching.engine.types import ExpertDoc, NeedQuery

HERE = Path(__file__).resolve().parent
CSL_DIR = HERE / "data" / "csl"
SOURCE_DIR = Path("/work/shared/data/expert_matching/csl")
REFERENCE = HERE.parent / "src" / "talentflow" / "reference" / "data"
CATALOGUE = REFERENCE / "grad_catalogue_2022_level1.csv"

# CSL labels whose name differs from the 2022 catalogue's (checked by hand against it).
ALIASES = {
    "图书馆、情报与档案管理": "1205",  # 信息资源管理 (formerly 图书情报与档案管理)
    "公共管理": "1204",
    "工商管理": "1202",
    "历史学": "0602",
    "军事学": "1101",
    "农业资源利用": "0903",
}
PAPERS_PER_EXPERT = 3
TITLES_PER_DISTRACTOR = 4


def _csl_file(name: str) -> Path:
    local = CSL_DIR / name
    return local if local.exists() else SOURCE_DIR / name


def _rows(name: str) -> list[dict[str, str]]:
    with _csl_file(name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def discipline_codes() -> tuple[dict[str, str], dict[str, str]]:
    """CSL discipline label → first-level code (by name: "化学/化学工程与技术" → 0703), and
    CSL category (门类) → category code ("工学" → 08)."""
    by_name: dict[str, str] = {}
    by_category: dict[str, str] = {}
    with CATALOGUE.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            by_name[row["name"]] = row["code"]
            by_category[row["category_name"]] = row["category_code"]
    labels = {row["discipline"] for row in _rows("csl_benchmark_dev_test.csv")}
    mapping = dict(ALIASES)
    for label in labels - set(ALIASES):
        for part in label.split("/"):
            if part in by_name:
                mapping[label] = by_name[part]
                break
    return mapping, by_category


def _keywords(row: dict[str, str]) -> set[str]:
    return {k.strip() for k in row["keywords"].split(";") if k.strip()}


@dataclass(frozen=True)
class DevQuery:
    query: NeedQuery
    relevance: dict[int, int]  # expert id -> grade


@dataclass(frozen=True)
class DevSet:
    experts: list[ExpertDoc]
    queries: list[DevQuery]


def build(seed: int = 7, hold_out_every: int = 2) -> DevSet:
    rng = random.Random(seed)
    codes, category_codes = discipline_codes()
    papers = _rows("csl_benchmark_dev_test.csv")
    by_discipline: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in papers:
        by_discipline[row["discipline"]].append(row)
    experts: list[ExpertDoc] = []
    held_out: list[tuple[dict[str, str], int]] = []  # (paper, author expert id)
    expert_keywords: dict[int, set[str]] = {}
    expert_discipline: dict[int, str] = {}
    next_id = 1
    for label in sorted(by_discipline):
        pool = sorted(by_discipline[label], key=lambda r: r["id"])
        rng.shuffle(pool)
        while len(pool) >= PAPERS_PER_EXPERT:
            seed_paper = pool.pop()
            words = _keywords(seed_paper)
            pool.sort(key=lambda r: (len(words & _keywords(r)), r["id"]))
            group = [seed_paper] + [pool.pop() for _ in range(PAPERS_PER_EXPERT - 1)]
            expert_id = next_id
            next_id += 1
            kept = group
            if expert_id % hold_out_every == 0:
                held_out.append((group[0], expert_id))
                kept = group[1:]
            keywords = sorted(set().union(*(_keywords(r) for r in kept)))
            expert_keywords[expert_id] = set(keywords)
            expert_discipline[expert_id] = label
            code = codes.get(label, "")
            experts.append(
                ExpertDoc(
                    id=expert_id,
                    name=f"专家{expert_id:04d}",
                    text="；".join(keywords) + "。" + "；".join(r["title"] for r in kept),
                    disciplines=(code,) if code else (),
                    title_level=rng.choice(["senior_full", "senior_deputy", "intermediate"]),
                    region="330421",
                )
            )
    titles = _rows("csl_ctg_train_titles.csv")
    titles.sort(key=lambda r: r["id"])
    rng.shuffle(titles)
    by_category: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in titles:
        by_category[row["category"]].append(row)
    for category in sorted(by_category):
        rows = by_category[category]
        for start in range(0, len(rows) - TITLES_PER_DISTRACTOR + 1, TITLES_PER_DISTRACTOR):
            group = rows[start : start + TITLES_PER_DISTRACTOR]
            code = category_codes.get(category, "")
            experts.append(
                ExpertDoc(
                    id=next_id,
                    name=f"专家{next_id:04d}",
                    text="；".join(r["title"] for r in group),
                    disciplines=(code,) if code else (),
                    title_level=rng.choice(["senior_deputy", "intermediate", "assistant"]),
                    region="330421",
                )
            )
            next_id += 1
    queries = []
    for paper, author in held_out:
        words = _keywords(paper)
        relevance = {author: 2}
        for expert_id, label in expert_discipline.items():
            same_field = expert_id != author and label == paper["discipline"]
            if same_field and words & expert_keywords[expert_id]:
                relevance[expert_id] = 1
        code = codes.get(paper["discipline"], "")
        queries.append(
            DevQuery(
                query=NeedQuery(
                    text=f"{paper['title']}。{paper['abstract']}",
                    disciplines=(code,) if code else (),
                    region="330421",
                ),
                relevance=relevance,
            )
        )
    return DevSet(experts=experts, queries=queries)


def ndcg_at(ranked: Sequence[int], relevance: dict[int, int], k: int = 10) -> float:
    gains = [relevance.get(e, 0) for e in ranked[:k]]
    dcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(gains))
    ideal = sorted(relevance.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall_at(ranked: Sequence[int], relevance: dict[int, int], k: int = 10) -> float:
    relevant = {e for e, g in relevance.items() if g > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def evaluate(devset: DevSet, rank: Callable[[NeedQuery], Sequence[int]], k: int = 10):
    """Mean nDCG@k and recall@k of ``rank`` (a need query → expert ids, best first)."""
    ndcgs, recalls = [], []
    for item in devset.queries:
        ranked = list(rank(item.query))
        ndcgs.append(ndcg_at(ranked, item.relevance, k))
        recalls.append(recall_at(ranked, item.relevance, k))
    n = len(devset.queries)
    return sum(ndcgs) / n, sum(recalls) / n
