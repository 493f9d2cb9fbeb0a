"""The need pages per role: list, detail, 出题 (create/edit), 助题 (criteria), transitions and
the timeline. Needs are built with ``builders.need_in_state`` (福莱, 嘉善)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from talentflow.accounts.models import Membership
from talentflow.accounts.permissions import forget_scope
from talentflow.needs import services
from talentflow.needs.models import AcceptanceCriterion, Need, NeedEvent
from talentflow.needs.tests.builders import SYSTEM, frame, need_in_state, propose
from talentflow.tests.factories import OrganisationFactory

TODAY = dt.date.today()


@pytest.fixture(autouse=True)
def english(client):
    """The pages are asserted by their English msgids, whatever catalogue is compiled."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def detail(need: Need) -> str:
    return reverse("needs:detail", args=[need.pk])


def get_as(client, user, url: str, **params):
    client.force_login(user)
    return client.get(url, params)


def qingtian_need(cast, **fields) -> Need:
    """A need of 侠峰 (青田) collected on a visit: it arrives submitted."""
    visit = services.visit_create(
        **SYSTEM, enterprise=cast.orgs["xiafeng"], visited_on=TODAY - dt.timedelta(days=3)
    )
    return services.need_create(
        **SYSTEM,
        enterprise=cast.orgs["xiafeng"],
        visit=visit,
        title=fields.pop("title", "压铸件气孔缺陷"),
        summary=fields.pop("summary", "隔膜泵压铸件气孔多，寿命短。"),
        **fields,
    )


# The list ----------------------------------------------------------------------------------


def listed_titles(response) -> list[str]:
    return re.findall(r'<tr data-need="\d+">\s*<td><a href="[^"]+">([^<]+)</a>', response.text)


def test_list_shows_each_role_the_needs_it_may_see(client, cast):
    """A draft is the enterprise's alone; a submitted need reaches its region's office; the
    office of another region sees neither."""
    need_in_state(cast, "draft", title="草稿需求")
    need_in_state(cast, "submitted", title="已提交需求")
    qingtian_need(cast, title="青田需求")
    url = reverse("needs:list")
    assert set(listed_titles(get_as(client, cast.enterprise_user, url))) == {
        "草稿需求",
        "已提交需求",
    }
    assert listed_titles(get_as(client, cast.officer_jiashan, url)) == ["已提交需求"]
    assert listed_titles(get_as(client, cast.officer_qingtian, url)) == ["青田需求"]
    assert listed_titles(get_as(client, cast.institution_user, url)) == []
    assert len(listed_titles(get_as(client, cast.admin, url))) == 3


def test_list_filters_by_stage_region_overdue_and_source(client, cast):
    """Each filter narrows the list the way its name says."""
    submitted = need_in_state(cast, "submitted", title="助题中")
    need_in_state(cast, "published", title="答题中")
    qingtian_need(cast, title="青田需求")
    Need.objects.filter(pk=submitted.pk).update(stage_due=TODAY - dt.timedelta(days=1))
    url = reverse("needs:list")
    client.force_login(cast.admin)
    assert set(listed_titles(client.get(url, {"stage": "assist"}))) == {"助题中", "青田需求"}
    assert listed_titles(client.get(url, {"stage": "answer"})) == ["答题中"]
    assert listed_titles(client.get(url, {"region": "331121"})) == ["青田需求"]
    # A prefecture covers its counties: 丽水市 includes 青田县.
    assert listed_titles(client.get(url, {"region": "331100"})) == ["青田需求"]
    assert listed_titles(client.get(url, {"overdue": "1"})) == ["助题中"]
    assert listed_titles(client.get(url, {"source": "visit"})) == ["青田需求"]
    assert listed_titles(client.get(url, {"q": "答题"})) == ["答题中"]


