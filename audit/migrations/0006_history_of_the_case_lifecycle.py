"""The append-only guards (audit/db.py) on the history tables of the case lifecycle:
investigations, prosecutions, counts, court events and immigration relief."""

from django.db import migrations

from audit import db

LIFECYCLE_HISTORY = (
    "HistoricalStatute",
    "HistoricalInvestigation",
    "HistoricalInvestigationAgency",
    "HistoricalInvestigationPerson",
    "HistoricalProsecution",
    "HistoricalCount",
    "HistoricalCourtEvent",
    "HistoricalReliefRequest",
    "HistoricalReliefEvent",
)


def _tables(apps) -> dict[str, str]:
    return {apps.get_model("cases", name)._meta.db_table: "history_date" for name in LIFECYCLE_HISTORY}


def forwards(apps, schema_editor):
    db.install(schema_editor, _tables(apps))


def backwards(apps, schema_editor):
    db.uninstall(schema_editor, _tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0005_records_shown"),
        ("cases", "0010_lifecycle_after_the_operation"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
