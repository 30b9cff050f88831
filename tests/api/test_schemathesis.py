"""Property-based run of every operation of the live OpenAPI schema (schemathesis, in-process),
as every user of the permission matrix: each role of each organisation kind, and the outsider.

For each user, a world of his own (Kim with a verified will, assessments and a scheduled
transfer, an agreed exchange batch, a tracing request with its candidate, and a few other
persons), then a bounded number of generated requests per operation, valid and invalid. Valid
ids name the matrix's records, so every answer can be held against the matrix of
`tests/api/test_permissions.py`: no server error, every answer within the schema (status,
content type, body), a route the matrix refuses him never answers 2xx (only 403 or 404, or a
refusal decided before anyone looks at the record), a 404 of the matrix is never a 403 and
answers as if the record did not exist, and no answer carries a marker he may not read. What
the matrix lets him do is not required to succeed: most generated requests are invalid.
Deterministic: the same examples on every run (a fixed seed per user and operation).

Bounded for CI: 12 users x 49 operations x MAX_EXAMPLES requests, about 1,200, in about 75 s
on a loaded two-core machine, on SQLite and on PostgreSQL alike; both passes run it, as
PostgreSQL refuses what SQLite takes (a NUL character in text, an out-of-range integer).
"""

import functools
import itertools
import re
import zlib
from types import SimpleNamespace

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.urls import Resolver404, resolve
from django.utils import timezone
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from safepassage.api.serializers import MAX_ID
from safepassage.api.services import api_token_create
from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Case
from safepassage.registry.models import Person
from tests.api.conftest import STATEMENT_MARKER
from tests.api.test_permissions import MATRIX, MAY_READ, USERS
from tests.exchanges.builders import api_exchange_objects, refusing
from tests.factories import register
from tests.tracing.tracing_data import api_tracing_objects

MAX_EXAMPLES = 2  # per user and operation; 12 users make 24 different requests of each
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
# Refusals a route answers before it looks at the record or the caller's rights (a malformed
# query or body, a wrong method, media type or size): they tell nothing about either.
BEFORE_ACCESS = {400, 405, 406, 413, 415}
VALID_KEY = r"[!-~]{1,200}"  # an Idempotency-Key the API takes
HIDDEN = "404"  # the matrix's "he does not see it": its existence must not leak either

# Operations that end what the others work on (a transfer executed or called off, a will
# withdrawn, a batch moved on, a man handed over or removed) run last, so the others still
# reach the live records first; none is skipped.
FINAL = ("/execute/", "/cancel/", "/withdraw/", "/transition/", "/handover/", "/remove/")

schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())
OPERATIONS = sorted(
    (result.ok() for result in schema.get_all_operations()),
    key=lambda operation: any(operation.path.endswith(end) for end in FINAL),
)


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
def world(in_process, people, orgs, kim, scheduled):
    """The matrix's records, as in test_permissions, and persons around them."""
    request, candidate = api_tracing_objects(kim)
    deal, batch, entry = api_exchange_objects()
    refusing(people)  # one more man of alice's detaining power, with a verified will
    register(people.outsider, family="Petrenko", given="Ivan", nationalities=("UA",))  # oscar's
    kim.refresh_from_db()
    ids = {
        "person_id": kim.pk,
        "will_id": Case.objects.get(person=kim).governing_will_id,
        "assessment_id": kim.risk_assessments.order_by("pk").first().pk,
        "request_id": request.pk,
        "candidate_id": candidate.pk,
        "agreement_id": deal.pk,
        "batch_id": batch.pk,
        "entry_id": entry.pk,
    }
    pks = {
        "person": kim.pk,
        "transfer": scheduled.pk,
        "organisation": orgs.detaining.pk,
        "audit": AuditEvent.objects.filter(organisation=orgs.detaining).latest("id").pk,
        "tracing": request.pk,
    }
    return {"kim": kim, "ids": ids, "pks": pks, "legal": orgs.legal.pk}


