"""Thin views: ask the policy for the person, parse a form, call one service, redirect.

Every refusal of a service (`DomainError`, including the non-refoulement guard) is shown on the
form in plain words; nothing here decides who may do what or what the rules are.
"""

from collections.abc import Callable, Iterable
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from safepassage.access.policy import Action, can, has_any_role_for, person_for, require
from safepassage.accounts import selectors as account_selectors
from safepassage.accounts.models import OrganisationKind
from safepassage.accounts.reauth import last_authenticated_at, reauthentication_ensure
from safepassage.api import selectors as api_selectors
from safepassage.api import services as api_services
from safepassage.audit import selectors as audit_selectors
from safepassage.audit.reads import SensitiveRead, sensitive_reads_record
from safepassage.cases import selectors as case_selectors
from safepassage.cases import services as case_services
from safepassage.cases import workflow
from safepassage.cases.guard import NonRefoulementViolation
from safepassage.cases.models import (
    CaseState,
    InterviewSetting,
    RiskAssessment,
    Transfer,
    WillExpression,
    WillSource,
)
from safepassage.lib.errors import ConflictError, DomainError
from safepassage.registry import selectors as registry_selectors
from safepassage.registry import services as registry_services
from safepassage.registry.models import Person
from safepassage.web import forms
from safepassage.web.pagination import CappedPaginator

PAGE_SIZE = 50
# The person list counts at most this many matches (20 pages); more: "narrow the search".
PERSON_LIST_CAP = 1000
FORM_TEMPLATE = "web/form.html"
form_methods = require_http_methods(["GET", "POST"])


def _detail_url(person: Person) -> str:
    return reverse("web:person_detail", args=[person.registry_number])


def _form_page(
    request: HttpRequest,
    *,
    context: dict[str, Any],
    form: django_forms.Form,
    write: Callable[[dict[str, Any]], Any],
    success: str | Callable[[Any], str],
    next_url: str | Callable[[Any], str],
    also_valid: Iterable[django_forms.BaseFormSet] = (),
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
            except NonRefoulementViolation as error:
                context["guard_violations"] = error.lines
                return render(request, template, context)
            except DomainError as error:
                form.add_error(None, str(error))
                status = 409 if isinstance(error, ConflictError) else 200
                return render(request, template, context, status=status)
            messages.success(request, success(result) if callable(success) else success)
            return redirect(next_url(result) if callable(next_url) else next_url)
    return render(request, template, context)


# --- registry ---------------------------------------------------------------------------------


@require_http_methods(["GET"])
def person_list(request: HttpRequest) -> HttpResponse:
    search = forms.PersonSearchForm(request.GET or None)
    query, filters = "", {}
    if search.is_bound:
        search.is_valid()  # invalid filters are dropped and shown as errors
        filters = dict(search.cleaned_data)
        query = filters.pop("q", "")
    persons = registry_selectors.person_list(actor=request.user, query=query, filters=filters)
    paginator = CappedPaginator(persons, PAGE_SIZE, cap=PERSON_LIST_CAP)
    page = paginator.get_page(request.GET.get("page"))
    return render(
        request,
        "web/person_list.html",
        {
            "search": search,
            "page": page,
            "filtered": bool(query or any(filters.values())),
            "can_register": can(request.user, Action.PERSON_REGISTER),
        },
    )


@sensitive_post_parameters()
@form_methods
def person_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PERSON_REGISTER)
    data = request.POST if request.method == "POST" else None
    form = forms.PersonForm(
        data, show_next_of_kin=has_any_role_for(request.user, Action.NEXT_OF_KIN_VIEW)
    )
    names = forms.NameFormSet(data, prefix="names")

    def write(cleaned):
        return registry_services.person_register(
            actor=request.user,
            names=[registry_services.NameInput(**name) for name in names.names()],
            **cleaned,
        )

    return _form_page(
        request,
        context={"title": _("Register a prisoner of war"), "names": names},
        form=form,
        also_valid=[names],
        write=write,
        success=_("Registered. His case is open."),
        next_url=_detail_url,
        template="web/person_form.html",
    )


