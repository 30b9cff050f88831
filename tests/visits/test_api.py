"""The visits API: planning with a list, what each reader gets of a visit, interviews and the
queue filters."""

import pytest
from django.urls import reverse

from safepassage.cases.models import CaseState
from safepassage.visits.models import SeeReason, Visit, VisitState
from tests.factories import step
from tests.visits.builders import today


@pytest.fixture
def waiting_kim(people, kim):
    step(people.registrar, kim, CaseState.NOTIFIED)
    step(people.registrar, kim, CaseState.AWAITING_INTERVIEW)
    return kim


def _plan(api, people, kim, **extra):
    body = {
        "place": kim.place_id, "starts_on": str(today()), "ends_on": str(today()),
        "team": [{"role": "interviewer", "user": people.interviewer.pk},
                 {"role": "interpreter", "name": "Anna K.", "affiliation": "verifier"}],
        **extra,
    }  # fmt: skip
    return api(people.interviewer).post(reverse("api:visit-list"), body, format="json")


def test_the_verifier_plans_a_visit_with_its_list(api, people, waiting_kim):
    response = _plan(api, people, waiting_kim, to_see=[])
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["state"] == VisitState.PLANNED
    assert data["to_see"] == [
        {"person": waiting_kim.pk, "registry_number": waiting_kim.registry_number,
         "reason": SeeReason.AWAITING_INTERVIEW}
    ]  # fmt: skip
    assert {m["role"] for m in data["team"]} == {"interviewer", "interpreter"}


def test_the_detaining_power_reads_dates_and_state_but_not_team_list_or_report(
    api, people, waiting_kim
):
    visit_id = _plan(api, people, waiting_kim, to_see=[]).json()["id"]
    data = api(people.registrar).get(reverse("api:visit-detail", args=[visit_id])).json()
    assert data["starts_on"] == str(today()) and data["state"] == VisitState.PLANNED
    assert data["team"] is None and data["to_see"] is None and data["report"] is None
    interviews = api(people.registrar).get(reverse("api:visit-interviews", args=[visit_id]))
    assert interviews.status_code == 403


def _under_way(api, people, visit_id):
    for target in (VisitState.ANNOUNCED, VisitState.UNDER_WAY):
        response = api(people.interviewer).post(
            reverse("api:visit-transition", args=[visit_id]), {"target": target}, format="json"
        )
        assert response.status_code == 200, response.content


def test_an_interview_with_his_wish_records_his_verified_will(api, people, waiting_kim):
    visit_id = _plan(api, people, waiting_kim).json()["id"]
    _under_way(api, people, visit_id)
    url = reverse("api:visit-interviews", args=[visit_id])
    body = {
        "person": waiting_kim.pk, "outcome": "interviewed", "held_on": str(today()),
        "setting": "private", "interpreter": "Anna K.", "interpreter_affiliation": "verifier",
        "wish": "named_states", "destinations_preferred": ["KR"], "certainty": 80,
    }  # fmt: skip
    response = api(people.interviewer).post(url, body, format="json")
    assert response.status_code == 201, response.content
    will = waiting_kim.will_expressions.get()
    assert response.json()["will_expression"] == will.pk
    assert will.verified and will.expressed_on == today()


def test_the_filters_give_the_next_visit_and_the_interviews_to_finalise(api, people, waiting_kim):
    visit_id = _plan(api, people, waiting_kim).json()["id"]
    later = Visit.objects.get(pk=visit_id)
    _under_way(api, people, visit_id)
    url = reverse("api:visit-interviews", args=[visit_id])
    body = {"person": waiting_kim.pk, "outcome": "interviewed", "held_on": str(today()),
            "setting": "private"}  # fmt: skip
    assert api(people.interviewer).post(url, body, format="json").status_code == 201
    client = api(people.interviewer)
    nexts = client.get(reverse("api:visit-list"), {"queue": "next"}).json()["results"]
    assert [v["id"] for v in nexts] == [later.pk]
    waiting = client.get(url, {"to_finalise": "true"}).json()["results"]
    assert [i["person"] for i in waiting] == [waiting_kim.pk]


def test_an_outsider_gets_no_visit(api, people, waiting_kim):
    visit_id = _plan(api, people, waiting_kim).json()["id"]
    client = api(people.outsider)
    assert client.get(reverse("api:visit-detail", args=[visit_id])).status_code == 404
    assert client.get(reverse("api:visit-list")).json()["results"] == []
    assert client.get(reverse("api:place-list")).json()["results"] == []
