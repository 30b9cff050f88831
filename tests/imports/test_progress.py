"""An import's progress is readable while its transaction is still open: through a second
connection on PostgreSQL, through a numbers-only file on SQLite."""

import threading

import pytest
from django.db import connection, transaction

from safepassage.imports.models import ImportJob, JobStatus
from safepassage.imports.progress import JobProgress, progress_clear, progress_file, progress_read


def _job(people) -> ImportJob:
    return ImportJob.objects.create(
        organisation=people.registrar.organisation,
        created_by=people.registrar,
        source="default",
        file_name="list.csv",
        status=JobStatus.COMMITTING,
    )


def _read_from_another_connection(pk: int) -> tuple[int, int, int]:
    seen = {}

    def read() -> None:
        try:
            job = ImportJob.objects.get(pk=pk)
            seen["values"] = progress_read(job)
        finally:
            connection.close()

    thread = threading.Thread(target=read)
    thread.start()
    thread.join()
    return seen["values"]


def test_outside_a_transaction_the_job_row_itself_is_updated(people):
    job = _job(people)
    JobProgress(job, in_transaction=False)(2000, 500, 1000)
    job.refresh_from_db()
    assert (job.rows_done, job.bytes_done, job.bytes_total) == (2000, 500, 1000)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's path")
def test_on_sqlite_the_import_writes_its_progress_to_a_file_of_numbers(people):
    job = _job(people)
    with transaction.atomic():
        JobProgress(job, in_transaction=True)(4000, 300, 1200)
    assert progress_read(job) == (4000, 300, 1200)
    assert set(progress_file(job.pk).read_text()) <= set(
        '{}":, 0123456789abcdefghijklmnopqrstuvwxyz'
    )
    progress_clear(job.pk)
    assert progress_read(job) == (0, 0, 0)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's path")
def test_on_postgresql_another_connection_sees_the_progress_before_the_commit(committed, people):
    job = _job(people)
    with transaction.atomic():
        _job(people)  # the import's own writes, invisible to others until the commit
        JobProgress(job, in_transaction=True)(6000, 700, 1400)
        assert _read_from_another_connection(job.pk) == (6000, 700, 1400)
