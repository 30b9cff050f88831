"""Pages after a transfer. Thin: the policy, the selectors and the services decide."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET

from safepassage.access.persons import person_for
from safepassage.access.policy import Action, can, require
from safepassage.followup import forms, selectors, services
from safepassage.followup.models import ContactState, ReceptionStep
from safepassage.web.shortcuts import form_methods, form_page, posted

FORM = "followup/form.html"


def _url(person) -> str:
    return reverse("followup:person_followup", args=[person.registry_number])


def _context(title, person) -> dict:
    return {"title": title, "person": person, "back": _url(person)}


@require_GET
def person_followup(request: HttpRequest, registry_number: str) -> HttpResponse:
    user = request.user
    person = person_for(user, registry_number, Action.FOLLOWUP_VIEW)
    shown = selectors.followup_of(actor=user, person=person)
    return render(request, "followup/person_followup.html", {
        "person": person, "followup": shown,
        "may_receive": can(user, Action.RECEPTION_RECORD, person),
        "may_follow": can(user, Action.FOLLOWUP_RECORD, person),
        "may_see_evidence": can(user, Action.ONWARD_EVIDENCE),
    })  # fmt: skip


@form_methods
def reception_record(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.RECEPTION_RECORD)
    return form_page(
        request, context=_context(_("Record his arrival"), person),
        form=forms.ReceptionForm(posted(request), initial={"arrived_on": timezone.localdate()}),
        write=lambda cleaned: services.reception_record(
            actor=request.user, person=person, **cleaned
        ),
        success=_("Arrival recorded, with your steps after arrival."),
        next_url=_url(person), template=FORM,
    )  # fmt: skip


@form_methods
def reception_step(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.RECEPTION_RECORD)
    step = (
        ReceptionStep.objects.select_related("reception")
        .filter(pk=pk, reception__person=person, reception__organisation=request.user.organisation)
        .first()
    )
    if step is None:
        raise Http404
    return form_page(
        request, context=_context(step.label, person),
        form=forms.StepDoneForm(posted(request), initial={
            "done_on": timezone.localdate(), "expected_version": step.version}),
        write=lambda cleaned: services.reception_step_done(
            actor=request.user, step=step, **cleaned
        ),
        success=_("Step recorded."), next_url=_url(person), template=FORM,
    )  # fmt: skip


@form_methods
def contacts_schedule(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.FOLLOWUP_RECORD)
    return form_page(
        request, context=_context(_("Schedule follow-up contacts"), person),
        form=forms.ScheduleForm(posted(request)),
        write=lambda cleaned: services.followups_schedule(
            actor=request.user, person=person, **cleaned
        ),
        success=_("Follow-up contacts scheduled."), next_url=_url(person), template=FORM,
    )  # fmt: skip


@sensitive_post_parameters()
@form_methods
def contact_record(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.FOLLOWUP_RECORD)
    contact = selectors.contact_for(request.user, pk)
    if contact.person_id != person.pk or contact.state != ContactState.DUE:
        raise Http404
    return form_page(
        request, context=_context(_("Record a follow-up contact"), person),
        form=forms.ContactForm(posted(request), initial={
            "contacted_on": timezone.localdate(), "expected_version": contact.version}),
        write=lambda cleaned: services.followup_record(
            actor=request.user, contact=contact, **cleaned
        ),
        success=_("Follow-up contact recorded."), next_url=_url(person), template=FORM,
    )  # fmt: skip


@require_GET
def onward_reports(request: HttpRequest, country: str) -> HttpResponse:
    require(request.user, Action.ONWARD_EVIDENCE)
    reports = selectors.onward_reports(actor=request.user, country=country)
    return render(
        request, "followup/onward_reports.html",
        {"country": country.upper(), "reports": reports},
    )  # fmt: skip


@form_methods
def reception_steps(request: HttpRequest) -> HttpResponse:
    """The receiving state's own list of steps after arrival."""
    labels = selectors.reception_steps_of(actor=request.user)
    url = reverse("followup:reception_steps")
    return form_page(
        request,
        context={"title": _("Your steps after arrival"), "steps": labels, "back": url},
        form=forms.ReceptionStepsForm(posted(request), initial={"labels": "\n".join(labels)}),
        write=lambda cleaned: services.reception_steps_configure(
            actor=request.user, labels=cleaned["labels"]
        ),
        success=_("Your steps after arrival are saved."), next_url=url,
        template="followup/reception_steps.html",
    )  # fmt: skip
