"""Audit rows leave only through the owner's audit_archive_rows function (audit/db.py).

Replaces the trigger that let any session DELETE after `SET audit.archiving = 'on'`:
DELETE now needs the table owner's rights and an archive manifest row of the same
transaction, TRUNCATE the owner's rights, and UPDATE is refused to everyone.
Reversing keeps the stricter guards; reversing 0002 removes them all.
"""

from importlib import import_module

from django.db import migrations

from audit import db

# The same tables as 0002 (a module name starting with a digit needs import_module).
_tables = import_module("audit.migrations.0002_append_only_triggers")._tables


def forwards(apps, schema_editor):
    db.install(schema_editor, _tables(apps))


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
