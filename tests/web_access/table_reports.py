"""Access table: the report pages (cases/urls.py, namespace "reports").

Every role but the auditor reads reports; the analyst reads the whole task force's
(small counts suppressed); an operation outside the user's scope is 404. The system
administrator has no role in the case records and reads none (403).
"""

from .registry import UrlCase, expect, register

# Everyone with a role but the auditor.
EVERY_READER = expect(200, tf_auditor=403, sysadmin=403)
# The St. Joseph operation's report (page and PDF): its agencies' staff, the coordinator and the
# analyst; the caseworker sees hand-offs, not operations.
SJPD_OPERATION_REPORT = expect(
    404,
    coordinator=200,
    supervisor_sjpd=200,
    officer_sjpd=200,
    agent_fbi=200,
    advocate_harbor=200,
    analyst=200,
    tf_auditor=403,
    sysadmin=403,
)

register(
    UrlCase("reports:dashboard", expect={"none": EVERY_READER}),
    UrlCase("reports:dashboard", label="csv", query=lambda w: "format=csv", expect={"none": EVERY_READER}),
    UrlCase("reports:measures", expect={"none": EVERY_READER}),
    UrlCase("reports:measures", label="xlsx", query=lambda w: "format=xlsx&year=2026", expect={"none": EVERY_READER}),
    UrlCase("reports:operation_list", expect={"none": EVERY_READER}),
    UrlCase(
        "reports:operation",
        objects={
            "own": lambda w: {"pk": w.records.op_sjpd.pk},
            "other": lambda w: {"pk": w.records.op_kcpd.pk},
        },
        expect={
            # The caseworker sees hand-offs, not operations; the Kansas City side is out of scope.
            "own": SJPD_OPERATION_REPORT,
            "other": expect(
                404,
                coordinator=200,
                officer_kcpd=200,
                advocate_northland=200,
                analyst=200,
                tf_auditor=403,
                sysadmin=403,
            ),
        },
    ),
    UrlCase(
        "reports:operation",
        label="csv",
        query=lambda w: "format=csv",
        objects={"other": lambda w: {"pk": w.records.op_kcpd.pk}},
        expect={
            "other": expect(
                404,
                coordinator=200,
                officer_kcpd=200,
                advocate_northland=200,
                analyst=200,
                tf_auditor=403,
                sysadmin=403,
            )
        },
    ),
    UrlCase("reports:measures", label="pdf", query=lambda w: "format=pdf&year=2026", expect={"none": EVERY_READER}),
    UrlCase(
        "reports:operation",
        label="pdf",
        query=lambda w: "format=pdf",
        objects={"own": lambda w: {"pk": w.records.op_sjpd.pk}},
        expect={"own": SJPD_OPERATION_REPORT},
    ),
)
