"""Browser journeys, as a person would walk them: Playwright driving Debian's chromium."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is not installed"),
]

# Chromium on a closed network: no background calls home, no sandbox as root in CI.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Draws two different characters on a canvas and compares the pixels: without a CJK font both
# become the same "tofu" box, so equal pixels mean Chinese does not render.
GLYPHS_DIFFER_JS = """() => {
  const draw = (ch) => {
    const c = document.createElement('canvas'); c.width = 64; c.height = 64;
    const g = c.getContext('2d'); g.font = '48px ' + getComputedStyle(document.body).fontFamily;
    g.fillText(ch, 4, 52); return Array.from(g.getImageData(0, 0, 64, 64).data).join(',');
  };
  const a = draw('压'), b = draw('铸'), blank = draw(' ');
  return a !== b && a !== blank && b !== blank;
}"""


def stall_report() -> str:
    """What the server side is doing when a page does not come: every other thread's stack (the
    live server's request threads) and, on PostgreSQL, the test database's busy sessions with
    what they wait for. Read on a connection of its own, not Django's."""
    import sys
    import threading
    import traceback

    from django.db import connection

    names = {t.ident: t.name for t in threading.enumerate()}
    parts = []
    for ident, frame in sys._current_frames().items():
        if ident == threading.get_ident():
            continue
        stack = "".join(traceback.format_stack(frame)[-12:])
        parts.append(f"--- thread {names.get(ident, ident)}\n{stack}")
    if connection.vendor == "postgresql":
        import psycopg

        s = connection.settings_dict
        try:
            with psycopg.connect(
                dbname=s["NAME"], user=s["USER"], host=s["HOST"], port=s["PORT"] or 5432,
                password=s["PASSWORD"] or None, autocommit=True, connect_timeout=5,
            ) as pg:  # fmt: skip
                rows = pg.execute(
                    "SELECT pid, state, wait_event_type, wait_event, pg_blocking_pids(pid),"
                    " now() - xact_start, left(query, 300) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    " AND state <> 'idle'"
                ).fetchall()
            parts.append("--- PostgreSQL sessions\n" + "\n".join(map(repr, rows)))
        except Exception as exc:  # the report must not hide the timeout
            parts.append(f"--- PostgreSQL sessions not read: {exc!r}")
    return "\n".join(parts)


@pytest.fixture
def browser(monkeypatch):
    # Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls
    # made while it runs (none are, see below) unless told they are synchronous code. Set for
    # this test only: the variable must never leak into a deployment check.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def journey_cast(reference_data):
    from talentflow.directory import services
    from talentflow.reference.models import Region
    from talentflow.tests.cast import build_cast

    cast = build_cast()
    services.talent_create(
        actor=cast.officer_jiashan,
        name="王压铸",
        home_region=Region.objects.get(code="330421"),
        expertise="压铸；模具；热处理",
        biography="从事铝合金压铸工艺二十年。",
    )
    return cast


def test_officer_searches_opens_profile_and_chinese_renders(
    journey_cast, live_server, browser, password
):
    # The records are made before the browser starts: Django's connections are context-local
    # (asgiref) and Playwright's sync API switches context, so ORM work done after it starts
    # would run on a second connection that nothing closes.
    """The 嘉善 officer logs in, searches 压铸, opens the profile; the page is Chinese."""
    page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", "officer_jiashan")
    page.fill("input[name=password]", password)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/directory/talents/")
    page.fill("input[name=q]", "压铸")
    page.keyboard.press("Enter")
    page.get_by_role("link", name="王压铸").first.click()
    page.wait_for_url("**/directory/talents/*/")

    assert page.locator("h1").inner_text().strip().startswith("王压铸")
    assert "压铸" in page.content()
    assert page.evaluate("document.documentElement.lang") == "zh-hans"
    assert page.evaluate(GLYPHS_DIFFER_JS), "CJK glyphs render as identical boxes"
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "officer-jiashan-talent-profile.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
