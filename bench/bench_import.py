"""Import and export throughput of the directory spreadsheets on SQLite.

    uv run python bench/bench_import.py [--rows 5000]

Builds a fresh SQLite database in a temporary directory (migrations + reference data), makes an
officer of 嘉善县, writes a workbook of ROWS talents with most columns filled (no identity
numbers, as in the examples), imports it through ``directory.io.importer.import_file`` —
every row through the services, one savepoint each, one transaction — and exports the list
again in both formats. Prints rows per second and the process's peak resident memory after
each step. Not a test: pytest collects only ``test_*.py``.
"""

from __future__ import annotations

import argparse
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
    # Timed without tracemalloc, which slows allocation-heavy code several times over; the
    # memory figure is the process's peak resident size so far (Linux reports KiB).
    started = time.perf_counter()
    value = action()
    seconds = time.perf_counter() - started
    print(
        f"{label:<20} {rows:>7} rows  {seconds:7.2f} s  {rows / seconds:7.0f} rows/s  "
        f"peak RSS so far {peak_rss_mib():6.0f} MiB",
        flush=True,
    )
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="talentflow-bench-"))
    os.environ["TALENTFLOW_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "talentflow.settings"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from openpyxl import Workbook

    from talentflow.accounts.models import Membership, User
    from talentflow.directory.io.columns import TALENT_COLUMNS
    from talentflow.directory.io.exporter import (
        export_csv,
        export_queryset,
        write_export_xlsx,
    )
    from talentflow.directory.io.importer import import_file
    from talentflow.reference.models import Region

    settings.TALENTFLOW_IMPORT_MAX_ROWS = max(settings.TALENTFLOW_IMPORT_MAX_ROWS, args.rows)
    print(f"database: {settings.DATABASES['default']['NAME']}", flush=True)
    call_command("migrate", "--no-input", "--verbosity", "0")
    call_command("load_reference")
    officer = User.objects.create_user(username="bench_officer", password=None)
    Membership.objects.create(user=officer, role="officer", region=Region.objects.get(pk="330421"))

    headers = [c.header for c in TALENT_COLUMNS if c.key not in {"record_id", "employer"}]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("人才")
    sheet.append(headers)
    educations = ["博士研究生", "硕士研究生", "大学本科", "大学专科"]
    levels = ["正高级", "副高级", "中级", "助理级"]
    for i in range(args.rows):
        values = {
            "姓名": f"基准{i}",
            "性别": "男" if i % 2 else "女",
            "出生年份": 1960 + i % 40,
            "学历": educations[i % 4],
            "职称系列": "工程技术人员",
            "职称级别": levels[i % 4],
            "职业资格": "注册安全工程师" if i % 5 == 0 else "",
            "学科代码": "0802；0805",
            "行业代码": "3360；3525",
            "专长关键词": "压铸；模具钢；热处理",
            "个人简介": "基准测试数据。" * 5,
            "所在地区代码": "330421",
            "可承接状态": "可承接",
            "手机": f"138{i:08d}",
            "邮箱": f"bench{i}@example.org",
        }
        sheet.append([values.get(h, "") for h in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    print(f"sheet: {len(data) / 2**20:.1f} MiB; peak RSS {peak_rss_mib():.0f} MiB", flush=True)

    result = measure(
        "import (dry run)",
        args.rows,
        lambda: import_file(
            actor=officer, kind="talents", data=data, filename="bench.xlsx", dry_run=True
        ),
    )
    assert result.ok and result.created == args.rows, result.errors[:5]
    result = measure(
        "import",
        args.rows,
        lambda: import_file(actor=officer, kind="talents", data=data, filename="bench.xlsx"),
    )
    assert result.ok and result.created == args.rows, result.errors[:5]

    def export_xlsx() -> int:
        queryset = export_queryset(user=officer, kind="talents", params={})
        with tempfile.TemporaryFile() as target:
            return write_export_xlsx(target, user=officer, kind="talents", queryset=queryset)

    def export_as_csv() -> int:
        queryset = export_queryset(user=officer, kind="talents", params={})
        counter = [0]
        for _chunk in export_csv(user=officer, kind="talents", queryset=queryset, counter=counter):
            pass
        return counter[0]

    assert measure("export .xlsx", args.rows, export_xlsx) == args.rows
    assert measure("export .csv", args.rows, export_as_csv) == args.rows
    print(f"(database left in {data_dir})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
