"""Access table: referrals, custody hand-offs, detentions, notes and voiding.

Seen from the persona world (tests/personas.py): "own" records are in the St. Joseph
operation (SJPD leads; FBI, Safe Harbor and the Children's Division take part), "other"
records in the Kansas City one (KCPD and Northland only).
"""

from agencies.models import AgencyKind, AgencyLevel
from cases import models as m
from tests import factories as f

from .registry import UrlCase, expect, register

# Aggregate-only and audit-only roles, and the system administrator (no case record at all).
NO_ROLE_PAGES = {"analyst": 403, "tf_auditor": 403, "sysadmin": 403}


def seen(default=404, **overrides):
    """A person-level page: analysts and auditors are refused by role (403) first."""
    return expect(default, **{**NO_ROLE_PAGES, **overrides})


def pk(getter):
    return lambda w: {"pk": getter(w).pk}


def _acknowledged_referral(w):
    return f.ReferralFactory(
        contact=w.records.victim_sjpd,
        to_agency=w.agencies.harbor,
        status=m.ReferralStatus.ACKNOWLEDGED,
        service_types=[w.records.shelter],
    )


def _unrelated_referral(w):
    """Between two agencies no persona works for, in an operation nobody takes part in."""
    police = f.AgencyFactory(short_name="SPPD", name="Springfield Police Department")
    shelter = f.AgencyFactory(
        short_name="OZARK", name="Ozark Shelter", kind=AgencyKind.VICTIM_SERVICES, level=AgencyLevel.NON_PROFIT
    )
    op = f.OperationFactory(lead_agency=police)
    contact = f.ContactFactory(operation=op, agency=police, person__created_by_agency=police)
    return f.ReferralFactory(contact=contact, to_agency=shelter, service_types=[w.records.food])


SJPD_SIDE = dict(coordinator=200, supervisor_sjpd=200, officer_sjpd=200, agent_fbi=200)
SJPD_LEADS = dict(coordinator=200, supervisor_sjpd=200, officer_sjpd=200)

