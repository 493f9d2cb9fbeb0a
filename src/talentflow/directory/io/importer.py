"""Import a spreadsheet of organisations or talents: all rows or none.

Every row is checked and written through the directory services inside one transaction, each
row in its own savepoint so that one row's failure does not hide the next row's problems. If
any row has an error the whole transaction is rolled back — records, affiliations and audit
events alike — and the caller gets the list of errors by row and column; otherwise it commits
with one summary audit event besides the services' own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from talentflow.accounts import permissions
from talentflow.core import crypto
from talentflow.core.audit import audit_record
from talentflow.core.models import DataSource
from talentflow.core.validators import normalise_code, uscc_is_valid
from talentflow.directory import selectors, services
from talentflow.directory.io.columns import (
    COLUMNS,
    Column,
    ExportContext,
    IdNumber,
    Lookups,
    fold_header,
)
from talentflow.directory.io.sheets import SheetError, cell_text, is_number, read_table
from talentflow.directory.models import (
    Affiliation,
    AffiliationKind,
    Organisation,
    TalentProfile,
)

PROGRESS_EVERY = 500
ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class RowError:
    """One problem: ``row`` counts like the spreadsheet (header = 1), None for the whole file."""

    row: int | None
    column: str
    message: str


@dataclass
class ImportResult:
    kind: str
    filename: str
    dry_run: bool = False
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def committed(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def file_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is None]

    @property
    def row_errors(self) -> list[RowError]:
        return [e for e in self.errors if e.row is not None]


def import_file(
    *,
    actor,
    kind: str,
    data: bytes,
    filename: str,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
) -> ImportResult:
    """Check and import ``data`` (.xlsx or .csv bytes) as ``actor``; see the module docstring."""
    if kind not in COLUMNS:
        raise ValueError(f"unknown import kind {kind!r}")
    result = ImportResult(kind=kind, filename=filename, dry_run=dry_run)
    max_bytes = settings.TALENTFLOW_IMPORT_MAX_BYTES
    if len(data) > max_bytes:
        result.errors.append(RowError(None, "", file_too_large_message(max_bytes)))
        return result
    try:
        table = read_table(data, filename=filename, max_rows=settings.TALENTFLOW_IMPORT_MAX_ROWS)
    except SheetError as error:
        result.errors.append(RowError(None, "", error.message))
        return result
    layout, header_errors = _match_headers(table.headers, COLUMNS[kind])
    if header_errors:
        result.errors.extend(RowError(None, header, message) for header, message in header_errors)
        return result
    result.rows = total = len(table.rows)
    if total == 0:
        result.errors.append(RowError(None, "", _("The file has a header row but no data rows.")))
        return result

    handler_class = TalentRows if kind == "talents" else OrganisationRows
    with transaction.atomic():
        handler = handler_class(actor=actor, layout=layout, result=result)
        for done, (number, values) in enumerate(table.rows, start=1):
            handler.row(number, values)
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, total)
        if result.errors or dry_run:
            transaction.set_rollback(True)
        else:
            audit_record(
                actor=actor,
                action=f"import.{kind}",
                object_type="directory.import",
                object_id=filename[-64:],
                object_repr=filename,
                after={
                    "rows": result.rows,
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
    return result


def file_too_large_message(max_bytes: int) -> str:
    return _("The file is larger than %(mb)d MB; split it into smaller files.") % {
        "mb": max_bytes // (1024 * 1024)
    }


def _match_headers(
    headers: Sequence[str], columns: Sequence[Column]
) -> tuple[list[tuple[int, Column, str]], list[tuple[str, str]]]:
    """Map header cells to columns; file-level errors for unknown, repeated or missing ones."""
    by_name = {}
    for column in columns:
        for name in column.names:
            by_name[fold_header(name)] = column
    layout: list[tuple[int, Column, str]] = []
    errors: list[tuple[str, str]] = []
    seen: dict[str, str] = {}
    for index, header in enumerate(headers):
        if not header:
            continue
        column = by_name.get(fold_header(header))
        if column is None:
            errors.append(
                (
                    header,
                    _("Unknown column “%(header)s”. The columns are: %(columns)s.")
                    % {"header": header, "columns": "、".join(c.header for c in columns)},
                )
            )
            continue
        if column.key in seen:
            errors.append(
                (
                    header,
                    _("The columns “%(first)s” and “%(second)s” are the same column.")
                    % {"first": seen[column.key], "second": header},
                )
            )
            continue
        seen[column.key] = header
        layout.append((index, column, header))
    for column in columns:
        if column.required and column.key not in seen:
            errors.append(
                (
                    column.header,
                    _("The required column “%(header)s” is missing.") % {"header": column.header},
                )
            )
    return layout, errors


class _Rows:
    """What both kinds of rows share: parsing, error collection, service calls in a savepoint."""

    columns: Sequence[Column] = ()
    outside_message: Any = ""

    def __init__(self, *, actor, layout: list[tuple[int, Column, str]], result: ImportResult):
        self.actor = actor
        self.layout = layout
        self.result = result
        self.lookups = Lookups(user=actor)
        self.export_context = ExportContext(user=actor)
        self.headers = {column.key: header for _index, column, header in layout}
        self.defined = {column.key: column for column in self.columns}
        # Which row first used a code or record, to report duplicates within the file.
        self.seen_codes: dict[str, int] = {}
        self.seen_records: dict[int, int] = {}
        self.today = dt.date.today()

    def header(self, key: str) -> str:
        if key in self.headers:
            return self.headers[key]
        column = self.defined.get(key)
        return column.header if column else ""

    def parse(self, number: int, values: Sequence[Any]) -> tuple[dict[str, Any], set[str], list]:
        """Parsed non-empty cells by column key, the keys present in the file, and errors."""
        parsed: dict[str, Any] = {}
        errors: list[RowError] = []
        for index, column, header in self.layout:
            value = values[index] if index < len(values) else None
            if column.digits_code and is_number(value) and len(cell_text(value)) >= 16:
                errors.append(
                    RowError(
                        number,
                        header,
                        _(
                            "Excel stored this code as a number and lost its last digits. "
                            "Format the column as text and type the code again."
                        ),
                    )
                )
                continue
            text = cell_text(value)
            if text == "":
                if column.required:
                    errors.append(RowError(number, header, _("This column must not be empty.")))
                continue
            try:
                parsed[column.key] = column.parse(text, self.lookups)
            except ValidationError as error:
                errors.extend(RowError(number, header, m) for m in error.messages)
        return parsed, set(self.headers), errors

    def first_use(self, number: int, code: str) -> int | None:
        first = self.seen_codes.setdefault(code, number)
        return None if first == number else first

    def first_target(self, number: int, pk: int) -> int | None:
        first = self.seen_records.setdefault(pk, number)
        return None if first == number else first

    def write(self, number: int, action: Callable[[], str]) -> None:
        """Run ``action`` in a savepoint; count what it did or turn its failure into errors."""
        try:
            with transaction.atomic():
                outcome = action()
        except ValidationError as error:
            self.result.errors.extend(self.validation_errors(number, error))
            return
        except PermissionDenied as error:
            message = str(error) or _("You may not do this.")
            self.result.errors.append(RowError(number, "", message))
            return
        except IntegrityError as error:
            self.result.errors.append(
                RowError(
                    number,
                    "",
                    _("This row conflicts with a stored record (%(error)s).") % {"error": error},
                )
            )
            return
        setattr(self.result, outcome, getattr(self.result, outcome) + 1)

    def validation_errors(self, number: int, error: ValidationError) -> list[RowError]:
        if not hasattr(error, "error_dict"):
            return [RowError(number, "", m) for m in error.messages]
        errors = []
        for name, messages in error.message_dict.items():
            key = {"id_number_digest": "id_number", "id_number_masked": "id_number"}.get(name, name)
            column = "" if key == NON_FIELD_ERRORS else self.header(key)
            errors.extend(RowError(number, column, m) for m in messages)
        return errors

    def region_label(self, code: str) -> str:
        name = self.lookups.region_names.get(code, "")
        return f"{name} ({code})" if name else code

    # Columns compared by their effect rather than their text (see ``read_only_row``), and
    # columns whose empty cell leaves the stored value alone.
    COMPARED_ELSEWHERE = frozenset({"record_id", "employer", "position", "parent"})
    KEPT_WHEN_EMPTY = frozenset({"availability", "id_number"})

    def read_only_row(
        self,
        number: int,
        target,
        via: str,
        parsed: dict,
        present: set[str],
        errors: list,
        *,
        visible: bool,
        also_changes: bool,
    ) -> None:
        """A row for a record the user may see but not change is fine if it changes nothing.

        An officer's export holds records of other regions that touch theirs (an expert
        employed elsewhere serving a local enterprise); re-importing the file unedited must
        work. The row is counted as unchanged, or its errors are reported.
        """
        if not visible:
            errors.append(RowError(number, self.header(via), str(self.outside_message)))
        elif also_changes or self.differs(target, parsed, present):
            errors.append(
                RowError(
                    number,
                    self.header(via),
                    _("You may not change the record of %(name)s.") % {"name": target.name},
                )
            )
        if errors:
            self.result.errors.extend(errors)
        else:
            self.result.unchanged += 1

    def differs(self, target, parsed: dict, present: set[str]) -> bool:
        """Whether the row's values differ from the stored record, compared as parsed values."""
        for key in present - self.COMPARED_ELSEWHERE:
            new = parsed.get(key)
            if new is None and key in self.KEPT_WHEN_EMPTY:
                continue
            if key == "expertise":
                new = services.normalise_expertise(new or "")
            if isinstance(new, IdNumber):
                if new.masked:
                    if new.value != target.id_number_masked:
                        return True
                elif crypto.lookup_digest(new.value) != target.id_number_digest:
                    return True
                continue
            column = self.defined[key]
            stored_text = cell_text(column.export(target, self.export_context))
            try:
                stored = column.parse(stored_text, self.lookups) if stored_text else None
            except ValidationError:
                return True
            if isinstance(new, list) or isinstance(stored, list):
                if set(new or ()) != set(stored or ()):
                    return True
            elif (new if new is not None else "") != (stored if stored is not None else ""):
                return True
        return False

    def find_organisation(
        self, number: int, key: str, value: str, *, known: Sequence[Organisation] = ()
    ) -> tuple[Organisation | None, list[RowError]]:
        """An organisation by USCC or exact name: first among ``known``, then the visible ones."""
        code = normalise_code(value)
        for organisation in known:
            if organisation.name == value or (organisation.uscc and organisation.uscc == code):
                return organisation, []
        visible = selectors.organisation_visible(user=self.actor)
        if uscc_is_valid(code):
            matches = list(visible.filter(uscc=code)[:2])
        else:
            matches = list(visible.filter(name=value)[:2])
        if len(matches) == 1:
            return matches[0], []
        if matches:
            message = _("Several organisations are called “%(value)s”; write its USCC instead.")
        else:
            message = _("No organisation you can see has the name or USCC “%(value)s”.")
        return None, [RowError(number, self.header(key), message % {"value": value})]


