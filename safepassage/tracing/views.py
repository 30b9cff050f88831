"""Tracing pages: requests, their candidates and review, informing the requester; the registry's
duplicates queue and pair review. Thin: the policy and the services decide."""

from django import forms as django_forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from safepassage.access.policy import Action, can, require
from safepassage.access.visibility import survivor_for
from safepassage.cases import selectors as case_selectors
from safepassage.lib.errors import DomainError
from safepassage.registry.models import Person
from safepassage.tracing import forms, jobs, selectors, services
from safepassage.tracing.models import (
    CANDIDATE_THRESHOLD,
    CandidateStatus,
    Consent,
    DisclosureItem,
    PairStatus,
    TracingStatus,
)
from safepassage.web.shortcuts import form_methods, form_page, page_of, posted


def _request_url(request_id: int) -> str:
    return reverse("tracing:request_detail", args=[request_id])


# --- tracing requests -------------------------------------------------------------------------


@require_http_methods(["GET"])
def request_list(request: HttpRequest) -> HttpResponse:
    filters = forms.RequestFilterForm(request.GET or None)
    status = filters.cleaned_data.get("status", "") if filters.is_valid() else ""
    requests = selectors.tracing_request_list(actor=request.user, status=status)
    page = page_of(request, requests)
    return render(request, "tracing/request_list.html", {"page": page, "filters": filters})


@sensitive_post_parameters()
@form_methods
def request_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.TRACING_HANDLE)
    form = forms.TracingRequestForm(posted(request))
    return form_page(
        request,
        context={
            "title": _("Record a tracing request"),
            "intro": [
                _(
                    "Write the names as the requester wrote them, in any script: the search "
                    "knows Hangul, Cyrillic and the usual romanizations. A date of birth may be "
                    "only a year (1999) or a month (1999-04)."
                ),
                _(
                    "The requester's name, contact details and the circumstances are encrypted "
                    "and seen only by tracing staff of your organisation."
                ),
            ],
        },
        form=form,
        write=lambda cleaned: services.tracing_request_record(actor=request.user, **cleaned),
        success=_("Tracing request recorded. Search the registry for candidates."),
        next_url=lambda created: _request_url(created.pk),
    )


@require_http_methods(["GET"])
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    tracing = selectors.tracing_request_for(user, pk)
    candidates = [
        {"candidate": c, "reasons": selectors.explanation_in_words(c.explanation)}
        for c in selectors.candidates_of(actor=user, request=tracing)
    ]
    linked = tracing.linked_person
    if linked is not None:
        linked = survivor_for(linked)
    context = {
        "tracing": tracing,
        "candidates": candidates,
        # Best first, so the line falls between the two: likely above it, the rest below.
        "above": [row for row in candidates if row["candidate"].above_threshold],
        "below": [row for row in candidates if not row["candidate"].above_threshold],
        "threshold": CANDIDATE_THRESHOLD,
        "disclosures": selectors.disclosures_of(tracing),
        "linked": linked,
        "is_open": tracing.status == TracingStatus.OPEN,
        "can_inform": (
            can(user, Action.TRACING_INFORM)
            and tracing.status in (TracingStatus.LINKED, TracingStatus.INFORMED)
        ),
        "can_close": tracing.status != TracingStatus.CLOSED,
        "proposed": CandidateStatus.PROPOSED,
        "confirmed": CandidateStatus.CONFIRMED,
    }
    selectors.requester_contacts_shown(actor=user, requests=[tracing])
    return render(request, "tracing/request_detail.html", context)


@require_http_methods(["POST"])
def request_search(request: HttpRequest, pk: int) -> HttpResponse:
    tracing = selectors.tracing_request_for(request.user, pk)
    try:
        found = services.tracing_request_search(actor=request.user, request=tracing)
    except DomainError as error:
        messages.error(request, str(error))
    else:
        likely = sum(1 for candidate in found if candidate.above_threshold)
        messages.success(
            request,
            ngettext(
                "Search done: %(count)d candidate, %(likely)d above the threshold.",
                "Search done: %(count)d candidates, %(likely)d above the threshold.",
                len(found),
            )
            % {"count": len(found), "likely": likely},
        )
    return redirect(_request_url(tracing.pk))


def _verdict_page(request: HttpRequest, pk: int, candidate_pk: int, *, confirm: bool):
    tracing = selectors.tracing_request_for(request.user, pk)
    candidate = selectors.candidate_for(request.user, tracing, candidate_pk)
    form = forms.VerdictForm(posted(request))
    name = candidate.person.primary_name
    who = f"{candidate.person.registry_number} {name.full_name if name else ''}".strip()
    if confirm:
        title = _("Confirm: %(who)s is the person sought") % {"who": who}
        intro = [
            _(
                "The link is recorded and audited. Nobody is told anything yet: informing the "
                "requester is a separate step, limited by his protection."
            )
        ]

        def write(cleaned):
            return services.tracing_candidate_confirm(
                actor=request.user, candidate=candidate, reason=cleaned["reason"]
            )
    else:
        title = _("Reject: %(who)s is not the person sought") % {"who": who}
        intro = [
            _("He stays in the list as rejected, with your reason, and is not proposed again.")
        ]

        def write(cleaned):
            return services.tracing_candidate_reject(
                actor=request.user, candidate=candidate, reason=cleaned["reason"]
            )

    return form_page(
        request,
        context={
            "title": title,
            "intro": intro,
            "submit_label": _("Confirm") if confirm else _("Reject"),
            "danger": not confirm,
        },
        form=form,
        write=write,
        success=_("Link confirmed.") if confirm else _("Candidate rejected."),
        next_url=_request_url(tracing.pk),
    )


