"""Pages of places and visits. Thin: the policy and the visits services decide."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET

from safepassage.access.policy import Action, can, can_on_visit, require
from safepassage.accounts.models import User
from safepassage.visits import forms, selectors, services
from safepassage.visits.models import Visit, VisitState
from safepassage.visits.workflow import VISITS
from safepassage.web.shortcuts import form_methods, form_page, page_of, posted

FORM = "visits/form.html"


def _visit_url(visit: Visit) -> str:
    return reverse("visits:visit_detail", args=[visit.pk])


@require_GET
def place_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.PLACE_VIEW)
    places = selectors.place_list(actor=request.user)
    return render(request, "visits/place_list.html", {"page": page_of(request, places)})


@require_GET
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    place = selectors.place_for(request.user, pk)
    visits = selectors.visit_list(actor=request.user, place=place)
    held = place.persons.filter(merged_into__isnull=True).count()
    return render(
        request, "visits/place_detail.html", {"place": place, "visits": visits, "held": held}
    )


@require_GET
def visit_list(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VISIT_VIEW)
    visits = selectors.visit_list(actor=request.user)
    return render(
        request,
        "visits/visit_list.html",
        {"page": page_of(request, visits), "can_plan": can(request.user, Action.VISIT_PLAN)},
    )


@form_methods
def visit_new(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.VISIT_PLAN)
    form = forms.VisitPlanForm(posted(request), places=selectors.place_list(actor=request.user))
    return form_page(
        request,
        context={"title": _("Plan a visit")},
        form=form,
        write=lambda cleaned: services.visit_plan(actor=request.user, **cleaned),
        success=_("Visit planned. Add its team and build its list."),
        next_url=_visit_url,
        template=FORM,
    )


@require_GET
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    visit = selectors.visit_for(user, pk)
    works_it = can_on_visit(user, Action.VISIT_PLAN, visit)
    context = {
        "visit": visit,
        "works_it": works_it,
        "report": selectors.visit_report_shown(actor=user, visit=visit),
        "transitions": visit.transitions.all() if works_it else [],
    }
    if works_it:
        # On the field laptop only interviews and wills go back to the centre: the steps, the
        # report, the team and the list are not offered there (field.runtime refuses them).
        at_the_centre = not settings.FIELD_MODE
        context.update(
            team=list(visit.team.select_related("user")),
            to_see=list(selectors.visit_to_see(actor=user, visit=visit)),
            steps=VISITS.available(visit, user) if at_the_centre else [],
            interviews=list(selectors.visit_interviews(actor=user, visit=visit)),
            may_interview=can_on_visit(user, Action.VISIT_INTERVIEW, visit)
            and visit.state in (VisitState.UNDER_WAY, VisitState.COMPLETED),
            may_write_report=at_the_centre
            and visit.state in (VisitState.UNDER_WAY, VisitState.COMPLETED),
            may_change=at_the_centre,
        )
    return render(request, "visits/visit_detail.html", context)


@form_methods
def visit_team_add(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for(request.user, pk, Action.VISIT_PLAN)
    colleagues = User.objects.filter(organisation=request.user.organisation, is_active=True)
    form = forms.TeamMemberForm(posted(request), colleagues=colleagues)
    return form_page(
        request,
        context={"title": _("Add a member to the team"), "visit": visit, "back": _visit_url(visit)},
        form=form,
        write=lambda cleaned: services.visit_team_add(
            actor=request.user, visit=visit, member=services.TeamInput(**cleaned)
        ),
        success=_("Member added."),
        next_url=_visit_url(visit),
        template=FORM,
    )


@form_methods
def visit_list_build(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for(request.user, pk, Action.VISIT_PLAN)

    def write(cleaned):
        reasons = None if cleaned["everyone"] else cleaned["reasons"]
        return services.visit_list_build(actor=request.user, visit=visit, reasons=reasons)

    return form_page(
        request,
        context={"title": _("Build the list of persons to see"), "visit": visit,
                 "back": _visit_url(visit)},
        form=forms.VisitListForm(posted(request)),
        write=write,
        success=_("List built."),
        next_url=_visit_url(visit),
        template=FORM,
    )  # fmt: skip


@form_methods
def visit_report(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for(request.user, pk, Action.VISIT_PLAN)
    initial = {"report": visit.report} if request.method == "GET" else None
    return form_page(
        request,
        context={"title": _("Confidential report"), "visit": visit, "back": _visit_url(visit)},
        form=forms.ReportForm(posted(request), initial=initial),
        write=lambda cleaned: services.visit_report_write(
            actor=request.user, visit=visit, report=cleaned["report"]
        ),
        success=_("Report saved. It is shared with the detaining power at the last step."),
        next_url=_visit_url(visit),
        template=FORM,
    )


@form_methods
def visit_step(request: HttpRequest, pk: int, target: str) -> HttpResponse:
    visit = selectors.visit_for(request.user, pk, Action.VISIT_PLAN)
    if target not in VisitState.values:
        raise PermissionDenied
    return form_page(
        request,
        context={"title": VisitState(target).label, "visit": visit, "back": _visit_url(visit)},
        form=forms.StepForm(posted(request)),
        write=lambda cleaned: services.visit_step(
            actor=request.user, visit=visit, target=target, reason=cleaned["reason"]
        ),
        success=_("Step recorded."),
        next_url=_visit_url(visit),
        template=FORM,
    )


def _codes(text: str) -> list[str]:
    return [code.strip().upper() for code in text.replace(";", ",").split(",") if code.strip()]


@sensitive_post_parameters()  # his statement, who was present, the interpreter
@form_methods
def interview_new(request: HttpRequest, pk: int) -> HttpResponse:
    visit = selectors.visit_for(request.user, pk, Action.VISIT_INTERVIEW)
    persons = [row.person for row in selectors.visit_to_see(actor=request.user, visit=visit)]
    persons += list(services.persons_at(visit.place).exclude(pk__in=[p.pk for p in persons]))
    form = forms.InterviewForm(
        posted(request), persons=persons, initial={"held_on": timezone.localdate()}
    )

    def write(cleaned):
        person = next(p for p in persons if str(p.pk) == cleaned["person"])
        will = None
        if cleaned["wish"]:
            will = services.WillInput(
                wish=cleaned["wish"], certainty=cleaned["certainty"],
                destinations_preferred=_codes(cleaned["destinations_preferred"]),
                destinations_refused=_codes(cleaned["destinations_refused"]),
                statement=cleaned["statement"],
            )  # fmt: skip
        return services.interview_record(
            actor=request.user, visit=visit, person=person, outcome=cleaned["outcome"],
            held_on=cleaned["held_on"], setting=cleaned["setting"], present=cleaned["present"],
            present_party=cleaned["present_party"], interpreter=cleaned["interpreter"],
            interpreter_affiliation=cleaned["interpreter_affiliation"],
            language=cleaned["language"], will=will,
        )  # fmt: skip

    return form_page(
        request,
        context={"title": _("Record an interview"), "visit": visit, "back": _visit_url(visit)},
        form=form,
        write=write,
        success=_("Interview recorded."),
        next_url=_visit_url(visit),
        template=FORM,
    )
