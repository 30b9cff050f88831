"""What `link` and `dedupe` share: threshold parsing, progress, error handling."""

import argparse
import sys
import time

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

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
