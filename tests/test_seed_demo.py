"""The demonstration data: exact counts of the two operations, the referral states, the
person who said yes the second time, the refusal in production, and the access story."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import Count
from django.test import override_settings
from django.utils import timezone

from agencies.backends import TaskForceBackend
from agencies.models import Agency, AgencyKind, Membership, Role, User
from cases.catalogue_data import INDICATORS, SERVICE_TYPES, VULNERABILITY_FACTORS, load_catalogues
from cases.demo import aftermath, directory, sting, truck_stops
from cases.demo.builder import local
from cases.models import (
    AgeGroup,
    Charge,
    Contact,
    ContactOutcome,
    ContactRole,
    CourtEvent,
    CourtEventKind,
    CourtEventStatus,
    CustodyHandoff,
    Detention,
    DetentionOutcome,
    Gender,
    Indicator,
    Investigation,
    InvestigationAgencyRole,
    InvestigationPersonRole,
    InvestigationStatus,
    Jurisdiction,
    Note,
    OfferResponse,
    Operation,
    ParticipationRole,
    Person,
    Prosecution,
    Referral,
    ReferralClosure,
    ReferralStatus,
    ReliefKind,
    ReliefRequest,
    ReliefStatus,
    ServiceOffer,
    ServiceType,
    VulnerabilityFactor,
)
from cases.models import Count as ChargeCount
from cases.models.contacts import VICTIM_ROLES

pytestmark = pytest.mark.django_db

PASSWORD = "demo-password-2026"


@pytest.fixture(scope="module")
def _seeded(django_db_setup, django_db_blocker):
    """Seed once for the module inside a transaction that is rolled back at its end.

    Each test's own transaction nests inside as a savepoint, so tests stay isolated
    and the demo (a few seconds to load) is loaded once.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        call_command("seed_demo", stdout=_Sink())
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def demo(_seeded, db):
    return {
        "truck_stops": Operation.objects.get(name=truck_stops.NAME),
        "sting": Operation.objects.get(name=sting.NAME),
    }


class _Sink:
    """Collects what a command writes."""

    def __init__(self):
        self.text = ""

    def write(self, text):
        self.text += text

    def flush(self):
        pass


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _all_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.app_label not in ("sessions",)
    }


def _age_at_contact(contact: Contact) -> int:
    return contact.person.age_on(timezone.localtime(contact.occurred_at).date())


# --- loading ------------------------------------------------------------------


def test_running_twice_gives_identical_counts_for_every_model(demo):
    first = _all_counts()
    call_command("seed_demo", stdout=_Sink())
    assert _all_counts() == first
    assert first["cases.Contact"] == 11 + 18 + 1
    assert first["cases.Referral"] >= 8
    story = {label: first[f"cases.{label}"] for label in ("Investigation", "Prosecution", "Count", "CourtEvent")}
    assert story == {"Investigation": 2, "Prosecution": 5 + 3, "Count": 5 + 5, "CourtEvent": 9 + 6}
    assert (first["cases.ReliefRequest"], first["cases.ReliefEvent"]) == (3, 3)


def test_catalogues_hold_the_default_lists_and_reload_without_duplicates(demo):
    assert set(ServiceType.objects.values_list("code", flat=True)) == {e.code for e in SERVICE_TYPES}
    assert set(Indicator.objects.values_list("code", flat=True)) == {e.code for e in INDICATORS}
    assert set(VulnerabilityFactor.objects.values_list("code", flat=True)) == {e.code for e in VULNERABILITY_FACTORS}
    for name in (
        "Food",
        "Lodging or shelter",
        "Medical care",
        "Counseling or therapy",
        "Substance-use treatment",
        "Childcare",
        "Financial assistance",
        "Legal aid",
        "Immigration assistance",
        "Interpreter",
        "Transportation",
        "Case management",
        "Crisis intervention",
    ):
        assert ServiceType.objects.filter(name=name).exists(), name
    for name in (
        "Signs of physical abuse",
        "Branding tattoo",
        "Not in control of ID or passport",
        "Fearful or submissive",
        "Controlling companion",
        "Scripted answers",
    ):
        assert Indicator.objects.filter(name=name).exists(), name
    categories = {c for c in Indicator._meta.get_field("category").choices}
    assert {i.category for i in Indicator.objects.all()} <= {value for value, _ in categories}
    assert len(INDICATORS) >= 14
    assert load_catalogues()["service types"] == len(SERVICE_TYPES)


