"""Load the reference files shipped in ``reference/data`` into the database.

Idempotent: each run upserts by natural key, so it doubles as the upgrade path when a file is
refreshed. Runs in one transaction — a bad file leaves the previous data untouched.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TextIO

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from talentflow.core.audit import audit_record
from talentflow.reference.models import (
    Alliance,
    AllianceMember,
    Discipline,
    DisciplineScheme,
    Industry,
    Qualification,
    Region,
    TitleSeries,
)

DATA_DIR = Path(__file__).resolve().parent / "data"

FILES = {
    "regions": "cn_admin_divisions_county_2025.csv",
    "industries": "gbt4754_2017.csv",
    "grad_disciplines": "grad_catalogue_2022_level1.csv",
    "nsfc_disciplines": "nsfc_application_codes_2019.csv",
    "title_series": "zhicheng_series_27.csv",
    "qualifications": "national_vocational_qualifications_2021.csv",
    "alliances": "alliances.csv",
}
LEVEL_ORDER = {"province": 0, "prefecture": 1, "county": 2}


def _rows(name: str, data_dir: Path) -> Iterator[dict[str, str]]:
    with open(data_dir / FILES[name], encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle)


def _decimal(value: str) -> Decimal | None:
    try:
        return Decimal(value) if value else None
    except InvalidOperation:
        return None


def load_regions(data_dir: Path) -> int:
    rows = sorted(_rows("regions", data_dir), key=lambda r: (LEVEL_ORDER[r["level"]], r["code"]))
    objs = []
    for r in rows:
        parts = [r["province"], r["prefecture"], r["name"]]
        full: list[str] = []
        for part in parts:
            if part and part not in full:
                full.append(part)
        objs.append(
            Region(
                code=r["code"],
                name=r["name"],
                level=r["level"],
                parent_id=r["parent_code"] or None,
                full_name=" ".join(full),
                longitude=_decimal(r["longitude"]),
                latitude=_decimal(r["latitude"]),
                stats_only=r["stats_only_zone"] == "Y",
            )
        )
    Region.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=[
            "name",
            "level",
            "parent",
            "full_name",
            "longitude",
            "latitude",
            "stats_only",
        ],
        batch_size=500,
    )
    return len(objs)


def load_industries(data_dir: Path) -> int:
    rows = sorted(_rows("industries", data_dir), key=lambda r: (int(r["level_no"]), r["code"]))
    objs = [
        Industry(
            code=r["code"],
            name=r["name"],
            level=int(r["level_no"]),
            section=r["section"],
            parent_id=r["parent_code"] or None,
            description=r["description"],
        )
        for r in rows
    ]
    Industry.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "level", "section", "parent", "description"],
        batch_size=500,
    )
    return len(objs)


def _upsert_disciplines(scheme: str, entries: list[tuple[str, str, str, int, str]]) -> int:
    """entries: (code, name, name_en, level, parent_code), parents before children."""
    Discipline.objects.bulk_create(
        [
            Discipline(scheme=scheme, code=code, name=name, name_en=name_en, level=level)
            for code, name, name_en, level, _parent in entries
        ],
        update_conflicts=True,
        unique_fields=["scheme", "code"],
        update_fields=["name", "name_en", "level"],
        batch_size=500,
    )
    ids = dict(Discipline.objects.filter(scheme=scheme).values_list("code", "id"))
    updates = []
    for code, _name, _en, _level, parent in entries:
        updates.append(Discipline(id=ids[code], parent_id=ids.get(parent) if parent else None))
    Discipline.objects.bulk_update(updates, ["parent"], batch_size=500)
    return len(entries)


def load_grad_disciplines(data_dir: Path) -> int:
    entries: list[tuple[str, str, str, int, str]] = []
    categories: dict[str, str] = {}
    rows = list(_rows("grad_disciplines", data_dir))
    for r in rows:
        categories.setdefault(r["category_code"], r["category_name"])
    entries += [(code, name, "", 1, "") for code, name in sorted(categories.items())]
    entries += [(r["code"], r["name"], "", 2, r["category_code"]) for r in rows]
    return _upsert_disciplines(DisciplineScheme.GRADUATE_2022, entries)


def load_nsfc_disciplines(data_dir: Path) -> int:
    rows = sorted(_rows("nsfc_disciplines", data_dir), key=lambda r: (int(r["level"]), r["code"]))
    entries = [
        (r["code"], r["name"], r["name_en"], int(r["level"]), r["parent_code"]) for r in rows
    ]
    return _upsert_disciplines(DisciplineScheme.NSFC, entries)


def load_title_series(data_dir: Path) -> int:
    objs = [
        TitleSeries(
            seq=int(r["seq"]),
            name=r["series"],
            title_senior_full=r["title_senior_full"],
            title_senior_deputy=r["title_senior_deputy"],
            title_intermediate=r["title_intermediate"],
            title_assistant=r["title_assistant"],
            title_junior=r["title_junior"],
            other_tracks=r["other_tracks"],
            verified=r["verified_in_stored_source"] == "Y",
        )
        for r in _rows("title_series", data_dir)
    ]
    TitleSeries.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=["seq"],
        update_fields=[
            "name",
            "title_senior_full",
            "title_senior_deputy",
            "title_intermediate",
            "title_assistant",
            "title_junior",
            "other_tracks",
            "verified",
        ],
    )
    return len(objs)


def load_qualifications(data_dir: Path) -> int:
    objs = [
        Qualification(
            entry_no=int(r["entry_no"]),
            name=r["name"],
            personnel_type=r["personnel_type"],
            category=r["qualification_category"],
            catalogue_item_no=int(r["item_no_inferred"]) if r["item_no_inferred"] else None,
            catalogue_item=r["catalogue_item_inferred"],
            verified=r["item_structure_verified"] == "Y",
        )
        for r in _rows("qualifications", data_dir)
    ]
    Qualification.objects.bulk_create(
        objs,
        update_conflicts=True,
        unique_fields=["entry_no"],
        update_fields=[
            "name",
            "personnel_type",
            "category",
            "catalogue_item_no",
            "catalogue_item",
            "verified",
        ],
    )
    return len(objs)


def load_alliances(data_dir: Path) -> int:
    count = 0
    for r in _rows("alliances", data_dir):
        alliance, _ = Alliance.objects.update_or_create(
            code=r["code"],
            defaults={
                "name": r["name"],
                "short_name": r["short_name"],
                "description": r["description"],
            },
        )
        codes = [c for c in r["member_codes"].split(";") if c]
        missing = set(codes) - set(
            Region.objects.filter(code__in=codes).values_list("code", flat=True)
        )
        if missing:
            raise ValueError(f"alliance {r['code']}: unknown region codes {sorted(missing)}")
        AllianceMember.objects.filter(alliance=alliance).exclude(region_id__in=codes).delete()
        for code in codes:
            AllianceMember.objects.get_or_create(alliance=alliance, region_id=code)
        count += 1
    return count


STEPS: list[tuple[str, str, Callable[[Path], int], type]] = [
    ("regions", gettext_noop("administrative divisions"), load_regions, Region),
    ("industries", gettext_noop("GB/T 4754-2017 industries"), load_industries, Industry),
    (
        "grad_disciplines",
        gettext_noop("graduate disciplines (2022)"),
        load_grad_disciplines,
        Discipline,
    ),
    ("nsfc_disciplines", gettext_noop("NSFC application codes"), load_nsfc_disciplines, Discipline),
    ("title_series", gettext_noop("title series"), load_title_series, TitleSeries),
    (
        "qualifications",
        gettext_noop("vocational qualifications (2021)"),
        load_qualifications,
        Qualification,
    ),
    ("alliances", gettext_noop("alliances"), load_alliances, Alliance),
]


@transaction.atomic
def reference_load(*, data_dir: Path | None = None, stdout: TextIO | None = None) -> dict[str, int]:
    """Load every reference file; return the rows read per file."""
    data_dir = data_dir or DATA_DIR
    out = stdout if stdout is not None else io.StringIO()
    counts: dict[str, int] = {}
    for key, label, loader, model in STEPS:
        before = model.objects.count()
        counts[key] = loader(data_dir)
        created = model.objects.count() - before
        # Labels are marked with gettext_noop in STEPS and translated here, at print time.
        line = _("%(label)s: %(rows)d rows (%(created)d new)") % {
            "label": _(label),
            "rows": counts[key],
            "created": created,
        }
        out.write(f"  {line}\n")
        if created:
            audit_record(
                actor=None,
                system_label="load_reference",
                action="reference.load",
                object_type=model._meta.label_lower,
                object_id=FILES[key],
                object_repr=f"{FILES[key]} ({counts[key]} rows)",
                after={"file": FILES[key], "rows": counts[key], "created": created},
            )
    return counts
