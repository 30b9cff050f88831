"""Who may open and submit every page of places and visits, checked for every user; and what
the detaining power and an outsider see of a visit."""

import pytest
from django.urls import reverse

from safepassage.visits import services
from safepassage.visits import urls as visit_urls
from safepassage.visits.models import TeamRole, VisitState
from tests.factories import step
from tests.visits.builders import private_interview, today
from tests.web.test_permissions import USERS, _parse, _secrets, check_matrix_row

TABLE = """
url              methods   alice dmitro petro ivan audrey adam vera victor lena minjun bruno oscar
place_list       GET       ok    ok     403   ok   403    403  ok   403    403  403    403   ok
place_detail     GET       ok    ok     404   ok   404    404  ok   404    404  404    404   404
visit_list       GET       ok    ok     403   403  403    403  ok   403    403  403    403   ok
visit_new        GET,POST  403   403    403   403  403    403  ok   403    403  403    403   403
visit_detail     GET       ok    ok     404   404  404    404  ok   404    404  404    404   404
visit_team_add   GET,POST  403   403    404   404  404    404  ok   404    404  404    404   404
visit_list_build GET,POST  403   403    404   404  404    404  ok   404    404  404    404   404
visit_report     GET,POST  403   403    404   404  404    404  ok   404    404  404    404   404
visit_step       GET,POST  403   403    404   404  404    404  ok   404    404  404    404   404
interview_new    GET,POST  403   403    404   404  404    404  ok   404    404  404    404   404
"""
MATRIX = _parse(TABLE)
assert USERS


@pytest.fixture
def visit(people, kim):
    """The verifier's visit to Kim's camp, announced to alice's detaining power."""
    planned = services.visit_plan(
        actor=people.interviewer, place=kim.place, starts_on=today(), ends_on=today(),
        team=[services.TeamInput(role=TeamRole.INTERVIEWER, user=people.interviewer)],
    )  # fmt: skip
    return services.visit_step(actor=people.interviewer, visit=planned, target=VisitState.ANNOUNCED)


def _url(name, visit) -> str:
    pattern = next(p for p in visit_urls.urlpatterns if p.name == name)
    kwargs = {}
    if "pk" in pattern.pattern.converters:
        kwargs["pk"] = visit.place_id if name.startswith("place") else visit.pk
    if "target" in pattern.pattern.converters:
        kwargs["target"] = VisitState.UNDER_WAY
    return reverse(f"visits:{name}", kwargs=kwargs)


def test_the_matrix_covers_every_page_of_visits():
    assert {p.name for p in visit_urls.urlpatterns} == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_visit_page_admits_exactly_the_people_the_table_names(name, people, kim, visit, login):
    methods, expected = MATRIX[name]
    check_matrix_row(name, _url(name, visit), methods, expected, people, login, _secrets(kim))


REPORT = "REPORT-MARKER-water-supply-4471"


@pytest.fixture
def shared(people, kim, visit):
    """Kim interviewed on the visit, its report written and shared."""
    step(people.registrar, kim, "notified")
    step(people.registrar, kim, "awaiting_interview")
    visit = services.visit_step(actor=people.interviewer, visit=visit, target=VisitState.UNDER_WAY)
    private_interview(people, visit, kim, will=False)
    visit = services.visit_step(actor=people.interviewer, visit=visit, target=VisitState.COMPLETED)
    services.visit_report_write(actor=people.interviewer, visit=visit, report=REPORT)
    return services.visit_step(
        actor=people.interviewer, visit=visit, target=VisitState.REPORT_SHARED
    )


def test_the_detaining_power_sees_dates_place_and_report_but_no_interview(
    people, kim, shared, login
):
    html = login(people.registrar).get(_url("visit_detail", shared)).content.decode()
    assert REPORT in html and shared.place.name in html
    assert kim.registry_number not in html
    assert "Interviewed" not in html and "Anna K." not in html


def test_the_detaining_power_does_not_see_the_report_before_it_is_shared(people, kim, visit, login):
    visit = services.visit_step(actor=people.interviewer, visit=visit, target=VisitState.UNDER_WAY)
    services.visit_report_write(actor=people.interviewer, visit=visit, report=REPORT)
    assert REPORT not in login(people.registrar).get(_url("visit_detail", visit)).content.decode()
    assert REPORT in login(people.interviewer).get(_url("visit_detail", visit)).content.decode()


