from django.core.management.base import BaseCommand

from idempotency import service


class Command(BaseCommand):
    help = "Delete idempotency keys older than IDEMPOTENCY_KEEP_HOURS (24 by default). Safe to run hourly."

    def handle(self, *args, **options):
        deleted = service.purge()
        self.stdout.write(f"{deleted} expired idempotency key(s) deleted.")
