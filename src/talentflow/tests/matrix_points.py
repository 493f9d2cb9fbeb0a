"""Role-matrix rows for the points pages and API.

The records: 嘉善's points scheme (version 1 published, a draft version 2) and an event of
谭刚 (students mentored, recorded by 嘉善's office) with its ledger entry. Who stands where:

- 谭刚's statement: 谭刚, 嘉善's office (which sees him: he serves 福莱), administrators —
  never an enterprise or institution, even the one he serves;
- leaderboards, the event list and recording: the talent offices and administrators;
- the scheme's drafts: 嘉善's office and administrators; published rules: everyone signed in.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.urls import reverse

from talentflow.needs.tests.builders import SYSTEM
from talentflow.tests.cast import Cast
from talentflow.tests.matrix_base import (
    ADMIN_AND_OFFICERS,
    LOGGED_IN,
    Row,
    api_by_set,
    api_statuses,
    by_set,
    statuses,
)
from talentflow.tests.matrix_needs import _once

STATEMENT_READERS = {"admin", "officer_jiashan", "talent_user"}
OFFICES = set(ADMIN_AND_OFFICERS)
MANAGERS = {"admin", "officer_jiashan"}
TALENTS = {"talent_user", "student_user"}


def scheme(c: Cast):
    def build():
        from talentflow.points import services
        from talentflow.reference.models import Region

        s = services.scheme_create(
            **SYSTEM, region=Region.objects.get(code="330421"), name="嘉善县人才积分办法"
        )
        v1 = services.version_create(**SYSTEM, scheme=s, effective_from=dt.date(2024, 1, 1))
        services.version_update(
            **SYSTEM,
            version=v1,
            effective_from=dt.date(2024, 1, 1),
            period_cap=None,
            rates=[{"kind": "students_mentored", "points_per_unit": Decimal("5")}],
        )
        services.version_publish(**SYSTEM, version=v1)
        services.event_record(
            **SYSTEM,
            talent=c.talents["tangang"],
            kind="students_mentored",
            region=Region.objects.get(code="330421"),
            occurred_on=dt.date(2025, 3, 1),
            quantity="2",
            evidence="联合培养备案表",
        )
        return s

    return _once(c, "points_scheme", build)


def draft(c: Cast) -> int:
    def build():
        from talentflow.points import services

        return services.version_create(**SYSTEM, scheme=scheme(c))

    return _once(c, "points_draft", build).pk


def tangang(c: Cast) -> int:
    scheme(c)
    return c.talents["tangang"].pk


def recorded_event(c: Cast) -> int:
    """谭刚's students-mentored event in 嘉善 (recorded with the scheme)."""
    from talentflow.points.models import PointsEvent

    scheme(c)
    return PointsEvent.objects.get(talent=c.talents["tangang"], source="recorded").pk


def event_body(c: Cast) -> dict:
    return {
        "talent": tangang(c),
        "kind": "students_mentored",
        "region": "330421",
        "occurred_on": "2025-04-01",
        "quantity": "1",
        "evidence": "联合培养备案表",
    }


