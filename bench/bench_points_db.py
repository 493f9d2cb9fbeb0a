"""Points for shared talent (issue 5) through the database: 1,000,000 stored events of 20,000
talents, published and recomputed by the services (``version_publish``, ``ledger_recompute``)
exactly as the pages do. Prints time and peak RSS of each step; asserts nothing.

    uv run python bench/bench_points_db.py [--n 1000000] [--talents 20000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres uv run python bench/bench_points_db.py

Without DATABASE_URL the database is a fresh SQLite file under /tmp (removed at the end). With
DATABASE_URL (PostgreSQL) the script connects to that server, creates a dedicated database
``bench_points`` (dropping a leftover one first), runs there and drops it at the end; the
database named in the URL is only used to issue CREATE/DROP DATABASE.

Steps: publish v1 (from 2024-01-01: every event gets its entry), publish v2 (from 2026-01-01,
rates × 1.25: the events from then on are reversed and entered again, earlier ones stay),
recompute the whole ledger again (nothing changes: (0, 0)).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

DB_NAME = "bench_points"
REGION = "331121"  # 青田县
KINDS = {
    # kind: (base, per unit, unit size, cap), as bench_points.py
    "output_value": ("0", "1", "10000", "200"),
    "invention_patent_granted": ("0", "30", "1", "120"),
    "energy_reduction": ("0", "2", "1", "40"),
    "engagement_completed": ("10", "0", "1", "60"),
    "students_mentored": ("0", "5", "1", "30"),
    "industry_service": ("0", "1", "1", "30"),
}


def rss_now() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def rss_peak() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(
        dbname=parts.path.lstrip("/") or "postgres",
        user=parts.username,
        password=parts.password,
        host=parts.hostname,
        port=parts.port or 5432,
        autocommit=True,
    ) as conn:
        conn.execute(sql)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--talents", type=int, default=20_000)
    parser.add_argument("--profile", action="store_true", help="cProfile each step")
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="PostgreSQL: ANALYZE before each step (as autovacuum would between publishes)",
    )
    parser.add_argument(
        "--sqlite-cache-mib",
        type=int,
        default=0,
        help="PRAGMA cache_size for the steps (0: the platform's settings, SQLite's 2 MiB)",
    )
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="bench_points_"))
    os.environ["TALENTFLOW_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "talentflow.settings"
    os.environ["DEBUG"] = "0"
    admin_url = os.environ.get("DATABASE_URL", "")
    if admin_url.startswith("postgres"):
        _pg_admin(admin_url, f"DROP DATABASE IF EXISTS {DB_NAME}")
        _pg_admin(admin_url, f"CREATE DATABASE {DB_NAME}")
        parts = urlsplit(admin_url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{DB_NAME}"))
    else:
        admin_url = ""
        os.environ["DATABASE_URL"] = f"sqlite:///{data_dir / 'bench_points.sqlite3'}"

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from talentflow.directory.models import TalentProfile
    from talentflow.points import services
    from talentflow.points.models import EventSource, LedgerEntry, PointsEvent
    from talentflow.reference.models import Region

    try:
        print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        Region.objects.get_or_create(
            code="330000", defaults={"name": "浙江省", "full_name": "浙江省", "level": "province"}
        )
        city, _ = Region.objects.get_or_create(
            code="331100",
            defaults={"name": "丽水市", "full_name": "浙江省丽水市", "level": "prefecture"},
        )
        region, _ = Region.objects.get_or_create(
            code=REGION,
            defaults={
                "name": "青田县",
                "full_name": "浙江省丽水市青田县",
                "level": "county",
                "parent": city,
            },
        )
        TalentProfile.objects.bulk_create(
            (TalentProfile(name=f"人才{i:05d}", home_region=region) for i in range(args.talents)),
            batch_size=5000,
        )
        talent_ids = list(TalentProfile.objects.order_by("id").values_list("id", flat=True))
        rng = random.Random(7)
        kinds = list(KINDS)
        start = dt.date(2024, 1, 1)
        # The events go in with plain INSERTs (model instances would take minutes here).
        table = connection.ops.quote_name(PointsEvent._meta.db_table)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        insert = (
            f"INSERT INTO {table} (talent_id, kind, region_id, occurred_on, quantity, source, "
            "source_key, description, evidence, void_reason, created_at, updated_at) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, '', 'bench', '', %s, %s)"
        )
        batch: list[tuple] = []
        with transaction.atomic(), connection.cursor() as cursor:
            for i in range(args.n):
                batch.append(
                    (
                        talent_ids[rng.randrange(len(talent_ids))],
                        kinds[rng.randrange(len(kinds))],
                        REGION,
                        start + dt.timedelta(days=rng.randrange(3 * 365)),
                        Decimal(rng.randint(0, 5_000_000)) / 100,
                        EventSource.RECORDED.value,
                        f"bench:{i}",
                        now,
                        now,
                    )
                )
                if len(batch) == 10_000:
                    cursor.executemany(insert, batch)
                    batch = []
            cursor.executemany(insert, batch)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"setup: {args.n:,} events of {args.talents:,} talents stored in "
            f"{time.perf_counter() - started:.1f} s; RSS {rss_now():,.0f} MiB, "
            f"peak {rss_peak():,.0f} MiB"
        )

        if args.sqlite_cache_mib and connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = -{args.sqlite_cache_mib * 1024}")
            print(f"SQLite page cache: {args.sqlite_cache_mib} MiB")
        scheme = services.scheme_create(actor=None, region=region, name="青田县积分（基准）")

        def draft(start_day: dt.date, scale: str):
            version = services.version_create(actor=None, scheme=scheme, effective_from=start_day)
            services.version_update(
                actor=None,
                version=version,
                effective_from=start_day,
                period_cap=Decimal("500"),
                rates=[
                    {
                        "kind": k,
                        "base_points": Decimal(b),
                        "points_per_unit": Decimal(p) * Decimal(scale),
                        "unit_size": Decimal(u),
                        "cap": Decimal(c),
                    }
                    for k, (b, p, u, c) in KINDS.items()
                ],
            )
            return version

        def step(label: str, fn) -> None:
            if args.analyze and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
            began = time.perf_counter()
            cpu = time.process_time()
            if args.profile:
                import cProfile
                import pstats

                profiler = cProfile.Profile()
                added, reversed_ = profiler.runcall(fn)
                order = os.environ.get("BENCH_SORT", "tottime")
                pstats.Stats(profiler).sort_stats(order).print_stats(30)
            else:
                added, reversed_ = fn()
            elapsed = time.perf_counter() - began
            cpu = time.process_time() - cpu
            print(
                f"{label}: {elapsed:.1f} s (this process's CPU {cpu:.1f} s); "
                f"{added:,} entries added, {reversed_:,} reversed; "
                f"RSS {rss_now():,.0f} MiB, peak {rss_peak():,.0f} MiB"
            )

        v1 = draft(start, "1")
        step("publish v1", lambda: services.version_publish(actor=None, version=v1))
        v2 = draft(dt.date(2026, 1, 1), "1.25")
        step(
            "publish v2 (recompute from 2026-01-01)",
            lambda: services.version_publish(actor=None, version=v2),
        )
        step(
            "recompute everything again (no change)",
            lambda: services.ledger_recompute(actor=None, scheme=scheme),
        )
        print(f"ledger rows: {LedgerEntry.objects.count():,}")
    finally:
        connection.close()
        if admin_url:
            _pg_admin(admin_url, f"DROP DATABASE IF EXISTS {DB_NAME}")
        for path in sorted(data_dir.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        data_dir.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
