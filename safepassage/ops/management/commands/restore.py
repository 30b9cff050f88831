"""`safepassage restore FILE [--checkpoint CP]`: replace the whole database with a backup.

Before anything is replaced, the audit chain inside the backup is walked; with `--checkpoint`
(a file `safepassage audit anchor` wrote, its signature checked against `--public-key` or the
signing key) it must also hold the checkpoint's event unchanged. A backup that ends before the
checkpoint, or differs from it, is a rollback past a moment the organisations were shown: it is
refused unless `--accept-rollback` is given. A broken chain is always refused. The restore is
then recorded as the audit event `ops.restore` on the restored chain.

Stop the web server and the workers first. Afterwards run `safepassage migrate` (a backup from
an older version) and `safepassage audit verify`.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safepassage.audit.integrity import Verification
from safepassage.audit.management.trust import trusted_public_key_or_stop
from safepassage.lib.checkpoint import (
    Checkpoint,
    CheckpointError,
    checkpoint_check_signature,
    checkpoint_parse,
)
from safepassage.lib.errors import DomainError
from safepassage.ops.backup import (
    RestoreFacts,
    backup_audit_verify,
    database_restore,
    file_digest,
    restore_record,
)

REFUSED = 1  # the backup's chain is broken, or it is a rollback not accepted
CANNOT_CHECK = 2  # the checkpoint or the key cannot be read


class Command(BaseCommand):
    help = _("Replace the database with a backup made by `safepassage backup`.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE")
        parser.add_argument(
            "--yes", action="store_true", help=_("Do not ask: the current data is replaced.")
        )
        parser.add_argument(
            "--checkpoint",
            type=Path,
            metavar="CHECKPOINT",
            help=_("The newest checkpoint from `audit anchor`: the backup must hold its event."),
        )
        parser.add_argument(
            "--public-key",
            type=Path,
            metavar="KEY",
            help=_("The trusted public key (PEM or hex); default: from the signing key file."),
        )
        parser.add_argument(
            "--accept-rollback",
            action="store_true",
            help=_("Restore a backup that ends before the checkpoint or differs from it."),
        )

    def handle(self, *args, **options) -> None:
        source: Path = options["file"]
        self._confirm(options)
        checkpoint = self._checkpoint(options["checkpoint"], options["public_key"])
        try:
            verification = backup_audit_verify(source=source, checkpoint=checkpoint)
        except DomainError as error:
            raise CommandError(str(error)) from error
        rollback = self._judge(verification, checkpoint, options["accept_rollback"])
        digest = file_digest(source)
        try:
            database_restore(source=source)
        except DomainError as error:
            raise CommandError(str(error)) from error
        facts = RestoreFacts(source, digest, verification, checkpoint, rollback)
        try:
            event = restore_record(facts)
        except DatabaseError as error:
            raise CommandError(
                _(
                    "Restored %(file)s, but the audit log could not record it (%(error)s): a "
                    "backup from an older release? Run `safepassage migrate`, and write the "
                    "restore down where the incident is recorded."
                )
                % {"file": source, "error": error}
            ) from error
        self.stdout.write(
            ngettext(
                "Restored %(file)s: %(count)s audit event, recorded as audit event #%(seq)s. "
                "Next: `safepassage migrate`, then `safepassage audit verify`.",
                "Restored %(file)s: %(count)s audit events, recorded as audit event #%(seq)s. "
                "Next: `safepassage migrate`, then `safepassage audit verify`.",
                verification.count,
            )
            % {"file": source, "count": verification.count, "seq": event.seq}
        )

    def _checkpoint(self, path: Path | None, public_key: Path | None) -> Checkpoint | None:
        if path is None:
            self.stderr.write(
                _(
                    "No --checkpoint given: the backup's audit chain is checked, but not "
                    "whether it ends before the last checkpoint kept off-site."
                )
            )
            return None
        try:
            checkpoint = checkpoint_parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(
                _("Cannot read the checkpoint %(file)s: %(error)s")
                % {"file": path, "error": error},
                returncode=CANNOT_CHECK,
            ) from error
        except CheckpointError as error:
            raise CommandError(
                _("Checkpoint rejected: %(reason)s.") % {"reason": error}, returncode=REFUSED
            ) from error
        trusted = trusted_public_key_or_stop(public_key, returncode=CANNOT_CHECK)
        try:
            checkpoint_check_signature(checkpoint, trusted)
        except CheckpointError as error:
            raise CommandError(
                _("Checkpoint rejected: %(reason)s.") % {"reason": error}, returncode=REFUSED
            ) from error
        return checkpoint

    def _judge(
        self, verification: Verification, checkpoint: Checkpoint | None, accept: bool
    ) -> str | None:
        """The rollback accepted (its finding), or None; CommandError for what is refused."""
        if verification.broken is not None:
            raise CommandError(
                _("The backup's audit log is broken (%(reason)s): nothing restored.")
                % {"reason": verification.broken},
                returncode=REFUSED,
            )
        if verification.checkpoint_problem is None or checkpoint is None:
            return None
        if verification.count < checkpoint.count:
            finding = _(
                "the backup's audit log ends at event #%(count)s, before the checkpoint of "
                "%(time)s (event #%(checkpoint)s)"
            ) % {"count": verification.count, "time": checkpoint.time,
                 "checkpoint": checkpoint.count}  # fmt: skip
        else:
            finding = _(
                "the backup's audit event #%(checkpoint)s differs from the one the checkpoint "
                "of %(time)s signed: its history was rewritten"
            ) % {"checkpoint": checkpoint.count, "time": checkpoint.time}
        if not accept:
            raise CommandError(
                _(
                    "Rollback refused: %(finding)s. Nothing restored. To restore it all the "
                    "same, losing what happened after that, give --accept-rollback."
                )
                % {"finding": finding},
                returncode=REFUSED,
            )
        self.stderr.write(_("Rollback accepted: %(finding)s.") % {"finding": finding})
        return str(finding)

    def _confirm(self, options: dict) -> None:
        if options["yes"]:
            return
        if not options.get("interactive", True) or not self.stdin_isatty():
            raise CommandError(_("Restoring replaces every record: confirm with --yes."))
        answer = input(_("Replace every record with %(file)s? Type yes: ") % {
            "file": options["file"]})  # fmt: skip
        if answer.strip().lower() != "yes":
            raise CommandError(_("Nothing restored."))

    @staticmethod
    def stdin_isatty() -> bool:
        import sys

        return sys.stdin.isatty()