def test_task_force_and_agencies_of_every_kind(demo):
    task_force = Agency.objects.get(name="Missouri Attorney General's Human Trafficking Task Force")
    assert task_force.kind == AgencyKind.TASK_FORCE
    assert Agency.objects.exclude(pk=task_force.pk).count() >= 16
    assert set(Agency.objects.values_list("kind", flat=True)) >= {
        AgencyKind.LAW_ENFORCEMENT,
        AgencyKind.PROSECUTOR,
        AgencyKind.VICTIM_SERVICES,
        AgencyKind.CHILD_WELFARE,
        AgencyKind.HEALTH,
        AgencyKind.LEGAL_AID,
    }
    assert Agency.objects.filter(kind=AgencyKind.VICTIM_SERVICES).count() >= 3
    assert Agency.objects.get(short_name="MO-CD").kind == AgencyKind.CHILD_WELFARE
    # Every partner outside law enforcement says what it provides.
    assert (
        not Agency.objects.exclude(kind__in=[AgencyKind.LAW_ENFORCEMENT, AgencyKind.PROSECUTOR])
        .filter(services__isnull=True)
        .exists()
    )


def test_every_role_has_a_demo_login_in_a_fitting_agency(demo):
    members = Membership.objects.filter(user__is_demo=True, active=True).select_related("agency", "user")
    assert {m.role for m in members} == set(Role.values)
    for member in members:
        member.clean()  # the role suits the agency's kind
        assert member.user.is_staff and member.user.check_password(PASSWORD)
    placed = {(m.user.username, m.role, m.agency.short_name) for m in members}
    assert ("coordinator", Role.COORDINATOR, "AGO-HTTF") in placed
    assert ("supervisor.sjpd", Role.SUPERVISOR, "SJPD") in placed
    assert {a for _, r, a in placed if r == Role.OFFICER} == {"SJPD", "KCPD", "MSHP", "FBI-KC", "BCPA", "USAO-WDMO"}
    assert {a for _, r, a in placed if r == Role.ADVOCATE} == {"HARBOR", "NORTHLAND", "PRAIRIE-LAW"}
    prosecutors = {m.user.username: m.agency.kind for m in members if m.agency.short_name in ("BCPA", "USAO-WDMO")}
    assert prosecutors == {"prosecutor.bcpa": AgencyKind.PROSECUTOR, "prosecutor.usao": AgencyKind.PROSECUTOR}
    assert Agency.objects.get(short_name="PRAIRIE-LAW").kind == AgencyKind.LEGAL_AID
    assert {a for _, r, a in placed if r == Role.AUDITOR} == {"AGO-HTTF", "SJPD"}


def test_print_logins_lists_every_login_with_the_password(demo):
    out = _Sink()
    call_command("seed_demo", "--print-logins", stdout=out)
    for row in directory.STAFF:
        line = next(line for line in out.text.splitlines() if line.startswith(row.username + " "))
        assert PASSWORD in line and Role(row.role).label in line


def test_system_administrator_and_coordinator_are_separate_logins(demo, client):
    sysadmin, coordinator = _user("sysadmin"), _user("coordinator")
    # The system administrator: accounts and catalogues in the admin, no place in any agency.
    assert sysadmin.is_superuser and sysadmin.is_staff and sysadmin.is_demo
    assert not Membership.objects.filter(user=sysadmin).exists()
    # The coordinator runs the case records through the policy and is no superuser.
    assert not coordinator.is_superuser
    assert Membership.objects.get(user=coordinator, active=True).role == Role.COORDINATOR
    assert client.post("/accounts/login/", {"username": "sysadmin", "password": PASSWORD}).status_code == 302
    assert client.get("/admin/axes/accessattempt/").status_code == 200
    client.post("/accounts/logout/")
    assert client.post("/accounts/login/", {"username": "coordinator", "password": PASSWORD}).status_code == 302
    assert client.get("/admin/axes/accessattempt/").status_code == 403
    assert client.get("/operations/").status_code == 200


