"""Access table: investigations, prosecutions, their counts and court dates.

Seen from the persona world (tests/personas.py): the "own" investigation is St. Joseph's
(SJPD leads, the FBI takes part, referred to the Buchanan County prosecutor, BCPA, whose
prosecutor files the "own" prosecution); the "other" is Kansas City's (KCPD leads,
referred to the U.S. Attorney, no persona's agency). Advocates and caseworkers never
reach these pages (404, as for a record out of scope); analysts, auditors and the
system administrator are refused by role (403).
"""

from django.utils import timezone

from cases import models as m
from tests import factories as f

from .registry import UrlCase, register
from .table_people import PEOPLE, SEES_PERSON_AS_INVESTIGATOR
from .table_workflows import pk, seen

# Who sees the St. Joseph investigation and what is recorded in it.
SJPD_CASE = dict(coordinator=200, supervisor_sjpd=200, officer_sjpd=200, agent_fbi=200, prosecutor=200)
# Who changes it: its lead agency's officers (and supervisor) and the coordinator.
SJPD_LEAD = dict(coordinator=200, supervisor_sjpd=200, officer_sjpd=200)
# Those who see it but may not change it.
SJPD_READERS = dict(agent_fbi=403, prosecutor=403)
# Kansas City's: KCPD and the coordinator; its prosecutor (the U.S. Attorney) is no persona's agency.
KCPD_CASE = dict(coordinator=200, officer_kcpd=200)
EVERY_INVESTIGATOR = dict(officer_kcpd=200, **SJPD_CASE)


def _closed_sjpd(w):
    """A closed investigation SJPD led alone."""
    return f.InvestigationFactory(
        lead_agency=w.agencies.sjpd,
        title="SJPD closed labour case",
        status=m.InvestigationStatus.CLOSED,
        closing_reason="insufficient_evidence",
        closed_on=timezone.localdate(),
    )


def _unlink(investigation, name: str, linked):
    """The URL kwargs of unlinking `linked` from `investigation`."""
    return lambda w: {"pk": investigation(w).pk, name: linked(w).pk}


def _investigation_pages(objects_expect: dict, *names: str) -> list[UrlCase]:
    return [
        UrlCase(
            name,
            objects={k: v[0] for k, v in objects_expect.items()},
            expect={k: v[1] for k, v in objects_expect.items()},
        )
        for name in names
    ]


CHANGE_INVESTIGATION = {
    "own": (pk(lambda w: w.records.investigation_sjpd), seen(404, **SJPD_LEAD, **SJPD_READERS)),
    "other": (pk(lambda w: w.records.investigation_kcpd), seen(404, **KCPD_CASE)),
}
# The St. Joseph prosecution and what is in it: BCPA's prosecutor and the coordinator change it.
CHANGE_PROSECUTION = dict(coordinator=200, prosecutor=200, supervisor_sjpd=403, officer_sjpd=403, agent_fbi=403)
OTHER_PROSECUTION = dict(coordinator=200, officer_kcpd=403)

