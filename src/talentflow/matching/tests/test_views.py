"""The matching pages: recommended experts on a need with one-click invitations, the needs
that match a talent, code suggestions on the need form, and the officer's allocation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from talentflow.core.models import Notification
from talentflow.matching import services
from talentflow.matching.models import Invitation
from talentflow.matching.tests.helpers import make_talent
from talentflow.needs.tests.builders import SYSTEM, need_in_state
from talentflow.tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def coating_expert(cast):
    """A 嘉善 coating expert with a login, unrelated to 福莱."""
    talent = make_talent("涂布专家", "薄膜涂布；BOPP 涂布工艺；浆料流变")
    user = UserFactory(username="coater")
    MembershipFactory(user=user, role="talent")
    talent.user = user
    talent.save()
    return talent


def experts_on(client, user, need) -> str:
    client.force_login(user)
    response = client.get(reverse("matching:need_experts", args=[need.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_officer_sees_explained_experts_and_invites_in_one_click(client, cast, coating_expert):
    need = need_in_state(cast, "published")
    html = experts_on(client, cast.officer_jiashan, need)
    assert f'data-talent="{coating_expert.pk}"' in html
    assert 'data-reason="terms"' in html and "涂布" in html
    client.post(reverse("matching:invite", args=[need.pk]), {"talent": coating_expert.pk})
    invitation = Invitation.objects.get(need=need, talent=coating_expert)
    assert invitation.invited_by == cast.officer_jiashan
    assert Notification.objects.filter(recipient=coating_expert.user, kind="matching.invited")
    # A second click changes nothing and says why.
    response = client.post(
        reverse("matching:invite", args=[need.pk]), {"talent": coating_expert.pk}, follow=True
    )
    assert Invitation.objects.filter(need=need, talent=coating_expert).count() == 1
    assert any("already" in str(m) or "已" in str(m) for m in response.context["messages"])


def test_conflict_of_interest_is_never_recommended(client, cast, coating_expert):
    need = need_in_state(cast, "published")
    services.interest_declare(
        **SYSTEM, talent=coating_expert, organisation=cast.orgs["fulai"], kind="shareholder"
    )
    html = experts_on(client, cast.officer_jiashan, need)
    assert f'data-talent="{coating_expert.pk}"' not in html
    # 谭刚 serves 福莱 as 科技副总: never recommended for 福莱's own need.
    assert f'data-talent="{cast.talents["tangang"].pk}"' not in html


def test_the_need_page_loads_the_panel_for_its_parties_only(client, cast, coating_expert):
    need = need_in_state(cast, "published")
    panel = reverse("matching:need_experts", args=[need.pk])
    client.force_login(cast.enterprise_user)
    assert panel in client.get(need.get_absolute_url()).content.decode()
    client.force_login(cast.institution_user)
    assert panel not in client.get(need.get_absolute_url()).content.decode()
    assert client.get(panel).status_code == 403
    client.force_login(cast.officer_qingtian)
    assert client.get(panel).status_code == 404


def test_a_talent_sees_the_needs_that_match_and_declines_an_invitation(
    client, cast, coating_expert
):
    need = need_in_state(cast, "published")
    invitation = services.invite(**SYSTEM, need=need, talent=coating_expert)
    client.force_login(coating_expert.user)
    html = client.get(reverse("matching:for_me")).content.decode()
    assert need.title in html
    client.post(reverse("matching:invitation_decline", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == "declined"
    client.force_login(cast.enterprise_user)
    assert client.get(reverse("matching:for_me")).status_code == 403


def test_code_suggestions_for_the_need_form(client, cast, coating_expert):
    client.force_login(cast.enterprise_user)
    response = client.get(
        reverse("matching:suggest_codes"), {"title": "铝合金压铸件气孔缺陷", "summary": "压铸模具"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "data-industry=" in html or "data-discipline=" in html
    empty = client.get(reverse("matching:suggest_codes")).content.decode()
    assert "data-industry=" not in empty


def test_allocation_proposes_and_invites(client, cast, coating_expert):
    first = need_in_state(cast, "published")
    second = need_in_state(cast, "published", title="BOPP 涂布线浆料配方优化")
    client.force_login(cast.officer_jiashan)
    response = client.get(reverse("matching:allocation"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert rows, "at least one need gets an expert"
    pairs = [f"{r['a'].need.pk}:{r['a'].talent.pk}" for r in rows]
    assert {r["a"].need.pk for r in rows} <= {first.pk, second.pk}
    client.post(reverse("matching:allocation"), {"pair": pairs})
    assert Invitation.objects.filter(need__in=[first, second]).count() == len(pairs)
    client.force_login(cast.enterprise_user)
    assert client.get(reverse("matching:allocation")).status_code == 403


def test_an_invited_talent_sees_a_need_aimed_at_others(client, cast, coating_expert):
    """A need aimed at 杭电嘉善研究院 only: the office invites an outside expert, who can then
    open it (and propose) like the institute's people."""
    need = need_in_state(cast, "submitted")
    from talentflow.needs import services as need_services
    from talentflow.needs.tests.builders import frame

    frame(need)
    need.target_institutions.add(cast.orgs["hdu_jiashan"])
    need_services.need_publish(**SYSTEM, need=need)
    client.force_login(coating_expert.user)
    assert client.get(need.get_absolute_url()).status_code == 404
    services.invite(**SYSTEM, need=need, talent=coating_expert)
    assert client.get(need.get_absolute_url()).status_code == 200


def test_a_talent_declares_an_interest_and_sets_capacity(client, cast, coating_expert):
    from talentflow.matching.models import ExpertCapacity, InterestDeclaration

    url = reverse("matching:talent_interests", args=[coating_expert.pk])
    client.force_login(coating_expert.user)
    assert client.get(url).status_code == 200
    client.post(
        url,
        {"action": "declare", "organisation": cast.orgs["fulai"].pk, "kind": "shareholder"},
    )
    assert InterestDeclaration.objects.filter(
        talent=coating_expert, organisation=cast.orgs["fulai"]
    ).exists()
    # Declaring it twice changes nothing and says why.
    response = client.post(
        url,
        {"action": "declare", "organisation": cast.orgs["fulai"].pk, "kind": "owner"},
    )
    assert response.status_code == 200 and response.context["interest_form"].errors
    assert InterestDeclaration.objects.filter(talent=coating_expert).count() == 1
    client.post(url, {"action": "capacity", "max_concurrent": "-1"})
    assert not ExpertCapacity.objects.filter(talent=coating_expert).exists()
    client.post(url, {"action": "capacity", "max_concurrent": "1"})
    assert ExpertCapacity.objects.get(talent=coating_expert).max_concurrent == 1
    # Someone who may not edit the profile does not see or change the declarations.
    client.force_login(cast.enterprise_user)
    assert client.get(url).status_code in {403, 404}
