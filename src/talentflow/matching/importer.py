"""Import past engagements (need text + the experts who worked on it) from CSV or .xlsx.

All rows or none, as the directory's importer (``directory/io/importer.py``): every row is
checked, then written through ``services.past_engagement_create`` inside one transaction, each
row in a savepoint so one row's failure does not hide the next one's; if any row has an error the
whole file is rolled back — records, audit events and the engine's change log alike.

Columns (header names, case-insensitive; Chinese names accepted):

=============  ========  ==========================================================
need_text      required  the need's text (title and description)        需求 / 需求描述
industry       optional  GB/T 4754-2017 code: C, 29, 292 or 2921        行业
disciplines    optional  discipline codes separated by ; (0802;E05)      学科
experts        required  talent record numbers or exact names, by ;      专家
year           optional  the year the engagement took place              年份
=============  ========  ==========================================================
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from talentflow.core.audit import audit_record
from talentflow.directory.io.importer import ImportResult, RowError, file_too_large_message
from talentflow.directory.io.sheets import SheetError, cell_text, read_table
from talentflow.directory.models import TalentProfile
from talentflow.directory.selectors import talent_visible
from talentflow.matching import services
from talentflow.reference.models import Discipline, Industry

PROGRESS_EVERY = 500
KIND = "engagements"


@dataclass(frozen=True)
class EngagementColumn:
    key: str
    names: tuple[str, ...]
    required: bool = False


COLUMNS = (
    EngagementColumn("need_text", ("need_text", "需求", "需求描述", "need"), required=True),
    EngagementColumn("industry", ("industry", "行业", "行业代码")),
    EngagementColumn("disciplines", ("disciplines", "discipline", "学科", "学科代码")),
    EngagementColumn("experts", ("experts", "expert", "专家", "专家名单"), required=True),
    EngagementColumn("year", ("year", "年份", "年度")),
)
_SPLIT = re.compile(r"[;；,，、]")


def _fold(header: str) -> str:
    return re.sub(r"\s+", "_", header.strip().rstrip("*＊").strip().lower()).replace("-", "_")


def _split(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text) if part.strip()]


@dataclass
class _Row:
    number: int
    text: str = ""
    industry: str | None = None
    disciplines: list[str] = field(default_factory=list)
    experts: list[str] = field(default_factory=list)
    year: int | None = None


def import_engagements(
    *,
    actor,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Check and import ``data`` as ``actor`` (an officer or administrator)."""
    result = ImportResult(kind=KIND, filename=filename, dry_run=dry_run)
    if len(data) > settings.TALENTFLOW_IMPORT_MAX_BYTES:
        result.errors.append(
            RowError(None, "", file_too_large_message(settings.TALENTFLOW_IMPORT_MAX_BYTES))
        )
        return result
    try:
        table = read_table(data, filename=filename, max_rows=settings.TALENTFLOW_IMPORT_MAX_ROWS)
    except SheetError as error:
        result.errors.append(RowError(None, "", error.message))
        return result
    layout, headers = _layout(table.headers, result)
    if result.errors:
        return result
    result.rows = len(table.rows)
    if not table.rows:
        result.errors.append(RowError(None, "", _("The file has a header row but no data rows.")))
        return result

    industries = set(Industry.objects.values_list("pk", flat=True))
    rows = [
        _parse(number, values, layout, headers, industries, result) for number, values in table.rows
    ]
    experts = _resolve_experts(actor, rows, headers, result)
    if result.errors:
        result.errors.sort(key=lambda e: e.row or 0)  # stable: a row's errors in column order
        return result
    disciplines = _disciplines_by_code({c for r in rows for c in r.disciplines})

    with transaction.atomic():
        for done, row in enumerate(rows, start=1):
            _write(actor, row, experts[row.number], disciplines, filename, headers, result)
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, len(rows))
        if result.errors or dry_run:
            transaction.set_rollback(True)
        else:
            audit_record(
                actor=actor,
                action=f"import.{KIND}",
                object_type="matching.import",
                object_id=filename[-64:],
                object_repr=filename,
                after={"rows": result.rows, "created": result.created},
            )
    return result


def _layout(headers: Sequence[str], result: ImportResult) -> tuple[dict[str, int], dict[str, str]]:
    """Column key → index and key → the header as written; file errors into ``result``."""
    by_name = {_fold(name): column for column in COLUMNS for name in column.names}
    layout: dict[str, int] = {}
    written: dict[str, str] = {c.key: c.names[0] for c in COLUMNS}
    for index, header in enumerate(headers):
        if not header:
            continue
        column = by_name.get(_fold(header))
        if column is None:
            result.errors.append(
                RowError(
                    None,
                    header,
                    _("Unknown column “%(header)s”. The columns are: %(columns)s.")
                    % {"header": header, "columns": "、".join(c.names[0] for c in COLUMNS)},
                )
            )
        elif column.key in layout:
            result.errors.append(
                RowError(
                    None, header, _("The column “%(header)s” is repeated.") % {"header": header}
                )
            )
        else:
            layout[column.key] = index
            written[column.key] = header
    for column in COLUMNS:
        if column.required and column.key not in layout:
            result.errors.append(
                RowError(
                    None,
                    column.names[0],
                    _("The required column “%(header)s” is missing.") % {"header": column.names[0]},
                )
            )
    return layout, written


