"""A person's Art. 110 category becomes his latest finding by a Mixed Medical Commission.

1. What registrars typed into it before (incurable, not recovering within a year, permanently
   diminished) is kept as history (`RegistrarCategory`), one audit event per person, and the
   category is emptied: no commission has examined him yet.
2. Triggers (SQLite and PostgreSQL) refuse any write of `registry_person.art110_category` that
   is not his latest examination's finding: a new person has none, an edit may only set the
   category the latest `medical_examination` row holds. On SQLite a later migration that rebuilds
   `registry_person` must keep them (`cases.migrations._guard_sql.sqlite_triggers_kept`).
"""

from django.db import migrations

FINDINGS = ("", "direct_repatriation", "neutral_accommodation", "neither")

LATEST = """(SELECT e.category FROM medical_examination e WHERE e.person_id = NEW.id
             ORDER BY e.examined_on DESC, e.recorded_at DESC, e.id DESC LIMIT 1)"""
MESSAGE = "art110_category is set only by a finding of a Mixed Medical Commission: refused"

SQLITE = [
    f"""CREATE TRIGGER medical_category_insert BEFORE INSERT ON registry_person
    WHEN NEW.art110_category <> ''
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    f"""CREATE TRIGGER medical_category_update BEFORE UPDATE OF art110_category ON registry_person
    WHEN NEW.art110_category IS NOT OLD.art110_category
     AND NEW.art110_category IS NOT {LATEST}
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
]
POSTGRESQL = [
    f"""CREATE FUNCTION medical_category_check() RETURNS trigger AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        IF NEW.art110_category <> '' THEN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation'; END IF;
      ELSIF NEW.art110_category IS DISTINCT FROM OLD.art110_category
            AND NEW.art110_category IS DISTINCT FROM {LATEST} THEN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER medical_category_check BEFORE INSERT OR UPDATE ON registry_person
    FOR EACH ROW EXECUTE FUNCTION medical_category_check()""",
]
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS medical_category_insert",
               "DROP TRIGGER IF EXISTS medical_category_update"],
    "postgresql": ["DROP TRIGGER IF EXISTS medical_category_check ON registry_person",
                   "DROP FUNCTION IF EXISTS medical_category_check()"],
}  # fmt: skip


def _registrar_values_kept(apps, schema_editor):
    from safepassage.audit.services import audit_record

    Person = apps.get_model("registry", "Person")
    RegistrarCategory = apps.get_model("medical", "RegistrarCategory")
    for person in Person.objects.exclude(art110_category__in=FINDINGS).order_by("pk"):
        row = RegistrarCategory.objects.create(person=person, category=person.art110_category)
        audit_record(
            actor=None, action="medical.registrar_category.keep", obj=row,
            object_repr=f"{person.registry_number}: registrar's category #{row.pk}",
            changes={"art110_category": [person.art110_category, ""]}, identifying=(),
        )  # fmt: skip
        Person.objects.filter(pk=person.pk).update(art110_category="")


def _registrar_values_back(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    RegistrarCategory = apps.get_model("medical", "RegistrarCategory")
    for row in RegistrarCategory.objects.order_by("pk"):
        Person.objects.filter(pk=row.person_id).update(art110_category=row.category)


def _triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor)
    if statements is None:
        raise RuntimeError(f"The medical category triggers are not written for {vendor}.")
    for statement in statements:
        schema_editor.execute(statement)


def _no_triggers(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("medical", "0001_initial"),
        ("audit", "0006_person_key"),
    ]

    operations = [
        migrations.RunPython(_registrar_values_kept, _registrar_values_back),
        migrations.RunPython(_triggers, _no_triggers),
    ]
