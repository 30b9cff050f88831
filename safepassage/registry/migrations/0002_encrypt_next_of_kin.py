"""Next of kin sealed with AES-256-GCM (safepassage.crypto); existing values encrypted in place."""

from django.db import migrations

import safepassage.crypto.fields
from safepassage.crypto.migration import encrypt_columns

forwards, backwards = encrypt_columns("registry_person", "next_of_kin")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="next_of_kin",
            field=safepassage.crypto.fields.EncryptedTextField(
                blank=True, verbose_name="next of kin"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
