"""Encrypting (and, backwards, decrypting) the existing values of a column in a migration, and
binding values sealed for their column alone to their row.

Raw SQL on purpose: the historical model's field would try to decrypt the plaintext it reads.
Migrations written before values were bound to their row (`cases/0003`, `registry/0002`) seal
for the column (`table.column`); `crypto/0001` then rebinds every value to its row. A column
encrypted from now on passes `row_bound=True`.
"""

from safepassage.crypto.fields import row_context
from safepassage.crypto.keys import keyring
from safepassage.lib.crypto import open_sealed, seal


def _rewrite(connection, table: str, columns: tuple[str, ...], convert) -> int:
    """`convert(value, column, pk)` for every non-empty value; how many were rewritten."""
    quote = connection.ops.quote_name
    rewritten = 0
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
                    [convert(value, column, pk), pk],
                )
                rewritten += 1
    return rewritten


def _column(table, column, pk):
    return f"{table}.{column}"


def _row(table, column, pk):
    return row_context(table, column, pk)


def encrypt_columns(table: str, *columns: str, row_bound: bool = False):
    """A RunPython forwards/backwards pair that seals, or opens, every value of the columns."""
    context = _row if row_bound else _column

    def applying(crypt):
        """A RunPython step that passes each value of the columns through `crypt`."""

        def step(apps, schema_editor):
            _rewrite(
                schema_editor.connection,
                table,
                columns,
                lambda value, column, pk: crypt(keyring(), value, context(table, column, pk)),
            )

        return step

    return applying(seal), applying(open_sealed)


def _rebind(connection, tables: dict[str, tuple[str, ...]], source, target) -> None:
    ring = keyring()
    for table, columns in tables.items():
        _rewrite(
            connection,
            table,
            columns,
            lambda value, column, pk, table=table: seal(
                ring, open_sealed(ring, value, source(table, column, pk)), target(table, column, pk)
            ),
        )


def bind_to_rows(tables: dict[str, tuple[str, ...]]):
    """A RunPython pair that reseals values bound to their column for their row, or back."""

    def forwards(apps, schema_editor):
        _rebind(schema_editor.connection, tables, _column, _row)

    def backwards(apps, schema_editor):
        _rebind(schema_editor.connection, tables, _row, _column)

    return forwards, backwards
