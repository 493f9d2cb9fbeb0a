"""The fixed cast of named users and records shared by the tests (see the root conftest.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from talentflow.tests.factories import (
    AffiliationFactory,
    MembershipFactory,
    OrganisationFactory,
    TalentFactory,
    UserFactory,
)


@dataclass
class Cast:
    admin: object
    officer_jiashan: object
    officer_qingpu: object
    officer_qingtian: object
    officer_lishui: object
    enterprise_user: object
    enterprise_qingtian: object
    institution_user: object
    talent_user: object
    student_user: object
    provider_qingpu: object
    association_user: object
    finance_jiashan: object
    orgs: dict
    talents: dict

    @classmethod
    def role_names(cls) -> tuple[str, ...]:
        return tuple(name for name in cls.__dataclass_fields__ if name not in {"orgs", "talents"})

    def users(self) -> dict[str, object]:
        return {
            name: getattr(self, name)
            for name in self.__dataclass_fields__
            if name not in {"orgs", "talents"}
        }


def build_cast() -> Cast:
    from talentflow.reference.models import Region

    def region(code: str) -> Region:
        return Region.objects.get(code=code)

    orgs = {
        "fulai": OrganisationFactory(name="浙江福莱新材料股份有限公司", region=region("330421")),
        "zhongyang": OrganisationFactory(name="浙江中扬立库技术有限公司", region=region("330421")),
        "xiafeng": OrganisationFactory(name="浙江侠峰精密压铸有限公司", region=region("331121")),
        "hdu_jiashan": OrganisationFactory(
            name="杭州电子科技大学嘉善研究院", kind="research_institute", region=region("330421")
        ),
        "zju": OrganisationFactory(name="浙江大学", kind="university", region=region("330106")),
        "qingpu_apartment": OrganisationFactory(
            name="青浦人才公寓服务中心", kind="service_provider", region=region("310118")
        ),
        "mould_association": OrganisationFactory(
            name="黄岩区模具行业协会", kind="association", region=region("331003")
        ),
    }

    def user(username: str, display: str, **membership):
        u = UserFactory(username=username, display_name=display)
        if membership:
            MembershipFactory(user=u, **membership)
        return u

    admin = user("admin", "平台管理员", role="platform_admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()

    talent_user = user("tangang", "谭刚", role="talent")
    tangang = TalentFactory(
        name="谭刚",
        home_region=region("330106"),
        user=talent_user,
        expertise="薄膜涂布；功能膜材料；BOPP",
    )
    AffiliationFactory(talent=tangang, organisation=orgs["zju"], position="求是讲席教授")
    AffiliationFactory(
        talent=tangang,
        organisation=orgs["fulai"],
        kind="serving",
        position="科技副总",
        start_date=dt.date(2024, 3, 1),
    )
    student_user = user("student", "研究生甲")
    student = TalentFactory(name="研究生甲", home_region=region("330106"), user=student_user)
    MembershipFactory(user=student_user, role="student")
    AffiliationFactory(talent=student, organisation=orgs["zju"], kind="studying")
    AffiliationFactory(talent=student, organisation=orgs["zhongyang"], kind="seconded")

    return Cast(
        admin=admin,
        officer_jiashan=user(
            "officer_jiashan", "嘉善人才办", role="officer", region=region("330421")
        ),
        officer_qingpu=user(
            "officer_qingpu", "青浦人才办", role="officer", region=region("310118")
        ),
        officer_qingtian=user(
            "officer_qingtian", "青田人才办", role="officer", region=region("331121")
        ),
        officer_lishui=user(
            "officer_lishui", "丽水人才办", role="officer", region=region("331100")
        ),
        enterprise_user=user("fulai", "福莱新材料", role="enterprise", organisation=orgs["fulai"]),
        enterprise_qingtian=user(
            "xiafeng", "侠峰精密压铸", role="enterprise", organisation=orgs["xiafeng"]
        ),
        institution_user=user(
            "hdu_jiashan", "杭电嘉善研究院", role="institution", organisation=orgs["hdu_jiashan"]
        ),
        talent_user=talent_user,
        student_user=student_user,
        provider_qingpu=user(
            "provider_qingpu",
            "青浦人才公寓",
            role="provider",
            organisation=orgs["qingpu_apartment"],
        ),
        association_user=user(
            "mould_association",
            "黄岩模具行业协会",
            role="association",
            organisation=orgs["mould_association"],
        ),
        finance_jiashan=user(
            "finance_jiashan", "嘉善县财政局", role="finance", region=region("330421")
        ),
        orgs=orgs,
        talents={"tangang": tangang, "student": student},
    )


# The cast's user names, for tests parametrised over every role.
CAST_ROLES: tuple[str, ...] = Cast.role_names()
