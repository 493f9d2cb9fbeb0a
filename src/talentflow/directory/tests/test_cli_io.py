"""``talentflow import`` / ``talentflow export`` with ``--as``: exit codes, output, effects."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.utils import translation

from talentflow.cli import main
from talentflow.core.models import AuditEvent
from talentflow.directory.io import importer
from talentflow.directory.models import Organisation, TalentProfile
from talentflow.directory.tests.test_import import (
    ORG_HEADER,
    counts,
    csv_bytes,
    org_row,
    xlsx_bytes,
)


@pytest.fixture(autouse=True)
def english():
    # The command prints through gettext; the assertions read the English messages.
    with translation.override("en"):
        yield


def run(capsys, *argv: str) -> tuple[int, str]:
    code = main([str(a) for a in argv])
    return code, capsys.readouterr().out


def test_import_creates_records_and_reports_counts(cast, tmp_path, capsys):
    """A clean file is imported as the --as user, who is recorded in the audit trail."""
    path = tmp_path / "orgs.xlsx"
    path.write_bytes(
        xlsx_bytes([ORG_HEADER, org_row("命令行一有限公司", 1), org_row("命令行二有限公司", 2)])
    )
    code, out = run(capsys, "import", "organisations", path, "--as", "officer_jiashan")
    assert code == 0
    assert "imported: 2 created, 0 updated" in out
    assert Organisation.objects.filter(name__startswith="命令行").count() == 2
    event = AuditEvent.objects.get(action="import.organisations")
    assert (event.actor, event.object_id) == (cast.officer_jiashan, "orgs.xlsx")


def test_import_with_errors_exits_1_and_writes_nothing(cast, tmp_path, capsys):
    """Errors are printed as “row N, column C: message” and nothing is written."""
    bad = org_row("命令行坏有限公司", 2, region="331121")
    path = tmp_path / "orgs.csv"
    path.write_bytes(csv_bytes([ORG_HEADER, org_row("命令行好有限公司", 1), bad]))
    before = counts()
    code, out = run(capsys, "import", "organisations", path, "--as", "officer_jiashan")
    assert code == 1
    assert "row 3, column 所在地区代码: You may not register organisations in 青田县" in out
    assert "Nothing was imported" in out
    assert counts() == before


def test_dry_run_validates_and_writes_nothing(cast, tmp_path, capsys):
    """--dry-run checks every row through the services and rolls everything back."""
    path = tmp_path / "talents.csv"
    path.write_bytes(
        csv_bytes([["姓名", "所在地区代码"], ["试跑甲", "330421"], ["试跑乙", "330421"]])
    )
    before = counts()
    code, out = run(capsys, "import", "talents", path, "--as", "officer_jiashan", "--dry-run")
    assert code == 0
    assert "dry run" in out and "create 2" in out
    assert counts() == before


def test_dry_run_with_errors_exits_1(cast, tmp_path, capsys):
    """A dry run of a bad file fails like the real import would."""
    path = tmp_path / "talents.csv"
    path.write_bytes(csv_bytes([["姓名", "所在地区代码"], ["某人", "123"]]))
    code, out = run(capsys, "import", "talents", path, "--as", "officer_jiashan", "--dry-run")
    assert code == 1
    assert "row 2, column 所在地区代码:" in out


def test_progress_is_printed_for_long_files(cast, tmp_path, capsys, monkeypatch):
    """Long files print “Checking row N/M …” as they go."""
    monkeypatch.setattr(importer, "PROGRESS_EVERY", 2)
    path = tmp_path / "talents.csv"
    rows = [["姓名", "所在地区代码"]] + [[f"进度{i}", "330421"] for i in range(5)]
    path.write_bytes(csv_bytes(rows))
    code, out = run(capsys, "import", "talents", path, "--as", "officer_jiashan")
    assert code == 0
    assert "Checking row 2/5" in out and "Checking row 4/5" in out


@pytest.mark.parametrize("command", ["import", "export"])
def test_unknown_user_exits_2(cast, tmp_path, capsys, command):
    """An unknown --as user is a clear error, exit code 2."""
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes([["姓名", "所在地区代码"], ["某人", "330421"]]))
    code, out = run(capsys, command, "talents", path, "--as", "nobody")
    assert code == 2
    assert "nobody" in out
    assert not TalentProfile.objects.filter(name="某人").exists()


def test_non_officer_may_not_import(cast, tmp_path, capsys):
    """The --as user's permissions apply: an enterprise user cannot import."""
    path = tmp_path / "x.csv"
    path.write_bytes(csv_bytes([["姓名", "所在地区代码"], ["某人", "330421"]]))
    code, out = run(capsys, "import", "talents", path, "--as", "fulai")
    assert code == 2
    assert "may not import" in out


def test_missing_file_exits_2(cast, tmp_path, capsys):
    """A path that does not exist is reported."""
    code, out = run(capsys, "import", "talents", tmp_path / "none.xlsx", "--as", "officer_jiashan")
    assert code == 2
    assert "none.xlsx" in out


def test_export_xlsx_with_filters(cast, tmp_path, capsys):
    """Export writes the --as user's list with the given filters and says how many rows."""
    path = tmp_path / "talents.xlsx"
    code, out = run(capsys, "export", "talents", path, "--as", "officer_jiashan", "--q", "谭刚")
    assert code == 0
    assert "wrote 1 rows" in out
    rows = list(openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["谭刚"]


def test_export_csv_respects_scoping(cast, tmp_path, capsys):
    """青田's officer exports no 谭刚; organisation filters (--kind, --region) apply."""
    path = tmp_path / "talents.csv"
    code, _ = run(capsys, "export", "talents", path, "--as", "officer_qingtian")
    assert code == 0
    assert "谭刚" not in path.read_text(encoding="utf-8-sig")
    orgs = tmp_path / "orgs.csv"
    code, out = run(
        capsys, "export", "organisations", orgs, "--as", "admin", "--kind", "university"
    )
    assert code == 0
    assert "wrote 1 rows" in out
    assert "浙江大学" in orgs.read_text(encoding="utf-8-sig")


def test_export_needs_a_known_extension(cast, tmp_path, capsys):
    """The format comes from the file extension; anything else is refused."""
    code, out = run(capsys, "export", "talents", tmp_path / "x.pdf", "--as", "admin")
    assert code == 2
    assert ".xlsx or .csv" in out


def test_cli_export_then_import_round_trip(cast, tmp_path, capsys):
    """A CLI export re-imported with the CLI leaves everything unchanged."""
    path = tmp_path / "orgs.csv"
    assert run(capsys, "export", "organisations", path, "--as", "officer_jiashan")[0] == 0
    code, out = run(capsys, "import", "organisations", path, "--as", "officer_jiashan")
    assert code == 0
    assert "0 created, 0 updated" in out
    assert io.StringIO(path.read_text(encoding="utf-8-sig")).readline().startswith("名称,类型")
