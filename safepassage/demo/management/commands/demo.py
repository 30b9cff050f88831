"""`safepassage demo`: migrate, seed fictional demo data once, print the accounts, serve."""

from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.translation import gettext as _

from safepassage.demo.cast import DEMO_CENSORS, DEMO_PASSWORD, demo_accounts
from safepassage.demo.seed import demo_seed
from safepassage.lib.console import format_table


def default_sqlite_path() -> Path | None:
    """The database file, if the database is the default SQLite under `settings.VAR_DIR`."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return None
    path = Path(str(database["NAME"])).resolve()
    expected = (Path(settings.VAR_DIR) / "safepassage.sqlite3").resolve()
    return path if path == expected else None


class Command(BaseCommand):
    help = _("Run a demo with fictional data: migrate, seed once, print the accounts, serve.")
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--port", type=int, default=8000, help=_("Port on 127.0.0.1."))
        parser.add_argument(
            "--no-serve", action="store_true", help=_("Stop after printing the accounts.")
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Delete the default SQLite database under var/ first."),
        )
        parser.add_argument(
            "--persons", type=int, default=300, help=_("How many persons to generate.")
        )

    def handle(self, *args, **options) -> None:
        if not 0 < options["port"] < 65536:
            raise CommandError(_("The port must be between 1 and 65535."))
        if options["reset"]:
            self._reset()
        call_command("migrate", interactive=False, verbosity=0)
        if not settings.FAMILY_CENSORSHIP_BY:
            # The demo's detaining power censors family messages (docs/family.md).
            settings.FAMILY_CENSORSHIP_BY = DEMO_CENSORS
        self._seed(options["persons"])
        self._print_accounts()
        url = f"http://127.0.0.1:{options['port']}"
        self.stdout.write(
            _("Open %(url)s and log in with one of the accounts above.") % {"url": url}
        )
        if options["no_serve"]:
            return
        # Whitenoise serves from the finders (DEBUG is off) but warns when STATIC_ROOT is missing.
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        call_command("runserver", f"127.0.0.1:{options['port']}", "--noreload")

    def _reset(self) -> None:
        path = default_sqlite_path()
        if path is None:
            raise CommandError(
                _(
                    "--reset deletes only the default SQLite database under %(var)s; this "
                    "database is configured elsewhere (DATABASE_URL). Nothing was deleted."
                )
                % {"var": settings.VAR_DIR}
            )
        connections.close_all()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        self.stdout.write(_("Deleted %(path)s.") % {"path": path})

    def _seed(self, persons: int) -> None:
        result = demo_seed(persons=persons)
        if result is None:
            self.stdout.write(
                _("The database already has organisations: demo data not seeded (use --reset).")
            )
            return
        self.stdout.write(
            _("Seeded %(persons)s fictional persons in %(seconds).1f s.")
            % {"persons": result.persons, "seconds": result.seconds}
        )
        self.stdout.write(
            _("The story: %(wounded)s (wounded, wants to go to the Republic of Korea) and "
              "%(undecided)s (undecided).")
            % {"wounded": result.story[0], "undecided": result.story[1]}
        )  # fmt: skip

    def _print_accounts(self) -> None:
        rows = demo_accounts()
        if not rows:
            self.stdout.write(_("No demo accounts in this database."))
            return
        header = (_("Username"), _("Organisation"), _("Roles"))
        self.stdout.write(format_table(header, rows))
        self.stdout.write(_("Password for every demo account: %(pw)s") % {"pw": DEMO_PASSWORD})
