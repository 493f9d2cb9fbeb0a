"""The seed's policies with their own numbers (DOMAIN.md M1, M3; issue 5).

- 研究生实践基地 育才补贴: 30,000 yuan once per enterprise designated a graduate practice base.
- 科技副总 (may be treated as 英才D类): 40 % of the annual salary the enterprise pays, at most
  200,000 yuan per year.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from talentflow.rules.policy import PolicyVersion, Step

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

SEED_POLICIES = {
    PRACTICE_BASE_SUBSIDY.policy: (PRACTICE_BASE_SUBSIDY,),
    VICE_PRESIDENT_SUBSIDY.policy: (VICE_PRESIDENT_SUBSIDY,),
}
