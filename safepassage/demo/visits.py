"""The demo's visit: the neutral verifier's next visit to the camp where most men wait for a
private interview, with its team and its list of persons to see."""

import datetime

from django.db.models import Count
from django.utils import timezone

from safepassage.cases.models import CaseState, InterpreterAffiliation
from safepassage.demo.cast import Cast
from safepassage.registry.models import Place
from safepassage.visits import services
from safepassage.visits.models import TeamRole


def visit_seed(cast: Cast) -> None:
    """Plan next week's visit to the place where most men await an interview, and its list."""
    place = (
        Place.objects.filter(persons__case__state=CaseState.AWAITING_INTERVIEW)
        .annotate(waiting=Count("persons"))
        .order_by("-waiting", "pk")
        .first()
    )
    if place is None:
        return
    interviewer = cast.users["verifier-interviewer"]
    starts_on = timezone.localdate() + datetime.timedelta(days=7)
    visit = services.visit_plan(
        actor=interviewer, place=place, starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=2),
        team=[
            services.TeamInput(role=TeamRole.INTERVIEWER, user=interviewer),
            services.TeamInput(role=TeamRole.INTERPRETER, name="Mission interpreter (Korean)",
                               affiliation=InterpreterAffiliation.VERIFIER),
            services.TeamInput(role=TeamRole.DOCTOR, name="Mission doctor"),
        ],
    )  # fmt: skip
    services.visit_list_build(actor=interviewer, visit=visit)
