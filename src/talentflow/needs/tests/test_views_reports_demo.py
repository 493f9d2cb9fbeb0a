"""The reports on the demo scenario: what an officer of 青田 reads on the pages."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse

from talentflow.accounts.models import User
from talentflow.demo.tests.conftest import _demo_module, demo  # noqa: F401 - fixtures

INSTITUTES = ("浙江理工大学青田研究院", "北京科技大学青田新材料研究院")


def test_qingtian_institutes_show_15_engagements_over_10_million(client, demo):  # noqa: F811
    """The engagement report page of officer_qingtian lists the two 青田 institutes with 15
    engagements together, whose contracts total more than 10,000,000 yuan."""
    client.force_login(User.objects.get(username="officer_qingtian"))
    response = client.get(reverse("needs:engagement_report"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    rows = [row for row in response.context["table"] if row["name"] in INSTITUTES]
    assert len(rows) == 2
    assert sum(row["count"] for row in rows) == 15
    total = sum(Decimal(row["amount"].replace(",", "")) for row in rows)
    assert total > Decimal("10000000")
    html = response.content.decode()
    for row in rows:
        assert row["name"] in html and row["amount"] in html


def test_qingtian_outcomes_by_institution(client, demo):  # noqa: F811
    """Per institution, the 青田 officer reads the institutes' confirmed outcomes and none of
    嘉善's (福莱's revenue belongs to 嘉善)."""
    client.force_login(User.objects.get(username="officer_qingtian"))
    response = client.get(
        reverse("needs:outcome_report"), {"by": "enterprise"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    labels = {line["row"].label for line in response.context["table"]}
    assert "青田县永鑫阀门有限公司" in labels
    assert not any("福莱" in label for label in labels)
