"""The non-refoulement guard in the database, failing closed (ADR 0003; SQL in _guard_sql).

A transfer scheduled or executed needs a clearance row for every state on its route; a
clearance is never edited, and cannot be deleted while a live movement relies on it alone.
Rows already recorded are not rechecked; every service writes a person's clearances before it
writes his movement (`cases.services.clearances_write`), so none is needed beforehand.
"""

from django.db import migrations

from safepassage.cases.migrations._guard_sql import relied_on, route_fails, run

_TRANSFER_CHANGED_SQLITE = (
    "(OLD.status IS NOT NEW.status OR OLD.destination IS NOT NEW.destination"
    " OR OLD.transit IS NOT NEW.transit OR OLD.person_id IS NOT NEW.person_id)"
)
_MOVES = "NEW.status IN ('scheduled', 'executed')"
_REFUSED = "non-refoulement: a state on this route is not cleared for this person"
_EDITED = "non-refoulement: guard clearances are replaced by the refresh, never edited"
_RELIED = "non-refoulement: a live movement relies on this clearance"

SQLITE = [
    f"""CREATE TRIGGER cases_transfer_guard_insert BEFORE INSERT ON cases_transfer
    FOR EACH ROW WHEN {_MOVES} AND {route_fails("NEW", "instr")}
    BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END""",
    f"""CREATE TRIGGER cases_transfer_guard_update BEFORE UPDATE ON cases_transfer
    FOR EACH ROW WHEN {_MOVES} AND {_TRANSFER_CHANGED_SQLITE} AND {route_fails("NEW", "instr")}
    BEGIN SELECT RAISE(ABORT, '{_REFUSED}'); END""",
    f"""CREATE TRIGGER cases_guardclearance_no_update BEFORE UPDATE ON cases_guardclearance
    FOR EACH ROW BEGIN SELECT RAISE(ABORT, '{_EDITED}'); END""",
    f"""CREATE TRIGGER cases_guardclearance_delete BEFORE DELETE ON cases_guardclearance
    FOR EACH ROW WHEN {relied_on("instr")}
    BEGIN SELECT RAISE(ABORT, '{_RELIED}'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_transfer_guard_insert",
    "DROP TRIGGER IF EXISTS cases_transfer_guard_update",
    "DROP TRIGGER IF EXISTS cases_guardclearance_no_update",
    "DROP TRIGGER IF EXISTS cases_guardclearance_delete",
]
POSTGRESQL = [
    f"""CREATE FUNCTION cases_transfer_guard() RETURNS trigger AS $$
    BEGIN
      IF {_MOVES} AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status
          OR OLD.destination IS DISTINCT FROM NEW.destination
          OR OLD.transit IS DISTINCT FROM NEW.transit
          OR OLD.person_id IS DISTINCT FROM NEW.person_id)
         AND {route_fails("NEW", "strpos")} THEN
        RAISE EXCEPTION '{_REFUSED}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER cases_transfer_guard BEFORE INSERT OR UPDATE ON cases_transfer
    FOR EACH ROW EXECUTE FUNCTION cases_transfer_guard()""",
    f"""CREATE FUNCTION cases_guardclearance_guard() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION '{_EDITED}' USING ERRCODE = 'check_violation';
      END IF;
      IF {relied_on("strpos")} THEN
        RAISE EXCEPTION '{_RELIED}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN OLD;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER cases_guardclearance_guard BEFORE UPDATE OR DELETE ON cases_guardclearance
    FOR EACH ROW EXECUTE FUNCTION cases_guardclearance_guard()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_transfer_guard ON cases_transfer",
    "DROP FUNCTION IF EXISTS cases_transfer_guard()",
    "DROP TRIGGER IF EXISTS cases_guardclearance_guard ON cases_guardclearance",
    "DROP FUNCTION IF EXISTS cases_guardclearance_guard()",
]


class Migration(migrations.Migration):
    dependencies = [("cases", "0005_guard_clearance")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
