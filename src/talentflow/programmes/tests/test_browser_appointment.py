"""A 科技副总 appointment walked through on the pages, in a real browser, by its four parties.

福莱's enterprise user files a 科技副总 request; 嘉善's talent office opens it, sees the matching
engine's candidates with their reasons and proposes 林涂布 (a films expert of 杭电嘉善研究院);
林涂布 accepts; 杭电嘉善研究院, the employer, consents; 福莱 starts the appointment with its term,
duties, working days and salary — and downloads the 聘书, a PDF naming 林涂布.

As in ``talentflow.rules.tests.test_browser_subsidy``: the records are made before the browser
starts, each role logs in on the real login page in a context of its own, the interface is
Chinese, and every page request is let finish before the next step.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil

import pytest
from django.utils import translation
from django.utils.translation import gettext

from talentflow.tests.test_browser import CHROMIUM, browser  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]

TIMEOUT = 60_000
TODAY = dt.date.today()
TITLE = "功能膜材料科技副总"


def zh(text) -> str:
    with translation.override("zh-hans"):
        return gettext(text) if isinstance(text, str) else str(text)


class Roles:
    """Logs each role in on the real login page, in a fresh browser context of its own."""

    def __init__(self, chromium, base_url: str, password: str) -> None:
        self.browser = chromium
        self.base_url = base_url
        self.password = password
        self.context = None

    def log_in(self, username: str, display_name: str, then: str):
        from playwright.sync_api import expect

        self.close()
        self.context = self.browser.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        self.context.set_default_timeout(TIMEOUT)
        self.context.set_default_navigation_timeout(TIMEOUT)
        page = self.context.new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(f"{self.base_url}/accounts/login/?next={then}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", self.password)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert page.url == f"{self.base_url}{then}"
        expect(page.locator("nav .dropdown-toggle")).to_have_text(display_name)
        page.wait_for_load_state("networkidle")
        return page

    def close(self) -> None:
        if self.context is not None:
            for open_page in self.context.pages:
                open_page.wait_for_load_state("networkidle")
            self.context.close()
            self.context = None


def click_and_wait(page, selector: str) -> None:
    with page.expect_navigation(timeout=TIMEOUT):
        page.click(selector)
    page.wait_for_load_state("networkidle")


@pytest.fixture
def appointment_cast(reference_data):
    """The cast and 林涂布 with an account, employed by 杭电嘉善研究院; the engine starts
    fresh (made before the browser starts)."""
    from talentflow.matching import index
    from talentflow.tests.cast import build_cast
    from talentflow.tests.factories import (
        AffiliationFactory,
        MembershipFactory,
        TalentFactory,
        UserFactory,
    )

    cast = build_cast()
    user = UserFactory(username="lintubu", display_name="林涂布")
    MembershipFactory(user=user, role="talent")
    expert = TalentFactory(
        name="林涂布", user=user, expertise="薄膜涂布；功能膜材料；BOPP；涂布缺陷"
    )
    AffiliationFactory(talent=expert, organisation=cast.orgs["hdu_jiashan"], position="研究员")
    index.default_index().reset()
    yield cast, expert
    index.default_index().reset()


def test_vice_president_from_request_to_letter(
    appointment_cast,
    live_server,
    browser,  # noqa: F811
    password,
):
    from playwright.sync_api import expect
    from pypdf import PdfReader

    from talentflow.programmes.models import AppointmentStatus

    cast, expert = appointment_cast
    base = live_server.url
    roles = Roles(browser, base, password)

    def status_is(page, status: str) -> None:
        expect(page.locator("#appointment-status")).to_have_text(
            zh(AppointmentStatus(status).label)
        )

    try:
        # 福莱 files the request ------------------------------------------------------------
        page = roles.log_in("fulai", "福莱新材料", "/programmes/requests/")
        click_and_wait(page, "main a[href='/programmes/requests/new/']")
        page.select_option("#id_kind", "vice_president")
        expect(page.locator("#id_host")).to_have_value(str(cast.orgs["fulai"].pk))
        page.fill("#id_title", TITLE)
        page.fill("#id_description", "主持功能膜材料研发，解决BOPP薄膜涂布缺陷。")
        page.fill("#id_field", "薄膜涂布 功能膜材料")
        click_and_wait(page, "main form button[type=submit]")
        page.wait_for_url(re.compile(r"/programmes/requests/\d+/$"), timeout=TIMEOUT)
        request_path = re.search(r"/programmes/requests/\d+/$", page.url).group(0)
        expect(page.locator("main .alert-success").first).to_be_visible()
        expect(page.locator("#candidates-panel")).to_have_count(0)  # the office's alone

        # The office sees the engine's candidates and proposes 林涂布 --------------------------
        page = roles.log_in("officer_jiashan", "嘉善人才办", request_path)
        candidate = page.locator(f"#candidates li[data-talent='{expert.pk}']")
        expect(candidate).to_be_visible()
        expect(candidate.locator("[data-testid=reasons] li").first).to_be_visible()
        candidate.locator("select[name=level]").select_option("city")
        candidate.locator("input[name=proposal_note]").fill("薄膜涂布专家")
        with page.expect_navigation(timeout=TIMEOUT):
            candidate.locator("button[type=submit]").click()
        page.wait_for_load_state("networkidle")
        page.wait_for_url(re.compile(r"/programmes/appointments/\d+/$"), timeout=TIMEOUT)
        appointment_path = re.search(r"/programmes/appointments/\d+/$", page.url).group(0)
        status_is(page, "proposed")

        # 林涂布 accepts -----------------------------------------------------------------------
        page = roles.log_in("lintubu", "林涂布", appointment_path)
        status_is(page, "proposed")
        click_and_wait(page, "form[data-action=accept] button[type=submit]")
        status_is(page, "accepted")

        # 杭电嘉善研究院, the employer, consents ---------------------------------------------------
        page = roles.log_in("hdu_jiashan", "杭电嘉善研究院", appointment_path)
        expect(page.locator("form[data-action=accept]")).to_have_count(0)
        click_and_wait(page, "form[data-action=consent] button[type=submit]")
        status_is(page, "consented")

        # 福莱 starts it with term, duties, days and salary -------------------------------------
        page = roles.log_in("fulai", "福莱新材料", appointment_path)
        expect(page.locator("#letter-download")).to_have_count(0)
        page.fill("#start-form #id_term_start", TODAY.isoformat())
        page.fill("#start-form #id_term_end", TODAY.replace(year=TODAY.year + 3).isoformat())
        page.fill("#start-form #id_duties", "指导功能膜研发，每月驻企四天。")
        page.fill("#start-form #id_days_per_month", "4")
        page.fill("#start-form #id_annual_salary", "450000.00")
        click_and_wait(page, "#start-form button[type=submit]")
        status_is(page, "active")
        expect(page.locator("#letter-number")).to_have_text(re.compile(r"^330421-"))
        expect(page.locator("#annual-salary")).to_have_text("450000.00")
        letter_number = page.locator("#letter-number").inner_text()

        # The 聘书 downloads: a PDF naming 林涂布 -------------------------------------------------
        with page.expect_download(timeout=TIMEOUT) as info:
            page.click("#letter-download")
        download = info.value
        with open(download.path(), "rb") as handle:
            content = handle.read()
        assert content.startswith(b"%PDF")
        assert download.suggested_filename.endswith(".pdf")
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
        assert "林涂布" in text
        assert "浙江福莱新材料股份有限公司" in text
        assert letter_number in text
    finally:
        roles.close()
