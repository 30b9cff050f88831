"""The non-refoulement guard in the database for exchange entries of ours: planned, agreed or
executed only while every state on the route has its clearance (cases 0006, ADR 0003)."""

from django.db import migrations

from safepassage.cases.migrations._guard_sql import route_fails, run

_MOVES = "NEW.side = 'ours' AND NEW.status IN ('planned', 'agreed', 'executed')"
_REFUSED = "non-refoulement: a state on this exchange route is not cleared for this person"
_CHANGED_SQLITE = (
    "(OLD.status IS NOT NEW.status OR OLD.destination IS NOT NEW.destination"
    " OR OLD.transit IS NOT NEW.transit OR OLD.person_id IS NOT NEW.person_id)"
)

SQLITE = [
    f"""CREATE TRIGGER exchanges_entry_guard_insert BEFORE INSERT ON exchanges_entry
    FOR EACH ROW WHEN {_MOVES} AND (NEW.person_id IS NULL OR {route_fails("NEW", "instr")})
    BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END""",
    f"""CREATE TRIGGER exchanges_entry_guard_update BEFORE UPDATE ON exchanges_entry
    FOR EACH ROW WHEN {_MOVES} AND {_CHANGED_SQLITE}
        AND (NEW.person_id IS NULL OR {route_fails("NEW", "instr")})
    BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS exchanges_entry_guard_insert",
    "DROP TRIGGER IF EXISTS exchanges_entry_guard_update",
]
POSTGRESQL = [
    f"""CREATE FUNCTION exchanges_entry_guard() RETURNS trigger AS $$
    BEGIN
      IF {_MOVES} AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status
          OR OLD.destination IS DISTINCT FROM NEW.destination
          OR OLD.transit IS DISTINCT FROM NEW.transit
          OR OLD.person_id IS DISTINCT FROM NEW.person_id)
         AND (NEW.person_id IS NULL OR {route_fails("NEW", "strpos")}) THEN
        RAISE EXCEPTION '{_REFUSED}' USING ERRCODE = 'check_violation';
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


class Migration(migrations.Migration):
    dependencies = [
        ("exchanges", "0005_exclusion_reasons_of_the_guard"),
        ("cases", "0006_guard_clearance_triggers"),
    ]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
