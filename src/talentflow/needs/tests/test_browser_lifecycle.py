"""One need walked through all five stages in a real browser, by the four roles involved.

企业出题 → 政府助题 → 平台答题 → 车间验题 → 市场评价: 福莱 poses and submits a need; the 嘉善
talent office frames it, sets its acceptance criteria and publishes it; 杭电嘉善研究院 proposes
with 谭刚 as lead expert and 福莱 selects the proposal; the workshop check fails once (the need
goes back to work, the findings stay on the page) and passes the second time; 福莱 records the
revenue, the office confirms it and closes the need; 谭刚 reads the closed need's timeline.

Everything after the cast is done through the pages, each role logging in on the real login
page in a browser context of its own. The interface is Chinese (the browser asks for zh-CN);
elements are found by names, ids, URLs and data attributes, and the expected messages are
translated with the same catalogue the server uses, so the test does not depend on the
wording of translations still being written.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
from django.db import connection
from django.utils import timezone, translation
from django.utils.translation import gettext

from talentflow.tests.test_browser import CHROMIUM, browser, stall_report  # noqa: F401

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian chromium is not installed"),
    pytest.mark.django_db(transaction=True),
]

TITLE = "BOPP 薄膜涂布窝点缺陷攻关（浏览器全流程）"
FINDINGS = "涂布头第 3 区流量不均，良品率仅 95.2%，未达 98%。"
TODAY = dt.date.today()
HOUR = dt.timedelta(hours=1)


def zh(text) -> str:
    """A message as the server shows it in Chinese (lazy strings and plain msgids alike)."""
    with translation.override("zh-hans"):
        return gettext(text) if isinstance(text, str) else str(text)


class Roles:
    """Logs each role in on the real login page, in a fresh browser context of its own."""

    def __init__(self, chromium, base_url: str, password: str) -> None:
        self.browser = chromium
        self.base_url = base_url
        self.password = password
        self.context = None

    def log_in(self, username: str, display_name: str, then: str = "/needs/"):
        """Log in and land on ``then``, as when following a link from a notification."""
        from playwright.sync_api import expect

        if self.context is not None:
            for open_page in self.context.pages:
                open_page.wait_for_load_state("networkidle")
            self.context.close()
        self.context = self.browser.new_context(
            locale="zh-CN", viewport={"width": 1280, "height": 900}
        )
        # Generous: CI runs this beside another test worker on two CPUs.
        self.context.set_default_timeout(30_000)
        page = self.context.new_page()
        # Submit, publish and close ask "are you sure?" first; a person says yes.
        page.on("dialog", lambda dialog: dialog.accept())
        page.goto(f"{self.base_url}/accounts/login/?next={then}")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", self.password)
        with page.expect_navigation():
            page.click("main form button[type=submit]")
        assert page.url == f"{self.base_url}{then}"
        expect(page.locator("nav .dropdown-toggle")).to_have_text(display_name)
        return page

    def close(self) -> None:
        if self.context is not None:
            for open_page in self.context.pages:
                open_page.wait_for_load_state("networkidle")
            self.context.close()
            self.context = None


def click_and_wait(page, selector: str) -> None:
    # A POST that writes, notifies and re-indexes can take a while on a loaded 2-core machine
    # running the suite in parallel: wait up to a minute for the next page.
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        with page.expect_navigation(timeout=60_000):
            page.click(selector)
    except PlaywrightTimeout as exc:
        # Seen now and then on PostgreSQL under CI load: say what the server was doing.
        raise AssertionError(
            f"no page 60 s after clicking {selector} on {page.url}\n{stall_report()}"
        ) from exc
    # Let the page's own htmx requests (recommended experts, code suggestions) finish before
    # the next step: the live server's SQLite test database is one connection shared by its
    # threads, and overlapping requests on it can stall each other.
    page.wait_for_load_state("networkidle")


def pick(page, select_id: str, query: str, value: str) -> None:
    """Choose an option of a Tom Select control the way a person does: type, then click."""
    from playwright.sync_api import expect

    for _attempt in range(3):
        page.click(f"#{select_id}-ts-control")
        page.keyboard.type(query)
        option = page.locator(f"#{select_id}-ts-dropdown .option[data-value='{value}']")
        option.click()
        # Options load as the person types; a click on a list being replaced can miss.
        if page.locator(f"select#{select_id}").input_value() == value:
            # Close the list, as a person's next click elsewhere does, so that nothing of it
            # lies over the fields and buttons below.
            page.keyboard.press("Escape")
            return
        page.keyboard.press("Escape")
    expect(page.locator(f"select#{select_id}")).to_have_value(value)


@pytest.fixture
def lifecycle_cast(reference_data):
    """The cast, made before the browser starts (see talentflow.tests.test_browser)."""
    from talentflow.tests.cast import build_cast
    from talentflow.tests.factories import AffiliationFactory

    cast = build_cast()
    # An institute puts on a team only the people the directory shows it: its own. 谭刚 also
    # serves 杭电嘉善研究院 part-time, so the institute can name him as its lead expert.
    AffiliationFactory(
        talent=cast.talents["tangang"],
        organisation=cast.orgs["hdu_jiashan"],
        kind="serving",
        position="特聘研究员",
        start_date=dt.date(2023, 9, 1),
    )
    # The matching engine is built on first use (the need form asks it for code suggestions,
    # the need page for recommended experts): build it now, before the pages are timed.
    from talentflow.matching import index

    index.default_index().reset()
    index.get_engine().suggest_codes("薄膜涂布")
    return cast


def test_need_walks_all_five_stages(lifecycle_cast, live_server, browser, password):  # noqa: F811
    """企业出题 → 政府助题 → 平台答题 → 车间验题 → 市场评价, each step on its page."""
    from playwright.sync_api import expect

    from talentflow.needs import views, workflow
    from talentflow.needs.models import Need, NeedStage, NeedState, OutcomeStatus

    cast = lifecycle_cast
    tangang_pk = str(cast.talents["tangang"].pk)
    stage_labels = {stage: zh(NeedStage(stage).label) for stage in NeedStage.values}

    base = live_server.url
    roles = Roles(browser, base, password)

    def success(page, text: str | None = None):
        alert = page.locator("main .alert-success").first
        expect(alert).to_be_visible()
        if text is not None:
            expect(alert).to_contain_text(text)

    def state_is(page, state: str, stage: str) -> None:
        expect(page.locator("#need-state [data-state]")).to_have_attribute("data-state", state)
        expect(page.locator("#need-state [data-stage]")).to_have_attribute("data-stage", stage)
        expect(page.locator("#need-state [data-state]")).to_have_text(zh(NeedState(state).label))
        expect(page.locator(f".need-stages [data-step='{stage}']")).to_have_attribute(
            "data-status", "done" if state == "closed" else "current"
        )

    try:
        # 1 出题 ---------------------------------------------------------------------------
        page = roles.log_in("fulai", "福莱新材料")
        click_and_wait(page, "a[href$='/needs/new/']")
        page.fill("[name=title]", TITLE)
        page.fill("[name=summary]", "BOPP 薄膜涂布出现窝点缺陷，需要涂布工艺与材料专家。")
        page.fill("[name=description]", "BOPP 薄膜涂布出现窝点缺陷，良品率低。")
        page.fill("[name=current_state]", "现有涂布线良品率 92%。")
        page.fill("[name=target_indicators]", "良品率 ≥ 98%\n连续生产 72 小时无窝点")
        page.fill("[name=budget_min]", "300000")
        page.fill("[name=budget_max]", "800000")
        page.fill("[name=wanted_by]", (TODAY + dt.timedelta(days=180)).isoformat())
        click_and_wait(page, "main form button[type=submit]")
        page.wait_for_url(re.compile(r"/needs/\d+/$"))
        need_url = page.url
        need_pk = int(re.search(r"/needs/(\d+)/$", need_url).group(1))
        need_path = f"/needs/{need_pk}/"
        success(page, zh("The need was saved as a draft. Submit it when it is complete."))
        state_is(page, "draft", "pose")
        expect(page.locator("h1")).to_have_text(TITLE)
        expect(page.locator("#need-budget")).to_contain_text("300,000")

        click_and_wait(page, "form[data-action=submit] button")
        success(page, zh(views.ACTION_DONE["submit"]))
        state_is(page, "submitted", "assist")
        expect(page.locator("a[href$='/edit/']")).to_have_count(0)

        # 2 助题 ---------------------------------------------------------------------------
        page = roles.log_in("officer_jiashan", "嘉善人才办")
        click_and_wait(page, f"main a[href='/needs/{need_pk}/']")
        state_is(page, "submitted", "assist")
        click_and_wait(page, f"#need-actions a[href='/needs/{need_pk}/edit/']")
        page.fill("[name=solver_brief]", "涂布头流场与浆料流变匹配问题，需要薄膜涂布工艺专家。")
        pick(page, "id_industry", "塑料薄膜", "2921")
        page.fill("[name=proposals_due]", (TODAY + dt.timedelta(days=30)).isoformat())
        click_and_wait(page, "main form button[type=submit]")
        success(page, zh("The need was saved."))
        expect(page.locator("#brief-heading")).to_be_visible()
        expect(page.locator("section[aria-labelledby=facts-heading]")).to_contain_text("2921")

        click_and_wait(page, f"#need-actions a[href='/needs/{need_pk}/criteria/']")
        page.fill("[name=criteria-0-description]", "良品率")
        page.select_option("[name=criteria-0-comparator]", "at_least")
        page.fill("[name=criteria-0-target_value]", "98")
        page.fill("[name=criteria-0-unit]", "%")
        page.fill("[name=criteria-1-description]", "连续生产 72 小时无窝点")
        page.select_option("[name=criteria-1-comparator]", "pass_fail")
        click_and_wait(page, "#criteria-form button[type=submit]")
        success(page)
        criteria = page.locator("#need-criteria tbody tr")
        expect(criteria).to_have_count(2)
        expect(criteria.nth(0)).to_contain_text("良品率")
        expect(criteria.nth(0)).to_contain_text("98 %")
        expect(criteria.nth(1)).to_contain_text("连续生产 72 小时无窝点")

        click_and_wait(page, "form[data-action=publish] button")
        success(page, zh(views.ACTION_DONE["publish"]))
        state_is(page, "published", "answer")

        # 3 答题 ---------------------------------------------------------------------------
        page = roles.log_in("hdu_jiashan", "杭电嘉善研究院")
        click_and_wait(page, f"main a[href='/needs/{need_pk}/']")
        state_is(page, "published", "answer")
        click_and_wait(page, f"a[href='/needs/{need_pk}/proposals/new/']")
        page.fill("[name=approach]", "优化涂布头流场，调整浆料配方与干燥曲线。")
        page.select_option("[name=trl]", "6")
        page.fill("[name=cost]", "600000")
        page.select_option("[name=ip_terms]", "shared")
        page.fill("[name=ip_note]", "专利共有，福莱优先实施。")
        pick(page, "id_team-0-talent", "谭刚", tangang_pk)
        page.select_option("[name=team-0-role]", "lead")
        page.fill("[name=milestones-0-title]", "中试")
        page.fill("[name=milestones-0-due_date]", (TODAY + dt.timedelta(days=60)).isoformat())
        page.fill("[name=milestones-0-deliverable]", "中试报告")
        click_and_wait(page, "#proposal-form button[type=submit]")
        success(page, zh("Your proposal was submitted."))
        card = page.locator(".proposal-card")
        expect(card).to_have_count(1)
        expect(card).to_have_attribute("data-proposal-state", "submitted")
        expect(card).to_contain_text("谭刚")
        expect(card.locator("[data-testid=proposal-cost]")).to_contain_text("600,000")

        page = roles.log_in("fulai", "福莱新材料", need_path)
        card = page.locator(".proposal-card")
        expect(card).to_contain_text("杭州电子科技大学嘉善研究院")
        click_and_wait(page, ".proposal-card a[href$='/select/']")
        page.fill("[name=contract_amount]", "580000")
        click_and_wait(page, "main form button.btn-success[type=submit]")
        success(page, zh("The proposal was selected: the engagement has started."))
        state_is(page, "engaged", "answer")
        expect(page.locator("[data-testid=contract-amount]")).to_contain_text("580,000")
        expect(page.locator("#engagement")).to_contain_text("谭刚")
        expect(page.locator("#engagement")).to_contain_text("中试")

        # 4 验题 ---------------------------------------------------------------------------
        # The institution delivers and calls the workshop to its line.
        page = roles.log_in("hdu_jiashan", "杭电嘉善研究院", need_path)
        click_and_wait(page, "form[action$='/verification/start/'] button")
        success(page)
        state_is(page, "verifying", "verify")
        expect(page.locator(f"a[href='/needs/{need_pk}/verification/record/']")).to_have_count(0)

        # The enterprise checks: 95.2 % fails the 良品率 criterion.
        page = roles.log_in("fulai", "福莱新材料", need_path)
        state_is(page, "verifying", "verify")
        click_and_wait(page, f"a[href='/needs/{need_pk}/verification/record/']")
        rows = page.locator("fieldset[id^=criterion-]")
        expect(rows).to_have_count(2)
        rows.nth(0).locator("input[type=radio][value=no]").check()
        rows.nth(0).locator("input[name^=measured_]").fill("95.2")
        rows.nth(1).locator("input[type=radio][value=yes]").check()
        page.fill("[name=findings]", FINDINGS)
        click_and_wait(page, "main form button.btn-primary[type=submit]")
        warning = page.locator("main .alert-warning").first
        expect(warning).to_contain_text(FINDINGS)
        state_is(page, "engaged", "answer")
        returned = page.locator("[data-testid=returned-to-work]")
        expect(returned).to_contain_text(FINDINGS)
        expect(page.locator("#round-1")).to_have_attribute("data-round-passed", "no")
        expect(page.locator("#round-1")).to_contain_text("95.2 %")

        # After rework the enterprise calls the second round and everything passes.
        click_and_wait(page, "form[action$='/verification/start/'] button")
        success(page)
        state_is(page, "verifying", "verify")
        click_and_wait(page, f"a[href='/needs/{need_pk}/verification/record/']")
        expect(page.locator("main .alert-secondary")).to_contain_text(FINDINGS)
        rows = page.locator("fieldset[id^=criterion-]")
        rows.nth(0).locator("input[type=radio][value=yes]").check()
        rows.nth(0).locator("input[name^=measured_]").fill("98.6")
        rows.nth(1).locator("input[type=radio][value=yes]").check()
        click_and_wait(page, "main form button.btn-primary[type=submit]")
        success(
            page,
            zh("Every criterion passed: the need is verified and its outcomes can be recorded."),
        )
        state_is(page, "verified", "value")
        expect(page.locator("#round-2")).to_have_attribute("data-round-passed", "yes")
        expect(page.locator("#round-1")).to_have_attribute("data-round-passed", "no")
        expect(page.locator("#round-1")).to_contain_text(FINDINGS)
        expect(page.locator("[data-testid=returned-to-work]")).to_have_count(0)

        # 5 评价 ---------------------------------------------------------------------------
        click_and_wait(page, f"a[href='/needs/{need_pk}/outcomes/new/']")
        page.select_option("[name=kind]", "revenue")
        page.fill("[name=amount]", "500")
        page.select_option("[name=scale]", "wan")
        expect(page.locator("#amount-preview")).to_contain_text("5,000,000")
        page.select_option("[name=qualifier]", "more_than")
        page.fill("[name=description]", "新涂布工艺产品首年销售收入")
        click_and_wait(page, "#outcome-form button[type=submit]")
        success(page, "5,000,000")
        outcome = page.locator("#outcomes tr[data-outcome-status]")
        expect(outcome).to_have_count(1)
        expect(outcome).to_have_attribute("data-outcome-status", "recorded")
        expect(outcome.locator("[data-testid=outcome-amount]")).to_contain_text("5,000,000")
        # Only the talent office may close, and only once the outcome is confirmed.
        expect(page.locator("form[data-action=close]")).to_have_count(0)

        page = roles.log_in("officer_jiashan", "嘉善人才办", need_path)
        state_is(page, "verified", "value")
        click_and_wait(page, "#outcomes form[action$='/confirm/'] button")
        success(page, "5,000,000")
        outcome = page.locator("#outcomes tr[data-outcome-status]")
        expect(outcome).to_have_attribute("data-outcome-status", "confirmed")
        expect(outcome).to_contain_text("嘉善人才办")
        click_and_wait(page, "form[data-action=close] button")
        success(page, zh(views.ACTION_DONE["close"]))
        state_is(page, "closed", "value")
        expect(page.locator(".need-stages [data-status=done]")).to_have_count(5)
        expect(page.locator("#stage-due")).to_have_text(zh("Closed: the outcomes are confirmed."))

        # The expert finds the closed need and reads its whole story.
        page = roles.log_in("tangang", "谭刚")
        click_and_wait(page, f"main a[href='/needs/{need_pk}/']")
        state_is(page, "closed", "value")
        expect(page.locator("#engagement")).to_contain_text("谭刚")
        expect(page.locator("#outcomes [data-testid=outcome-amount]")).to_contain_text("5,000,000")
        click_and_wait(page, f"a[href='/needs/{need_pk}/timeline/']")
        expect(page.locator("h1")).to_contain_text(TITLE)
        expect(page.locator("[data-state]").first).to_have_attribute("data-state", "closed")
        entries = page.locator(".need-timeline li[data-action]")
        timeline = entries.evaluate_all(
            """items => items.map(li => ({
                action: li.dataset.action,
                when: li.querySelector('time').getAttribute('datetime'),
                shown: li.querySelector('time').textContent.trim(),
                stage: (li.querySelector('.badge') || {}).textContent || '',
                who: li.querySelector('span.small').textContent.replace('·', '').trim(),
                what: li.querySelector('strong').textContent.trim(),
            }))"""
        )
    finally:
        roles.close()

    steps = [(e["action"], e["who"], e["stage"].strip()) for e in timeline]
    expected = [
        ("create", "福莱新材料", stage_labels["pose"]),
        ("submit", "福莱新材料", stage_labels["pose"]),
        ("publish", "嘉善人才办", stage_labels["assist"]),
        ("proposal.submit", "杭电嘉善研究院", stage_labels["answer"]),
        ("select", "福莱新材料", stage_labels["answer"]),
        ("start_verification", "杭电嘉善研究院", stage_labels["answer"]),
        ("verification_failed", "福莱新材料", stage_labels["verify"]),
        ("start_verification", "福莱新材料", stage_labels["answer"]),
        ("verification_passed", "福莱新材料", stage_labels["verify"]),
        ("outcome.confirm", "嘉善人才办", stage_labels["value"]),
        ("close", "嘉善人才办", stage_labels["value"]),
    ]
    listed = iter(steps)
    missing = [step for step in expected if step not in listed]  # in order, others between
    assert not missing, f"timeline lacks {missing}: {steps}"
    assert {s for _a, _w, s in steps} >= {stage_labels[s] for s in workflow.STAGES_IN_ORDER}
    now = timezone.now()
    for entry in timeline:
        assert entry["who"] and entry["what"], entry
        assert dt.timedelta(0) <= now - dt.datetime.fromisoformat(entry["when"]) < HOUR, entry
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", entry["shown"]), entry
        assert entry["what"] != entry["action"], f"no words for {entry['action']}"

    # The browser is done: the record agrees with what the pages showed. These reads run on a
    # connection of the test's own context (Playwright switched it), closed here when done.
    try:
        need = Need.objects.select_related("engagement").get(pk=need_pk)
        assert need.state == "closed"
        assert need.title == TITLE and need.enterprise_id == cast.orgs["fulai"].pk
        assert need.industry_id == "2921"
        assert need.criteria.count() == 2
        engagement = need.engagement
        assert engagement.institution_id == cast.orgs["hdu_jiashan"].pk
        assert engagement.contract_amount == 580000
        rounds = list(engagement.verification_rounds.order_by("number"))
        assert [(r.number, r.passed) for r in rounds] == [(1, False), (2, True)]
        assert rounds[0].findings == FINDINGS
        outcome = need.outcomes.get()
        assert (outcome.kind, outcome.qualifier) == ("revenue", "more_than")
        assert outcome.amount == 5000000
        assert outcome.status == OutcomeStatus.CONFIRMED
        assert outcome.confirmed_by_id == cast.officer_jiashan.pk
    finally:
        connection.close()
