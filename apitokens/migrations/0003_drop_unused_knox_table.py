"""Drop knox's own token table: tokens live in apitokens_apitoken (KNOX_TOKEN_MODEL).

knox's migrations create `knox_authtoken` even though the model is swapped out. The empty
table's foreign key to the users made PostgreSQL refuse to empty the user table on its own
(TRUNCATE in the test runner's flush), and a table nobody writes is only a trap.
"""

from django.db import migrations


def drop(apps, schema_editor):
    cascade = " CASCADE" if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(f"DROP TABLE IF EXISTS knox_authtoken{cascade}")


class Migration(migrations.Migration):
    dependencies = [
        ("apitokens", "0002_shared_cache_table"),
        ("knox", "0009_extend_authtoken_field"),
    ]

    operations = [migrations.RunPython(drop, migrations.RunPython.noop)]
