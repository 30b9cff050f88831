"""Property-based run of every operation of the live OpenAPI schema (schemathesis, in-process).

Each operation gets a bounded number of generated requests, valid and invalid, sent by a user
who may do most things, against seeded data so that reads and writes reach real records. No
request may cause a server error, and every answer must match the schema: its status code,
its content type and its body. Deterministic: the same examples on every run.
"""

import itertools
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from safepassage.accounts.models import Role
from safepassage.api.services import api_token_create
from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Case
from safepassage.registry.models import Person
from tests.factories import make_user

MAX_EXAMPLES = 20
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture
def in_process():
    """Keep the test's connection open across requests, as Django's test client does: the WSGI
    handler would close it after each request (and lose the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def seeded(in_process, people, orgs, kim, scheduled):
    """Kim with a scheduled transfer; sam holds every role at Kim's detaining power."""
    sam = make_user(orgs.detaining, *Role.values, username="sam")
    _token, raw = api_token_create(user=sam, name="schemathesis")
    return {
        "counter": itertools.count(),
        "headers": {"Authorization": f"Bearer {raw}"},
        "ids": {
            "person_id": kim.pk,
            "will_id": Case.objects.get(person=kim).governing_will_id,
            "/api/v1/persons/{id}/": kim.pk,
            "/api/v1/transfers/{id}/": scheduled.pk,
            "/api/v1/organisations/{id}/": orgs.detaining.pk,
            "/api/v1/audit-events/{id}/": AuditEvent.objects.filter(organisation=orgs.detaining)
            .latest("id")
            .pk,
        },
    }


def _point_at_seeded_records(case, ids: dict, counter) -> None:
    """Valid ids name the seeded records, valid idempotency keys are fresh, and every other
    valid If-Match is current; invalid values stay invalid (404, 400, 412)."""
    for name, value in list((case.path_parameters or {}).items()):
        if not isinstance(value, int) or value < 1:
            continue
        prefix = next((p for p in ids if p.startswith("/") and case.path.startswith(p[:-5])), None)
        if name in ids:
            case.path_parameters[name] = ids[name]
        elif name == "id" and prefix:
            case.path_parameters[name] = ids[prefix]
    if isinstance(case.body, dict) and isinstance(case.body.get("person"), int):
        case.body["person"] = ids["person_id"]
    headers = case.headers if case.headers is not None else {}
    number = next(counter)
    key = headers.get("Idempotency-Key")
    if isinstance(key, str) and re.fullmatch(r"[!-~]{1,200}", key):
        headers["Idempotency-Key"] = f"schemathesis-{number}"
    tag = headers.get("If-Match")
    if isinstance(tag, str) and re.fullmatch(r'(W/)?"[0-9]+"', tag) and number % 2:
        headers["If-Match"] = f'"{Person.objects.get(pk=ids["person_id"]).version}"'


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_within_its_schema(case, seeded):
    _point_at_seeded_records(case, seeded["ids"], seeded["counter"])
    case.call_and_validate(headers=seeded["headers"], checks=CHECKS)
