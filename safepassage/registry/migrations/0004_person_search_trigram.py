"""A trigram index for the person search, on PostgreSQL only.

The search asks for every folded word of the query anywhere in `search_text`
(`search_text LIKE '%word%'`, registry.selectors.person_list). Without an index that reads every
row: a second or more on a million persons. pg_trgm's GIN index answers such patterns for any
word of three letters or more, in any script (trigrams of Hangul and Cyrillic letters too, in a
database whose LC_CTYPE is not plain "C"; docs/deploy.md#postgresql). SQLite has no such index;
its embedded deployments are small enough to scan.

Built CONCURRENTLY (outside a transaction), so an upgrade of a live registry keeps accepting
registrations while the index is built. pg_trgm is a trusted extension: the database's owner may
create it; if the application's role may not, a superuser runs `CREATE EXTENSION pg_trgm` first.
"""

from django.db import migrations

INDEX = "registry_person_search_trgm"


def _index_create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    # A build interrupted before (CONCURRENTLY leaves an invalid index behind) is dropped first.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(
            "SELECT NOT i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE c.relname = %s",
            [INDEX],
        )
        row = cursor.fetchone()
    if row and row[0]:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY {INDEX}")
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
        "ON registry_person USING gin (search_text gin_trgm_ops)"
    )


def _index_drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [
        ("registry", "0003_person_merge"),
    ]

    operations = [
        migrations.RunPython(_index_create, _index_drop, elidable=False),
    ]
