"""What `link` and `dedupe` share: their options, progress, reading and writing the files."""

import argparse
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _

from safepassage.tracing.linkage import LinkRecord
from safepassage.tracing.linkage.csvio import ContractError, read_records, write_rows

BAD_INPUT = 2


def probability(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(_("%(value)r is not a number") % {"value": text}) from None
    if not 0.0 < value <= 1.0:
        raise argparse.ArgumentTypeError(_("a probability must be in (0, 1]"))
    return value


class Progress:
    """Progress lines on stderr with the elapsed time ("[  3.2s] scoring candidate pairs")."""

    def __init__(self, stream=None, quiet: bool = False):
        self.stream = stream or sys.stderr
        self.quiet = quiet
        self.start = time.monotonic()

    def __call__(self, message: str) -> None:
        if not self.quiet:
            self.stream.write(f"[{time.monotonic() - self.start:6.1f}s] {message}\n")
            self.stream.flush()


def fail(message: str) -> CommandError:
    return CommandError(message, returncode=BAD_INPUT)


def options_add(parser: CommandParser, *, threshold: float | None, threshold_help: str) -> None:
    """`--threshold P` (default `threshold`; `threshold_help` may name it as %(default)s) and
    `--quiet`."""
    parser.add_argument(
        "--threshold",
        type=probability,
        default=threshold,
        metavar="P",
        help=threshold_help % {"default": threshold},
    )
    parser.add_argument("--quiet", action="store_true", help=_("No progress on stderr."))


def records_read(path: Path) -> list[LinkRecord]:
    """The records of a contract CSV file; bad input fails naming the row and field."""
    try:
        return read_records(path)
    except ContractError as error:
        raise fail(str(error)) from None


def rows_write(path: Path, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    try:
        write_rows(path, header, rows)
    except (ContractError, OSError) as error:
        raise fail(_("cannot write %(path)s: %(error)s") % {"path": path, "error": error}) from None
