"""Two SQL expressions the reports need, native on both databases.

Django's `TruncWeek` and datetime subtraction call back into Python for every row on SQLite
(its date functions are Python functions registered with SQLite); over tens of thousands of wills
or steps that dominated the dashboard's time. These run in the database engine on SQLite and
PostgreSQL alike. Weeks are taken in UTC (the stored time), whatever `TIME_ZONE` says.
"""

from django.db.models import DateField, FloatField, Func


class WeekStart(Func):
    """The Monday of the week of a date or a moment (UTC), as a date."""

    arity = 1
    output_field = DateField()
    template = "CAST(date_trunc('week', %(expressions)s AT TIME ZONE 'UTC') AS date)"

    def as_sqlite(self, compiler, connection, **extra_context):
        # Stored as "YYYY-MM-DD[ HH:MM:SS.ffffff]" in UTC: the day is the first ten characters
        # (SQLite's own parsing rounds to milliseconds, which would move 23:59:59.9999 on a
        # Sunday into the next week). "weekday 0" moves to the coming Sunday (or stays on one);
        # six days back is Monday.
        template = "date(substr(%(expressions)s, 1, 10), 'weekday 0', '-6 days')"
        return self.as_sql(compiler, connection, template=template, **extra_context)


class SecondsBetween(Func):
    """`end` minus `start`, two moments, in seconds."""

    arity = 2
    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra_context):
        (end, end_params), (start, start_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return f"EXTRACT(EPOCH FROM ({end} - {start}))", [*end_params, *start_params]

    def as_sqlite(self, compiler, connection, **extra_context):
        (end, end_params), (start, start_params) = (
            compiler.compile(expression) for expression in self.source_expressions
        )
        return f"((julianday({end}) - julianday({start})) * 86400.0)", [*end_params, *start_params]
