"""`safepassage link LEFT.csv RIGHT.csv --out PAIRS.csv [--threshold P] [--no-one-to-one]`
(docs/linkage.md)."""

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from safepassage.tracing.linkage.csvio import COLUMNS

from ._linkage_cli import Progress, options_add, records_read, rows_write


class Command(BaseCommand):
    help = _(
        "Link two lists of persons across scripts and romanizations. Input: CSV files with a "
        "header row, UTF-8, columns %(columns)s (any may be empty but id; full_name is used when "
        "family_name and given_name are empty; birth_date is YYYY, YYYY-MM or YYYY-MM-DD). "
        "Output: left_id,right_id,probability for the pairs kept, best first: each record in at "
        "most one pair, and at or above the threshold (by default the cut where the model's own "
        "probabilities expect the best F1). "
        "Exit code 2 on bad input, with the row and field named; no output file is then written."
    ) % {"columns": ",".join(COLUMNS)}

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("left", type=Path, metavar="LEFT.csv")
        parser.add_argument("right", type=Path, metavar="RIGHT.csv")
        parser.add_argument("--out", type=Path, required=True, metavar="PAIRS.csv")
        options_add(
            parser,
            threshold=None,
            threshold_help=_(
                "Smallest match probability written (default: the cut where the model's own "
                "probabilities expect the best F1)."
            ),
        )
        parser.add_argument(
            "--one-to-one",
            action=argparse.BooleanOptionalAction,
            default=True,
            help=_(
                "Each record in at most one pair, the assignment the probabilities make likeliest "
                "(default; --no-one-to-one writes every pair at or above the threshold)."
            ),
        )

    def handle(self, *args, **options) -> None:
        from safepassage.tracing.linkage import link

        progress = Progress(self.stderr._out, options["quiet"])
        left = records_read(options["left"])
        right = records_read(options["right"])
        progress(f"read {len(left):,} + {len(right):,} records")
        pairs = list(
            link(
                left,
                right,
                threshold=options["threshold"],
                one_to_one=options["one_to_one"],
                progress=progress,
            )
        )
        rows_write(
            options["out"],
            ("left_id", "right_id", "probability"),
            ((a, b, f"{p:.6f}") for a, b, p in pairs),
        )
        progress(f"wrote {len(pairs):,} pairs to {options['out']}")
