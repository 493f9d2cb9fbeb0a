"""Directory latency: the officer's talent list and search, through the whole request stack.

    uv run python bench/bench_directory.py [--scale 1] [--requests 40]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tf_bench uv run python bench/bench_directory.py

Builds a fresh database (a temporary SQLite file unless DATABASE_URL is set — that database is
flushed first, so never point it at real data), loads reference data and the demo scenario at
``--scale`` (1 = the demo: ~2,550 talents), then as the 嘉善 officer requests, through Django's
test client (middleware, scoping selectors, templates), each of: the talent list, a Chinese
search (压铸), a filtered search, the HTMX partial, a profile, the organisation list, and a
CSV export. Prints p50/p95/max per page and the number of SQL queries per page. Not a test:
pytest collects only ``test_*.py``; nothing here asserts a time.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="demo size multiplier")
    parser.add_argument("--requests", type=int, default=40, help="requests per page")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="talentflow-bench-dir-"))
    os.environ["TALENTFLOW_DATA_DIR"] = str(data_dir)
    os.environ["DJANGO_SETTINGS_MODULE"] = "talentflow.test_settings"
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    setup_test_environment()
    settings.DEBUG = True  # so connection.queries counts SQL
    settings.ALLOWED_HOSTS = ["testserver"]
    print(f"database: {connection.vendor} ({settings.DATABASES['default']['NAME']})")
    call_command("migrate", verbosity=0)
    if connection.vendor != "sqlite":
        call_command("flush", interactive=False, verbosity=0)
    started = time.perf_counter()
    call_command("load_reference", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    call_command("load_demo", scale=args.scale, stdout=open(os.devnull, "w"))  # noqa: SIM115
    loaded = time.perf_counter() - started
    print(f"reference data + demo (scale {args.scale}) loaded in {loaded:.1f} s")

    from talentflow.accounts.models import User
    from talentflow.directory.models import Organisation, TalentProfile

    print(
        f"records: {TalentProfile.objects.count()} talents, "
        f"{Organisation.objects.count()} organisations"
    )
    officer = User.objects.get(username="officer_jiashan")
    client = Client()
    client.force_login(officer)
    profile = TalentProfile.objects.get(name="谭刚")
    talents = reverse("directory:talent_list")
    pages = [
        ("talent list", talents, {}),
        ("search 压铸", talents + "?q=压铸", {}),
        ("search + filters", talents + "?q=模具&region=330421&industry=C", {}),
        ("htmx partial", talents + "?q=薄膜涂布", {"HTTP_HX_REQUEST": "true"}),
        ("profile", reverse("directory:talent_detail", args=[profile.pk]), {}),
        ("organisation list", reverse("directory:organisation_list"), {}),
        ("export CSV", reverse("directory:export", args=["talents", "csv"]), {}),
    ]
    print(f"{'page':<20} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'queries':>8}  bytes")
    for label, url, headers in pages:
        timings = []
        for _ in range(args.requests):
            reset_queries()
            begin = time.perf_counter()
            response = client.get(url, **headers)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            timings.append((time.perf_counter() - begin) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        queries = len(connection.queries)
        timings.sort()
        p95 = timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]
        print(
            f"{label:<20} {statistics.median(timings):8.1f} {p95:8.1f} {timings[-1]:8.1f} "
            f"{queries:8d}  {len(body)}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
