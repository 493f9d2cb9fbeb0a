"""The spreadsheet columns of the directory, defined once.

Each ``Column`` knows its Chinese header (what files carry), the English aliases accepted on
import, how to parse a cell and how to write a record's value. Import, export and the template
download all read these tuples, so an exported file can be edited and imported again.

The sheet's vocabulary is Chinese whatever the interface language — officers share these files
and keep them for years — so choice values are written with fixed Chinese labels below; on
import the codes, the English labels and the labels of the active language are accepted too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Choices
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentflow.core.validators import (
    normalise_code,
    uscc_complete,
    validate_id_number,
    validate_uscc,
)
from talentflow.directory.models import (
    Availability,
    Education,
    Gender,
    OrganisationKind,
)
from talentflow.reference.models import (
    Discipline,
    Industry,
    Qualification,
    Region,
    TitleLevel,
    TitleSeries,
)

# Fixed Chinese labels written to files, and the other words people type for the same value.
GENDER_LABELS = {Gender.MALE: "男", Gender.FEMALE: "女"}
GENDER_SYNONYMS = {"男性": Gender.MALE, "女性": Gender.FEMALE, "m": Gender.MALE, "f": Gender.FEMALE}
EDUCATION_LABELS = {
    Education.DOCTORATE: "博士研究生",
    Education.MASTER: "硕士研究生",
    Education.BACHELOR: "大学本科",
    Education.ASSOCIATE: "大学专科",
    Education.SECONDARY: "中专/高中",
    Education.BELOW: "初中及以下",
}
EDUCATION_SYNONYMS = {
    "博士": Education.DOCTORATE,
    "硕士": Education.MASTER,
    "本科": Education.BACHELOR,
    "大专": Education.ASSOCIATE,
    "专科": Education.ASSOCIATE,
    "高职": Education.ASSOCIATE,
    "中专": Education.SECONDARY,
    "中职": Education.SECONDARY,
    "高中": Education.SECONDARY,
    "技校": Education.SECONDARY,
    "中专及高中": Education.SECONDARY,
    "初中": Education.BELOW,
    "小学": Education.BELOW,
}
TITLE_LEVEL_LABELS = {
    TitleLevel.SENIOR_FULL: "正高级",
    TitleLevel.SENIOR_DEPUTY: "副高级",
    TitleLevel.INTERMEDIATE: "中级",
    TitleLevel.ASSISTANT: "助理级",
    TitleLevel.JUNIOR: "员级",
}
TITLE_LEVEL_SYNONYMS = {
    "正高": TitleLevel.SENIOR_FULL,
    "副高": TitleLevel.SENIOR_DEPUTY,
    "助理": TitleLevel.ASSISTANT,
}
AVAILABILITY_LABELS = {
    Availability.AVAILABLE: "可承接",
    Availability.LIMITED: "部分可承接",
    Availability.UNAVAILABLE: "暂不可承接",
}
AVAILABILITY_SYNONYMS = {"有限": Availability.LIMITED, "不可承接": Availability.UNAVAILABLE}
KIND_LABELS = {
    OrganisationKind.ENTERPRISE: "企业",
    OrganisationKind.UNIVERSITY: "高校",
    OrganisationKind.RESEARCH_INSTITUTE: "科研院所",
    OrganisationKind.PLATFORM: "创新平台",
    OrganisationKind.GOVERNMENT: "政府部门",
    OrganisationKind.SERVICE_PROVIDER: "服务机构",
    OrganisationKind.ASSOCIATION: "行业协会",
}
KIND_SYNONYMS = {
    "公司": OrganisationKind.ENTERPRISE,
    "大学": OrganisationKind.UNIVERSITY,
    "高等学校": OrganisationKind.UNIVERSITY,
    "高等院校": OrganisationKind.UNIVERSITY,
    "研究院": OrganisationKind.RESEARCH_INSTITUTE,
    "研究所": OrganisationKind.RESEARCH_INSTITUTE,
    "科研机构": OrganisationKind.RESEARCH_INSTITUTE,
    "平台": OrganisationKind.PLATFORM,
    "联合实验室": OrganisationKind.PLATFORM,
    "创新平台/联合实验室": OrganisationKind.PLATFORM,
    "政府": OrganisationKind.GOVERNMENT,
    "协会": OrganisationKind.ASSOCIATION,
}

LIST_SEPARATOR = "；"
# What people separate list items with in a cell; a qualification's own name may contain 、
# (中国委托公证人资格(香港、澳门)), so that one is handled by ``_split_names``.
_LIST_SPLIT = re.compile(r"[；;，,\n]+")
_ANY_SPLIT = re.compile(r"[；;，,、\n]+")


def split_list(value: str) -> list[str]:
    return [item.strip() for item in _ANY_SPLIT.split(value) if item.strip()]


def _choice_map(
    choices: type[Choices], labels: dict[str, str], synonyms: dict[str, str]
) -> dict[str, str]:
    """Every accepted spelling, folded to lower case, mapped to the stored code."""
    mapping: dict[str, str] = {}
    for code, label in choices.choices:
        mapping[code.lower()] = code
        mapping[str(label).lower()] = code
        with translation.override("en"):
            mapping[str(label).lower()] = code
    mapping.update({k.lower(): v for k, v in synonyms.items()})
    mapping.update({v.lower(): k for k, v in labels.items()})
    return mapping


class Lookups:
    """Reference data and the user's visible pools, loaded once per file and only when used."""

    def __init__(self, *, user) -> None:
        self.user = user

    @cached_property
    def genders(self) -> dict[str, str]:
        return _choice_map(Gender, GENDER_LABELS, GENDER_SYNONYMS)

    @cached_property
    def educations(self) -> dict[str, str]:
        return _choice_map(Education, EDUCATION_LABELS, EDUCATION_SYNONYMS)

    @cached_property
    def title_levels(self) -> dict[str, str]:
        return _choice_map(TitleLevel, TITLE_LEVEL_LABELS, TITLE_LEVEL_SYNONYMS)

    @cached_property
    def availabilities(self) -> dict[str, str]:
        return _choice_map(Availability, AVAILABILITY_LABELS, AVAILABILITY_SYNONYMS)

    @cached_property
    def kinds(self) -> dict[str, str]:
        return _choice_map(OrganisationKind, KIND_LABELS, KIND_SYNONYMS)

    @cached_property
    def region_names(self) -> dict[str, str]:
        return dict(Region.objects.values_list("code", "name"))

    @cached_property
    def regions_by_name(self) -> dict[str, set[str]]:
        by_name: dict[str, set[str]] = {}
        for code, name, full_name in Region.objects.values_list("code", "name", "full_name"):
            by_name.setdefault(name, set()).add(code)
            by_name.setdefault(full_name, set()).add(code)
            by_name.setdefault(full_name.replace(" ", ""), set()).add(code)
        return by_name

    @cached_property
    def title_series(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for pk, seq, name in TitleSeries.objects.values_list("pk", "seq", "name"):
            found[str(seq)] = pk
            found[name] = pk
        return found

    @cached_property
    def qualifications(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for pk, entry_no, name in Qualification.objects.values_list("pk", "entry_no", "name"):
            found[str(entry_no)] = pk
            found[name] = pk
        return found

    @cached_property
    def disciplines(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for pk, code in Discipline.objects.values_list("pk", "code"):
            found.setdefault(code.upper(), []).append(pk)
        return found

    @cached_property
    def industries(self) -> set[str]:
        return set(Industry.objects.values_list("code", flat=True))

    @cached_property
    def pools(self) -> dict[str, int]:
        from talentflow.directory.selectors import pool_visible

        return dict(pool_visible(user=self.user).values_list("code", "pk"))

    @cached_property
    def pool_ids(self) -> set[int]:
        return set(self.pools.values())


# Parsing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class IdNumber:
    value: str
    masked: bool


def _choice(attr: str) -> Callable[[str, Lookups], str]:
    def parse(raw: str, lookups: Lookups) -> str:
        mapping = getattr(lookups, attr)
        code = mapping.get(raw.strip().lower())
        if code is None:
            raise ValidationError(
                _("“%(value)s” is not one of the allowed values (see the sheet 说明).")
                % {"value": raw}
            )
        return code

    return parse


def _text(raw: str, lookups: Lookups) -> str:
    return raw.strip()


def _birth_year(raw: str, lookups: Lookups) -> int:
    digits = raw.strip().removesuffix("年")
    if not re.fullmatch(r"\d{4}", digits):
        raise ValidationError(_("Write the birth year as four digits, e.g. 1980."))
    return int(digits)


def _id_number(raw: str, lookups: Lookups) -> IdNumber:
    code = normalise_code(raw)
    if "*" in code:
        return IdNumber(code, masked=True)
    validate_id_number(code)
    return IdNumber(code, masked=False)


def _uscc(raw: str, lookups: Lookups) -> str:
    code = normalise_code(raw)
    validate_uscc(code)
    return code


def _title_series(raw: str, lookups: Lookups) -> int:
    pk = lookups.title_series.get(raw.strip())
    if pk is None:
        raise ValidationError(
            _("“%(value)s” is not a title series; write its name or its number 1–27.")
            % {"value": raw}
        )
    return pk


def _split_names(value: str, known: dict[str, int]) -> list[str]:
    """Split on ；;，, and on 、 — except where 、 belongs to a known name (longest match)."""
    items: list[str] = []
    for part in (p.strip() for p in _LIST_SPLIT.split(value)):
        if not part:
            continue
        pieces = [p.strip() for p in part.split("、")]
        i = 0
        while i < len(pieces):
            for j in range(len(pieces), i, -1):
                candidate = "、".join(pieces[i:j])
                if candidate in known or j == i + 1:
                    if candidate:
                        items.append(candidate)
                    i = j
                    break
    return items


def _qualifications(raw: str, lookups: Lookups) -> list[int]:
    found: list[int] = []
    unknown: list[str] = []
    for item in _split_names(raw, lookups.qualifications):
        pk = lookups.qualifications.get(item)
        if pk is None:
            unknown.append(item)
        elif pk not in found:
            found.append(pk)
    if unknown:
        raise ValidationError(
            _("Unknown vocational qualification: %(items)s (write the catalogue name or number).")
            % {"items": "、".join(unknown)}
        )
    return found


def _first_token(item: str) -> str:
    # Accept "0802 机械工程" as well as "0802": the code is what counts.
    return item.split()[0].upper()


def _disciplines(raw: str, lookups: Lookups) -> list[int]:
    found: list[int] = []
    for item in split_list(raw):
        code = _first_token(item)
        pks = lookups.disciplines.get(code, [])
        if len(pks) != 1:
            raise ValidationError(
                _("Unknown discipline code: %(code)s (2022 graduate catalogue or NSFC).")
                % {"code": code}
            )
        if pks[0] not in found:
            found.append(pks[0])
    return found


def _industry_code(item: str, lookups: Lookups) -> str:
    code = _first_token(item)
    if code not in lookups.industries:
        raise ValidationError(
            _("Unknown industry code: %(code)s (GB/T 4754-2017).") % {"code": code}
        )
    return code


def _industries(raw: str, lookups: Lookups) -> list[str]:
    found: list[str] = []
    for item in split_list(raw):
        code = _industry_code(item, lookups)
        if code not in found:
            found.append(code)
    return found


def _industry(raw: str, lookups: Lookups) -> str:
    return _industry_code(raw, lookups)


def _region(raw: str, lookups: Lookups) -> str:
    value = raw.strip()
    if value in lookups.region_names:
        return value
    codes = lookups.regions_by_name.get(value, set())
    if len(codes) == 1:
        return next(iter(codes))
    if len(codes) > 1:
        raise ValidationError(
            _("Several regions are called “%(value)s”; write the 6-digit region code.")
            % {"value": value}
        )
    raise ValidationError(
        _("“%(value)s” is not a region code (6 digits, GB/T 2260) or a region name.")
        % {"value": value}
    )


def _pools(raw: str, lookups: Lookups) -> list[int]:
    found: list[int] = []
    for code in split_list(raw):
        pk = lookups.pools.get(code)
        if pk is None:
            raise ValidationError(
                _("No talent pool with the code “%(code)s” that you can see.") % {"code": code}
            )
        if pk not in found:
            found.append(pk)
    return found


def _website(raw: str, lookups: Lookups) -> str:
    value = raw.strip()
    # People paste "www.example.com"; the address is meant, not a relative path.
    if value and "://" not in value:
        value = "https://" + value
    return value


def _record_id(raw: str, lookups: Lookups) -> int:
    value = raw.strip()
    if not value.isdigit():
        raise ValidationError(
            _("The record number is filled by an export; leave it empty for new records.")
        )
    return int(value)


# Export ----------------------------------------------------------------------------------


class ExportContext:
    def __init__(self, *, user) -> None:
        self.user = user

    @cached_property
    def pool_ids(self) -> set[int]:
        from talentflow.directory.selectors import pool_visible

        return set(pool_visible(user=self.user).values_list("pk", flat=True))


def current_employment(talent):
    """The talent's newest current employment (from the ``current_affiliations`` prefetch)."""
    affiliations = getattr(talent, "current_affiliations", None)
    if affiliations is None:
        today = dt.date.today()
        affiliations = [
            a
            for a in talent.affiliations.select_related("organisation")
            if a.end_date is None or a.end_date >= today
        ]
    employed = [a for a in affiliations if a.kind == "employed"]
    return max(employed, key=lambda a: (a.start_date, a.pk), default=None)


def _joined(values: Iterable[Any]) -> str:
    return LIST_SEPARATOR.join(str(v) for v in values)


# The columns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: Promise
    parse: Callable[[str, Lookups], Any]
    export: Callable[[Any, ExportContext], Any]
    required: bool = False
    aliases: tuple[str, ...] = ()
    example: str | int = ""
    # Excel turns long digit strings into floating-point numbers and loses digits; such
    # columns are formatted as text in the template and a numeric cell is refused.
    digits_code: bool = False
    width: int = 14

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, self.key, *self.aliases)


def _plain(attr: str) -> Callable[[Any, ExportContext], Any]:
    return lambda obj, ctx: getattr(obj, attr) or ""


RECORD_ID_HELP = gettext_lazy(
    "Filled by an export so that an edited file updates the same records; leave it empty "
    "for new records."
)

TALENT_COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        "姓名",
        gettext_lazy("Full name."),
        _text,
        _plain("name"),
        required=True,
        example="张三",
        width=12,
    ),
    Column(
        "gender",
        "性别",
        gettext_lazy("男 or 女 (male or female)."),
        _choice("genders"),
        lambda t, ctx: GENDER_LABELS.get(t.gender, ""),
        example="男",
        width=6,
    ),
    Column(
        "birth_year",
        "出生年份",
        gettext_lazy("Four digits, e.g. 1980."),
        _birth_year,
        lambda t, ctx: t.birth_year,
        aliases=("birth year",),
        example=1985,
        width=10,
    ),
    Column(
        "id_number",
        "身份证号",
        gettext_lazy(
            "Identity number (18 characters, GB 11643), optional. It is stored encrypted and "
            "exported masked; a masked value leaves the stored number unchanged."
        ),
        _id_number,
        lambda t, ctx: t.id_number_masked,
        aliases=("id number", "identity number"),
        digits_code=True,
        width=21,
    ),
    Column(
        "education",
        "学历",
        gettext_lazy("One of the values on the sheet 说明."),
        _choice("educations"),
        lambda t, ctx: EDUCATION_LABELS.get(t.education, ""),
        example="硕士研究生",
    ),
    Column(
        "title_series",
        "职称系列",
        gettext_lazy("Name or number (1–27) of the title series, see the sheet 说明."),
        _title_series,
        lambda t, ctx: t.title_series.name if t.title_series_id else "",
        aliases=("title series",),
        example="工程技术人员",
        width=18,
    ),
    Column(
        "title_level",
        "职称级别",
        gettext_lazy("正高级, 副高级, 中级, 助理级 or 员级; needs the title series."),
        _choice("title_levels"),
        lambda t, ctx: TITLE_LEVEL_LABELS.get(t.title_level, ""),
        aliases=("title level",),
        example="副高级",
        width=10,
    ),
    Column(
        "qualifications",
        "职业资格",
        gettext_lazy(
            "Names or entry numbers in the national vocational qualification catalogue (2021), "
            "separated by ；"
        ),
        _qualifications,
        lambda t, ctx: _joined(q.name for q in t.qualifications.all()),
        example="",
        width=20,
    ),
    Column(
        "disciplines",
        "学科代码",
        gettext_lazy(
            "Discipline codes separated by ；: 2022 graduate catalogue (e.g. 0802) or NSFC "
            "(e.g. F0201)."
        ),
        _disciplines,
        lambda t, ctx: _joined(d.code for d in t.disciplines.all()),
        example="0802；0805",
        width=16,
    ),
    Column(
        "industries",
        "行业代码",
        gettext_lazy("GB/T 4754-2017 industry codes separated by ；, e.g. 3360."),
        _industries,
        lambda t, ctx: _joined(i.code for i in t.industries.all()),
        example="3360",
        width=12,
    ),
    Column(
        "expertise",
        "专长关键词",
        gettext_lazy("Keywords separated by ；"),
        _text,
        _plain("expertise"),
        example="压铸；模具钢；热处理",
        width=24,
    ),
    Column(
        "biography",
        "个人简介",
        gettext_lazy("Free text."),
        _text,
        _plain("biography"),
        width=30,
    ),
    Column(
        "home_region",
        "所在地区代码",
        gettext_lazy(
            "6-digit region code (GB/T 2260), e.g. 330421 for 嘉善县; a region's exact name "
            "is accepted where it is unique."
        ),
        _region,
        lambda t, ctx: t.home_region_id,
        required=True,
        aliases=("home region", "region"),
        example="330421",
        digits_code=True,
        width=12,
    ),
    Column(
        "availability",
        "可承接状态",
        gettext_lazy("可承接, 部分可承接 or 暂不可承接; empty means 可承接 for a new talent."),
        _choice("availabilities"),
        lambda t, ctx: AVAILABILITY_LABELS.get(t.availability, ""),
        example="可承接",
        width=12,
    ),
    Column(
        "pools",
        "人才库",
        gettext_lazy("Codes of talent pools you can see, separated by ；"),
        _pools,
        lambda t, ctx: _joined(p.code for p in t.pools.all() if p.pk in ctx.pool_ids),
        width=16,
    ),
    Column(
        "employer",
        "工作单位",
        gettext_lazy(
            "USCC or exact name of an organisation you can see; records current employment "
            "from today unless it is already recorded."
        ),
        _text,
        lambda t, ctx: e.organisation.name if (e := current_employment(t)) else "",
        width=24,
    ),
    Column(
        "position",
        "职务",
        gettext_lazy("Position at the employer."),
        _text,
        lambda t, ctx: e.position if (e := current_employment(t)) else "",
        width=14,
    ),
    Column(
        "phone",
        "手机",
        gettext_lazy("Mobile phone number."),
        _text,
        _plain("phone"),
        aliases=("mobile",),
        width=14,
    ),
    Column(
        "email",
        "邮箱",
        gettext_lazy("E-mail address."),
        _text,
        _plain("email"),
        aliases=("e-mail",),
        width=22,
    ),
    Column(
        "record_id",
        "系统编号",
        RECORD_ID_HELP,
        _record_id,
        lambda t, ctx: t.pk,
        aliases=("id", "record id", "record number"),
        width=10,
    ),
)

