"""The visit workflow as data (`safepassage.workflow`): planned → announced to the detaining
power → under way → completed → report shared. Every step is a plain step of the visiting
verifier's interviewers; `visits.services.visit_step` is the one code that takes them."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepassage.access.policy import Action
from safepassage.visits.models import TeamRole, Visit, VisitTransition
from safepassage.visits.models import VisitState as S
from safepassage.workflow.machine import Transition, Workflow, edge


def _has_interviewer(visit: Visit) -> str | None:
    if not visit.team.filter(role=TeamRole.INTERVIEWER).exists():
        return _("The team needs at least one interviewer before the visit is announced.")
    return None


def _first_day_reached(visit: Visit) -> str | None:
    if visit.starts_on > timezone.localdate():
        return _("The visit starts on %(day)s: it cannot be under way before.") % {
            "day": visit.starts_on
        }
    return None


def _has_report(visit: Visit) -> str | None:
    if not visit.report.strip():
        return _("Write the confidential report before sharing it.")
    return None


TRANSITIONS: tuple[Transition, ...] = (
    edge([S.PLANNED], S.ANNOUNCED, gettext_lazy("Announce the visit to the detaining power"),
         Action.VISIT_PLAN, _has_interviewer),
    edge([S.ANNOUNCED], S.UNDER_WAY, gettext_lazy("Start the visit"), Action.VISIT_PLAN,
         _first_day_reached),
    edge([S.UNDER_WAY], S.COMPLETED, gettext_lazy("Complete the visit"), Action.VISIT_PLAN),
    edge([S.COMPLETED], S.REPORT_SHARED,
         gettext_lazy("Share the confidential report with the detaining power"),
         Action.VISIT_PLAN, _has_report),
)  # fmt: skip

VISITS = Workflow(
    transitions=TRANSITIONS,
    row_model=VisitTransition,
    cannot_move=gettext_lazy("A visit in state “%(source)s” cannot move to “%(target)s”."),
    reason_required=False,
)
