"""Recommendations, invitations, needs for a talent, code suggestions and the allocation, through
the selectors and services with the test cast (a need of 福莱 in 嘉善)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from talentflow.core.models import AuditEvent, Notification
from talentflow.matching import selectors, services
from talentflow.matching.models import Invitation, InvitationStatus
from talentflow.matching.tests.helpers import make_talent
from talentflow.needs import services as need_services
from talentflow.needs.tests.builders import SYSTEM, need_in_state, propose
from talentflow.reference.models import Discipline, Industry
from talentflow.tests.factories import AffiliationFactory, PoolFactory, UserFactory

COATING = "薄膜涂布；涂布工艺；浆料流变"


@pytest.fixture(autouse=True)
def english():
    """The messages below are matched in English (the catalogue translates them)."""
    with translation.override("en"):
        yield


def ids(matches) -> list[int]:
    return [m.talent.pk for m in matches]


@pytest.fixture
def need(cast):
    return need_in_state(cast, "published")


@pytest.fixture
def local(cast):
    """A coating expert living in 嘉善, with an account."""
    return make_talent("本地涂布专家", COATING, user=UserFactory(username="local_expert"))


# Who sees recommendations, and whom they contain --------------------------------------------


@pytest.mark.parametrize("who", ["officer_jiashan", "enterprise_user", "admin"])
def test_the_enterprise_and_its_office_get_recommendations(cast, need, local, who):
    matches = selectors.recommend_for_need(user=getattr(cast, who), need=need)
    assert local.pk in ids(matches)
    best = matches[0]
    assert best.score >= matches[-1].score
    assert {r.code for r in best.reasons} & {"terms", "industry", "past_work"}


@pytest.mark.parametrize(
    "who", ["officer_qingtian", "institution_user", "talent_user", "enterprise_qingtian"]
)
def test_nobody_else_gets_recommendations(cast, need, local, who):
    with pytest.raises(PermissionDenied):
        selectors.recommend_for_need(user=getattr(cast, who), need=need)


def test_no_recommendations_for_a_draft(cast, local):
    draft = need_in_state(cast, "draft")
    with pytest.raises(ValidationError):
        selectors.recommend_for_need(user=cast.enterprise_user, need=draft)


def test_candidates_are_the_region_and_the_pools_the_need_is_shared_with(cast, need, local):
    """An expert with the same words in Beijing is out of reach — until the need is shared
    with a pool they are in."""
    far = make_talent("北京涂布专家", COATING, region="110105")
    assert far.pk not in ids(selectors.recommend_for_need(user=cast.officer_jiashan, need=need))
    pool = PoolFactory()
    pool.talents.add(far)
    need_services.need_update(**SYSTEM, need=need, data={"target_pools": [pool]})
    matches = selectors.recommend_for_need(user=cast.officer_jiashan, need=need)
    assert {far.pk, local.pk} <= set(ids(matches))


def test_conflicts_of_interest_are_never_recommended(cast, need, local):
    """Declared ownership, employment by the enterprise, or serving it (谭刚 is 福莱's 科技副总)."""
    owner = make_talent("福莱股东", COATING)
    services.interest_declare(
        actor=cast.admin, talent=owner, organisation=cast.orgs["fulai"], kind="shareholder"
    )
    employee = make_talent("福莱工程师", COATING)
    AffiliationFactory(talent=employee, organisation=cast.orgs["fulai"])
    found = ids(selectors.recommend_for_need(user=cast.officer_jiashan, need=need, top=50))
    assert local.pk in found
    assert {owner.pk, employee.pk, cast.talents["tangang"].pk}.isdisjoint(found)
    # The rule the invitation service applies is the engine's, on the same record.
    assert selectors.has_conflict(owner, cast.orgs["fulai"].pk)
    assert not selectors.has_conflict(owner, cast.orgs["xiafeng"].pk)


def test_teams_group_experts_by_institution(cast, need, local):
    colleague = make_talent("研究院同事", "涂布工艺")
    for person in (local, colleague):
        AffiliationFactory(talent=person, organisation=cast.orgs["hdu_jiashan"])
    matches = selectors.recommend_for_need(user=cast.officer_jiashan, need=need)
    teams = selectors.recommend_teams(matches)
    team = next(t for t in teams if t.institution == cast.orgs["hdu_jiashan"])
    assert team.lead.talent == local  # more of the need's words
    assert [m.talent for m in team.members] == [colleague]


# Invitations ----------------------------------------------------------------------------


def test_invite_records_audits_notifies_and_leaves_the_list(cast, need, local):
    invitation = services.invite(actor=cast.officer_jiashan, need=need, talent=local, note="请看")
    assert (invitation.status, invitation.invited_by) == (
        InvitationStatus.INVITED,
        cast.officer_jiashan,
    )
    event = AuditEvent.objects.get(action="invitation.create", object_id=str(invitation.pk))
    assert event.actor == cast.officer_jiashan
    note = Notification.objects.get(recipient=local.user, kind="matching.invited")
    assert note.url == need.get_absolute_url()
    assert local.pk not in ids(selectors.recommend_for_need(user=cast.officer_jiashan, need=need))


def test_invite_refusals(cast, need, local):
    services.invite(actor=cast.enterprise_user, need=need, talent=local)
    with pytest.raises(ValidationError, match="already invited"):
        services.invite(actor=cast.officer_jiashan, need=need, talent=local)
    employee = make_talent("福莱员工", COATING)
    AffiliationFactory(talent=employee, organisation=cast.orgs["fulai"])
    with pytest.raises(ValidationError, match="conflict of interest"):
        services.invite(actor=cast.officer_jiashan, need=need, talent=employee)
    far = make_talent("远方专家", COATING, region="110105")
    with pytest.raises(ValidationError, match="outside"):
        services.invite(actor=cast.officer_jiashan, need=need, talent=far)
    other = make_talent("旁人", COATING)
    with pytest.raises(PermissionDenied):
        services.invite(actor=cast.institution_user, need=need, talent=other)
    submitted = need_in_state(cast, "submitted")
    with pytest.raises(ValidationError, match="open for proposals"):
        services.invite(actor=cast.officer_jiashan, need=submitted, talent=other)
    assert Invitation.objects.count() == 1


def test_invite_refuses_a_talent_already_proposing(cast, need, local):
    propose(cast, need, lead=local)
    with pytest.raises(ValidationError, match="already on a proposal"):
        services.invite(actor=cast.officer_jiashan, need=need, talent=local)


def test_the_talent_declines_and_the_inviter_hears(cast, need, local):
    invitation = services.invite(actor=cast.officer_jiashan, need=need, talent=local)
    with pytest.raises(PermissionDenied):
        services.invitation_decline(actor=cast.talent_user, invitation=invitation)
    services.invitation_decline(actor=local.user, invitation=invitation, note="档期已满")
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert Notification.objects.filter(
        recipient=cast.officer_jiashan, kind="matching.declined"
    ).exists()
    with pytest.raises(ValidationError):
        services.invitation_decline(actor=local.user, invitation=invitation)


def test_an_invitation_answered_by_a_proposal_reads_proposed(cast, need, local):
    services.invite(actor=cast.officer_jiashan, need=need, talent=local)
    (row,) = selectors.invitations_for_need(user=cast.officer_jiashan, need=need)
    assert selectors.effective_status(row) == InvitationStatus.INVITED
    propose(cast, need, lead=local)
    (row,) = selectors.invitations_for_need(user=cast.officer_jiashan, need=need)
    assert selectors.effective_status(row) == InvitationStatus.PROPOSED
    (mine,) = selectors.invitations_for_talent(user=local.user)
    assert mine.need == need
    with pytest.raises(PermissionDenied):
        selectors.invitations_for_need(user=cast.institution_user, need=need)


# Needs for a talent, codes, allocation ----------------------------------------------------


def test_needs_that_match_my_profile(cast, need, local):
    unrelated = need_in_state(
        cast, "published", title="污水处理厂除臭", summary="污水处理厂臭气治理，需要环保工程专家。"
    )
    need_services.need_update(
        **SYSTEM, need=unrelated, data={"solver_brief": "恶臭气体收集与生物滤池。"}
    )
    found = [m.need for m in selectors.needs_for_talent(user=local.user)]
    assert need in found and unrelated not in found
    # 谭刚 serves 福莱: its needs are not offered to him.
    assert selectors.needs_for_talent(user=cast.talent_user) == []
    assert selectors.needs_for_talent(user=cast.officer_jiashan) == []


def test_suggested_codes_are_reference_records(db):
    suggestions = selectors.suggest_codes("铝合金压铸件 模具 压铸工艺 气孔缺陷")
    assert suggestions.industries and all(isinstance(i, Industry) for i in suggestions.industries)
    assert all(isinstance(d, Discipline) for d in suggestions.disciplines)
    assert selectors.suggest_codes("   ") == selectors.CodeSuggestions((), ())


def test_allocation_spreads_a_star_by_capacity(cast, local):
    """Two needs, one star expert who takes one engagement: the star goes to one need and the
    next best expert to the other — with the default capacity the star would take both."""
    first = need_in_state(cast, "published")
    second = need_in_state(cast, "published")
    star = make_talent("明星专家", COATING + "；涂布头流场；BOPP")

    def assigned() -> list[tuple[int, int]]:
        proposal = selectors.allocation_for(user=cast.officer_jiashan)
        return sorted((a.need.pk, a.talent.pk) for a in proposal.assignments)

    assert assigned() == [(first.pk, star.pk), (second.pk, star.pk)]
    services.capacity_set(actor=cast.admin, talent=star, max_concurrent=1)
    pairs = assigned()
    assert [t for _n, t in pairs].count(star.pk) == 1
    assert sorted(t for _n, t in pairs) == sorted([star.pk, local.pk])
    assert {n for n, _t in pairs} == {first.pk, second.pk}


def test_allocation_is_for_talent_offices(cast, need, local):
    with pytest.raises(PermissionDenied):
        selectors.allocation_for(user=cast.enterprise_user)
    assert selectors.allocation_for(user=cast.officer_qingtian).assignments == ()


def test_declared_interests_are_for_the_talent_and_their_office(cast, local, need):
    declaration = services.interest_declare(
        actor=local.user, talent=local, organisation=cast.orgs["fulai"], kind="family"
    )
    assert local.pk not in ids(selectors.recommend_for_need(user=cast.officer_jiashan, need=need))
    with pytest.raises(ValidationError):
        services.interest_declare(
            actor=local.user, talent=local, organisation=cast.orgs["fulai"], kind="owner"
        )
    assert list(selectors.declarations_for_talent(user=cast.officer_jiashan, talent=local)) == [
        declaration
    ]
    with pytest.raises(PermissionDenied):
        selectors.declarations_for_talent(user=cast.enterprise_user, talent=local)
    with pytest.raises(PermissionDenied):
        services.interest_declare(
            actor=cast.enterprise_user, talent=local, organisation=cast.orgs["zju"], kind="owner"
        )
    services.interest_withdraw(actor=local.user, declaration=declaration)
    assert AuditEvent.objects.filter(action="interest.withdraw").exists()
    assert local.pk in ids(selectors.recommend_for_need(user=cast.officer_jiashan, need=need))
    assert selectors.capacity_of(local) == 3
