"""A tracing request's workflow as data (`safepassage.workflow`): every status change, the
policy action it asks, and the service that takes it.

`transition_apply` is the only code that changes `TracingRequest.status`. Each step is taken by
its own service (confirming a candidate, rejecting the confirmed one, informing the requester,
closing), inside its transaction, holding the request's row lock.
"""

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy

from safepassage.access.policy import Action
from safepassage.tracing.models import TracingRequest, TracingTransition
from safepassage.tracing.models import TracingStatus as S
from safepassage.workflow.machine import Transition, Workflow, edge
from safepassage.workflow.models import Trigger

SERVICE = Trigger.SERVICE

TRANSITIONS: tuple[Transition, ...] = (
    edge([S.OPEN], S.LINKED, gettext_lazy("Confirm: it is him"), Action.TRACING_HANDLE,
         trigger=SERVICE),
    # Rejecting the confirmed candidate before the requester is told reopens the request.
    edge([S.LINKED], S.OPEN, gettext_lazy("Reject: not him"), Action.TRACING_HANDLE,
         trigger=SERVICE),
    # Told again: a correction, or more now that his protection allows it.
    edge([S.LINKED, S.INFORMED], S.INFORMED, gettext_lazy("Inform the requester"),
         Action.TRACING_INFORM, trigger=SERVICE),
    edge([S.OPEN, S.LINKED, S.INFORMED], S.CLOSED, gettext_lazy("Close the request"),
         Action.TRACING_HANDLE, trigger=SERVICE),
)  # fmt: skip


REQUESTS = Workflow(
    transitions=TRANSITIONS,
    row_model=TracingTransition,
    cannot_move=gettext_lazy(
        "The request is “%(source)s”: it cannot be moved to “%(target)s” now."
    ),
    state_field="status",
    changed_at_field=None,
    reason_required=False,
)


def transition_apply(
    *, request: TracingRequest, target: str, actor, changes: Mapping[str, Any] | None = None
) -> TracingTransition:
    """Move `request` to `target` (with `changes`, e.g. the linked person) and write its row.
    Call inside a transaction holding the request row lock. The row keeps no reason (see
    `TracingTransition`)."""
    return REQUESTS.apply(
        request, target=target, actor=actor, reason="", trigger=SERVICE, changes=changes
    )
