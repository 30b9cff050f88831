"""The name index written anew: the Korean given-name keys changed (issue 23: Kontsevich's "нк"
for ng + k, an h after ng, "е" for ㅖ), so rows written before would no longer meet the keys a
search computes now.

Registries up to `BACKFILL_AT_MOST` persons are re-indexed here, as 0008 indexed them; a larger
one keeps its rows (most keys did not change) and the migration says to run
`safepassage names index`, which writes the index anew while the application runs.
"""

from importlib import import_module

from django.db import migrations

_first = import_module("safepassage.registry.migrations.0008_name_index")
BACKFILL_AT_MOST = _first.BACKFILL_AT_MOST


def _rebuild(apps, schema_editor) -> None:
    Person = apps.get_model("registry", "Person")
    NameKey = apps.get_model("registry", "NameKey")
    alias = schema_editor.connection.alias
    count = Person.objects.using(alias).count()
    if count > BACKFILL_AT_MOST:
        print(  # noqa: T201 - a migration's word to the operator
            f"\n  {count:,} persons: run `safepassage names index` to write the name index anew"
            " (the Korean given-name keys changed)."
        )
        return
    NameKey.objects.using(alias).all().delete()
    _first._backfill(apps, schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0008_name_index"),
    ]

    operations = [
        migrations.RunPython(_rebuild, migrations.RunPython.noop, elidable=True),
    ]
