"""Encrypting (and, backwards, decrypting) the existing values of a column in a migration.

Raw SQL on purpose: the historical model's field would try to decrypt the plaintext it reads.
"""

from safepassage.crypto.keys import keyring
from safepassage.lib.crypto import open_sealed, seal


def _rewrite(connection, table: str, columns: tuple[str, ...], convert) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        names = ", ".join(quote(c) for c in columns)
        cursor.execute(f"SELECT id, {names} FROM {quote(table)} ORDER BY id")  # noqa: S608 - quoted model names, no input
        rows = cursor.fetchall()
        for pk, *values in rows:
            for column, value in zip(columns, values, strict=True):
                if not value:  # NULL and '' stay as they are
                    continue
                cursor.execute(
                    f"UPDATE {quote(table)} SET {quote(column)} = %s WHERE id = %s",  # noqa: S608 - quoted model names
                    [convert(keyring(), value, f"{table}.{column}"), pk],
                )


def encrypt_columns(table: str, *columns: str):
    """A RunPython forwards/backwards pair that seals, or opens, every value of the columns."""

    def forwards(apps, schema_editor):
        _rewrite(schema_editor.connection, table, columns, seal)

    def backwards(apps, schema_editor):
        _rewrite(schema_editor.connection, table, columns, open_sealed)

    return forwards, backwards
