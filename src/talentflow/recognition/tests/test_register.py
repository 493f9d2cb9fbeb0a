"""An issuing region imports its register of certificates certified before the platform: every row
becomes a certificate certified on the row's date and signed by the region, valid at once in the
partner regions; a file with any bad row writes nothing and lists the errors by row and column;
the same file imported again changes nothing; only the region's officers may import."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from talentflow.core.models import AuditEvent
from talentflow.core.validators import id_number_check_char
from talentflow.directory.services import _set_id_number
from talentflow.recognition import register, selectors
from talentflow.recognition.models import Certificate, CertificateStatus, Kind
from talentflow.recognition.services import default_valid_until
from talentflow.recognition.tests.builders import JIASHAN, QINGPU, WUJIANG, apply, today, zone
from talentflow.recognition.tests.builders import xlsx as _xlsx
from talentflow.reference.models import Region
from talentflow.tests.factories import TalentFactory

pytestmark = pytest.mark.django_db
HEADERS = ["人才编号", "身份证号", "姓名", "类别", "互认事项", "职称级别", "学时", "原证书编号",
           "认定日期", "有效期至"]  # fmt: skip


def id_number(serial: str = "123") -> str:
    first17 = f"33042119850302{serial}"
    return first17 + id_number_check_char(first17)


def xlsx(rows, headers=HEADERS) -> bytes:
    return _xlsx(rows, headers)


def csv_bytes(rows, headers=HEADERS) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return buffer.getvalue().encode("gb18030")


@pytest.fixture
def setting(cast):
    z = zone(cast)
    local = TalentFactory(name="陈晓燕", home_region=Region.objects.get(code=JIASHAN))
    _set_id_number(local, id_number())
    local.save()
    return z, local


def _rows(cast, z, local):
    tangang = cast.talents["tangang"]
    q = z.qualification.qualification
    series = z.title.title_series
    day = today() - dt.timedelta(days=30)
    return [
        [tangang.pk, "", "谭刚", "职业资格", q.entry_no, "", "", "ZG-2024-001", day, ""],
        ["", id_number(), "陈晓燕", "职称", series.name, "副高级", "", "", day.isoformat(), ""],
        [local.pk, "", "陈晓燕", "外国高端人才工作许可", z.permit.name, "", "", "", day, ""],
        [tangang.pk, "", "谭刚", "继续教育学时", z.hours.name, "", 90, "", day,
         day + dt.timedelta(days=200)],
    ]  # fmt: skip


def test_register_rows_become_signed_certificates_valid_in_the_partner_regions(cast, setting):
    z, local = setting
    rows = _rows(cast, z, local)
    jiashan = Region.objects.get(code=JIASHAN)
    result = register.import_register(
        actor=cast.officer_jiashan, region=jiashan, data=xlsx(rows), filename="登记册.xlsx"
    )
    assert result.ok and result.committed, result.errors
    assert (result.rows, result.created, result.unchanged) == (4, 4, 0)

    certificates = list(Certificate.objects.order_by("pk"))
    assert [c.kind for c in certificates] == [
        Kind.QUALIFICATION,
        Kind.TITLE,
        Kind.WORK_PERMIT,
        Kind.CONTINUING_EDUCATION,
    ]
    day = today() - dt.timedelta(days=30)
    for certificate in certificates:
        assert certificate.status == CertificateStatus.CERTIFIED
        assert certificate.issuing_region_id == JIASHAN
        assert certificate.certified_on == day
        assert certificate.decided_by == cast.officer_jiashan
        assert "登记册.xlsx" in certificate.statement
        # Signed by 嘉善, so 青浦 and 吴江 accept it without re-examination.
        check = selectors.signature_check(certificate)
        assert check.signed and check.valid and check.region_code == JIASHAN
        for code in (QINGPU, WUJIANG):
            assert certificate in selectors.valid_in(code)
    qualification, title, permit, hours = certificates
    assert qualification.talent == cast.talents["tangang"]
    assert qualification.original_number == "ZG-2024-001"
    assert qualification.valid_until == default_valid_until(Kind.QUALIFICATION, day)
    assert (title.talent, title.title_level) == (local, "senior_deputy")
    assert permit.valid_until == default_valid_until(Kind.WORK_PERMIT, day)
    assert (hours.hours, hours.valid_until) == (90, day + dt.timedelta(days=200))
    assert AuditEvent.objects.filter(action="certificate.import").count() == 5  # 4 + summary

    # The same file again: nothing new, every row counted as already here.
    again = register.import_register(
        actor=cast.officer_jiashan, region=jiashan, data=xlsx(rows), filename="登记册.xlsx"
    )
    assert again.ok and (again.created, again.unchanged) == (0, 4)
    assert Certificate.objects.count() == 4


def test_a_csv_register_with_chinese_dates_and_identity_numbers(cast, setting):
    z, local = setting
    day = today() - dt.timedelta(days=300)  # the entry is recognised from 400 days ago
    until = dt.date(day.year + 5, 8, 31)
    rows = [["", id_number(), "陈晓燕", "职业资格", z.qualification.qualification.name, "", "", "",
             f"{day.year}年{day.month}月{day.day}日", f"{until.year}/8/31"]]  # fmt: skip
    result = register.import_register(
        actor=cast.officer_jiashan,
        region=Region.objects.get(code=JIASHAN),
        data=csv_bytes(rows),
        filename="register.csv",
    )
    assert result.committed, result.errors
    certificate = Certificate.objects.get()
    assert certificate.talent == local
    assert (certificate.certified_on, certificate.valid_until) == (day, until)


def test_any_bad_row_writes_nothing_and_every_error_is_listed(cast, setting):
    z, local = setting
    good = _rows(cast, z, local)[0]
    tomorrow = today() + dt.timedelta(days=1)
    series = z.title.title_series.name
    rows = [
        good,
        [local.pk, "", "陈晓", "职业资格", z.qualification.qualification.name, "", "", "",
         today(), ""],  # wrong name
        [local.pk, "", "陈晓燕", "职业资格", "不存在的资格", "", "", "", today(), ""],
        [local.pk, "", "陈晓燕", "职称", series, "", "", "", today(), ""],  # no level
        [local.pk, "", "陈晓燕", "继续教育学时", z.hours.name, "", "", "", tomorrow, ""],
        [local.pk, "", "陈晓燕", "证书", z.permit.name, "", "", "", "昨天", ""],
        good,  # the same row twice
        ["", "", "陈晓燕", "职业资格", z.qualification.qualification.name, "", "", "",
         today(), ""],  # no talent
        [999999, "", "某某", "职业资格", z.qualification.qualification.name, "", "", "",
         today(), ""],
        [local.pk, "", "陈晓燕", "外国高端人才工作许可", z.permit.name, "", "", "", today(),
         today() - dt.timedelta(days=2)],  # ends before it starts
    ]  # fmt: skip
    result = register.import_register(
        actor=cast.officer_jiashan,
        region=Region.objects.get(code=JIASHAN),
        data=xlsx(rows),
        filename="bad.xlsx",
    )
    assert not result.ok and result.created == 0
    found = {(e.row, e.column) for e in result.errors}
    assert found == {
        (3, "姓名"),
        (4, "互认事项"),
        (5, "职称级别"),
        (6, "学时"),
        (6, "认定日期"),
        (7, "类别"),
        (7, "认定日期"),
        (8, "互认事项"),
        (9, "人才编号"),
        (10, "人才编号"),
        (11, "有效期至"),
    }
    messages = {(e.row, e.column): e.message for e in result.errors}
    assert "陈晓燕" in messages[(3, "姓名")]
    assert "row 2" in messages[(8, "互认事项")]
    assert not Certificate.objects.exists()
    assert not AuditEvent.objects.filter(action="certificate.import").exists()


def test_dry_run_and_file_errors_write_nothing(cast, setting):
    z, local = setting
    jiashan = Region.objects.get(code=JIASHAN)
    checked = register.import_register(
        actor=cast.officer_jiashan,
        region=jiashan,
        data=xlsx(_rows(cast, z, local)),
        filename="r.xlsx",
        dry_run=True,
    )
    assert checked.ok and not checked.committed and checked.created == 4
    assert not Certificate.objects.exists()

    unknown = register.import_register(
        actor=cast.officer_jiashan,
        region=jiashan,
        data=xlsx([], headers=["姓名", "颜色"]),
        filename="r.xlsx",
    )
    messages = [e.message for e in unknown.file_errors]
    assert any("颜色" in m for m in messages)
    assert any("认定日期" in m for m in messages)
    assert "The file needs the column 人才编号 or 身份证号." in messages
    empty = register.import_register(
        actor=cast.officer_jiashan,
        region=jiashan,
        data=xlsx([]),
        filename="r.xlsx",
    )
    assert [e.message for e in empty.errors] == ["The file has a header row but no data rows."]
    broken = register.import_register(
        actor=cast.officer_jiashan, region=jiashan, data=b"\x00\x01not a sheet", filename="r.xlsx"
    )
    assert broken.file_errors and not Certificate.objects.exists()


def test_a_recognition_already_applied_for_is_refused_and_nothing_is_written(cast, setting):
    z, local = setting
    applied = apply(cast, z.qualification)  # 谭刚 applied in 嘉善 for the same qualification
    rows = _rows(cast, z, local)
    result = register.import_register(
        actor=cast.officer_jiashan,
        region=Region.objects.get(code=JIASHAN),
        data=xlsx(rows),
        filename="r.xlsx",
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "互认事项")]
    assert str(applied.pk) in result.errors[0].message
    assert list(Certificate.objects.all()) == [applied]


def test_only_the_issuing_regions_officers_import(cast, setting, client):
    z, local = setting
    data = xlsx(_rows(cast, z, local))
    jiashan = Region.objects.get(code=JIASHAN)
    for user in (cast.officer_qingpu, cast.admin, cast.talent_user):
        with pytest.raises(PermissionDenied):
            register.import_register(actor=user, region=jiashan, data=data, filename="r.xlsx")
    assert [r.code for r in register.issuing_regions(cast.officer_qingpu)] == [QINGPU]
    assert register.issuing_regions(cast.enterprise_user) == []

    url = reverse("recognition:certificate_import")
    client.force_login(cast.talent_user)
    assert client.get(url).status_code == 403
    client.force_login(cast.officer_qingpu)
    # 青浦's officer may only choose 青浦: posting 嘉善 is a form error, nothing written.
    response = client.post(
        url, {"region": JIASHAN, "file": SimpleUploadedFile("r.xlsx", data)}, follow=True
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Certificate.objects.exists()


def test_the_import_page_checks_then_imports(cast, setting, client):
    z, local = setting
    data = xlsx(_rows(cast, z, local))
    url = reverse("recognition:certificate_import")
    client.force_login(cast.officer_jiashan)
    page = client.get(url).content.decode()
    assert "认定日期" in page and reverse("recognition:certificate_import_template") in page
    listing = client.get(reverse("recognition:certificate_list")).content.decode()
    assert "Import a register" in listing

    template = client.get(reverse("recognition:certificate_import_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(template.content)).active
    assert [c.value for c in sheet[1]] == [c.header for c in register.COLUMNS]

    checked = client.post(
        url, {"region": JIASHAN, "dry_run": "on", "file": SimpleUploadedFile("r.xlsx", data)}
    )
    assert 'id="import-checked"' in checked.content.decode()
    assert not Certificate.objects.exists()

    done = client.post(url, {"region": JIASHAN, "file": SimpleUploadedFile("r.xlsx", data)})
    assert done.status_code == 302 and done["Location"] == reverse("recognition:certificate_list")
    assert Certificate.objects.filter(status=CertificateStatus.CERTIFIED).count() == 4

    bad = client.post(
        url,
        {"region": JIASHAN, "file": SimpleUploadedFile("r.xlsx", xlsx([["1", "", "x"]]))},
    )
    body = bad.content.decode()
    assert 'id="import-errors"' in body and "Nothing was imported." in body
    assert Certificate.objects.count() == 4
