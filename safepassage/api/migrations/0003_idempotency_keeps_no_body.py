"""Idempotency records keep the resource they wrote, no longer the answer's body (which held
decrypted statements and contacts in clear). A record whose body named its resource's id keeps
replaying; the others, and the expired, are deleted."""

import datetime

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def keep_only_the_resource(apps, schema_editor):
    IdempotencyRecord = apps.get_model("api", "IdempotencyRecord")
    cutoff = timezone.now() - datetime.timedelta(hours=settings.IDEMPOTENCY_HOURS)
    IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    for record in IdempotencyRecord.objects.iterator():
        body = record.response_body
        resource_id = body.get("id") if isinstance(body, dict) else None
        if isinstance(resource_id, int) and not isinstance(resource_id, bool) and resource_id > 0:
            record.resource_id = resource_id
            record.response_body = {}
            record.save(update_fields=["resource_id", "response_body"])
        else:
            record.delete()


class Migration(migrations.Migration):
    dependencies = [("api", "0002_token_login_time")]

    operations = [
        migrations.AddField(
            model_name="idempotencyrecord",
            name="resource_id",
            field=models.PositiveBigIntegerField(null=True),
        ),
        migrations.AddField(
            model_name="idempotencyrecord",
            name="resource_type",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AlterField(
            model_name="idempotencyrecord",
            name="created_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True),
        ),
        migrations.RunPython(keep_only_the_resource, migrations.RunPython.noop),
        migrations.RemoveField(model_name="idempotencyrecord", name="response_body"),
    ]
