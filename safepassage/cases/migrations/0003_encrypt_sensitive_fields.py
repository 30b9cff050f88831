"""Statements, interview circumstances, withdrawal reasons and assessment bases sealed with
AES-256-GCM (safepassage.crypto); existing values encrypted in place.

The guard triggers of 0002 read cases_willexpression.verified, withdrawn_at and wish only, which
stay plain. On SQLite altering the table rebuilds it, and renaming the rebuilt table fails while
a trigger on cases_transfer names cases_willexpression: the SQLite triggers are dropped for the
rebuild and created again after it, in the same transaction.
"""

import importlib

from django.db import migrations

import safepassage.crypto.fields
from safepassage.crypto.migration import encrypt_columns

will_forwards, will_backwards = encrypt_columns(
    "cases_willexpression", "statement", "present", "interpreter", "withdrawn_reason"
)
basis_forwards, basis_backwards = encrypt_columns("cases_riskassessment", "basis")

_GUARD = importlib.import_module("safepassage.cases.migrations.0002_guard_triggers")


def _sqlite(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            with schema_editor.connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)

    return run


triggers_drop = _sqlite(_GUARD.SQLITE_REVERSE)
triggers_create = _sqlite(_GUARD.SQLITE)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_guard_triggers"),
    ]

    operations = [
        migrations.RunPython(triggers_drop, triggers_create),
        migrations.AlterField(
            model_name="riskassessment",
            name="basis",
            field=safepassage.crypto.fields.EncryptedTextField(verbose_name="basis"),
        ),
        migrations.AlterField(
            model_name="willexpression",
            name="interpreter",
            field=safepassage.crypto.fields.EncryptedTextField(
                blank=True, max_length=200, multiline=False, verbose_name="interpreter"
            ),
        ),
        migrations.AlterField(
            model_name="willexpression",
            name="present",
            field=safepassage.crypto.fields.EncryptedTextField(
                blank=True, max_length=300, multiline=False, verbose_name="who else was present"
            ),
        ),
        migrations.AlterField(
            model_name="willexpression",
            name="statement",
            field=safepassage.crypto.fields.EncryptedTextField(
                blank=True, verbose_name="statement"
            ),
        ),
        migrations.AlterField(
            model_name="willexpression",
            name="withdrawn_reason",
            field=safepassage.crypto.fields.EncryptedTextField(blank=True),
        ),
        migrations.RunPython(will_forwards, will_backwards),
        migrations.RunPython(basis_forwards, basis_backwards),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
