"""The organisation's members page (its administrators)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from safepassage.accounts import selectors


@require_http_methods(["GET"])
def members(request: HttpRequest) -> HttpResponse:
    users = selectors.member_list(actor=request.user)
    return render(request, "accounts/members.html", {"members": users})