def test_print_logins_shows_the_system_administrator_and_the_coordinator(demo):
    out = _Sink()
    call_command("seed_demo", "--print-logins", stdout=out)
    lines = out.text.splitlines()
    assert any(line.startswith("sysadmin ") and "System administrator" in line and PASSWORD in line for line in lines)
    assert any(line.startswith("coordinator ") and "Coordinator" in line for line in lines)
    for username, office in (
        ("prosecutor.bcpa", "Buchanan County Prosecuting Attorney"),
        ("prosecutor.usao", "U.S. Attorney's Office for the Western District of Missouri"),
    ):
        assert any(line.startswith(username + " ") and "prosecutor" in line and office in line for line in lines)
    assert any(line.startswith("advocate.prairie ") and "Prairie Legal Aid Collaborative" in line for line in lines)


@override_settings(DEMO_PASSWORD=None)
def test_refuses_to_run_in_production(db):
    before = _all_counts()
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", stdout=_Sink())
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo", "--print-logins", stdout=_Sink())
    assert _all_counts() == before


def test_demo_users_sign_in_only_while_the_demo_password_is_set(demo):
    backend = TaskForceBackend()
    assert backend.authenticate(None, username="officer.sjpd", password=PASSWORD) == _user("officer.sjpd")
    with override_settings(DEMO_PASSWORD=None):
        assert backend.authenticate(None, username="officer.sjpd", password=PASSWORD) is None
        assert backend.authenticate(None, username="coordinator", password=PASSWORD) is None


# --- operation (a): the truck stops -----------------------------------------


def test_truck_stop_operation_rescued_eight_and_arrested_three(demo):
    op = demo["truck_stops"]
    contacts = Contact.objects.filter(operation=op)
    victims = contacts.filter(role__in=VICTIM_ROLES)
    assert victims.count() == 8
    assert victims.filter(age_group=AgeGroup.ADULT, person__gender=Gender.FEMALE).count() == 5
    assert victims.filter(age_group=AgeGroup.ADULT, person__gender=Gender.MALE).count() == 1
    children = victims.exclude(age_group=AgeGroup.ADULT)
    assert sorted(children.values_list("age_group", flat=True)) == [AgeGroup.CHILD, AgeGroup.INFANT]
    assert sorted(_age_at_contact(c) for c in children) == [0, 2]
    assert victims.filter(age_group=AgeGroup.ADULT, outcome=ContactOutcome.OFFERED_SERVICES).count() == 6

    arrested = contacts.filter(outcome=ContactOutcome.ARRESTED)
    assert arrested.count() == 3
    assert (
        arrested.filter(
            person__gender=Gender.MALE,
            age_group=AgeGroup.ADULT,
            role__in=[ContactRole.SUSPECTED_TRAFFICKER, ContactRole.BUYER],
        ).count()
        == 3
    )
    detentions = Detention.objects.filter(contact__operation=op)
    assert detentions.filter(outcome=DetentionOutcome.ARRESTED).count() == 3 == detentions.count()
    assert not detentions.annotate(n=Count("charges")).filter(n=0).exists()
    assert Charge.objects.filter(detention__in=detentions, is_trafficking=True).count() >= 2

    # Every adult was offered the five services of the press release; the children none.
    for contact in victims.filter(age_group=AgeGroup.ADULT):
        offered = set(contact.service_offers.values_list("service_type__code", flat=True))
        assert offered == {"food", "shelter", "medical", "counseling", "substance_use"}, contact.person
    assert not ServiceOffer.objects.filter(contact__in=children).exists()

    handoffs = CustodyHandoff.objects.filter(operation=op)
    assert handoffs.count() == 2
    assert set(handoffs.values_list("person_id", flat=True)) == set(children.values_list("person_id", flat=True))
    assert all(h.receiving_agency.short_name == "MO-CD" and h.handed_over_at for h in handoffs)
    assert children.filter(outcome=ContactOutcome.PROTECTIVE_CUSTODY).count() == 2


# --- operation (b): the sting -------------------------------------------------