register(
    # --- referrals ---------------------------------------------------------
    UrlCase("web:referral_list", expect={"none": seen(200)}),
    UrlCase("web:referral_inbox", expect={"none": seen(200)}),
    UrlCase(
        "web:referral_create",
        label="from-own-contact",
        query=lambda w: f"contact={w.records.victim_sjpd.pk}",
        expect={"none": seen(404, **SJPD_SIDE)},
    ),
    UrlCase(
        "web:referral_create",
        label="from-other-contact",
        query=lambda w: f"contact={w.records.victim_kcpd.pk}",
        expect={"none": seen(404, coordinator=200, officer_kcpd=200)},
    ),
    UrlCase(
        # An advocate refers a person it may see (one referred to it) onwards.
        "web:referral_create",
        label="from-person",
        query=lambda w: f"person={w.records.victim_sjpd.person.pk}",
        # So does the prosecutor, of the victim in the investigation referred to it.
        expect={"none": seen(404, advocate_harbor=200, prosecutor=200, **SJPD_SIDE)},
    ),
    UrlCase("web:referral_create", label="no-source", expect={"none": seen(404)}),
    UrlCase(
        "web:referral_detail",
        objects={
            "own": pk(lambda w: w.records.referral_sjpd),
            "own_draft": pk(lambda w: w.records.draft_sjpd),
            "other": pk(lambda w: w.records.referral_kcpd),
            "unrelated": pk(_unrelated_referral),
        },
        expect={
            "own": seen(404, advocate_harbor=200, **SJPD_SIDE),
            # Drafts stay with the sender: the receiving agency does not see them yet.
            "own_draft": seen(404, **SJPD_SIDE),
            "other": seen(404, coordinator=200, officer_kcpd=200, advocate_northland=200),
            "unrelated": seen(404, coordinator=200),
        },
    ),
    UrlCase(
        "web:referral_edit",
        objects={"own_draft": pk(lambda w: w.records.draft_sjpd), "own_sent": pk(lambda w: w.records.referral_sjpd)},
        expect={
            "own_draft": seen(404, agent_fbi=403, **SJPD_LEADS),
            # Once sent, a referral is no longer edited: it moves by workflow steps.
            "own_sent": seen(404, advocate_harbor=403, **{k: 403 for k in SJPD_SIDE}),
        },
    ),
    UrlCase(
        "web:referral_offer_create",
        objects={"own_acknowledged": pk(_acknowledged_referral), "own_sent": pk(lambda w: w.records.referral_sjpd)},
        expect={
            "own_acknowledged": seen(
                404, coordinator=200, advocate_harbor=200, supervisor_sjpd=403, officer_sjpd=403, agent_fbi=403
            ),
            # Nothing is offered under a referral the receiver has not acknowledged.
            "own_sent": seen(
                404, coordinator=200, advocate_harbor=403, supervisor_sjpd=403, officer_sjpd=403, agent_fbi=403
            ),
        },
    ),
    UrlCase(
        "web:referral_step",
        objects={
            "own_acknowledge": lambda w: {"pk": w.records.referral_sjpd.pk, "step": "acknowledge"},
            "own_revoke": lambda w: {"pk": w.records.referral_sjpd.pk, "step": "revoke"},
            "own_decline": lambda w: {"pk": w.records.referral_sjpd.pk, "step": "decline"},
            "other_acknowledge": lambda w: {"pk": w.records.referral_kcpd.pk, "step": "acknowledge"},
            "own_unknown_step": lambda w: {"pk": w.records.referral_sjpd.pk, "step": "delete"},
        },
        expect={
            "own_acknowledge": seen(
                404, coordinator=200, advocate_harbor=200, supervisor_sjpd=403, officer_sjpd=403, agent_fbi=403
            ),
            "own_revoke": seen(404, advocate_harbor=403, agent_fbi=403, **SJPD_LEADS),
            # Declining comes after acknowledging: nobody may decline a referral just sent.
            "own_decline": seen(
                404, coordinator=403, advocate_harbor=403, supervisor_sjpd=403, officer_sjpd=403, agent_fbi=403
            ),
            "other_acknowledge": seen(404, coordinator=200, advocate_northland=200, officer_kcpd=403),
            "own_unknown_step": expect(404),
        },
    ),
    UrlCase(
        "web:referral_step",
        method="post",
        label="acknowledge",
        objects={"own": lambda w: {"pk": w.records.referral_sjpd.pk, "step": "acknowledge"}},
        expect={
            "own": seen(404, coordinator=302, advocate_harbor=302, supervisor_sjpd=403, officer_sjpd=403, agent_fbi=403)
        },
    ),
    UrlCase(
        "web:referral_step",
        method="post",
        label="revoke",
        data=lambda w: {"reason": "Sent to the wrong agency."},
        objects={"own": lambda w: {"pk": w.records.referral_sjpd.pk, "step": "revoke"}},
        expect={
            "own": seen(404, advocate_harbor=403, agent_fbi=403, coordinator=302, supervisor_sjpd=302, officer_sjpd=302)
        },
    ),
    UrlCase(
        "web:offer_update",
        objects={"own": pk(lambda w: w.records.offer_sjpd), "other": pk(lambda w: w.records.offer_kcpd)},
        expect={
            "own": seen(404, agent_fbi=403, **SJPD_LEADS),
            "other": seen(404, coordinator=200, officer_kcpd=200),
        },
    ),
    # --- custody -----------------------------------------------------------
    UrlCase("web:handoff_list", expect={"none": seen(200)}),
    UrlCase(
        "web:handoff_create",
        label="own-child",
        query=lambda w: f"contact={w.records.child_contact.pk}",
        expect={"none": seen(404, **SJPD_SIDE)},
    ),
    UrlCase(
        "web:handoff_create",
        label="other-child",
        query=lambda w: f"contact={w.records.kc_child_contact.pk}",
        expect={"none": seen(404, coordinator=200, officer_kcpd=200)},
    ),
    UrlCase(
        # Hand-offs are for children: an adult's contact is refused for everyone who sees it.
        "web:handoff_create",
        label="own-adult",
        query=lambda w: f"contact={w.records.victim_sjpd.pk}",
        expect={"none": seen(404, **{k: 403 for k in SJPD_SIDE})},
    ),
    UrlCase(
        "web:handoff_detail",
        objects={"own": pk(lambda w: w.records.handoff_sjpd), "other": pk(lambda w: w.records.handoff_kcpd)},
        expect={
            "own": seen(404, caseworker=200, **SJPD_SIDE),
            "other": seen(404, coordinator=200, officer_kcpd=200, caseworker=200),
        },
    ),
    UrlCase(
        "web:handoff_hand_over",
        objects={
            "own_handed_over": pk(lambda w: w.records.handoff_sjpd),
            "other": pk(lambda w: w.records.handoff_kcpd),
        },
        expect={
            "own_handed_over": seen(404, caseworker=403, **{k: 403 for k in SJPD_SIDE}),
            "other": seen(404, coordinator=200, officer_kcpd=200, caseworker=403),
        },
    ),
    UrlCase(
        "web:handoff_acknowledge",
        objects={
            "own": pk(lambda w: w.records.handoff_sjpd),
            "other_not_handed_over": pk(lambda w: w.records.handoff_kcpd),
        },
        expect={
            "own": seen(404, coordinator=200, caseworker=200, supervisor_sjpd=403, officer_sjpd=403, agent_fbi=403),
            "other_not_handed_over": seen(404, coordinator=403, officer_kcpd=403, caseworker=403),
        },
    ),
    UrlCase(
        "web:handoff_acknowledge",
        method="post",
        label="post",
        objects={"own": pk(lambda w: w.records.handoff_sjpd)},
        expect={
            "own": seen(404, coordinator=302, caseworker=302, supervisor_sjpd=403, officer_sjpd=403, agent_fbi=403)
        },
    ),
    UrlCase(
        "web:handoff_event_create",
        objects={"own": pk(lambda w: w.records.handoff_sjpd), "other": pk(lambda w: w.records.handoff_kcpd)},
        expect={
            "own": seen(404, caseworker=200, agent_fbi=403, **SJPD_LEADS),
            "other": seen(404, coordinator=200, officer_kcpd=200, caseworker=200),
        },
    ),
    # --- detentions: law enforcement, prosecutors and the coordinator only --------
    UrlCase("web:detention_list", expect={"none": seen(404, officer_kcpd=200, prosecutor=200, **SJPD_SIDE)}),
    UrlCase(
        "web:detention_create",
        label="own",
        query=lambda w: f"contact={w.records.buyer_contact.pk}",
        expect={"none": seen(404, **SJPD_SIDE)},
    ),
    UrlCase(
        "web:detention_create",
        label="other",
        query=lambda w: f"contact={w.records.buyer_kcpd.pk}",
        expect={"none": seen(404, coordinator=200, officer_kcpd=200)},
    ),
    UrlCase(
        "web:detention_detail",
        objects={"own": pk(lambda w: w.records.detention_sjpd), "other": pk(lambda w: w.records.detention_kcpd)},
        # The prosecutor sees the arrest linked to the investigation referred to it.
        expect={
            "own": seen(404, prosecutor=200, **SJPD_SIDE),
            "other": seen(404, coordinator=200, officer_kcpd=200),
        },
    ),
    # --- notes -------------------------------------------------------------
    UrlCase(
        "web:note_create",
        objects={
            "own_operation": lambda w: {"target": "operation", "pk": w.records.op_sjpd.pk},
            "own_referral": lambda w: {"target": "referral", "pk": w.records.referral_sjpd.pk},
            "own_child": lambda w: {"target": "person", "pk": w.records.child_contact.person.pk},
            "other_operation": lambda w: {"target": "operation", "pk": w.records.op_kcpd.pk},
            "not_a_target": lambda w: {"target": "contact", "pk": w.records.victim_sjpd.pk},
        },
        expect={
            "own_operation": seen(404, advocate_harbor=200, **SJPD_SIDE),
            "own_referral": seen(404, advocate_harbor=200, **SJPD_SIDE),
            "own_child": seen(404, caseworker=200, **SJPD_SIDE),
            "other_operation": seen(404, coordinator=200, officer_kcpd=200, advocate_northland=200),
            "not_a_target": seen(404),
        },
    ),
    UrlCase(
        "web:note_create",
        method="post",
        label="post",
        data=lambda w: {"text": "Called the shelter at 10:00."},
        objects={"own_referral": lambda w: {"target": "referral", "pk": w.records.referral_sjpd.pk}},
        expect={
            "own_referral": seen(
                404, advocate_harbor=302, coordinator=302, supervisor_sjpd=302, officer_sjpd=302, agent_fbi=302
            )
        },
    ),
    # --- voiding: the owner's supervisor or the coordinator ------------------
    UrlCase(
        "web:void",
        objects={
            "own_referral": lambda w: {"label": "cases.referral", "pk": w.records.referral_sjpd.pk},
            "own_detention": lambda w: {"label": "cases.detention", "pk": w.records.detention_sjpd.pk},
            "other_referral": lambda w: {"label": "cases.referral", "pk": w.records.referral_kcpd.pk},
            "not_voidable": lambda w: {"label": "cases.charge", "pk": w.records.charge_sjpd.pk},
            "no_such_model": lambda w: {"label": "agencies.agency", "pk": w.agencies.sjpd.pk},
        },
        expect={
            "own_referral": seen(
                404, advocate_harbor=403, officer_sjpd=403, agent_fbi=403, coordinator=200, supervisor_sjpd=200
            ),
            # FBI owns this detention; SJPD's supervisor and the prosecutor see it but do not own it.
            "own_detention": seen(
                404, coordinator=200, supervisor_sjpd=403, officer_sjpd=403, agent_fbi=403, prosecutor=403
            ),
            "other_referral": seen(404, coordinator=200, officer_kcpd=403, advocate_northland=403),
            "not_voidable": seen(404),
            "no_such_model": seen(404),
        },
    ),
    UrlCase(
        "web:void",
        method="post",
        label="post",
        data=lambda w: {"reason": "Entered twice."},
        objects={"own_referral": lambda w: {"label": "cases.referral", "pk": w.records.referral_sjpd.pk}},
        expect={
            "own_referral": seen(
                404, advocate_harbor=403, officer_sjpd=403, agent_fbi=403, coordinator=302, supervisor_sjpd=302
            )
        },
    ),
)
