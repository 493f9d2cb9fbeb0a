"""``talentflow import engagements`` and ``talentflow recommend``: matching on the command line.

Both work on whatever database ``DATABASE_URL`` names. ``recommend`` ranks every active talent
(no user's visibility applies: it is the operator's tool and the evaluation harness); results go
to standard output as JSON, progress and messages to standard error, so the output can be piped.
Exit codes as ``talentflow import``: 0 done, 1 the file has errors, 2 the command cannot run.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.utils.translation import gettext as _

from talentflow.accounts import permissions
from talentflow.accounts.models import User
from talentflow.directory.io.sheets import SheetError, decode_csv
from talentflow.directory.models import TalentProfile
from talentflow.matching.engine.types import NeedQuery, Recommendation

PROGRESS_EVERY = 100


# Import -------------------------------------------------------------------------------------


def cli_import_engagements(*, path: Path, username: str, dry_run: bool, out: TextIO) -> int:
    from talentflow.directory.importexport import _report
    from talentflow.matching.importer import import_engagements

    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        print(_("Unknown or inactive user: %(username)s") % {"username": username}, file=out)
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

    def progress(done: int, total: int) -> None:
        print(_("Checking row %(done)d/%(total)d …") % {"done": done, "total": total}, file=out)
        out.flush()

    result = import_engagements(
        actor=user, data=path.read_bytes(), filename=path.name, dry_run=dry_run, progress=progress
    )
    return _report(result, out)


# Recommend ----------------------------------------------------------------------------------


def _recommend(query: NeedQuery, top: int) -> list[Recommendation]:
    from talentflow.matching.selectors import ranked

    return ranked(query, top=top)


def recommendation_json(rec: Recommendation, names: dict[int, str]) -> dict:
    """One expert as ``--json`` prints them."""
    return {
        "expert_id": rec.expert_id,
        "name": names.get(rec.expert_id, ""),
        "score": round(rec.score, 6),
        "reasons": [
            {"code": r.code, "score": round(r.score, 6), "evidence": list(r.evidence)}
            for r in rec.reasons
        ],
    }


def _codes(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    parts = value.replace("；", ";").replace(",", ";").split(";")
    return tuple(
        p.strip().upper() if p.strip()[:1].isalpha() else p.strip() for p in parts if p.strip()
    )


def cli_recommend_text(
    *,
    text: str,
    industry: str | None,
    discipline: str | None,
    region: str | None,
    top: int,
    as_json: bool,
    out: TextIO,
    err: TextIO,
) -> int:
    if not text.strip():
        print(_("Give the need's text with --text."), file=err)
        return 2
    query = NeedQuery(
        text=text,
        industries=_codes(industry),
        disciplines=_codes(discipline),
        region=(region or "").strip(),
    )
    found = _recommend(query, top)
    names = dict(
        TalentProfile.objects.filter(pk__in=[r.expert_id for r in found]).values_list("pk", "name")
    )
    if as_json:
        json.dump([recommendation_json(r, names) for r in found], out, ensure_ascii=False, indent=2)
        out.write("\n")
        return 0
    for rank, rec in enumerate(found, start=1):
        reasons = "; ".join(
            f"{r.code} {r.score:.3f}" + (f" ({', '.join(r.evidence[:3])})" if r.evidence else "")
            for r in rec.reasons
        )
        print(
            f"{rank:>3}. {rec.expert_id:>8} {names.get(rec.expert_id, '')}  "
            f"{rec.score:.4f}  {reasons}",
            file=out,
        )
    if not found:
        print(_("No expert matches this text."), file=err)
    return 0


@dataclass(frozen=True)
class NeedLine:
    """One line of a needs file."""

    id: int | str
    query: NeedQuery


class NeedsFileError(Exception):
    pass


def read_needs_file(data: bytes) -> Iterator[NeedLine]:
    """Needs from CSV with the columns ``id,text[,industry,disciplines,region]`` (a header row
    with these names; disciplines separated by ;). Ids of digits become numbers."""
    try:
        text = decode_csv(data)
    except SheetError as error:
        raise NeedsFileError(error.message) from error
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise NeedsFileError(_("The file is empty."))
    columns = [h.strip().lower() for h in header]
    for required in ("id", "text"):
        if required not in columns:
            raise NeedsFileError(
                _("The required column “%(header)s” is missing.") % {"header": required}
            )
    unknown = [
        h for h in columns if h and h not in {"id", "text", "industry", "disciplines", "region"}
    ]
    if unknown:
        raise NeedsFileError(
            _("Unknown column “%(header)s”. The columns are: %(columns)s.")
            % {"header": unknown[0], "columns": "id, text, industry, disciplines, region"}
        )
    position = {name: i for i, name in enumerate(columns)}

    def cell(row: Sequence[str], name: str) -> str:
        i = position.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    for row in reader:
        if not any(c.strip() for c in row):
            continue
        raw_id = cell(row, "id")
        yield NeedLine(
            id=int(raw_id) if raw_id.isdigit() else raw_id,
            query=NeedQuery(
                text=cell(row, "text"),
                industries=_codes(cell(row, "industry")),
                disciplines=_codes(cell(row, "disciplines")),
                region=cell(row, "region"),
            ),
        )


def cli_recommend_file(*, path: Path, top: int, out: TextIO, err: TextIO) -> int:
    """One JSON line per need: {"need": id, "experts": [[expert_id, score], …]}."""
    if not path.is_file():
        print(_("No such file: %(path)s") % {"path": path}, file=err)
        return 2
    started = time.monotonic()
    from talentflow.matching.index import get_engine

    get_engine()  # build first, so the progress below measures the queries
    print(
        _("Index ready in %(seconds).1f s.") % {"seconds": time.monotonic() - started},
        file=err,
    )
    done = 0
    try:
        for line in read_needs_file(path.read_bytes()):
            found = _recommend(line.query, top) if line.query.text else []
            out.write(
                json.dumps(
                    {"need": line.id, "experts": [[r.expert_id, round(r.score, 6)] for r in found]},
                    ensure_ascii=False,
                )
                + "\n"
            )
            done += 1
            if done % PROGRESS_EVERY == 0:
                out.flush()
                print(_("%(count)d needs …") % {"count": done}, file=err)
                err.flush()
    except NeedsFileError as error:
        print(_("file: %(message)s") % {"message": error}, file=err)
        return 1
    print(
        _("%(count)d needs in %(seconds).1f s.")
        % {"count": done, "seconds": time.monotonic() - started},
        file=err,
    )
    return 0
