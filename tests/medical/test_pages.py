"""Who may open and submit every medical page, checked for every user, dora and nadia (the two
doctors) and an anonymous visitor; and what each reads of the findings."""

import pytest
from django.urls import reverse

from safepassage.medical import urls as medical_urls
from tests.factories import drive_to_decision
from tests.medical.builders import FINDINGS_MARKER, examined
from tests.web.test_permissions import USERS, _without_tokens

MEDICS = ["dora", "nadia"]
EVERYONE = [*USERS, *MEDICS]

# ok: GET 200 (with the form's CSRF token), POST 200 or 302. 403: not allowed. 404: invisible.
# Kim is held by alice's detaining power, represented by lena's NGO, and asks for KR (minjun's
# state), which he has not agreed may read his medical record; a commission of nadia, a
# colleague and dora found him eligible for direct repatriation.
TABLE = """
url               methods  alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
commission_list   GET      403   ok     403   403  403    403  ok   403    403  403    403   ok
commission_new    GET,POST 403   403    403   403  403    403  403  403    403  403    403   403
commission_detail GET      404   ok     404   404  404    404  ok   404    404  404    404   404
person_track      GET      ok    ok     ok    404  404    404  ok   ok     ok   404    404   404
presentation_new  GET,POST 403   403    403   404  404    404  403  403    403  404    404   404
examination_new   GET,POST 403   403    403   404  404    404  403  403    403  404    404   404
consent_new       GET,POST 403   403    403   404  404    404  ok   403    403  404    404   404
"""
# The two doctors, row by row as above.
MEDICS_TABLE = """
url               dora nadia
commission_list   ok   ok
commission_new    403  ok
commission_detail ok   ok
person_track      ok   ok
presentation_new  ok   ok
examination_new   ok   ok
consent_new       403  403
"""


def _parse(table: str, medics: str) -> dict[str, tuple[list[str], dict[str, str]]]:
    rows = [line.split() for line in table.strip().splitlines()]
    extra = {r[0]: r[1:] for r in (line.split() for line in medics.strip().splitlines())}
    assert rows[0][2:] == USERS and extra["url"] == MEDICS
    rows = [[*r, *extra[r[0]]] for r in rows]
    return {r[0]: (r[1].split(","), dict(zip(EVERYONE, r[2:], strict=True))) for r in rows[1:]}


MATRIX = _parse(TABLE, MEDICS_TABLE)


@pytest.fixture
def examined_kim(people, medics, board, kim):
    drive_to_decision(people, kim, "KR")
    return examined(medics, board, kim)


def _url(name: str, examination) -> str:
    pattern = next(p for p in medical_urls.urlpatterns if p.name == name)
    kwargs = {}
    if "registry_number" in pattern.pattern.converters:
        kwargs["registry_number"] = examination.person.registry_number
    if "pk" in pattern.pattern.converters:
        kwargs["pk"] = examination.pk if name == "consent_new" else examination.commission_id
    return reverse(f"medical:{name}", kwargs=kwargs)


def test_the_matrix_covers_every_medical_page():
    assert {p.name for p in medical_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_medical_page_admits_exactly_the_people_the_table_names(
    name, people, medics, examined_kim, login
):
    methods, expected = MATRIX[name]
    users = {u.username: u for u in [*vars(people).values(), *vars(medics).values()]}
    person = examined_kim.person
    secrets = [n.family_name for n in person.names.all()] + [FINDINGS_MARKER]
    url = _url(name, examined_kim)
    wrong = []
    for method in methods:
        anonymous = getattr(login(None), method.lower())(url)
        if anonymous.status_code != 302:
            wrong.append(f"anonymous {method}: {anonymous.status_code}")
        for username in EVERYONE:
            response = getattr(login(users[username]), method.lower())(url, {})
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
                wrong.append(f"{username} {method}: {response.status_code}, expected {want}")
    assert not wrong, f"{name}: " + "; ".join(wrong)


@pytest.mark.parametrize(
    ("who", "reads"),
    [("nadia", True), ("dora", True), ("vera", True), ("lena", True), ("petro", False),
     ("dmitro", False), ("alice", False)],
)  # fmt: skip
def test_the_findings_are_read_by_the_commission_the_verifier_and_his_representative_only(
    who, reads, people, medics, examined_kim, login
):
    users = {u.username: u for u in [*vars(people).values(), *vars(medics).values()]}
    page = login(users[who]).get(_url("person_track", examined_kim)).content.decode()
    assert "Direct repatriation" in page  # the category: the planners' too
    assert (FINDINGS_MARKER in page) is reads


def test_a_receiving_state_reads_his_track_once_he_agrees_to_share_it(
    people, medics, examined_kim, login
):
    from safepassage.medical.models import ConsentAnswer
    from tests.medical.builders import answered

    client = login(people.receiving_officer)
    assert client.get(_url("person_track", examined_kim)).status_code == 404
    answered(people, examined_kim, ConsentAnswer.REFUSES, preferred=["KR"], share=True)
    page = client.get(_url("person_track", examined_kim)).content.decode()
    assert FINDINGS_MARKER in page