@form_methods
def candidate_confirm(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    return _verdict_page(request, pk, candidate_pk, confirm=True)


@form_methods
def candidate_reject(request: HttpRequest, pk: int, candidate_pk: int) -> HttpResponse:
    return _verdict_page(request, pk, candidate_pk, confirm=False)


@sensitive_post_parameters()
@form_methods
def request_inform(request: HttpRequest, pk: int) -> HttpResponse:
    require(request.user, Action.TRACING_INFORM)
    tracing = selectors.tracing_request_for(request.user, pk)
    form = forms.InformForm(posted(request))
    intro = [
        _(
            "Choose what the requester is told. He decides first: if he refused, nothing is "
            "told. For a man who does not want to go back, or is at risk, only that he is alive "
            "and registered — never where he is or where he wants to go."
        )
    ]
    if tracing.linked_person_id is not None:
        person = survivor_for(tracing.linked_person)
        for consent, label in Consent.choices:
            allowed = services.disclosable_for(person=person, consent=consent)
            words = "; ".join(str(DisclosureItem(i).label) for i in sorted(allowed)) or _("nothing")
            intro.append(
                _("Allowed now — %(consent)s: %(items)s.") % {"consent": label, "items": words}
            )
    return form_page(
        request,
        context={"title": _("Inform the requester"), "intro": intro},
        form=form,
        write=lambda cleaned: services.tracing_requester_inform(
            actor=request.user, request=tracing, **cleaned
        ),
        success=_("Recorded what the requester was told."),
        next_url=_request_url(tracing.pk),
    )


@form_methods
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    tracing = selectors.tracing_request_for(request.user, pk)
    form = forms.VerdictForm(posted(request))
    return form_page(
        request,
        context={
            "title": _("Close the tracing request"),
            "intro": [_("Found and told, withdrawn by the requester, or not found: say which.")],
            "submit_label": _("Close"),
            "danger": True,
        },
        form=form,
        write=lambda cleaned: services.tracing_request_close(
            actor=request.user, request=tracing, reason=cleaned["reason"]
        ),
        success=_("Request closed."),
        next_url=_request_url(tracing.pk),
    )


# --- duplicates in the registry ---------------------------------------------------------------


@form_methods
def duplicate_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.DUPLICATE_REVIEW)
    if request.method == "POST":
        try:
            jobs.duplicate_refresh_request(actor=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Looking for new pairs among your organisation's records."),
            )
        return redirect("tracing:duplicate_list")
    pairs = selectors.duplicate_pair_list(actor=request.user)
    page = page_of(request, pairs)
    return render(
        request,
        "tracing/duplicate_list.html",
        {
            "page": page,
            "form": django_forms.Form(),
            "refresh": selectors.duplicate_refresh_latest(actor=request.user),
        },
    )


def duplicate_refresh_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The search's progress box, polled by HTMX; once it stops, the whole page reloads."""
    refresh = selectors.duplicate_refresh_for(request.user, pk)
    response = render(request, "tracing/_refresh_progress.html", {"refresh": refresh})
    if not refresh.is_running:
        response["HX-Refresh"] = "true"
    return response


def _record_view(user, person: Person) -> dict:
    return {
        "person": person,
        "names": list(person.names.all()),
        "timeline": case_selectors.person_timeline(actor=user, person=person),
    }


@form_methods
def duplicate_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pair = selectors.duplicate_pair_for(request.user, pk)
    form = forms.PairDecisionForm(posted(request), pair=pair)
    context = {
        "pair": pair,
        "reasons": selectors.explanation_in_words(pair.explanation),
        "records": [_record_view(request.user, pair.left), _record_view(request.user, pair.right)],
        "is_open": pair.status == PairStatus.OPEN,
        "form": form,
    }
    if request.method == "POST" and form.is_valid():
        cleaned = form.cleaned_data
        survivor = None
        if cleaned["verdict"] == "same":
            survivor = pair.left if cleaned.get("survivor") != str(pair.right_id) else pair.right
        try:
            services.duplicate_pair_decide(
                actor=request.user, pair=pair, same=cleaned["verdict"] == "same",
                reason=cleaned["reason"], survivor=survivor,
            )  # fmt: skip
        except DomainError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Verdict recorded."))
            return redirect("tracing:duplicate_detail", pk=pair.pk)
    return render(request, "tracing/duplicate_detail.html", context)
