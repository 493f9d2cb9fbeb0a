"""Import an alliance's recognition catalogue (四个互认) from a spreadsheet: all rows or none.

The alliance agrees on dozens of entries at once (the demonstration zone opened 57 vocational
qualifications); its officers keep them in Excel. The columns are those of the catalogue export,
so an exported catalogue can be edited and imported again: entries already open with the same
date are counted and left alone. Each new entry goes through ``services.catalogue_create``
(permission, validation, audit).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentflow.directory.io.columns import Lookups
from talentflow.directory.io.importer import ImportResult, RowError
from talentflow.recognition import permissions, services
from talentflow.recognition.models import CatalogueEntry, Kind
from talentflow.recognition.register import (
    KIND_LABELS,
    Column,
    cells_of,
    finish,
    kind_map,
    parse_date,
    read_rows,
    workbook,
)
from talentflow.reference.models import Alliance, Qualification, TitleSeries

COLUMNS: tuple[Column, ...] = (
    Column(
        "id",
        "系统编号",
        10,
        gettext_lazy("Filled by the export; ignored on import."),
        aliases=("id",),
    ),
    Column(
        "alliance",
        "互认联盟",
        24,
        gettext_lazy("Optional; when given, the alliance chosen above."),
        aliases=("alliance",),
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
        "name",
        "名称",
        36,
        gettext_lazy(
            "A qualification's name in the 2021 catalogue, a title series' name, or what is "
            "recognised for the other kinds."
        ),
        required=True,
        aliases=("互认事项", "name", "entry"),
    ),
    Column(
        "number",
        "目录编号",
        10,
        gettext_lazy(
            "Optional: the qualification's number in the 2021 catalogue or the title series' "
            "number (1–27), checked against the name."
        ),
        aliases=("number",),
    ),
    Column(
        "since",
        "互认起始",
        12,
        gettext_lazy("The date from which the alliance recognises it, e.g. 2021-06-01."),
        required=True,
        aliases=("互认起始日期", "since", "recognised since"),
    ),
    Column(
        "note", "备注", 30, gettext_lazy("Optional, at most 500 characters."), aliases=("note",)
    ),
)


@dataclass(frozen=True)
class _Row:
    number: int
    kind: str
    qualification: Qualification | None
    title_series: TitleSeries | None
    name: str
    since: object
    note: str

    @property
    def target(self) -> tuple:
        if self.qualification is not None:
            return ("q", self.qualification.pk)
        if self.title_series is not None:
            return ("t", self.title_series.pk)
        return ("n", self.kind, self.name)


def template_workbook() -> bytes:
    qualification = Qualification.objects.order_by("entry_no").first()
    series = TitleSeries.objects.order_by("seq").first()
    example = "（示例，请删除）"
    return workbook(
        title="互认目录",
        columns=COLUMNS,
        examples=[
            [
                "",
                "",
                "职业资格",
                qualification.name if qualification else "",
                "",
                "2021-06-01",
                example,
            ],
            ["", "", "职称", series.name if series else "", "", "2021-06-01", example],
        ],
    )


def maintained_alliances(user) -> list[Alliance]:
    return [
        a for a in Alliance.objects.order_by("code") if permissions.maintains_catalogue(user, a.pk)
    ]


def _target_of(entry: CatalogueEntry) -> tuple:
    if entry.qualification_id:
        return ("q", entry.qualification_id)
    if entry.title_series_id:
        return ("t", entry.title_series_id)
    return ("n", entry.kind, entry.name)


class _Checker:
    def __init__(self, alliance: Alliance, result: ImportResult) -> None:
        self.alliance = alliance
        self.result = result
        self.kinds = kind_map()
        lookups = Lookups(user=None)
        self.qualifications = lookups.qualifications  # name or number → pk
        self.series = lookups.title_series
        self.qualification_rows = Qualification.objects.in_bulk()
        self.series_rows = TitleSeries.objects.in_bulk()
        self.by_key = {c.key: c.header for c in COLUMNS}
        self.seen: dict[tuple, int] = {}

    def error(self, number: int, key: str, message: str) -> None:
        self.result.errors.append(RowError(number, self.by_key[key], message))

    def _reference(self, number: int, cells: dict, known: dict, label: str):
        name, code = cells.get("name", "").strip(), cells.get("number", "").strip()
        by_name, by_code = known.get(name), known.get(code) if code else None
        if code and by_code is None:
            self.error(
                number,
                "number",
                _("“%(value)s” is not a %(what)s number.") % {"value": code, "what": label},
            )
            return None
        if by_name is None and not by_code:
            self.error(
                number, "name", _("“%(value)s” is not a %(what)s.") % {"value": name, "what": label}
            )
            return None
        if by_name is not None and by_code is not None and by_name != by_code:
            self.error(
                number,
                "number",
                _("The number %(code)s is not “%(value)s”.") % {"code": code, "value": name},
            )
            return None
        return by_code or by_name

    def row(self, number: int, cells: dict) -> _Row | None:
        before = len(self.result.errors)
        given = cells.get("alliance", "").strip()
        if given and given not in (str(self.alliance), self.alliance.code, self.alliance.name):
            self.error(
                number,
                "alliance",
                _("The file is imported into %(alliance)s, not “%(value)s”.")
                % {"alliance": self.alliance, "value": given},
            )
        kind = self.kinds.get(cells.get("kind", "").strip().lower())
        qualification = series = None
        name = cells.get("name", "").strip()
        if kind is None:
            self.error(
                number,
                "kind",
                _("“%(value)s” is not a kind: write one of %(kinds)s.")
                % {"value": cells.get("kind", ""), "kinds": "、".join(KIND_LABELS.values())},
            )
        elif kind == Kind.QUALIFICATION:
            pk = self._reference(number, cells, self.qualifications, _("vocational qualification"))
            qualification = self.qualification_rows.get(pk)
        elif kind == Kind.TITLE:
            pk = self._reference(number, cells, self.series, _("title series"))
            series = self.series_rows.get(pk)
        else:
            if not name:
                self.error(number, "name", _("Name what is recognised."))
            elif len(name) > 128:
                self.error(number, "name", _("At most 128 characters."))
            if cells.get("number", "").strip():
                self.error(number, "number", _("A number is only for qualifications and titles."))
        since = None
        try:
            since = parse_date(cells.get("since_raw", ""))
        except ValidationError as exc:
            self.error(number, "since", exc.messages[0])
        note = cells.get("note", "").strip()
        if len(note) > 500:
            self.error(number, "note", _("At most 500 characters."))
        if len(self.result.errors) > before:
            return None
        row = _Row(number, kind, qualification, series, name, since, note)
        if row.target in self.seen:
            self.error(
                number,
                "name",
                _("The same entry is on row %(row)s too.") % {"row": self.seen[row.target]},
            )
            return None
        self.seen[row.target] = number
        return row


def import_catalogue(
    *, actor, alliance: Alliance, data: bytes, filename: str, dry_run: bool = False
) -> ImportResult:
    """Check the catalogue in ``data`` (.xlsx or .csv) and, if every row is right and not
    ``dry_run``, open one entry of ``alliance`` per new row."""
    if not permissions.maintains_catalogue(actor, alliance.pk):
        raise PermissionDenied(
            _("Only the officers of a member region maintain this alliance's catalogue.")
        )
    result = ImportResult(kind="catalogue", filename=filename, dry_run=dry_run)
    table = read_rows(data, filename, result, COLUMNS)
    if table is None:
        return result
    checker = _Checker(alliance, result)
    rows = [r for number, cells in cells_of(table) if (r := checker.row(number, cells))]
    if result.errors:
        return result
    with transaction.atomic():
        entries = CatalogueEntry.objects.filter(alliance=alliance).select_for_update()
        existing = {_target_of(e): e for e in entries}
        for row in rows:
            current = existing.get(row.target)
            if current is not None:
                if current.since == row.since:
                    result.unchanged += 1
                else:
                    checker.error(
                        row.number,
                        "since",
                        _("%(alliance)s already recognises “%(entry)s” since %(since)s.")
                        % {
                            "alliance": alliance,
                            "entry": current.label,
                            "since": current.since.isoformat(),
                        },
                    )
                continue
            if not dry_run:
                try:
                    services.catalogue_create(
                        actor=actor,
                        alliance=alliance,
                        kind=row.kind,
                        since=row.since,
                        qualification=row.qualification,
                        title_series=row.title_series,
                        name=row.name,
                        note=row.note,
                    )
                except ValidationError as exc:
                    checker.error(row.number, "name", " ".join(exc.messages))
                    continue
            result.created += 1
        finish(result, actor=actor, action="catalogue.import", alliance=alliance.code)
    if result.errors:
        result.created = result.unchanged = 0
    return result
