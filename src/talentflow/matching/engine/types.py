"""The contract between the pure matching engine and the rest of the platform.

The Django side (``talentflow.matching.index``) turns talents, engagements and needs into these
plain records; the engine (``bm25``, ``rerank``, ``allocate``) never imports Django. Codes are
the reference taxonomies' codes: industries GB/T 4754-2017 (a letter section, then 2-4 digits:
"C", "29", "292", "2921"), disciplines (graduate catalogue "0802", NSFC "E05" …), regions
GB/T 2260 six digits ("330421"), pools by their slug code.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PastWork:
    """An engagement the expert worked on: the need's text and whether its outcome was
    verified (the workshop check passed) and valued (confirmed outcomes)."""

    text: str
    industry: str = ""
    disciplines: tuple[str, ...] = ()
    verified: bool = False
    valued: bool = False  # confirmed outcomes exist


@dataclass(frozen=True)
class ExpertDoc:
    """One talent as the engine sees them."""

    id: int
    name: str
    text: str  # expertise, biography, qualifications: what BM25 indexes
    industries: tuple[str, ...] = ()
    disciplines: tuple[str, ...] = ()
    title_level: str = ""  # senior_full, senior_deputy, intermediate, assistant, junior, ""
    region: str = ""  # home region code
    pools: tuple[str, ...] = ()
    availability: str = "available"  # available, limited, unavailable
    load: int = 0  # current open engagements
    capacity: int = 3  # most concurrent engagements
    organisations: tuple[int, ...] = ()  # current employers and organisations served
    conflicts: tuple[int, ...] = ()  # organisations they or their employer own or belong to
    past: tuple[PastWork, ...] = ()


@dataclass(frozen=True)
class NeedQuery:
    """What is asked: a need's text and codes, whose need it is, where it may look."""

    text: str
    industries: tuple[str, ...] = ()
    disciplines: tuple[str, ...] = ()
    region: str = ""
    pools: tuple[str, ...] = ()  # alliance pools the need is shared with
    enterprise: int | None = None  # the posing enterprise (conflicts of interest)
    exclude: tuple[int, ...] = ()  # experts not to return (already invited, declined …)


@dataclass(frozen=True)
class Reason:
    """One reason in an explanation: a code (stable, for the UI to translate), its share of
    the score, and the concrete evidence (matched terms, codes, engagement texts …)."""

    # terms, industry, discipline, past_work, verified_outcome, title, region, pool,
    # availability, load
    code: str
    score: float
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Recommendation:
    expert_id: int
    score: float
    lexical: float  # the BM25 part alone
    reasons: tuple[Reason, ...] = field(default_factory=tuple)
