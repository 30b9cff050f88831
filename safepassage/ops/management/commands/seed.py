"""`safepassage seed --persons N`: add N generated, fictional persons (benchmarks and trials).

One audit event per batch (docs/deploy.md#seeding): `safepassage audit verify` passes after.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from safepassage.lib.errors import DomainError
from safepassage.ops.seeding import registry_seed, seed_organisation


class Command(BaseCommand):
    help = _("Add generated, fictional persons to the registry, for load tests and trials.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--persons", type=int, required=True, help=_("How many to add."))
        parser.add_argument(
            "--organisation",
            help=_("The detaining power that holds them (default: a generated one)."),
        )
        parser.add_argument("--seed", type=int, default=2026, help=_("Random seed."))
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, **options) -> None:
        try:
            organisation = seed_organisation(options["organisation"])
            step = max(options["batch_size"], options["persons"] // 20)
            shown = [0]

            def progress(done: int) -> None:
                if done - shown[0] >= step or done == options["persons"]:
                    shown[0] = done
                    self.stderr.write(f"  {done:,} / {options['persons']:,}")

            report = registry_seed(
                persons=options["persons"],
                organisation=organisation,
                seed=options["seed"],
                batch_size=options["batch_size"],
                progress=progress if options["verbosity"] > 0 else None,
            )
        except DomainError as error:
            raise CommandError(str(error)) from error
        rate = report.persons / report.seconds if report.seconds else 0
        self.stdout.write(
            _(
                "Added %(persons)s persons (%(names)s names) to %(org)s in %(seconds).1f s "
                "(%(rate)s persons/s), %(first)s … %(last)s; %(batches)s audit events."
            )
            % {
                "persons": f"{report.persons:,}",
                "names": f"{report.names:,}",
                "org": organisation.name,
                "seconds": report.seconds,
                "rate": f"{rate:,.0f}",
                "first": report.first,
                "last": report.last,
                "batches": report.batches,
            }  # fmt: skip
        )