@require_http_methods(["GET"])
def person_detail(request: HttpRequest, registry_number: str) -> HttpResponse:
    user = request.user
    person = person_for(user, registry_number)
    case = person.case
    open_targets = {t.target for t in workflow.available_transitions(case, user, manual_only=False)}
    scheduled = case_selectors.scheduled_transfer(person)
    show_next_of_kin = can(user, Action.NEXT_OF_KIN_VIEW, person)
    if show_next_of_kin and person.next_of_kin:
        sensitive_reads_record(actor=user, reads=[SensitiveRead(person, "next_of_kin")])
    context = {
        "person": person,
        "case": case,
        "names": list(person.names.all()),
        "timeline": case_selectors.person_timeline(actor=user, person=person),
        "show_next_of_kin": show_next_of_kin,
        "can_edit": can(user, Action.PERSON_EDIT, person),
        "can_record_will": can(user, Action.WILL_RECORD, person),
        "can_assess": can(user, Action.ASSESS, person),
        "can_assign_legal": can(user, Action.LEGAL_ASSIGN, person),
        "can_decide": can(user, Action.DECIDE, person) and CaseState.DECIDED in open_targets,
        "can_accept": (
            can(user, Action.ACCEPT, person)
            and case.state == CaseState.DECIDED
            and CaseState.ACCEPTED in open_targets
        ),
        "can_schedule": (
            can(user, Action.TRANSFER_SCHEDULE, person)
            and scheduled is None
            and CaseState.TRANSFER_SCHEDULED in open_targets
        ),
        "scheduled": scheduled,
        "can_execute": scheduled is not None and can(user, Action.TRANSFER_EXECUTE, person),
        "transition_form": forms.TransitionForm(
            transitions=workflow.available_transitions(case, user), auto_id="step_%s"
        ),
    }
    return render(request, "web/person_detail.html", context)


@sensitive_post_parameters()
@form_methods
def person_edit(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.PERSON_EDIT)
    show_next_of_kin = can(request.user, Action.NEXT_OF_KIN_VIEW, person)
    initial = {name: getattr(person, name) for name in forms.IDENTITY_FIELDS}
    if not show_next_of_kin:
        del initial["next_of_kin"]
    elif request.method == "GET" and person.next_of_kin:
        # The form shows the stored value.
        sensitive_reads_record(actor=request.user, reads=[SensitiveRead(person, "next_of_kin")])
    form = forms.PersonEditForm(
        request.POST if request.method == "POST" else None,
        initial={**initial, "version": person.version},
        show_next_of_kin=show_next_of_kin,
    )

    def write(cleaned):
        fields = dict(cleaned)
        version = fields.pop("version")
        return registry_services.person_update(
            actor=request.user, person=person, expected_version=version, **fields
        )

    return _form_page(
        request,
        context={"title": _("Edit identity"), "person": person},
        form=form,
        write=write,
        success=_("Identity saved."),
        next_url=_detail_url(person),
    )


@sensitive_post_parameters()
@form_methods
def person_name_add(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.PERSON_EDIT)
    form = forms.NameForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        context={
            "title": _("Add a name"),
            "intro": [
                _(
                    "Another script, another romanization, or a name under which he was "
                    "documented falsely (mark it as an assumed identity)."
                )
            ],
            "person": person,
        },
        form=form,
        write=lambda cleaned: registry_services.person_name_add(
            actor=request.user, person=person, name=registry_services.NameInput(**cleaned)
        ),
        success=_("Name added."),
        next_url=_detail_url(person),
    )


# --- will expressions -------------------------------------------------------------------------


@sensitive_post_parameters()
@form_methods
def will_new(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.WILL_RECORD)
    is_verifier = request.user.organisation.kind == OrganisationKind.NEUTRAL_VERIFIER
    initial = {"expressed_on": timezone.localdate()}
    if is_verifier:
        initial |= {
            "source": WillSource.PRIVATE_VERIFICATION_INTERVIEW,
            "setting": InterviewSetting.PRIVATE,
        }
    form = forms.WillForm(request.POST if request.method == "POST" else None, initial=initial)
    intro = [
        _(
            "Only a private interview by the neutral verifier, without witnesses, with an "
            "interpreter of the verifier's choosing, counts as a verified will (GC III Art. 126). "
            "Everything else — press interviews, statements to interrogators, letters — is kept "
            "as evidence."
        )
    ]
    if not is_verifier:
        intro.append(
            _(
                "Your organisation is not the neutral verifier: this record will be kept as "
                "evidence, not as a verified will."
            )
        )
    return _form_page(
        request,
        context={"title": _("Record a will expression"), "intro": intro, "person": person},
        form=form,
        write=lambda cleaned: case_services.will_expression_record(
            actor=request.user, person=person, **cleaned
        ),
        success=_("Will expression recorded."),
        next_url=_detail_url(person),
    )


