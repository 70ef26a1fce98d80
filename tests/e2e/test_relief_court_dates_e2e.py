"""End to end in Chromium: the advocate asks the police for a T-visa declaration with its
client's consent, the officer of the agency asked reviews and signs it, the advocate sees it
signed; and the advocate reads the court date of its client's case, without the defendant."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.e2e]


def _go(page, path):
    page.goto(f"{page.base}{path}")
    page.wait_for_load_state("networkidle")


def _submit(page, name):
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state("networkidle")


def test_advocate_asks_for_a_t_visa_declaration_and_the_officer_signs_it(signed_in, e2e_world, check_a11y, shoot):
    from cases.models import ReliefRequest, ReliefStatus

    r, a = e2e_world.records, e2e_world.agencies
    client = r.victim_sjpd.person

    # The advocate starts from its client's page.
    advocate = signed_in("advocate_harbor", width=375)
    _go(advocate, f"/people/{client.pk}/")
    advocate.get_by_role("link", name=f"Request immigration relief for {client.reference}").click()
    advocate.wait_for_load_state("networkidle")
    check_a11y(advocate)
    advocate.get_by_text("T-visa declaration (I-914 Supplement B)", exact=True).click()
    advocate.select_option("#id_requested_of_agency", str(a.sjpd.pk))
    advocate.get_by_text("Written consent", exact=True).click()
    advocate.fill("#id_consent_date", timezone.localdate().isoformat())
    advocate.fill("#id_notes", "She met the detective twice and gave a statement.")
    _submit(advocate, "Send the request")
    assert re.search(r"/relief/\d+/$", advocate.url), advocate.url
    signed_in.settle()
    relief = ReliefRequest.objects.latest("pk")
    assert relief.status == ReliefStatus.REQUESTED and relief.requested_by_agency == a.harbor
    assert advocate.get_by_text(f"Relief request {relief.reference} was sent to {a.sjpd.name}.").is_visible()
    check_a11y(advocate)

    # The officer of the agency asked finds it on the home page, reviews it, then signs it.
    officer = signed_in("officer_sjpd")
    _go(officer, "/")
    officer.get_by_role("link", name=f"{relief.reference}: T-visa declaration (I-914 Supplement B)").click()
    officer.wait_for_load_state("networkidle")
    officer.get_by_role("link", name="Start the review").click()
    officer.wait_for_load_state("networkidle")
    check_a11y(officer)
    _submit(officer, "Start the review")
    officer.get_by_role("link", name="Record as signed or granted").click()
    officer.wait_for_load_state("networkidle")
    _submit(officer, "Record as signed or granted")
    assert officer.get_by_text(f"Relief request {relief.reference} was signed or granted.").is_visible()
    signed_in.settle()
    relief.refresh_from_db()
    assert relief.status == ReliefStatus.GRANTED and relief.decided_on == timezone.localdate()

    # The advocate sees it signed, with every step in the timeline.
    _go(advocate, f"/relief/{relief.pk}/")
    timeline = advocate.locator(".tf-timeline").inner_text()
    assert "Under review" in timeline and "Signed or granted" in timeline
    assert advocate.locator(".tf-badge--granted").first.is_visible()
    check_a11y(advocate)
    shoot(advocate, "relief-detail-advocate")


def test_advocate_reads_its_clients_court_date_without_the_defendant(signed_in, e2e_world, check_a11y, shoot):
    r = e2e_world.records
    advocate = signed_in("advocate_harbor")
    _go(advocate, "/")
    advocate.get_by_role("link", name="Court dates", exact=True).first.click()
    advocate.wait_for_load_state("networkidle")
    text = advocate.locator("main").inner_text()
    assert "Buchanan County Circuit Court" in text and "Hearing" in text
    assert r.victim_sjpd.person.reference in text
    defendant = r.prosecution_sjpd.defendant
    for secret in (defendant.reference, r.prosecution_sjpd.docket_number, r.investigation_sjpd.reference):
        assert secret not in text
    check_a11y(advocate)
    shoot(advocate, "court-dates-advocate")
