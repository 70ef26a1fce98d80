"""`manage.py seed_demo`: load the demonstration task force, staff and operations."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.demo import login_rows, record_counts, seed

REFUSAL = (
    "seed_demo only runs in demo or test mode (TASKFORCE_MODE=demo): it creates demonstration "
    "accounts with a shared password, and this server is in production mode (DEMO_PASSWORD is not set)."
)


class Command(BaseCommand):
    help = "Load the demonstration data (invented people). Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-logins",
            action="store_true",
            help="Only print the demonstration logins and their password; load nothing.",
        )

    def handle(self, *args, print_logins=False, **options):
        password = settings.DEMO_PASSWORD
        if password is None:
            raise CommandError(REFUSAL)
        if print_logins:
            self._print_logins(password)
            return
        story = seed(password)
        counts = record_counts()
        self.stdout.write(self.style.SUCCESS("Demonstration data loaded."))
        for key in ("truck_stops", "sting"):
            op = story[key]["operation"]
            self.stdout.write(f"  {op.code} {op.name}: {op.contacts.count()} people contacted")
        for label in (
            "agencies.Agency",
            "agencies.User",
            "cases.Person",
            "cases.Contact",
            "cases.ServiceOffer",
            "cases.Referral",
            "cases.CustodyHandoff",
            "cases.Detention",
            "cases.Note",
            "cases.Investigation",
            "cases.Prosecution",
            "cases.CourtEvent",
            "cases.ReliefRequest",
        ):
            self.stdout.write(f"  {label.split('.')[1]}: {counts[label]}")
        self.stdout.write("Sign-in names: run `manage.py seed_demo --print-logins`.")

    def _print_logins(self, password: str) -> None:
        rows = [("Username", "Role", "Agency", "Password")] + [(*row, password) for row in login_rows()]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]
        line = "  ".join("-" * w for w in widths)
        self.stdout.write("Demonstration logins (they work only while the server runs in demo mode):")
        for index, row in enumerate(rows):
            self.stdout.write("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
            if index == 0:
                self.stdout.write(line)
        self.stdout.write(
            "sysadmin keeps user accounts and catalogues in the admin (/admin/); the coordinator "
            "runs the task force's case records and is not a system administrator."
        )
