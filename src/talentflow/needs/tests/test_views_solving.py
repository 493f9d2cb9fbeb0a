"""The 答题 pages: submitting, reading, shortlisting, declining, withdrawing and selecting
proposals, per role (views_solving.py)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from talentflow.needs import selectors, services
from talentflow.needs.models import Engagement, Proposal
from talentflow.needs.tests.builders import SYSTEM, TODAY, need_in_state, propose
from talentflow.needs.views_solving import detail_context, money, outcome_amount, wan
from talentflow.tests.factories import AffiliationFactory, TalentFactory


@pytest.fixture
def en(client):
    """A client that reads the English pages, so assertions do not depend on the catalogue."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def login(client, user):
    client.force_login(user)
    return client


def sections(user, need) -> str:
    """The need page's solving sections as ``user`` reads them (English)."""
    with translation.override("en"):
        request = RequestFactory().get(reverse("needs:detail", args=[need.pk]))
        request.user = user
        fresh = selectors.need_get(user=user, pk=need.pk)
        return render_to_string(
            "needs/_solving_sections.html", detail_context(request, fresh), request=request
        )


def team_post(members, milestones=(), **fields) -> dict:
    data = {
        "approach": "优化涂布头流场，调整浆料配方。",
        "trl": "6",
        "cost": "450000.50",
        "ip_terms": "shared",
        "ip_note": "",
        "team-TOTAL_FORMS": "3",
        "team-INITIAL_FORMS": "0",
        "team-MIN_NUM_FORMS": "0",
        "team-MAX_NUM_FORMS": "1000",
        "milestones-TOTAL_FORMS": "3",
        "milestones-INITIAL_FORMS": "0",
        "milestones-MIN_NUM_FORMS": "0",
        "milestones-MAX_NUM_FORMS": "1000",
    }
    for i in range(3):
        data[f"team-{i}-role"] = "member"
    for i, (talent, role) in enumerate(members):
        data[f"team-{i}-talent"] = str(talent.pk)
        data[f"team-{i}-role"] = role
    for i, m in enumerate(milestones):
        for key, value in m.items():
            data[f"milestones-{i}-{key}"] = value
    data.update(fields)
    return data


@pytest.fixture
def published(cast):
    return need_in_state(cast, "published")


@pytest.fixture
def hdu_expert(cast):
    """An expert employed by 杭电嘉善研究院, whom institution_user may put on a team."""
    talent = TalentFactory(name="刘兵")
    AffiliationFactory(talent=talent, organisation=cast.orgs["hdu_jiashan"])
    return talent


# Display helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("5000000.00", "5,000,000"),
        ("1234567.89", "1,234,567.89"),
        ("1234567.80", "1,234,567.80"),
        ("400", "400"),
        ("0.05", "0.05"),
    ],
)
def test_money_keeps_every_digit_and_groups_thousands(value, shown):
    """Amounts are shown exactly (no rounding), with thousands separators."""
    assert money(Decimal(value)) == shown


def test_wan_and_outcome_amounts():
    """Large money also shows in 万元; per-unit costs name their basis; percents are plain."""
    assert wan(Decimal("5000000.00")) == "500"
    assert wan(Decimal("4567890.12")) == "456.789012"
    with translation.override("en"):
        assert outcome_amount("revenue", Decimal("5000000.00")) == "5,000,000 yuan (500 万元)"
        assert outcome_amount("unit_cost_reduction", Decimal("400"), "吨") == "400 yuan/吨"
        assert outcome_amount("energy_reduction", Decimal("15.00")) == "15 %"
        assert outcome_amount("lifetime_change", Decimal("30.50")) == "30.5 %"
        assert outcome_amount("cost_reduction", Decimal("1234.50")) == "1,234.50 yuan"
        assert outcome_amount("invention_patent_granted", Decimal("2")) == "2"


