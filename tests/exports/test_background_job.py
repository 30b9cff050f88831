"""The notification list as a real queued job: the worker (django-tasks-db) produces it; the job
row holds the export's id and nothing else (docs/adr/0002)."""

import json

from django.core.management import call_command
from django.tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from safepassage.exports.jobs import notifications_request
from safepassage.exports.models import Export, ExportStatus
from safepassage.exports.services import NotificationRequest
from tests.ops.conftest import committed, triggers_back_after_flush  # noqa: F401 - fixtures
from tests.web.conftest import NEXT_OF_KIN_MARKER

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": []}}


def test_the_worker_produces_a_queued_list(settings, committed, people, kim):  # noqa: F811
    settings.TASKS = DATABASE_TASKS
    export = notifications_request(actor=people.registrar, request=NotificationRequest())
    job = DBTaskResult.objects.get()
    assert job.task_path == "safepassage.exports.jobs.export_run"
    stored = json.dumps(job.args_kwargs)
    assert str(export.pk) in stored
    assert not any(s in stored for s in ("김", "Kim", NEXT_OF_KIN_MARKER, kim.registry_number))
    assert Export.objects.get().status == ExportStatus.PENDING
    call_command("worker", "--batch", "--interval", "0", stdout=None)
    job.refresh_from_db()
    assert job.status == TaskResultStatus.SUCCESSFUL
    export.refresh_from_db()
    assert export.status == ExportStatus.READY and export.persons == 1 and export.content
