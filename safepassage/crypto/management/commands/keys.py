"""`safepassage keys status|rotate|drop`: the field encryption keys.

status  lists the key ids (current first) and how many stored values each still encrypts.
rotate  adds a new current key to the key file (printing its id only, never the key) and
        re-encrypts every value under it in batches, while the application keeps running.
        `--no-new-key` only re-encrypts under the current key (after the operator put a new
        key first in SAFEPASSAGE_FIELD_KEYS and restarted).
drop    removes a key that is neither current nor used by any value.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safepassage.crypto.keys import key_file, keyring, keys_are_inline
from safepassage.crypto.services import key_drop, keys_rotate, keys_usage
from safepassage.lib.console import format_table
from safepassage.lib.crypto import CryptoError


class Command(BaseCommand):
    help = _("Show, rotate and drop the keys that encrypt sensitive fields.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("status", help=_("Key ids and how many values each encrypts."))
        rotate = actions.add_parser("rotate", help=_("New key, then re-encrypt every value."))
        rotate.add_argument(
            "--no-new-key",
            action="store_true",
            help=_("Only re-encrypt under the current (first) key."),
        )
        rotate.add_argument("--batch-size", type=int, default=500, metavar="N")
        drop = actions.add_parser("drop", help=_("Remove a key no value uses any more."))
        drop.add_argument("key_id")

    def handle(self, *args, action: str, **options) -> None:
        try:
            getattr(self, f"_{action}")(**options)
        except (CryptoError, ImproperlyConfigured) as exc:
            raise CommandError(str(exc)) from exc

    def _status(self, **options) -> None:
        ring = keyring()
        usage = keys_usage()
        source = "SAFEPASSAGE_FIELD_KEYS" if keys_are_inline() else str(key_file())
        self.stdout.write(_("Keys from %(source)s:") % {"source": source})
        rows = [
            (key_id, _("current") if key_id == ring.current_id else "", str(usage.pop(key_id, 0)))
            for key_id in ring.ids
        ]
        # Values sealed under a key the ring no longer holds cannot be read: show them loudly.
        rows += [(key_id, _("MISSING"), str(count)) for key_id, count in sorted(usage.items())]
        self.stdout.write(format_table((_("key id"), "", _("values")), rows))

    def _rotate(self, *, no_new_key: bool, batch_size: int, **options) -> None:
        if batch_size < 1:
            raise CommandError(_("--batch-size must be at least 1."))
        key_id, rewritten = keys_rotate(new_key=not no_new_key, batch_size=batch_size)
        if not no_new_key:
            self.stdout.write(_("New current key: %(id)s") % {"id": key_id})
        for column, count in sorted(rewritten.items()):
            self.stdout.write(f"{column}: {count}")
        count = sum(rewritten.values())
        self.stdout.write(
            ngettext(
                "Re-encrypted %(count)d value under %(id)s.",
                "Re-encrypted %(count)d values under %(id)s.",
                count,
            )
            % {"count": count, "id": key_id}
        )

    def _drop(self, *, key_id: str, **options) -> None:
        key_drop(key_id=key_id)
        self.stdout.write(_("Dropped key %(id)s.") % {"id": key_id})
