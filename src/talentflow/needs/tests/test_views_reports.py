"""The officers' reports: confirmed outcomes per region / enterprise / institution / expert,
and engagements (横向项目) per institution, with filters, scoping and Excel export."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from talentflow.needs import services
from talentflow.needs.tests.builders import SYSTEM, TODAY, frame, need_in_state, propose
from talentflow.tests.factories import AffiliationFactory, OrganisationFactory, TalentFactory

OUTCOMES = reverse("needs:outcome_report")
ENGAGEMENTS = reverse("needs:engagement_report")


@pytest.fixture
def en(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def login(client, user):
    client.force_login(user)
    return client


def solved(cast, need, *, organisation, lead, contract: str, outcomes, industry="") -> None:
    """Take a submitted need through publication, selection and a passed check, then record
    and confirm ``outcomes`` — (kind, amount, basis) — as the parties would."""
    frame(need)
    if industry:
        services.need_update(**SYSTEM, need=need, data={"industry": industry})
    services.need_publish(**SYSTEM, need=need)
    proposal = propose(cast, need, organisation=organisation, lead=lead)
    services.proposal_select(
        **SYSTEM, proposal=proposal, contract_amount=Decimal(contract), signed_on=TODAY
    )
    services.verification_start(**SYSTEM, need=need)
    c1, c2 = need.criteria.all()
    services.verification_record(
        **SYSTEM,
        need=need,
        checks=[
            {"criterion": c1, "passed": True, "measured_value": "99"},
            {"criterion": c2, "passed": True},
        ],
    )
    for kind, amount, basis in outcomes:
        outcome = services.outcome_record(
            **SYSTEM, need=need, kind=kind, amount=Decimal(amount), unit_basis=basis
        )
        services.outcome_confirm(**SYSTEM, outcome=outcome)


@pytest.fixture
def report_data(cast):
    """Two 嘉善 needs of 福莱 answered by 杭电嘉善研究院 (谭刚 leading), one 青田 need of 侠峰
    answered by a 青田 institute, and one outcome left unconfirmed."""
    first = need_in_state(cast, "verified")
    for amount in ("5000000.00", "1234567.89"):
        outcome = services.outcome_record(
            **SYSTEM, need=first, kind="revenue", amount=Decimal(amount)
        )
        services.outcome_confirm(**SYSTEM, outcome=outcome)
    services.outcome_record(**SYSTEM, need=first, kind="revenue", amount=Decimal("999"))
    second = services.need_create(
        **SYSTEM,
        enterprise=cast.orgs["fulai"],
        title="涂布干燥能耗",
        summary="降低干燥段能耗。",
        description="干燥段能耗高。",
    )
    services.need_submit(**SYSTEM, need=second)
    solved(
        cast,
        second,
        organisation=cast.orgs["hdu_jiashan"],
        lead=cast.talents["tangang"],
        contract="300000",
        outcomes=[("revenue", "2000000", ""), ("energy_reduction", "15", "")],
    )
    qingtian_institute = OrganisationFactory(
        name="浙江理工大学青田研究院",
        kind="research_institute",
        region=cast.orgs["xiafeng"].region,
    )
    zhang = TalentFactory(name="张光")
    AffiliationFactory(talent=zhang, organisation=qingtian_institute)
    third = services.need_create(
        **SYSTEM,
        enterprise=cast.orgs["xiafeng"],
        title="阀门铸件降本",
        summary="降低铸件成本。",
        description="铸件废品率高、成本高。",
    )
    services.need_submit(**SYSTEM, need=third)
    solved(
        cast,
        third,
        organisation=qingtian_institute,
        lead=zhang,
        contract="12000000",
        outcomes=[("unit_cost_reduction", "400", "吨"), ("output_value", "20000000", "")],
        industry="3443",
    )
    return {"institute": qingtian_institute, "zhang": zhang}


def rows_of(response) -> dict[str, list[str]]:
    """The report table as {row label: [cells …]}, read from the context the page renders."""
    return {line["row"].label: line["cells"] for line in response.context["table"]}


def column(response, label: str) -> int:
    return response.context["headers"].index(label) - 2


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("officer_jiashan", 200),
        ("officer_qingtian", 200),
        ("admin", 200),
        ("enterprise_user", 403),
        ("institution_user", 403),
        ("talent_user", 403),
        ("provider_qingpu", 403),
    ],
)
def test_reports_are_for_offices(en, cast, role, status):
    login(en, getattr(cast, role))
    assert en.get(OUTCOMES).status_code == status
    assert en.get(ENGAGEMENTS).status_code == status


def test_reports_require_login(client):
    assert client.get(OUTCOMES).status_code == 302


def test_outcome_totals_per_dimension(en, cast, report_data):
    """Confirmed outcomes are summed exactly; the unconfirmed 999 yuan is not counted; each
    (kind, basis) is its own column with its unit."""
    login(en, cast.admin)
    response = en.get(OUTCOMES, {"by": "region"})
    revenue = column(response, "Revenue (yuan)")
    per_tonne = column(response, "Cost reduction per unit (yuan/吨), mean")
    rows = rows_of(response)
    assert rows["嘉善县"][revenue] == "8,234,567.89"  # 5,000,000 + 1,234,567.89 + 2,000,000
    assert rows["青田县"][per_tonne] == "400"
    assert rows["青田县"][revenue] == ""
    html = response.content.decode()
    assert "8,234,567.89" in html and "Cost reduction per unit (yuan/吨), mean" in html
    rows = rows_of(en.get(OUTCOMES, {"by": "enterprise"}))
    assert rows["浙江福莱新材料股份有限公司"][revenue] == "8,234,567.89"
    response = en.get(OUTCOMES, {"by": "institution"})
    rows = rows_of(response)
    assert rows["杭州电子科技大学嘉善研究院"][revenue] == "8,234,567.89"
    assert rows["浙江理工大学青田研究院"][column(response, "New output value (yuan)")] == (
        "20,000,000"
    )
    response = en.get(OUTCOMES, {"by": "expert"})
    rows = rows_of(response)
    assert rows["谭刚"][revenue] == "8,234,567.89"
    assert rows["研究生甲"][revenue] == "8,234,567.89"  # each team member credited in full
    assert rows["张光"][column(response, "Energy reduction (%), mean")] == ""
    assert rows["谭刚"][column(response, "Energy reduction (%), mean")] == "15"
    needs = {line["row"].label: line["row"].needs for line in response.context["table"]}
    assert needs["谭刚"] == 2 and needs["张光"] == 1


def test_officer_sees_only_own_region(en, cast, report_data):
    """officer_qingtian sees 青田's outcomes and none of 嘉善's; officer_jiashan the reverse."""
    login(en, cast.officer_qingtian)
    for by in ("region", "enterprise", "institution", "expert"):
        response = en.get(OUTCOMES, {"by": by})
        labels = set(rows_of(response))
        html = response.content.decode()
        assert "8,234,567.89" not in html and "浙江福莱新材料股份有限公司" not in labels
        assert "谭刚" not in labels
    assert set(rows_of(en.get(OUTCOMES))) == {"青田县"}
    login(en, cast.officer_jiashan)
    assert set(rows_of(en.get(OUTCOMES))) == {"嘉善县"}
    cells = [cell for row in rows_of(en.get(OUTCOMES)).values() for cell in row]
    assert "400" not in cells


def test_filters_by_region_and_industry(en, cast, report_data):
    login(en, cast.admin)
    assert set(rows_of(en.get(OUTCOMES, {"region": "331121"}))) == {"青田县"}
    assert set(rows_of(en.get(OUTCOMES, {"industry": "29"}))) == {"嘉善县"}
    assert set(rows_of(en.get(OUTCOMES, {"industry": "34"}))) == {"青田县"}
    assert set(rows_of(en.get(OUTCOMES, {"industry": "C"}))) == {"嘉善县", "青田县"}
    assert set(rows_of(en.get(OUTCOMES, {"region": "999999"}))) == {"嘉善县", "青田县"}


def test_chart_shows_the_first_money_column(en, cast, report_data):
    """The bar chart plots the first money column (new output value before revenue)."""
    login(en, cast.admin)
    response = en.get(OUTCOMES, {"by": "region"})
    chart = response.context["chart"]
    assert chart["title"] == "New output value (yuan)"
    values = [Decimal(v) for v in chart["values"]]
    assert dict(zip(chart["labels"], values, strict=True)) == {
        "嘉善县": Decimal("0"),
        "青田县": Decimal("20000000"),
    }
    assert 'id="outcome-chart-data"' in response.content.decode()


def test_outcome_report_excel_export(en, cast, report_data):
    """The Excel file holds the same table, amounts as exact numbers."""
    login(en, cast.admin)
    response = en.get(OUTCOMES, {"by": "enterprise", "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    header = list(rows[0])
    assert header[:2] == ["Enterprise", "Needs"]
    by_name = {r[0]: r for r in rows[1:]}
    revenue = header.index("Revenue (yuan)")
    assert Decimal(str(by_name["浙江福莱新材料股份有限公司"][revenue])) == Decimal("8234567.89")
    assert (
        by_name["浙江侠峰精密压铸有限公司"][header.index("Cost reduction per unit (yuan/吨), mean")]
        == 400
    )


def test_engagement_report_counts_and_sums(en, cast, report_data):
    """Engagements per institution with their exact contract totals, scoped to the office."""
    login(en, cast.admin)
    response = en.get(ENGAGEMENTS)
    table = {row["name"]: row for row in response.context["table"]}
    assert table["杭州电子科技大学嘉善研究院"]["count"] == 2
    assert table["杭州电子科技大学嘉善研究院"]["amount"] == "880,000"  # 580,000 + 300,000
    assert table["浙江理工大学青田研究院"]["amount"] == "12,000,000"
    assert table["浙江理工大学青田研究院"]["wan"] == "1,200"
    assert response.context["total_count"] == 3
    assert response.context["total_amount"] == "12,880,000"
    login(en, cast.officer_qingtian)
    table = {row["name"]: row for row in en.get(ENGAGEMENTS).context["table"]}
    assert set(table) == {"浙江理工大学青田研究院"}
    response = en.get(ENGAGEMENTS, {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:2] == ("浙江理工大学青田研究院", 1)
    assert Decimal(str(rows[1][2])) == Decimal("12000000")


def test_empty_report_says_so(en, cast):
    login(en, cast.officer_qingpu)
    html = en.get(OUTCOMES).content.decode()
    assert "No confirmed outcomes match these filters yet." in html


def test_bounds_stay_bounds_and_percentages_are_averaged(en, cast):
    """“More than 5,000,000” stays a lower bound in a total; two energy reductions of 10 %
    and 20 % are a mean of 15 %, never a 30 % “total”."""
    for revenue, qualifier, energy in (("5000000", "more_than", "10"), ("1000000", "exact", "20")):
        need = services.need_create(
            **SYSTEM,
            enterprise=cast.orgs["fulai"],
            title=f"节能改造 {energy}",
            summary="降低能耗。",
            description="干燥段能耗高。",
            target_indicators="能耗降低 10% 以上",
        )
        services.need_submit(**SYSTEM, need=need)
        solved(
            cast,
            need,
            organisation=cast.orgs["hdu_jiashan"],
            lead=cast.talents["tangang"],
            contract="100000",
            outcomes=[("energy_reduction", energy, "")],
        )
        outcome = services.outcome_record(
            **SYSTEM, need=need, kind="revenue", amount=Decimal(revenue), qualifier=qualifier
        )
        services.outcome_confirm(**SYSTEM, outcome=outcome)
    login(en, cast.officer_jiashan)
    response = en.get(OUTCOMES, {"by": "region"})
    row = rows_of(response)["嘉善县"]
    assert row[column(response, "Revenue (yuan)")] == "more than 6,000,000"
    assert row[column(response, "Energy reduction (%), mean")] == "15 (mean of 2)"
    sheet = load_workbook(
        io.BytesIO(b"".join(en.get(OUTCOMES, {"format": "xlsx"}).streaming_content))
    ).active
    header, line = list(sheet.iter_rows(values_only=True))[:2]
    assert line[header.index("Revenue (yuan)")] == "more than 6,000,000"
    assert line[header.index("Energy reduction (%), mean")] == "15 (mean of 2)"
