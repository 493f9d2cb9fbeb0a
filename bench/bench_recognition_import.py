"""Throughput of the recognition imports (issue 7) on SQLite: the alliance's catalogue and an
issuing region's register of earlier certificates.

    uv run python bench/bench_recognition_import.py [--rows 2000]

Builds a fresh SQLite database in a temporary directory (migrations + reference data), makes an
officer of 嘉善县 and ROWS talents living there, then:

- imports the demonstration zone's catalogue from a workbook of every vocational qualification
  of the 2021 catalogue and the 27 title series (then the same file again: all unchanged);
- imports a register of ROWS certificates (qualifications and titles in turn), checked first
  (dry run), then for real (each row certified on its date, signed with 嘉善's ES256 key,
  audited, the talent notified), then the same file again (all unchanged).

Prints rows per second and the process's peak resident memory after each step. Not a test:
nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(label: str, rows: int, action):
    started = time.perf_counter()
    value = action()
    seconds = time.perf_counter() - started
    print(
        f"{label:<26} {rows:>6} rows  {seconds:7.2f} s  {rows / seconds:7.0f} rows/s  "
        f"peak RSS so far {peak_rss_mib():5.0f} MiB",
        flush=True,
    )
    return value


def workbook(headers, rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("sheet")
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="talentflow-bench-"))
    os.environ["TALENTFLOW_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "talentflow.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.core.management import call_command
    from django.urls import reverse

    from talentflow.accounts.models import Membership, User
    from talentflow.directory.models import TalentProfile
    from talentflow.recognition import catalogue_sheet, register
    from talentflow.reference.models import Alliance, Qualification, Region, TitleSeries

    print(f"database in {data_dir}", flush=True)
    call_command("migrate", "--no-input", "--verbosity", "0")
    call_command("load_reference")
    reverse("core:home")  # the URL configuration, loaded once as in a running server
    jiashan = Region.objects.get(pk="330421")
    officer = User.objects.create_user(username="bench_officer", password=None)
    Membership.objects.create(user=officer, role="officer", region=jiashan)
    alliance = Alliance.objects.get(code="yrd-demo-zone")

    qualifications = list(Qualification.objects.order_by("entry_no"))
    series = [s for s in TitleSeries.objects.order_by("seq") if s.title_intermediate]
    since = dt.date(2021, 6, 1)
    catalogue = workbook(
        ["类别", "名称", "目录编号", "互认起始"],
        [["职业资格", q.name, q.entry_no, since] for q in qualifications]
        + [["职称", s.name, s.seq, since] for s in TitleSeries.objects.order_by("seq")],
    )
    entries = len(qualifications) + TitleSeries.objects.count()
    result = measure(
        "catalogue import",
        entries,
        lambda: catalogue_sheet.import_catalogue(
            actor=officer, alliance=alliance, data=catalogue, filename="目录.xlsx"
        ),
    )
    assert result.committed and result.created == entries, result.errors[:5]
    result = measure(
        "catalogue again",
        entries,
        lambda: catalogue_sheet.import_catalogue(
            actor=officer, alliance=alliance, data=catalogue, filename="目录.xlsx"
        ),
    )
    assert result.committed and result.unchanged == entries, result.errors[:5]

    talents = TalentProfile.objects.bulk_create(
        TalentProfile(name=f"基准{i}", home_region=jiashan) for i in range(args.rows)
    )
    day = dt.date.today() - dt.timedelta(days=30)
    rows = []
    for i, talent in enumerate(talents):
        if i % 2:
            title = series[i % len(series)]
            rows.append([talent.pk, talent.name, "职称", title.name, "中级", f"B{i}", day])
        else:
            q = qualifications[i % len(qualifications)]
            rows.append([talent.pk, talent.name, "职业资格", q.name, "", f"B{i}", day])
    headers = ["人才编号", "姓名", "类别", "互认事项", "职称级别", "原证书编号", "认定日期"]
    data = workbook(headers, rows)

    def run(dry_run: bool = False):
        return register.import_register(
            actor=officer, region=jiashan, data=data, filename="登记册.xlsx", dry_run=dry_run
        )

    result = measure("register (dry run)", args.rows, lambda: run(dry_run=True))
    assert result.ok and result.created == args.rows, result.errors[:5]
    result = measure("register import", args.rows, run)
    assert result.committed and result.created == args.rows, result.errors[:5]
    result = measure("register again", args.rows, run)
    assert result.committed and result.unchanged == args.rows, result.errors[:5]
    print(f"(database left in {data_dir})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
