"""`safepassage visit package|receive`: field work at the centre (docs/field.md).

`package VISIT --as USER --out FILE` writes the team's signed, passphrase-sealed package and
prints the server key's fingerprint; `receive BUNDLE --as USER` verifies a return bundle and
writes it all or nothing. A refusal is one line and exit code 2; nothing is written.
"""

import getpass
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from safepassage.cases.management.commands.transfer import REFUSED, _actor
from safepassage.field.services import server_keys, visit_bundle_receive, visit_package_create
from safepassage.lib.errors import DomainError
from safepassage.lib.fieldpack import FieldFormatError, passphrase_check
from safepassage.visits.models import Visit


def passphrase_read(path: str | None, *, confirm: bool = False) -> str:
    """The team passphrase from a file (its first line) or asked without echo; never stored."""
    if path:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise CommandError(
                _("Cannot read the passphrase file: %(error)s") % {"error": exc.strerror}
            ) from exc
        passphrase = text.splitlines()[0] if text else ""
    else:
        passphrase = getpass.getpass(_("Team passphrase: "))
        if confirm and getpass.getpass(_("The same again: ")) != passphrase:
            raise CommandError(_("The two passphrases differ."))
    try:
        passphrase_check(passphrase)
    except FieldFormatError as exc:
        raise CommandError(str(exc)) from exc
    return passphrase


class Command(BaseCommand):
    help = _("Package a visit for offline field work, or receive a team's return bundle.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        package = actions.add_parser("package", help=_("Write the package of a visit."))
        package.add_argument("visit", type=int)
        package.add_argument("--out", required=True, help=_("The package file to write."))
        package.add_argument("--passphrase-file", help=_("Read the team passphrase from a file."))
        receive = actions.add_parser("receive", help=_("Receive a team's return bundle."))
        receive.add_argument("bundle")
        receive.add_argument(
            "--visit", type=int, help=_("Refuse the bundle unless it is of this visit.")
        )
        key = actions.add_parser("server-key", help=_("Print the server's public field key."))
        key.add_argument("--out", help=_("Write it to this file for the laptops."))
        for sub in (package, receive):
            sub.add_argument("--as", dest="actor", required=True, metavar="USERNAME")

    def handle(self, *args, **options) -> None:
        {"package": self._package, "receive": self._receive, "server-key": self._key}[
            options["action"]
        ](options)

    def _key(self, options: dict) -> None:
        public = server_keys().public
        if options["out"]:
            Path(options["out"]).write_text(public.to_text(), encoding="ascii")
        else:
            self.stdout.write(public.to_text().strip())
        self.stdout.write(_("Fingerprint: %(fp)s") % {"fp": public.fingerprint})

    def _package(self, options: dict) -> None:
        actor = _actor(options["actor"])
        visit = (
            Visit.objects.select_related("place", "organisation")
            .filter(pk=options["visit"])
            .first()
        )
        if visit is None:
            raise CommandError(_("No visit %(id)s.") % {"id": options["visit"]}, returncode=REFUSED)
        out = Path(options["out"])
        if out.exists():
            raise CommandError(_("%(path)s exists: nothing was overwritten.") % {"path": out})
        passphrase = passphrase_read(options["passphrase_file"], confirm=True)
        try:
            data, package = visit_package_create(actor=actor, visit=visit, passphrase=passphrase)
        except PermissionDenied:
            raise CommandError(
                _("Your organisation or role may not package this visit."), returncode=REFUSED
            ) from None
        except (DomainError, FieldFormatError) as exc:
            raise CommandError(str(exc), returncode=REFUSED) from exc
        out.write_bytes(data)
        self.stdout.write(
            _("Package %(id)s of visit %(visit)s written to %(path)s: %(count)s persons to see.")
            % {
                "id": package.package_id,
                "visit": visit.pk,
                "path": out,
                "count": len(package.persons),
            }
        )
        self.stdout.write(
            _("Server key fingerprint (compare it on the laptop): %(fp)s")
            % {"fp": server_keys().public.fingerprint}
        )

    def _receive(self, options: dict) -> None:
        actor = _actor(options["actor"])
        try:
            data = Path(options["bundle"]).read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read the bundle: %(error)s") % {"error": exc.strerror}
            ) from exc
        try:
            received, new = visit_bundle_receive(
                actor=actor, data=data, expected_visit=options["visit"]
            )
        except PermissionDenied:
            raise CommandError(
                _("Your organisation or role may not receive this visit's bundle."),
                returncode=REFUSED,
            ) from None
        except DomainError as exc:
            raise CommandError(str(exc), returncode=REFUSED) from exc
        if not new:
            self.stdout.write(
                _("Return bundle %(id)s was already received on %(date)s: nothing new written.")
                % {"id": received.bundle_id, "date": received.received_at.date()}
            )
            return
        self.stdout.write(
            _(
                "Return bundle %(id)s received: %(wills)s will expressions, %(interviews)s "
                "interviews, %(conflicts)s conflicts for review."
            )
            % {
                "id": received.bundle_id,
                "wills": received.wills,
                "interviews": received.interviews,
                "conflicts": received.conflicts,
            }
        )
