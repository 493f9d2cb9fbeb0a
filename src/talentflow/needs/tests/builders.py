"""Build needs at any point of the lifecycle through the real services (as a system task).

``need_in_state(cast, "verifying")`` returns a need of 福莱 (嘉善) that went through every step
before that state: submitted, framed with two acceptance criteria, published, answered by a
proposal of 杭电嘉善研究院 with 谭刚 as lead expert, selected, and so on.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from talentflow.needs import services
from talentflow.needs.models import Need, Proposal

SYSTEM = {"actor": None, "system_label": "test"}
TODAY = dt.date.today()


def draft_need(cast, **fields) -> Need:
    data = {
        "description": "BOPP 薄膜涂布出现窝点缺陷，良品率低。",
        "current_state": "现有涂布线良品率 92%。",
        "target_indicators": "良品率 ≥ 98%\n窝点缺陷 ≤ 1 个/平方米",
        "budget_min": Decimal("300000"),
        "budget_max": Decimal("800000"),
        "wanted_by": TODAY + dt.timedelta(days=180),
    }
    data.update(fields)
    title = data.pop("title", "BOPP 薄膜涂布窝点缺陷攻关")
    summary = data.pop("summary", "BOPP 薄膜涂布工艺缺陷，需要涂布工艺与材料专家。")
    return services.need_create(
        enterprise=cast.orgs["fulai"], title=title, summary=summary, **SYSTEM, **data
    )


def frame(need: Need) -> Need:
    services.need_update(
        **SYSTEM,
        need=need,
        data={
            "solver_brief": "涂布头流场与浆料流变匹配问题，需要薄膜涂布工艺专家。",
            "industry": "2921",
            "proposals_due": TODAY + dt.timedelta(days=30),
        },
    )
    services.criteria_set(
        **SYSTEM,
        need=need,
        criteria=[
            {"description": "良品率", "comparator": "at_least", "target_value": "98", "unit": "%"},
            {"description": "连续生产 72 小时无窝点", "comparator": "pass_fail"},
        ],
    )
    need.refresh_from_db()
    return need


def propose(cast, need: Need, *, organisation=None, lead=None) -> Proposal:
    return services.proposal_submit(
        **SYSTEM,
        need=need,
        organisation=organisation if organisation is not None else cast.orgs["hdu_jiashan"],
        approach="优化涂布头流场，调整浆料配方与干燥曲线。",
        trl=6,
        cost=Decimal("600000.00"),
        ip_terms="shared",
        members=[(lead or cast.talents["tangang"], "lead"), (cast.talents["student"], "student")],
        milestones=[
            {"title": "中试", "due_date": TODAY + dt.timedelta(days=60), "deliverable": "中试报告"},
            {"title": "量产验证", "due_date": TODAY + dt.timedelta(days=120)},
        ],
    )


ORDER = [
    "draft",
    "submitted",
    "returned",
    "published",
    "engaged",
    "verifying",
    "verified",
    "closed",
]


def need_in_state(cast, state: str, **fields) -> Need:
    """A need brought to ``state`` the way real ones get there (also withdrawn, cancelled)."""
    need = draft_need(cast, **fields)
    if state == "draft":
        return _fresh(need)
    services.need_submit(**SYSTEM, need=need)
    if state == "submitted":
        return _fresh(need)
    if state == "returned":
        return services.need_return(**SYSTEM, need=need, reason="请补充现有工艺参数。")
    if state == "withdrawn":
        return services.need_withdraw(**SYSTEM, need=need, reason="企业已自行解决。")
    frame(need)
    services.need_publish(**SYSTEM, need=need)
    if state == "published":
        return _fresh(need)
    proposal = propose(cast, need)
    services.proposal_select(
        **SYSTEM,
        proposal=proposal,
        contract_amount=Decimal("580000.00"),
        signed_on=TODAY,
    )
    if state == "engaged":
        return _fresh(need)
    if state == "cancelled":
        return services.need_cancel(**SYSTEM, need=need, reason="企业转产，项目终止。")
    services.verification_start(**SYSTEM, need=need)
    if state == "verifying":
        return _fresh(need)
    criteria = list(need.criteria.all())
    services.verification_record(
        **SYSTEM,
        need=need,
        checks=[
            {"criterion": criteria[0], "passed": True, "measured_value": "98.6", "unit": "%"},
            {"criterion": criteria[1], "passed": True},
        ],
    )
    if state == "verified":
        return _fresh(need)
    outcome = services.outcome_record(
        **SYSTEM, need=need, kind="revenue", amount=Decimal("5000000"), qualifier="more_than"
    )
    services.outcome_confirm(**SYSTEM, outcome=outcome)
    services.need_close(**SYSTEM, need=need)
    assert state == "closed", state
    return _fresh(need)


def _fresh(need: Need) -> Need:
    return Need.objects.get(pk=need.pk)
