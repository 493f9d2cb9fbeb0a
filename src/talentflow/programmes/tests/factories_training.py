"""Joint-training records for tests (and the demo), built through the real services as a system
task: needs of 嘉善 enterprises, practice bases in any state, a cohort of 杭电嘉善研究院 with
mentors, topics and students, and six-party agreements."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from talentflow.directory.models import Organisation, TalentProfile
from talentflow.needs import services as need_services
from talentflow.needs.models import Need
from talentflow.programmes import services_training as services
from talentflow.programmes.models import (
    Agreement,
    Cohort,
    CohortMentor,
    CohortStudent,
    CohortTopic,
    PracticeBase,
)
from talentflow.reference.models import Region
from talentflow.tests.factories import OrganisationFactory, TalentFactory

SYSTEM = {"actor": None, "system_label": "test"}
START = dt.date(2026, 9, 1)
END = dt.date(2028, 6, 30)


def region(code: str = "330421") -> Region:
    return Region.objects.get(code=code)


def submitted_need(enterprise: Organisation, title: str = "BOPP 薄膜涂布窝点缺陷攻关") -> Need:
    """A need the enterprise posed and submitted to its talent office."""
    need = need_services.need_create(
        **SYSTEM,
        enterprise=enterprise,
        title=title,
        summary=f"{title}：需要工艺与材料专家。",
        description="现有工艺良品率低，需要联合攻关。",
        target_indicators="良品率 ≥ 98%",
    )
    need_services.need_submit(**SYSTEM, need=need)
    return Need.objects.get(pk=need.pk)


def practice_base(
    enterprise: Organisation, *, state: str = "submitted", institutions=()
) -> PracticeBase:
    base = services.practice_base_apply(
        **SYSTEM,
        enterprise=enterprise,
        description="中试线、涂布实验室；两名高级工程师带教。",
        capacity=4,
        institutions=institutions,
    )
    if state != "submitted":
        action = {"approved": "approve", "rejected": "reject", "withdrawn": "withdraw"}[state]
        base = services.practice_base_transition(
            **SYSTEM, base=base, action=action, reason="材料不全。"
        )
    return base


@dataclass
class CohortSetup:
    cohort: Cohort
    mentors: list[CohortMentor] = field(default_factory=list)
    topics: list[CohortTopic] = field(default_factory=list)
    students: list[CohortStudent] = field(default_factory=list)


def cohort(cast, *, name: str = "2026 级入企联培", institution=None) -> Cohort:
    return services.cohort_create(
        **SYSTEM,
        name=name,
        region=region(),
        institution=institution or cast.orgs["hdu_jiashan"],
        year=2026,
    )


def small_cohort(cast) -> CohortSetup:
    """Two mentors (谭刚 and 导师乙, 2 students each), three topics (福莱 ×2, 中扬 ×1; the 中扬
    topic has an enterprise mentor), four students (研究生甲 is the cast's student)."""
    setup = CohortSetup(cohort(cast))
    c = setup.cohort
    mentor_b = TalentFactory(name="导师乙")
    setup.mentors = [
        services.cohort_mentor_set(**SYSTEM, cohort=c, mentor=m, capacity=2)
        for m in (cast.talents["tangang"], mentor_b)
    ]
    engineer = TalentFactory(name="工程师丙")
    fulai, zhongyang = cast.orgs["fulai"], cast.orgs["zhongyang"]
    setup.topics = [
        services.cohort_topic_add(
            **SYSTEM,
            cohort=c,
            need=submitted_need(fulai),
            title="涂布缺陷在线检测",
            mentor=setup.mentors[0],
            capacity=2,
            enterprise_mentor=engineer,
        ),
        services.cohort_topic_add(
            **SYSTEM,
            cohort=c,
            need=submitted_need(fulai, "功能膜配方优化"),
            title="功能膜配方优化",
            mentor=setup.mentors[1],
            capacity=1,
        ),
        services.cohort_topic_add(
            **SYSTEM,
            cohort=c,
            need=submitted_need(zhongyang, "立库调度算法"),
            title="立库调度算法",
            mentor=setup.mentors[1],
            capacity=2,
            enterprise_mentor=TalentFactory(name="唐宁"),
        ),
    ]
    people = [cast.talents["student"], *(TalentFactory(name=f"研究生{n}") for n in "乙丙丁")]
    t0, t1, t2 = (t.pk for t in setup.topics)
    prefs = [[t0, t2], [t0, t1], [t0, t1, t2], [t2, t1]]
    setup.students = [
        services.cohort_student_set(**SYSTEM, cohort=c, student=p, preferences=pr)
        for p, pr in zip(people, prefs, strict=True)
    ]
    ids = [s.pk for s in setup.students]
    services.cohort_mentor_set(
        **SYSTEM, cohort=c, mentor=setup.mentors[0].mentor, capacity=2, ranking=ids[::-1]
    )
    services.cohort_mentor_set(
        **SYSTEM, cohort=c, mentor=setup.mentors[1].mentor, capacity=2, ranking=ids
    )
    for m in setup.mentors:
        m.refresh_from_db()
    return setup


def agreement(
    cast,
    *,
    students: list[TalentProfile] | None = None,
    enterprise_mentor: TalentProfile | None = None,
    need: Need | None = None,
    signed: bool = False,
    start: dt.date = START,
    end: dt.date = END,
) -> Agreement:
    """A direct agreement of 嘉善: 杭电嘉善研究院, 福莱, 谭刚 as academic mentor."""
    record = services.agreement_create(
        **SYSTEM,
        region=region(),
        institution=cast.orgs["hdu_jiashan"],
        enterprise=cast.orgs["fulai"],
        academic_mentor=cast.talents["tangang"],
        enterprise_mentor=enterprise_mentor,
        need=need or submitted_need(cast.orgs["fulai"]),
        topic="涂布缺陷在线检测",
        students=students if students is not None else [cast.talents["student"]],
        start_date=start,
        end_date=end,
    )
    if signed:
        if record.enterprise_mentor_id is None:
            services.agreement_mentor_set(
                **SYSTEM, agreement=record, enterprise_mentor=TalentFactory(name="工程师戊")
            )
        record = services.agreement_transition(**SYSTEM, agreement=record, action="sign")
    return record


def enterprise(name: str, code: str = "330421") -> Organisation:
    return OrganisationFactory(name=name, region=region(code))
