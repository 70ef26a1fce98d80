"""Access table: people pages (see registry.py).

"own" is Dana, an adult victim contacted by SJPD in the St. Joseph operation and
referred to Safe Harbor; "other" is Jordan, contacted by KCPD and referred to
Northland; "child" is Robin, a child in the St. Joseph operation handed to the
Children's Division.
"""

from .registry import UrlCase, expect, register

NO_PERSON_LEVEL = {"analyst": 403, "tf_auditor": 403}
WORKING = dict(
    coordinator=200, supervisor_sjpd=200, officer_sjpd=200, officer_kcpd=200, agent_fbi=200,
    advocate_harbor=200, advocate_northland=200, caseworker=200,
)
ST_JOSEPH_POLICE = dict(coordinator=200, supervisor_sjpd=200, officer_sjpd=200, agent_fbi=200)

register(
    UrlCase("web:person_list", expect={"none": expect(403, **WORKING)}),
    UrlCase("web:person_search", query=lambda w: "q=invented", expect={"none": expect(403, **WORKING)}),
    UrlCase(
        "web:person_detail",
        objects={
            "own": lambda w: {"pk": w.records.victim_sjpd.person_id},
            "other": lambda w: {"pk": w.records.victim_kcpd.person_id},
            "child": lambda w: {"pk": w.records.child_contact.person_id},
        },
        expect={
            "own": expect(404, advocate_harbor=200, **ST_JOSEPH_POLICE, **NO_PERSON_LEVEL),
            "other": expect(404, coordinator=200, officer_kcpd=200, advocate_northland=200, **NO_PERSON_LEVEL),
            "child": expect(404, caseworker=200, **ST_JOSEPH_POLICE, **NO_PERSON_LEVEL),
        },
    ),
)
