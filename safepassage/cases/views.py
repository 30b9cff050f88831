"""Case pages: will expressions, risk assessments, the decision, the acceptance, the transfer,
plain steps and legal representation. Each asks the access package for the person, parses a
form, calls one service and returns to his page; a refusal is shown on the form in plain words.
"""

from collections.abc import Callable, Sequence
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.debug import sensitive_post_parameters

from safepassage.access.persons import person_for
from safepassage.access.policy import Action
from safepassage.accounts.models import OrganisationKind
from safepassage.accounts.reauth import reauthentication_ensure
from safepassage.cases import forms, selectors, services, workflow
from safepassage.cases.models import (
    CaseState,
    InterviewSetting,
    RiskAssessment,
    Transfer,
    WillExpression,
    WillSource,
)
from safepassage.followup import selectors as followup_selectors
from safepassage.lib.errors import ConflictError, DomainError, ReasonedRefusal
from safepassage.registry.models import Person
from safepassage.registry.views import person_url
from safepassage.web.shortcuts import FORM_TEMPLATE, form_methods, form_page, posted

CONFIRM_TEMPLATE = "cases/confirm.html"
CONFIRMATION_MAX_AGE = 30 * 60  # seconds a confirmation page stays good for
STEP_REASON_KEY = "cases.step_reason"


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


# --- steps that cannot be undone: the facts, then a confirmation -------------------------------


def _refusal_shown(form: django_forms.Form, context: dict, error: DomainError) -> int:
    """Put a service's refusal on the form (at its field when it names one); the status."""
    if isinstance(error, ReasonedRefusal):
        context["guard_violations"] = error.lines
        return 200
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))
    return 409 if isinstance(error, ConflictError) else 200


def _shown(form: django_forms.Form, name: str) -> str:
    value = form.cleaned_data.get(name)
    if hasattr(value, "isoformat"):
        return date_format(value, "DATE_FORMAT")
    return str(value) if value not in (None, "") else "—"


def _confirmed_page(
    request: HttpRequest,
    person: Person,
    form: django_forms.Form,
    *,
    scope: str,
    check: Callable[[dict[str, Any]], Any],
    write: Callable[[dict[str, Any]], Any],
    title: str,
    consequence: str,
    confirm_label: str,
    success: str,
    **context: Any,
) -> HttpResponse:
    """A step that cannot be undone, in two: the form, whose facts `check` validates without
    writing, then a page that shows them, says what cannot be undone, and carries them in a
    signed token; only its confirmation calls `write`, after checking the facts again.

    The token is signed for this user, this person and `scope` (the step), and expires."""
    context = {"title": title, "person": person, "form": form, **context}
    salt = f"safepassage.cases.confirm:{request.user.pk}:{person.pk}:{scope}"
    token = request.POST.get("confirmation") if request.method == "POST" else None
    if token is not None:
        try:
            data = signing.loads(token, salt=salt, max_age=CONFIRMATION_MAX_AGE)
        except signing.BadSignature:
            messages.error(
                request, _("The confirmation has expired or was altered: enter the facts again.")
            )
            return redirect(request.path)
        form = form.__class__(data, **getattr(form, "_confirm_kwargs", {}))
        context["form"] = form
        if "change" in request.POST:
            return render(request, FORM_TEMPLATE, context)
    if request.method == "POST" and form.is_valid():
        try:
            check(form.cleaned_data)
            if token is not None:
                write(form.cleaned_data)
                messages.success(request, success)
                return redirect(person_url(person))
        except DomainError as error:
            status = _refusal_shown(form, context, error)
            return render(request, FORM_TEMPLATE, context, status=status)
        raw = {name: form.data.get(name, "") for name in form.fields}
        context |= {
            "consequence": consequence,
            "confirm_label": confirm_label,
            "facts": [(form[name].label, _shown(form, name)) for name in form.fields],
            "confirmation": signing.dumps(raw, salt=salt),
        }
        return render(request, CONFIRM_TEMPLATE, context)
    return render(request, FORM_TEMPLATE, context)


def _facts_form(request, target: str, data=None, initial=None) -> django_forms.Form:
    """The facts form of `target` (the confirmation rebuilds it from its token)."""
    form = forms.StepFactsForm(data, target=target, initial=initial)
    form._confirm_kwargs = {"target": target}
    return form


CONSEQUENCES = {
    CaseState.DECEASED: gettext_lazy(
        "Recording his death ends his case: no step but the closure follows, and his routes are "
        "closed. It is not undone by another step: a death recorded in error is taken back "
        "only by a correction, which stays in his history beside it."
    ),
    CaseState.RELEASED: gettext_lazy(
        "Recording his release ends his captivity: no transfer or exchange can follow, and his "
        "routes are closed. A release recorded in error is taken back only by a correction, "
        "which stays in his history beside it."
    ),
    CaseState.ESCAPED: gettext_lazy(
        "Recording his escape ends his captivity in the registry: no transfer or exchange can "
        "follow, and his routes are closed. An escape recorded in error is taken back only by "
        "a correction, which stays in his history beside it."
    ),
    CaseState.CLOSED: gettext_lazy(
        "Closing the case ends it: no step follows, and the retention period for his record "
        "starts. A closure recorded in error is taken back only by a correction, which stays "
        "in his history beside it."
    ),
}


