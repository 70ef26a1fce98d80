"""On PostgreSQL, the person search has its indexes (migration 0007); SQLite has none."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.mark.django_db
def test_search_and_newest_first_indexes_exist_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases_person'")
        indexes = dict(cursor.fetchall())
    assert (
        "gin_trgm_ops" in indexes["cases_person_name_trgm"]
        and "upper((legal_name)" in indexes["cases_person_name_trgm"]
    )
    assert "gin_trgm_ops" in indexes["cases_person_aliases_trgm"]
    assert "upper((reference" in indexes["cases_person_reference_upper"]
    assert "created_at, id" in indexes["person_newest_first"]
