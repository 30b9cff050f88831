"""The home page: every user lands there after login, and finds the queues of his roles with
their counts, oldest cases first; an empty queue says what empty means."""

import pytest
from django.urls import reverse

from safepassage.work import urls as work_urls
from tests.cases.builders import in_legal_assessment
from tests.factories import login_with_mfa
from tests.web.test_permissions import _parse, _secrets, check_matrix_row

# ok: GET 200, for everyone: each sees the queues of his own roles over the persons he may see.
TABLE = """
url   methods  alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
home  GET      ok    ok     ok    ok   ok     ok   ok   ok     ok   ok     ok    ok
"""
MATRIX = _parse(TABLE)


def test_the_matrix_covers_every_page_of_the_home_app():
    assert {p.name for p in work_urls.urlpatterns} == set(MATRIX)


def test_the_home_page_admits_every_user_and_shows_no_one_elses_person(people, kim, login):
    in_legal_assessment(people)
    methods, expected = MATRIX["home"]
    check_matrix_row("home", reverse("work:home"), methods, expected, people, login, _secrets(kim))


def test_login_lands_on_the_home_page(client, people):
    response = login_with_mfa(client, "dmitro")
    assert response.status_code == 302 and response.url == reverse("work:home")


def test_the_decision_maker_finds_the_case_to_decide_with_its_days_waiting(people, login):
    person = in_legal_assessment(people)
    html = login(people.decision_maker).get(reverse("work:home")).content.decode()
    assert "To decide" in html
    assert person.registry_number in html
    assert "0 days waiting" in html
    # The registry list is one click away, at its own address.
    assert reverse("registry:person_list") in html and reverse("registry:person_list") != "/"


def test_an_empty_queue_says_what_empty_means(people, login):
    html = login(people.receiving_officer).get(reverse("work:home")).content.decode()
    assert "No decided transfer to your state waits for your acceptance." in html


def test_a_role_without_queues_is_told_where_its_work_is(people, login):
    html = login(people.auditor).get(reverse("work:home")).content.decode()
    assert "no work queue is yours" in html


@pytest.mark.parametrize("who", ["registrar", "interviewer", "decision_maker", "planner"])
def test_the_home_page_makes_the_same_queries_for_1_or_5_waiting_cases(who, people, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(getattr(people, who))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("work:home")).status_code == 200
        return len(captured)

    in_legal_assessment(people)
    few = count()
    for _ in range(4):
        in_legal_assessment(people)
    assert count() == few


def test_the_verifier_finds_the_men_to_be_seen_under_their_place(people, login):
    from tests.cases.builders import awaiting_interview

    person = awaiting_interview(people, internment_place="Camp No. 7")
    html = login(people.interviewer).get(reverse("work:home")).content.decode()
    section = html.split('id="queue-to_be_seen"')[1].split("</section>\n</section>")[0]
    assert "Camp No. 7" in section and person.registry_number in section
    assert section.index("Camp No. 7") < section.index(person.registry_number)
