"""The follow-up contact as data (`safepassage.workflow`): due → reached or not reached, once,
by the verifier's interviewers. `followup.services.followup_record` takes the step."""

from django.utils.translation import gettext_lazy

from safepassage.access.policy import Action
from safepassage.followup.models import ContactState as S
from safepassage.followup.models import ContactTransition
from safepassage.workflow.machine import Transition, Workflow, edge

TRANSITIONS: tuple[Transition, ...] = (
    edge([S.DUE], S.REACHED, gettext_lazy("He was reached"), Action.FOLLOWUP_RECORD),
    edge([S.DUE], S.NOT_REACHED, gettext_lazy("He was not reached"), Action.FOLLOWUP_RECORD),
)

CONTACTS = Workflow(
    transitions=TRANSITIONS,
    row_model=ContactTransition,
    cannot_move=gettext_lazy("This contact is already recorded."),
    changed_at_field=None,
    subject=lambda contact: contact.person,
    reason_required=False,
)
