"""`safepassage restore FILE`: replace the whole database with a backup, all or nothing.

Stop the web server and the workers first. Afterwards run `safepassage migrate` (a backup from
an older version) and `safepassage audit verify`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from safepassage.lib.errors import DomainError
from safepassage.ops.backup import database_restore


class Command(BaseCommand):
    help = _("Replace the database with a backup made by `safepassage backup`.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument(
            "--yes", action="store_true", help=_("Do not ask: the current data is replaced.")
        )

    def handle(self, *args, **options) -> None:
        if not options["yes"]:
            if not options.get("interactive", True) or not self.stdin_isatty():
                raise CommandError(_("Restoring replaces every record: confirm with --yes."))
            answer = input(_("Replace every record with %(file)s? Type yes: ") % {
                "file": options["file"]})  # fmt: skip
            if answer.strip().lower() != "yes":
                raise CommandError(_("Nothing restored."))
        try:
            database_restore(source=options["file"])
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            _("Restored %(file)s. Next: `safepassage migrate`, then `safepassage audit verify`.")
            % {"file": options["file"]}
        )

    @staticmethod
    def stdin_isatty() -> bool:
        import sys

        return sys.stdin.isatty()