def test_truck_stop_operation_had_the_sixteen_agencies_of_the_press_release(demo):
    taking_part = demo["truck_stops"].participations.select_related("agency")
    assert taking_part.count() == 16
    names = {p.agency.name for p in taking_part}
    # The agencies the press release names, by their real names; the rest are the demo's partners.
    assert names >= {
        "St. Joseph Police Department",
        "Missouri State Highway Patrol",
        "Missouri Attorney General's Human Trafficking Task Force",
        "Kansas City Police Department",
        "Buchanan County Sheriff's Office",
        "Johnson County Sheriff's Office",
        "FBI Kansas City Field Office",
        "U.S. Marshals Service Western District of Missouri",
        "Missouri Department of Corrections, Division of Probation and Parole",
        "Missouri State Parks",
    }
    assert {p.role for p in taking_part} == {
        ParticipationRole.LEAD,
        ParticipationRole.SUPPORT,
        ParticipationRole.VICTIM_SERVICES,
        ParticipationRole.CHILD_WELFARE,
        ParticipationRole.PROSECUTION,
    }
    assert all(p.staff_count for p in taking_part)


def test_seeding_an_older_demo_database_adds_what_it_lacks(demo):
    """A demo loaded before the sixteen agencies and the fifth service gets them on the next run."""
    truck_stops, sting = demo["truck_stops"], demo["sting"]
    truck_stops.participations.filter(agency__short_name__in=["MSP", "MODOC-PP", "JOCOSO"]).delete()
    Agency.objects.filter(short_name__in=["MSP", "MODOC-PP", "JOCOSO"]).delete()
    ServiceOffer.objects.filter(contact__operation=sting, service_type__code="substance_use").exclude(
        person__vulnerabilities__code="substance_use"
    ).delete()
    assert ServiceOffer.objects.filter(contact__operation=sting, service_type__code="substance_use").count() == 4
    call_command("seed_demo", stdout=_Sink())
    assert truck_stops.participations.count() == 16
    assert ServiceOffer.objects.filter(contact__operation=sting, service_type__code="substance_use").count() == 10
    again = _all_counts()
    call_command("seed_demo", stdout=_Sink())
    assert _all_counts() == again


def test_sting_matches_the_press_release(demo):
    op = demo["sting"]
    contacts = Contact.objects.filter(operation=op)
    assert contacts.count() == 18

    men = contacts.filter(person__gender=Gender.MALE, age_group=AgeGroup.ADULT)
    assert men.count() == 5
    assert men.filter(role=ContactRole.BUYER, outcome=ContactOutcome.DETAINED).count() == 5
    assert Detention.objects.filter(contact__in=men).values("person").distinct().count() == 5

    women = contacts.filter(person__gender=Gender.FEMALE, age_group=AgeGroup.ADULT)
    assert women.count() == 10
    assert women.filter(role__in=VICTIM_ROLES, outcome=ContactOutcome.OFFERED_SERVICES).count() == 10
    assert women.filter(service_offers__isnull=True).count() == 0
    # All ten were offered all five services, drug rehabilitation included, as the press release says.
    for woman in women:
        offered = set(woman.service_offers.values_list("service_type__code", flat=True))
        assert offered == {"food", "shelter", "medical", "counseling", "substance_use"}, woman.person
    assert (
        ServiceOffer.objects.filter(
            contact__in=women, service_type__code="medical", provider__short_name="RIVERBEND"
        ).count()
        == 10
    )

    children = contacts.exclude(age_group=AgeGroup.ADULT)
    assert children.count() == 3
    assert all(_age_at_contact(c) < 5 for c in children)
    assert children.filter(outcome=ContactOutcome.PROTECTIVE_CUSTODY, role=ContactRole.ACCOMPANYING_CHILD).count() == 3
    handoffs = CustodyHandoff.objects.filter(contact__in=children)
    assert handoffs.count() == 3
    assert (
        handoffs.filter(
            receiving_agency__short_name="MO-CD", handed_over_at__isnull=False, acknowledged_at__isnull=False
        ).count()
        == 3
    )
    assert Detention.objects.filter(contact__operation=op).count() == 5


def test_operations_happened_at_night_in_2026(demo):
    for op in demo.values():
        start = timezone.localtime(op.starts_at)
        assert date(2026, 1, 1) <= start.date() < date(2026, 11, 22)
        assert start.hour >= 19
        for contact in Contact.objects.filter(operation=op):
            hour = timezone.localtime(contact.occurred_at).hour
            assert hour >= 19 or hour < 6, contact


