"""Writes and computations of the talent code (issue 7).

- :func:`standing` decides what a talent holds (category, tier, issuing region, service
  groups) from current evaluation results and recognition certificates of member regions;
  :func:`code_issue` signs a fresh short-lived code for it.
- :func:`revocations_sync` turns revoked results and certificates into entries of the signed
  revocation list (idempotent; called on revocation by signals and before the list is read).
- :func:`signed_trust_list`, :func:`signed_revocations` publish the lists.
- :func:`service_create`, :func:`service_update` keep the catalogue (officers of the provider's
  region); :func:`redemption_record` records a service used at a counter after re-verifying
  the code, once-only and N-per-year limits enforced.
"""

from __future__ import annotations

import datetime as dt
import uuid as uuid_module
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from talentflow.core.audit import audit_record, snapshot
from talentflow.credentials import code as tcode
from talentflow.credentials import keys, permissions
from talentflow.credentials.lists import RevocationEntry, RevocationList, revocation_hash, sign_list
from talentflow.credentials.lists import Service as ListService
from talentflow.credentials.models import (
    Redemption,
    Revocation,
    Service,
    ServiceGroup,
    ServiceLimit,
)

TIERS = "ABCDE"

# What each tier opens: the higher tiers every group, the county class the everyday ones.
GROUPS_BY_TIER: dict[str, tuple[str, ...]] = {
    "A": tuple(ServiceGroup.values),
    "B": tuple(ServiceGroup.values),
    "C": tuple(ServiceGroup.values),
    "D": (
        ServiceGroup.APARTMENT,
        ServiceGroup.TRANSPORT,
        ServiceGroup.MEDICAL,
        ServiceGroup.SCHOOLING,
        ServiceGroup.CULTURE,
        ServiceGroup.SPORTS,
        ServiceGroup.GOVERNMENT,
        ServiceGroup.TRAINING,
    ),
    "E": (
        ServiceGroup.APARTMENT,
        ServiceGroup.TRANSPORT,
        ServiceGroup.MEDICAL,
        ServiceGroup.CULTURE,
        ServiceGroup.GOVERNMENT,
        ServiceGroup.TRAINING,
    ),
}

# The tier a recognition certificate confers (None: it confers none by itself).
CERTIFICATE_TIER = {
    "work_permit": "C",
    "qualification": "E",
    "title": {"senior_full": "C", "senior_deputy": "D", "intermediate": "E"},
    "continuing_education": None,
}

# How long after its recorded time a counter may sync a redemption.
SYNC_WINDOW = dt.timedelta(days=7)

AUDIT_ACTIONS = {
    "talent_key.rotate": gettext_lazy("Talent-code signing key rotated"),
    "talent_service.create": gettext_lazy("Talent service added to the catalogue"),
    "talent_service.update": gettext_lazy("Talent service changed"),
    "redemption.create": gettext_lazy("Talent service redeemed"),
}


# Standing and codes -------------------------------------------------------------------------


def sid_secret() -> str:
    return getattr(settings, "TALENTFLOW_CODE_SID_SECRET", "") or f"sid:{settings.SECRET_KEY}"


def sid_of(talent) -> str:
    return tcode.sid_for(getattr(talent, "pk", talent), sid_secret())


@dataclass(frozen=True)
class Standing:
    """What a talent's code says: the best current category/tier of a member region."""

    category: str
    category_label: str
    tier: str
    region: str  # the issuing member region
    region_name: str
    groups: tuple[str, ...]
    valid_until: dt.date
    source: str  # e.g. "result:12", "certificate:3"


def _certificate_tier(certificate) -> str | None:
    tier = CERTIFICATE_TIER.get(certificate.kind)
    if isinstance(tier, dict):
        return tier.get(getattr(certificate, "title_level", "") or "")
    return tier


def _certificates(talent, on: dt.date):
    try:
        from talentflow.recognition.selectors import current_certificates
    except ImportError:  # recognition not there yet
        return []
    return list(current_certificates(talent, on))


