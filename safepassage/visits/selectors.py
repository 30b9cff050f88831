"""Reads of places and visits, each over what the reader may know (`can_on_visit`,
`can_see_place`): the visiting verifier sees everything of his visits; the detaining power of
the place its dates, place, state and, once shared, the report; everyone else nothing."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from safepassage.access.policy import Action, can, can_on_visit, can_see_place
from safepassage.accounts.models import OrganisationKind
from safepassage.audit.reads import SensitiveRead, sensitive_reads_record
from safepassage.registry.models import Place
from safepassage.visits.models import Interview, InterviewOutcome, PersonToSee, Visit, VisitState

# Visits whose team may still go: the next one is the earliest of these.
COMING = (VisitState.PLANNED, VisitState.ANNOUNCED, VisitState.UNDER_WAY)


def place_list(*, actor) -> QuerySet[Place]:
    """The places `actor` may see: every place for the verifier, its own for a detaining
    power, none for others; each with the number of men held there."""
    if not can(actor, Action.PLACE_VIEW):
        return Place.objects.none()
    places = Place.objects.all()
    if actor.organisation.kind != OrganisationKind.NEUTRAL_VERIFIER:
        places = places.filter(detaining_organisation=actor.organisation)
    return (
        places.select_related("detaining_organisation")
        .annotate(held=Count("persons", filter=Q(persons__merged_into__isnull=True)))
        .order_by("name", "kind", "pk")
    )


def place_for(actor, pk) -> Place:
    """The place, if `actor` may see it; 404 otherwise (its existence does not leak)."""
    try:
        place = Place.objects.select_related("detaining_organisation").get(pk=pk)
    except (Place.DoesNotExist, ValueError):
        raise Http404 from None
    if not can_see_place(actor, place):
        raise Http404
    return place


def visit_list(*, actor, place: Place | None = None) -> QuerySet[Visit]:
    """The visits `actor` may see: his organisation's own (the verifier), or those to its
    places (a detaining power); none for others. Earliest first."""
    if not can(actor, Action.VISIT_VIEW):
        return Visit.objects.none()
    organisation = actor.organisation
    if organisation.kind == OrganisationKind.NEUTRAL_VERIFIER:
        visits = Visit.objects.filter(organisation=organisation)
    else:
        visits = Visit.objects.filter(place__detaining_organisation=organisation).exclude(
            state=VisitState.PLANNED
        )
    if place is not None:
        visits = visits.filter(place=place)
    return visits.select_related("place", "organisation").order_by("starts_on", "pk")


def visit_for(actor, pk, action: Action = Action.VISIT_VIEW) -> Visit:
    """The visit, if `actor` may do `action` on it: 404 when he may not see it, 403 when he
    sees it but may not do that."""
    try:
        visit = Visit.objects.select_related("place", "organisation").get(pk=pk)
    except (Visit.DoesNotExist, ValueError):
        raise Http404 from None
    if not can_on_visit(actor, Action.VISIT_VIEW, visit):
        raise Http404
    if action != Action.VISIT_VIEW and not can_on_visit(actor, action, visit):
        raise PermissionDenied
    return visit


def visit_report_shown(*, actor, visit: Visit) -> str | None:
    """The report `actor` is shown, its read recorded: the verifier's always, the detaining
    power's once shared; None when he is shown none."""
    works_it = can_on_visit(actor, Action.VISIT_PLAN, visit)
    shared = visit.state == VisitState.REPORT_SHARED
    if not (works_it or (shared and can_on_visit(actor, Action.VISIT_VIEW, visit))):
        return None
    if visit.report:
        sensitive_reads_record(actor=actor, reads=[SensitiveRead(visit, "report")])
    return visit.report


_TO_SEE_WITH, _TO_SEE_ORDER = ("person", "person__case"), ("person__registry_number",)


def visit_to_see(*, actor, visit: Visit) -> QuerySet[PersonToSee]:
    """The list of persons to see, with why; for the visiting verifier only. Read for each
    visit of a list at once when it prefetched them (`visits_lists_prefetch`)."""
    if not can_on_visit(actor, Action.VISIT_PLAN, visit):
        return PersonToSee.objects.none()
    if "to_see" in getattr(visit, "_prefetched_objects_cache", {}):
        return visit.to_see.all()
    return visit.to_see.select_related(*_TO_SEE_WITH).order_by(*_TO_SEE_ORDER)


def visits_lists_prefetch(visits: list[Visit]) -> None:
    """Each visit's team and persons to see, read for the whole list in two queries."""
    to_see = PersonToSee.objects.select_related(*_TO_SEE_WITH).order_by(*_TO_SEE_ORDER)
    prefetch_related_objects(visits, "team", Prefetch("to_see", queryset=to_see))


def visit_interviews(*, actor, visit: Visit, to_finalise: bool = False) -> QuerySet[Interview]:
    """The interviews of the visit (outcome, date, setting: no names of who was present); for
    the visiting verifier only. `to_finalise`: interviewed, but no will recorded yet."""
    if not can_on_visit(actor, Action.VISIT_INTERVIEW, visit):
        return Interview.objects.none()
    interviews = visit.interviews.select_related("person", "will_expression")
    if to_finalise:
        interviews = interviews.filter(
            outcome=InterviewOutcome.INTERVIEWED, will_expression__isnull=True
        )
    return interviews.order_by("held_on", "pk")


def next_visit(*, actor, today: datetime.date | None = None) -> Visit | None:
    """The reader's organisation's next visit he works on: the earliest not over (planned,
    announced or under way, its last day not past)."""
    if not can(actor, Action.VISIT_PLAN):
        return None
    today = today or timezone.localdate()
    return (
        visit_list(actor=actor)
        .filter(state__in=COMING, ends_on__gte=today)
        .order_by("starts_on", "pk")
        .first()
    )


def interviews_to_finalise(*, actor) -> QuerySet[Interview]:
    """Interviews of his organisation's visits where the man was interviewed but no will is
    recorded yet, oldest first."""
    if not can(actor, Action.VISIT_INTERVIEW):
        return Interview.objects.none()
    return (
        Interview.objects.filter(
            visit__organisation=actor.organisation,
            outcome=InterviewOutcome.INTERVIEWED,
            will_expression__isnull=True,
        )
        .select_related("person", "visit", "visit__place")
        .order_by("held_on", "pk")
    )
