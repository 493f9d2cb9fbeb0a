"""Spreadsheet import of organisations and talents: all rows or none, errors by row and column."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from talentflow.core import crypto
from talentflow.core.models import AuditEvent, DataSource
from talentflow.directory.io.columns import ORGANISATION_COLUMNS, TALENT_COLUMNS
from talentflow.directory.io.importer import RowError, import_file
from talentflow.directory.io.sheets import cell_text, read_table
from talentflow.directory.models import Affiliation, Organisation, TalentProfile
from talentflow.tests.factories import PoolFactory, TalentFactory, id_number_for, uscc_for

ORG_HEADER = ["名称", "类型", "统一社会信用代码", "所在地区代码", "行业代码", "上级单位", "地址"]
TALENT_HEADER = [
    "姓名",
    "性别",
    "出生年份",
    "身份证号",
    "学历",
    "职称系列",
    "职称级别",
    "职业资格",
    "学科代码",
    "行业代码",
    "专长关键词",
    "所在地区代码",
    "可承接状态",
    "工作单位",
    "职务",
    "手机",
]


def xlsx_bytes(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list], encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)


def counts() -> dict[str, int]:
    return {
        "organisations": Organisation.objects.count(),
        "talents": TalentProfile.objects.count(),
        "affiliations": Affiliation.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def upload(client, kind: str, name: str, data: bytes, **extra):
    return client.post(
        reverse("directory:import", args=[kind]),
        {"file": SimpleUploadedFile(name, data), **extra},
        HTTP_ACCEPT_LANGUAGE="en",
    )


def org_row(name: str, n: int, region: str = "330421", **over) -> list:
    row = dict(
        name=name,
        kind="企业",
        uscc=uscc_for(region, 900000 + n),
        region=region,
        industry="3360",
        parent="",
        address="嘉善县某路1号",
    )
    row.update(over)
    return list(row.values())


# Good files --------------------------------------------------------------------------------


def test_good_xlsx_creates_organisations_with_audit_events(client, cast):
    """A clean .xlsx creates every row as an imported record, each with its audit event, plus
    one summary event; the browser is sent to a summary page with the counts."""
    client.force_login(cast.officer_jiashan)
    data = xlsx_bytes(
        [
            ORG_HEADER,
            org_row("嘉善示例模具有限公司", 1),
            org_row("嘉善示例阀门有限公司", 2),
            org_row(
                "嘉善示例研究院",
                3,
                kind="科研院所",
                uscc="",
                industry="",
                parent="嘉善示例模具有限公司",
            ),
        ]
    )
    before = counts()
    response = upload(client, "organisations", "单位.xlsx", data)
    assert response.status_code == 302
    assert response["Location"].endswith("?done=1")

    created = Organisation.objects.filter(name__startswith="嘉善示例").order_by("name")
    assert created.count() == 3
    assert {o.data_source for o in created} == {DataSource.IMPORTED}
    institute = created.get(name="嘉善示例研究院")
    assert institute.kind == "research_institute"
    assert institute.uscc is None
    assert institute.parent.name == "嘉善示例模具有限公司"
    assert AuditEvent.objects.filter(action="organisation.create").count() == 3
    summary = AuditEvent.objects.get(action="import.organisations")
    assert summary.object_type == "directory.import"
    assert summary.object_id == "单位.xlsx"
    assert summary.actor == cast.officer_jiashan
    assert summary.after == {"rows": 3, "created": 3, "updated": 0, "unchanged": 0}
    assert counts()["audit"] == before["audit"] + 4

    page = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert page.context["created"] == 3
    assert b"Import complete" in page.content
    # The summary is shown once; reloading it shows the upload form, never a second import.
    again = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")
    assert "form" in again.context
    assert Organisation.objects.filter(name__startswith="嘉善示例").count() == 3


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-8", "gb18030"])
def test_good_csv_imports_talents_in_each_encoding(client, cast, encoding):
    """A CSV in UTF-8 with BOM, plain UTF-8 or GB18030 (Excel on Chinese Windows) imports the
    same way; Chinese labels, series names, codes and lists are understood."""
    client.force_login(cast.officer_jiashan)
    data = csv_bytes(
        [
            TALENT_HEADER,
            [
                "李工",
                "女",
                "1982",
                id_number_for("330421", 11, dt.date(1982, 5, 6)),
                "硕士",
                "工程技术人员",
                "副高级",
                "中国委托公证人资格(香港、澳门)、注册会计师",
                "0802；F0201",
                "3360, 3311",
                "压铸, 模具钢",
                "330421",
                "部分可承接",
                cast.orgs["fulai"].name,
                "工艺工程师",
                "13800000001",
            ],
            ["王工", "male", "", "", "bachelor", "5", "intermediate", "", "", "", "", "嘉善县"],
        ],
        encoding=encoding,
    )
    response = upload(client, "talents", "talents.csv", data)
    assert response.status_code == 302, response.context["result"].errors

    li = TalentProfile.objects.get(name="李工")
    assert li.gender == "female"
    assert li.birth_year == 1982
    assert li.education == "master"
    assert li.title_series.name == "工程技术人员"
    assert li.title_level == "senior_deputy"
    assert sorted(q.name for q in li.qualifications.all()) == sorted(
        ["中国委托公证人资格(香港、澳门)", "注册会计师"]
    )
    assert sorted(d.code for d in li.disciplines.all()) == ["0802", "F0201"]
    assert sorted(i.code for i in li.industries.all()) == ["3311", "3360"]
    assert li.expertise == "压铸；模具钢"
    assert li.availability == "limited"
    assert li.phone == "13800000001"
    assert (
        li.id_number_masked
        == "3304**********" + id_number_for("330421", 11, dt.date(1982, 5, 6))[-4:]
    )
    assert li.id_number_digest == crypto.lookup_digest(
        id_number_for("330421", 11, dt.date(1982, 5, 6))
    )
    assert li.data_source == DataSource.IMPORTED
    job = li.affiliations.get()
    assert (job.organisation, job.kind, job.position, job.end_date) == (
        cast.orgs["fulai"],
        "employed",
        "工艺工程师",
        None,
    )
    assert job.start_date == dt.date.today()

    wang = TalentProfile.objects.get(name="王工")
    assert (wang.gender, wang.education, wang.title_series.seq, wang.home_region_id) == (
        "male",
        "bachelor",
        5,
        "330421",
    )
    assert wang.availability == "available"
    assert AuditEvent.objects.filter(action="talent.create").count() >= 2
    assert AuditEvent.objects.filter(action="affiliation.create", object_repr__contains="李工")
    assert AuditEvent.objects.filter(action="import.talents").count() == 1


def test_english_headers_are_accepted_in_any_case(cast):
    """English aliases work as headers, whatever their case and spacing."""
    data = csv_bytes(
        [
            ["NAME", "Kind", "USCC", "Region", "address"],
            ["Alias 测试有限公司", "enterprise", uscc_for("330421", 4242), "330421", "某路"],
        ]
    )
    result = import_file(
        actor=cast.officer_jiashan, kind="organisations", data=data, filename="a.csv"
    )
    assert result.ok, result.errors
    assert result.created == 1


# All or nothing ------------------------------------------------------------------------------


def test_one_bad_row_rejects_the_whole_file(client, cast):
    """One bad row among good ones: nothing is written (records, affiliations, audit events)
    and the page lists the error with row and column and says that nothing was imported."""
    client.force_login(cast.officer_jiashan)
    bad = org_row("坏行有限公司", 3)
    bad[2] = bad[2][:-1] + ("0" if bad[2][-1] != "0" else "1")
    data = xlsx_bytes([ORG_HEADER, org_row("好行一有限公司", 1), org_row("好行二有限公司", 2), bad])
    before = counts()
    response = upload(client, "organisations", "orgs.xlsx", data)

    assert response.status_code == 200
    assert counts() == before
    assert not Organisation.objects.filter(name__startswith="好行").exists()
    result = response.context["result"]
    assert [(e.row, e.column) for e in result.errors] == [(4, "统一社会信用代码")]
    assert "check character" in result.errors[0].message
    assert b"Nothing was imported." in response.content
    html = response.content.decode()
    assert "<td>4</td>" in html and "统一社会信用代码" in html


def test_bad_talent_row_also_rolls_back_affiliations(cast):
    """Talents and the employments recorded for them are rolled back together."""
    data = csv_bytes(
        [
            ["姓名", "所在地区代码", "工作单位", "职务"],
            ["甲", "330421", cast.orgs["fulai"].name, "工程师"],
            ["乙", "330421", "没有这个单位", "工程师"],
        ]
    )
    before = counts()
    result = import_file(actor=cast.officer_jiashan, kind="talents", data=data, filename="t.csv")
    assert result.errors == [
        RowError(3, "工作单位", "No organisation you can see has the name or USCC “没有这个单位”.")
    ]
    assert counts() == before


def test_error_report_names_the_row_and_the_column_as_written(cast):
    """Errors carry the spreadsheet row (header = row 1; empty rows still count) and the header
    text exactly as the file wrote it; every bad row is reported, not only the first."""
    data = xlsx_bytes(
        [
            ["Name", "kind", "uscc", "Region"],
            ["一号有限公司", "企业", uscc_for("330421", 1), "330421"],
            [None, None, None, None],
            ["三号有限公司", "企业", uscc_for("330421", 3), "999999"],
            ["四号有限公司", "工厂", uscc_for("330421", 4), "330421"],
            ["", "企业", uscc_for("330421", 5), "330421"],
        ]
    )
    result = import_file(
        actor=cast.officer_jiashan, kind="organisations", data=data, filename="x.xlsx"
    )
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [
        (4, "Region"),
        (5, "kind"),
        (6, "Name"),
    ]
    assert result.rows == 4


def test_service_validation_errors_are_mapped_to_columns(cast):
    """Errors raised by the model's validation name the column of the offending field."""
    data = csv_bytes(
        [
            ["名称", "类型", "所在地区代码", "网址"],
            ["无代码企业", "企业", "330421", ""],
            ["坏网址研究院", "科研院所", "330421", "http://"],
        ]
    )
    result = import_file(
        actor=cast.officer_jiashan, kind="organisations", data=data, filename="x.csv"
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "统一社会信用代码"), (3, "网址")]


