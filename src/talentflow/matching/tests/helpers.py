"""Helpers of the matching tests: talents with chosen words, what the engine finds."""

from __future__ import annotations

from talentflow.matching import index
from talentflow.matching.engine.types import NeedQuery
from talentflow.reference.models import Region
from talentflow.tests.factories import TalentFactory


def make_talent(name: str, expertise: str, region: str = "330421", **fields):
    return TalentFactory(
        name=name, expertise=expertise, home_region=Region.objects.get(code=region), **fields
    )


def found_by_words(text: str, *, engine=None, top: int = 20, **query) -> list[int]:
    """Ids the engine finds for ``text`` by its words (a lexical score above zero)."""
    engine = engine if engine is not None else index.get_engine()
    recs = engine.recommend(NeedQuery(text=text, **query), top=top, candidates=200)
    return [r.expert_id for r in recs if r.lexical > 0]
