"""The points pages: what each reader sees, the officer's flow from draft to publish, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from talentflow.core.models import AuditEvent
from talentflow.needs.tests.builders import SYSTEM
from talentflow.points import services
from talentflow.points.models import LedgerEntry, PointsEvent, SchemeVersion
from talentflow.reference.models import Region

D = Decimal


@pytest.fixture
def recorded(cast, jiashan_scheme):
    return services.event_record(
        **SYSTEM,
        talent=cast.talents["tangang"],
        kind="students_mentored",
        region=Region.objects.get(code="330421"),
        occurred_on=dt.date(2025, 3, 1),
        quantity="2",
        evidence="联合培养备案表 2025-03",
        description="带教研究生甲",
    )


def test_talent_reads_their_statement_with_the_calculation(client, cast, recorded):
    client.force_login(cast.talent_user)
    response = client.get(reverse("points:my_statement"), follow=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert "带教研究生甲" in html
    assert "嘉善县人才积分办法（测试） v1" in html
    assert "v1: 0 + 2 ÷ 1 × 5 = 10.00" in html  # base + quantity ÷ unit × rate
    assert 'data-stat="total">10.00<' in html


def test_enterprise_never_sees_a_statement_even_of_who_serves_it(client, cast, recorded):
    client.force_login(cast.enterprise_user)  # 福莱: 谭刚 serves it
    assert (
        client.get(reverse("points:statement", args=[cast.talents["tangang"].pk])).status_code
        == 404
    )


def test_statement_filters_by_year(client, cast, recorded):
    services.event_record(
        **SYSTEM,
        talent=cast.talents["tangang"],
        kind="students_mentored",
        region=Region.objects.get(code="330421"),
        occurred_on=dt.date(2024, 5, 1),
        quantity="1",
        evidence="备案表 2024",
    )
    client.force_login(cast.talent_user)
    url = reverse("points:statement", args=[cast.talents["tangang"].pk])
    html = client.get(url + "?period=2024").content.decode()
    assert "备案表 2024" in html and "2025-03" not in html


def test_statement_export_lists_every_entry(client, cast, recorded):
    client.force_login(cast.officer_jiashan)
    response = client.get(
        reverse("points:statement_export", args=[cast.talents["tangang"].pk, "csv"])
    )
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["序号", "年度", "日期"]
    assert rows[1][9] == "10.00"
    xlsx = client.get(reverse("points:statement_export", args=[cast.talents["tangang"].pk, "xlsx"]))
    assert xlsx.status_code == 200


def test_leaderboard_ranks_by_points_and_filters(client, cast, recorded):
    services.event_record(
        **SYSTEM,
        talent=cast.talents["student"],
        kind="industry_service",
        region=Region.objects.get(code="330421"),
        occurred_on=dt.date(2026, 1, 5),
        quantity="30",
        evidence="服务台账",
    )
    client.force_login(cast.officer_jiashan)
    html = client.get(reverse("points:leaderboard")).content.decode()
    assert html.index("研究生甲") < html.index("谭刚")  # 30 before 10
    html = client.get(reverse("points:leaderboard") + "?period=2025").content.decode()
    assert "谭刚" in html and "研究生甲" not in html
    html = client.get(reverse("points:leaderboard") + "?region=330421").content.decode()
    assert "谭刚" in html
    # Another region's board is not theirs.
    assert client.get(reverse("points:leaderboard") + "?region=331121").status_code == 404
    rows = list(
        csv.reader(
            io.StringIO(
                b"".join(
                    client.get(reverse("points:leaderboard_export", args=["csv"])).streaming_content
                ).decode("utf-8-sig")
            )
        )
    )
    assert [r[1] for r in rows[1:]] == ["研究生甲", "谭刚"]
    assert rows[1][4] == "30.00"


def test_other_offices_do_not_see_jiashans_board(client, cast, recorded):
    client.force_login(cast.officer_qingtian)
    assert "谭刚" not in client.get(reverse("points:leaderboard")).content.decode()


def test_officer_records_an_event_on_the_form(client, cast, jiashan_scheme):
    client.force_login(cast.officer_jiashan)
    response = client.post(
        reverse("points:event_create"),
        {
            "talent": cast.talents["tangang"].pk,
            "kind": "industry_service",
            "region": "330421",
            "occurred_on": "2025-06-01",
            "quantity": "3",
            "evidence": "服务台账 2025-06",
        },
    )
    assert response.status_code == 302
    event = PointsEvent.objects.get(evidence="服务台账 2025-06")
    assert LedgerEntry.objects.get(event=event).points == D("3.00")


def test_event_form_shows_errors_and_writes_nothing(client, cast, jiashan_scheme):
    client.force_login(cast.officer_jiashan)
    response = client.post(
        reverse("points:event_create"),
        {
            "talent": cast.talents["tangang"].pk,
            "kind": "industry_service",
            "region": "330421",
            "occurred_on": "2025-06-01",
            "quantity": "0",
            "evidence": "x",
        },
    )
    assert response.status_code == 400
    assert "more than zero" in response.content.decode()
    assert not PointsEvent.objects.exists()


def test_event_list_search_and_export(client, cast, recorded):
    client.force_login(cast.officer_jiashan)
    assert "谭刚" in client.get(reverse("points:event_list") + "?q=谭刚").content.decode()
    html = client.get(reverse("points:event_list") + "?q=不存在").content.decode()
    assert "No event matches these filters." in html or "没有" in html
    response = client.get(reverse("points:event_export", args=["csv"]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "联合培养备案表 2025-03" in body


def test_sync_button_takes_in_verified_records(client, cast, jiashan_scheme, closed_need):
    client.force_login(cast.officer_jiashan)
    response = client.post(reverse("points:sync"), follow=True)
    assert response.status_code == 200
    assert PointsEvent.objects.count() == 4
    client.post(reverse("points:sync"))
    assert PointsEvent.objects.count() == 4


def test_officer_drafts_edits_previews_and_publishes(client, cast, recorded, jiashan_scheme):
    client.force_login(cast.officer_jiashan)
    response = client.post(reverse("points:version_create", args=[jiashan_scheme.pk]))
    draft = SchemeVersion.objects.get(scheme=jiashan_scheme, number=2)
    assert response["Location"] == reverse("points:version_edit", args=[draft.pk])
    form = {
        "effective_from": "2025-01-01",
        "note": "带教分值提高",
        "period_cap": "",
        "rates-TOTAL_FORMS": "2",
        "rates-INITIAL_FORMS": "0",
        "rates-MIN_NUM_FORMS": "0",
        "rates-MAX_NUM_FORMS": "1000",
        "rates-0-kind": "students_mentored",
        "rates-0-points_per_unit": "8",
        "rates-0-unit_size": "1",
        "rates-1-kind": "",
    }
    response = client.post(reverse("points:version_edit", args=[draft.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    html = client.get(reverse("points:version_detail", args=[draft.pk])).content.decode()
    assert 'id="preview"' in html and "16.00" in html  # 谭刚: 10 now, 16 after
    client.post(reverse("points:version_publish", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.is_published
    kinds = list(
        LedgerEntry.objects.filter(talent=cast.talents["tangang"])
        .order_by("id")
        .values_list("kind", "points")
    )
    assert kinds == [("credit", D("10.00")), ("reversal", D("-10.00")), ("credit", D("16.00"))]
    assert AuditEvent.objects.filter(action="points.version_publish").exists()
    # Published: the edit page sends back, the table is frozen.
    response = client.post(reverse("points:version_edit", args=[draft.pk]), form)
    assert response.status_code == 302
    assert draft.rates.get().points_per_unit == D("8")


def test_version_edit_refuses_a_start_before_the_latest(client, cast, jiashan_scheme):
    client.force_login(cast.officer_jiashan)
    client.post(reverse("points:version_create", args=[jiashan_scheme.pk]))
    draft = SchemeVersion.objects.get(scheme=jiashan_scheme, number=2)
    response = client.post(
        reverse("points:version_edit", args=[draft.pk]),
        {
            "effective_from": "2023-01-01",
            "rates-TOTAL_FORMS": "1",
            "rates-INITIAL_FORMS": "0",
            "rates-0-kind": "revenue",
            "rates-0-points_per_unit": "1",
        },
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.effective_from != dt.date(2023, 1, 1)


def test_scheme_pages(client, cast, jiashan_scheme):
    client.force_login(cast.student_user)
    html = client.get(reverse("points:scheme_list")).content.decode()
    assert "嘉善县人才积分办法（测试）" in html
    html = client.get(reverse("points:scheme_detail", args=[jiashan_scheme.pk])).content.decode()
    assert "v1" in html
    client.force_login(cast.officer_qingtian)
    response = client.post(
        reverse("points:scheme_create"),
        {"region": "331121", "name": "青田县实用型产业人才积分评价办法"},
    )
    assert response.status_code == 302
    response = client.post(reverse("points:scheme_create"), {"region": "330421", "name": "x"})
    assert response.status_code == 400  # not a region they govern


def test_profile_box_shows_total_to_readers_only(client, cast, recorded):
    url = reverse("directory:talent_detail", args=[cast.talents["tangang"].pk])
    client.force_login(cast.talent_user)
    html = client.get(url).content.decode()
    assert 'id="points-summary"' in html
    assert reverse("points:statement", args=[cast.talents["tangang"].pk]) in html
    client.force_login(cast.enterprise_user)
    assert 'id="points-summary"' not in client.get(url).content.decode()
