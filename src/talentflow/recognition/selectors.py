"""Reads of mutual recognition. Who sees what is decided here, once:

- everyone signed in sees the catalogue;
- a talent sees their own certificates, in every state;
- the officers of a region see the applications made to it and the certificates it issued, in
  every state, and — 三地互认 — every *certified* certificate of an alliance their region belongs
  to, whichever member issued it (a revoked one disappears from the partners' view at once: it
  is the same record);
- platform administrators see everything.

``current_certificates`` is the contract the talent code reads (credentials): certified, not
revoked, valid on the day — in every member region of the entry's alliance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from talentflow.accounts.permissions import scope_for
from talentflow.recognition import permissions, workflow
from talentflow.recognition.models import CatalogueEntry, Certificate, CertificateStatus, Kind
from talentflow.reference.models import Alliance, AllianceMember


def _terms(q: str) -> list[str]:
    return q.replace("，", " ").replace(",", " ").split()


def _valid_q(on: dt.date, prefix: str = "") -> Q:
    return Q(
        **{
            f"{prefix}status": CertificateStatus.CERTIFIED,
            f"{prefix}revoked_at__isnull": True,
            f"{prefix}certified_on__lte": on,
        }
    ) & (Q(**{f"{prefix}valid_until__isnull": True}) | Q(**{f"{prefix}valid_until__gte": on}))


# The catalogue ---------------------------------------------------------------------------


def catalogue_visible(*, user) -> QuerySet[CatalogueEntry]:
    qs = CatalogueEntry.objects.select_related("alliance", "qualification", "title_series")
    if not scope_for(user).is_authenticated:
        return qs.none()
    return qs


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    kind: str = ""
    alliance: int | None = None


def catalogue_list(*, user, filters: CatalogueFilters | None = None) -> QuerySet[CatalogueEntry]:
    f = filters or CatalogueFilters()
    qs = catalogue_visible(user=user)
    for term in _terms(f.q):
        qs = qs.filter(
            Q(name__icontains=term)
            | Q(qualification__name__icontains=term)
            | Q(qualification__category__icontains=term)
            | Q(title_series__name__icontains=term)
            | Q(note__icontains=term)
        )
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.alliance:
        qs = qs.filter(alliance_id=f.alliance)
    return qs.order_by(
        "alliance__code", "kind", "qualification__entry_no", "title_series__seq", "name", "id"
    )


def catalogue_get(*, user, pk: int) -> CatalogueEntry:
    return catalogue_visible(user=user).get(pk=pk)


@dataclass(frozen=True)
class KindCount:
    kind: str
    label: str
    entries: int


def catalogue_counts(*, user, alliance: int | None = None) -> list[KindCount]:
    """How many entries of each kind are open ("57 vocational qualifications, 27 title
    series")."""
    qs = catalogue_visible(user=user)
    if alliance:
        qs = qs.filter(alliance_id=alliance)
    counts = dict(qs.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))
    return [
        KindCount(kind=k.value, label=str(k.label), entries=counts.get(k.value, 0)) for k in Kind
    ]


# Certificates ----------------------------------------------------------------------------


def certificate_visible(*, user) -> QuerySet[Certificate]:
    scope = scope_for(user)
    qs = Certificate.objects.select_related(
        "talent",
        "entry",
        "entry__alliance",
        "entry__qualification",
        "entry__title_series",
        "issuing_region",
    )
    if scope.is_admin:
        return qs
    if not scope.is_authenticated:
        return qs.none()
    q = Q(pk__in=[])
    if scope.is_officer:
        q |= scope.region_q("issuing_region")
        if scope.alliance_ids:
            q |= Q(entry__alliance_id__in=scope.alliance_ids, status=CertificateStatus.CERTIFIED)
    if scope.talent_id is not None:
        q |= Q(talent_id=scope.talent_id)
    return qs.filter(q)


@dataclass(frozen=True)
class CertificateFilters:
    q: str = ""
    kind: str = ""
    status: str = ""
    issuer: str = ""  # issuing region code prefix
    alliance: int | None = None
    valid: bool = False  # valid today only


def certificate_list(*, user, filters: CertificateFilters | None = None) -> QuerySet[Certificate]:
    f = filters or CertificateFilters()
    qs = certificate_visible(user=user)
    for term in _terms(f.q):
        qs = qs.filter(
            Q(talent__name__icontains=term)
            | Q(entry__name__icontains=term)
            | Q(entry__qualification__name__icontains=term)
            | Q(entry__title_series__name__icontains=term)
            | Q(original_number__iexact=term)
        )
    if f.kind:
        qs = qs.filter(kind=f.kind)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.issuer:
        qs = qs.filter(issuing_region__code__startswith=f.issuer)
    if f.alliance:
        qs = qs.filter(entry__alliance_id=f.alliance)
    if f.valid:
        qs = qs.filter(_valid_q(timezone.localdate()))
    return qs.order_by("-applied_at", "-id")


def certificate_get(*, user, pk: int) -> Certificate:
    return certificate_visible(user=user).get(pk=pk)


