"""End to end in Chromium: My work, the home page, as an officer, an advocate and a caseworker.

The officer sees its tasks and its agency's queue (overdue first), marks one done, adds a task
on the sting from the operation's page, and sees what the supervisor changed on the sting it
follows; the advocate sees the referral waiting for it and its own task; the caseworker its queue.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.e2e]


def _go(page, path):
    page.goto(f"{page.base}{path}")
    page.wait_for_load_state("networkidle")


def test_officer_works_from_the_home_page(signed_in, e2e_world, check_a11y, shoot):
    from agencies.acting import acting_as
    from work.models import Task, TaskStatus

    u, r = e2e_world.users, e2e_world.records
    Task.objects.filter(pk=r.task_sjpd_queue.pk).update(due_date=timezone.localdate() - timedelta(days=1))
    officer = signed_in("officer_sjpd")  # signing in lands on My work: seen until now
    signed_in.settle()
    with acting_as(u.supervisor_sjpd):
        r.op_sjpd.summary = "Staging moved to the north lot."
        r.op_sjpd.save()
    _go(officer, "/")
    assert officer.get_by_role("heading", name="My tasks").is_visible()
    assert officer.locator("strong", has_text="Complete the contact narrative").is_visible()
    queue = officer.locator("section", has=officer.get_by_role("heading", name="SJPD queue"))
    assert (
        queue.locator("strong", has_text="Return the seized phones").is_visible()
        and queue.get_by_text("Overdue").is_visible()
    )
    changes = officer.locator("section", has=officer.get_by_role("heading", name="Changed since you last looked"))
    assert changes.get_by_text("changed 1 time").is_visible()
    assert officer.get_by_text("Check the motel register").count() == 0  # on a record out of its sight
    check_a11y(officer)
    shoot(officer, "my-work-officer")

    queue.get_by_role("button", name=re.compile(r"Done\s*:\s*Return the seized phones")).click()
    officer.wait_for_load_state("networkidle")
    signed_in.settle()
    assert Task.objects.get(pk=r.task_sjpd_queue.pk).status == TaskStatus.DONE

    # A new task on the sting, for the supervisor, from the operation's page.
    _go(officer, f"/operations/{r.op_sjpd.pk}/")
    officer.get_by_role("link", name="Add a task").click()
    officer.wait_for_load_state("networkidle")
    check_a11y(officer)
    officer.fill("#id_title", "Collect the hotel receipts")
    officer.select_option("#id_assignee", f"user:{u.supervisor_sjpd.pk}")
    officer.get_by_role("button", name="Add the task").click()
    officer.wait_for_load_state("networkidle")
    signed_in.settle()
    task = Task.objects.get(title="Collect the hotel receipts")
    assert task.assigned_user == u.supervisor_sjpd and task.created_by == u.officer_sjpd
    # Seen once: the change is no longer new.
    _go(officer, "/")
    assert officer.get_by_text("Nothing new").is_visible()


def test_advocate_and_caseworker_see_their_work(signed_in, e2e_world, check_a11y, shoot):
    advocate = signed_in("advocate_harbor", width=375)
    _go(advocate, "/")
    assert advocate.locator("strong", has_text="Offer shelter again").is_visible()
    waiting = advocate.locator("section", has=advocate.get_by_role("heading", name="Waiting for HARBOR"))
    assert waiting.get_by_role("link", name="Referrals to acknowledge").is_visible()
    assert "Return the seized phones" not in advocate.content()
    check_a11y(advocate)
    shoot(advocate, "my-work-advocate")

    caseworker = signed_in("caseworker")
    _go(caseworker, "/")
    queue = caseworker.locator("section", has=caseworker.get_by_role("heading", name="MO-CD queue"))
    assert queue.locator("strong", has_text="Confirm the placement").is_visible()
    assert caseworker.get_by_role("link", name="Custody receipts to confirm").is_visible()
    check_a11y(caseworker)
    shoot(caseworker, "my-work-caseworker")
