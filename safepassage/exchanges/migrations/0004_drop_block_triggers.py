"""The entry triggers of 0002 read cases_guardblock, which the guard's positive clearance
replaces (ADR 0003); 0005 writes the new ones."""

from django.db import migrations

from safepassage.cases.migrations import _guard_sql

DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS exchanges_entry_guard_insert",
        "DROP TRIGGER IF EXISTS exchanges_entry_guard_update",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS exchanges_entry_guard ON exchanges_entry",
        "DROP FUNCTION IF EXISTS exchanges_entry_guard()",
    ],
}


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0003_exclusion_not_his_wish")]

    operations = [migrations.RunPython(_guard_sql.run(DROP), migrations.RunPython.noop)]