def standings(talent, on: dt.date | None = None) -> list[Standing]:
    """Every current category/tier the talent holds in a member region, best first."""
    from talentflow.evaluation.selectors import current_results

    on = on or timezone.localdate()
    members = set(keys.member_codes())
    found: list[Standing] = []
    for r in current_results(talent, on):
        if r.region_id in members:
            found.append(
                Standing(
                    category=r.category,
                    category_label=str(r.get_category_display()),
                    tier=r.tier,
                    region=r.region_id,
                    region_name=r.region.name,
                    groups=tuple(GROUPS_BY_TIER[r.tier]),
                    valid_until=r.valid_until,
                    source=f"result:{r.pk}",
                )
            )
    for c in _certificates(talent, on):
        tier = _certificate_tier(c)
        if tier is None or c.issuing_region_id not in members:
            continue
        found.append(
            Standing(
                category=f"recognition_{c.kind}",
                category_label=str(c.get_kind_display()),
                tier=tier,
                region=c.issuing_region_id,
                region_name=c.issuing_region.name,
                groups=tuple(GROUPS_BY_TIER[tier]),
                valid_until=c.valid_until or on,
                source=f"certificate:{c.pk}",
            )
        )
    found.sort(key=lambda s: (TIERS.index(s.tier), -s.valid_until.toordinal()))
    return found


def standing(talent, on: dt.date | None = None) -> Standing | None:
    found = standings(talent, on)
    return found[0] if found else None


@dataclass(frozen=True)
class IssuedCode:
    text: str
    claims: tcode.Claims
    standing: Standing

    @property
    def expires_at(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.claims.exp, tz=dt.UTC)

    def qr_svg(self) -> str:
        return tcode.qr_svg(self.text)


def code_issue(talent, *, at: dt.datetime | None = None) -> IssuedCode | None:
    """A fresh code for ``talent`` valid ``TALENTFLOW_CODE_SECONDS``, or None when the talent
    holds no current category/tier."""
    at = at or timezone.now()
    held = standing(talent, timezone.localdate(at))
    if held is None:
        return None
    iat = keys.epoch(at)
    claims = tcode.Claims(
        iss=held.region,
        iat=iat,
        exp=iat + keys.code_seconds(),
        sid=sid_of(talent),
        cat=held.category,
        tier=held.tier,
        grp=held.groups,
        mn=tcode.mask_name(talent.name),
    )
    row = keys.current_row(held.region, at=at)
    return IssuedCode(tcode.issue(claims, keys.key_for_row(row)), claims, held)


# Revocations ----------------------------------------------------------------------------------


def _since(revoked_at: dt.datetime) -> int:
    # Codes issued in the second of the revocation are revoked too.
    return keys.epoch(revoked_at) + 1


def _revoked_sources():
    """(source, iss, talent pk, revoked_at) of every revoked result and certificate."""
    from talentflow.evaluation.models import EvaluationResult

    members = keys.member_codes()
    rows = [
        (f"result:{pk}", region, talent, at or timezone.now())
        for pk, region, talent, at in EvaluationResult.objects.filter(
            revoked=True, region_id__in=members
        ).values_list("pk", "region_id", "talent_id", "revoked_at")
    ]
    try:
        from talentflow.recognition.models import Certificate
    except ImportError:
        return rows
    rows += [
        (f"certificate:{pk}", region, talent, at)
        for pk, region, talent, at in Certificate.objects.filter(
            revoked_at__isnull=False, issuing_region_id__in=members
        ).values_list("pk", "issuing_region_id", "talent_id", "revoked_at")
    ]
    return rows


def revocations_sync() -> int:
    """Add an entry for every revoked result or certificate not listed yet; returns how many
    were added. Idempotent."""
    known = set(Revocation.objects.values_list("source", flat=True))
    missing = [row for row in _revoked_sources() if row[0] not in known]
    if not missing:
        return 0
    added = 0
    with transaction.atomic():
        keys.lock_root()
        known = set(Revocation.objects.values_list("source", flat=True))
        seq = Revocation.objects.aggregate(m=Max("seq"))["m"] or 0
        for source, iss, talent_pk, revoked_at in sorted(missing, key=lambda r: r[3]):
            if source in known:
                continue
            seq += 1
            Revocation.objects.create(
                source=source,
                h=revocation_hash(iss, sid_of(talent_pk)),
                since=_since(revoked_at),
                seq=seq,
            )
            added += 1
    return added


def revocation_list(*, at: dt.datetime | None = None) -> RevocationList:
    """The whole list: one entry per hash, the latest (highest seq) revocation. Synced first
    (on read), so a revocation is in it even before the signal's sync ran."""
    revocations_sync()
    result = RevocationList(issuer=keys.alliance_code(), issued_at=keys.epoch(at or timezone.now()))
    for row in Revocation.objects.order_by("seq"):
        current = result.entries.get(row.h)
        since = max(row.since, current.since) if current else row.since
        result.entries[row.h] = RevocationEntry(h=row.h, since=since, seq=row.seq)
        result.seq = row.seq
    return result


