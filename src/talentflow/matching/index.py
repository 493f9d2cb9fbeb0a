"""The index service: the pure engine, kept in step with the database in every server process.

``get_engine()`` returns this process's ``Engine``. On first use it builds it from the ORM
(``expert_docs``: a handful of ``values()`` queries for all active talents, never a query per
talent). On every later call it reads the ``IndexChange`` rows appended since it last looked
(one indexed query) and rebuilds the records of just those talents; a full rebuild happens when
the log is far ahead (``TALENTFLOW_MATCHING_REBUILD_AFTER`` changes), when the log asks for one
(``signals.log_all``), or when the log no longer holds the last row this process applied (it
was pruned, rolled back or the database was replaced). Every gunicorn worker converges to the
committed state without a restart and without a worker process: see
docs/decisions/0007-matching-index.md for the design and its alternatives.

Commit order is not ``seq`` order on PostgreSQL: a transaction that took seq 10 may commit
after one that took seq 11. A seq missing below the highest one seen is therefore remembered as
a *gap* and asked for again on later polls until it appears or is older than
``TALENTFLOW_MATCHING_GAP_SECONDS`` (a rolled-back transaction leaves a gap that never fills).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from talentflow.directory.models import Affiliation, AffiliationKind, TalentProfile
from talentflow.matching.engine.engine import Engine
from talentflow.matching.engine.types import ExpertDoc, PastWork
from talentflow.matching.models import (
    ExpertCapacity,
    IndexChange,
    InterestDeclaration,
    PastEngagement,
    default_capacity,
)
from talentflow.matching.signals import ALL
from talentflow.needs.models import EngagementMember, Need, Outcome, OutcomeStatus

logger = logging.getLogger(__name__)

# Need states in which an engagement occupies its team (their current load), and those in
# which it counts as past work, verified or not.
OPEN_ENGAGEMENT_STATES = ("engaged", "verifying")
PAST_WORK_STATES = ("engaged", "verifying", "verified", "closed")
VERIFIED_STATES = ("verified", "closed")
# Ids per ``IN (...)`` list: well below SQLite's bound on query parameters.
CHUNK = 500


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# Building the engine's records from the ORM ---------------------------------------------------


def _chunks(ids: Sequence[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


def _join(*parts: str) -> str:
    return "\n".join(p.strip() for p in parts if p and p.strip())


def expert_docs(talent_ids: Iterable[int] | None = None) -> dict[int, ExpertDoc]:
    """The engine records of the active talents among ``talent_ids`` (all when None).

    Inactive or missing talents are simply absent: the caller removes them from the engine.
    """
    if talent_ids is None:
        return _docs(None)
    ids = sorted({int(t) for t in talent_ids})
    docs: dict[int, ExpertDoc] = {}
    for chunk in _chunks(ids):
        docs.update(_docs(chunk))
    return docs


def _by_talent(rows: Iterable[tuple[int, object]]) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for talent_id, value in rows:
        grouped[talent_id].append(value)
    return grouped


def _docs(ids: list[int] | None) -> dict[int, ExpertDoc]:
    """One batch: about a dozen queries whatever the number of talents."""
    today = timezone.localdate()

    def scoped(qs, path: str = "talent_id"):
        return qs if ids is None else qs.filter(**{f"{path}__in": ids})

    talents = scoped(TalentProfile.objects.filter(is_active=True), "pk").values_list(
        "pk", "name", "expertise", "biography", "title_level", "home_region_id", "availability"
    )
    base = {row[0]: row for row in talents.iterator(chunk_size=2000)}
    if not base:
        return {}
    ids_filter = None if ids is None else [i for i in ids if i in base]

    def through(name: str, value: str) -> dict[int, list]:
        model = getattr(TalentProfile, name).through
        qs = model.objects.all()
        if ids_filter is not None:
            qs = qs.filter(talentprofile_id__in=ids_filter)
        return _by_talent(qs.values_list("talentprofile_id", value).iterator(chunk_size=5000))

    qualifications = through("qualifications", "qualification__name")
    disciplines = through("disciplines", "discipline__code")
    industries = through("industries", "industry_id")
    pools = through("pools", "pool__code")

    def owned(qs):
        return qs if ids_filter is None else qs.filter(talent_id__in=ids_filter)

    current = owned(Affiliation.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today)))
    organisations: dict[int, list[int]] = defaultdict(list)
    employers: dict[int, list[int]] = defaultdict(list)
    for talent_id, organisation_id, kind in current.values_list(
        "talent_id", "organisation_id", "kind"
    ).iterator(chunk_size=5000):
        organisations[talent_id].append(organisation_id)
        if kind == AffiliationKind.EMPLOYED:
            employers[talent_id].append(organisation_id)
    declared = _by_talent(
        owned(InterestDeclaration.objects.all()).values_list("talent_id", "organisation_id")
    )
    capacity = dict(owned(ExpertCapacity.objects.all()).values_list("talent_id", "max_concurrent"))
    load, past = _engagements(ids_filter)
    imported = _imported(ids_filter)
    fallback_capacity = default_capacity()

    docs: dict[int, ExpertDoc] = {}
    for pk, (_pk, name, expertise, biography, level, region, availability) in base.items():
        docs[pk] = ExpertDoc(
            id=pk,
            name=name,
            text=_join(expertise.replace("；", " "), biography, " ".join(qualifications[pk])),
            industries=tuple(sorted(set(industries[pk]))),
            disciplines=tuple(sorted(set(disciplines[pk]))),
            title_level=level or "",
            region=region or "",
            pools=tuple(sorted(set(pools[pk]))),
            availability=availability,
            load=load.get(pk, 0),
            capacity=capacity.get(pk, fallback_capacity),
            organisations=tuple(sorted(set(organisations[pk]))),
            conflicts=tuple(sorted(set(declared[pk]) | set(employers[pk]))),
            past=tuple(past[pk]) + tuple(imported[pk]),
        )
    return docs


def _engagements(ids: list[int] | None) -> tuple[dict[int, int], dict[int, list[PastWork]]]:
    """Current load and past work on the platform, per talent."""
    members = EngagementMember.objects.filter(engagement__need__state__in=PAST_WORK_STATES)
    if ids is not None:
        members = members.filter(talent_id__in=ids)
    pairs = list(members.values_list("talent_id", "engagement__need_id"))
    need_ids = sorted({n for _t, n in pairs})
    needs: dict[int, tuple] = {}
    need_disciplines: dict[int, list[str]] = defaultdict(list)
    valued: set[int] = set()
    for chunk in _chunks(need_ids):
        for row in Need.objects.filter(pk__in=chunk).values_list(
            "pk", "title", "summary", "solver_brief", "industry_id", "state"
        ):
            needs[row[0]] = row
        for need_id, code in Need.disciplines.through.objects.filter(need_id__in=chunk).values_list(
            "need_id", "discipline__code"
        ):
            need_disciplines[need_id].append(code)
        valued.update(
            Outcome.objects.filter(need_id__in=chunk, status=OutcomeStatus.CONFIRMED).values_list(
                "need_id", flat=True
            )
        )
    load: dict[int, int] = defaultdict(int)
    past: dict[int, list[PastWork]] = defaultdict(list)
    for talent_id, need_id in sorted(pairs):
        _pk, title, summary, brief, industry, state = needs[need_id]
        if state in OPEN_ENGAGEMENT_STATES:
            load[talent_id] += 1
        past[talent_id].append(
            PastWork(
                text=_join(title, summary, brief),
                industry=industry or "",
                disciplines=tuple(sorted(set(need_disciplines[need_id]))),
                verified=state in VERIFIED_STATES,
                valued=need_id in valued,
            )
        )
    return load, past


def _imported(ids: list[int] | None) -> dict[int, list[PastWork]]:
    """Past engagements imported from CSV, per talent."""
    links = PastEngagement.talents.through.objects.all()
    if ids is not None:
        links = links.filter(talentprofile_id__in=ids)
    pairs = list(links.values_list("talentprofile_id", "pastengagement_id"))
    records: dict[int, tuple[str, str]] = {}
    codes: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(sorted({p for _t, p in pairs})):
        for pk, text, industry in PastEngagement.objects.filter(pk__in=chunk).values_list(
            "pk", "text", "industry_id"
        ):
            records[pk] = (text, industry or "")
        for pk, code in PastEngagement.disciplines.through.objects.filter(
            pastengagement_id__in=chunk
        ).values_list("pastengagement_id", "discipline__code"):
            codes[pk].append(code)
    past: dict[int, list[PastWork]] = defaultdict(list)
    for talent_id, pk in sorted(pairs):
        text, industry = records[pk]
        past[talent_id].append(
            PastWork(text=text, industry=industry, disciplines=tuple(sorted(set(codes[pk]))))
        )
    return past


# The per-process cache --------------------------------------------------------------------


@dataclass(frozen=True)
class _Mark:
    """The last log row applied: its seq, and what it held (to notice a rewritten log)."""

    seq: int = 0
    talent_id: int = 0
    at: dt.datetime | None = None


class EngineIndex:
    """One process's engine and its position in the change log.

    Thread-safe: ``sync`` and the engine's mutations run under ``lock``; callers that use the
    engine while other threads may sync hold it too (``services`` do).
    """

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self._engine: Engine | None = None
        self._mark = _Mark()
        self._gaps: dict[int, float] = {}  # seq → monotonic time first missed
        self._last_prune = 0.0
        self.builds = 0  # full builds so far (for tests and the benchmark)
        self.applied = 0  # talents re-applied incrementally so far

    @property
    def seq(self) -> int:
        return self._mark.seq

    def get(self) -> Engine:
        """The engine, brought up to date with the committed log."""
        with self.lock:
            if self._engine is None:
                self.rebuild()
            else:
                self.sync()
            assert self._engine is not None
            return self._engine

    def reset(self) -> None:
        """Forget everything: the next ``get`` builds from scratch."""
        with self.lock:
            self._engine = None
            self._mark = _Mark()
            self._gaps.clear()

    def rebuild(self) -> None:
        """Build the engine from the database, positioned at the log's current end."""
        with self.lock:
            top = IndexChange.objects.order_by("-seq").values_list("seq", "talent_id", "at").first()
            mark = _Mark(*top) if top else _Mark()
            gaps = self._recent_gaps(mark.seq)
            started = time.monotonic()
            docs = expert_docs()
            self._engine = Engine.build(docs.values())
            self._mark = mark
            self._gaps = gaps
            self.builds += 1
            logger.info(
                "matching index built: %d experts in %.1f s (log at %d)",
                len(docs),
                time.monotonic() - started,
                mark.seq,
            )

    def _recent_gaps(self, top: int) -> dict[int, float]:
        """Seqs just below ``top`` not yet visible: transactions that may still commit."""
        window = _setting("TALENTFLOW_MATCHING_GAP_WINDOW", 1000)
        if top <= 1:
            return {}
        low = max(1, top - window)
        # Below a row older than the gap horizon nothing is still open (only pruned rows).
        horizon = timezone.now() - dt.timedelta(
            seconds=_setting("TALENTFLOW_MATCHING_GAP_SECONDS", 3600)
        )
        settled = (
            IndexChange.objects.filter(at__lt=horizon, seq__lt=top)
            .order_by("-seq")
            .values_list("seq", flat=True)
            .first()
        )
        if settled is not None:
            low = max(low, settled + 1)
        present = set(IndexChange.objects.filter(seq__gte=low).values_list("seq", flat=True))
        now = time.monotonic()
        return {s: now for s in range(low, top) if s not in present}

    def sync(self) -> int:
        """Apply the log rows committed since the last call; the number of talents applied."""
        with self.lock:
            if self._engine is None:
                self.rebuild()
                return 0
            rows = self._read_log()
            if rows is None:  # rewritten or far ahead
                self.rebuild()
                return 0
            if not rows:
                return 0
            talent_ids = {talent_id for _seq, talent_id, _at in rows}
            if ALL in talent_ids:
                self.rebuild()
                return 0
            self._apply(talent_ids)
            self._advance(rows)
            self._maybe_prune()
            return len(talent_ids)

    def _read_log(self) -> list[tuple[int, int, dt.datetime]] | None:
        """New rows in seq order, or None when only a full rebuild is safe."""
        mark, limit = self._mark, _setting("TALENTFLOW_MATCHING_REBUILD_AFTER", 5000)
        self._expire_gaps()
        query = Q(seq__gte=mark.seq) if mark.seq else Q(seq__gt=0)
        if self._gaps:
            query |= Q(seq__in=sorted(self._gaps)[-CHUNK:])
        rows = list(
            IndexChange.objects.filter(query)
            .order_by("seq")
            .values_list("seq", "talent_id", "at")[: limit + 2]
        )
        if mark.seq:
            same = [r for r in rows if r[0] == mark.seq]
            if not same or (same[0][1], same[0][2]) != (mark.talent_id, mark.at):
                logger.info("matching index: the change log was rewritten, rebuilding")
                return None
        new = [r for r in rows if r[0] != mark.seq]
        if len(new) > limit:
            return None
        return new

    def _apply(self, talent_ids: set[int]) -> None:
        docs = expert_docs(talent_ids)
        assert self._engine is not None
        for talent_id in sorted(talent_ids):
            doc = docs.get(talent_id)
            if doc is not None:
                self._engine.upsert(doc)
            else:
                self._engine.remove(talent_id)
        # An edited record is scored with approximate BM25 statistics until the engine folds
        # its edits in (the replaced version still counts in document frequencies); that is
        # negligible over a large index but not over a county's few thousand talents, where
        # folding them in right away costs milliseconds.
        if len(self._engine) <= _setting("TALENTFLOW_MATCHING_COMPACT_BELOW", 20000):
            self._engine.compact()
        self.applied += len(talent_ids)

    def _advance(self, rows: list[tuple[int, int, dt.datetime]]) -> None:
        seen = {r[0] for r in rows}
        for seq in seen:
            self._gaps.pop(seq, None)
        last = max(rows, key=lambda r: r[0])
        if last[0] > self._mark.seq:
            now = time.monotonic()
            for seq in range(self._mark.seq + 1, last[0]):
                if seq not in seen:
                    self._gaps[seq] = now
            self._mark = _Mark(*last)

    def _expire_gaps(self) -> None:
        horizon = time.monotonic() - _setting("TALENTFLOW_MATCHING_GAP_SECONDS", 3600)
        for seq in [s for s, t in self._gaps.items() if t < horizon]:
            del self._gaps[seq]

    def _maybe_prune(self) -> None:
        """Now and then, drop log rows older than the retention (keeping the newest row)."""
        now = time.monotonic()
        if now - self._last_prune < 3600:
            return
        self._last_prune = now
        prune_log()


def prune_log(*, hours: int | None = None) -> int:
    """Delete log rows older than ``hours`` (default ``TALENTFLOW_MATCHING_LOG_HOURS``), except
    the newest row: a process positioned there must still find it. A process positioned on a
    pruned row rebuilds, which is correct, only slower."""
    hours = hours if hours is not None else _setting("TALENTFLOW_MATCHING_LOG_HOURS", 48)
    newest = IndexChange.objects.order_by("-seq").values_list("seq", flat=True).first()
    if newest is None:
        return 0
    cutoff = timezone.now() - dt.timedelta(hours=hours)
    deleted, _ = IndexChange.objects.filter(at__lt=cutoff, seq__lt=newest).delete()
    return deleted


_INDEX = EngineIndex()


def default_index() -> EngineIndex:
    return _INDEX


def get_engine() -> Engine:
    """This process's engine, up to date with every committed change (see the module doc)."""
    return _INDEX.get()
