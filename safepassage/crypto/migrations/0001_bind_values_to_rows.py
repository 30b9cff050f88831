"""Bind every encrypted value to its row: reseal `table.column` values as `table.column#pk`.

All values are rewritten here, so nothing sealed for the column alone needs to open afterwards
(a value copied from an older backup into another row does not open either). The keyring's
current key seals them. Backwards reseals them for their column.
"""

from django.db import migrations

from safepassage.crypto.migration import bind_to_rows

TABLES = {
    "registry_person": ("next_of_kin",),
    "cases_willexpression": ("present", "interpreter", "statement", "withdrawn_reason"),
    "cases_riskassessment": ("basis",),
    "tracing_tracingrequest": ("requester_name", "requester_contact", "circumstances"),
    "tracing_tracingdisclosure": ("message",),
    "imports_importuploadpart": ("data",),
    "exports_export": ("content",),
}

forwards, backwards = bind_to_rows(TABLES)


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0005_person_search_statistics"),
        ("cases", "0006_guard_clearance_triggers"),
        ("tracing", "0001_initial"),
        ("imports", "0002_upload_parts"),
        ("exports", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