ORGANISATION_COLUMNS: tuple[Column, ...] = (
    Column(
        "name",
        "名称",
        gettext_lazy("Full registered name."),
        _text,
        _plain("name"),
        required=True,
        example="示例精密机械有限公司",
        width=28,
    ),
    Column(
        "kind",
        "类型",
        gettext_lazy("One of the organisation kinds on the sheet 说明."),
        _choice("kinds"),
        lambda o, ctx: KIND_LABELS.get(o.kind, o.kind),
        required=True,
        example="企业",
        width=10,
    ),
    Column(
        "uscc",
        "统一社会信用代码",
        gettext_lazy(
            "18 characters (GB 32100-2015); required for enterprises. An existing organisation "
            "with this code is updated."
        ),
        _uscc,
        _plain("uscc"),
        aliases=("unified social credit code",),
        # Made up, with a valid check character, so the example row imports as it is.
        example=uscc_complete("91330421MA2TF0001"),
        digits_code=True,
        width=22,
    ),
    Column(
        "region",
        "所在地区代码",
        gettext_lazy(
            "6-digit region code (GB/T 2260), e.g. 330421 for 嘉善县; a region's exact name "
            "is accepted where it is unique."
        ),
        _region,
        lambda o, ctx: o.region_id,
        required=True,
        example="330421",
        digits_code=True,
        width=12,
    ),
    Column(
        "industry",
        "行业代码",
        gettext_lazy("Main industry, a GB/T 4754-2017 code such as 3360."),
        _industry,
        lambda o, ctx: o.industry_id or "",
        example="3360",
        width=10,
    ),
    Column(
        "parent",
        "上级单位",
        gettext_lazy(
            "USCC or exact name of the parent organisation; list a parent above its children."
        ),
        _text,
        lambda o, ctx: o.parent.name if o.parent_id else "",
        width=24,
    ),
    Column(
        "address",
        "地址",
        gettext_lazy("Postal address."),
        _text,
        _plain("address"),
        example="浙江省嘉兴市嘉善县示例路1号",
        width=30,
    ),
    Column(
        "website",
        "网址",
        gettext_lazy("Web address."),
        _website,
        _plain("website"),
        aliases=("url",),
        width=24,
    ),
    Column(
        "description",
        "简介",
        gettext_lazy("Free text."),
        _text,
        _plain("description"),
        width=30,
    ),
    Column(
        "record_id",
        "系统编号",
        RECORD_ID_HELP,
        _record_id,
        lambda o, ctx: o.pk,
        aliases=("id", "record id", "record number"),
        width=10,
    ),
)

COLUMNS = {"talents": TALENT_COLUMNS, "organisations": ORGANISATION_COLUMNS}


def fold_header(text: str) -> str:
    """How headers are compared: trimmed, without a required-mark, case- and space-insensitive."""
    value = re.sub(r"\s+", " ", str(text)).strip().rstrip("*＊").strip().lower()
    return value.replace(" ", "_").replace("-", "_")


def header_index(columns: Iterable[Column]) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for column in columns:
        for name in column.names:
            index[fold_header(name)] = column
    return index
