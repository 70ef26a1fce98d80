"""Every create form is safe to send twice: a double tap or a resend after a dropped
connection never saves a second record (idempotency keys, idempotency/web.py)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from apitokens.models import ApiToken
from cases import models as m
from idempotency.models import IdempotencyKey
from tests import factories as f
from work.models import Task

from .test_web_contacts import _contact_data
from .test_web_custody import _handoff_data
from .test_web_detentions_notes_void import _detention_data
from .test_web_operations import _plan_data
from .test_web_referrals import _referral_data
from .test_web_relief import _relief_data

KEY = re.compile(r'<form method="post" data-keep[^>]*>.*?name="idempotency_key" value="([^"]+)"', re.S)


def _today() -> str:
    return timezone.localdate().isoformat()


def _key(page: str) -> str:
    found = KEY.search(page)
    assert found, "the form carries no idempotency key"
    return found.group(1)


# Every page with a form that creates a record: (persona, url from the world).
CREATE_FORMS = {
    "operation": ("officer_sjpd", lambda w: reverse("web:operation_create")),
    "participant": ("officer_sjpd", lambda w: reverse("web:operation_participant_add", args=[w.records.op_sjpd.pk])),
    "location": ("officer_sjpd", lambda w: reverse("web:operation_location_add", args=[w.records.op_sjpd.pk])),
    "contact": ("officer_sjpd", lambda w: f"{reverse('web:contact_create')}?operation={w.records.op_sjpd.pk}"),
    "quick contact": ("officer_sjpd", lambda w: f"{reverse('web:contact_quick')}?operation={w.records.op_sjpd.pk}"),
    "contact offers": ("officer_sjpd", lambda w: reverse("web:contact_offers", args=[w.records.victim_sjpd.pk])),
    "referral": ("officer_sjpd", lambda w: f"{reverse('web:referral_create')}?contact={w.records.victim_sjpd.pk}"),
    "referral offer": (
        "coordinator",
        lambda w: reverse("web:referral_offer_create", args=[w.records.referral_sjpd.pk]),
    ),
    "custody hand-off": (
        "officer_sjpd",
        lambda w: f"{reverse('web:handoff_create')}?contact={w.records.child_contact.pk}",
    ),
    "custody event": ("caseworker", lambda w: reverse("web:handoff_event_create", args=[w.records.handoff_sjpd.pk])),
    "detention": ("officer_sjpd", lambda w: f"{reverse('web:detention_create')}?contact={w.records.buyer_contact.pk}"),
    "note": ("officer_sjpd", lambda w: reverse("web:note_create", args=["operation", w.records.op_sjpd.pk])),
    "note panel": ("officer_sjpd", lambda w: reverse("web:operation_detail", args=[w.records.op_sjpd.pk])),
    "api token": ("officer_sjpd", lambda w: reverse("apitokens:list")),
    "investigation": (
        "officer_sjpd",
        lambda w: f"{reverse('web:investigation_create')}?operation={w.records.op_sjpd.pk}",
    ),
    "investigation agency": (
        "officer_sjpd",
        lambda w: reverse("web:investigation_agency_add", args=[w.records.investigation_sjpd.pk]),
    ),
    "investigation person": (
        "officer_sjpd",
        lambda w: (
            f"{reverse('web:investigation_person_add', args=[w.records.investigation_sjpd.pk])}"
            f"?q={w.records.child_contact.person.reference}"
        ),
    ),
    "prosecution": ("prosecutor", lambda w: reverse("web:prosecution_create", args=[w.records.investigation_sjpd.pk])),
    "count": ("prosecutor", lambda w: reverse("web:count_create", args=[w.records.prosecution_sjpd.pk])),
    "court date": ("prosecutor", lambda w: reverse("web:court_event_create", args=[w.records.prosecution_sjpd.pk])),
    "relief request": (
        "advocate_harbor",
        lambda w: f"{reverse('web:relief_create')}?person={w.records.victim_sjpd.person.pk}",
    ),
    "task": ("officer_sjpd", lambda w: reverse("web:task_create", args=["operation", w.records.op_sjpd.pk])),
}


@pytest.mark.parametrize("name", list(CREATE_FORMS))
def test_every_create_form_carries_a_fresh_key_and_is_kept(world, client, name):
    persona, url = CREATE_FORMS[name]
    client.force_login(getattr(world.users, persona))
    first, second = (client.get(url(world)) for _ in range(2))
    assert first.status_code == 200
    assert _key(first.content.decode()) != _key(second.content.decode())


def _create_views() -> set[str]:
    """The names of every page URL that makes a record: its view is a CreateView, or its name says so."""
    from django.urls import URLPattern, URLResolver, get_resolver
    from django.views.generic.edit import BaseCreateView

    found = set()

    def walk(patterns, namespace):
        for p in patterns:
            if isinstance(p, URLResolver):
                walk(p.url_patterns, ":".join(filter(None, [namespace, p.namespace])))
            elif isinstance(p, URLPattern) and p.name and namespace.split(":")[0] not in ("admin", "api"):
                view_class = getattr(p.callback, "view_class", None)
                is_create_view = isinstance(view_class, type) and issubclass(view_class, BaseCreateView)
                if is_create_view or p.name.endswith(("_create", "_add", "_quick")):
                    found.add(f"{namespace}:{p.name}" if namespace else p.name)

    walk(get_resolver().url_patterns, "")
    return found


def test_every_create_page_is_in_the_list(world):
    """A new page whose view creates a record must be added to CREATE_FORMS above."""
    from django.urls import resolve

    listed = {resolve(url(world).split("?")[0]).view_name for _persona, url in CREATE_FORMS.values()}
    creating = _create_views()
    assert "web:contact_create" in creating  # the walk finds the create views
    missing = sorted(creating - listed)
    assert not missing, f"Create pages with no idempotency test in CREATE_FORMS: {missing}"


def _twice(client, url, data):
    page = client.get(url).content.decode()
    data = {**data, "idempotency_key": _key(page)}
    return client.post(url, data), client.post(url, data)


def test_a_double_submitted_operation_is_planned_once(world, client):
    client.force_login(world.users.officer_sjpd)
    first, again = _twice(client, reverse("web:operation_create"), _plan_data())
    assert m.Operation.objects.filter(name="Operation Lantern").count() == 1
    op = m.Operation.objects.get(name="Operation Lantern")
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == reverse("web:operation_detail", args=[op.pk])
    page = client.get(again["Location"]).content.decode()
    assert "it was not saved a second time" in page
    # The browser is told which form was saved, so it forgets what it kept of it (static/js/forms.js).
    assert first.cookies["tf_saved_form"].value == again.cookies["tf_saved_form"].value != ""


@pytest.mark.parametrize(
    "name, data, model",
    [
        ("contact", lambda w: _contact_data(w), m.Contact),
        ("referral", lambda w: {**_referral_data(w), "send": "1"}, m.Referral),
        ("custody hand-off", lambda w: _handoff_data(w), m.CustodyHandoff),
        ("detention", lambda w: _detention_data(), m.Detention),
        ("location", lambda w: {"venue_name": "Northbelt Motel", "venue_type": "hotel"}, m.Location),
        (
            "participant",
            lambda w: {"agencies": [w.agencies.kcpd.pk], f"role_{w.agencies.kcpd.pk}": "support"},
            None,
        ),
        ("note", lambda w: {"text": "Perimeter moved to the north lot."}, m.Note),
        (
            "investigation",
            lambda w: {"title": "Riverside motel ring", "trafficking_type": "sex", "opened_on": _today()},
            m.Investigation,
        ),
        (
            "investigation person",
            lambda w: {"person": w.records.child_contact.person.pk, "role": "victim"},
            m.InvestigationPerson,
        ),
        (
            "count",
            lambda w: {"number": 2, "statute": f.statute("rsmo-566-209").pk, "disposition": "pending"},
            m.Count,
        ),
        ("relief request", lambda w: _relief_data(w), m.ReliefRequest),
        ("task", lambda w: {"title": "Return the phones", "assignee": f"agency:{w.agencies.sjpd.pk}"}, Task),
    ],
)
def test_each_create_form_sent_twice_saves_one_record(world, client, name, data, model):
    persona, url = CREATE_FORMS[name]
    client.force_login(getattr(world.users, persona))
    model = model or m.Participation
    before = model.objects.count()
    first, again = _twice(client, url(world), data(world))
    assert first.status_code == 302, first.content.decode()[:3000]
    assert again.status_code == 302 and again["Location"] == first["Location"]
    assert model.objects.count() == before + 1


def test_a_resent_form_with_other_data_saves_nothing_new_and_says_so(world, client):
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:operation_create")
    key = _key(client.get(url).content.decode())
    client.post(url, {**_plan_data(), "idempotency_key": key})
    changed = client.post(url, {**_plan_data(name="Operation Ember"), "idempotency_key": key}, follow=True)
    assert not m.Operation.objects.filter(name="Operation Ember").exists()
    assert "What you sent again was different and was not saved" in changed.content.decode()


def test_a_form_shown_again_with_errors_keeps_its_key_and_saves_once_corrected(world, client):
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:operation_create")
    key = _key(client.get(url).content.decode())
    refused = client.post(url, {**_plan_data(name=""), "idempotency_key": key})
    assert refused.status_code == 200 and _key(refused.content.decode()) == key
    assert "tf_saved_form" not in refused.cookies
    assert not IdempotencyKey.objects.exists()
    saved = client.post(url, {**_plan_data(), "idempotency_key": key})
    assert saved.status_code == 302 and m.Operation.objects.filter(name="Operation Lantern").count() == 1


def test_keys_are_per_user(world, client):
    """Another user sending the same key gets their own record, never the first user's answer."""
    url = reverse("web:operation_create")
    client.force_login(world.users.officer_sjpd)
    key = _key(client.get(url).content.decode())
    first = client.post(url, {**_plan_data(), "idempotency_key": key})
    client.force_login(world.users.officer_kcpd)
    other = client.post(url, {**_plan_data(), "idempotency_key": key})
    assert other.status_code == 302 and other["Location"] != first["Location"]
    assert m.Operation.objects.filter(name="Operation Lantern").count() == 2


def test_an_htmx_note_sent_twice_is_added_once(world, client):
    referral = world.records.referral_sjpd
    client.force_login(world.users.officer_sjpd)
    url = reverse("web:note_create", args=["referral", referral.pk])
    data = {"text": "Drove the client to the shelter.", "idempotency_key": "note-key-1"}
    first = client.post(url, data, HTTP_HX_REQUEST="true")
    again = client.post(url, data, HTTP_HX_REQUEST="true")
    assert first.status_code == 200 and again.status_code == 204
    assert again["HX-Redirect"].startswith(reverse("web:referral_detail", args=[referral.pk]))
    assert m.Note.objects.filter(text="Drove the client to the shelter.").count() == 1
    # The panel shown after the note was added carries a new key for the next note.
    assert _key(first.content.decode()) != "note-key-1"


def test_a_double_submitted_token_form_makes_one_token(world, client):
    client.force_login(world.users.officer_sjpd)
    first, again = _twice(client, reverse("apitokens:list"), {"name": "Grant report script"})
    assert first.status_code == 200 and again.status_code == 302
    assert ApiToken.objects.filter(name="Grant report script").count() == 1
