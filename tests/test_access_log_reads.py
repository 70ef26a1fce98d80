"""Every read of personal data is logged: one access-log row per request, naming what it showed.

The walk is derived, so a new page or endpoint is covered without editing this file:
- every GET of the web access table (tests/web_access), as every persona it answers 200;
- every API resource of a model with personal data (the router), list, detail and export;
- every admin page of such a model (the admin site's registry), list and change page.

A page "shows" a person when their name or reference is in the answer; the row must name
exactly those people, and its records must be exactly the rows the page was given.

The walk reads what the pages print and log, the same on either database: CI runs it on
PostgreSQL only (marker `single_db`); tests/test_access_log_trail.py checks the log itself on both.
"""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.cache import cache
from django.urls import reverse
from rest_framework.test import APIClient

from audit.log import is_personal_model, person_of
from audit.models import AccessLog, Action
from cases import models as m
from cases.api.urls import router
from tests.web_access.registry import PERSONAS, load_tables

pytestmark = pytest.mark.single_db

READS = {Action.PERSON_VIEW, Action.PERSON_SEARCH, Action.RECORD_VIEW, Action.RECORD_LIST, Action.EXPORT}
WEB_READS = [case for case in load_tables() if case.method == "get"]
API_RESOURCES = [
    (prefix, basename, viewset.model)
    for prefix, viewset, basename in router.registry
    if is_personal_model(getattr(viewset, "model", None))
]
API_PERSONAS = ("coordinator", "officer_sjpd", "officer_kcpd", "advocate_harbor", "caseworker", "analyst")
ADMIN_MODELS = [model for model in admin.site._registry if is_personal_model(model)]
ADMIN_PERSONAS = ("coordinator", "officer_kcpd", "advocate_harbor", "caseworker")
# Records whose reference is printed wherever they are shown: Referral R-000012, Custody H-000003.
REFERENCED = {"cases.referral": "R-{:06d}", "cases.custodyhandoff": "H-{:06d}"}


def body_of(response) -> str:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    return raw.decode(errors="replace")


def people_in(body: str) -> set[int]:
    return {p.pk for p in m.Person.objects.all() if p.reference in body or (p.legal_name and p.legal_name in body)}


def rows_of(response) -> list[AccessLog]:
    """The request's rows that record a read (a refused request may log a session ending, say)."""
    return list(AccessLog.objects.filter(request_id=response["X-Request-ID"], action__in=READS))


def people_of(label: str, ids) -> set[int]:
    model = apps.get_model(label)
    return {person_of(obj) for obj in model.objects.filter(pk__in=ids)}


def the_row(response) -> AccessLog:
    rows = rows_of(response)
    assert len(rows) == 1, f"expected one access row, got {[(r.action, r.records) for r in rows]}"
    row = rows[0]
    for label, ids in row.records.items():
        assert people_of(label, ids) <= set(row.people), f"{label} {ids} are about people the row does not name"
    return row


def referenced_in(body: str) -> dict[str, set[int]]:
    """Referrals and hand-offs whose reference the page prints."""
    # A reference stands on its own: "IR-000001" (a relief request) is not referral R-000001.
    return {
        # "R-000001" alone, not inside a prosecution's "PR-000001" or a relief request's "IR-000001".
        label: {
            pk
            for pk in apps.get_model(label).objects.values_list("pk", flat=True)
            if re.search(r"(?<![A-Z])" + re.escape(pattern.format(pk)), body)
        }
        for label, pattern in REFERENCED.items()
    }