# Submitting ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("institution_user", 200),
        ("talent_user", 200),
        ("enterprise_user", 403),
        ("officer_jiashan", 403),
        ("admin", 403),
    ],
)
def test_proposal_form_is_for_solvers(en, cast, published, role, status):
    """Institutions and talents may open the proposal form of a published need they see;
    the enterprise and the talent office may not."""
    response = login(en, getattr(cast, role)).get(
        reverse("needs:proposal_create", args=[published.pk])
    )
    assert response.status_code == status


def test_proposal_form_404_for_a_need_not_visible(en, cast):
    """A need still in draft does not exist for a solver."""
    draft = need_in_state(cast, "draft")
    response = login(en, cast.institution_user).get(
        reverse("needs:proposal_create", args=[draft.pk])
    )
    assert response.status_code == 404


def test_proposal_form_refused_when_not_open(en, cast):
    """Once engaged, the need takes no more proposals (403 for the institution)."""
    need = need_in_state(cast, "engaged")
    response = login(en, cast.institution_user).get(
        reverse("needs:proposal_create", args=[need.pk])
    )
    assert response.status_code == 403


def test_talent_submits_a_proposal_in_own_name(en, cast, published):
    """谭刚 proposes without an institution, leading the team; the proposal is stored with its
    exact cost and milestones and shows on his view of the need."""
    url = reverse("needs:proposal_create", args=[published.pk])
    page = login(en, cast.talent_user).get(url).content.decode()
    assert "TRL 9" in page and "Proven in production" in page  # the scale is explained
    assert 'name="organisation"' not in page  # no institution to choose
    due = (TODAY + dt.timedelta(days=40)).isoformat()
    response = en.post(
        url,
        team_post(
            [(cast.talents["tangang"], "lead")],
            milestones=[{"title": "小试", "due_date": due, "deliverable": "小试报告"}],
        ),
    )
    assert response.status_code == 302
    proposal = Proposal.objects.get(need=published, author=cast.talent_user)
    assert proposal.organisation is None
    assert proposal.cost == Decimal("450000.50")
    assert [(m.talent_id, m.role) for m in proposal.members.all()] == [
        (cast.talents["tangang"].pk, "lead")
    ]
    assert [m.title for m in proposal.milestones.all()] == ["小试"]
    html = sections(cast.talent_user, published)
    assert "450,000.50 yuan" in html
    assert "小试" in html and "谭刚" in html


def test_talent_form_preselects_the_talent_as_lead(en, cast, published):
    """The first team row starts with the talent themself as lead expert."""
    page = login(en, cast.talent_user).get(reverse("needs:proposal_create", args=[published.pk]))
    first = page.context["team"].forms[0]
    assert first.initial == {"talent": cast.talents["tangang"].pk, "role": "lead"}


def test_institution_submits_for_its_institution(en, cast, published, hdu_expert):
    """institution_user proposes for 杭电嘉善研究院 with its own expert as lead."""
    url = reverse("needs:proposal_create", args=[published.pk])
    page = login(en, cast.institution_user).get(url)
    choices = list(page.context["form"].fields["organisation"].queryset)
    assert choices == [cast.orgs["hdu_jiashan"]]
    data = team_post([(hdu_expert, "lead")], organisation=str(cast.orgs["hdu_jiashan"].pk))
    response = en.post(url, data)
    assert response.status_code == 302
    proposal = Proposal.objects.get(need=published)
    assert proposal.organisation == cast.orgs["hdu_jiashan"]
    assert proposal.author == cast.institution_user


def test_team_needs_exactly_one_lead(en, cast, published, hdu_expert):
    """No lead (or two) is refused with a message above the team, and nothing is saved."""
    url = reverse("needs:proposal_create", args=[published.pk])
    data = team_post([(hdu_expert, "member")], organisation=str(cast.orgs["hdu_jiashan"].pk))
    response = login(en, cast.institution_user).post(url, data)
    assert response.status_code == 200
    assert "Name exactly one lead expert." in response.content.decode()
    assert not Proposal.objects.filter(need=published).exists()


