"""Reads of matching: recommendations for a need, needs for a talent, code suggestions, the
global allocation, invitations. Every result passes through the permission rules here; the
engine itself (``engine/``) knows nothing of users.

**Who may be recommended for a need** (the candidate rule): the talents the talent office of the
need's region can see in the directory — tied to the region by home, by an organisation there
or by the region's own pools, and the pools of every alliance the region belongs to
(``directory.selectors``' officer rule, applied to the need's region) — plus the talents of the
pools the need is shared with (``Need.target_pools``). Whoever asks (the officer, an
administrator or the enterprise) gets the same list: it depends on the need, not on the reader.
Talents already invited to the need or on one of its proposals, and talents with a conflict of
interest with the enterprise — a declared interest in it, or any current tie to it (employed,
seconded, serving, studying: they are inside already) — are left out, as are talents at full
capacity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from talentflow.accounts.permissions import Scope, scope_for
from talentflow.directory.models import (
    INSTITUTION_KINDS,
    Affiliation,
    AffiliationKind,
    Organisation,
    TalentProfile,
)
from talentflow.directory.selectors import _officer_talent_q
from talentflow.matching import index
from talentflow.matching.engine.allocate import Candidate, allocate
from talentflow.matching.engine.types import NeedQuery, Reason, Recommendation
from talentflow.matching.models import InterestDeclaration, Invitation, InvitationStatus
from talentflow.needs import permissions as need_permissions
from talentflow.needs import workflow
from talentflow.needs.models import Need, NeedState, ProposalMember
from talentflow.needs.selectors import need_visible
from talentflow.reference.models import AllianceMember, Discipline, Industry

# Needs whose parties may look for experts: being framed (助题) and open for proposals (答题).
RECOMMEND_STATES = (NeedState.SUBMITTED, NeedState.PUBLISHED)
# How many candidates the engine re-ranks after the lexical retrieval.
CANDIDATES = 200
# How often ``ranked`` widens its request when too few of the engine's best are allowed.
WIDEN = 3


# Needs as engine queries ------------------------------------------------------------------


def need_text(need: Need) -> str:
    """What the engine reads of a need: the public text and the office's brief for solvers.
    The confidential description is left out: recommendations are shown to the enterprise and
    the office only, but the engine's index should never depend on secrets."""
    parts = (need.title, need.summary, need.solver_brief, need.target_indicators)
    return "\n".join(p.strip() for p in parts if p and p.strip())


def need_query(need: Need, *, exclude: Iterable[int] = ()) -> NeedQuery:
    return NeedQuery(
        text=need_text(need),
        industries=(need.industry_id,) if need.industry_id else (),
        disciplines=tuple(sorted(need.disciplines.values_list("code", flat=True))),
        region=need.region_id or "",
        pools=tuple(sorted(need.target_pools.values_list("code", flat=True))),
        enterprise=need.enterprise_id,
        exclude=tuple(sorted(set(exclude))),
    )


def already_involved(need: Need) -> set[int]:
    """Talents invited to the need (whatever they answered) or on one of its proposals."""
    invited = Invitation.objects.filter(need=need).values_list("talent_id", flat=True)
    proposing = ProposalMember.objects.filter(proposal__need=need).values_list(
        "talent_id", flat=True
    )
    return set(invited) | set(proposing)


def _region_scope(need: Need) -> Scope:
    """The scope of an officer of exactly the need's region (see the module doc)."""
    prefix = need.region.prefix
    alliances = AllianceMember.objects.filter(region__code__startswith=prefix).values_list(
        "alliance_id", flat=True
    )
    return Scope(
        user_id=None,
        region_prefixes=(prefix,),
        region_codes=frozenset({need.region_id}),
        alliance_ids=frozenset(alliances),
    )


def need_candidates(need: Need) -> QuerySet[TalentProfile]:
    """The active talents who may be recommended for ``need`` (the candidate rule)."""
    q = _officer_talent_q(_region_scope(need)) | Q(pools__in=need.target_pools.all())
    return TalentProfile.objects.filter(
        is_active=True, pk__in=TalentProfile.objects.filter(q).values("pk")
    )