def certificate_actions(user, certificate: Certificate) -> list[str]:
    parties = permissions.certificate_parties(user, certificate)
    return [str(a) for a in workflow.allowed(certificate.status, parties)]


def current_certificates(talent, on: dt.date | None = None) -> QuerySet[Certificate]:
    """The talent's certificates valid on ``on`` (today): certified, not revoked, within their
    dates. Each is valid in every member region of its entry's alliance."""
    day = on or timezone.localdate()
    return (
        Certificate.objects.filter(_valid_q(day), talent=talent)
        .select_related("entry", "entry__alliance", "issuing_region")
        .order_by("kind", "-certified_on", "id")
    )


def valid_in(region_code: str, on: dt.date | None = None) -> QuerySet[Certificate]:
    """Certificates valid in ``region_code`` on the day: those of the alliances it belongs to,
    whichever member issued them."""
    day = on or timezone.localdate()
    alliances = AllianceMember.objects.filter(region_id=region_code).values("alliance_id")
    return Certificate.objects.filter(_valid_q(day), entry__alliance_id__in=alliances)


def revoked_since(when: dt.datetime | None = None) -> QuerySet[Certificate]:
    """Revoked certificates, oldest revocation first (after ``when`` if given): what the talent
    code's revocation list adds."""
    qs = Certificate.objects.filter(revoked_at__isnull=False)
    if when is not None:
        qs = qs.filter(revoked_at__gt=when)
    return qs.order_by("revoked_at", "id")


# The signature ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool  # the record carries a signature
    valid: bool  # it verifies against the trust list over the record as it is now
    kid: str
    region_code: str
    region_name: str


def signature_check(certificate: Certificate) -> SignatureCheck:
    """Check the issuing region's signature over the certificate as stored now: any field
    changed after signing makes it invalid."""
    region = certificate.issuing_region
    if not certificate.signature or not certificate.kid:
        return SignatureCheck(False, False, "", region.code, region.name)
    from talentflow.credentials import keys

    body = certificate.signed_body()
    try:
        valid = bool(keys.verify_body(body, certificate.kid, certificate.signature))
    except Exception:  # a malformed key id or signature is an invalid signature
        valid = False
    if valid:
        valid = _key_region(keys, certificate.kid) == certificate.issuing_region_id
    return SignatureCheck(True, valid, certificate.kid, region.code, region.name)


def _key_region(keys, kid: str) -> str | None:
    """The region whose key ``kid`` is, from the trust list: the key must be the issuing
    region's own, not any key the trust list holds."""
    from talentflow.credentials.lists import unb64

    try:
        key = keys.trust_list().lookup(unb64(kid))
    except (ValueError, TypeError):
        return None
    return key.region if key is not None else None


# Figures ---------------------------------------------------------------------------------


@dataclass
class RegionRow:
    alliance: str
    code: str
    name: str
    issued_people: dict[str, int] = field(default_factory=dict)  # kind → distinct talents
    issued: int = 0  # certificates valid today issued by the region
    from_partners: int = 0  # valid today in the region, issued by another member
    people: int = 0  # distinct talents holding a certificate valid in the region


def stats_alliances(user) -> QuerySet[Alliance]:
    scope = scope_for(user)
    if scope.is_admin:
        return Alliance.objects.all()
    return Alliance.objects.filter(pk__in=scope.alliance_ids)


def region_stats(
    *, user, alliance: int | None = None, on: dt.date | None = None
) -> list[RegionRow]:
    """Per member region of the user's alliances: people recognised by the region per kind,
    certificates it issued, and certificates issued by partners that are valid there
    ("recognised in 青浦: issued by 嘉善 and 吴江")."""
    day = on or timezone.localdate()
    alliances = stats_alliances(user)
    if alliance:
        alliances = alliances.filter(pk=alliance)
    rows: list[RegionRow] = []
    for a in alliances.order_by("code"):
        valid = Certificate.objects.filter(_valid_q(day), entry__alliance=a)
        by_region: dict[str, dict[str, int]] = {}
        for code, kind, n in (
            valid.values("issuing_region_id", "kind")
            .annotate(n=Count("talent", distinct=True))
            .values_list("issuing_region_id", "kind", "n")
        ):
            by_region.setdefault(code, {})[kind] = n
        issued = dict(
            valid.values("issuing_region_id")
            .annotate(n=Count("id"))
            .values_list("issuing_region_id", "n")
        )
        total = sum(issued.values())
        people = valid.values("talent").distinct().count()
        members = (
            AllianceMember.objects.filter(alliance=a).select_related("region").order_by("region")
        )
        for m in members:
            code = m.region_id
            rows.append(
                RegionRow(
                    alliance=str(a),
                    code=code,
                    name=m.region.name,
                    issued_people={k.value: by_region.get(code, {}).get(k.value, 0) for k in Kind},
                    issued=issued.get(code, 0),
                    from_partners=total - issued.get(code, 0),
                    people=people,
                )
            )
    return rows
