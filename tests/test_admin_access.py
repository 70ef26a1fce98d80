"""The admin, model by model and persona by persona: it shows exactly what the policy allows.

ADMIN_TABLE has one entry per admin page of agencies and cases: who may not open it at
all (403), and for some personas a record of their own (200) and another agency's
record (404, with nothing of it in the answer). A model of agencies or cases, or an
admin page of theirs, without an entry makes `test_every_admin_page_has_an_entry` fail.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.forms import ModelChoiceField
from django.urls import reverse

from agencies.models import Agency, EnrolmentCode, Membership, User
from cases import models as m
from exports.models import ExportJob
from imports.models import ContactImport
from notifications import models as notifications
from work.models import Follow, Task

from .own_apps import own_app_labels, own_models

PERSONAS = (
    "coordinator",
    "officer_sjpd",
    "officer_kcpd",
    "advocate_harbor",
    "caseworker",
    "analyst",
    "supervisor_sjpd",
    "prosecutor",
    "sysadmin",
    "nobody",
)
# The system administrator keeps accounts and catalogues and opens no case record.
NO_CASES = frozenset({"analyst", "sysadmin", "nobody"})
NO_DETENTIONS = NO_CASES | {"advocate_harbor", "caseworker"}
# The prosecutor's office takes part in no operation: it sees none of their records, only
# the people and the arrest of the investigation referred to it.
NO_OPERATION = frozenset({"prosecutor"})
# Investigations, prosecutions and counts: law enforcement and prosecutors only.
NO_INVESTIGATIONS = NO_DETENTIONS
NOT_MANAGERS = frozenset(PERSONAS) - {"coordinator", "supervisor_sjpd", "sysadmin"}


@dataclass(frozen=True)
class Entry:
    """How one admin page answers each persona."""

    closed_to: frozenset[str]  # personas whose changelist answers 403 (or who are signed out)
    empty_for: frozenset[str] = frozenset()  # personas whose open changelist is empty
    # (persona, own record, another agency's record), record names in world.records
    pairs: tuple[tuple[str, str, str], ...] = ()
    note: str = ""


ADMIN_TABLE: dict[type, Entry] = {
    Agency: Entry(frozenset({"nobody"}), note="the directory: every member reads it all"),
    Membership: Entry(frozenset({"nobody"}), note="own membership; supervisor its agency; coordinator all"),
    User: Entry(NOT_MANAGERS, note="accounts follow memberships: coordinator and sysadmin all, supervisor its agency"),
    # Issued codes (none in the world; tests/test_enrolment.py fills them): managers only.
    EnrolmentCode: Entry(NOT_MANAGERS, empty_for=frozenset({"coordinator", "supervisor_sjpd", "sysadmin"})),
    m.ServiceType: Entry(frozenset({"nobody"}), note="catalogue: every member reads it all"),
    m.Indicator: Entry(frozenset({"nobody"}), note="catalogue"),
    m.VulnerabilityFactor: Entry(frozenset({"nobody"}), note="catalogue"),
    m.Operation: Entry(
        NO_CASES,
        empty_for=frozenset({"caseworker"}) | NO_OPERATION,
        pairs=(
            ("officer_kcpd", "op_kcpd", "op_sjpd"),
            ("officer_sjpd", "op_sjpd", "op_kcpd"),
            ("advocate_harbor", "op_sjpd", "op_kcpd"),
        ),
    ),
    m.Location: Entry(
        NO_CASES,
        empty_for=frozenset({"advocate_harbor", "caseworker"}) | NO_OPERATION,
        pairs=(
            ("officer_kcpd", "location_kcpd", "location_sjpd"),
            ("supervisor_sjpd", "location_sjpd", "location_kcpd"),
        ),
    ),
    m.Participation: Entry(NO_CASES, empty_for=frozenset({"caseworker"}) | NO_OPERATION),  # pairs below, by operation
    m.Person: Entry(
        NO_CASES,
        (
            ("officer_kcpd", "victim_kcpd.person", "victim_sjpd.person"),
            ("advocate_harbor", "victim_sjpd.person", "victim_kcpd.person"),
            ("caseworker", "child_contact.person", "victim_sjpd.person"),
            ("prosecutor", "victim_sjpd.person", "victim_kcpd.person"),
        ),
    ),
    m.Contact: Entry(
        NO_CASES,
        empty_for=frozenset({"advocate_harbor", "caseworker"}) | NO_OPERATION,
        pairs=(
            ("officer_kcpd", "victim_kcpd", "victim_sjpd"),
            ("officer_sjpd", "victim_sjpd", "victim_kcpd"),
        ),
    ),
    m.ServiceOffer: Entry(
        NO_CASES,
        empty_for=frozenset({"advocate_harbor", "caseworker"}) | NO_OPERATION,
        pairs=(
            ("officer_kcpd", "offer_kcpd", "offer_sjpd"),
            ("officer_sjpd", "offer_sjpd", "offer_kcpd"),
        ),
    ),
    m.Referral: Entry(
        NO_CASES,
        empty_for=frozenset({"caseworker"}) | NO_OPERATION,
        pairs=(
            ("officer_kcpd", "referral_kcpd", "referral_sjpd"),
            ("advocate_harbor", "referral_sjpd", "referral_kcpd"),
        ),
    ),
    m.ReferralEvent: Entry(NO_CASES, empty_for=frozenset({"caseworker"}) | NO_OPERATION),
    m.CustodyHandoff: Entry(
        NO_CASES,
        empty_for=frozenset({"advocate_harbor"}) | NO_OPERATION,
        pairs=(
            ("officer_kcpd", "handoff_kcpd", "handoff_sjpd"),
            ("officer_sjpd", "handoff_sjpd", "handoff_kcpd"),
        ),
    ),
    m.CustodyEvent: Entry(NO_CASES, empty_for=frozenset({"advocate_harbor"}) | NO_OPERATION),
    m.Detention: Entry(
        NO_DETENTIONS,
        pairs=(
            ("officer_kcpd", "detention_kcpd", "detention_sjpd"),
            ("supervisor_sjpd", "detention_sjpd", "detention_kcpd"),
            ("prosecutor", "detention_sjpd", "detention_kcpd"),
        ),
    ),
    m.Charge: Entry(
        NO_DETENTIONS, (("officer_kcpd", "charge_kcpd", "charge_sjpd"), ("prosecutor", "charge_sjpd", "charge_kcpd"))
    ),
    m.Note: Entry(
        NO_CASES,
        empty_for=frozenset({"caseworker"}) | NO_OPERATION,
        pairs=(
            ("officer_kcpd", "note_kcpd", "note_sjpd"),
            ("advocate_harbor", "private_note_harbor", "note_sjpd"),
        ),
    ),
    # After the operation.
    m.Investigation: Entry(
        NO_INVESTIGATIONS,
        pairs=(
            ("officer_kcpd", "investigation_kcpd", "investigation_sjpd"),
            ("prosecutor", "investigation_sjpd", "investigation_kcpd"),
        ),
    ),
    m.InvestigationAgency: Entry(NO_INVESTIGATIONS, note="with their investigation"),
    # Merges and "not the same person" decisions: read-only here, none in the persona world.
    m.PersonMerge: Entry(NO_CASES, empty_for=frozenset(PERSONAS) - NO_CASES, note="decided on the staff pages"),
    m.NotSamePerson: Entry(NO_CASES, empty_for=frozenset(PERSONAS) - NO_CASES, note="decided on the staff pages"),
    m.InvestigationPerson: Entry(NO_INVESTIGATIONS, note="with their investigation"),
    m.Prosecution: Entry(
        NO_INVESTIGATIONS,
        pairs=(
            ("officer_kcpd", "prosecution_kcpd", "prosecution_sjpd"),
            ("prosecutor", "prosecution_sjpd", "prosecution_kcpd"),
        ),
    ),
    m.Count: Entry(NO_INVESTIGATIONS, pairs=(("prosecutor", "count_sjpd", "count_kcpd"),)),
    m.CourtEvent: Entry(
        NO_CASES,
        empty_for=frozenset({"caseworker"}),
        pairs=(
            ("officer_kcpd", "court_event_kcpd", "court_event_sjpd"),
            ("advocate_harbor", "court_event_sjpd", "court_event_kcpd"),
        ),
        note="advocates: the notice only (date, kind, court)",
    ),
    m.ReliefRequest: Entry(
        NO_CASES,
        empty_for=frozenset({"caseworker"}),
        pairs=(
            ("officer_kcpd", "relief_kcpd", "relief_sjpd"),
            ("advocate_harbor", "relief_sjpd", "relief_kcpd"),
        ),
    ),
    m.ReliefEvent: Entry(NO_CASES, empty_for=frozenset({"caseworker"})),
    m.Statute: Entry(frozenset({"nobody"}), note="catalogue: every member reads it all"),
    # Downloads: every member opens the page and sees only the jobs it asked for (read-only).
    ExportJob: Entry(
        frozenset({"nobody"}),
        empty_for=frozenset(PERSONAS) - {"nobody", "officer_sjpd", "advocate_harbor"},
        note="own jobs only, whatever the role",
    ),
    # Contact imports (read-only): the uploader's own; a supervisor its agency's; the coordinator all.
    ContactImport: Entry(
        frozenset({"nobody"}),
        empty_for=frozenset(PERSONAS) - {"nobody", "coordinator", "officer_sjpd", "supervisor_sjpd", "officer_kcpd"},
        pairs=(("officer_sjpd", "import_officer_sjpd", "import_officer_kcpd"),),
    ),
    # Tasks and follows (read-only here): the ones the user holds, on records it may see.
    Task: Entry(
        NO_CASES,
        empty_for=frozenset({"officer_kcpd", "prosecutor"}),
        pairs=(
            ("officer_sjpd", "task_sjpd_queue", "task_tf_queue"),
            ("caseworker", "task_childrens_queue", "task_sjpd_queue"),
        ),
    ),
    Follow: Entry(
        NO_CASES,
        empty_for=frozenset({"officer_kcpd", "caseworker", "supervisor_sjpd", "prosecutor"}),
        pairs=(("officer_sjpd", "follow_officer_sjpd", "follow_out_of_sight"),),
    ),
}

# Notifications: each member reads its own rows only (none in the world: filled and checked
# row by row in tests/test_notifications_access.py); the system administrator has none.
NO_NOTIFICATIONS = frozenset({"sysadmin", "nobody"})
for _model in (
    notifications.Notification,
    notifications.Reminder,
    notifications.OutboxEmail,
    notifications.NotificationPreference,
    notifications.SendLease,
):
    ADMIN_TABLE[_model] = Entry(NO_NOTIFICATIONS, empty_for=frozenset(PERSONAS) - NO_NOTIFICATIONS, note="own rows")

# Person access rows (derived, read by the policy only): open to case staff, always empty.
ADMIN_TABLE[m.PersonAccess] = Entry(NO_CASES, empty_for=frozenset(PERSONAS) - NO_CASES, note="derived rows")

# Admin pages of other apps are closed to staff without Django permissions, except the
# ones listed here, which are scoped by their own app and tested in its own tests.
SCOPED_IN_OTHER_APPS = {
    "audit": "tests/test_audit*.py",
    "exports": "ADMIN_TABLE above (ExportJob: own jobs only)",
    "imports": "ADMIN_TABLE above (ContactImport: own, a supervisor its agency's, the coordinator all)",
    "notifications": "tests/test_notifications_access.py",
    "work": "ADMIN_TABLE above (tasks and follows, read-only)",
}


def _resolve(records, name: str):
    obj = records
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def staff(world):
    """Every persona may open the admin; what they see is up to the policy."""
    for persona in PERSONAS:
        user = getattr(world.users, persona)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return world


def _login(client, world, persona):
    user = getattr(world.users, persona)
    client.force_login(user)
    return user


def _expected_ids(model, user, world) -> set[int]:
    if model is User:
        if user in (world.users.coordinator, world.users.sysadmin):
            return set(User.objects.values_list("pk", flat=True))
        agency = Membership.objects.get(user=user).agency
        never_placed = User.objects.exclude(pk__in=Membership.objects.values("user_id")).filter(is_superuser=False)
        return set(Membership.objects.filter(agency=agency).values_list("user_id", flat=True)) | set(
            never_placed.values_list("pk", flat=True)
        )
    return set(model.objects.visible_to(user).values_list("pk", flat=True))


def _assert_closed(response):
    """403, or for a user with no membership a sign-out back to the log-in page."""
    if response.status_code == 302:
        assert "/login/" in response["Location"]
    else:
        assert response.status_code == 403


def test_every_admin_page_has_an_entry():
    labels = own_app_labels()
    registered = {model for model in admin.site._registry if model._meta.app_label in labels}
    models = own_models()
    assert models - registered == set(), "models of the project's apps without an admin page"
    assert (registered | models) - set(ADMIN_TABLE) == set(), "admin pages without an entry in ADMIN_TABLE"


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("model", list(ADMIN_TABLE), ids=lambda model: model.__name__)
def test_changelist_shows_exactly_what_the_policy_allows(client, staff, model, persona):
    user = _login(client, staff, persona)
    response = client.get(_url(model, "changelist"))
    entry = ADMIN_TABLE[model]
    if persona in entry.closed_to:
        _assert_closed(response)
        return
    assert response.status_code == 200
    cl = response.context["cl"]
    shown = {obj.pk for obj in cl.result_list}
    expected = _expected_ids(model, user, staff)
    assert bool(expected) is (persona not in entry.empty_for), "the table's empty_for is out of date"
    assert shown == expected
    assert cl.result_count == len(expected)


@pytest.mark.parametrize(
    "model,persona,own,other",
    [(model, *pair) for model, entry in ADMIN_TABLE.items() for pair in entry.pairs],
    ids=lambda value: getattr(value, "__name__", str(value)),
)
def test_own_record_opens_and_another_agencys_is_not_found(client, staff, model, persona, own, other):
    _login(client, staff, persona)
    mine, theirs = _resolve(staff.records, own), _resolve(staff.records, other)
    assert client.get(_url(model, "change", mine.pk)).status_code == 200
    response = client.get(_url(model, "change", theirs.pk), follow=True)
    assert response.status_code == 404
    assert str(theirs) not in response.content.decode()
    # Not its history, nor a POST to it, either.
    assert client.get(_url(model, "history", theirs.pk)).status_code == 404
    assert client.post(_url(model, "change", theirs.pk), {}).status_code in (403, 404)


@pytest.mark.parametrize(
    "persona,own,other", [("officer_kcpd", "op_kcpd", "op_sjpd"), ("advocate_harbor", "op_sjpd", "op_kcpd")]
)
def test_participations_follow_their_operation(client, staff, persona, own, other):
    _login(client, staff, persona)
    mine = _resolve(staff.records, own).participations.first()
    theirs = _resolve(staff.records, other).participations.first()
    assert client.get(_url(m.Participation, "change", mine.pk)).status_code == 200
    assert client.get(_url(m.Participation, "change", theirs.pk)).status_code == 404


def test_kc_officer_contact_list_holds_nothing_of_the_st_joseph_sting(client, staff):
    _login(client, staff, "officer_kcpd")
    response = client.get(_url(m.Contact, "changelist"))
    html = response.content.decode()
    sjpd_contacts = m.Contact.objects.filter(operation=staff.records.op_sjpd)
    assert sjpd_contacts.count() == 3
    for contact in sjpd_contacts:
        assert contact.pk not in {c.pk for c in response.context["cl"].result_list}
        assert _url(m.Contact, "change", contact.pk) not in html
    assert staff.records.op_sjpd.code not in html  # not even in the operation filter
    assert "Dana Invented" not in html


def test_advocate_sees_no_detention_and_analyst_no_person(client, staff):
    _login(client, staff, "advocate_harbor")
    assert client.get(_url(m.Detention, "changelist")).status_code == 403
    assert client.get(_url(m.Detention, "change", staff.records.detention_sjpd.pk)).status_code == 403
    index = client.get(reverse("admin:index")).content.decode()
    assert "Detentions" not in index and "Charges" not in index
    _login(client, staff, "analyst")
    assert client.get(_url(m.Person, "changelist")).status_code == 403
    assert client.get(_url(m.Person, "change", staff.records.victim_sjpd.person.pk)).status_code == 403


def test_a_staff_user_without_membership_sees_an_empty_admin(client, staff):
    _login(client, staff, "nobody")
    response = client.get(reverse("admin:index"))
    if response.status_code == 302:  # signed out at once (audit.middleware)
        assert "/login/" in response["Location"]
        return
    assert response.status_code == 200
    assert response.context["app_list"] == []


def test_advocate_reads_only_the_minimum_about_a_referred_person(client, staff):
    _login(client, staff, "advocate_harbor")
    person = staff.records.victim_sjpd.person
    person.aliases = "Secret Alias"
    person.save()
    listing = client.get(_url(m.Person, "changelist")).content.decode()
    assert "Citizenship" not in listing
    page = client.get(_url(m.Person, "change", person.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert person.reference in html and "Secret Alias" not in html
    assert "Date of birth" not in html and "Vulnerabilities" not in html
    assert client.get(_url(m.Person, "changelist"), {"q": "Secret Alias"}).context["cl"].result_count == 0


def test_advocate_reads_the_briefing_not_the_investigation(client, staff):
    op = staff.records.op_sjpd
    op.summary = "Undercover officer in room 12."
    op.briefing_notes = "Bring Spanish-speaking advocates."
    op.save()
    _login(client, staff, "advocate_harbor")
    html = client.get(_url(m.Operation, "change", op.pk)).content.decode()
    assert "Bring Spanish-speaking advocates." in html
    assert "Undercover officer" not in html
    assert "Riverside Travel Plaza" not in html  # locations are investigative detail


def test_advocate_reads_only_the_notice_of_a_court_date(client, staff):
    event = staff.records.court_event_sjpd
    event.notes = "Defendant may plead; victim to testify."
    event.courtroom = "Division 4"
    event.save()
    _login(client, staff, "advocate_harbor")
    listing = client.get(_url(m.CourtEvent, "changelist")).content.decode()
    page = client.get(_url(m.CourtEvent, "change", event.pk))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Division 4" in html and event.court in html
    for shown in (listing, html):
        assert "victim to testify" not in shown
        assert staff.records.prosecution_sjpd.reference not in shown
        assert staff.records.prosecution_sjpd.docket_number not in shown
        assert staff.records.buyer_contact.person.reference not in shown
    assert 'name="_save"' not in html
    # The prosecutor reads it all and may change it.
    _login(client, staff, "prosecutor")
    html = client.get(_url(m.CourtEvent, "change", event.pk)).content.decode()
    assert "victim to testify" in html and 'name="_save"' in html


def test_advocates_and_caseworkers_open_no_investigation_or_prosecution(client, staff):
    for persona in ("advocate_harbor", "caseworker"):
        _login(client, staff, persona)
        for model in (m.Investigation, m.Prosecution, m.Count, m.InvestigationPerson):
            assert client.get(_url(model, "changelist")).status_code == 403, (persona, model.__name__)
        index = client.get(reverse("admin:index")).content.decode()
        assert "Investigations" not in index and "Prosecutions" not in index


# --- add forms: every dropdown lists only what the user may see ---------------------


def _dropdown_querysets(response):
    form = response.context["adminform"].form
    return {name: f.queryset for name, f in form.fields.items() if isinstance(f, ModelChoiceField)}


ADD_FORMS = [
    ("officer_kcpd", m.Contact),
    ("officer_kcpd", m.ServiceOffer),
    ("officer_kcpd", m.Referral),
    ("officer_kcpd", m.CustodyHandoff),
    ("officer_kcpd", m.Detention),
    ("officer_kcpd", m.Note),
    ("officer_kcpd", m.Location),
    ("officer_kcpd", m.Participation),
    ("officer_kcpd", m.Charge),
    ("officer_kcpd", m.Operation),
    ("officer_kcpd", m.Person),
    ("advocate_harbor", m.ServiceOffer),
    ("advocate_harbor", m.Note),
    ("advocate_harbor", m.Referral),
    ("supervisor_sjpd", Membership),
    ("officer_kcpd", m.Investigation),
    ("prosecutor", m.Prosecution),
    ("prosecutor", m.Count),
    ("prosecutor", m.CourtEvent),
    ("officer_kcpd", m.InvestigationAgency),
    ("advocate_harbor", m.ReliefRequest),
]


@pytest.mark.parametrize("persona,model", ADD_FORMS, ids=lambda v: getattr(v, "__name__", v))
def test_add_form_dropdowns_list_only_visible_records(client, staff, persona, model):
    user = _login(client, staff, persona)
    response = client.get(_url(model, "add"))
    assert response.status_code == 200
    dropdowns = _dropdown_querysets(response)
    assert dropdowns
    own_agency = Membership.objects.get(user=user).agency
    for name, qs in dropdowns.items():
        related = qs.model
        offered = set(qs.values_list("pk", flat=True))
        if related is User:
            allowed = set(Membership.objects.filter(agency=own_agency).values_list("user_id", flat=True))
            if model is Membership:  # and accounts not yet placed in any agency
                placed = Membership.objects.current().values("user_id")
                allowed |= set(User.objects.exclude(pk__in=placed).values_list("pk", flat=True))
        else:
            allowed = set(related.objects.visible_to(user).values_list("pk", flat=True))
        assert offered <= allowed, f"{model.__name__}.{name} offers records outside the user's scope"


def test_kc_officer_add_contact_offers_only_its_operation_people_and_agency(client, staff):
    _login(client, staff, "officer_kcpd")
    dropdowns = _dropdown_querysets(client.get(_url(m.Contact, "add")))
    assert set(dropdowns["operation"]) == {staff.records.op_kcpd}
    assert staff.records.victim_sjpd.person not in set(dropdowns["person"])
    assert set(dropdowns["agency"]) == {staff.agencies.kcpd}
    assert set(dropdowns["location"]) == {staff.records.location_kcpd}


def test_autocomplete_answers_only_visible_people(client, staff):
    _login(client, staff, "officer_kcpd")
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "cases", "model_name": "contact", "field_name": "person", "term": "Invented"},
    )
    assert response.status_code == 200
    found = {int(row["id"]) for row in response.json()["results"]}
    assert found == {staff.records.victim_kcpd.person.pk}  # "Jordan Invented"; never "Dana Invented"


@pytest.mark.parametrize(
    "model", [mo for mo in ADMIN_TABLE if mo._meta.app_label in ("agencies", "cases")], ids=lambda model: model.__name__
)
def test_every_page_is_closed_to_staff_without_membership(client, staff, model):
    _login(client, staff, "nobody")
    _assert_closed(client.get(_url(model, "changelist")))


def test_other_apps_admin_pages_are_closed_to_members_without_django_permissions(client, staff):
    _login(client, staff, "coordinator")
    others = [
        model
        for model in admin.site._registry
        if model._meta.app_label not in ("agencies", "cases") and model._meta.app_label not in SCOPED_IN_OTHER_APPS
    ]
    for model in others:
        assert client.get(_url(model, "changelist")).status_code == 403, model.__name__
