"""Schemathesis over the whole OpenAPI schema, as the coordinator and as an officer.

Every operation of /api/v1/ (reports included) gets a few generated requests; each
answer must not be a 5xx and must match the schema (status code, content type, body).
Bounded: SCHEMATHESIS_EXAMPLES examples per operation (default 4), so it runs in a few
minutes on two cores. Set SCHEMATHESIS_EXAMPLES higher for a deeper run.
"""

from __future__ import annotations

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.slow, pytest.mark.schemathesis]

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "4"))
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
PERSONAS = ("coordinator", "officer_sjpd")


def _raw_schema() -> dict:
    generated = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(generated))


# Coverage and stateful phases multiply the requests many times; examples and fuzzing
# (valid and invalid data) stay, a few per operation.
CONFIG = SchemathesisConfig.from_dict({
    "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
    "generation": {"max-examples": EXAMPLES},
})
schema = schemathesis.openapi.from_dict(_raw_schema(), config=CONFIG)
APP = get_wsgi_application()


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


def _key(persona: str) -> str:
    # A fixed key per persona, recreated before every call: the run may revoke it through /auth/token/.
    return (persona.replace("_", "") + "0" * 40)[:40]


@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_error_and_no_schema_violation(case, world, keep_test_connection):
    for persona in PERSONAS:
        user = getattr(world.users, persona)
        Token.objects.filter(user=user).exclude(key=_key(persona)).delete()
        Token.objects.get_or_create(key=_key(persona), defaults={"user": user})
        headers = {"Authorization": f"Token {_key(persona)}"}
        response = case.call(app=APP, headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
