"""`safepassage transfer schedule|execute|list`: transfers from the console, through the services.

The user named by `--as` is the actor: the access policy, the workflow and the non-refoulement
guard decide exactly as they do in the web interface. A refusal exits with code 2.
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils.translation import gettext as _

from safepassage.access.persons import person_for
from safepassage.access.visibility import persons_visible_to
from safepassage.accounts.models import User
from safepassage.accounts.services import country_code
from safepassage.cases import services
from safepassage.cases.guard import NonRefoulementViolation
from safepassage.cases.models import Transfer
from safepassage.lib.console import format_table
from safepassage.lib.errors import DomainError
from safepassage.registry.models import Person

REFUSED = 2  # exit code when the domain (policy, workflow, guard) refuses the operation


def refusal(exc: Exception) -> CommandError:
    """The domain's refusal as a console error: the guard's reasons one per line."""
    if isinstance(exc, NonRefoulementViolation):
        lines = [_("Non-refoulement guard: this route is forbidden.")]
        lines += [f"  - {line}" for line in exc.lines]
        return CommandError("\n".join(lines), returncode=REFUSED)
    if isinstance(exc, PermissionDenied):
        return CommandError(
            _("Your organisation or role may not do this for this person."), returncode=REFUSED
        )
    return CommandError(str(exc), returncode=REFUSED)


def _actor(username: str) -> User:
    user = User.objects.select_related("organisation").filter(username=username).first()
    if user is None or not user.is_active:
        raise CommandError(_("No active user “%(user)s”.") % {"user": username})
    return user


def _person(actor: User, registry_number: str) -> Person:
    """The person of that number — or, for a record merged into another, the survivor, as the
    web and the API resolve it (a merged-away record never moves)."""
    try:
        return person_for(actor, registry_number.strip())
    except Http404:
        raise CommandError(
            _("no person %(number)s visible to %(user)s")
            % {"number": registry_number, "user": actor.username}
        ) from None


def _transfer(actor: User, transfer_id: int) -> Transfer:
    transfer = (
        Transfer.objects.select_related("person")
        .filter(pk=transfer_id, person__in=persons_visible_to(actor))
        .first()
    )
    if transfer is None:
        raise CommandError(
            _("no transfer %(id)s visible to %(user)s")
            % {"id": transfer_id, "user": actor.username}
        )
    return transfer


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("“%(value)s” is not a date: write it as YYYY-MM-DD.") % {"value": value}
        ) from exc


def describe(transfer: Transfer) -> str:
    return " → ".join([transfer.person.detaining_organisation.country.code, *transfer.route])


class Command(BaseCommand):
    help = _("Schedule, execute and list transfers, as a named user.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        schedule = actions.add_parser("schedule", help=_("Schedule the decided transfer."))
        schedule.add_argument("registry_number")
        schedule.add_argument("--destination", required=True, help=_("ISO 3166 code, e.g. KR."))
        schedule.add_argument(
            "--transit", action="append", default=[], help=_("Transit state, in order; repeat.")
        )
        schedule.add_argument("--date", required=True, help=_("YYYY-MM-DD"))
        execute = actions.add_parser("execute", help=_("Record that a transfer happened."))
        execute.add_argument("transfer_id", type=int)
        execute.add_argument("--date", required=True, help=_("Day of the handover, YYYY-MM-DD."))
        execute.add_argument("--transport", required=True, help=_("How he was taken."))
        execute.add_argument(
            "--early-reason", default="", help=_("Why before the scheduled date, if it was.")
        )
        execute.add_argument(
            "--confirm",
            action="store_true",
            help=_("Confirm: an executed transfer cannot be undone."),
        )
        listing = actions.add_parser("list", help=_("List a person's transfers."))
        listing.add_argument("registry_number")
        for sub in (schedule, execute, listing):
            sub.add_argument("--as", dest="actor", required=True, metavar="USERNAME")

    def handle(self, *args, **options) -> None:
        actor = _actor(options["actor"])
        handler = {
            "schedule": self._schedule,
            "execute": self._execute,
            "list": self._list,
        }[options["action"]]
        handler(actor, options)

    def _schedule(self, actor: User, options: dict) -> None:
        person = _person(actor, options["registry_number"])
        try:
            destination = country_code(options["destination"])
            transit = [country_code(code) for code in options["transit"]]
        except DomainError as exc:
            raise CommandError(str(exc)) from exc
        scheduled_for = _date(options["date"])
        try:
            transfer = services.transfer_schedule(
                actor=actor,
                person=person,
                destination=destination,
                transit=transit,
                scheduled_for=scheduled_for,
            )
        except (DomainError, PermissionDenied) as exc:
            raise refusal(exc) from exc
        self.stdout.write(
            _("Transfer #%(id)s scheduled for %(date)s: %(route)s.")
            % {"id": transfer.pk, "date": transfer.scheduled_for, "route": describe(transfer)}
        )

    def _execute(self, actor: User, options: dict) -> None:
        transfer = _transfer(actor, options["transfer_id"])
        try:
            transfer = services.transfer_execute(
                actor=actor,
                transfer=transfer,
                handed_over_on=_date(options["date"]),
                transport=options["transport"],
                early_reason=options["early_reason"],
                confirmed=options["confirm"],
            )
        except (DomainError, PermissionDenied) as exc:
            raise refusal(exc) from exc
        self.stdout.write(
            _("Transfer #%(id)s executed: %(route)s.")
            % {"id": transfer.pk, "route": describe(transfer)}
        )

    def _list(self, actor: User, options: dict) -> None:
        person = _person(actor, options["registry_number"])
        transfers = list(person.transfers.select_related("person__detaining_organisation"))
        if not transfers:
            self.stdout.write(_("No transfers for %(number)s.") % {"number": person})
            return
        header = (_("ID"), _("Kind"), _("Route"), _("Date"), _("Status"))
        rows = [(str(t.pk), t.kind, describe(t), str(t.scheduled_for), t.status) for t in transfers]
        self.stdout.write(format_table(header, rows))
