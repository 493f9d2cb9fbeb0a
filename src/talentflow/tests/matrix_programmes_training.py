"""Role-matrix rows for the programmes app (training): pages and API.

The records live in 嘉善: 福莱 applies to be a practice base naming 杭电嘉善研究院 as partner;
嘉善's office opens a cohort of 杭电嘉善研究院 with topics from 福莱's and 中扬's needs, 谭刚
as one mentor and 研究生甲 as one student; a direct agreement binds 杭电嘉善研究院, 福莱,
谭刚 (academic mentor) and 研究生甲. So ``admin`` and ``officer_jiashan`` are the office; the
other officers govern other regions (丽水 governs 青田, not 嘉善).
"""

from __future__ import annotations

from django.urls import reverse

from talentflow.tests.cast import Cast
from talentflow.tests.matrix_base import (
    ADMIN_AND_OFFICERS,
    Row,
    api_by_set,
    api_statuses,
    by_set,
    statuses,
)
from talentflow.tests.matrix_needs import _once

OFFICE = {"admin", "officer_jiashan"}
# Who sees 福莱's practice base: the office, 福莱, and the partner institution.
SEE_BASE = {*OFFICE, "enterprise_user", "institution_user"}
# Who sees the cohort: the office, the institution running it, 福莱 (its needs are topics),
# 谭刚 (a mentor) and 研究生甲 (a student).
SEE_COHORT = {*OFFICE, "institution_user", "enterprise_user", "talent_user", "student_user"}
EDIT_COHORT = {*OFFICE, "institution_user"}
# Who sees the agreement: the office and the parties.
SEE_AGREEMENT = {*OFFICE, "institution_user", "enterprise_user", "talent_user", "student_user"}
MANAGE_AGREEMENT = {*OFFICE, "institution_user", "enterprise_user"}  # milestones
TRAIN = {*OFFICE, "institution_user"}  # trainees' graduation, destination, withdrawal
# Those with training lists to export and figures to read: the office, enterprises and
# institutions.
ENTER = {*ADMIN_AND_OFFICERS, "enterprise_user", "enterprise_qingtian", "institution_user"}
SEE_FULAI = {"admin", "officer_jiashan", "enterprise_user", "talent_user"}
FULAI = "浙江福莱新材料股份有限公司"
COHORT_NAME = "2026 级入企联培"
TOPIC = "涂布缺陷在线检测"


def _f():
    from talentflow.programmes.tests import factories_training

    return factories_training


def base(c: Cast) -> int:
    return _once(
        c,
        "training:base",
        lambda: _f().practice_base(c.orgs["fulai"], institutions=[c.orgs["hdu_jiashan"]]),
    ).pk


def setup(c: Cast):
    return _once(c, "training:cohort", lambda: _f().small_cohort(c))


def cohort(c: Cast) -> int:
    return setup(c).cohort.pk


def agreement(c: Cast, signed: bool = False) -> int:
    return _once(c, f"training:agreement:{signed}", lambda: _f().agreement(c, signed=signed)).pk


def trainee(c: Cast) -> int:
    from talentflow.programmes.models import Trainee

    return Trainee.objects.get(agreement_id=agreement(c, signed=True)).pk


def milestone(c: Cast) -> int:
    import datetime as dt

    from talentflow.programmes import services_training
    from talentflow.programmes.models import Agreement

    def build():
        return services_training.milestone_add(
            **_f().SYSTEM,
            agreement=Agreement.objects.get(pk=agreement(c, signed=True)),
            title="开题报告",
            due=dt.date(2026, 12, 1),
        )

    return _once(c, "training:milestone", build).pk


def engineer(c: Cast) -> int:
    from talentflow.tests.factories import AffiliationFactory, TalentFactory

    def build():
        person = TalentFactory(name="工程师戊")
        AffiliationFactory(talent=person, organisation=c.orgs["fulai"])
        return person

    return _once(c, "training:engineer", build).pk


