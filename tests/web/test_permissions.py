"""Who may open and submit every page: an explicit table, checked for every user and anonymous."""

import pytest
from django.urls import reverse

from safepassage.web import urls as web_urls

USERS = ["alice", "dmitro", "petro", "ivan", "audrey", "adam", "vera", "victor", "lena", "minjun",
         "bruno", "oscar"]  # fmt: skip

# ok: GET 200, POST 200 (form re-shown) or 302 (done). 403: not allowed. 404: person invisible.
# api_tokens: everyone manages his own tokens (tests/api/test_tokens.py: only his own).
# bruno (another receiving state) and oscar (another detaining power, every role) cannot see Kim.
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
decision_new      GET,POST  403   ok     403   403  403    403  403  403    403  403    404   404
acceptance_new    GET,POST  403   403    403   403  403    403  403  403    403  ok     404   404
transfer_new      GET,POST  403   403    ok    403  403    403  403  403    403  403    404   404
transfer_execute  GET,POST  403   403    ok    403  403    403  403  403    403  403    404   404
transfer_cancel   GET,POST  403   403    ok    403  403    403  403  403    403  403    404   404
case_transition   GET,POST  ok    403    403   ok   403    403  ok   ok     ok   403    404   404
legal_assign      GET,POST  ok    403    403   ok   403    403  ok   403    403  403    404   404
audit_list        GET       403   403    403   403  ok     403  403  403    403  403    403   ok
members           GET       403   403    403   403  403    ok   403  403    403  403    403   ok
api_tokens        GET,POST  ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     ok    ok
"""


def _parse(table: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    rows = [line.split() for line in table.strip().splitlines()]
    header, body = rows[0], rows[1:]
    assert header[2:] == USERS
    return {row[0]: (row[1].split(","), dict(zip(USERS, row[2:], strict=True))) for row in body}


MATRIX = _parse(TABLE)


def _url(name: str, kim, transfer) -> str:
    pattern = next(p for p in web_urls.urlpatterns if p.name == name)
    kwargs = {}
    if "registry_number" in pattern.pattern.converters:
        kwargs["registry_number"] = kim.registry_number
    if "pk" in pattern.pattern.converters:
        kwargs["pk"] = transfer.pk if name.startswith("transfer") else kim.case.governing_will_id
    return reverse(f"web:{name}", kwargs=kwargs)


def test_the_matrix_covers_every_url_of_the_web_ui():
    assert {p.name for p in web_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_page_admits_exactly_the_people_the_table_names(
    name, orgs, people, kim, scheduled, login
):
    kim.refresh_from_db()
    url = _url(name, kim, scheduled)
    # POSTs are empty (the form is shown again) except where empty would change who sees Kim.
    data = {"organisation": orgs.legal.pk} if name == "legal_assign" else {}
    methods, expected = MATRIX[name]
    by_name = {user.username: user for user in vars(people).values()}
    mismatches = []
    for method in methods:
        anonymous = getattr(login(None), method.lower())(url)
        if anonymous.status_code != 302 or not anonymous.url.startswith(reverse("login")):
            mismatches.append(f"anonymous {method}: {anonymous.status_code}")
        for username in USERS:
            response = getattr(login(by_name[username]), method.lower())(url, data)
            want = expected[username]
            if want == "ok":
                good = response.status_code == 200 or (
                    method == "POST" and response.status_code == 302
                )
                if good and method == "GET" and "POST" in methods:
                    good = b'name="csrfmiddlewaretoken"' in response.content
            else:
                good = response.status_code == int(want)
            if not good:
                mismatches.append(f"{username} {method}: {response.status_code}, expected {want}")
    assert not mismatches, f"{name}: " + "; ".join(mismatches)


def test_forms_refuse_a_post_without_the_csrf_token(people, kim, login):
    client = login(people.registrar)
    client.handler.enforce_csrf_checks = True
    response = client.post(reverse("web:person_edit", args=[kim.registry_number]), {})
    assert response.status_code == 403


def test_the_login_page_is_open_to_anonymous_visitors(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b'name="username"' in response.content


def test_a_user_logs_in_and_out_through_the_forms(client, people):
    response = client.post(
        reverse("login"), {"username": "alice", "password": "correct-horse-battery-staple"}
    )
    assert response.status_code == 302
    page = client.get(reverse("web:person_list"))
    assert page.status_code == 200
    assert b'action="/logout/"' in page.content
    client.post(reverse("logout"))
    assert client.get(reverse("web:person_list")).status_code == 302
