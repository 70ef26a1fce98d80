"""manage.py send_reminders: make the reminders that are due, queue and send their e-mail.

Run it every few minutes (cron or a systemd timer, README "Reminders and e-mail"), on one
server or several: a lease row lets one run work at a time, the others stop at once.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.dateparse import parse_datetime

from notifications import delivery


class Command(BaseCommand):
    help = "Make the reminders that are due, close resolved ones, and send the notification e-mails."

    def add_arguments(self, parser):
        parser.add_argument("--now", help="Pretend it is this time (ISO 8601, with a time zone): for testing rules.")
        parser.add_argument("--holder", help="Name of this run in the lease (default: host, process and a nonce).")

    def handle(self, *args, now=None, holder=None, **options):
        when = None
        if now:
            when = parse_datetime(now)
            if when is None or when.tzinfo is None:
                raise CommandError("--now takes an ISO 8601 time with a time zone, e.g. 2026-03-01T08:00:00+00:00.")
        result = delivery.run(when, holder)
        if not result.ran:
            self.stdout.write("Another send_reminders run holds the lease; nothing done.")
            return
        r, s = result.reminders, result.sent
        self.stdout.write(
            f"Reminders made: {r.made} (people told: {r.notified}); closed: {r.closed}. "
            f"E-mails queued: {result.queued}; sent: {s.sent}; failed, to retry: {s.failed}."
        )
        if s.failed:
            self.stderr.write(f"{s.failed} e-mail(s) failed and stay in the outbox: {s.errors[0]}")
