"""A family message as data (`safepassage.workflow`): written → passed or censored by the
detaining power's censor (only where its agreement allows censorship) → forwarded by the
neutral verifier → delivered or undeliverable. Where no censorship applies the verifier
forwards a written message directly. `family.services` takes every step."""

from django.utils.translation import gettext_lazy

from safepassage.access.policy import Action
from safepassage.family.models import FamilyMessageTransition
from safepassage.family.models import MessageState as S
from safepassage.workflow.machine import Transition, Workflow, edge
from safepassage.workflow.models import Trigger


def _not_awaiting_the_censor(message) -> str | None:
    from safepassage.access.policy import censorship_allowed

    if censorship_allowed(message.person.detaining_organisation):
        return str(gettext_lazy("The detaining power censors his messages first (Art. 76)."))
    return None


TRANSITIONS: tuple[Transition, ...] = (
    edge([S.WRITTEN], S.PASSED, gettext_lazy("Pass it"), Action.FAMILY_CENSOR,
         trigger=Trigger.SERVICE),
    edge([S.WRITTEN], S.CENSORED, gettext_lazy("Strike passages"), Action.FAMILY_CENSOR,
         trigger=Trigger.SERVICE),
    edge([S.WRITTEN], S.FORWARDED, gettext_lazy("Forward it"), Action.FAMILY_MESSAGES,
         precondition=_not_awaiting_the_censor, trigger=Trigger.SERVICE),
    edge([S.PASSED, S.CENSORED], S.FORWARDED, gettext_lazy("Forward it"),
         Action.FAMILY_MESSAGES, trigger=Trigger.SERVICE),
    edge([S.FORWARDED], S.DELIVERED, gettext_lazy("Delivered"), Action.FAMILY_MESSAGES,
         trigger=Trigger.SERVICE),
    edge([S.FORWARDED], S.UNDELIVERABLE, gettext_lazy("Undeliverable"), Action.FAMILY_MESSAGES,
         trigger=Trigger.SERVICE),
)  # fmt: skip

MESSAGES = Workflow(
    transitions=TRANSITIONS,
    row_model=FamilyMessageTransition,
    cannot_move=gettext_lazy("A message that is %(source)s cannot become %(target)s."),
    subject=lambda message: message.person,
    reason_required=False,
)
