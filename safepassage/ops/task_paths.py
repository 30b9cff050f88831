"""Stored task paths follow a task that moved: a migration step for the database task backend
(django-tasks-db keeps each queued or finished task by its dotted path)."""

from django.db import migrations


def task_paths_renamed(renamed: dict[str, str]) -> migrations.RunPython:
    """A reversible migration step that rewrites `old → new` task paths of stored task results."""

    def rewrite(apps, pairs) -> None:
        results = apps.get_model("django_tasks_database", "DBTaskResult")
        for old, new in pairs:
            results.objects.filter(task_path=old).update(task_path=new)

    def forwards(apps, schema_editor) -> None:
        rewrite(apps, renamed.items())

    def backwards(apps, schema_editor) -> None:
        rewrite(apps, [(new, old) for old, new in renamed.items()])

    return migrations.RunPython(forwards, backwards)


# The migration that depends on the task backend's tables being there.
TASK_BACKEND_MIGRATION = ("django_tasks_database", "0021_conditional_partial_index_ordering")