def _route(path: str) -> str | None:
    """The URL name of a concrete path, or None when no route of the matrix answers it."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.url_name


def _point_at_world(case, world, counter) -> None:
    """Valid ids name the matrix's records, valid idempotency keys are fresh, and every other
    valid If-Match is current; invalid values stay invalid (404, 400, 412)."""
    params = case.path_parameters or {}
    route = _route(case.operation.path.format(**dict.fromkeys(params, 1))) or ""
    for name, value in list(params.items()):
        if not isinstance(value, int) or not 1 <= value <= MAX_ID:
            continue
        if name in ("pk", "id"):  # drf-spectacular names a pk "id"
            params[name] = world["pks"][route.split("-")[0]]
        elif name in world["ids"]:
            params[name] = world["ids"][name]
    if isinstance(case.body, dict):
        if isinstance(case.body.get("person"), int):
            case.body["person"] = world["ids"]["person_id"]
        if route == "legal-organisation" and isinstance(case.body.get("organisation"), int):
            case.body["organisation"] = world["legal"]
    headers = case.headers if case.headers is not None else {}
    number = next(counter)
    key = headers.get("Idempotency-Key")
    if isinstance(key, str) and re.fullmatch(VALID_KEY, key):
        headers["Idempotency-Key"] = f"schemathesis-{number}"
    tag = headers.get("If-Match")
    if isinstance(tag, str) and re.fullmatch(r'(W/)?"[0-9]+"', tag) and number % 2:
        headers["If-Match"] = f'"{Person.objects.get(pk=world["ids"]["person_id"]).version}"'


def _matrix_violations(username: str, case, response, kim, absent) -> list[str]:
    """What the answer shows that the matrix does not let `username` see or do. `absent()`
    answers the same request about records that do not exist."""
    found = []
    route = _route(response.request.path_url.split("?")[0])
    want = MATRIX.get((route, case.method.upper()), {}).get(username, "ok")
    status = response.status_code
    if route in (None, "not-found") and status < 400:
        found.append(f"answered {status} on no route")
    if want != "ok":
        if status not in {403, 404, *BEFORE_ACCESS}:
            found.append(f"answered {status}, the matrix says {want}")
        elif want == HIDDEN and status == 403:
            found.append("answered 403 where he does not see the record (existence leaks)")
        elif want == HIDDEN and status != 404 and (other := absent()) != status:
            found.append(f"answered {status} where he does not see it, {other} where it is not")
    text = response.text
    for marker, readers in MAY_READ.items():
        if marker in text and username not in readers:
            found.append(f"leaked {marker}")
    if username in ("bruno", "oscar") and kim.registry_number in text:
        found.append("leaked Kim's registry number")
    return found


def _absent(case, headers) -> int:
    """The status of the same request with every id the world filled in naming no record."""
    params = dict(case.path_parameters or {})
    body = dict(case.body) if isinstance(case.body, dict) else None
    for name, value in params.items():
        if isinstance(value, int) and 1 <= value <= MAX_ID:
            case.path_parameters[name] = MAX_ID
    if body is not None and isinstance(body.get("person"), int):
        case.body["person"] = MAX_ID
    headers = dict(headers)
    key = (case.headers or {}).get("Idempotency-Key")
    if isinstance(key, str) and re.fullmatch(VALID_KEY, key):  # an invalid key stays invalid
        headers["Idempotency-Key"] = f"{key[:190]}-absent"
    try:
        return case.call(headers=headers).status_code
    finally:
        case.path_parameters = params or case.path_parameters
        if body is not None:
            case.body = body


@functools.cache
def _strategy(operation):
    """Valid and invalid requests, as `schemathesis run` makes them (built and checked once,
    for all users)."""
    return st.one_of(
        operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
        operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
    )


def _fuzz(operation, username: str, headers: dict, world, counter) -> None:
    # A fixed seed per user and operation: the same examples on every run, other examples for
    # each user, so the twelve runs together try twelve times as many requests per operation.
    @seed(zlib.crc32(f"{username} {operation.label}".encode()))
    @given(case=_strategy(operation))
    @settings(
        max_examples=MAX_EXAMPLES,
        deadline=None,
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the curl line reproduces it
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        _point_at_world(case, world, counter)
        response = case.call(headers=headers)
        case.validate_response(response, checks=CHECKS, headers=headers)
        found = _matrix_violations(
            username, case, response, world["kim"], lambda: _absent(case, headers)
        )
        assert not found, (
            f"{case.as_curl_command(headers={'Authorization': '[Filtered]'})}: " + "; ".join(found)
        )

    run()


@pytest.mark.parametrize("username", USERS)
def test_every_operation_answers_every_user_within_the_schema_and_the_matrix(
    username, people, world
):
    user = next(u for u in vars(people).values() if u.username == username)
    # As right after a login: he may also take the actions that need a recent one.
    _token, raw = api_token_create(user=user, name="schemathesis", authenticated_at=timezone.now())
    headers = {"Authorization": f"Bearer {raw}"}
    counter = itertools.count()
    failures = []
    for operation in OPERATIONS:
        try:
            _fuzz(operation, username, headers, world, counter)
        except Exception as error:  # noqa: BLE001 - every operation runs; all failures reported
            failures.append(f"{operation.label}: {error}")
    assert not failures, f"{username}:\n" + "\n\n".join(failures)


def test_the_matrix_check_finds_what_it_is_for():
    """The check itself: a forbidden 2xx, a 403 that shows a hidden record exists, an answer
    that differs from the one about no record, and a marker its reader may not read."""

    def answer(path, status, text=""):
        request = SimpleNamespace(path_url=path)
        return SimpleNamespace(request=request, status_code=status, text=text)

    kim = SimpleNamespace(registry_number="UA-2026-000001")
    get, post = SimpleNamespace(method="GET"), SimpleNamespace(method="POST")
    same = lambda: 400  # noqa: E731
    assert _matrix_violations("bruno", get, answer("/api/v1/persons/1/", 200), kim, same)
    assert _matrix_violations("bruno", get, answer("/api/v1/persons/1/", 403), kim, same)
    assert (
        _matrix_violations("ivan", post, answer("/api/v1/persons/1/names/", 403), kim, same) == []
    )
    assert _matrix_violations("dmitro", post, answer("/api/v1/persons/", 422), kim, same)
    assert _matrix_violations("oscar", post, answer("/api/v1/transfers/", 400), kim, same) == []
    assert _matrix_violations("oscar", post, answer("/api/v1/transfers/", 400), kim, lambda: 404)
    assert (
        _matrix_violations(
            "minjun", get, answer("/api/v1/persons/1/", 200, kim.registry_number), kim, same
        )
        == []
    )
    assert _matrix_violations(
        "bruno", get, answer("/api/v1/persons/", 200, kim.registry_number), kim, same
    )
    leak = answer("/api/v1/persons/1/", 200, STATEMENT_MARKER)
    assert _matrix_violations("alice", get, leak, kim, same)
    assert _matrix_violations("vera", get, leak, kim, same) == []
    assert _matrix_violations("alice", get, answer("/api/v1/nothing-here/", 200), kim, same)
