"""Pages of referrals. Thin: the policy, the selectors and the services decide."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from safepassage.access.persons import person_for
from safepassage.access.policy import Action, require
from safepassage.accounts.models import Organisation, OrganisationKind
from safepassage.referrals import forms, selectors, services
from safepassage.referrals.models import Referral, ReferralState
from safepassage.referrals.workflow import REFERRALS
from safepassage.web.shortcuts import form_methods, form_page, page_of, posted

FORM = "referrals/form.html"


def _referral_url(referral: Referral) -> str:
    return reverse("referrals:referral_detail", args=[referral.pk])


@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.REFERRAL_VIEW)
    number = request.GET.get("person")
    person = person_for(request.user, number) if number else None
    referrals = selectors.referral_list(actor=request.user, person=person)
    return render(
        request, "referrals/referral_list.html",
        {"page": page_of(request, referrals), "person": person},
    )  # fmt: skip


@form_methods
def referral_new(request: HttpRequest, registry_number: str) -> HttpResponse:
    person = person_for(request.user, registry_number, Action.REFERRAL_MAKE)
    states = Organisation.objects.filter(kind=OrganisationKind.RECEIVING_STATE).order_by("name")
    return form_page(
        request,
        context={"title": _("Refer him to a receiving state"), "person": person,
                 "back": reverse("registry:person_detail", args=[person.registry_number])},
        form=forms.ReferralForm(posted(request), states=states),
        write=lambda cleaned: services.referral_make(actor=request.user, person=person, **cleaned),
        success=_("Referral sent. The state sees his pseudonymised profile only."),
        next_url=_referral_url,
        template=FORM,
    )  # fmt: skip


@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    referral = selectors.referral_for(user, pk)
    context = {
        "referral": referral,
        "profile": selectors.referral_profile(actor=user, referral=referral),
        "overdue": selectors.is_overdue(referral),
        "steps": REFERRALS.available(referral, user),
        "transitions": referral.transitions.all(),
        "shows_person": selectors.shows_person(user, referral),
    }
    return render(request, "referrals/referral_detail.html", context)


@form_methods
def referral_step(request: HttpRequest, pk: int, target: str) -> HttpResponse:
    referral = selectors.referral_for(request.user, pk)
    if target not in ReferralState.values:
        raise PermissionDenied
    transition = REFERRALS.find(referral.state, target)
    if transition is None or not REFERRALS.permits(request.user, transition, referral):
        raise PermissionDenied
    accepting = target == ReferralState.ACCEPTED
    return form_page(
        request,
        context={"title": str(transition.label), "referral": referral,
                 "back": _referral_url(referral)},
        form=forms.StepForm(posted(request), with_reference=accepting),
        write=lambda cleaned: services.referral_step(
            actor=request.user, referral=referral, target=target, reason=cleaned["reason"],
            reference=cleaned.get("reference", ""),
        ),
        success=_("Step recorded."),
        next_url=_referral_url(referral),
        template=FORM,
    )  # fmt: skip
