"""The exports app's background tasks moved to `exports.jobs`: queued and finished task results keep
working under the new path."""

from django.db import migrations

from safepassage.ops.task_paths import TASK_BACKEND_MIGRATION, task_paths_renamed

RENAMED = {
    "safepassage.exports.tasks.export_run": "safepassage.exports.jobs.export_run",
}


class Migration(migrations.Migration):
    dependencies = [("exports", "0001_initial"), TASK_BACKEND_MIGRATION]

    operations = [task_paths_renamed(RENAMED)]