@sensitive_post_parameters()
@form_methods
def step_final(request: HttpRequest, registry_number: str, target: str) -> HttpResponse:
    """A death (Art. 120), release, escape or closure: its facts, then its confirmation."""
    person = person_for(request.user, registry_number)
    steps = selectors.case_steps_for(actor=request.user, person=person).plain_steps_require()
    if target not in workflow.IRREVERSIBLE:
        raise Http404
    step = next((t for t in steps if t.target == target), None)
    if step is None:
        raise PermissionDenied  # not his to take, or not from the case's state
    initial = {"reason": request.session.pop(STEP_REASON_KEY, "")}
    form = _facts_form(request, target, posted(request), initial)
    return _confirmed_page(
        request,
        person,
        form,
        scope=f"step:{target}",
        check=lambda cleaned: services.step_facts_validate(
            person=person, target=target, **{k: v for k, v in cleaned.items() if k != "reason"}
        ),
        write=lambda cleaned: services.case_transition(
            actor=request.user, person=person, target=target, confirmed=True, **cleaned
        ),
        title=str(step.label),
        intro=[str(CONSEQUENCES[target])],
        submit_label=_("Review before recording"),
        consequence=str(CONSEQUENCES[target]),
        confirm_label=_("Confirm: %(step)s") % {"step": step.label},
        success=_("Step recorded."),
    )


@form_methods
def step_correct(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.CASE_CORRECT)
    wrong = selectors.case_steps_for(actor=request.user, person=person).correctable
    rule = _(
        "The step and its facts stay in his history; the correction is recorded beside them "
        "with your name and your reason. An executed transfer is never corrected: he was moved."
    )
    if wrong is None:
        intro = [
            _("There is nothing to correct: only a death, release, escape or closure can be, "
              "while it is the case's latest step."),
            rule,
        ]  # fmt: skip
    else:
        intro = [
            _("“%(step)s”, recorded on %(date)s by %(actor)s, is taken back: the case returns "
              "to “%(before)s”.") % {
                "step": wrong.get_to_state_display(), "before": wrong.get_from_state_display(),
                "date": date_format(timezone.localtime(wrong.at), "SHORT_DATETIME_FORMAT"),
                "actor": wrong.actor.get_username(),
            },
            rule,
        ]  # fmt: skip
    return _reason_page(
        request,
        person,
        services.case_correct,
        {"person": person},
        title=_("Correct a step recorded in error"),
        intro=intro,
        submit_label=_("Record the correction"),
        danger=True,
        success=_("Correction recorded."),
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
        intro=[
            _(
                "Assess one state, as a destination and as a transit state. A high risk "
                "blocks every route through it; a scheduled transfer it forbids is cancelled."
            ),
            # The follow-ups' evidence of onward removal, every person's (docs/followup.md).
            *followup_selectors.onward_evidence_lines(actor=request.user),
        ],
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
    destinations = selectors.decision_destinations(person)
    initial = selectors.decision_initial(
        actor=request.user, person=person, destinations=[code for code, _label in destinations]
    )
    return _record_page(
        request,
        person,
        forms.DecisionForm(posted(request), destinations=destinations, initial=initial),
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


@form_methods
def acceptance_decline(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.DECLINE)
    return _reason_page(
        request,
        person,
        services.acceptance_decline,
        {"person": person},
        title=_("Decline on behalf of the receiving state"),
        intro=_(
            "The case returns to the legal assessment, for a decision on another destination. "
            "Your reason goes into his history."
        ),
        decision=selectors.latest_decision(person),
        submit_label=_("Decline"),
        danger=True,
        success=_("Declination recorded: the case returns to the decision."),
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
    form = forms.HandoverForm(posted(request), initial={"handed_over_on": timezone.localdate()})
    consequence = _(
        "Recording the transfer as executed says he has left the detaining power's custody: "
        "it cannot be undone or corrected, and no route of his stays open."
    )
    return _confirmed_page(
        request,
        transfer.person,
        form,
        scope=f"execute:{transfer.pk}",
        check=lambda cleaned: services.transfer_handover_validate(transfer=transfer, **cleaned),
        write=lambda cleaned: services.transfer_execute(
            actor=request.user, transfer=transfer, confirmed=True, **cleaned
        ),
        title=_("Execute the transfer"),
        intro=[
            _("Give the facts of the handover. The guard checks the route once more."),
            consequence,
        ],
        transfer=transfer,
        submit_label=_("Review before recording"),
        consequence=consequence,
        confirm_label=_("Confirm: record as executed"),
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
    target = request.POST.get("target", "") if request.method == "POST" else ""
    if target in workflow.IRREVERSIBLE and any(t.target == target for t in steps):
        # Its facts and a confirmation come first: the step form never writes one. The reason
        # typed beside the choice waits in the session for the facts form.
        request.session[STEP_REASON_KEY] = request.POST.get("reason", "")[:2000]
        return redirect(reverse("cases:step_final", args=[person.registry_number, target]))
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
