"""Who may call every route of the API: an explicit table, checked for every user, anonymous
callers and dead tokens; and no answer ever carries what its reader may not know."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from safepassage.api import urls as api_urls
from safepassage.api.models import ApiToken
from safepassage.api.services import api_token_create, api_token_revoke
from safepassage.audit.models import AuditEvent
from safepassage.cases.models import Case
from tests.api.conftest import BASIS_MARKER, NEXT_OF_KIN_MARKER, STATEMENT_MARKER
from tests.factories import tomorrow

USERS = ["alice", "dmitro", "petro", "ivan", "audrey", "adam", "vera", "victor", "lena", "minjun",
         "bruno", "oscar"]  # fmt: skip

# ok: let through (GET 200; a write 2xx, or 400/409/422/428 for the deliberately incomplete
# body). 403: not allowed on a person he sees. 404: not visible (existence does not leak).
# Kim is held by alice's detaining power, represented by lena's NGO, accepted by minjun's KR;
# bruno (BR) and oscar (another detaining power, every role) cannot see him.
TABLE = """
route               method alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
person-list         GET    ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     ok    ok
person-list         POST   ok    403    403   403  403    403  403  403    403  403    403   ok
person-detail       GET    ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     404   404
person-detail       PATCH  ok    403    403   403  403    403  403  403    403  403    404   404
person-names        GET    ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     404   404
person-names        POST   ok    403    403   403  403    403  403  403    403  403    404   404
will-list           GET    ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     404   404
will-list           POST   403   403    403   ok   403    403  ok   ok     ok   403    404   404
will-detail         GET    ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     404   404
will-withdraw       POST   403   403    403   403  403    403  ok   403    403  403    404   404
assessments         GET    ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     404   404
assessments         POST   403   403    403   403  403    403  403  ok     ok   403    404   404
assessment-concur   POST   403   403    403   403  403    403  403  ok     ok   403    404   404
decisions           GET    ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     404   404
decisions           POST   403   ok     403   403  403    403  403  403    403  403    404   404
acceptances         GET    ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     404   404
acceptances         POST   403   403    403   403  403    403  403  403    403  ok     404   404
acceptance-decline  POST   403   403    403   403  403    403  403  403    403  ok     404   404
transitions         GET    ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     404   404
transitions         POST   ok    403    403   ok   403    403  ok   ok     ok   403    404   404
transition-correct  POST   ok    403    403   403  403    403  403  403    403  403    404   404
legal-organisation  PUT    ok    403    403   ok   403    403  ok   403    403  403    404   404
transfer-list       GET    ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     ok    ok
transfer-list       POST   403   403    ok    403  403    403  403  403    403  403    404   404
transfer-detail     GET    ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     404   404
transfer-execute    POST   403   403    ok    403  403    403  403  403    403  403    404   404
transfer-cancel     POST   403   403    ok    403  403    403  403  403    403  403    404   404
organisation-list   GET    ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     ok    ok
organisation-detail GET    ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     ok    ok
audit-event-list    GET    403   403    403   403  ok     403  403  403    403  403    403   ok
audit-event-detail  GET    403   403    403   403  ok     403  403  403    403  403    403   404
tracing-request-list      GET    403   403    403   403  403    403  ok   403    403  403    403   403
tracing-request-list      POST   403   403    403   403  403    403  ok   403    403  403    403   403
tracing-request-detail    GET    403   403    403   403  403    403  ok   403    403  403    403   403
tracing-request-inform    POST   403   403    403   403  403    403  ok   403    403  403    403   403
tracing-candidates        GET    403   403    403   403  403    403  ok   403    403  403    403   403
tracing-candidates        POST   403   403    403   403  403    403  ok   403    403  403    403   403
tracing-candidate-confirm POST   403   403    403   403  403    403  ok   403    403  403    403   403
tracing-candidate-reject  POST   403   403    403   403  403    403  ok   403    403  403    403   403
exchange-agreement-list   GET    403   ok     ok    ok   403    403  ok   ok     403  403    403   ok
exchange-agreement-list   POST   403   403    ok    403  403    403  403  403    403  403    403   ok
exchange-agreement-detail GET    404   ok     ok    ok   404    404  ok   ok     404  404    404   404
exchange-agreement-plan   POST   404   403    ok    403  404    404  403  403    404  404    404   404
exchange-batch-detail     GET    404   ok     ok    ok   404    404  ok   ok     404  404    404   404
exchange-batch-plan       POST   404   403    ok    403  404    404  403  403    404  404    404   404
exchange-batch-transition POST   404   403    ok    403  404    404  403  403    404  404    404   404
exchange-entry-handover   POST   404   403    ok    403  404    404  403  403    404  404    404   404
exchange-entry-remove     POST   404   403    ok    403  404    404  403  403    404  404    404   404
exchange-entry-refusal    POST   404   403    403   ok   404    404  ok   403    404  404    404   404
place-list                GET    ok    ok     403   ok   403    403  ok   403    403  403    403   ok
place-detail              GET    ok    ok     404   ok   404    404  ok   404    404  404    404   404
visit-list                GET    ok    ok     403   403  403    403  ok   403    403  403    403   ok
visit-list                POST   403   403    403   403  403    403  ok   403    403  403    403   403
visit-detail              GET    ok    ok     404   404  404    404  ok   404    404  404    404   404
visit-transition          POST   403   403    404   404  404    404  ok   404    404  404    404   404
visit-interviews          GET    403   403    404   404  404    404  ok   404    404  404    404   404
visit-interviews          POST   403   403    404   404  404    404  ok   404    404  404    404   404
field-conflict-list       GET    403   403    403   403  403    403  ok   403    403  403    403   403
commission-list           GET    403   ok     403   403  403    403  ok   403    403  403    403   ok
commission-list           POST   403   403    403   403  403    403  403  403    403  403    403   403
commission-detail         GET    404   ok     404   404  404    404  ok   404    404  404    404   404
person-medical            GET    ok    ok     ok    404  404    404  ok   ok     ok   404    404   404
person-medical-presentations POST 403 403   403   404  404    404  403  403    403  404    404   404
person-medical-examinations  POST 403 403   403   404  404    404  403  403    403  404    404   404
examination-consent       POST   403   403    403   404  404    404  ok   403    403  404    404   404
person-documents          GET    ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     404   404
person-documents          POST   ok    ok     403   403  403    403  ok   ok     ok   ok     404   404
person-document-content   GET    ok    404    404   ok   404    404  ok   404    404  404    404   404
referral-list       GET    403   ok     403   403  403    403  ok   ok     ok   ok     ok    ok
referral-list       POST   403   ok     403   403  403    403  ok   403    403  403    403   ok
referral-detail     GET    404   ok     404   404  404    404  ok   ok     ok   ok     404   404
referral-transition POST   404   ok     404   404  404    404  ok   403    403  ok     404   404
capture-card-choice GET    403   403    403   403  403    403  ok   403    403  403    404   404
capture-card-choice PUT    403   403    403   403  403    403  ok   403    403  403    404   404
family-messages     GET    404   404    404   404  404    404  ok   404    404  404    404   404
family-messages     POST   404   404    404   404  404    404  ok   404    404  404    404   404
family-message-censor POST 404   404    404   404  404    404  403  404    404  404    404   404
family-message-step POST   404   404    404   404  404    404  ok   404    404  404    404   404
correspondence-choice GET  404   404    404   404  404    404  ok   404    404  404    404   404
correspondence-choice PUT  404   404    404   404  404    404  ok   404    404  404    404   404
followup-detail     GET    403   403    403   403  403    403  ok   ok     ok   ok     404   404
followup-reception  POST   403   403    403   403  403    403  403  403    403  ok     404   404
followup-reception-step POST 403 403    403   403  403    403  403  403    403  ok     404   404
followup-schedule   POST   403   403    403   403  403    403  ok   403    403  403    404   404
followup-contact    POST   404   404    404   404  404    404  ok   403    403  404    404   404
onward-reports      GET    403   403    403   403  403    403  ok   ok     ok   403    403   403
"""
# Open to anyone, also anonymous: the schema, its docs page and the problem catalogue.
PUBLIC = {"schema", "docs", "problem-list", "problem-detail", "not-found"}

# Who may read what (the policy's need-to-know): nobody else's answer may carry the marker.
MAY_READ = {
    STATEMENT_MARKER: {"vera", "victor", "lena"},
    NEXT_OF_KIN_MARKER: {"alice", "ivan", "vera"},
    BASIS_MARKER: {"dmitro", "ivan", "vera", "victor", "lena"},
}
WRITE_OK = {200, 201, 400, 409, 422, 428}


def _parse(table: str) -> dict[tuple[str, str], dict[str, str]]:
    rows = [line.split() for line in table.strip().splitlines()]
    header, body = rows[0], rows[1:]
    assert header[2:] == USERS
    return {(row[0], row[1]): dict(zip(USERS, row[2:], strict=True)) for row in body}


MATRIX = _parse(TABLE)


def _url(name: str, kim, transfer) -> str:
    pattern = next(p for p in api_urls.urlpatterns if p.name == name)
    kwargs = {}
    converters = pattern.pattern.converters
    if "person_id" in converters:
        kwargs["person_id"] = kim.pk
    if "will_id" in converters:
        kwargs["will_id"] = Case.objects.get(person=kim).governing_will_id
    if "assessment_id" in converters:
        kwargs["assessment_id"] = kim.risk_assessments.order_by("pk").first().pk
    if name.startswith("tracing"):
        # A request of vera's Central Tracing Agency, with Kim as its candidate.
        from tests.tracing.tracing_data import api_tracing_objects

        request, candidate = api_tracing_objects(kim)
        for key, value in (("pk", request.pk), ("request_id", request.pk),
                           ("candidate_id", candidate.pk)):  # fmt: skip
            if key in converters:
                kwargs[key] = value
        return reverse(f"api:{name}", kwargs=kwargs)
    if name.startswith("exchange"):
        from tests.exchanges.builders import api_exchange_objects

        deal, batch, entry = api_exchange_objects()
        for key, value in (("agreement_id", deal.pk), ("batch_id", batch.pk),
                           ("entry_id", entry.pk)):  # fmt: skip
            if key in converters:
                kwargs[key] = value
        return reverse(f"api:{name}", kwargs=kwargs)
    if name.startswith(("commission", "person-medical", "examination")):
        # dora and nadia's commission, which examined Kim (tests/medical).
        from tests.medical.builders import api_medical

        examination = api_medical(kim)
        for key, value in (("commission_id", examination.commission_id),
                           ("examination_id", examination.pk)):  # fmt: skip
            if key in converters:
                kwargs[key] = value
    if name.startswith("family-message") and "message_id" in converters:
        # vera's record of a message to Kim from his mother (no censorship in the agreement).
        from tests.family.builders import api_family_message

        return reverse(f"api:{name}", kwargs={"message_id": api_family_message(kim).pk})
    if name.startswith(("followup", "onward")):
        # Kim's transfer executed, received by minjun's state, followed up by vera.
        from tests.followup.builders import api_followup

        step, contact = api_followup(transfer)
        for key, value in (("step_id", step.pk), ("contact_id", contact.pk)):
            if key in converters:
                kwargs[key] = value
        url = reverse(f"api:{name}", kwargs=kwargs)
        return f"{url}?country=KR" if name == "onward-reports" else url
    if name.startswith("referral"):
        # vera's referral of Kim to minjun's receiving state, which his will names.
        from tests.referrals.builders import api_referral

        if "referral_id" in converters:
            kwargs["referral_id"] = api_referral(kim).pk
        return reverse(f"api:{name}", kwargs=kwargs)
    if name.startswith(("place", "visit")):
        # A visit of vera's verifier to the camp where Kim is held.
        from tests.visits.builders import api_visit

        visit = api_visit(kim)
        for key, value in (("place_id", visit.place_id), ("visit_id", visit.pk)):
            if key in converters:
                kwargs[key] = value
        return reverse(f"api:{name}", kwargs=kwargs)
    if "document_id" in converters:
        # alice's capture card of Kim: the Bureau and the verifier open it.
        from safepassage.documents.services import document_upload
        from tests.documents.builders import pdf_with

        kwargs["document_id"] = document_upload(
            actor=transfer.person.detaining_organisation.members.get(username="alice"),
            person=kim, kind="capture_card", title="Capture card", content=pdf_with("card"),
        ).pk  # fmt: skip
    if "pk" in converters:
        kwargs["pk"] = {
            "person": kim.pk,
            "transfer": transfer.pk,
            "organisation": transfer.scheduled_by.organisation_id,
            "audit": AuditEvent.objects.filter(organisation=transfer.scheduled_by.organisation)
            .latest("id")
            .pk,
        }[name.split("-")[0]]
    return reverse(f"api:{name}", kwargs=kwargs)


def _body(name: str, method: str, kim) -> dict:
    """Empty, so a write is refused by validation once let through — except where the person
    comes from the body (a transfer) and the PATCH, which needs its If-Match header."""
    if name == "transfer-list" and method == "POST":
        return {"person": kim.pk, "destination": "KR", "scheduled_for": str(tomorrow())}
    return {}


def _call(client, method: str, url: str, body: dict, kim):
    headers = {}
    if method == "PATCH":
        kim.refresh_from_db()
        headers["HTTP_IF_MATCH"] = f'"{kim.version}"'
    return getattr(client, method.lower())(url, body, format="json", **headers)


def test_the_matrix_covers_every_route_and_method_of_the_api():
    routes = {p.name for p in api_urls.urlpatterns}
    assert routes == {name for name, _method in MATRIX} | PUBLIC
    for pattern in api_urls.urlpatterns:
        if pattern.name in PUBLIC:
            continue
        view = pattern.callback
        actions = getattr(view, "actions", None)
        methods = {m.upper() for m in actions if m != "head"} if actions else set()
        if not actions:
            methods = {m.upper() for m in ("get", "post", "put", "patch") if hasattr(view.cls, m)}
        assert methods == {m for n, m in MATRIX if n == pattern.name}, pattern.name


@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]}-{r[1]}")
def test_each_route_admits_exactly_the_people_the_table_names(route, people, kim, scheduled, api):
    name, method = route
    kim.refresh_from_db()
    url = _url(name, kim, scheduled)
    by_name = {user.username: user for user in vars(people).values()}
    mismatches = []
    for username in USERS:
        response = _call(api(by_name[username]), method, url, _body(name, method, kim), kim)
        want = MATRIX[route][username]
        status = response.status_code
        if want == "ok":
            good = status == 200 if method == "GET" else status in WRITE_OK
        else:
            good = status == int(want)
            good = good and response["Content-Type"] == "application/problem+json"
        if not good:
            mismatches.append(f"{username}: {status} {response.content[:200]!r}, expected {want}")
        text = response.content.decode(errors="replace")  # a document's bytes are no UTF-8
        for marker, readers in MAY_READ.items():
            if marker in text and username not in readers:
                mismatches.append(f"{username}: leaked {marker}")
        if username in ("bruno", "oscar") and kim.registry_number in text:
            mismatches.append(f"{username}: leaked Kim's registry number")
    assert not mismatches, f"{method} {url}: " + "; ".join(mismatches)


@pytest.fixture
def dead_tokens(people):
    """A revoked token and an expired one of alice, who may do much."""
    _revoked, revoked_raw = api_token_create(user=people.registrar, name="revoked")
    api_token_revoke(token=_revoked)
    expired, expired_raw = api_token_create(user=people.registrar, name="expired")
    ApiToken.objects.filter(pk=expired.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    return {"revoked": revoked_raw, "expired": expired_raw, "malformed": "sp_nope"}


@pytest.mark.parametrize("route", sorted(MATRIX), ids=lambda r: f"{r[0]}-{r[1]}")
def test_anonymous_callers_and_dead_tokens_get_401_on_every_route(
    route, kim, scheduled, api, dead_tokens
):
    name, method = route
    url = _url(name, kim, scheduled)
    callers = {"anonymous": api(None)} | {k: api(raw=v) for k, v in dead_tokens.items()}
    for caller, client in callers.items():
        response = _call(client, method, url, _body(name, method, kim), kim)
        assert response.status_code == 401, (caller, response.content)
        assert response["Content-Type"] == "application/problem+json"
        assert response.json()["type"] == "/api/v1/problems/not-authenticated"
        assert response["WWW-Authenticate"].startswith("Bearer")
        assert kim.registry_number not in response.content.decode()


@pytest.mark.parametrize("name", sorted(PUBLIC - {"not-found", "problem-detail"}))
def test_the_schema_docs_and_problem_catalogue_are_open_to_anonymous_callers(name, api):
    response = api(None).get(reverse(f"api:{name}"))
    assert response.status_code == 200
