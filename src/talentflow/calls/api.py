"""Cross-region programme calls over the API (``/api/calls``): calls with their criteria, the
joint review panel, the office's transitions, applications, scores, the published result and
the statistics per region.

The same selectors decide what a caller sees (404 otherwise) and the same services who may
change what (403) and when (422). Evidence files are uploaded on the web pages.
"""

# No "from __future__ import annotations" here: ninja reads these annotations at import.
import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from talentflow.accounts.permissions import scope_for
from talentflow.calls import permissions, selectors, services
from talentflow.calls.models import Application, Call, CallKind
from talentflow.directory.models import Organisation, TalentProfile
from talentflow.reference.models import Alliance

router = Router(tags=["calls"])

PAGE_SIZE = settings.TALENTFLOW_PAGE_SIZE
MAX_PAGE_SIZE = 100


class CriterionOut(Schema):
    id: int
    name: str
    weight: int
    max_score: Decimal


class ReviewerOut(Schema):
    id: int
    kind: str
    name: str
    region: str = Field(..., alias="region_id")


class CallOut(Schema):
    id: int
    programme: str
    title: str
    region: str = Field(..., alias="region_id")
    region_name: str = Field(..., alias="region.name")
    alliance: str = Field(..., alias="alliance.code")
    kind: str
    description: str
    period_start: dt.date
    period_end: dt.date
    quota: int
    status: str
    applied: int
    criteria: list[CriterionOut]
    panel: list[ReviewerOut]

    @staticmethod
    def resolve_criteria(obj: Call) -> list:
        return list(obj.criteria.all())

    @staticmethod
    def resolve_panel(obj: Call) -> list:
        return list(obj.reviewers.all())


class CriterionIn(Schema):
    name: str
    weight: int
    max_score: Decimal


class CallIn(Schema):
    alliance: str
    programme: str
    title: str
    kind: CallKind = CallKind.TALENT
    description: str = ""
    period_start: dt.date
    period_end: dt.date
    quota: int
    criteria: list[CriterionIn]


class CallPatch(Schema):
    programme: str | None = None
    title: str | None = None
    kind: CallKind | None = None
    description: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    quota: int | None = None
    criteria: list[CriterionIn] | None = None


class CallQuery(Schema):
    q: str = ""
    status: str = ""
    kind: str = ""
    region: str = ""
    alliance: str = ""


class PanelIn(Schema):
    officers: list[int] = []  # user ids
    experts: list[int] = []  # talent ids


class ActionIn(Schema):
    reason: str = ""


class ApplicationOut(Schema):
    id: int
    call: int = Field(..., alias="call_id")
    talent: int = Field(..., alias="talent_id")
    talent_name: str = Field(..., alias="talent.name")
    home_region: str = Field(..., alias="home_region_id")
    organisation: int | None = Field(None, alias="organisation_id")
    project_title: str
    statement: str
    status: str
    submitted_at: dt.datetime
    total: Decimal | None
    rank: int | None


class ApplicationIn(Schema):
    statement: str
    project_title: str = ""
    organisation: int | None = None


class ScoresIn(Schema):
    scores: dict[int, Decimal]  # criterion id → score


class ScoreOut(Schema):
    criterion: int = Field(..., alias="criterion_id")
    score: Decimal


class ResultOut(Schema):
    rank: int | None
    name: str = Field(..., alias="talent.name")
    project_title: str
    home_region: str = Field(..., alias="home_region_id")
    home_region_name: str = Field(..., alias="home_region.name")
    total: Decimal | None


class StatsOut(Schema):
    code: str
    name: str
    applicants: int
    selected: int
    received: int
    selected_here: int
    selected_elsewhere: int


def _invalid(field: str, message: str):
    raise ValidationError({field: [message]})


