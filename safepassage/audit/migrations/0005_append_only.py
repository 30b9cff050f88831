"""The audit table is append-only in the database: UPDATE, DELETE (and on PostgreSQL TRUNCATE)
are refused, whoever sends them. Someone who owns the database can drop these triggers; the
hash chain and off-site checkpoints (`safepassage audit verify`) catch what he then changes.

On SQLite, any later migration that alters this table rebuilds it and loses the triggers:
such a migration must create them again (`safepassage audit verify` warns when they are gone).
"""

from django.db import migrations

MESSAGE = "audit log is append-only: {op} refused"

SQLITE = [
    f"""CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE.format(op="UPDATE")}'); END""",
    f"""CREATE TRIGGER audit_auditevent_no_delete BEFORE DELETE ON audit_auditevent
    BEGIN SELECT RAISE(ABORT, '{MESSAGE.format(op="DELETE")}'); END""",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_delete",
]

# restrict_violation is SQLSTATE class 23, which drivers report as an integrity error. No
# percent signs: the schema editor passes parameters, so the driver would read one as a placeholder.
POSTGRESQL = [
    """CREATE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
    BEGIN
      RAISE EXCEPTION USING ERRCODE = 'restrict_violation',
        MESSAGE = 'audit log is append-only: ' || TG_OP || ' refused';
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER audit_auditevent_no_update_delete BEFORE UPDATE OR DELETE
    ON audit_auditevent FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only()""",
    """CREATE TRIGGER audit_auditevent_no_truncate BEFORE TRUNCATE
    ON audit_auditevent FOR EACH STATEMENT EXECUTE FUNCTION audit_auditevent_append_only()""",
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS audit_auditevent_no_update_delete ON audit_auditevent",
    "DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_append_only()",
]

STATEMENTS = {"sqlite": SQLITE, "postgresql": POSTGRESQL}
REVERSE = {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        statements = statements_by_vendor.get(schema_editor.connection.vendor)
        if statements is None:
            raise RuntimeError(
                f"The append-only audit triggers are not written for "
                f"{schema_editor.connection.vendor}; use SQLite or PostgreSQL."
            )
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_seq_required")]

    operations = [migrations.RunPython(_run(STATEMENTS), _run(REVERSE))]
