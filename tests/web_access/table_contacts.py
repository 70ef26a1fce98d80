"""Access table: recording contacts and offering services (see registry.py).

Contacts are law-enforcement records: officers of the agencies in the operation and
the coordinator see them; service providers and caseworkers do not (404).
"""

from django.utils import timezone

from .registry import UrlCase, expect, register

NO_PERSON_LEVEL = {"analyst": 403, "tf_auditor": 403, "sysadmin": 403}
# Officers: of law enforcement and of the prosecutor's office (which takes part in no operation).
OFFICERS = dict(coordinator=200, supervisor_sjpd=200, officer_sjpd=200, officer_kcpd=200, agent_fbi=200, prosecutor=200)
ST_JOSEPH_POLICE = dict(coordinator=200, supervisor_sjpd=200, officer_sjpd=200, agent_fbi=200)
CONTACTS = {
    "own": lambda w: {"pk": w.records.victim_sjpd.pk},
    "other": lambda w: {"pk": w.records.victim_kcpd.pk},
}


def _new_contact(w):
    return {
        "operation": w.records.op_sjpd.pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "role": "potential_victim",
        "outcome": "offered_services",
        "new-legal_name": "Casey Invented",
        "new-gender": "unknown",
        "new-citizenship": "unknown",
        f"offer-service_{w.records.shelter.pk}": "accepted",
    }


def _quick_contact(w):
    return {
        "operation": w.records.op_sjpd.pk,
        "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "role": "potential_victim",
        "new-gender": "female",
        f"svc-offered_{w.records.food.pk}": "on",
        f"svc-accepted_{w.records.food.pk}": "on",
    }


register(
    # The quick contact: the same rules as the full form.
    UrlCase("web:contact_quick", expect={"none": expect(403, **OFFICERS)}),
    UrlCase(
        "web:contact_quick",
        label="in_operation",
        query=lambda w: f"operation={w.records.op_sjpd.pk}",
        expect={"none": expect(404, advocate_harbor=403, **ST_JOSEPH_POLICE, **NO_PERSON_LEVEL)},
    ),
    UrlCase(
        "web:contact_quick",
        label="other_agency_person",
        # A person the user cannot see answers 404, before anything else; Northland sees
        # the person it was referred (403: it records no contacts).
        query=lambda w: f"person={w.records.victim_kcpd.person.pk}",
        expect={"none": expect(404, coordinator=200, officer_kcpd=200, advocate_northland=403, **NO_PERSON_LEVEL)},
    ),
    UrlCase(
        "web:contact_quick",
        label="save",
        method="post",
        data=_quick_contact,
        expect={"none": expect(404, advocate_harbor=403, **{k: 302 for k in ST_JOSEPH_POLICE}, **NO_PERSON_LEVEL)},
    ),
    # A walk-in (no operation): officers and the coordinator record contacts.
    UrlCase("web:contact_create", expect={"none": expect(403, **OFFICERS)}),
    UrlCase(
        "web:contact_create",
        label="in_operation",
        query=lambda w: f"operation={w.records.op_sjpd.pk}",
        # The Safe Harbor advocate sees the operation but may not record contacts (403);
        # those who cannot see it get 404.
        expect={"none": expect(404, advocate_harbor=403, **ST_JOSEPH_POLICE, **NO_PERSON_LEVEL)},
    ),
    UrlCase(
        "web:contact_create",
        label="save",
        method="post",
        data=_new_contact,
        expect={"none": expect(404, advocate_harbor=403, **{k: 302 for k in ST_JOSEPH_POLICE}, **NO_PERSON_LEVEL)},
    ),
    UrlCase(
        "web:contact_detail",
        objects=CONTACTS,
        expect={
            "own": expect(404, **ST_JOSEPH_POLICE, **NO_PERSON_LEVEL),
            "other": expect(404, coordinator=200, officer_kcpd=200, **NO_PERSON_LEVEL),
        },
    ),
    UrlCase(
        "web:contact_offers",
        objects=CONTACTS,
        expect={
            "own": expect(404, **ST_JOSEPH_POLICE, **NO_PERSON_LEVEL),
            "other": expect(404, coordinator=200, officer_kcpd=200, **NO_PERSON_LEVEL),
        },
    ),
)
