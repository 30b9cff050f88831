"""`safepassage guard verify|refresh`: check the database against the non-refoulement rule.

verify   exit 0 when every clearance row carries the guard's seal, each person's rows are what
         the rule clears now and no scheduled transfer is one the rule refuses; 1 naming each
         problem otherwise (docs/guard.md#what-the-database-enforces).
refresh  rewrite every person's clearances from the rule, calling off what it no longer allows
         (after an upgrade, or after `verify` found a difference), as the named user.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safepassage.accounts.models import User
from safepassage.cases import services
from safepassage.cases.selectors import guard_problems
from safepassage.registry.models import Person

FOUND = 1


class Command(BaseCommand):
    help = _("Verify the guard's clearances against the rule, or rebuild them.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("verify", help=_("Check the clearances and live movements."))
        refresh = actions.add_parser("refresh", help=_("Rebuild every person's clearances."))
        refresh.add_argument("--as", dest="actor", required=True, metavar="USERNAME")

    def handle(self, *args, **options) -> None:
        if options["action"] == "verify":
            problems = guard_problems()
            if problems:
                raise CommandError("\n".join(problems), returncode=FOUND)
            self.stdout.write(_("The guard's clearances agree with the rule."))
            return
        actor = User.objects.filter(username=options["actor"], is_active=True).first()
        if actor is None:
            raise CommandError(_("No active user “%(user)s”.") % {"user": options["actor"]})
        count = 0
        for person in Person.objects.filter(case__isnull=False).order_by("pk").iterator():
            with transaction.atomic():
                services.guard_refresh(
                    person=person, actor=actor, reason=_("Clearances rebuilt from the rule.")
                )
            count += 1
        self.stdout.write(
            ngettext(
                "Clearances rebuilt for %(count)s person.",
                "Clearances rebuilt for %(count)s persons.",
                count,
            )
            % {"count": count}
        )