def _parse(
    number: int,
    values: Sequence[Any],
    layout: dict[str, int],
    headers: dict[str, str],
    industries: set[str],
    result: ImportResult,
) -> _Row:
    def cell(key: str) -> str:
        index = layout.get(key)
        if index is None or index >= len(values):
            return ""
        return cell_text(values[index])

    row = _Row(number=number, text=cell("need_text"))
    if not row.text:
        result.errors.append(
            RowError(number, headers["need_text"], _("This column must not be empty."))
        )
    industry = cell("industry").upper()
    if industry:
        if industry in industries:
            row.industry = industry
        else:
            result.errors.append(
                RowError(
                    number,
                    headers["industry"],
                    _("“%(code)s” is not a GB/T 4754-2017 industry code.") % {"code": industry},
                )
            )
    row.disciplines = [c.upper() if c[:1].isalpha() else c for c in _split(cell("disciplines"))]
    row.experts = _split(cell("experts"))
    if not row.experts:
        result.errors.append(
            RowError(number, headers["experts"], _("Name at least one expert who worked on it."))
        )
    year = cell("year")
    if year:
        if year.isdigit() and 1949 <= int(year) <= 2100:
            row.year = int(year)
        else:
            result.errors.append(
                RowError(number, headers["year"], _("“%(year)s” is not a year.") % {"year": year})
            )
    return row


def _disciplines_by_code(codes: set[str]) -> dict[str, Discipline]:
    found: dict[str, Discipline] = {}
    # The graduate catalogue's codes are digits and NSFC's start with a letter: no clashes.
    for discipline in Discipline.objects.filter(code__in=sorted(codes)).order_by("scheme", "pk"):
        found.setdefault(discipline.code, discipline)
    return found


def _resolve_experts(
    actor, rows: list[_Row], headers: dict[str, str], result: ImportResult
) -> dict[int, list[TalentProfile]]:
    """Each row's experts: by record number or exact name among the active talents the actor
    sees, in a few queries for the whole file. Unknown or ambiguous ones are row errors; so are
    unknown discipline codes (checked here too, for the same reason)."""
    visible = talent_visible(user=actor).filter(is_active=True)
    ids = sorted({int(e) for r in rows for e in r.experts if e.isdigit()})
    names = sorted({e for r in rows for e in r.experts if not e.isdigit()})
    by_id: dict[int, TalentProfile] = {}
    by_name: dict[str, list[TalentProfile]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        by_id.update(visible.in_bulk(ids[start : start + 500]))
    for start in range(0, len(names), 500):
        for talent in visible.filter(name__in=names[start : start + 500]).order_by("pk"):
            by_name[talent.name].append(talent)
    known_codes = _disciplines_by_code({c for r in rows for c in r.disciplines})
    header = headers["experts"]
    found: dict[int, list[TalentProfile]] = {}
    for row in rows:
        talents: list[TalentProfile] = []
        for expert in row.experts:
            if expert.isdigit():
                talent = by_id.get(int(expert))
                if talent is None:
                    result.errors.append(
                        RowError(
                            row.number,
                            header,
                            _("No active talent with the record number %(id)s that you can see.")
                            % {"id": expert},
                        )
                    )
                    continue
            else:
                matches = by_name.get(expert, [])
                if len(matches) != 1:
                    message = (
                        _("No active talent you can see is called “%(name)s”.")
                        if not matches
                        else _(
                            "Several talents are called “%(name)s” (records %(ids)s); write the "
                            "record number instead."
                        )
                    )
                    result.errors.append(
                        RowError(
                            row.number,
                            header,
                            message
                            % {"name": expert, "ids": "、".join(str(t.pk) for t in matches)},
                        )
                    )
                    continue
                talent = matches[0]
            if talent not in talents:
                talents.append(talent)
        for code in row.disciplines:
            if code not in known_codes:
                result.errors.append(
                    RowError(
                        row.number,
                        headers["disciplines"],
                        _("“%(code)s” is not a discipline code.") % {"code": code},
                    )
                )
        found[row.number] = talents
    return found


def _write(
    actor,
    row: _Row,
    talents: list[TalentProfile],
    disciplines: dict[str, Discipline],
    filename: str,
    headers: dict[str, str],
    result: ImportResult,
) -> None:
    try:
        with transaction.atomic():
            services.past_engagement_create(
                actor=actor,
                text=row.text,
                talents=talents,
                industry=row.industry,
                disciplines=[disciplines[c] for c in row.disciplines],
                year=row.year,
                source=filename,
                system_label="import",
            )
    except ValidationError as error:
        for name, messages in getattr(error, "message_dict", {"": error.messages}).items():
            column = headers.get({"text": "need_text", "talents": "experts"}.get(name, name), "")
            result.errors.extend(RowError(row.number, column, m) for m in messages)
        return
    except PermissionDenied as error:
        result.errors.append(RowError(row.number, "", str(error) or _("You may not do this.")))
        return
    result.created += 1
