"""At the scene and the morning after, in Chromium: forms that survive a dropped connection
and a double tap, and planning a 16-agency operation in a few clicks.

Screenshots (with SCREENSHOT_DIR set) at 375 px and 1280 px; axe on every page reached.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.e2e]


def _location_form(page, op):
    page.goto(f"{page.base}/operations/{op.pk}/locations/add/")
    page.fill("#id_venue_name", "Northbelt Motel")
    page.select_option("#id_venue_type", "hotel")
    page.fill("#id_county", "Buchanan")


def _kept_keys(page) -> list[str]:
    return page.evaluate("Object.keys(sessionStorage).filter(function (k) { return k.indexOf('tf-keep') === 0; })")


def test_the_form_keeps_what_was_typed_when_the_post_never_arrives(signed_in, e2e_world, check_a11y, shoot):
    from cases.models import Location

    op = e2e_world.records.op_sjpd
    page = signed_in("officer_sjpd", width=375)
    _location_form(page, op)
    url = f"{page.base}/operations/{op.pk}/locations/add/"
    # The connection drops once: the POST never reaches the server.
    page.route(url, lambda route: route.abort() if route.request.method == "POST" else route.continue_())
    page.get_by_role("button", name="Add the location").click(no_wait_after=True)
    page.wait_for_timeout(800)
    page.unroute(url)
    assert not Location.objects.filter(venue_name="Northbelt Motel").exists()

    # Back on the form: everything typed is there again, with a notice.
    page.goto(url)
    assert page.input_value("#id_venue_name") == "Northbelt Motel"
    assert page.input_value("#id_venue_type") == "hotel"
    assert page.input_value("#id_county") == "Buchanan"
    assert page.get_by_text("What you typed before is back in the form").is_visible()
    check_a11y(page)
    shoot(page, "form-restored-after-network-failure")
    page.get_by_role("button", name="Add the location").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Northbelt Motel is added").is_visible()
    signed_in.settle()
    assert Location.objects.filter(venue_name="Northbelt Motel").count() == 1
    # Saved: nothing is kept in the browser, and the form opens empty.
    assert _kept_keys(page) == []
    page.goto(url)
    assert page.input_value("#id_venue_name") == ""
    assert page.errors == []


def test_a_resend_after_the_answer_was_lost_saves_once(signed_in, e2e_world):
    """The POST arrives and is saved, but the answer is lost: the resend is answered, not saved again."""
    from cases.models import Location

    op = e2e_world.records.op_sjpd
    page = signed_in("officer_sjpd")
    _location_form(page, op)
    url = f"{page.base}/operations/{op.pk}/locations/add/"

    def lose_the_answer(route):
        if route.request.method != "POST":
            route.continue_()
            return
        route.fetch()  # the server saves it...
        route.abort()  # ...and the answer never comes back

    page.route(url, lose_the_answer)
    page.get_by_role("button", name="Add the location").click(no_wait_after=True)
    page.wait_for_timeout(1500)
    page.unroute(url)
    signed_in.settle()
    # The lost answer's cookie is lost with it (route.fetch shares the browser's cookie jar).
    page.context.clear_cookies(name="tf_saved_form")
    assert Location.objects.filter(venue_name="Northbelt Motel").count() == 1

    page.goto(url)
    assert page.input_value("#id_venue_name") == "Northbelt Motel"
    page.get_by_role("button", name="Add the location").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("it was not saved a second time").is_visible()
    signed_in.settle()
    assert Location.objects.filter(venue_name="Northbelt Motel").count() == 1
    assert _kept_keys(page) == []


def test_a_double_tap_saves_once(signed_in, e2e_world):
    from cases.models import Location

    op = e2e_world.records.op_sjpd
    page = signed_in("officer_sjpd", width=375)
    from playwright.sync_api import expect

    _location_form(page, op)
    posts = []
    page.on("request", lambda request: posts.append(request.url) if request.method == "POST" else None)
    page.get_by_role("button", name="Add the location").dblclick()
    expect(page.get_by_text("Northbelt Motel is added")).to_be_visible()
    signed_in.settle()
    assert Location.objects.filter(venue_name="Northbelt Motel").count() == 1
    # The second tap never left the browser (and the server would have answered it once anyway).
    assert len(posts) == 1


# The 16 agencies of a St. Joseph sting led by the St. Joseph police (the demo directory,
# cases/demo/directory.py, less the lead and the other cities' police).
ST_JOSEPH = (
    "AGO-HTTF",
    "KCPD",
    "BCSO",
    "JCSO",
    "MSHP",
    "FBI-KC",
    "HSI-KC",
    "USMS-WDMO",
    "BCPA",
    "USAO-WDMO",
    "MO-CD",
    "HARBOR",
    "NORTHLAND",
    "HEARTLAND",
    "RIVERBEND",
    "PRAIRIE-LAW",
)


def test_sixteen_agencies_are_added_in_eighteen_clicks(signed_in, e2e_world, check_a11y, shoot):
    """Before: 4 clicks an agency (open the form, choose the agency, choose the role, add): 64.
    Now: "Add agencies", one tick per agency (role preset by its kind), "Add": 18 clicks;
    with a staff count for each, 16 clicks more (and the digits typed). Copying them from an
    earlier operation: 4 clicks."""
    from agencies.models import Agency
    from cases.demo.directory import AGENCIES, load_agencies
    from cases.models import ServiceType
    from tests import factories as f

    for code in {code for row in AGENCIES for code in row.services}:  # the services the directory names
        ServiceType.objects.get_or_create(code=code, defaults={"name": f"Service {code}"})
    load_agencies()
    sjpd = Agency.objects.get(short_name="SJPD")
    op = f.OperationFactory(name="Operation Northbelt", lead_agency=sjpd, status="planned")
    page = signed_in("officer_sjpd")
    clicks = 0

    def click(locator):
        nonlocal clicks
        clicks += 1
        locator.click()

    page.goto(f"{page.base}/operations/{op.pk}/")
    click(page.get_by_role("link", name="Add agencies"))
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    agencies = {a.short_name: a for a in Agency.objects.filter(short_name__in=ST_JOSEPH)}
    assert len(agencies) == 16
    for name in ST_JOSEPH:
        page.fill("#agency-filter", name)  # typing, not clicking: the list narrows to the agency
        click(page.locator(f"label[for=agency-{agencies[name].pk}]"))
    page.fill("#agency-filter", "")
    shoot(page, "add-agencies-ticked")
    click(page.get_by_role("button", name="Add the ticked agencies"))
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("16 agencies take part").is_visible()
    signed_in.settle()
    roles = dict(op.participations.values_list("agency__short_name", "role"))
    assert len(roles) == 17 and roles["SJPD"] == "lead"
    assert (roles["HARBOR"], roles["MO-CD"], roles["BCPA"], roles["MSHP"]) == (
        "victim_services",
        "child_welfare",
        "prosecution",
        "support",
    )
    assert clicks == 18
    shoot(page, "operation-with-16-agencies")

    # The next operation copies them: 4 clicks.
    nxt = f.OperationFactory(name="Operation Northbelt II", lead_agency=sjpd, status="planned")
    page.goto(f"{page.base}/operations/{nxt.pk}/")
    clicks = 0
    click(page.get_by_role("link", name="Copy the agencies of an earlier operation"))
    page.wait_for_load_state("networkidle")
    clicks += 2  # open the list, choose the operation
    page.select_option("#id_source", str(op.pk))
    check_a11y(page)
    shoot(page, "copy-agencies")
    click(page.get_by_role("button", name="Copy their agencies"))
    page.wait_for_load_state("networkidle")
    assert page.get_by_text(f"Copied from {op.code}: 16 agencies take part").is_visible()
    signed_in.settle()
    assert nxt.participations.count() == 17 and clicks == 4
    assert page.errors == []


def test_the_agency_search_narrows_the_list_on_a_phone(signed_in, e2e_world, check_a11y, shoot):
    op = e2e_world.records.op_sjpd
    page = signed_in("officer_sjpd", width=375)
    page.goto(f"{page.base}/operations/{op.pk}/agencies/add/")
    rows = page.locator(".tf-agency-row")
    total = rows.count()
    page.fill("#agency-filter", "northland")
    assert page.locator(".tf-agency-row:visible").count() == 1
    assert page.get_by_text("1 agency shown, 0 ticked").is_visible()
    # Choosing a staff count ticks the agency.
    northland = e2e_world.agencies.northland
    page.fill(f"#id_staff_{northland.pk}", "2")
    page.locator(f"#id_staff_{northland.pk}").blur()
    assert page.locator(f"#agency-{northland.pk}").is_checked()
    page.fill("#agency-filter", "")
    assert page.locator(".tf-agency-row:visible").count() == total
    check_a11y(page)
    shoot(page, "add-agencies-phone")
    assert page.errors == []


def test_starting_an_operation_asks_first(signed_in, e2e_world, check_a11y, shoot):
    from cases.models import Operation

    op = e2e_world.records.op_sjpd
    Operation.objects.filter(pk=op.pk).update(status="planned")
    page = signed_in("officer_sjpd", width=375)
    page.goto(f"{page.base}/operations/{op.pk}/")
    page.get_by_role("link", name="Start the operation").click()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    shoot(page, "operation-start-confirm")
    page.get_by_role("link", name="Cancel").click()
    page.wait_for_load_state("networkidle")
    signed_in.settle()
    op.refresh_from_db()
    assert op.status == "planned"
    page.get_by_role("link", name="Start the operation").click()
    page.get_by_role("button", name="Yes, start the operation").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("is now active").is_visible()
    signed_in.settle()
    op.refresh_from_db()
    assert op.status == "active"
    assert page.errors == []
