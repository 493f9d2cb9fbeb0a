"""Talent evaluation over the API (``/api/evaluation``): authorisations, the enterprises'
evaluations and their endorsement (认账), 行业公荐 lists with their public notice and
objections, and results.

The same selectors decide what a caller sees (404 otherwise) and the same services who may
change what (403) and when (422). References in bodies: enterprises, associations and evaluations
by id among those the caller can see, talents by id among those the caller can see, regions by
GB/T 2260 code. Files (criteria documents, evidence) are uploaded on the web pages.
"""

# No "from __future__ import annotations" here: ninja reads these annotations at import.
import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import PageNumberPagination, paginate

from talentflow.directory.selectors import organisation_visible, talent_visible
from talentflow.evaluation import permissions, selectors, services, workflow
from talentflow.evaluation.models import (
    Authorisation,
    Category,
    EnterpriseEvaluation,
    EvaluationResult,
    Objection,
    Recommendation,
    RecommendationEntry,
    Tier,
)
from talentflow.reference.models import Region

router = Router(tags=["evaluation"])

PAGE_SIZE = settings.TALENTFLOW_PAGE_SIZE
MAX_PAGE_SIZE = 100


# Schemas -----------------------------------------------------------------------------------------


class AuthorisationOut(Schema):
    id: int
    region: str = Field(..., alias="region_id")
    enterprise: int = Field(..., alias="enterprise_id")
    enterprise_name: str = Field(..., alias="enterprise.name")
    category: str
    scope: str
    quota: int
    used: int
    left: int
    endorsed: int
    period_start: dt.date
    period_end: dt.date
    criteria_text: str
    has_criteria_document: bool
    status: str
    revoked_reason: str

    @staticmethod
    def resolve_has_criteria_document(obj: Authorisation) -> bool:
        return bool(obj.criteria_file)


class AuthorisationIn(Schema):
    enterprise: int
    category: Category = Category.EMPLOYER
    scope: str
    quota: int
    period_start: dt.date
    period_end: dt.date
    criteria_text: str


class AuthorisationQuery(Schema):
    q: str = ""
    status: str = ""
    category: str = ""
    region: str = ""
    current: bool = False


class ReasonIn(Schema):
    reason: str


class EvaluationOut(Schema):
    id: int
    authorisation: int = Field(..., alias="authorisation_id")
    enterprise: int = Field(..., alias="authorisation.enterprise_id")
    talent: int = Field(..., alias="talent_id")
    talent_name: str = Field(..., alias="talent.name")
    evaluated_on: dt.date
    role: str
    years_on_job: int
    achievements: str
    degree: str
    proposed_tier: str
    status: str
    return_reason: str
    times_returned: int
    has_evidence: bool

    @staticmethod
    def resolve_has_evidence(obj: EnterpriseEvaluation) -> bool:
        return bool(obj.evidence_file)


class EvaluationIn(Schema):
    authorisation: int
    talent: int
    evaluated_on: dt.date
    role: str
    years_on_job: int = Field(..., ge=0, le=70)
    achievements: str
    degree: str = ""
    proposed_tier: Tier


class EvaluationQuery(Schema):
    q: str = ""
    status: str = ""
    authorisation: int | None = None


class EvaluationActionIn(Schema):
    reason: str = ""
    tier: Tier | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class EntryOut(Schema):
    id: int
    talent: int = Field(..., alias="talent_id")
    talent_name: str = Field(..., alias="talent.name")
    enterprise: int = Field(..., alias="enterprise_id")
    enterprise_name: str = Field(..., alias="enterprise.name")
    reason: str
    proposed_tier: str
    removed: bool


class RecommendationOut(Schema):
    id: int
    association: int = Field(..., alias="association_id")
    association_name: str = Field(..., alias="association.name")
    region: str = Field(..., alias="region_id")
    title: str
    status: str
    notice_start: dt.date | None
    notice_end: dt.date | None
    entries: list[EntryOut]

    @staticmethod
    def resolve_entries(obj: Recommendation) -> list[RecommendationEntry]:
        return list(obj.entries.select_related("talent", "enterprise"))


class EntryIn(Schema):
    talent: int
    reason: str
    proposed_tier: Tier


class RecommendationIn(Schema):
    region: str
    title: str
    entries: list[EntryIn]


class NoticeIn(Schema):
    notice_start: dt.date
    notice_end: dt.date


class FinaliseIn(Schema):
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None


class ObjectionIn(Schema):
    entry: int
    reason: str


