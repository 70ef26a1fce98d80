"""Access table: people pages (see registry.py).

"own" is Dana, an adult victim contacted by SJPD in the St. Joseph operation,
referred to Safe Harbor, and a victim in SJPD's investigation, which was referred to the
Buchanan County prosecutor (who sees her through it, not the operation); "other" is Jordan, contacted by KCPD and referred to
Northland; "child" is Robin, a child in the St. Joseph operation handed to the
Children's Division.
"""

from .registry import UrlCase, expect, register

NO_PERSON_LEVEL = {"analyst": 403, "tf_auditor": 403, "sysadmin": 403}
WORKING = dict(
    coordinator=200,
    supervisor_sjpd=200,
    officer_sjpd=200,
    officer_kcpd=200,
    agent_fbi=200,
    advocate_harbor=200,
    advocate_northland=200,
    caseworker=200,
    prosecutor=200,
)
ST_JOSEPH_POLICE = dict(coordinator=200, supervisor_sjpd=200, officer_sjpd=200, agent_fbi=200)

PEOPLE = {
    "own": lambda w: {"pk": w.records.victim_sjpd.person_id},
    "other": lambda w: {"pk": w.records.victim_kcpd.person_id},
    "child": lambda w: {"pk": w.records.child_contact.person_id},
}
SEES_PERSON = {
    "own": expect(404, advocate_harbor=200, prosecutor=200, **ST_JOSEPH_POLICE, **NO_PERSON_LEVEL),
    "other": expect(404, coordinator=200, officer_kcpd=200, advocate_northland=200, **NO_PERSON_LEVEL),
    "child": expect(404, caseworker=200, **ST_JOSEPH_POLICE, **NO_PERSON_LEVEL),
}
# Who sees a person's detentions (and investigations): law enforcement, prosecutors and the
# coordinator, among those who see the person.
SEES_PERSON_AS_INVESTIGATOR = {
    "own": expect(404, prosecutor=200, **ST_JOSEPH_POLICE, **NO_PERSON_LEVEL),
    "other": expect(404, coordinator=200, officer_kcpd=200, **NO_PERSON_LEVEL),
    "child": expect(404, **ST_JOSEPH_POLICE, **NO_PERSON_LEVEL),
}

register(
    UrlCase("web:person_list", expect={"none": expect(403, **WORKING)}),
    UrlCase("web:person_search", query=lambda w: "q=invented", expect={"none": expect(403, **WORKING)}),
    UrlCase("web:person_detail", objects=PEOPLE, expect=SEES_PERSON),
    # The sections that load after the page: the same people, the same answers.
    UrlCase(
        "web:person_detail",
        label="section",
        objects=PEOPLE,
        query=lambda w: "section=referrals&preview=1",
        expect=SEES_PERSON,
    ),
    UrlCase(
        "web:person_detail", label="services", objects=PEOPLE, query=lambda w: "section=services", expect=SEES_PERSON
    ),
    UrlCase(
        "web:person_detail",
        label="custody",
        objects=PEOPLE,
        query=lambda w: "section=custody&preview=1",
        expect=SEES_PERSON,
    ),
    # Detentions: law enforcement, prosecutors and the coordinator only; others who see the
    # person get 404.
    UrlCase(
        "web:person_detail",
        label="detentions",
        objects=PEOPLE,
        query=lambda w: "section=detentions",
        expect=SEES_PERSON_AS_INVESTIGATOR,
    ),
)
