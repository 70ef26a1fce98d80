"""Named, hashed, expiring API tokens; the old plain-text tokens are deleted.

The old tokens (DRF's authtoken table) were stored in plain text, so every backup
taken so far holds them: converting them to hashes would keep those copies working.
They are deleted instead, and their owners make new ones on the API tokens page.
The emptied table is left in place (its app is no longer installed).
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def delete_plain_text_tokens(apps, schema_editor):
    connection = schema_editor.connection
    if "authtoken_token" in connection.introspection.table_names():
        schema_editor.execute("DELETE FROM authtoken_token")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ApiToken',
            fields=[
                ('token_key', models.CharField(db_index=True, max_length=25)),
                ('created', models.DateTimeField(auto_now_add=True)),
                ('expiry', models.DateTimeField(blank=True, null=True)),
                ('id', models.BigAutoField(primary_key=True, serialize=False)),
                ('digest', models.CharField(editable=False, max_length=128, unique=True)),
                ('name', models.CharField(help_text='What the token is for, to tell your tokens apart.', max_length=100)),
                ('last_used', models.DateTimeField(blank=True, editable=False, null=True)),
                ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='auth_token_set', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'API token',
                'verbose_name_plural': 'API tokens',
                'ordering': ['-created'],
            },
        ),
        migrations.RunPython(delete_plain_text_tokens, migrations.RunPython.noop),
    ]
