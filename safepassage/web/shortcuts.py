"""The pieces every app's pages share: the form page (POST-redirect-GET, a service's refusal shown
on the form) and pagination. No app's rules live here."""

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from safepassage.lib.errors import ConflictError, DomainError, ReasonedRefusal

PAGE_SIZE = 50
FORM_TEMPLATE = "web/form.html"
form_methods = require_http_methods(["GET", "POST"])


def posted(request: HttpRequest) -> QueryDict | None:
    """The submitted data for a form: the POST body, or None (an unbound form) on GET."""
    return request.POST if request.method == "POST" else None


def page_of(request: HttpRequest, items, per_page: int = PAGE_SIZE) -> Page:
    """The page of `items` the request's `?page=` asks for (the last one past the end)."""
    return Paginator(items, per_page).get_page(request.GET.get("page"))


def form_page(
    request: HttpRequest,
    *,
    context: dict[str, Any],
    form: forms.Form,
    write: Callable[[dict[str, Any]], Any],
    success: str | Callable[[Any], str],
    next_url: str | Callable[[Any], str],
    also_valid: Iterable[forms.BaseFormSet] = (),
    template: str = FORM_TEMPLATE,
) -> HttpResponse:
    """GET shows the form; a valid POST calls `write` and redirects (POST-redirect-GET).

    A refusal by the service re-renders the form with its words: 409 for a conflict with
    someone else's change, 200 otherwise. The guard's violations get a box of their own.
    """
    context = {**context, "form": form}
    if request.method == "POST":
        valid = [form.is_valid(), *(extra.is_valid() for extra in also_valid)]
        if all(valid):
            try:
                result = write(form.cleaned_data)
            except ReasonedRefusal as error:
                context["guard_violations"] = error.lines
                return render(request, template, context)
            except DomainError as error:
                form.add_error(None, str(error))
                status = 409 if isinstance(error, ConflictError) else 200
                return render(request, template, context, status=status)
            messages.success(request, success(result) if callable(success) else success)
            return redirect(next_url(result) if callable(next_url) else next_url)
    return render(request, template, context)
