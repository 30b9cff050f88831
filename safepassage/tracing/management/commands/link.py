"""`safepassage link LEFT.csv RIGHT.csv --out PAIRS.csv [--threshold P]` (docs/linkage.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from safepassage.tracing.linkage import DEFAULT_LINK_THRESHOLD
from safepassage.tracing.linkage.csvio import COLUMNS, ContractError, read_records, write_rows

from ._linkage_cli import Progress, fail, probability


class Command(BaseCommand):
    help = _(
        "Link two lists of persons across scripts and romanizations. Input: CSV files with a "
        "header row, UTF-8, columns %(columns)s (any may be empty but id; full_name is used when "
        "family_name and given_name are empty; birth_date is YYYY, YYYY-MM or YYYY-MM-DD). "
        "Output: left_id,right_id,probability for pairs at or above the threshold, best first. "
        "Exit code 2 on bad input, with the row and field named; no output file is then written."
    ) % {"columns": ",".join(COLUMNS)}

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("left", type=Path, metavar="LEFT.csv")
        parser.add_argument("right", type=Path, metavar="RIGHT.csv")
        parser.add_argument("--out", type=Path, required=True, metavar="PAIRS.csv")
        parser.add_argument(
            "--threshold",
            type=probability,
            default=DEFAULT_LINK_THRESHOLD,
            metavar="P",
            help=_("Smallest match probability written (default %(default)s).")
            % {"default": DEFAULT_LINK_THRESHOLD},
        )
        parser.add_argument("--quiet", action="store_true", help=_("No progress on stderr."))

    def handle(self, *args, **options) -> None:
        from safepassage.tracing.linkage import link

        progress = Progress(self.stderr._out, options["quiet"])
        try:
            left = read_records(options["left"])
            right = read_records(options["right"])
        except ContractError as error:
            raise fail(str(error)) from None
        progress(f"read {len(left):,} + {len(right):,} records")
        pairs = list(link(left, right, threshold=options["threshold"], progress=progress))
        try:
            write_rows(
                options["out"],
                ("left_id", "right_id", "probability"),
                ((a, b, f"{p:.6f}") for a, b, p in pairs),
            )
        except (ContractError, OSError) as error:
            raise fail(
                _("cannot write %(path)s: %(error)s") % {"path": options["out"], "error": error}
            ) from None
        progress(f"wrote {len(pairs):,} pairs to {options['out']}")
