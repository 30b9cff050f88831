"""`safepassage field open|serve|close`: the team's offline instance on a laptop (docs/field.md).

`open PACKAGE` verifies the package against the pinned server key, opens it with the team
passphrase and serves the ordinary pages on 127.0.0.1 from an in-memory database, sealed to
disk after every request. `serve` opens that snapshot again after a restart. `close --out FILE`
stops the instance, writes the return bundle sealed to the centre and wipes the field directory.
"""

import os
import signal
import time
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.field import runtime
from safepassage.field.content import bundle_content, package_load
from safepassage.field.management.commands.visit import passphrase_read
from safepassage.lib.fieldpack import FieldFormatError, ServerPublic, bundle_write, package_open


def _pinned(server_key: str | None) -> ServerPublic:
    """The server key this laptop trusts: pinned by the first `--server-key`, then required to
    stay the same."""
    pinned_path = Path(settings.FIELD_PINNED_KEY_FILE)
    pinned = (
        ServerPublic.from_text(pinned_path.read_text("ascii")) if pinned_path.exists() else None
    )
    if server_key:
        try:
            given = ServerPublic.from_text(Path(server_key).read_text("ascii"))
        except (OSError, FieldFormatError) as exc:
            raise CommandError(_("Cannot read the server key: %(error)s") % {"error": exc}) from exc
        if pinned is not None and pinned != given:
            raise CommandError(
                _(
                    "This laptop already trusts another server key (%(pinned)s); "
                    "%(given)s is refused."
                )
                % {"pinned": pinned.fingerprint, "given": given.fingerprint}
            )
        if pinned is None:
            pinned_path.parent.mkdir(parents=True, exist_ok=True)
            pinned_path.write_text(given.to_text(), encoding="ascii")
        return given
    if pinned is None:
        raise CommandError(_("No server key is pinned on this laptop: give --server-key FILE."))
    return pinned


class Command(BaseCommand):
    help = _("Open, serve and close the offline field instance of a visit.")
    requires_migrations_checks = False
    requires_system_checks = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        opening = actions.add_parser("open", help=_("Open a visit package and serve it."))
        opening.add_argument("package")
        opening.add_argument("--server-key", help=_("The server's public key file (pinned once)."))
        serving = actions.add_parser("serve", help=_("Serve the open field instance again."))
        closing = actions.add_parser("close", help=_("Write the return bundle and wipe."))
        closing.add_argument("--out", required=True, help=_("The return bundle to write."))
        for sub in (opening, serving, closing):
            sub.add_argument("--passphrase-file", help=_("Read the team passphrase from a file."))
        for sub in (opening, serving):
            sub.add_argument("--port", type=int, default=8000, help=_("Port on 127.0.0.1."))
            sub.add_argument("--no-serve", action="store_true", help=_("Open, seal and stop."))

    def handle(self, *args, **options) -> None:
        if not settings.FIELD_MODE:
            raise CommandError(_("Run it as `safepassage field …`."))
        try:
            {"open": self._open, "serve": self._serve, "close": self._close}[options["action"]](
                options
            )
        except FieldFormatError as exc:
            raise CommandError(str(exc), returncode=2) from exc

    def _open(self, options: dict) -> None:
        if runtime.snapshot_exists():
            raise CommandError(
                _(
                    "A field instance is already open in %(dir)s: `field serve` it or "
                    "`field close` it."
                )
                % {"dir": runtime.field_dir()}
            )
        pinned = _pinned(options["server_key"])
        try:
            data = Path(options["package"]).read_bytes()
        except OSError as exc:
            raise CommandError(
                _("Cannot read the package: %(error)s") % {"error": exc.strerror}
            ) from exc
        self.stdout.write(_("Server key fingerprint: %(fp)s") % {"fp": pinned.fingerprint})
        passphrase = passphrase_read(options["passphrase_file"])
        package = package_open(data, pinned, passphrase)
        instance = runtime.instance_new(
            passphrase=passphrase,
            meta={
                "package_id": package.package_id,
                "visit_id": package.visit_id,
                "package_signing_key": package.package_signing.private_bytes_raw().hex(),
                "server_box_key": package.server_box.hex(),
            },
        )
        call_command("migrate", interactive=False, verbosity=0)
        instance.meta.update(package_load(package.content, password=passphrase))
        instance.save()
        self.stdout.write(
            _(
                "Visit %(visit)s opened: %(count)s persons to see. Team accounts: %(users)s "
                "(log in with the team passphrase)."
            )
            % {
                "visit": package.visit_id,
                "count": len(package.content["persons"]),
                "users": ", ".join(u["username"] for u in package.content["users"]),
            }
        )
        self._run(instance, options)

    def _serve(self, options: dict) -> None:
        instance = runtime.instance_resume(passphrase=passphrase_read(options["passphrase_file"]))
        self.stdout.write(_("Visit %(visit)s opened again.") % {"visit": instance.meta["visit_id"]})
        self._run(instance, options)

    def _run(self, instance: runtime.Instance, options: dict) -> None:
        if options["no_serve"]:
            runtime.instance_close()
            return
        pid = runtime.field_dir() / runtime.PID_NAME
        pid.write_text(str(os.getpid()), encoding="ascii")

        def stop(signum, frame):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        self.stdout.write(_("Serving http://127.0.0.1:%(port)s") % {"port": options["port"]})
        try:
            call_command("runserver", f"127.0.0.1:{options['port']}", "--noreload", "--nothreading")
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            instance.save()
            runtime.instance_close()
            pid.unlink(missing_ok=True)

    def _stop_running(self) -> None:
        pid_file = runtime.field_dir() / runtime.PID_NAME
        if not pid_file.exists():
            return
        pid = int(pid_file.read_text("ascii").strip() or 0)
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pid_file.unlink(missing_ok=True)
            return
        for _attempt in range(300):
            if not pid_file.exists():
                return
            time.sleep(0.1)
        raise CommandError(_("The field instance (process %(pid)s) did not stop.") % {"pid": pid})

    def _close(self, options: dict) -> None:
        out = Path(options["out"])
        if out.exists():
            raise CommandError(_("%(path)s exists: nothing was overwritten.") % {"path": out})
        if out.resolve().is_relative_to(runtime.field_dir().resolve()):
            raise CommandError(
                _("Write the return bundle outside the field directory: it is wiped.")
            )
        passphrase = passphrase_read(options["passphrase_file"])
        self._stop_running()
        instance = runtime.instance_resume(passphrase=passphrase)
        meta = instance.meta
        content = bundle_content(
            package_id=meta["package_id"],
            visit_id=meta["visit_id"],
            packaged_wills=meta.get("packaged_wills", []),
        )
        data, bundle_id = bundle_write(
            package_id=meta["package_id"],
            visit_id=meta["visit_id"],
            created_at=timezone.now().isoformat(),
            package_signing=Ed25519PrivateKey.from_private_bytes(
                bytes.fromhex(meta["package_signing_key"])
            ),
            server_box=bytes.fromhex(meta["server_box_key"]),
            content=content,
        )
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(data)
        runtime.instance_close()
        removed = runtime.wipe()
        self.stdout.write(
            _(
                "Return bundle %(id)s written to %(path)s: %(wills)s will expressions, "
                "%(interviews)s interviews. %(files)s field files wiped."
            )
            % {
                "id": bundle_id,
                "path": out,
                "wills": len(content["wills"]),
                "interviews": len(content["interviews"]),
                "files": len(removed),
            }
        )
