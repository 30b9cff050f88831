"""Case pages: will expressions, risk assessments, the decision, the acceptance, the transfer,
plain steps and legal representation. Each asks the access package for the person, parses a
form, calls one service and returns to his page; a refusal is shown on the form in plain words.
"""

from collections.abc import Sequence
from typing import Any

from django import forms as django_forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from safepassage.access.persons import person_for
from safepassage.access.policy import Action
from safepassage.accounts.models import OrganisationKind
from safepassage.accounts.reauth import reauthentication_ensure
from safepassage.cases import forms, selectors, services
from safepassage.cases.models import (
    InterviewSetting,
    RiskAssessment,
    Transfer,
    WillExpression,
    WillSource,
)
from safepassage.registry.models import Person
from safepassage.registry.views import person_url
from safepassage.web.shortcuts import form_methods, form_page, posted


def _about_him(
    request: HttpRequest,
    person: Person,
    form: django_forms.Form,
    *,
    title: str,
    write,
    success: str,
    intro: str | Sequence[str] = (),
    **context: Any,
) -> HttpResponse:
    """A form about him that returns to his page."""
    intro = [intro] if isinstance(intro, str) else list(intro)
    return form_page(
        request,
        context={"title": title, "intro": intro, "person": person, **context},
        form=form,
        write=write,
        success=success,
        next_url=person_url(person),
    )


def _record_page(request: HttpRequest, person: Person, form, service, **page: Any) -> HttpResponse:
    """A form whose fields `service(actor=…, person=…, **fields)` records about him."""
    return _about_him(
        request,
        person,
        form,
        write=lambda cleaned: service(actor=request.user, person=person, **cleaned),
        **page,
    )


def _reason_page(
    request: HttpRequest, person: Person, service, about: dict[str, Any], **page: Any
) -> HttpResponse:
    """A form that asks why, for `service(actor=…, reason=…, **about)` (a withdrawal, a
    concurrence, a cancellation)."""
    return _about_him(
        request,
        person,
        forms.ReasonForm(posted(request)),
        write=lambda cleaned: service(actor=request.user, reason=cleaned["reason"], **about),
        **page,
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
    return _record_page(
        request,
        person,
        forms.WillForm(posted(request), initial=initial),
        services.will_expression_record,
        title=_("Record a will expression"),
        intro=intro,
        success=_("Will expression recorded."),
    )


@sensitive_post_parameters()
@form_methods
def will_withdraw(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.WILL_WITHDRAW)
    will = get_object_or_404(WillExpression, pk=pk, person=person)
    return _reason_page(
        request,
        person,
        services.will_expression_withdraw,
        {"will": will},
        title=_("Withdraw will expression #%(id)s") % {"id": will.pk},
        intro=_(
            "Withdraw a record made in error. It stays in the history but no longer "
            "governs; if it was the governing will, the previous verified one governs."
        ),
        submit_label=_("Withdraw"),
        danger=True,
        success=_("Will expression withdrawn."),
    )


# --- assessment, decision, acceptance ---------------------------------------------------------


@form_methods
def assessment_new(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.ASSESS)
    return _record_page(
        request,
        person,
        forms.AssessmentForm(posted(request)),
        services.risk_assessment_record,
        title=_("Record a risk assessment"),
        intro=_(
            "Assess one state, as a destination and as a transit state. A high risk "
            "blocks every route through it; a scheduled transfer it forbids is cancelled."
        ),
        success=_("Risk assessment recorded."),
    )


@form_methods
def assessment_concur(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.ASSESS)
    assessment = get_object_or_404(RiskAssessment, pk=pk, person=person)
    return _reason_page(
        request,
        person,
        services.risk_assessment_concur,
        {"assessment": assessment},
        title=_("Concur with risk assessment #%(id)s") % {"id": assessment.pk},
        intro=_(
            "This assessment lowers a risk an earlier one found high. It takes effect "
            "only when a legal officer of another organisation concurs: yours, if you "
            "have read its basis and agree. The route it opens is then checked again."
        ),
        submit_label=_("Concur"),
        success=_("Concurrence recorded: the assessment is in effect."),
    )


@form_methods
def decision_new(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.DECIDE)
    return _record_page(
        request,
        person,
        forms.DecisionForm(posted(request)),
        services.decision_take,
        title=_("Take a decision"),
        intro=_(
            "The destination must have been assessed, and the non-refoulement guard must allow it."
        ),
        assessed=selectors.assessments_latest(person),
        success=_("Decision taken."),
    )


@form_methods
def acceptance_new(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.ACCEPT)
    return _record_page(
        request,
        person,
        forms.AcceptanceForm(posted(request)),
        services.acceptance_record,
        title=_("Accept on behalf of the receiving state"),
        decision=selectors.latest_decision(person),
        success=_("Acceptance recorded."),
    )


# --- transfers --------------------------------------------------------------------------------


@form_methods
def transfer_new(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.TRANSFER_SCHEDULE)
    if request.method == "POST":
        reauthentication_ensure(request)
    decision = selectors.latest_decision(person)
    initial = {"destination": decision.destination.code if decision else ""}
    return _record_page(
        request,
        person,
        forms.TransferForm(posted(request), initial=initial),
        services.transfer_schedule,
        title=_("Schedule the transfer"),
        intro=_(
            "The non-refoulement guard checks the destination and every transit state "
            "now and again when the transfer is executed. It has no override."
        ),
        decision=decision,
        success=_("Transfer scheduled."),
    )


def _transfer_for(request, registry_number: str, pk: int, action: Action) -> Transfer:
    person = person_for(request.user, registry_number, action)
    return get_object_or_404(Transfer, pk=pk, person=person)


@form_methods
def transfer_execute(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    transfer = _transfer_for(request, registry_number, pk, Action.TRANSFER_EXECUTE)
    if request.method == "POST":
        reauthentication_ensure(request)
    return _about_him(
        request,
        transfer.person,
        django_forms.Form(posted(request)),
        title=_("Execute the transfer"),
        intro=_("Confirm that he has been handed over. The guard checks the route once more."),
        transfer=transfer,
        submit_label=_("Record as executed"),
        write=lambda cleaned: services.transfer_execute(actor=request.user, transfer=transfer),
        success=_("Transfer recorded as executed."),
    )


@form_methods
def transfer_cancel(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    transfer = _transfer_for(request, registry_number, pk, Action.TRANSFER_SCHEDULE)
    return _reason_page(
        request,
        transfer.person,
        services.transfer_cancel,
        {"transfer": transfer},
        title=_("Cancel the transfer"),
        transfer=transfer,
        submit_label=_("Cancel the transfer"),
        danger=True,
        success=_("Transfer cancelled."),
    )


# --- plain steps and legal representation -----------------------------------------------------


@form_methods
def case_transition(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number)
    steps = selectors.case_steps_for(actor=request.user, person=person).plain_steps_require()
    return _record_page(
        request,
        person,
        forms.TransitionForm(posted(request), transitions=steps),
        services.case_transition,
        title=_("Take a step in the case"),
        no_steps=not steps,
        success=_("Step recorded."),
    )


@form_methods
def legal_assign(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.LEGAL_ASSIGN)
    return _about_him(
        request,
        person,
        forms.LegalAssignForm(
            posted(request), initial={"organisation": person.case.legal_organisation_id}
        ),
        title=_("Legal representation"),
        intro=_(
            "The legal / protection NGO you choose sees this case, may record risk "
            "assessments and reads his statements."
        ),
        write=lambda cleaned: services.legal_organisation_assign(
            actor=request.user, person=person, organisation=cleaned["organisation"]
        ),
        success=_("Legal representation saved."),
    )
