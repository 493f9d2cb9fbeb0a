"""The engine's re-ranking, exclusions, explanations and incremental consistency (pure: no
database; plain ``ExpertDoc`` records)."""

from __future__ import annotations

import csv
import dataclasses
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from talentflow.matching.engine.engine import NSFC_TO_GRAD, REFERENCE_DATA, Engine
from talentflow.matching.engine.rerank import SECTION_OF_DIVISION
from talentflow.matching.engine.text import tokenize
from talentflow.matching.engine.types import ExpertDoc, NeedQuery, PastWork

QUERY = NeedQuery(
    text="铝合金压铸件气孔缺陷 工艺优化",
    industries=("3391",),
    disciplines=("0805",),
    region="331122",
    pools=("lishui-1plus9",),
)

BACKGROUND = [
    ExpertDoc(1, "甲", "铝合金压铸 模具设计", industries=("3525",), disciplines=("0802",)),
    ExpertDoc(2, "乙", "压铸件气孔 缺陷检测", industries=("3391",), region="331102"),
    ExpertDoc(3, "丙", "茶叶加工 品质检测", industries=("1530",), disciplines=("0832",)),
    ExpertDoc(4, "丁", "铝合金 热处理 工艺优化", title_level="senior_full"),
    ExpertDoc(5, "戊", "水产养殖 病害防治", industries=("0412",), region="331122"),
]

TARGET = ExpertDoc(50, "目标", "铝合金压铸 工艺优化", capacity=4)

LADDERS: dict[str, list[dict]] = {
    "lexical": [
        {"text": "铝合金"},
        {"text": "铝合金压铸"},
        {"text": "铝合金压铸 工艺优化"},
        {"text": "铝合金压铸 气孔缺陷 工艺优化"},
    ],
    "industry": [
        {"industries": ()},
        {"industries": ("0111",)},  # another section
        {"industries": ("1311",)},  # same section C
        {"industries": ("3311",)},  # same division 33
        {"industries": ("3392",)},  # same group 339
        {"industries": ("3391",)},  # same class
    ],
    "discipline": [
        {"disciplines": ()},
        {"disciplines": ("0101",)},
        {"disciplines": ("0802",)},  # same 门类 08
        {"disciplines": ("080501",)},  # inside 0805
    ],
    "title": [
        {"title_level": t}
        for t in ("", "junior", "assistant", "intermediate", "senior_deputy", "senior_full")
    ],
    "region": [{"region": r} for r in ("", "110101", "330102", "331102", "331122")],
    "pool": [{"pools": ()}, {"pools": ("yrd-demo-zone",)}, {"pools": ("lishui-1plus9",)}],
    "availability": [{"availability": a} for a in ("unavailable", "limited", "available")],
    "load": [{"load": n} for n in (3, 2, 1, 0)],
    "past": [
        {"past": ()},
        {"past": (PastWork("茶叶采摘机械"),)},
        {"past": (PastWork("阀门压铸件气孔缺陷分析"),)},
        {"past": (PastWork("阀门压铸件气孔缺陷分析", verified=True),)},
        {"past": (PastWork("阀门压铸件气孔缺陷分析", verified=True, valued=True),)},
    ],
}


def place(experts: list[ExpertDoc], query: NeedQuery, expert_id: int) -> tuple[int, float]:
    """(rank from 0, score) of ``expert_id`` in the full recommendation list."""
    recs = Engine.build(experts).recommend(query, top=len(experts))
    for i, rec in enumerate(recs):
        if rec.expert_id == expert_id:
            return i, rec.score
    raise AssertionError(f"expert {expert_id} not recommended")


@pytest.mark.parametrize("signal", sorted(LADDERS))
def test_improving_one_signal_never_lowers_score_or_rank(signal):
    places = [
        place([*BACKGROUND, dataclasses.replace(TARGET, **step)], QUERY, TARGET.id)
        for step in LADDERS[signal]
    ]
    for (rank_a, score_a), (rank_b, score_b) in itertools.pairwise(places):
        assert score_b >= score_a - 1e-9
        assert rank_b <= rank_a
    assert places[-1][1] > places[0][1], "the signal must matter at all"


