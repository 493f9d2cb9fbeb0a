from django.core.management.base import BaseCommand

from talentflow.reference.loaders import reference_load


class Command(BaseCommand):
    help = "Load (or refresh) regions, alliances and the national taxonomies from reference/data."

    def handle(self, *args, **options):
        counts = reference_load(stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Reference data loaded: {sum(counts.values())} rows.")
        )
