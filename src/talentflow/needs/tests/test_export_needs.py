"""The need list's export: exactly the list the user sees, never the confidential text."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from talentflow.needs import services
from talentflow.needs.models import Need, NeedStage, NeedState, OutcomeKind, Qualifier
from talentflow.needs.tests.builders import SYSTEM, need_in_state

DESCRIPTION = "BOPP 薄膜涂布出现窝点缺陷，良品率低。"
CURRENT_STATE = "现有涂布线良品率 92%。"
HEADERS = [
    "系统编号",
    "需求名称",
    "企业",
    "统一社会信用代码",
    "地区",
    "行业",
    "阶段",
    "状态",
    "本阶段截止",
    "是否逾期",
    "来源",
    "预算下限（元）",
    "预算上限（元）",
    "方案截止",
    "承接单位",
    "合同金额（元）",
    "已确认成果",
]


def xlsx_rows(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    sheet = workbook.worksheets[0]
    assert sheet.title == "需求"
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    data = b"".join(response.streaming_content)
    assert data.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads UTF-8"
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def export(client, user, fmt: str, **params):
    client.force_login(user)
    return client.get(reverse("needs:export", kwargs={"fmt": fmt}), params)


def label(choice) -> str:
    with translation.override("zh-hans"):
        return str(choice.label)


def test_xlsx_has_the_columns_and_the_engagement_and_outcomes(client, cast):
    """A closed need exports with its stage, budget, institution, contract and outcomes."""
    need = need_in_state(cast, "closed")
    rows = xlsx_rows(export(client, cast.officer_jiashan, "xlsx"))
    assert rows[0] == HEADERS
    assert len(rows) == 2
    row = dict(zip(HEADERS, rows[1], strict=True))
    assert row["系统编号"] == need.pk
    assert row["需求名称"] == need.title
    assert row["企业"] == "浙江福莱新材料股份有限公司"
    assert row["统一社会信用代码"] == cast.orgs["fulai"].uscc
    assert "嘉善" in row["地区"]
    assert row["行业"].startswith("2921 ")
    assert row["阶段"] == label(NeedStage.VALUE)
    assert row["状态"] == label(NeedState.CLOSED)
    assert row["是否逾期"] is None
    assert Decimal(str(row["预算下限（元）"])) == Decimal("300000")
    assert Decimal(str(row["预算上限（元）"])) == Decimal("800000")
    assert row["承接单位"] == "杭州电子科技大学嘉善研究院"
    assert Decimal(str(row["合同金额（元）"])) == Decimal("580000")
    with translation.override("zh-hans"):
        revenue = f"{label(OutcomeKind.REVENUE)} {label(Qualifier.MORE_THAN)} 5,000,000"
    assert row["已确认成果"].startswith(revenue)


def test_csv_carries_the_same_rows(client, cast):
    """The CSV has the same header and values, with a BOM."""
    need = need_in_state(cast, "engaged")
    rows = csv_rows(export(client, cast.enterprise_user, "csv"))
    assert rows[0] == HEADERS
    row = dict(zip(HEADERS, rows[1], strict=True))
    assert row["系统编号"] == str(need.pk)
    assert row["合同金额（元）"] == "580000.00"
    assert row["预算下限（元）"] == "300000.00"
    assert row["已确认成果"] == ""


def test_export_follows_the_filters_of_the_list(client, cast):
    """The same query string as the list gives the same needs."""
    need_in_state(cast, "submitted", title="助题中")
    need_in_state(cast, "published", title="答题中")
    overdue = need_in_state(cast, "submitted", title="已逾期")
    Need.objects.filter(pk=overdue.pk).update(stage_due=dt.date.today() - dt.timedelta(days=1))
    titles = [r[1] for r in csv_rows(export(client, cast.admin, "csv", stage="assist"))[1:]]
    assert sorted(titles) == ["助题中", "已逾期"]
    rows = csv_rows(export(client, cast.admin, "csv", overdue="1"))[1:]
    assert [r[1] for r in rows] == ["已逾期"]
    assert rows[0][9] != ""  # 是否逾期
    assert [r[1] for r in xlsx_rows(export(client, cast.admin, "xlsx", q="答题"))[1:]] == ["答题中"]


def test_export_is_scoped_like_the_list(client, cast):
    """An officer exports only the needs of the regions it governs; a draft stays private."""
    need_in_state(cast, "draft", title="草稿")
    need_in_state(cast, "submitted", title="嘉善需求")
    visit = services.visit_create(
        **SYSTEM, enterprise=cast.orgs["xiafeng"], visited_on=dt.date.today()
    )
    services.need_create(
        **SYSTEM, enterprise=cast.orgs["xiafeng"], visit=visit, title="青田需求", summary="摘要"
    )

    def titles(user) -> list[str]:
        return sorted(r[1] for r in csv_rows(export(client, user, "csv"))[1:])

    assert titles(cast.officer_jiashan) == ["嘉善需求"]
    assert titles(cast.officer_qingtian) == ["青田需求"]
    assert titles(cast.enterprise_user) == ["嘉善需求", "草稿"]
    assert titles(cast.institution_user) == []


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_export_never_contains_the_confidential_text(client, cast, fmt):
    """Even the enterprise's own export leaves out description and current state."""
    need_in_state(cast, "closed", confidentiality="confidential")
    response = export(client, cast.enterprise_user, fmt)
    rows = xlsx_rows(response) if fmt == "xlsx" else csv_rows(response)
    text = "\n".join(str(v) for row in rows for v in row if v is not None)
    assert DESCRIPTION not in text and CURRENT_STATE not in text
    assert "BOPP 薄膜涂布窝点缺陷攻关" in text


def test_export_of_an_unknown_format_is_404(client, cast):
    """Only xlsx and csv are offered."""
    assert export(client, cast.admin, "pdf").status_code == 404


def test_export_requires_login(client):
    """Anonymous visitors are sent to the login page."""
    response = client.get(reverse("needs:export", kwargs={"fmt": "csv"}))
    assert response.status_code == 302


def test_list_links_to_the_export_with_its_query(client, cast):
    """The export buttons carry the list's filters."""
    need_in_state(cast, "submitted")
    client.force_login(cast.officer_jiashan)
    html = client.get(reverse("needs:list"), {"stage": "assist", "page": "1"}).text
    assert reverse("needs:export", kwargs={"fmt": "xlsx"}) + "?stage=assist" in html
