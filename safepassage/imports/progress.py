"""An upload job's progress, written where the page can read it while the import still runs.

The check runs outside any transaction: the job row is updated directly. The import runs in one
long transaction, whose writes nobody sees before it commits; so its progress goes elsewhere:
on PostgreSQL through a second connection (a short-lived thread, Django's connections being
per thread), on SQLite — which lets no other connection write while the import holds its write
lock — to a small file beside the database holding only numbers (`var/imports/`).
"""

from __future__ import annotations

import json
import os
import threading
import time
from pathlib import Path

from django.conf import settings
from django.db import connection

from safepassage.imports.models import ImportJob

INTERVAL = 0.5  # seconds between two writes


def progress_file(job_id: int) -> Path:
    return Path(settings.VAR_DIR) / "imports" / f"progress-{int(job_id)}.json"


def progress_read(job: ImportJob) -> tuple[int, int, int]:
    """(rows, bytes done, bytes in all) of a running job: the file's when it is fresher."""
    rows, done, total = job.rows_done, job.bytes_done, job.bytes_total
    try:
        data = json.loads(progress_file(job.pk).read_text(encoding="utf-8"))
        if data.get("status") == job.status:
            rows, done, total = int(data["rows"]), int(data["done"]), int(data["total"])
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return rows, done, total


def progress_clear(job_id: int) -> None:
    progress_file(job_id).unlink(missing_ok=True)


def _update_row(job_id: int, values: dict) -> None:
    ImportJob.objects.filter(pk=job_id).update(**values)


def _update_row_elsewhere(job_id: int, values: dict) -> None:
    def run() -> None:
        try:
            _update_row(job_id, values)
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=run, name=f"import-progress-{job_id}")
    thread.start()
    thread.join(timeout=5)


def _write_file(job_id: int, status: str, values: dict) -> None:
    path = progress_file(job_id)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    data = {
        "status": status,
        "rows": values["rows_done"],
        "done": values["bytes_done"],
        "total": values["bytes_total"],
    }
    temporary.write_text(json.dumps(data), encoding="utf-8")
    os.replace(temporary, path)


class JobProgress:
    """The `progress` callback of `persons_import` for an upload job."""

    def __init__(self, job: ImportJob, *, in_transaction: bool):
        self.job_id, self.status = job.pk, job.status
        self.in_transaction = in_transaction
        self.last = 0.0

    def __call__(self, rows: int, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.last < INTERVAL and done < total:
            return
        self.last = now
        values = {"rows_done": rows, "bytes_done": done, "bytes_total": total}
        if not self.in_transaction:
            _update_row(self.job_id, values)
        elif connection.vendor == "postgresql":
            _update_row_elsewhere(self.job_id, values)
        else:
            _write_file(self.job_id, self.status, values)