# --- referrals, the repeat person, notes, the walk-in ---------------------------


def test_referrals_cover_every_workflow_state_with_one_overdue(demo):
    referrals = Referral.objects.all()
    assert set(referrals.values_list("status", flat=True)) >= {
        ReferralStatus.DRAFT,
        ReferralStatus.SENT,
        ReferralStatus.ACKNOWLEDGED,
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
        ReferralStatus.IN_SERVICE,
        ReferralStatus.CLOSED,
    }
    sent = referrals.filter(status=ReferralStatus.SENT)
    assert sum(r.is_overdue for r in sent) == 1
    assert sum(not r.is_overdue for r in sent) >= 1
    assert referrals.filter(status=ReferralStatus.DECLINED).exclude(decline_reason="").exists()
    assert referrals.filter(status=ReferralStatus.CLOSED, closure=ReferralClosure.COMPLETED).exists()
    # Every step went through the workflow, so each has its event.
    for referral in referrals.exclude(status=ReferralStatus.DRAFT):
        assert referral.events.filter(to_status=referral.status).exists(), referral
    assert not referrals.exclude(to_agency__level="non_profit").exists()
    # Each side took its own steps, on the days the story says.
    in_service = referrals.get(status=ReferralStatus.IN_SERVICE)
    steps = {e.action: e for e in in_service.events.select_related("user", "agency")}
    assert (steps["send"].user.username, steps["send"].agency.short_name) == ("officer.sjpd", "SJPD")
    assert (steps["acknowledge"].user.username, steps["acknowledge"].agency.short_name) == ("advocate.harbor", "HARBOR")
    assert steps["acknowledge"].at == in_service.acknowledged_at == local(2026, 8, 22, 8, 0)
    assert [e.action for e in in_service.events.order_by("at")] == ["send", "acknowledge", "accept", "start_service"]


def test_chain_of_custody_runs_in_order(demo):
    for handoff in CustodyHandoff.objects.all():
        times = list(handoff.events.order_by("at", "id").values_list("kind", "at"))
        assert times[0] == ("taken", handoff.taken_at)
        assert [at for _, at in times] == sorted(at for _, at in times)
        assert handoff.handed_over_at and ("handed_over", handoff.handed_over_at) in times
        if handoff.acknowledged_at:
            assert times[-1] == ("acknowledged", handoff.acknowledged_at)
            assert handoff.acknowledged_by.username == "caseworker.cd"
    assert CustodyHandoff.objects.filter(acknowledged_at__isnull=True).count() == 1  # left for the demo caseworker


def test_the_same_person_declined_in_may_and_accepted_in_august(demo):
    person = Person.objects.get(legal_name=truck_stops.REPEAT_PERSON)
    first = Contact.objects.get(person=person, operation=demo["truck_stops"])
    second = Contact.objects.get(person=person, operation=demo["sting"])
    assert first.occurred_at < second.occurred_at
    assert set(first.service_offers.values_list("response", flat=True)) == {OfferResponse.DECLINED}
    assert second.service_offers.filter(response=OfferResponse.ACCEPTED).count() >= 4
    assert Person.objects.filter(legal_name=truck_stops.REPEAT_PERSON).count() == 1


def test_notes_include_a_private_victim_services_note_and_a_walk_in(demo):
    private = Note.objects.filter(private=True)
    assert private.count() == 1 and private.get().agency.short_name == "HARBOR"
    coordinator = _user("coordinator")
    assert not Note.objects.visible_to(coordinator).filter(private=True).exists()
    assert Note.objects.visible_to(_user("advocate.harbor")).filter(private=True).count() == 1
    walk_ins = Contact.objects.filter(operation__isnull=True)
    assert walk_ins.count() == 1 and walk_ins.get().agency.short_name == "KCPD"


def test_demo_people_are_invented_and_the_times_are_fixed(demo):
    """Deterministic: the story's own times do not depend on when it was loaded."""
    assert timezone.localtime(demo["truck_stops"].starts_at) == local(2026, 5, 15, 21, 30)
    assert Person.objects.exclude(legal_name="").count() == Person.objects.count()
    overdue = next(r for r in Referral.objects.filter(status=ReferralStatus.SENT) if r.is_overdue)
    assert overdue.sent_at == local(2026, 11, 2, 10, 0)


