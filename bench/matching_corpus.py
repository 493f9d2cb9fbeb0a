"""A deterministic synthetic corpus of talent profiles and needs for the matching benchmark.

    from matching_corpus import Corpus
    corpus = Corpus.load(seed=7)
    for expert in corpus.experts(1_000_000): ...      # a generator of ExpertDoc
    needs = corpus.needs(300)                          # NeedQuery list, from held-out papers

Vocabulary and fields come from real sources, so posting-list lengths and code mixes look like
a real registry's rather than uniform noise:

- **CSL** (``bench/data/csl``, copied from ``shared/data/expert_matching/csl``): the *dev*
  papers' keywords and titles give each discipline its vocabulary; the 8,000 training titles
  (by 门类 category) give biography phrases; the *test* papers are held out and become the
  needs (title, keywords, the first sentence of the abstract). CSL's discipline labels are
  mapped to graduate-catalogue codes by name (``csl_discipline_codes``: exact name, then a
  name that extends the label, then a few hand-written cases), and each graduate code to the
  GB/T 4754 divisions where such experts work (``GRAD_DIVISIONS``, hand-written).
- **Taxonomies** (``src/talentflow/reference/data``): a profile's 1–3 industry classes are
  drawn from its discipline's divisions and their names are written into its text, so text
  and codes agree; regions are county codes (80 % in the Yangtze delta provinces); pools
  follow the alliances' member regions; title words come from the 职称 series.

Each profile has 1–2 discipline codes, a title level, availability (80 % available, 15 %
limited, 5 % unavailable), load and capacity (about 5 % full), 1–2 organisations, a declared
conflict for 10 %, and 1–3 past engagements (texts of other papers of its discipline, 40 %
verified, 20 % with confirmed outcomes) for 10 %. Everything is drawn from ``random.Random``
and ``numpy.random.default_rng`` seeded by ``seed``: the same seed gives the same corpus.
"""

from __future__ import annotations

import csv
import random
import sys
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from talentflow.matching.engine.types import ExpertDoc, NeedQuery, PastWork  # noqa: E402

CSL_DIR = ROOT / "bench" / "data" / "csl"  # copied from shared/data (PROVENANCE.md there)
REFERENCE = ROOT / "src" / "talentflow" / "reference" / "data"

#: CSL labels whose parts match no catalogue name: written by hand.
CSL_OVERRIDES = {
    "历史学": "0602",
    "图书馆、情报与档案管理": "1205",
    "农业资源利用": "0903",
    "生物科学与工程": "0836",
    "军事学": "1101",
}

#: Graduate 一级学科 → GB/T 4754 大类 divisions where such experts typically work.
GRAD_DIVISIONS: dict[str, tuple[str, ...]] = {
    "0101": ("83", "88"), "0201": ("72", "73"), "0202": ("66", "67", "68", "72"),
    "0301": ("72", "92"), "0302": ("92", "83"), "0303": ("85", "95"), "0304": ("95", "83"),
    "0401": ("83",), "0402": ("84", "83"), "0403": ("89", "24"), "0501": ("86", "83"),
    "0503": ("86", "87"), "0602": ("88", "83"), "0701": ("73", "65"), "0702": ("73", "39", "40"),
    "0703": ("26", "73"), "0704": ("73", "40"), "0705": ("74", "77"), "0706": ("74", "77"),
    "0707": ("74", "04", "77"), "0708": ("74",), "0709": ("74", "09", "10"),
    "0710": ("73", "27", "01"), "0801": ("73", "34"), "0802": ("34", "35", "33"),
    "0803": ("40", "39"), "0805": ("33", "32", "31", "30", "29"), "0806": ("31", "32"),
    "0807": ("34", "44", "38"), "0808": ("38", "44"), "0809": ("39", "40"),
    "0810": ("39", "63"), "0811": ("40", "34", "38"), "0812": ("65", "64", "39"),
    "0813": ("74", "47"), "0814": ("47", "48", "30"), "0815": ("76", "48"),
    "0816": ("74",), "0817": ("26", "25", "28"), "0818": ("74", "09", "10"),
    "0819": ("06", "08", "09", "10"), "0820": ("07", "25", "11"), "0821": ("17", "18", "28"),
    "0823": ("54", "48", "37"), "0824": ("37", "55"), "0825": ("37",), "0826": ("37", "34"),
    "0827": ("44", "25", "73"), "0828": ("35", "01", "05"), "0829": ("20", "21", "22"),
    "0830": ("77", "46", "42"), "0832": ("13", "14", "15"), "0836": ("27", "14", "15"),
    "0901": ("01", "05"), "0902": ("01",), "0903": ("01", "26", "77"), "0904": ("05", "26"),
    "0905": ("03", "13"), "0906": ("03", "27"), "0907": ("02", "20"), "0908": ("04", "13"),
    "1001": ("84", "27"), "1002": ("84", "27", "35"), "1003": ("84", "35"), "1004": ("84",),
    "1005": ("27", "84"), "1007": ("27",), "1008": ("27", "01", "84"), "1101": ("92", "73"),
    "1202": ("72",), "1203": ("01", "05", "72"), "1204": ("92", "94"), "1205": ("88", "65"),
    "1301": ("87", "88", "24"),
}  # fmt: skip

