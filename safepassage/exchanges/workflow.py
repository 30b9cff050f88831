"""The batch workflow as data: every allowed step, who may take it, and its precondition.

`transition_apply` is the only code that changes `Batch.state`; the services call it inside
their transaction, holding the batch row lock, and audit the step.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepassage.access.policy import Action, can
from safepassage.exchanges.models import Batch, BatchTransition, EntryStatus
from safepassage.exchanges.models import BatchState as S
from safepassage.lib.errors import DomainError, NotAllowed

Precondition = Callable[[Batch], str | None]


def _has_entries(batch: Batch) -> str | None:
    if not batch.entries.exclude(status=EntryStatus.REMOVED).exists():
        return _("The batch has no entries: plan it first.")
    return None


def _all_handed_over(batch: Batch) -> str | None:
    pending = batch.entries.filter(status=EntryStatus.AGREED, handover_confirmed_at__isnull=True)
    if pending.exists():
        return _("%(n)s entries are not confirmed at the handover yet.") % {"n": pending.count()}
    return None


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    action: Action
    label: str
    precondition: Precondition | None = None
    manual: bool = True  # offered as a button; False when a service with its own form takes it


def _t(sources, target, label, precondition=None, manual=True) -> Transition:
    return Transition(frozenset(sources), target, Action.EXCHANGE_PLAN, label, precondition, manual)


TRANSITIONS: list[Transition] = [
    _t([S.DRAFT], S.PROPOSED, gettext_lazy("Propose to the other party"), _has_entries),
    _t([S.PROPOSED], S.COUNTER_PROPOSAL, gettext_lazy("Record their counter-proposal")),
    _t([S.COUNTER_PROPOSAL], S.PROPOSED, gettext_lazy("Propose again"), _has_entries),
    _t([S.PROPOSED, S.COUNTER_PROPOSAL], S.AGREED, gettext_lazy("Record the agreement"),
       _has_entries),
    _t([S.AGREED], S.EXECUTED, gettext_lazy("Execute the exchange"), _all_handed_over,
       manual=False),
    _t([S.DRAFT, S.PROPOSED, S.COUNTER_PROPOSAL, S.AGREED], S.CANCELLED,
       gettext_lazy("Cancel the batch")),
]  # fmt: skip

# Where planning may (re)write the entries: before anything was sent, or after their answer.
PLANNABLE = frozenset([S.DRAFT, S.COUNTER_PROPOSAL])
# Where the guard re-runs over every entry before the step is taken.
GUARDED_TARGETS = frozenset([S.PROPOSED, S.AGREED, S.EXECUTED])


def find_transition(source: str, target: str) -> Transition | None:
    for transition in TRANSITIONS:
        if source in transition.sources and transition.target == target:
            return transition
    return None


def available_transitions(batch: Batch, actor) -> list[Transition]:
    return [
        t for t in TRANSITIONS if batch.state in t.sources and t.manual and can(actor, t.action)
    ]


def transition_apply(*, batch: Batch, target: str, actor, reason: str) -> BatchTransition:
    """Move `batch` to `target`. Call inside a transaction holding the batch row lock."""
    source = batch.state
    if not reason.strip():
        raise DomainError(_("Give a reason for this step."), field="reason")
    transition = find_transition(source, target)
    if transition is None:
        raise DomainError(
            _("A batch that is “%(source)s” cannot become “%(target)s”.")
            % {"source": S(source).label, "target": S(target).label}
        )
    if not can(actor, transition.action):
        raise NotAllowed(_("Your organisation or role may not take this step."))
    if transition.precondition and (missing := transition.precondition(batch)):
        raise DomainError(missing)
    batch.state = target
    batch.state_changed_at = timezone.now()
    batch.save(update_fields=["state", "state_changed_at"])
    return BatchTransition.objects.create(
        batch=batch, from_state=source, to_state=target, actor=actor, reason=reason.strip()
    )