# --- the access story on the demo data ----------------------------------------------


def test_kcpd_officer_sees_nothing_of_the_sting_but_its_own_walk_in(demo):
    kcpd = _user("officer.kcpd")
    assert not demo["sting"].participations.filter(agency__short_name="KCPD").exists()
    assert Contact.objects.filter(operation=demo["sting"]).count() == 18
    assert not Contact.objects.visible_to(kcpd).filter(operation=demo["sting"]).exists()
    # The Kansas City police took part in the truck stops (the press release names them).
    assert demo["truck_stops"].participations.filter(agency__short_name="KCPD").exists()
    walk_in_and_truck_stops = Contact.objects.filter(operation__isnull=True) | Contact.objects.filter(
        operation=demo["truck_stops"]
    )
    assert set(Contact.objects.visible_to(kcpd)) == set(walk_in_and_truck_stops)
    # The lead's officer does see the sting.
    assert Contact.objects.visible_to(_user("officer.sjpd")).filter(operation=demo["sting"]).count() == 18


def test_advocate_sees_no_detention(demo):
    assert Detention.objects.count() == 8
    for username in ("advocate.harbor", "advocate.northland"):
        assert not Detention.objects.visible_to(_user(username)).exists()
        assert not Charge.objects.visible_to(_user(username)).exists()
    assert Detention.objects.visible_to(_user("coordinator")).count() == 8


def test_analyst_sees_no_person(demo):
    assert Person.objects.count() == 32  # 29 in the story, and 3 second records typed after the sting
    assert not Person.objects.visible_to(_user("analyst")).exists()
    assert not Contact.objects.visible_to(_user("analyst")).exists()


def test_caseworker_sees_the_five_children_handed_to_the_division(demo):
    caseworker = _user("caseworker.cd")
    assert CustodyHandoff.objects.visible_to(caseworker).count() == 5
    assert set(Person.objects.visible_to(caseworker).values_list("is_minor", flat=True)) == {True}


@override_settings(DEMO_PASSWORD=None)
def test_load_catalogues_runs_in_production_and_adds_nothing_twice(db):
    call_command("load_catalogues", stdout=_Sink())
    counts = (ServiceType.objects.count(), Indicator.objects.count(), VulnerabilityFactor.objects.count())
    assert counts[0] >= len(SERVICE_TYPES) and counts[1] >= len(INDICATORS) and counts[2] >= len(VULNERABILITY_FACTORS)
    call_command("load_catalogues", stdout=_Sink())
    assert (ServiceType.objects.count(), Indicator.objects.count(), VulnerabilityFactor.objects.count()) == counts


# --- after the operations: investigations, prosecutions, court dates, relief -----------


def _investigation(title: str) -> Investigation:
    return Investigation.objects.get(title=title)


def _people(inv: Investigation, role: str) -> set[str]:
    return set(inv.people.filter(role=role).values_list("person__legal_name", flat=True))


def _agencies(inv: Investigation) -> dict[str, str]:
    return dict(inv.agencies.values_list("agency__short_name", "role"))


def test_sting_became_an_investigation_referred_to_the_county_prosecutor(demo):
    inv = _investigation(aftermath.STING_INVESTIGATION)
    assert inv.reference.startswith("INV-2026-") and inv.status == InvestigationStatus.REFERRED
    assert list(inv.operations.all()) == [demo["sting"]]
    assert _agencies(inv) == {
        "SJPD": InvestigationAgencyRole.LEAD,
        "BCSO": InvestigationAgencyRole.PARTICIPANT,
        "MSHP": InvestigationAgencyRole.PARTICIPANT,
        "FBI-KC": InvestigationAgencyRole.PARTICIPANT,
        "BCPA": InvestigationAgencyRole.PROSECUTION,
    }
    assert _people(inv, InvestigationPersonRole.SUSPECT) == {name for name, *_ in sting.BUYERS}
    assert _people(inv, InvestigationPersonRole.VICTIM) == {name for name, *_ in sting.WOMEN}
    detained = Detention.objects.filter(contact__operation=demo["sting"])
    assert detained.count() == 5 and set(detained.values_list("investigation", flat=True)) == {inv.pk}
    assert set(inv.agencies.values_list("since", flat=True)) == {date(2026, 8, 22), date(2026, 9, 1)}
    # Written through the models and the policy, in the lead officer's name.
    assert set(inv.history.values_list("history_user__username", flat=True)) == {"officer.sjpd"}
    assert inv.history.filter(status=InvestigationStatus.OPEN).exists()


