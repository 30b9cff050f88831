"""Pages of the medical track: commissions, a person's track, presenting him, an examination,
his consent. Thin: the policy, the selectors and the services decide."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET

from safepassage.access.policy import Action, can, require
from safepassage.access.visibility import persons_visible_to
from safepassage.medical import forms, selectors, services
from safepassage.medical.models import CommissionMember
from safepassage.registry.models import Place
from safepassage.web.shortcuts import form_methods, form_page, page_of, posted

FORM = "medical/form.html"


def _track_url(person) -> str:
    return reverse("medical:person_track", args=[person.registry_number])


@require_GET
def commission_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.COMMISSION_VIEW)
    commissions = selectors.commission_list(actor=request.user)
    return render(
        request,
        "medical/commission_list.html",
        {"page": page_of(request, commissions),
         "can_manage": can(request.user, Action.COMMISSION_MANAGE)},
    )  # fmt: skip


@form_methods
def commission_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.COMMISSION_MANAGE)
    form = forms.CommissionForm(posted(request), places=Place.objects.all())
    return form_page(
        request,
        context={"title": _("Appoint a Mixed Medical Commission"),
                 "back": reverse("medical:commission_list")},
        form=form,
        write=lambda cleaned: services.commission_create(actor=request.user, **cleaned),
        success=_("Commission appointed."),
        next_url=lambda commission: reverse("medical:commission_detail", args=[commission.pk]),
        template=FORM,
    )  # fmt: skip


@require_GET
def commission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    commission = selectors.commission_for(request.user, pk)
    examined = commission.examinations.filter(
        person__in=persons_visible_to(request.user)
    ).select_related("person")
    return render(
        request,
        "medical/commission_detail.html",
        {"commission": commission, "members": commission.members.all(),
         "places": commission.places.all(), "examinations": examined},
    )  # fmt: skip


@require_GET
def person_track(request: HttpRequest, registry_number: str) -> HttpResponse:
    user = request.user
    person, track = selectors.medical_person_for(user, registry_number)
    findings = selectors.findings_for(user, person, track)
    return render(
        request,
        "medical/person_track.html",
        {
            "person": person,
            "track": track,
            "examinations": [(e, findings[e.pk]) for e in track.examinations],
            "may_present": can(user, Action.MEDICAL_PRESENT, person),
            "may_examine": can(user, Action.MEDICAL_EXAMINE, person)
            and selectors.examinable_commissions(user).exists(),
            "may_consent": can(user, Action.MEDICAL_CONSENT, person),
            "may_decide": can(user, Action.DECIDE, person),
        },
    )


@form_methods
def presentation_new(request: HttpRequest, registry_number: str) -> HttpResponse:
    person, _track = selectors.medical_person_for(request.user, registry_number)
    require(request.user, Action.MEDICAL_PRESENT, person)
    form = forms.PresentationForm(posted(request), initial={"presented_on": timezone.localdate()})
    return form_page(
        request,
        context={"title": _("Present him to a Mixed Medical Commission"), "person": person,
                 "back": _track_url(person)},
        form=form,
        write=lambda cleaned: services.presentation_record(
            actor=request.user, person=person, **cleaned
        ),
        success=_("Presented. He waits for the commission's examination."),
        next_url=_track_url(person),
        template=FORM,
    )  # fmt: skip


@sensitive_post_parameters()  # the findings
@form_methods
def examination_new(request: HttpRequest, registry_number: str) -> HttpResponse:
    user = request.user
    person, _track = selectors.medical_person_for(user, registry_number)
    require(user, Action.MEDICAL_EXAMINE, person)
    commissions = selectors.examinable_commissions(user)
    if not commissions.exists():
        raise PermissionDenied
    form = forms.ExaminationForm(
        posted(request), commissions=commissions,
        members=CommissionMember.objects.filter(commission__in=commissions),
        initial={"examined_on": timezone.localdate()},
    )  # fmt: skip
    return form_page(
        request,
        context={"title": _("Record the commission's examination"), "person": person,
                 "back": _track_url(person)},
        form=form,
        write=lambda cleaned: services.examination_record(actor=user, person=person, **cleaned),
        success=_("Examination recorded. His category is this finding."),
        next_url=_track_url(person),
        template=FORM,
    )  # fmt: skip


@sensitive_post_parameters()  # his statement, who was present, the interpreter
@form_methods
def consent_new(request: HttpRequest, pk: int) -> HttpResponse:
    examination = selectors.examination_for(request.user, pk, Action.MEDICAL_CONSENT)
    person = examination.person
    form = forms.ConsentForm(posted(request), initial={"expressed_on": timezone.localdate()})
    return form_page(
        request,
        context={"title": _("His answer to the commission's finding"), "person": person,
                 "back": _track_url(person)},
        form=form,
        write=lambda cleaned: services.consent_record(
            actor=request.user, examination=examination, **cleaned
        ),
        success=_("His answer is recorded with his will."),
        next_url=_track_url(person),
        template=FORM,
    )  # fmt: skip
