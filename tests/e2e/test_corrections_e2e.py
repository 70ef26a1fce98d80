"""End to end in Chromium: correcting records. A detention's charges added in place (no page
load) and removed, each error naming its charge; a late change asking for its reason, shown in
the record's history; voided records marked in lists; no "Remove" on a concluded operation.
Every page reached is checked with axe-core."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.e2e]


def _go(page, path):
    page.goto(f"{page.base}{path}")
    page.wait_for_load_state("networkidle")


def test_detention_charges_are_added_removed_and_named_in_errors(signed_in, e2e_world, check_a11y, shoot):
    from cases.models import Detention

    r = e2e_world.records
    page = signed_in("agent_fbi", width=375)
    _go(page, f"/detentions/{r.detention_sjpd.pk}/")
    page.get_by_role("link", name="Edit the detention and its charges").click()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    page.evaluate("window.__samePage = true")
    add = page.get_by_role("button", name="Add another charge")
    add.click()
    add.click()
    blocks = page.locator("[data-charge-list] > [data-charge]")
    assert blocks.count() == 3
    assert page.evaluate("window.__samePage === true"), "adding a charge reloaded the page"
    assert page.locator("#id_charges-TOTAL_FORMS").input_value() == "3"
    assert page.locator("#id_charges-2-statute").evaluate("el => el === document.activeElement")
    page.fill("#id_charges-1-statute", "RSMo 567.030")
    page.fill("#id_charges-1-description", "Purchasing sexual conduct")
    page.select_option("#id_charges-1-charge_class", "misdemeanor")
    page.fill("#id_charges-2-statute", "RSMo 571.030")
    page.fill("#id_charges-2-description", "Unlawful use of a weapon")
    page.get_by_role("button", name="Save the changes").click()
    page.wait_for_load_state("networkidle")
    summary = page.locator(".tf-error-summary")
    assert summary.is_visible() and "Charge 3 — class: choose the class." in summary.inner_text()
    assert page.locator("#id_charges-1-description").input_value() == "Purchasing sexual conduct"
    check_a11y(page)
    shoot(page, "detention-edit-charge-error")

    page.select_option("#id_charges-2-charge_class", "felony")
    page.locator("label[for=id_charges-0-DELETE]").click()
    assert "is-removed" in (blocks.first.get_attribute("class") or "")
    page.fill("#id_change-reason", "Charges as filed by the prosecutor")
    page.get_by_role("button", name="Save the changes").click()
    page.wait_for_load_state("networkidle")
    assert re.search(rf"/detentions/{r.detention_sjpd.pk}/$", page.url), page.url
    signed_in.settle()
    statutes = list(Detention.objects.get(pk=r.detention_sjpd.pk).charges.values_list("statute", flat=True))
    assert statutes == ["RSMo 567.030", "RSMo 571.030"]
    assert page.get_by_text("Reason: Charges as filed by the prosecutor").first.is_visible()
    check_a11y(page)
    shoot(page, "detention-detail-after-edit")


def test_a_late_correction_asks_for_its_reason_and_shows_it(signed_in, e2e_world, check_a11y, shoot):
    from cases.models import Contact

    contact = e2e_world.records.victim_sjpd
    Contact.objects.filter(pk=contact.pk).update(created_at=timezone.now() - timedelta(days=3))
    page = signed_in("officer_sjpd", width=1280)
    _go(page, f"/contacts/{contact.pk}/")
    page.get_by_role("link", name="Edit this contact").click()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    page.fill("#id_narrative", "Met at pump 4; spoke through an interpreter.")
    page.get_by_role("button", name="Save the changes").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_change-reason-error").is_visible()
    assert page.locator("#id_narrative").input_value() == "Met at pump 4; spoke through an interpreter."
    check_a11y(page)
    shoot(page, "contact-edit-reason-needed")
    page.fill("#id_change-reason", "Narrative completed from the body-camera notes")
    page.get_by_role("button", name="Save the changes").click()
    page.wait_for_load_state("networkidle")
    assert re.search(rf"/contacts/{contact.pk}/$", page.url), page.url
    assert page.get_by_text("Reason: Narrative completed from the body-camera notes").is_visible()
    check_a11y(page)
    shoot(page, "contact-detail-history")


def test_voided_and_concluded_operations_offer_no_stale_actions(signed_in, e2e_world, check_a11y, shoot):
    r = e2e_world.records
    r.op_kcpd.mark_voided(e2e_world.users.coordinator, "Duplicate of another operation")
    r.op_sjpd.status = "concluded"
    r.op_sjpd.save()
    page = signed_in("coordinator", width=375)
    _go(page, "/operations/")
    row = page.locator("tr", has_text=r.op_kcpd.code)
    assert "Voided" in row.inner_text()
    check_a11y(page)
    shoot(page, "operation-list-voided")
    _go(page, f"/operations/{r.op_sjpd.pk}/")
    participants = page.locator("#participants + ul")
    assert "Federal Bureau of Investigation" in participants.inner_text()
    assert participants.get_by_role("link", name=re.compile("Remove")).count() == 0
    check_a11y(page)
    shoot(page, "operation-concluded-no-remove")


@pytest.mark.parametrize(
    "persona, path, name",
    [
        ("officer_sjpd", lambda r: f"/people/{r.victim_sjpd.person.pk}/edit/", "person-edit"),
        ("caseworker", lambda r: f"/people/{r.child_contact.person.pk}/edit/", "person-edit-caseworker"),
        ("officer_sjpd", lambda r: f"/offers/{r.offer_sjpd.pk}/edit/", "offer-edit"),
        ("officer_sjpd", lambda r: f"/custody/{r.handoff_sjpd.pk}/edit/", "handoff-edit"),
        ("officer_sjpd", lambda r: f"/contacts/{r.victim_sjpd.pk}/", "contact-detail-offer-actions"),
        ("coordinator", lambda r: "/people/", "people-list-voided"),
    ],
)
def test_edit_pages_and_voided_lists_in_the_browser(signed_in, e2e_world, check_a11y, shoot, persona, path, name):
    r = e2e_world.records
    r.buyer_kcpd.person.mark_voided(e2e_world.users.coordinator, "Recorded twice")
    page = signed_in(persona, width=375)
    _go(page, path(r))
    assert page.locator("h1").count() == 1 and not page.errors
    if name == "people-list-voided":
        assert "Voided" in page.locator("tr", has_text=r.buyer_kcpd.person.reference).inner_text()
    elif name != "contact-detail-offer-actions":
        assert page.get_by_role("button", name="Save the changes").is_visible()
        assert page.get_by_text("Changes to this record").is_visible()
    check_a11y(page)
    shoot(page, name)


def test_new_detention_adds_charges_in_place(signed_in, e2e_world, check_a11y, shoot):
    r = e2e_world.records
    page = signed_in("officer_sjpd", width=375)
    _go(page, f"/detentions/new/?contact={r.buyer_contact.pk}")
    page.evaluate("window.__samePage = true")
    for _ in range(3):
        page.get_by_role("button", name="Add another charge").click()
    assert page.locator("[data-charge-list] > [data-charge]").count() == 4
    assert page.get_by_text("Charge 4", exact=True).is_visible()
    assert page.evaluate("window.__samePage === true")
    check_a11y(page)
    shoot(page, "detention-new-four-charges")