def has_conflict(talent: TalentProfile, organisation_id: int) -> bool:
    """Whether the talent may not be recommended to the organisation: a declared interest in
    it, or a current tie to it (employed, seconded, serving, studying) — the same record and
    rule the engine applies (``ExpertDoc.organisations`` and ``conflicts``)."""
    doc = index.expert_docs([talent.pk]).get(talent.pk)
    if doc is None:
        return False
    return organisation_id in doc.organisations or organisation_id in doc.conflicts


# Engine calls -----------------------------------------------------------------------------


def ranked(
    query: NeedQuery,
    *,
    top: int,
    allowed: set[int] | None = None,
    candidates: int = CANDIDATES,
) -> list[Recommendation]:
    """The engine's top ``top`` for ``query``, restricted to ``allowed`` talents.

    The engine ranks the whole index; when only some talents are allowed, it is asked for more
    (up to ``WIDEN`` times four times as many) until ``top`` allowed ones are found.
    """
    idx = index.default_index()
    want = top if allowed is None else max(top * 4, 50)
    with idx.lock:
        engine = idx.get()
        for _round in range(WIDEN + 1):
            found = engine.recommend(query, top=want, candidates=max(candidates, want))
            kept = [r for r in found if allowed is None or r.expert_id in allowed]
            if len(kept) >= top or len(found) < want:
                break
            want *= 4
    return kept[:top]


# Recommendations for a need ---------------------------------------------------------------


@dataclass(frozen=True)
class ExpertMatch:
    """A recommended talent with the engine's explanation and where they work."""

    talent: TalentProfile
    score: float
    lexical: float
    reasons: tuple[Reason, ...]
    institution: Organisation | None  # current employer when a university or institute


@dataclass(frozen=True)
class TeamMatch:
    """An institution and its recommended experts, the best one leading (for 'teams')."""

    institution: Organisation
    lead: ExpertMatch
    members: tuple[ExpertMatch, ...]

    @property
    def score(self) -> float:
        return self.lead.score


def _require_decider(user, need: Need) -> None:
    if not need_permissions.parties(user, need) & {
        workflow.Party.OFFICER,
        workflow.Party.ENTERPRISE,
    }:
        raise PermissionDenied(_("Only the enterprise and its talent office see recommendations."))


def _matches(recommendations: Sequence[Recommendation]) -> list[ExpertMatch]:
    ids = [r.expert_id for r in recommendations]
    talents = TalentProfile.objects.select_related("home_region", "title_series").in_bulk(ids)
    institutions = _institutions(ids)
    return [
        ExpertMatch(
            talent=talents[r.expert_id],
            score=r.score,
            lexical=r.lexical,
            reasons=tuple(r.reasons),
            institution=institutions.get(r.expert_id),
        )
        for r in recommendations
        if r.expert_id in talents
    ]


def _institutions(talent_ids: Sequence[int]) -> dict[int, Organisation]:
    """Each talent's current employing university, institute or platform (the earliest)."""
    found: dict[int, Organisation] = {}
    affiliations = (
        Affiliation.objects.filter(
            talent_id__in=list(talent_ids),
            kind=AffiliationKind.EMPLOYED,
            organisation__kind__in=list(INSTITUTION_KINDS),
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=timezone.localdate()))
        .select_related("organisation")
        .order_by("start_date", "id")
    )
    for affiliation in affiliations:
        found.setdefault(affiliation.talent_id, affiliation.organisation)
    return found


def recommend_for_need(*, user, need: Need, top: int = 20) -> list[ExpertMatch]:
    """The best experts for ``need``, explained, for the enterprise and its talent office.

    Raises PermissionDenied for anyone else, ValidationError when the need is not being framed
    or open for proposals.
    """
    _require_decider(user, need)
    if need.state not in RECOMMEND_STATES:
        raise ValidationError(
            _("Experts are recommended while a need is framed or open for proposals.")
        )
    allowed = set(need_candidates(need).values_list("pk", flat=True))
    query = need_query(need, exclude=already_involved(need))
    return _matches(ranked(query, top=top, allowed=allowed))


def recommend_teams(matches: Sequence[ExpertMatch]) -> list[TeamMatch]:
    """Group recommended experts by their institution: the best leads, the others join.
    Experts without an institution are not teams (they stay in the expert list)."""
    teams: dict[int, list[ExpertMatch]] = {}
    for match in matches:
        if match.institution is not None:
            teams.setdefault(match.institution.pk, []).append(match)
    return [
        TeamMatch(institution=group[0].institution, lead=group[0], members=tuple(group[1:]))
        for group in teams.values()
    ]


