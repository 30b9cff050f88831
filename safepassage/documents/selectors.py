"""Reads of documents, through the access policy: a person's documents the reader may open,
one document or 404, and a version's bytes — every read of content or a title recorded."""

from dataclasses import dataclass

from django.apps import apps
from django.db.models import QuerySet
from django.http import Http404

from safepassage.access.documents import can_read_document
from safepassage.access.policy import Action, can_on_visit
from safepassage.audit.reads import SensitiveRead, sensitive_reads_record
from safepassage.documents.models import Document, DocumentState, DocumentVersion
from safepassage.documents.storage import object_read
from safepassage.registry.models import Person


def _all_of(person: Person, *, removed: bool = False, versions: bool = True) -> QuerySet[Document]:
    documents = Document.objects.filter(person=person).select_related(
        "person", "decision", "organisation", "uploaded_by"
    )
    if not removed:
        documents = documents.filter(state=DocumentState.CURRENT)
    return documents.prefetch_related("versions") if versions else documents


def document_list(
    *, actor, person: Person, record_read: bool = True, versions: bool = True
) -> list[Document]:
    """The current documents about `person` that `actor` may open; their titles read are
    recorded (one event per document shown). `versions=False`: without their versions (the
    person page lists titles only; a version read then is a query of its own)."""
    documents = list(_all_of(person, versions=versions))
    for document in documents:
        document.person = person  # as the caller read him (and found him visible): no query each
    shown = [d for d in documents if can_read_document(actor, d)]
    if record_read:
        sensitive_reads_record(
            actor=actor,
            reads=[SensitiveRead(d, "document_title", person=d.person) for d in shown],
        )
    return shown


def document_for(actor, person: Person, pk) -> Document:
    """One document about `person` that `actor` may open (removed ones included, to see why),
    else 404: one he may not open does not exist for him."""
    try:
        document = _all_of(person, removed=True).get(pk=pk)
    except (Document.DoesNotExist, ValueError):
        raise Http404 from None
    if not can_read_document(actor, document):
        raise Http404
    return document


def document_shown(*, actor, document: Document) -> Document:
    """The document's page: its title read is recorded."""
    sensitive_reads_record(
        actor=actor, reads=[SensitiveRead(document, "document_title", person=document.person)]
    )
    return document


@dataclass(frozen=True)
class Content:
    version: DocumentVersion
    data: bytes


def document_content(*, actor, document: Document, number: int | None = None) -> Content:
    """A version's plain bytes (the latest when `number` is None), the read recorded first:
    none leaves unaudited. A removed document's bytes are no longer given out (404)."""
    if document.state != DocumentState.CURRENT:
        raise Http404
    versions = document.versions.filter(erased_at__isnull=True)
    version = (
        versions.order_by("-number").first()
        if number is None
        else versions.filter(number=number).first()
    )
    if version is None:
        raise Http404
    sensitive_reads_record(
        actor=actor, reads=[SensitiveRead(version, "document", person=document.person)]
    )
    return Content(version=version, data=object_read(version))


def document_link_for(user, person: Person, name: str, pk: int):
    """The record `name` (interview, assessment, decision, visit, examination) with id `pk` a
    document about `person` may stand beside, or None: one of his own, and a visit `user` sees."""
    model = apps.get_model(*LINK_MODELS[name].split("."))
    if name == "visit":
        visit = model.objects.filter(pk=pk).first()
        return visit if visit is not None and can_on_visit(user, Action.VISIT_VIEW, visit) else None
    return model.objects.filter(pk=pk, person=person).first()


LINK_MODELS = {
    "interview": "visits.Interview",
    "assessment": "cases.RiskAssessment",
    "decision": "cases.Decision",
    "visit": "visits.Visit",
    "examination": "medical.Examination",
}
