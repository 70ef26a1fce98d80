"""Who the harness measures as, and which of their records it opens.

The coordinator sees everything. The scoped officer and advocate are the busiest of
their kind (the agency taking part in most operations; the partner receiving most
referrals), the worst case for a scoped list. Each opens the largest operation it can
see and the person it has met most often.
"""

from __future__ import annotations

from django.db.models import Count
from django.test import Client

from agencies.models import AgencyKind, Membership, Role
from cases.models import Contact, Investigation, Operation, Participation, Prosecution, Referral, ReliefRequest

from .measure import middle_cursor_url


class Subject:
    def __init__(self, label: str, membership: Membership):
        self.label = label
        self.user = membership.user
        self.agency = membership.agency
        self.client = Client()
        self.client.force_login(self.user)
        self._pages: dict[str, str] = {}
        visible_ops = Operation.objects.visible_to(self.user)
        self.operation = (
            visible_ops.annotate(n=Count("contacts")).order_by("-n", "id").values_list("id", flat=True).first()
        )
        people = (
            Contact.objects.visible_to(self.user)
            .values("person_id")
            .annotate(n=Count("id"))
            .order_by("-n", "person_id")
        )
        if not people.exists():
            people = (
                Referral.objects.visible_to(self.user)
                .values("person_id")
                .annotate(n=Count("id"))
                .order_by("-n", "person_id")
            )
        top = people.first()
        self.person = top["person_id"] if top else None
        # The biggest investigation and prosecution it can see (none for an advocate), and
        # the relief request with the most steps.
        self.investigation = (
            Investigation.objects.visible_to(self.user)
            .annotate(n=Count("people", distinct=True))
            .order_by("-n", "id")
            .values_list("id", flat=True)
            .first()
        )
        self.prosecution = (
            Prosecution.objects.visible_to(self.user)
            .annotate(n=Count("counts"))
            .order_by("-n", "id")
            .values_list("id", flat=True)
            .first()
        )
        self.relief = (
            ReliefRequest.objects.visible_to(self.user)
            .annotate(n=Count("events"))
            .order_by("-n", "id")
            .values_list("id", flat=True)
            .first()
        )

    def __str__(self) -> str:
        return f"{self.label} ({self.user.username}, {self.agency.name})"

    def middle_of(self, url_name: str) -> str:
        """The cursor URL of the API list's middle page for this subject (found once)."""
        if url_name not in self._pages:
            self._pages[url_name] = middle_cursor_url(url_name, self.user)
        return self._pages[url_name]


def _member(role: str, **agency_filter) -> Membership:
    return (
        Membership.objects.current()
        .filter(role=role, user__username__startswith="gen-", **agency_filter)
        .select_related("user", "agency")
        .order_by("id")
        .first()
    )


def pick_subjects() -> list[Subject]:
    busiest_police = (
        Participation.objects.filter(agency__kind=AgencyKind.LAW_ENFORCEMENT)
        .values("agency_id")
        .annotate(n=Count("id"))
        .order_by("-n", "agency_id")
        .first()["agency_id"]
    )
    busiest_partner = (
        Referral.objects.filter(to_agency__kind=AgencyKind.VICTIM_SERVICES)
        .values("to_agency_id")
        .annotate(n=Count("id"))
        .order_by("-n", "to_agency_id")
        .first()["to_agency_id"]
    )
    busiest_prosecutor = (
        Prosecution.objects.values("prosecuting_agency_id")
        .annotate(n=Count("id"))
        .order_by("-n", "prosecuting_agency_id")
        .first()
    )
    subjects = [
        Subject("coordinator", _member(Role.COORDINATOR, agency__kind=AgencyKind.TASK_FORCE)),
        Subject("officer", _member(Role.OFFICER, agency_id=busiest_police)),
        Subject("advocate", _member(Role.ADVOCATE, agency_id=busiest_partner)),
    ]
    # The prosecuting office that filed most cases (an officer of a prosecutor-kind agency);
    # a generated world too small to have prosecutions has no prosecutor to measure.
    if busiest_prosecutor:
        subjects.append(
            Subject("prosecutor", _member(Role.OFFICER, agency_id=busiest_prosecutor["prosecuting_agency_id"]))
        )
    return subjects
