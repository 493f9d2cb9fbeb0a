"""Every write of the points app: schemes and versions, events, and the ledger they produce.

The ledger is written only by ``_reconcile``: for one scheme, some talents and a date, it
computes what every event on or after the date should earn (engine.compute, caps carried from
the entries before the date) and compares it with the active entries. An entry that differs
is reversed and a new entry is added; an entry that agrees is left alone. So running it again
creates nothing, and entries for events before the date are never touched.

Writers lock the scheme row first (``select_for_update``): two syncs, or a sync and a publish,
run one after the other instead of both adding the same entries.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import groupby
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentflow.accounts.permissions import scope_for
from talentflow.core.audit import audit_record, snapshot
from talentflow.core.notifications import notify
from talentflow.core.services import require
from talentflow.directory.models import TalentProfile
from talentflow.needs import workflow as needs_workflow
from talentflow.needs.models import Engagement, Outcome, OutcomeStatus, VerificationRound
from talentflow.points import engine, permissions
from talentflow.points.models import (
    OUTCOME_KINDS,
    RECORDED_KINDS,
    EntryKind,
    EventKind,
    EventSource,
    LedgerEntry,
    PointsEvent,
    PointsRate,
    PointsScheme,
    SchemeVersion,
    VersionStatus,
)
from talentflow.reference.models import Region

ZERO = Decimal("0")
RATE_FIELDS = ("kind", "base_points", "points_per_unit", "unit_size", "cap")


# Schemes and the region an event counts in --------------------------------------------------


def scheme_for_region(code: str, schemes: Mapping[str, PointsScheme] | None = None):
    """The scheme of the region, else of the prefecture, else of the province above it."""
    if schemes is None:
        schemes = {s.region_id: s for s in PointsScheme.objects.all()}
    for candidate in (code, code[:4] + "00", code[:2] + "0000"):
        if candidate in schemes:
            return schemes[candidate]
    return None


def _region_codes_of(scheme: PointsScheme, schemes: Mapping[str, PointsScheme]) -> Q:
    """Events counted under ``scheme``: in its region or below, unless a nearer scheme exists."""
    prefix = scheme.region_id
    if prefix.endswith("0000"):
        prefix = prefix[:2]
    elif prefix.endswith("00"):
        prefix = prefix[:4]
    q = Q(region__code__startswith=prefix)
    for code in schemes:
        if code != scheme.region_id and code.startswith(prefix):
            nested = code[:4] if code.endswith("00") and not code.endswith("0000") else code
            q &= ~Q(region__code__startswith=nested)
    return q


def engine_versions(scheme: PointsScheme, *, extra: SchemeVersion | None = None):
    """The scheme's published versions as the engine sees them; ``extra`` (a draft being
    previewed) is added as if published."""
    versions = list(
        scheme.versions.filter(status=VersionStatus.PUBLISHED).prefetch_related("rates")
    )
    if extra is not None and extra.pk not in {v.pk for v in versions}:
        versions.append(extra)
    return engine.VersionIndex(engine_version(v) for v in versions)


def engine_version(version: SchemeVersion) -> engine.Version:
    return engine.Version(
        id=version.pk,
        number=version.number,
        effective_from=version.effective_from,
        period_cap=version.period_cap,
        rates={
            r.kind: engine.Rate(
                kind=r.kind,
                base=r.base_points,
                per_unit=r.points_per_unit,
                unit_size=r.unit_size,
                cap=r.cap,
            )
            for r in version.rates.all()
        },
    )


# The ledger ---------------------------------------------------------------------------------

# A recompute reads and writes in chunks, so memory stays bounded however long the history:
# this many talents at a time (their events, active entries and carried caps), and this many
# rows per INSERT.
TALENT_CHUNK = 500
WRITE_BATCH = 2000


@dataclass(frozen=True, slots=True)
class Active:
    """The active (not reversed) credit entry of an event: its id and digest, which holds its
    version, period and points (engine.Result.digest)."""

    id: int
    digest: str

    @property
    def version_id(self) -> int:
        return int(self.digest.split("|", 1)[0])

    @property
    def points(self) -> Decimal:
        return Decimal(self.digest.rsplit("|", 1)[1])

    @property
    def period(self) -> str:
        return self.digest.rsplit("|", 2)[1]


@dataclass(slots=True)
class Change:
    """What a recompute does to one event: its active entry (if any) and the new result (None
    when the event earns nothing now: no rate for its kind, or voided)."""

    event_id: int
    talent_id: int
    voided: bool
    active: Active | None
    result: engine.Result | None

    @property
    def old_points(self) -> Decimal:
        return self.active.points if self.active is not None else Decimal("0")

    @property
    def new_points(self) -> Decimal:
        return self.result.points if self.result is not None else Decimal("0")

    @property
    def changes(self) -> bool:
        if self.active is None:
            return self.result is not None
        if self.result is None:
            return True
        return self.active.digest != self.result.digest()


@dataclass
class Plan:
    changes: list[Change] = field(default_factory=list)

    @property
    def effective(self) -> list[Change]:
        return [c for c in self.changes if c.changes]

    def by_talent(self) -> dict[int, tuple[Decimal, Decimal]]:
        totals: dict[int, list[Decimal]] = defaultdict(lambda: [Decimal("0"), Decimal("0")])
        for c in self.changes:
            totals[c.talent_id][0] += c.old_points
            totals[c.talent_id][1] += c.new_points
        return {k: (v[0], v[1]) for k, v in totals.items()}


def _active_entries(scheme: PointsScheme):
    return LedgerEntry.objects.filter(
        version__scheme=scheme, kind=EntryKind.CREDIT, reversal__isnull=True
    )


def _chunks(values: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _plan_chunks(
    *,
    scheme: PointsScheme,
    from_date: dt.date,
    talent_ids: Iterable[int] | None = None,
    versions: engine.VersionIndex | None = None,
) -> Iterator[list[Change]]:
    """What every event of the scheme on or after ``from_date`` should earn, next to what it
    has now, a chunk of talents at a time. Reads plain values only (no model instances)."""
    schemes = {s.region_id: s for s in PointsScheme.objects.all()}
    index = versions if versions is not None else engine_versions(scheme)
    events_q = PointsEvent.objects.filter(
        _region_codes_of(scheme, schemes), occurred_on__gte=from_date
    )
    if talent_ids is not None:
        events_q = events_q.filter(talent_id__in=list(talent_ids))
    talents = list(events_q.order_by("talent_id").values_list("talent_id", flat=True).distinct())
    for chunk in _chunks(talents, TALENT_CHUNK):
        # All talents: a range of ids (the chunk's first to last; every talent in between
        # with events is in the chunk) reads through the talent indexes without an IN list.
        lo, hi = chunk[0], chunk[-1]
        if talent_ids is None:
            in_chunk = Q(talent_id__gte=lo, talent_id__lte=hi)
        else:
            in_chunk = Q(talent_id__in=chunk)
        rows = list(
            events_q.filter(in_chunk)
            .order_by("talent_id", "occurred_on", "id")
            .values_list("id", "talent_id", "kind", "occurred_on", "quantity", "voided_at")
        )
        voided = {r[0] for r in rows if r[5] is not None}
        entries = _active_entries(scheme).filter(in_chunk)
        if from_date > dt.date.min:
            entries = entries.filter(event__occurred_on__gte=from_date)
        active: dict[int, Active] = {}
        legacy: dict[int, int] = {}
        for pk, event_id, digest in entries.values_list("id", "event_id", "digest"):
            active[event_id] = Active(pk, digest)
            if not digest:
                legacy[pk] = event_id
        if legacy:
            # Entries written before the digest column: their digest from the explanation.
            for pk, version_id, explanation in LedgerEntry.objects.filter(
                pk__in=list(legacy)
            ).values_list("pk", "version_id", "explanation"):
                active[legacy[pk]] = Active(pk, engine.digest_of(version_id, explanation or {}))
        # What the events before the date already took in the periods being recomputed.
        periods = {engine.period_of(r[3]) for r in rows}
        carried: dict[int, dict[str, engine.Used]] = defaultdict(dict)
        if periods and from_date > dt.date.min:
            for talent_id, period, kind, points in (
                _active_entries(scheme)
                .filter(in_chunk, period__in=periods, event__occurred_on__lt=from_date)
                .values_list("talent_id", "period", "event__kind", "points")
            ):
                carried[talent_id].setdefault(period, engine.Used()).add(kind, points)
        changes: list[Change] = []
        for talent_id, group in groupby(rows, key=lambda r: r[1]):
            talent_rows = list(group)
            results = {
                r.key: r
                for r in engine.compute(
                    index,
                    (
                        engine.Event(pk, kind, day, quantity)
                        for pk, _t, kind, day, quantity, when in talent_rows
                        if when is None
                    ),
                    used=carried.get(talent_id),
                )
            }
            for row in talent_rows:
                pk = row[0]
                changes.append(Change(pk, talent_id, pk in voided, active.get(pk), results.get(pk)))
        yield changes


def plan(
    *,
    scheme: PointsScheme,
    from_date: dt.date,
    talent_ids: Iterable[int] | None = None,
    versions: engine.VersionIndex | None = None,
) -> Plan:
    """The whole plan in memory (a preview). Reads only."""
    result = Plan()
    for changes in _plan_chunks(
        scheme=scheme, from_date=from_date, talent_ids=talent_ids, versions=versions
    ):
        result.changes.extend(changes)
    return result


@dataclass
class Applied:
    """What a reconcile wrote: entries added and reversed, and per talent the entries added
    and the change of their points (for their notification)."""

    entries: int = 0
    reversals: int = 0
    talents: dict[int, list] = field(default_factory=dict)

    def note(self, talent_id: int, added: int, delta: Decimal) -> None:
        row = self.talents.setdefault(talent_id, [0, Decimal("0")])
        row[0] += added
        row[1] += delta


_INSERT_COLUMNS = (
    "talent_id",
    "event_id",
    "version_id",
    "kind",
    "points",
    "period",
    "explanation",
    "digest",
    "reverses_id",
    "created_at",
)


def _insert_entries(rows: list[tuple]) -> None:
    """Append ledger rows (tuples in ``_INSERT_COLUMNS`` order). Not ``bulk_create``:
    building a model instance and preparing each of its fields costs about 100 µs a row,
    which a publish over a million events cannot afford. The JSON explanation arrives as
    text (engine.Result.stored)."""
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(LedgerEntry._meta.db_table)
    columns = ", ".join(ops.quote_name(c) for c in _INSERT_COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows to the server in one go (psycopg 3); the JSON text is
            # parsed into jsonb by the server.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # SQLite runs in the process: one prepared INSERT, run for each row of a batch.
        params = ", ".join(["%s"] * len(_INSERT_COLUMNS))
        sql = f"INSERT INTO {table} ({columns}) VALUES ({params})"
        for i in range(0, len(rows), WRITE_BATCH):
            cursor.executemany(sql, rows[i : i + WRITE_BATCH])


def _apply(
    changes: Iterable[Change], applied: Applied, *, reason: str = "recomputed", track: bool
) -> None:
    """Write one chunk of a plan: a reversal for each changed active entry, a new entry for
    each result. Reversals go first (an event has one active entry at a time)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    reversals: list[tuple] = []
    credits: list[tuple] = []
    for c in changes:
        if not c.changes:
            continue
        delta = ZERO
        if c.active is not None:
            points = c.active.points
            delta -= points
            explanation = {
                "reverses": c.active.id,
                "reason": "voided" if c.voided else reason,
                "new_version": c.result.version_number if c.result else None,
            }
            reversals.append(
                (
                    c.talent_id,
                    c.event_id,
                    c.active.version_id,
                    EntryKind.REVERSAL.value,
                    -points,
                    c.active.period,
                    json.dumps(explanation),
                    "",
                    c.active.id,
                    now,
                )
            )
        result = c.result
        if result is not None:
            delta += result.points
            text, digest = result.stored()
            credits.append(
                (
                    c.talent_id,
                    c.event_id,
                    result.version_id,
                    EntryKind.CREDIT.value,
                    result.points,
                    result.period,
                    text,
                    digest,
                    None,
                    now,
                )
            )
        if track:
            applied.note(c.talent_id, 1 if result is not None else 0, delta)
    _insert_entries(reversals)
    _insert_entries(credits)
    applied.entries += len(credits)
    applied.reversals += len(reversals)


