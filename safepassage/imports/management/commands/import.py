"""`safepassage import persons FILE [--dry-run] [--mapping NAME]` and `import mapping save|list`.

The user named by `--as` is the actor: the access policy decides as in the web interface. Every
problem is printed with its row, field and what to do; the exit code is 1 when any row is
invalid (nothing is written), 2 when the policy refuses, 0 when the file was imported (or, with
`--dry-run`, would be). A progress bar goes to stderr.
"""

import sys
import time

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safepassage.accounts.models import User
from safepassage.imports.models import DateOrder, ImportMapping
from safepassage.imports.reading import ImportResult
from safepassage.imports.services import import_mapping_save, persons_import
from safepassage.lib.console import format_table
from safepassage.lib.errors import DomainError

INVALID = 1
REFUSED = 2


class ProgressBar:
    """A one-line bar on stderr, redrawn at most five times a second."""

    def __init__(self, stream, width: int = 30):
        self.stream, self.width, self.last = stream, width, 0.0

    def __call__(self, rows: int, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < 0.2 and done < total:
            return
        self.last = now
        share = done / total if total else 0
        filled = int(share * self.width)
        bar = "#" * filled + "-" * (self.width - filled)
        self.stream.write(f"\r[{bar}] {share:4.0%}  {rows:,} rows")
        self.stream.flush()

    def end(self) -> None:
        if self.last:
            self.stream.write("\n")
            self.stream.flush()


def _actor(username: str) -> User:
    user = User.objects.select_related("organisation").filter(username=username).first()
    if user is None or not user.is_active:
        raise CommandError(_("No active user “%(user)s”.") % {"user": username})
    return user


class Command(BaseCommand):
    help = _("Import persons from a CSV or XLSX file, all or nothing; save column mappings.")

    def add_arguments(self, parser: CommandParser) -> None:
        kinds = parser.add_subparsers(dest="kind", required=True)
        persons = kinds.add_parser("persons", help=_("Import a list of persons."))
        persons.add_argument("file")
        persons.add_argument("--as", dest="actor", required=True, metavar="USERNAME")
        persons.add_argument("--dry-run", action="store_true", help=_("Check only; write nothing."))
        persons.add_argument("--mapping", default="", help=_("A saved mapping (the source)."))
        persons.add_argument("--encoding", default="", help=_("Override encoding detection."))
        persons.add_argument("--quiet", action="store_true", help=_("No progress bar."))
        mapping = kinds.add_parser("mapping", help=_("Save or list column mappings."))
        actions = mapping.add_subparsers(dest="action", required=True)
        save = actions.add_parser("save", help=_("Save a mapping: field=column pairs."))
        save.add_argument("name")
        save.add_argument("pairs", nargs="+", metavar="FIELD=COLUMN")
        save.add_argument("--date-order", choices=DateOrder.values, default=DateOrder.DAY_FIRST)
        save.add_argument("--as", dest="actor", required=True, metavar="USERNAME")
        listing = actions.add_parser("list", help=_("The saved mappings."))
        listing.add_argument("--as", dest="actor", required=True, metavar="USERNAME")

    def handle(self, *args, **options) -> None:
        actor = _actor(options["actor"])
        try:
            if options["kind"] == "mapping":
                self._mapping(actor, options)
            else:
                self._persons(actor, options)
        except PermissionDenied as error:
            raise CommandError(
                _("Your organisation or role may not import persons."), returncode=REFUSED
            ) from error
        except DomainError as error:
            raise CommandError(str(error), returncode=REFUSED) from error

    def _mapping(self, actor: User, options: dict) -> None:
        if options["action"] == "list":
            rows = [
                (m.name, m.date_order, ", ".join(f"{f}={c}" for f, c in m.columns.items()))
                for m in ImportMapping.objects.filter(organisation=actor.organisation)
            ]
            self.stdout.write(format_table(("source", "dates", "columns"), rows) if rows else "-")
            return
        columns = {}
        for pair in options["pairs"]:
            field, sep, column = pair.partition("=")
            if not sep:
                raise CommandError(_("Write each pair as FIELD=COLUMN: %(p)s") % {"p": pair})
            columns[field.strip()] = column.strip()
        import_mapping_save(
            actor=actor, name=options["name"], columns=columns, date_order=options["date_order"]
        )
        self.stdout.write(_("Mapping “%(name)s” saved.") % {"name": options["name"]})

    def _persons(self, actor: User, options: dict) -> None:
        bar = None if options["quiet"] else ProgressBar(sys.stderr)
        try:
            result = persons_import(
                actor=actor,
                path=options["file"],
                mapping=options["mapping"],
                dry_run=options["dry_run"],
                encoding=options["encoding"],
                progress=bar,
                duplicates=options["dry_run"],
            )
        finally:
            if bar is not None:
                bar.end()
        self._report(result)
        if not result.ok:
            raise CommandError(
                ngettext(
                    "%(count)s problem: nothing was imported. Correct the file and run again.",
                    "%(count)s problems: nothing was imported. Correct the file and run again.",
                    result.problem_count,
                )
                % {"count": result.problem_count},
                returncode=INVALID,
            )

    def _report(self, result: ImportResult) -> None:
        out = self.stdout
        if result.already_imported is not None:
            out.write(
                _("This file was already imported from source “%(source)s” (batch %(batch)s): "
                  "nothing new to create.")
                % {"source": result.source, "batch": result.already_imported.pk}
            )  # fmt: skip
            return
        if result.kind:
            out.write(
                _("%(kind)s, %(encoding)s, %(delimiter)s; columns: %(columns)s")
                % {
                    "kind": result.kind.upper(),
                    "encoding": result.encoding or "-",
                    "delimiter": result.summary()["delimiter"] or "-",
                    "columns": ", ".join(f"{f}←{c}" for f, c in result.columns.items()) or "-",
                }
            )
        if result.ignored_columns:
            out.write(_("Ignored columns: %(c)s") % {"c": ", ".join(result.ignored_columns)})
        if result.problems:
            out.write(
                format_table(
                    ("row", "field", "problem", "what to do"),
                    [(str(p.row or "-"), p.field, p.problem, p.fix) for p in result.problems],
                )
            )
            if result.problem_count > len(result.problems):
                more = result.problem_count - len(result.problems)
                out.write(
                    ngettext("… and %(n)s more problem.", "… and %(n)s more problems.", more)
                    % {"n": more}
                )
        if result.duplicates:
            out.write(_("Likely duplicates (not refused; check them):"))
            out.write(
                format_table(
                    ("row", "id", "name", "looks like", "probability"),
                    [
                        (str(d["row"]), d["id"], d["name"], d["match"], f"{d['probability']:.0%}")
                        for d in result.duplicates
                    ],
                )
            )
        if result.duplicates_note:
            out.write(result.duplicates_note)
        counts = {
            "rows": result.rows_total,
            "valid": result.rows_valid,
            "known": result.rows_already_imported,
            "created": result.created,
        }
        if result.dry_run:
            line = _(
                "Dry run: %(rows)s rows, %(valid)s valid, %(known)s already imported; "
                "nothing written."
            )
        else:
            line = _(
                "%(rows)s rows, %(valid)s valid, %(known)s already imported, %(created)s created."
            )
        out.write(line % counts)
        if result.batch is not None and result.created:
            out.write(
                _("Batch %(batch)s: registry numbers %(first)s … %(last)s.")
                % {
                    "batch": result.batch.pk,
                    "first": result.batch.first_registry_number,
                    "last": result.batch.last_registry_number,
                }
            )
