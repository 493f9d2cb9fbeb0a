"""Derive points events from confirmed outcomes and verified engagements, and bring the
ledger up to date. Idempotent: a second run reports nothing new.

    talentflow manage points_sync [--as USERNAME] [--region 331121 ...]
    talentflow manage points_sync --recompute 331121   # re-check one scheme's whole ledger
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from talentflow.points import services
from talentflow.points.models import PointsScheme


class Command(BaseCommand):
    help = "Derive points events from verified records and update the points ledger."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--as",
            dest="username",
            help="act as this user (an officer syncs the regions they govern); "
            "without it, a system task over every region",
        )
        parser.add_argument(
            "--region",
            action="append",
            default=None,
            help="GB/T 2260 code prefix to sync (repeatable; system task only)",
        )
        parser.add_argument(
            "--recompute",
            metavar="REGION",
            help="instead of syncing, recompute the whole ledger of this region's scheme",
        )

    def handle(self, *args, username=None, region=None, recompute=None, **options) -> None:
        actor = None
        if username:
            actor = get_user_model().objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"no active user {username!r}")
        try:
            if recompute:
                scheme = PointsScheme.objects.filter(region_id=recompute).first()
                if scheme is None:
                    raise CommandError(f"no points scheme for region {recompute}")
                added, reversed_ = services.ledger_recompute(
                    actor=actor, scheme=scheme, system_label="points_sync"
                )
                self.stdout.write(f"{scheme}: {added} entries added, {reversed_} reversed")
                return
            result = services.events_sync(
                actor=actor,
                region_prefixes=region if actor is None else None,
                system_label="points_sync",
            )
        except PermissionDenied as error:
            raise CommandError(str(error) or "permission denied") from None
        self.stdout.write(
            f"{result.events} new events; {result.voided} voided (source no longer confirmed "
            f"or verified); {result.entries} ledger entries added, {result.reversals} reversed"
        )
