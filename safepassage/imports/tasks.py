"""The upload's background jobs (`django.tasks`; docs/adr/0002). Arguments are ids only: the
file waits sealed in the database (`imports.uploads`), never in the task table."""

from django.tasks import task

from safepassage.imports.services import import_job_check, import_job_commit


@task()
def import_check(*, job_id: int) -> str:
    return import_job_check(job_id=job_id)


@task()
def import_commit(*, job_id: int) -> str:
    return import_job_commit(job_id=job_id)