def test_duplicate_uscc_within_the_file_is_an_error(cast):
    """The same USCC twice in one file: the second row is an error naming the first."""
    row = org_row("重复有限公司", 1)
    data = csv_bytes([ORG_HEADER, row, org_row("别的有限公司", 2), list(row)])
    before = counts()
    result = import_file(
        actor=cast.officer_jiashan, kind="organisations", data=data, filename="d.csv"
    )
    assert [(e.row, e.column) for e in result.errors] == [(4, "统一社会信用代码")]
    assert "row 2" in result.errors[0].message
    assert counts() == before


def test_duplicate_identity_number_within_the_file_is_an_error(cast):
    """The same identity number twice, even typed differently (lower-case x, spaces)."""
    number = id_number_for("330421", 77, dt.date(1975, 1, 2))
    data = csv_bytes(
        [
            ["姓名", "身份证号", "所在地区代码"],
            ["甲", number, "330421"],
            ["乙", " ".join([number[:6], number[6:].lower()]), "330421"],
        ]
    )
    result = import_file(actor=cast.officer_jiashan, kind="talents", data=data, filename="d.csv")
    assert [(e.row, e.column) for e in result.errors] == [(3, "身份证号")]
    assert not TalentProfile.objects.filter(name__in=["甲", "乙"]).exists()