def test_team_member_must_be_visible_to_the_proposer(en, cast, published, hdu_expert):
    """A talent the proposer cannot see in the directory is not a valid choice."""
    url = reverse("needs:proposal_create", args=[published.pk])
    data = team_post(
        [(hdu_expert, "lead"), (cast.talents["tangang"], "member")],
        organisation=str(cast.orgs["hdu_jiashan"].pk),
    )
    response = login(en, cast.institution_user).post(url, data)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Proposal.objects.filter(need=published).exists()


def test_service_field_errors_are_shown(en, cast, published):
    """A milestone without a date and a negative cost come back next to their fields."""
    url = reverse("needs:proposal_create", args=[published.pk])
    data = team_post(
        [(cast.talents["tangang"], "lead")],
        milestones=[{"title": "中试", "due_date": ""}],
        cost="-5",
    )
    response = login(en, cast.talent_user).post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "cost" in form.errors
    assert response.context["milestones"].forms[0].errors["due_date"]
    assert not Proposal.objects.filter(need=published).exists()


def test_proposal_deadline_passed_is_shown(en, cast):
    """The service's refusal after the deadline is shown on the form."""
    need = need_in_state(cast, "published")
    need.proposals_due = TODAY - dt.timedelta(days=1)
    need.save(update_fields=["proposals_due"])
    response = login(en, cast.talent_user).post(
        reverse("needs:proposal_create", args=[need.pk]),
        team_post([(cast.talents["tangang"], "lead")]),
    )
    assert response.status_code == 200
    assert "The deadline for proposals has passed." in response.content.decode()


def test_confidential_need_requires_accepting_the_terms(en, cast):
    """Before accepting the confidentiality terms a solver is sent back with a hint; the
    sections show the hint instead of the button."""
    need = need_in_state(cast, "published", confidentiality="confidential")
    response = login(en, cast.talent_user).get(reverse("needs:proposal_create", args=[need.pk]))
    assert response.status_code == 302
    html = sections(cast.talent_user, need)
    assert 'data-testid="terms-hint"' in html
    assert reverse("needs:proposal_create", args=[need.pk]) not in html
    services.confidentiality_accept(actor=cast.talent_user, need=need)
    html = sections(cast.talent_user, need)
    assert reverse("needs:proposal_create", args=[need.pk]) in html


def test_talent_lookup_searches_visible_talents(en, cast, published, hdu_expert):
    """The team search answers with the talents the user sees, as Tom Select options."""
    url = reverse("needs:proposal_create", args=[published.pk])
    data = login(en, cast.institution_user).get(url, {"lookup": "talents", "q": "刘"}).json()
    assert data == {
        "items": [{"value": str(hdu_expert.pk), "text": "刘兵 · 杭州电子科技大学嘉善研究院"}]
    }
    assert en.get(url, {"lookup": "talents", "q": "谭"}).json() == {"items": []}


def test_large_talent_lists_are_searched_not_listed(en, cast, published, settings, monkeypatch):
    """Beyond the local limit the select renders only the chosen talent and searches."""
    monkeypatch.setattr("talentflow.needs.views_solving.LOCAL_TALENT_OPTIONS", 0)
    page = login(en, cast.talent_user).get(reverse("needs:proposal_create", args=[published.pk]))
    html = page.content.decode()
    assert "data-tom-select-url" in html and "lookup=talents" in html


# Reading ---------------------------------------------------------------------------------


def test_solvers_see_only_their_own_proposals(en, cast, published, hdu_expert):
    """Two solvers propose; each reads their own proposal and gets 404 for the other's, while
    the enterprise and the office see both."""
    mine = services.proposal_submit(
        actor=cast.talent_user,
        need=published,
        approach="个人方案",
        trl=5,
        cost=Decimal("300000"),
        ip_terms="enterprise",
        members=[(cast.talents["tangang"], "lead")],
    )
    theirs = services.proposal_submit(
        actor=cast.institution_user,
        need=published,
        organisation=cast.orgs["hdu_jiashan"],
        approach="研究院方案",
        trl=6,
        cost=Decimal("700000"),
        ip_terms="shared",
        members=[(hdu_expert, "lead")],
    )
    login(en, cast.talent_user)
    assert en.get(reverse("needs:proposal_detail", args=[mine.pk])).status_code == 200
    assert en.get(reverse("needs:proposal_detail", args=[theirs.pk])).status_code == 404
    html = sections(cast.talent_user, published)
    assert "个人方案" in html and "研究院方案" not in html and "700,000" not in html
    login(en, cast.institution_user)
    assert en.get(reverse("needs:proposal_detail", args=[mine.pk])).status_code == 404
    assert en.get(reverse("needs:proposal_detail", args=[theirs.pk])).status_code == 200
    for role in ("enterprise_user", "officer_jiashan"):
        login(en, getattr(cast, role))
        for proposal in (mine, theirs):
            assert en.get(reverse("needs:proposal_detail", args=[proposal.pk])).status_code == 200
        html = sections(getattr(cast, role), published)
        assert "个人方案" in html and "研究院方案" in html
        assert "300,000 yuan" in html and "700,000 yuan" in html


