"""Import an issuing region's register of certificates it already certified (一地认定) from a
spreadsheet: all rows or none.

Talent offices keep the qualifications and titles they certified before the platform in Excel.
An officer of a member region uploads that register; every row becomes a certificate certified
by the region on the date in the row and signed with the region's key, so partner regions see it
as valid at once (三地互认). Rows are checked first, all of them; if any row has an error nothing
is written and the officer gets the errors by row and column. Importing the same file again
changes nothing (such rows are counted as unchanged).

The columns are Chinese (the officers' files); English names are accepted too.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from talentflow.core import crypto
from talentflow.core.audit import audit_record, snapshot
from talentflow.core.notifications import notify
from talentflow.core.services import event_time as _when
from talentflow.core.services import local_day as _day
from talentflow.core.validators import normalise_code
from talentflow.directory.io.columns import TITLE_LEVEL_LABELS, Lookups, _choice_map
from talentflow.directory.io.importer import (
    ImportResult,
    RowError,
    _match_headers,
    file_too_large_message,
)
from talentflow.directory.io.sheets import SheetError, cell_text, read_table
from talentflow.directory.models import TalentProfile
from talentflow.directory.selectors import talent_visible
from talentflow.recognition import permissions
from talentflow.recognition.models import (
    CatalogueEntry,
    Certificate,
    CertificateStatus,
    Kind,
)
from talentflow.recognition.services import _talent_users, default_valid_until, sign
from talentflow.reference.models import AllianceMember, Qualification, Region, TitleSeries

KIND_LABELS = {
    Kind.WORK_PERMIT: "外国高端人才工作许可",
    Kind.QUALIFICATION: "职业资格",
    Kind.TITLE: "职称",
    Kind.CONTINUING_EDUCATION: "继续教育学时",
}
KIND_SYNONYMS = {
    "工作许可": Kind.WORK_PERMIT,
    "外国人工作许可": Kind.WORK_PERMIT,
    "职业资格证书": Kind.QUALIFICATION,
    "技能等级": Kind.QUALIFICATION,
    "职称证书": Kind.TITLE,
    "专业技术职称": Kind.TITLE,
    "继续教育": Kind.CONTINUING_EDUCATION,
}


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the Chinese header written to the template
    width: int
    help: object  # lazy text
    required: bool = False
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.header, self.key, *self.aliases)


COLUMNS: tuple[Column, ...] = (
    Column(
        "talent",
        "人才编号",
        10,
        gettext_lazy("The talent's system number (系统编号 of the talent list or its export)."),
        aliases=("系统编号", "talent id", "talent number"),
    ),
    Column(
        "id_number",
        "身份证号",
        22,
        gettext_lazy("Or the talent's identity number (18 digits) instead of the number."),
        aliases=("identity number", "id number"),
    ),
    Column(
        "name",
        "姓名",
        12,
        gettext_lazy("The talent's name, checked against the record found."),
        required=True,
        aliases=("人才", "name"),
    ),
    Column(
        "kind",
        "类别",
        22,
        gettext_lazy("外国高端人才工作许可, 职业资格, 职称 or 继续教育学时."),
        required=True,
        aliases=("kind",),
    ),
    Column(
        "entry",
        "互认事项",
        30,
        gettext_lazy(
            "The catalogue entry: a qualification's name or number in the 2021 catalogue, a "
            "title series' name or number (1–27), or the entry's name for the other kinds."
        ),
        required=True,
        aliases=("entry", "catalogue entry"),
    ),
    Column(
        "level",
        "职称级别",
        10,
        gettext_lazy("For titles: 正高级, 副高级, 中级, 助理级 or 员级."),
        aliases=("等级", "级别", "title level", "level"),
    ),
    Column(
        "hours",
        "学时",
        8,
        gettext_lazy("For continuing education: the hours, 1 to 1000."),
        aliases=("hours",),
    ),
    Column(
        "original_number",
        "原证书编号",
        22,
        gettext_lazy("The number of the original certificate (optional)."),
        aliases=("证书编号", "original number", "certificate number"),
    ),
    Column(
        "certified_on",
        "认定日期",
        12,
        gettext_lazy("When your region certified it, e.g. 2024-05-20; not in the future."),
        required=True,
        aliases=("certified on",),
    ),
    Column(
        "valid_until",
        "有效期至",
        12,
        gettext_lazy("The last valid day; empty for the usual term of the kind."),
        aliases=("valid until",),
    ),
)
BY_KEY = {c.key: c for c in COLUMNS}
MAX_ROWS = 5000


def issuing_regions(user) -> list[Region]:
    """The member regions (of some alliance) that ``user`` certifies for."""
    codes = AllianceMember.objects.values_list("region_id", flat=True).distinct()
    return [r for r in Region.objects.filter(code__in=codes).order_by("code")
            if permissions.issues_for(user, r.code)]  # fmt: skip


def workbook(*, title: str, columns, examples) -> bytes:
    """An import template: the header row (help as comments), example rows, and the sheet 说明
    listing the kinds, the 2021 catalogue's vocational qualifications and the 27 title series
    with the names the imports accept."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([c.header for c in columns])
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.comment = Comment(str(column.help), "TalentFlow")
    for row in examples:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    names = book.create_sheet("说明")
    for letter, width in zip("ABC", (24, 12, 40), strict=True):
        names.column_dimensions[letter].width = width
    names.append(["类别"])
    for label in KIND_LABELS.values():
        names.append(["", "", label])
    names.append([])
    names.append(["职业资格（2021 年版国家职业资格目录）", "目录编号", "名称"])
    for number, name in Qualification.objects.order_by("entry_no").values_list("entry_no", "name"):
        names.append(["", number, name])
    names.append([])
    names.append(["职称系列", "序号", "名称"])
    for number, name in TitleSeries.objects.order_by("seq").values_list("seq", "name"):
        names.append(["", number, name])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """The empty register with its headers and one example row per kind's shape."""
    qualification = Qualification.objects.order_by("entry_no").first()
    series = TitleSeries.objects.order_by("seq").first()
    example = "（示例，请删除）"
    return workbook(
        title="互认证书登记",
        columns=COLUMNS,
        examples=[
            [
                "",
                "",
                example,
                "职业资格",
                qualification.name if qualification else "",
                "",
                "",
                "",
                "2024-05-20",
                "",
            ],
            [
                "",
                "",
                example,
                "职称",
                series.name if series else "",
                "中级",
                "",
                "",
                "2023-12-01",
                "",
            ],
        ],
    )