# Upserts ---------------------------------------------------------------------------------


def test_upsert_by_uscc_updates_the_existing_organisation(cast):
    """A row with a stored USCC updates that organisation instead of creating another."""
    fulai = cast.orgs["fulai"]
    data = csv_bytes(
        [
            ORG_HEADER,
            [fulai.name, "企业", fulai.uscc.lower(), "330421", "2929", "", "嘉善县新址路8号"],
        ]
    )
    before = counts()
    result = import_file(
        actor=cast.officer_jiashan, kind="organisations", data=data, filename="u.csv"
    )
    assert result.ok, result.errors
    assert (result.created, result.updated) == (0, 1)
    fulai.refresh_from_db()
    assert fulai.address == "嘉善县新址路8号"
    assert fulai.industry_id == "2929"
    assert fulai.data_source != DataSource.IMPORTED
    assert counts()["organisations"] == before["organisations"]
    event = AuditEvent.objects.get(action="organisation.update", object_id=str(fulai.pk))
    assert event.after["address"] == "嘉善县新址路8号"


def test_upsert_of_an_organisation_outside_the_officers_regions_is_a_row_error(cast):
    """An officer cannot update, through a USCC, an organisation of another region."""
    fulai = cast.orgs["fulai"]
    data = csv_bytes([ORG_HEADER, [fulai.name, "企业", fulai.uscc, "331121", "", "", "改"]])
    result = import_file(
        actor=cast.officer_qingtian, kind="organisations", data=data, filename="u.csv"
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "统一社会信用代码")]
    assert "outside your regions" in result.errors[0].message
    fulai.refresh_from_db()
    assert fulai.region_id == "330421"


