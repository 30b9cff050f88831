"""The non-refoulement guard's triggers, for SQLite and PostgreSQL (ADR 0003).

A movement row — a transfer scheduled or executed, an exchange entry of ours planned, agreed or
executed — is refused unless its person is not a merged-away record and every state on its
route has a `cases_guardclearance` row for him in its role (destination, or transit), written
under his governing will, which must be verified, decided and not withdrawn. Routes are stored
as comma-joined two-letter codes, so a route of n transit states is 3n - 1 characters long (any
other length is refused) and the count of distinct cleared transit states must be n. No row, no route: a
deleted clearance closes a route, it never opens one.

Clearances are never edited (refused), and one that a live movement relies on cannot be deleted
while it is his only row for that state and role: the refresh calls the movement off first.
Kept beside the migrations that run it, frozen: a change is a new migration.
"""

from django.db import migrations

ROUTE_FAILS = """(
    EXISTS (SELECT 1 FROM registry_person p WHERE p.id = {t}.person_id
            AND p.merged_into_id IS NOT NULL)
    OR NOT EXISTS (
        SELECT 1 FROM cases_guardclearance c
        JOIN cases_case k ON k.person_id = c.person_id AND k.governing_will_id = c.will_expression_id
        JOIN cases_willexpression w ON w.id = c.will_expression_id
        WHERE c.person_id = {t}.person_id AND c.role = 'destination'
          AND c.country = {t}.destination
          AND w.verified = TRUE AND w.withdrawn_at IS NULL AND w.wish <> 'undecided')
    OR (SELECT COUNT(DISTINCT c.country) FROM cases_guardclearance c
        JOIN cases_case k ON k.person_id = c.person_id AND k.governing_will_id = c.will_expression_id
        JOIN cases_willexpression w ON w.id = c.will_expression_id
        WHERE c.person_id = {t}.person_id AND c.role = 'transit'
          AND w.verified = TRUE AND w.withdrawn_at IS NULL AND w.wish <> 'undecided'
          AND {contains}(',' || {t}.transit || ',', ',' || c.country || ',') > 0
       ) <> (LENGTH({t}.transit) + 1) / 3
    OR (LENGTH({t}.transit) > 0
        AND LENGTH({t}.transit) <> 3 * ((LENGTH({t}.transit) + 1) / 3) - 1)
)"""

# A clearance a live movement relies on, as OLD in a trigger on cases_guardclearance.
RELIED_ON = """(
    NOT EXISTS (SELECT 1 FROM cases_guardclearance o WHERE o.person_id = OLD.person_id
                AND o.country = OLD.country AND o.role = OLD.role AND o.id <> OLD.id)
    AND (EXISTS (SELECT 1 FROM cases_transfer t WHERE t.person_id = OLD.person_id
                 AND t.status = 'scheduled' AND {on_route_t})
         OR EXISTS (SELECT 1 FROM exchanges_entry e WHERE e.person_id = OLD.person_id
                    AND e.side = 'ours' AND e.status IN ('planned', 'agreed') AND {on_route_e}))
)"""


def _on_route(t: str, contains: str) -> str:
    return (
        f"((OLD.role = 'destination' AND {t}.destination = OLD.country) OR "
        f"(OLD.role = 'transit' AND {contains}(',' || {t}.transit || ',', "
        f"',' || OLD.country || ',') > 0))"
    )


def route_fails(table_alias: str, contains: str) -> str:
    return ROUTE_FAILS.format(t=table_alias, contains=contains)


def relied_on(contains: str) -> str:
    return RELIED_ON.format(
        on_route_t=_on_route("t", contains), on_route_e=_on_route("e", contains)
    )


def run(statements_by_vendor):
    def apply(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"The non-refoulement triggers are not written for "
                f"{schema_editor.connection.vendor}; use SQLite or PostgreSQL."
            )
        for statement in statements:
            schema_editor.execute(statement)

    return apply


def sqlite_triggers_kept(table: str, operations: list) -> list:
    """`operations` that make SQLite rebuild `table` (a new constraint does), wrapped so the
    guard's triggers that read it survive: SQLite refuses to rename the rebuilt table into
    place while a trigger names the old one. The triggers are dropped first and re-created
    after, unchanged, in the same transaction; other databases alter in place."""
    kept: list[str] = []

    def set_aside(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql LIKE %s",
                [f"%{table}%"],
            )
            found = cursor.fetchall()
        for name, sql in found:
            kept.append(sql)
            schema_editor.execute(f'DROP TRIGGER "{name}"')

    def put_back(apps, schema_editor):
        while kept:
            schema_editor.execute(kept.pop(0))

    return [
        migrations.RunPython(set_aside, put_back),
        *operations,
        migrations.RunPython(put_back, set_aside),
    ]
