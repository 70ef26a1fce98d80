"""The notification pages: the header count (htmx), the list with read and unread, marking
read one or all, pagination, the empty state, and the e-mail preference."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import EmailPreference, Notification, NotificationPreference

from . import factories as f

pytestmark = pytest.mark.django_db


def _many(world, user, count: int) -> list[Notification]:
    return [f.notification(user, world.records.referral_sjpd, stage=f"s{n}") for n in range(count)]


def test_an_empty_list_says_what_will_appear(world, client):
    client.force_login(world.users.advocate_harbor)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "No notifications yet" in page and "Mark all" not in page
    assert "Nothing unread" in client.get(reverse("notifications:list"), {"show": "unread"}).content.decode()


def test_the_header_loads_the_count_with_htmx(world, client):
    _many(world, world.users.advocate_harbor, 3)
    client.force_login(world.users.advocate_harbor)
    page = client.get(reverse("web:home")).content.decode()
    assert f'hx-get="{reverse("notifications:count")}"' in page and 'hx-trigger="load, every 60s"' in page
    fragment = client.get(reverse("notifications:count")).content.decode()
    assert 'data-unread="3"' in fragment and "<html" not in fragment
    client.force_login(world.users.sysadmin)
    assert reverse("notifications:count") not in client.get("/admin/").content.decode()


def test_the_list_pages_25_at_a_time_newest_first(world, client, django_assert_max_num_queries):
    made = _many(world, world.users.advocate_harbor, 30)
    client.force_login(world.users.advocate_harbor)
    with django_assert_max_num_queries(12):
        first = client.get(reverse("notifications:list"))
    shown = list(first.context["notifications"])
    assert len(shown) == 25 and shown[0].pk == made[-1].pk
    assert "Showing 1–25 of 30." in first.content.decode()
    second = client.get(reverse("notifications:list"), {"page": 2})
    assert len(second.context["notifications"]) == 5


def test_marking_one_read_and_the_unread_filter(world, client):
    one, other = _many(world, world.users.advocate_harbor, 2)
    client.force_login(world.users.advocate_harbor)
    response = client.post(reverse("notifications:mark_read", args=[one.pk]), {"next": "/notifications/?show=unread"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?show=unread"
    one.refresh_from_db()
    assert one.read_at is not None
    unread = client.get(reverse("notifications:list"), {"show": "unread"})
    assert [n.pk for n in unread.context["notifications"]] == [other.pk]
    read = client.get(reverse("notifications:list"), {"show": "read"})
    assert [n.pk for n in read.context["notifications"]] == [one.pk]
    # An address elsewhere is not followed.
    response = client.post(reverse("notifications:mark_read", args=[other.pk]), {"next": "https://example.com/"})
    assert response["Location"] == reverse("notifications:list")


def test_opening_the_record_marks_it_read(world, client):
    (one,) = _many(world, world.users.advocate_harbor, 1)
    Notification.objects.filter(pk=one.pk).update(
        link=reverse("web:referral_detail", args=[world.records.referral_sjpd.pk])
    )
    client.force_login(world.users.advocate_harbor)
    response = client.post(reverse("notifications:mark_read", args=[one.pk]), {"open": "1"})
    assert response["Location"] == reverse("web:referral_detail", args=[world.records.referral_sjpd.pk])
    one.refresh_from_db()
    assert one.read_at is not None


def test_mark_all_read_touches_only_ones_own(world, client):
    _many(world, world.users.advocate_harbor, 3)
    theirs = f.notification(world.users.advocate_northland, world.records.referral_kcpd)
    client.force_login(world.users.advocate_harbor)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Mark all 3 as read" in page
    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=world.users.advocate_harbor, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_the_email_preference_page(world, client):
    client.force_login(world.users.advocate_harbor)
    page = client.get(reverse("notifications:settings")).content.decode()
    assert 'value="immediately" id="id_email_0" checked' in page
    assert "never names a person or a record" in page
    refused = client.post(reverse("notifications:settings"), {"email": "hourly"})
    assert refused.status_code == 200 and "Select a valid choice" in refused.content.decode()
    client.post(reverse("notifications:settings"), {"email": "digest"})
    assert NotificationPreference.objects.get(user=world.users.advocate_harbor).email == EmailPreference.DIGEST


def test_turning_email_off_drops_what_was_waiting(world, client):
    (waiting,) = _many(world, world.users.advocate_harbor, 1)
    client.force_login(world.users.advocate_harbor)
    client.post(reverse("notifications:settings"), {"email": "off"})
    waiting.refresh_from_db()
    assert waiting.email == Notification.Email.NOT_SENT