def test_upsert_by_identity_number_updates_the_talent(cast):
    """A full identity number finds the stored talent (by keyed digest) and updates it."""
    number = id_number_for("330421", 5, dt.date(1990, 3, 3))
    talent = TalentFactory(name="赵工", id_number=number)
    data = csv_bytes(
        [["姓名", "身份证号", "所在地区代码", "手机"], ["赵工", number, "330421", "139"]]
    )
    result = import_file(actor=cast.officer_jiashan, kind="talents", data=data, filename="u.csv")
    assert (result.created, result.updated, result.errors) == (0, 1, [])
    talent.refresh_from_db()
    assert talent.phone == "139"
    assert TalentProfile.objects.filter(name="赵工").count() == 1


def test_a_masked_identity_number_leaves_the_number_unchanged(cast):
    """A masked number (as exported) identifies the talent with that name and keeps the
    stored number; it never replaces it."""
    number = id_number_for("330421", 6, dt.date(1991, 4, 4))
    talent = TalentFactory(name="钱工", id_number=number)
    digest = talent.id_number_digest
    data = csv_bytes(
        [
            ["姓名", "身份证号", "所在地区代码", "学历"],
            ["钱工", talent.id_number_masked, "330421", "博士研究生"],
        ]
    )
    result = import_file(actor=cast.officer_jiashan, kind="talents", data=data, filename="m.csv")
    assert (result.updated, result.errors) == (1, [])
    talent.refresh_from_db()
    assert (talent.education, talent.id_number_digest) == ("doctorate", digest)


def test_talent_of_another_region_cannot_be_changed(cast):
    """A talent the officer may see but not edit: an unchanged row passes, a change is an error."""
    tangang = cast.talents["tangang"]
    header = ["姓名", "身份证号", "所在地区代码", "系统编号", "手机"]
    same = [tangang.name, tangang.id_number_masked, "330106", tangang.pk, ""]
    changed = [*same[:4], "13900000000"]
    ok = import_file(
        actor=cast.officer_jiashan, kind="talents", data=csv_bytes([header, same]), filename="a.csv"
    )
    assert (ok.unchanged, ok.errors) == (1, [])
    refused = import_file(
        actor=cast.officer_jiashan,
        kind="talents",
        data=csv_bytes([header, changed]),
        filename="b.csv",
    )
    assert [(e.row, e.column) for e in refused.errors] == [(2, "系统编号")]
    assert "谭刚" in refused.errors[0].message


