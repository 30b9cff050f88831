"""Background jobs through django.tasks: run by the worker, failures reported or retried."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from safepassage.accounts.models import Organisation
from safepassage.audit.integrity import audit_chain_verify
from safepassage.ops.jobs import job_retry
from tests.ops import tasks

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


@pytest.fixture
def database_jobs(settings, committed):
    settings.TASKS = DATABASE_TASKS


def _work() -> None:
    call_command("worker", "--batch", "--interval", "0", stdout=None)


def test_by_default_a_job_runs_at_once_in_process(db):
    result = tasks.organisations_create.enqueue(names=["Immediate NGO"])
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 1
    assert Organisation.objects.filter(name="Immediate NGO").exists()


def test_the_worker_runs_a_queued_job(database_jobs):
    result = tasks.organisations_create.enqueue(names=["Queued NGO A", "Queued NGO B"])
    assert result.status == TaskResultStatus.READY
    assert not Organisation.objects.filter(name__startswith="Queued NGO").exists()
    _work()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 2
    assert Organisation.objects.filter(name__startswith="Queued NGO").count() == 2
    assert audit_chain_verify().intact


def test_a_refused_job_is_reported_not_retried(database_jobs, capsys):
    result = tasks.refuses.enqueue()
    _work()
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.FAILED
    assert job.exception_class_path == "safepassage.lib.errors.DomainError"
    call_command("jobs", "list", "--status", "failed")
    listing = capsys.readouterr().out
    assert "safepassage.lib.errors.DomainError" in listing
    assert "A rule refused" not in listing  # the message may quote data: not shown


def test_a_job_failing_on_a_lost_database_connection_is_retried_later(database_jobs):
    result = tasks.loses_the_database.enqueue()
    _work()
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.READY  # queued again, after a back-off
    assert job.run_after > job.enqueued_at
    assert len(job.worker_ids) == 1


def test_a_transient_failure_is_given_up_after_the_last_attempt(database_jobs):
    result = tasks.loses_the_database.enqueue()
    for _attempt in range(3):
        DBTaskResult.objects.filter(pk=result.id).update(run_after=result.enqueued_at)
        _work()
    job = DBTaskResult.objects.get(pk=result.id)
    assert job.status == TaskResultStatus.FAILED
    assert len(job.worker_ids) == 3


def test_a_failed_job_can_be_queued_again_by_hand(database_jobs):
    result = tasks.refuses.enqueue()
    _work()
    call_command("jobs", "retry", str(result.id))
    assert DBTaskResult.objects.get(pk=result.id).status == TaskResultStatus.READY


def test_it_refuses_to_retry_a_job_that_succeeded_or_is_running_elsewhere(database_jobs):
    done = tasks.organisations_create.enqueue(names=["Done NGO"])
    _work()
    with pytest.raises(CommandError, match="succeeded"):
        call_command("jobs", "retry", str(done.id))
    running = tasks.refuses.enqueue()
    DBTaskResult.objects.filter(pk=running.id).update(
        status=TaskResultStatus.RUNNING, worker_ids=["another-host:4242"]
    )
    with pytest.raises(CommandError, match="is running on worker another-host:4242"):
        call_command("jobs", "retry", str(running.id))
    assert job_retry(job_id=str(running.id), force=True).status == TaskResultStatus.READY


def test_it_names_an_unknown_job(database_jobs):
    with pytest.raises(CommandError, match="No job not-a-job"):
        call_command("jobs", "retry", "not-a-job")


def test_the_worker_refuses_to_start_when_jobs_run_in_process(db):
    with pytest.raises(CommandError, match="TASKS_BACKEND=database"):
        call_command("worker", "--batch")