def signed_trust_list() -> dict:
    return sign_list(keys.trust_list().to_body(), keys.root_key())


def signed_revocations(since: int = 0) -> dict:
    return sign_list(revocation_list().since(max(int(since), 0)), keys.root_key())


# The catalogue ---------------------------------------------------------------------------------


def _clean_tiers(value) -> str:
    letters = "".join(sorted({t for t in (value or "") if t in TIERS}))
    if not letters:
        raise ValidationError({"eligible_tiers": _("Choose at least one tier.")})
    return letters


def _check_provider(provider, region) -> None:
    from talentflow.directory.models import OrganisationKind

    if provider.kind != OrganisationKind.SERVICE_PROVIDER:
        raise ValidationError({"provider": _("The provider must be a service provider.")})
    if region.code not in keys.member_codes():
        raise ValidationError(
            {"region": _("The talent code serves only the regions of the alliance.")}
        )


@transaction.atomic
def service_create(
    *,
    actor,
    code: str,
    name: str,
    provider,
    region,
    group: str,
    eligible_tiers,
    limit: str = ServiceLimit.UNLIMITED,
    limit_count: int = 1,
    description: str = "",
    system_label: str | None = None,
) -> Service:
    """An officer of the service's region adds a service to the catalogue."""
    if actor is not None and not permissions.manages_region(actor, region.code):
        raise PermissionDenied(_("Only the talent office of this region may manage its services."))
    _check_provider(provider, region)
    service = Service(
        code=(code or "").strip(),
        name=(name or "").strip(),
        provider=provider,
        region=region,
        group=group,
        eligible_tiers=_clean_tiers(eligible_tiers),
        limit=limit,
        limit_count=limit_count if limit == ServiceLimit.PER_YEAR else 1,
        description=(description or "").strip(),
        created_by=actor,
    )
    service.full_clean()
    service.save()
    audit_record(
        actor=actor,
        action="talent_service.create",
        obj=service,
        after=snapshot(service),
        region=region,
        system_label=system_label,
    )
    return service


@transaction.atomic
def service_update(
    *, actor, service: Service, system_label: str | None = None, **fields
) -> Service:
    service = Service.objects.select_for_update().get(pk=service.pk)
    if actor is not None and not permissions.manages_region(actor, service.region_id):
        raise PermissionDenied(_("Only the talent office of this region may manage its services."))
    before = snapshot(service)
    allowed = {
        "name",
        "provider",
        "region",
        "group",
        "eligible_tiers",
        "limit",
        "limit_count",
        "description",
        "active",
    }
    for key, value in fields.items():
        if key not in allowed:
            raise TypeError(f"unknown field {key}")
        setattr(service, key, value)
    if actor is not None and not permissions.manages_region(actor, service.region_id):
        raise PermissionDenied(_("Only the talent office of this region may manage its services."))
    service.eligible_tiers = _clean_tiers(service.eligible_tiers)
    if service.limit != ServiceLimit.PER_YEAR:
        service.limit_count = 1
    _check_provider(service.provider, service.region)
    service.full_clean()
    service.save()
    audit_record(
        actor=actor,
        action="talent_service.update",
        obj=service,
        before=before,
        after=snapshot(service),
        region=service.region_id,
        system_label=system_label,
    )
    return service


def list_service(service: Service) -> ListService:
    return ListService(
        code=service.code,
        group=service.group,
        eligible_tiers=tuple(service.eligible_tiers),
        limit=service.limit,
        limit_count=service.limit_count,
    )


# Redemptions -----------------------------------------------------------------------------------

REFUSAL_MESSAGES = {
    "format": gettext_lazy("This is not a talent code."),
    "unknown_key": gettext_lazy("The code was signed by a key the alliance does not trust."),
    "key_not_valid": gettext_lazy("The code was signed outside its key's validity."),
    "signature": gettext_lazy("The code's signature does not verify."),
    "not_yet_valid": gettext_lazy("The code is not valid yet."),
    "expired": gettext_lazy("The code has expired."),
    "revoked": gettext_lazy("The talent's category was revoked."),
    "ineligible": gettext_lazy("The talent's tier does not qualify for this service."),
}


def _aware(value: dt.datetime) -> dt.datetime:
    return value if timezone.is_aware(value) else timezone.make_aware(value)