# Needs for a talent -----------------------------------------------------------------------


@dataclass(frozen=True)
class NeedMatch:
    need: Need
    score: float
    reasons: tuple[Reason, ...]


def needs_for_talent(*, user, top: int = 20) -> list[NeedMatch]:
    """Open needs the user's talent profile matches, best first ("needs that match me").

    Only published needs the user can see, of enterprises the talent has no conflict with; the
    talent is scored by the same engine against each need.
    """
    scope = scope_for(user)
    if scope.talent_id is None:
        return []
    talent_id = scope.talent_id
    needs = list(
        need_visible(user=user)
        .filter(state=NeedState.PUBLISHED)
        .select_related("enterprise", "region", "industry")
        .prefetch_related("disciplines", "target_pools")
    )
    docs = index.expert_docs([talent_id])
    doc = docs.get(talent_id)
    if doc is None:
        return []
    conflicts = set(doc.conflicts)
    found: list[NeedMatch] = []
    idx = index.default_index()
    with idx.lock:
        engine = idx.get()
        for need in needs:
            if need.enterprise_id in conflicts:
                continue
            query = need_query_prefetched(need)
            rec = _score_one(engine, query, talent_id)
            if rec is not None and rec.score > 0:
                found.append(NeedMatch(need=need, score=rec.score, reasons=tuple(rec.reasons)))
    found.sort(key=lambda m: (-m.score, -m.need.pk))
    return found[:top]


def need_query_prefetched(need: Need) -> NeedQuery:
    """``need_query`` for a need whose disciplines and target pools are prefetched."""
    return NeedQuery(
        text=need_text(need),
        industries=(need.industry_id,) if need.industry_id else (),
        disciplines=tuple(sorted(d.code for d in need.disciplines.all())),
        region=need.region_id or "",
        pools=tuple(sorted(p.code for p in need.target_pools.all())),
        enterprise=need.enterprise_id,
    )


def _score_one(engine, query: NeedQuery, talent_id: int) -> Recommendation | None:
    """The talent's recommendation for the query, if the engine would recommend them."""
    for rec in engine.recommend(query, top=CANDIDATES, candidates=CANDIDATES):
        if rec.expert_id == talent_id:
            return rec
    return None


# Code suggestions -------------------------------------------------------------------------


@dataclass(frozen=True)
class CodeSuggestions:
    industries: tuple[Industry, ...]
    disciplines: tuple[Discipline, ...]


def suggest_codes(text: str) -> CodeSuggestions:
    """Industry (GB/T 4754) and discipline codes the text suggests, best first, for a need's
    form. Unknown codes (not in the loaded reference data) are dropped."""
    if not text.strip():
        return CodeSuggestions((), ())
    idx = index.default_index()
    with idx.lock:
        industries, disciplines = idx.get().suggest_codes(text)
    industry_codes = [_code_of(c) for c in industries]
    discipline_codes = [_code_of(c) for c in disciplines]
    by_code = Industry.objects.in_bulk(industry_codes)
    found_disciplines: dict[str, Discipline] = {}
    for discipline in Discipline.objects.filter(code__in=discipline_codes).order_by("scheme"):
        found_disciplines.setdefault(discipline.code, discipline)
    return CodeSuggestions(
        industries=tuple(by_code[c] for c in industry_codes if c in by_code),
        disciplines=tuple(found_disciplines[c] for c in discipline_codes if c in found_disciplines),
    )


def _code_of(item) -> str:
    """A suggested code, given as the code or as a (code, score) pair."""
    return item[0] if isinstance(item, tuple) else str(item)


# Global allocation ------------------------------------------------------------------------


@dataclass(frozen=True)
class ProposedAssignment:
    need: Need
    talent: TalentProfile
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class AllocationProposal:
    assignments: tuple[ProposedAssignment, ...]
    unfilled: tuple[Need, ...]  # needs left without an expert
    total: float


def allocation_needs(*, user) -> QuerySet[Need]:
    """The open needs an officer allocates: published, in the regions they govern (all for an
    administrator)."""
    scope = scope_for(user)
    if not (scope.is_admin or scope.is_officer):
        raise PermissionDenied(_("Only talent offices allocate experts to needs."))
    qs = Need.objects.filter(state=NeedState.PUBLISHED)
    if not scope.is_admin:
        qs = qs.filter(scope.region_q("region"))
    return qs.select_related("enterprise", "region", "industry").order_by("pk")