def _reconcile(
    *,
    scheme: PointsScheme,
    from_date: dt.date,
    talent_ids: Iterable[int] | None,
    actor,
    system_label: str | None,
    reason: str,
    audit: bool = True,
    track: bool = False,
) -> Applied:
    """Recompute and write, chunk by chunk, in the caller's transaction. One audit event for
    the whole run (``audit=False``: the caller records it with its own, e.g. a publish).
    ``track``: count per talent what was added (for their notifications)."""
    applied = Applied()
    for changes in _plan_chunks(scheme=scheme, from_date=from_date, talent_ids=talent_ids):
        _apply(changes, applied, track=track)
    if audit and (applied.entries or applied.reversals):
        audit_record(
            actor=actor,
            action="points.ledger_recompute",
            object_type="points.pointsscheme",
            object_id=str(scheme.pk),
            object_repr=str(scheme),
            after={
                "from": from_date.isoformat(),
                "reason": reason,
                "entries": applied.entries,
                "reversals": applied.reversals,
            },
            region=scheme.region_id,
            system_label=system_label,
        )
    return applied


def _lock(scheme: PointsScheme) -> PointsScheme:
    return PointsScheme.objects.select_for_update().get(pk=scheme.pk)


@transaction.atomic
def ledger_recompute(
    *,
    actor,
    scheme: PointsScheme,
    from_date: dt.date | None = None,
    system_label: str | None = None,
) -> tuple[int, int]:
    """Bring the scheme's ledger in line with its published versions (from the date, or all).
    Returns (entries added, entries reversed); a second run returns (0, 0)."""
    if actor is not None:
        require(permissions.can_manage_scheme(actor, scheme))
    scheme = _lock(scheme)
    applied = _reconcile(
        scheme=scheme,
        from_date=from_date or dt.date.min,
        talent_ids=None,
        actor=actor,
        system_label=system_label,
        reason="recompute",
    )
    return applied.entries, applied.reversals


