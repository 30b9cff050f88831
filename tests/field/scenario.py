"""A visit ready to be packaged: a place of the detaining power, a man awaiting his private
interview held there, and the verifier's team (an interviewer and an interpreter), under way."""

import datetime

from django.utils import timezone

from safepassage.cases.models import CaseState
from safepassage.visits import services
from safepassage.visits.models import TeamRole, VisitState
from tests.factories import register, step

MARKER = "FIELD-MARKER-7f3a I will not go back"


def visit_ready(registrar, interviewer):
    person = register(
        registrar, family="리", given="영호", internment_place="Camp West-3", languages="ko, ru"
    )
    step(registrar, person, CaseState.NOTIFIED)
    step(registrar, person, CaseState.AWAITING_INTERVIEW)
    person.refresh_from_db()
    today = timezone.localdate()
    visit = services.visit_plan(
        actor=interviewer, place=person.place, starts_on=today,
        ends_on=today + datetime.timedelta(days=3),
        team=[
            services.TeamInput(role=TeamRole.INTERVIEWER, user=interviewer),
            services.TeamInput(role=TeamRole.INTERPRETER, name="Kim Interpreter",
                               affiliation="verifier"),
        ],
    )  # fmt: skip
    for target in (VisitState.ANNOUNCED, VisitState.UNDER_WAY):
        visit = services.visit_step(actor=interviewer, visit=visit, target=target)
    services.visit_list_build(actor=interviewer, visit=visit)
    return visit, person
