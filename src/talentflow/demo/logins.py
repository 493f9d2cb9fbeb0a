"""The demo logins: one account per role, all with the same published password.

These accounts exist only in a demo database. Their password is printed on the console by
``talentflow demo`` and written in this file, so a deployment must never load the demo.
"""

from __future__ import annotations

import sys
import unicodedata
from dataclasses import dataclass
from typing import TextIO

from django.contrib.auth.hashers import make_password
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentflow.accounts import services as account_services
from talentflow.accounts.models import Role
from talentflow.demo.context import SYSTEM_LABEL, DemoContext

# Satisfies every validator in AUTH_PASSWORD_VALIDATORS (length ≥ 10, letters and digits, not
# common, not numeric) — user_create refuses it otherwise.
DEMO_PASSWORD = "Talentflow-2026"


@dataclass(frozen=True)
class LoginSpec:
    username: str
    display_name: str
    role: str
    sees: str | Promise
    region: str | None = None  # officers: the region they act for
    # Finance officers (财政): the region whose finance bureau they act for. Kept apart from
    # ``region``, which is a talent-office region: a finance officer governs none.
    finance_region: str | None = None
    organisation: str | None = None  # organisation roles: key in ctx.orgs
    talent: str | None = None  # talents and students: key in ctx.talents
    is_admin: bool = False


# Display names are invented, except where the login is a person the article names (谭刚) or
# one of 唐宁's students (whose names are invented in named.py).
LOGINS: tuple[LoginSpec, ...] = (
    LoginSpec(
        "admin",
        "王海峰",
        Role.PLATFORM_ADMIN,
        gettext_lazy("Everything, including the audit trail and the back office (/admin/)"),
        is_admin=True,
    ),
    LoginSpec(
        "officer_jiashan",
        "沈佳敏",
        Role.OFFICER,
        gettext_lazy(
            "Jiashan (嘉善县): its talents and organisations, experts serving its enterprises, "
            "the demonstration-zone pool (示范区人才库); search 薄膜涂布 to find 谭刚"
        ),
        region="330421",
    ),
    LoginSpec(
        "officer_qingpu",
        "陆文斌",
        Role.OFFICER,
        gettext_lazy(
            "Qingpu (青浦区): its records and the demonstration-zone pool shared with Jiashan "
            "and Wujiang"
        ),
        region="310118",
    ),
    LoginSpec(
        "officer_wujiang",
        "钱志刚",
        Role.OFFICER,
        gettext_lazy(
            "Wujiang (吴江区): its records and the demonstration-zone pool shared with Jiashan "
            "and Qingpu"
        ),
        region="320509",
    ),
    LoginSpec(
        "officer_qingtian",
        "叶建华",
        Role.OFFICER,
        gettext_lazy(
            "Qingtian (青田县): its records, the skills service team pool and the Lishui 1+9 "
            "pool (丽水“1+9”)"
        ),
        region="331121",
    ),
    LoginSpec(
        "officer_huangyan",
        "林海燕",
        Role.OFFICER,
        gettext_lazy(
            "Huangyan (黄岩区): its records and the 永宁骏才 pool (梁建宇, 蔡文军, 李克杰)"
        ),
        region="331003",
    ),
    LoginSpec(
        "officer_lishui",
        "吴丽华",
        Role.OFFICER,
        gettext_lazy("Lishui city (丽水市) with all nine county-level units, the 1+9 pool"),
        region="331100",
    ),
    LoginSpec(
        "officer_songyang",
        "潘志强",
        Role.OFFICER,
        gettext_lazy(
            "Songyang (松阳县): its records and, through the Lishui 1+9 pool, Qingtian's "
            "experts such as 张光 and 白景元"
        ),
        region="331124",
    ),
    LoginSpec(
        "finance_jiashan",
        "孙丽萍",
        Role.FINANCE,
        gettext_lazy(
            "Finance officer of 嘉善县财政局: reviews 嘉善's subsidy applications after the "
            "talent office, records payouts, sees each year's budget"
        ),
        finance_region="330421",
    ),
    LoginSpec(
        "fulai",
        "朱晓红",
        Role.ENTERPRISE,
        gettext_lazy(
            "Enterprise 浙江福莱新材料 (Jiashan): its own record and its people, e.g. 谭刚 "
            "(科技副总) and 杨晓明"
        ),
        organisation="fulai",
    ),
    LoginSpec(
        "xiafeng",
        "季永平",
        Role.ENTERPRISE,
        gettext_lazy(
            "Enterprise 浙江侠峰精密压铸 (Qingtian): its own record and its people, e.g. 白景元"
        ),
        organisation="xiafeng",
    ),
    LoginSpec(
        "hdu_jiashan",
        "周文博",
        Role.INSTITUTION,
        gettext_lazy(
            "Institution 杭州电子科技大学嘉善研究院: its own record and its people, e.g. 刘兵"
        ),
        organisation="hdu_jiashan",
    ),
    LoginSpec(
        "tangang",
        "谭刚",
        Role.TALENT,
        gettext_lazy("Talent 谭刚: his own profile and the organisations he works with"),
        talent="tangang",
    ),
    LoginSpec(
        "baijingyuan",
        "白景元",
        Role.TALENT,
        gettext_lazy(
            "Talent 白景元 (青田): his own profile and his points statement (积分 → 积分明细)"
        ),
        talent="baijingyuan",
    ),
    LoginSpec(
        "student",
        "陈思远",
        Role.STUDENT,
        gettext_lazy(
            "Graduate student of 浙江大学 seconded to 浙江中扬立库 with 唐宁: own profile"
        ),
        talent="tangning_student_1",
    ),
    LoginSpec(
        "provider_qingpu",
        "顾佳琪",
        Role.PROVIDER,
        gettext_lazy("Service provider 青浦人才公寓服务中心 (generated): its own record"),
        organisation="qingpu_apartment",
    ),
    LoginSpec(
        "mould_association",
        "王国庆",
        Role.ASSOCIATION,
        gettext_lazy("Industry association 黄岩区模具行业协会 (generated): its own record"),
        organisation="mould_association",
    ),
)