def test_the_verifier_sees_the_interviews_of_his_visit(people, kim, shared, login):
    html = login(people.interviewer).get(_url("visit_detail", shared)).content.decode()
    assert kim.registry_number in html and "Interviewed" in html


def test_an_outsider_sees_nothing_of_the_visit(people, shared, login):
    client = login(people.outsider)
    assert client.get(_url("visit_detail", shared)).status_code == 404
    assert REPORT not in client.get(_url("visit_list", shared)).content.decode()
    assert shared.place.name not in client.get(_url("place_list", shared)).content.decode()


def test_the_home_page_shows_the_next_visit_and_the_interviews_to_finalise(
    people, kim, visit, login
):
    services.visit_list_build(actor=people.interviewer, visit=visit)
    step(people.registrar, kim, "notified")
    step(people.registrar, kim, "awaiting_interview")
    services.visit_list_build(actor=people.interviewer, visit=visit)
    visit = services.visit_step(actor=people.interviewer, visit=visit, target=VisitState.UNDER_WAY)
    private_interview(people, visit, kim, will=False)
    html = login(people.interviewer).get(reverse("work:home")).content.decode()
    assert 'id="queue-next_visit"' in html and 'id="queue-visit_interviews_to_finalise"' in html
    assert kim.registry_number in html
    assert (
        'id="queue-next_visit"'
        not in login(people.registrar).get(reverse("work:home")).content.decode()
    )


def test_the_visit_and_place_lists_ask_the_same_queries_for_one_visit_or_many(
    people, kim, visit, login, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login(people.interviewer)
    for name in ("visit_list", "place_list"):
        with CaptureQueriesContext(connection) as one:
            client.get(_url(name, visit))
        for _ in range(4):
            services.visit_plan(
                actor=people.interviewer, place=kim.place, starts_on=today(), ends_on=today()
            )
        with django_assert_num_queries(len(one.captured_queries)):
            client.get(_url(name, visit))


def test_the_detaining_power_knows_nothing_of_a_visit_not_yet_announced(people, kim, login):
    planned = services.visit_plan(
        actor=people.interviewer, place=kim.place, starts_on=today(), ends_on=today()
    )
    client = login(people.registrar)
    assert client.get(_url("visit_detail", planned)).status_code == 404
    listed = client.get(_url("visit_list", planned)).content.decode()
    assert reverse("visits:visit_detail", args=[planned.pk]) not in listed


def test_the_interview_form_starts_on_today_and_keeps_his_words_out_of_error_reports(
    people, visit, login
):
    client = login(people.interviewer)
    url = reverse("visits:interview_new", args=[visit.pk])
    form = client.get(url).context["form"]
    assert form["held_on"].value() == today()
    posted = client.post(url, {"outcome": "interviewed", "statement": "I will not go back"})
    assert posted.wsgi_request.sensitive_post_parameters == "__ALL__"


@pytest.mark.parametrize("name", ["visit_new", "visit_team_add"])
def test_a_choice_left_empty_says_so_in_every_language(name, people, visit, login):
    client = login(people.interviewer)
    client.cookies["django_language"] = "ko"
    page = client.get(_url(name, visit)).content.decode()
    assert 'lang="ko"' in page and "Select an option" not in page
    assert '<option value="" selected>—</option>' in page


def test_on_the_field_laptop_the_visit_page_offers_interviews_only(people, visit, login, settings):
    under_way = services.visit_step(
        actor=people.interviewer, visit=visit, target=VisitState.UNDER_WAY
    )
    at_the_centre = login(people.interviewer).get(_url("visit_detail", under_way)).content.decode()
    settings.FIELD_MODE = True
    html = login(people.interviewer).get(_url("visit_detail", under_way)).content.decode()
    assert reverse("visits:interview_new", args=[under_way.pk]) in html
    for name in ("visit_team_add", "visit_list_build", "visit_report"):
        link = reverse(f"visits:{name}", args=[under_way.pk])
        assert link in at_the_centre and link not in html, name
    assert "/step/" in at_the_centre and "/step/" not in html
