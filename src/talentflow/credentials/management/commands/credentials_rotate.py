"""``talentflow manage credentials_rotate <region>``: a new signing key for a member region.

The old key ends at now + the code lifetime: codes it signed before stay valid until they
expire; from now on the new key signs.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from talentflow.credentials import keys


class Command(BaseCommand):
    help = "Rotate a member region's talent-code signing key."

    def add_arguments(self, parser) -> None:
        parser.add_argument("region", help="GB/T 2260 code of a member region, e.g. 330421")

    def handle(self, *args, region: str, **options) -> None:
        if region not in keys.member_codes():
            raise CommandError(f"{region} is not a member region of {keys.alliance_code()}")
        keys.current_row(region)
        new = keys.rotate(region, actor=None, system_label="credentials_rotate")
        self.stdout.write(f"{region}: new key {new.kid}, valid until {new.not_after:%Y-%m-%d}")
