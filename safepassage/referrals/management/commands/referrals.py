"""`safepassage referrals remind [--enqueue]`: remind the receiving states of the referrals
whose answer is overdue and notify them and the referring verifier (docs/referrals.md). Run it
daily from cron (docs/deploy.md); `--enqueue` leaves it to the worker instead."""

from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from safepassage.referrals.jobs import referral_reminders_job


class Command(BaseCommand):
    help = _("Referrals to receiving states: send the reminders of overdue answers.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        remind = actions.add_parser("remind", help=_("Remind and notify of overdue answers."))
        remind.add_argument(
            "--enqueue", action="store_true", help=_("Queue the job for the worker instead.")
        )

    def handle(self, *args, **options) -> None:
        if options["enqueue"]:
            result = referral_reminders_job.enqueue()
            self.stdout.write(_("Queued job %(id)s.") % {"id": result.id})
            return
        count = referral_reminders_job.call()
        self.stdout.write(
            ngettext("%(count)s referral reminded.", "%(count)s referrals reminded.", count)
            % {"count": count}
        )
