"""End to end in Chromium: reminders made by the rules show as a count in the header
(loaded by htmx), the advocate opens the list, marks one read, then all; axe on each state."""

from __future__ import annotations

from datetime import timedelta

import pytest

pytestmark = [pytest.mark.e2e]


def _count(page) -> str:
    badge = page.locator("#notification-count .tf-count")
    badge.wait_for()
    return badge.get_attribute("data-unread")


def test_advocate_sees_the_count_and_works_through_the_list(signed_in, e2e_world, check_a11y, shoot, live_server):
    from cases import models as m
    from notifications.models import Notification
    from notifications.rules import remind

    r = e2e_world.records
    now = r.referral_sjpd.sent_at + timedelta(hours=49)
    m.CourtEvent.objects.filter(pk=r.court_event_sjpd.pk).update(scheduled_at=now + timedelta(days=3))
    remind(now)
    advocate = e2e_world.users.advocate_harbor
    assert set(Notification.objects.filter(recipient=advocate).values_list("kind", flat=True)) == {
        "referral_to_acknowledge",
        "court_date_week",
    }

    page = signed_in("advocate_harbor")
    page.goto(f"{live_server.url}/")
    page.wait_for_load_state("networkidle")
    assert _count(page) == "2"
    shoot(page.locator(".tf-userbar").page, "notifications-header")
    page.locator(".tf-userbar").screenshot(path="/tmp/notify16-header.png")

    page.get_by_role("link", name="Notifications").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("A referral sent to your agency is waiting to be acknowledged.").is_visible()
    assert page.get_by_text("A court date you follow is within a week.").is_visible()
    check_a11y(page)
    shoot(page, "notifications-list")

    court = page.locator("li.tf-notification", has_text="A court date you follow is within a week.")
    court.get_by_role("button", name="Mark as read").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Marked as read.").is_visible()
    assert _count(page) == "1"

    # A new reminder while the page is open: htmx fetches the count again (as it does every minute).
    from tests import factories as f

    f.notification(advocate, r.relief_sjpd, kind="relief_expiring", stage="60d")
    page.evaluate("htmx.ajax('GET', '/notifications/count/', '#notification-count')")
    page.wait_for_function("document.querySelector('#notification-count .tf-count').dataset.unread === '2'")

    page.reload()
    page.wait_for_load_state("networkidle")
    page.get_by_role("button", name="Mark all 2 as read").click()
    page.wait_for_load_state("networkidle")
    assert _count(page) == "0"
    page.get_by_role("link", name="Unread (0)").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Nothing unread").is_visible()
    check_a11y(page)

    page.get_by_role("link", name="choose how often you get e-mail").click()
    page.locator("label", has_text="Once a day (daily digest)").click()
    assert page.get_by_label("Once a day (daily digest)").is_checked()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Your e-mail preference is saved.").is_visible()
    check_a11y(page)
    shoot(page, "notifications-settings")
    assert page.errors == []
