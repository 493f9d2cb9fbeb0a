"""Reads of the talent code: the service catalogue (every signed-in user sees it — it is the
common catalogue a talent's code opens), a provider's own services, and redemptions (the
provider sees its own; the office those of its region's services)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from talentflow.accounts.permissions import scope_for
from talentflow.credentials import permissions
from talentflow.credentials.models import Redemption, Service


@dataclass(frozen=True)
class ServiceFilters:
    q: str = ""
    region: str = ""
    group: str = ""
    tier: str = ""
    limit: str = ""
    provider: int | None = None
    mine: bool = False
    include_inactive: bool = False


def service_list(*, user, filters: ServiceFilters | None = None) -> QuerySet[Service]:
    filters = filters or ServiceFilters()
    scope = scope_for(user)
    qs = Service.objects.select_related("provider", "region").annotate(used=Count("redemptions"))
    if not scope.is_authenticated:
        return qs.none()
    if not filters.include_inactive:
        qs = qs.filter(active=True)
    if filters.q:
        q = filters.q.strip()
        qs = qs.filter(
            Q(name__icontains=q)
            | Q(code__icontains=q)
            | Q(provider__name__icontains=q)
            | Q(description__icontains=q)
        )
    if filters.region:
        qs = qs.filter(region_id=filters.region)
    if filters.group:
        qs = qs.filter(group=filters.group)
    if filters.tier:
        qs = qs.filter(eligible_tiers__contains=filters.tier[:1].upper())
    if filters.limit:
        qs = qs.filter(limit=filters.limit)
    if filters.provider:
        qs = qs.filter(provider_id=filters.provider)
    if filters.mine:
        qs = qs.filter(provider_id__in=permissions.provider_ids(user))
    return qs.order_by("region_id", "group", "name", "id")


def service_get(*, user, pk: int) -> Service:
    """Raises ``Service.DoesNotExist`` for the anonymous; inactive services only for the office
    of their region and their provider."""
    scope = scope_for(user)
    if not scope.is_authenticated:
        raise Service.DoesNotExist
    service = Service.objects.select_related("provider", "region").get(pk=pk)
    if not service.active and not (
        permissions.manages_region(user, service.region_id)
        or permissions.acts_for_provider(user, service.provider_id)
    ):
        raise Service.DoesNotExist
    return service


def provider_services(user) -> QuerySet[Service]:
    return Service.objects.filter(
        provider_id__in=permissions.provider_ids(user), active=True
    ).order_by("group", "name", "id")


def redemption_list(*, user, service: int | None = None, q: str = "") -> QuerySet[Redemption]:
    scope = scope_for(user)
    qs = Redemption.objects.select_related("service", "organisation", "service__region")
    if not scope.is_authenticated:
        return qs.none()
    if not scope.is_admin:
        visible = Q(organisation_id__in=permissions.provider_ids(user))
        if scope.is_officer:
            visible |= scope.region_q("service__region")
        qs = qs.filter(visible)
    if service:
        qs = qs.filter(service_id=service)
    if q:
        qs = qs.filter(Q(service__name__icontains=q) | Q(masked_name__icontains=q))
    return qs.order_by("-redeemed_at", "-id")
