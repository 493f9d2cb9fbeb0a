"""Demo records: appointments and joint training (issue 6; DOMAIN.md M1, M3).

Everything goes through ``programmes.services_appointments`` and ``services_training`` as the
system task "demo", backdated with ``at=``, so every record is validated and audited, and the
platform's pages compute the article's figures (shared/scenario/seed_figures.csv) from them:

- S09–S12, 嘉善: 34 科技副总 and 18 产业教授 appointed (started), 32 technical collaborations
  (engagements linked to their work logs) and 10 joint laboratories — 谭刚 at 浙江福莱新材料,
  杨晓明 (福莱's engineer) as 产业教授 of 浙江大学长三角智慧绿洲创新中心, a researcher
  recommended by 杭州电子科技大学嘉善研究院. 刘兵 is not appointed: the article names neither
  the enterprise he serves nor his field, and the demo invents neither (named.py).
  The 科技副总 whose subsidy the rules step already filed (谭刚 and the researchers serving
  嘉善 enterprises) are appointed at the same host with the same salary, and their appointment
  points to that application: no application is filed here, so the budget figures stay what
  the rules step made them.
- S01–S03, S06: six-party joint training in 嘉善 — 16 academic mentors, 32 graduate students,
  16 enterprises in signed or completed agreements; 唐宁 and his 3 students at 浙江中扬立库;
  浙江万泰钢's 2 students graduated and stayed in 嘉善; one cohort allocated by the platform
  (preferences, a run, an officer's pin, a re-run, the confirmation).
- S24, S25, 青田: 白景元 as 合伙人 at 浙江侠峰精密压铸 from July 2025, 1 provincial 科技副总,
  3 产业教授. 黄岩: 李克杰 (台州职业技术学院) at 浙江赛豪实业 under 互聘共享.

What the article does not give — salaries other than the filed ones, terms, dates, who the
other appointees and students are — is the demo's assumption,
said so on the records (``ASSUMED``); generated people and enterprises are labelled generated.
At a small ``scale`` the figures still hold: missing generated people and enterprises are added
(labelled, audited) the way the evaluations step tops up its own.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db.models import Q

from talentflow.core.audit import audit_record, snapshot
from talentflow.core.models import DataSource
from talentflow.core.notifications import notifications_mark_read
from talentflow.demo import bulk
from talentflow.demo.context import SYSTEM_LABEL, DemoContext
from talentflow.demo.generated import (
    ORG_NOTE,
    TALENT_NOTE,
    GeneratedEnterprise,
    _company_name,
    person_name,
)
from talentflow.demo.needs import GENERATED_NOTE, PRODUCTS, TEMPLATES, Story
from talentflow.demo.vocabulary import PROFILES, REGION_PLANS, TOWNS, UNIVERSITY_PROFILES
from talentflow.directory import services as directory_services
from talentflow.directory.models import (
    INSTITUTION_KINDS,
    Affiliation,
    AffiliationKind,
    Education,
    Gender,
    Organisation,
    OrganisationKind,
    TalentProfile,
)
from talentflow.needs.models import Engagement, Need, NeedState, Outcome
from talentflow.programmes import services_appointments as appointments
from talentflow.programmes import services_training as training
from talentflow.programmes.models import (
    STARTED_STATES,
    Agreement,
    Appointment,
    AppointmentKind,
    AppointmentLevel,
    AppointmentStatus,
    CohortStudent,
    PracticeBase,
    WorkLog,
)
from talentflow.rules.models import Application

JIASHAN, QINGTIAN, HUANGYAN, QINGPU = "330421", "331121", "331003", "310118"
SHANGHAI = ZoneInfo("Asia/Shanghai")
SYSTEM = {"actor": None, "system_label": SYSTEM_LABEL}
GENERATED = DataSource.GENERATED

# The article's figures (seed_figures.csv).
VICE_PRESIDENTS = 34  # S09
INDUSTRY_PROFESSORS = 18  # S10
COLLABORATIONS = 32  # S11
JOINT_LABS = 10  # S12
MENTORS, STUDENTS, ENTERPRISES = 16, 32, 16  # S01–S03
QINGTIAN_PROFESSORS = 3  # S25

ASSUMED = "（演示设定：聘期、薪酬、日期等文章未载。）"
STUDENTS_NOTE = "（演示设定：研究生与导师为生成人物，日期为演示设定。）"
YRD_UNIVERSITIES = ("zju", "fudan", "shu", "hdu")
JIASHAN_INSTITUTES = ("zju_oasis", "fudan_jiashan", "shu_zhejiang", "hdu_jiashan")
ACADEMIC_ORGS = (*YRD_UNIVERSITIES, *JIASHAN_INSTITUTES, "zstu")
VP_DUTIES = (
    "协助企业开展技术攻关和新产品研发，参与企业技术发展规划，每月驻企指导；"
    "推动校企共建研发平台，带研究生入企实践。"
)
PROFESSOR_DUTIES = (
    "为研究生提供技术指导和实验场地，参与专业实践课程教学和学位论文（设计）指导；"
    "把企业的技术问题带进高校。"
)
REVIEW_COMMENTS = {
    "excellent": "驻企时间充足，技术攻关成效明显，企业满意。",
    "good": "按约定驻企服务，完成年度工作目标。",
    "pass": "基本完成工作任务，驻企天数略少，建议加强沟通。",
}


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=SHANGHAI)


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _term_end(start: dt.date, years: int = 3) -> dt.date:
    return _years_later(start, years) - dt.timedelta(days=1)


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


# Generated people and enterprises, topped up when the scale left too few ------------------


@dataclass
class NewPerson:
    org: Organisation
    kind: str  # the affiliation kind
    start: dt.date
    position: str
    profile: str
    education: str
    end: dt.date | None = None
    # A later employment (a graduate's first job): (organisation, start, position).
    then: tuple[Organisation, dt.date, str] | None = None


def people_create(rng: random.Random, plans: Sequence[NewPerson]) -> list[TalentProfile]:
    """Generated talents with their affiliations, through the bulk path (validated, audited)."""
    if not plans:
        return []
    talents = []
    for plan in plans:
        profile = PROFILES[plan.profile]
        gender = Gender.MALE if rng.random() < 0.65 else Gender.FEMALE
        words = rng.sample(profile.expertise, min(3, len(profile.expertise)))
        if plan.kind == AffiliationKind.STUDYING:
            birth = plan.start.year - rng.randint(22, 24)
        else:
            birth = rng.randint(1968, 1990)
        talents.append(
            TalentProfile(
                name=person_name(rng, gender),
                gender=gender,
                birth_year=birth,
                home_region_id=plan.org.region_id,
                education=plan.education,
                expertise="；".join(words),
                biography=f"{plan.org.name}{plan.position}，研究方向：{'、'.join(words)}。"
                + TALENT_NOTE,
                data_source=GENERATED,
            )
        )
    bulk.talents_bulk_create(talents, m2m={}, system_label=SYSTEM_LABEL)
    affiliations = []
    for talent, plan in zip(talents, plans, strict=True):
        affiliations.append(
            Affiliation(
                talent=talent,
                organisation=plan.org,
                kind=plan.kind,
                start_date=plan.start,
                end_date=plan.end,
                position=plan.position,
            )
        )
        if plan.then is not None:
            org, start, position = plan.then
            affiliations.append(
                Affiliation(
                    talent=talent,
                    organisation=org,
                    kind=AffiliationKind.EMPLOYED,
                    start_date=start,
                    position=position,
                )
            )
    bulk.affiliations_bulk_create(affiliations, system_label=SYSTEM_LABEL)
    return talents


def enterprises_in(
    ctx: DemoContext, rng: random.Random, region: str, n: int
) -> list[GeneratedEnterprise]:
    """The generated enterprises of ``region``: at least ``n``, added when the scale left fewer."""
    have = [e for e in ctx.extra.get("enterprises", []) if e.region == region]
    missing = n - len(have)
    if missing <= 0:
        return have
    plan = next(p for p in REGION_PLANS if p.code == region)
    place = ctx.region(region)
    taken = set(Organisation.objects.values_list("name", flat=True))
    added: list[GeneratedEnterprise] = []
    for _ in range(missing):
        keys, weights = zip(*plan.profiles, strict=True)
        profile = PROFILES[rng.choices(keys, weights=weights)[0]]
        name = _company_name(rng, plan, profile, taken)
        organisation = Organisation(
            name=name,
            kind=OrganisationKind.ENTERPRISE,
            region=place,
            uscc=ctx.usccs.allocate(region, name),
            industry_id=rng.choice(profile.industries),
            address=place.full_name.replace(" ", "") + rng.choice(TOWNS[region]),
            description=ORG_NOTE,
            data_source=GENERATED,
        )
        added.append(GeneratedEnterprise(org=organisation, profile=profile, region=region))
    bulk.organisations_bulk_create([e.org for e in added], system_label=SYSTEM_LABEL)
    ctx.extra.setdefault("enterprises", []).extend(added)
    return have + added


def _talents_of(
    organisations: Iterable[Organisation],
    kind: str,
    *,
    since: dt.date,
    taken: set[int],
    generated_only: bool = True,
) -> list[TalentProfile]:
    """Talents with an open tie of ``kind`` to one of ``organisations`` begun by ``since``."""
    qs = Affiliation.objects.filter(
        organisation__in=list(organisations),
        kind=kind,
        end_date__isnull=True,
        start_date__lte=since,
    )
    if generated_only:
        qs = qs.filter(talent__data_source=GENERATED)
    found: dict[int, TalentProfile] = {}
    for affiliation in qs.select_related("talent").order_by("talent_id"):
        if affiliation.talent_id not in taken and affiliation.talent_id not in found:
            found[affiliation.talent_id] = affiliation.talent
    return list(found.values())


def _employer(talent: TalentProfile, on: dt.date) -> Organisation | None:
    employers = appointments.current_employers(talent, on)
    return employers[0] if employers else None


# Appointments -----------------------------------------------------------------------------


def appoint(
    *,
    appointee: TalentProfile,
    host: Organisation,
    kind: str,
    term_start: dt.date,
    term_end: dt.date | None = None,
    duties: str,
    days_per_month: int,
    salary: Decimal | None = None,
    level: str = AppointmentLevel.COUNTY,
    employer: Organisation | None = None,
    request=None,
    note: str = "",
    proposed_on: dt.date | None = None,
) -> Appointment:
    """Propose, accept, consent (when there is an employer to ask) and start, as on the day."""
    proposed = proposed_on or term_start - dt.timedelta(days=24)
    appointment = appointments.appointment_propose(
        **SYSTEM,
        appointee=appointee,
        request=request,
        kind=kind,
        host=host,
        employer=employer,
        level=level,
        proposal_note=note,
        at=_at(proposed, 9),
    )
    appointment = appointments.appointment_transition(
        **SYSTEM,
        appointment=appointment,
        action="accept",
        at=_at(proposed + dt.timedelta(days=4), 15),
    )
    if appointment.status == AppointmentStatus.ACCEPTED:
        appointment = appointments.appointment_transition(
            **SYSTEM,
            appointment=appointment,
            action="consent",
            at=_at(proposed + dt.timedelta(days=10), 11),
        )
    _serving_tie(appointment, term_start)
    return appointments.appointment_start(
        **SYSTEM,
        appointment=appointment,
        term_start=term_start,
        term_end=term_end or _term_end(term_start),
        duties=duties,
        days_per_month=days_per_month,
        annual_salary=salary,
        at=_at(term_start, 10),
    )


def _serving_tie(appointment: Appointment, start: dt.date) -> None:
    """The serving tie the start records on both sides' pages, written through the directory
    services (with its own "affiliation.create" event) unless one is open already; the start
    then reuses it."""
    if (
        Affiliation.objects.filter(
            talent_id=appointment.appointee_id,
            organisation_id=appointment.host_id,
            kind=AffiliationKind.SERVING,
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
        .exists()
    ):
        return
    directory_services.affiliation_create(
        **SYSTEM,
        talent=appointment.appointee,
        organisation=appointment.host,
        kind=AffiliationKind.SERVING,
        start_date=start,
        position=appointments.KIND_POSITIONS[appointment.kind],
        note="聘任起始日期为演示设定。",
    )


def _link_subsidy(appointment: Appointment, application: Application) -> None:
    """Point the appointment to the subsidy application the rules step filed for it."""
    before = snapshot(appointment)
    appointment.subsidy_application = application
    appointment.save(update_fields=["subsidy_application", "updated_at"])
    audit_record(
        **SYSTEM,
        action="appointment.subsidy_apply",
        obj=appointment,
        before=before,
        after=snapshot(appointment),
        region=appointment.region_id,
    )


def log(
    appointment: Appointment, day: dt.date, kind: str, days: str, summary: str, engagement=None
):
    return appointments.worklog_add(
        **SYSTEM,
        appointment=appointment,
        date=day,
        kind=kind,
        days=Decimal(days),
        summary=summary,
        engagement=engagement,
        at=_at(day, 18),
    )


def review(appointment: Appointment, start: dt.date, end: dt.date, rating: str, comments=""):
    return appointments.review_add(
        **SYSTEM,
        appointment=appointment,
        period_start=start,
        period_end=end,
        rating=rating,
        comments=comments or REVIEW_COMMENTS[rating],
        at=_at(end + dt.timedelta(days=10), 16),
    )


def collaborations(region: str) -> set[int]:
    """The engagements counted as the region's collaborations (as ``region_stats`` counts
    them): linked by the work logs of its started appointments, or the host's needs whose
    selected proposal the appointee led, signed during the term."""
    started = list(Appointment.objects.filter(region_id=region, status__in=STARTED_STATES))
    found = set(
        WorkLog.objects.filter(appointment__in=started, engagement__isnull=False).values_list(
            "engagement_id", flat=True
        )
    )
    for a in started:
        if a.term_start is None:
            continue
        found |= set(
            Engagement.objects.filter(
                need__enterprise_id=a.host_id,
                proposal__members__role="lead",
                proposal__members__talent_id=a.appointee_id,
                signed_on__gte=a.term_start,
                signed_on__lte=a.ended_on or a.term_end,
            ).values_list("pk", flat=True)
        )
    return found


def _engagement_of(enterprise: Organisation, title_start: str) -> Engagement | None:
    return (
        Engagement.objects.filter(need__enterprise=enterprise, need__title__startswith=title_start)
        .select_related("need", "proposal")
        .first()
    )


def collaboration_create(
    rng: random.Random,
    appointment: Appointment,
    profile: str,
    start: dt.date,
    today: dt.date,
) -> Engagement:
    """A need of the host solved by its 科技副总, told the way the needs step tells one:
    posed, submitted, framed and published, the appointee's proposal selected."""
    host, lead = appointment.host, appointment.appointee
    template = rng.choice(TEMPLATES[profile])
    product = rng.choice(PRODUCTS[profile])
    story = Story(rng=rng, today=today, start=start, dry=False)
    story.create(
        enterprise=host,
        title=template.title.format(p=product),
        summary=template.summary.format(p=product),
        data_source=GENERATED,
        description=template.description + GENERATED_NOTE,
        current_state=template.current_state,
        target_indicators=template.indicators,
        industry=host.industry_id,
    )
    story.after(2, 5)
    story.submit()
    story.after(4, 10)
    story.publish(
        window=30,
        brief=f"{template.summary.format(p=product)}企业“科技副总”{lead.name}牵头攻关。",
        industry=host.industry_id,
        criteria=template.criteria,
    )
    story.after(3, 12)
    employer = appointment.employer
    cost = Decimal(rng.randrange(150_000, 800_001, 10_000))
    bid = story.propose(
        organisation=employer if employer and employer.kind in INSTITUTION_KINDS else None,
        members=[(lead.pk, "lead")],
        approach=template.approach + "（科技副总牵头；演示数据）",
        cost=cost,
        trl=rng.randint(4, 7),
        ip_terms="shared",
        milestones=[("方案设计与小试", "小试报告", 120), ("中试与量产导入", "量产工艺文件", 300)],
    )
    story.after(6, 14)
    story.select(bid, amount=cost)
    return story.engagement


