"""Recompute the kept reports (cases/reports/snapshots.py): run it every few minutes.

Here beside the downloads: both are report work done off the request by the workers and cron.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from cases import access
from cases.reports import snapshots
from cases.reports.scope import report_scope
from cases.reports.summary import default_period


class Command(BaseCommand):
    help = "Recompute every kept report read lately; --warm also computes the task force's default ones."

    def add_arguments(self, parser):
        parser.add_argument(
            "--within-days", type=int, default=7, help="Recompute reports read in these last days (default 7)."
        )
        parser.add_argument(
            "--warm",
            action="store_true",
            help="Also compute the coordinators' default dashboard and this year's and last year's measures.",
        )

    def handle(self, *args, within_days, warm, **options):
        if not snapshots.enabled():
            self.stdout.write("Reports are not kept (REPORT_MAX_AGE_SECONDS is 0): nothing to do.")
            return
        counts = snapshots.refresh_all(within_days * 24 * 3600)
        warmed = 0
        if warm:
            coordinator = access.task_force_coordinators().order_by("pk").first()
            if coordinator is not None:
                scope = report_scope(coordinator)
                start, end = default_period()
                year = timezone.localdate().year
                snapshots.store(scope, "summary", snapshots.summary_params(start, end))
                for y in (year, year - 1):
                    snapshots.store(scope, "measures", {"year": y, "quarter": None})
                warmed = 3
        self.stdout.write(
            f"{counts['refreshed']} report(s) recomputed, {warmed} computed for the task force, "
            f"{counts['forgotten'] + counts['dropped']} forgotten."
        )
