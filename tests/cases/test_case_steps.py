"""The steps a reader may take on a case, answered once for the person page, the step form and
the API."""

import pytest
from django.core.exceptions import PermissionDenied

from safepassage.cases.models import CaseState
from safepassage.cases.selectors import case_steps_for
from tests.factories import drive_to_decision, register

pytestmark = pytest.mark.django_db


def test_the_registrar_may_notify_a_new_case_but_not_decide_it(people):
    kim = register(people.registrar)
    steps = case_steps_for(actor=people.registrar, person=kim)
    assert CaseState.NOTIFIED in [t.target for t in steps.plain]
    assert CaseState.DECIDED not in [t.target for t in steps.plain]
    assert steps.plain_steps_require() == steps.plain
    assert not (steps.may_decide or steps.may_accept or steps.may_schedule or steps.may_execute)
    assert steps.scheduled is None


def test_someone_whose_roles_take_no_plain_step_is_refused_the_step_form(people):
    kim = register(people.registrar)
    steps = case_steps_for(actor=people.planner, person=kim)
    assert not steps.may_take_plain_steps
    with pytest.raises(PermissionDenied):
        steps.plain_steps_require()


def test_after_a_decision_the_receiving_state_may_accept_and_nobody_else(people):
    kim = register(people.registrar)
    drive_to_decision(people, kim)
    kim.refresh_from_db()
    assert case_steps_for(actor=people.receiving_officer, person=kim).may_accept
    assert not case_steps_for(actor=people.planner, person=kim).may_accept
    assert not case_steps_for(actor=people.decision_maker, person=kim).may_decide
