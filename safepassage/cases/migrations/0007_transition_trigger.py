"""Every case transition row says who took the step: a person, a service or the system
(`safepassage.workflow`). Rows written before keep it empty: not recorded then."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_guard_clearance_triggers'),
    ]

    operations = [
        migrations.AddField(
            model_name='casetransition',
            name='trigger',
            field=models.CharField(choices=[('person', 'Plain step taken by a person'), ('service', 'Step taken with its own record'), ('system', 'Taken by the system when the facts changed')], default='', max_length=8),
            preserve_default=False,
        ),
    ]