# Talents ---------------------------------------------------------------------------------

# What an empty cell means for each talent field: cleared, except where the field cannot be.
TALENT_EMPTY: Mapping[str, Any] = {
    "gender": "",
    "birth_year": None,
    "education": "",
    "title_series": None,
    "title_level": "",
    "qualifications": [],
    "disciplines": [],
    "industries": [],
    "expertise": "",
    "biography": "",
    "pools": [],
    "phone": "",
    "email": "",
}


class TalentRows(_Rows):
    columns = COLUMNS["talents"]
    outside_message = _lazy(
        "A talent with this identity number is registered outside your regions."
    )

    def row(self, number: int, values: Sequence[Any]) -> None:
        parsed, present, errors = self.parse(number, values)
        target, via = self._match(number, parsed, errors)
        employer = self._employer(number, parsed, present, target, errors)
        if target is not None and not permissions.can_edit_talent(self.actor, target):
            visible = selectors.talent_visible(user=self.actor).filter(pk=target.pk).exists()
            self.read_only_row(
                number,
                target,
                via,
                parsed,
                present,
                errors,
                visible=visible,
                also_changes=employer is not None,
            )
            return
        if target is None and "home_region" in parsed:
            region = parsed["home_region"]
            if not permissions.can_create_talent(self.actor, region_code=region):
                errors.append(
                    RowError(
                        number,
                        self.header("home_region"),
                        _("You may not register talents in %(region)s.")
                        % {"region": self.region_label(region)},
                    )
                )
        if errors:
            self.result.errors.extend(errors)
            return
        fields = {
            key: parsed.get(key, empty) for key, empty in TALENT_EMPTY.items() if key in present
        }
        if "availability" in parsed:
            fields["availability"] = parsed["availability"]
        id_number: IdNumber | None = parsed.get("id_number")
        plain_id = id_number.value if id_number and not id_number.masked else ""

        def create() -> str:
            talent = services.talent_create(
                actor=self.actor,
                name=parsed["name"],
                home_region=parsed["home_region"],
                id_number=plain_id,
                data_source=DataSource.IMPORTED,
                **fields,
            )
            self._employ(talent, employer, parsed)
            return "created"

        def update() -> str:
            data = {**fields, "name": parsed["name"], "home_region": parsed["home_region"]}
            if plain_id:
                data["id_number"] = plain_id
            if "pools" in data:
                # Pools the importer cannot see were not exported to them; keep them.
                hidden = [
                    pk
                    for pk in target.pools.values_list("pk", flat=True)
                    if pk not in self.lookups.pool_ids
                ]
                data["pools"] = [*data["pools"], *hidden]
            before = target.updated_at
            talent = services.talent_update(actor=self.actor, talent=target, data=data)
            employed = self._employ(talent, employer, parsed)
            return "updated" if employed or talent.updated_at != before else "unchanged"

        self.write(number, update if target is not None else create)

    def _match(self, number: int, parsed: dict, errors: list) -> tuple[TalentProfile | None, str]:
        """The stored talent this row updates: by record number, identity number or mask."""
        target, via = None, "record_id"
        if "record_id" in parsed:
            target = (
                selectors.talent_visible(user=self.actor).filter(pk=parsed["record_id"]).first()
            )
            if target is None:
                errors.append(
                    RowError(
                        number,
                        self.header("record_id"),
                        _("No talent with the record number %(id)d that you can see.")
                        % {"id": parsed["record_id"]},
                    )
                )
                return None, via
        id_number: IdNumber | None = parsed.get("id_number")
        id_header = self.header("id_number")
        if id_number is not None and not id_number.masked:
            digest = crypto.lookup_digest(id_number.value)
            first = self.first_use(number, f"id:{digest}")
            if first:
                errors.append(
                    RowError(
                        number,
                        id_header,
                        _("The same identity number is already in row %(row)d.") % {"row": first},
                    )
                )
            existing = TalentProfile.objects.filter(id_number_digest=digest).first()
            if target is not None and existing is not None and existing.pk != target.pk:
                errors.append(
                    RowError(
                        number,
                        id_header,
                        _("Another talent profile already has this identity number."),
                    )
                )
            elif target is None:
                target, via = existing, "id_number"
        elif id_number is not None:
            if target is not None:
                if target.id_number_masked != id_number.value:
                    errors.append(
                        RowError(
                            number,
                            id_header,
                            _(
                                "This masked identity number is not the one of record "
                                "%(id)d; write the full number to change it."
                            )
                            % {"id": target.pk},
                        )
                    )
            else:
                matches = list(
                    selectors.talent_visible(user=self.actor).filter(
                        id_number_masked=id_number.value, name=parsed.get("name", "")
                    )[:2]
                )
                if len(matches) == 1:
                    target, via = matches[0], "id_number"
                else:
                    errors.append(
                        RowError(
                            number,
                            id_header,
                            _(
                                "A masked identity number only identifies a talent you can see "
                                "with the same name; write the full number or the record number."
                            ),
                        )
                    )
        if target is None:
            return None, via
        first = self.first_target(number, target.pk)
        if first:
            errors.append(
                RowError(
                    number,
                    "",
                    _("Row %(row)d already updates this talent.") % {"row": first},
                )
            )
        return target, via

    def _current_employments(self, talent: TalentProfile) -> list[Affiliation]:
        return [
            a
            for a in talent.affiliations.filter(kind=AffiliationKind.EMPLOYED).select_related(
                "organisation"
            )
            if a.end_date is None or a.end_date >= self.today
        ]

    def _employer(
        self,
        number: int,
        parsed: dict,
        present: set[str],
        target: TalentProfile | None,
        errors: list,
    ) -> Organisation | None:
        """The organisation to record a new employment with, or None if nothing is to change."""
        position = parsed.get("position", "")
        if "employer" not in parsed:
            if position:
                errors.append(
                    RowError(
                        number,
                        self.header("position"),
                        _("Give the employer (工作单位) this position belongs to."),
                    )
                )
            return None
        current = self._current_employments(target) if target is not None else []
        organisation, problems = self.find_organisation(
            number, "employer", parsed["employer"], known=[a.organisation for a in current]
        )
        errors.extend(problems)
        if organisation is None:
            return None
        existing = next((a for a in current if a.organisation_id == organisation.pk), None)
        if existing is None:
            return organisation
        if position and position != existing.position:
            errors.append(
                RowError(
                    number,
                    self.header("position"),
                    _(
                        "%(name)s is already recorded as employed by %(organisation)s as "
                        "“%(position)s”; change the position on the talent's page."
                    )
                    % {
                        "name": target.name,
                        "organisation": organisation.name,
                        "position": existing.position,
                    },
                )
            )
        return None

    def _employ(self, talent: TalentProfile, organisation: Organisation | None, parsed) -> bool:
        if organisation is None:
            return False
        services.affiliation_create(
            actor=self.actor,
            talent=talent,
            organisation=organisation,
            kind=AffiliationKind.EMPLOYED,
            start_date=self.today,
            position=parsed.get("position", ""),
        )
        return True


