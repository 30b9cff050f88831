"""The non-refoulement guard in the database.

A transfer may be scheduled or executed only when its person has a verified, decided will, and
no state on its route (destination or transit) is blocked for him in cases_guardblock. A block
cannot be added, or moved, onto the route of a scheduled transfer. The services check the same rule
first; these triggers refuse whatever slips past them (a bug, a raw write, a race).
"""

from django.db import migrations

_ROUTE_TOUCHES = (
    "({country} = {t}.destination"
    " OR {contains}(',' || {t}.transit || ',', ',' || {country} || ',') > 0)"
)
_NO_GOVERNING_WILL = """NOT EXISTS (
    SELECT 1 FROM cases_case c JOIN cases_willexpression w ON w.id = c.governing_will_id
    WHERE c.person_id = NEW.person_id AND w.verified = TRUE AND w.withdrawn_at IS NULL
      AND w.wish <> 'undecided')"""


def _transfer_blocked(contains: str) -> str:
    touches = _ROUTE_TOUCHES.format(country="b.country", t="NEW", contains=contains)
    return f"""NEW.status IN ('scheduled', 'executed') AND (
    EXISTS (SELECT 1 FROM cases_guardblock b WHERE b.person_id = NEW.person_id AND {touches})
    OR {_NO_GOVERNING_WILL})"""


def _block_crosses_scheduled(contains: str) -> str:
    touches = _ROUTE_TOUCHES.format(country="NEW.country", t="t", contains=contains)
    return f"""EXISTS (SELECT 1 FROM cases_transfer t
    WHERE t.person_id = NEW.person_id AND t.status = 'scheduled' AND {touches})"""



SQLITE = [
    f"""CREATE TRIGGER cases_transfer_guard_insert BEFORE INSERT ON cases_transfer
    FOR EACH ROW WHEN {_transfer_blocked("instr")}
    BEGIN SELECT RAISE(ABORT, 'non-refoulement: route blocked for this person'); END""",
    f"""CREATE TRIGGER cases_transfer_guard_update BEFORE UPDATE ON cases_transfer
    FOR EACH ROW WHEN {_transfer_blocked("instr")}
    BEGIN SELECT RAISE(ABORT, 'non-refoulement: route blocked for this person'); END""",
    f"""CREATE TRIGGER cases_guardblock_guard_insert BEFORE INSERT ON cases_guardblock
    FOR EACH ROW WHEN {_block_crosses_scheduled("instr")}
    BEGIN SELECT RAISE(ABORT, 'non-refoulement: a scheduled transfer crosses this state'); END""",
    f"""CREATE TRIGGER cases_guardblock_guard_update BEFORE UPDATE ON cases_guardblock
    FOR EACH ROW WHEN {_block_crosses_scheduled("instr")}
    BEGIN SELECT RAISE(ABORT, 'non-refoulement: a scheduled transfer crosses this state'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_transfer_guard_insert",
    "DROP TRIGGER IF EXISTS cases_transfer_guard_update",
    "DROP TRIGGER IF EXISTS cases_guardblock_guard_insert",
    "DROP TRIGGER IF EXISTS cases_guardblock_guard_update",
]

# PostgreSQL has no instr(); strpos(haystack, needle) is the same test. Both return a
# position, not a boolean: PostgreSQL will not treat an integer as true, hence the `> 0`.
POSTGRESQL = [
    f"""CREATE FUNCTION cases_transfer_guard() RETURNS trigger AS $$
    BEGIN
      IF {_transfer_blocked("strpos")} THEN
        RAISE EXCEPTION 'non-refoulement: route blocked for this person'
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER cases_transfer_guard BEFORE INSERT OR UPDATE ON cases_transfer
    FOR EACH ROW EXECUTE FUNCTION cases_transfer_guard()""",
    f"""CREATE FUNCTION cases_guardblock_guard() RETURNS trigger AS $$
    BEGIN
      IF {_block_crosses_scheduled("strpos")} THEN
        RAISE EXCEPTION 'non-refoulement: a scheduled transfer crosses this state'
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER cases_guardblock_guard BEFORE INSERT OR UPDATE ON cases_guardblock
    FOR EACH ROW EXECUTE FUNCTION cases_guardblock_guard()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS cases_transfer_guard ON cases_transfer",
    "DROP FUNCTION IF EXISTS cases_transfer_guard()",
    "DROP TRIGGER IF EXISTS cases_guardblock_guard ON cases_guardblock",
    "DROP FUNCTION IF EXISTS cases_guardblock_guard()",
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
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
