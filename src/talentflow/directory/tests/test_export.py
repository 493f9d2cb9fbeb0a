"""Export of the directory lists: what the user sees, with the list's filters, re-importable."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from talentflow.core.audit import snapshot
from talentflow.directory import services
from talentflow.directory.io.columns import ORGANISATION_COLUMNS, TALENT_COLUMNS
from talentflow.directory.io.importer import import_file
from talentflow.directory.models import Affiliation, Organisation, TalentProfile
from talentflow.reference.models import Discipline, Qualification, TitleSeries
from talentflow.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PoolFactory,
    TalentFactory,
    id_number_for,
)


def export(client, kind: str, fmt: str, params: dict | None = None) -> bytes:
    response = client.get(reverse("directory:export", args=[kind, fmt]), params or {})
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content)
    return b"".join(response)


def xlsx_rows(data: bytes) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    return list(workbook.worksheets[0].iter_rows(values_only=True))


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def names(rows) -> set[str]:
    return {row[0] for row in rows[1:]}


@pytest.fixture
def rich(cast):
    """Records in 嘉善 with every column filled, including text that looks like a formula."""
    pool = PoolFactory(code="jiashan-experts", name="嘉善专家库")
    parent = OrganisationFactory(name="嘉善示例集团有限公司")
    child = services.organisation_create(
        actor=cast.officer_jiashan,
        name="嘉善示例精密研究院",
        kind="research_institute",
        region="330421",
        industry="3360",
        parent=parent,
        address="嘉善县示例路 1 号",
        website="https://example.org/lab",
        description="第一行\n=1+1 不是公式",
    )
    talent = services.talent_create(
        actor=cast.officer_jiashan,
        name="钱示例",
        home_region="330421",
        id_number=id_number_for("330421", 401, dt.date(1979, 9, 9)),
        gender="female",
        birth_year=1979,
        education="doctorate",
        title_series=TitleSeries.objects.get(seq=5).pk,
        title_level="senior_full",
        qualifications=list(Qualification.objects.filter(entry_no__in=[3, 4])),
        disciplines=list(Discipline.objects.filter(code__in=["0802", "F0201"])),
        industries=["3360", "3311"],
        expertise="压铸；模具钢",
        biography="@提醒：不是公式\n第二行",
        availability="limited",
        pools=[pool],
        phone="+86 138 0000 0000",
        email="qian@example.org",
    )
    AffiliationFactory(talent=talent, organisation=child, position="首席专家")
    return {"talent": talent, "organisation": child, "parent": parent, "pool": pool}


# Scoping and filters -----------------------------------------------------------------------


def test_export_respects_scoping(client, cast):
    """Officers export only what they see: 青田's officer does not get 谭刚, 嘉善's does."""
    client.force_login(cast.officer_qingtian)
    qingtian = export(client, "talents", "csv").decode("utf-8-sig")
    assert "谭刚" not in qingtian
    client.force_login(cast.officer_jiashan)
    assert "谭刚" in names(xlsx_rows(export(client, "talents", "xlsx")))


def test_export_applies_the_list_filters(client, cast):
    """The export link carries the list's query string and gets exactly that list."""
    client.force_login(cast.officer_jiashan)
    assert names(csv_rows(export(client, "talents", "csv", {"q": "谭刚"}))) == {"谭刚"}
    institutes = csv_rows(export(client, "organisations", "csv", {"kind": "research_institute"}))
    assert names(institutes) == {"杭州电子科技大学嘉善研究院"}
    everything = names(csv_rows(export(client, "organisations", "csv")))
    assert {"浙江福莱新材料股份有限公司", "浙江中扬立库技术有限公司"} <= everything
    assert "浙江侠峰精密压铸有限公司" not in everything


def test_any_logged_in_user_exports_what_they_see(client, cast):
    """An enterprise user may export; they get their own organisation only."""
    client.force_login(cast.enterprise_user)
    assert names(csv_rows(export(client, "organisations", "csv"))) == {cast.orgs["fulai"].name}


def test_anonymous_export_is_sent_to_login(client, cast):
    """Exports need a session."""
    response = client.get(reverse("directory:export", args=["talents", "xlsx"]))
    assert response.status_code == 302


def test_unknown_kind_or_format_is_404(client, cast):
    """Only organisations and talents, only xlsx and csv."""
    client.force_login(cast.officer_jiashan)
    assert client.get(reverse("directory:export", args=["users", "csv"])).status_code == 404
    assert client.get(reverse("directory:export", args=["talents", "pdf"])).status_code == 404


# The file ----------------------------------------------------------------------------------


