"""Every re-ranking weight of the matching engine, in one place.

A candidate's score is a weighted sum of signals each scaled to [0, 1] (penalties subtract):

    score = lexical·L + industry·I + discipline·D + past_work·P + verified_outcome·V
            + valued_outcome·C + title·T + region·R + pool·S
            − limited·[limited] − unavailable·[unavailable] − load·(load / capacity)

L is the candidate's BM25 score divided by the best BM25 score among the need's candidates,
so the best wording match has L = 1. The lexical weight is the unit the others are sized
against: structure re-orders experts whose wording is comparable and rescues a good expert
whose profile says it differently, but an expert with no link to the need at all cannot be
carried to the top by title, region and pool alone (their sum, 0.19, is far below 1).

The proximity tables (``INDUSTRY_PROXIMITY``, ``DISCIPLINE_PROXIMITY``, ``REGION_PROXIMITY``,
``TITLE_LEVELS``) turn a relation into the [0, 1] signal; the weight then sizes it.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Industry (GB/T 4754) proximity by the deepest level two codes share: 4 = same 小类 class,
#: 3 = same 中类 group, 2 = same 大类 division, 1 = same 门类 section. An expert whose code lies
#: inside the need's code (the need says 33, the expert 3311) matches fully: the need asked
#: for no more detail than that.
INDUSTRY_PROXIMITY: dict[int, float] = {4: 1.0, 3: 0.6, 2: 0.35, 1: 0.1, 0: 0.0}

#: Discipline proximity. "exact": the same code, or the expert's code lies inside the need's
#: (need 0802, expert 080201); "first": the same first-level discipline (graduate 4 digits,
#: NSFC letter + 2 digits, e.g. 0802 vs 080203, E05 vs E0508); "top": only the same 门类 /
#: NSFC department (08 / E). Codes of different schemes never match.
DISCIPLINE_PROXIMITY: dict[str, float] = {"exact": 1.0, "first": 0.6, "top": 0.2, "none": 0.0}

#: Region (GB/T 2260) proximity: same county code, same prefecture (4-digit prefix), same
#: province (2-digit prefix). Nearby experts can visit the workshop; the signal stays small
#: because the platform exists to let talent cross county lines.
REGION_PROXIMITY: dict[str, float] = {"county": 1.0, "prefecture": 0.6, "province": 0.3}

#: Title levels as a [0, 1] signal: seniority is evidence of standing, weakly.
TITLE_LEVELS: dict[str, float] = {
    "senior_full": 1.0,
    "senior_deputy": 0.7,
    "intermediate": 0.4,
    "assistant": 0.2,
    "junior": 0.1,
    "": 0.0,
}


@dataclass(frozen=True)
class Weights:
    """Re-ranking weights; one instance is the engine's whole scoring policy."""

    lexical: float = 1.0
    """How well the profile's words match the need's (normalised BM25). The unit of the
    scale: the wording is the most direct evidence an expert can do this work."""

    industry: float = 0.3
    """Industry proximity (``INDUSTRY_PROXIMITY``). An expert already working in the need's
    industry knows its materials and constraints; 0.3 lets a same-class expert overtake one
    whose wording is up to ~30 % better but who works in another industry."""

    discipline: float = 0.25
    """Discipline proximity (``DISCIPLINE_PROXIMITY``). Slightly below industry: disciplines
    are broad (one graduate code spans many topics), industries are closer to the need."""

    past_work: float = 0.35
    """Similarity of the need to the expert's past engagements (BM25 against the engagement
    texts, divided by the need's own term weight mass, capped at 1). Having solved a similar
    need is the strongest evidence after the wording itself; engagements that share less
    than ``past_work_floor`` of it are ignored as noise."""

    past_work_floor: float = 0.08
    """Below this similarity a past engagement neither scores nor appears in a reason."""

    verified_outcome: float = 0.15
    """Extra for a similar past engagement whose outcome passed the workshop check (验题),
    scaled by that engagement's similarity: delivery, not just participation."""

    valued_outcome: float = 0.1
    """Extra for a similar past engagement with confirmed market outcomes (市场评价), scaled
    the same way; smaller than verification because outcomes depend on the enterprise too."""

    title: float = 0.06
    """Title level (``TITLE_LEVELS``): a tie-breaker between comparable experts, never a
    reason to prefer a distinguished stranger to the field over a fitting engineer."""

    region: float = 0.07
    """Same county / prefecture / province as the need (``REGION_PROXIMITY``)."""

    pool: float = 0.06
    """The expert is in an alliance pool the need is shared with (示范区, 丽水 1+9): the
    sharing arrangement is already in place, so the invitation is easy to act on."""

    limited: float = 0.15
    """Penalty for an expert who declared limited availability."""

    unavailable: float = 0.8
    """Penalty for an unavailable expert: kept visible at the bottom rather than hidden, so
    an officer can still see them, but below any available expert with a real match."""

    load: float = 0.12
    """Penalty per share of capacity in use (load / capacity): spreads invitations away from
    busy experts. A full expert (load ≥ capacity) is not recommended at all."""


DEFAULT_WEIGHTS = Weights()
