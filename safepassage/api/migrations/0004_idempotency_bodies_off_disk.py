"""On PostgreSQL, rewrite the idempotency table so the dropped bodies leave its data files too
(a dropped column and deleted rows otherwise stay on disk until their pages are reused). SQLite
runs with `secure_delete`, which already overwrote them. Backups and WAL archives made before
keep them: docs/security.md#idempotency-records."""

from django.db import migrations


def rewrite_table(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("VACUUM FULL api_idempotencyrecord")


class Migration(migrations.Migration):
    atomic = False  # VACUUM cannot run inside a transaction
    dependencies = [("api", "0003_idempotency_keeps_no_body")]

    operations = [migrations.RunPython(rewrite_table, migrations.RunPython.noop)]
