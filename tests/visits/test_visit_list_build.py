"""The list of persons to see on a visit: everyone at the place, or those with a reason, each
with why he is listed."""

import datetime

import pytest

from safepassage.cases.models import CaseState
from safepassage.lib.errors import DomainError
from safepassage.visits import services
from safepassage.visits.models import SeeReason
from tests.factories import record_will, register, step
from tests.visits.builders import CAMP, man_at_the_camp, planned

R = SeeReason


def _listed(visit) -> dict[str, str]:
    return {row.person.registry_number: row.reason for row in visit.to_see.all()}


@pytest.fixture
def camp(people):
    """Four men at the camp: one awaiting his interview, one whose will is old, one whose later
    statement contradicts his will, one seen lately; one elsewhere; one released."""
    waiting = man_at_the_camp(people)
    old = man_at_the_camp(people)
    record_will(people.interviewer, old)
    old.will_expressions.update(expressed_on=datetime.date(2020, 1, 1))
    flagged = man_at_the_camp(people)
    record_will(people.interviewer, flagged)
    record_will(people.interviewer, flagged, preferred=("BR",), verified=False)
    flagged.will_expressions.filter(verified=True).update(expressed_on=datetime.date(2024, 1, 1))
    recent = man_at_the_camp(people)
    record_will(people.interviewer, recent)
    register(people.registrar, internment_place="Another camp")
    released = man_at_the_camp(people)
    step(people.registrar, released, CaseState.RELEASED)
    return {"waiting": waiting, "old": old, "flagged": flagged, "recent": recent,
            "place": waiting.place}  # fmt: skip


def test_everyone_at_the_place_is_listed_with_his_most_pressing_reason(people, camp):
    visit = planned(people, camp["place"])
    services.visit_list_build(actor=people.interviewer, visit=visit)
    assert _listed(visit) == {
        camp["waiting"].registry_number: R.AWAITING_INTERVIEW,
        camp["old"].registry_number: R.FOLLOW_UP_DUE,
        camp["flagged"].registry_number: R.LATER_STATEMENT,
        camp["recent"].registry_number: R.AT_THE_PLACE,
    }


def test_a_chosen_reason_lists_only_those_it_names(people, camp):
    visit = planned(people, camp["place"])
    services.visit_list_build(
        actor=people.interviewer, visit=visit, reasons=[R.FOLLOW_UP_DUE, R.LATER_STATEMENT]
    )
    assert set(_listed(visit)) == {camp["old"].registry_number, camp["flagged"].registry_number}


def test_building_again_replaces_the_list(people, camp):
    visit = planned(people, camp["place"])
    services.visit_list_build(actor=people.interviewer, visit=visit)
    services.visit_list_build(actor=people.interviewer, visit=visit, reasons=[R.AWAITING_INTERVIEW])
    assert list(_listed(visit)) == [camp["waiting"].registry_number]


def test_it_refuses_a_reason_that_is_no_choice(people, camp):
    visit = planned(people, camp["place"])
    with pytest.raises(DomainError):
        services.visit_list_build(actor=people.interviewer, visit=visit, reasons=[R.AT_THE_PLACE])


def test_a_man_moved_away_is_no_longer_listed(people, camp):
    from safepassage.registry.services import person_update

    waiting = camp["waiting"]
    person_update(
        actor=people.registrar, person=waiting, expected_version=waiting.version,
        internment_place="Elsewhere",
    )  # fmt: skip
    visit = planned(people, camp["place"])
    services.visit_list_build(actor=people.interviewer, visit=visit)
    assert waiting.registry_number not in _listed(visit)
    assert camp["place"].name == CAMP