_BG_EXPERT = st.builds(
    ExpertDoc,
    id=st.integers(100, 10_000),
    name=st.just("x"),
    text=st.sampled_from(
        ["铝合金压铸", "气孔缺陷 检测", "工艺优化", "茶叶加工", "压铸模具", "热处理 铝合金"]
    ),
    industries=st.sampled_from([(), ("3391",), ("3311",), ("1530",)]),
    disciplines=st.sampled_from([(), ("0805",), ("0802",)]),
    title_level=st.sampled_from(["", "senior_full", "intermediate"]),
    region=st.sampled_from(["", "331122", "331102", "330421"]),
    pools=st.sampled_from([(), ("lishui-1plus9",)]),
    availability=st.sampled_from(["available", "limited"]),
    load=st.integers(0, 2),
    past=st.sampled_from([(), (PastWork("压铸件气孔缺陷", verified=True),)]),
)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(_BG_EXPERT, max_size=12, unique_by=lambda e: e.id),
    st.sampled_from(sorted(LADDERS)),
    st.integers(0, 10),
)
def test_monotonic_against_random_competitors(background, signal, step):
    ladder = LADDERS[signal]
    lo = ladder[min(step, len(ladder) - 2)]
    hi = ladder[min(step, len(ladder) - 2) + 1]
    rank_lo, score_lo = place([*background, dataclasses.replace(TARGET, **lo)], QUERY, 50)
    rank_hi, score_hi = place([*background, dataclasses.replace(TARGET, **hi)], QUERY, 50)
    assert score_hi >= score_lo - 1e-9
    assert rank_hi <= rank_lo


# -- exclusions --------------------------------------------------------------------------------


def ids(recs) -> list[int]:
    return [r.expert_id for r in recs]


def test_conflicts_of_interest_are_excluded():
    experts = [
        ExpertDoc(1, "employee", "铝合金压铸 气孔", organisations=(7,)),
        ExpertDoc(2, "owner", "铝合金压铸 气孔", conflicts=(7,)),
        ExpertDoc(3, "free", "铝合金压铸"),
    ]
    engine = Engine.build(experts)
    assert ids(engine.recommend(NeedQuery("铝合金压铸 气孔", enterprise=7))) == [3]
    assert set(ids(engine.recommend(NeedQuery("铝合金压铸 气孔", enterprise=8)))) == {1, 2, 3}
    # a conflict declared later, through an edit, is honoured at once
    engine.upsert(dataclasses.replace(experts[2], conflicts=(7,)))
    assert ids(engine.recommend(NeedQuery("铝合金压铸 气孔", enterprise=7))) == []


def test_conflicted_expert_found_only_through_past_work_is_excluded_too():
    experts = [
        ExpertDoc(1, "a", "茶叶", organisations=(7,), past=(PastWork("压铸件气孔缺陷"),)),
        ExpertDoc(2, "b", "茶叶", past=(PastWork("压铸件气孔缺陷"),)),
    ]
    engine = Engine.build(experts)
    assert ids(engine.recommend(NeedQuery("压铸件气孔缺陷", enterprise=7))) == [2]


def test_excluded_and_full_experts_are_not_recommended():
    experts = [
        ExpertDoc(1, "a", "铝合金压铸"),
        ExpertDoc(2, "b", "铝合金压铸", load=3, capacity=3),
        ExpertDoc(3, "c", "铝合金压铸"),
    ]
    engine = Engine.build(experts)
    assert ids(engine.recommend(NeedQuery("铝合金压铸", exclude=(1,)))) == [3]
    engine.upsert(dataclasses.replace(experts[1], load=1))
    assert ids(engine.recommend(NeedQuery("铝合金压铸"))) == [1, 3, 2]  # 2 is busier


