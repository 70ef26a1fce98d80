"""The table of the database cache (settings.CACHES), which the API throttle shares.

It lives with the API tokens because both are how the API decides whom to let in and
how often. With REDIS_URL set no table is needed and none is made; a deployment that
later drops Redis runs `manage.py createcachetable` (docs/DEPLOYMENT.md).
"""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = [("apitokens", "0001_api_tokens")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
