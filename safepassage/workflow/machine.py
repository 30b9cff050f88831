"""A workflow as data, and the one function that takes its steps.

A `Transition` is an edge: source states, target state, the policy action a person needs to take
it, a precondition, and its trigger. Every state change of a workflow is an edge of its table,
the system's included; `Workflow.apply` is the only code that changes the state, and each change
writes one row of the workflow's `TransitionRecord` model.
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db import models
from django.dispatch import Signal
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from safepassage.access.policy import Action, can, has_any_role_for
from safepassage.lib.errors import DomainError, NotAllowed
from safepassage.workflow.models import TransitionRecord, Trigger

Precondition = Callable[[Any], str | None]  # returns what is missing, or None

# Sent by `Workflow.apply` after it wrote the row, inside the step's transaction, with
# `workflow`, `obj`, `row` and `actor` (sender: the row model). A receiver's writes commit or
# roll back with the step; anything that leaves the database waits for `transaction.on_commit`.
transition_recorded = Signal()

# What a person may be offered: plain steps, and steps a service takes through its own form.
TAKEN_BY_PEOPLE = (Trigger.PERSON, Trigger.SERVICE)


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    label: str | Promise
    action: Action | None = None  # None only for the system's edges: no person takes them
    precondition: Precondition | None = None
    trigger: Trigger = Trigger.PERSON

    def __post_init__(self) -> None:
        if (self.action is None) != (self.trigger == Trigger.SYSTEM):
            raise ValueError(f"{self.label}: a person's or a service's step names its action")

    @property
    def manual(self) -> bool:
        """Offered as a plain step; a service with its own form takes the others."""
        return self.trigger == Trigger.PERSON


def edge(
    sources: Iterable[str],
    target: str,
    label: str | Promise,
    action: Action | None = None,
    precondition: Precondition | None = None,
    trigger: Trigger = Trigger.PERSON,
) -> Transition:
    return Transition(frozenset(sources), target, label, action, precondition, trigger)


@dataclass(frozen=True)
class Workflow:
    """One table and how its object keeps its state and its history.

    `cannot_move` words the refusal of an edge the table lacks, with the `%(source)s` and
    `%(target)s` labels of the row model's states; `subject(obj)` is the person a person action
    is asked about (None for organisation actions).
    """

    transitions: tuple[Transition, ...]
    row_model: type[TransitionRecord]
    cannot_move: str | Promise
    state_field: str = "state"
    changed_at_field: str | None = "state_changed_at"
    subject: Callable[[Any], Any] | None = None
    reason_required: bool = True
    reason_field: str | None = None  # the input a missing reason is reported at

    @cached_property
    def row_subject(self) -> str:
        """The row's foreign key to its object: the one its model adds to `TransitionRecord`."""
        inherited = {f.name for f in TransitionRecord._meta.fields}
        return next(
            f.name
            for f in self.row_model._meta.concrete_fields
            if f.is_relation and f.name not in inherited
        )

    def label(self, state: str) -> str:
        return str(dict(self.row_model._meta.get_field("to_state").choices)[state])

    def find(
        self, source: str, target: str, triggers: Iterable[Trigger] = TAKEN_BY_PEOPLE
    ) -> Transition | None:
        triggers = tuple(triggers)
        for transition in self.transitions:
            if (
                source in transition.sources
                and transition.target == target
                and transition.trigger in triggers
            ):
                return transition
        return None

    def permits(self, actor, transition: Transition, obj: Any) -> bool:
        """Whether the policy lets `actor` take `transition` on `obj` (never a system edge)."""
        if transition.action is None:
            return False
        person = self.subject(obj) if self.subject else None
        return can(actor, transition.action, person)

    def available(
        self, obj: Any, actor, triggers: Iterable[Trigger] = (Trigger.PERSON,)
    ) -> list[Transition]:
        """Edges `actor` may take from `obj`'s state (preconditions unchecked); never the
        system's."""
        state = getattr(obj, self.state_field)
        triggers = tuple(t for t in triggers if t != Trigger.SYSTEM)
        return [
            t
            for t in self.transitions
            if state in t.sources and t.trigger in triggers and self.permits(actor, t, obj)
        ]

    def may_take_any(self, actor, triggers: Iterable[Trigger] = (Trigger.PERSON,)) -> bool:
        """Whether `actor`'s organisation kind and roles could take some such edge somewhere."""
        triggers = tuple(t for t in triggers if t != Trigger.SYSTEM)
        return any(
            has_any_role_for(actor, t.action)
            for t in self.transitions
            if t.trigger in triggers and t.action is not None
        )

    def apply(
        self,
        obj: models.Model,
        *,
        target: str,
        actor,
        reason: str,
        trigger: Trigger,
        changes: Mapping[str, Any] | None = None,
    ) -> TransitionRecord:
        """Move `obj` to `target` by the edge of that trigger, and write its row. Call inside a
        transaction holding the object's row lock. `changes` are fields that change with the
        state, saved with it (a constraint may tie them: a linked request names its person).

        A system edge asks no policy action: the actor recorded is the one whose new fact
        moved it."""
        source = getattr(obj, self.state_field)
        reason = reason.strip()
        if self.reason_required and not reason:
            raise DomainError(_("Give a reason for this step."), field=self.reason_field)
        transition = self.find(source, target, triggers=(trigger,))
        if transition is None:
            labels = {"source": self.label(source), "target": self.label(target)}
            raise DomainError(str(self.cannot_move) % labels)
        if trigger != Trigger.SYSTEM and not self.permits(actor, transition, obj):
            raise NotAllowed(_("Your organisation or role may not take this step."))
        if transition.precondition and (missing := transition.precondition(obj)):
            raise DomainError(missing)
        changes = {**(changes or {}), self.state_field: target}
        for name, value in changes.items():
            setattr(obj, name, value)
        fields = list(changes)
        if self.changed_at_field:
            setattr(obj, self.changed_at_field, timezone.now())
            fields.append(self.changed_at_field)
        obj.save(update_fields=fields)
        row = self.row_model.objects.create(
            **{self.row_subject: obj},
            from_state=source,
            to_state=target,
            actor=actor,
            organisation=getattr(actor, "organisation", None),
            reason=reason,
            trigger=trigger,
        )
        transition_recorded.send(self.row_model, workflow=self, obj=obj, row=row, actor=actor)
        return row