def test_proposal_detail_hidden_from_unrelated_users(en, cast, published):
    """Another region's officer and a service provider get 404."""
    proposal = propose(cast, published)
    for role in ("officer_qingtian", "provider_qingpu", "enterprise_qingtian"):
        response = login(en, getattr(cast, role)).get(
            reverse("needs:proposal_detail", args=[proposal.pk])
        )
        assert response.status_code == 404, role


def test_decider_sees_buttons_and_solver_does_not(en, cast, published):
    """The enterprise gets select/shortlist/decline; the author gets withdraw only."""
    proposal = propose(cast, published)
    html = sections(cast.enterprise_user, published)
    assert reverse("needs:proposal_select", args=[proposal.pk]) in html
    assert reverse("needs:proposal_action", args=[proposal.pk, "shortlist"]) in html
    assert reverse("needs:proposal_action", args=[proposal.pk, "decline"]) in html
    assert reverse("needs:proposal_action", args=[proposal.pk, "withdraw"]) not in html
    html = sections(cast.institution_user, published)
    assert reverse("needs:proposal_action", args=[proposal.pk, "withdraw"]) in html
    assert reverse("needs:proposal_select", args=[proposal.pk]) not in html
    assert reverse("needs:proposal_action", args=[proposal.pk, "decline"]) not in html


# Actions ---------------------------------------------------------------------------------


def test_unknown_action_is_404(en, cast, published):
    proposal = propose(cast, published)
    response = login(en, cast.enterprise_user).post(
        reverse("needs:proposal_action", args=[proposal.pk, "select"])
    )
    assert response.status_code == 404


def test_actions_are_post_only(en, cast, published):
    proposal = propose(cast, published)
    response = login(en, cast.enterprise_user).get(
        reverse("needs:proposal_action", args=[proposal.pk, "shortlist"])
    )
    assert response.status_code == 405


def test_shortlist_by_the_enterprise_and_not_by_the_author(en, cast, published):
    """The enterprise shortlists; the proposing institution may not (403)."""
    proposal = propose(cast, published)
    url = reverse("needs:proposal_action", args=[proposal.pk, "shortlist"])
    assert login(en, cast.institution_user).post(url).status_code == 403
    assert login(en, cast.enterprise_user).post(url).status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == "shortlisted"


