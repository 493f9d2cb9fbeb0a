"""``talentflow import`` and ``talentflow export``: the spreadsheet exchange on the command line.

The work is done by ``directory.io`` exactly as for the web pages; the ``--as`` user's
permissions apply and that user is recorded in the audit trail. Exit codes: 0 done, 1 the file
has errors (nothing was written), 2 the command cannot run (unknown user, missing file, …).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.utils.translation import gettext as _

from talentflow.accounts import permissions
from talentflow.accounts.models import User
from talentflow.directory.io import KINDS
from talentflow.directory.io.exporter import export_csv, export_queryset, write_export_xlsx
from talentflow.directory.io.importer import ImportResult, file_too_large_message, import_file

__all__ = ["cli_export", "cli_import", "format_error"]


def _user(username: str, out: TextIO) -> User | None:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        print(_("Unknown or inactive user: %(username)s") % {"username": username}, file=out)
    return user


def format_error(error) -> str:
    if error.row is None:
        if error.column:
            return _("file, column %(column)s: %(message)s") % {
                "column": error.column,
                "message": error.message,
            }
        return _("file: %(message)s") % {"message": error.message}
    if error.column:
        return _("row %(row)d, column %(column)s: %(message)s") % {
            "row": error.row,
            "column": error.column,
            "message": error.message,
        }
    return _("row %(row)d: %(message)s") % {"row": error.row, "message": error.message}


def _report(result: ImportResult, out: TextIO) -> int:
    if result.errors:
        for error in result.errors:
            print(format_error(error), file=out)
        print(
            _("Nothing was imported: %(count)d errors. Correct the file and run again.")
            % {"count": len(result.errors)},
            file=out,
        )
        return 1
    counts = {
        "rows": result.rows,
        "created": result.created,
        "updated": result.updated,
        "unchanged": result.unchanged,
    }
    if result.dry_run:
        print(
            _(
                "checked: %(rows)d rows without errors; importing would create %(created)d, "
                "update %(updated)d and leave %(unchanged)d unchanged (dry run: nothing written)"
            )
            % counts,
            file=out,
        )
    else:
        print(
            _("imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged")
            % counts,
            file=out,
        )
    return 0


def cli_import(*, kind: str, path: Path, username: str, dry_run: bool, out: TextIO) -> int:
    if kind not in KINDS:
        print(_("Unknown kind: %(kind)s") % {"kind": kind}, file=out)
        return 2
    user = _user(username, out)
    if user is None:
        return 2
    if not permissions.can_import(user):
        print(
            _("%(username)s may not import: only officers and administrators may.")
            % {"username": username},
            file=out,
        )
        return 2
    if not path.is_file():
        print(_("No such file: %(path)s") % {"path": path}, file=out)
        return 2
    if path.stat().st_size > settings.TALENTFLOW_IMPORT_MAX_BYTES:
        print(
            _("file: %(message)s")
            % {"message": file_too_large_message(settings.TALENTFLOW_IMPORT_MAX_BYTES)},
            file=out,
        )
        return 1

    def progress(done: int, total: int) -> None:
        print(_("Checking row %(done)d/%(total)d …") % {"done": done, "total": total}, file=out)
        out.flush()

    result = import_file(
        actor=user,
        kind=kind,
        data=path.read_bytes(),
        filename=path.name,
        dry_run=dry_run,
        progress=progress,
    )
    return _report(result, out)


def cli_export(
    *, kind: str, path: Path, username: str, filters: Mapping[str, str], out: TextIO
) -> int:
    if kind not in KINDS:
        print(_("Unknown kind: %(kind)s") % {"kind": kind}, file=out)
        return 2
    fmt = path.suffix.lower().removeprefix(".")
    if fmt not in {"xlsx", "csv"}:
        print(_("The file name must end in .xlsx or .csv."), file=out)
        return 2
    user = _user(username, out)
    if user is None:
        return 2
    queryset = export_queryset(user=user, kind=kind, params=filters)
    if fmt == "xlsx":
        with path.open("wb") as target:
            count = write_export_xlsx(target, user=user, kind=kind, queryset=queryset)
    else:
        counter = [0]
        with path.open("w", encoding="utf-8", newline="") as target:
            for chunk in export_csv(user=user, kind=kind, queryset=queryset, counter=counter):
                target.write(chunk)
        count = counter[0]
    print(_("wrote %(count)d rows to %(path)s") % {"count": count, "path": path}, file=out)
    return 0
