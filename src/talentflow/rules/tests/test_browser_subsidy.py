"""A 科技副总 subsidy application walked through on the pages, in a real browser, by the three
parties of its review.

福莱's enterprise user applies for 谭刚's subsidy with an evidence file, sees the amount and its
explanation once submitted; the 嘉善 talent office returns it with a reason; 福莱 amends the
salary, adds a file and resubmits (recomputed); the office approves; 嘉善's finance bureau
approves — the policy page's budget shows the amount committed — and records the payout — the
amount moves from committed to paid. A second payout is impossible: the button is gone, and
both the page's endpoint and the API refuse it.

As in ``talentflow.needs.tests.test_browser_lifecycle``: the records are made before the
browser starts, each role logs in on the real login page in a context of its own, the
interface is Chinese, messages are matched with the server's own catalogue, and every htmx or
page request is let finish before the next step (the live server's SQLite test database is one
connection shared by its threads).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

from talentflow.tests.test_browser import CHROMIUM, browser  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]

TODAY = dt.date.today()
REASON = "请补充年薪证明：聘任合同未写明年薪。"
PAYMENT_REFERENCE = "JS-BROWSER-001"


def zh(text) -> str:
    """A message as the server shows it in Chinese (lazy strings and plain msgids alike)."""
    with translation.override("zh-hans"):
        return gettext(text) if isinstance(text, str) else str(text)


class Roles:
    """Logs each role in on the real login page, in a fresh browser context of its own (as in
    ``talentflow.needs.tests.test_browser_lifecycle``)."""

    def __init__(self, chromium, base_url: str, password: str) -> None:
        self.browser = chromium
        self.base_url = base_url
        self.password = password
        self.context = None

    def log_in(self, username: str, display_name: str, then: str = "/rules/"):
        """Log in and land on ``then``, as when following a link from a notification."""
        from playwright.sync_api import expect

        self.close()
        self.context = self.browser.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        # Generous: CI runs this beside another test worker on two CPUs.
        self.context.set_default_timeout(30_000)
        page = self.context.new_page()
        # Publishing, discarding and withdrawing ask "are you sure?" first; a person says yes.
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
    with page.expect_navigation():
        page.click(selector)
    # Let the page's own htmx requests finish before the next step: the live server's SQLite
    # test database is one connection shared by its threads, and overlapping requests on it
    # can stall each other.
    page.wait_for_load_state("networkidle")


def pdf(name: str) -> dict:
    return {"name": name, "mimeType": "application/pdf", "buffer": b"%PDF-1.4 browser evidence"}


@pytest.fixture
def subsidy_cast(reference_data):
    """The cast, 嘉善's seed policies with this year's budget, and finance's API key — all
    made before the browser starts (see talentflow.tests.test_browser)."""
    from talentflow.accounts.services import api_token_create
    from talentflow.reference.models import Region
    from talentflow.rules import services
    from talentflow.tests.cast import build_cast

    cast = build_cast()
    policies = services.seed_policies_create(region=Region.objects.get(code="330421"))
    policy = policies["vice_president_subsidy"]
    services.policy_year_set(
        actor=None, system_label="test", policy=policy, year=TODAY.year, budget=Decimal("1000000")
    )
    _token, key = api_token_create(actor=cast.finance_jiashan, name="browser")
    return cast, policy.pk, key


def _explained(salary: str) -> tuple[str, list[str]]:
    """The amount and explanation the seed version gives: the pure engine, no database."""
    from talentflow.rules import policy as engine
    from talentflow.rules.seeds import VICE_PRESIDENT_SUBSIDY

    result = engine.compute(
        VICE_PRESIDENT_SUBSIDY, {"appointed": True, "annual_salary": Decimal(salary)}
    )
    return f"{result.amount:,.2f}", result.explanation()


def test_subsidy_application_from_filing_to_one_payout(
    subsidy_cast,
    live_server,
    browser,  # noqa: F811
    password,
):
    from playwright.sync_api import expect

    from talentflow.rules.models import ApplicationStatus

    cast, policy_pk, finance_key = subsidy_cast
    tangang_pk = str(cast.talents["tangang"].pk)
    base = live_server.url
    roles = Roles(browser, base, password)
    policy_path = f"/rules/policies/{policy_pk}/"
    first_amount, first_explanation = _explained("450000")
    amount, explanation = _explained("600000")
    assert (first_amount, amount) == ("180,000.00", "200,000.00")

    def success(page, text: str | None = None) -> None:
        alert = page.locator("main .alert-success").first
        expect(alert).to_be_visible()
        if text is not None:
            expect(alert).to_contain_text(text)

    def status_is(page, status: str) -> None:
        expect(page.locator("#application-status")).to_have_text(
            zh(ApplicationStatus(status).label)
        )

    def budget_is(page, *, committed: str, paid: str, left: str, in_review: str = "0.00"):
        row = page.locator(f"#budgets tr[data-year='{TODAY.year}'] td")
        expect(row).to_have_count(6)
        expect(row.nth(1)).to_have_text("1,000,000.00")
        expect(row.nth(2)).to_have_text(in_review)
        expect(row.nth(3)).to_have_text(committed)
        expect(row.nth(4)).to_have_text(paid)
        expect(row.nth(5)).to_have_text(left)

    try:
        # 福莱 files the application with its evidence ------------------------------------
        page = roles.log_in("fulai", "福莱新材料", "/rules/")
        click_and_wait(page, f"main a[href='{policy_path}']")
        click_and_wait(page, f"main a[href='{policy_path}apply/']")
        page.select_option("#id_talent", tangang_pk)
        page.check("#id_fact_appointed")
        page.fill("#id_fact_annual_salary", "450000")
        page.set_input_files("#id_evidence", [pdf("聘任合同.pdf")])
        click_and_wait(page, "main form button[type=submit]")
        page.wait_for_url(re.compile(r"/rules/applications/\d+/$"))
        app_path = re.search(r"/rules/applications/\d+/$", page.url).group(0)
        app_pk = int(re.search(r"(\d+)/$", app_path).group(1))
        success(page, zh("The application is saved as a draft. Check it, then submit it."))
        status_is(page, "draft")
        expect(page.locator("main")).to_contain_text("聘任合同.pdf")
        expect(page.locator("#application-amount")).to_have_count(0)  # computed on submit

        click_and_wait(page, f"form[action='{app_path}submit/'] button")
        success(page, first_amount)
        status_is(page, "submitted")
        expect(page.locator("#application-amount")).to_contain_text(first_amount)
        expect(page.locator("#explanation li")).to_have_text(first_explanation)

        # The 嘉善 talent office returns it with a reason ------------------------------------
        page = roles.log_in("officer_jiashan", "嘉善人才办", app_path)
        status_is(page, "submitted")
        expect(page.locator("button[value=finance_approve]")).to_have_count(0)
        page.fill("#id_reason", REASON)
        click_and_wait(page, "button[name=action][value=office_return]")
        success(page)
        status_is(page, "returned")
        expect(page.locator("#return-reason")).to_contain_text(REASON)

        # 福莱 amends, adds a file and resubmits: recomputed ---------------------------------
        page = roles.log_in("fulai", "福莱新材料", app_path)
        status_is(page, "returned")
        expect(page.locator("#return-reason")).to_contain_text(REASON)
        click_and_wait(page, f"#actions a[href='{app_path}edit/']")
        expect(page.locator("#id_fact_annual_salary")).to_have_value(re.compile(r"^450000(\.00)?$"))
        page.fill("#id_fact_annual_salary", "600000")
        page.set_input_files("#id_evidence", [pdf("年薪证明.pdf")])
        click_and_wait(page, "main form button[type=submit]")
        success(page, zh("The application was amended."))
        expect(page.locator("main")).to_contain_text("年薪证明.pdf")
        click_and_wait(page, f"form[action='{app_path}submit/'] button")
        success(page, amount)
        status_is(page, "submitted")
        expect(page.locator("#application-amount")).to_contain_text(amount)
        expect(page.locator("#explanation li")).to_have_text(explanation)
        expect(page.locator("#return-reason")).to_have_count(0)

        # The office approves: on to finance -------------------------------------------------
        page = roles.log_in("officer_jiashan", "嘉善人才办", app_path)
        click_and_wait(page, "button[name=action][value=office_approve]")
        success(page)
        status_is(page, "finance_review")
        expect(page.locator("#actions")).to_have_count(0)

        # Finance approves (committed), then records the payout (paid) -------------------------
        page = roles.log_in("finance_jiashan", "嘉善县财政局", policy_path)
        budget_is(page, committed="0.00", paid="0.00", left="1,000,000.00", in_review=amount)
        page.goto(f"{base}{app_path}")
        page.wait_for_load_state("networkidle")
        status_is(page, "finance_review")
        click_and_wait(page, "button[name=action][value=finance_approve]")
        success(page)
        status_is(page, "approved")
        expect(page.locator("#budget")).to_contain_text(amount)
        click_and_wait(page, f"main a[href='{policy_path}']")
        budget_is(page, committed=amount, paid="0.00", left="800,000.00")

        page.goto(f"{base}{app_path}")
        page.wait_for_load_state("networkidle")
        pay_form = page.locator(f"form[action='{app_path}pay/']")
        expect(pay_form).to_have_count(1)
        page.fill("#id_reference", PAYMENT_REFERENCE)
        click_and_wait(page, f"form[action='{app_path}pay/'] button")
        success(page, zh("The payout was recorded."))
        status_is(page, "paid")
        expect(page.locator("#payout")).to_contain_text(amount)
        expect(page.locator("#payout")).to_contain_text(PAYMENT_REFERENCE)
        # A second payout: no button, and the endpoints refuse.
        expect(pay_form).to_have_count(0)
        expect(page.locator("#actions")).to_have_count(0)
        csrf = next(c["value"] for c in roles.context.cookies() if c["name"] == "csrftoken")
        again = page.request.post(
            f"{base}{app_path}pay/",
            form={"paid_on": TODAY.isoformat(), "reference": "JS-BROWSER-002"},
            headers={"X-CSRFToken": csrf, "Referer": f"{base}{app_path}"},
        )
        assert again.ok  # redirected back to the application, with the refusal
        assert zh("This application is already paid.") in again.text()
        api = page.request.post(
            f"{base}/api/rules/applications/{app_pk}/payout",
            data={"reference": "JS-BROWSER-003"},
            headers={"Authorization": f"Bearer {finance_key}"},
        )
        assert api.status == 422, api.text()
        page.reload()
        page.wait_for_load_state("networkidle")
        expect(page.locator("#payout")).to_contain_text(PAYMENT_REFERENCE)
        click_and_wait(page, f"main a[href='{policy_path}']")
        budget_is(page, committed="0.00", paid=amount, left="800,000.00")
        history = page.goto(f"{base}{app_path}")
        assert history.ok
        events = page.locator("#history li[data-event]").evaluate_all(
            "items => items.map(li => li.dataset.event)"
        )
    finally:
        roles.close()

    assert events == [
        "create",
        "submit",
        "office_return",
        "submit",
        "office_approve",
        "finance_approve",
        "pay",
    ]

    # The record agrees with the pages (a connection of the test's own, closed when done).
    try:
        from talentflow.core.models import AuditEvent
        from talentflow.rules.models import Application

        application = Application.objects.select_related("payout").get(pk=app_pk)
        assert application.status == ApplicationStatus.PAID
        assert application.applicant_organisation_id == cast.orgs["fulai"].pk
        assert application.talent_id == cast.talents["tangang"].pk
        assert application.amount == Decimal("200000.00")
        assert application.facts["annual_salary"] == "600000.00"
        assert application.payout.amount == Decimal("200000.00")
        assert application.payout.reference == PAYMENT_REFERENCE
        assert application.payout.recorded_by_id == cast.finance_jiashan.pk
        assert sorted(application.evidence.values_list("original_name", flat=True)) == [
            "年薪证明.pdf",
            "聘任合同.pdf",
        ]
        actions = list(
            AuditEvent.objects.filter(object_type="rules.application", object_id=str(app_pk))
            .order_by("id")
            .values_list("action", flat=True)
        )
        assert actions.count("application.pay") == 1
        assert actions[-1] == "application.pay"
    finally:
        connection.close()
