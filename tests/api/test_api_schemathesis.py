"""Schemathesis over the whole OpenAPI schema with every check, as three roles.

Every operation of /api/v1/ (reports included) gets generated requests as the
coordinator, an officer and an advocate; every built-in check of schemathesis runs on
each answer (no server error, documented status code, content type, headers and body,
valid data accepted and invalid data refused, authentication enforced). On top of the
schema's operations: OPTIONS and TRACE of every path (with ?format=csv and xlsx where
the GET takes it) and bodies nested 100,000 brackets and 40 objects deep to every operation that
takes a body.

Bounded for CI: SCHEMATHESIS_EXAMPLES examples per operation (default 4) with a fixed
seed (derandomize); the coverage and stateful phases are off (see CONFIG). Set
SCHEMATHESIS_EXAMPLES higher for a deeper run.
"""

from __future__ import annotations

import json
import os
from datetime import timedelta

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from knox.crypto import hash_token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import allow_header_conformance

from apitokens.models import ApiToken

pytestmark = [pytest.mark.slow, pytest.mark.schemathesis]

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "4"))
PERSONAS = ("coordinator", "officer_sjpd", "advocate_harbor")


def _raw_schema() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


# The coverage phase (every boundary value of every parameter) takes 15 minutes here and
# the stateful phase more; examples and fuzzing (valid and invalid data) stay. What the
# coverage phase adds that matters here, undeclared methods, is sent below.
CONFIG = SchemathesisConfig.from_dict(
    {
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "generation": {"max-examples": EXAMPLES},
        "checks": {
            # Schema-valid data the API still refuses, by rules no schema can state: an id of
            # a record that does not exist or is outside the user's scope, a cursor it did
            # not issue, a workflow step the record's state does not allow (400); an If-Match
            # that is well formed but not the record's current ETag (412).
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "412", "429", "5xx"]},
            # A missing If-Match is refused with 428 Precondition Required.
            "missing_required_header": {"expected-statuses": ["400", "401", "403", "406", "415", "422", "428"]},
            # A write with a well-formed but stale If-Match is refused before its body is read.
            "negative_data_rejection": {
                "expected-statuses": [
                    "400",
                    "401",
                    "403",
                    "404",
                    "405",
                    "406",
                    "409",
                    "412",
                    "415",
                    "422",
                    "428",
                    "429",
                    "5xx",
                ]
            },
        },
    }
)
APP = get_wsgi_application()
schema = schemathesis.openapi.from_dict(_raw_schema(), config=CONFIG)
# Every request of the run, the checks' own probes included, goes to the app in-process.
schema.app = APP


