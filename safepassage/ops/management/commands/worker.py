"""`safepassage worker`: run background jobs from the database until stopped (SIGTERM, Ctrl+C).

Needs TASKS_BACKEND=database (the production default). On start it queues again the jobs a
dead worker of this host left running; a job that fails on a transient database error is
retried with back-off; other failures are reported by `safepassage jobs`.
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils.translation import gettext as _
from django_tasks_db import DatabaseBackend

from safepassage.ops.jobs import SafepassageWorker, jobs_orphaned_requeue, worker_id_new


class Command(BaseCommand):
    help = _("Run background jobs (imports, exports, linking) from the database.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queue", default="*", help=_("Comma-separated queues to run; * for all (default).")
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help=_("Seconds between polls when idle.")
        )
        parser.add_argument(
            "--batch", action="store_true", help=_("Run the jobs that are ready, then exit.")
        )
        parser.add_argument("--max-tasks", type=int, default=None, help=_("Exit after N jobs."))
        parser.add_argument(
            "--max-attempts",
            type=int,
            default=3,
            help=_("Attempts for a job failing on a transient database error (default 3)."),
        )

    def handle(self, *args, **options) -> None:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        if not isinstance(backend, DatabaseBackend):
            raise CommandError(
                _(
                    "Jobs run in-process with TASKS_BACKEND=immediate: there is nothing for a "
                    "worker to do. Set TASKS_BACKEND=database (docs/deploy.md#background-jobs)."
                )
            )
        if options["interval"] < 0 or options["max_attempts"] < 1:
            raise CommandError(_("--interval must be 0 or more and --max-attempts at least 1."))
        if options["max_tasks"] is not None and options["max_tasks"] < 1:
            raise CommandError(_("--max-tasks must be at least 1."))
        for job_id in jobs_orphaned_requeue():
            self.stderr.write(_("Queued again job %(id)s, left by a dead worker.") % {"id": job_id})
        worker_id = worker_id_new()
        self.stdout.write(_("Worker %(id)s running queues %(queues)s.") % {
            "id": worker_id, "queues": options["queue"]})  # fmt: skip
        worker = SafepassageWorker(
            queue_names=options["queue"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name=DEFAULT_TASK_BACKEND_ALIAS,
            startup_delay=not options["batch"],
            max_tasks=options["max_tasks"],
            worker_id=worker_id,
            excluded_queue_names=[],
            max_attempts=options["max_attempts"],
        )
        worker.configure_signals()
        worker.run()
