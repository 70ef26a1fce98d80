"""The demonstration data: the task force, its staff, two operations and what followed them (see seed_demo)."""

from __future__ import annotations

from django.apps import apps
from django.db import transaction

from cases.catalogue_data import load_catalogues

from . import aftermath, duplicates, follow_up, sting, truck_stops
from .builder import Builder
from .directory import load_agencies, load_staff, login_rows

__all__ = ["seed", "login_rows", "record_counts"]


@transaction.atomic
def seed(password: str) -> dict:
    """Load everything; safe to run again (it finds what exists and adds what is missing)."""
    load_catalogues()
    agencies = load_agencies()
    users = load_staff(agencies, password)
    b = Builder(agencies, users)
    story = {"truck_stops": truck_stops.build(b), "sting": sting.build(b)}
    walk_in = follow_up.walk_in(b)
    story["referrals"] = follow_up.referrals(b, story["truck_stops"], story["sting"], walk_in)
    story["walk_in"] = walk_in
    story["aftermath"] = aftermath.build(b, story["truck_stops"], story["sting"], walk_in)
    story["second_records"] = duplicates.build(b)
    return story


def record_counts() -> dict[str, int]:
    """Rows per model of the agencies and cases apps, e.g. {"cases.Contact": 41}."""
    counts = {}
    for label in ("agencies", "cases"):
        for model in apps.get_app_config(label).get_models():
            counts[f"{label}.{model.__name__}"] = model._default_manager.count()
    return counts
