"""Fast inserts for the bulk import: multi-row INSERT statements built from the model's own
fields, their defaults and their database preparation, without one model instance per row.

The ORM's `bulk_create` spends most of a million-row import preparing values field by field;
here each column's default is prepared once, and values of the common field types (text,
dates, multiple countries) are adapted directly. Any other field type goes through Django's
own `get_db_prep_save`, so a field added to a model later is still written correctly.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from django.db import connection, models
from django_countries.fields import CountryField


def _converter(field: models.Field) -> Callable[[Any], Any]:
    ops = connection.ops
    if isinstance(field, CountryField) and field.multiple:
        return lambda value: ",".join(value) if value else ""
    if isinstance(field, models.DateTimeField):
        return lambda value: field.get_db_prep_save(value, connection)
    if isinstance(field, models.DateField):
        return lambda value: ops.adapt_datefield_value(value) if value is not None else None
    if type(field) in (models.CharField, models.TextField, models.SlugField):
        return lambda value: value
    if isinstance(field, models.ForeignKey | models.BooleanField | models.IntegerField):
        return lambda value: value
    return lambda value: field.get_db_prep_save(value, connection)


class Inserter:
    """Inserts rows (dicts of field attname → value) into one model's table."""

    def __init__(self, model: type[models.Model], prototype: models.Model):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not f.primary_key]
        now = datetime.datetime.now(tz=datetime.UTC)
        self.defaults: list[Any] = []
        for field in self.fields:
            if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                value = now
            else:
                value = getattr(prototype, field.attname)
            self.defaults.append(field.get_db_prep_save(value, connection))
        self.converters = [_converter(f) for f in self.fields]
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        quote = connection.ops.quote_name
        self.columns = ", ".join(quote(f.column) for f in self.fields)
        self.table = quote(model._meta.db_table)
        # SQLite allows 32,766 parameters per statement, PostgreSQL 65,535.
        self.per_statement = max(1, min(1000, 30_000 // len(self.fields)))
        placeholder = "(" + ", ".join(["%s"] * len(self.fields)) + ")"
        self._placeholder = placeholder

    def row(self, values: dict[str, Any]) -> list[Any]:
        out = list(self.defaults)
        for name, value in values.items():
            i = self.index[name]
            out[i] = self.converters[i](value)
        return out

    def insert(self, rows: Sequence[dict[str, Any]]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(rows), self.per_statement):
                part = rows[start : start + self.per_statement]
                params: list[Any] = []
                for values in part:
                    params.extend(self.row(values))
                sql = (
                    f"INSERT INTO {self.table} ({self.columns}) VALUES "  # noqa: S608 - names from the model
                    + ", ".join([self._placeholder] * len(part))
                )
                cursor.execute(sql, params)


def ids_by(model: type[models.Model], field: str, keys: Sequence[str]) -> dict[str, int]:
    """Primary keys of the rows whose unique `field` is one of `keys`."""
    found: dict[str, int] = {}
    for start in range(0, len(keys), 900):
        found.update(
            (key, pk)
            for pk, key in model.objects.filter(
                **{f"{field}__in": keys[start : start + 900]}
            ).values_list("pk", field)
        )
    return found
