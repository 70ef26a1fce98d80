"""Settings for the test suite: the normal settings in test mode."""

import os

os.environ["TASKFORCE_MODE"] = "test"

from .settings import *  # noqa: E402,F401,F403

# PostgreSQL's test database is emptied after each committing test by deleting its rows rather
# than truncating every table (tests/postgresql/base.py): seconds less per browser test.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"]["ENGINE"] = "tests.postgresql"  # noqa: F405
