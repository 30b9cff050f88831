"""Pages of family links. Thin: the policy, the selectors and the services decide."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET

from safepassage.access.persons import person_for
from safepassage.access.policy import Action, can, can_on_family_message
from safepassage.family import forms, selectors, services
from safepassage.family.models import Direction
from safepassage.family.workflow import MESSAGES
from safepassage.web.shortcuts import form_methods, form_page, posted
from safepassage.workflow.models import Trigger

FORM = "family/form.html"


@sensitive_post_parameters()
@form_methods
def capture_card_choice(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.CAPTURE_CARD_CHOICE)
    choices = selectors.capture_card_choices(actor=request.user, person=person)
    latest = choices[0] if choices else None
    initial = {"expected_choice": latest.pk if latest else 0}
    if latest is not None:
        initial.update(card_to_family=latest.card_to_family, address_on_card=latest.address_on_card)
    url = reverse("family:capture_card_choice", args=[person.registry_number])
    return form_page(
        request,
        context={"title": _("His capture card choice"), "person": person, "choices": choices,
                 "back": reverse("registry:person_detail", args=[person.registry_number])},
        form=forms.CaptureCardChoiceForm(posted(request), initial=initial),
        write=lambda cleaned: services.capture_card_choice_record(
            actor=request.user, person=person, **cleaned
        ),
        success=_("His choice is recorded. The capture card follows it."),
        next_url=url,
        template="family/capture_card_choice.html",
    )  # fmt: skip


# --- family messages -----------------------------------------------------------------------------


def _messages_url(person) -> str:
    return reverse("family:family_messages", args=[person.registry_number])


def _person(request: HttpRequest, registry_number: str, action: Action | None = None):
    """The person, if the reader may see his family messages (and do `action`): else 404."""
    person = person_for(request.user, registry_number)
    if not selectors.may_see_family_messages(request.user, person):
        raise Http404
    if action is not None and not can(request.user, action, person):
        raise Http404
    return person


@require_GET
def family_messages(request: HttpRequest, registry_number: str) -> HttpResponse:
    user = request.user
    person = _person(request, registry_number)
    messages = selectors.family_messages(actor=user, person=person)
    verifier = can(user, Action.FAMILY_MESSAGES, person)
    rows = [
        {"message": m, "copy": selectors.forwarded_copy(m),
         "may_censor": can_on_family_message(user, Action.FAMILY_CENSOR, m),
         "may_step": verifier and bool(_targets(m, user))}
        for m in messages
    ]  # fmt: skip
    return render(request, "family/family_messages.html", {
        "title": _("Family messages"), "person": person, "rows": rows, "verifier": verifier,
        "choice": selectors.correspondence_choice_of(actor=user, person=person)
        if verifier else None,
        "back": reverse("registry:person_detail", args=[person.registry_number]),
    })  # fmt: skip


@sensitive_post_parameters()
@form_methods
def family_message_write(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = _person(request, registry_number, Action.FAMILY_MESSAGES)
    reply = request.GET.get("reply") or None
    initial = {}
    if reply:
        answered = selectors.family_message_for(request.user, reply, person)
        initial = {"in_reply_to": answered.pk, "correspondent_name": answered.correspondent_name,
                   "correspondent_contact": answered.correspondent_contact,
                   "direction": Direction.TO_HIM if answered.direction == Direction.FROM_HIM
                   else Direction.FROM_HIM}  # fmt: skip
    return form_page(
        request, context=_form_context(_("Write a family message"), person),
        form=forms.FamilyMessageForm(posted(request), initial=initial),
        write=lambda cleaned: services.family_message_write(
            actor=request.user, person=person, **cleaned
        ),
        success=_("Family message recorded."), next_url=_messages_url(person), template=FORM,
    )  # fmt: skip


@sensitive_post_parameters()
@form_methods
def family_message_censor(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    person = _person(request, registry_number)
    message = selectors.family_message_for(request.user, pk, person)
    if not can_on_family_message(request.user, Action.FAMILY_CENSOR, message):
        raise Http404
    return form_page(
        request, context={**_form_context(_("Censor a family message"), person),
                          "message": message},
        form=forms.CensorForm(posted(request), initial={"expected_version": message.version}),
        write=lambda cleaned: services.family_message_censor(
            actor=request.user, message=message, **cleaned
        ),
        success=_("Censorship recorded."), next_url=_messages_url(person), template=FORM,
    )  # fmt: skip


def _targets(message, user) -> list[tuple[str, str]]:
    return [
        (t.target, str(t.label))
        for t in MESSAGES.available(message, user, triggers=(Trigger.SERVICE,))
        if t.action == Action.FAMILY_MESSAGES and not (t.precondition and t.precondition(message))
    ]


@sensitive_post_parameters()
@form_methods
def family_message_step(request: HttpRequest, registry_number: str, pk: int) -> HttpResponse:
    person = _person(request, registry_number, Action.FAMILY_MESSAGES)
    message = selectors.family_message_for(request.user, pk, person)
    targets = _targets(message, request.user)
    if not targets:
        raise Http404
    return form_page(
        request, context={**_form_context(_("Forward or deliver a family message"), person),
                          "message": message},
        form=forms.MessageStepForm(posted(request), targets=targets,
                                   initial={"expected_version": message.version}),
        write=lambda cleaned: services.family_message_step(
            actor=request.user, message=message, **cleaned
        ),
        success=_("Step recorded."), next_url=_messages_url(person), template=FORM,
    )  # fmt: skip


@sensitive_post_parameters()
@form_methods
def correspondence_choice(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = _person(request, registry_number, Action.FAMILY_MESSAGES)
    choice = selectors.correspondence_choice_of(actor=request.user, person=person)
    initial = {"expected_choice": choice.pk if choice else 0}
    if choice is not None:
        initial.update(may_write=choice.may_write, may_know_place=choice.may_know_place)
    return form_page(
        request, context=_form_context(_("Who may write to him"), person),
        form=forms.CorrespondenceChoiceForm(posted(request), initial=initial),
        write=lambda cleaned: services.correspondence_choice_record(
            actor=request.user, person=person, **cleaned
        ),
        success=_("His choice is recorded."), next_url=_messages_url(person), template=FORM,
    )  # fmt: skip


def _form_context(title, person) -> dict:
    return {"title": title, "person": person, "back": _messages_url(person)}
