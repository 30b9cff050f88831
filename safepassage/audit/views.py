"""The audit log pages of an organisation's auditors: the log, one person's trail, its CSV."""

from collections.abc import Iterator
from itertools import batched

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from safepassage.access.persons import person_for
from safepassage.access.policy import Action, require
from safepassage.audit import selectors, services
from safepassage.audit.forms import AuditFilterForm
from safepassage.lib.spreadsheet import csv_rows
from safepassage.web.shortcuts import page_of

EXPORT_CHUNK = 500


def _filter_form(request: HttpRequest, person=None) -> AuditFilterForm:
    """Bound to the query string: with nothing asked, every field is empty and it is valid."""
    return AuditFilterForm(request.GET, actor=request.user, person=person)


def _filtered(request: HttpRequest) -> bool:
    return any(request.GET.get(name) for name in AuditFilterForm.base_fields)


def _log_page(request: HttpRequest, *, person=None) -> HttpResponse:
    require(request.user, Action.AUDIT_VIEW)
    form = _filter_form(request, person)
    valid = form.is_valid()
    filters = form.filters() if valid else None
    events = selectors.audit_event_list(actor=request.user, filters=filters)
    page = page_of(request, events if valid else events.none())
    seen = selectors.audit_events_as_seen(actor=request.user, events=page.object_list)
    page.object_list = selectors.audit_rows(seen)
    bursts = selectors.read_burst_list(actor=request.user) if person is None else []
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": page, "bursts": bursts, "form": form, "person": person,
        "query": query.urlencode(), "filtered": _filtered(request),
    }  # fmt: skip
    return render(request, "audit/audit_list.html", context)


@require_http_methods(["GET"])
def audit_list(request: HttpRequest) -> HttpResponse:
    return _log_page(request)


@require_http_methods(["GET"])
def person_audit(request: HttpRequest, registry_number: str) -> HttpResponse:
    require(request.user, Action.AUDIT_VIEW)
    return _log_page(request, person=person_for(request.user, registry_number))


def _csv_lines(actor, events) -> Iterator[bytes]:
    header = [
        _("Time"), _("Who"), _("Action"), _("Action code"), _("Record"), _("Registry number"),
        _("Changed fields"),
    ]  # fmt: skip

    def rows():
        for chunk in batched(events.iterator(chunk_size=EXPORT_CHUNK), EXPORT_CHUNK):
            seen = selectors.audit_events_as_seen(actor=actor, events=chunk)
            for row in selectors.audit_rows(seen):
                changes = "; ".join(f"{c.label}: {c.before} → {c.after}" for c in row.changes)
                yield [
                    row.at, row.actor_username, row.action_label, row.action, row.object_repr,
                    row.registry_number, changes,
                ]  # fmt: skip

    return csv_rows(header, rows())


@require_http_methods(["GET"])
def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV (formula-safe cells, streamed a chunk at a time), recorded as
    an export of the log before the first row leaves."""
    require(request.user, Action.AUDIT_VIEW)
    form = _filter_form(request)
    if not form.is_valid():
        return _log_page(request)
    filters = form.filters()
    events = selectors.audit_event_list(actor=request.user, filters=filters)
    services.audit_export_record(
        actor=request.user, filters=filters.as_changes(), events=events.count()
    )
    response = StreamingHttpResponse(_csv_lines(request.user, events), content_type="text/csv")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    response["Cache-Control"] = "no-store"
    return response
