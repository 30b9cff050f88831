"""`safepassage audit verify|anchor|keygen`: prove the audit log was not rewritten.

verify  walks the hash chain; with `--checkpoint FILE` also shows the log was neither truncated
        nor rewritten since that signed checkpoint. Exit 0 when intact, 1 naming the first bad
        event (or the checkpoint's finding), 2 when it cannot check (a missing key or file).
anchor  prints a signed checkpoint (count, head hash, time) to keep off-site.
keygen  creates the Ed25519 signing key (mode 0600) and its public half beside it (.pub).
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from safepassage.audit.integrity import (
    append_only_triggers_missing,
    audit_chain_anchor,
    audit_chain_verify,
    signing_key,
    signing_key_path,
)
from safepassage.audit.management.trust import trusted_public_key_or_stop
from safepassage.lib.checkpoint import (
    CheckpointError,
    checkpoint_parse,
    key_generate,
    public_hex,
    public_pem,
)

TAMPERED = 1  # the log or the checkpoint does not verify
CANNOT_CHECK = 2  # a key or a file needed for the check is missing or unreadable


class Command(BaseCommand):
    help = _("Verify the audit hash chain, sign checkpoints of it, create the signing key.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        verify = actions.add_parser("verify", help=_("Check every audit event, in order."))
        verify.add_argument(
            "--checkpoint", type=Path, metavar="FILE", help=_("A checkpoint from `anchor`.")
        )
        verify.add_argument(
            "--public-key",
            type=Path,
            metavar="FILE",
            help=_("The trusted public key (PEM or hex); default: from the signing key file."),
        )
        anchor = actions.add_parser("anchor", help=_("Print a signed checkpoint of the log."))
        anchor.add_argument("--out", type=Path, metavar="FILE", help=_("Write it to FILE instead."))
        keygen = actions.add_parser("keygen", help=_("Create the checkpoint signing key."))
        keygen.add_argument(
            "--out",
            type=Path,
            metavar="FILE",
            help=_("Where to write it; default AUDIT_SIGNING_KEY_FILE (%(path)s).")
            % {"path": settings.AUDIT_SIGNING_KEY_FILE},
        )

    def handle(self, *args, **options) -> None:
        {"verify": self._verify, "anchor": self._anchor, "keygen": self._keygen}[options["action"]](
            options
        )

    def _verify(self, options: dict) -> None:
        checkpoint = trusted = None
        if options["checkpoint"] is not None:
            try:
                text = options["checkpoint"].read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CommandError(
                    _("Cannot read the checkpoint %(file)s: %(error)s")
                    % {"file": options["checkpoint"], "error": exc},
                    returncode=CANNOT_CHECK,
                ) from exc
            try:
                checkpoint = checkpoint_parse(text)
            except CheckpointError as exc:
                raise CommandError(
                    _("Checkpoint rejected: %(reason)s.") % {"reason": exc}, returncode=TAMPERED
                ) from exc
            trusted = trusted_public_key_or_stop(options["public_key"], returncode=CANNOT_CHECK)
        missing = append_only_triggers_missing()
        if missing:
            self.stderr.write(
                _(
                    "Warning: the append-only triggers are missing or disabled (%(names)s); "
                    "someone may have rewritten the table — the chain check follows."
                )
                % {"names": ", ".join(sorted(missing))}
            )
        try:
            result = audit_chain_verify(checkpoint=checkpoint, trusted_key=trusted)
        except CheckpointError as exc:
            raise CommandError(
                _("Checkpoint rejected: %(reason)s.") % {"reason": exc}, returncode=TAMPERED
            ) from exc
        if result.broken is not None:
            raise CommandError(
                _("Audit log tampered: %(reason)s.") % {"reason": result.broken},
                returncode=TAMPERED,
            )
        if result.checkpoint_problem is not None:
            raise CommandError(
                _("Audit log tampered: %(reason)s.") % {"reason": result.checkpoint_problem},
                returncode=TAMPERED,
            )
        self.stdout.write(
            _("Audit log intact: %(count)s events, head %(head)s.")
            % {"count": result.count, "head": result.head_hash}
        )
        if checkpoint is not None:
            self.stdout.write(
                _("Consistent with the checkpoint of %(time)s (%(count)s events).")
                % {"time": checkpoint.time, "count": checkpoint.count}
            )

    def _anchor(self, options: dict) -> None:
        path = signing_key_path()
        try:
            key, created = signing_key(create=True)
        except (CheckpointError, OSError) as exc:
            raise CommandError(str(exc), returncode=CANNOT_CHECK) from exc
        if created:
            self.stderr.write(
                _(
                    "Created a new checkpoint signing key at %(path)s (public key %(public)s). "
                    "For production move it outside the data directory, set "
                    "AUDIT_SIGNING_KEY_FILE, and keep the public key off-site."
                )
                % {"path": path, "public": public_hex(key.public_key())}
            )
        elif _inside(path, Path(settings.VAR_DIR)):
            self.stderr.write(
                _(
                    "Warning: the signing key %(path)s sits in the data directory; whoever "
                    "can rewrite the database may also take the key. Move it for production."
                )
                % {"path": path}
            )
        try:
            checkpoint = audit_chain_anchor(key)
        except CheckpointError as exc:
            raise CommandError(str(exc), returncode=TAMPERED) from exc
        if options["out"] is None:
            self.stdout.write(checkpoint.to_json(), ending="")
            return
        try:
            options["out"].write_text(checkpoint.to_json(), encoding="utf-8")
        except OSError as exc:
            raise CommandError(str(exc), returncode=CANNOT_CHECK) from exc
        self.stdout.write(
            _("Checkpoint of %(count)s events written to %(file)s; keep a copy off-site.")
            % {"count": checkpoint.count, "file": options["out"]}
        )

    def _keygen(self, options: dict) -> None:
        path = options["out"] or signing_key_path()
        try:
            key = key_generate(path)
        except FileExistsError as exc:
            raise CommandError(
                _("%(path)s exists; a signing key is never overwritten.") % {"path": path}
            ) from exc
        except OSError as exc:
            raise CommandError(str(exc), returncode=CANNOT_CHECK) from exc
        public_path = path.with_name(path.name + ".pub")
        public_path.write_bytes(public_pem(key.public_key()))
        self.stdout.write(
            _(
                "Signing key written to %(path)s (mode 0600); public key %(public)s, also in "
                "%(pub)s. Give the public key to whoever keeps the checkpoints."
            )
            % {"path": path, "public": public_hex(key.public_key()), "pub": public_path}
        )


def _inside(path: Path, directory: Path) -> bool:
    return path.resolve().is_relative_to(directory.resolve())
