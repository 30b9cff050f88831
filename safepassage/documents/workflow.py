"""A document's life as data (`safepassage.workflow`): current → removed, with a reason kept
encrypted on the document. `documents.services.document_remove` takes the step."""

from django.utils.translation import gettext_lazy

from safepassage.access.policy import Action
from safepassage.documents.models import DocumentState as S
from safepassage.documents.models import DocumentTransition
from safepassage.workflow.machine import Transition, Workflow, edge

TRANSITIONS: tuple[Transition, ...] = (
    edge([S.CURRENT], S.REMOVED, gettext_lazy("Remove the document"), Action.DOCUMENT_REMOVE),
)

DOCUMENTS = Workflow(
    transitions=TRANSITIONS,
    row_model=DocumentTransition,
    cannot_move=gettext_lazy("This document was removed."),
    changed_at_field=None,
    subject=lambda document: document.person,
    reason_required=False,
)
