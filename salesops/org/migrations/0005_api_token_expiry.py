"""API tokens expire and are bound to the user's password (issue 7, item 7).

Tokens issued before this migration get ``expires_at = now`` and an empty stamp: they never
expired, so they end here and their users ask for new ones.
"""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0004_user_search_key'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='apitoken',
            options={'ordering': ['-created_at', '-pk'], 'verbose_name': 'API token', 'verbose_name_plural': 'API tokens'},
        ),
        migrations.AddField(
            model_name='apitoken',
            name='expires_at',
            field=models.DateTimeField(default=django.utils.timezone.now, verbose_name='valid until'),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='apitoken',
            name='prefix',
            field=models.CharField(blank=True, max_length=8, verbose_name='prefix'),
        ),
        migrations.AddField(
            model_name='apitoken',
            name='user_stamp',
            field=models.CharField(default='', editable=False, max_length=64, verbose_name='security stamp'),
            preserve_default=False,
        ),
    ]