# Parsing --------------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def parse_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value).strip()
    match = _DATE.fullmatch(text)
    if match:
        try:
            return dt.date(*(int(g) for g in match.groups()))
        except ValueError:
            pass
    raise ValidationError(_("“%(value)s” is not a date; write it as 2024-05-20.") % {"value": text})


def kind_map() -> dict[str, str]:
    """Every accepted spelling of a kind (code, Chinese file label, UI labels in Chinese and
    English, synonyms), folded to lower case."""
    return _choice_map(Kind, KIND_LABELS, KIND_SYNONYMS)


@dataclass
class _Row:
    number: int
    talent: TalentProfile
    entry: CatalogueEntry
    title_level: str
    hours: int | None
    original_number: str
    certified_on: dt.date
    valid_until: dt.date


@dataclass
class _Checker:
    actor: object
    region: Region
    today: dt.date
    result: ImportResult
    lookups: Lookups = field(init=False)

    def __post_init__(self) -> None:
        self.lookups = Lookups(user=self.actor)
        self.kinds = kind_map()
        self.visible = talent_visible(user=self.actor)
        alliances = AllianceMember.objects.filter(region=self.region).values("alliance_id")
        self.entries: dict[tuple[str, str], list[CatalogueEntry]] = {}
        for entry in CatalogueEntry.objects.filter(alliance_id__in=alliances).select_related(
            "alliance", "qualification", "title_series"
        ):
            names = {entry.label}
            if entry.qualification_id:
                names.add(str(entry.qualification.entry_no))
            if entry.title_series_id:
                names.add(str(entry.title_series.seq))
            for name in names:
                self.entries.setdefault((entry.kind, name.strip()), []).append(entry)
        self.seen: dict[tuple[int, int, str], int] = {}

    def error(self, number: int, key: str, message: str) -> None:
        self.result.errors.append(RowError(number, BY_KEY[key].header if key else "", message))

    def preload(self, rows: list[tuple[int, dict]]) -> None:
        """The visible talents the file names, in two queries rather than one per row."""
        pks = {int(c["talent"]) for _n, c in rows if c.get("talent", "").strip().isdigit()}
        digests = {
            crypto.lookup_digest(normalise_code(c["id_number"]))
            for _n, c in rows
            if c.get("id_number", "").strip()
        }
        self.by_pk = self.visible.in_bulk(pks)
        self.by_digest = {
            t.id_number_digest: t for t in self.visible.filter(id_number_digest__in=digests)
        }

    def talent(self, number: int, cells: dict) -> TalentProfile | None:
        raw_pk, raw_id = cells.get("talent", "").strip(), cells.get("id_number", "").strip()
        name = cells.get("name", "").strip()
        if not raw_pk and not raw_id:
            self.error(number, "talent", _("Give the talent's number or identity number."))
            return None
        talent = None
        if raw_pk:
            if not raw_pk.isdigit():
                self.error(number, "talent", _("The number is digits only."))
                return None
            talent = self.by_pk.get(int(raw_pk))
            if talent is None:
                self.error(number, "talent", _("No talent %(n)s that you can see.") % {"n": raw_pk})
                return None
        if raw_id:
            by_id = self.by_digest.get(crypto.lookup_digest(normalise_code(raw_id)))
            if by_id is None:
                message = _("No talent with this identity number that you can see.")
                self.error(number, "id_number", message)
                return None
            if talent is not None and by_id.pk != talent.pk:
                self.error(number, "id_number", _("The identity number is another talent's."))
                return None
            talent = by_id
        if name != talent.name:
            self.error(
                number,
                "name",
                _("Talent %(n)s is %(name)s, not “%(given)s”.")
                % {"n": talent.pk, "name": talent.name, "given": name},
            )
            return None
        return talent

    def row(self, number: int, cells: dict) -> _Row | None:
        errors_before = len(self.result.errors)
        talent = self.talent(number, cells)
        kind = self.kinds.get(cells.get("kind", "").strip().lower())
        if kind is None:
            self.error(
                number,
                "kind",
                _("“%(value)s” is not a kind: write one of %(kinds)s.")
                % {"value": cells.get("kind", ""), "kinds": "、".join(KIND_LABELS.values())},
            )
        entry = None
        entry_name = cells.get("entry", "").strip()
        if kind is not None:
            found = self.entries.get((kind, entry_name), [])
            if len(found) != 1:
                if not found:
                    message = _(
                        "“%(value)s” is not in the recognition catalogue of %(region)s's alliances."
                    ) % {"value": entry_name, "region": self.region.name}
                else:
                    message = _("“%(value)s” is in several alliances' catalogues.") % {
                        "value": entry_name
                    }
                self.error(number, "entry", message)
            else:
                entry = found[0]
        level = ""
        hours = None
        if kind == Kind.TITLE:
            level = self.lookups.title_levels.get(cells.get("level", "").strip().lower(), "")
            if not level:
                self.error(
                    number,
                    "level",
                    _("Give the title level: %(levels)s.")
                    % {"levels": "、".join(TITLE_LEVEL_LABELS.values())},
                )
            elif entry is not None and not entry.title_series.title_at(level):
                self.error(
                    number,
                    "level",
                    _("The series %(series)s has no title at this level.")
                    % {"series": entry.title_series.name},
                )
        elif cells.get("level", "").strip():
            self.error(number, "level", _("A title level is only for titles."))
        if kind == Kind.CONTINUING_EDUCATION:
            raw = cells.get("hours", "").strip()
            hours = int(raw) if raw.isdigit() else None
            if hours is None or not 1 <= hours <= 1000:
                self.error(number, "hours", _("Give the hours, from 1 to 1000."))
        elif cells.get("hours", "").strip():
            self.error(number, "hours", _("Hours are only for continuing education."))
        original = cells.get("original_number", "").strip()
        if len(original) > 64:
            self.error(number, "original_number", _("At most 64 characters."))
        certified_on = valid_until = None
        try:
            certified_on = parse_date(cells.get("certified_on_raw", ""))
        except ValidationError as exc:
            self.error(number, "certified_on", exc.messages[0])
        else:
            if certified_on > self.today:
                self.error(number, "certified_on", _("The date is in the future."))
            elif entry is not None and certified_on < entry.since:
                self.error(
                    number,
                    "certified_on",
                    _("This entry is recognised only from %(since)s.")
                    % {"since": entry.since.isoformat()},
                )
        if cells.get("valid_until", "").strip():
            try:
                valid_until = parse_date(cells.get("valid_until_raw", ""))
            except ValidationError as exc:
                self.error(number, "valid_until", exc.messages[0])
            else:
                if certified_on is not None and valid_until < certified_on:
                    self.error(number, "valid_until", _("The validity ends before it starts."))
        elif certified_on is not None and kind is not None:
            valid_until = default_valid_until(kind, certified_on)
        if len(self.result.errors) > errors_before:
            return None
        key = (talent.pk, entry.pk, level)
        if key in self.seen:
            self.error(
                number,
                "entry",
                _("The same recognition of %(name)s is on row %(row)s too.")
                % {"name": talent.name, "row": self.seen[key]},
            )
            return None
        self.seen[key] = number
        return _Row(number, talent, entry, level, hours, original, certified_on, valid_until)