def test_ties_are_ordered_by_expert_id_whatever_the_insertion_order():
    experts = [ExpertDoc(i, "x", "铝合金压铸 模具") for i in (9, 3, 7, 5)]
    for order in (experts, experts[::-1]):
        engine = Engine.build(order)
        recs = engine.recommend(NeedQuery("铝合金压铸"))
        assert ids(recs) == [3, 5, 7, 9]
        assert len({r.score for r in recs}) == 1
        assert [i for i, _ in engine.bm25_top("铝合金压铸")] == [3, 5, 7, 9]
        assert ids(engine.recommend(NeedQuery("铝合金压铸"), top=2)) == [3, 5]


# -- explanations ------------------------------------------------------------------------------


def reasons_of(rec) -> dict[str, tuple]:
    return {r.code: r for r in rec.reasons}


def test_explanation_names_the_real_reasons_and_only_those():
    target = ExpertDoc(
        10,
        "t",
        "铝合金压铸 工艺优化 热处理",
        industries=("3311", "1530"),
        disciplines=("0805",),
        title_level="senior_deputy",
        pools=("lishui-1plus9", "yrd-demo-zone"),
        availability="limited",
        load=1,
        capacity=4,
        past=(PastWork("阀门压铸件气孔缺陷分析", verified=True), PastWork("茶叶采摘机械")),
    )
    engine = Engine.build([*BACKGROUND, target])
    rec = next(r for r in engine.recommend(QUERY) if r.expert_id == 10)
    reasons = reasons_of(rec)
    assert set(reasons) == {
        "terms",
        "industry",
        "discipline",
        "past_work",
        "verified_outcome",
        "title",
        "pool",
        "availability",
        "load",
    }  # fmt: skip  (no region: the expert has none)
    assert all(r.score != 0 for r in rec.reasons)
    assert sum(r.score for r in rec.reasons) == pytest.approx(rec.score, abs=1e-6)
    want_terms = set(tokenize(QUERY.text)) & set(tokenize(target.text))
    assert set(reasons["terms"].evidence) == want_terms
    assert reasons["industry"].evidence == ("3311~3391",)
    assert reasons["discipline"].evidence == ("0805",)
    assert reasons["past_work"].evidence == ("阀门压铸件气孔缺陷分析",)
    assert reasons["verified_outcome"].evidence == ("阀门压铸件气孔缺陷分析",)
    assert reasons["title"].evidence == ("senior_deputy",)
    assert reasons["pool"].evidence == ("lishui-1plus9",)
    assert reasons["availability"].evidence == ("limited",)
    assert reasons["availability"].score < 0 and reasons["load"].score < 0
    assert reasons["load"].evidence == ("1/4",)


def test_an_expert_found_only_through_codes_or_past_work_says_so():
    experts = [
        ExpertDoc(1, "words", "铝合金压铸 工艺优化"),
        ExpertDoc(2, "past", "阀门", past=(PastWork("铝合金压铸件气孔缺陷"),)),
    ]
    recs = Engine.build(experts).recommend(QUERY)
    by_id = {r.expert_id: reasons_of(r) for r in recs}
    assert "terms" not in by_id[2]
    assert by_id[2]["past_work"].evidence == ("铝合金压铸件气孔缺陷",)
    assert "past_work" not in by_id[1]


# -- incremental consistency -------------------------------------------------------------------


def test_a_changed_profile_is_found_by_its_new_words_and_not_its_old_ones():
    engine = Engine.build(BACKGROUND)
    assert 3 in ids(engine.recommend(NeedQuery("茶叶加工")))
    engine.upsert(dataclasses.replace(BACKGROUND[2], text="注塑模具 浇口设计"))
    for _ in range(2):  # before and after compaction
        assert 3 not in ids(engine.recommend(NeedQuery("茶叶加工")))
        assert 3 in ids(engine.recommend(NeedQuery("浇口设计")))
        assert 3 not in [i for i, _ in engine.bm25_top("茶叶")]
        engine.compact()


