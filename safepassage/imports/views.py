"""Upload pages: thin. Ask the selectors (which ask the policy), call one service, redirect.

Only registrars of a detaining power may import (`Action.PERSON_REGISTER`); others get 403,
and another organisation's uploads answer 404. The check and the import run as background jobs;
the job page polls its progress with HTMX (the local asset; nothing inline, for the CSP).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods

from safepassage.access.policy import Action, require
from safepassage.imports import forms, jobs, selectors, services
from safepassage.imports.models import ImportJob
from safepassage.imports.progress import progress_read
from safepassage.imports.reading import DEFAULT_SOURCE
from safepassage.imports.uploads import SealingUploadHandler
from safepassage.lib.errors import DomainError
from safepassage.web.uploads import upload_too_large_message

form_methods = require_http_methods(["GET", "POST"])


def _job_url(job: ImportJob) -> str:
    return reverse("imports:job_detail", args=[job.pk])


@require_http_methods(["GET"])
def job_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "imports/job_list.html",
        {
            "jobs": selectors.import_job_list(actor=request.user),
            "mappings": selectors.import_mapping_list(actor=request.user),
        },
    )


@csrf_exempt  # checked below, once the upload handler is in place
@form_methods
def upload(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PERSON_REGISTER)  # before a byte of the body is read
    handler = SealingUploadHandler(request)
    request.upload_handlers = [handler]
    return _upload(request, handler)


@csrf_protect
def _upload(request: HttpRequest, handler: SealingUploadHandler) -> HttpResponse:
    mappings = selectors.import_mapping_list(actor=request.user)
    if request.method == "POST":
        form = forms.UploadForm(request.POST, request.FILES, mappings=mappings)
        if handler.too_large:
            form.add_error("file", upload_too_large_message())
        if form.is_valid():
            try:
                job = jobs.import_job_create(
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    mapping=form.cleaned_data["mapping"],
                    encoding=form.cleaned_data["encoding"],
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                return redirect(_job_url(job))
    else:
        form = forms.UploadForm(mappings=mappings)
    return render(
        request,
        "imports/form.html",
        {
            "title": _("Import a list of persons"),
            "intro": [
                _(
                    "The file is checked first: every problem is listed with its row and what "
                    "to do, and nothing is written. You then import it, all rows or none."
                )
            ],
            "form": form,
            "multipart": True,
            "submit_label": _("Upload and check"),
            "back": reverse("imports:job_list"),
        },
    )


def _job_context(request: HttpRequest, job: ImportJob) -> dict:
    rows, done, total = progress_read(job) if job.is_running else (job.rows_done, 0, 0)
    percent = min(100, int(100 * done / total)) if total else 0
    return {
        "job": job,
        "rows": rows,
        "percent": percent,
        "summary": job.summary,
        "mine": job.created_by_id == request.user.pk,
    }


@require_http_methods(["GET"])
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = selectors.import_job_for(request.user, pk)
    return render(request, "imports/job_detail.html", _job_context(request, job))


@require_http_methods(["GET"])
def job_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The progress box, polled by HTMX; once the job stops, the whole page reloads."""
    job = selectors.import_job_for(request.user, pk)
    response = render(request, "imports/_progress.html", _job_context(request, job))
    if not job.is_running:
        response["HX-Refresh"] = "true"
    return response


def _job_step(request: HttpRequest, pk: int, step, success: str) -> HttpResponse:
    job = selectors.import_job_for(request.user, pk)
    try:
        step(actor=request.user, job=job)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, success)
    return redirect(_job_url(job))


@require_http_methods(["POST"])
def job_commit(request: HttpRequest, pk: int) -> HttpResponse:
    return _job_step(request, pk, jobs.import_job_commit_request, _("The import has started."))


@require_http_methods(["POST"])
def job_discard(request: HttpRequest, pk: int) -> HttpResponse:
    return _job_step(
        request, pk, jobs.import_job_discard, _("Discarded: the file is no longer kept.")
    )


def _mapping_page(request: HttpRequest, *, header, job: ImportJob | None) -> HttpResponse:
    form = forms.MappingForm(
        request.POST if request.method == "POST" else None,
        header=header,
        initial={"name": job.source if job and job.source != DEFAULT_SOURCE else ""},
    )
    if request.method == "POST" and form.is_valid():
        try:
            mapping = services.import_mapping_save(
                actor=request.user,
                name=form.cleaned_data["name"],
                columns=form.columns(),
                date_order=form.cleaned_data["date_order"],
            )
            if job is not None:
                jobs.import_job_recheck(actor=request.user, job=job, mapping=mapping.name)
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Mapping “%(name)s” saved.") % {"name": mapping.name})
            return redirect(_job_url(job) if job else reverse("imports:job_list"))
    return render(
        request,
        "imports/form.html",
        {
            "title": _("Map the columns of a source"),
            "intro": [
                _(
                    "Say which column holds each field. The id and a name (family, given or "
                    "full) are required; the others may be left out."
                )
            ],
            "form": form,
            "submit_label": _("Save and check again") if job else _("Save the mapping"),
            "back": _job_url(job) if job else reverse("imports:job_list"),
        },
    )


@form_methods
def mapping_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PERSON_REGISTER)
    return _mapping_page(request, header=(), job=None)


@form_methods
def job_mapping(request: HttpRequest, pk: int) -> HttpResponse:
    """Map the columns of this upload's file, save the mapping, and check the file again."""
    job = selectors.import_job_for(request.user, pk)
    if job.created_by_id != request.user.pk:
        raise PermissionDenied
    return _mapping_page(request, header=job.summary.get("header") or (), job=job)
