"""The append-only guards (audit/db.py) on the history tables added after the lifecycle:
merges and "not the same person" decisions (cases) and tasks (work)."""

from django.db import migrations

from audit import db

HISTORY = (
    ("cases", "HistoricalPersonMerge"),
    ("cases", "HistoricalNotSamePerson"),
    ("work", "HistoricalTask"),
)


def _tables(apps) -> dict[str, str]:
    return {apps.get_model(app, name)._meta.db_table: "history_date" for app, name in HISTORY}


def forwards(apps, schema_editor):
    db.install(schema_editor, _tables(apps))


def backwards(apps, schema_editor):
    db.uninstall(schema_editor, _tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0006_history_of_the_case_lifecycle"),
        ("cases", "0013_merge_fields_set_by_the_system"),
        ("work", "0002_task_due_date_within_limits"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