# Notifications to the talent -----------------------------------------------------------------

NOTIFICATIONS = {
    "points.credited": gettext_lazy(
        "New points entered your ledger: %(entries)s entries, %(points)s points in all."
    ),
    "points.voided": gettext_lazy(
        "The talent office voided your points event “%(event)s”: %(reason)s"
    ),
}


def _talent_users(talent_ids: Iterable[int]) -> dict[int, Any]:
    return {
        t.pk: t.user
        for t in TalentProfile.objects.filter(pk__in=list(talent_ids), user__isnull=False)
        .select_related("user")
        .only("id", "user")
    }


def _notify_credited(applied: Applied, *, actor) -> None:
    """One notification per talent who got new entries in this operation."""
    gained = {t: row for t, row in applied.talents.items() if row[0] > 0}
    if not gained:
        return
    url = reverse("points:my_statement")
    for talent_id, user in _talent_users(gained).items():
        entries, delta = gained[talent_id]
        notify(
            recipients=[user],
            kind="points.credited",
            params={"entries": entries, "points": str(delta.quantize(engine.CENT))},
            url=url,
            exclude=actor,
        )


def _notify_voided(events: Sequence[PointsEvent], *, actor) -> None:
    """One notification per talent whose events were voided in this operation."""
    by_talent: dict[int, list[PointsEvent]] = defaultdict(list)
    for event in events:
        by_talent[event.talent_id].append(event)
    url = reverse("points:my_statement")
    for talent_id, user in _talent_users(by_talent).items():
        voided = by_talent[talent_id]
        notify(
            recipients=[user],
            kind="points.voided",
            params={
                "event": "; ".join(_event_label(e) for e in voided)[:300],
                "reason": voided[0].void_reason,
            },
            url=url,
            exclude=actor,
        )


