"""Export pages: thin. The policy decides (404 for a person he cannot see, 403 for a role he
lacks), the service makes and records the document, an identified one after re-authentication.
"""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepassage.access.persons import person_for
from safepassage.access.policy import Action, can, has_any_role_for, require
from safepassage.accounts.reauth import reauthentication_ensure
from safepassage.exports import forms, jobs, selectors, services
from safepassage.exports.models import Document, ExportStatus
from safepassage.lib.errors import DomainError
from safepassage.web.shortcuts import form_methods, form_page

_form_page = partial(form_page, template="exports/form.html")


def _attachment(file: services.ExportFile) -> HttpResponse:
    response = HttpResponse(file.data, content_type=file.content_type)
    response["Content-Disposition"] = f'attachment; filename="{file.filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _identified_allowed(request: HttpRequest, identified: bool) -> None:
    """Names need the role (403 without it) and a recent password or code (allauth asks, then
    replays the request)."""
    if identified:
        require(request.user, Action.EXPORT_IDENTIFIED)
        reauthentication_ensure(request)


@require_http_methods(["GET"])
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    may_notify = can(user, Action.EXPORT_NOTIFICATIONS)
    if not (may_notify or has_any_role_for(user, Action.EXPORT_DOCUMENT)):
        raise PermissionDenied
    services.exports_expire()
    return render(
        request,
        "exports/index.html",
        {
            "exports": selectors.export_list(actor=user),
            "may_notify": may_notify,
            "ready": ExportStatus.READY,
        },
    )


@form_methods
def notifications(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.EXPORT_NOTIFICATIONS)
    form = forms.NotificationListForm(request.POST if request.method == "POST" else None)

    def write(cleaned):
        _identified_allowed(request, cleaned["identified"])
        return jobs.notifications_request(
            actor=request.user,
            request=services.NotificationRequest.chosen(cleaned, cleaned["kinds"]),
        )

    return _form_page(
        request,
        context={
            "title": _("Notification list to the Central Agency"),
            "intro": [
                _(
                    "GC III Art. 122-123: identity, capture, transfers between places of "
                    "internment, admissions to hospital, releases (repatriations included), "
                    "escapes and deaths of the persons you may see. It goes to the other party "
                    "through the Agency, so it never shows a will, a destination, a statement, "
                    "an assessment or a decision."
                ),
                _(
                    "Long lists are produced in the background: the file appears on the Exports "
                    "page, to be downloaded once."
                ),
            ],
            "may_identify": can(request.user, Action.EXPORT_IDENTIFIED),
            "submit_label": _("Produce the list"),
            "back": reverse("exports:index"),
        },
        form=form,
        write=write,
        success=_("The list is being produced; it will appear below."),
        next_url=reverse("exports:index"),
    )


@require_http_methods(["POST"])
def download(request: HttpRequest, pk: int) -> HttpResponse:
    export = selectors.export_for(actor=request.user, pk=pk)
    _identified_allowed(request, export.identified)
    try:
        file = services.export_download(actor=request.user, export=export)
    except DomainError as error:
        messages.error(request, str(error))
        return redirect("exports:index")
    return _attachment(file)


def _person_document(request: HttpRequest, registry_number: str, document: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.EXPORT_DOCUMENT)
    form = forms.PersonDocumentForm(request.POST if request.method == "POST" else None)
    make = {
        Document.CAPTURE_CARD: services.capture_card_export,
        Document.CASE_SUMMARY: services.case_summary_export,
    }[document]
    if request.method == "POST" and form.is_valid():
        identified = form.cleaned_data["identified"]
        _identified_allowed(request, identified)
        try:
            return _attachment(make(actor=request.user, person=person, identified=identified))
        except DomainError as error:
            form.add_error(None, str(error))
    titles = {
        Document.CAPTURE_CARD: _("Capture card (GC III Annex IV)"),
        Document.CASE_SUMMARY: _("Case summary"),
    }
    intros = {
        Document.CAPTURE_CARD: _(
            "The card of GC III Art. 70 and Annex IV, as a PDF. Pseudonymised unless you choose "
            "otherwise: a keyed pseudonym instead of his name and numbers, the year of birth, "
            "the month of capture."
        ),
        Document.CASE_SUMMARY: _(
            "His case and its history as you see them on his page, as a PDF. Pseudonymised "
            "unless you choose otherwise: no names, numbers, places or free text."
        ),
    }
    return render(
        request,
        "exports/form.html",
        {
            "title": titles[document],
            "intro": [intros[document]],
            "person": person,
            "form": form,
            "may_identify": can(request.user, Action.EXPORT_IDENTIFIED),
            "submit_label": _("Download the PDF"),
            "back": reverse("registry:person_detail", args=[person.registry_number]),
        },
    )


@form_methods
def capture_card(request: HttpRequest, registry_number: str) -> HttpResponse:
    return _person_document(request, registry_number, Document.CAPTURE_CARD)


@form_methods
def case_summary(request: HttpRequest, registry_number: str) -> HttpResponse:
    return _person_document(request, registry_number, Document.CASE_SUMMARY)
