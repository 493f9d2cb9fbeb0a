"""``talentflow import engagements`` and ``talentflow recommend``: exit codes, output, effects."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from talentflow.cli import main
from talentflow.core.models import AuditEvent
from talentflow.matching.models import IndexChange, PastEngagement
from talentflow.matching.tests.helpers import make_talent

HEADER = "need_text,industry,disciplines,experts,year\n"


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def experts(cast):
    return {
        "casting": make_talent("压铸专家", "铝合金；熔炼"),
        "coating": make_talent("涂布专家", "光学膜；硬化涂层"),
    }


def write(tmp_path, text: str, name: str = "engagements.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_import_links_experts_by_name_or_record_number(cast, experts, tmp_path, capsys):
    casting, coating = experts["casting"], experts["coating"]
    path = write(
        tmp_path,
        HEADER
        + f"真空压铸件气孔缺陷攻关,C,0805,压铸专家;{coating.pk},2022\n"
        + f"锂电池隔膜涂覆工艺改进,,0817；0805,{coating.pk},\n",
    )
    code, out, _err = run(capsys, "import", "engagements", path, "--as", "officer_jiashan")
    assert (code, out.strip()) == (0, "imported: 2 created, 0 updated, 0 unchanged")
    first, second = PastEngagement.objects.order_by("pk")
    assert set(first.talents.all()) == {casting, coating}
    assert (first.industry_id, first.year, first.source) == ("C", 2022, "engagements.csv")
    assert sorted(second.disciplines.values_list("code", flat=True)) == ["0805", "0817"]
    event = AuditEvent.objects.get(action="import.engagements")
    assert (event.actor, event.after["created"]) == (cast.officer_jiashan, 2)

    # The engine learns who solved what: found for a need like the past one, with the reason.
    code, out, _err = run(capsys, "recommend", "--text", "压铸件气孔缺陷", "--top", "5", "--json")
    assert code == 0
    ranked = json.loads(out)
    best = next(r for r in ranked if r["expert_id"] == casting.pk)
    assert best["name"] == "压铸专家"
    past = next(r for r in best["reasons"] if r["code"] == "past_work")
    assert past["evidence"] == ["真空压铸件气孔缺陷攻关"]


def test_bad_rows_are_reported_and_nothing_is_written(cast, experts, tmp_path, capsys):
    make_talent("压铸专家", "另一位同名")  # the name is now ambiguous
    far = make_talent("外地专家", "焊接", region="110105")  # not visible to 嘉善's officer
    path = write(
        tmp_path,
        HEADER
        + "好行,C,,涂布专家,2023\n"
        + "同名,,,压铸专家,\n"
        + "无此人,,,查无此人,\n"
        + f"看不见,,,{far.pk},\n"
        + "坏代码,ZZ,9999,涂布专家,公元\n"
        + ",,,涂布专家,\n",
    )
    logged = IndexChange.objects.count()
    code, out, _err = run(capsys, "import", "engagements", path, "--as", "officer_jiashan")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("row 3, column experts: Several talents are called “压铸专家”")
    assert "row 4, column experts: No active talent you can see is called “查无此人”." in lines
    assert f"row 5, column experts: No active talent with the record number {far.pk}" in out
    assert "row 6, column industry: “ZZ” is not a GB/T 4754-2017 industry code." in lines
    assert "row 6, column year: “公元” is not a year." in lines
    assert "row 6, column disciplines: “9999” is not a discipline code." in lines
    assert "row 7, column need_text: This column must not be empty." in lines
    assert lines[-1].startswith("Nothing was imported: 7 errors.")
    assert PastEngagement.objects.count() == 0
    assert IndexChange.objects.count() == logged
    assert not AuditEvent.objects.filter(
        action__in=["import.engagements", "past_engagement.create"]
    ).exists()


def test_dry_run_and_refusals(cast, experts, tmp_path, capsys):
    path = write(tmp_path, HEADER + "试运行,,,涂布专家,\n")
    code, out, _err = run(
        capsys, "import", "engagements", path, "--as", "officer_jiashan", "--dry-run"
    )
    assert code == 0 and "dry run: nothing written" in out
    assert PastEngagement.objects.count() == 0
    code, out, _err = run(capsys, "import", "engagements", path, "--as", "tangang")
    assert code == 2 and "may not import" in out
    wrong = write(tmp_path, "text,who\n题,人\n", name="wrong.csv")
    code, out, _err = run(capsys, "import", "engagements", wrong, "--as", "officer_jiashan")
    assert code == 1
    assert "file, column text: Unknown column “text”" in out
    assert "file, column need_text: The required column “need_text” is missing." in out


def test_recommend_text_json_and_table(cast, experts, capsys):
    code, out, _err = run(
        capsys, "recommend", "--text", "铝合金熔炼", "--industry", "C", "--region", "330421",
        "--json",
    )  # fmt: skip
    assert code == 0
    ranked = json.loads(out)
    assert ranked[0]["expert_id"] == experts["casting"].pk
    assert set(ranked[0]) == {"expert_id", "name", "score", "reasons"}
    assert {"code", "score", "evidence"} == set(ranked[0]["reasons"][0])
    assert ranked == sorted(ranked, key=lambda r: -r["score"])

    code, out, _err = run(capsys, "recommend", "--text", "铝合金熔炼")
    assert code == 0 and "压铸专家" in out.splitlines()[0]


def test_recommend_needs_file_jsonl(cast, experts, tmp_path, capsys):
    path = write(
        tmp_path,
        "id,text,industry,disciplines,region\n"
        "1,铝合金熔炼工艺,C,0805,330421\n"
        "n-2,光学膜硬化涂层,,,\n"
        "3,完全无关的词语组合,,,\n",
        name="needs.csv",
    )
    code, out, err = run(capsys, "recommend", "--needs-file", path, "--top", "3", "--jsonl")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines()]
    assert [line["need"] for line in lines] == [1, "n-2", 3]
    assert lines[0]["experts"][0][0] == experts["casting"].pk
    assert lines[1]["experts"][0][0] == experts["coating"].pk
    assert all(isinstance(score, float) for _id, score in lines[0]["experts"])
    assert lines[2]["experts"] == []
    assert "3 needs in" in err

    bad = write(tmp_path, "need,text\n1,x\n", name="bad.csv")
    code, out, err = run(capsys, "recommend", "--needs-file", bad)
    assert code == 1 and out == "" and "The required column “id” is missing." in err