@sensitive_post_parameters()
@form_methods
def will_withdraw(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.WILL_WITHDRAW)
    will = get_object_or_404(WillExpression, pk=pk, person=person)
    form = forms.ReasonForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        context={
            "title": _("Withdraw will expression #%(id)s") % {"id": will.pk},
            "intro": [
                _(
                    "Withdraw a record made in error. It stays in the history but no longer "
                    "governs; if it was the governing will, the previous verified one governs."
                )
            ],
            "person": person,
            "submit_label": _("Withdraw"),
            "danger": True,
        },
        form=form,
        write=lambda cleaned: case_services.will_expression_withdraw(
            actor=request.user, will=will, reason=cleaned["reason"]
        ),
        success=_("Will expression withdrawn."),
        next_url=_detail_url(person),
    )


# --- assessment, decision, acceptance ---------------------------------------------------------


@form_methods
def assessment_new(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.ASSESS)
    form = forms.AssessmentForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        context={
            "title": _("Record a risk assessment"),
            "intro": [
                _(
                    "Assess one state, as a destination and as a transit state. A high risk "
                    "blocks every route through it; a scheduled transfer it forbids is cancelled."
                )
            ],
            "person": person,
        },
        form=form,
        write=lambda cleaned: case_services.risk_assessment_record(
            actor=request.user, person=person, **cleaned
        ),
        success=_("Risk assessment recorded."),
        next_url=_detail_url(person),
    )


@form_methods
def assessment_concur(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.ASSESS)
    assessment = get_object_or_404(RiskAssessment, pk=pk, person=person)
    form = forms.ReasonForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        context={
            "title": _("Concur with risk assessment #%(id)s") % {"id": assessment.pk},
            "intro": [
                _(
                    "This assessment lowers a risk an earlier one found high. It takes effect "
                    "only when a legal officer of another organisation concurs: yours, if you "
                    "have read its basis and agree. The route it opens is then checked again."
                )
            ],
            "person": person,
            "submit_label": _("Concur"),
        },
        form=form,
        write=lambda cleaned: case_services.risk_assessment_concur(
            actor=request.user, assessment=assessment, reason=cleaned["reason"]
        ),
        success=_("Concurrence recorded: the assessment is in effect."),
        next_url=_detail_url(person),
    )


@form_methods
def decision_new(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.DECIDE)
    form = forms.DecisionForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        context={
            "title": _("Take a decision"),
            "intro": [
                _(
                    "The destination must have been assessed, and the non-refoulement guard "
                    "must allow it."
                )
            ],
            "person": person,
            "assessed": case_selectors.assessments_latest(person),
        },
        form=form,
        write=lambda cleaned: case_services.decision_take(
            actor=request.user, person=person, **cleaned
        ),
        success=_("Decision taken."),
        next_url=_detail_url(person),
    )


@form_methods
def acceptance_new(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.ACCEPT)
    form = forms.AcceptanceForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        context={
            "title": _("Accept on behalf of the receiving state"),
            "person": person,
            "decision": case_selectors.latest_decision(person),
        },
        form=form,
        write=lambda cleaned: case_services.acceptance_record(
            actor=request.user, person=person, **cleaned
        ),
        success=_("Acceptance recorded."),
        next_url=_detail_url(person),
    )


# --- transfers --------------------------------------------------------------------------------


@form_methods
def transfer_new(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.TRANSFER_SCHEDULE)
    if request.method == "POST":
        reauthentication_ensure(request)
    decision = case_selectors.latest_decision(person)
    form = forms.TransferForm(
        request.POST if request.method == "POST" else None,
        initial={"destination": decision.destination.code if decision else ""},
    )
    return _form_page(
        request,
        context={
            "title": _("Schedule the transfer"),
            "intro": [
                _(
                    "The non-refoulement guard checks the destination and every transit state "
                    "now and again when the transfer is executed. It has no override."
                )
            ],
            "person": person,
            "decision": decision,
        },
        form=form,
        write=lambda cleaned: case_services.transfer_schedule(
            actor=request.user, person=person, **cleaned
        ),
        success=_("Transfer scheduled."),
        next_url=_detail_url(person),
    )


def _transfer_for(request, registry_number: str, pk: int, action: Action) -> Transfer:
    person = person_for(request.user, registry_number, action)
    return get_object_or_404(Transfer, pk=pk, person=person)


