"""Crawl everything each persona can open; nothing may name a record outside its scope.

The exact-id matrices check which records a page lists; this checks what pages print
about *related* records: a service offer naming its person, a hand-off naming its
operation, a history row quoting a private note. For every persona the strings to look
for come from the policy (tests/leaks/secrets.py), the addresses from the registries
(tests/leaks/pages.py), so neither is a hand-kept list.

The crawl reads what the pages print, the same on either database: CI runs it on PostgreSQL
only (marker `single_db`); the scoping it relies on is checked on both by the exact-id tests.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.cache import cache
from django.db import transaction

from cases import models as m
from tests import factories as f
from tests.web_access.registry import PERSONAS

from .pages import admin_pages, api_pages, audit_pages, web_pages
from .secrets import leaks_in, secrets_for

CRAWLED = [p for p in PERSONAS if p != "anonymous"] + ["auditor_sjpd"]


@pytest.fixture
def leaky_world(world):
    """The persona world plus the records that made pages leak (issue 11, "Trust")."""
    r, a = world.records, world.agencies
    # A partner provides a service to someone it was never referred: it sees the offer,
    # not the person.
    r.offer_by_harbor_kcpd = f.ServiceOfferFactory(
        contact=r.victim_kcpd, service_type=r.shelter, offered_by=a.kcpd, provider=a.harbor
    )
    r.offer_by_northland_sjpd = f.ServiceOfferFactory(
        contact=r.victim_sjpd, service_type=r.food, offered_by=a.sjpd, provider=a.northland
    )
    # The coordinator records a St. Joseph officer's arrest in Kansas City's operation:
    # SJPD sees its own contact and detention, not the operation (nor its location).
    r.sjpd_in_kc = f.ContactFactory(
        operation=r.op_kcpd,
        agency=a.sjpd,
        location=r.location_kcpd,
        person__created_by_agency=a.sjpd,
        role=m.ContactRole.BUYER,
        outcome=m.ContactOutcome.ARRESTED,
        person__gender=m.Gender.MALE,
    )
    r.sjpd_detention_in_kc = f.DetentionFactory(contact=r.sjpd_in_kc, agency=a.sjpd)
    # A private note corrected after it was written: its history holds both texts.
    note = r.private_note_harbor
    note.text = "Client moved to the Eastside shelter; call only on Tuesdays."
    note.save()
    for user in vars(world.users).values():
        user.is_staff = True
        user.save(update_fields=["is_staff"])
    return world


def body_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":  # an XLSX workbook: its strings are in the zipped XML
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return "\n".join(book.read(name).decode() for name in book.namelist() if name.endswith(".xml"))
    return content.decode("utf-8", errors="replace")


def crawl(client, urls) -> dict[str, str]:
    """url → body of every answer 200; each request rolled back, so nothing carries over."""
    bodies = {}
    for url in urls:
        cache.clear()  # throttling counters
        with transaction.atomic():
            response = client.get(url)
            if response.status_code == 200:
                bodies[url] = body_text(response)
            transaction.set_rollback(True)
    return bodies


def persona_urls(world, persona: str, user) -> list[str]:
    """Every address the crawl opens as this persona, each once."""
    urls = [*web_pages(world, persona, user), *admin_pages(user), *api_pages(user), *audit_pages(user)]
    return list(dict.fromkeys(urls))


@pytest.mark.single_db
@pytest.mark.parametrize("persona", CRAWLED)
def test_nothing_a_persona_opens_names_a_record_outside_its_scope(leaky_world, client, persona, pdf_as_html):
    user = getattr(leaky_world.users, persona)
    secrets = secrets_for(user)
    assert secrets or persona == "nobody", "the world has records each persona may not see"
    client.force_login(user)
    bodies = crawl(client, persona_urls(leaky_world, persona, user))
    found = [
        f"{url}: {secret.text!r} ({secret.what})" for url, body in bodies.items() for secret in leaks_in(body, secrets)
    ]
    assert not found, f"{persona} reads what it may not:\n" + "\n".join(found)


CRAWLED_KINDS = ("/admin/cases/", "/api/v1/", "/audit/", "/reports/", "/operations/")


@pytest.mark.single_db
def test_the_crawl_reaches_every_kind_of_page(leaky_world, client):
    """The coordinator's crawl opens pages of each registry, so a registry left out shows here.

    The crawl itself runs in the test above; here one page of each kind that answers 200 is enough.
    """
    user = leaky_world.users.coordinator
    client.force_login(user)
    opened = set()
    for url in persona_urls(leaky_world, "coordinator", user):
        kind = next((prefix for prefix in CRAWLED_KINDS if url.startswith(prefix)), None)
        if kind is not None and kind not in opened and crawl(client, [url]):
            opened.add(kind)
    assert opened == set(CRAWLED_KINDS), set(CRAWLED_KINDS) - opened


def test_the_leak_checker_finds_a_reference_printed_on_a_page(leaky_world):
    hidden = leaky_world.records.victim_kcpd.person
    secrets = secrets_for(leaky_world.users.advocate_harbor)
    assert [s.text for s in leaks_in(f"<td>{hidden.reference}</td>", secrets)] == [hidden.reference]
    assert leaks_in(f"<td>{hidden.reference}1</td>", secrets) == []
    assert m.Note.objects.filter(text__startswith="Client moved").exists()


def test_investigations_and_prosecutions_out_of_scope_are_secrets(leaky_world):
    r = leaky_world.records
    texts = {s.text for s in secrets_for(leaky_world.users.officer_sjpd)}
    assert r.investigation_kcpd.title in texts and r.investigation_kcpd.reference in texts
    assert r.prosecution_kcpd.docket_number in texts
    assert r.investigation_sjpd.title not in texts
    # The prosecutor reads the case referred to it, not the operation it came from.
    texts = {s.text for s in secrets_for(leaky_world.users.prosecutor)}
    assert r.op_sjpd.name in texts and r.investigation_sjpd.title not in texts
