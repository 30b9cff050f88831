"""A tracing request's status changes are rows too (`workflow.TransitionRecord`)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0004_user_language'),
        ('tracing', '0002_duplicate_refresh'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='TracingTransition',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField(verbose_name='reason')),
                ('trigger', models.CharField(choices=[('person', 'Plain step taken by a person'), ('service', 'Step taken with its own record'), ('system', 'Taken by the system when the facts changed')], max_length=8)),
                ('at', models.DateTimeField(auto_now_add=True)),
                ('from_state', models.CharField(choices=[('open', 'Open: searching'), ('linked', 'Linked to a registered person'), ('informed', 'Requester informed'), ('closed', 'Closed')], max_length=16)),
                ('to_state', models.CharField(choices=[('open', 'Open: searching'), ('linked', 'Linked to a registered person'), ('informed', 'Requester informed'), ('closed', 'Closed')], max_length=16)),
                ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('organisation', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='accounts.organisation')),
                ('request', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='transitions', to='tracing.tracingrequest')),
            ],
            options={
                'ordering': ['at', 'id'],
                'abstract': False,
            },
        ),
    ]