@form_methods
def transfer_execute(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    transfer = _transfer_for(request, registry_number, pk, Action.TRANSFER_EXECUTE)
    if request.method == "POST":
        reauthentication_ensure(request)
    form = django_forms.Form(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        context={
            "title": _("Execute the transfer"),
            "intro": [
                _("Confirm that he has been handed over. The guard checks the route once more.")
            ],
            "person": transfer.person,
            "transfer": transfer,
            "submit_label": _("Record as executed"),
        },
        form=form,
        write=lambda cleaned: case_services.transfer_execute(actor=request.user, transfer=transfer),
        success=_("Transfer recorded as executed."),
        next_url=_detail_url(transfer.person),
    )


@form_methods
def transfer_cancel(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    transfer = _transfer_for(request, registry_number, pk, Action.TRANSFER_SCHEDULE)
    form = forms.ReasonForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        context={
            "title": _("Cancel the transfer"),
            "person": transfer.person,
            "transfer": transfer,
            "submit_label": _("Cancel the transfer"),
            "danger": True,
        },
        form=form,
        write=lambda cleaned: case_services.transfer_cancel(
            actor=request.user, transfer=transfer, reason=cleaned["reason"]
        ),
        success=_("Transfer cancelled."),
        next_url=_detail_url(transfer.person),
    )


# --- plain steps and legal representation -----------------------------------------------------


@form_methods
def case_transition(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number)
    if not workflow.may_take_any_step(request.user):
        raise PermissionDenied
    transitions = workflow.available_transitions(person.case, request.user)
    form = forms.TransitionForm(
        request.POST if request.method == "POST" else None, transitions=transitions
    )
    return _form_page(
        request,
        context={
            "title": _("Take a step in the case"),
            "person": person,
            "no_steps": not transitions,
        },
        form=form,
        write=lambda cleaned: case_services.case_transition(
            actor=request.user, person=person, **cleaned
        ),
        success=_("Step recorded."),
        next_url=_detail_url(person),
    )


@form_methods
def legal_assign(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.LEGAL_ASSIGN)
    form = forms.LegalAssignForm(
        request.POST if request.method == "POST" else None,
        initial={"organisation": person.case.legal_organisation_id},
    )
    return _form_page(
        request,
        context={
            "title": _("Legal representation"),
            "intro": [
                _(
                    "The legal / protection NGO you choose sees this case, may record risk "
                    "assessments and reads his statements."
                )
            ],
            "person": person,
        },
        form=form,
        write=lambda cleaned: case_services.legal_organisation_assign(
            actor=request.user, person=person, organisation=cleaned["organisation"]
        ),
        success=_("Legal representation saved."),
        next_url=_detail_url(person),
    )


# --- organisation pages -----------------------------------------------------------------------


@require_http_methods(["GET"])
def audit_list(request: HttpRequest) -> HttpResponse:
    events = audit_selectors.audit_event_list(actor=request.user)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = audit_selectors.audit_events_as_seen(
        actor=request.user, events=page.object_list
    )
    bursts = audit_selectors.read_burst_list(actor=request.user)
    return render(request, "web/audit_list.html", {"page": page, "bursts": bursts})


@require_http_methods(["GET"])
def members(request: HttpRequest) -> HttpResponse:
    users = account_selectors.member_list(actor=request.user)
    return render(request, "web/members.html", {"members": users})


# --- the user's own settings ------------------------------------------------------------------


@sensitive_post_parameters()
@form_methods
def api_tokens(request: HttpRequest) -> HttpResponse:
    """The user's own API tokens: create one (its secret is shown on this answer only), revoke."""
    user = request.user
    form = forms.ApiTokenForm(None)
    created = None
    if request.method == "POST" and "revoke" in request.POST:
        pk = request.POST.get("revoke", "").strip()
        if not (pk.isdigit() and len(pk) <= 18):
            raise Http404
        token = get_object_or_404(api_selectors.api_token_list(user=user), pk=int(pk))
        api_services.api_token_revoke(token=token, actor=user)
        messages.success(request, _("Token “%(name)s” revoked.") % {"name": token.name})
        return redirect("web:api_tokens")
    if request.method == "POST":
        # A stolen session must not mint a long-lived credential: confirm it is him first.
        reauthentication_ensure(request)
        form = forms.ApiTokenForm(request.POST)
        if form.is_valid():
            try:
                token, secret = api_services.api_token_create(
                    user=user,
                    actor=user,
                    authenticated_at=last_authenticated_at(request),
                    **form.cleaned_data,
                )
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                # Rendered, not redirected: the secret must not pass through the session.
                created = {"token": token, "secret": secret}
                form = forms.ApiTokenForm(None)
    response = render(
        request,
        "web/api_tokens.html",
        {
            "form": form,
            "created": created,
            "tokens": api_selectors.api_token_list(user=user),
            "now": timezone.now(),
        },
    )
    if created:
        response["Cache-Control"] = "no-store"
    return response
