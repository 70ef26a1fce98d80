"""Delete export files past EXPORT_KEEP_HOURS and fail jobs whose worker died (the worker does both too)."""

from django.core.management.base import BaseCommand

from exports.writing import fail_stale, purge_expired


class Command(BaseCommand):
    help = "Delete expired export files and fail export jobs whose worker stopped."

    def handle(self, *args, **options):
        stale = fail_stale()
        purged = purge_expired()
        self.stdout.write(f"{purged} expired file(s) deleted, {stale} stopped job(s) marked failed.")
