from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_chain_backfill")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.PositiveBigIntegerField(
                editable=False, unique=True, verbose_name="sequence number"
            ),
        ),
        migrations.AddConstraint(
            model_name="auditevent",
            constraint=models.CheckConstraint(
                condition=models.Q(("seq__gte", 1)), name="audit_seq_from_one"
            ),
        ),
        migrations.AlterModelOptions(name="auditevent", options={"ordering": ["seq"]}),
    ]
