"""The audit log page of an organisation's auditors: events as they may see them, read bursts."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from safepassage.audit import selectors
from safepassage.web.shortcuts import page_of


@require_http_methods(["GET"])
def audit_list(request: HttpRequest) -> HttpResponse:
    page = page_of(request, selectors.audit_event_list(actor=request.user))
    page.object_list = selectors.audit_events_as_seen(actor=request.user, events=page.object_list)
    bursts = selectors.read_burst_list(actor=request.user)
    return render(request, "audit/audit_list.html", {"page": page, "bursts": bursts})
