"""The quick contact in Chromium, on a phone at a truck stop at night.

- The scenario of the issue, "new person, potential victim, offered food, shelter and medical,
  accepted food", counted tap by tap (a tap or a field typed into counts one) at 375 px; the
  figure must not exceed the one written in the README.
- The form's height at 375 px: about two phone screens.
- The warnings: a time outside the operation, an accompanying child whose birth date makes
  them an adult; and the next steps after saving.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e]

README = Path(__file__).resolve().parents[2] / "README.md"
# Two screens of a 375 x 812 phone, roughly; the heading of the page to the end of the form.
FORM_HEIGHT_LIMIT = 1700


def _readme_taps() -> int:
    found = re.search(r"Taps measured: (\d+)", README.read_text())
    assert found, "README.md must state the quick contact's tap count as 'Taps measured: N'"
    return int(found.group(1))


class Taps:
    """Every tap or field entry of a scenario, counted."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def tap(self, locator):
        locator.click()
        self.count += 1

    def enter(self, selector: str, text: str):
        self.page.fill(selector, text)
        self.count += 1


def _all_services():
    from cases.catalogue_data import SERVICE_TYPES
    from tests import factories as f

    for entry in SERVICE_TYPES:  # the thirteen services of the real catalogue
        f.ServiceTypeFactory(code=entry.code, name=entry.name)


def _form_height(page) -> tuple[int, int]:
    """(heading of the page to the end of the form, whole page) in CSS px."""
    return page.evaluate(
        """() => {
          const top = document.querySelector('h1').getBoundingClientRect().top;
          const end = document.querySelector('form.tf-quick').getBoundingClientRect().bottom;
          return [Math.round(end - top), document.documentElement.scrollHeight];
        }"""
    )


def test_quick_contact_scenario_taps_and_height_at_375(signed_in, e2e_world, check_a11y, shoot):
    from cases.models import Contact, Person, ServiceOffer, ServiceType

    _all_services()
    op = e2e_world.records.op_sjpd
    page = signed_in("officer_sjpd", width=375)
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(f"{page.base}/operations/{op.pk}/")
    taps = Taps(page)

    taps.tap(page.get_by_role("link", name="Record a contact").first)
    page.wait_for_load_state("networkidle")
    assert "/contacts/quick/" in page.url
    assert ServiceType.objects.filter(active=True).count() == 13
    form_height, page_height = _form_height(page)
    print(f"quick contact at 375 px: form {form_height} px, page {page_height} px")
    assert form_height <= FORM_HEIGHT_LIMIT, f"the quick contact is {form_height} px tall at 375 px"
    check_a11y(page)
    shoot(page, "quick-contact-empty")

    service = {s.code: s.pk for s in ServiceType.objects.all()}
    taps.enter("#id_new-estimated_age", "24")
    taps.tap(page.locator("label[for=id_new-gender_0]"))  # female
    taps.tap(page.locator("label", has_text="Potential victim"))
    taps.tap(page.locator(f"label[for=id_svc-offered_{service['food']}]"))
    taps.tap(page.locator(f"label[for=id_svc-accepted_{service['food']}]"))
    taps.tap(page.locator(f"label[for=id_svc-offered_{service['shelter']}]"))
    taps.tap(page.locator(f"label[for=id_svc-offered_{service['medical']}]"))
    shoot(page, "quick-contact-filled")
    taps.tap(page.get_by_role("button", name="Save the contact"))
    page.wait_for_load_state("networkidle")

    print(f"quick contact scenario: {taps.count} taps")
    assert taps.count <= _readme_taps()
    assert re.search(r"/contacts/\d+/$", page.url), page.url
    signed_in.settle()
    contact = Contact.objects.get(pk=int(page.url.rstrip("/").rsplit("/", 1)[1]))
    person = Person.objects.get(pk=contact.person_id)
    assert (person.estimated_age, person.gender) == (24, "female")
    assert (contact.role, contact.outcome) == ("potential_victim", "offered_services")
    answers = {o.service_type.code: o.response for o in ServiceOffer.objects.filter(contact=contact)}
    assert answers == {"food": "accepted", "shelter": "declined", "medical": "declined"}

    # Next steps: the referral first for a victim; no hand-off for an adult.
    steps = page.locator(".tf-next-steps a.usa-button")
    assert steps.first.inner_text() == "Start a referral"
    assert page.get_by_role("link", name="Start a custody hand-off").count() == 0
    check_a11y(page)
    shoot(page, "quick-contact-saved")
    assert page.errors == []


