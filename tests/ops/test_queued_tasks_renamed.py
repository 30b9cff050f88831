"""Tasks queued before their modules moved (`imports.tasks` → `imports.jobs`, and the same for
exports and tracing) still run: the migrations rewrite their stored paths."""

import importlib

import pytest
from django.apps import apps
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

MIGRATIONS = [
    "safepassage.imports.migrations.0003_queued_tasks_renamed",
    "safepassage.exports.migrations.0002_queued_tasks_renamed",
    "safepassage.tracing.migrations.0004_queued_tasks_renamed",
]

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", MIGRATIONS)
def test_a_task_queued_under_its_old_path_is_rewritten_to_a_task_that_exists(name):
    migration = importlib.import_module(name)
    queued = [
        DBTaskResult.objects.create(task_path=old, args_kwargs={"args": [], "kwargs": {}})
        for old in migration.RENAMED
    ]
    operation = migration.Migration.operations[0]
    operation.code(apps, None)
    for result, new in zip(queued, migration.RENAMED.values(), strict=True):
        result.refresh_from_db()
        assert result.task_path == new
        assert hasattr(import_string(new), "enqueue")  # a django.tasks Task


@pytest.mark.parametrize("name", MIGRATIONS)
def test_going_back_restores_the_old_paths(name):
    migration = importlib.import_module(name)
    new = next(iter(migration.RENAMED.values()))
    result = DBTaskResult.objects.create(task_path=new, args_kwargs={"args": [], "kwargs": {}})
    migration.Migration.operations[0].reverse_code(apps, None)
    result.refresh_from_db()
    assert result.task_path == next(iter(migration.RENAMED))