# Organisations ---------------------------------------------------------------------------

ORGANISATION_EMPTY: Mapping[str, Any] = {
    "uscc": None,
    "industry": None,
    "parent": None,
    "address": "",
    "website": "",
    "description": "",
}


class OrganisationRows(_Rows):
    columns = COLUMNS["organisations"]
    outside_message = _lazy(
        "An organisation with this unified social credit code is registered outside your regions."
    )

    def row(self, number: int, values: Sequence[Any]) -> None:
        parsed, present, errors = self.parse(number, values)
        target, via = self._match(number, parsed, errors)
        parent = self._parent(number, parsed, target, errors)
        if target is not None and not permissions.can_edit_organisation(self.actor, target):
            visible = selectors.organisation_visible(user=self.actor).filter(pk=target.pk).exists()
            parent_changes = "parent" in present and (
                (parent.pk if parent is not None else None) != target.parent_id
            )
            self.read_only_row(
                number,
                target,
                via,
                parsed,
                present,
                errors,
                visible=visible,
                also_changes=parent_changes,
            )
            return
        if target is None and "region" in parsed:
            region = parsed["region"]
            if not permissions.can_create_organisation(self.actor, region_code=region):
                errors.append(
                    RowError(
                        number,
                        self.header("region"),
                        _("You may not register organisations in %(region)s.")
                        % {"region": self.region_label(region)},
                    )
                )
            elif "name" in parsed and not parsed.get("uscc") and not errors:
                twin = (
                    selectors.organisation_visible(user=self.actor)
                    .filter(name=parsed["name"], region_id=region)
                    .first()
                )
                if twin is not None:
                    errors.append(
                        RowError(
                            number,
                            self.header("name"),
                            _(
                                "%(name)s is already registered in this region (record "
                                "%(id)d); add its record number or USCC to update it."
                            )
                            % {"name": twin.name, "id": twin.pk},
                        )
                    )
        if errors:
            self.result.errors.extend(errors)
            return
        data: dict[str, Any] = {
            key: parsed.get(key, empty)
            for key, empty in ORGANISATION_EMPTY.items()
            if key in present
        }
        if "parent" in present:
            data["parent"] = parent.pk if parent is not None else None
        data.update(name=parsed["name"], kind=parsed["kind"], region=parsed["region"])

        def create() -> str:
            services.organisation_create(actor=self.actor, data_source=DataSource.IMPORTED, **data)
            return "created"

        def update() -> str:
            before = target.updated_at
            organisation = services.organisation_update(
                actor=self.actor, organisation=target, data=data
            )
            return "updated" if organisation.updated_at != before else "unchanged"

        self.write(number, update if target is not None else create)

    def _match(self, number: int, parsed: dict, errors: list) -> tuple[Organisation | None, str]:
        target, via = None, "record_id"
        if "record_id" in parsed:
            target = (
                selectors.organisation_visible(user=self.actor)
                .filter(pk=parsed["record_id"])
                .first()
            )
            if target is None:
                errors.append(
                    RowError(
                        number,
                        self.header("record_id"),
                        _("No organisation with the record number %(id)d that you can see.")
                        % {"id": parsed["record_id"]},
                    )
                )
                return None, via
        uscc = parsed.get("uscc")
        if uscc:
            first = self.first_use(number, f"uscc:{uscc}")
            if first:
                errors.append(
                    RowError(
                        number,
                        self.header("uscc"),
                        _("The same unified social credit code is already in row %(row)d.")
                        % {"row": first},
                    )
                )
            existing = Organisation.objects.filter(uscc=uscc).first()
            if target is not None and existing is not None and existing.pk != target.pk:
                errors.append(
                    RowError(
                        number,
                        self.header("uscc"),
                        _("Another organisation already has this unified social credit code."),
                    )
                )
            elif target is None:
                target, via = existing, "uscc"
        if target is None:
            return None, via
        first = self.first_target(number, target.pk)
        if first:
            errors.append(
                RowError(
                    number,
                    "",
                    _("Row %(row)d already updates this organisation.") % {"row": first},
                )
            )
        return target, via

    def _parent(
        self, number: int, parsed: dict, target: Organisation | None, errors: list
    ) -> Organisation | None:
        if "parent" not in parsed:
            return None
        known = [target.parent] if target is not None and target.parent_id else []
        parent, problems = self.find_organisation(number, "parent", parsed["parent"], known=known)
        errors.extend(problems)
        return parent
