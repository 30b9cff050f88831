"""Background jobs in the database (django-tasks-db): the worker, recovery, retries, status.

See docs/adr/0002-background-jobs-in-the-database.md. A job is a `DBTaskResult` row; the
worker claims it (`SELECT … FOR UPDATE SKIP LOCKED`), runs the task, and records the outcome.
"""

import datetime
import logging
import os
import socket
from dataclasses import dataclass

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from safepassage.lib.errors import DomainError

logger = logging.getLogger("safepassage.ops")

# Failures worth another attempt: the database went away or refused a serialisation, not the
# task's own rules (a DomainError says what to fix; retrying will not fix it).
TRANSIENT_ERRORS = frozenset(
    {
        "django.db.utils.OperationalError",
        "django.db.utils.InterfaceError",
        "psycopg.OperationalError",
        "psycopg.errors.SerializationFailure",
        "psycopg.errors.DeadlockDetected",
    }
)


def worker_id_new() -> str:
    """`host:pid`: unique across a pool, and says which process to look for if it vanished."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}"


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True


def _dead_here(worker_id: str) -> bool:
    """True when `worker_id` names a process of this host that no longer exists."""
    host, _sep, pid = worker_id.rpartition(":")
    if host != socket.gethostname()[:40] or not pid.isdigit():
        return False
    return not _process_alive(int(pid))


def _make_ready(job: DBTaskResult, *, run_after: datetime.datetime | None = None) -> None:
    job.status = TaskResultStatus.READY
    job.started_at = None
    job.finished_at = None
    job.exception_class_path = ""
    job.traceback = ""
    if run_after is not None:
        job.run_after = run_after
    job.save(
        update_fields=[
            "status", "started_at", "finished_at", "exception_class_path", "traceback",
            "run_after",
        ]
    )  # fmt: skip


def jobs_orphaned_requeue() -> list[str]:
    """Make ready again the jobs left running by a worker of this host that died (SIGKILL, OOM).

    Its transaction was rolled back by the database when the process died, so running the job
    again starts from a clean state. Returns the ids requeued.
    """
    requeued = []
    with transaction.atomic():
        for job in DBTaskResult.objects.select_for_update().filter(status=TaskResultStatus.RUNNING):
            if job.worker_ids and _dead_here(job.worker_ids[-1]):
                _make_ready(job)
                requeued.append(str(job.id))
                logger.warning(
                    "Job %s (%s) was left running by worker %s, which has died: queued again.",
                    job.id, job.task_path, job.worker_ids[-1],
                )  # fmt: skip
    return requeued


def job_retry(*, job_id: str, force: bool = False) -> DBTaskResult:
    """Queue a failed job again (or a running one whose worker is gone, or any with `force`)."""
    with transaction.atomic():
        try:
            job = DBTaskResult.objects.select_for_update().get(pk=job_id)
        except (DBTaskResult.DoesNotExist, ValueError, DjangoValidationError):
            raise DomainError(f"No job {job_id}; `safepassage jobs` lists them.") from None
        status = job.status
        orphaned = status == TaskResultStatus.RUNNING and job.worker_ids
        orphaned = orphaned and _dead_here(job.worker_ids[-1])
        if status == TaskResultStatus.SUCCESSFUL and not force:
            raise DomainError(f"Job {job_id} succeeded; give --force to run it again.")
        if status == TaskResultStatus.RUNNING and not (orphaned or force):
            raise DomainError(
                f"Job {job_id} is running on worker {job.worker_ids[-1]}. Stop that worker "
                "first, or give --force if it is on another machine that is down."
            )
        _make_ready(job, run_after=timezone.now())
    return job


def retry_if_transient(job: DBTaskResult, *, max_attempts: int) -> bool:
    """After a failure: queue the job again with back-off when the error was transient."""
    if job.status != TaskResultStatus.FAILED or job.exception_class_path not in TRANSIENT_ERRORS:
        return False
    attempts = len(job.worker_ids)
    if attempts >= max_attempts:
        logger.error(
            "Job %s failed %d times; giving up (safepassage jobs retry).", job.id, attempts
        )
        return False
    delay = datetime.timedelta(seconds=min(300, 2**attempts))
    _make_ready(job, run_after=timezone.now() + delay)
    logger.warning("Job %s failed on %s; attempt %d in %s.", job.id,
                   job.exception_class_path, attempts + 1, delay)  # fmt: skip
    return True


class SafepassageWorker(Worker):
    """django-tasks-db's worker loop, retrying jobs that failed on a transient error."""

    def __init__(self, *, max_attempts: int, **kwargs):
        super().__init__(**kwargs)
        self.max_attempts = max_attempts

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        retry_if_transient(db_task_result, max_attempts=self.max_attempts)


@dataclass(frozen=True)
class JobRow:
    id: str
    task: str
    queue: str
    status: str
    attempts: int
    enqueued_at: datetime.datetime
    started_at: datetime.datetime | None
    finished_at: datetime.datetime | None
    error: str  # the exception's class, never its message (it may quote data)


def job_list(*, status: str | None = None, limit: int = 50) -> list[JobRow]:
    jobs = DBTaskResult.objects.order_by("-enqueued_at")
    if status:
        jobs = jobs.filter(status=status.upper())
    return [
        JobRow(
            id=str(job.id),
            task=job.task_path,
            queue=job.queue_name,
            status=job.status,
            attempts=len(job.worker_ids),
            enqueued_at=job.enqueued_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            error=job.exception_class_path,
        )  # fmt: skip
        for job in jobs[:limit]
    ]
