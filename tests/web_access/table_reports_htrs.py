"""Access table: the investigation export in the shape of HTRS (reports:htrs, cases/reports/htrs.py).

It lists investigations, their suspects and victims: for those who see investigations
(the coordinator; officers, supervisors of law enforcement and prosecutors, each its
agency's), never for the analyst (aggregates only), service providers, child welfare,
auditors or the system administrator (403).
"""

from .registry import UrlCase, expect, register

INVESTIGATION_READERS = expect(
    403,
    coordinator=200,
    supervisor_sjpd=200,
    officer_sjpd=200,
    officer_kcpd=200,
    agent_fbi=200,
    prosecutor=200,
)

register(
    UrlCase("reports:htrs", expect={"none": INVESTIGATION_READERS}),
    UrlCase(
        "reports:htrs",
        label="period",
        query=lambda w: "start=2025-01-01&end=2025-12-31",
        expect={"none": INVESTIGATION_READERS},
    ),
)
