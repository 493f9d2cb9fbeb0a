"""Reading and writing spreadsheet files (.xlsx and .csv); nothing here knows the directory."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")
# A spreadsheet program runs a cell that starts with one of these as a formula; exported text
# is defused (see ``_defuse``), and the importer takes the defusing quote off again.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class SheetError(Exception):
    """The file as a whole cannot be read; the message is for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    headers: list[str]
    # (spreadsheet row number with the header as row 1, raw cell values); empty rows left out
    rows: list[tuple[int, Sequence[Any]]] = field(default_factory=list)


def format_of(filename: str, data: bytes) -> str:
    """The file's format, by its content first: people rename files, and CSV has no magic."""
    name = filename.lower()
    if data.startswith(b"PK\x03\x04"):
        return "xlsx"
    if data.startswith(b"\xd0\xcf\x11\xe0") or name.endswith(".xls"):
        raise SheetError(
            _(
                "This is an old Excel 97–2003 (.xls) file. Open it in Excel and save it as "
                "Excel workbook (.xlsx), then upload that file."
            )
        )
    if name.endswith((".csv", ".txt")):
        return "csv"
    raise SheetError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))


def read_table(data: bytes, *, filename: str, max_rows: int) -> Table:
    """The header row and the non-empty data rows of the first sheet of ``data``."""
    fmt = format_of(filename, data)
    raw_rows = _xlsx_rows(data) if fmt == "xlsx" else _csv_rows(data)
    table: Table | None = None
    try:
        for number, values in enumerate(raw_rows, start=1):
            if table is None:
                headers = [cell_text(v) for v in values]
                while headers and not headers[-1]:
                    headers.pop()
                if not headers:
                    raise SheetError(_("The first row must hold the column headers."))
                table = Table(headers=headers)
                continue
            if all(cell_text(v) == "" for v in values):
                continue
            if len(table.rows) >= max_rows:
                raise SheetError(
                    _(
                        "The file has more than %(max)d rows; split it into files of at most "
                        "%(max)d rows."
                    )
                    % {"max": max_rows}
                )
            table.rows.append((number, values))
    except SheetError:
        raise
    except (csv.Error, UnicodeError) as error:
        raise SheetError(_("This CSV file cannot be read: %(error)s") % {"error": error}) from error
    except Exception as error:
        # openpyxl reports a damaged workbook with whatever its zip or XML layer raised.
        raise SheetError(
            _("This Excel file cannot be read (%(error)s). Save it again as .xlsx and retry.")
            % {"error": type(error).__name__}
        ) from error
    if table is None:
        raise SheetError(_("The file is empty."))
    return table


def _xlsx_rows(data: bytes) -> Iterator[Sequence[Any]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:
        raise SheetError(
            _("This is not an Excel workbook that can be read (%(error)s).")
            % {"error": type(error).__name__}
        ) from error
    try:
        if not workbook.worksheets:
            raise SheetError(_("The workbook has no sheet."))
        sheet = workbook.worksheets[0]
        # Some programs write a wrong sheet size; without this openpyxl would cut rows short.
        sheet.reset_dimensions()
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 — what Excel on Chinese Windows writes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise SheetError(
            _("The CSV file is neither UTF-8 nor GB18030 text; save it as “CSV UTF-8”.")
        ) from error


def _csv_rows(data: bytes) -> Iterator[Sequence[Any]]:
    yield from csv.reader(io.StringIO(decode_csv(data), newline=""))


def cell_text(value: Any) -> str:
    """A cell as text: numbers without a spurious “.0”, dates as ISO dates, text trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        text = text[1:]
    return text


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# Writing ---------------------------------------------------------------------------------


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


def _defuse(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def write_xlsx(
    target: IO[bytes],
    *,
    title: str,
    headers: Sequence[str],
    widths: Sequence[int],
    rows: Iterable[Sequence[Any]],
) -> int:
    """Write one sheet in openpyxl's streaming mode; return the number of data rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    for row in rows:
        cells = []
        for value in row:
            value = _clean(value)
            if isinstance(value, str) and value.startswith("="):
                # openpyxl would store text starting with “=” as a formula; keep it text.
                cell = WriteOnlyCell(sheet, value=value)
                cell.data_type = "s"
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
        count += 1
    workbook.save(target)
    return count


def csv_chunks(
    *, headers: Sequence[str], rows: Iterable[Sequence[Any]], counter: list[int] | None = None
) -> Iterator[str]:
    """CSV text in chunks, starting with a BOM so Excel reads the Chinese text as UTF-8."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")
    writer.writerow(headers)
    for count, row in enumerate(rows, start=1):
        writer.writerow(["" if v is None else _defuse(v) for v in row])
        if counter is not None:
            counter[0] = count
        if count % 500 == 0:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