register(
    UrlCase("web:investigation_list", expect={"none": seen(404, **EVERY_INVESTIGATOR)}),
    UrlCase("web:investigation_create", label="no-source", expect={"none": seen(404, **EVERY_INVESTIGATOR)}),
    UrlCase(
        # Opened from an operation: only from one the officer may see.
        "web:investigation_create",
        label="from-own-operation",
        query=lambda w: f"operation={w.records.op_sjpd.pk}",
        expect={"none": seen(404, coordinator=200, supervisor_sjpd=200, officer_sjpd=200, agent_fbi=200)},
    ),
    UrlCase(
        "web:investigation_create",
        label="from-other-operation",
        query=lambda w: f"operation={w.records.op_kcpd.pk}",
        expect={"none": seen(404, coordinator=200, officer_kcpd=200)},
    ),
    UrlCase(
        "web:investigation_create",
        method="post",
        label="post",
        data=lambda w: {
            "title": "Riverside motel ring",
            "trafficking_type": "sex",
            "opened_on": timezone.localdate(),
            "lead_agency": w.agencies.sjpd.pk,  # the coordinator's choice; an officer's agency leads
        },
        expect={"none": seen(404, **{p: 302 for p in EVERY_INVESTIGATOR})},
    ),
    UrlCase(
        "web:investigation_detail",
        objects={
            "own": pk(lambda w: w.records.investigation_sjpd),
            "other": pk(lambda w: w.records.investigation_kcpd),
            "own_closed": pk(_closed_sjpd),
        },
        expect={
            "own": seen(404, **SJPD_CASE),
            "other": seen(404, **KCPD_CASE),
            "own_closed": seen(404, **SJPD_LEAD),
        },
    ),
    *_investigation_pages(
        CHANGE_INVESTIGATION,
        "web:investigation_update",
        "web:investigation_agency_add",
        "web:investigation_refer",
        "web:investigation_close",
        "web:investigation_person_add",
        "web:investigation_operation_link",
        "web:investigation_detention_link",
    ),
    UrlCase(
        # A closed investigation can no longer be changed (403), only reopened.
        "web:investigation_update",
        label="closed",
        objects={"own_closed": pk(_closed_sjpd)},
        expect={"own_closed": seen(404, coordinator=403, supervisor_sjpd=403, officer_sjpd=403)},
    ),
    UrlCase(
        "web:investigation_reopen",
        objects={"own_closed": pk(_closed_sjpd), "own_open": pk(lambda w: w.records.investigation_sjpd)},
        expect={
            "own_closed": seen(404, **SJPD_LEAD),
            "own_open": seen(404, **{p: 403 for p in SJPD_CASE}),
        },
    ),
    UrlCase(
        "web:investigation_refer",
        method="post",
        label="post",
        objects={"own": pk(lambda w: w.records.investigation_sjpd)},
        data=lambda w: {"agency": w.agencies.usao.pk},  # BCPA has it already
        expect={"own": seen(404, coordinator=302, supervisor_sjpd=302, officer_sjpd=302, **SJPD_READERS)},
    ),
    UrlCase(
        "web:investigation_person_add",
        method="post",
        label="post",
        objects={"own": pk(lambda w: w.records.investigation_sjpd)},
        data=lambda w: {
            "q": w.records.child_contact.person.reference,
            "person": w.records.child_contact.person.pk,
            "role": "victim",
        },
        expect={"own": seen(404, coordinator=302, supervisor_sjpd=302, officer_sjpd=302, **SJPD_READERS)},
    ),
    UrlCase(
        "web:investigation_agency_remove",
        objects={
            "own": pk(lambda w: w.records.investigation_sjpd.agencies.get(agency=w.agencies.fbi)),
            "other": pk(lambda w: w.records.investigation_kcpd.agencies.get(agency=w.agencies.usao)),
        },
        expect={"own": seen(404, **SJPD_LEAD, **SJPD_READERS), "other": seen(404, **KCPD_CASE)},
    ),
    UrlCase(
        "web:investigation_person_remove",
        objects={
            "own": pk(lambda w: w.records.investigation_sjpd.people.get(role="victim")),
            "other": pk(lambda w: w.records.investigation_kcpd.people.get(role="victim")),
        },
        expect={"own": seen(404, **SJPD_LEAD, **SJPD_READERS), "other": seen(404, **KCPD_CASE)},
    ),
    # Unlinking an operation or an arrest: asked first, then done by the lead agency (and the
    # coordinator); the record must be linked to the investigation and visible (404 otherwise).
    UrlCase(
        "web:investigation_operation_unlink",
        objects={
            "own": _unlink(lambda w: w.records.investigation_sjpd, "operation_pk", lambda w: w.records.op_sjpd),
            "not_linked": _unlink(lambda w: w.records.investigation_sjpd, "operation_pk", lambda w: w.records.op_kcpd),
            "other": _unlink(lambda w: w.records.investigation_kcpd, "operation_pk", lambda w: w.records.op_kcpd),
        },
        expect={
            "own": seen(404, **SJPD_LEAD, **SJPD_READERS),
            "not_linked": seen(404, **SJPD_READERS),
            "other": seen(404, **KCPD_CASE),
        },
    ),
    UrlCase(
        "web:investigation_operation_unlink",
        method="post",
        label="post",
        objects={"own": _unlink(lambda w: w.records.investigation_sjpd, "operation_pk", lambda w: w.records.op_sjpd)},
        expect={"own": seen(404, coordinator=302, supervisor_sjpd=302, officer_sjpd=302, **SJPD_READERS)},
    ),
    UrlCase(
        "web:investigation_detention_unlink",
        objects={
            "own": _unlink(lambda w: w.records.investigation_sjpd, "detention_pk", lambda w: w.records.detention_sjpd),
            "not_linked": _unlink(
                lambda w: w.records.investigation_sjpd, "detention_pk", lambda w: w.records.detention_kcpd
            ),
            "other": _unlink(
                lambda w: w.records.investigation_kcpd, "detention_pk", lambda w: w.records.detention_kcpd
            ),
        },
        expect={
            "own": seen(404, **SJPD_LEAD, **SJPD_READERS),
            "not_linked": seen(404, **SJPD_READERS),
            "other": seen(404, **KCPD_CASE),
        },
    ),
    UrlCase(
        "web:investigation_detention_unlink",
        method="post",
        label="post",
        objects={
            "own": _unlink(lambda w: w.records.investigation_sjpd, "detention_pk", lambda w: w.records.detention_sjpd)
        },
        expect={"own": seen(404, coordinator=302, supervisor_sjpd=302, officer_sjpd=302, **SJPD_READERS)},
    ),
    # The person page's section of investigations and prosecutions: only the roles that see
    # investigations, and of those whoever sees the person (others 404, as for detentions).
    UrlCase(
        "web:person_detail",
        label="investigations",
        objects=PEOPLE,
        query=lambda w: "section=investigations&preview=1",
        expect=SEES_PERSON_AS_INVESTIGATOR,
    ),
    # --- prosecutions ------------------------------------------------------------------
    UrlCase("web:prosecution_list", expect={"none": seen(404, **EVERY_INVESTIGATOR)}),
    UrlCase(
        # Filed by a prosecutor the investigation was referred to (or the coordinator).
        "web:prosecution_create",
        objects={
            "own": pk(lambda w: w.records.investigation_sjpd),
            "other": pk(lambda w: w.records.investigation_kcpd),
            "own_closed": pk(_closed_sjpd),
        },
        expect={
            "own": seen(404, coordinator=200, prosecutor=200, supervisor_sjpd=403, officer_sjpd=403, agent_fbi=403),
            "other": seen(404, coordinator=200, officer_kcpd=403),
            "own_closed": seen(404, coordinator=403, supervisor_sjpd=403, officer_sjpd=403),
        },
    ),
    UrlCase(
        "web:prosecution_detail",
        objects={"own": pk(lambda w: w.records.prosecution_sjpd), "other": pk(lambda w: w.records.prosecution_kcpd)},
        expect={"own": seen(404, **SJPD_CASE), "other": seen(404, **KCPD_CASE)},
    ),
    *[
        UrlCase(
            name,
            objects={"own": pk(own), "other": pk(other)},
            expect={"own": seen(404, **CHANGE_PROSECUTION), "other": seen(404, **OTHER_PROSECUTION)},
        )
        for name, own, other in (
            ("web:prosecution_update", lambda w: w.records.prosecution_sjpd, lambda w: w.records.prosecution_kcpd),
            ("web:count_create", lambda w: w.records.prosecution_sjpd, lambda w: w.records.prosecution_kcpd),
            ("web:court_event_create", lambda w: w.records.prosecution_sjpd, lambda w: w.records.prosecution_kcpd),
            ("web:count_update", lambda w: w.records.count_sjpd, lambda w: w.records.count_kcpd),
            ("web:court_event_update", lambda w: w.records.court_event_sjpd, lambda w: w.records.court_event_kcpd),
            ("web:court_event_status", lambda w: w.records.court_event_sjpd, lambda w: w.records.court_event_kcpd),
        )
    ],
    UrlCase(
        "web:court_event_status",
        method="post",
        label="post",
        objects={"own": pk(lambda w: w.records.court_event_sjpd)},
        data=lambda w: {"status": "held"},
        expect={
            "own": seen(404, coordinator=302, prosecutor=302, supervisor_sjpd=403, officer_sjpd=403, agent_fbi=403)
        },
    ),
    # --- voiding (the existing void page, for the new records) ------------------------------
    UrlCase(
        "web:void",
        label="lifecycle",
        objects={
            "own_investigation": lambda w: {"label": "cases.investigation", "pk": w.records.investigation_sjpd.pk},
            "other_investigation": lambda w: {"label": "cases.investigation", "pk": w.records.investigation_kcpd.pk},
            "own_prosecution": lambda w: {"label": "cases.prosecution", "pk": w.records.prosecution_sjpd.pk},
            "count": lambda w: {"label": "cases.count", "pk": w.records.count_sjpd.pk},
        },
        expect={
            # SJPD's supervisor voids its agency's investigation; BCPA's prosecution is BCPA's (no supervisor here).
            "own_investigation": seen(
                404, coordinator=200, supervisor_sjpd=200, **{p: 403 for p in SJPD_READERS}, officer_sjpd=403
            ),
            "other_investigation": seen(404, coordinator=200, officer_kcpd=403),
            "own_prosecution": seen(
                404, coordinator=200, supervisor_sjpd=403, officer_sjpd=403, agent_fbi=403, prosecutor=403
            ),
            "count": seen(404),  # not voidable: corrected on its prosecution's page
        },
    ),
    UrlCase(
        "web:void",
        method="post",
        label="lifecycle-post",
        data=lambda w: {"reason": "Opened twice by mistake."},
        objects={
            "own_investigation": lambda w: {"label": "cases.investigation", "pk": w.records.investigation_sjpd.pk}
        },
        expect={"own_investigation": seen(404, coordinator=302, supervisor_sjpd=302, officer_sjpd=403, **SJPD_READERS)},
    ),
)
