"""The case workflow as data: every transition, the policy action it asks, its precondition
and who triggers it (`safepassage.workflow`).

`transition_apply` is the only code that changes `Case.state`. Plain steps (notification,
escape, closure) are taken by a person through `case_transition` in `cases.services`; services
that carry their own record (a decision, an acceptance, a transfer) take theirs inside their
transaction; the system takes its own when the facts behind a later step change.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepassage.access.policy import Action
from safepassage.cases.models import REPATRIATIONS, Case, CaseTransition
from safepassage.cases.models import CaseState as S
from safepassage.workflow.machine import TAKEN_BY_PEOPLE, Transition, Workflow, edge
from safepassage.workflow.models import Trigger


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
    if decision is None or decision.kind in REPATRIATIONS:
        return _("Only a transfer to another state needs acceptance by a receiving state.")
    return None


def _latest_decision_is_repatriation(case: Case) -> str | None:
    decision = case.person.decisions.order_by("-decided_at", "-id").first()
    if decision is None or decision.kind not in REPATRIATIONS:
        return _("A transfer to another state needs acceptance by the receiving state first.")
    return None


PERSON, SERVICE, SYSTEM = Trigger.PERSON, Trigger.SERVICE, Trigger.SYSTEM
_ACTIVE = [
    S.REGISTERED, S.NOTIFIED, S.AWAITING_INTERVIEW, S.WILL_RECORDED, S.WILL_VERIFIED,
    S.LEGAL_ASSESSMENT, S.DECIDED, S.ACCEPTED, S.TRANSFER_SCHEDULED,
]  # fmt: skip
# The guard lets a held, notified man move (`cases.guard`): an executed exchange starts here.
_MOVABLE = [state for state in _ACTIVE if state != S.REGISTERED]
# Steps that cannot be taken back by another step: each asks for its facts and a confirmation
# (`cases.services.case_transition`); one recorded in error is corrected (`case_correct`).
IRREVERSIBLE = frozenset([S.DECEASED, S.RELEASED, S.ESCAPED, S.CLOSED])
_ENDED = [S.DECEASED, S.RELEASED, S.ESCAPED]
# A new verified will reopens the case at "will verified" from these (and moves it there from
# the interview); without a governing will left, it waits for an interview again.
_REOPEN_ON_NEW_WILL = frozenset([S.LEGAL_ASSESSMENT, S.DECIDED, S.ACCEPTED, S.TRANSFER_SCHEDULED])
# A new assessment that forbids the decided destination reopens the legal assessment from these.
_REOPEN_ON_BLOCKING_ASSESSMENT = frozenset([S.DECIDED, S.ACCEPTED, S.TRANSFER_SCHEDULED])

TRANSITIONS: tuple[Transition, ...] = (
    # Plain steps.
    edge([S.REGISTERED], S.NOTIFIED,
         gettext_lazy("Record notification to the Central Agency (Art. 122–123)"),
         Action.CASE_NOTIFY),
    edge([S.NOTIFIED], S.AWAITING_INTERVIEW,
         gettext_lazy("Request a private verification interview"), Action.CASE_INTERVIEW_REQUEST),
    edge([S.AWAITING_INTERVIEW], S.WILL_RECORDED, gettext_lazy("Mark will as recorded"),
         Action.CASE_WILL_MARK_RECORDED, _has_will),
    edge([S.AWAITING_INTERVIEW, S.WILL_RECORDED], S.WILL_VERIFIED,
         gettext_lazy("Mark will as verified"), Action.CASE_WILL_MARK_VERIFIED, _has_verified_will),
    edge([S.WILL_VERIFIED], S.LEGAL_ASSESSMENT, gettext_lazy("Open the legal assessment"),
         Action.CASE_LEGAL_OPEN, _has_verified_will),
    edge([S.TRANSFERRED, S.RELEASED, S.DECEASED, S.ESCAPED], S.CLOSED,
         gettext_lazy("Close the case"), Action.CASE_CLOSE),
    edge(_ACTIVE, S.DECEASED, gettext_lazy("Record death (Art. 120)"), Action.CASE_CUSTODY_END),
    edge(_ACTIVE, S.RELEASED, gettext_lazy("Record release"), Action.CASE_CUSTODY_END),
    edge(_ACTIVE, S.ESCAPED, gettext_lazy("Record escape"), Action.CASE_CUSTODY_END),
    # Taken by a service with its own record, in its transaction.
    # A correction returns the case to the state before the step recorded in error: the end
    # of captivity to where the case stood, a closure to the end it closed. Never an executed
    # transfer: he was moved (docs/guard.md#corrections).
    *(edge(_ENDED, state, gettext_lazy("Correct a step recorded in error"),
           Action.CASE_CORRECT, trigger=SERVICE) for state in _ACTIVE),
    *(edge([S.CLOSED], state, gettext_lazy("Correct a step recorded in error"),
           Action.CASE_CORRECT, trigger=SERVICE) for state in [S.TRANSFERRED, *_ENDED]),
    edge([S.LEGAL_ASSESSMENT], S.DECIDED, gettext_lazy("Take a decision"), Action.DECIDE,
         _has_verified_will, SERVICE),
    edge([S.DECIDED], S.ACCEPTED, gettext_lazy("Accept on behalf of the receiving state"),
         Action.ACCEPT, _latest_decision_is_transfer, SERVICE),
    edge([S.DECIDED], S.LEGAL_ASSESSMENT, gettext_lazy("Decline on behalf of the receiving state"),
         Action.DECLINE, _latest_decision_is_transfer, SERVICE),
    edge([S.DECIDED], S.TRANSFER_SCHEDULED, gettext_lazy("Schedule the repatriation"),
         Action.TRANSFER_SCHEDULE, _latest_decision_is_repatriation, SERVICE),
    edge([S.ACCEPTED], S.TRANSFER_SCHEDULED, gettext_lazy("Schedule the transfer"),
         Action.TRANSFER_SCHEDULE, trigger=SERVICE),
    edge([S.TRANSFER_SCHEDULED], S.TRANSFERRED, gettext_lazy("Execute the transfer"),
         Action.TRANSFER_EXECUTE, trigger=SERVICE),
    edge([S.TRANSFER_SCHEDULED], S.ACCEPTED, gettext_lazy("Cancel the transfer"),
         Action.TRANSFER_SCHEDULE, trigger=SERVICE),
    edge([S.TRANSFER_SCHEDULED], S.DECIDED, gettext_lazy("Cancel the repatriation"),
         Action.TRANSFER_SCHEDULE, trigger=SERVICE),
    # Taken by the system when a fact changes; the actor who recorded the fact is recorded.
    edge([S.AWAITING_INTERVIEW], S.WILL_RECORDED, gettext_lazy("Mark will as recorded"),
         trigger=SYSTEM),  # a will expression was recorded
    edge([S.AWAITING_INTERVIEW, S.WILL_RECORDED, *_REOPEN_ON_NEW_WILL], S.WILL_VERIFIED,
         gettext_lazy("Mark will as verified"), trigger=SYSTEM),  # a new governing will
    edge([S.WILL_VERIFIED, *_REOPEN_ON_NEW_WILL], S.AWAITING_INTERVIEW,
         gettext_lazy("Request a private verification interview"),
         trigger=SYSTEM),  # no verified will governs any more
    edge(_REOPEN_ON_BLOCKING_ASSESSMENT, S.LEGAL_ASSESSMENT,
         gettext_lazy("Open the legal assessment"), trigger=SYSTEM),
    edge([S.TRANSFER_SCHEDULED], S.ACCEPTED, gettext_lazy("Cancel the transfer"),
         trigger=SYSTEM),  # the guard called the transfer off
    edge([S.TRANSFER_SCHEDULED], S.DECIDED, gettext_lazy("Cancel the repatriation"),
         trigger=SYSTEM),  # the guard called the repatriation off
    edge(_MOVABLE, S.TRANSFERRED, gettext_lazy("Execute the exchange"),
         trigger=SYSTEM),  # his exchange batch was executed
)  # fmt: skip


CASES = Workflow(
    transitions=TRANSITIONS,
    row_model=CaseTransition,
    cannot_move=gettext_lazy("A case in state “%(source)s” cannot move to “%(target)s”."),
    subject=lambda case: case.person,
)


def find_transition(source: str, target: str) -> Transition | None:
    """The person's or the service's edge from `source` to `target` (never the system's)."""
    return CASES.find(source, target)


def may_take_any_step(actor) -> bool:
    """Whether `actor` could take some plain step in some state (who may open the step form)."""
    return CASES.may_take_any(actor)


def available_transitions(case: Case, actor, *, manual_only: bool = True) -> list[Transition]:
    """Transitions `actor` may take from the case's current state (preconditions unchecked):
    the plain steps, or with `manual_only=False` also those a service takes."""
    return CASES.available(case, actor, triggers=(PERSON,) if manual_only else TAKEN_BY_PEOPLE)


def system_moves(case: Case, target: str) -> bool:
    """Whether the table has the system move `case` from its state to `target` when a fact
    changes (the services ask before taking such a step)."""
    return CASES.find(case.state, target, triggers=(SYSTEM,)) is not None


def correctable_step(case: Case) -> CaseTransition | None:
    """The step a correction would take back: the death, release, escape or closure that
    brought the case to its state, taken by a person (an executed transfer, a movement, never)."""
    if case.state not in IRREVERSIBLE:
        return None
    last = case.transitions.order_by("-at", "-id").first()
    if last is None or last.to_state != case.state or last.trigger != PERSON:
        return None
    return last


def transition_apply(
    *, case: Case, target: str, actor, reason: str, trigger: Trigger = PERSON
) -> CaseTransition:
    """Move `case` to `target` by the edge of `trigger`. Call inside a transaction holding the
    case row lock."""
    return CASES.apply(case, target=target, actor=actor, reason=reason, trigger=trigger)
