"""Access table: the audit trail (audit/urls.py) and the multi-factor pages.

The audit trail is read by the auditor and the coordinator only (DESIGN.md, "Audit"); every
other role is refused (403), and a record's trail answers 404 for an unknown kind of record.
"""

from .registry import UrlCase, expect, register

AUDIT_READERS = expect(403, coordinator=200, tf_auditor=200)

register(
    UrlCase("audit:accesslog-list", expect={"none": AUDIT_READERS}),
    UrlCase("audit:accesslog-export", expect={"none": AUDIT_READERS}),
    UrlCase("audit:change-list", expect={"none": AUDIT_READERS}),
    UrlCase(
        "audit:record-trail",
        objects={
            "own": lambda w: {"label": "cases.operation", "pk": w.records.op_sjpd.pk},
            "other": lambda w: {"label": "cases.operation", "pk": w.records.op_kcpd.pk},
            # A label that names no kind of record (labels are "app.model"; access-log labels too).
            "no_such_kind": lambda w: {"label": "nothing", "pk": 1},
        },
        expect={
            "own": AUDIT_READERS,
            "other": AUDIT_READERS,
            "no_such_kind": expect(403, coordinator=404, tf_auditor=404),
        },
    ),
    UrlCase("audit:mfa-setup", expect={"none": expect(200)}),
    # With no second factor set up yet, the code page sends the user to set one up.
    UrlCase("audit:mfa-verify", expect={"none": expect(302)}),
    # Signing out is a POST (a GET could be forged by any page); everyone lands on the sign-in page.
    UrlCase("logout", method="post", expect={"none": expect(302)}),
)
