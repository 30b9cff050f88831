"""Who may open and submit every page: an explicit table, checked for every user and anonymous."""

import re

import pytest
from django.urls import reverse

from safepassage.accounts import urls as accounts_urls
from safepassage.accounts.models import User
from safepassage.api import token_urls
from safepassage.audit import urls as audit_urls
from safepassage.cases import urls as cases_urls
from safepassage.registry import urls as registry_urls
from tests.factories import login_with_mfa
from tests.web.conftest import NEXT_OF_KIN_MARKER, STATEMENT_MARKER

USERS = ["alice", "dmitro", "petro", "ivan", "audrey", "adam", "vera", "victor", "lena", "minjun",
         "bruno", "oscar"]  # fmt: skip

# ok: GET 200, POST 200 (form re-shown) or 302 (done). 403: not allowed. 404: person invisible.
# api_tokens: everyone manages his own tokens (tests/api/test_tokens.py: only his own).
# bruno (another receiving state) and oscar (another detaining power, every role) cannot see Kim.
# member_detail is alice's account: oscar administers another organisation (404).
TABLE = """
url               methods   alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
person_list       GET       ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     ok    ok
person_new        GET,POST  ok    403    403   403  403    403  403  403    403  403    403   ok
person_detail     GET       ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     404   404
person_edit       GET,POST  ok    403    403   403  403    403  403  403    403  403    404   404
person_name_add   GET,POST  ok    403    403   403  403    403  403  403    403  403    404   404
will_new          GET,POST  403   403    403   ok   403    403  ok   ok     ok   403    404   404
will_withdraw     GET,POST  403   403    403   403  403    403  ok   403    403  403    404   404
assessment_new    GET,POST  403   403    403   403  403    403  403  ok     ok   403    404   404
assessment_concur GET,POST  403   403    403   403  403    403  403  ok     ok   403    404   404
decision_new      GET,POST  403   ok     403   403  403    403  403  403    403  403    404   404
acceptance_new    GET,POST  403   403    403   403  403    403  403  403    403  ok     404   404
acceptance_decline GET,POST 403   403    403   403  403    403  403  403    403  ok     404   404
transfer_new      GET,POST  403   403    ok    403  403    403  403  403    403  403    404   404
transfer_execute  GET,POST  403   403    ok    403  403    403  403  403    403  403    404   404
transfer_cancel   GET,POST  403   403    ok    403  403    403  403  403    403  403    404   404
case_transition   GET,POST  ok    403    403   ok   403    403  ok   ok     ok   403    404   404
step_final        GET,POST  ok    403    403   403  403    403  403  403    403  403    404   404
step_correct      GET,POST  ok    403    403   403  403    403  403  403    403  403    404   404
legal_assign      GET,POST  ok    403    403   ok   403    403  ok   403    403  403    404   404
audit_list        GET       403   403    403   403  ok     403  403  403    403  403    403   ok
audit_export      GET       403   403    403   403  ok     403  403  403    403  403    403   ok
person_audit      GET       403   403    403   403  ok     403  403  403    403  403    403   404
members           GET       403   403    403   403  403    ok   403  403    403  403    403   ok
member_new        GET,POST  403   403    403   403  403    ok   403  403    403  403    403   ok
member_detail     GET,POST  403   403    403   403  403    ok   403  403    403  403    403   404
api_tokens        GET,POST  ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     ok    ok
"""