def test_record_number_of_an_invisible_record_is_an_error(cast):
    """A record number the user cannot see is reported, not revealed."""
    tangang = cast.talents["tangang"]
    data = csv_bytes([["姓名", "所在地区代码", "系统编号"], ["谭刚", "331121", tangang.pk]])
    result = import_file(actor=cast.officer_qingtian, kind="talents", data=data, filename="r.csv")
    assert [(e.row, e.column) for e in result.errors] == [(2, "系统编号")]


# Permissions -----------------------------------------------------------------------------


def test_talent_in_a_region_the_officer_does_not_govern_is_a_row_error(cast):
    """Registering outside one's regions is a row error naming the region, not a crash."""
    data = csv_bytes([["姓名", "所在地区代码"], ["本地人", "330421"], ["外地人", "331121"]])
    before = counts()
    result = import_file(actor=cast.officer_jiashan, kind="talents", data=data, filename="p.csv")
    assert result.errors == [
        RowError(3, "所在地区代码", "You may not register talents in 青田县 (331121).")
    ]
    assert counts() == before


def test_prefecture_officer_imports_into_its_counties(cast):
    """丽水市's officer governs its nine counties, so 青田县 rows are accepted."""
    data = csv_bytes([["姓名", "所在地区代码"], ["青田人", "331121"]])
    result = import_file(actor=cast.officer_lishui, kind="talents", data=data, filename="p.csv")
    assert (result.created, result.errors) == (1, [])


@pytest.mark.parametrize(
    "role", ["enterprise_user", "institution_user", "talent_user", "student_user"]
)
def test_non_officers_get_403(client, cast, role):
    """Only officers and administrators may import or download the template."""
    client.force_login(getattr(cast, role))
    data = csv_bytes([["姓名", "所在地区代码"], ["某人", "330421"]])
    before = counts()
    assert client.get(reverse("directory:import", args=["talents"])).status_code == 403
    assert upload(client, "talents", "t.csv", data).status_code == 403
    template = reverse("directory:import_template", args=["talents"])
    assert client.get(template).status_code == 403
    assert counts() == before


def test_anonymous_is_sent_to_login(client, cast):
    """Without a session the import page redirects to the login page."""
    response = client.get(reverse("directory:import", args=["organisations"]))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_admin_may_import_anywhere(cast):
    """A platform administrator is not limited to a region."""
    data = csv_bytes([["姓名", "所在地区代码"], ["某人", "331121"], ["别人", "310118"]])
    result = import_file(actor=cast.admin, kind="talents", data=data, filename="a.csv")
    assert (result.created, result.errors) == (2, [])


def test_unknown_kind_is_404(client, cast):
    """Only organisations and talents can be imported."""
    client.force_login(cast.officer_jiashan)
    assert client.get(reverse("directory:import", args=["needs"])).status_code == 404
    assert client.get(reverse("directory:import_template", args=["users"])).status_code == 404


def test_upload_form_explains_the_columns(client, cast):
    """The form lists every column with its explanation and links the template."""
    client.force_login(cast.officer_jiashan)
    response = client.get(reverse("directory:import", args=["talents"]))
    html = response.content.decode()
    assert response.status_code == 200
    assert all(column.header in html for column in TALENT_COLUMNS)
    assert reverse("directory:import_template", args=["talents"]) in html


# File-level problems ---------------------------------------------------------------------


def test_unknown_header_is_a_file_error_naming_it(cast):
    """A header that is no column stops the import before any row is read."""
    data = csv_bytes([["姓名", "所在地区代码", "爱好"], ["某人", "330421", "钓鱼"]])
    result = import_file(actor=cast.officer_jiashan, kind="talents", data=data, filename="h.csv")
    assert [(e.row, e.column) for e in result.errors] == [(None, "爱好")]
    assert "爱好" in result.errors[0].message


