"""Lists that must name every model, action, URL or section: each is checked against what it lists.

A record kind without a page, a navigation entry whose URL is gone, a section of a page
missing from the access table, a stale 403 message or a report parent that is not a real
link to a voidable record fails here rather than surfacing as a wrong link or a silent gap.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from cases import access
from cases.models import Location, Note, ServiceOffer, VoidableModel
from cases.models.referrals import REFERRAL_TRANSITIONS
from cases.models.relief import RELIEF_TRANSITIONS
from cases.navigation import NAV_ITEMS
from cases.reports.scope import _PARENTS
from cases.templatetags.workflows import _DETAIL_URLS
from cases.views import operations, people
from tests.web_access.registry import load_tables

# Records shown on the page of the record they belong to (cases/templatetags/workflows.url_for).
SHOWN_ON_PARENT = {ServiceOffer, Note, Location}


def _voidable_models():
    return {m for m in apps.get_models() if issubclass(m, VoidableModel)}


def test_every_voidable_record_has_a_page_to_link_to():
    missing = _voidable_models() - set(_DETAIL_URLS) - SHOWN_ON_PARENT
    assert not missing, f"No page for {sorted(m.__name__ for m in missing)}: add it to _DETAIL_URLS"
    for model, name in _DETAIL_URLS.items():
        assert reverse(name, args=[1]), model


@pytest.mark.parametrize("item", NAV_ITEMS, ids=[item[0] for item in NAV_ITEMS])
def test_every_navigation_entry_leads_somewhere(item, client):
    _label, target, _section, action = item
    url = target if target.startswith("/") else reverse(target)
    assert client.get(url).status_code in (200, 302), url
    access.ACTIONS[action]  # a real action, or KeyError


@pytest.mark.parametrize(
    "action",
    [
        *access.ACTIONS,
        *(f"referral.{verb}" for verb in REFERRAL_TRANSITIONS),
        *(f"relief.{verb}" for verb in RELIEF_TRANSITIONS),
    ],
)
def test_every_action_says_who_may_take_it(action):
    # One refusal per action, beside its rule (cases/access/actions.py), for the 403 page and the API.
    message = access.refusal(action)
    assert message and "{" not in message and "(" + action + ")" not in message, message


@pytest.mark.parametrize("view, url_name", [(operations, "web:operation_detail"), (people, "web:person_detail")])
def test_every_section_of_a_detail_page_is_in_the_access_table(view, url_name):
    tabled = set()
    for case in load_tables():
        if case.url_name == url_name and case.query is not None:
            query = dict(part.split("=", 1) for part in case.query(None).split("&"))
            tabled.add(query.get("section"))
    missing = set(view.SECTIONS) - tabled
    assert not missing, f"{url_name}: sections {sorted(missing)} have no entry in tests/web_access"


@pytest.mark.parametrize("model_name", sorted(_PARENTS))
def test_report_parents_are_links_to_voidable_records(model_name):
    model = apps.get_model("cases", model_name)
    for parent in _PARENTS[model_name]:
        field = model._meta.get_field(parent)
        assert field.many_to_one and issubclass(field.related_model, VoidableModel), (model_name, parent)


def test_every_record_a_report_counts_has_its_parents_listed():
    counted = {"Contact", "ServiceOffer", "Referral", "CustodyHandoff", "Detention", "Operation"}
    assert counted <= set(_PARENTS), sorted(counted - set(_PARENTS))
