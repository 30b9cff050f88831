"""The imports app's background tasks moved to `imports.jobs`: queued and finished task results keep
working under the new path."""

from django.db import migrations

RENAMED = {
    "safepassage.imports.tasks.import_check": "safepassage.imports.jobs.import_check",
    "safepassage.imports.tasks.import_commit": "safepassage.imports.jobs.import_commit",
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
        ("imports", "0002_upload_parts"),
        ("django_tasks_database", "0021_conditional_partial_index_ordering"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
