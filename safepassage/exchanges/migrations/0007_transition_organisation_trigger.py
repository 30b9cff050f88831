"""Batch transition rows take the shape of every transition row (`workflow.TransitionRecord`):
the actor's organisation and who took the step. Rows written before keep both empty."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_user_language'),
        ('exchanges', '0006_guard_clearance_triggers'),
    ]

    operations = [
        migrations.AddField(
            model_name='batchtransition',
            name='organisation',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation'),
        ),
        migrations.AddField(
            model_name='batchtransition',
            name='trigger',
            field=models.CharField(choices=[('person', 'Plain step taken by a person'), ('service', 'Step taken with its own record'), ('system', 'Taken by the system when the facts changed')], default='', max_length=8),
            preserve_default=False,
        ),
    ]