def _same(existing: Certificate, row: _Row, region: Region) -> bool:
    return (
        existing.status == CertificateStatus.CERTIFIED
        and existing.issuing_region_id == region.pk
        and existing.certified_on == row.certified_on
        and existing.valid_until == row.valid_until
        and existing.hours == row.hours
        and existing.original_number == row.original_number
    )


def import_register(
    *,
    actor,
    region: Region,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    at: dt.datetime | None = None,
) -> ImportResult:
    """Check the register in ``data`` (.xlsx or .csv) and, if every row is right and not
    ``dry_run``, certify and sign one certificate per row for ``region``."""
    if not permissions.issues_for(actor, region.pk):
        raise PermissionDenied(
            _("Only the talent office of the issuing region %(region)s may do this.")
            % {"region": region.name}
        )
    when = _when(actor, at)
    result = ImportResult(kind="register", filename=filename, dry_run=dry_run)
    table = read_rows(data, filename, result, COLUMNS, talent_columns=True)
    if table is None:
        return result
    checker = _Checker(actor=actor, region=region, today=_day(when), result=result)
    rows: list[_Row] = []
    numbered = list(cells_of(table))
    checker.preload(numbered)
    for number, cells in numbered:
        checked = checker.row(number, cells)
        if checked is not None:
            rows.append(checked)
    if result.errors:
        return result
    with transaction.atomic():
        existing = _existing(rows)
        for row in rows:
            current = existing.get((row.talent.pk, row.entry.pk, row.title_level))
            if current is not None:
                if _same(current, row, region):
                    result.unchanged += 1
                else:
                    checker.error(
                        row.number,
                        "entry",
                        _(
                            "%(name)s already holds or applied for this recognition "
                            "(certificate %(n)s)."
                        )
                        % {"name": row.talent.name, "n": current.pk},
                    )
                continue
            if not dry_run:
                _certify(actor, region, row, filename, when)
            result.created += 1
        finish(result, actor=actor, action="certificate.import", region=region.pk)
    if result.errors:
        result.created = result.unchanged = 0
    return result


