"""Access table: the notification pages (notifications/). Every member reads and marks only
their own notifications; the system administrator, told of no case record, has none (403)."""

from tests.factories import notification

from .registry import UrlCase, expect, register

MEMBERS = expect(200, sysadmin=403)


def _officers_notification(w):
    return {"pk": notification(w.users.officer_sjpd, w.records.referral_sjpd).pk}


register(
    UrlCase("notifications:list", expect={"none": MEMBERS}),
    # The header's count (an htmx fragment).
    UrlCase("notifications:count", expect={"none": MEMBERS}),
    UrlCase("notifications:settings", expect={"none": MEMBERS}),
    UrlCase(
        "notifications:settings",
        method="post",
        data=lambda w: {"email": "digest"},
        expect={"none": expect(302, sysadmin=403)},
        label="save",
    ),
    # Another user's notification is not found; its addressee goes back to the list.
    UrlCase(
        "notifications:mark_read",
        method="post",
        objects={"officers": _officers_notification},
        expect={"officers": expect(404, officer_sjpd=302, sysadmin=403)},
    ),
    UrlCase("notifications:mark_all_read", method="post", expect={"none": expect(302, sysadmin=403)}),
)
