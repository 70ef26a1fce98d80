"""Access table: immigration relief and court dates.

Seen from the persona world (tests/personas.py): relief_sjpd is Safe Harbor's request to
SJPD for its client (the St. Joseph victim), under review, in the investigation SJPD leads
with the FBI and referred to the Buchanan County prosecutor; relief_kcpd is Northland's
request to KCPD, under review. Both sides have a court date in their prosecution.
"""

from datetime import timedelta

from django.utils import timezone

from cases import models as m
from tests import factories as f

from .registry import UrlCase, register
from .table_people import PEOPLE, SEES_PERSON
from .table_workflows import seen

# Everyone who sees the St. Joseph request (relief_sjpd), besides the coordinator.
SJPD_RELIEF = ("officer_sjpd", "supervisor_sjpd", "agent_fbi", "prosecutor", "advocate_harbor")
# The law-enforcement agency asked, which answers.
SJPD_ANSWERS = dict(coordinator=200, officer_sjpd=200, supervisor_sjpd=200)


def _requested(w):
    """A request Safe Harbor has just sent to SJPD, outside any investigation."""
    return f.ReliefRequestFactory(
        person=w.records.victim_sjpd.person,
        requested_by_agency=w.agencies.harbor,
        requested_of_agency=w.agencies.sjpd,
        created_by=w.users.advocate_harbor,
    )


def _step(getter, step):
    return lambda w: {"pk": getter(w).pk, "step": step}


def _relief_sjpd(w):
    return w.records.relief_sjpd


def refused(*personas, **statuses):
    """Those who see the record but may not take the step: 403."""
    return {**{p: 403 for p in personas}, **statuses}


def _new_request(w):
    today = timezone.localdate()
    return {
        "kind": m.ReliefKind.T_VISA,
        "requested_of_agency": w.agencies.sjpd.pk,
        "requested_by_agency": w.agencies.harbor.pk,  # asked of the coordinator only
        "consent": "written",
        "consent_date": (today - timedelta(days=1)).isoformat(),
        "requested_on": today.isoformat(),
    }


register(
    UrlCase("web:relief_list", expect={"none": seen(200)}),
    UrlCase(
        "web:relief_detail",
        objects={
            "own": lambda w: {"pk": w.records.relief_sjpd.pk},
            "other": lambda w: {"pk": w.records.relief_kcpd.pk},
        },
        expect={
            "own": seen(404, coordinator=200, **{p: 200 for p in SJPD_RELIEF}),
            "other": seen(404, coordinator=200, officer_kcpd=200, advocate_northland=200),
        },
    ),
    # Asking: advocates (and the coordinator) only, for a person they may see.
    UrlCase(
        "web:relief_create",
        label="from-list",
        expect={"none": seen(403, coordinator=200, advocate_harbor=200, advocate_northland=200)},
    ),
    UrlCase(
        "web:relief_create",
        label="from-person",
        query=lambda w: f"person={w.records.victim_sjpd.person.pk}",
        expect={
            "none": seen(
                404,
                coordinator=200,
                advocate_harbor=200,
                **refused("officer_sjpd", "supervisor_sjpd", "agent_fbi", "prosecutor"),
            )
        },
    ),
    UrlCase("web:relief_create", label="no-such-person", query=lambda w: "person=x", expect={"none": seen(404)}),
    UrlCase(
        "web:relief_create",
        method="post",
        label="from-person",
        query=lambda w: f"person={w.records.victim_sjpd.person.pk}",
        data=_new_request,
        expect={
            "none": seen(
                404,
                coordinator=302,
                advocate_harbor=302,
                **refused("officer_sjpd", "supervisor_sjpd", "agent_fbi", "prosecutor"),
            )
        },
    ),
    UrlCase(
        "web:relief_edit",
        objects={
            "own_requested": lambda w: {"pk": _requested(w).pk},
            "own_under_review": lambda w: {"pk": w.records.relief_sjpd.pk},
        },
        expect={
            "own_requested": seen(
                404, coordinator=200, advocate_harbor=200, **refused("officer_sjpd", "supervisor_sjpd")
            ),
            # Once law enforcement has taken it up, nobody corrects it.
            "own_under_review": seen(404, coordinator=403, **refused(*SJPD_RELIEF)),
        },
    ),
    UrlCase(
        "web:relief_step",
        objects={
            "own_review": _step(_requested, "review"),
            "own_grant": _step(_relief_sjpd, "grant"),
            "own_decline": _step(_relief_sjpd, "decline"),
            "own_withdraw": _step(_relief_sjpd, "withdraw"),
            "own_renew": _step(_relief_sjpd, "renew"),
            "other_grant": _step(lambda w: w.records.relief_kcpd, "grant"),
            "own_unknown_step": _step(_relief_sjpd, "delete"),
        },
        expect={
            "own_review": seen(404, advocate_harbor=403, **SJPD_ANSWERS),
            "own_grant": seen(404, **SJPD_ANSWERS, **refused("agent_fbi", "prosecutor", "advocate_harbor")),
            "own_decline": seen(404, **SJPD_ANSWERS, **refused("agent_fbi", "prosecutor", "advocate_harbor")),
            "own_withdraw": seen(
                404,
                coordinator=200,
                advocate_harbor=200,
                **refused("officer_sjpd", "supervisor_sjpd", "agent_fbi", "prosecutor"),
            ),
            # Only a granted request is renewed.
            "own_renew": seen(404, coordinator=403, **refused(*SJPD_RELIEF)),
            "other_grant": seen(404, coordinator=200, officer_kcpd=200, advocate_northland=403),
            "own_unknown_step": seen(404, analyst=404, tf_auditor=404, sysadmin=404),
        },
    ),
    UrlCase(
        "web:relief_step",
        method="post",
        label="review",
        objects={"own": _step(_requested, "review")},
        data=lambda w: {"on": timezone.localdate().isoformat()},
        expect={"own": seen(404, coordinator=302, officer_sjpd=302, supervisor_sjpd=302, advocate_harbor=403)},
    ),
    UrlCase(
        "web:relief_step",
        method="post",
        label="decline",
        objects={"own": _step(_relief_sjpd, "decline")},
        data=lambda w: {"on": timezone.localdate().isoformat(), "reason": "The person could not be reached."},
        expect={
            "own": seen(
                404,
                coordinator=302,
                officer_sjpd=302,
                supervisor_sjpd=302,
                **refused("agent_fbi", "prosecutor", "advocate_harbor"),
            )
        },
    ),
    # The person page's relief section: whoever sees the person (the prosecutor sees the
    # St. Joseph victim, a person of its investigation).
    UrlCase(
        "web:person_detail",
        label="relief",
        objects=PEOPLE,
        query=lambda w: "section=relief&preview=1",
        expect={**SEES_PERSON, "own": {**SEES_PERSON["own"], "prosecutor": 200}},
    ),
    # Court dates: every working role has a page (its rows follow the policy; test_list_ids).
    UrlCase("web:court_event_list", expect={"none": seen(200)}),
)
