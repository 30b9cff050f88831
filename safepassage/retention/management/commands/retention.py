"""`safepassage retention apply [--dry-run]`: anonymise records whose retention period ended.

The periods are `settings.RETENTION_YEARS` (e.g. RETENTION_CLOSED_CASE_YEARS=5). The dry run
prints what would be erased (registry numbers and field names, never values) and writes
nothing. Exit 0 also when nothing was due.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safepassage.lib.console import format_table
from safepassage.retention.services import KINDS, retention_apply, retention_plan


class Command(BaseCommand):
    help = _("Anonymise closed cases (and other records) whose retention period ended.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        apply = actions.add_parser("apply", help=_("Anonymise every record past retention."))
        apply.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Print what would be anonymised; write nothing."),
        )
        apply.add_argument(
            "--kind",
            action="append",
            choices=sorted(KINDS),
            help=_("Only this kind of record (repeatable); default: every kind."),
        )

    def handle(self, *args, **options) -> None:
        kinds = options["kind"]
        try:
            if options["dry_run"]:
                items = retention_plan(kinds=kinds)
            else:
                items = retention_apply(kinds=kinds)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for key in kinds or KINDS:
            self.stdout.write(
                _("%(kind)s: anonymised %(years)s years %(when)s.")
                % {
                    "kind": key,
                    "years": settings.RETENTION_YEARS[key],
                    "when": KINDS[key].description,
                }
            )
        if not items:
            self.stdout.write(_("Nothing is due."))
            return
        rows = [(item.kind, str(item.record), ", ".join(item.changes)) for item in items]
        self.stdout.write(format_table((_("kind"), _("record"), _("what is erased or cut")), rows))
        if options["dry_run"]:
            self.stdout.write(
                ngettext(
                    "Dry run: %(count)s record would be anonymised; nothing was written.",
                    "Dry run: %(count)s records would be anonymised; nothing was written.",
                    len(items),
                )
                % {"count": len(items)}
            )
        else:
            self.stdout.write(
                ngettext(
                    "%(count)s record anonymised, one audit event each.",
                    "%(count)s records anonymised, one audit event each.",
                    len(items),
                )
                % {"count": len(items)}
            )