Table = tuple[list[tuple[int, str]], list]


def read_rows(
    data: bytes, filename: str, result: ImportResult, columns, *, talent_columns: bool = False
) -> Table | None:
    """The file's layout (column index → key) and rows, or None with file errors in
    ``result``: too large, unreadable, unknown/repeated/missing columns (with
    ``talent_columns``: neither 人才编号 nor 身份证号), no data rows."""
    max_bytes = settings.TALENTFLOW_IMPORT_MAX_BYTES
    if len(data) > max_bytes:
        result.errors.append(RowError(None, "", file_too_large_message(max_bytes)))
        return None
    try:
        table = read_table(data, filename=filename, max_rows=MAX_ROWS)
    except SheetError as error:
        result.errors.append(RowError(None, "", error.message))
        return None
    layout, errors = _match_headers(table.headers, columns)
    result.errors.extend(RowError(None, header, message) for header, message in errors)
    if talent_columns and not {c.key for _i, c, _h in layout} & {"talent", "id_number"}:
        result.errors.append(
            RowError(None, "", _("The file needs the column 人才编号 or 身份证号."))
        )
    if result.errors:
        return None
    result.rows = len(table.rows)
    if not table.rows:
        result.errors.append(RowError(None, "", _("The file has a header row but no data rows.")))
        return None
    return [(index, column.key) for index, column, _header in layout], table.rows


