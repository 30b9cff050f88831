"""The home page: the work queues of the reader's roles. Thin: the selectors decide."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from safepassage.work import selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "work/home.html",
        {
            "queues": selectors.home_queues(user=request.user),
            "places": selectors.to_be_seen_by_place(user=request.user),
            "shown": selectors.SHOWN,
            "next_visit": selectors.next_visit_list(user=request.user),
            "to_finalise": selectors.visit_interviews_to_finalise(user=request.user),
        },
    )
