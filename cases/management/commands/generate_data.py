"""manage.py generate_data --scale N: invented data at state scale for performance work.

N = 1 gives about 2,000 operations, 100,000 people, 200,000 contacts, 300,000 service
offers, 30,000 referrals, 2,000 custody hand-offs and 20,000 detentions over 200
agencies and 2,000 users. Use a database of its own: the rows are written in bulk
(COPY on PostgreSQL) and bypass the change history.
"""

from __future__ import annotations

import resource
import time

from django.core.management.base import BaseCommand, CommandError

from cases.generator import generate


class Command(BaseCommand):
    help = "Fill an empty database with invented records at a given scale (1 = about 200,000 contacts)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Size multiplier; may be fractional, e.g. 0.05.")
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed: the same seed gives the same data on the same day."
        )
        parser.add_argument(
            "--check-foreign-keys",
            action="store_true",
            help="Keep PostgreSQL's per-row foreign-key checks on (slower; by default a superuser skips them).",
        )
        parser.add_argument(
            "--batch-rows", type=int, default=50_000, help="Rows held in memory before each bulk write."
        )

    def handle(self, *args, scale, seed, batch_rows, check_foreign_keys, **options):
        if scale <= 0:
            raise CommandError("--scale must be greater than 0.")
        started = time.monotonic()
        self.stdout.write(f"Generating scale {scale} with seed {seed}…")
        try:
            written = generate(
                scale, seed=seed, batch_rows=batch_rows, check_foreign_keys=check_foreign_keys, log=self.stdout.write
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        for table, rows in written.items():
            self.stdout.write(f"  {table:<40} {rows:>12,}")
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {sum(written.values()):,} rows in {time.monotonic() - started:.1f} s; peak memory {peak_mb:.0f} MB."
            )
        )
