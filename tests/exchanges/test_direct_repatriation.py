"""A man a commission found eligible for direct repatriation, who consented, goes on the next
batch whatever the ratio; never one who refuses or is undecided. The guard still decides."""

import pytest

from safepassage.exchanges import services
from safepassage.medical.models import ConsentAnswer
from tests.cases.builders import awaiting_interview
from tests.exchanges.builders import ORIGIN, TRANSIT, agreement, returning, theirs
from tests.factories import assess
from tests.medical.builders import answered, commission, examined


@pytest.fixture
def board(people, medics):
    return commission(people, medics)


def _wounded(people, medics, board, answer):
    person = awaiting_interview(people, nationalities=(ORIGIN,),
                                health_status="seriously_wounded_or_sick")  # fmt: skip
    examination = examined(medics, board, person)
    if answer is not None:
        answered(people, examination, answer)
    assess(people.legal_officer, person, TRANSIT)
    return person


def _plan(people, *, max_per_side=1, theirs_count=1):
    deal = agreement(people, max_per_side=max_per_side)
    services.pool_add_registry(actor=people.planner, agreement=deal)
    for i in range(theirs_count):
        theirs(deal, people.planner, f"T{i}")
    return services.batch_plan(actor=people.planner, agreement=deal)


def _planned(batch) -> set[int]:
    return {e.person_id for e in batch.entries.all() if e.person_id}


def test_a_consenting_eligible_man_is_planned_though_the_ratio_leaves_no_room(people, medics,
                                                                              board):  # fmt: skip
    first, second = returning(people), returning(people)
    wounded = _wounded(people, medics, board, ConsentAnswer.CONSENTS)
    batch = _plan(people, max_per_side=1, theirs_count=1)
    planned = _planned(batch)
    assert wounded.pk in planned
    # The ratio 1:1 and the maximum of one per side still hold for everyone else.
    assert len(planned & {first.pk, second.pk}) == 1
    assert batch.entries.filter(side="theirs").count() == 1


@pytest.mark.parametrize("answer", [None, ConsentAnswer.UNDECIDED, ConsentAnswer.REFUSES])
def test_one_who_refuses_or_is_undecided_or_was_not_asked_is_not_on_the_track(
    people, medics, board, answer
):
    returning(people)
    wounded = _wounded(people, medics, board, answer)
    batch = _plan(people)
    assert wounded.pk not in _planned(batch)


def test_the_guard_still_decides_for_a_man_on_the_track(people, medics, board):
    wounded = _wounded(people, medics, board, ConsentAnswer.CONSENTS)
    assess(people.legal_officer, wounded, TRANSIT, onward="high")
    batch = _plan(people)
    assert wounded.pk not in _planned(batch)
    assert batch.exclusions.filter(candidate__person=wounded).exists()
