"""Indexes for finding a person by name, alias or reference (the search of the people
list, the contact form and the API's ?q=), and for the people list's newest-first order.

The search is `reference = x OR legal_name contains x OR aliases contains x`, case-blind
(cases/filters.py, PersonFilterSet.search). On PostgreSQL trigram indexes (pg_trgm, a
trusted extension a database owner may create) on the upper-cased columns answer the
"contains" parts, and an index on the upper-cased reference the exact part, so a search
reads the few matching people instead of every person. SQLite has no such indexes; the
migration does nothing there.
"""

from django.db import migrations, models

INDEXES = [
    ("cases_person_name_trgm", "USING gin (UPPER(legal_name) gin_trgm_ops)"),
    ("cases_person_aliases_trgm", "USING gin (UPPER(aliases) gin_trgm_ops)"),
    ("cases_person_reference_upper", "(UPPER(reference))"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON cases_person {definition}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _ in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("cases", "0006_indexes_of_voided_records"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="person",
            index=models.Index(fields=["created_at", "id"], name="person_newest_first"),
        ),
        migrations.RunPython(create, drop),
    ]
