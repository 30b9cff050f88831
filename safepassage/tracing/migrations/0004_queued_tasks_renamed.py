"""The tracing app's background tasks moved to `tracing.jobs`: queued and finished task results keep
working under the new path."""

from django.db import migrations

from safepassage.ops.task_paths import TASK_BACKEND_MIGRATION, task_paths_renamed

RENAMED = {
    "safepassage.tracing.tasks.duplicate_refresh_run": "safepassage.tracing.jobs.duplicate_refresh_job",
}


class Migration(migrations.Migration):
    dependencies = [("tracing", "0003_tracing_transition"), TASK_BACKEND_MIGRATION]

    operations = [task_paths_renamed(RENAMED)]
