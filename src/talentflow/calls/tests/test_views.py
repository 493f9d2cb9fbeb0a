"""The call pages: list with filters and export, the office's form with criteria, the panel,
applying, the scoring sheet (one row per criterion), the result and the statistics."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from talentflow.calls import services
from talentflow.calls.models import Application, Call, CallStatus, Score
from talentflow.calls.tests.builders import (
    JIASHAN,
    QINGPU,
    SYSTEM,
    WUJIANG,
    apply_all,
    draft_call,
    open_call,
    score_all,
)

pytestmark = pytest.mark.django_db


def _published(zone, quota=2) -> Call:
    call = open_call(zone, quota=quota)
    apply_all(zone, call)
    services.call_transition(**SYSTEM, call=call, action="start_review")
    score_all(call)
    services.call_transition(**SYSTEM, call=call, action="close")
    return services.call_transition(**SYSTEM, call=call, action="publish")


def test_the_office_creates_a_call_with_its_criteria(zone, client):
    client.force_login(zone.officers[JIASHAN])
    today = dt.date.today()
    data = {
        "alliance": zone.alliance.pk,
        "programme": "浙江省人才计划",
        "title": "嘉善县2026年申报",
        "kind": "talent",
        "period_start": today.isoformat(),
        "period_end": (today + dt.timedelta(days=20)).isoformat(),
        "quota": 3,
        "criteria-TOTAL_FORMS": 6,
        "criteria-INITIAL_FORMS": 0,
        "criteria-MIN_NUM_FORMS": 0,
        "criteria-MAX_NUM_FORMS": 20,
        "criteria-0-name": "水平",
        "criteria-0-weight": 70,
        "criteria-0-max_score": "10",
        "criteria-1-name": "贡献",
        "criteria-1-weight": 20,
        "criteria-1-max_score": "5",
    }
    response = client.post("/calls/new/", data)
    assert response.status_code == 200
    assert "The weights sum to 90, not 100." in response.content.decode()
    data["criteria-1-weight"] = 30
    response = client.post("/calls/new/", data)
    call = Call.objects.get(title="嘉善县2026年申报")
    assert response.status_code == 302 and response["Location"] == call.get_absolute_url()
    assert call.region_id == JIASHAN and call.status == CallStatus.DRAFT
    assert [(c.name, c.weight, c.max_score) for c in call.criteria.all()] == [
        ("水平", 70, Decimal("10.00")),
        ("贡献", 30, Decimal("5.00")),
    ]


def test_a_panel_lacking_a_region_is_refused_on_the_page(zone, client):
    call = draft_call(zone)
    client.force_login(zone.officers[QINGPU])
    response = client.post(
        f"/calls/{call.pk}/panel/",
        {"experts": [zone.experts[QINGPU].pk, zone.experts[WUJIANG].pk]},
    )
    assert response.status_code == 200
    assert "none from 嘉善县" in response.content.decode()
    response = client.post(
        f"/calls/{call.pk}/panel/",
        {
            "officers": [zone.officers[JIASHAN].pk],
            "experts": [zone.experts[QINGPU].pk, zone.experts[WUJIANG].pk],
        },
    )
    assert response.status_code == 302
    assert call.reviewers.count() == 3


def test_list_filters_search_and_export(zone, client):
    open_call(zone)
    other = draft_call(zone, region=WUJIANG, kind="project")
    Call.objects.filter(pk=other.pk).update(title="双创计划项目申报")
    client.force_login(zone.officers[WUJIANG])
    page = client.get("/calls/").content.decode()
    assert "2 calls" in page
    page = client.get("/calls/?kind=project").content.decode()
    assert "双创计划项目申报" in page and "1 call" in page
    page = client.get("/calls/?q=不存在的计划").content.decode()
    assert "No call matches these filters." in page
    response = client.get("/calls/export.csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "申报通知" in body and "双创计划项目申报" in body
    assert client.get("/calls/export.xlsx").status_code == 200


def test_a_talent_applies_on_the_page(zone, client):
    call = open_call(zone)
    talent = zone.talents[WUJIANG][0]
    client.force_login(talent.user)
    page = client.get(call.get_absolute_url()).content.decode()
    assert f"/calls/{call.pk}/apply/" in page
    response = client.post(f"/calls/{call.pk}/apply/", {"statement": "我的申报材料"})
    application = Application.objects.get(call=call, talent=talent)
    assert response.status_code == 302 and application.home_region_id == WUJIANG


def test_the_scoring_sheet_has_one_row_per_criterion_and_refuses_a_conflict(zone, client):
    call = open_call(zone)
    applications = apply_all(zone, call)
    services.call_transition(**SYSTEM, call=call, action="start_review")
    expert = zone.experts[QINGPU]
    client.force_login(expert.user)
    application = applications[0]
    url = f"/calls/applications/{application.pk}/score/"
    page = client.get(url).content.decode()
    criteria = list(call.criteria.all())
    for c in criteria:
        assert f'name="c{c.pk}"' in page
    response = client.post(url, {f"c{c.pk}": "9" for c in criteria})
    assert response.status_code == 302
    assert Score.objects.filter(application=application, reviewer__talent=expert).count() == 3
    # A conflict: the expert now also serves the applicant's enterprise.
    from talentflow.tests.factories import AffiliationFactory

    AffiliationFactory(
        talent=expert,
        organisation=application.organisation,
        kind="serving",
        start_date=dt.date(2019, 1, 1),
    )
    other = next(
        a
        for a in applications
        if a.organisation_id == application.organisation_id and a.pk != application.pk
    )
    response = client.get(f"/calls/applications/{other.pk}/score/")
    assert response.status_code == 403
    # Someone off the panel who sees the application may not score.
    client.force_login(zone.officers[JIASHAN])
    assert client.get(f"/calls/applications/{other.pk}/score/").status_code == 404
    client.force_login(zone.officers[QINGPU])
    assert client.get(f"/calls/applications/{other.pk}/score/").status_code == 403


def test_publishing_early_shows_the_missing_scores(zone, client):
    call = open_call(zone)
    apply_all(zone, call)
    services.call_transition(**SYSTEM, call=call, action="start_review")
    client.force_login(zone.officers[QINGPU])
    response = client.post(f"/calls/{call.pk}/do/publish/", follow=True)
    assert "score sheets are missing" in response.content.decode()
    call.refresh_from_db()
    assert call.status == CallStatus.REVIEW
    page = client.get(call.get_absolute_url()).content.decode()
    assert "Score sheets: 0 of 18 in." in page


def test_the_result_is_public_in_the_zone_and_not_before(zone, client, cast):
    call = open_call(zone, quota=2)
    apply_all(zone, call)
    services.call_transition(**SYSTEM, call=call, action="start_review")
    score_all(call)
    services.call_transition(**SYSTEM, call=call, action="close")
    client.force_login(zone.talents[JIASHAN][0].user)
    assert client.get(f"/calls/{call.pk}/results/").status_code == 404
    services.call_transition(**SYSTEM, call=call, action="publish")
    page = client.get(f"/calls/{call.pk}/results/").content.decode()
    assert "2 selected" in page
    assert page.count("<tr>") == 3  # the header and the two selected
    client.force_login(cast.officer_qingtian)  # not of the zone
    assert client.get(f"/calls/{call.pk}/results/").status_code == 404


def test_stats_page_with_the_chart(zone, client):
    _published(zone, quota=6)
    client.force_login(zone.officers[JIASHAN])
    page = client.get("/calls/stats/").content.decode()
    assert 'id="calls-chart-data"' in page and "echarts.min.js" in page
    assert f'data-region="{JIASHAN}"' in page and f'data-region="{WUJIANG}"' in page
