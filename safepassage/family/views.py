"""Pages of family links. Thin: the policy, the selectors and the services decide."""

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters

from safepassage.access.persons import person_for
from safepassage.access.policy import Action
from safepassage.family import forms, selectors, services
from safepassage.web.shortcuts import form_methods, form_page, posted


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