def _need_for(
    rng: random.Random,
    enterprise: Organisation,
    profile: str | None,
    today: dt.date,
    posed_on: dt.date = dt.date(2025, 5, 6),
) -> Need:
    """A real need of the enterprise for a training topic: one it has, or one it poses."""
    need = (
        Need.objects.filter(enterprise=enterprise)
        .exclude(state__in=[NeedState.DRAFT, NeedState.WITHDRAWN, NeedState.CANCELLED])
        .order_by("id")
        .first()
    )
    if need is not None:
        return need
    key = profile or "new_materials"
    template = rng.choice(TEMPLATES[key])
    product = rng.choice(PRODUCTS[key])
    story = Story(rng=rng, today=today, start=posed_on, dry=False)
    story.create(
        enterprise=enterprise,
        title=template.title.format(p=product),
        summary=template.summary.format(p=product) + "拟作为研究生入企联合培养课题。",
        data_source=GENERATED,
        description=template.description + GENERATED_NOTE,
        current_state=template.current_state,
        target_indicators=template.indicators,
        industry=enterprise.industry_id,
    )
    story.after(2, 6)
    story.submit()
    return story.need


# 嘉善: 科技副总, 产业教授, collaborations, joint laboratories --------------------------------


def _trade_name(name: str) -> str:
    """浙江宝创智能装备有限公司 → 宝创智能装备: the name without its place and company form."""
    for prefix in ("浙江", "嘉善", "嘉兴"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    for suffix in ("股份有限公司", "有限公司"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


class Jiashan:
    """The 嘉善 appointments; ``taken`` holds everyone already used by this step."""

    def __init__(self, ctx: DemoContext, rng: random.Random, today: dt.date) -> None:
        self.ctx, self.rng, self.today = ctx, rng, today
        self.taken: set[int] = {t.pk for t in ctx.talents.values()}
        self.enterprises = enterprises_in(ctx, rng, JIASHAN, 20)
        self.profile_of = {e.org.pk: e.profile.key for e in self.enterprises}
        self.vice_presidents: list[Appointment] = []
        self.professors: list[Appointment] = []

    def _host_for(self, talent_profiles: Sequence[str]) -> Organisation:
        fitting = [e.org for e in self.enterprises if e.profile.key in talent_profiles]
        return self.rng.choice(fitting or [e.org for e in self.enterprises])

    def vice_presidents_create(self) -> None:
        o, t = self.ctx.orgs, self.ctx.talents
        policy_apps = list(
            Application.objects.filter(
                policy__code="vice_president_subsidy",
                policy__region_id=JIASHAN,
                talent__isnull=False,
                applicant_organisation__isnull=False,
            )
            .select_related("talent", "applicant_organisation")
            .order_by("applied_on", "id")
        )
        # 谭刚 at 福莱: the rules step filed his subsidy (salary 500,000 yuan).
        tangang_app = next((a for a in policy_apps if a.talent_id == t["tangang"].pk), None)
        bopp = _engagement_of(o["fulai"], "BOPP")
        request = appointments.request_create(
            **SYSTEM,
            kind=AppointmentKind.VICE_PRESIDENT,
            host=o["fulai"],
            title="BOPP薄膜涂布窝点缺陷攻关“科技副总”",
            description="企业根据自身需求指定领域与目标院校（浙江大学），请政府部门协助联系专家兼任"
            "“科技副总”，解决BOPP薄膜涂布窝点问题。",
            need=bopp.need if bopp else None,
            field="薄膜涂布；功能膜材料",
            industry=o["fulai"].industry,
            target_organisations=[o["zju"]],
            at=_at(dt.date(2024, 2, 1)),
        )
        tangang = appoint(
            appointee=t["tangang"],
            host=o["fulai"],
            kind=AppointmentKind.VICE_PRESIDENT,
            request=request,
            term_start=dt.date(2024, 3, 1),
            duties="带领硕博团队协助企业解决BOPP薄膜涂布窝点问题，指导膜材料技术攻关。",
            days_per_month=4,
            salary=Decimal(tangang_app.facts["annual_salary"]) if tangang_app else None,
            note="企业指定浙江大学，政府部门协助联系。" + ASSUMED,
            proposed_on=dt.date(2024, 2, 5),
        )
        if tangang_app is not None:
            _link_subsidy(tangang, tangang_app)
        self.vice_presidents.append(tangang)
        self.tangang = tangang
        self.tangang_bopp = bopp
        # The researchers whose subsidy the rules step filed: same host, same salary.
        for application in policy_apps:
            if application.talent_id == t["tangang"].pk or application.talent_id in self.taken:
                continue
            serving = (
                Affiliation.objects.filter(
                    talent_id=application.talent_id,
                    organisation_id=application.applicant_organisation_id,
                    kind=AffiliationKind.SERVING,
                )
                .order_by("-start_date")
                .first()
            )
            began = serving.start_date if serving else dt.date(2024, 1, 1)
            start = min(max(_month_start(began), dt.date(2024, 1, 1)), dt.date(2025, 9, 1))
            appointment = appoint(
                appointee=application.talent,
                host=application.applicant_organisation,
                kind=AppointmentKind.VICE_PRESIDENT,
                term_start=start,
                duties=VP_DUTIES,
                days_per_month=self.rng.choice((3, 4, 5, 6)),
                salary=Decimal(application.facts["annual_salary"]),
                note="嘉善县科技副总专家库推荐。" + ASSUMED,
            )
            _link_subsidy(appointment, application)
            self.taken.add(application.talent_id)
            self.vice_presidents.append(appointment)
        # 刘兵 was recommended by 杭州电子科技大学嘉善研究院 in 2024, but the article names
        # neither the enterprise nor his field, and the demo invents neither (named.py; the
        # load test checks he has no enterprise tie): he is not appointed here. The same
        # channel is shown with a generated researcher the institute recommends.
        recommender = o["hdu_jiashan"]
        recommended = _talents_of(
            [recommender, o["hdu"]],
            AffiliationKind.EMPLOYED,
            since=dt.date(2023, 6, 1),
            taken=self.taken,
        ) or self._researchers(1, keys=("hdu_jiashan",))
        host = self._host_for(UNIVERSITY_PROFILES["hdu_jiashan"])
        request = appointments.request_create(
            **SYSTEM,
            kind=AppointmentKind.VICE_PRESIDENT,
            host=host,
            title="电子信息方向“科技副总”",
            description="企业提出需求、指定领域与目标院校，请杭州电子科技大学嘉善研究院推荐专家。"
            "（演示数据）",
            field="电子信息",
            target_organisations=[recommender, o["hdu"]],
            at=_at(dt.date(2024, 3, 18)),
        )
        self.taken.add(recommended[0].pk)
        self.vice_presidents.append(
            appoint(
                appointee=recommended[0],
                host=host,
                kind=AppointmentKind.VICE_PRESIDENT,
                request=request,
                term_start=dt.date(2024, 5, 1),
                duties="打通科研成果从实验室走向生产线的“最后一米”；" + VP_DUTIES,
                days_per_month=4,
                salary=Decimal("300000"),
                note="由杭州电子科技大学嘉善研究院推荐。" + ASSUMED,
                proposed_on=dt.date(2024, 4, 2),
            )
        )
        # The other 科技副总: researchers of the universities and 嘉善's institutes.
        orgs = [o[k] for k in ACADEMIC_ORGS]
        candidates = _talents_of(
            orgs, AffiliationKind.EMPLOYED, since=dt.date(2023, 6, 1), taken=self.taken
        )
        self.rng.shuffle(candidates)
        wanted = VICE_PRESIDENTS - len(self.vice_presidents)
        while wanted > 0:
            if not candidates:
                candidates = self._researchers(wanted + 2)
            talent = candidates.pop()
            self.taken.add(talent.pk)
            employer = _employer(talent, dt.date(2024, 1, 1))
            keys = UNIVERSITY_PROFILES.get(self._key_of(employer), ()) if employer else ()
            start = dt.date(2024, 1, 1) + dt.timedelta(days=self.rng.randint(0, 540))
            try:
                appointment = appoint(
                    appointee=talent,
                    host=self._host_for(keys),
                    kind=AppointmentKind.VICE_PRESIDENT,
                    term_start=_month_start(start),
                    duties=VP_DUTIES,
                    days_per_month=self.rng.choice((2, 3, 4, 5)),
                    salary=Decimal(self.rng.randrange(120_000, 400_001, 6_000)),
                    note="嘉善县科技副总专家库推荐。" + ASSUMED,
                )
            except ValidationError:
                continue  # an ownership conflict or a concurrency limit: the next candidate
            self.vice_presidents.append(appointment)
            wanted -= 1

    def _key_of(self, organisation: Organisation) -> str:
        return next((k for k, v in self.ctx.orgs.items() if v.pk == organisation.pk), "")

    def _researchers(self, n: int, keys: Sequence[str] = JIASHAN_INSTITUTES) -> list[TalentProfile]:
        o = self.ctx.orgs
        plans = []
        for i in range(n):
            key = keys[i % len(keys)]
            plans.append(
                NewPerson(
                    org=o[key],
                    kind=AffiliationKind.EMPLOYED,
                    start=dt.date(2019 + i % 4, 3, 1),
                    position="研究员",
                    profile=UNIVERSITY_PROFILES[key][0],
                    education=Education.DOCTORATE,
                )
            )
        return people_create(self.rng, plans)

    def professors_create(self) -> None:
        o, t = self.ctx.orgs, self.ctx.talents
        institutes = [o[k] for k in JIASHAN_INSTITUTES]
        # 杨晓明, 福莱's engineer, for the students of 浙江大学's centre in 嘉善.
        self.yangxiaoming = appoint(
            appointee=t["yangxiaoming"],
            host=o["zju_oasis"],
            kind=AppointmentKind.INDUSTRY_PROFESSOR,
            term_start=dt.date(2024, 4, 1),
            duties="为研究生提供技术指导和实验场地；把学校的科研成果带到企业，把企业的技术问题"
            "带到高校。",
            days_per_month=2,
            note="企业省级人才，主动担任“产业教授”。" + ASSUMED,
        )
        self.professors.append(self.yangxiaoming)
        engineers = _talents_of(
            [e.org for e in self.enterprises],
            AffiliationKind.EMPLOYED,
            since=dt.date(2022, 1, 1),
            taken=self.taken,
        )
        engineers = [e for e in engineers if e.education not in (Education.SECONDARY, "")]
        self.rng.shuffle(engineers)
        wanted = INDUSTRY_PROFESSORS - len(self.professors)
        while wanted > 0:
            if not engineers:
                engineers = self._engineers(wanted)
            engineer = engineers.pop()
            self.taken.add(engineer.pk)
            start = dt.date(2024, 3, 1) + dt.timedelta(days=self.rng.randint(0, 540))
            try:
                appointment = appoint(
                    appointee=engineer,
                    host=institutes[wanted % len(institutes)],
                    kind=AppointmentKind.INDUSTRY_PROFESSOR,
                    term_start=_month_start(start),
                    duties=PROFESSOR_DUTIES,
                    days_per_month=self.rng.choice((1, 2, 3)),
                    note="企业技术骨干，由研究院聘任。" + ASSUMED,
                )
            except ValidationError:
                continue
            self.professors.append(appointment)
            wanted -= 1

    def _engineers(self, n: int) -> list[TalentProfile]:
        plans = []
        for i in range(n):
            e = self.enterprises[i % len(self.enterprises)]
            plans.append(
                NewPerson(
                    org=e.org,
                    kind=AffiliationKind.EMPLOYED,
                    start=dt.date(2012 + i % 8, 7, 1),
                    position=self.rng.choice(e.profile.engineer_positions),
                    profile=e.profile.key,
                    education=Education.MASTER,
                )
            )
        return people_create(self.rng, plans)

    def collaborations_create(self) -> int:
        """Work logs that link the collaborations, and new ones until there are 32."""
        # 谭刚: the BOPP coating defects of 福莱.
        tg, bopp = self.tangang, self.tangang_bopp
        log(
            tg,
            dt.date(2024, 3, 12),
            "visit",
            "1",
            "首次驻企：走访涂布车间，了解BOPP薄膜涂布窝点缺陷情况。",
        )
        log(
            tg,
            dt.date(2024, 5, 20),
            "problem",
            "3",
            "带领硕博团队分析窝点成因（浆料流变、基膜表面状态、干燥条件），完成小试方案。",
            engagement=bopp,
        )
        log(
            tg,
            dt.date(2024, 9, 10),
            "problem",
            "2",
            "中试与量产导入：优化涂布与干燥工艺参数，窝点缺陷消除。",
            engagement=bopp,
        )
        log(
            tg,
            dt.date(2024, 11, 6),
            "training",
            "1",
            "指导2名研究生开展膜材料技术攻关，组织技术培训。",
        )
        review(
            tg,
            dt.date(2024, 3, 1),
            dt.date(2024, 12, 31),
            "excellent",
            "BOPP薄膜涂布窝点问题得到解决，实现创收超500万元（文章数据）。",
        )
        review(tg, dt.date(2025, 1, 1), dt.date(2025, 12, 31), "excellent")
        yx = self.yangxiaoming
        log(
            yx,
            dt.date(2024, 6, 14),
            "training",
            "1",
            "为浙大研究生提供膜材料实验场地与技术指导。",
            engagement=bopp,
        )
        # The generated 科技副总: a log for any engagement they already lead at their host,
        # then new collaborations until the region counts 32.
        for a in self.vice_presidents[1:]:
            for engagement in Engagement.objects.filter(
                need__enterprise_id=a.host_id,
                proposal__members__role="lead",
                proposal__members__talent_id=a.appointee_id,
            ).order_by("id"):
                day = max(engagement.signed_on, a.term_start) + dt.timedelta(days=12)
                if day <= a.term_end and day < self.today:
                    log(
                        a,
                        day,
                        "problem",
                        "2",
                        f"推进合作项目“{engagement.need.title}”。",
                        engagement=engagement,
                    )
        created = 0
        counted = collaborations(JIASHAN)
        pending = [
            a
            for a in self.vice_presidents[1:]
            if a.host_id in self.profile_of and a.appointee.data_source == GENERATED
        ]
        i = 0
        while len(counted) < COLLABORATIONS and pending:
            a = pending[i % len(pending)]
            i += 1
            start = a.term_start + dt.timedelta(
                days=self.rng.randint(20, 90) + 40 * (i // len(pending))
            )
            engagement = collaboration_create(
                self.rng, a, self.profile_of[a.host_id], start, self.today
            )
            day = engagement.signed_on + dt.timedelta(days=self.rng.randint(7, 20))
            log(
                a,
                day,
                "problem",
                str(self.rng.choice((1, 2, 3))),
                f"驻企牵头攻关“{engagement.need.title}”，完成现场诊断与方案论证。",
                engagement=engagement,
            )
            counted.add(engagement.pk)
            created += 1
        return created

    def reviews_create(self) -> None:
        for a in self.vice_presidents[1:] + self.professors[1:]:
            end = a.term_start + dt.timedelta(days=364)
            if end < self.today:
                review(a, a.term_start, end, self.rng.choice(("excellent", "good", "good", "pass")))

    def joint_labs_create(self) -> int:
        made = 0
        for a in self.vice_presidents[2:]:
            if made >= JOINT_LABS:
                break
            employer = a.employer
            if employer is None or employer.kind not in INSTITUTION_KINDS:
                continue
            if any(lab.institution_id == employer.pk for lab in a.host.joint_labs.all()):
                continue
            short = _trade_name(a.host.name)
            appointments.joint_lab_create(
                **SYSTEM,
                name=f"{short}—{employer.name}联合实验室",
                enterprise=a.host,
                institution=employer,
                established_on=a.term_start + dt.timedelta(days=180),
                appointment=a,
                description=f"由“科技副总”{a.appointee.name}推动共建。（演示数据：实验室为生成。）",
                at=_at(a.term_start + dt.timedelta(days=180)),
            )
            made += 1
        return made

    def other_states_create(self) -> None:
        """An open request with a candidate still to answer, and one who declined."""
        host = self.enterprises[-1].org
        request = appointments.request_create(
            **SYSTEM,
            kind=AppointmentKind.VICE_PRESIDENT,
            host=host,
            title="智能制造方向“科技副总”",
            description="企业拟引进高校专家兼任“科技副总”，协助产线数字化改造。（演示数据）",
            field="智能制造",
            industry=host.industry,
            at=_at(self.today - dt.timedelta(days=40)),
        )
        people = _talents_of(
            [self.ctx.orgs[k] for k in YRD_UNIVERSITIES],
            AffiliationKind.EMPLOYED,
            since=dt.date(2023, 1, 1),
            taken=self.taken,
        )
        if len(people) < 2:
            people += self._researchers(2)
        declined = appointments.appointment_propose(
            **SYSTEM,
            appointee=people[0],
            request=request,
            proposal_note="专业方向匹配。" + ASSUMED,
            at=_at(self.today - dt.timedelta(days=30)),
        )
        appointments.appointment_transition(
            **SYSTEM,
            appointment=declined,
            action="decline",
            reason="本学期教学和科研任务较重，无法保证每月驻企时间，婉拒。（演示数据）",
            at=_at(self.today - dt.timedelta(days=26)),
        )
        appointments.appointment_propose(
            **SYSTEM,
            appointee=people[1],
            request=request,
            proposal_note="经匹配推荐，待本人答复。" + ASSUMED,
            at=_at(self.today - dt.timedelta(days=6)),
        )
        self.taken.update({people[0].pk, people[1].pk})


# 青田 and 黄岩 -----------------------------------------------------------------------------


def qingtian_create(ctx: DemoContext, rng: random.Random, taken: set[int]) -> None:
    o, t = ctx.orgs, ctx.talents
    bai = appoint(
        appointee=t["baijingyuan"],
        host=o["xiafeng"],
        kind=AppointmentKind.PARTNER,
        employer=o["lszy"],
        term_start=dt.date(2025, 7, 1),
        duties="编制在学校、服务在企业：攻关钢材压铸工艺、散热壳体与耐腐蚀等核心技术难题。",
        days_per_month=10,
        note="青田县技能服务团对接，丽水市校院企人才“合伙人”机制。聘期为演示设定。",
        proposed_on=dt.date(2025, 6, 16),
    )
    for n, engagement in enumerate(
        Engagement.objects.filter(need__enterprise=o["xiafeng"])
        .select_related("need")
        .order_by("signed_on", "id")
    ):
        day = max(engagement.signed_on, bai.term_start) + dt.timedelta(days=9 + n)
        log(
            bai,
            day,
            "problem",
            "3",
            f"带领团队攻关“{engagement.need.title}”，驻车间开展工艺试验。",
            engagement=engagement,
        )
    log(
        bai,
        dt.date(2025, 7, 8),
        "visit",
        "1",
        "入职后首次驻企，梳理压铸工艺瓶颈与科研资金使用计划。",
    )
    review(
        bai,
        dt.date(2025, 7, 1),
        dt.date(2025, 12, 31),
        "excellent",
        "团队累计攻克3项核心技术难题（文章数据）。",
    )
    enterprises = enterprises_in(ctx, rng, QINGTIAN, 6)
    # 1 provincial 科技副总: a researcher of 浙江理工大学 (青田) or 北京科技大学 (青田).
    researchers = _talents_of(
        [o["zstu_qingtian"], o["ustb_qingtian"], o["zstu"]],
        AffiliationKind.EMPLOYED,
        since=dt.date(2023, 1, 1),
        taken=taken,
    )
    if not researchers:
        researchers = people_create(
            rng,
            [
                NewPerson(
                    o["zstu_qingtian"],
                    AffiliationKind.EMPLOYED,
                    dt.date(2021, 3, 1),
                    "研究员",
                    "valve",
                    Education.DOCTORATE,
                )
            ],
        )
    for talent in researchers:
        fitting = [e.org for e in enterprises if e.profile.key in ("valve", "casting", "steel")]
        try:
            appoint(
                appointee=talent,
                host=rng.choice(fitting or [e.org for e in enterprises]),
                kind=AppointmentKind.VICE_PRESIDENT,
                level=AppointmentLevel.PROVINCIAL,
                term_start=dt.date(2025, 3, 1),
                duties=VP_DUTIES,
                days_per_month=4,
                salary=Decimal("240000"),
                note="入选省级“科技副总”（文章未写姓名，人物为生成）。" + ASSUMED,
            )
        except ValidationError:
            continue
        taken.add(talent.pk)
        break
    # 3 产业教授: engineers of 青田 enterprises, appointed by the two institutes.
    engineers = _talents_of(
        [e.org for e in enterprises],
        AffiliationKind.EMPLOYED,
        since=dt.date(2022, 1, 1),
        taken=taken,
    )
    if len(engineers) < QINGTIAN_PROFESSORS:
        engineers += people_create(
            rng,
            [
                NewPerson(
                    e.org,
                    AffiliationKind.EMPLOYED,
                    dt.date(2015, 7, 1),
                    "技术部经理",
                    e.profile.key,
                    Education.BACHELOR,
                )
                for e in enterprises[: QINGTIAN_PROFESSORS - len(engineers)]
            ],
        )
    made = 0
    for n, engineer in enumerate(engineers):
        if made == QINGTIAN_PROFESSORS:
            break
        try:
            appoint(
                appointee=engineer,
                # 浙江理工大学青田研究院: 北科大青田新材料研究院's 45 researchers stay 45.
                host=o["zstu_qingtian"],
                kind=AppointmentKind.INDUSTRY_PROFESSOR,
                term_start=dt.date(2025, 4 + n, 1),
                duties="“导师+研究生+企业工程师”混编团队的企业导师：" + PROFESSOR_DUTIES,
                days_per_month=2,
                note="车间里搞科研：企业工程师任“产业教授”。" + ASSUMED,
            )
        except ValidationError:
            continue
        taken.add(engineer.pk)
        made += 1


def huangyan_create(ctx: DemoContext, rng: random.Random, taken: set[int]) -> None:
    o, t = ctx.orgs, ctx.talents
    li = appoint(
        appointee=t["likejie"],
        host=o["saihao"],
        kind=AppointmentKind.MUTUAL_HIRING,
        employer=o["tzvtc"],
        term_start=dt.date(2023, 1, 1),
        term_end=dt.date(2026, 12, 31),
        duties="“互聘共享”：任企业“科技副总”，带领团队攻克模块化水路型芯。",
        days_per_month=6,
        note="黄岩“互聘共享”机制。" + ASSUMED,
        proposed_on=dt.date(2022, 12, 5),
    )
    engagement = Engagement.objects.filter(need__enterprise=o["saihao"]).order_by("id").first()
    if engagement is not None:
        log(
            li,
            engagement.signed_on + dt.timedelta(days=14),
            "problem",
            "3",
            "带领团队攻关模块化水路型芯，完成样件试模。",
            engagement=engagement,
        )
    log(li, dt.date(2023, 3, 15), "visit", "1", "驻企调研模具冷却水路设计与加工现状。")
    review(li, dt.date(2023, 1, 1), dt.date(2023, 12, 31), "good")
    review(
        li, dt.date(2024, 1, 1), dt.date(2024, 12, 31), "excellent", "模块化水路型芯攻关取得突破。"
    )
    # A renewed appointment and a terminated one, with generated teachers of the college.
    enterprises = enterprises_in(ctx, rng, HUANGYAN, 3)
    teachers = _talents_of(
        [o["tzvtc"]], AffiliationKind.EMPLOYED, since=dt.date(2022, 1, 1), taken=taken
    )
    if len(teachers) < 2:
        teachers += people_create(
            rng,
            [
                NewPerson(
                    o["tzvtc"],
                    AffiliationKind.EMPLOYED,
                    dt.date(2014, 9, 1),
                    "教师",
                    "mould",
                    Education.MASTER,
                )
                for _ in range(2 - len(teachers))
            ],
        )
    renewed = appoint(
        appointee=teachers[0],
        host=enterprises[0].org,
        kind=AppointmentKind.VICE_PRESIDENT,
        term_start=dt.date(2023, 3, 1),
        term_end=dt.date(2025, 2, 28),
        duties=VP_DUTIES,
        days_per_month=4,
        salary=Decimal("180000"),
        note=ASSUMED,
    )
    appointments.appointment_renew(
        **SYSTEM,
        appointment=renewed,
        term_end=dt.date(2028, 2, 29),
        annual_salary=Decimal("210000"),
        at=_at(dt.date(2025, 2, 20)),
    )
    ended = appoint(
        appointee=teachers[1],
        host=enterprises[1].org,
        kind=AppointmentKind.VICE_PRESIDENT,
        term_start=dt.date(2024, 9, 1),
        duties=VP_DUTIES,
        days_per_month=3,
        salary=Decimal("150000"),
        note=ASSUMED,
    )
    appointments.appointment_transition(
        **SYSTEM,
        appointment=ended,
        action="terminate",
        reason="企业调整产品方向，研发项目暂停，双方协商提前终止聘任。（演示数据）",
        at=_at(dt.date(2025, 6, 16)),
    )
    taken.update({teachers[0].pk, teachers[1].pk})


# 六方联动 joint training ----------------------------------------------------------------------


def _link_base_subsidy(base: PracticeBase, application: Application | None) -> None:
    if application is None:
        return
    before = snapshot(base)
    base.subsidy_application = application
    base.save(update_fields=["subsidy_application", "updated_at"])
    audit_record(
        **SYSTEM,
        action="practice_base.subsidy_apply",
        obj=base,
        before=before,
        after=snapshot(base),
        region=base.region_id,
    )


def practice_bases_create(ctx: DemoContext, enterprises: Sequence[Organisation]) -> dict:
    """中扬立库 and 万泰钢 approved (their 育才补贴 already paid by the rules step), 福莱
    approved (its application in review), 研一特材 submitted, one rejected, one withdrawn."""
    o = ctx.orgs
    apps = {
        a.applicant_organisation_id: a
        for a in Application.objects.filter(
            policy__code="practice_base_subsidy", policy__region_id=JIASHAN
        ).order_by("id")
    }
    plan = [
        (o["zhongyang"], "approve", dt.date(2023, 11, 20), [o["zju_oasis"]], 4),
        (o["wantai"], "approve", dt.date(2023, 12, 4), [o["shu"]], 4),
        (o["fulai"], "approve", dt.date(2024, 1, 15), [o["zju"]], 3),
        (o["yanyi"], None, dt.date(2026, 8, 20), [o["fudan_jiashan"]], 2),
        (enterprises[0], "reject", dt.date(2025, 3, 10), [o["hdu_jiashan"]], 2),
        (enterprises[1], "withdraw", dt.date(2025, 4, 8), [o["shu_zhejiang"]], 2),
    ]
    reasons = {
        "reject": "实验场地与企业导师配备暂不满足研究生实践基地条件，请完善后重新申请。"
        "（演示数据）",
        "withdraw": "企业厂房搬迁，暂缓申请。（演示数据）",
    }
    bases = {}
    for enterprise, action, applied, institutions, capacity in plan:
        base = training.practice_base_apply(
            **SYSTEM,
            enterprise=enterprise,
            description="提供研发实验室和中试产线，配备企业导师，可接收研究生驻企开展课题研究。"
            "（演示设定：接收人数与日期文章未载。）",
            capacity=capacity,
            institutions=institutions,
            applied_on=applied,
            at=_at(applied),
        )
        if action is not None:
            base = training.practice_base_transition(
                **SYSTEM,
                base=base,
                action=action,
                reason=reasons.get(action, ""),
                at=_at(applied + dt.timedelta(days=16)),
            )
        if action == "approve":
            _link_base_subsidy(base, apps.get(enterprise.pk))
        bases[enterprise.pk] = base
    return bases


def _milestones(agreement: Agreement, today: dt.date) -> None:
    start, end = agreement.start_date, agreement.end_date
    plan = [
        ("开题报告：课题来自企业真实需求", start + dt.timedelta(days=60)),
        ("中期检查：企业导师与高校导师联合考核", start + (end - start) / 2),
        ("实践成果验收与学位论文答辩", end - dt.timedelta(days=20)),
    ]
    for title, due in plan:
        milestone = training.milestone_add(
            **SYSTEM, agreement=agreement, title=title, due=due, at=_at(start, 14)
        )
        if due < today - dt.timedelta(days=3):
            training.milestone_done(
                **SYSTEM,
                milestone=milestone,
                done_on=due - dt.timedelta(days=2),
                note="按期完成。",
                at=_at(due - dt.timedelta(days=2), 16),
            )


def _sign(agreement: Agreement, day: dt.date) -> Agreement:
    return training.agreement_transition(
        **SYSTEM, agreement=agreement, action="sign", at=_at(day, 15)
    )


class Training:
    def __init__(self, ctx: DemoContext, rng: random.Random, today: dt.date, enterprises) -> None:
        self.ctx, self.rng, self.today = ctx, rng, today
        self.region = ctx.region(JIASHAN)
        self.enterprises = enterprises  # generated 嘉善 enterprises
        self.profile_of = {e.org.pk: e.profile.key for e in enterprises}
        self.students_used: set[int] = set()
        self.mentors_used: set[int] = set()
        self.enterprises_used: set[int] = set()
        self.agreements = 0
        self.students = 0

    def _agreement(
        self,
        *,
        institution,
        enterprise,
        mentor,
        enterprise_mentor,
        students,
        start,
        end,
        need=None,
        topic="",
        base=None,
    ) -> Agreement:
        need = need or _need_for(
            self.rng,
            enterprise,
            self.profile_of.get(enterprise.pk),
            self.today,
            posed_on=start - dt.timedelta(days=90),
        )
        agreement = training.agreement_create(
            **SYSTEM,
            region=self.region,
            institution=institution,
            enterprise=enterprise,
            academic_mentor=mentor,
            enterprise_mentor=enterprise_mentor,
            need=need,
            topic=topic or need.title,
            students=students,
            start_date=start,
            end_date=end,
            practice_base=base,
            at=_at(start - dt.timedelta(days=20)),
        )
        agreement = _sign(agreement, start - dt.timedelta(days=5))
        _milestones(agreement, self.today)
        self._used(mentor, enterprise, students)
        return agreement

    def _used(self, mentor, enterprise, students) -> None:
        self.mentors_used.add(mentor.pk)
        self.enterprises_used.add(enterprise.pk)
        self.students_used.update(s.pk for s in students)
        self.agreements += 1
        self.students += len(students)

    def _enterprise_mentor(self, enterprise: Organisation, exclude: set[int]) -> TalentProfile:
        found = _talents_of(
            [enterprise],
            AffiliationKind.EMPLOYED,
            since=dt.date(2024, 1, 1),
            taken=exclude,
            generated_only=False,
        )
        if found:
            return found[0]
        profile = self.profile_of.get(enterprise.pk, "new_materials")
        return people_create(
            self.rng,
            [
                NewPerson(
                    enterprise,
                    AffiliationKind.EMPLOYED,
                    dt.date(2016, 7, 1),
                    "高级工程师（企业导师）",
                    profile,
                    Education.MASTER,
                )
            ],
        )[0]

    def _students(self, university: Organisation, n: int) -> list[TalentProfile]:
        found = [
            s
            for s in _talents_of(
                [university],
                AffiliationKind.STUDYING,
                since=dt.date(2025, 3, 1),
                taken=self.students_used,
            )
            if s.pk not in self.mentors_used
        ]
        if len(found) < n:
            key = next(k for k, v in self.ctx.orgs.items() if v.pk == university.pk)
            found += people_create(
                self.rng,
                [
                    NewPerson(
                        university,
                        AffiliationKind.STUDYING,
                        dt.date(2024, 9, 1),
                        "硕士研究生",
                        UNIVERSITY_PROFILES.get(key, ("new_materials",))[0],
                        Education.BACHELOR,
                    )
                    for _ in range(n - len(found))
                ],
            )
        return found[:n]

    def _mentors(self, n: int, keys: Sequence[str] = YRD_UNIVERSITIES) -> list[TalentProfile]:
        o = self.ctx.orgs
        found = _talents_of(
            [o[k] for k in keys],
            AffiliationKind.EMPLOYED,
            since=dt.date(2023, 1, 1),
            taken=self.mentors_used | self.students_used,
        )
        self.rng.shuffle(found)
        if len(found) < n:
            found += people_create(
                self.rng,
                [
                    NewPerson(
                        o[keys[i % len(keys)]],
                        AffiliationKind.EMPLOYED,
                        dt.date(2015, 9, 1),
                        "教授",
                        UNIVERSITY_PROFILES[keys[i % len(keys)]][0],
                        Education.DOCTORATE,
                    )
                    for i in range(n - len(found))
                ],
            )
        return found[:n]

    def named_create(self, bases: dict) -> None:
        o, t = self.ctx.orgs, self.ctx.talents
        # 唐宁 and his three students at 中扬立库.
        robot = _engagement_of(o["zhongyang"], "基于视觉感知")
        students = [t[f"tangning_student_{i}"] for i in (1, 2, 3)]
        self._agreement(
            institution=o["zju_oasis"],
            enterprise=o["zhongyang"],
            mentor=t["tangning"],
            enterprise_mentor=self._enterprise_mentor(o["zhongyang"], {t["tangning"].pk}),
            students=students,
            start=dt.date(2024, 3, 1),
            end=dt.date(2027, 6, 30),
            need=robot.need if robot else None,
            topic="基于视觉感知的智能物流机器人关键技术",
            base=bases.get(o["zhongyang"].pk),
        )
        # 万泰钢: the mentor and the two students of the rebar engagement; graduated in 2025
        # and stayed in 嘉善 (促成2名研究生毕业留善).
        rebar = _engagement_of(o["wantai"], "稀土耐蚀钢筋")
        members = list(rebar.proposal.members.select_related("talent").order_by("id"))
        mentor = next(m.talent for m in members if m.role == "lead")
        pupils = [m.talent for m in members if m.role == "student"][:2]
        engineer = next(
            (m.talent for m in members if m.role == "engineer"), None
        ) or self._enterprise_mentor(o["wantai"], {mentor.pk})
        institution = _employer(mentor, dt.date(2024, 3, 1)) or o["shu"]
        if institution.kind not in INSTITUTION_KINDS:
            institution = o["shu"]
        outcome = (
            Outcome.objects.filter(need=rebar.need, kind="output_value").first() if rebar else None
        )
        agreement = self._agreement(
            institution=institution,
            enterprise=o["wantai"],
            mentor=mentor,
            enterprise_mentor=engineer,
            students=pupils,
            start=dt.date(2024, 3, 1),
            end=dt.date(2025, 6, 30),
            need=rebar.need,
            topic="钢筋节能降碳技术（稀土耐蚀钢筋、耐海洋腐蚀钢筋）",
            base=bases.get(o["wantai"].pk),
        )
        self._graduate(
            agreement,
            dt.date(2025, 6, 30),
            "以钢筋节能降碳技术为课题完成学位论文，参与稀土耐蚀钢筋与耐海洋腐蚀钢筋开发。",
            outcome,
            stays={s.pk: o["wantai"] for s in pupils},
        )
        # 谭刚's two students at 福莱, with 杨晓明 as their enterprise mentor.
        bopp = _engagement_of(o["fulai"], "BOPP")
        bopp_students = [
            m.talent
            for m in bopp.proposal.members.select_related("talent").order_by("id")
            if m.role == "student"
        ][:2]
        self._agreement(
            institution=o["zju"],
            enterprise=o["fulai"],
            mentor=t["tangang"],
            enterprise_mentor=t["yangxiaoming"],
            students=bopp_students,
            start=dt.date(2024, 9, 1),
            end=dt.date(2027, 6, 30),
            need=bopp.need,
            topic="BOPP薄膜涂布与功能膜材料技术攻关",
            base=bases.get(o["fulai"].pk),
        )

    def _graduate(self, agreement, day, result, outcome, stays: dict) -> None:
        trainees = list(agreement.trainees.select_related("student").order_by("id"))
        for trainee in trainees:
            training.trainee_graduate(
                **SYSTEM,
                trainee=trainee,
                graduated_on=day,
                result_summary=result,
                outcome=outcome,
                at=_at(day, 11),
            )
        for trainee in trainees:
            destination = stays[trainee.student_id]
            if not Affiliation.objects.filter(
                talent_id=trainee.student_id,
                organisation=destination,
                kind=AffiliationKind.EMPLOYED,
            ).exists():
                directory_services.affiliation_create(
                    **SYSTEM,
                    talent=trainee.student,
                    organisation=destination,
                    kind=AffiliationKind.EMPLOYED,
                    start_date=day + dt.timedelta(days=1),
                    position="工程师",
                    note="联合培养毕业后入职。" + STUDENTS_NOTE,
                )
            training.trainee_destination(
                **SYSTEM,
                trainee=trainee,
                destination=destination,
                destination_region=destination.region,
                at=_at(day + dt.timedelta(days=30), 10),
            )
        training.agreement_transition(
            **SYSTEM, agreement=agreement, action="complete", at=_at(day + dt.timedelta(days=2), 10)
        )

    def cohort_create(self) -> None:
        """One allocation round computed by the platform: 3 mentors, 3 topics of 3 enterprises,
        6 students with ranked preferences; a run, an officer's pin, a re-run, confirmed."""
        o = self.ctx.orgs
        university = o["hdu"]
        cohort = training.cohort_create(
            **SYSTEM,
            name="2025级研究生入企联合培养（杭州电子科技大学）",
            region=self.region,
            institution=university,
            year=2025,
            at=_at(dt.date(2025, 6, 10)),
        )
        mentors = self._mentors(3, ("hdu",))
        records = [
            training.cohort_mentor_set(
                **SYSTEM, cohort=cohort, mentor=m, capacity=2, at=_at(dt.date(2025, 6, 12))
            )
            for m in mentors
        ]
        free = [e.org for e in self.enterprises if e.org.pk not in self.enterprises_used]
        topics = []
        for n, (record, enterprise) in enumerate(zip(records, free[:3], strict=True)):
            need = _need_for(self.rng, enterprise, self.profile_of.get(enterprise.pk), self.today)
            topics.append(
                training.cohort_topic_add(
                    **SYSTEM,
                    cohort=cohort,
                    need=need,
                    title=need.title,
                    mentor=record,
                    capacity=2,
                    enterprise_mentor=self._enterprise_mentor(enterprise, {record.mentor_id}),
                    at=_at(dt.date(2025, 6, 16 + n)),
                )
            )
        students = self._students(university, 6)
        placed = []
        for n, student in enumerate(students):
            order = [topics[(n + k) % 3].pk for k in range(3)]
            if n % 2:
                order = [order[0], order[2], order[1]]
            placed.append(
                training.cohort_student_set(
                    **SYSTEM,
                    cohort=cohort,
                    student=student,
                    preferences=order,
                    at=_at(dt.date(2025, 6, 25), 9 + n),
                )
            )
        ids = [p.pk for p in placed]
        for n, m in enumerate(mentors):
            ranking = ids[n:] + ids[:n]
            training.cohort_mentor_set(
                **SYSTEM,
                cohort=cohort,
                mentor=m,
                capacity=2,
                ranking=ranking,
                at=_at(dt.date(2025, 6, 28)),
            )
        training.allocation_run(**SYSTEM, cohort=cohort, at=_at(dt.date(2025, 7, 2)))
        # The office pins the last student to their first choice, and runs again.
        last = CohortStudent.objects.get(pk=ids[-1])
        first_choice = next(t for t in topics if t.pk == last.preferences[0])
        training.placement_set(
            **SYSTEM,
            cohort_student=last,
            topic=first_choice,
            pinned=True,
            at=_at(dt.date(2025, 7, 4)),
        )
        training.allocation_run(**SYSTEM, cohort=cohort, at=_at(dt.date(2025, 7, 4), 15))
        agreements = training.allocation_confirm(
            **SYSTEM,
            cohort=cohort,
            start_date=dt.date(2025, 9, 1),
            end_date=dt.date(2028, 6, 30),
            at=_at(dt.date(2025, 7, 10)),
        )
        for agreement in agreements:
            agreement = _sign(agreement, dt.date(2025, 8, 25))
            _milestones(agreement, self.today)
            trainees = [t.student for t in agreement.trainees.select_related("student")]
            self._used(agreement.academic_mentor, agreement.enterprise, trainees)

    def rest_create(self) -> None:
        """Direct agreements up to 16 mentors, 32 students and 16 enterprises; one of them
        completed with a graduate who stayed and one who left (retention)."""
        o = self.ctx.orgs
        free = [e.org for e in self.enterprises if e.org.pk not in self.enterprises_used]
        left = ENTERPRISES - len(self.enterprises_used)
        mentors = self._mentors(left)
        # The completed one: two graduates of 复旦大学 (2022–2025), one works in 嘉善, one
        # in 青浦.
        qingpu = enterprises_in(self.ctx, self.rng, QINGPU, 1)[0].org
        stayed_at = free[0]
        graduates = people_create(
            self.rng,
            [
                NewPerson(
                    o["fudan"],
                    AffiliationKind.STUDYING,
                    dt.date(2022, 9, 1),
                    "硕士研究生",
                    "electronics",
                    Education.MASTER,
                    end=dt.date(2025, 6, 30),
                    then=(where, dt.date(2025, 7, 15), "研发工程师"),
                )
                for where in (stayed_at, qingpu)
            ],
        )
        agreement = self._agreement(
            institution=o["fudan"],
            enterprise=stayed_at,
            mentor=mentors[0],
            enterprise_mentor=self._enterprise_mentor(stayed_at, {mentors[0].pk}),
            students=graduates,
            start=dt.date(2023, 9, 1),
            end=dt.date(2025, 6, 30),
        )
        self._graduate(
            agreement,
            dt.date(2025, 6, 30),
            "完成企业课题并通过学位论文答辩，实践成果在企业产线应用。（演示数据）",
            None,
            stays={graduates[0].pk: stayed_at, graduates[1].pk: qingpu},
        )
        # The others: two students each, the last ones with what is left.
        universities = [o[k] for k in YRD_UNIVERSITIES]
        remaining_students = STUDENTS - self.students
        for n, enterprise in enumerate(free[1 : 1 + (left - 1)]):
            mentor = mentors[n + 1]
            slots_left = (left - 1) - n
            count = min(2, max(1, remaining_students - (slots_left - 1)))
            if slots_left == 1:
                count = remaining_students
            university = _employer(mentor, dt.date(2025, 9, 1)) or universities[n % 4]
            if university.kind not in INSTITUTION_KINDS:
                university = universities[n % 4]
            students = self._students(university, count)
            self._agreement(
                institution=university,
                enterprise=enterprise,
                mentor=mentor,
                enterprise_mentor=self._enterprise_mentor(enterprise, {mentor.pk}),
                students=students,
                start=dt.date(2025, 9, 1),
                end=dt.date(2028, 6, 30),
            )
            remaining_students -= count


# The step ------------------------------------------------------------------------------------


def programmes_create(ctx: DemoContext) -> int:
    """The demo step: appointments in 嘉善, 青田 and 黄岩, joint training in 嘉善."""
    from talentflow.programmes.models import (
        AllocationRun,
        JointLab,
        Milestone,
        PeriodReview,
        Trainee,
    )

    models = (
        Appointment,
        WorkLog,
        PeriodReview,
        JointLab,
        PracticeBase,
        Agreement,
        Trainee,
        Milestone,
        AllocationRun,
        Engagement,
        Need,
        TalentProfile,
        Affiliation,
        Organisation,
    )
    before = sum(m.objects.count() for m in models)
    rng = random.Random(f"{ctx.seed}-programmes")
    today = dt.date.today()
    jiashan = Jiashan(ctx, rng, today)
    jiashan.vice_presidents_create()
    jiashan.professors_create()
    jiashan.collaborations_create()
    jiashan.reviews_create()
    jiashan.joint_labs_create()
    jiashan.other_states_create()
    qingtian_create(ctx, rng, jiashan.taken)
    huangyan_create(ctx, rng, jiashan.taken)
    bases = practice_bases_create(ctx, [e.org for e in jiashan.enterprises[-2:]])
    trainer = Training(ctx, rng, today, jiashan.enterprises[:-2])
    trainer.named_create(bases)
    trainer.cohort_create()
    trainer.rest_create()
    # The replay notified the demo users of two years of history at once: it starts read.
    for user in ctx.users.values():
        notifications_mark_read(user=user)
    return sum(m.objects.count() for m in models) - before