def _parse(table: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    rows = [line.split() for line in table.strip().splitlines()]
    header, body = rows[0], rows[1:]
    assert header[2:] == USERS
    return {row[0]: (row[1].split(","), dict(zip(USERS, row[2:], strict=True))) for row in body}


MATRIX = _parse(TABLE)
# The pages of the table, app by app: name → (namespace, route).
PAGES = {
    pattern.name: (urls.app_name, pattern)
    for urls in (registry_urls, cases_urls, audit_urls, accounts_urls, token_urls)
    for pattern in urls.urlpatterns
}


def _url(name: str, kim, transfer) -> str:
    namespace, pattern = PAGES[name]
    kwargs = {}
    if "registry_number" in pattern.pattern.converters:
        kwargs["registry_number"] = kim.registry_number
    if "target" in pattern.pattern.converters:
        kwargs["target"] = "deceased"  # a death: its facts, then its confirmation
    if "pk" in pattern.pattern.converters:
        kwargs["pk"] = transfer.pk if name.startswith("transfer") else kim.case.governing_will_id
        if name.startswith("assessment"):
            kwargs["pk"] = kim.risk_assessments.order_by("pk").first().pk
        if name == "member_detail":
            kwargs["pk"] = User.objects.get(username="alice").pk
    return reverse(f"{namespace}:{name}", kwargs=kwargs)


# A random CSRF token now and then spells a short secret such as "Kim": leave tokens out.
_CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')


def _without_tokens(body: str) -> str:
    return _CSRF_TOKEN.sub("", body)


def check_matrix_row(
    name, url, methods, expected, people, login, secrets, data=None, users=USERS
) -> None:
    """Anonymous visitors are sent to log in; each user gets what the row says: ok (GET 200
    with the form's CSRF token where it has one, POST 200 or 302), or the refusal — and then
    nothing of the person's names or words on the page (IDOR)."""
    by_name = {user.username: user for user in vars(people).values()}
    mismatches = []
    for method in methods:
        anonymous = getattr(login(None), method.lower())(url)
        if anonymous.status_code != 302 or not anonymous.url.startswith(reverse("login")):
            mismatches.append(f"anonymous {method}: {anonymous.status_code}")
        for username in users:
            response = getattr(login(by_name[username]), method.lower())(url, data or {})
            want = expected[username]
            if want == "ok":
                good = response.status_code == 200 or (
                    method == "POST" and response.status_code == 302
                )
                if good and method == "GET" and "POST" in methods:
                    good = b'name="csrfmiddlewaretoken"' in response.content
            else:
                body = _without_tokens(response.content.decode())
                good = response.status_code == int(want) and not any(s in body for s in secrets)
            if not good:
                mismatches.append(f"{username} {method}: {response.status_code}, expected {want}")
    assert not mismatches, f"{name}: " + "; ".join(mismatches)


def _secrets(kim) -> list[str]:
    names = [part for n in kim.names.all() for part in (n.family_name, n.given_name) if part]
    return [*names, NEXT_OF_KIN_MARKER, STATEMENT_MARKER]


def test_the_matrix_covers_every_page_of_the_registry_cases_audit_and_accounts():
    assert set(PAGES) == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_page_admits_exactly_the_people_the_table_names(
    name, orgs, people, kim, scheduled, login
):
    kim.refresh_from_db()
    url = _url(name, kim, scheduled)
    # POSTs are empty (the form is shown again) except where empty would change who sees Kim.
    data = {"organisation": orgs.legal.pk} if name == "legal_assign" else {}
    methods, expected = MATRIX[name]
    check_matrix_row(name, url, methods, expected, people, login, _secrets(kim), data)


def test_forms_refuse_a_post_without_the_csrf_token(people, kim, login):
    client = login(people.registrar)
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("registry:person_edit", args=[kim.registry_number]), {})
    assert response.status_code == 403


