"""Primary keys reserved before their rows are written: a sealed field binds its ciphertext to
its row's key (`crypto.fields`), and bulk writes give their rows keys themselves."""

from django.db import connection, models


def ids_reserve(model: type[models.Model], count: int) -> list[int]:
    """`count` primary keys for new rows of `model`, inside the caller's transaction.

    PostgreSQL: drawn from the column's sequence (safe beside concurrent inserts). SQLite: the
    ones after the largest ever used (AUTOINCREMENT's own rule); the caller's transaction holds
    SQLite's write lock (transactions start IMMEDIATE), so no other writer takes them meanwhile,
    and a clash would be a unique-key error, never an overwrite.
    """
    if count <= 0:
        return []
    table = model._meta.db_table
    column = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [connection.ops.quote_name(table), column, count],
            )
            return [pk for (pk,) in cursor.fetchall()]
        quote = connection.ops.quote_name
        cursor.execute(f"SELECT COALESCE(MAX({quote(column)}), 0) FROM {quote(table)}")  # noqa: S608 - quoted model names
        (largest,) = cursor.fetchone()
        cursor.execute("SELECT COALESCE(MAX(seq), 0) FROM sqlite_sequence WHERE name = %s", [table])
        (sequence,) = cursor.fetchone()
    first = max(largest, sequence) + 1
    return list(range(first, first + count))
