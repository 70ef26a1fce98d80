"""End to end in Chromium: the officer follows the links between an investigation, its relief
request and its person, unlinks an arrest after confirming, and the advocate's court dates
carry no link to the prosecution. Every page reached is checked with axe-core."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e]


def _go(page, path):
    page.goto(f"{page.base}{path}")
    page.wait_for_load_state("networkidle")


def test_officer_follows_the_links_and_unlinks_an_arrest(signed_in, e2e_world, check_a11y, shoot):
    from cases.models import Detention

    r = e2e_world.records
    inv, relief, detention = r.investigation_sjpd, r.relief_sjpd, r.detention_sjpd
    page = signed_in("officer_sjpd")

    # The investigation links its relief request, whose page links back.
    _go(page, f"/investigations/{inv.pk}/")
    page.get_by_role("link", name=relief.reference).click()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    assert page.url.endswith(f"/relief/{relief.pk}/")
    page.get_by_role("link", name=inv.reference).click()
    page.wait_for_load_state("networkidle")
    assert page.url.endswith(f"/investigations/{inv.pk}/")

    # The person page's section names the investigation and links it.
    _go(page, f"/people/{r.victim_sjpd.person_id}/?section=investigations")
    check_a11y(page)
    assert page.get_by_role("link", name=inv.reference).count() == 1

    # Unlinking the arrest asks first; cancelling keeps it.
    _go(page, f"/investigations/{inv.pk}/")
    page.locator(f'a[href="/investigations/{inv.pk}/arrests/{detention.pk}/unlink/"]').click()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    shoot(page, "lifecycle-unlink-arrest")
    assert "Unlink the arrest of" in page.locator("h1").inner_text()
    page.get_by_role("link", name="Cancel, keep it as it is").click()
    page.wait_for_load_state("networkidle")
    signed_in.settle()
    assert Detention.objects.get(pk=detention.pk).investigation_id == inv.pk
    page.locator(f'a[href="/investigations/{inv.pk}/arrests/{detention.pk}/unlink/"]').click()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Unlink the arrest").click()
    page.wait_for_load_state("networkidle")
    signed_in.settle()
    assert page.url.endswith(f"/investigations/{inv.pk}/#arrests")
    assert "is no longer linked to" in page.locator(".usa-alert").first.inner_text()
    assert Detention.objects.get(pk=detention.pk).investigation_id is None


def test_advocates_court_dates_carry_no_link_to_the_prosecution(signed_in, e2e_world, check_a11y):
    r = e2e_world.records
    page = signed_in("advocate_harbor")
    _go(page, "/court-dates/")
    check_a11y(page)
    assert page.locator('a[href*="/prosecutions/"]').count() == 0
    assert r.prosecution_sjpd.reference not in page.content()
    prosecutor = signed_in("prosecutor")
    _go(prosecutor, "/court-dates/")
    assert prosecutor.locator(f'a[href="/prosecutions/{r.prosecution_sjpd.pk}/"]').count() >= 1