def test_accepted_ticks_offered_and_unticking_offered_clears_accepted(signed_in, e2e_world):
    page = signed_in("officer_sjpd", width=375)
    page.goto(f"{page.base}/contacts/quick/?operation={e2e_world.records.op_sjpd.pk}")
    food = e2e_world.records.food.pk
    page.locator(f"label[for=id_svc-accepted_{food}]").click()
    assert page.is_checked(f"#id_svc-offered_{food}") and page.is_checked(f"#id_svc-accepted_{food}")
    page.locator(f"label[for=id_svc-offered_{food}]").click()
    assert not page.is_checked(f"#id_svc-offered_{food}") and not page.is_checked(f"#id_svc-accepted_{food}")


def test_the_morning_after_the_time_defaults_to_the_operation_and_outside_it_warns(
    signed_in, e2e_world, check_a11y, shoot
):
    from django.utils import timezone

    from cases.models import Contact, OperationStatus
    from tests import factories as f

    start = timezone.localtime().replace(hour=22, minute=0, second=0, microsecond=0) - timedelta(days=2)
    op = f.OperationFactory(
        name="Operation Night Watch",
        lead_agency=e2e_world.agencies.sjpd,
        created_by=e2e_world.users.officer_sjpd,
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        status=OperationStatus.CONCLUDED,
    )
    page = signed_in("officer_sjpd", width=375)
    page.goto(f"{page.base}/contacts/quick/?operation={op.pk}")
    assert page.input_value("#id_occurred_at") == start.strftime("%Y-%m-%dT%H:%M")

    # Typed as "now", the morning after: a warning, nothing saved yet.
    page.fill("#id_occurred_at", timezone.localtime().strftime("%Y-%m-%dT%H:%M"))
    page.locator("label", has_text="Witness").click()
    page.select_option("#id_outcome", "no_action")
    page.get_by_role("button", name="Save the contact").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("The contact time is outside the operation").is_visible()
    signed_in.settle()
    assert not Contact.objects.filter(operation=op).exists()
    check_a11y(page)
    shoot(page, "quick-contact-time-warning")

    page.get_by_role("button", name="Save anyway").click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/contacts/\d+/$", page.url), page.url
    assert page.get_by_text("Recorded outside the operation's time").is_visible()
    check_a11y(page)
    shoot(page, "contact-flag-outside-operation")


def test_a_mistyped_birth_date_of_an_accompanying_child_is_caught_and_custody_follows(
    signed_in, e2e_world, check_a11y, shoot
):
    page = signed_in("officer_sjpd", width=1280)
    page.goto(f"{page.base}/contacts/quick/?operation={e2e_world.records.op_sjpd.pk}")
    page.fill("#id_new-date_of_birth", "1990-05-01")  # meant: 2019
    page.locator("label", has_text="Accompanying child").click()
    page.select_option("#id_outcome", "protective_custody")
    page.get_by_role("button", name="Save the contact").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Recorded as an accompanying child, but the age or date of birth makes them").is_visible()
    check_a11y(page)
    shoot(page, "quick-contact-child-warning")

    born = date(date.today().year - 6, 5, 1)
    page.fill("#id_new-date_of_birth", born.isoformat())
    page.get_by_role("button", name="Save anyway").click()
    page.wait_for_load_state("networkidle")
    assert re.search(r"/contacts/\d+/$", page.url), page.url
    # A child: the hand-off comes first, and no flag remains.
    assert page.locator(".tf-next-steps a.usa-button").first.inner_text() == "Start a custody hand-off"
    assert page.locator(".tf-contact-flags").count() == 0
    check_a11y(page)
    shoot(page, "contact-child-next-steps")
