"""Access table: operation pages (see registry.py).

"own" is the St. Joseph operation (SJPD leads; FBI, Safe Harbor and the Children's
Division take part), "other" the Kansas City one (KCPD leads, Northland takes part),
"unrelated" an operation of an agency no persona belongs to.
"""

from tests import factories as f

from .registry import UrlCase, expect, register

NO_PERSON_LEVEL = {"analyst": 403, "tf_auditor": 403, "sysadmin": 403}


def _unrelated_operation(w):
    return {"pk": f.OperationFactory(name="Operation Far Away", lead_agency=f.AgencyFactory(short_name="FAR")).pk}


OPERATIONS = {
    "own": lambda w: {"pk": w.records.op_sjpd.pk},
    "other": lambda w: {"pk": w.records.op_kcpd.pk},
    "unrelated": _unrelated_operation,
}

# Who sees each operation (else 404).
SEES = {
    "own": dict(coordinator=200, supervisor_sjpd=200, officer_sjpd=200, agent_fbi=200, advocate_harbor=200),
    "other": dict(coordinator=200, officer_kcpd=200, advocate_northland=200),
    "unrelated": dict(coordinator=200),
}
# Who sees the records listed under each operation.
RECORDS = {
    "own": dict(coordinator=200, supervisor_sjpd=200, officer_sjpd=200, agent_fbi=200),
    "other": dict(coordinator=200, officer_kcpd=200),
    "unrelated": dict(coordinator=200),
}
# Who may change each operation: the lead agency's officers and the coordinator;
# the others who see it get 403.
CHANGES = {
    "own": dict(coordinator=200, supervisor_sjpd=200, officer_sjpd=200, agent_fbi=403, advocate_harbor=403),
    "other": dict(coordinator=200, officer_kcpd=200, advocate_northland=403),
    "unrelated": dict(coordinator=200),
}


def _per_object(table, ok=None):
    """404 by default; the table's statuses (200 replaced by `ok`); analysts and auditors 403."""
    out = {}
    for obj, statuses in table.items():
        named = {p: (ok if (ok and s == 200) else s) for p, s in statuses.items()}
        out[obj] = expect(404, **{**named, **NO_PERSON_LEVEL})
    return out


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
# Officers of law enforcement and of a prosecutor's office plan operations (their agency leads).
PLANNERS = dict(coordinator=200, supervisor_sjpd=200, officer_sjpd=200, officer_kcpd=200, agent_fbi=200, prosecutor=200)

register(
    UrlCase("web:operation_list", expect={"none": expect(403, **WORKING)}),
    UrlCase("web:operation_detail", objects=OPERATIONS, expect=_per_object(SEES)),
    # The whole lists under an operation: law enforcement and the coordinator; a service
    # provider sees the briefing only (404).
    UrlCase(
        "web:operation_detail",
        label="section",
        objects=OPERATIONS,
        query=lambda w: "section=referrals",
        expect=_per_object(RECORDS),
    ),
    UrlCase(
        "web:operation_detail",
        label="section_preview",
        objects=OPERATIONS,
        query=lambda w: "section=contacts&preview=1",
        expect=_per_object(RECORDS),
    ),
    UrlCase(
        "web:operation_detail",
        label="outcomes",
        objects=OPERATIONS,
        query=lambda w: "section=outcomes&preview=1",
        expect=_per_object(RECORDS),
    ),
    UrlCase(
        "web:operation_detail",
        label="services",
        objects=OPERATIONS,
        query=lambda w: "section=services&preview=1",
        expect=_per_object(RECORDS),
    ),
    UrlCase(
        "web:operation_detail",
        label="custody",
        objects=OPERATIONS,
        query=lambda w: "section=custody",
        expect=_per_object(RECORDS),
    ),
    UrlCase(
        "web:operation_detail",
        label="detentions",
        objects=OPERATIONS,
        query=lambda w: "section=detentions",
        expect=_per_object(RECORDS),
    ),
    UrlCase("web:operation_create", expect={"none": expect(403, **PLANNERS)}),
    UrlCase(
        "web:operation_create",
        label="plan",
        method="post",
        data=lambda w: {
            "name": "Operation Test Plan",
            "kind": "sting",
            "trafficking_type": "sex",
            "starts_at": "2026-03-01T20:00",
            "expected_genders": "unknown",
            "lead_agency": w.agencies.task_force.pk,
        },
        expect={"none": expect(403, **{k: 302 for k in PLANNERS})},
    ),
    UrlCase("web:operation_update", objects=OPERATIONS, expect=_per_object(CHANGES)),
    UrlCase("web:operation_participant_add", objects=OPERATIONS, expect=_per_object(CHANGES)),
    UrlCase("web:operation_location_add", objects=OPERATIONS, expect=_per_object(CHANGES)),
    # Both operations are active: "concluded" is the next step. GET asks for confirmation.
    UrlCase(
        "web:operation_move",
        label="confirm",
        query=lambda w: "status=concluded",
        objects=OPERATIONS,
        expect=_per_object(CHANGES),
    ),
    UrlCase(
        "web:operation_move",
        method="post",
        data=lambda w: {"status": "concluded"},
        objects=OPERATIONS,
        expect=_per_object(CHANGES, ok=302),
    ),
    # Copying the agencies of an operation the user cannot see is a form error shown on the page (200).
    UrlCase(
        "web:operation_participant_copy",
        method="post",
        data=lambda w: {"source": w.records.op_kcpd.pk},
        objects=OPERATIONS,
        expect={
            "own": expect(
                404,
                coordinator=302,
                supervisor_sjpd=200,
                officer_sjpd=200,
                agent_fbi=403,
                advocate_harbor=403,
                **NO_PERSON_LEVEL,
            ),
            "other": expect(404, coordinator=200, officer_kcpd=200, advocate_northland=403, **NO_PERSON_LEVEL),
            "unrelated": expect(404, coordinator=302, **NO_PERSON_LEVEL),
        },
    ),
    UrlCase(
        "web:operation_participant_remove",
        objects={
            "own": lambda w: {"pk": w.records.op_sjpd.participations.get(agency=w.agencies.fbi).pk},
            "other": lambda w: {"pk": w.records.op_kcpd.participations.get(agency=w.agencies.northland).pk},
        },
        expect=_per_object({"own": CHANGES["own"], "other": CHANGES["other"]}),
    ),
    UrlCase(
        "web:operation_participant_remove",
        label="confirmed",
        method="post",
        objects={"own": lambda w: {"pk": w.records.op_sjpd.participations.get(agency=w.agencies.fbi).pk}},
        expect=_per_object({"own": CHANGES["own"]}, ok=302),
    ),
    # Locations are investigative detail: service providers do not see them (404).
    UrlCase(
        "web:operation_location_remove",
        objects={
            "own": lambda w: {"pk": w.records.location_sjpd.pk},
            "other": lambda w: {"pk": w.records.location_kcpd.pk},
        },
        expect=_per_object(
            {
                "own": dict(coordinator=200, supervisor_sjpd=200, officer_sjpd=200, agent_fbi=403),
                "other": dict(coordinator=200, officer_kcpd=200),
            }
        ),
    ),
)
