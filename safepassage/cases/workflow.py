"""The case workflow as data: every allowed transition, who may take it, and its precondition.

`transition_apply` is the only code that changes `Case.state`. Services that carry their own
record (a decision, an acceptance, a transfer) call it inside their transaction; plain steps
(notification, escape, closure) are taken through `case_transition` in `cases.services`.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepassage.accounts.models import OrganisationKind as Org
from safepassage.accounts.models import Role
from safepassage.cases.models import Case, CaseTransition, DecisionKind
from safepassage.cases.models import CaseState as S
from safepassage.lib.errors import DomainError, NotAllowed

Precondition = Callable[[Case], str | None]  # returns what is missing, or None


def _has_will(case: Case) -> str | None:
    if not case.person.will_expressions.filter(withdrawn_at__isnull=True).exists():
        return _("No will expression is recorded yet.")
    return None


def _has_verified_will(case: Case) -> str | None:
    if case.governing_will_id is None:
        return _("No verified will is on record: a private interview by a neutral verifier.")
    return None


def _latest_decision_is_transfer(case: Case) -> str | None:
    decision = case.person.decisions.order_by("-decided_at", "-id").first()
    if decision is None or decision.kind == DecisionKind.REPATRIATION:
        return _("Only a transfer to another state needs acceptance by a receiving state.")
    return None


def _latest_decision_is_repatriation(case: Case) -> str | None:
    decision = case.person.decisions.order_by("-decided_at", "-id").first()
    if decision is None or decision.kind != DecisionKind.REPATRIATION:
        return _("A transfer to another state needs acceptance by the receiving state first.")
    return None


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    org_kinds: frozenset[str]
    label: str
    precondition: Precondition | None = None
    manual: bool = True  # offered as a plain step; False when a service with its own form takes it


def _t(sources, target, roles, orgs, label, precondition=None, manual=True) -> Transition:
    return Transition(
        frozenset(sources), target, frozenset(roles), frozenset(orgs), label, precondition, manual
    )


_ACTIVE = [
    S.REGISTERED, S.NOTIFIED, S.AWAITING_INTERVIEW, S.WILL_RECORDED, S.WILL_VERIFIED,
    S.LEGAL_ASSESSMENT, S.DECIDED, S.ACCEPTED, S.TRANSFER_SCHEDULED,
]  # fmt: skip
_DETAINING = [Org.DETAINING_POWER]
_VERIFIER = [Org.NEUTRAL_VERIFIER]
_LEGAL = [Org.LEGAL_NGO, Org.NEUTRAL_VERIFIER]

TRANSITIONS: list[Transition] = [
    _t([S.REGISTERED], S.NOTIFIED, [Role.REGISTRAR], _DETAINING,
       gettext_lazy("Record notification to the Central Agency (Art. 122–123)")),
    _t([S.NOTIFIED], S.AWAITING_INTERVIEW, [Role.REGISTRAR, Role.INTERVIEWER],
       _DETAINING + _VERIFIER, gettext_lazy("Request a private verification interview")),
    _t([S.AWAITING_INTERVIEW], S.WILL_RECORDED, [Role.INTERVIEWER], _DETAINING + _VERIFIER,
       gettext_lazy("Mark will as recorded"), _has_will),
    _t([S.AWAITING_INTERVIEW, S.WILL_RECORDED], S.WILL_VERIFIED, [Role.INTERVIEWER], _VERIFIER,
       gettext_lazy("Mark will as verified"), _has_verified_will),
    _t([S.WILL_VERIFIED], S.LEGAL_ASSESSMENT, [Role.LEGAL_OFFICER], _LEGAL,
       gettext_lazy("Open the legal assessment"), _has_verified_will),
    _t([S.LEGAL_ASSESSMENT], S.DECIDED, [Role.DECISION_MAKER], _DETAINING,
       gettext_lazy("Take a decision"), _has_verified_will, manual=False),
    _t([S.DECIDED], S.ACCEPTED, [Role.DECISION_MAKER], [Org.RECEIVING_STATE],
       gettext_lazy("Accept on behalf of the receiving state"), _latest_decision_is_transfer,
       manual=False),
    _t([S.DECIDED], S.TRANSFER_SCHEDULED, [Role.EXCHANGE_PLANNER], _DETAINING,
       gettext_lazy("Schedule the repatriation"), _latest_decision_is_repatriation, manual=False),
    _t([S.ACCEPTED], S.TRANSFER_SCHEDULED, [Role.EXCHANGE_PLANNER], _DETAINING,
       gettext_lazy("Schedule the transfer"), manual=False),
    _t([S.TRANSFER_SCHEDULED], S.TRANSFERRED, [Role.EXCHANGE_PLANNER], _DETAINING,
       gettext_lazy("Execute the transfer"), manual=False),
    _t([S.TRANSFER_SCHEDULED], S.ACCEPTED, [Role.EXCHANGE_PLANNER], _DETAINING,
       gettext_lazy("Cancel the transfer"), manual=False),
    _t([S.TRANSFER_SCHEDULED], S.DECIDED, [Role.EXCHANGE_PLANNER], _DETAINING,
       gettext_lazy("Cancel the repatriation"), manual=False),
    _t([S.TRANSFERRED, S.RELEASED, S.DECEASED, S.ESCAPED], S.CLOSED, [Role.REGISTRAR],
       _DETAINING, gettext_lazy("Close the case")),
    _t(_ACTIVE, S.DECEASED, [Role.REGISTRAR], _DETAINING,
       gettext_lazy("Record death (Art. 120)")),
    _t(_ACTIVE, S.RELEASED, [Role.REGISTRAR], _DETAINING, gettext_lazy("Record release")),
    _t(_ACTIVE, S.ESCAPED, [Role.REGISTRAR], _DETAINING, gettext_lazy("Record escape")),
]  # fmt: skip

# Taken by the system when the facts behind a later step change: a new verified will reopens
# the case at "will verified"; a new assessment that forbids the decided destination reopens
# the legal assessment. The actor who recorded the new fact is recorded as the actor.
REOPEN_ON_NEW_WILL = frozenset([S.LEGAL_ASSESSMENT, S.DECIDED, S.ACCEPTED, S.TRANSFER_SCHEDULED])
REOPEN_ON_BLOCKING_ASSESSMENT = frozenset([S.DECIDED, S.ACCEPTED, S.TRANSFER_SCHEDULED])


def find_transition(source: str, target: str) -> Transition | None:
    for transition in TRANSITIONS:
        if source in transition.sources and transition.target == target:
            return transition
    return None


def actor_may_take(actor, transition: Transition) -> bool:
    organisation = getattr(actor, "organisation", None)
    return (
        organisation is not None
        and organisation.kind in transition.org_kinds
        and actor.has_role(*transition.roles)
    )


def may_take_any_step(actor) -> bool:
    """Whether `actor` could take some plain step in some state (who may open the step form)."""
    return any(actor_may_take(actor, t) for t in TRANSITIONS if t.manual)


def available_transitions(case: Case, actor, *, manual_only: bool = True) -> list[Transition]:
    """Transitions `actor` may take from the case's current state (preconditions unchecked)."""
    return [
        t
        for t in TRANSITIONS
        if case.state in t.sources and (t.manual or not manual_only) and actor_may_take(actor, t)
    ]


def transition_apply(
    *, case: Case, target: str, actor, reason: str, system: bool = False
) -> CaseTransition:
    """Move `case` to `target`. Call inside a transaction holding the case row lock.

    `system=True` is for the reopening steps above: no role check, the table is bypassed.
    """
    source = case.state
    if not reason.strip():
        raise DomainError(_("Give a reason for this step."))
    if not system:
        transition = find_transition(source, target)
        if transition is None:
            raise DomainError(
                _("A case in state “%(source)s” cannot move to “%(target)s”.")
                % {"source": S(source).label, "target": S(target).label}
            )
        if not actor_may_take(actor, transition):
            raise NotAllowed(_("Your organisation or role may not take this step."))
        if transition.precondition and (missing := transition.precondition(case)):
            raise DomainError(missing)
    case.state = target
    case.state_changed_at = timezone.now()
    case.save(update_fields=["state", "state_changed_at"])
    return CaseTransition.objects.create(
        case=case,
        from_state=source,
        to_state=target,
        actor=actor,
        organisation=getattr(actor, "organisation", None),
        reason=reason.strip(),
    )
