"""Every operations / people / contact page, as the roles that use it: axe-core finds no
serious or critical violation, and screenshots at 375 px and 1280 px are kept to look at."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e]


def _pages(w):
    r = w.records
    dana, robin = r.victim_sjpd.person, r.child_contact.person
    return {
        "officer_sjpd": [
            ("operation-list-officer", "/operations/"),
            ("operation-detail-officer", f"/operations/{r.op_sjpd.pk}/"),
            ("operation-section-contacts", f"/operations/{r.op_sjpd.pk}/?section=contacts"),
            ("operation-section-detentions", f"/operations/{r.op_sjpd.pk}/?section=detentions"),
            ("operation-edit", f"/operations/{r.op_sjpd.pk}/edit/"),
            ("participant-add", f"/operations/{r.op_sjpd.pk}/agencies/add/"),
            ("location-add", f"/operations/{r.op_sjpd.pk}/locations/add/"),
            ("location-remove-confirm", f"/locations/{r.location_sjpd.pk}/remove/"),
            ("person-list-officer", "/people/?q=invented"),
            ("person-detail-child", f"/people/{robin.pk}/"),
            ("person-section-custody", f"/people/{robin.pk}/?section=custody"),
            ("contact-form-search", f"/contacts/new/?operation={r.op_sjpd.pk}&q=invented"),
            ("contact-form-chosen", f"/contacts/new/?operation={r.op_sjpd.pk}&person={dana.pk}"),
            ("contact-offers", f"/contacts/{r.victim_sjpd.pk}/offers/"),
            ("not-found", f"/operations/{r.op_kcpd.pk}/"),
        ],
        "advocate_harbor": [
            ("home-advocate", "/"),
            ("operation-detail-advocate", f"/operations/{r.op_sjpd.pk}/"),
            ("person-detail-advocate", f"/people/{dana.pk}/"),
            ("person-list-advocate", "/people/"),
            ("forbidden", "/contacts/new/"),
        ],
        "caseworker": [("home-caseworker", "/")],
        "analyst": [("home-analyst", "/")],
        "tf_auditor": [("home-auditor", "/")],
    }


def test_pages_pass_axe_and_are_photographed(signed_in, e2e_world, check_a11y, shoot):
    for persona, pages in _pages(e2e_world).items():
        page = signed_in(persona)
        for name, path in pages:
            response = page.goto(page.base + path)
            page.wait_for_load_state("networkidle")
            expected = {"not-found": 404, "forbidden": 403}.get(name, 200)
            assert response.status == expected, (persona, path, response.status)
            check_a11y(page)
            shoot(page, name)
        assert page.errors == [], (persona, page.errors)
    assert len(check_a11y.checked) == sum(len(p) for p in _pages(e2e_world).values())


def test_sign_in_page(browser, live_server, check_a11y, shoot, e2e_world):
    page = browser.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    check_a11y(page)
    shoot(page, "sign-in")
    page.fill("input[name=username]", "officer_sam")
    page.fill("input[name=password]", "wrong password entirely")
    page.click("form button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert page.locator(".tf-error-summary").is_visible()
    check_a11y(page)
    page.close()
