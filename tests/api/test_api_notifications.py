"""The notifications resource: a user's own notifications, marked read with If-Match."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def _mine_and_theirs(world):
    mine = f.notification(world.users.advocate_harbor, world.records.referral_sjpd)
    theirs = f.notification(world.users.advocate_northland, world.records.referral_kcpd)
    return mine, theirs


def test_the_list_holds_only_ones_own_notifications(world, api):
    mine, theirs = _mine_and_theirs(world)
    client = api(world.users.advocate_harbor)
    response = client.get(reverse("api:notification-list"))
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [row["id"] for row in rows] == [mine.pk]
    assert rows[0]["text"] == "A referral sent to your agency is waiting to be acknowledged."
    assert rows[0]["read"] is False and rows[0]["resolved"] is False
    assert client.get(reverse("api:notification-detail", args=[theirs.pk])).status_code == 404


def test_marking_read_needs_if_match(world, api):
    mine, _ = _mine_and_theirs(world)
    client = api(world.users.advocate_harbor)
    url = reverse("api:notification-read", args=[mine.pk])
    assert client.post(url, format="json").status_code == 428
    assert client.post(url, format="json", HTTP_IF_MATCH='"stale"').status_code == 412
    mine.refresh_from_db()
    assert mine.read_at is None
    etag = client.get(reverse("api:notification-detail", args=[mine.pk]))["ETag"]
    response = client.post(url, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200 and response.json()["read"] is True
    # The old ETag no longer matches: the notification changed.
    assert client.post(url, format="json", HTTP_IF_MATCH=etag).status_code == 412


def test_another_users_notification_cannot_be_marked(world, api):
    _, theirs = _mine_and_theirs(world)
    response = api(world.users.advocate_harbor).post(
        reverse("api:notification-read", args=[theirs.pk]), format="json", HTTP_IF_MATCH='"x"'
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read_and_the_read_filter(world, api):
    mine, theirs = _mine_and_theirs(world)
    f.notification(world.users.advocate_harbor, world.records.relief_sjpd, kind="relief_expiring", stage="60d")
    client = api(world.users.advocate_harbor)
    assert len(client.get(reverse("api:notification-list"), {"read": "false"}).json()["results"]) == 2
    response = client.post(reverse("api:notification-read-all"), format="json")
    assert response.status_code == 200 and response.json() == {"marked": 2}
    assert client.get(reverse("api:notification-list"), {"read": "false"}).json()["results"] == []
    assert len(client.get(reverse("api:notification-list"), {"read": "true"}).json()["results"]) == 2
    assert (
        client.get(reverse("api:notification-list"), {"kind": "relief_expiring"}).json()["results"][0]["kind"]
        == "relief_expiring"
    )
    theirs.refresh_from_db()
    assert theirs.read_at is None  # another user's stays unread


def test_notifications_are_never_deleted_or_changed_by_put(world, api):
    mine, _ = _mine_and_theirs(world)
    client = api(world.users.advocate_harbor)
    url = reverse("api:notification-detail", args=[mine.pk])
    assert client.delete(url).status_code == 405
    assert client.patch(url, {"read": True}, format="json").status_code == 405