def test_decline_requires_a_reason_code(en, cast, published):
    """Without a reason the proposal stays open and the form says what is missing."""
    proposal = propose(cast, published)
    url = reverse("needs:proposal_action", args=[proposal.pk, "decline"])
    response = login(en, cast.enterprise_user).post(
        url, {"form_prefix": "decline", "decline-reason": "", "decline-note": "太贵"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Choose why the proposal is declined." in html
    assert "太贵" in html  # what was typed is kept
    proposal.refresh_from_db()
    assert proposal.state == "submitted"


def test_decline_other_requires_text(en, cast, published):
    """“Other” without a note is refused."""
    proposal = propose(cast, published)
    url = reverse("needs:proposal_action", args=[proposal.pk, "decline"])
    response = login(en, cast.officer_jiashan).post(
        url, {"form_prefix": "decline", "decline-reason": "other", "decline-note": " "}
    )
    assert response.status_code == 200
    assert "Say why, when the reason is “other”." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == "submitted"


def test_declined_author_sees_the_reason(en, cast, published):
    """The office declines for cost with a note; the institution reads both on its pages."""
    proposal = propose(cast, published)
    url = reverse("needs:proposal_action", args=[proposal.pk, "decline"])
    prefix = f"decline-{proposal.pk}"
    response = login(en, cast.officer_jiashan).post(
        url,
        {"form_prefix": prefix, f"{prefix}-reason": "cost", f"{prefix}-note": "超出预算上限"},
    )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decline_reason) == ("declined", "cost")
    page = login(en, cast.institution_user).get(
        reverse("needs:proposal_detail", args=[proposal.pk])
    )
    html = page.content.decode()
    assert "Reason declined" in html and "Cost" in html and "超出预算上限" in html
    assert "超出预算上限" in sections(cast.institution_user, published)


def test_decline_by_the_author_is_forbidden(en, cast, published):
    proposal = propose(cast, published)
    url = reverse("needs:proposal_action", args=[proposal.pk, "decline"])
    response = login(en, cast.institution_user).post(
        url, {"form_prefix": "decline", "decline-reason": "cost"}
    )
    assert response.status_code == 403


def test_withdraw_by_the_author_only(en, cast, published):
    """The enterprise may not withdraw a solver's proposal; its institution may."""
    proposal = propose(cast, published)
    url = reverse("needs:proposal_action", args=[proposal.pk, "withdraw"])
    assert login(en, cast.enterprise_user).post(url).status_code == 403
    response = login(en, cast.institution_user).post(url, follow=True)
    assert "The proposal was withdrawn." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == "withdrawn"


# Selecting -------------------------------------------------------------------------------


@pytest.fixture
def two_proposals(cast, published, hdu_expert):
    first = propose(cast, published)
    second = services.proposal_submit(
        actor=cast.talent_user,
        need=published,
        approach="个人方案",
        trl=4,
        cost=Decimal("250000"),
        ip_terms="enterprise",
        members=[(cast.talents["tangang"], "lead")],
    )
    return first, second


def test_select_form_defaults_and_roles(en, cast, two_proposals):
    """The form proposes the proposal's cost; the solver may not open it (403)."""
    first, second = two_proposals
    url = reverse("needs:proposal_select", args=[first.pk])
    assert login(en, cast.institution_user).get(url).status_code == 403
    assert login(en, cast.talent_user).get(url).status_code == 403  # on its team: reads it
    response = login(en, cast.enterprise_user).get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["contract_amount"] == Decimal("600000.00")
    assert f"reason_{second.pk}" in form.fields


def test_select_requires_a_reason_for_every_other_open_proposal(en, cast, published, two_proposals):
    """Without the other proposal's reason nothing changes; with it the engagement starts and
    the other proposal is declined with that reason."""
    first, second = two_proposals
    url = reverse("needs:proposal_select", args=[first.pk])
    login(en, cast.enterprise_user)
    data = {"contract_amount": "580000.00", "signed_on": TODAY.isoformat(), "planned_end": ""}
    response = en.post(url, data)
    assert response.status_code == 200
    assert response.context["form"].errors[f"reason_{second.pk}"]
    assert not Engagement.objects.filter(need=published).exists()
    response = en.post(url, {**data, f"reason_{second.pk}": "other", f"note_{second.pk}": ""})
    assert "Say why, when the reason is “other”." in response.content.decode()
    assert not Engagement.objects.filter(need=published).exists()
    response = en.post(
        url, {**data, f"reason_{second.pk}": "too_early", f"note_{second.pk}": "仍在实验室阶段"}
    )
    assert response.status_code == 302
    engagement = Engagement.objects.get(need=published)
    assert engagement.contract_amount == Decimal("580000.00")
    second.refresh_from_db()
    assert (second.state, second.decline_reason, second.decline_note) == (
        "declined",
        "too_early",
        "仍在实验室阶段",
    )
    html = sections(cast.enterprise_user, published)
    assert 'id="engagement"' in html
    assert "580,000 yuan (58 万元)" in html
    assert "杭州电子科技大学嘉善研究院" in html and "中试" in html
    # The declined author reads why on their own view.
    assert "仍在实验室阶段" in sections(cast.talent_user, published)


def test_selected_engagement_shows_on_the_need_page(en, cast, published, two_proposals):
    """The engagement is on the need page itself (the page includes these sections)."""
    first, second = two_proposals
    services.proposal_select(
        actor=cast.officer_jiashan,
        proposal=first,
        contract_amount=Decimal("1234567.89"),
        signed_on=TODAY,
        declines={second.pk: ("cost", "")},
    )
    response = login(en, cast.enterprise_user).get(reverse("needs:detail", args=[published.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "1,234,567.89 yuan" in html and "123.456789 万元" in html
    assert reverse("needs:verification_start", args=[published.pk]) in html


def test_select_of_a_closed_proposal_is_refused(en, cast, published, two_proposals):
    first, _second = two_proposals
    services.proposal_decline(actor=cast.enterprise_user, proposal=first, reason_code="cost")
    response = login(en, cast.enterprise_user).get(
        reverse("needs:proposal_select", args=[first.pk]), follow=True
    )
    assert "This proposal can no longer be selected." in response.content.decode()


# The engagement's milestones ---------------------------------------------------------------


def test_milestone_marked_done_by_the_enterprise(en, cast):
    """The enterprise marks a milestone done; an unrelated officer gets 404, the office 403."""
    need = need_in_state(cast, "engaged")
    milestone = Engagement.objects.get(need=need).milestones.first()
    url = reverse("needs:milestone_complete", args=[milestone.pk])
    assert login(en, cast.officer_qingtian).post(url).status_code == 404
    assert login(en, cast.officer_jiashan).post(url).status_code == 403
    response = login(en, cast.enterprise_user).post(url, {"completed_on": TODAY.isoformat()})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.completed_on == TODAY
    assert f"✓ {TODAY.isoformat()}" in sections(cast.enterprise_user, need)


def test_milestone_in_the_future_is_refused(en, cast):
    need = need_in_state(cast, "engaged")
    milestone = Engagement.objects.get(need=need).milestones.first()
    response = login(en, cast.enterprise_user).post(
        reverse("needs:milestone_complete", args=[milestone.pk]),
        {"completed_on": (TODAY + dt.timedelta(days=3)).isoformat()},
        follow=True,
    )
    assert "The date lies in the future." in response.content.decode()
    milestone.refresh_from_db()
    assert milestone.completed_on is None


def test_engagement_hidden_from_non_parties(cast, hdu_expert):
    """A declined solver (no party of the need) sees neither the engagement nor its amount."""
    need = need_in_state(cast, "published")
    loser = services.proposal_submit(
        actor=cast.talent_user,
        need=need,
        approach="个人方案",
        trl=3,
        cost=Decimal("100000"),
        ip_terms="shared",
        members=[(cast.talents["tangang"], "lead")],
    )
    winner = propose(cast, need, lead=hdu_expert)
    services.proposal_select(
        **SYSTEM,
        proposal=winner,
        contract_amount=Decimal("580000"),
        signed_on=TODAY,
        declines={loser.pk: ("capacity", "")},
    )
    html = sections(cast.talent_user, need)
    assert "Capacity of the team" in html  # their own proposal, with the reason
    assert 'id="engagement"' not in html and "580,000" not in html


def test_team_member_sees_the_engagement_without_unreadable_links(cast):
    """谭刚 leads the engagement his institution's proposal started: he sees the engagement, its
    contract and a link to the proposal he is named on, and no misleading "you have not
    proposed" section."""
    need = need_in_state(cast, "engaged")
    html = sections(cast.talent_user, need)
    assert 'id="engagement"' in html and "580,000 yuan" in html
    engagement = Engagement.objects.get(need=need)
    assert reverse("needs:proposal_detail", args=[engagement.proposal_id]) in html
    html = sections(cast.institution_user, need)
    assert reverse("needs:proposal_detail", args=[engagement.proposal_id]) in html
