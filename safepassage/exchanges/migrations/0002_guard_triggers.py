"""The non-refoulement guard in the database, for exchange entries.

An entry of ours (a person we hand over) may be planned, agreed or executed only while its
person has a verified, decided will and no state on its route (destination or transit) is
blocked for him in cases_guardblock: the same rule as the transfer triggers of
cases/0002_guard_triggers (see docs/adr/0001-guard-in-the-database.md). The services check the
rule first, at planning, at every step and again at execution; these triggers refuse whatever
slips past them.

There is deliberately no trigger on cases_guardblock for entries: a new will or assessment must
always be recordable, even when it makes a planned entry unlawful; every later step of the
batch re-runs the guard and refuses until the entry is removed (docs/exchanges.md).
"""

from django.db import migrations

_TOUCHES = (
    "(b.country = NEW.destination"
    " OR {contains}(',' || NEW.transit || ',', ',' || b.country || ',') > 0)"
)
_NO_GOVERNING_WILL = """NOT EXISTS (
    SELECT 1 FROM cases_case c JOIN cases_willexpression w ON w.id = c.governing_will_id
    WHERE c.person_id = NEW.person_id AND w.verified = TRUE AND w.withdrawn_at IS NULL
      AND w.wish <> 'undecided')"""


def _entry_blocked(contains: str) -> str:
    touches = _TOUCHES.format(contains=contains)
    return f"""NEW.side = 'ours' AND NEW.status IN ('planned', 'agreed', 'executed') AND (
    NEW.person_id IS NULL
    OR EXISTS (SELECT 1 FROM cases_guardblock b WHERE b.person_id = NEW.person_id AND {touches})
    OR {_NO_GOVERNING_WILL})"""


MESSAGE = "non-refoulement: exchange entry route blocked for this person"

SQLITE = [
    f"""CREATE TRIGGER exchanges_entry_guard_insert BEFORE INSERT ON exchanges_entry
    FOR EACH ROW WHEN {_entry_blocked("instr")}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER exchanges_entry_guard_update BEFORE UPDATE ON exchanges_entry
    FOR EACH ROW WHEN {_entry_blocked("instr")}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS exchanges_entry_guard_insert",
    "DROP TRIGGER IF EXISTS exchanges_entry_guard_update",
]
POSTGRESQL = [
    f"""CREATE FUNCTION exchanges_entry_guard() RETURNS trigger AS $$
    BEGIN
      IF {_entry_blocked("strpos")} THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER exchanges_entry_guard BEFORE INSERT OR UPDATE ON exchanges_entry
    FOR EACH ROW EXECUTE FUNCTION exchanges_entry_guard()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS exchanges_entry_guard ON exchanges_entry",
    "DROP FUNCTION IF EXISTS exchanges_entry_guard()",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"The non-refoulement triggers are not written for "
                f"{schema_editor.connection.vendor}; use SQLite or PostgreSQL."
            )
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("exchanges", "0001_initial"), ("cases", "0002_guard_triggers")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