TITLE_LEVELS = ["senior_full", "senior_deputy", "intermediate", "assistant", "junior", ""]
TITLE_WEIGHTS = [0.15, 0.3, 0.3, 0.12, 0.05, 0.08]
TITLE_COLUMNS = {
    "senior_full": "title_senior_full",
    "senior_deputy": "title_senior_deputy",
    "intermediate": "title_intermediate",
    "assistant": "title_assistant",
    "junior": "title_junior",
}
#: 职称 series whose title words suit each CSL 门类 ("" for the rest).
SERIES_BY_CATEGORY = {
    "工学": ("工程技术人员", "高等学校教师"),
    "医学": ("卫生技术人员", "高等学校教师"),
    "农学": ("农业技术人员", "高等学校教师"),
    "理学": ("自然科学研究人员", "高等学校教师"),
    "": ("高等学校教师", "哲学社会科学研究人员"),
}
VERBS = ["长期从事", "专注于", "主要研究", "擅长", "主持", "致力于", "承担过"]
LINKERS = ["，熟悉", "，兼顾", "，并开展", "，参与", "，服务"]


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def csl_discipline_codes(label: str, catalogue: list[dict[str, str]]) -> tuple[str, ...]:
    """Graduate codes for a CSL discipline label such as "化学/化学工程与技术"."""
    by_name = {r["name"]: r["code"] for r in catalogue}
    codes = []
    for part in label.split("/"):
        if part in CSL_OVERRIDES:
            codes.append(CSL_OVERRIDES[part])
        elif part in by_name:
            codes.append(by_name[part])
        else:
            extended = [r["code"] for r in catalogue if r["name"].startswith(part)]
            if extended:
                codes.append(extended[0])
    return tuple(dict.fromkeys(codes))


@dataclass
class Field:
    """One CSL discipline: its codes, vocabulary and where its experts work."""

    label: str
    category: str
    codes: tuple[str, ...]
    keywords: list[str]
    titles: list[str]
    classes: list[tuple[str, str]]  # (4-digit code, name)


