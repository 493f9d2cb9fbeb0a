"""An alliance's officers import its recognition catalogue from a spreadsheet: all rows or none,
errors by row and column, the catalogue export imports again without changing anything, and
only officers of a member region may import."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talentflow.core.models import AuditEvent
from talentflow.recognition import catalogue_sheet
from talentflow.recognition.models import CatalogueEntry, Kind
from talentflow.recognition.tests.builders import xlsx as _xlsx
from talentflow.reference.models import Alliance, Qualification, TitleSeries

pytestmark = pytest.mark.django_db
HEADERS = ["类别", "名称", "目录编号", "互认起始", "备注"]
SINCE = dt.date(2021, 6, 1)


def xlsx(rows, headers=HEADERS) -> bytes:
    return _xlsx(rows, headers)


@pytest.fixture
def yrd(cast):
    return Alliance.objects.get(code="yrd-demo-zone")


def _rows():
    first, second = Qualification.objects.order_by("entry_no")[:2]
    series = TitleSeries.objects.order_by("seq")[0]
    return [
        ["职业资格", first.name, "", SINCE, "首批"],
        ["职业资格", "", second.entry_no, "2021/6/1", ""],
        ["职称", series.name, series.seq, SINCE, ""],
        ["外国高端人才工作许可", "外国高端人才（A类）工作许可", "", SINCE, ""],
        ["继续教育学时", "专业技术人员继续教育学时", "", "2021年6月1日", ""],
    ]


def test_rows_open_entries_and_the_export_imports_again_unchanged(cast, yrd, client):
    result = catalogue_sheet.import_catalogue(
        actor=cast.officer_jiashan, alliance=yrd, data=xlsx(_rows()), filename="目录.xlsx"
    )
    assert result.committed, result.errors
    assert (result.rows, result.created, result.unchanged) == (5, 5, 0)
    entries = list(CatalogueEntry.objects.filter(alliance=yrd).order_by("pk"))
    assert [e.kind for e in entries] == [
        Kind.QUALIFICATION,
        Kind.QUALIFICATION,
        Kind.TITLE,
        Kind.WORK_PERMIT,
        Kind.CONTINUING_EDUCATION,
    ]
    assert {e.since for e in entries} == {SINCE}
    assert entries[0].note == "首批"
    assert entries[1].qualification == Qualification.objects.order_by("entry_no")[1]
    assert entries[2].title_series.seq == TitleSeries.objects.order_by("seq")[0].seq
    assert AuditEvent.objects.filter(action="catalogue.create").count() == 5
    assert AuditEvent.objects.filter(action="catalogue.import").count() == 1

    # The catalogue export, as a file of the officer, imports again: nothing changes.
    client.force_login(cast.officer_jiashan)
    exported = client.get(reverse("recognition:catalogue_export", args=["xlsx"]))
    content = b"".join(exported.streaming_content) if exported.streaming else exported.content
    again = catalogue_sheet.import_catalogue(
        actor=cast.officer_jiashan, alliance=yrd, data=content, filename="export.xlsx"
    )
    assert again.committed, again.errors
    assert (again.created, again.unchanged) == (0, 5)
    assert CatalogueEntry.objects.filter(alliance=yrd).count() == 5


def test_any_bad_row_writes_nothing(cast, yrd):
    first = Qualification.objects.order_by("entry_no").first()
    other = Qualification.objects.order_by("entry_no")[1]
    series = TitleSeries.objects.order_by("seq")[0]
    good = ["职业资格", first.name, "", SINCE, ""]
    rows = [
        good,
        ["职业资格", "没有这个资格", "", SINCE, ""],
        ["职业资格", first.name, other.entry_no, SINCE, ""],  # the number is another one
        ["职称", series.name, 99, SINCE, ""],
        ["证书", "某证书", "", SINCE, ""],
        ["外国高端人才工作许可", "", "", SINCE, ""],
        ["继续教育学时", "学时", 3, "不是日期", ""],
        good,
    ]
    result = catalogue_sheet.import_catalogue(
        actor=cast.officer_jiashan, alliance=yrd, data=xlsx(rows), filename="bad.xlsx"
    )
    assert not result.ok and result.created == 0
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "名称"),
        (4, "目录编号"),
        (5, "目录编号"),
        (6, "类别"),
        (7, "名称"),
        (8, "目录编号"),
        (8, "互认起始"),
        (9, "名称"),
    }
    assert not CatalogueEntry.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="catalogue.").exists()


def test_an_entry_open_from_another_date_or_another_alliance_is_refused(cast, yrd):
    first = Qualification.objects.order_by("entry_no").first()
    catalogue_sheet.import_catalogue(
        actor=cast.officer_jiashan,
        alliance=yrd,
        data=xlsx([["职业资格", first.name, "", SINCE, ""]]),
        filename="a.xlsx",
    )
    later = catalogue_sheet.import_catalogue(
        actor=cast.officer_jiashan,
        alliance=yrd,
        data=xlsx([["职业资格", first.name, "", dt.date(2022, 1, 1), ""]]),
        filename="b.xlsx",
    )
    assert [(e.row, e.column) for e in later.errors] == [(2, "互认起始")]
    assert SINCE.isoformat() in later.errors[0].message
    elsewhere = catalogue_sheet.import_catalogue(
        actor=cast.officer_jiashan,
        alliance=yrd,
        data=xlsx(
            [["丽水1+9", "职业资格", first.name, "", SINCE, ""]], headers=["互认联盟", *HEADERS]
        ),
        filename="c.xlsx",
    )
    assert [(e.row, e.column) for e in elsewhere.errors] == [(2, "互认联盟")]
    assert CatalogueEntry.objects.get().since == SINCE


def test_only_officers_of_a_member_region_import(cast, yrd, client):
    data = xlsx(_rows())
    for user in (cast.officer_qingtian, cast.enterprise_user, cast.talent_user):
        with pytest.raises(PermissionDenied):
            catalogue_sheet.import_catalogue(actor=user, alliance=yrd, data=data, filename="x")
    assert not CatalogueEntry.objects.exists()
    url = reverse("recognition:catalogue_import")
    client.force_login(cast.enterprise_user)
    assert client.get(url).status_code == 403
    assert client.get(reverse("recognition:catalogue_import_template")).status_code == 403


def test_the_page_checks_then_imports(cast, yrd, client):
    url = reverse("recognition:catalogue_import")
    client.force_login(cast.officer_qingpu)
    page = client.get(url).content.decode()
    assert "互认起始" in page and reverse("recognition:catalogue_import_template") in page
    assert url in client.get(reverse("recognition:catalogue_list")).content.decode()
    template = client.get(reverse("recognition:catalogue_import_template"))
    book = openpyxl.load_workbook(io.BytesIO(template.content))
    assert [c.value for c in book.active[1]] == [c.header for c in catalogue_sheet.COLUMNS]
    # The sheet 说明 lists the names the import accepts.
    listed = {c.value for c in book["说明"]["C"]}
    assert {q.name for q in Qualification.objects.all()} <= listed
    assert {t.name for t in TitleSeries.objects.all()} <= listed
    assert "继续教育学时" in listed

    data = xlsx(_rows())
    checked = client.post(
        url, {"alliance": yrd.pk, "dry_run": "on", "file": SimpleUploadedFile("c.xlsx", data)}
    )
    assert 'id="import-checked"' in checked.content.decode()
    assert not CatalogueEntry.objects.exists()
    done = client.post(url, {"alliance": yrd.pk, "file": SimpleUploadedFile("c.xlsx", data)})
    assert done.status_code == 302 and done["Location"] == reverse("recognition:catalogue_list")
    assert CatalogueEntry.objects.filter(alliance=yrd).count() == 5
