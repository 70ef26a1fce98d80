"""Recompute every person access row from the records (cases/access/people_access.py).

Run after loading records without model saves (a restore, a bulk import); `generate_data`
runs it itself. Safe at any time: the rows are replaced in one transaction.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from cases.access import people_access


class Command(BaseCommand):
    help = "Recompute who may see which person (the person access rows) from the records."

    def handle(self, *args, **options):
        started = time.monotonic()
        rows = people_access.rebuild()
        self.stdout.write(self.style.SUCCESS(f"{rows:,} person access rows in {time.monotonic() - started:.1f} s."))
