"""`safepassage exchange plan|batch-plan|batch-list`: exchange planning from the console.

`plan` works offline on two negotiators' lists and touches no database. `batch-plan` and
`batch-list` work on the registry's agreements as the user named by `--as`, through the same
services (policy, guard and audit) as the web interface. A refusal or bad input exits with 2.
"""

import argparse
import os
import tempfile
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django_countries import countries

from safepassage.exchanges.lists import Exclusion, ListError, eligible, read_list
from safepassage.exchanges.planner import OURS, THEIRS, PlanInfeasible, Rules, plan
from safepassage.lib.console import format_table
from safepassage.lib.errors import DomainError
from safepassage.lib.spreadsheet import csv_bytes

REFUSED = 2

PLAN_HELP = """\
Plan one exchange batch from two lists, offline.

Each list (CSV in any usual encoding and delimiter, or XLSX) has a header with the columns
  id,category,priority,seriously_wounded,fit_to_travel,destination,refused_destinations
and optionally `group` (persons with the same group travel together or not at all) and
`direct_repatriation` (1/0, default 0): a Mixed Medical Commission found him eligible for
direct repatriation and he consented (GC III Art. 109-110) — he is planned whatever the ratio,
--max and --category-ratio (he still takes a seat, and must be fit to travel and not refuse
his destination or a transit state); he goes whatever his group does.
refused_destinations is a `;`-separated list of ISO two-letter codes; booleans are 1/0 or
true/false; priority is a whole number from 0 (default) to 1000000.

Nobody is planned whose destination, or a transit state (--transit), is among his refused
destinations, nor anyone not fit to travel; a group with such a member is left out whole.

Objective (lexicographic, solved exactly with OR-Tools CP-SAT, each level proven optimal):
  1. the most seriously wounded or sick persons not on the direct-repatriation track
     (GC III Art. 109-110),
  2. then the most persons exchanged,
  3. then the largest sum of priority.

Output: --out PLAN.csv with columns side,id (side is "ours" or "theirs") for the chosen
persons, and PLAN.excluded.csv beside it (or --excluded FILE) with columns
side,id,reason,detail for everyone not chosen. Reasons: refused_destination, transit_risk,
medically_unfit, group_member_excluded, not_chosen (the ratio, maximum or capacity left no
room for him). Bad input: an error naming file, row and field, exit code 2, no output written.
"""


def _ratio(value: str) -> tuple[int, int] | None:
    if value.strip().lower() in ("all", "all-for-all"):
        return None
    left, sep, right = value.partition(":")
    if sep and left.strip().isdigit() and right.strip().isdigit():
        a, b = int(left), int(right)
        if a > 0 and b > 0:
            return a, b
    raise argparse.ArgumentTypeError(
        _("“%(value)s” is not a ratio; write OURS:THEIRS such as 1:1 or 2:3, or all.")
        % {"value": value}
    )


def _category_ratio(value: str) -> tuple[str, tuple[int, int]]:
    category, sep, ratio = value.partition("=")
    parsed = _ratio(ratio) if sep and category.strip() else None
    if parsed is None:
        raise argparse.ArgumentTypeError(
            _("“%(value)s” is not a category ratio; write CATEGORY=OURS:THEIRS, e.g. officer=1:1.")
            % {"value": value}
        )
    return category.strip().lower(), parsed


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(
            _("“%(value)s” is not a whole number of at least 1.") % {"value": value}
        )
    return int(value)


def _known_country(code: str) -> bool:
    return bool(countries.name(code))


def _write_atomically(files: dict[Path, bytes]) -> None:
    """Write every file or none: temporary files first, renamed once all are written."""
    staged: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            handle, temp = tempfile.mkstemp(dir=path.parent or Path("."), prefix=".exchange-")
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            staged.append((temp, path))
        for temp, path in staged:
            os.replace(temp, path)
    except OSError as exc:
        for temp, _path in staged:
            Path(temp).unlink(missing_ok=True)
        raise CommandError(
            _("Cannot write %(file)s: %(error)s") % {"file": exc.filename, "error": exc.strerror},
            returncode=REFUSED,
        ) from None