def allocation_for(
    *, user, needs: Iterable[Need] | None = None, top_k: int = 30, wants: int = 1
) -> AllocationProposal:
    """The best assignment of experts to the officer's open needs under each expert's remaining
    capacity (most concurrent engagements minus current ones), instead of every need inviting
    the same star. ``needs`` narrows it to some of them; ``wants`` experts per need."""
    allowed_needs = allocation_needs(user=user)
    if needs is not None:
        allowed_needs = allowed_needs.filter(pk__in=[n.pk for n in needs])
    need_list = list(allowed_needs.prefetch_related("disciplines", "target_pools"))
    candidates: list[Candidate] = []
    by_pair: dict[tuple[int, int], Recommendation] = {}
    for need in need_list:
        allowed = set(need_candidates(need).values_list("pk", flat=True))
        involved = already_involved(need)
        query = need_query_prefetched(need)
        query = NeedQuery(**{**query.__dict__, "exclude": tuple(sorted(involved))})
        for rec in ranked(query, top=top_k, allowed=allowed):
            candidates.append(Candidate(need.pk, rec.expert_id, rec.score))
            by_pair[(need.pk, rec.expert_id)] = rec
    expert_ids = sorted({c.expert_id for c in candidates})
    docs = index.expert_docs(expert_ids)
    remaining = {pk: doc.capacity - doc.load for pk, doc in docs.items()}
    result = allocate(candidates, wants=wants, capacity=remaining)
    talents = TalentProfile.objects.in_bulk([e for _n, e in result.pairs])
    needs_by_pk = {n.pk: n for n in need_list}
    assignments = tuple(
        ProposedAssignment(
            need=needs_by_pk[n],
            talent=talents[e],
            score=by_pair[(n, e)].score,
            reasons=tuple(by_pair[(n, e)].reasons),
        )
        for n, e in result.pairs
        if e in talents
    )
    unfilled = tuple(n for n in need_list if n.pk in result.unfilled)
    return AllocationProposal(assignments=assignments, unfilled=unfilled, total=result.total)


# Invitations and declarations -------------------------------------------------------------


def invitations_for_need(*, user, need: Need) -> QuerySet[Invitation]:
    """The need's invitations for its enterprise and talent office, each with ``has_proposal``
    (the talent is on a proposal for the need: the invitation was answered)."""
    _require_decider(user, need)
    return _with_proposal(Invitation.objects.filter(need=need)).select_related(
        "talent", "invited_by"
    )


def invitations_for_talent(*, user) -> QuerySet[Invitation]:
    """The invitations of the user's own talent profile, newest first."""
    scope = scope_for(user)
    if scope.talent_id is None:
        return Invitation.objects.none()
    return _with_proposal(Invitation.objects.filter(talent_id=scope.talent_id)).select_related(
        "need", "need__enterprise", "invited_by"
    )


def _with_proposal(qs: QuerySet[Invitation]) -> QuerySet[Invitation]:
    proposing = ProposalMember.objects.filter(
        proposal__need_id=OuterRef("need_id"), talent_id=OuterRef("talent_id")
    )
    return qs.annotate(has_proposal=Exists(proposing))


def effective_status(invitation: Invitation) -> str:
    """'proposed' once the talent is on a proposal for the need, else the stored status."""
    if getattr(invitation, "has_proposal", False):
        return InvitationStatus.PROPOSED
    return invitation.status


def declarations_for_talent(*, user, talent: TalentProfile) -> QuerySet[InterestDeclaration]:
    """A talent's declared interests: for the talent and whoever may edit their profile."""
    from talentflow.accounts.permissions import can_edit_talent

    if not can_edit_talent(user, talent):
        raise PermissionDenied(_("Only the talent and their talent office see declared interests."))
    return talent.interest_declarations.select_related("organisation")


def capacity_of(talent: TalentProfile) -> int:
    """The most engagements the talent takes on at once (their setting or the default)."""
    from talentflow.matching.models import ExpertCapacity, default_capacity

    value = (
        ExpertCapacity.objects.filter(talent=talent)
        .values_list("max_concurrent", flat=True)
        .first()
    )
    return default_capacity() if value is None else value