def _event_label(event: PointsEvent) -> str:
    quantity = format(event.quantity.normalize(), "f")
    return f"{event.get_kind_display()} {quantity} ({event.occurred_on.isoformat()})"


# Events derived from the need lifecycle ------------------------------------------------------


@dataclass(frozen=True)
class SyncResult:
    events: int
    entries: int
    reversals: int
    voided: int = 0


def _local_date(value: dt.datetime) -> dt.date:
    return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()


def _derived_events(prefix: str) -> list[PointsEvent]:
    """Events the verified records call for: one per confirmed outcome and per completed
    engagement, for every talent on the engagement's team (lead, members, students,
    engineers). An outcome counts once the talent office confirmed it; an engagement once the
    workshop verification passed (车间验题)."""
    wanted: list[PointsEvent] = []
    outcomes = (
        Outcome.objects.filter(
            need__region__code__startswith=prefix,
            status=OutcomeStatus.CONFIRMED,
            confirmed_at__isnull=False,
            need__engagement__isnull=False,
        )
        .select_related("need", "need__engagement")
        .prefetch_related("need__engagement__members")
    )
    for outcome in outcomes:
        if outcome.kind not in OUTCOME_KINDS:
            continue
        for talent_id in sorted({m.talent_id for m in outcome.need.engagement.members.all()}):
            wanted.append(
                PointsEvent(
                    talent_id=talent_id,
                    kind=outcome.kind,
                    region_id=outcome.need.region_id,
                    occurred_on=_local_date(outcome.confirmed_at),
                    quantity=outcome.amount,
                    source=EventSource.OUTCOME,
                    source_key=f"outcome:{outcome.pk}:talent:{talent_id}",
                    outcome=outcome,
                    engagement=outcome.need.engagement,
                    description=str(outcome.need.title)[:255],
                )
            )
    passed = (
        VerificationRound.objects.filter(passed=True, recorded_at__isnull=False)
        .filter(
            engagement__need__state__in=[
                needs_workflow.State.VERIFIED,
                needs_workflow.State.CLOSED,
            ]
        )
        .filter(engagement__need__region__code__startswith=prefix)
        .select_related("engagement__need")
        .prefetch_related("engagement__members")
        .order_by("engagement_id", "number")
    )
    seen: set[int] = set()
    for round_ in passed:
        engagement: Engagement = round_.engagement
        if engagement.pk in seen:
            continue
        seen.add(engagement.pk)
        for talent_id in sorted({m.talent_id for m in engagement.members.all()}):
            wanted.append(
                PointsEvent(
                    talent_id=talent_id,
                    kind=EventKind.ENGAGEMENT_COMPLETED,
                    region_id=engagement.need.region_id,
                    occurred_on=_local_date(round_.recorded_at),
                    quantity=Decimal("1"),
                    source=EventSource.ENGAGEMENT,
                    source_key=f"engagement:{engagement.pk}:talent:{talent_id}",
                    engagement=engagement,
                    description=str(engagement.need.title)[:255],
                )
            )
    return wanted