def test_files_have_the_import_columns_and_a_dated_name(client, cast):
    """Both formats carry the import headers; the file name has the date; CSV starts with BOM."""
    client.force_login(cast.officer_jiashan)
    response = client.get(reverse("directory:export", args=["talents", "csv"]))
    assert response["Content-Type"].startswith("text/csv")
    assert dt.date.today().strftime("%Y%m%d") in response["Content-Disposition"]
    rows = csv_rows(b"".join(response.streaming_content))
    assert rows[0] == [c.header for c in TALENT_COLUMNS]
    xlsx = xlsx_rows(export(client, "organisations", "xlsx"))
    assert list(xlsx[0]) == [c.header for c in ORGANISATION_COLUMNS]


def test_identity_numbers_are_exported_masked(client, cast, rich):
    """The identity number column holds the mask only, never the number."""
    client.force_login(cast.officer_jiashan)
    number = id_number_for("330421", 401, dt.date(1979, 9, 9))
    for fmt in ("csv", "xlsx"):
        data = export(client, "talents", fmt)
        assert number.encode() not in data
    rows = csv_rows(export(client, "talents", "csv", {"q": "钱示例"}))
    assert rows[1][3] == rich["talent"].id_number_masked


def test_text_that_looks_like_a_formula_stays_text(client, cast, rich):
    """A cell starting with = or @ is text in the workbook and quoted in the CSV, so a
    spreadsheet never runs it."""
    client.force_login(cast.officer_jiashan)
    workbook = openpyxl.load_workbook(
        io.BytesIO(export(client, "talents", "xlsx", {"q": "钱示例"})), read_only=False
    )
    biography = workbook.worksheets[0].cell(row=2, column=12)
    assert biography.data_type == "s"
    assert biography.value.startswith("@提醒")
    rows = csv_rows(export(client, "talents", "csv", {"q": "钱示例"}))
    assert rows[1][11].startswith("'@")
    assert rows[1][17] == "'+86 138 0000 0000"


def test_export_query_count_does_not_grow_with_rows(client, cast):
    """Rows are fetched in chunks with their relations prefetched, not one query per row."""
    client.force_login(cast.officer_jiashan)
    qualification = Qualification.objects.get(entry_no=4)
    for i in range(3):
        TalentFactory(name=f"少{i}", qualifications=[qualification])
    with CaptureQueriesContext(connection) as few:
        export(client, "talents", "csv")
    for i in range(30):
        TalentFactory(name=f"多{i}", qualifications=[qualification])
    with CaptureQueriesContext(connection) as many:
        data = export(client, "talents", "csv")
    assert len(csv_rows(data)) > 33
    assert len(many.captured_queries) == len(few.captured_queries)


# Round trip --------------------------------------------------------------------------------


def state() -> dict:
    talents = {
        t.pk: snapshot(t, m2m=services.TALENT_M2M)
        | {"updated_at": t.updated_at, "id_digest": t.id_number_digest}
        for t in TalentProfile.objects.all()
    }
    organisations = {
        o.pk: snapshot(o, m2m=("shared_with",)) | {"updated_at": o.updated_at}
        for o in Organisation.objects.all()
    }
    affiliations = sorted(Affiliation.objects.values_list("pk", "talent", "organisation", "kind"))
    return {"talents": talents, "organisations": organisations, "affiliations": affiliations}


@pytest.mark.parametrize("kind", ["talents", "organisations"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_then_import_leaves_the_data_unchanged(client, cast, rich, kind, fmt):
    """Importing an unedited export changes nothing — including rows for records of other
    regions the officer may see but not edit (谭刚), masked identity numbers, pools, employment
    and text with line breaks or formula characters."""
    client.force_login(cast.officer_jiashan)
    data = export(client, kind, fmt)
    rows = len(xlsx_rows(data) if fmt == "xlsx" else csv_rows(data)) - 1
    before = state()
    result = import_file(actor=cast.officer_jiashan, kind=kind, data=data, filename=f"export.{fmt}")
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, rows)
    assert state() == before


def test_an_edited_export_updates_the_edited_record(client, cast, rich):
    """Change one cell of an export, import it: that record is updated, the others are not."""
    client.force_login(cast.officer_jiashan)
    workbook = openpyxl.load_workbook(io.BytesIO(export(client, "talents", "xlsx")))
    sheet = workbook.worksheets[0]
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        if row[0].value == "钱示例":
            row[headers.index("手机")].value = "13911112222"
            row[headers.index("职称级别")].value = "副高级"
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_file(
        actor=cast.officer_jiashan, kind="talents", data=buffer.getvalue(), filename="e.xlsx"
    )
    assert result.errors == []
    assert result.updated == 1
    talent = TalentProfile.objects.get(pk=rich["talent"].pk)
    assert (talent.phone, talent.title_level) == ("13911112222", "senior_deputy")
    assert talent.id_number_digest == rich["talent"].id_number_digest
