"""Places, visits and interviews for the visits tests, made through the services."""

import datetime

from django.utils import timezone

from safepassage.cases.models import InterviewSetting, Wish
from safepassage.visits import services
from safepassage.visits.models import TeamRole, VisitState
from tests.cases.builders import awaiting_interview

CAMP = "Prisoner-of-war camp No. 1, Lviv region"


def today() -> datetime.date:
    return timezone.localdate()


def man_at_the_camp(people, **fields):
    """A man registered at the camp, waiting for the verifier's private interview."""
    return awaiting_interview(people, internment_place=CAMP, **fields)


def planned(people, place, *, starts_on=None, ends_on=None):
    starts_on = starts_on or today()
    return services.visit_plan(
        actor=people.interviewer, place=place, starts_on=starts_on,
        ends_on=ends_on or starts_on + datetime.timedelta(days=3),
        team=[
            services.TeamInput(role=TeamRole.INTERVIEWER, user=people.interviewer),
            services.TeamInput(role=TeamRole.INTERPRETER, name="Anna K.", affiliation="verifier"),
        ],
    )  # fmt: skip


def under_way(people, place):
    visit = planned(people, place)
    for target in (VisitState.ANNOUNCED, VisitState.UNDER_WAY):
        visit = services.visit_step(actor=people.interviewer, visit=visit, target=target)
    return visit


def private_interview(people, visit, person, *, will=True, **overrides):
    values = {
        "outcome": "interviewed", "held_on": today(), "setting": InterviewSetting.PRIVATE,
        "interpreter": "Anna K.", "interpreter_affiliation": "verifier", "language": "ko",
    }  # fmt: skip
    values.update(overrides)
    return services.interview_record(
        actor=people.interviewer, visit=visit, person=person,
        will=services.WillInput(wish=Wish.NAMED_STATES, certainty=80,
                                destinations_preferred=["KR"]) if will else None,
        **values,
    )  # fmt: skip


def api_visit(kim):
    """The one planned visit of the verifier's interviewer (vera) to Kim's camp."""
    from safepassage.accounts.models import User
    from safepassage.visits.models import Visit

    vera = User.objects.get(username="vera")
    return Visit.objects.filter(place=kim.place).first() or services.visit_plan(
        actor=vera, place=kim.place, starts_on=today(), ends_on=today(),
        team=[services.TeamInput(role=TeamRole.INTERVIEWER, user=vera)],
    )  # fmt: skip
