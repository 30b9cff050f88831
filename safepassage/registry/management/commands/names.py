"""`safepassage names index`: write the registry's name index anew for every person.

The index (`registry.models.NameKey`) is written with every name; this rebuilds it after an
upgrade from a version without it, a restore from an old backup, or a change of the name
tables (docs/tracing.md#the-name-index).
"""

import sys
import time

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from safepassage.registry.services import name_index_rebuild

BAR = 30


class Command(BaseCommand):
    help = _("The registry's name index: write it anew for every person.")

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        index = sub.add_parser("index", help=_("Write the name index of every person anew."))
        index.add_argument("--batch-size", type=int, default=2000)
        index.add_argument("--quiet", action="store_true", help=_("No progress bar."))

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        tty = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            share = done / total if total else 1.0
            filled = round(BAR * share)
            line = (
                f"[{'#' * filled}{'.' * (BAR - filled)}] {share:6.1%}  "
                f"{done:,} / {total:,}  {time.perf_counter() - started:6.1f} s"
            )
            self.stderr.write(f"\r{line}" if tty else line, ending="" if tty else "\n")

        quiet = options["quiet"] or options["verbosity"] == 0
        report = name_index_rebuild(
            batch_size=max(1, options["batch_size"]), progress=None if quiet else progress
        )
        if tty and not quiet:
            self.stderr.write("")
        self.stdout.write(
            _("Indexed %(persons)s persons (%(names)s names, %(keys)s keys) in %(seconds).1f s.")
            % {
                "persons": f"{report.persons:,}",
                "names": f"{report.names:,}",
                "keys": f"{report.keys:,}",
                "seconds": time.perf_counter() - started,
            }
        )
