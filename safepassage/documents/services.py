"""Writes of documents: add one, add a version, remove one; each audited, each checked by the
access policy (`access.documents`) and the file checks (`documents.checks`).

The bytes are encrypted and stored before the transaction commits: if it rolls back, the
stored object is ciphertext whose data key was never kept, unreadable by anyone.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safepassage.access.documents import can_change_document, can_upload_document
from safepassage.audit.services import audit_record, created_changes
from safepassage.documents.checks import document_check
from safepassage.documents.models import Document, DocumentKind, DocumentState, DocumentVersion
from safepassage.documents.storage import object_delete, object_write
from safepassage.documents.workflow import DOCUMENTS
from safepassage.lib.errors import ConflictError, DomainError, NotAllowed
from safepassage.registry.models import Person
from safepassage.workflow.models import Trigger

DOCUMENT_FIELDS = ("person", "kind", "title", "dated", "language", "interview", "assessment",
                   "decision", "visit", "examination", "organisation")  # fmt: skip
TITLE_MAX = 200


def _title_clean(title: str) -> str:
    title = " ".join((title or "").split())
    if not title:
        raise DomainError(_("Give the document a title, e.g. “Military ID card”."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("The title is longer than %(max)s characters.") % {"max": TITLE_MAX}, field="title"
        )
    return title


def _links_check(person: Person, **links) -> None:
    for name, record in links.items():
        if record is not None and getattr(record, "person_id", person.pk) != person.pk:
            raise DomainError(_("The %(record)s is about someone else.") % {"record": name},
                              field=name)  # fmt: skip


def _version_store(*, actor, document: Document, number: int, content: bytes) -> DocumentVersion:
    checked = document_check(kind=document.kind, content=content)
    name, key, nonce = object_write(document_id=document.pk, number=number, content=checked.content)
    return DocumentVersion.objects.create(
        document=document, number=number, stored_name=name, data_key=key, nonce=nonce,
        size=len(checked.content), content_type=checked.content_type, uploaded_by=actor,
    )  # fmt: skip


def _version_changes(version: DocumentVersion) -> dict:
    return {"version": [None, version.number], "content_type": [None, version.content_type],
            "size": [None, version.size]}  # fmt: skip


def document_upload(
    *,
    actor,
    person: Person,
    kind: str,
    title: str,
    content: bytes,
    dated: datetime.date | None = None,
    language: str = "",
    interview=None,
    assessment=None,
    decision=None,
    visit=None,
    examination=None,
) -> Document:
    """Add a document about `person` with its first version; refused (`NotAllowed`) to one who
    may not add this kind, (`DomainError` naming the field) for a title or file it cannot keep."""
    if kind not in DocumentKind.values:
        raise DomainError(_("Choose the kind of document."), field="kind")
    if not can_upload_document(actor, person, kind):
        raise NotAllowed(_("You may not add a document of this kind about him."))
    title = _title_clean(title)
    _links_check(person, interview=interview, assessment=assessment, decision=decision,
                 examination=examination)  # fmt: skip
    # Checked before anything is written: a refused file leaves no row and no object.
    document_check(kind=kind, content=content)
    with transaction.atomic():
        document = Document(
            person=person, kind=kind, title=title, dated=dated, language=language.strip()[:64],
            interview=interview, assessment=assessment, decision=decision, visit=visit,
            examination=examination, uploaded_by=actor, organisation=actor.organisation,
        )  # fmt: skip
        document.save()
        version = _version_store(actor=actor, document=document, number=1, content=content)
        audit_record(
            actor=actor,
            action="document.upload",
            obj=document,
            person=person,
            changes={
                **created_changes(document, DOCUMENT_FIELDS, Document.SENSITIVE_FIELDS),
                **_version_changes(version),
            },
        )
    return document


def _locked(document: Document, expected_version: int | None) -> Document:
    locked = Document.objects.select_for_update().get(pk=document.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ConflictError(
            _("Someone else changed this document meanwhile. Open it again, check the change "
              "and retry.")
        )  # fmt: skip
    if locked.state != DocumentState.CURRENT:
        raise DomainError(_("This document was removed."))
    return locked


def document_version_add(
    *, actor, document: Document, content: bytes, expected_version: int | None = None
) -> DocumentVersion:
    """A new version of the file; the earlier ones are kept."""
    if not can_change_document(actor, document):
        raise NotAllowed(_("Only its organisation adds versions of this document."))
    document_check(kind=document.kind, content=content)
    with transaction.atomic():
        locked = _locked(document, expected_version)
        number = (locked.versions.order_by("-number").values_list("number", flat=True).first()
                  or 0) + 1  # fmt: skip
        version = _version_store(actor=actor, document=locked, number=number, content=content)
        locked.version += 1
        locked.save(update_fields=["version"])
        audit_record(actor=actor, action="document.version_add", obj=locked,
                     person=locked.person, changes=_version_changes(version))  # fmt: skip
    return version


def document_remove(
    *, actor, document: Document, reason: str, expected_version: int | None = None
) -> Document:
    """Remove it from the person's documents, saying why. Its bytes stay, unreadable in the
    application, until retention erases them."""
    if not can_change_document(actor, document):
        raise NotAllowed(_("Only its organisation removes this document."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the document is removed."), field="reason")
    with transaction.atomic():
        locked = _locked(document, expected_version)
        DOCUMENTS.apply(
            locked, target=DocumentState.REMOVED, actor=actor, reason="", trigger=Trigger.PERSON,
            changes={"removed_reason": reason, "removed_by": actor, "removed_at": timezone.now(),
                     "version": locked.version + 1},
        )  # fmt: skip
        audit_record(
            actor=actor, action="document.remove", obj=locked, person=locked.person,
            changes={"state": [DocumentState.CURRENT, DocumentState.REMOVED],
                     "removed_reason": ["•••", "•••"]},
        )  # fmt: skip
    return locked


def documents_erase(*, person: Person | None = None, documents=None) -> dict[str, int]:
    """Retention: erase the titles, reasons and stored bytes of the documents (his, or those
    given), in the caller's transaction; the objects are deleted once it commits. Returns the
    counts erased, for the audit event."""
    queryset = Document.objects.filter(person=person) if documents is None else documents
    titles = 0
    names = []
    for document in queryset.select_for_update():
        if document.title or document.removed_reason:
            titles += 1
            document.title = ""
            document.removed_reason = ""
            document.version += 1
            document.save(update_fields=["title", "removed_reason", "version"])
    versions = DocumentVersion.objects.filter(document__in=queryset, erased_at__isnull=True)
    names = list(versions.values_list("stored_name", flat=True))
    count = versions.update(erased_at=timezone.now(), data_key="")
    for name in names:
        transaction.on_commit(lambda name=name: object_delete(name))
    return {"titles": titles, "files": count}
