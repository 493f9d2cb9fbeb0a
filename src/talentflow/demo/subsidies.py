"""Demo records: 嘉善's policies, their 2026 budgets, subsidy applications, payouts and the
joint-training priority flags (issue 5; DOMAIN.md M1, M3).

Everything goes through ``rules.services`` as the system task "demo", so every amount is
computed by the policy engine with its explanation, and every budget figure (committed, paid,
left) is computed from the applications and payouts:

- 育才补贴 (30,000 yuan once per practice base): the 嘉善 enterprises of the article's joint
  training (浙江中扬立库 with 唐宁's students, 浙江万泰钢 with its jointly trained students) are
  paid; 浙江研一特材 and 浙江福莱新材料 are in review; generated 嘉善 enterprises complete the
  picture (one returned for a missing designation document, one draft, one withdrawn by the
  enterprise);
- 科技副总 subsidy (40 % of the annual salary, at most 200,000 yuan): 谭刚 at 福莱 (salary
  500,000 yuan: exactly the cap, 200,000), and the researchers serving 嘉善 enterprises among
  the generated talents — one above the cap (620,000 yuan), the others between 150,000 and
  480,000 yuan, in every review state;
- the priority flag: 唐宁 (academic mentor) and his three students at 中扬立库.

The article gives the policies and the 34 科技副总 of 嘉善, not the individual salaries or
application dates: those are the demo's assumptions (invented, labelled in the facts' note).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from talentflow.core.notifications import notifications_mark_read
from talentflow.demo.context import SYSTEM_LABEL, DemoContext
from talentflow.directory.models import Affiliation, AffiliationKind, OrganisationKind
from talentflow.rules import services
from talentflow.rules.models import Application, Payout, PolicyYear

JIASHAN = "330421"
YEAR = 2026
SYSTEM = {"actor": None, "system_label": SYSTEM_LABEL}
BUDGETS = {"practice_base_subsidy": Decimal("600000"), "vice_president_subsidy": Decimal("3000000")}
# Review steps to reach each state (services.application_review actions; "pay" a payout).
PATHS = {
    "draft": (),
    "submitted": ("submit",),
    "finance_review": ("submit", "office_approve"),
    "returned": ("submit", "office_return"),
    "approved": ("submit", "office_approve", "finance_approve"),
    "paid": ("submit", "office_approve", "finance_approve", "pay"),
    "withdrawn": ("submit", "withdraw"),
}
WITHDRAWAL_REASON = "企业本年度暂缓申报，撤回；条件具备后重新申报。"
RETURN_REASONS = {
    "practice_base_subsidy": "请补充研究生实践基地认定文件（盖章扫描件）。",
    "vice_president_subsidy": "年薪证明与聘任合同金额不一致，请补充个税完税证明。",
    "joint_training_priority": "请上传六方联动联合培养协议。",
}


def _evidence(name: str) -> SimpleUploadedFile:
    # A small PDF stands for the scanned document an applicant would upload.
    body = f"%PDF-1.4\n% TalentFlow demo evidence: {name}\n%%EOF\n".encode()
    return SimpleUploadedFile(name, body, "application/pdf")


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _advance(application: Application, state: str, day: dt.date) -> Application:
    """Walk the review to ``state``, a few days per step, as the system task."""
    step_day = day
    for step in PATHS[state]:
        if step == "finance_approve" and not application.policy.is_money:
            continue  # a priority flag is final with the talent office's approval
        step_day += dt.timedelta(days=6)
        when = _at(step_day)
        if step == "submit":
            application = services.application_submit(**SYSTEM, application=application, at=when)
        elif step == "withdraw":
            application = services.application_withdraw(
                **SYSTEM, application=application, reason=WITHDRAWAL_REASON, at=when
            )
        elif step == "pay":
            services.payout_record(
                **SYSTEM,
                application=application,
                paid_on=step_day,
                reference=f"JSCZ-{YEAR}-{application.pk:04d}",
                at=when,
            )
        else:
            application = services.application_review(
                **SYSTEM,
                application=application,
                action=step,
                reason=RETURN_REASONS[application.policy.code] if "return" in step else "",
                at=when,
            )
    return application


def _practice_bases(ctx: DemoContext, policy, rng: random.Random) -> int:
    named = [
        ("zhongyang", "paid", dt.date(2026, 1, 12)),
        ("wantai", "paid", dt.date(2026, 1, 20)),
        ("yanyi", "submitted", dt.date(2026, 9, 8)),
        ("fulai", "finance_review", dt.date(2026, 8, 18)),
    ]
    generated = [
        e.org
        for e in ctx.extra.get("enterprises", [])
        if e.region == JIASHAN and e.org.kind == OrganisationKind.ENTERPRISE
    ]
    rng.shuffle(generated)
    plan = [(ctx.orgs[key], state, day) for key, state, day in named if key in ctx.orgs]
    extra_states = ("paid", "approved", "approved", "returned", "draft", "withdrawn")
    for org, state in zip(generated, extra_states, strict=False):
        plan.append((org, state, dt.date(2026, rng.randint(2, 9), rng.randint(1, 28))))
    for org, state, day in plan:
        application = services.application_create(
            **SYSTEM,
            policy=policy,
            organisation=org,
            facts={"designated_practice_base": True},
            applied_on=day,
            uploads=[_evidence("研究生实践基地认定文件.pdf")],
            at=_at(day),
        )
        _advance(application, state, day)
    return len(plan)


def _vice_presidents(ctx: DemoContext, policy, rng: random.Random) -> int:
    """谭刚 at 福莱, then researchers serving 嘉善 enterprises (the 科技副总 of the demo)."""
    people: list[tuple[object, object, Decimal, str]] = []
    if "tangang" in ctx.talents and "fulai" in ctx.orgs:
        # Exactly the cap: 500,000 × 40 % = 200,000.
        people.append((ctx.talents["tangang"], ctx.orgs["fulai"], Decimal("500000"), "paid"))
    serving = (
        Affiliation.objects.filter(
            kind=AffiliationKind.SERVING,
            end_date__isnull=True,
            organisation__region_id=JIASHAN,
            organisation__kind=OrganisationKind.ENTERPRISE,
        )
        .exclude(talent__in=[p[0] for p in people])
        .select_related("talent", "organisation")
        .order_by("talent_id", "organisation_id")
    )
    seen: set[int] = set()
    candidates = []
    for affiliation in serving:
        if affiliation.talent_id in seen:
            continue
        seen.add(affiliation.talent_id)
        candidates.append(affiliation)
    # The article counts 34 科技副总 in 嘉善; the demo files applications for up to 15 of them.
    candidates = candidates[: ctx.scaled(15, minimum=3)]
    states = ("paid", "approved", "finance_review", "submitted", "returned", "draft")
    for i, affiliation in enumerate(candidates):
        salary = (
            Decimal("620000")  # above the cap: 248,000 is capped at 200,000
            if i == 0
            else Decimal(rng.randrange(150_000, 480_001, 6_000))
        )
        people.append(
            (affiliation.talent, affiliation.organisation, salary, states[i % len(states)])
        )
    for n, (talent, org, salary, state) in enumerate(people):
        day = dt.date(2026, 1 + n % 9, 5 + (n * 3) % 20)
        application = services.application_create(
            **SYSTEM,
            policy=policy,
            organisation=org,
            talent=talent,
            facts={"appointed": True, "annual_salary": str(salary)},
            applied_on=day,
            uploads=[_evidence("科技副总聘任合同.pdf"), _evidence("年薪发放证明.pdf")],
            at=_at(day),
        )
        _advance(application, state, day)
    return len(people)


def _priority(ctx: DemoContext, policy) -> int:
    plan = [
        ("tangning", "academic_mentor", "approved"),
        ("tangning_student_1", "student", "approved"),
        ("tangning_student_2", "student", "submitted"),
        ("tangning_student_3", "student", "returned"),
    ]
    count = 0
    for key, role, state in plan:
        talent = ctx.talents.get(key)
        if talent is None:
            continue
        day = dt.date(2026, 4, 10 + count)
        application = services.application_create(
            **SYSTEM,
            policy=policy,
            applicant_talent=talent,
            facts={"in_joint_training": True, "joint_training_role": role},
            applied_on=day,
            uploads=[_evidence("六方联动联合培养协议.pdf")],
            at=_at(day),
        )
        _advance(application, state, day)
        count += 1
    return count


def subsidies_create(ctx: DemoContext) -> int:
    """The demo step: 嘉善's policies with 2026 budgets, applications in every state."""
    rng = random.Random(f"{ctx.seed}-subsidies")
    before = Application.objects.count() + Payout.objects.count() + PolicyYear.objects.count()
    policies = services.seed_policies_create(region=ctx.region(JIASHAN), system_label=SYSTEM_LABEL)
    for code, budget in BUDGETS.items():
        services.policy_year_set(**SYSTEM, policy=policies[code], year=YEAR, budget=budget)
    _practice_bases(ctx, policies["practice_base_subsidy"], rng)
    _vice_presidents(ctx, policies["vice_president_subsidy"], rng)
    _priority(ctx, policies["joint_training_priority"])
    # The replay notified the demo users of a year of history at once: it starts read.
    for user in ctx.users.values():
        notifications_mark_read(user=user)
    after = Application.objects.count() + Payout.objects.count() + PolicyYear.objects.count()
    return after - before + len(policies)
