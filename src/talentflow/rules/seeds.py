"""The seed's policies with their own numbers (DOMAIN.md M1, M3; issue 5).

- 研究生实践基地 育才补贴: 30,000 yuan once per enterprise designated a graduate practice base.
- 科技副总 (may be treated as 英才D类): 40 % of the annual salary the enterprise pays, at most
  200,000 yuan per year.
- 六方联动 priority: mentors (academic and enterprise) and students of a joint-training agreement
  get priority in talent and science-project applications and in title promotion — a flag, not
  money.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from talentflow.rules.policy import FLAG, PolicyVersion, Step

PRACTICE_BASE_SUBSIDY = PolicyVersion(
    policy="practice_base_subsidy",
    version=1,
    effective_from=dt.date(2024, 1, 1),
    params={"amount": Decimal("30000")},
    facts=("designated_practice_base", "subsidy_received"),
    eligibility="designated_practice_base and not subsidy_received",
    steps=(Step("subsidy", "amount", "育才补贴 {subsidy} (once per practice base)"),),
)

VICE_PRESIDENT_SUBSIDY = PolicyVersion(
    policy="vice_president_subsidy",
    version=1,
    effective_from=dt.date(2024, 1, 1),
    params={"rate": Decimal("0.40"), "cap": Decimal("200000")},
    facts=("appointed", "annual_salary"),
    eligibility="appointed",
    steps=(
        Step("base", "annual_salary * rate", "{annual_salary} × {rate} = {base}"),
        Step("subsidy", "base < cap ? base : cap", "at most {cap}: {subsidy}"),
    ),
)

JOINT_TRAINING_PRIORITY = PolicyVersion(
    policy="joint_training_priority",
    version=1,
    effective_from=dt.date(2024, 1, 1),
    params={},
    facts=("in_joint_training", "joint_training_role"),
    eligibility=(
        "in_joint_training and (joint_training_role == 'academic_mentor' or "
        "joint_training_role == 'enterprise_mentor' or joint_training_role == 'student')"
    ),
    steps=(
        Step(
            "priority",
            "true",
            "{joint_training_role}: priority in talent and science-project applications and "
            "title promotion",
        ),
    ),
    kind=FLAG,
)

SEED_POLICIES = {
    PRACTICE_BASE_SUBSIDY.policy: (PRACTICE_BASE_SUBSIDY,),
    VICE_PRESIDENT_SUBSIDY.policy: (VICE_PRESIDENT_SUBSIDY,),
    JOINT_TRAINING_PRIORITY.policy: (JOINT_TRAINING_PRIORITY,),
}