class ObjectionOut(Schema):
    id: int
    entry: int = Field(..., alias="entry_id")
    reason: str
    status: str
    resolution: str


class ResolveIn(Schema):
    uphold: bool
    resolution: str


class ResultOut(Schema):
    id: int
    talent: int = Field(..., alias="talent_id")
    talent_name: str = Field(..., alias="talent.name")
    category: str
    tier: str
    region: str = Field(..., alias="region_id")
    valid_from: dt.date
    valid_until: dt.date
    source: str
    evidence: str
    revoked: bool
    revoked_reason: str


class ResultIn(Schema):
    talent: int
    category: Category
    tier: Tier
    region: str
    valid_from: dt.date
    valid_until: dt.date | None = None
    evidence: str


class ResultQuery(Schema):
    q: str = ""
    category: str = ""
    tier: str = ""
    region: str = ""
    source: str = ""
    state: str = ""


# Helpers ----------------------------------------------------------------------------------------


def _invalid(field: str, message: str):
    raise ValidationError({field: [message]})


def _region(field: str, code: str) -> Region:
    region = Region.objects.filter(code=code.strip()).first()
    if region is None:
        _invalid(field, _("Unknown region code: %(code)s.") % {"code": code})
    return region


def _talent(user, field: str, pk: int):
    talent = talent_visible(user=user).filter(pk=pk).first()
    if talent is None:
        _invalid(field, _("Unknown talent: %(id)s.") % {"id": pk})
    return talent