def test_missing_required_column_is_a_file_error(cast):
    """Without the region column no talent can be placed."""
    data = csv_bytes([["姓名", "手机"], ["某人", "1"]])
    result = import_file(actor=cast.officer_jiashan, kind="talents", data=data, filename="h.csv")
    assert [(e.row, e.column) for e in result.file_errors] == [(None, "所在地区代码")]


def test_row_and_size_limits(cast, settings):
    """Files over the row or byte limit are refused with a clear message."""
    settings.TALENTFLOW_IMPORT_MAX_ROWS = 2
    rows = [["姓名", "所在地区代码"]] + [[f"人{i}", "330421"] for i in range(3)]
    result = import_file(
        actor=cast.officer_jiashan, kind="talents", data=csv_bytes(rows), filename="big.csv"
    )
    assert [e.row for e in result.errors] == [None]
    assert "文件超过 2 行" in result.errors[0].message
    settings.TALENTFLOW_IMPORT_MAX_ROWS = 100
    settings.TALENTFLOW_IMPORT_MAX_BYTES = 10
    with translation.override("en"):
        result = import_file(
            actor=cast.officer_jiashan, kind="talents", data=csv_bytes(rows), filename="big.csv"
        )
    assert "larger than" in result.errors[0].message
    assert not TalentProfile.objects.filter(name__startswith="人").exists()


def test_old_xls_and_garbage_are_refused(cast):
    """An Excel 97 file asks to be saved as .xlsx; a broken .xlsx is reported, not raised."""
    result = import_file(
        actor=cast.officer_jiashan, kind="talents", data=b"\xd0\xcf\x11\xe0xx", filename="a.xls"
    )
    assert ".xlsx" in result.errors[0].message
    result = import_file(
        actor=cast.officer_jiashan, kind="talents", data=b"PK\x03\x04broken", filename="a.xlsx"
    )
    assert result.errors and result.errors[0].row is None


def test_identity_number_stored_as_a_number_is_refused(cast):
    """Excel keeps 15 significant digits; a numeric identity-number cell has lost some."""
    number = id_number_for("330421", 8, dt.date(1988, 8, 8))
    data = xlsx_bytes(
        [["姓名", "身份证号", "所在地区代码"], ["某人", float(number[:17] + "0"), 330421]]
    )
    result = import_file(actor=cast.officer_jiashan, kind="talents", data=data, filename="n.xlsx")
    assert [(e.row, e.column) for e in result.errors] == [(2, "身份证号")]
    assert "设置为文本格式" in result.errors[0].message


def test_dry_run_checks_everything_and_writes_nothing(client, cast):
    """“Only check” reports what would happen and leaves the database as it was."""
    client.force_login(cast.officer_jiashan)
    data = csv_bytes([ORG_HEADER, org_row("试运行有限公司", 1)])
    before = counts()
    response = upload(client, "organisations", "dry.csv", data, dry_run="on")
    assert response.status_code == 200
    assert response.context["dry_run"] is True
    assert response.context["created"] == 1
    assert counts() == before


def test_employment_is_recorded_once(cast):
    """工作单位 records an employment from today; importing the same row again adds nothing."""
    data = csv_bytes(
        [
            ["姓名", "身份证号", "所在地区代码", "工作单位", "职务"],
            ["孙工", id_number_for("330421", 9), "330421", cast.orgs["fulai"].uscc, "工程师"],
        ]
    )
    first = import_file(actor=cast.officer_jiashan, kind="talents", data=data, filename="e1.csv")
    assert (first.created, first.errors) == (1, [])
    second = import_file(actor=cast.officer_jiashan, kind="talents", data=data, filename="e2.csv")
    assert (second.unchanged, second.errors) == (1, [])
    sun = TalentProfile.objects.get(name="孙工")
    assert sun.affiliations.count() == 1