def _existing(uuid, organisation_id) -> Redemption | None:
    found = Redemption.objects.filter(uuid=uuid).select_related("service").first()
    if found is not None and found.organisation_id != organisation_id:
        raise ValidationError({"uuid": _("This redemption id is already used.")})
    return found


def redemption_record(
    *,
    actor,
    service: Service,
    code_text: str,
    uuid: uuid_module.UUID | str,
    redeemed_at: dt.datetime | None = None,
    system_label: str | None = None,
) -> tuple[Redemption, bool]:
    """Record a service used; returns (redemption, created). The same ``uuid`` again returns
    the first record (a counter syncing twice). The code is verified again against the current
    lists at the recorded time: a code verified offline may be synced after it expired."""
    try:
        uuid = uuid_module.UUID(str(uuid))
    except ValueError as error:
        raise ValidationError({"uuid": _("Give the redemption's id (a UUID).")}) from error
    if actor is not None and not permissions.acts_for_provider(actor, service.provider_id):
        raise PermissionDenied(_("Only the provider of this service may record its use."))
    found = _existing(uuid, service.provider_id)
    if found is not None:
        return found, False
    now = timezone.now()
    redeemed_at = _aware(redeemed_at) if redeemed_at else now
    if redeemed_at > now + dt.timedelta(seconds=tcode.SKEW):
        raise ValidationError({"redeemed_at": _("The redemption's time is in the future.")})
    if redeemed_at < now - SYNC_WINDOW:
        raise ValidationError(
            {"redeemed_at": _("The redemption is too old to be synced (more than 7 days).")}
        )
    if not service.active:
        raise ValidationError({"service": _("This service is no longer offered.")})
    result = tcode.verify(
        (code_text or "").strip(),
        trust=keys.trust_list(),
        revoked=revocation_list(),
        now=keys.epoch(redeemed_at),
        service=list_service(service),
    )
    if not result.ok:
        raise ValidationError(
            {"code": str(REFUSAL_MESSAGES[result.reason])}, code=f"refused:{result.reason}"
        )
    claims = result.claims
    try:
        with transaction.atomic():
            locked = Service.objects.select_for_update().get(pk=service.pk)
            found = _existing(uuid, service.provider_id)
            if found is not None:
                return found, False
            year = timezone.localdate(redeemed_at).year
            previous = Redemption.objects.filter(service=locked, sid=claims.sid)
            if locked.limit == ServiceLimit.ONCE and previous.exists():
                first = previous.order_by("redeemed_at").first()
                raise ValidationError(
                    {
                        "service": _(
                            "%(service)s is once-only and was already redeemed for this talent "
                            "on %(day)s."
                        )
                        % {
                            "service": locked.name,
                            "day": timezone.localdate(first.redeemed_at).isoformat(),
                        }
                    },
                    code="limit",
                )
            if locked.limit == ServiceLimit.PER_YEAR:
                used = previous.filter(year=year).count()
                if used >= locked.limit_count:
                    raise ValidationError(
                        {
                            "service": _(
                                "%(service)s may be used %(count)s times a year; this talent "
                                "has used it %(used)s times in %(year)s."
                            )
                            % {
                                "service": locked.name,
                                "count": locked.limit_count,
                                "used": used,
                                "year": year,
                            }
                        },
                        code="limit",
                    )
            redemption = Redemption.objects.create(
                uuid=uuid,
                service=locked,
                organisation_id=locked.provider_id,
                sid=claims.sid,
                iss=claims.iss,
                tier=claims.tier,
                masked_name=claims.mn[:16],
                once=locked.limit == ServiceLimit.ONCE,
                year=year,
                redeemed_at=redeemed_at,
                code_iat=dt.datetime.fromtimestamp(claims.iat, tz=dt.UTC),
                code_exp=dt.datetime.fromtimestamp(claims.exp, tz=dt.UTC),
                recorded_by=actor if getattr(actor, "pk", None) else None,
            )
            audit_record(
                actor=actor,
                action="redemption.create",
                obj=redemption,
                after=snapshot(redemption),
                region=locked.region_id,
                system_label=system_label,
            )
    except IntegrityError as error:
        # A concurrent sync of the same once-only service or the same uuid.
        found = Redemption.objects.filter(uuid=uuid).first()
        if found is not None:
            return found, False
        raise ValidationError(
            {"service": _("This once-only service was already redeemed for this talent.")},
            code="limit",
        ) from error
    return redemption, True