def check_page(response) -> str:
    """The checks of one web page; returns a problem in words, or ''.

    The people a page shows are those it names (name or reference) and those of the
    referrals and hand-offs whose reference it prints; the row must name each of them,
    and no one else except the person of the record the page is about (a page about a
    service offer shows the offer, not always the person's name).
    """
    body = body_of(response)
    context = getattr(response, "context_data", None) or {}
    referenced = referenced_in(body)
    shown = people_in(body) | {pid for label, ids in referenced.items() for pid in people_of(label, ids)}
    subjects = {person_of(value) for value in context.values()} - {None}
    rows = rows_of(response)
    if not shown and not rows:
        return ""
    try:
        row = the_row(response)
    except AssertionError as error:
        return str(error)
    if shown - set(row.people):
        return f"shows people {sorted(shown)}, the row names only {row.people}"
    if set(row.people) - shown - subjects:
        return f"shows people {sorted(shown)}, the row names {row.people}"
    for label, printed in referenced.items():
        if printed - set(row.records.get(label, [])):
            return f"prints {label} {sorted(printed)}, the row names {row.records.get(label, [])}"
    obj = context.get("object")
    if obj is not None and is_personal_model(obj._meta.model) and "page_obj" not in context:
        if (row.object_type, row.object_id) != (obj._meta.label_lower, str(obj.pk)):
            return f"is the page of {obj._meta.label_lower} {obj.pk}, the row names {row.object_type} {row.object_id}"
    page = context.get("page_obj")
    if page is not None and is_personal_model(page.paginator.object_list.model):
        label = page.paginator.object_list.model._meta.label_lower
        # A record whose person is optional (a task on an operation) is about nobody: not logged.
        if row.records.get(label, []) != sorted(o.pk for o in page.object_list if person_of(o) is not None):
            return f"lists {label} {[o.pk for o in page.object_list]}, the row names {row.records.get(label)}"
    return ""


@pytest.mark.parametrize("case", WEB_READS, ids=[c.id for c in WEB_READS])
def test_every_page_that_shows_a_person_logs_them(case, world, client, pdf_as_html):
    problems = []
    for obj_name, kwargs_for in case.objects.items():
        url = reverse(case.url_name, kwargs=kwargs_for(world) or None)
        if case.query:
            url = f"{url}?{case.query(world)}"
        for persona in PERSONAS:
            if persona == "anonymous":
                continue
            client.force_login(getattr(world.users, persona))
            response = client.get(url)
            problem = (
                check_page(response)
                if response.status_code == 200
                else ("logged a read it refused" if rows_of(response) else "")
            )
            if problem:
                problems.append(f"{persona:20} {obj_name:12} {problem}")
    assert not problems, f"{case.id}:\n" + "\n".join(problems)


def test_the_walk_meets_every_kind_of_personal_record(world, client, pdf_as_html):
    """The web walk is no walk if the table lost its pages: it must meet each kind at least once."""
    met = set()
    client.force_login(world.users.coordinator)
    for case in WEB_READS:
        for kwargs_for in case.objects.values():
            url = reverse(case.url_name, kwargs=kwargs_for(world) or None) + (
                f"?{case.query(world)}" if case.query else ""
            )
            for row in rows_of(client.get(url)):
                met |= set(row.records)
    assert {
        "cases.person",
        "cases.contact",
        "cases.serviceoffer",
        "cases.referral",
        "cases.custodyhandoff",
        "cases.detention",
    } <= met


# --- the API ------------------------------------------------------------------------


@pytest.fixture
def api():
    """api(user) → an APIClient signed in as that user; throttle counters start empty."""
    cache.clear()

    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    yield make
    cache.clear()


@pytest.mark.parametrize("prefix,basename,model", API_RESOURCES, ids=[r[1] for r in API_RESOURCES])
def test_every_api_list_logs_the_ids_on_its_page(prefix, basename, model, world, api):
    label = model._meta.label_lower
    for persona in API_PERSONAS:
        response = api(getattr(world.users, persona)).get(reverse(f"api:{basename}-list"), {"page_size": 1000})
        if response.status_code != 200:
            assert not rows_of(response), persona
            continue
        ids = sorted(row["id"] for row in response.json()["results"])
        ids = [pk for pk in ids if person_of(model.objects.get(pk=pk)) is not None]  # about someone
        if not ids:
            assert not rows_of(response), persona
            continue
        row = the_row(response)
        assert row.action == Action.RECORD_LIST, persona
        assert (row.object_type, row.records[label]) == (label, ids), persona
        assert set(row.people) == people_of(label, ids), persona


@pytest.mark.parametrize("prefix,basename,model", API_RESOURCES, ids=[r[1] for r in API_RESOURCES])
def test_every_api_detail_logs_its_record(prefix, basename, model, world, api):
    label = model._meta.label_lower
    opened = 0
    for persona in API_PERSONAS:
        client = api(getattr(world.users, persona))
        for pk in model.objects.values_list("pk", flat=True):
            response = client.get(reverse(f"api:{basename}-detail", args=[pk]))
            if response.status_code != 200 or person_of(model.objects.get(pk=pk)) is None:
                assert not rows_of(response), (persona, pk)
                continue
            opened += 1
            row = the_row(response)
            assert row.action == (Action.PERSON_VIEW if label == "cases.person" else Action.RECORD_VIEW)
            assert (row.object_type, row.object_id, row.records) == (label, str(pk), {label: [pk]}), (persona, pk)
            assert row.people == [person_of(model.objects.get(pk=pk))]
    about_someone = any(person_of(obj) is not None for obj in model.objects.all())
    assert opened or not about_someone, "no persona opened any record: the walk checked nothing"


