"""The counter, in a real browser: 青浦's talent-apartment provider verifies a 嘉善 talent's code
with the network cut after the signed lists were cached, redeems a once-only service offline,
syncs it when the network is back, and is refused when redeeming it a second time.

As in ``talentflow.rules.tests.test_browser_subsidy``: the records (谭刚's 嘉善 result, the
service, the keys, the code itself — issued by the server) are made before the browser starts,
and the provider logs in on the real login page.
"""

from __future__ import annotations

import re
import shutil

import pytest

from talentflow.tests.test_browser import CHROMIUM, CHROMIUM_ARGS, browser  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]

assert CHROMIUM_ARGS  # the shared launch arguments (used by the fixture)


@pytest.fixture
def counter_cast(reference_data, settings):
    from talentflow.credentials import services
    from talentflow.credentials.tests.builders import jiashan_result, qingpu_service
    from talentflow.tests.cast import build_cast

    # Long enough for the whole walk, however slow the machine.
    settings.TALENTFLOW_CODE_SECONDS = 900
    cast = build_cast()
    jiashan_result(cast.officer_jiashan, cast.talents["tangang"], tier="C")
    service = qingpu_service(cast.officer_qingpu, cast.orgs["qingpu_apartment"])
    services.signed_trust_list()  # the region and root keys exist before the browser starts
    issued = services.code_issue(cast.talents["tangang"])
    assert issued.claims.iss == "330421"
    return cast, service, issued.text


def test_offline_verification_and_once_only_redemption(
    counter_cast,
    live_server,
    browser,  # noqa: F811
    password,
):
    from playwright.sync_api import expect

    _cast, service, text = counter_cast
    base = live_server.url
    context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
    context.set_default_timeout(30_000)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/?next=/credentials/verify/")
    page.fill("input[name=username]", "provider_qingpu")
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main form button[type=submit]")
    assert page.url == f"{base}/credentials/verify/"
    # The signed lists are fetched, checked against the pinned root key and cached.
    expect(page.locator('#counter[data-lists-ready="1"]')).to_have_count(1)
    page.wait_for_load_state("networkidle")
    cached = page.evaluate("() => Object.keys(localStorage).filter(k => k.includes(':trust'))")
    assert cached

    # The page keeps itself on the device (a service worker) and comes under its control.
    expect(page.locator('#counter[data-offline-ready="1"]')).to_have_count(1)
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    kept = page.evaluate(
        """async () => {
          const cache = await caches.open(document.getElementById("counter").dataset.offlineCache);
          return (await cache.keys()).map((r) => new URL(r.url).pathname);
        }"""
    )
    assert "/credentials/verify/" in kept
    for script in ("credentials/verify.js", "vendor/jsqr/jsQR.js", "core/talentflow.js"):
        assert any(path.endswith(script) for path in kept), (script, kept)

    # The network is cut, and the page is reloaded: it opens from the device's cache, with
    # the lists it cached, and verification happens on the device.
    context.set_offline(True)
    page.reload()
    expect(page.locator('#counter[data-lists-ready="1"]')).to_have_count(1)
    expect(page.locator("#list-status")).to_have_class(re.compile("alert-warning"))
    page.fill("#code-input", text)
    page.click("#verify-button")
    expect(page.locator('#verify-card[data-ok="true"]')).to_be_visible()
    expect(page.locator("#verified-name")).to_have_text("谭*")
    expect(page.locator("#verified-tier")).to_have_attribute("data-tier", "C")
    allowed = page.locator(f'#allowed-services li[data-service="{service.code}"]')
    expect(allowed).to_have_attribute("data-allowed", "true")
    # Only what the counter needs: no full name anywhere on the page.
    assert "谭刚" not in page.content()

    allowed.locator("button").click()
    expect(page.locator('#redeem-outcome[data-state="pending"]')).to_be_visible()
    expect(page.locator("#queue-status")).to_have_attribute("data-pending", "1")
    # Still offline, a reload keeps the queued redemption.
    page.reload()
    expect(page.locator("#queue-status")).to_have_attribute("data-pending", "1")
    from talentflow.credentials.models import Redemption

    assert not Redemption.objects.exists()

    # Back online: the queued redemption is sent.
    context.set_offline(False)
    expect(page.locator("#queue-status")).to_have_attribute("data-pending", "0", timeout=40_000)
    expect(page.locator('#redemption-log li[data-state="synced"]')).to_have_count(1)

    page.fill("#code-input", text)
    page.click("#verify-button")
    expect(page.locator('#verify-card[data-ok="true"]')).to_be_visible()
    # The same once-only service again: the server refuses, the page says so.
    allowed.locator("button").click()
    refused = page.locator('#redeem-outcome[data-state="refused"]')
    expect(refused).to_be_visible()
    expect(refused).to_contain_text(service.name)
    page.wait_for_load_state("networkidle")

    # Logging out removes the page kept on the device.
    page.click("nav .navbar-toggler")  # a phone: the menu is folded
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"\bshow\b"))
    page.click("nav .dropdown-toggle")
    expect(page.locator("form[data-clear-offline] button")).to_be_visible()
    with page.expect_navigation():
        page.click("form[data-clear-offline] button")
    kept = page.evaluate(
        "async () => (await caches.keys()).filter(n => n.startsWith('talentflow-counter-'))"
    )
    assert kept == []
    context.close()

    assert list(Redemption.objects.values_list("service_id", "masked_name", "once")) == [
        (service.pk, "谭*", True)
    ]