@pytest.fixture
def keep_test_connection():
    """As Django's test client does: a WSGI request must not close the test's connection.

    Django closes connections at the end of each request when their autocommit differs
    from the settings, which is always so inside a test transaction (PostgreSQL notices).
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def auth_headers(user) -> dict[str, str]:
    """The headers that sign a request in as this user (the one place to change if tokens change)."""
    # A fixed key per user, recreated before every call: the run may revoke it through /auth/tokens/.
    key = (user.username.replace("_", "") + "0" * 64)[:64]
    # Stored as knox stores any token: its hash and first 15 characters.
    ApiToken.objects.filter(user=user).delete()
    ApiToken.objects.bulk_create(
        [
            ApiToken(
                user=user,
                name="Schemathesis",
                digest=hash_token(key),
                token_key=key[:15],
                expiry=timezone.now() + timedelta(days=1),
            )
        ]
    )
    return {"Authorization": f"Token {key}"}


def _as(world, persona: str) -> dict[str, str]:
    return auth_headers(getattr(world.users, persona))


def _call_and_check(case, headers: dict, persona: str, **kwargs):
    # Our token is the run's credential; a session cookie generated from the schema's
    # cookieAuth would make schemathesis take the answer for one to a made-up login.
    case.cookies = {name: value for name, value in (case.cookies or {}).items() if name != "sessionid"}
    response = case.call(headers=headers, **kwargs)
    try:
        case.validate_response(response, headers=headers)
    except Exception as error:
        error.add_note(f"as {persona}")
        raise
    return response


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
)
def test_every_check_passes_as_three_roles(case, world, keep_test_connection):
    for persona in PERSONAS:
        _call_and_check(case, _as(world, persona), persona)


def _operations(method: str):
    for result in schema.get_all_operations():
        operation = result.ok()
        if operation.method.upper() == method:
            yield operation


def _path_parameters(operation, world) -> dict:
    """An id that exists for every {…} of the path (scope decides the rest)."""
    return {parameter.name: world.records.op_sjpd.pk for parameter in operation.path_parameters}


# The JSON parser's depth limit is what is tried: on every operation whose body may be JSON (an
# upload of a sheet takes a form, and answers a JSON body 415, as its schema says).
BODY_OPERATIONS = [
    op
    for method in ("POST", "PUT", "PATCH")
    for op in _operations(method)
    if any(body.media_type == "application/json" for body in op.body)
]
NESTED_BODIES = {"brackets": b"[" * 100_000, "objects": ('{"a":' * 40 + "1" + "}" * 40).encode()}


def _failures(attempts) -> list[str]:
    """Runs every attempt and returns what went wrong in each, so one run reports all of them."""
    failures = []
    for label, attempt in attempts:
        try:
            attempt()
        except Exception as error:  # noqa: BLE001 - every failure is reported below
            failures.append(f"{label}: {error}")
    return failures


def test_deeply_nested_bodies_are_refused_in_json(world, keep_test_connection):
    def send(operation, body, persona):
        case = operation.Case(path_parameters=_path_parameters(operation, world), media_type="application/json")
        headers = {**_as(world, persona), "Content-Type": "application/json", "If-Match": '"0"'}
        response = _call_and_check(case, headers, persona, data=NESTED_BODIES[body])
        assert response.status_code in (400, 403, 404, 412), response.status_code
        if response.status_code == 400:
            assert "nested too deeply" in response.json()["detail"]
        return response.status_code

    statuses = []
    attempts = [
        (
            f"{operation.label} {body} as {persona}",
            lambda operation=operation, body=body, persona=persona: statuses.append(send(operation, body, persona)),
        )
        for operation in BODY_OPERATIONS
        for body in NESTED_BODIES
        for persona in PERSONAS
    ]
    assert not (failures := _failures(attempts)), "\n".join(failures)
    assert len(BODY_OPERATIONS) > 30 and statuses.count(400) > 20


def test_undeclared_methods_of_every_path_answer_json(world, keep_test_connection):
    """OPTIONS describes the address and lists its methods; TRACE is 405 with an Allow header."""

    def send(operation, method, fmt, persona):
        case = operation.Case(
            method=method, path_parameters=_path_parameters(operation, world), query={"format": fmt} if fmt else {}
        )
        headers = _as(world, persona)
        response = case.call(headers=headers)
        case.validate_response(response, checks=[not_a_server_error, allow_header_conformance], headers=headers)
        assert response.headers.get("content-type") == ["application/json"], response.headers.get("content-type")
        if method == "OPTIONS":
            assert response.status_code in (200, 403, 404), response.status_code
        else:
            assert response.status_code in (403, 405), response.status_code
            assert response.status_code == 403 or response.headers.get("allow"), "405 without Allow"

    attempts = []
    for operation in _operations("GET"):
        formats = [None, "csv", "xlsx"] if any(p.name == "format" for p in operation.query) else [None]
        attempts += [
            (
                f"{method} {operation.path} ?format={fmt} as {persona}",
                lambda operation=operation, method=method, fmt=fmt, persona=persona: send(
                    operation, method, fmt, persona
                ),
            )
            for method in ("OPTIONS", "TRACE")
            for fmt in formats
            for persona in PERSONAS
        ]
    assert len(attempts) > 200
    assert not (failures := _failures(attempts)), "\n".join(failures)
