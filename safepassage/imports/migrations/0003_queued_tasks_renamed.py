"""The imports app's background tasks moved to `imports.jobs`: queued and finished task results keep
working under the new path."""

from django.db import migrations

from safepassage.ops.task_paths import TASK_BACKEND_MIGRATION, task_paths_renamed

RENAMED = {
    "safepassage.imports.tasks.import_check": "safepassage.imports.jobs.import_check",
    "safepassage.imports.tasks.import_commit": "safepassage.imports.jobs.import_commit",
}


class Migration(migrations.Migration):
    dependencies = [("imports", "0002_upload_parts"), TASK_BACKEND_MIGRATION]

    operations = [task_paths_renamed(RENAMED)]
