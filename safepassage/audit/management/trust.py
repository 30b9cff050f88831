"""What the commands that check a checkpoint's signature share (`audit verify`, `restore`)."""

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from safepassage.audit.integrity import trusted_public_key
from safepassage.lib.checkpoint import CheckpointError


def trusted_public_key_or_stop(public_key_file: Path | None, *, returncode: int):
    """The key checkpoints are checked against, or the command stops: it cannot check."""
    try:
        return trusted_public_key(public_key_file)
    except CheckpointError as error:
        raise CommandError(
            _("No trusted public key for the checkpoint (%(reason)s); give --public-key.")
            % {"reason": error},
            returncode=returncode,
        ) from error
