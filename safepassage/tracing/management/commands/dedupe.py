"""`safepassage dedupe FILE.csv --out CLUSTERS.csv [--threshold P]` (docs/linkage.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _

from safepassage.tracing.linkage import DEFAULT_DEDUPE_THRESHOLD
from safepassage.tracing.linkage.csvio import COLUMNS

from ._linkage_cli import Progress, options_add, records_read, rows_write


class Command(BaseCommand):
    help = _(
        "Find records of the same person inside one list, across scripts and romanizations. "
        "Input: a CSV file with a header row, UTF-8, columns %(columns)s (any may be empty but "
        "id). Output: id,cluster_id for every input row, in input order; the cluster id is the "
        "smallest id of the cluster. Exit code 2 on bad input, with the row and field named; no "
        "output file is then written."
    ) % {"columns": ",".join(COLUMNS)}

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, metavar="FILE.csv")
        parser.add_argument("--out", type=Path, required=True, metavar="CLUSTERS.csv")
        options_add(
            parser,
            threshold=DEFAULT_DEDUPE_THRESHOLD,
            threshold_help=_(
                "Smallest match probability that joins two records (default %(default)s)."
            ),
        )

    def handle(self, *args, **options) -> None:
        from safepassage.tracing.linkage import dedupe

        progress = Progress(self.stderr._out, options["quiet"])
        records = records_read(options["file"])
        progress(f"read {len(records):,} records")
        clusters = dedupe(records, threshold=options["threshold"], progress=progress)
        rows_write(options["out"], ("id", "cluster_id"), ((r.id, clusters[r.id]) for r in records))
        progress(f"wrote {len(records):,} rows, {len(set(clusters.values())):,} clusters")
