"""Fast inserts for the bulk import: rows of plain tuples written with the model's own columns,
defaults and database preparation, without one model instance per row.

The ORM's `bulk_create` spends most of a million-row import preparing values field by field and
reading ids back. Here the columns that are the same for every row are prepared once; primary
keys are reserved before the insert (so nothing is read back); and the rows go in with the
fastest path each database has: `COPY … FROM STDIN` on PostgreSQL (psycopg 3), one prepared
`INSERT` run by `executemany` on SQLite. Everything stays inside the caller's transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection, models
from django_countries.fields import CountryField

from safepassage.crypto.fields import EncryptedTextField


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """How a value of `field` is handed to the database driver; None: as it is."""
    ops = connection.ops
    if isinstance(field, CountryField) and field.multiple:
        return lambda value: ",".join(value) if value else ""
    if isinstance(field, models.DateTimeField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateField):
        if connection.vendor == "postgresql":
            return None  # psycopg adapts dates itself
        return lambda value: ops.adapt_datefield_value(value) if value is not None else None
    if isinstance(field, EncryptedTextField):
        return None  # sealed for its row in `Inserter._converting`
    if type(field) in (models.CharField, models.TextField, models.SlugField):
        return None
    if isinstance(field, models.ForeignKey | models.BooleanField | models.IntegerField):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


class Inserter:
    """Inserts rows into one model's table.

    `columns` names the attributes each row gives, in order (the primary key first, reserved
    with `ids_reserve`); every other concrete field takes its value from `prototype`, prepared
    once (`auto_now` fields: the time the inserter was made). `convert` names the given columns
    whose values need the field's preparation (dates, lists of countries); the others are passed
    as they are.
    """

    def __init__(
        self,
        model: type[models.Model],
        prototype: models.Model,
        columns: Sequence[str],
        *,
        convert: Iterable[str] = (),
    ):
        self.model = model
        by_attname = {f.attname: f for f in model._meta.concrete_fields}
        given = [by_attname[name] for name in columns]
        rest = [
            f
            for f in model._meta.concrete_fields
            if f.attname not in set(columns) and not f.primary_key  # the database numbers it
        ]
        now = datetime.datetime.now(tz=datetime.UTC)
        constants = []
        for field in rest:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = getattr(prototype, field.attname)
            constants.append(field.get_db_prep_save(value, connection))
        self.constants = tuple(constants)
        converters = [(given.index(by_attname[n]), _converter(by_attname[n])) for n in convert]
        self.converted = [(index, convert) for index, convert in converters if convert is not None]
        # An encrypted value is sealed for its row: the row's primary key, the first column.
        self.sealed = [
            (given.index(field), field)
            for field in given
            if isinstance(field, EncryptedTextField) and field.attname in set(convert)
        ]
        if self.sealed and not given[0].primary_key:
            raise ValueError(f"{model.__name__}: give the primary key first to seal values.")
        quote = connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(f.column) for f in (*given, *rest))
        self.given = len(given)
        self._sqlite_sql: str | None = None

    def _converting(self, rows: Iterable[Sequence[Any]]) -> Iterator[Sequence[Any]]:
        if not self.converted:
            yield from rows
            return
        for row in rows:
            values = list(row)
            for index, field in self.sealed:
                values[index] = field.get_db_prep_save(
                    field.sealed_for_row(values[index] or "", values[0]), connection
                )
            for index, convert in self.converted:
                values[index] = convert(values[index])
            yield values

    def insert(self, rows: Iterable[Sequence[Any]]) -> None:
        converted = list(self._converting(rows))
        if not converted:
            return
        if connection.vendor == "postgresql":
            with self._copying(converted):
                pass
            return
        with connection.cursor() as cursor:
            cursor.executemany(self._sqlite_insert(cursor), converted)

    def _sqlite_insert(self, cursor) -> str:
        """One INSERT with the constant columns written as literals, quoted by SQLite itself
        (`quote()`): binding the same twenty values for every row costs as much as the insert."""
        if self._sqlite_sql is None:
            literals = []
            for value in self.constants:
                cursor.execute("SELECT quote(%s)", [value])
                literals.append(cursor.fetchone()[0].replace("%", "%%"))
            values = ", ".join(["%s"] * self.given + literals)
            self._sqlite_sql = f"INSERT INTO {self.table} ({self.columns}) VALUES ({values})"  # noqa: S608 - names from the model, values quoted by SQLite
        return self._sqlite_sql

    @contextmanager
    def inserting(self, rows: Iterable[Sequence[Any]]) -> Iterator[None]:
        """Insert `rows` while the caller goes on working: on PostgreSQL the rows are handed
        over as they come and the server writes them (and their indexes) while the block runs.

        The insert is complete, or its error raised, when the block ends. The connection is
        busy until then: a query inside the block raises `QueryDuringCopy` (psycopg would wait
        on its own lock forever).
        """
        if connection.vendor != "postgresql":
            self.insert(rows)
            yield
            return
        with self._copying(self._converting(rows)):
            yield

    @contextmanager
    def _copying(self, rows: Iterable[Sequence[Any]]) -> Iterator[None]:
        """`COPY` the (converted) `rows`; the server has written them when the block ends."""
        sql = f"COPY {self.table} ({self.columns}) FROM STDIN"
        with (
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(sql) as copy,
            connection.execute_wrapper(_no_query_during_copy),
        ):
            constants = self.constants
            for row in rows:
                copy.write_row((*row, *constants))
            yield


class QueryDuringCopy(RuntimeError):
    """A query was run on the connection while `Inserter.inserting` streams rows on it."""


def _no_query_during_copy(execute, sql, params, many, context):
    raise QueryDuringCopy(f"no query may run while rows are being copied: {sql[:80]}")


# SQLite's page cache during an import, in KiB (its default is 2 MiB): a long write
# transaction whose pages no longer fit spills them to the file, journal sync included, chunk
# after chunk. The memory is the connection's and is given back when the import ends.
SQLITE_IMPORT_CACHE_KIB = 256 * 1024


# PostgreSQL settings of the import's connection, restored when it ends. The person search's
# trigram index gathers new entries in a pending list (GIN `fastupdate`) and moves them into the
# index in bulk when the list passes `gin_pending_list_limit`, sorting them in `work_mem` (4 MB
# and 4 MB by default). Moves four times larger, so a quarter as many: 6-7 s less a million;
# the list size alone does nothing (docs/benchmarks.md). The price: a person search run while
# the import is writing reads a pending list of up to 16 MB, about 5 ms more at its fullest
# (1 ms with the default), and up to 16 MB may wait after the import for the next registration
# or autovacuum to move it.
POSTGRES_IMPORT_SETTINGS = {"gin_pending_list_limit": "16MB", "work_mem": "32MB"}


@contextmanager
def bulk_session() -> Iterator[None]:
    """Database settings for one bulk write; nothing that weakens durability or atomicity."""
    if connection.vendor == "postgresql":
        with _postgres_settings(POSTGRES_IMPORT_SETTINGS):
            yield
        return
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (before,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = -{int(SQLITE_IMPORT_CACHE_KIB)}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


@contextmanager
def _postgres_settings(values: dict[str, str]) -> Iterator[None]:
    """The session's `values` while the block runs, then the ones it had before."""
    with connection.cursor() as cursor:
        before = {}
        for name, value in values.items():
            cursor.execute("SELECT current_setting(%s)", [name])
            before[name] = cursor.fetchone()[0]
            cursor.execute("SELECT set_config(%s, %s, false)", [name, value])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            for name, value in before.items():
                cursor.execute("SELECT set_config(%s, %s, false)", [name, value])


def statistics_refresh(written: Iterable[type[models.Model]]) -> None:
    """Bring the planner's statistics of the `written` models' tables up to date after a bulk
    write, as PostgreSQL advises after a bulk load.

    Until autovacuum analyses them (a minute later by default; never where it is turned off),
    the planner takes the tables for their old size: a later import of the same source
    scanned every imported record once per chunk to find the ids it already has (checking
    200,000 rows against a fresh million: 61 s instead of 5 s). Runs in the caller's
    transaction, so the statistics count the rows it wrote and go with them on a rollback. A
    role that does not own a table gets PostgreSQL's warning, not an error. SQLite keeps no
    statistics unless asked (`ANALYZE`, which the project never runs): nothing to refresh.
    """
    if connection.vendor != "postgresql":
        return
    quote = connection.ops.quote_name
    tables = ", ".join(quote(model._meta.db_table) for model in written)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
