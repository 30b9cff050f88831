"""`safepassage backup --out FILE`: a consistent copy of the database, taken while it serves.

SQLite: the online backup API. PostgreSQL: pg_dump (custom format). The file is written with
mode 0600. The field encryption keys are NOT in it: back them up separately (docs/deploy.md).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from safepassage.lib.errors import DomainError
from safepassage.ops.backup import database_backup


class Command(BaseCommand):
    help = _("Back the database up to a file (the field keys must be backed up separately).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", type=Path, required=True, metavar="FILE")
        parser.add_argument("--force", action="store_true", help=_("Overwrite FILE."))

    def handle(self, *args, **options) -> None:
        try:
            out = database_backup(out=options["out"], overwrite=options["force"])
        except DomainError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(_("Backed up to %(file)s.") % {"file": out})
        self.stderr.write(
            _(
                "The field encryption keys are not in the backup: without them the encrypted "
                "fields cannot be read. Keep a copy of the key file apart from the backups."
            )
        )
