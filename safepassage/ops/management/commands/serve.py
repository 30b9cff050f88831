"""`safepassage serve [--bind ADDR] [--workers N]`: the production web server (gunicorn).

Refuses to start with SAFEPASSAGE_DEBUG on or with migrations not applied. Static files are
served by whitenoise from the same process. The access log names method, path (never the
query string: search terms travel there), status, size and time.
"""

import os
import shutil
import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from safepassage.ops.config import log_format
from safepassage.ops.readiness import migrations_applied

ACCESS_TEXT = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
ACCESS_JSON = (
    '{"time": "%(t)s", "logger": "access", "remote": "%(h)s", "method": "%(m)s", '
    '"path": "%(U)s", "status": %(s)s, "bytes": "%(B)s", "ms": %(M)s}'
)


def default_workers() -> int:
    return int(os.environ.get("WEB_CONCURRENCY") or 2 * (os.cpu_count() or 1) + 1)


def gunicorn_argv(*, bind: str, workers: int, threads: int, timeout: int) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "safepassage.wsgi:application",
        "--bind", bind, "--workers", str(workers), "--threads", str(threads),
        "--timeout", str(timeout), "--graceful-timeout", "30",
        # Restart workers now and then: a slow leak cannot grow for ever.
        "--max-requests", "5000", "--max-requests-jitter", "500",
        "--access-logfile", "-", "--error-logfile", "-",
        "--access-logformat", ACCESS_JSON if log_format() == "json" else ACCESS_TEXT,
        "--worker-tmp-dir", "/dev/shm" if os.path.isdir("/dev/shm") else "/tmp",  # noqa: S108 - gunicorn's heartbeat files, no data
    ]  # fmt: skip


class Command(BaseCommand):
    help = _("Serve safepassage in production with gunicorn (see docs/deploy.md).")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--bind",
            default=os.environ.get("SAFEPASSAGE_BIND", "127.0.0.1:8000"),
            help=_("Address to listen on, behind the TLS proxy (default 127.0.0.1:8000)."),
        )
        parser.add_argument(
            "--workers", type=int, default=default_workers(), help=_("Worker processes.")
        )
        parser.add_argument("--threads", type=int, default=1, help=_("Threads per worker."))
        parser.add_argument("--timeout", type=int, default=60, help=_("Seconds per request."))
        parser.add_argument(
            "--dry-run", action="store_true", help=_("Check and print the command; do not start.")
        )

    def handle(self, *args, **options) -> None:
        if settings.DEBUG:
            raise CommandError(
                _(
                    "SAFEPASSAGE_DEBUG is on: the debug page shows settings and data. `serve` is "
                    "for production; turn it off (or use `safepassage runserver` to develop)."
                )
            )
        if options["workers"] < 1 or options["threads"] < 1 or options["timeout"] < 1:
            raise CommandError(_("--workers, --threads and --timeout must be at least 1."))
        if not migrations_applied():
            raise CommandError(_("Migrations are not applied: run `safepassage migrate` first."))
        if settings.PRODUCTION and options["bind"].startswith("0.0.0.0"):  # noqa: S104 - the check that warns of it
            self.stderr.write(
                _("Listening on every interface: put the TLS proxy in front (docs/deploy.md).")
            )
        argv = gunicorn_argv(
            bind=options["bind"], workers=options["workers"],
            threads=options["threads"], timeout=options["timeout"],
        )  # fmt: skip
        if options["dry_run"]:
            self.stdout.write(" ".join(argv))
            return
        if shutil.which(sys.executable) is None:  # pragma: no cover - a broken venv
            raise CommandError(_("The Python interpreter cannot be found."))
        self.stdout.flush()
        os.execv(sys.executable, argv)  # noqa: S606 - our own interpreter and fixed arguments
