"""Partial indexes of the voided rows of every table a record's parent can be in.

Reports leave out records whose person, contact, referral, operation or detention is
voided (cases/reports/scope.py). With these indexes the voided ids are a short index
read, so that check no longer joins every offer, referral and detention of a period to
its person and contact. Voided rows are few, so the indexes stay small. Plain SQL: the
indexes serve queries only, not the models' state.
"""

from django.db import migrations

TABLES = ["cases_person", "cases_contact", "cases_referral", "cases_operation", "cases_detention"]


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0005_indexes_for_newest_first_pages"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX {table}_voided ON {table} (id) WHERE voided_at IS NOT NULL",
            f"DROP INDEX {table}_voided",
        )
        for table in TABLES
    ]