def _employee_in(region: Region, field: str, pk: int):
    """A talent working for an enterprise of ``region``: whom an association may recommend
    there, whether or not the directory shows them to it."""
    from django.db.models import Q
    from django.utils import timezone

    from talentflow.directory.models import Affiliation, TalentProfile

    today = timezone.localdate()
    employed = Affiliation.objects.filter(
        talent_id=pk,
        organisation__kind="enterprise",
        organisation__region__code__startswith=region.prefix,
        kind__in=services.EVIDENCE_KINDS,
        start_date__lte=today,
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
    talent = TalentProfile.objects.filter(pk=pk).first() if employed.exists() else None
    if talent is None:
        _invalid(
            field,
            _("No talent %(id)s works for an enterprise of %(region)s.")
            % {"id": pk, "region": region.name},
        )
    return talent


# Authorisations -------------------------------------------------------------------------------


@router.get(
    "/authorisations",
    response=list[AuthorisationOut],
    url_name="evaluation_authorisation_list",
    summary="List authorisations to self-evaluate",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def authorisation_list(request: HttpRequest, filters: Query[AuthorisationQuery]):
    """The office: its region's; an enterprise: its own. With the quota used and left."""
    return selectors.authorisation_list(
        user=request.auth, filters=selectors.AuthorisationFilters(**filters.dict())
    )


@router.post(
    "/authorisations",
    response={201: AuthorisationOut},
    url_name="evaluation_authorisation_create",
    summary="Authorise an enterprise to evaluate its talents",
)
def authorisation_create(request: HttpRequest, payload: AuthorisationIn):
    user = request.auth
    enterprise = organisation_visible(user=user).filter(pk=payload.enterprise).first()
    if enterprise is None:
        _invalid("enterprise", _("Unknown organisation: %(id)s.") % {"id": payload.enterprise})
    authorisation = services.authorisation_create(
        actor=user,
        enterprise=enterprise,
        category=payload.category.value,
        scope=payload.scope,
        quota=payload.quota,
        period_start=payload.period_start,
        period_end=payload.period_end,
        criteria_text=payload.criteria_text,
    )
    return selectors.authorisation_get(user=user, pk=authorisation.pk)


@router.get(
    "/authorisations/{int:authorisation_id}",
    response=AuthorisationOut,
    url_name="evaluation_authorisation_detail",
    summary="One authorisation",
)
def authorisation_detail(request: HttpRequest, authorisation_id: int):
    return selectors.authorisation_get(user=request.auth, pk=authorisation_id)


@router.post(
    "/authorisations/{int:authorisation_id}/revoke",
    response=AuthorisationOut,
    url_name="evaluation_authorisation_revoke",
    summary="Revoke an authorisation",
)
def authorisation_revoke(request: HttpRequest, authorisation_id: int, payload: ReasonIn):
    user = request.auth
    authorisation = selectors.authorisation_get(user=user, pk=authorisation_id)
    services.authorisation_revoke(actor=user, authorisation=authorisation, reason=payload.reason)
    return selectors.authorisation_get(user=user, pk=authorisation_id)


# Evaluations ------------------------------------------------------------------------------------


@router.get(
    "/evaluations",
    response=list[EvaluationOut],
    url_name="evaluation_list",
    summary="List enterprise evaluations",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def evaluation_list(request: HttpRequest, filters: Query[EvaluationQuery]):
    return selectors.evaluation_list(
        user=request.auth, filters=selectors.EvaluationFilters(**filters.dict())
    )


@router.post(
    "/evaluations",
    response={201: EvaluationOut},
    url_name="evaluation_create",
    summary="Evaluate a talent under an authorisation (a draft)",
)
def evaluation_create(request: HttpRequest, payload: EvaluationIn):
    user = request.auth
    authorisation = (
        selectors.authorisation_visible(user=user).filter(pk=payload.authorisation).first()
    )
    if authorisation is None:
        _invalid(
            "authorisation",
            _("Unknown authorisation: %(id)s.") % {"id": payload.authorisation},
        )
    evaluation = services.evaluation_create(
        actor=user,
        authorisation=authorisation,
        talent=_talent(user, "talent", payload.talent),
        evaluated_on=payload.evaluated_on,
        role=payload.role,
        years_on_job=payload.years_on_job,
        achievements=payload.achievements,
        degree=payload.degree,
        proposed_tier=payload.proposed_tier.value,
    )
    return selectors.evaluation_get(user=user, pk=evaluation.pk)


@router.get(
    "/evaluations/{int:evaluation_id}",
    response=EvaluationOut,
    url_name="evaluation_detail",
    summary="One enterprise evaluation",
)
def evaluation_detail(request: HttpRequest, evaluation_id: int):
    return selectors.evaluation_get(user=request.auth, pk=evaluation_id)


@router.post(
    "/evaluations/{int:evaluation_id}/actions/{action}",
    response=EvaluationOut,
    url_name="evaluation_action",
    summary="Submit, endorse (认账) or return an evaluation",
)
def evaluation_action(
    request: HttpRequest, evaluation_id: int, action: str, payload: EvaluationActionIn
):
    """``submit`` (the enterprise; again after a return), ``endorse`` (the office of the
    authorisation's region, optionally with ``tier``, ``valid_from``, ``valid_until``) or
    ``return`` (the office, with ``reason``)."""
    user = request.auth
    evaluation = selectors.evaluation_get(user=user, pk=evaluation_id)
    if action == workflow.Action.SUBMIT:
        services.evaluation_submit(actor=user, evaluation=evaluation)
    elif action == workflow.Action.ENDORSE:
        services.evaluation_endorse(
            actor=user,
            evaluation=evaluation,
            tier=payload.tier.value if payload.tier else None,
            valid_from=payload.valid_from,
            valid_until=payload.valid_until,
        )
    elif action == workflow.Action.RETURN:
        services.evaluation_return(actor=user, evaluation=evaluation, reason=payload.reason)
    else:
        raise Http404
    return selectors.evaluation_get(user=user, pk=evaluation_id)


# Recommendations (行业公荐) ------------------------------------------------------------------


@router.get(
    "/recommendations",
    response=list[RecommendationOut],
    url_name="evaluation_recommendation_list",
    summary="List industry recommendations",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def recommendation_list(request: HttpRequest, q: str = "", status: str = ""):
    """The office: its region's lists; an association: its own; everyone else: the lists in
    or after public notice in their region."""
    user = request.auth
    full = selectors.recommendation_visible(user=user)
    notices = selectors.notice_visible(user=user)
    qs = Recommendation.objects.filter(pk__in=full.values("pk")) | Recommendation.objects.filter(
        pk__in=notices.values("pk")
    )
    if q:
        qs = qs.filter(title__icontains=q)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related("association").order_by("-created_at", "-id")


@router.post(
    "/recommendations",
    response={201: RecommendationOut},
    url_name="evaluation_recommendation_create",
    summary="File a recommendation list (行业公荐)",
)
def recommendation_create(request: HttpRequest, payload: RecommendationIn):
    user = request.auth
    associations = permissions.association_ids(user)
    if not associations:
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied(_("Only an industry association recommends."))
    from talentflow.directory.models import Organisation

    region = _region("region", payload.region)
    recommendation = services.recommendation_create(
        actor=user,
        association=Organisation.objects.get(pk=associations[0]),
        region=region,
        title=payload.title,
        entries=[
            {
                "talent": _employee_in(region, f"entries.{i}.talent", e.talent),
                "reason": e.reason,
                "proposed_tier": e.proposed_tier.value,
            }
            for i, e in enumerate(payload.entries)
        ],
    )
    return recommendation


def _recommendation_for(user, pk: int) -> Recommendation:
    recommendation = selectors.recommendation_visible(user=user).filter(pk=pk).first()
    if recommendation is None:
        recommendation = selectors.notice_get(user=user, pk=pk)
    return recommendation


@router.get(
    "/recommendations/{int:recommendation_id}",
    response=RecommendationOut,
    url_name="evaluation_recommendation_detail",
    summary="One recommendation list",
)
def recommendation_detail(request: HttpRequest, recommendation_id: int):
    return _recommendation_for(request.auth, recommendation_id)


@router.post(
    "/recommendations/{int:recommendation_id}/notice",
    response=RecommendationOut,
    url_name="evaluation_recommendation_notice",
    summary="Publish a list for public notice (公示)",
)
def recommendation_notice(request: HttpRequest, recommendation_id: int, payload: NoticeIn):
    user = request.auth
    recommendation = selectors.recommendation_get(user=user, pk=recommendation_id)
    return services.recommendation_open_notice(
        actor=user,
        recommendation=recommendation,
        notice_start=payload.notice_start,
        notice_end=payload.notice_end,
    )


@router.post(
    "/recommendations/{int:recommendation_id}/finalise",
    response=list[ResultOut],
    url_name="evaluation_recommendation_finalise",
    summary="Finalise a list after its notice: the results",
)
def recommendation_finalise(request: HttpRequest, recommendation_id: int, payload: FinaliseIn):
    user = request.auth
    recommendation = selectors.recommendation_get(user=user, pk=recommendation_id)
    return services.recommendation_finalise(
        actor=user,
        recommendation=recommendation,
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
    )


@router.post(
    "/objections",
    response={201: ObjectionOut},
    url_name="evaluation_objection_create",
    summary="Object to a recommended talent during the notice",
)
def objection_create(request: HttpRequest, payload: ObjectionIn):
    user = request.auth
    entry = (
        RecommendationEntry.objects.filter(
            pk=payload.entry, recommendation__in=selectors.notice_visible(user=user)
        )
        .select_related("recommendation")
        .first()
    )
    if entry is None:
        _invalid("entry", _("Unknown recommended talent: %(id)s.") % {"id": payload.entry})
    return services.objection_file(actor=user, entry=entry, reason=payload.reason)


@router.post(
    "/objections/{int:objection_id}/resolve",
    response=ObjectionOut,
    url_name="evaluation_objection_resolve",
    summary="Uphold or dismiss an objection",
)
def objection_resolve(request: HttpRequest, objection_id: int, payload: ResolveIn):
    user = request.auth
    objection: Objection = selectors.objection_visible(user=user).get(pk=objection_id)
    return services.objection_resolve(
        actor=user, objection=objection, uphold=payload.uphold, resolution=payload.resolution
    )


# Results --------------------------------------------------------------------------------------


@router.get(
    "/results",
    response=list[ResultOut],
    url_name="evaluation_result_list",
    summary="List evaluation results",
)
@paginate(PageNumberPagination, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def result_list(request: HttpRequest, filters: Query[ResultQuery]):
    return selectors.result_list(
        user=request.auth, filters=selectors.ResultFilters(**filters.dict())
    )


@router.post(
    "/results",
    response={201: ResultOut},
    url_name="evaluation_result_create",
    summary="Record a result directly (主管单位, 拔尖人才, 其他创新人才)",
)
def result_create(request: HttpRequest, payload: ResultIn):
    user = request.auth
    return services.result_record(
        actor=user,
        talent=_talent(user, "talent", payload.talent),
        category=payload.category.value,
        tier=payload.tier.value,
        region=_region("region", payload.region),
        valid_from=payload.valid_from,
        valid_until=payload.valid_until,
        evidence=payload.evidence,
    )


@router.get(
    "/results/{int:result_id}",
    response=ResultOut,
    url_name="evaluation_result_detail",
    summary="One result",
)
def result_detail(request: HttpRequest, result_id: int) -> EvaluationResult:
    return selectors.result_get(user=request.auth, pk=result_id)


@router.post(
    "/results/{int:result_id}/revoke",
    response=ResultOut,
    url_name="evaluation_result_revoke",
    summary="Revoke a result",
)
def result_revoke(request: HttpRequest, result_id: int, payload: ReasonIn):
    user = request.auth
    result = selectors.result_get(user=user, pk=result_id)
    return services.result_revoke(actor=user, result=result, reason=payload.reason)
