"""Pages of a person's documents. Thin: the access policy (`access.documents`), the documents
services and selectors decide; a document the reader may not open answers 404."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET

from safepassage.access.documents import can_change_document, kinds_uploadable
from safepassage.access.persons import person_for
from safepassage.documents import forms, selectors, services
from safepassage.documents.checks import IMAGES, PDF
from safepassage.documents.models import Document, DocumentState
from safepassage.documents.responses import content_response
from safepassage.web.shortcuts import form_methods, form_page, posted

FORM = "documents/form.html"


def document_url(document: Document) -> str:
    return reverse("documents:document_detail", args=[document.person.registry_number, document.pk])


def _files(request: HttpRequest):
    return request.FILES if request.method == "POST" else None


def _content(request: HttpRequest) -> bytes:
    return request.FILES["file"].read()


@form_methods
def document_new(request: HttpRequest, registry_number: str) -> HttpResponse:
    user = request.user
    person = person_for(user, registry_number)
    kinds = kinds_uploadable(user, person)
    if not kinds:
        raise PermissionDenied
    form = forms.DocumentUploadForm(posted(request), _files(request), kinds=kinds)

    def write(cleaned):
        return services.document_upload(
            actor=user, person=person, kind=cleaned["kind"], title=cleaned["title"],
            dated=cleaned["dated"], language=cleaned["language"], content=_content(request),
        )  # fmt: skip

    return form_page(
        request,
        context={"title": _("Add a document"), "person": person, "upload": True},
        form=form,
        write=write,
        success=_("Document added."),
        next_url=document_url,
        template=FORM,
    )


def _preview_of(version) -> str | None:
    """How the page shows the latest version: an image, a PDF in a frame, or not at all."""
    if version is None:
        return None
    return (
        "image"
        if version.content_type in IMAGES
        else "pdf"
        if version.content_type == PDF
        else None
    )


@require_GET
def document_detail(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    user = request.user
    person = person_for(user, registry_number)
    document = selectors.document_shown(
        actor=user, document=selectors.document_for(user, person, pk)
    )
    versions = list(document.versions.all())
    latest = versions[0] if versions and versions[0].erased_at is None else None
    current = document.state == DocumentState.CURRENT
    context = {
        "person": person,
        "document": document,
        "versions": versions,
        "latest": latest if current else None,
        "preview": _preview_of(latest) if current else None,
        "can_change": current and can_change_document(user, document),
    }
    return render(request, "documents/document_detail.html", context)


@require_GET
@xframe_options_sameorigin
def document_content(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    user = request.user
    person = person_for(user, registry_number)
    document = selectors.document_for(user, person, pk)
    number = request.GET.get("version")
    if number is not None and not number.isdigit():
        raise Http404
    content = selectors.document_content(
        actor=user, document=document, number=int(number) if number else None
    )
    return content_response(content, inline=request.GET.get("disposition") == "inline")


def _changeable(request: HttpRequest, registry_number: str, pk: int):
    user = request.user
    person = person_for(user, registry_number)
    document = selectors.document_for(user, person, pk)
    if document.state != DocumentState.CURRENT or not can_change_document(user, document):
        raise PermissionDenied
    return person, document


@form_methods
def document_version_new(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    person, document = _changeable(request, registry_number, pk)
    form = forms.DocumentVersionForm(
        posted(request), _files(request), initial={"version": document.version}
    )
    return form_page(
        request,
        context={"title": _("Add a new version"), "person": person, "document": document,
                 "upload": True},
        form=form,
        write=lambda cleaned: services.document_version_add(
            actor=request.user, document=document, content=_content(request),
            expected_version=cleaned["version"],
        ),
        success=_("New version added."),
        next_url=document_url(document),
        template=FORM,
    )  # fmt: skip


@form_methods
def document_remove(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    person, document = _changeable(request, registry_number, pk)
    form = forms.DocumentRemoveForm(posted(request), initial={"version": document.version})
    return form_page(
        request,
        context={"title": _("Remove this document"), "person": person, "document": document,
                 "danger": True, "submit_label": _("Remove")},
        form=form,
        write=lambda cleaned: services.document_remove(
            actor=request.user, document=document, reason=cleaned["reason"],
            expected_version=cleaned["version"],
        ),
        success=_("Document removed. Its file is erased with his record at retention."),
        next_url=reverse("registry:person_detail", args=[person.registry_number]),
        template=FORM,
    )  # fmt: skip