POINTS_ROWS: list[Row] = [
    Row("points:home", "get", lambda c: reverse("points:home"), statuses(302)),
    Row(
        "points:my_statement",
        "get",
        lambda c: reverse("points:my_statement"),
        by_set(TALENTS, 302, 404),
    ),
    Row(
        "points:statement",
        "get",
        lambda c: reverse("points:statement", args=[tangang(c)]),
        by_set(STATEMENT_READERS, 200, 404),
        marker="联合培养备案表",
        marker_roles=STATEMENT_READERS,
    ),
    Row(
        "points:statement_export",
        "get",
        lambda c: reverse("points:statement_export", args=[tangang(c), "csv"]),
        by_set(STATEMENT_READERS, 200, 404),
    ),
    Row(
        "points:leaderboard",
        "get",
        lambda c: scheme(c) and reverse("points:leaderboard"),
        by_set(OFFICES, 200, 403),
        marker="谭刚",
        marker_roles={"admin", "officer_jiashan"},
    ),
    Row(
        "points:leaderboard_export",
        "get",
        lambda c: reverse("points:leaderboard_export", args=["csv"]),
        by_set(OFFICES, 200, 403),
    ),
    Row(
        "points:event_list",
        "get",
        lambda c: scheme(c) and reverse("points:event_list"),
        by_set(OFFICES, 200, 403),
        marker="谭刚",
        marker_roles={"admin", "officer_jiashan"},
    ),
    Row(
        "points:event_export",
        "get",
        lambda c: reverse("points:event_export", args=["csv"]),
        by_set(OFFICES, 200, 403),
    ),
    Row(
        "points:event_create",
        "get",
        lambda c: reverse("points:event_create"),
        by_set(OFFICES, 200, 403),
    ),
    Row(
        # Other offices may not choose 嘉善 (the form offers their own regions) nor, as a
        # rule, 谭刚: the form refuses with 400.
        "points:event_create",
        "post",
        lambda c: reverse("points:event_create"),
        {**by_set(OFFICES, 400, 403), **dict.fromkeys(MANAGERS, 302)},
        body=event_body,
    ),
    Row(
        # Only 嘉善's office (and administrators) see 谭刚's event in 嘉善: 404 for the other
        # offices, 403 for everyone who keeps no events.
        "points:event_void",
        "get",
        lambda c: reverse("points:event_void", args=[recorded_event(c)]),
        {**by_set(OFFICES, 404, 403), **dict.fromkeys(MANAGERS, 200)},
        marker="联合培养备案表",
        marker_roles=MANAGERS,
    ),
    Row(
        "points:event_void",
        "post",
        lambda c: reverse("points:event_void", args=[recorded_event(c)]),
        {**by_set(OFFICES, 404, 403), **dict.fromkeys(MANAGERS, 302)},
        body=lambda c: {"reason": "备案表编号有误"},
    ),
    Row("points:sync", "post", lambda c: reverse("points:sync"), by_set(OFFICES, 302, 403)),
    Row(
        "points:scheme_list",
        "get",
        lambda c: scheme(c) and reverse("points:scheme_list"),
        statuses(200),
        marker="嘉善县人才积分办法",
        marker_roles=set(LOGGED_IN),
    ),
    Row(
        "points:scheme_create",
        "get",
        lambda c: reverse("points:scheme_create"),
        by_set(OFFICES, 200, 403),
    ),
    Row(
        "points:scheme_detail",
        "get",
        lambda c: reverse("points:scheme_detail", args=[scheme(c).pk]),
        statuses(200),
    ),
    Row(
        "points:version_create",
        "post",
        lambda c: reverse("points:version_create", args=[scheme(c).pk]),
        by_set(MANAGERS, 302, 403),
    ),
    Row(
        "points:version_detail",
        "get",
        lambda c: reverse("points:version_detail", args=[draft(c)]),
        by_set(MANAGERS, 200, 404),
    ),
    Row(
        "points:version_edit",
        "get",
        lambda c: reverse("points:version_edit", args=[draft(c)]),
        by_set(MANAGERS, 200, 404),
    ),
    Row(
        "points:version_publish",
        "post",
        lambda c: reverse("points:version_publish", args=[draft(c)]),
        by_set(MANAGERS, 302, 404),
    ),
    # API
    Row(
        "api:points_statement",
        "get",
        lambda c: reverse("api:points_statement", args=[tangang(c)]),
        api_by_set(STATEMENT_READERS, 200, 404),
        api=True,
    ),
    Row(
        "api:points_leaderboard",
        "get",
        lambda c: scheme(c) and reverse("api:points_leaderboard"),
        api_by_set(OFFICES, 200, 403),
        api=True,
        marker="谭刚",
        marker_roles={"admin", "officer_jiashan"},
    ),
    Row(
        "api:points_event_list",
        "get",
        lambda c: scheme(c) and reverse("api:points_event_list"),
        api_statuses(200),
        api=True,
        marker="谭刚",
        marker_roles={"admin", "officer_jiashan", "talent_user"},
    ),
    Row(
        # 404: the other offices do not see 谭刚; the rest may not record events at all.
        "api:points_event_create",
        "post",
        lambda c: reverse("api:points_event_create"),
        {**api_by_set(OFFICES, 404, 403), **dict.fromkeys(MANAGERS, 201)},
        body=event_body,
        api=True,
    ),
    Row(
        # 谭刚 sees his own event but may not void it (403); the other offices and everyone
        # else do not see it (404).
        "api:points_event_void",
        "post",
        lambda c: reverse("api:points_event_void", args=[recorded_event(c)]),
        {**api_statuses(404), **dict.fromkeys(MANAGERS, 200), "talent_user": 403},
        body=lambda c: {"reason": "备案表编号有误"},
        api=True,
    ),
    Row(
        "api:points_sync",
        "post",
        lambda c: reverse("api:points_sync"),
        api_by_set(OFFICES, 200, 403),
        api=True,
    ),
    Row(
        "api:points_scheme_list",
        "get",
        lambda c: scheme(c) and reverse("api:points_scheme_list"),
        api_statuses(200),
        api=True,
    ),
    Row(
        "api:points_scheme_detail",
        "get",
        lambda c: reverse("api:points_scheme_detail", args=[scheme(c).pk]),
        api_statuses(200),
        api=True,
    ),
    Row(
        "api:points_version_preview",
        "get",
        lambda c: reverse("api:points_version_preview", args=[draft(c)]),
        api_by_set(MANAGERS, 200, 404),
        api=True,
    ),
    Row(
        "api:points_version_publish",
        "post",
        lambda c: reverse("api:points_version_publish", args=[draft(c)]),
        api_by_set(MANAGERS, 200, 404),
        api=True,
    ),
]
