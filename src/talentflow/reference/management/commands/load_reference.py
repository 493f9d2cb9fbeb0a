from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from talentflow.reference.loaders import reference_load


class Command(BaseCommand):
    help = "Load (or refresh) regions, alliances and the national taxonomies from reference/data."

    def handle(self, *args, **options):
        counts = reference_load(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                _("Reference data loaded: %(rows)d rows.") % {"rows": sum(counts.values())}
            )
        )