def test_five_detained_men_charged_under_rsmo_567(demo):
    inv = _investigation(aftermath.STING_INVESTIGATION)
    cases = Prosecution.objects.filter(investigation=inv)
    assert set(cases.values_list("defendant__legal_name", flat=True)) == {name for name, *_ in sting.BUYERS}
    assert set(cases.values_list("prosecuting_agency__short_name", "court_jurisdiction", "court")) == {
        ("BCPA", Jurisdiction.STATE, aftermath.COUNTY_COURT)
    }
    counts = ChargeCount.objects.filter(prosecution__investigation=inv)
    assert {c.statute.citation[:9] for c in counts} == {"RSMo 567."}
    by_disposition = counts.values("disposition").annotate(n=Count("id"))
    assert {row["disposition"]: row["n"] for row in by_disposition} == {
        "pleaded_guilty": 2,
        "dismissed": 1,
        "pending": 2,
    }
    for plea in counts.filter(disposition="pleaded_guilty"):
        assert plea.probation_months and plea.disposition_on >= plea.prosecution.filed_on
    assert counts.filter(disposition="pleaded_guilty", custody_months__isnull=False).count() == 1
    # The two still pending have a hearing next month; the others none to come.
    today = timezone.localdate()
    next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
    hearings = CourtEvent.objects.filter(prosecution__investigation=inv, kind=CourtEventKind.HEARING)
    assert set(hearings.values_list("prosecution__counts__disposition", flat=True)) == {"pending"}
    assert hearings.count() == 2
    for hearing in hearings:
        day = timezone.localtime(hearing.scheduled_at).date()
        assert hearing.status == CourtEventStatus.SCHEDULED and (day.year, day.month) == (
            next_month.year,
            next_month.month,
        )
        assert day.weekday() < 5


def test_truck_stop_arrests_lead_to_a_federal_trial_under_1591(demo):
    inv = _investigation(aftermath.TRUCK_STOP_INVESTIGATION)
    assert inv.lead_agency.short_name == "FBI-KC" and inv.status == InvestigationStatus.REFERRED
    assert _agencies(inv)["USAO-WDMO"] == InvestigationAgencyRole.PROSECUTION
    arrested = {"Dwayne Holcomb", "Russell Vantrease", "Garrett Plumlee"}
    assert _people(inv, InvestigationPersonRole.SUSPECT) == arrested
    assert "Teodoro Villalpando" in _people(inv, InvestigationPersonRole.VICTIM)
    linked = Detention.objects.filter(investigation=inv)
    assert set(linked.values_list("person__legal_name", flat=True)) == arrested
    cases = Prosecution.objects.filter(investigation=inv).select_related("defendant", "prosecuting_agency")
    assert {c.defendant.legal_name for c in cases} == arrested
    now = timezone.now()
    for case in cases:
        assert (case.prosecuting_agency.short_name, case.court_jurisdiction) == ("USAO-WDMO", Jurisdiction.FEDERAL)
        assert case.court == "U.S. District Court for the Western District of Missouri"
        assert case.counts.filter(statute__citation="18 U.S.C. 1591", statute__is_trafficking=True).exists()
        trial = case.court_events.get(kind=CourtEventKind.TRIAL)
        assert trial.status == CourtEventStatus.SCHEDULED and trial.scheduled_at > now
    assert set(ChargeCount.objects.filter(prosecution__investigation=inv).values_list("disposition", flat=True)) == {
        "pending"
    }


