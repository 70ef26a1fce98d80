"""Access table: the edit pages that correct records (cases/views/editing.py), and taking an
agency off an operation that is over.

Each edit page answers 404 to whoever does not see the record, 403 to whoever sees it but
may not change it (the role, or another agency's record), 200 to the rest.
"""

from cases import models as m
from tests import factories as f

from .registry import UrlCase, register
from .table_workflows import pk, seen


def _concluded_op_participation(w):
    """FBI's part in an SJPD operation that is over: no longer removed by anyone."""
    op = f.OperationFactory(
        name="Operation Late Harvest", lead_agency=w.agencies.sjpd, status=m.OperationStatus.CONCLUDED
    )
    f.ParticipationFactory(operation=op, agency=w.agencies.harbor, role=m.ParticipationRole.VICTIM_SERVICES)
    return {"pk": f.ParticipationFactory(operation=op, agency=w.agencies.fbi).pk}


def _voided_contact(w):
    contact = f.ContactFactory(
        operation=w.records.op_sjpd, agency=w.agencies.sjpd, person__created_by_agency=w.agencies.sjpd
    )
    contact.mark_voided(w.users.coordinator, "Entered twice")
    return {"pk": contact.pk}


SJPD_EDITS = dict(coordinator=200, supervisor_sjpd=200, officer_sjpd=200)

register(
    UrlCase(
        "web:person_edit",
        objects={
            "own": pk(lambda w: w.records.victim_sjpd.person),
            "other": pk(lambda w: w.records.victim_kcpd.person),
            "own_child": pk(lambda w: w.records.child_contact.person),
        },
        expect={
            # Officers who see the person correct it; the advocate sees only the minimum: 403.
            # So does the prosecutor, who sees the victim of the investigation referred to it.
            "own": seen(404, agent_fbi=200, prosecutor=200, advocate_harbor=403, **SJPD_EDITS),
            "other": seen(404, coordinator=200, officer_kcpd=200, advocate_northland=403),
            # The receiving caseworker corrects the child's record too.
            "own_child": seen(404, agent_fbi=200, caseworker=200, **SJPD_EDITS),
        },
    ),
    UrlCase(
        "web:contact_edit",
        objects={
            "own": pk(lambda w: w.records.victim_sjpd),
            "other": pk(lambda w: w.records.victim_kcpd),
            "own_voided": _voided_contact,
        },
        expect={
            # The contacting agency (SJPD) and the coordinator; FBI sees it but did not make it.
            "own": seen(404, agent_fbi=403, **SJPD_EDITS),
            "other": seen(404, coordinator=200, officer_kcpd=200),
            # A voided record is changed by nobody.
            "own_voided": seen(404, coordinator=403, supervisor_sjpd=403, officer_sjpd=403, agent_fbi=403),
        },
    ),
    UrlCase(
        "web:offer_edit",
        objects={"own": pk(lambda w: w.records.offer_sjpd), "other": pk(lambda w: w.records.offer_kcpd)},
        expect={
            "own": seen(404, agent_fbi=403, **SJPD_EDITS),
            "other": seen(404, coordinator=200, officer_kcpd=200),
        },
    ),
    UrlCase(
        "web:detention_edit",
        objects={"own": pk(lambda w: w.records.detention_sjpd), "other": pk(lambda w: w.records.detention_kcpd)},
        expect={
            # The FBI detained the buyer: SJPD sees the detention in its operation, the prosecutor
            # through the investigation; neither edits it.
            "own": seen(404, coordinator=200, agent_fbi=200, supervisor_sjpd=403, officer_sjpd=403, prosecutor=403),
            "other": seen(404, coordinator=200, officer_kcpd=200),
        },
    ),
    UrlCase(
        "web:handoff_edit",
        objects={"own": pk(lambda w: w.records.handoff_sjpd), "other": pk(lambda w: w.records.handoff_kcpd)},
        expect={
            "own": seen(404, agent_fbi=403, caseworker=403, **SJPD_EDITS),
            "other": seen(404, coordinator=200, officer_kcpd=200, caseworker=403),
        },
    ),
    UrlCase(
        "web:operation_participant_remove",
        label="concluded",
        objects={"own_concluded": _concluded_op_participation},
        expect={
            "own_concluded": seen(
                404, coordinator=403, supervisor_sjpd=403, officer_sjpd=403, agent_fbi=403, advocate_harbor=403
            )
        },
    ),
    UrlCase(
        "web:operation_participant_remove",
        label="concluded-post",
        method="post",
        objects={"own_concluded": _concluded_op_participation},
        expect={
            "own_concluded": seen(
                404, coordinator=403, supervisor_sjpd=403, officer_sjpd=403, agent_fbi=403, advocate_harbor=403
            )
        },
    ),
)
