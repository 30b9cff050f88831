"""The tracing app's background tasks moved to `tracing.jobs`: queued and finished task results keep
working under the new path."""

from django.db import migrations

RENAMED = {
    "safepassage.tracing.tasks.duplicate_refresh_run": "safepassage.tracing.jobs.duplicate_refresh_job",
}


def forwards(apps, schema_editor):
    results = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in RENAMED.items():
        results.objects.filter(task_path=old).update(task_path=new)


def backwards(apps, schema_editor):
    results = apps.get_model("django_tasks_database", "DBTaskResult")
    for old, new in RENAMED.items():
        results.objects.filter(task_path=new).update(task_path=old)


class Migration(migrations.Migration):
    dependencies = [
        ("tracing", "0003_tracing_transition"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
