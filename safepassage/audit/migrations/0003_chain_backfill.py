"""Chain the events recorded before the hash chain existed, in the order they were written."""

from django.db import migrations

from safepassage.lib.chain import GENESIS, event_content, event_hash


def chain_existing(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    prev = GENESIS
    for seq, event in enumerate(AuditEvent.objects.order_by("id").iterator(), start=1):
        content = event_content(
            seq=seq,
            at=event.at,
            actor_id=event.actor_id,
            actor_username=event.actor_username,
            organisation_id=event.organisation_id,
            action=event.action,
            object_type=event.object_type,
            object_id=event.object_id,
            object_repr=event.object_repr,
            person_id=event.person_id,
            changes=event.changes,
        )
        digest = event_hash(prev, content)
        AuditEvent.objects.filter(pk=event.pk).update(seq=seq, prev_hash=prev, hash=digest)
        prev = digest


def unchain(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditEvent.objects.update(seq=None, prev_hash="", hash="")


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_chain_columns")]

    operations = [migrations.RunPython(chain_existing, unchain)]