class Corpus:
    """Sources loaded once; ``experts`` and ``needs`` draw from them deterministically."""

    def __init__(self, seed: int, fields: list[Field], held_out: list[dict[str, str]]):
        self.seed = seed
        self.fields = fields
        self.held_out = held_out
        self.by_label = {f.label: f for f in fields}
        self.biographies: dict[str, list[str]] = defaultdict(list)
        for row in _read(CSL_DIR / "csl_ctg_train_titles.csv"):
            self.biographies[row["category"]].append(row["title"])
        self.titles_by_level: dict[tuple[str, str], list[str]] = defaultdict(list)
        for row in _read(REFERENCE / "zhicheng_series_27.csv"):
            for category, series in SERIES_BY_CATEGORY.items():
                if row["series"] in series:
                    for level, column in TITLE_COLUMNS.items():
                        if row[column]:
                            self.titles_by_level[category, level].append(row[column])
        counties = [
            r for r in _read(REFERENCE / "cn_admin_divisions_county_2025.csv")
            if r["level"] == "county" and not r["stats_only_zone"] and r["code"][:2] != "99"
        ]  # fmt: skip
        yrd = ("31", "32", "33", "34")
        self.yrd = [r["code"] for r in counties if r["code"][:2] in yrd]
        self.elsewhere = [r["code"] for r in counties if r["code"][:2] not in yrd]
        self.alliances = {
            r["code"]: set(r["member_codes"].split(";")) for r in _read(REFERENCE / "alliances.csv")
        }

    @classmethod
    def load(cls, seed: int = 7) -> Corpus:
        catalogue = _read(REFERENCE / "grad_catalogue_2022_level1.csv")
        industries = _read(REFERENCE / "gbt4754_2017.csv")
        classes_of = defaultdict(list)
        for r in industries:
            if r["level_no"] == "4":
                classes_of[r["code"][:2]].append((r["code"], r["name"]))
        papers = _read(CSL_DIR / "csl_benchmark_dev_test.csv")
        fields = []
        for label in sorted({p["discipline"] for p in papers}):
            codes = csl_discipline_codes(label, catalogue)
            if not codes:
                raise ValueError(f"no graduate code for CSL discipline {label!r}")
            divisions = dict.fromkeys(d for c in codes for d in GRAD_DIVISIONS[c])
            dev = [p for p in papers if p["discipline"] == label and p["split"] == "dev"]
            keywords = list(dict.fromkeys(k for p in dev for k in p["keywords"].split(";") if k))
            fields.append(
                Field(
                    label=label,
                    category=dev[0]["category"] if dev else "",
                    codes=codes,
                    keywords=keywords,
                    titles=[p["title"] for p in dev],
                    classes=[c for d in divisions for c in classes_of[d]],
                )
            )
        fields = [f for f in fields if f.keywords and f.classes]
        labels = {f.label for f in fields}
        held_out = [p for p in papers if p["split"] == "test" and p["discipline"] in labels]
        return cls(seed, fields, held_out)

    # -- experts --------------------------------------------------------------------------

    def _region(self, rng: random.Random) -> str:
        return rng.choice(self.yrd) if rng.random() < 0.8 else rng.choice(self.elsewhere)

    def _pools(self, rng: random.Random, region: str) -> tuple[str, ...]:
        pools = [
            slug
            for slug, members in self.alliances.items()
            if (region in members or region[:4] + "00" in members) and rng.random() < 0.7
        ]
        if not pools and region[:2] in ("31", "32", "33") and rng.random() < 0.05:
            pools.append(rng.choice(sorted(self.alliances)))
        return tuple(pools)

    def _text(
        self, rng: random.Random, field: Field, classes: list[tuple[str, str]], level: str
    ) -> str:
        kws = rng.sample(field.keywords, min(len(field.keywords), rng.randint(2, 4)))
        words = self.titles_by_level.get((field.category, level)) or self.titles_by_level.get(
            ("", level), ["专家"]
        )
        title_word = rng.choice(words)
        parts = [
            title_word,
            "，",
            rng.choice(VERBS),
            "、".join(kws),
            rng.choice(LINKERS),
            "、".join(name for _, name in classes),
            "。",
        ]
        if rng.random() < 0.6:
            parts += ["曾参与", rng.choice(field.titles) if field.titles else "", "。"]
        bios = self.biographies.get(field.category)  # other papers of the 门类: a biography
        if bios and rng.random() < 0.7:
            parts += [rng.choice(bios), "。"]
        text = "".join(parts)
        return text[:120]

    def _past(self, rng: random.Random, field: Field) -> tuple[PastWork, ...]:
        works = []
        for _ in range(rng.randint(1, 3)):
            title = rng.choice(field.titles) if field.titles else ""
            kws = rng.sample(field.keywords, min(2, len(field.keywords)))
            works.append(
                PastWork(
                    text=f"{title}：{'、'.join(kws)}",
                    industry=rng.choice(field.classes)[0],
                    disciplines=field.codes[:1],
                    verified=rng.random() < 0.4,
                    valued=rng.random() < 0.2,
                )
            )
        return tuple(works)

    def expert(self, rng: random.Random, expert_id: int) -> ExpertDoc:
        """One profile; ``rng`` is the corpus stream (so ids depend only on position)."""
        field = self.fields[rng.randrange(len(self.fields))]
        classes = rng.sample(field.classes, min(len(field.classes), rng.choice((1, 1, 2, 2, 3))))
        disciplines = list(field.codes[: rng.randint(1, 2)])
        if rng.random() < 0.15:  # a second field, for cross-disciplinary experts
            other = self.fields[rng.randrange(len(self.fields))]
            disciplines = list(dict.fromkeys([*disciplines, other.codes[0]]))[:2]
        level = rng.choices(TITLE_LEVELS, TITLE_WEIGHTS)[0]
        region = self._region(rng)
        capacity = rng.randint(1, 5)
        load = capacity if rng.random() < 0.05 else rng.randint(0, capacity - 1)
        u = rng.random()
        availability = "available" if u < 0.8 else ("limited" if u < 0.95 else "unavailable")
        orgs = tuple(rng.sample(range(1, 50_000), rng.randint(1, 2)))
        conflicts = (rng.randrange(1, 50_000),) if rng.random() < 0.1 else ()
        past = self._past(rng, field) if rng.random() < 0.1 else ()
        return ExpertDoc(
            id=expert_id,
            name=f"专家{expert_id}",
            text=self._text(rng, field, classes, level),
            industries=tuple(c for c, _ in classes),
            disciplines=tuple(disciplines),
            title_level=level,
            region=region,
            pools=self._pools(rng, region),
            availability=availability,
            load=load,
            capacity=capacity,
            organisations=orgs,
            conflicts=conflicts,
            past=past,
        )

    def experts(self, n: int) -> Iterator[ExpertDoc]:
        """``n`` profiles with ids 1..n, the same for the same seed."""
        rng = random.Random(self.seed)
        for expert_id in range(1, n + 1):
            yield self.expert(rng, expert_id)

    # -- needs ----------------------------------------------------------------------------

    def needs(self, n: int) -> list[NeedQuery]:
        """Need-like queries from held-out CSL papers (title, keywords, first sentence)."""
        rng = random.Random(self.seed + 1)
        papers = rng.sample(self.held_out, min(n, len(self.held_out)))
        out = []
        for paper in papers:
            field = self.by_label[paper["discipline"]]
            first = paper["abstract"].split("。")[0].split(".")[0][:80]
            text = f"{paper['title']}。{'，'.join(paper['keywords'].split(';'))}。{first}"
            region = rng.choice(self.yrd)
            out.append(
                NeedQuery(
                    text=text,
                    industries=(rng.choice(field.classes)[0],),
                    disciplines=field.codes[:1],
                    region=region,
                    pools=tuple(s for s, m in self.alliances.items() if region in m),
                    enterprise=rng.randrange(1, 50_000),
                    exclude=tuple(rng.sample(range(1, 1000), rng.randint(0, 3))),
                )
            )
        return out


if __name__ == "__main__":
    corpus = Corpus.load()
    print(f"{len(corpus.fields)} fields, {len(corpus.held_out)} held-out papers")
    for doc in corpus.experts(5):
        print(doc.id, doc.industries, doc.disciplines, doc.title_level, doc.region, doc.pools)
        print("   ", doc.text)
    for need in corpus.needs(3):
        print(need.industries, need.disciplines, need.text)
