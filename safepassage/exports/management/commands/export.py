"""`safepassage export capture-card NUMBER | case-summary NUMBER | notifications --as USER`.

The user named by `--as` is the actor: the policy, the masking and the audit are those of the
web pages. Pseudonymised by default. `--identified` needs the role and, as the web page asks for
a recent password, the user's password again (from the terminal, or the first line of standard
input with `--password-stdin`); a wrong one counts towards his login lockout. The file is
written to `--out` (complete or not at all) or to standard output when it is not a terminal.
A refusal or bad input exits with 2.
"""

import argparse
import datetime
import getpass
import os
import sys
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from safepassage.access.policy import Action, can
from safepassage.access.visibility import persons_visible_to
from safepassage.accounts import lockout
from safepassage.accounts.models import User
from safepassage.exports import services
from safepassage.exports.documents.labels import SECOND_LANGUAGES
from safepassage.exports.models import Format
from safepassage.exports.selectors import EVENT_KINDS
from safepassage.lib.errors import DomainError

REFUSED = 2


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": value}
        ) from None


def _refused(message: str) -> CommandError:
    return CommandError(message, returncode=REFUSED)


class Command(BaseCommand):
    help = _("Export capture cards, case summaries and notification lists, as a named user.")
    stealth_options = ("stdin",)  # tests pass the password's stream

    def add_arguments(self, parser: CommandParser) -> None:
        documents = parser.add_subparsers(dest="document", required=True)
        card = documents.add_parser(
            "capture-card", help=_("A person's capture card (GC III Annex IV), PDF.")
        )
        summary = documents.add_parser(
            "case-summary", help=_("A person's case and its history as the user sees it, PDF.")
        )
        for sub in (card, summary):
            sub.add_argument("registry_number")
        listing = documents.add_parser(
            "notifications",
            help=_("The notification list to the Central Agency (GC III Art. 122-123)."),
        )
        listing.add_argument("--since", type=_date, help=_("Events from this day (YYYY-MM-DD)."))
        listing.add_argument("--until", type=_date, help=_("Events until this day (YYYY-MM-DD)."))
        listing.add_argument(
            "--event",
            action="append",
            choices=EVENT_KINDS,
            dest="events",
            help=_("Only these events; repeat. Default: all."),
        )
        listing.add_argument(
            "--second-language",
            choices=SECOND_LANGUAGES,
            default="",
            help=_("The other party's language for the headings, beside the first."),
        )
        for sub in (card, summary, listing):
            sub.add_argument("--as", dest="actor", required=True, metavar="USERNAME")
            sub.add_argument(
                "--format",
                choices=Format.values,
                default=Format.PDF if sub is not listing else Format.CSV,
                help=_("pdf, csv or xlsx (capture cards and summaries: pdf only)."),
            )
            sub.add_argument(
                "--identified",
                action="store_true",
                help=_("With names (needs the role; asks for the user's password)."),
            )
            sub.add_argument(
                "--password-stdin",
                action="store_true",
                help=_("With --identified: read the password from standard input."),
            )
            sub.add_argument("--out", type=Path, help=_("The file to write (default: stdout)."))

    def handle(self, *args, **options) -> None:
        actor = self._actor(options["actor"])
        if options["identified"]:
            if not can(actor, Action.EXPORT_IDENTIFIED):
                raise _refused(_("Your organisation or role may not export names."))
            self._reauthenticate(actor, options)
        out = options["out"]
        if out is None and self._stdout_is_terminal():
            raise CommandError(_("Give --out FILE, or redirect standard output to a file."))
        try:
            if options["document"] == "notifications":
                self._notifications(actor, options, out)
            else:
                self._person_document(actor, options, out)
        except PermissionDenied:
            raise _refused(_("Your organisation or role may not make this export.")) from None
        except DomainError as exc:
            raise _refused(str(exc)) from None

    # --- who ------------------------------------------------------------------------------------

    def _actor(self, username: str) -> User:
        user = User.objects.select_related("organisation").filter(username=username).first()
        if user is None or not user.is_active or user.organisation is None:
            raise CommandError(_("No active user “%(user)s”.") % {"user": username})
        return user

    def _reauthenticate(self, actor: User, options: dict) -> None:
        """The console's re-authentication: the user's own password, counted by the lockout."""
        if lockout.locked_until(username=actor.username):
            raise _refused(_("This account is locked after failed logins; try again later."))
        if options["password_stdin"]:
            stream = options.get("stdin") or sys.stdin
            password = stream.readline().rstrip("\r\n")
        else:
            if not sys.stdin.isatty():
                raise _refused(
                    _(
                        "An identified export asks for the password: run it in a terminal or "
                        "give --password-stdin."
                    )  # fmt: skip
                )
            password = getpass.getpass(_("Password of %(user)s: ") % {"user": actor.username})
        if not password or not actor.check_password(password):
            lockout.login_failure_record(username=actor.username, address="")
            raise _refused(_("Wrong password: no export made."))

    # --- what -----------------------------------------------------------------------------------

    def _person_document(self, actor: User, options: dict, out: Path | None) -> None:
        if options["format"] != Format.PDF:
            raise _refused(_("Capture cards and case summaries are PDF only: use --format pdf."))
        number = options["registry_number"].strip()
        person = persons_visible_to(actor).filter(registry_number=number).first()
        if person is None:
            raise _refused(
                _("No person %(number)s visible to %(user)s.")
                % {"number": number, "user": actor.username}
            )
        make = {
            "capture-card": services.capture_card_export,
            "case-summary": services.case_summary_export,
        }[options["document"]]
        path = self._staged(out)
        try:
            file = make(actor=actor, person=person, identified=options["identified"], via="console")
            self._write(path, file.data)
        except BaseException:
            self._discard(path)
            raise
        self._publish(path, out)
        self._report(file.export)

    def _notifications(self, actor: User, options: dict, out: Path | None) -> None:
        request = services.NotificationRequest.chosen(options, options["events"] or EVENT_KINDS)
        path = self._staged(out)
        try:
            if path is None:
                export = services.notifications_export(
                    actor=actor, request=request, out=self._binary_stdout(), via="console"
                )
            else:
                with path.open("wb") as handle:
                    export = services.notifications_export(
                        actor=actor, request=request, out=handle, via="console"
                    )
        except BaseException:
            self._discard(path)
            raise
        self._publish(path, out)
        self._report(export)

    # --- where ----------------------------------------------------------------------------------

    def _stdout_is_terminal(self) -> bool:
        stream = getattr(self.stdout, "_out", self.stdout)
        return bool(getattr(stream, "isatty", lambda: False)())

    def _binary_stdout(self):
        stream = getattr(self.stdout, "_out", sys.stdout)
        return getattr(stream, "buffer", stream)

    def _staged(self, out: Path | None) -> Path | None:
        """A temporary file beside `out`, renamed onto it only once complete."""
        if out is None:
            return None
        try:
            handle, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.")
        except OSError as exc:
            raise _refused(
                _("Cannot write %(file)s: %(error)s") % {"file": out, "error": exc.strerror}
            ) from None
        os.close(handle)
        return Path(name)

    def _write(self, path: Path | None, data: bytes) -> None:
        if path is None:
            stream = self._binary_stdout()
            stream.write(data)
            stream.flush()
        else:
            path.write_bytes(data)

    def _discard(self, path: Path | None) -> None:
        if path is not None:
            path.unlink(missing_ok=True)

    def _publish(self, path: Path | None, out: Path | None) -> None:
        if path is not None and out is not None:
            os.chmod(path, 0o600)  # names and places: readable by the exporting account only
            os.replace(path, out)

    def _report(self, export) -> None:
        mode = _("identified") if export.identified else _("pseudonymised")
        self.stderr.write(
            _("Export #%(id)s: %(document)s, %(persons)s persons, %(rows)s rows, %(mode)s.")
            % {
                "id": export.pk,
                "document": export.get_document_display(),
                "persons": export.persons,
                "rows": export.rows,
                "mode": mode,
            }
        )