def test_edited_codes_and_engagements_replace_the_old_ones():
    engine = Engine.build(BACKGROUND)
    engine.upsert(
        dataclasses.replace(
            BACKGROUND[0], industries=("3391",), past=(PastWork("气孔缺陷分析", verified=True),)
        )
    )
    rec = next(r for r in engine.recommend(QUERY) if r.expert_id == 1)
    assert reasons_of(rec)["industry"].evidence == ("3391",)
    assert "past_work" in reasons_of(rec)
    engine.upsert(dataclasses.replace(BACKGROUND[0], industries=(), past=()))
    rec = next(r for r in engine.recommend(QUERY) if r.expert_id == 1)
    assert "industry" not in reasons_of(rec) and "past_work" not in reasons_of(rec)
    assert engine.remove(1) and not engine.remove(1)
    assert 1 not in ids(engine.recommend(QUERY)) and 1 not in engine


_EDIT = st.tuples(st.sampled_from(["upsert", "remove"]), st.integers(100, 112), _BG_EXPERT)


@settings(max_examples=30, deadline=None)
@given(st.lists(_BG_EXPERT, max_size=10, unique_by=lambda e: e.id), st.lists(_EDIT, max_size=15))
def test_after_any_edits_the_engine_equals_a_fresh_build(start, edits):
    docs = {e.id: e for e in start}
    engine = Engine.build(start)
    for op, expert_id, doc in edits:
        if op == "remove":
            engine.remove(expert_id)
            docs.pop(expert_id, None)
        else:
            doc = dataclasses.replace(doc, id=expert_id)
            engine.upsert(doc)
            docs[expert_id] = doc
    assert set(ids(engine.recommend(QUERY, top=100))) <= set(docs)
    engine.compact()
    fresh = Engine.build(docs.values())
    got, want = engine.recommend(QUERY, top=100), fresh.recommend(QUERY, top=100)
    assert ids(got) == ids(want)
    assert [r.score for r in got] == pytest.approx([r.score for r in want], abs=1e-5)
    for a, b in zip(got, want, strict=True):
        assert [(x.code, x.evidence) for x in a.reasons] == [
            (x.code, x.evidence) for x in b.reasons
        ]


# -- code suggestions and reference tables -----------------------------------------------------


def test_suggested_codes_from_the_taxonomies_alone():
    industries, disciplines = Engine().suggest_codes("压铸 模具 铝合金")
    assert industries and all(SECTION_OF_DIVISION[c[:2]] == "C" for c in industries)
    assert any(c[:2] in {"32", "33", "34", "35"} for c in industries)
    assert disciplines[0] in {"0805", "0802"}
    assert Engine().suggest_codes("水稻 病虫害 防治")[1][0] in {"0904", "0901"}


def test_suggested_codes_follow_the_experts_filed_under_them():
    experts = [
        ExpertDoc(i, "x", "铝合金压铸 模具 气孔", industries=("3391",), disciplines=("0805",))
        for i in range(5)
    ] + [ExpertDoc(9, "y", "茶叶加工", industries=("1530",), disciplines=("0832",))]
    industries, disciplines = Engine.build(experts).suggest_codes("压铸 模具 铝合金")
    assert industries[0] == "3391" and disciplines[0] == "0805"
    assert "1530" not in industries and "0832" not in disciplines


def test_section_table_and_nsfc_map_agree_with_the_reference_data():
    with (REFERENCE_DATA / "gbt4754_2017.csv").open(encoding="utf-8") as fh:
        divisions = {r["code"]: r["section"] for r in csv.DictReader(fh) if r["level_no"] == "2"}
    assert divisions == SECTION_OF_DIVISION
    with (REFERENCE_DATA / "grad_catalogue_2022_level1.csv").open(encoding="utf-8") as fh:
        grad = {r["code"] for r in csv.DictReader(fh)}
    with (REFERENCE_DATA / "nsfc_application_codes_2019.csv").open(encoding="utf-8") as fh:
        nsfc_level1 = {r["code"] for r in csv.DictReader(fh) if r["level"] == "1"}
    assert set(NSFC_TO_GRAD) == nsfc_level1
    assert {g for gs in NSFC_TO_GRAD.values() for g in gs} <= grad
