"""`manage.py issue_enrolment_code USERNAME`: a two-step enrolment code issued on the server.

For the first administrator, whom nobody in the application can issue a code to yet,
and for recovery when no administrator can sign in. The code is printed once.
"""

from django.core.management.base import BaseCommand, CommandError

from agencies.models import User
from audit import enrolment


class Command(BaseCommand):
    help = "Issue a one-time two-step enrolment code for a user (valid 72 hours, shown once)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        code = enrolment.issue_on_server(user)
        self.stdout.write(f"Two-step enrolment code for {username}: {code}")
        self.stdout.write("It works once, within 72 hours. Give it to the user in person or by phone, never by e-mail.")
