"""End to end in Chromium: "Is this one of these?" before a new person is saved, the review
list of possible duplicates, and a merge chosen field by field. Every page checked with axe."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.e2e]


def _go(page, path):
    page.goto(f"{page.base}{path}")
    page.wait_for_load_state("networkidle")


def _second_record(world, name: str, **person):
    from tests import factories as f

    return f.person_met(world, name, **person)


def test_the_quick_contact_asks_is_this_one_of_these(signed_in, e2e_world, check_a11y, shoot):
    from cases.models import Person

    existing = _second_record(e2e_world, "Destiny Quarrington", estimated_age=24)
    page = signed_in("officer_sjpd", width=375)
    _go(page, f"/contacts/quick/?operation={e2e_world.records.op_sjpd.pk}")
    page.fill("#id_new-legal_name", "Destny Quarrington")
    page.fill("#id_new-estimated_age", "25")
    page.locator("label[for=id_new-gender_0]").click()
    page.locator("label", has_text="Potential victim").first.click()
    page.locator("select#id_outcome").select_option("no_action")
    count = Person.objects.count()
    page.get_by_role("button", name=re.compile("Save")).last.click()
    page.wait_for_load_state("networkidle")
    prompt = page.locator(".tf-candidates")
    assert prompt.is_visible() and existing.reference in prompt.inner_text()
    assert page.locator("#id_new-legal_name").input_value() == "Destny Quarrington"
    assert Person.objects.count() == count
    check_a11y(page)
    shoot(page, "duplicates-candidate-prompt")
    page.get_by_role("button", name=f"Yes, it is {existing.reference}").click()
    page.wait_for_load_state("networkidle")
    assert "/contacts/" in page.url and existing.contacts.count() == 2


def test_a_supervisor_reviews_the_pairs_and_merges_one(signed_in, e2e_world, check_a11y, shoot):
    from cases.models import Person, PersonMerge

    first = _second_record(e2e_world, "Guadalupe Quarrington", phone="")
    second = _second_record(e2e_world, "Guadelupe Quarrington", phone="(555) 010-0142")
    page = signed_in("supervisor_sjpd", width=1280)
    _go(page, "/people/")
    page.get_by_role("link", name="Review possible duplicate records").click()
    page.wait_for_load_state("networkidle")
    row = page.locator("tr", has_text=second.reference)
    assert row.is_visible() and first.reference in row.inner_text()
    check_a11y(page)
    shoot(page, "duplicates-review-list")
    row.get_by_role("link", name=re.compile("Compare and merge")).click()
    page.wait_for_load_state("networkidle")
    check_a11y(page)
    page.get_by_label("(555) 010-0142").check()
    page.get_by_role("button", name=re.compile("Merge")).click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".usa-error-message, .tf-error-summary").first.is_visible()  # the box not ticked
    page.locator("label[for=id_confirm]").click()
    shoot(page, "duplicates-merge-page")
    page.get_by_role("button", name=re.compile("Merge")).click()
    page.wait_for_load_state("networkidle")
    assert re.search(rf"/people/{first.pk}/$", page.url), page.url
    signed_in.settle()
    merged = PersonMerge.objects.get()
    assert merged.survivor == first and merged.merged == second
    assert Person.objects.get(pk=first.pk).phone == "(555) 010-0142"
    assert Person.objects.get(pk=second.pk).merged_into_id == first.pk
    check_a11y(page)
    shoot(page, "duplicates-after-merge")
