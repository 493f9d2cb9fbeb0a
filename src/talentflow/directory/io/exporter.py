"""Export the directory list a user sees, and the blank template officers fill offline."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from talentflow.directory import selectors
from talentflow.directory.filters import organisation_filters_from, talent_filters_from
from talentflow.directory.io.columns import (
    AVAILABILITY_LABELS,
    COLUMNS,
    EDUCATION_LABELS,
    GENDER_LABELS,
    KIND_LABELS,
    TITLE_LEVEL_LABELS,
    ExportContext,
)
from talentflow.directory.io.sheets import csv_chunks, write_xlsx
from talentflow.directory.models import Availability, Education, Gender, OrganisationKind
from talentflow.reference.models import TitleLevel, TitleSeries

# Rows fetched per query; each chunk also runs one query per prefetched relation.
CHUNK_SIZE = 1000
SHEET_TITLES = {"talents": "人才", "organisations": "单位"}


def export_queryset(*, user, kind: str, params: Mapping[str, str]) -> QuerySet:
    """Exactly the list ``user`` sees on the list page with the same query parameters."""
    if kind == "talents":
        return selectors.talent_for_export(user=user, filters=talent_filters_from(params))
    return selectors.organisation_list(user=user, filters=organisation_filters_from(params))


def export_rows(*, user, kind: str, queryset: QuerySet) -> Iterator[list[Any]]:
    context = ExportContext(user=user)
    columns = COLUMNS[kind]
    for obj in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [column.export(obj, context) for column in columns]


def export_filename(kind: str, fmt: str) -> str:
    return f"talentflow-{kind}-{timezone.localdate():%Y%m%d}.{fmt}"


def write_export_xlsx(target: IO[bytes], *, user, kind: str, queryset: QuerySet) -> int:
    columns = COLUMNS[kind]
    return write_xlsx(
        target,
        title=SHEET_TITLES[kind],
        headers=[c.header for c in columns],
        widths=[c.width for c in columns],
        rows=export_rows(user=user, kind=kind, queryset=queryset),
    )


def export_csv(
    *, user, kind: str, queryset: QuerySet, counter: list[int] | None = None
) -> Iterator[str]:
    return csv_chunks(
        headers=[c.header for c in COLUMNS[kind]],
        rows=export_rows(user=user, kind=kind, queryset=queryset),
        counter=counter,
    )


# The template ----------------------------------------------------------------------------

_BOLD = Font(bold=True)
_REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
_WRAP = Alignment(wrap_text=True, vertical="top")


def template_workbook(kind: str) -> bytes:
    """A workbook with the header row, one example row and the sheet 说明 (allowed values)."""
    columns = COLUMNS[kind]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLES[kind]
    sheet.append([c.header for c in columns])
    sheet.append([c.example if c.example != "" else None for c in columns])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = column.width
        header = sheet.cell(row=1, column=index)
        header.font = _BOLD
        header.comment = Comment(str(column.help), "TalentFlow")
        if column.required:
            header.fill = _REQUIRED_FILL
        if column.digits_code or column.key in {"industry", "industries", "disciplines"}:
            # Typed as numbers, codes lose leading zeros or their last digits.
            sheet.column_dimensions[letter].number_format = "@"
            sheet.cell(row=2, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    _explanation_sheet(workbook.create_sheet("说明"), kind)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _explanation_sheet(sheet, kind: str) -> None:
    columns = COLUMNS[kind]
    sheet.column_dimensions["A"].width = 18
    sheet.column_dimensions["B"].width = 20
    sheet.column_dimensions["C"].width = 10
    sheet.column_dimensions["D"].width = 90

    def heading(text: str) -> None:
        sheet.append([])
        sheet.append([text])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)

    sheet.append([_("How to fill in this file")])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=14)
    for line in (
        _("Row 1 holds the column headers; keep them. Row 2 is an example: replace or delete it."),
        _("Yellow headers are required. Columns you do not need may be deleted."),
        _(
            "A file is imported completely or not at all: if any row has an error, nothing is "
            "written and you get a list of the errors by row and column."
        ),
        _(
            "An existing record is updated when the row carries its record number (系统编号, "
            "filled by an export), its unified social credit code or its identity number. On "
            "an update an empty cell clears the field; a column left out changes nothing."
        ),
        _("Separate several values in one cell with ；"),
    ):
        sheet.append([line])
    heading(_("Columns"))
    sheet.append([_("Column"), _("English name"), _("Required"), _("Explanation")])
    _bold_row(sheet)
    for column in columns:
        sheet.append(
            [column.header, column.key, _("yes") if column.required else "", str(column.help)]
        )
        sheet.cell(row=sheet.max_row, column=4).alignment = _WRAP

    def values(title: str, labels: dict[str, str], choices) -> None:
        heading(title)
        sheet.append([_("Value"), _("Code"), "", _("Meaning")])
        _bold_row(sheet)
        for code, label in choices.choices:
            sheet.append([labels[code], code, "", str(label)])

    if kind == "talents":
        values(_("Gender (性别)"), GENDER_LABELS, Gender)
        values(_("Education (学历)"), EDUCATION_LABELS, Education)
        values(_("Title levels (职称级别)"), TITLE_LEVEL_LABELS, TitleLevel)
        values(_("Availability (可承接状态)"), AVAILABILITY_LABELS, Availability)
        heading(_("The 27 title series (职称系列)"))
        sheet.append([_("Name"), _("Number"), "", _("Titles from full senior to junior")])
        _bold_row(sheet)
        for series in TitleSeries.objects.order_by("seq"):
            titles = [series.title_at(level) for level in TitleLevel.values]
            sheet.append([series.name, series.seq, "", " / ".join(t for t in titles if t)])
    values(_("Organisation kinds (类型)"), KIND_LABELS, OrganisationKind)


def _bold_row(sheet) -> None:
    for cell in sheet[sheet.max_row]:
        cell.font = _BOLD