@transaction.atomic
def events_sync(
    *, actor, region_prefixes: Sequence[str] | None = None, system_label: str | None = None
) -> SyncResult:
    """Derive the events of confirmed outcomes and verified engagements that are not yet
    events, void the derived events whose outcome is no longer confirmed or whose engagement
    is no longer verified, then bring the ledger of every scheme concerned up to date.

    Idempotent: an event's ``source_key`` is unique and is looked up first (a voided event
    keeps its key, so it is never derived again), and the ledger is reconciled, so a second
    run creates nothing. An officer syncs the regions they govern."""
    if actor is not None:
        scope = scope_for(actor)
        require(scope.is_admin or scope.is_officer)
        if not scope.is_admin:
            region_prefixes = scope.region_prefixes
    schemes = {s.region_id: s for s in PointsScheme.objects.select_for_update()}
    created_total = 0
    prefixes = list(region_prefixes) if region_prefixes is not None else [""]
    new_events: list[PointsEvent] = []
    voided_events: list[PointsEvent] = []
    now = timezone.now()
    for prefix in prefixes:
        wanted = _derived_events(prefix)
        wanted_keys = {w.source_key for w in wanted}
        existing = set(
            PointsEvent.objects.filter(source_key__in=wanted_keys).values_list(
                "source_key", flat=True
            )
        )
        fresh = [w for w in wanted if w.source_key not in existing]
        for event in fresh:
            event.full_clean(validate_unique=False, validate_constraints=False)
        # A concurrent sync may have inserted the same source keys meanwhile: the unique key
        # keeps one row, and the rows are read back (with their primary keys) either way.
        PointsEvent.objects.bulk_create(fresh, ignore_conflicts=True)
        fresh = list(PointsEvent.objects.filter(source_key__in=[f.source_key for f in fresh]))
        for event in fresh:
            audit_record(
                actor=actor,
                action="points.event_derive",
                obj=event,
                after=snapshot(event),
                region=event.region_id,
                system_label=system_label,
            )
        new_events.extend(fresh)
        created_total += len(fresh)
        # Derived events whose source no longer qualifies (an outcome withdrawn from
        # confirmation, an engagement no longer verified, a member left the team): voided.
        stale = [
            e
            for e in PointsEvent.objects.select_for_update()
            .filter(
                source__in=[EventSource.OUTCOME, EventSource.ENGAGEMENT],
                voided_at__isnull=True,
                region__code__startswith=prefix,
            )
            .select_related("talent")
            if e.source_key not in wanted_keys
        ]
        for event in stale:
            before = snapshot(event)
            event.voided_at = now
            event.voided_by = actor if getattr(actor, "pk", None) else None
            event.void_reason = _("Its source is no longer confirmed or verified.")
            event.save(update_fields=["voided_at", "voided_by", "void_reason", "updated_at"])
            audit_record(
                actor=actor,
                action="points.event_void",
                obj=event,
                before=before,
                after=snapshot(event),
                region=event.region_id,
                system_label=system_label,
            )
        voided_events.extend(stale)
    applied = Applied()
    by_scheme: dict[int, list[PointsEvent]] = defaultdict(list)
    for event in new_events + voided_events:
        scheme = scheme_for_region(event.region_id, schemes)
        if scheme is not None:
            by_scheme[scheme.pk].append(event)
    for scheme in schemes.values():
        events = by_scheme.get(scheme.pk)
        if not events:
            continue
        part = _reconcile(
            scheme=scheme,
            from_date=min(e.occurred_on for e in events),
            talent_ids={e.talent_id for e in events},
            actor=actor,
            system_label=system_label,
            reason="sync",
            track=True,
        )
        applied.entries += part.entries
        applied.reversals += part.reversals
        for talent_id, (added, delta) in part.talents.items():
            applied.note(talent_id, added, delta)
    _notify_credited(applied, actor=actor)
    _notify_voided(voided_events, actor=actor)
    return SyncResult(created_total, applied.entries, applied.reversals, len(voided_events))


