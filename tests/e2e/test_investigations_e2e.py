"""End to end in Chromium: the officer opens an investigation from the operation, adds the
suspect and the victim and refers it to the county prosecutor; the prosecutor files a
prosecution with two counts, sets a court date, records the plea and the sentence.
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


def _submit(page, label):
    page.get_by_role("button", name=label).click()
    page.wait_for_load_state("networkidle")


def _add_person(page, person, role):
    page.get_by_role("link", name="Add a person").click()
    page.wait_for_load_state("networkidle")
    page.fill("#id_q", person.reference)
    _submit(page, "Find")
    page.get_by_text(person.reference, exact=False).first.click()
    page.select_option("#id_role", role)
    _submit(page, "Add to the investigation")


def test_officer_refers_an_investigation_and_the_prosecutor_charges_and_sentences(
    signed_in, e2e_world, check_a11y, shoot
):
    from cases.models import Investigation, Prosecution
    from tests import factories as f

    w = e2e_world
    r = w.records
    trafficking = f.statute("rsmo-566-209")
    suspect, victim = r.buyer_contact.person, r.victim_sjpd.person

    # --- the officer -------------------------------------------------------------------
    page = signed_in("officer_sjpd")
    _go(page, f"/operations/{r.op_sjpd.pk}/")
    page.get_by_role("link", name="Open an investigation from this operation").click()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    assert page.locator("#id_title").input_value() == r.op_sjpd.name  # prefilled from the operation
    page.fill("#id_title", "Riverside motel ring")
    _submit(page, "Open the investigation")
    assert re.search(r"/investigations/\d+/$", page.url), page.url
    signed_in.settle()
    inv = Investigation.objects.get(title="Riverside motel ring")
    assert list(inv.operations.all()) == [r.op_sjpd]
    assert page.get_by_text(f"Investigation {inv.reference} is open.").is_visible()

    _add_person(page, suspect, "suspect")
    assert page.get_by_text(f"{suspect.reference} is in the investigation as suspect.").is_visible()
    _add_person(page, victim, "victim")
    check_a11y(page)

    page.get_by_role("link", name="Refer for prosecution").click()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    page.select_option("#id_agency", str(w.agencies.prosecutor.pk))
    _submit(page, "Refer for prosecution")
    assert page.get_by_text(
        f"{inv.reference} is referred for prosecution to {w.agencies.prosecutor.name}."
    ).is_visible()
    assert "Referred for prosecution" in page.locator("main").inner_text()
    signed_in.settle()
    inv.refresh_from_db()
    assert inv.status == "referred"
    check_a11y(page)
    shoot(page, "investigation-detail-officer")

    # --- the prosecutor ------------------------------------------------------------------
    page = signed_in("prosecutor")
    page.get_by_role("link", name="Investigations").first.click()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    page.get_by_role("link", name=inv.reference).click()
    page.wait_for_load_state("networkidle")
    # The prosecutor does not take part in the operation: it is not named.
    assert r.op_sjpd.code not in page.locator("main").inner_text()
    page.get_by_role("link", name="File a prosecution").click()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    page.select_option("#id_defendant", str(suspect.pk))
    page.select_option("#id_court_jurisdiction", "state")
    page.fill("#id_court", "Buchanan County Circuit Court")
    page.fill("#id_docket_number", "26BU-CR00999")
    page.fill("#id_filed_on", timezone.localdate().isoformat())
    _submit(page, "File the prosecution")
    assert re.search(r"/prosecutions/\d+/$", page.url), page.url
    signed_in.settle()
    prosecution = Prosecution.objects.get(docket_number="26BU-CR00999")

    for number, statute in ((1, trafficking), (2, f.statute("rsmo-567-030"))):
        page.get_by_role("link", name="Add a count").click()
        page.wait_for_load_state("networkidle")
        assert page.locator("#id_number").input_value() == str(number)
        assert not page.locator("[data-sentence-fields]").is_visible()  # pending: no sentence yet
        page.select_option("#id_statute", str(statute.pk))
        _submit(page, "Save")
        assert page.get_by_text(f"Count {number} is added.").is_visible()
    check_a11y(page)

    page.get_by_role("link", name="Add a court date").click()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    when = (timezone.localtime() + timedelta(days=14)).replace(hour=9, minute=30)
    page.select_option("#id_kind", "plea")
    page.fill("#id_scheduled_at", when.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_courtroom", "Division 2")
    _submit(page, "Save")
    assert "Plea hearing" in page.locator("#court-dates ~ div").first.inner_text()

    # The plea: count I pleaded guilty and sentenced, count II dismissed.
    page.get_by_role("link", name="Disposition and sentence of count 1").click()
    page.wait_for_load_state("networkidle")
    page.select_option("#id_disposition", "pleaded_guilty")
    assert page.locator("[data-sentence-fields]").is_visible()
    page.fill("#id_disposition_on", timezone.localdate().isoformat())
    page.fill("#id_custody_months", "60")
    page.fill("#id_restitution", "2500")
    check_a11y(page)
    _submit(page, "Save")
    page.get_by_role("link", name="Disposition and sentence of count 2").click()
    page.wait_for_load_state("networkidle")
    page.select_option("#id_disposition", "dismissed")
    assert not page.locator("[data-sentence-fields]").is_visible()
    page.fill("#id_disposition_on", timezone.localdate().isoformat())
    _submit(page, "Save")

    page.get_by_role("link", name=re.compile("What happened at the plea hearing")).click()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    page.get_by_text("Held", exact=True).click()
    _submit(page, "Save")
    signed_in.settle()

    counts = {c.number: c for c in prosecution.counts.all()}
    assert counts[1].disposition == "pleaded_guilty" and counts[1].custody_months == 60
    assert counts[2].disposition == "dismissed" and counts[2].custody_months is None
    assert prosecution.court_events.get().status == "held"
    text = page.locator("main").inner_text()
    assert "60 months custody" in text and "Dismissed" in text and "Held" in text
    check_a11y(page)
    shoot(page, "prosecution-detail-prosecutor")
    assert not page.errors, page.errors
