"""The bulk path for generated records: validated one by one, written in batches, audited.

Why not the services: ``organisation_create``, ``talent_create`` and ``affiliation_create``
issue about a dozen queries a record (foreign-key existence checks, check constraints evaluated
as queries, many-to-many diffs, the snapshot re-reading them, a savepoint). Measured on SQLite,
~15 ms a record: the ~6,000 generated records would take ~90 s, and ``talentflow demo`` must
start in seconds. The records the article names still go through the services.

What the bulk path keeps, so no record is less checked than a service would check it:
- every instance goes through ``full_clean``: field validators (USCC check character, lengths,
  choices, ranges) and the model's ``clean()``, which states the same rules as the model's
  check constraints (a title level needs its series; an affiliation ends after it starts);
- the database enforces those check constraints and the unique constraints again on insert,
  and the whole demo load is one transaction, so one bad row leaves nothing behind;
- one ``AuditEvent`` per record, with the action, snapshot and region the service would write.

What it skips, and why that is safe here: the foreign-key existence queries (every target is a
row this transaction has just read or written) and the per-row constraint and uniqueness
queries that the database repeats on insert anyway.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils import timezone

from talentflow.core.audit import snapshot
from talentflow.core.models import AuditEvent
from talentflow.directory.models import Affiliation, Organisation, TalentProfile
from talentflow.directory.services import ORGANISATION_M2M, TALENT_M2M, normalise_expertise

BATCH = 500
ORGANISATION_FKS = ["region", "industry", "parent"]
TALENT_FKS = ["home_region", "title_series", "user"]
AFFILIATION_FKS = ["talent", "organisation"]


def _validate(instance, *, exclude: list[str]) -> None:
    instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)


def _audit(
    objects: Iterable, *, action: str, system_label: str, m2m: dict[int, dict] | None, region_of
) -> None:
    now = timezone.now()
    events = []
    for obj in objects:
        after = snapshot(obj)
        if m2m is not None:
            after.update(
                {
                    name: sorted(str(getattr(v, "pk", v)) for v in values)
                    for name, values in m2m.get(id(obj), {}).items()
                }
            )
        events.append(
            AuditEvent(
                occurred_at=now,
                actor=None,
                actor_label=f"system:{system_label}",
                action=action,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                object_repr=str(obj)[:255],
                region_id=region_of(obj),
                after=after,
            )
        )
    AuditEvent.objects.bulk_create(events, batch_size=BATCH)


def organisations_bulk_create(
    organisations: Sequence[Organisation],
    *,
    shared_with: dict[int, list] | None = None,
    system_label: str,
) -> list[Organisation]:
    """Create organisations; ``shared_with`` maps ``id(organisation)`` to alliances."""
    shared_with = shared_with or {}
    for organisation in organisations:
        _validate(organisation, exclude=ORGANISATION_FKS)
    created = Organisation.objects.bulk_create(organisations, batch_size=BATCH)
    through = Organisation.shared_with.through
    through.objects.bulk_create(
        [
            through(organisation_id=o.pk, alliance_id=a.pk)
            for o in created
            for a in shared_with.get(id(o), ())
        ],
        batch_size=BATCH,
    )
    m2m = {id(o): {name: shared_with.get(id(o), ()) for name in ORGANISATION_M2M} for o in created}
    _audit(
        created,
        action="organisation.create",
        system_label=system_label,
        m2m=m2m,
        region_of=lambda o: o.region_id,
    )
    return created


def talents_bulk_create(
    talents: Sequence[TalentProfile],
    *,
    m2m: dict[int, dict[str, list]],
    system_label: str,
) -> list[TalentProfile]:
    """Create talents; ``m2m`` maps ``id(talent)`` to its qualifications, disciplines,
    industries and pools (the keys of ``TALENT_M2M``)."""
    for talent in talents:
        talent.expertise = normalise_expertise(talent.expertise)
        _validate(talent, exclude=TALENT_FKS)
    created = TalentProfile.objects.bulk_create(talents, batch_size=BATCH)
    for name in TALENT_M2M:
        field = TalentProfile._meta.get_field(name)
        through = field.remote_field.through
        target = f"{field.m2m_reverse_field_name()}_id"
        source = f"{field.m2m_field_name()}_id"
        through.objects.bulk_create(
            [
                through(**{source: t.pk, target: value.pk})
                for t in created
                for value in m2m.get(id(t), {}).get(name, ())
            ],
            batch_size=BATCH,
        )
    full_m2m = {
        id(t): {name: m2m.get(id(t), {}).get(name, ()) for name in TALENT_M2M} for t in created
    }
    _audit(
        created,
        action="talent.create",
        system_label=system_label,
        m2m=full_m2m,
        region_of=lambda t: t.home_region_id,
    )
    return created


def affiliations_bulk_create(
    affiliations: Sequence[Affiliation], *, system_label: str
) -> list[Affiliation]:
    for affiliation in affiliations:
        _validate(affiliation, exclude=AFFILIATION_FKS)
    created = Affiliation.objects.bulk_create(affiliations, batch_size=BATCH)
    _audit(
        created,
        action="affiliation.create",
        system_label=system_label,
        m2m=None,
        region_of=lambda a: a.organisation.region_id,
    )
    return created
