"""End to end in Chromium: the officer's contact at night on a phone, the coordinator's planning.

Every page reached is checked with axe-core (no serious or critical violation).
"""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.e2e]


def test_officer_records_a_contact_with_a_new_person_and_offers_services(signed_in, e2e_world, check_a11y, shoot):
    from cases.models import Contact, Person, ServiceOffer

    op = e2e_world.records.op_sjpd
    page = signed_in("officer_sjpd", width=375)  # a phone at a truck stop
    check_a11y(page)
    shoot(page, "home-officer")

    page.goto(f"{page.base}/operations/{op.pk}/")
    check_a11y(page)
    page.get_by_role("link", name="Record a contact").first.click()
    page.wait_for_load_state("networkidle")
    # The quick contact comes first; the full form is one tap away, in the same operation.
    assert "/contacts/quick/" in page.url
    page.get_by_role("button", name=re.compile("More details")).click()
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_narrative").is_visible()
    assert page.input_value("#id_operation") == str(op.pk)

    # Search first: nobody by that name, say the live (htmx) results.
    page.fill("#id_q", "Zeno")
    page.wait_for_selector("#person-results >> text=No one you can see matches")
    check_a11y(page)

    page.fill("#id_new-legal_name", "Zeno Invented")
    page.fill("#id_new-estimated_age", "22")
    page.check("text=Runaway or homeless")
    page.check("label:has-text('Potential victim')")
    page.check("text=Not in control of ID or passport")
    page.select_option("#id_outcome", "offered_services")
    page.fill("#id_narrative", "Approached at the fuel island; agreed to talk.")
    shelter, food = e2e_world.records.shelter, e2e_world.records.food
    page.check(f"label[for=id_offer-service_{shelter.pk}_1]")  # accepted
    page.check(f"label[for=id_offer-service_{food.pk}_2]")  # declined
    shoot(page, "contact-form-filled")
    page.get_by_role("button", name="Save the contact").click()
    page.wait_for_load_state("networkidle")

    assert re.search(r"/contacts/\d+/$", page.url), page.url
    assert page.get_by_text("recorded, with 2 service offers").is_visible()
    check_a11y(page)
    shoot(page, "contact-detail")
    signed_in.settle()
    person = Person.objects.get(legal_name="Zeno Invented")
    contact = Contact.objects.get(person=person)
    assert contact.operation == op and contact.indicators.count() == 1
    assert set(ServiceOffer.objects.filter(contact=contact).values_list("response", flat=True)) == {
        "accepted",
        "declined",
    }
    assert person.vulnerabilities.get().code == "runaway"
    # Next steps from the same screen; an adult gets no custody hand-off.
    assert page.get_by_role("link", name="Start a referral").is_visible()
    assert page.get_by_role("link", name="Start a custody hand-off").count() == 0

    # The person page shows the answers over time.
    page.get_by_role("link", name=person.reference).first.click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("offered 1 time, accepted").is_visible()
    check_a11y(page)
    shoot(page, "person-detail-officer")
    assert page.errors == []


def test_form_errors_are_shown_and_the_typed_text_is_kept(signed_in, e2e_world, check_a11y, shoot):
    page = signed_in("officer_sjpd", width=375)
    page.goto(f"{page.base}/contacts/new/?operation={e2e_world.records.op_sjpd.pk}")
    page.fill("#id_new-legal_name", "Quinn Invented")
    page.fill("#id_narrative", "Keep this text.")
    page.get_by_role("button", name="Save the contact").click()
    page.wait_for_load_state("networkidle")
    summary = page.locator(".tf-error-summary")
    assert summary.is_visible() and "The person's role" in summary.inner_text()
    # Focus moves to the summary for keyboard and screen-reader users.
    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.input_value("#id_new-legal_name") == "Quinn Invented"
    assert page.input_value("#id_narrative") == "Keep this text."
    check_a11y(page)
    shoot(page, "contact-form-errors")


def test_coordinator_plans_an_operation_with_participants(signed_in, e2e_world, check_a11y, shoot):
    from cases.models import Operation

    page = signed_in("coordinator")
    check_a11y(page)
    shoot(page, "home-coordinator")
    page.get_by_role("link", name="Plan an operation").first.click()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    page.fill("#id_name", "Operation Lantern")
    page.select_option("#id_kind", "sting")
    page.select_option("#id_trafficking_type", "sex")
    page.fill("#id_starts_at", "2026-12-04T21:00")
    page.select_option("#id_lead_agency", label="St. Joseph Police Department")
    page.fill("#id_expected_victims", "8")
    page.select_option("#id_expected_genders", "female")
    page.fill("#id_expected_languages", "English, Spanish")
    page.check("label[for=id_minors_expected]")
    page.fill("#id_briefing_notes", "Staging at the county fairgrounds; bring blankets.")
    shoot(page, "operation-form")
    page.get_by_role("button", name="Plan the operation").click()
    page.wait_for_load_state("networkidle")
    signed_in.settle()
    op = Operation.objects.get(name="Operation Lantern")
    assert page.url.endswith(f"/operations/{op.pk}/")
    assert op.lead_agency == e2e_world.agencies.sjpd and op.minors_expected

    # Several agencies at once, each with its role (preset by the agency's kind) and staff count.
    page.get_by_role("link", name="Add agencies").click()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    a = e2e_world.agencies
    for agency in (a.harbor, a.childrens, a.fbi):
        page.fill("#agency-filter", agency.short_name)
        page.check(f"label[for=agency-{agency.pk}]")
        page.fill(f"#id_staff_{agency.pk}", "3")
    assert page.locator(f"#id_role_{a.childrens.pk}").input_value() == "child_welfare"
    page.get_by_role("button", name="Add the ticked agencies").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("3 agencies take part").is_visible()

    page.get_by_role("link", name="Add a location").click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_venue_name", "Northbelt Truck Plaza")
    page.select_option("#id_venue_type", "truck_stop")
    page.fill("#id_county", "Buchanan")
    page.fill("#id_state", "MO")
    check_a11y(page)
    page.get_by_role("button", name="Add the location").click()
    page.wait_for_load_state("networkidle")

    page.get_by_role("link", name="Start the operation").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_role("heading", name=f"Start operation {op.code}?").is_visible()
    check_a11y(page)
    page.get_by_role("button", name="Yes, start the operation").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("is now active").is_visible()
    check_a11y(page)
    shoot(page, "operation-detail-coordinator")
    signed_in.settle()
    op.refresh_from_db()
    assert op.status == "active"
    assert set(op.participations.values_list("agency__short_name", flat=True)) == {"SJPD", "HARBOR", "MO-CD", "FBI"}
    assert op.locations.get().venue_name == "Northbelt Truck Plaza"
    assert page.errors == []
