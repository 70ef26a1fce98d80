"""The system administrator and the coordinator, kept apart (issue 11, "Trust").

The system administrator (a superuser with no agency) keeps user accounts, the agency
directory, memberships and the catalogues, and sees no case record; the coordinator runs
the case records, agencies and memberships, and no longer creates or edits log-ins or
catalogue entries. Tested from the outside: admin, web pages and API.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from agencies.models import Agency, EnrolmentCode, Membership, Role, User
from cases import models as m

from . import factories as f

ACCOUNT_MODELS = {
    "User",
    "Agency",
    "Membership",
    "EnrolmentCode",
    "ServiceType",
    "Indicator",
    "VulnerabilityFactor",
    "Statute",
}
CASE_MODELS = {
    "Operation",
    "Location",
    "Participation",
    "Person",
    "Contact",
    "ServiceOffer",
    "Referral",
    "ReferralEvent",
    "CustodyHandoff",
    "CustodyEvent",
    "Detention",
    "Charge",
    "Note",
}


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def _admin_home(client, user) -> dict[str, dict]:
    """The admin index as the user sees it: model name → its add/change flags (our apps and the audit log)."""
    client.force_login(user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    return {
        model["object_name"]: model
        for app in response.context["app_list"]
        for model in app["models"]
        if app["app_label"] in ("agencies", "cases", "audit")
    }


@pytest.fixture
def staff(world):
    world.users.coordinator.is_staff = True
    world.users.coordinator.save(update_fields=["is_staff"])
    return world


def test_the_system_administrators_admin_home_holds_accounts_and_catalogues_only(client, staff):
    home = _admin_home(client, staff.users.sysadmin)
    assert set(home) == ACCOUNT_MODELS  # no case record, no audit log
    for name in ("User", "Agency", "Membership", "ServiceType", "Indicator", "VulnerabilityFactor", "Statute"):
        assert home[name]["perms"]["add"] and home[name]["perms"]["change"], name


def test_the_coordinators_admin_home_holds_case_records_agencies_and_memberships(client, staff):
    home = _admin_home(client, staff.users.coordinator)
    assert CASE_MODELS | {"Agency", "Membership", "AccessLog"} <= set(home)
    assert home["Agency"]["perms"]["change"] and home["Membership"]["perms"]["add"]
    # Accounts and catalogues are read here (to place a user, to pick a service), not edited.
    for name in ("User", "ServiceType", "Indicator", "VulnerabilityFactor"):
        assert not home[name]["perms"]["add"] and not home[name]["perms"]["change"], name


@pytest.mark.parametrize("name", ["op_sjpd", "victim_sjpd", "referral_sjpd", "private_note_harbor", "detention_sjpd"])
def test_the_system_administrator_opens_no_case_record_in_the_admin(client, staff, name):
    record = getattr(staff.records, name)
    client.force_login(staff.users.sysadmin)
    assert client.get(_url(type(record), "changelist")).status_code == 403
    assert client.get(_url(type(record), "change", record.pk)).status_code == 403
    assert client.get(_url(type(record), "add")).status_code == 403


def test_the_system_administrator_creates_an_account_and_the_coordinator_cannot(client, staff):
    form = {
        "username": "officer_quinn",
        "password1": "a-long-enough-pass-9",
        "password2": "a-long-enough-pass-9",
        "usable_password": "true",
    }
    client.force_login(staff.users.coordinator)
    assert client.get(_url(User, "add")).status_code == 403
    assert client.post(_url(User, "add"), form).status_code == 403
    assert not User.objects.filter(username="officer_quinn").exists()
    client.force_login(staff.users.sysadmin)
    assert client.post(_url(User, "add"), form).status_code == 302
    assert User.objects.filter(username="officer_quinn").exists()


def test_only_the_system_administrator_resets_a_password(client, staff):
    officer = staff.users.officer_sjpd
    url = reverse("admin:auth_user_password_change", args=[officer.pk])
    client.force_login(staff.users.coordinator)
    assert client.get(url).status_code == 403
    page = client.get(_url(User, "change", officer.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    client.force_login(staff.users.sysadmin)
    assert client.get(url).status_code == 200


def test_only_the_system_administrator_edits_the_catalogues(client, staff):
    shelter = staff.records.shelter
    data = {"code": shelter.code, "name": "Emergency shelter", "order": 0, "active": "on"}
    client.force_login(staff.users.coordinator)
    assert client.get(_url(m.ServiceType, "change", shelter.pk)).status_code == 200  # read-only
    assert client.post(_url(m.ServiceType, "change", shelter.pk), data).status_code == 403
    assert client.get(_url(m.ServiceType, "add")).status_code == 403
    client.force_login(staff.users.sysadmin)
    assert client.post(_url(m.ServiceType, "change", shelter.pk), data).status_code == 302
    shelter.refresh_from_db()
    assert shelter.name == "Emergency shelter"


def test_the_coordinator_still_places_an_existing_account_in_an_agency(client, staff):
    recruit = f.UserFactory(username="advocate_new")
    client.force_login(staff.users.coordinator)
    page = client.get(_url(Membership, "add"))
    assert recruit in set(page.context["adminform"].form.fields["user"].queryset)
    response = client.post(
        _url(Membership, "add"),
        {
            "user": recruit.pk,
            "agency": staff.agencies.northland.pk,
            "role": Role.ADVOCATE,
            "active": "on",
            "start_date": "2026-01-01",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=recruit).agency == staff.agencies.northland


def test_the_system_administrator_manages_any_agencys_memberships_and_the_directory(client, staff):
    recruit = f.UserFactory(username="coordinator_new")
    client.force_login(staff.users.sysadmin)
    response = client.post(
        _url(Membership, "add"),
        {
            "user": recruit.pk,
            "agency": staff.agencies.task_force.pk,
            "role": Role.COORDINATOR,
            "active": "on",
            "start_date": "2026-01-01",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=recruit).role == Role.COORDINATOR
    agency = staff.agencies.kcpd
    page = client.get(_url(Agency, "change", agency.pk))
    assert page.status_code == 200 and 'name="_save"' in page.content.decode()
    assert client.get(_url(EnrolmentCode, "changelist")).status_code == 200


def test_a_supervisor_does_not_see_the_system_administrators_account(staff):
    assert staff.users.sysadmin not in set(User.objects.visible_to(staff.users.supervisor_sjpd))


# --- the web pages and the API ------------------------------------------------------


def test_the_system_administrators_home_page_leads_to_the_admin_and_shows_no_case(client, staff):
    client.force_login(staff.users.sysadmin)
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("admin:index") in html
    assert staff.records.op_sjpd.name not in html
    assert [item["label"] for item in response.context["nav"]["items"]] == []


@pytest.mark.parametrize(
    "name,route",
    [
        ("op_sjpd", "operations"),
        ("victim_sjpd", "contacts"),
        ("referral_sjpd", "referrals"),
        ("detention_sjpd", "detentions"),
        ("victim_sjpd.person", "people"),
    ],
)
def test_the_system_administrator_reads_no_case_record_through_the_api(staff, name, route):
    record = staff.records
    for part in name.split("."):
        record = getattr(record, part)
    client = APIClient()
    client.force_authenticate(staff.users.sysadmin)
    assert client.get(f"/api/v1/{route}/").status_code == 403
    assert client.get(f"/api/v1/{route}/{record.pk}/").status_code in (403, 404)
    # The directory stays readable, as for every member.
    assert client.get("/api/v1/agencies/").status_code == 200
