"""Role-matrix rows for the matching pages and API: recommendations on 福莱's published need,
invitations, the needs that match a talent, code suggestions, the officer's allocation."""

from __future__ import annotations

from django.urls import reverse

from talentflow.matching import services
from talentflow.needs.tests.builders import SYSTEM
from talentflow.tests.cast import Cast
from talentflow.tests.matrix_base import (
    ADMIN_AND_OFFICERS,
    Row,
    api_by_set,
    api_statuses,
    by_set,
    statuses,
)
from talentflow.tests.matrix_needs import DECIDERS, SEE_OPEN, _once, need

TALENTS = {"talent_user", "student_user"}


def invitation(c: Cast) -> int:
    """研究生甲 (seconded to 浙江中扬立库 in 嘉善) invited to 福莱's published need."""
    return _once(
        c,
        "invitation",
        lambda: services.invite(**SYSTEM, need=_published(c), talent=c.talents["student"]),
    ).pk


def _published(c: Cast):
    from talentflow.needs.models import Need

    return Need.objects.get(pk=need(c, "published"))


SEE_TANGANG = {"admin", "officer_jiashan", "enterprise_user", "talent_user"}
EDIT_TANGANG = {"admin", "talent_user"}

MATCHING_ROWS: list[Row] = [
    Row(
        "matching:talent_interests",
        "get",
        lambda c: reverse("matching:talent_interests", args=[c.talents["tangang"].pk]),
        {**by_set(SEE_TANGANG, 403, 404), **dict.fromkeys(EDIT_TANGANG, 200)},
    ),
    Row(
        "matching:need_experts",
        "get",
        lambda c: reverse("matching:need_experts", args=[need(c, "published")]),
        {**by_set(SEE_OPEN, 403, 404), **dict.fromkeys(DECIDERS, 200)},
    ),
    Row(
        # Deciders are sent back to the panel (with a message); solvers may not invite.
        "matching:invite",
        "post",
        lambda c: reverse("matching:invite", args=[need(c, "published")]),
        {**by_set(SEE_OPEN, 403, 404), **dict.fromkeys(DECIDERS, 302)},
        body=lambda c: {"talent": c.talents["student"].pk},
    ),
    Row(
        "matching:for_me",
        "get",
        lambda c: need(c, "published") and reverse("matching:for_me"),
        by_set(TALENTS, 200, 403),
    ),
    Row(
        "matching:invitation_decline",
        "post",
        lambda c: reverse("matching:invitation_decline", args=[invitation(c)]),
        by_set({"student_user"}, 302, 404),
    ),
    Row(
        "matching:suggest_codes",
        "get",
        lambda c: reverse("matching:suggest_codes") + "?title=铝合金压铸",
        statuses(200),
    ),
    Row(
        "matching:allocation",
        "get",
        lambda c: need(c, "published") and reverse("matching:allocation"),
        by_set(set(ADMIN_AND_OFFICERS), 200, 403),
    ),
    Row(
        "api:matching_recommendations",
        "get",
        lambda c: reverse("api:matching_recommendations", args=[need(c, "published")]),
        {**api_by_set(SEE_OPEN, 403, 404), **dict.fromkeys(DECIDERS, 200)},
        api=True,
    ),
    Row(
        "api:matching_invite",
        "post",
        lambda c: reverse("api:matching_invite", args=[need(c, "published")]),
        {**api_by_set(SEE_OPEN, 403, 404), **dict.fromkeys(DECIDERS, 201)},
        body=lambda c: {"talent": c.talents["student"].pk},
        api=True,
    ),
    Row(
        "api:matching_suggest_codes",
        "get",
        lambda c: reverse("api:matching_suggest_codes") + "?text=铝合金压铸",
        api_statuses(200),
        api=True,
    ),
    Row(
        "api:matching_allocation",
        "get",
        lambda c: need(c, "published") and reverse("api:matching_allocation"),
        api_by_set(set(ADMIN_AND_OFFICERS), 200, 403),
        api=True,
    ),
    Row(
        "api:matching_for_me",
        "get",
        lambda c: reverse("api:matching_for_me"),
        api_statuses(200),
        api=True,
    ),
]
