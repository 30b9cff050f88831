"""The transfer and block triggers of 0002 read cases_guardblock, which the guard's positive
clearance replaces (ADR 0003); 0006 writes the new ones."""

from django.db import migrations

from safepassage.cases.migrations import _guard_sql

DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS cases_transfer_guard_insert",
        "DROP TRIGGER IF EXISTS cases_transfer_guard_update",
        "DROP TRIGGER IF EXISTS cases_guardblock_guard_insert",
        "DROP TRIGGER IF EXISTS cases_guardblock_guard_update",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS cases_transfer_guard ON cases_transfer",
        "DROP FUNCTION IF EXISTS cases_transfer_guard()",
        "DROP TRIGGER IF EXISTS cases_guardblock_guard ON cases_guardblock",
        "DROP FUNCTION IF EXISTS cases_guardblock_guard()",
    ],
}


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0003_encrypt_sensitive_fields"),
        ("exchanges", "0004_drop_block_triggers"),
    ]

    operations = [migrations.RunPython(_guard_sql.run(DROP), migrations.RunPython.noop)]
