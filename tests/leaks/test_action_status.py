"""On a record it can see, a role that lacks an action is refused (403), never told "not found".

404 is kept for records outside the user's scope, so their existence does not leak; on a
record the user can see, 404 would instead hide that the role is missing the right. Every
action address (the web access table's and the API router's) is tried by every persona
on every record of its model in that persona's scope.

The walk asks what each address answers, the same on either database: CI runs it on
PostgreSQL only (marker `single_db`); the policy it relies on is checked on both by the
exact-id tests (tests/test_access_matrix.py, tests/api/test_api_access_matrix.py).
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.urls import get_resolver, reverse
from rest_framework.test import APIClient

from cases.api.urls import router
from tests.web_access.registry import PERSONAS, load_tables

pytestmark = pytest.mark.single_db

CHECKED = [p for p in PERSONAS if p not in ("anonymous", "nobody")]


def _detail_models() -> dict[str, type]:
    """First path segment of each record page ("operations") → its model, from the URL map."""
    found = {}
    for pattern in get_resolver().url_patterns:
        for inner in getattr(pattern, "url_patterns", []):
            model = getattr(getattr(getattr(inner, "callback", None), "view_class", None), "model", None)
            route = str(getattr(inner, "pattern", ""))
            if model is not None and route.count("/") == 2 and route.endswith("<int:pk>/"):
                found[route.split("/")[0]] = model
    return found


def _model_of(url: str, kwargs: dict):
    """The model whose record the address's `pk` names."""
    if "label" in kwargs:
        return apps.get_model(kwargs["label"])
    if "target" in kwargs:
        from work.models import TASK_RECORD_FIELDS

        # Tasks and follows name their record's kind by its field on the task ("handoff").
        label = TASK_RECORD_FIELDS.get(kwargs["target"])
        return apps.get_model(label) if label else apps.get_model("cases", kwargs["target"])
    return _detail_models().get(url.strip("/").split("/")[0])


def web_actions(world, user):
    """A POST to each record-taking address of the web table, for every record in scope."""
    for case in load_tables():
        for obj_name, kwargs_for in case.objects.items():
            kwargs = kwargs_for(world) or {}
            if "pk" not in kwargs:
                continue
            url = reverse(case.url_name, kwargs=kwargs)
            if case.expect[obj_name]["coordinator"] == 404:
                continue  # an address that does not exist for this kind of record (e.g. no such model)
            model = _model_of(url, kwargs)
            if model is None:
                continue
            # Sections of a page (?section=) are parts of a record, not actions: 404 there is by design.
            query = f"?{case.query(world)}" if case.query and "section=" not in case.query(world) else ""
            data = case.data(world) if case.data else {}
            for pk in model.objects.visible_to(user).values_list("pk", flat=True):
                yield "post", f"{reverse(case.url_name, kwargs={**kwargs, 'pk': pk})}{query}", data


def api_actions(user):
    """POST to every record action of the API (void, workflow steps), for every record in scope."""
    for prefix, viewset, _basename in router.registry:
        detail_actions = [
            a for a in viewset.get_extra_actions() if a.detail and "post" in a.mapping and "(?P" not in a.url_path
        ]
        for pk in viewset.model.objects.visible_to(user).values_list("pk", flat=True):
            for extra in detail_actions:
                yield "post", f"/api/v1/{prefix}/{pk}/{extra.url_path}/", {}


@pytest.mark.parametrize("persona", CHECKED)
def test_an_action_on_a_visible_record_is_never_not_found(world, client, persona):
    user = getattr(world.users, persona)
    client.force_login(user)
    api = APIClient()
    api.force_authenticate(user)
    wrong = []
    for via, requests in (("web", web_actions(world, user)), ("api", api_actions(user))):
        for method, url, data in requests:
            cache.clear()
            with transaction.atomic():
                if via == "web":
                    response = getattr(client, method)(url, data)
                else:
                    response = api.post(url, data, format="json")
                transaction.set_rollback(True)
            if response.status_code == 404:
                wrong.append(f"{method.upper()} {url}")
    assert not wrong, f"{persona} is told 'not found' about records it can see:\n" + "\n".join(wrong)
