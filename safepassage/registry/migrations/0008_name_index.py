"""The registry's name index (`NameKey`), filled for the persons already registered.

Registries up to `BACKFILL_AT_MOST` persons are indexed here, in the migration's transaction;
a larger one is indexed by `safepassage names index` (a progress bar, a transaction per batch),
which the migration says. The rows are the pure `safepassage.names.index` rows, through the
registry's own `name_key_rows` (it reads attributes only, so historical models serve).
"""

import django.db.models.deletion
from django.db import migrations, models

BACKFILL_AT_MOST = 100_000


def _backfill(apps, schema_editor) -> None:
    from safepassage.registry.services import name_key_rows

    Person = apps.get_model("registry", "Person")
    NameKey = apps.get_model("registry", "NameKey")
    alias = schema_editor.connection.alias
    count = Person.objects.using(alias).count()
    if count > BACKFILL_AT_MOST:
        print(  # noqa: T201 - a migration's word to the operator
            f"\n  {count:,} persons: run `safepassage names index` to fill the name index."
        )
        return
    persons = Person.objects.using(alias).prefetch_related("names").order_by("pk")
    rows = []
    for person in persons.iterator(chunk_size=2000):
        rows += [
            NameKey(person_id=p, name_id=n, kind=kind, system=system, key=key)
            for p, n, kind, system, key in name_key_rows(person, person.names.all())
        ]
        if len(rows) >= 20_000:
            NameKey.objects.using(alias).bulk_create(rows)
            rows = []
    NameKey.objects.using(alias).bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0007_art110_category_is_a_finding"),
    ]

    operations = [
        migrations.CreateModel(
            name="NameKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("kind", models.CharField(max_length=32)),
                ("system", models.CharField(blank=True, max_length=32)),
                ("key", models.CharField(max_length=255)),
                (
                    "name",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="keys",
                        to="registry.personname",
                    ),
                ),
                (
                    "person",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="name_keys",
                        to="registry.person",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["kind", "key"], name="registry_namekey_lookup")],
            },
        ),
        migrations.RunPython(_backfill, migrations.RunPython.noop, elidable=True),
    ]
