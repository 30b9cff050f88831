"""`safepassage jobs [list|retry ID|prune]`: the background jobs and what became of them.

Shows each job's task, queue, status, attempts and times, and for a failure the exception's
class, never its message or traceback (they may quote data; they stay in the database).
"""

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from safepassage.lib.console import format_table
from safepassage.lib.errors import DomainError
from safepassage.ops.jobs import job_list, job_retry


def _time(value) -> str:
    return f"{value:%Y-%m-%d %H:%M:%S}" if value else "-"


class Command(BaseCommand):
    help = _("List background jobs, queue a failed one again, prune finished ones.")

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action")
        listing = actions.add_parser("list", help=_("The latest jobs (default)."))
        listing.add_argument("--status", choices=["ready", "running", "successful", "failed"])
        listing.add_argument("--limit", type=int, default=50)
        retry = actions.add_parser("retry", help=_("Queue a failed job again."))
        retry.add_argument("job_id")
        retry.add_argument("--force", action="store_true", help=_("Even a running or done job."))
        prune = actions.add_parser("prune", help=_("Delete finished jobs older than N days."))
        prune.add_argument("--days", type=int, default=30)

    def handle(self, *args, **options) -> None:
        action = options.get("action") or "list"
        if action == "retry":
            try:
                job = job_retry(job_id=options["job_id"], force=options["force"])
            except DomainError as error:
                raise CommandError(str(error)) from error
            self.stdout.write(_("Job %(id)s queued again.") % {"id": job.id})
            return
        if action == "prune":
            call_command(
                "prune_db_task_results", "--queue-name", "*", "--min-age-days",
                str(options["days"]), stdout=self.stdout,
            )  # fmt: skip
            return
        rows = job_list(status=options.get("status"), limit=options.get("limit") or 50)
        if not rows:
            self.stdout.write(_("No jobs."))
            return
        self.stdout.write(
            format_table(
                ("id", "task", "queue", "status", "attempts", "enqueued", "finished", "error"),
                [
                    (
                        row.id,
                        row.task,
                        row.queue,
                        row.status.lower(),
                        str(row.attempts),
                        _time(row.enqueued_at),
                        _time(row.finished_at),
                        row.error or "-",
                    )
                    for row in rows
                ],  # fmt: skip
            )
        )