def test_pools_the_importer_cannot_see_are_kept(cast):
    """Setting pools from a file keeps the talent's pools the importer cannot see."""
    own = PoolFactory(code="jiashan-experts")
    foreign = PoolFactory(code="qingtian-skills", region_id="331121")
    talent = TalentFactory(name="周工", pools=[foreign])
    data = csv_bytes(
        [
            ["姓名", "身份证号", "所在地区代码", "人才库"],
            ["周工", talent.id_number_masked, "330421", own.code],
        ]
    )
    result = import_file(actor=cast.officer_jiashan, kind="talents", data=data, filename="p.csv")
    assert result.errors == []
    assert set(talent.pools.values_list("code", flat=True)) == {own.code, foreign.code}


def test_the_template_imports_as_it_is(cast):
    """The downloadable template's example rows are valid, so the template documents itself."""
    from talentflow.directory.io.exporter import template_workbook

    for kind in ("organisations", "talents"):
        result = import_file(
            actor=cast.officer_jiashan, kind=kind, data=template_workbook(kind), filename="t.xlsx"
        )
        assert (result.created, result.errors) == (1, []), kind


def test_template_download_opens_and_has_headers(client, cast):
    """The template opens with openpyxl: the headers, one example row and a sheet 说明 listing
    the allowed values."""
    client.force_login(cast.officer_jiashan)
    for kind, columns in (("talents", TALENT_COLUMNS), ("organisations", ORGANISATION_COLUMNS)):
        response = client.get(reverse("directory:import_template", args=[kind]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        workbook = openpyxl.load_workbook(io.BytesIO(response.content))
        assert workbook.sheetnames[1] == "说明"
        rows = list(workbook.worksheets[0].iter_rows(values_only=True))
        assert list(rows[0]) == [c.header for c in columns]
        assert len(rows) == 2
        explanation = {
            str(v) for row in workbook["说明"].iter_rows(values_only=True) for v in row if v
        }
        assert {"科研院所", "行业协会"} <= explanation
        if kind == "talents":
            assert {
                "硕士研究生",
                "副高级",
                "暂不可承接",
                "工程技术人员",
                "审计专业人员",
            } <= explanation


# The example files -------------------------------------------------------------------------

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_the_example_files_import_cleanly(cast, fmt):
    """examples/ holds sheets a 嘉善 officer can import: organisations first, then talents
    employed by them; no identity numbers."""
    orgs = import_file(
        actor=cast.officer_jiashan,
        kind="organisations",
        data=(EXAMPLES / f"organisations.{fmt}").read_bytes(),
        filename=f"organisations.{fmt}",
    )
    assert (orgs.created, orgs.errors) == (6, [])
    talents = import_file(
        actor=cast.officer_jiashan,
        kind="talents",
        data=(EXAMPLES / f"talents.{fmt}").read_bytes(),
        filename=f"talents.{fmt}",
    )
    assert (talents.created, talents.errors) == (6, [])
    imported = TalentProfile.objects.filter(data_source=DataSource.IMPORTED)
    assert not imported.exclude(id_number_masked="").exists()
    assert Affiliation.objects.filter(talent__in=imported).count() == 5
    lab = Organisation.objects.get(name="嘉善示例新材料联合实验室")
    assert lab.parent.name == "嘉善示例产业创新研究院"


def _padded_cells(table, width: int) -> list[list[str]]:
    return [[cell_text(v) for v in row] + [""] * (width - len(row)) for _n, row in table.rows]


def test_the_example_workbooks_match_their_csv_twins():
    """Each example .xlsx holds the same cells as its .csv."""
    for kind in ("organisations", "talents"):
        xlsx = read_table((EXAMPLES / f"{kind}.xlsx").read_bytes(), filename="x.xlsx", max_rows=99)
        text = read_table((EXAMPLES / f"{kind}.csv").read_bytes(), filename="x.csv", max_rows=99)
        assert xlsx.headers == text.headers
        width = len(xlsx.headers)
        assert _padded_cells(xlsx, width) == _padded_cells(text, width)
