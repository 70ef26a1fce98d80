"""On PostgreSQL, refuse UPDATE and DELETE on the access log and every history table.

`audit.db.install` is idempotent and installs the guards as they are today, so on a
new database this migration already installs what 0003 brought; 0003 upgrades the
databases where this one ran before.
"""

from django.db import migrations

from audit import db

AUDIT_MODELS = [
    ("audit", "AccessLog"),
    ("agencies", "HistoricalAgency"),
    ("agencies", "HistoricalMembership"),
    ("agencies", "HistoricalUser"),
    ("cases", "HistoricalServiceType"),
    ("cases", "HistoricalIndicator"),
    ("cases", "HistoricalVulnerabilityFactor"),
    ("cases", "HistoricalOperation"),
    ("cases", "HistoricalLocation"),
    ("cases", "HistoricalParticipation"),
    ("cases", "HistoricalPerson"),
    ("cases", "HistoricalContact"),
    ("cases", "HistoricalServiceOffer"),
    ("cases", "HistoricalReferral"),
    ("cases", "HistoricalReferralEvent"),
    ("cases", "HistoricalCustodyHandoff"),
    ("cases", "HistoricalCustodyEvent"),
    ("cases", "HistoricalDetention"),
    ("cases", "HistoricalCharge"),
    ("cases", "HistoricalNote"),
]


def _tables(apps) -> dict[str, str]:
    """Each audit table and the column that dates its rows (for the retention check)."""
    tables = {}
    for app, name in AUDIT_MODELS:
        model = apps.get_model(app, name)
        tables[model._meta.db_table] = "at" if name == "AccessLog" else "history_date"
    return tables


def forwards(apps, schema_editor):
    db.install(schema_editor, _tables(apps))


def backwards(apps, schema_editor):
    db.uninstall(schema_editor, _tables(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_access_log"),
        ("agencies", "0003_history_of_agencies_memberships_users"),
        ("cases", "0002_history_of_case_records"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
