"""The project's own Django apps, for the tests that every model has an access entry.

Every installed app whose code lives in this repository counts, so a new app is covered
the day it is added. The ones below are exempt, each for the reason given.
"""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.conf import settings

EXEMPT: dict[str, str] = {
    "apitokens": "a user's own API tokens: tests/test_web_tokens.py and tests/api/test_api_tokens.py",
    "audit": "the audit trail has its own scoping tests (test_audit_viewer, test_access_log_reads)",
    "idempotency": "stored answers are read back only by the request that wrote them (test_web_idempotency)",
}


def own_app_labels() -> list[str]:
    root = Path(settings.BASE_DIR).resolve()
    return sorted(
        config.label
        for config in apps.get_app_configs()
        # The virtual environment (.venv) lives in the repository too; its packages are not ours.
        if Path(config.path).resolve().parent == root and config.label not in EXEMPT
    )


def own_models() -> set:
    """Every concrete model of the project's own apps, their history tables left out."""
    return {
        model
        for label in own_app_labels()
        for model in apps.get_app_config(label).get_models()
        if not model.__name__.startswith("Historical")
    }