class Command(BaseCommand):
    help = "Exchange planning: offline from lists, or on the registry's agreements."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="command", required=True)
        p = sub.add_parser(
            "plan",
            help="plan a batch from two lists (offline)",
            description=PLAN_HELP,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        p.add_argument("ours", type=Path, help="our candidates (CSV or XLSX)")
        p.add_argument("theirs", type=Path, help="the other side's candidates (CSV or XLSX)")
        p.add_argument(
            "--ratio",
            type=_ratio,
            default=(1, 1),
            help="OURS:THEIRS overall, e.g. 1:1 (default), 2:3, or all (all-for-all)",
        )
        p.add_argument(
            "--category-ratio",
            type=_category_ratio,
            action="append",
            default=[],
            metavar="CATEGORY=A:B",
            help="a ratio within one category (repeatable)",
        )
        p.add_argument("--max", type=_positive, default=None, help="at most N persons per side")
        p.add_argument(
            "--capacity",
            type=_positive,
            default=None,
            help="transport seats for both sides together",
        )
        p.add_argument(
            "--transit",
            default="",
            help="`;`-separated transit states of the handover route, e.g. BY",
        )
        p.add_argument("--time-limit", type=float, default=10.0, help="solver seconds (10)")
        p.add_argument("--out", type=Path, required=True, help="the plan: side,id")
        p.add_argument(
            "--excluded",
            type=Path,
            default=None,
            help="exclusions with reasons (default: beside --out, .excluded.csv)",
        )
        b = sub.add_parser("batch-plan", help="plan a draft batch of a registry agreement")
        b.add_argument("agreement", type=int)
        b.add_argument("--as", dest="actor", required=True, help="username of the planner")
        ls = sub.add_parser("batch-list", help="list the batches of an agreement")
        ls.add_argument("agreement", type=int)
        ls.add_argument("--as", dest="actor", required=True)  # fmt: skip

    def handle(self, *args, **options) -> None:
        command = options["command"]
        if command == "plan":
            return self._plan(options)
        try:
            if command == "batch-plan":
                return self._batch_plan(options)
            return self._batch_list(options)
        except PermissionDenied:
            raise CommandError(
                _("Your organisation or role may not do this."), returncode=REFUSED
            ) from None
        except DomainError as exc:
            raise CommandError(str(exc), returncode=REFUSED) from None

    def _plan(self, options) -> None:
        transit = [t.strip().upper() for t in options["transit"].split(";") if t.strip()]
        for code in transit:
            if not _known_country(code):
                raise CommandError(
                    _("--transit: “%(code)s” is not a two-letter ISO country code.")
                    % {"code": code},
                    returncode=REFUSED,
                )
        try:
            rows = read_list(options["ours"], name=options["ours"].name, side=OURS,
                             known_country=_known_country)  # fmt: skip
            rows += read_list(options["theirs"], name=options["theirs"].name, side=THEIRS,
                              known_country=_known_country)  # fmt: skip
        except ListError as exc:
            raise CommandError(str(exc), returncode=REFUSED) from None
        candidates, excluded = eligible(rows, transit=transit)
        rules = Rules(
            ratio=options["ratio"],
            category_ratios=dict(options["category_ratio"]),
            max_per_side=options["max"],
            capacity=options["capacity"],
        )
        try:
            result = plan(candidates, rules, time_limit=options["time_limit"])
        except PlanInfeasible as exc:
            raise CommandError(str(exc), returncode=REFUSED) from None
        chosen = {(c.side, c.id) for c in result.chosen}
        excluded += [
            Exclusion(c.side, c.id, "not_chosen",
                      _("The ratio, maximum or capacity left no room; others ranked higher."))
            for c in candidates
            if (c.side, c.id) not in chosen
        ]  # fmt: skip
        out: Path = options["out"]
        excluded_path = options["excluded"] or out.with_name(f"{out.stem}.excluded.csv")
        _write_atomically({
            out: csv_bytes(("side", "id"), [(c.side, c.id) for c in result.chosen]),
            excluded_path: csv_bytes(
                ("side", "id", "reason", "detail"),
                [(e.side, e.id, e.reason, e.detail) for e in excluded],
            ),
        })  # fmt: skip
        wounded, persons, priority = result.objective
        self.stdout.write(
            _("Planned %(ours)s ours and %(theirs)s theirs: %(wounded)s seriously wounded or "
              "sick, priority sum %(priority)s; %(excluded)s not chosen or excluded.")
            % {
                "ours": sum(1 for c in result.chosen if c.side == OURS),
                "theirs": sum(1 for c in result.chosen if c.side == THEIRS),
                "wounded": wounded, "priority": priority, "excluded": len(excluded),
            }
        )  # fmt: skip
        status = _("proven optimal") if result.optimal else _("not proven optimal")
        self.stdout.write(
            _("Solver: %(status)s, gap %(gap).4f, %(seconds).2f s. Wrote %(out)s and %(ex)s.")
            % {
                "status": status,
                "gap": result.gap,
                "seconds": result.seconds,
                "out": out,
                "ex": excluded_path,
            }  # fmt: skip
        )

    def _batch_plan(self, options) -> None:
        from safepassage.exchanges import selectors, services

        actor = _actor(options["actor"])
        agreement = selectors.agreement_get(actor=actor, pk=options["agreement"])
        batch = services.batch_plan(actor=actor, agreement=agreement)
        self.stdout.write(
            _("Batch %(number)s planned: %(entries)s entries, %(excluded)s exclusions.")
            % {
                "number": batch.number,
                "entries": batch.entries.count(),
                "excluded": batch.exclusions.count(),
            }  # fmt: skip
        )

    def _batch_list(self, options) -> None:
        from safepassage.exchanges import selectors

        actor = _actor(options["actor"])
        agreement = selectors.agreement_get(actor=actor, pk=options["agreement"])
        rows = [
            (str(b.number), b.get_state_display(), str(b.entry_count), str(b.exclusion_count))
            for b in selectors.batch_list(actor=actor, agreement=agreement)
        ]
        self.stdout.write(format_table(("batch", "state", "entries", "excluded"), rows))


def _actor(username: str):
    from safepassage.accounts.models import User

    user = User.objects.select_related("organisation").filter(username=username).first()
    if user is None or not user.is_active:
        raise CommandError(_("No active user “%(user)s”.") % {"user": username},
                           returncode=REFUSED)  # fmt: skip
    return user
