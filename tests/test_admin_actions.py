"""What staff may do in the admin: void (never delete), read events, save within scope, manage memberships."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.test import RequestFactory
from django.urls import reverse

from agencies.models import Membership, Role, User
from cases import access
from cases import models as m
from cases.models.base import AppendOnlyModel, VoidableModel

from . import factories as f


def _url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def staff(world):
    for user in vars(world.users).values():
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return world


def _request(user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return request


CASE_MODELS = [model for model in admin.site._registry if issubclass(model, (VoidableModel, AppendOnlyModel))]


def test_the_case_models_are_all_under_the_no_delete_rule():
    assert {m.Operation, m.Person, m.Contact, m.Referral, m.ReferralEvent, m.CustodyEvent, m.Note} <= set(CASE_MODELS)


@pytest.mark.parametrize("model", CASE_MODELS, ids=lambda model: model.__name__)
def test_no_one_deletes_a_case_record_not_even_a_superuser(client, staff, model):
    root = User.objects.create_superuser("root_admin", "root@example.org", "a-long-enough-pass-9")
    model_admin = admin.site._registry[model]
    record = model.objects.first()
    assert record is not None
    for user in (root, staff.users.coordinator, staff.users.supervisor_sjpd):
        request = _request(user)
        assert not model_admin.has_delete_permission(request)
        assert not model_admin.has_delete_permission(request, record)
        assert "delete_selected" not in model_admin.get_actions(request)
    client.force_login(root)
    assert client.get(_url(model, "delete", record.pk)).status_code == 403
    assert client.post(_url(model, "delete", record.pk), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=record.pk).exists()


@pytest.mark.parametrize("model", [m.ReferralEvent, m.CustodyEvent], ids=lambda model: model.__name__)
def test_events_are_read_only(client, staff, model):
    client.force_login(staff.users.coordinator)
    event = model.objects.first()
    page = client.get(_url(model, "change", event.pk))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    before = {f.attname: getattr(event, f.attname) for f in model._meta.concrete_fields}
    assert client.post(_url(model, "change", event.pk), {"note": "rewritten"}).status_code == 403
    event.refresh_from_db()
    assert {f.attname: getattr(event, f.attname) for f in model._meta.concrete_fields} == before
    assert client.get(_url(model, "add")).status_code == 403


def test_events_show_read_only_under_their_referral(client, staff):
    client.force_login(staff.users.coordinator)
    referral = staff.records.referral_sjpd
    page = client.get(_url(m.Referral, "change", referral.pk))
    formset = next(fs for fs in page.context["inline_admin_formsets"] if fs.opts.model is m.ReferralEvent)
    assert not formset.has_add_permission and not formset.has_change_permission and not formset.has_delete_permission
    assert len(formset.formset.forms) == referral.events.count() == 1


def _void(client, model, records, reason):
    data = {"action": "void_selected", ACTION_CHECKBOX_NAME: [r.pk for r in records]}
    first = client.post(_url(model, "changelist"), data)
    assert first.status_code == 200 and b"Reason" in first.content  # the confirmation page
    return client.post(_url(model, "changelist"), {**data, "confirm_void": "yes", "reason": reason}, follow=True)


def test_supervisor_voids_its_agencys_contact_with_a_reason(client, staff):
    client.force_login(staff.users.supervisor_sjpd)
    contact = staff.records.victim_sjpd
    response = _void(client, m.Contact, [contact], "Entered twice by mistake.")
    assert response.status_code == 200
    contact.refresh_from_db()
    assert contact.is_voided
    assert contact.voided_by == staff.users.supervisor_sjpd
    assert contact.void_reason == "Entered twice by mistake."
    # Voided rows stay listed, and visibly marked.
    listing = client.get(_url(m.Contact, "changelist"))
    assert contact in listing.context["cl"].result_list
    assert "Voided" in listing.content.decode()
    assert 'alt="True"' in listing.content.decode()


def test_void_needs_a_reason(client, staff):
    client.force_login(staff.users.coordinator)
    contact = staff.records.victim_kcpd
    data = {"action": "void_selected", ACTION_CHECKBOX_NAME: [contact.pk], "confirm_void": "yes", "reason": "  "}
    response = client.post(_url(m.Contact, "changelist"), data)
    assert response.status_code == 200
    assert b"This field is required" in response.content
    contact.refresh_from_db()
    assert not contact.is_voided


def test_supervisor_cannot_void_another_agencys_record_it_can_see(client, staff):
    client.force_login(staff.users.supervisor_sjpd)
    fbi_contact = staff.records.buyer_contact  # in the SJPD sting, recorded by the FBI
    response = _void(client, m.Contact, [fbi_contact], "Not ours.")
    assert b"could not be voided" in response.content
    fbi_contact.refresh_from_db()
    assert not fbi_contact.is_voided


def test_an_officer_is_not_offered_the_void_action(client, staff):
    client.force_login(staff.users.officer_sjpd)
    page = client.get(_url(m.Contact, "changelist"))
    action_form = page.context["action_form"]
    choices = [name for name, _ in action_form.fields["action"].choices] if action_form else []
    assert "void_selected" not in choices
    contact = staff.records.victim_sjpd
    data = {"action": "void_selected", ACTION_CHECKBOX_NAME: [contact.pk], "confirm_void": "yes", "reason": "x"}
    client.post(_url(m.Contact, "changelist"), data)
    contact.refresh_from_db()
    assert not contact.is_voided


def test_a_voided_record_can_no_longer_be_changed(client, staff):
    contact = staff.records.victim_sjpd
    contact.mark_voided(staff.users.coordinator, "Duplicate.")
    client.force_login(staff.users.officer_sjpd)
    assert client.post(_url(m.Contact, "change", contact.pk), {"narrative": "new"}).status_code == 403


# --- saving through the policy ------------------------------------------------------


def test_an_officer_adds_a_contact_in_its_operation_with_created_by(client, staff):
    officer = staff.users.officer_kcpd
    client.force_login(officer)
    person = staff.records.victim_kcpd.person
    response = client.post(
        _url(m.Contact, "add"),
        {
            "person": person.pk,
            "operation": staff.records.op_kcpd.pk,
            "agency": staff.agencies.kcpd.pk,
            "occurred_at_0": "2026-01-05",
            "occurred_at_1": "10:00",
            "role": "witness",
            "outcome": "no_action",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    contact = m.Contact.objects.get(person=person, role="witness")
    assert contact.created_by == officer


def test_an_officer_cannot_record_a_contact_for_another_agency(client, staff):
    client.force_login(staff.users.officer_kcpd)
    before = m.Contact.objects.count()
    response = client.post(
        _url(m.Contact, "add"),
        {
            "person": staff.records.victim_kcpd.person.pk,
            "operation": staff.records.op_kcpd.pk,
            "agency": staff.agencies.sjpd.pk,
            "occurred_at_0": "2026-01-05",
            "occurred_at_1": "10:00",
            "role": "witness",
            "outcome": "no_action",
        },
    )
    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    assert m.Contact.objects.count() == before


def test_a_write_its_writer_could_not_see_is_rolled_back_with_a_clear_error(client, staff, monkeypatch):
    # Make every note invisible to its writers, as if the policy had changed under them.
    monkeypatch.setitem(access._RULES, m.Note, lambda qs, v: qs.none())
    client.force_login(staff.users.officer_kcpd)
    before = m.Note.objects.count()
    response = client.post(
        _url(m.Note, "add"),
        {
            "operation": staff.records.op_kcpd.pk,
            "agency": staff.agencies.kcpd.pk,
            "text": "Rooms 4 and 5.",
        },
        follow=True,
    )
    assert m.Note.objects.count() == before
    assert "Nothing was saved. You cannot save a record you would not be allowed to see." in response.content.decode()


def test_an_officer_cannot_change_another_agencys_operation_it_takes_part_in(client, staff):
    client.force_login(staff.users.agent_fbi)  # the FBI supports the SJPD sting
    op = staff.records.op_sjpd
    page = client.get(_url(m.Operation, "change", op.pk))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    assert client.post(_url(m.Operation, "change", op.pk), {"name": "Renamed"}).status_code == 403
    op.refresh_from_db()
    assert op.name == "Operation Crossroads"


# --- memberships ---------------------------------------------------------------------


def test_supervisor_manages_its_own_agencys_memberships(client, staff):
    supervisor = staff.users.supervisor_sjpd
    client.force_login(supervisor)
    page = client.get(_url(Membership, "add"))
    form = page.context["adminform"].form
    assert list(form.fields["agency"].queryset) == [staff.agencies.sjpd]
    assert Role.COORDINATOR not in {value for value, _ in form.fields["role"].choices}

    recruit = f.UserFactory(username="officer_new")
    response = client.post(
        _url(Membership, "add"),
        {
            "user": recruit.pk,
            "agency": staff.agencies.sjpd.pk,
            "role": Role.OFFICER,
            "active": "on",
            "start_date": "2026-01-01",
        },
    )
    assert response.status_code == 302
    assert Membership.objects.get(user=recruit).agency == staff.agencies.sjpd

    officer_membership = staff.users.officer_sjpd.memberships.get()
    assert client.get(_url(Membership, "change", officer_membership.pk)).status_code == 200
    response = client.post(
        _url(Membership, "change", officer_membership.pk),
        {
            "user": staff.users.officer_sjpd.pk,
            "agency": staff.agencies.sjpd.pk,
            "role": Role.OFFICER,
            "start_date": "2026-01-01",  # "active" left out: the membership ends
        },
    )
    assert response.status_code == 302
    officer_membership.refresh_from_db()
    assert not officer_membership.active


def test_supervisor_cannot_touch_another_agencys_memberships(client, staff):
    client.force_login(staff.users.supervisor_sjpd)
    kc_membership = staff.users.officer_kcpd.memberships.get()
    assert client.get(_url(Membership, "change", kc_membership.pk)).status_code == 404
    recruit = f.UserFactory(username="officer_other")
    response = client.post(
        _url(Membership, "add"),
        {
            "user": recruit.pk,
            "agency": staff.agencies.kcpd.pk,
            "role": Role.OFFICER,
            "active": "on",
            "start_date": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert "agency" in response.context["adminform"].form.errors
    assert not Membership.objects.filter(user=recruit).exists()


def test_supervisor_cannot_grant_the_coordinator_role(client, staff):
    client.force_login(staff.users.supervisor_sjpd)
    recruit = f.UserFactory(username="would_be_boss")
    response = client.post(
        _url(Membership, "add"),
        {
            "user": recruit.pk,
            "agency": staff.agencies.sjpd.pk,
            "role": Role.COORDINATOR,
            "active": "on",
            "start_date": "2026-01-01",
        },
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user=recruit).exists()


def test_officer_reads_its_own_membership_and_changes_none(client, staff):
    officer = staff.users.officer_sjpd
    client.force_login(officer)
    membership = officer.memberships.get()
    listing = client.get(_url(Membership, "changelist"))
    assert list(listing.context["cl"].result_list) == [membership]
    assert client.get(_url(Membership, "add")).status_code == 403
    response = client.post(
        _url(Membership, "change", membership.pk),
        {
            "user": officer.pk,
            "agency": staff.agencies.sjpd.pk,
            "role": Role.SUPERVISOR,
            "active": "on",
            "start_date": "2026-01-01",
        },
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.role == Role.OFFICER


def test_coordinator_manages_any_agencys_memberships(client, staff):
    client.force_login(staff.users.coordinator)
    kc_membership = staff.users.officer_kcpd.memberships.get()
    response = client.post(
        _url(Membership, "change", kc_membership.pk),
        {
            "user": staff.users.officer_kcpd.pk,
            "agency": staff.agencies.kcpd.pk,
            "role": Role.SUPERVISOR,
            "active": "on",
            "start_date": "2026-01-01",
        },
    )
    assert response.status_code == 302
    kc_membership.refresh_from_db()
    assert kc_membership.role == Role.SUPERVISOR


def test_only_the_coordinator_changes_agencies(client, staff):
    agency = staff.agencies.kcpd
    client.force_login(staff.users.supervisor_sjpd)
    assert client.post(_url(type(agency), "change", agency.pk), {"name": "Renamed"}).status_code == 403
    client.force_login(staff.users.coordinator)
    page = client.get(_url(type(agency), "change", agency.pk))
    assert 'name="_save"' in page.content.decode()


def test_a_coordinator_cannot_edit_a_superuser_or_make_one(client, staff):
    root = User.objects.create_superuser("root_admin", "root@example.org", "a-long-enough-pass-9")
    client.force_login(staff.users.coordinator)
    assert client.get(reverse("admin:auth_user_password_change", args=[root.pk])).status_code == 403
    assert client.get(_url(User, "change", root.pk)).status_code == 200  # read-only
    page = client.get(_url(User, "change", staff.users.officer_sjpd.pk))
    assert page.status_code == 200
    assert "is_superuser" in page.context["adminform"].readonly_fields


# --- an operation with its inlines ---------------------------------------------------


def _change_form_data(response) -> dict:
    """The change form as the page shows it, inlines and management forms included."""
    data = {}

    def add(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            if isinstance(value, (list, tuple)):
                data[form.add_prefix(name)] = [str(v) for v in value]
            elif value is True:
                data[form.add_prefix(name)] = "on"
            else:
                data[form.add_prefix(name)] = str(value)

    main = response.context["adminform"].form
    add(main)
    for name in main.fields:
        if hasattr(main[name].field.widget, "widgets"):  # split date and time
            for i, part in enumerate(main[name].field.widget.decompress(main[name].value())):
                data[f"{name}_{i}"] = "" if part is None else str(part)
            data.pop(name, None)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for key, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{key}"] = str(value)
        for form in formset.forms:
            add(form)
    return data


def test_an_operations_lead_agency_cannot_be_removed_through_the_inline(client, staff):
    op = staff.records.op_sjpd
    client.force_login(staff.users.officer_sjpd)  # SJPD leads this operation
    page = client.get(_url(m.Operation, "change", op.pk))
    data = _change_form_data(page)
    participations = page.context["inline_admin_formsets"][0].formset.forms
    lead_index = next(i for i, form in enumerate(participations) if form.instance.role == "lead")
    data[f"participations-{lead_index}-DELETE"] = "on"
    response = client.post(_url(m.Operation, "change", op.pk), data)
    assert response.status_code == 200
    assert "The lead agency stays on its operation" in response.content.decode()
    assert op.participations.filter(role="lead", agency=staff.agencies.sjpd).exists()

    # A supporting agency can be taken off, and the rest of the page saves.
    data = _change_form_data(page)
    fbi_index = next(i for i, form in enumerate(participations) if form.instance.agency_id == staff.agencies.fbi.pk)
    data[f"participations-{fbi_index}-DELETE"] = "on"
    data["name"] = "Operation Crossroads II"
    response = client.post(_url(m.Operation, "change", op.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    op.refresh_from_db()
    assert op.name == "Operation Crossroads II"
    assert not op.participations.filter(agency=staff.agencies.fbi).exists()


def test_a_consent_override_cannot_be_typed_into_a_draft_referral(client, staff):
    client.force_login(staff.users.officer_sjpd)  # holds no consent-override permission
    draft = staff.records.draft_sjpd
    page = client.get(_url(m.Referral, "change", draft.pk))
    assert page.status_code == 200 and 'name="_save"' in page.content.decode()
    assert "consent_override_reason" not in page.context["adminform"].form.fields
    data = _change_form_data(page)
    data["consent_override_reason"] = "No time to ask."
    client.post(_url(m.Referral, "change", draft.pk), data)
    draft.refresh_from_db()
    assert draft.consent_override_reason == ""
