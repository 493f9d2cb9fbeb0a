"""Records the evaluation tests build on: a 黄岩 talent office, a 黄岩 mould enterprise with
its people, an authorisation, evaluations in any state, a recommendation list."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from talentflow.evaluation import services
from talentflow.evaluation.models import Authorisation, EnterpriseEvaluation
from talentflow.reference.models import Region
from talentflow.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    TalentFactory,
    UserFactory,
)

SYSTEM = {"actor": None, "system_label": "test"}
HUANGYAN = "331003"


def today() -> dt.date:
    return timezone.localdate()


@dataclass
class Huangyan:
    region: Region
    officer: object
    enterprise: object
    enterprise_user: object
    talents: list
    association: object
    association_user: object


def huangyan(cast, n_talents: int = 4) -> Huangyan:
    """黄岩's office, 浙江凯华模具 (test copy) with ``n_talents`` employees, and the cast's
    mould association."""
    region = Region.objects.get(code=HUANGYAN)
    officer = UserFactory(username="officer_huangyan", display_name="黄岩人才办")
    MembershipFactory(user=officer, role="officer", region=region)
    enterprise = OrganisationFactory(name="浙江凯华模具有限公司", region=region)
    enterprise_user = UserFactory(username="kaihua", display_name="凯华模具")
    MembershipFactory(user=enterprise_user, role="enterprise", organisation=enterprise)
    talents = []
    for i in range(n_talents):
        talent = TalentFactory(name=f"凯华员工{i}", home_region=region)
        AffiliationFactory(
            talent=talent,
            organisation=enterprise,
            position="模具组长",
            start_date=dt.date(1997, 1, 1),
        )
        talents.append(talent)
    return Huangyan(
        region=region,
        officer=officer,
        enterprise=enterprise,
        enterprise_user=enterprise_user,
        talents=talents,
        association=cast.orgs["mould_association"],
        association_user=cast.association_user,
    )


def authorise(h: Huangyan, *, quota: int = 2, start=None, end=None, **kw) -> Authorisation:
    start = start or today() - dt.timedelta(days=30)
    end = end or today() + dt.timedelta(days=300)
    return services.authorisation_create(
        actor=h.officer,
        enterprise=h.enterprise,
        scope="模具设计与制造岗位",
        quota=quota,
        period_start=start,
        period_end=end,
        criteria_text="岗位贡献、专利与技术攻关，不唯学历。",
        **kw,
    )


def evaluate(h: Huangyan, authorisation: Authorisation, talent, *, on=None, **kw):
    fields = {
        "evaluated_on": on or today(),
        "role": "模具组长",
        "years_on_job": 29,
        "achievements": "深度参与多项关键专利研发和技术攻关。",
        "proposed_tier": "D",
    }
    fields.update(kw)
    return services.evaluation_create(
        actor=h.enterprise_user, authorisation=authorisation, talent=talent, **fields
    )


def submitted(h: Huangyan, authorisation, talent, **kw) -> EnterpriseEvaluation:
    evaluation = evaluate(h, authorisation, talent, **kw)
    return services.evaluation_submit(actor=h.enterprise_user, evaluation=evaluation)


def recommend(h: Huangyan, talents=None, title="黄岩区首批行业公荐榜单"):
    talents = talents if talents is not None else h.talents[:2]
    return services.recommendation_create(
        actor=h.association_user,
        association=h.association,
        region=h.region,
        title=title,
        entries=[
            {"talent": t, "reason": "模具岗位深耕多年，贡献突出。", "proposed_tier": "D"}
            for t in talents
        ],
    )
