"""`demand_tally check`: compare the demand's tally with the forms ledger counted again
(exit status 1 when they differ); `demand_tally rebuild`: count it again from the ledger
(after forms were written past the ledger's write path, as a bulk load does).

    python -m django demand_tally check|rebuild   (DJANGO_SETTINGS_MODULE=sijill.web.settings)
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from sijill.demand import tally

SHOWN = 20  # differing rows listed; the count says how many there are


class Command(BaseCommand):
    help = "Check the demand statistics' tally against the forms ledger, or rebuild it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["check", "rebuild"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild":
            rows = tally.rebuild()
            self.stdout.write(
                _("The demand tally was counted again: %(rows)s rows.") % {"rows": rows}
            )
            return
        found = tally.differences()
        if not found:
            self.stdout.write(_("The demand tally matches the forms ledger."))
            return
        for row in found[:SHOWN]:
            self.stderr.write(row)
        message = _("Rows where the demand tally differs from the forms ledger: %(rows)s")
        raise CommandError(message % {"rows": len(found)}, returncode=1)