ADMIN_USERNAME = LOGINS[0].username


def login_spec(username: str) -> LoginSpec:
    return next(spec for spec in LOGINS if spec.username == username)


def user_for_talent(ctx: DemoContext, talent_key: str):
    """The demo user whose profile is ``talent_key``, created by ``users_create``; or None."""
    for spec in LOGINS:
        if spec.talent == talent_key:
            return ctx.users.get(spec.username)
    return None


# Steps -----------------------------------------------------------------------------------


def users_create(ctx: DemoContext) -> int:
    """Accounts first: the named people's profiles are created already linked to them."""
    password_hash = make_password(DEMO_PASSWORD)
    for spec in LOGINS:
        ctx.users[spec.username] = account_services.user_create(
            actor=None,
            system_label=SYSTEM_LABEL,
            username=spec.username,
            password=DEMO_PASSWORD,
            password_hash=password_hash,
            display_name=spec.display_name,
            is_staff=spec.is_admin,
            is_superuser=spec.is_admin,
        )
    return len(LOGINS)


def memberships_create(ctx: DemoContext) -> int:
    """Roles last: organisation roles need the organisations, generated ones included."""
    for spec in LOGINS:
        account_services.membership_create(
            actor=None,
            system_label=SYSTEM_LABEL,
            user=ctx.users[spec.username],
            role=spec.role,
            organisation=ctx.orgs[spec.organisation] if spec.organisation else None,
            region=ctx.region(spec.region or spec.finance_region)
            if spec.region or spec.finance_region
            else None,
        )
    return len(LOGINS)


# Console ---------------------------------------------------------------------------------


def _width(text: str) -> int:
    # A CJK character takes two columns in a terminal.
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def print_logins(*, base_url: str, stdout: TextIO | None = None) -> None:
    """Print the demo logins as a table, with the warning that they are for the demo only."""
    out = stdout if stdout is not None else sys.stdout
    headers = (_("Role"), _("Username"), _("Password"), _("What they see"))
    rows = [
        (
            str(Role(spec.role).label),
            f"{spec.username} ({spec.display_name})",
            DEMO_PASSWORD,
            str(spec.sees),
        )
        for spec in LOGINS
    ]
    widths = [max(_width(r[i]) for r in [headers, *rows]) for i in range(3)]
    rule = "-" * (sum(widths) + 6 + 40)
    out.write("\n" + _("TalentFlow demo is ready at %(url)s") % {"url": base_url} + "\n")
    out.write(_("Log in as any of these demo accounts:") + "\n")
    out.write(rule + "\n")
    out.write("  ".join(_pad(h, w) for h, w in zip(headers[:3], widths, strict=True)))
    out.write("  " + headers[3] + "\n")
    out.write(rule + "\n")
    for row in rows:
        cells = "  ".join(_pad(c, w) for c, w in zip(row[:3], widths, strict=True))
        out.write(f"{cells}  {row[3]}\n")
    out.write(rule + "\n")
    out.write(
        _(
            "WARNING: these accounts and their shared password are for the demo only. Never "
            "load the demo into a database that holds real data, and never expose a demo "
            "server to the internet."
        )
        + "\n"
    )
    out.write(
        _(
            "Records marked “generated” are invented demo data; records marked “named in the "
            "source article” come from the article."
        )
        + "\n\n"
    )
    out.flush()