def test_list_row_shows_stage_deadline_overdue_and_confidentiality(client, cast):
    """A row carries the stage badge, the state, the stage deadline in red when overdue, and a
    lock for a confidential need."""
    need = need_in_state(cast, "submitted", confidentiality="confidential")
    Need.objects.filter(pk=need.pk).update(stage_due=TODAY - dt.timedelta(days=2))
    response = get_as(client, cast.officer_jiashan, reverse("needs:list"))
    row = re.search(rf'<tr data-need="{need.pk}">(.*?)</tr>', response.text, re.S).group(1)
    assert 'data-stage="assist"' in row and 'data-state="submitted"' in row
    assert "text-danger" in row and "overdue" in row
    assert (TODAY - dt.timedelta(days=2)).isoformat() in row
    assert "Confidential" in row


def test_list_htmx_request_gets_only_the_results(client, cast):
    """The filter panel's requests get the results fragment; a plain request the whole page."""
    need_in_state(cast, "submitted")
    client.force_login(cast.officer_jiashan)
    partial = client.get(reverse("needs:list"), {"stage": "assist"}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.text and 'id="need-count"' in partial.text
    full = client.get(reverse("needs:list"), {"stage": "assist"})
    assert "<html" in full.text and 'class="filter-panel' in full.text


def test_solvers_get_the_open_for_proposals_tab(client, cast):
    """Institutions see a tab of needs open for proposals; it lists only published needs."""
    need_in_state(cast, "published", title="公开征集")
    need_in_state(cast, "engaged", title="已承接")
    client.force_login(cast.institution_user)
    everything = client.get(reverse("needs:list"))
    assert "Open for proposals" in everything.text
    assert set(listed_titles(everything)) == {"公开征集", "已承接"}
    assert listed_titles(client.get(reverse("needs:list"), {"open_only": "1"})) == ["公开征集"]
    client.force_login(cast.officer_jiashan)
    assert "?open_only=1" not in client.get(reverse("needs:list")).text


def test_list_offers_new_need_to_enterprises_and_visits_to_offices(client, cast):
    """'New need' is for enterprise users; 'Record a visit' for offices and institutes."""
    enterprise = get_as(client, cast.enterprise_user, reverse("needs:list")).text
    assert reverse("needs:create") in enterprise
    assert reverse("needs:visit_create") not in enterprise
    office = get_as(client, cast.officer_qingtian, reverse("needs:list")).text
    assert reverse("needs:create") not in office
    assert reverse("needs:visit_create") in office


def test_list_requires_login(client):
    """Anonymous visitors are sent to the login page."""
    response = client.get(reverse("needs:list"))
    assert response.status_code == 302 and "/accounts/login" in response["Location"]


# The detail page ---------------------------------------------------------------------------

DETAIL_VISIBLE = {
    "draft": {"admin", "enterprise_user"},
    "submitted": {"admin", "enterprise_user", "officer_jiashan"},
    "engaged": {
        "admin",
        "enterprise_user",
        "officer_jiashan",
        "institution_user",
        "talent_user",
        "student_user",
    },
}


@pytest.mark.parametrize("state", sorted(DETAIL_VISIBLE))
def test_detail_is_404_for_whoever_may_not_see_the_need(client, cast, state):
    """Every cast member gets the page exactly when the need is visible to them."""
    need = need_in_state(cast, state)
    for role, user in cast.users().items():
        client.force_login(user)
        expected = 200 if role in DETAIL_VISIBLE[state] else 404
        assert client.get(detail(need)).status_code == expected, role


PUBLISHED_VISIBLE = {
    "admin",
    "enterprise_user",
    "officer_jiashan",
    "institution_user",
    "talent_user",
    "student_user",
}


def test_published_untargeted_need_is_visible_to_every_solver(client, cast):
    """Opened to every solver (no target institution or pool), institutions and talents may
    read it besides its enterprise and office; other offices and organisations may not."""
    need = need_in_state(cast, "published")
    for role, user in cast.users().items():
        client.force_login(user)
        expected = 200 if role in PUBLISHED_VISIBLE else 404
        assert client.get(detail(need)).status_code == expected, role


def test_detail_shows_progress_deadline_and_key_facts(client, cast):
    """The stage bar marks the done stages and the current one; the deadline, the budget in
    yuan and 万元, the criteria and the solvers' brief are shown."""
    need = need_in_state(cast, "published")
    response = get_as(client, cast.enterprise_user, detail(need))
    html = response.text
    assert 'data-step="pose" data-status="done"' in html
    assert 'data-step="assist" data-status="done"' in html
    assert 'data-step="answer" data-status="current"' in html
    assert 'data-step="verify" data-status="todo"' in html
    assert need.proposals_due.isoformat() in html
    assert "300,000 – 800,000 yuan (30 – 80 万元)" in html
    assert "良品率" in html and "连续生产 72 小时无窝点" in html
    assert "涂布头流场与浆料流变匹配问题" in html


def test_detail_shows_where_an_ended_need_stopped(client, cast):
    """A need withdrawn while assisted shows the assist stage as where it ended."""
    need = need_in_state(cast, "withdrawn")
    html = get_as(client, cast.enterprise_user, detail(need)).text
    assert 'data-step="pose" data-status="done"' in html
    assert 'data-step="assist" data-status="ended"' in html
    assert 'data-step="answer" data-status="todo"' in html


def test_overdue_stage_deadline_is_red(client, cast):
    """A passed stage deadline is shown with the overdue badge."""
    need = need_in_state(cast, "submitted")
    Need.objects.filter(pk=need.pk).update(stage_due=TODAY - dt.timedelta(days=1))
    html = get_as(client, cast.officer_jiashan, detail(need)).text
    due = re.search(r'id="stage-due">(.*?)</p>', html, re.S).group(1)
    assert "text-danger" in due and "overdue" in due


# Buttons: who sees which transition --------------------------------------------------------

BUTTONS = {
    ("draft", "enterprise_user"): {"submit", "withdraw"},
    ("draft", "admin"): {"withdraw"},
    ("submitted", "officer_jiashan"): {"return", "publish", "withdraw"},
    ("submitted", "enterprise_user"): {"withdraw"},
    ("published", "enterprise_user"): {"withdraw"},
    ("published", "institution_user"): set(),
    ("engaged", "officer_jiashan"): {"cancel"},
    ("engaged", "talent_user"): set(),
    ("closed", "officer_jiashan"): set(),
}


@pytest.mark.parametrize(("state", "role"), sorted(BUTTONS))
def test_detail_offers_the_transitions_the_user_may_take(client, cast, state, role):
    """The transition buttons are exactly the need-level actions the user may take now."""
    need = need_in_state(cast, state)
    html = get_as(client, getattr(cast, role), detail(need)).text
    offered = set(re.findall(rf"/needs/{need.pk}/do/(\w+)/", html))
    assert offered == BUTTONS[(state, role)]


# Transitions -------------------------------------------------------------------------------


def _verified_with_confirmed_outcome(cast) -> Need:
    need = need_in_state(cast, "verified")
    outcome = services.outcome_record(
        **SYSTEM, need=need, kind="revenue", amount=Decimal("5000000")
    )
    services.outcome_confirm(**SYSTEM, outcome=outcome)
    return need


def _framed_submitted(cast) -> Need:
    return frame(need_in_state(cast, "submitted"))


# (action, how to build the need, roles allowed, a visible role refused, state after)
TRANSITIONS = [
    ("submit", lambda c: need_in_state(c, "draft"), ["enterprise_user"], "admin", "submitted"),
    (
        "return",
        lambda c: need_in_state(c, "submitted"),
        ["officer_jiashan", "admin"],
        "enterprise_user",
        "returned",
    ),
    ("publish", _framed_submitted, ["officer_jiashan", "admin"], "enterprise_user", "published"),
    (
        "withdraw",
        lambda c: need_in_state(c, "published"),
        ["enterprise_user", "officer_jiashan"],
        "institution_user",
        "withdrawn",
    ),
    (
        "cancel",
        lambda c: need_in_state(c, "engaged"),
        ["enterprise_user", "officer_jiashan"],
        "talent_user",
        "cancelled",
    ),
    ("close", _verified_with_confirmed_outcome, ["officer_jiashan"], "enterprise_user", "closed"),
]


def post_action(client, user, need: Need, action: str, **data):
    client.force_login(user)
    return client.post(reverse("needs:transition", args=[need.pk, action]), data)


@pytest.mark.parametrize(
    ("action", "build", "allowed", "refused", "after"),
    [(t[0], *t[1:]) for t in TRANSITIONS],
    ids=[t[0] for t in TRANSITIONS],
)
def test_transition_button_works_for_the_right_role(
    client, cast, action, build, allowed, refused, after
):
    """The action's button moves the need for each role allowed, with a success message."""
    for role in allowed:
        need = build(cast)
        response = post_action(client, getattr(cast, role), need, action, reason="原因说明")
        assert response.status_code == 302 and response["Location"] == detail(need), role
        need.refresh_from_db()
        assert need.state == after, role
        page = client.get(detail(need))
        assert "alert-success" in page.text


@pytest.mark.parametrize(
    ("action", "build", "refused"),
    [(t[0], t[1], t[3]) for t in TRANSITIONS],
    ids=[t[0] for t in TRANSITIONS],
)
def test_transition_is_403_for_a_visible_party_without_the_right(
    client, cast, action, build, refused
):
    """A user who sees the need but may not take the action gets 403; nothing changes."""
    need = build(cast)
    before = need.state
    response = post_action(client, getattr(cast, refused), need, action, reason="原因")
    assert response.status_code == 403
    need.refresh_from_db()
    assert need.state == before


def test_transition_is_404_for_who_cannot_see_the_need(client, cast):
    """Another region's officer does not learn the need exists."""
    need = need_in_state(cast, "submitted")
    response = post_action(client, cast.officer_qingtian, need, "return", reason="x")
    assert response.status_code == 404


def test_unknown_action_and_get_are_refused(client, cast):
    """Only the need-level actions are posted here; GET is not allowed."""
    need = need_in_state(cast, "published")
    assert post_action(client, cast.enterprise_user, need, "select").status_code == 404
    assert client.get(reverse("needs:transition", args=[need.pk, "withdraw"])).status_code == 405


@pytest.mark.parametrize(
    ("action", "state", "role"),
    [
        ("return", "submitted", "officer_jiashan"),
        ("withdraw", "draft", "enterprise_user"),
        ("cancel", "engaged", "enterprise_user"),
    ],
)
def test_reason_is_required(client, cast, action, state, role):
    """Without a reason the form comes back open with the message; the state is unchanged."""
    need = need_in_state(cast, state)
    response = post_action(client, getattr(cast, role), need, action, reason="  ")
    assert response.status_code == 400
    assert "Please give a reason." in response.text
    assert re.search(rf'<details class="need-action" open data-action="{action}">', response.text)
    need.refresh_from_db()
    assert need.state == state


def test_reason_is_recorded_on_the_timeline(client, cast):
    """The return reason reaches the timeline with the officer's name."""
    need = need_in_state(cast, "submitted")
    post_action(client, cast.officer_jiashan, need, "return", reason="请补充现有工艺参数和缺陷照片")
    event = NeedEvent.objects.filter(need=need, action="return").get()
    assert event.note == "请补充现有工艺参数和缺陷照片" and event.actor == cast.officer_jiashan


def test_returned_need_shows_the_reason_to_the_enterprise(client, cast):
    """After a return the enterprise reads, on top of its need, what to revise."""
    need = need_in_state(cast, "submitted")
    post_action(client, cast.officer_jiashan, need, "return", reason="请补充缺陷照片")
    html = get_as(client, cast.enterprise_user, detail(need)).text
    reason = re.search(r'id="return-reason">(.*?)</div>', html, re.S).group(1)
    assert "请补充缺陷照片" in reason
    assert re.findall(rf"/needs/{need.pk}/do/(\w+)/", html) == ["submit", "withdraw"]


def test_publishing_too_early_shows_what_is_missing(client, cast):
    """Publishing an unframed need is refused with the list of what to do first."""
    need = need_in_state(cast, "submitted")
    response = post_action(client, cast.officer_jiashan, need, "publish")
    assert response.status_code == 302
    page = client.get(detail(need)).text
    assert "Set at least one acceptance criterion for the workshop check." in page
    assert "Write the brief for solvers." in page
    need.refresh_from_db()
    assert need.state == "submitted"


def test_transition_from_the_wrong_state_is_explained(client, cast):
    """Submitting a need that is already submitted says why it is not possible."""
    need = need_in_state(cast, "submitted")
    response = post_action(client, cast.enterprise_user, need, "submit")
    assert response.status_code == 302
    assert "This is not possible while the need is" in client.get(detail(need)).text


def test_closing_without_confirmed_outcomes_is_refused(client, cast):
    """The office closes a need only once an outcome is confirmed."""
    need = need_in_state(cast, "verified")
    post_action(client, cast.officer_jiashan, need, "close")
    need.refresh_from_db()
    assert need.state == "verified"
    assert "Confirm at least one measured outcome before closing." in client.get(detail(need)).text


# 出题: create --------------------------------------------------------------------------------


def need_form_data(**overrides) -> dict:
    data = {
        "title": "BOPP 涂布窝点",
        "summary": "涂布缺陷，需要工艺专家。",
        "description": "窝点缺陷集中在高速段。",
        "current_state": "良品率 92%",
        "target_indicators": "良品率 ≥ 98%",
        "industry": "2921",
        "budget_min": "300000",
        "budget_max": "800000.50",
        "wanted_by": (TODAY + dt.timedelta(days=90)).isoformat(),
        "confidentiality": "confidential",
    }
    data.update(overrides)
    return data


def test_enterprise_creates_a_draft(client, cast):
    """The posed need is a draft of the user's enterprise, with exact amounts."""
    client.force_login(cast.enterprise_user)
    assert client.get(reverse("needs:create")).status_code == 200
    response = client.post(reverse("needs:create"), need_form_data())
    need = Need.objects.get(title="BOPP 涂布窝点")
    assert response.status_code == 302 and response["Location"] == detail(need)
    assert need.state == "draft" and need.enterprise == cast.orgs["fulai"]
    assert need.created_by == cast.enterprise_user
    assert need.budget_max == Decimal("800000.50") and need.industry_id == "2921"
    assert need.is_confidential


def test_create_is_403_for_who_poses_no_needs(client, cast):
    """Officers, institutions and talents do not pose needs themselves."""
    for user in (cast.officer_jiashan, cast.institution_user, cast.talent_user, cast.admin):
        client.force_login(user)
        assert client.get(reverse("needs:create")).status_code == 403
        assert client.post(reverse("needs:create"), need_form_data()).status_code == 403
    assert not Need.objects.exists()


def test_create_shows_errors_next_to_fields(client, cast):
    """A budget whose upper end lies below its lower end is refused at the field."""
    client.force_login(cast.enterprise_user)
    response = client.post(
        reverse("needs:create"), need_form_data(budget_min="900000", budget_max="100000")
    )
    assert response.status_code == 200
    assert re.search(
        r'id="id_budget_max_error"><div>The upper end of the budget is below its lower end',
        response.text,
    )
    assert not Need.objects.exists()


def test_enterprise_user_of_several_enterprises_chooses_one(client, cast):
    """Acting for two enterprises, the user picks which one poses the need."""
    other = OrganisationFactory(name="嘉善第二企业")
    Membership.objects.create(user=cast.enterprise_user, role="enterprise", organisation=other)
    forget_scope(cast.enterprise_user)
    client.force_login(cast.enterprise_user)
    page = client.get(reverse("needs:create")).text
    assert 'name="enterprise"' in page and "嘉善第二企业" in page
    client.post(reverse("needs:create"), need_form_data(enterprise=str(other.pk)))
    assert Need.objects.get().enterprise == other


# Edit ----------------------------------------------------------------------------------------

EDIT = {
    ("draft", "enterprise_user"): 200,
    ("returned", "enterprise_user"): 200,
    ("submitted", "enterprise_user"): 403,
    ("submitted", "officer_jiashan"): 200,
    ("published", "officer_jiashan"): 200,
    ("published", "institution_user"): 403,
    ("engaged", "officer_jiashan"): 403,
    ("draft", "officer_jiashan"): 404,
}


@pytest.mark.parametrize(("state", "role"), sorted(EDIT))
def test_edit_permission_follows_the_stage(client, cast, state, role):
    """The enterprise edits while posing, the office while assisting; others are refused."""
    need = need_in_state(cast, state)
    response = get_as(client, getattr(cast, role), reverse("needs:edit", args=[need.pk]))
    assert response.status_code == EDIT[(state, role)]


def test_enterprise_edits_its_draft_without_the_assist_fields(client, cast):
    """The enterprise's form has no solvers' brief; its change is saved."""
    need = need_in_state(cast, "draft")
    client.force_login(cast.enterprise_user)
    page = client.get(reverse("needs:edit", args=[need.pk])).text
    assert 'name="title"' in page and 'name="solver_brief"' not in page
    response = client.post(
        reverse("needs:edit", args=[need.pk]), need_form_data(title="改过的标题")
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.title == "改过的标题"


def test_officer_frames_the_submitted_need(client, cast):
    """The office gets the assist fields and saves the brief, disciplines and deadline."""
    from talentflow.reference.models import Discipline

    need = need_in_state(cast, "submitted")
    discipline = Discipline.objects.filter(scheme="grad2022", code="0805").get()
    client.force_login(cast.officer_jiashan)
    page = client.get(reverse("needs:edit", args=[need.pk])).text
    assert 'name="solver_brief"' in page and 'name="target_institutions"' in page
    due = (TODAY + dt.timedelta(days=20)).isoformat()
    response = client.post(
        reverse("needs:edit", args=[need.pk]),
        need_form_data(
            solver_brief="需要薄膜涂布工艺专家。",
            disciplines=[str(discipline.pk)],
            target_institutions=[str(cast.orgs["hdu_jiashan"].pk)],
            proposals_due=due,
        ),
    )
    assert response.status_code == 302
    need.refresh_from_db()
    assert need.solver_brief == "需要薄膜涂布工艺专家。"
    assert list(need.disciplines.all()) == [discipline]
    assert list(need.target_institutions.all()) == [cast.orgs["hdu_jiashan"]]
    assert need.proposals_due.isoformat() == due


# 助题: acceptance criteria -------------------------------------------------------------------


def criteria_post(rows: list[dict], initial: int = 0) -> dict:
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": str(initial),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"criteria-{i}-{key}"] = value
    return data


def test_officer_sets_acceptance_criteria(client, cast):
    """Rows with a description become the criteria, in order; empty rows are ignored."""
    need = need_in_state(cast, "submitted")
    client.force_login(cast.officer_jiashan)
    assert client.get(reverse("needs:criteria", args=[need.pk])).status_code == 200
    response = client.post(
        reverse("needs:criteria", args=[need.pk]),
        criteria_post(
            [
                {
                    "description": "良品率",
                    "comparator": "at_least",
                    "target_value": "98.5",
                    "unit": "%",
                },
                {"description": "", "comparator": "pass_fail"},
                {"description": "72 小时连续生产", "comparator": "pass_fail"},
            ]
        ),
    )
    assert response.status_code == 302
    rows = list(AcceptanceCriterion.objects.filter(need=need))
    assert [(c.description, c.comparator, c.target_value) for c in rows] == [
        ("良品率", "at_least", Decimal("98.5")),
        ("72 小时连续生产", "pass_fail", None),
    ]


def test_criteria_form_shows_existing_criteria_and_can_remove_one(client, cast):
    """Saved criteria come back in the form; ticking remove deletes one."""
    need = need_in_state(cast, "published")
    client.force_login(cast.officer_jiashan)
    page = client.get(reverse("needs:criteria", args=[need.pk])).text
    assert 'value="良品率"' in page and 'value="98"' in page
    client.post(
        reverse("needs:criteria", args=[need.pk]),
        criteria_post(
            [
                {
                    "description": "良品率",
                    "comparator": "at_least",
                    "target_value": "98",
                    "unit": "%",
                },
                {
                    "description": "连续生产 72 小时无窝点",
                    "comparator": "pass_fail",
                    "DELETE": "on",
                },
            ],
            initial=2,
        ),
    )
    assert list(need.criteria.values_list("description", flat=True)) == ["良品率"]


def test_measured_criterion_needs_a_target(client, cast):
    """An 'at least' criterion without a value is refused at its row."""
    need = need_in_state(cast, "submitted")
    client.force_login(cast.officer_jiashan)
    response = client.post(
        reverse("needs:criteria", args=[need.pk]),
        criteria_post([{"description": "寿命", "comparator": "at_least"}]),
    )
    assert response.status_code == 200
    assert "A measured criterion needs the value to reach." in response.text
    assert not need.criteria.exists()


@pytest.mark.parametrize(
    ("state", "role", "status"),
    [
        ("submitted", "enterprise_user", 403),
        ("engaged", "officer_jiashan", 403),
        ("published", "institution_user", 403),
        ("submitted", "officer_qingtian", 404),
    ],
)
def test_criteria_page_is_for_the_assisting_office(client, cast, state, role, status):
    """Only the office, while assisting, sets the criteria."""
    need = need_in_state(cast, state)
    response = get_as(client, getattr(cast, role), reverse("needs:criteria", args=[need.pk]))
    assert response.status_code == status


# The timeline --------------------------------------------------------------------------------


def test_timeline_shows_who_when_what_and_why(client, cast):
    """Each step reads with its time, the person (or 'System'), the stage and the reason."""
    need = need_in_state(cast, "submitted")
    post_action(client, cast.officer_jiashan, need, "return", reason="请补充缺陷照片")
    response = client.get(reverse("needs:timeline", args=[need.pk]))
    assert response.status_code == 200
    entries = re.findall(
        r'<li class="list-group-item" data-action="([^"]+)">(.*?)</li>', response.text, re.S
    )
    assert [a for a, _ in entries] == ["create", "submit", "return"]
    created, submitted, returned = (body for _a, body in entries)
    assert "System" in created and "Need recorded" in created
    assert "Submitted to the talent office" in submitted and "Enterprise poses" in submitted
    assert "嘉善人才办" in returned and "请补充缺陷照片" in returned
    assert "Government assists" in returned
    assert re.search(r"<time [^>]*>\d{4}-\d\d-\d\d \d\d:\d\d</time>", returned)


def test_timeline_of_a_closed_need_walks_all_five_stages(client, cast):
    """The whole story from the record to the close is on the page, in order."""
    need = need_in_state(cast, "closed")
    html = get_as(client, cast.enterprise_user, reverse("needs:timeline", args=[need.pk])).text
    actions = re.findall(r'data-action="([^"]+)"', html)
    assert actions[0] == "create" and actions[-1] == "close"
    for label in (
        "Published for proposals",
        "Proposal submitted",
        "Engagement started",
        "Workshop verification passed",
        "Outcome confirmed",
        "Closed with its outcomes",
    ):
        assert label in html


def test_timeline_shows_a_solver_its_own_proposals_only(client, cast):
    """A solver who is not a party reads the need's steps and its own proposal, not who else
    proposed; the enterprise reads every proposal."""
    need = need_in_state(cast, "published")
    propose(cast, need)  # 杭电嘉善研究院, with the student on the team
    services.proposal_submit(
        **SYSTEM,
        need=need,
        organisation=cast.orgs["zju"],
        approach="另一方案",
        trl=4,
        cost=Decimal("1"),
        ip_terms="shared",
        members=[(cast.talents["tangang"], "lead")],
    )
    url = reverse("needs:timeline", args=[need.pk])
    html = get_as(client, cast.student_user, url).text
    assert 'data-action="publish"' in html
    assert html.count('data-action="proposal.submit"') == 1
    assert "杭州电子科技大学嘉善研究院" in html and "浙江大学" not in html
    party = get_as(client, cast.enterprise_user, url).text
    assert party.count('data-action="proposal.submit"') == 2


def test_timeline_is_404_for_who_cannot_see_the_need(client, cast):
    """The timeline follows the need's visibility."""
    need = need_in_state(cast, "draft")
    response = get_as(client, cast.officer_jiashan, reverse("needs:timeline", args=[need.pk]))
    assert response.status_code == 404


def test_detail_shows_the_latest_timeline_entries(client, cast):
    """The detail page ends with the latest entries and a link to the full timeline."""
    need = need_in_state(cast, "closed")
    html = get_as(client, cast.officer_jiashan, detail(need)).text
    latest = html.split('id="timeline-heading"')[1]
    assert reverse("needs:timeline", args=[need.pk]) in latest
    assert len(re.findall(r'data-action="[^"]+">', latest)) == 5
    assert 'data-action="close"' in latest