def test_advocates_of_victims_see_the_court_dates_and_nothing_else_of_the_case(demo):
    every_date = set(CourtEvent.objects.values_list("id", flat=True))
    sting_dates = set(
        CourtEvent.objects.filter(prosecution__investigation__operations=demo["sting"]).values_list("id", flat=True)
    )
    seen = {
        name: set(CourtEvent.objects.visible_to(_user(name)).values_list("id", flat=True))
        for name in ("advocate.harbor", "advocate.northland", "advocate.prairie", "caseworker.cd")
    }
    # Safe Harbor serves a victim of each operation; Northland and the clinic, women of the sting.
    assert seen == {
        "advocate.harbor": every_date,
        "advocate.northland": sting_dates,
        "advocate.prairie": sting_dates,
        "caseworker.cd": set(),
    }
    for name in ("advocate.harbor", "advocate.prairie", "caseworker.cd"):
        assert not Investigation.objects.visible_to(_user(name)).exists()
        assert not Prosecution.objects.visible_to(_user(name)).exists()


def test_each_prosecutor_sees_its_own_cases(demo):
    county, federal = _user("prosecutor.bcpa"), _user("prosecutor.usao")
    assert [i.title for i in Investigation.objects.visible_to(county)] == [aftermath.STING_INVESTIGATION]
    assert [i.title for i in Investigation.objects.visible_to(federal)] == [aftermath.TRUCK_STOP_INVESTIGATION]
    assert Prosecution.objects.visible_to(county).count() == 5
    assert Prosecution.objects.visible_to(federal).count() == 3
    assert not Investigation.objects.visible_to(_user("officer.kcpd")).exists()


def test_relief_requests_signed_under_review_and_overdue(demo):
    requests = ReliefRequest.objects.select_related("person", "requested_by_agency", "requested_of_agency")
    by_status = {row["status"]: row["n"] for row in requests.values("status").annotate(n=Count("id"))}
    assert by_status == {ReliefStatus.GRANTED: 1, ReliefStatus.UNDER_REVIEW: 1, ReliefStatus.REQUESTED: 1}

    t_visa = requests.get(kind=ReliefKind.T_VISA, status=ReliefStatus.GRANTED)
    assert (t_visa.person.legal_name, t_visa.requested_by_agency.short_name) == ("Nadia Petrenko", "PRAIRIE-LAW")
    assert t_visa.requested_of_agency.short_name == "SJPD"
    assert [(e.action, e.user.username) for e in t_visa.events.all()] == [
        ("review", "officer.sjpd"),
        ("grant", "officer.sjpd"),
    ]
    # She is the clinic's client: referred to it before it asked.
    referral = Referral.objects.get(person=t_visa.person, to_agency__short_name="PRAIRIE-LAW")
    assert referral.status == ReferralStatus.ACCEPTED and referral.sent_at.date() < t_visa.requested_on
    assert t_visa in ReliefRequest.objects.visible_to(_user("advocate.prairie"))

    presence = requests.get(kind=ReliefKind.CONTINUED_PRESENCE)
    assert presence.person.legal_name == "Maribel Escarcega"
    assert presence.status == ReliefStatus.UNDER_REVIEW and not presence.is_overdue
    assert presence.requested_of_agency.short_name in ("FBI-KC", "HSI-KC")
    assert presence.requested_of_agency.level == "federal"

    overdue = [r for r in requests if r.is_overdue]
    assert len(overdue) == 1 and overdue[0].status == ReliefStatus.REQUESTED
    assert overdue[0].requested_on == timezone.localdate() - timedelta(days=40)
    assert not overdue[0].events.exists()


def test_a_supervisor_finds_and_merges_the_demo_duplicates(demo):
    """The second records typed in after the sting ("Destny", "Nadiya", "Escarsega")."""
    from cases import merging, people_search
    from cases.demo.duplicates import SECOND_RECORDS

    supervisor = User.objects.get(username="supervisor.sjpd")
    pairs = people_search.likely_pairs(Person.objects.visible_to(supervisor))
    seconds = {p.second.legal_name for p in pairs}
    assert {name for name, *_ in SECOND_RECORDS} <= seconds
    pair = next(p for p in pairs if p.second.legal_name == "Destny Harlan")
    merge = merging.merge_people(supervisor, pair.first, pair.second, take_from_other=["phone"])
    pair.first.refresh_from_db()
    assert pair.first.phone == "816-555-0142" and "Destny Harlan" in pair.first.alias_list
    assert merge.merged.legal_name == "Destny Harlan"