@router.get(
    "",
    response=list[CallOut],
    url_name="calls_call_list",
    summary="List programme calls",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def call_list(request: HttpRequest, filters: Query[CallQuery]):
    return selectors.call_list(user=request.auth, filters=selectors.CallFilters(**filters.dict()))


@router.post(
    "",
    response={201: CallOut},
    url_name="calls_call_create",
    summary="Draft a programme call with its criteria",
)
def call_create(request: HttpRequest, payload: CallIn):
    user = request.auth
    alliance = Alliance.objects.filter(code=payload.alliance).first()
    if alliance is None:
        _invalid("alliance", _("Unknown alliance: %(code)s.") % {"code": payload.alliance})
    call = services.call_create(
        actor=user,
        alliance=alliance,
        programme=payload.programme,
        title=payload.title,
        kind=payload.kind.value,
        description=payload.description,
        period_start=payload.period_start,
        period_end=payload.period_end,
        quota=payload.quota,
        criteria=[c.dict() for c in payload.criteria],
    )
    return selectors.call_get(user=user, pk=call.pk)


@router.get(
    "/stats",
    response=list[StatsOut],
    url_name="calls_stats",
    summary="Applicants and selected per member region",
)
def stats(request: HttpRequest, alliance: str = ""):
    return selectors.region_stats(request.auth, alliance_code=alliance or None)


@router.get(
    "/{int:call_id}",
    response=CallOut,
    url_name="calls_call_detail",
    summary="One programme call",
)
def call_detail(request: HttpRequest, call_id: int):
    return selectors.call_get(user=request.auth, pk=call_id)


@router.patch(
    "/{int:call_id}",
    response=CallOut,
    url_name="calls_call_update",
    summary="Change a draft call (and replace its criteria)",
)
def call_update(request: HttpRequest, call_id: int, payload: CallPatch):
    user = request.auth
    call = selectors.call_get(user=user, pk=call_id)
    data = payload.dict(exclude_unset=True)
    criteria = data.pop("criteria", None)
    if "kind" in data and data["kind"] is not None:
        data["kind"] = CallKind(data["kind"]).value
    services.call_update(actor=user, call=call, data=data, criteria=criteria)
    return selectors.call_get(user=user, pk=call_id)


@router.put(
    "/{int:call_id}/panel",
    response=CallOut,
    url_name="calls_panel_set",
    summary="Appoint the joint review panel",
)
def panel_set(request: HttpRequest, call_id: int, payload: PanelIn):
    user = request.auth
    call = selectors.call_get(user=user, pk=call_id)
    users = list(get_user_model().objects.filter(pk__in=payload.officers, is_active=True))
    if len(users) != len(set(payload.officers)):
        _invalid("officers", _("Unknown user among the officers."))
    talents = list(TalentProfile.objects.filter(pk__in=payload.experts))
    if len(talents) != len(set(payload.experts)):
        _invalid("experts", _("Unknown talent among the experts."))
    services.panel_set(actor=user, call=call, users=users, talents=talents)
    return selectors.call_get(user=user, pk=call_id)


@router.post(
    "/{int:call_id}/actions/{action}",
    response=CallOut,
    url_name="calls_call_action",
    summary="Open, start the review, close (rank), publish or cancel a call",
)
def call_action(request: HttpRequest, call_id: int, action: str, payload: ActionIn):
    user = request.auth
    call = selectors.call_get(user=user, pk=call_id)
    services.call_transition(actor=user, call=call, action=action, reason=payload.reason)
    return selectors.call_get(user=user, pk=call_id)


@router.get(
    "/{int:call_id}/applications",
    response=list[ApplicationOut],
    url_name="calls_application_list",
    summary="The applications of a call the caller may see",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def application_list(request: HttpRequest, call_id: int):
    call = selectors.call_get(user=request.auth, pk=call_id)
    return selectors.application_list(user=request.auth, call=call)


@router.post(
    "/{int:call_id}/applications",
    response={201: ApplicationOut},
    url_name="calls_application_create",
    summary="Apply to a call (as a talent)",
)
def application_create(request: HttpRequest, call_id: int, payload: ApplicationIn):
    user = request.auth
    call = selectors.call_get(user=user, pk=call_id)
    scope = scope_for(user)
    if scope.talent_id is None:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("A talent applies for themselves."))
    organisation = None
    if payload.organisation is not None:
        organisation = Organisation.objects.filter(pk=payload.organisation).first()
        if organisation is None:
            _invalid(
                "organisation", _("Unknown organisation: %(id)s.") % {"id": payload.organisation}
            )
    application = services.application_create(
        actor=user,
        call=call,
        talent=TalentProfile.objects.get(pk=scope.talent_id),
        statement=payload.statement,
        organisation=organisation,
        project_title=payload.project_title,
    )
    return selectors.application_get(user=user, pk=application.pk)


@router.get(
    "/{int:call_id}/results",
    response=list[ResultOut],
    url_name="calls_results",
    summary="The published result: selected names, home regions, totals",
)
def results(request: HttpRequest, call_id: int):
    call = selectors.call_get(user=request.auth, pk=call_id)
    return selectors.results(user=request.auth, call=call)


@router.get(
    "/applications/{int:application_id}",
    response=ApplicationOut,
    url_name="calls_application_detail",
    summary="One application",
)
def application_detail(request: HttpRequest, application_id: int):
    return selectors.application_get(user=request.auth, pk=application_id)


@router.post(
    "/applications/{int:application_id}/scores",
    response=list[ScoreOut],
    url_name="calls_score",
    summary="Score an application on every criterion (as a panel member)",
)
def score(request: HttpRequest, application_id: int, payload: ScoresIn):
    user = request.auth
    application: Application = selectors.application_get(user=user, pk=application_id)
    if permissions.reviewer_of(user, application.call) is None:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only the members of the joint review panel score."))
    return services.scores_record(actor=user, application=application, scores=payload.scores)
