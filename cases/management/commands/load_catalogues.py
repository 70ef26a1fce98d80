"""`manage.py load_catalogues`: the default service types, indicators and vulnerability factors.

Safe in production (no people, no accounts) and safe to run again: entries are
matched by code, updated, and never removed.
"""

from django.core.management.base import BaseCommand

from cases.catalogue_data import load_catalogues


class Command(BaseCommand):
    help = "Create or update the default catalogues (service types, trafficking indicators, vulnerability factors)."

    def handle(self, *args, **options):
        for name, count in load_catalogues().items():
            self.stdout.write(f"{name}: {count}")
