"""The matching engine in the JSON API (/api/matching): recommended experts for a need, with
their explanation; invitations; code suggestions for a need's text; the officer's global
allocation; the needs that match the caller's talent profile.

The same selectors and services as the pages decide who sees and does what (403 for a need
the caller sees but may not act on, 404 for one they do not see, 422 for a refused change).
"""

# No "from __future__ import annotations" here: ninja reads these annotations at import.
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from talentflow.directory.models import TalentProfile
from talentflow.matching import selectors, services
from talentflow.needs import selectors as need_selectors

router = Router(tags=["matching"])


class ReasonOut(Schema):
    code: str = Field(
        description="terms, industry, discipline, past_work, verified_outcome, title, region, "
        "pool, availability, load"
    )
    score: float
    evidence: list[str]


class ExpertOut(Schema):
    talent: int
    name: str
    institution: str | None
    score: float
    lexical: float = Field(description="The BM25 part of the score")
    reasons: list[ReasonOut]


class InvitationIn(Schema):
    talent: int
    note: str = ""


class InvitationOut(Schema):
    id: int
    need: int
    talent: int
    status: str


class CodeOut(Schema):
    code: str
    name: str


class CodesOut(Schema):
    industries: list[CodeOut]
    disciplines: list[CodeOut]


class AssignmentOut(Schema):
    need: int
    talent: int
    name: str
    score: float
    reasons: list[ReasonOut]


class AllocationOut(Schema):
    assignments: list[AssignmentOut]
    unfilled: list[int] = Field(description="Needs left without an expert")
    total: float


class NeedMatchOut(Schema):
    need: int
    title: str
    score: float
    reasons: list[ReasonOut]


class TextQuery(Schema):
    text: str = Field(min_length=1, max_length=4000)


def _reasons(reasons) -> list[dict]:
    return [{"code": r.code, "score": r.score, "evidence": list(r.evidence)} for r in reasons]


def _need(user, need_id: int):
    need = need_selectors.need_visible(user=user).filter(pk=need_id).first()
    if need is None:
        raise Http404
    return need


@router.get(
    "/needs/{int:need_id}/recommendations",
    response=list[ExpertOut],
    url_name="matching_recommendations",
    summary="Recommended experts for a need, explained",
)
def recommendations(request: HttpRequest, need_id: int, top: int = 20) -> list[dict]:
    need = _need(request.auth, need_id)
    matches = selectors.recommend_for_need(user=request.auth, need=need, top=min(max(top, 1), 50))
    return [
        {
            "talent": m.talent.pk,
            "name": m.talent.name,
            "institution": m.institution.name if m.institution else None,
            "score": m.score,
            "lexical": m.lexical,
            "reasons": _reasons(m.reasons),
        }
        for m in matches
    ]


@router.post(
    "/needs/{int:need_id}/invitations",
    response={201: InvitationOut},
    url_name="matching_invite",
    summary="Invite an expert to propose for a need",
)
def invite(request: HttpRequest, need_id: int, payload: InvitationIn):
    need = _need(request.auth, need_id)
    talent = TalentProfile.objects.filter(pk=payload.talent).first()
    if talent is None:
        raise ValidationError({"talent": ["No such talent."]})
    invitation = services.invite(actor=request.auth, need=need, talent=talent, note=payload.note)
    return {"id": invitation.pk, "need": need.pk, "talent": talent.pk, "status": invitation.status}


@router.get(
    "/suggest-codes",
    response=CodesOut,
    url_name="matching_suggest_codes",
    summary="Industry and discipline codes suggested by a need's text",
)
def suggest_codes(request: HttpRequest, query: Query[TextQuery]) -> dict:
    found = selectors.suggest_codes(query.text)
    return {
        "industries": [{"code": i.code, "name": i.name} for i in found.industries],
        "disciplines": [{"code": d.code, "name": d.name} for d in found.disciplines],
    }


@router.get(
    "/allocation",
    response=AllocationOut,
    url_name="matching_allocation",
    summary="Proposed assignment of experts to the officer's open needs",
)
def allocation(request: HttpRequest) -> dict:
    proposal = selectors.allocation_for(user=request.auth)
    return {
        "assignments": [
            {
                "need": a.need.pk,
                "talent": a.talent.pk,
                "name": a.talent.name,
                "score": a.score,
                "reasons": _reasons(a.reasons),
            }
            for a in proposal.assignments
        ],
        "unfilled": [n.pk for n in proposal.unfilled],
        "total": proposal.total,
    }


@router.get(
    "/for-me",
    response=list[NeedMatchOut],
    url_name="matching_for_me",
    summary="Open needs that match the caller's talent profile",
)
def for_me(request: HttpRequest) -> list[dict]:
    return [
        {
            "need": m.need.pk,
            "title": m.need.title,
            "score": m.score,
            "reasons": _reasons(m.reasons),
        }
        for m in selectors.needs_for_talent(user=request.auth)
    ]