def finish(result: ImportResult, *, actor, action: str, region: str | None = None, **after):
    """Inside the import's transaction: roll everything back on any error or a dry run, else
    write one summary audit event (besides each record's own)."""
    if result.errors or result.dry_run:
        transaction.set_rollback(True)
        return
    audit_record(
        actor=actor,
        action=action,
        object_type=f"recognition.{result.kind}",
        object_id=result.filename[-64:],
        object_repr=result.filename,
        after={
            **after,
            "rows": result.rows,
            "created": result.created,
            "unchanged": result.unchanged,
        },
        region=region,
    )


def cells_of(table: Table):
    """Each row as ``(number, {key: text, key_raw: cell})``."""
    layout, rows = table
    for number, values in rows:
        cells: dict = {}
        for index, key in layout:
            value = values[index] if index < len(values) else None
            cells[key] = cell_text(value)
            cells[f"{key}_raw"] = value
        yield number, cells


def _existing(rows: list[_Row]) -> dict[tuple[int, int, str], Certificate]:
    """Certificates applied for or held by the rows' talents, under the rows' entries, locked."""
    found: dict[tuple[int, int, str], Certificate] = {}
    talents = {r.talent.pk for r in rows}
    entries = {r.entry.pk for r in rows}
    for certificate in Certificate.objects.select_for_update().filter(
        talent_id__in=talents,
        entry_id__in=entries,
        status__in=(CertificateStatus.APPLIED, CertificateStatus.CERTIFIED),
    ):
        found[(certificate.talent_id, certificate.entry_id, certificate.title_level)] = certificate
    return found


def _certify(actor, region: Region, row: _Row, filename: str, when: dt.datetime) -> Certificate:
    start = timezone.make_aware(dt.datetime.combine(row.certified_on, dt.time(9)))
    certificate = Certificate.objects.create(
        talent=row.talent,
        entry=row.entry,
        kind=row.entry.kind,
        issuing_region=region,
        title_level=row.title_level,
        hours=row.hours,
        original_number=row.original_number,
        statement=_("Entered from the register %(file)s, row %(row)s.")
        % {"file": filename[:200], "row": row.number},
        status=CertificateStatus.CERTIFIED,
        applied_at=min(start, when),
        certified_on=row.certified_on,
        valid_until=row.valid_until,
        decided_at=when,
        decided_by=actor,
    )
    sign(certificate)
    certificate.save(update_fields=["kid", "signature"])
    audit_record(
        actor=actor,
        action="certificate.import",
        obj=certificate,
        after=snapshot(certificate),
        region=region.pk,
    )
    if row.valid_until >= _day(when):
        notify(
            recipients=_talent_users(certificate),
            kind="recognition.certified",
            params={
                "region": region.name,
                "entry": row.entry.label,
                "alliance": str(row.entry.alliance),
                "until": row.valid_until.isoformat(),
            },
            url=certificate.get_absolute_url(),
            exclude=actor,
        )
    return certificate
