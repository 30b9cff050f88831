"""The batch workflow as data: every step, the policy action it asks, its precondition and
who triggers it (`safepassage.workflow`).

`transition_apply` is the only code that changes `Batch.state`; the services call it inside
their transaction, holding the batch row lock, and audit the step.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from safepassage.access.policy import Action
from safepassage.exchanges.models import (
    Batch,
    BatchTransition,
    EntryStatus,
    ExclusionReason,
    Side,
)
from safepassage.exchanges.models import BatchState as S
from safepassage.workflow.machine import Transition, Workflow, edge
from safepassage.workflow.models import Trigger


def sides_on(batch: Batch) -> set[str]:
    """The sides the batch hands over someone of. A batch planned against an empty side holds
    no one; the persons it left out say which side was there."""
    sides = set(batch.entries.exclude(status=EntryStatus.REMOVED).values_list("side", flat=True))
    if sides:
        return sides
    return set(
        batch.exclusions.filter(reason=ExclusionReason.OTHER_SIDE_EMPTY).values_list(
            "candidate__side", flat=True
        )
    )


def _has_entries(batch: Batch) -> str | None:
    """An exchange hands persons over both ways: a batch with no one of one side is not
    proposed or agreed."""
    sides = sides_on(batch)
    if not sides:
        if batch.planned_at is None:
            return _("The batch has no entries: plan it first.")
        return _(
            "No one is on the batch: the agreement and the guard let no one go. See who was "
            "left out and why, change the pool or the agreement, then plan again."
        )
    if Side.THEIRS not in sides:
        return _(
            "No one of theirs is on the batch, so there is nothing to exchange yet. Import the "
            "other side's list (or wait for it), then plan the batch again."
        )
    if Side.OURS not in sides:
        return _(
            "No one of ours is on the batch, so there is nothing to exchange yet. Add the "
            "persons we hold to the pool (or wait until one of them may go), then plan the "
            "batch again."
        )
    return None


def _all_handed_over(batch: Batch) -> str | None:
    pending = batch.entries.filter(status=EntryStatus.AGREED, handover_confirmed_at__isnull=True)
    if pending.exists():
        n = pending.count()
        return ngettext(
            "%(n)s entry is not confirmed at the handover yet.",
            "%(n)s entries are not confirmed at the handover yet.",
            n,
        ) % {"n": n}
    return None


def _t(sources, target, label, precondition=None, trigger=Trigger.PERSON) -> Transition:
    return edge(sources, target, label, Action.EXCHANGE_PLAN, precondition, trigger)


TRANSITIONS: tuple[Transition, ...] = (
    _t([S.DRAFT], S.PROPOSED, gettext_lazy("Propose to the other party"), _has_entries),
    _t([S.PROPOSED], S.COUNTER_PROPOSAL, gettext_lazy("Record their counter-proposal")),
    _t([S.COUNTER_PROPOSAL], S.PROPOSED, gettext_lazy("Propose again"), _has_entries),
    _t([S.PROPOSED, S.COUNTER_PROPOSAL], S.AGREED, gettext_lazy("Record the agreement"),
       _has_entries),
    _t([S.AGREED], S.EXECUTED, gettext_lazy("Execute the exchange"), _all_handed_over,
       Trigger.SERVICE),
    _t([S.DRAFT, S.PROPOSED, S.COUNTER_PROPOSAL, S.AGREED], S.CANCELLED,
       gettext_lazy("Cancel the batch")),
)  # fmt: skip

# Where planning may (re)write the entries: before anything was sent, or after their answer.
PLANNABLE = frozenset([S.DRAFT, S.COUNTER_PROPOSAL])
# Where the guard re-runs over every entry before the step is taken.
GUARDED_TARGETS = frozenset([S.PROPOSED, S.AGREED, S.EXECUTED])


BATCHES = Workflow(
    transitions=TRANSITIONS,
    row_model=BatchTransition,
    cannot_move=gettext_lazy("A batch that is “%(source)s” cannot become “%(target)s”."),
    reason_field="reason",
)


def find_transition(source: str, target: str) -> Transition | None:
    return BATCHES.find(source, target)


def available_transitions(batch: Batch, actor) -> list[Transition]:
    return BATCHES.available(batch, actor)


def transition_apply(
    *, batch: Batch, target: str, actor, reason: str, trigger: Trigger = Trigger.PERSON
) -> BatchTransition:
    """Move `batch` to `target` by the edge of `trigger`. Call inside a transaction holding the
    batch row lock."""
    return BATCHES.apply(batch, target=target, actor=actor, reason=reason, trigger=trigger)