def new_need(c: Cast) -> int:
    return _once(
        c, "training:need", lambda: _f().submitted_need(c.orgs["fulai"], "涂布在线检测二期")
    ).pk


def _import_status() -> int:
    from talentflow.programmes import services_training

    # The preferences import is optional in services_training; without it the page says 404.
    return 302 if hasattr(services_training, "cohort_import") else 404


def _page(name: str, *args) -> str:
    return reverse(f"programmes:{name}", args=list(args))


def _api(name: str, *args) -> str:
    return reverse(f"api:{name}", args=list(args))


def _parties(see: set[str], act: set[str], yes: int, no: int = 403, other: int = 404):
    """Those who do not see the record: ``other``; who see it but may not act: ``no``."""
    return {**by_set(see, no, other), **dict.fromkeys(act, yes)}


def _api_parties(see: set[str], act: set[str], yes: int, no: int = 403, other: int = 404):
    return {**api_by_set(see, no, other), **dict.fromkeys(act, yes)}


TRAINING_ROWS: list[Row] = [
    # Practice bases
    Row(
        "programmes:practice_base_list",
        "get",
        lambda c: base(c) and _page("practice_base_list"),
        statuses(200),
        marker=FULAI,
        marker_roles=SEE_BASE,
    ),
    Row(
        "programmes:practice_base_export",
        "get",
        lambda c: base(c) and reverse("programmes:practice_base_export", kwargs={"fmt": "csv"}),
        by_set(ENTER, 200, 403),
        marker=FULAI,
        marker_roles=SEE_BASE,
    ),
    Row(
        "programmes:practice_base_create",
        "get",
        lambda c: _page("practice_base_create"),
        by_set({*ADMIN_AND_OFFICERS, "enterprise_user", "enterprise_qingtian"}, 200, 403),
    ),
    Row(
        "programmes:practice_base_detail",
        "get",
        lambda c: _page("practice_base_detail", base(c)),
        by_set(SEE_BASE, 200, 404),
    ),
    Row(
        "programmes:practice_base_action",
        "post",
        lambda c: _page("practice_base_action", base(c), "approve"),
        _parties(SEE_BASE, OFFICE, 302),
        body=lambda c: {"reason": ""},
    ),
    Row(
        # A submitted base: 福莱 is sent back with the reason (not approved yet).
        "programmes:practice_base_subsidy",
        "post",
        lambda c: _page("practice_base_subsidy", base(c)),
        _parties(SEE_BASE, {"enterprise_user"}, 302),
    ),
    # Cohorts and the allocation page
    Row(
        "programmes:cohort_list",
        "get",
        lambda c: cohort(c) and _page("cohort_list"),
        statuses(200),
        marker=COHORT_NAME,
        marker_roles=SEE_COHORT,
    ),
    Row(
        "programmes:cohort_create",
        "get",
        lambda c: _page("cohort_create"),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
    ),
    Row(
        "programmes:cohort_detail",
        "get",
        lambda c: _page("cohort_detail", cohort(c)),
        by_set(SEE_COHORT, 200, 404),
    ),
    Row(
        "programmes:cohort_mentor",
        "get",
        lambda c: _page("cohort_mentor", cohort(c)),
        _parties(SEE_COHORT, EDIT_COHORT, 200),
    ),
    Row(
        "programmes:cohort_topic",
        "get",
        lambda c: _page("cohort_topic", cohort(c)),
        _parties(SEE_COHORT, EDIT_COHORT, 200),
    ),
    Row(
        "programmes:cohort_student",
        "get",
        lambda c: _page("cohort_student", cohort(c)),
        _parties(SEE_COHORT, EDIT_COHORT, 200),
    ),
    Row(
        # No file: the editors are sent back with the reason.
        "programmes:cohort_import",
        "post",
        lambda c: _page("cohort_import", cohort(c)),
        _parties(SEE_COHORT, EDIT_COHORT, _import_status()),
    ),
    Row(
        "programmes:cohort_run",
        "post",
        lambda c: _page("cohort_run", cohort(c)),
        _parties(SEE_COHORT, OFFICE, 302),
    ),
    Row(
        "programmes:cohort_placement",
        "post",
        lambda c: _page("cohort_placement", cohort(c), setup(c).students[0].pk),
        _parties(SEE_COHORT, OFFICE, 302),
        body=lambda c: {"topic": setup(c).topics[0].pk, "pinned": "on"},
    ),
    Row(
        # Nobody is placed yet: the office is sent back with the reason.
        "programmes:cohort_confirm",
        "post",
        lambda c: _page("cohort_confirm", cohort(c)),
        _parties(SEE_COHORT, OFFICE, 302),
        body=lambda c: {"start_date": "2026-09-01", "end_date": "2028-06-30"},
    ),
    # Agreements
    Row(
        "programmes:agreement_list",
        "get",
        lambda c: agreement(c) and _page("agreement_list"),
        statuses(200),
        marker=TOPIC,
        marker_roles=SEE_AGREEMENT,
    ),
    Row(
        "programmes:agreement_export",
        "get",
        lambda c: agreement(c) and reverse("programmes:agreement_export", kwargs={"fmt": "csv"}),
        statuses(200),
        marker=TOPIC,
        marker_roles=SEE_AGREEMENT,
    ),
    Row(
        "programmes:agreement_create",
        "get",
        lambda c: _page("agreement_create"),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
    ),
    Row(
        "programmes:agreement_detail",
        "get",
        lambda c: _page("agreement_detail", agreement(c)),
        by_set(SEE_AGREEMENT, 200, 404),
        marker="研究生甲",
        marker_roles=SEE_AGREEMENT,
    ),
    Row(
        # No enterprise mentor yet: the office is sent back with the reason.
        "programmes:agreement_action",
        "post",
        lambda c: _page("agreement_action", agreement(c), "sign"),
        _parties(SEE_AGREEMENT, OFFICE, 302),
    ),
    Row(
        "programmes:agreement_mentor",
        "post",
        lambda c: _page("agreement_mentor", agreement(c)),
        _parties(SEE_AGREEMENT, OFFICE, 302),
        body=lambda c: {"enterprise_mentor": engineer(c)},
    ),
    Row(
        "programmes:agreement_milestone_add",
        "post",
        lambda c: _page("agreement_milestone_add", agreement(c, signed=True)),
        _parties(SEE_AGREEMENT, MANAGE_AGREEMENT, 302),
        body=lambda c: {"title": "中期检查", "due": "2027-06-01"},
    ),
    Row(
        "programmes:agreement_milestone_done",
        "post",
        lambda c: _page("agreement_milestone_done", milestone(c)),
        _parties(SEE_AGREEMENT, MANAGE_AGREEMENT, 302),
        body=lambda c: {"done_on": "2026-11-28"},
    ),
    Row(
        "programmes:agreement_trainee_graduate",
        "post",
        lambda c: _page("agreement_trainee_graduate", trainee(c)),
        _parties(SEE_AGREEMENT, TRAIN, 302),
        body=lambda c: {
            f"t{trainee(c)}-graduated_on": "2028-06-20",
            f"t{trainee(c)}-result_summary": "在线检测系统上线。",
        },
    ),
    Row(
        "programmes:agreement_trainee_destination",
        "post",
        lambda c: _page("agreement_trainee_destination", trainee(c)),
        _parties(SEE_AGREEMENT, TRAIN, 302),
        body=lambda c: {"destination_region": "330421"},
    ),
    Row(
        "programmes:agreement_trainee_withdraw",
        "post",
        lambda c: _page("agreement_trainee_withdraw", trainee(c)),
        _parties(SEE_AGREEMENT, TRAIN, 302),
        body=lambda c: {"reason": "转学。"},
    ),
    Row(
        "programmes:training_stats",
        "get",
        lambda c: _page("training_stats"),
        by_set(ENTER, 200, 403),
    ),
    # API: practice bases
    Row(
        "api:training_practice_base_list",
        "get",
        lambda c: base(c) and _api("training_practice_base_list"),
        api_statuses(200),
        api=True,
        marker=FULAI,
        marker_roles=SEE_BASE,
    ),
    Row(
        # Those who do not see 福莱 cannot name it (422); 谭刚 sees it but files for no one.
        "api:training_practice_base_create",
        "post",
        lambda c: _api("training_practice_base_create"),
        {**api_by_set(SEE_FULAI, 403, 422), **dict.fromkeys([*OFFICE, "enterprise_user"], 201)},
        body=lambda c: {
            "enterprise": c.orgs["fulai"].pk,
            "description": "涂布中试线。",
            "capacity": 2,
        },
        api=True,
    ),
    Row(
        "api:training_practice_base_detail",
        "get",
        lambda c: _api("training_practice_base_detail", base(c)),
        api_by_set(SEE_BASE, 200, 404),
        api=True,
    ),
    Row(
        "api:training_practice_base_action",
        "post",
        lambda c: _api("training_practice_base_action", base(c), "approve"),
        _api_parties(SEE_BASE, OFFICE, 200),
        body=lambda c: {},
        api=True,
    ),
    Row(
        # Not approved yet: 福莱 gets the reason (422).
        "api:training_practice_base_subsidy",
        "post",
        lambda c: _api("training_practice_base_subsidy", base(c)),
        _api_parties(SEE_BASE, {"enterprise_user"}, 422),
        api=True,
    ),
    # API: cohorts
    Row(
        "api:training_cohort_list",
        "get",
        lambda c: cohort(c) and _api("training_cohort_list"),
        api_statuses(200),
        api=True,
        marker=COHORT_NAME,
        marker_roles=SEE_COHORT,
    ),
    Row(
        # Who does not see 杭电嘉善研究院 cannot name it (422); the institution itself may not
        # open a cohort (403).
        "api:training_cohort_create",
        "post",
        lambda c: _api("training_cohort_create"),
        {**api_statuses(422), "institution_user": 403, "admin": 201, "officer_jiashan": 201},
        body=lambda c: {
            "name": "矩阵测试联培",
            "region": "330421",
            "institution": c.orgs["hdu_jiashan"].pk,
            "year": 2026,
        },
        api=True,
    ),
    Row(
        "api:training_cohort_detail",
        "get",
        lambda c: _api("training_cohort_detail", cohort(c)),
        api_by_set(SEE_COHORT, 200, 404),
        api=True,
    ),
    Row(
        "api:training_cohort_mentor_set",
        "post",
        lambda c: _api("training_cohort_mentor_set", cohort(c)),
        _api_parties(SEE_COHORT, EDIT_COHORT, 200),
        body=lambda c: {"mentor": c.talents["tangang"].pk, "capacity": 3},
        api=True,
    ),
    Row(
        "api:training_cohort_topic_add",
        "post",
        lambda c: _api("training_cohort_topic_add", cohort(c)),
        _api_parties(SEE_COHORT, EDIT_COHORT, 200),
        body=lambda c: {
            "need": new_need(c),
            "title": "涂布在线检测二期",
            "mentor": setup(c).mentors[0].pk,
            "capacity": 1,
        },
        api=True,
    ),
    Row(
        "api:training_cohort_student_set",
        "post",
        lambda c: _api("training_cohort_student_set", cohort(c)),
        _api_parties(SEE_COHORT, EDIT_COHORT, 200),
        body=lambda c: {
            "student": c.talents["student"].pk,
            "preferences": [setup(c).topics[1].pk],
        },
        api=True,
    ),
    Row(
        "api:training_cohort_run",
        "post",
        lambda c: _api("training_cohort_run", cohort(c)),
        _api_parties(SEE_COHORT, OFFICE, 200),
        api=True,
    ),
    Row(
        "api:training_cohort_placement",
        "post",
        lambda c: _api("training_cohort_placement", cohort(c)),
        _api_parties(SEE_COHORT, OFFICE, 200),
        body=lambda c: {"student": setup(c).students[0].pk, "topic": setup(c).topics[0].pk},
        api=True,
    ),
    Row(
        # Nobody is placed yet: the office gets the reason (422).
        "api:training_cohort_confirm",
        "post",
        lambda c: _api("training_cohort_confirm", cohort(c)),
        _api_parties(SEE_COHORT, OFFICE, 422),
        body=lambda c: {"start_date": "2026-09-01", "end_date": "2028-06-30"},
        api=True,
    ),
    # API: agreements
    Row(
        "api:training_agreement_list",
        "get",
        lambda c: agreement(c) and _api("training_agreement_list"),
        api_statuses(200),
        api=True,
        marker=TOPIC,
        marker_roles=SEE_AGREEMENT,
    ),
    Row(
        # Only the office may; the others cannot even name the institution or the enterprise.
        "api:training_agreement_create",
        "post",
        lambda c: _api("training_agreement_create"),
        {**api_statuses(422), "admin": 201, "officer_jiashan": 201},
        body=lambda c: {
            "region": "330421",
            "institution": c.orgs["hdu_jiashan"].pk,
            "enterprise": c.orgs["fulai"].pk,
            "academic_mentor": c.talents["tangang"].pk,
            "need": new_need(c),
            "topic": "矩阵测试课题",
            "students": [c.talents["student"].pk],
            "start_date": "2026-09-01",
            "end_date": "2028-06-30",
        },
        api=True,
    ),
    Row(
        "api:training_agreement_detail",
        "get",
        lambda c: _api("training_agreement_detail", agreement(c)),
        api_by_set(SEE_AGREEMENT, 200, 404),
        api=True,
    ),
    Row(
        # No enterprise mentor yet: the office gets the reason (422).
        "api:training_agreement_action",
        "post",
        lambda c: _api("training_agreement_action", agreement(c), "sign"),
        _api_parties(SEE_AGREEMENT, OFFICE, 422),
        body=lambda c: {},
        api=True,
    ),
    Row(
        "api:training_agreement_mentor",
        "post",
        lambda c: _api("training_agreement_mentor", agreement(c)),
        _api_parties(SEE_AGREEMENT, OFFICE, 200),
        body=lambda c: {"enterprise_mentor": engineer(c)},
        api=True,
    ),
    Row(
        "api:training_milestone_add",
        "post",
        lambda c: _api("training_milestone_add", agreement(c, signed=True)),
        _api_parties(SEE_AGREEMENT, MANAGE_AGREEMENT, 201),
        body=lambda c: {"title": "中期检查", "due": "2027-06-01"},
        api=True,
    ),
    Row(
        "api:training_milestone_done",
        "post",
        lambda c: _api("training_milestone_done", milestone(c)),
        _api_parties(SEE_AGREEMENT, MANAGE_AGREEMENT, 200),
        body=lambda c: {"done_on": "2026-11-28"},
        api=True,
    ),
    Row(
        "api:training_trainee_graduate",
        "post",
        lambda c: _api("training_trainee_graduate", trainee(c)),
        _api_parties(SEE_AGREEMENT, TRAIN, 200),
        body=lambda c: {"graduated_on": "2028-06-20", "result_summary": "在线检测系统上线。"},
        api=True,
    ),
    Row(
        # Not graduated yet: the office and the institution get the reason (422).
        "api:training_trainee_destination",
        "post",
        lambda c: _api("training_trainee_destination", trainee(c)),
        _api_parties(SEE_AGREEMENT, TRAIN, 422),
        body=lambda c: {"destination_region": "330421"},
        api=True,
    ),
    Row(
        "api:training_trainee_withdraw",
        "post",
        lambda c: _api("training_trainee_withdraw", trainee(c)),
        _api_parties(SEE_AGREEMENT, TRAIN, 200),
        body=lambda c: {"reason": "转学。"},
        api=True,
    ),
    Row(
        "api:training_stats",
        "get",
        lambda c: _api("training_stats"),
        api_statuses(200),
        api=True,
    ),
]