def test_the_login_page_is_open_to_anonymous_visitors(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="login"' in response.content


def test_a_user_logs_in_and_out_through_the_forms(client, people):
    response = login_with_mfa(client, "alice")
    assert response.status_code == 302
    page = client.get(reverse("registry:person_list"))
    assert page.status_code == 200
    assert b'action="/logout/"' in page.content
    client.post(reverse("logout"))
    assert client.get(reverse("registry:person_list")).status_code == 302


# --- tracing pages (safepassage/tracing/urls.py) ----------------------------------------------
# Tracing requests: the Central Tracing Agency's staff only (vera; victor is a legal officer).
# Duplicates: registrars of the detaining power; oscar's own queue is empty, alice's pair is
# invisible to him (404).
TRACING_TABLE = """
url                methods   alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
request_list       GET       403   403    403   403  403    403  ok   403    403  403    403   403
request_new        GET,POST  403   403    403   403  403    403  ok   403    403  403    403   403
request_detail     GET       403   403    403   403  403    403  ok   403    403  403    403   403
request_search     POST      403   403    403   403  403    403  ok   403    403  403    403   403
candidate_confirm  GET,POST  403   403    403   403  403    403  ok   403    403  403    403   403
candidate_reject   GET,POST  403   403    403   403  403    403  ok   403    403  403    403   403
request_inform     GET,POST  403   403    403   403  403    403  ok   403    403  403    403   403
request_close      GET,POST  403   403    403   403  403    403  ok   403    403  403    403   403
duplicate_list     GET,POST  ok    403    403   403  403    403  403  403    403  403    403   ok
duplicate_detail   GET,POST  ok    403    403   403  403    403  403  403    403  403    403   404
duplicate_refresh_progress GET ok 403  403   403  403    403  403  403    403  403    403   404
"""
TRACING_MATRIX = _parse(TRACING_TABLE)


@pytest.fixture
def tracing_objects(people, kim):
    from safepassage.registry.services import NameInput, person_register
    from tests.tracing.tracing_data import mother_request, pair_of, propose

    request = mother_request(people.interviewer)
    candidate = propose(request, kim)
    twin = person_register(
        actor=people.registrar, names=[NameInput(family_name="Kim", given_name="Cholsu")]
    )
    from safepassage.tracing.models import DuplicateRefresh

    refresh = DuplicateRefresh.objects.create(
        organisation=people.registrar.organisation, requested_by=people.registrar
    )
    return {
        "request": request,
        "candidate": candidate,
        "pair": pair_of(kim, twin),
        "refresh": refresh,
    }


def test_the_tracing_matrix_covers_every_tracing_page():
    from safepassage.tracing import urls as tracing_urls

    assert {p.name for p in tracing_urls.urlpatterns} == set(TRACING_MATRIX)


@pytest.mark.parametrize("name", sorted(TRACING_MATRIX))
def test_each_tracing_page_admits_exactly_the_people_the_table_names(
    name, people, kim, tracing_objects, login
):
    kwargs = {}
    if name not in ("request_list", "request_new", "duplicate_list"):
        kind = "pair" if name.startswith("duplicate") else "request"
        kind = "refresh" if name == "duplicate_refresh_progress" else kind
        kwargs["pk"] = tracing_objects[kind].pk
    if name.startswith("candidate"):
        kwargs["candidate_pk"] = tracing_objects["candidate"].pk
    url = reverse(f"tracing:{name}", kwargs=kwargs)
    methods, expected = TRACING_MATRIX[name]
    check_matrix_row(name, url, methods, expected, people, login, _secrets(kim))


# --- exchange pages (safepassage/exchanges/urls.py) -------------------------------------------
# Agreements of alice's detaining power: its planner (petro) plans; its decision maker, its
# interviewer and the neutral verifier's staff see batches and reasons; interviewers record a
# refusal at the handover. oscar plans for his own power only: ours answer him 404.
EXCHANGE_TABLE = """
url                methods   alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
agreement_list     GET       403   ok     ok    ok   403    403  ok   ok     403  403    403   ok
agreement_new      GET,POST  403   403    ok    403  403    403  403  403    403  403    403   ok
agreement_detail   GET       404   ok     ok    ok   404    404  ok   ok     404  404    404   404
pool_add_registry  GET,POST  404   403    ok    403  404    404  403  403    404  404    404   404
proposal_import    GET,POST  404   403    ok    403  404    404  403  403    404  404    404   404
batch_plan         GET,POST  404   403    ok    403  404    404  403  403    404  404    404   404
candidate_edit     GET,POST  404   403    ok    403  404    404  403  403    404  404    404   404
batch_detail       GET       404   ok     ok    ok   404    404  ok   ok     404  404    404   404
batch_replan       GET,POST  404   403    ok    403  404    404  403  403    404  404    404   404
batch_step         GET,POST  404   403    ok    403  404    404  403  403    404  404    404   404
manifest_csv       GET       404   ok     ok    ok   404    404  ok   ok     404  404    404   404
manifest_pdf       GET       404   ok     ok    ok   404    404  ok   ok     404  404    404   404
entry_handover     GET,POST  404   403    ok    403  404    404  403  403    404  404    404   404
entry_remove       GET,POST  404   403    ok    403  404    404  403  403    404  404    404   404
entry_refusal      GET,POST  404   403    403   ok   404    404  ok   403    404  404    404   404
"""
EXCHANGE_MATRIX = _parse(EXCHANGE_TABLE)


@pytest.fixture
def exchange_objects(people):
    from safepassage.exchanges import services
    from tests.exchanges.builders import agreement, returning, theirs

    returning(people)
    agreement(people, title="An earlier agreement")  # so agreement and batch ids differ
    deal = agreement(people)
    services.pool_add_registry(actor=people.planner, agreement=deal)
    other = theirs(deal, people.planner, "T1")
    batch = services.batch_plan(actor=people.planner, agreement=deal)
    for target in ("proposed", "agreed"):
        services.batch_step(actor=people.planner, batch=batch, target=target, reason="Done.")
    return {"agreement": deal, "batch": batch, "candidate": other,
            "entry": batch.entries.get(side="ours")}  # fmt: skip


def test_the_exchange_matrix_covers_every_exchange_page():
    from safepassage.exchanges import urls as exchange_urls

    assert {p.name for p in exchange_urls.urlpatterns} == set(EXCHANGE_MATRIX)


@pytest.mark.parametrize("name", sorted(EXCHANGE_MATRIX))
def test_each_exchange_page_admits_exactly_the_people_the_table_names(
    name, people, kim, exchange_objects, login
):
    from safepassage.exchanges import urls as exchange_urls

    pattern = next(p for p in exchange_urls.urlpatterns if p.name == name)
    kwargs = {}
    if "pk" in pattern.pattern.converters:
        owner = {"batch": "batch", "manifest": "batch", "entry": "entry", "candidate": "candidate"}
        kind = "agreement" if name == "batch_plan" else owner.get(name.split("_")[0], "agreement")
        kwargs["pk"] = exchange_objects[kind].pk
    if "target" in pattern.pattern.converters:
        kwargs["target"] = "cancelled"
    url = reverse(f"exchanges:{name}", kwargs=kwargs)
    methods, expected = EXCHANGE_MATRIX[name]
    check_matrix_row(name, url, methods, expected, people, login, _secrets(kim))