@pytest.mark.parametrize("prefix,basename,model", API_RESOURCES, ids=[r[1] for r in API_RESOURCES])
def test_every_api_export_logs_its_count_and_filter(prefix, basename, model, world, api):
    client = api(world.users.coordinator)
    response = client.get(reverse(f"api:{basename}-list"), {"format": "csv", "ordering": "-id"})
    assert response.status_code == 200
    lines = list(csv.reader(io.StringIO(body_of(response))))[1:]
    row = the_row(response)
    assert (row.action, row.object_type) == (Action.EXPORT, model._meta.label_lower)
    noun = "row" if len(lines) == 1 else "rows"
    assert row.detail == f"{prefix}.csv, {len(lines)} {noun}" or row.detail.endswith(f".csv, {len(lines)} {noun}")


def test_api_export_logs_the_filter_that_chose_the_rows(world, api):
    response = api(world.users.coordinator).get(reverse("api:person-list"), {"format": "csv", "q": "Invented"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(body_of(response))))[1:]
    assert the_row(response).detail == f"people.csv, {len(rows)} rows; filter: q=Invented"


def test_api_people_search_logs_the_terms_and_the_people_found(world, api):
    officer = world.users.officer_sjpd
    response = api(officer).get(reverse("api:person-list"), {"q": "Dana", "page_size": 1000})
    row = the_row(response)
    dana = world.records.victim_sjpd.person_id
    assert (row.action, row.detail, row.records, row.people) == (
        Action.PERSON_SEARCH,
        "q=Dana",
        {"cases.person": [dana]},
        [dana],
    )


def test_a_search_that_finds_nobody_is_still_logged(world, api):
    response = api(world.users.officer_sjpd).get(reverse("api:person-list"), {"q": "Nobody Of That Name"})
    row = the_row(response)
    assert (row.action, row.detail, row.records, row.person_ids) == (
        Action.PERSON_SEARCH,
        "q=Nobody Of That Name",
        {},
        "",
    )


# --- the admin ----------------------------------------------------------------------


@pytest.fixture
def staff(world):
    for persona in ADMIN_PERSONAS:
        user = getattr(world.users, persona)
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return world


def _admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model.__name__)
def test_every_admin_page_of_personal_records_logs_them(model, staff, client):
    label = model._meta.label_lower
    for persona in ADMIN_PERSONAS:
        client.force_login(getattr(staff.users, persona))
        response = client.get(_admin_url(model, "changelist"))
        if response.status_code == 403:  # a role that never sees these (detentions, for advocates)
            assert not rows_of(response), persona
            continue
        assert response.status_code == 200
        shown = sorted(obj.pk for obj in response.context["cl"].result_list if person_of(obj) is not None)
        if not shown:
            assert not [r for r in rows_of(response) if r.records], persona
        else:
            row = the_row(response)
            assert (row.object_type, row.records) == (label, {label: shown}), persona
            assert set(row.people) == people_of(label, shown) | (people_in(body_of(response)) & set(row.people))
        for pk in shown:
            response = client.get(_admin_url(model, "change", pk))
            assert response.status_code == 200
            row = the_row(response)
            assert (row.object_type, row.object_id, row.records) == (label, str(pk), {label: [pk]}), persona


@pytest.mark.parametrize("url_name", ["web:person_search", "web:contact_create"])
def test_the_find_a_person_box_logs_a_search_with_its_terms(url_name, world, client):
    client.force_login(world.users.officer_kcpd)
    response = client.get(reverse(url_name), {"q": "Jordan"})
    row = the_row(response)
    jordan = world.records.victim_kcpd.person_id
    assert (row.action, row.detail, row.records, row.people) == (
        Action.PERSON_SEARCH,
        "q=Jordan",
        {"cases.person": [jordan]},
        [jordan],
    )
    # Nobody found is still a search that was made.
    row = the_row(client.get(reverse(url_name), {"q": "Nobody Of That Name"}))
    assert (row.action, row.detail, row.person_ids) == (Action.PERSON_SEARCH, "q=Nobody Of That Name", "")
