"""``load_demo``: the article's world, generated records and the demo logins, in one go."""

from __future__ import annotations

import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils.translation import gettext as _

from talentflow.accounts.models import User
from talentflow.demo.context import DEFAULT_SEED
from talentflow.demo.loader import demo_is_loaded, demo_load
from talentflow.demo.logins import LOGINS
from talentflow.reference.loaders import reference_load
from talentflow.reference.models import Alliance

# The demo places its records in the two alliances' regions (reference/data/alliances.csv).
REQUIRED_ALLIANCES = ("yrd-demo-zone", "lishui-1plus9")


class Command(BaseCommand):
    help = (
        "Load the demo scenario (the source article's organisations and people, generated "
        "records, demo logins). Does nothing if the demo is already loaded."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset",
            action="store_true",
            help="empty the WHOLE database first (flush), reload reference data, then the demo",
        )
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="size of the generated data relative to the default (e.g. 0.1 for a quick load)",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        # One transaction around flush, reference data and demo: if anything fails, the
        # database is left exactly as it was, never half-emptied or half-loaded.
        with transaction.atomic():
            if options["reset"]:
                self.stdout.write(_("Emptying the database …"))
                if connection.vendor == "postgresql":
                    # Rows written earlier in an enclosing transaction leave deferred
                    # foreign-key checks pending, and PostgreSQL refuses to TRUNCATE until
                    # they have run; run them now (IMMEDIATE, then back to DEFERRED).
                    connection.check_constraints()
                call_command("flush", interactive=False, verbosity=0)
                self.stdout.write(_("Reloading reference data …"))
                reference_load(stdout=self.stdout)
            if Alliance.objects.filter(code__in=REQUIRED_ALLIANCES).count() != len(
                REQUIRED_ALLIANCES
            ):
                raise CommandError(
                    _("Reference data is missing: run load_reference first (or use --reset).")
                )
            taken = sorted(
                User.objects.filter(username__in=[spec.username for spec in LOGINS]).values_list(
                    "username", flat=True
                )
            )
            if taken and not demo_is_loaded():
                raise CommandError(
                    _(
                        "The demo logins need these usernames, which already exist: %(names)s. "
                        "Load the demo into its own database."
                    )
                    % {"names": ", ".join(taken)}
                )
            result = demo_load(stdout=self.stdout, scale=options["scale"], seed=options["seed"])
        if not result.loaded:
            self.stdout.write(
                _(
                    "The demo is already loaded (%(summary)s); nothing to do. "
                    "Use --reset to start again from an empty database."
                )
                % {"summary": result.summary()}
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo loaded in %(seconds).1f s: %(summary)s.")
                % {"seconds": time.perf_counter() - started, "summary": result.summary()}
            )
        )