# Events recorded by the talent office --------------------------------------------------------


def _decimal(value: Any, name: str) -> Decimal:
    try:
        result = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({name: _("Enter a number.")}) from None
    if not result.is_finite():
        raise ValidationError({name: _("Enter a number.")})
    return result


@transaction.atomic
def event_record(
    *,
    actor,
    talent: TalentProfile,
    kind: str,
    region: Region,
    occurred_on: dt.date,
    quantity: Any,
    evidence: str,
    description: str = "",
    system_label: str | None = None,
) -> PointsEvent:
    """An officer records an appointment served, students mentored or days of service to
    industry, with its evidence, in a region they govern. The ledger follows at once."""
    if actor is not None:
        scope = scope_for(actor)
        require(permissions.can_record_events(actor))
        if not scope.is_admin:
            if not scope.governs_region(region.code):
                raise PermissionDenied(_("You record events only in the regions you govern."))
            from talentflow.directory.selectors import talent_visible

            if not talent_visible(user=actor).filter(pk=talent.pk).exists():
                raise PermissionDenied(_("You may not record events for this talent."))
    if kind not in {k.value for k in RECORDED_KINDS}:
        raise ValidationError(
            {"kind": _("Only appointments, students mentored and service days are recorded.")}
        )
    amount = _decimal(quantity, "quantity")
    if amount <= 0:
        raise ValidationError({"quantity": _("The quantity must be more than zero.")})
    if not evidence.strip():
        raise ValidationError({"evidence": _("Name the evidence of this event.")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date lies in the future.")})
    event = PointsEvent(
        talent=talent,
        kind=kind,
        region=region,
        occurred_on=occurred_on,
        quantity=amount,
        source=EventSource.RECORDED,
        source_key=f"recorded:{uuid.uuid4().hex}",
        description=description.strip(),
        evidence=evidence.strip(),
        recorded_by=actor,
    )
    event.full_clean()
    event.save()
    audit_record(
        actor=actor,
        action="points.event_record",
        obj=event,
        after=snapshot(event),
        region=region.code,
        system_label=system_label,
    )
    scheme = scheme_for_region(region.code)
    if scheme is not None:
        scheme = _lock(scheme)
        applied = _reconcile(
            scheme=scheme,
            from_date=occurred_on,
            talent_ids=[talent.pk],
            actor=actor,
            system_label=system_label,
            reason="event",
            track=True,
        )
        _notify_credited(applied, actor=actor)
    return event


@transaction.atomic
def event_void(
    *, actor, event: PointsEvent, reason: str, system_label: str | None = None
) -> PointsEvent:
    """The talent office voids a wrongly recorded (or wrongly derived) event, with a reason.
    Nothing is edited or deleted: the event is marked voided and its active entry gets a
    reversal entry; the talent's later events of the year are recomputed (the caps it took
    are free again). A voided event is never voided again nor derived again."""
    if actor is not None:
        require(permissions.can_void_event(actor, event))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for voiding this event.")})
    # The scheme first, as every writer of the ledger does, then the event.
    scheme = scheme_for_region(event.region_id)
    if scheme is not None:
        scheme = _lock(scheme)
    event = PointsEvent.objects.select_for_update().select_related("talent").get(pk=event.pk)
    if event.is_voided:
        raise ValidationError(_("This event is voided already."))
    before = snapshot(event)
    event.voided_at = timezone.now()
    event.voided_by = actor if getattr(actor, "pk", None) else None
    event.void_reason = reason.strip()
    event.save(update_fields=["voided_at", "voided_by", "void_reason", "updated_at"])
    audit_record(
        actor=actor,
        action="points.event_void",
        obj=event,
        before=before,
        after=snapshot(event),
        region=event.region_id,
        system_label=system_label,
    )
    if scheme is not None:
        _reconcile(
            scheme=scheme,
            from_date=event.occurred_on,
            talent_ids=[event.talent_id],
            actor=actor,
            system_label=system_label,
            reason="void",
        )
    _notify_voided([event], actor=actor)
    return event


# Schemes and versions -----------------------------------------------------------------------


@transaction.atomic
def scheme_create(
    *,
    actor,
    region: Region,
    name: str,
    description: str = "",
    system_label: str | None = None,
) -> PointsScheme:
    if actor is not None:
        require(permissions.can_create_scheme(actor, region.code))
    if PointsScheme.objects.filter(region=region).exists():
        raise ValidationError({"region": _("This region already has a points scheme.")})
    scheme = PointsScheme(region=region, name=name.strip(), description=description.strip())
    scheme.full_clean()
    scheme.save()
    audit_record(
        actor=actor,
        action="points.scheme_create",
        obj=scheme,
        after=snapshot(scheme),
        region=region.code,
        system_label=system_label,
    )
    return scheme


def _rates_snapshot(version: SchemeVersion) -> list[dict[str, str | None]]:
    return [
        {name: None if getattr(r, name) is None else str(getattr(r, name)) for name in RATE_FIELDS}
        for r in version.rates.order_by("kind")
    ]


def _version_snapshot(version: SchemeVersion) -> dict[str, Any]:
    return {**snapshot(version), "rates": _rates_snapshot(version)}


@transaction.atomic
def version_create(
    *,
    actor,
    scheme: PointsScheme,
    effective_from: dt.date | None = None,
    system_label: str | None = None,
) -> SchemeVersion:
    """A new draft, its table copied from the latest version (so a change is an edit)."""
    if actor is not None:
        require(permissions.can_manage_scheme(actor, scheme))
    scheme = _lock(scheme)
    if scheme.versions.filter(status=VersionStatus.DRAFT).exists():
        raise ValidationError(_("A draft version exists already: edit or publish it first."))
    latest = scheme.versions.order_by("-number").first()
    if effective_from is None:
        effective_from = dt.date(timezone.localdate().year + 1, 1, 1)
    version = SchemeVersion(
        scheme=scheme,
        number=(latest.number + 1) if latest else 1,
        effective_from=effective_from,
        period_cap=latest.period_cap if latest else None,
    )
    version.full_clean()
    version.save()
    if latest is not None:
        PointsRate.objects.bulk_create(
            PointsRate(version=version, **{n: getattr(r, n) for n in RATE_FIELDS})
            for r in latest.rates.all()
        )
    audit_record(
        actor=actor,
        action="points.version_create",
        obj=version,
        after=_version_snapshot(version),
        region=scheme.region_id,
        system_label=system_label,
    )
    return version


def _check_start(version: SchemeVersion) -> None:
    later = (
        version.scheme.versions.filter(
            status=VersionStatus.PUBLISHED, effective_from__gte=version.effective_from
        )
        .exclude(pk=version.pk)
        .order_by("-effective_from")
        .first()
    )
    if later is not None:
        raise ValidationError(
            {
                "effective_from": _(
                    "A new version must start after the latest published one (v%(number)s, "
                    "from %(date)s)."
                )
                % {"number": later.number, "date": later.effective_from.isoformat()}
            }
        )


@transaction.atomic
def version_update(
    *,
    actor,
    version: SchemeVersion,
    effective_from: dt.date,
    period_cap: Decimal | None,
    note: str = "",
    rates: Sequence[Mapping[str, Any]],
    system_label: str | None = None,
) -> SchemeVersion:
    """Replace a draft's dates, overall cap and table. A published version never changes."""
    if actor is not None:
        require(permissions.can_manage_scheme(actor, version.scheme))
    version = SchemeVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("A published version cannot be changed: draft a new one."))
    before = _version_snapshot(version)
    version.effective_from = effective_from
    version.period_cap = period_cap
    version.note = note.strip()
    version.full_clean()
    _check_start(version)
    kinds = [r["kind"] for r in rates]
    if len(kinds) != len(set(kinds)):
        raise ValidationError({"rates": _("Each event kind may appear only once.")})
    rows = []
    for data in rates:
        rate = PointsRate(version=version, **{n: data.get(n) for n in RATE_FIELDS})
        if rate.base_points is None:
            rate.base_points = Decimal("0")
        if rate.points_per_unit is None:
            rate.points_per_unit = Decimal("0")
        if rate.unit_size is None:
            rate.unit_size = Decimal("1")
        try:
            rate.full_clean(exclude=["version"], validate_unique=False)
        except ValidationError as error:
            raise ValidationError(
                {"rates": [f"{rate.get_kind_display()}: {m}" for m in error.messages]}
            ) from None
        rows.append(rate)
    version.save()
    version.rates.all().delete()
    PointsRate.objects.bulk_create(rows)
    audit_record(
        actor=actor,
        action="points.version_update",
        obj=version,
        before=before,
        after=_version_snapshot(version),
        region=version.scheme.region_id,
        system_label=system_label,
    )
    return version


def version_preview(*, version: SchemeVersion) -> Plan:
    """What publishing the draft would do to the ledger: every event on or after its start,
    its points now and under the draft. Writes nothing."""
    index = engine_versions(version.scheme, extra=version)
    return plan(scheme=version.scheme, from_date=version.effective_from, versions=index)


@transaction.atomic
def version_publish(
    *, actor, version: SchemeVersion, system_label: str | None = None
) -> tuple[int, int]:
    """Publish a draft (immutable from now on) and recompute forward: entries of events before
    its start stay; those on or after are reversed and entered again under this version.
    Returns (entries added, entries reversed)."""
    if actor is not None:
        require(permissions.can_manage_scheme(actor, version.scheme))
    scheme = _lock(version.scheme)
    version = SchemeVersion.objects.select_for_update().get(pk=version.pk)
    if version.is_published:
        raise ValidationError(_("This version is already published."))
    if not version.rates.exists():
        raise ValidationError(_("The version has no rates: add at least one event kind."))
    _check_start(version)
    before = snapshot(version)
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = actor if getattr(actor, "pk", None) else None
    version.save()
    applied = _reconcile(
        scheme=scheme,
        from_date=version.effective_from,
        talent_ids=None,
        actor=actor,
        system_label=system_label,
        reason=f"publish v{version.number}",
        audit=False,
    )
    # One audit event per publish, with what the forward recompute wrote.
    audit_record(
        actor=actor,
        action="points.version_publish",
        obj=version,
        before=before,
        after={
            **snapshot(version),
            "recomputed_from": version.effective_from.isoformat(),
            "entries": applied.entries,
            "reversals": applied.reversals,
        },
        region=scheme.region_id,
        system_label=system_label,
    )
    return applied.entries, applied.reversals
