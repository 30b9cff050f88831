"""Reads for the dashboard. Every figure is aggregated in the database over the persons (and the
records) the actor may see, narrowed by the filters; docs/reports.md says how each is computed.

A figure comes back exact, with `exact_on_page` saying whether the viewer's organisation holds
everything it counts; the views suppress small counts on the page for everyone else and in every
export (`figures.ReportFigure.suppressed`).
"""

from __future__ import annotations

import datetime
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from safepassage.access.policy import Action, can, has_any_role_for
from safepassage.access.visibility import live_persons_visible_to, persons_visible_to
from safepassage.accounts.models import Organisation
from safepassage.accounts.models import OrganisationKind as Org
from safepassage.cases.models import Case, CaseState, CaseTransition, WillExpression
from safepassage.cases.selectors import OUTCOME_LABELS, will_outcome_code
from safepassage.exchanges.models import Batch, BatchState, Entry, EntryStatus, Side
from safepassage.exchanges.selectors import agreements_visible_to
from safepassage.lib.countries import country_name
from safepassage.registry.models import Person
from safepassage.reports.expressions import SecondsBetween, WeekStart
from safepassage.reports.figures import COUNT, DAYS, TEXT, WEEK, Column, ReportFigure
from safepassage.tracing.models import (
    CandidateStatus,
    TracingCandidate,
    TracingDisclosure,
    TracingRequest,
    TracingStatus,
)

DEFAULT_WEEKS = 26
# Nationalities beyond this many (by number of wills) are drawn and listed together.
MAX_NATIONALITIES = 6
OUTCOMES = ("refuses_repatriation", "wishes_to_return", "undecided")


@dataclass(frozen=True)
class ReportFilters:
    """A date range (both days included) and, optionally, the detaining power holding the
    persons counted."""

    date_from: datetime.date
    date_to: datetime.date
    organisation: Organisation | None = None

    @property
    def start(self) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(self.date_from, datetime.time.min))

    @property
    def end(self) -> datetime.datetime:
        """The first moment after the range."""
        next_day = self.date_to + datetime.timedelta(days=1)
        return timezone.make_aware(datetime.datetime.combine(next_day, datetime.time.min))

    def query(self) -> dict[str, str]:
        """The filters as the dashboard's GET parameters."""
        params = {"date_from": self.date_from.isoformat(), "date_to": self.date_to.isoformat()}
        if self.organisation is not None:
            params["organisation"] = str(self.organisation.pk)
        return params


def default_filters() -> ReportFilters:
    """The last 26 weeks, from a Monday, to today."""
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    return ReportFilters(
        date_from=monday - datetime.timedelta(weeks=DEFAULT_WEEKS - 1), date_to=today
    )


def filter_organisations(*, actor) -> QuerySet[Organisation]:
    """The detaining powers holding persons `actor` may see: the only ones he may filter by."""
    held = persons_visible_to(actor).values("detaining_organisation")
    return Organisation.objects.filter(kind=Org.DETAINING_POWER, pk__in=held).order_by("name")


def persons_in_scope(*, actor, filters: ReportFilters) -> QuerySet[Person]:
    """The persons counted: those `actor` may see, held by the chosen detaining power; a record
    merged into another (a duplicate) is counted once, as its survivor."""
    persons = live_persons_visible_to(actor)
    if filters.organisation is not None:
        persons = persons.filter(detaining_organisation=filters.organisation)
    return persons


def _holds_all_it_sees(actor) -> bool:
    """A detaining power sees exactly the persons it holds; everyone else sees others'."""
    organisation = getattr(actor, "organisation", None)
    return organisation is not None and organisation.kind == Org.DETAINING_POWER


def _week(value: datetime.date | str) -> datetime.date:
    """A `WeekStart` as the database gives it back."""
    if isinstance(value, str):
        return datetime.date.fromisoformat(value)
    return value


def _state_label(state: str) -> str:
    return str(CaseState(state).label)


# --- case funnel ------------------------------------------------------------------------------


def case_funnel(*, actor, filters: ReportFilters) -> ReportFigure:
    """Of the persons registered in the range: how many cases reached each state, and how many
    are in it now."""
    cohort = persons_in_scope(actor=actor, filters=filters).filter(
        created_at__gte=filters.start, created_at__lt=filters.end
    )
    now = dict(
        Case.objects.filter(person__in=cohort)
        .values_list("state")
        .annotate(n=Count("id"))
        .order_by()
    )
    reached = dict(
        CaseTransition.objects.filter(case__person__in=cohort)
        .values_list("to_state")
        .annotate(n=Count("case", distinct=True))
        .order_by()
    )
    reached[CaseState.REGISTERED] = sum(now.values())  # every case starts registered
    rows = tuple(
        (_state_label(state), reached.get(state, 0), now.get(state, 0)) for state in CaseState
    )
    return ReportFigure(
        key="funnel",
        title=_("Cases by state: reached, and in it now"),
        description=_(
            "Persons registered in the period: how many cases have reached each state, and "
            "how many are in it now."
        ),
        notes=(
            _(
                "The states are not one path, so a state lower in the list can count more "
                "cases than one above it: a will verified in a private interview skips “will "
                "recorded”, and a release, a death or an escape can end a case in any state."
            ),
        ),
        chart="funnel",
        columns=(
            Column("state", _("State"), TEXT),
            Column("reached", _("Cases that reached it"), COUNT),
            Column("now", _("Cases in it now"), COUNT),
        ),
        rows=rows,
        exact_on_page=_holds_all_it_sees(actor),
    )


# --- will outcomes ----------------------------------------------------------------------------


def _codes(value) -> list[str]:
    """Country codes of a multiple country field as the database gives it (text or list)."""
    if not value:
        return []
    if isinstance(value, str):
        return [c for c in value.split(",") if c]
    return [getattr(c, "code", c) for c in value]


def _nationality_label(codes: Iterable[str]) -> str:
    names = [str(country_name(code) or code) for code in codes]
    return " / ".join(names) if names else _("Nationality unknown")


def will_outcomes(*, actor, filters: ReportFilters) -> ReportFigure:
    """Per week and nationality, the outcome of each person's latest verified will of that week.

    Verified, not withdrawn expressions dated (`expressed_on`) in the range; of a person's
    several in one week only the latest recorded counts, as the governing will is chosen.
    """
    if not has_any_role_for(actor, Action.WILL_DETAILS):
        raise PermissionDenied
    in_range = WillExpression.objects.filter(
        verified=True,
        withdrawn_at__isnull=True,
        expressed_on__gte=filters.date_from,
        expressed_on__lte=filters.date_to,
    )
    later_that_week = (
        in_range.filter(person=OuterRef("person"))
        .annotate(week=WeekStart("expressed_on"))
        .filter(week=OuterRef("week"))
        .filter(
            Q(recorded_at__gt=OuterRef("recorded_at"))
            | Q(recorded_at=OuterRef("recorded_at"), pk__gt=OuterRef("pk"))
        )
    )
    groups = (
        in_range.filter(person__in=persons_in_scope(actor=actor, filters=filters))
        .annotate(week=WeekStart("expressed_on"))
        .filter(~Exists(later_that_week))
        .values_list("week", "person__nationalities", "wish", "destinations_refused")
        .annotate(n=Count("id"))
        .order_by()
    )
    # (week, nationalities) -> outcome -> persons; the outcome needs his nationalities.
    counts: dict[tuple[datetime.date, tuple[str, ...]], dict[str, int]] = defaultdict(
        lambda: dict.fromkeys(OUTCOMES, 0)
    )
    for week, nationalities, wish, refused, n in groups:
        origin = tuple(_codes(nationalities))
        will = WillExpression(wish=wish, destinations_refused=_codes(refused))
        counts[(_week(week), origin)][will_outcome_code(will, set(origin))] += n
    rows = _nationality_rows(counts)
    return ReportFigure(
        key="wills",
        title=_("Will outcomes per week, by nationality"),
        description=_(
            "Verified will expressions (private interviews by a neutral verifier, not "
            "withdrawn) by the week he expressed his will: per person and week, the latest."
        ),
        chart="weekly_by_group",
        columns=(
            Column("week", _("Week starting"), WEEK),
            Column("nationality", _("Nationality"), TEXT),
            *(Column(code, str(OUTCOME_LABELS[code]), COUNT) for code in OUTCOMES),
        ),
        rows=rows,
        exact_on_page=_holds_all_it_sees(actor),
        notes=(
            _(
                "A person with several nationalities is counted once, under all of them "
                "together. Up to %(n)s nationalities are shown; the rest are counted together."
            )
            % {"n": MAX_NATIONALITIES},
        ),
    )


def _nationality_rows(counts) -> tuple[tuple, ...]:
    totals: dict[tuple[str, ...], int] = defaultdict(int)
    for (_week_start, origin), outcomes in counts.items():
        totals[origin] += sum(outcomes.values())
    ranked = sorted(totals, key=lambda origin: (-totals[origin], origin))
    shown = ranked[:MAX_NATIONALITIES]
    other = _("Other nationalities")
    merged: dict[tuple[datetime.date, str], dict[str, int]] = {}
    order = {_nationality_label(origin): i for i, origin in enumerate(shown)}
    for (week, origin), outcomes in counts.items():
        label = _nationality_label(origin) if origin in shown else other
        cell = merged.setdefault((week, label), dict.fromkeys(OUTCOMES, 0))
        for code, n in outcomes.items():
            cell[code] += n
    keys = sorted(merged, key=lambda k: (k[0], order.get(k[1], len(order))))
    return tuple(
        (week, label, *(merged[(week, label)][c] for c in OUTCOMES)) for week, label in keys
    )


# --- time in each state -----------------------------------------------------------------------


def _quartiles(days: list[float]) -> tuple[float, float, float]:
    if len(days) == 1:
        return days[0], days[0], days[0]
    q1, median, q3 = statistics.quantiles(days, n=4, method="inclusive")
    return q1, median, q3


@dataclass(frozen=True)
class TimeUnit:
    seconds: int
    plural: Any  # the unit's name in the columns and on the axis, as a lazy translation


# The largest unit that the highest third quartile fills at least once: days, else hours,
# else minutes (a stay of seconds does not become 0.0 days on a ×1e−7 axis).
TIME_UNITS = (
    TimeUnit(86400, gettext_lazy("days")),
    TimeUnit(3600, gettext_lazy("hours")),
    TimeUnit(60, gettext_lazy("minutes")),
)
# Stays shorter than this are "no time": the steps of a case entered in one sitting.
NO_TIME_SECONDS = 30


def time_in_state(*, actor, filters: ReportFilters) -> ReportFigure:
    """How long cases stayed in each state: the stays that ended in the range.

    A stay runs from the transition into a state (or the registration) to the transition out of
    it, both `CaseTransition` rows; the database computes each stay, Python its quartiles
    (SQLite has no percentile function), reading two numbers a stay.
    """
    previous = (
        CaseTransition.objects.filter(case=OuterRef("case"))
        .filter(Q(at__lt=OuterRef("at")) | Q(at=OuterRef("at"), pk__lt=OuterRef("pk")))
        .order_by("-at", "-pk")
        .values("at")[:1]
    )
    stays = (
        CaseTransition.objects.filter(
            case__person__in=persons_in_scope(actor=actor, filters=filters),
            at__gte=filters.start,
            at__lt=filters.end,
        )
        .annotate(entered=Coalesce(Subquery(previous), F("case__person__created_at")))
        .annotate(seconds=SecondsBetween(F("at"), F("entered")))
        .values_list("from_state", "seconds")
        .order_by()
    )
    by_state: dict[str, list[float]] = defaultdict(list)
    for state, seconds in stays.iterator(chunk_size=5000):
        by_state[state].append(max(seconds or 0.0, 0.0))
    quartiles = {
        state: (len(found), _quartiles(sorted(found)))
        for state in CaseState
        if (found := by_state.get(state))
    }
    longest = max((q[2] for _n, q in quartiles.values()), default=0.0)
    unit = next(u for u in TIME_UNITS if longest >= u.seconds or u is TIME_UNITS[-1])
    rows = tuple(
        (_state_label(state), n, *(value / unit.seconds for value in q))
        for state, (n, q) in quartiles.items()
    )
    no_time = ""
    if rows and longest < NO_TIME_SECONDS:
        no_time = _("No time recorded yet: every stay in the period ended within seconds.")
    return ReportFigure(
        key="time_in_state",
        title=_("Time spent in each state"),
        description=_(
            "Stays in a state that ended in the period (the case moved on): median and "
            "quartiles, in %(unit)s."
        )
        % {"unit": unit.plural},
        chart="ranges",
        columns=(
            Column("state", _("State"), TEXT),
            Column("stays", _("Stays"), COUNT),
            Column("q1", _("First quartile (%(unit)s)") % {"unit": unit.plural}, DAYS),
            Column("median", _("Median (%(unit)s)") % {"unit": unit.plural}, DAYS),
            Column("q3", _("Third quartile (%(unit)s)") % {"unit": unit.plural}, DAYS),
        ),
        rows=rows,
        exact_on_page=_holds_all_it_sees(actor),
        notes=(no_time,) if no_time else (),
        axis=str(unit.plural).capitalize(),
        nothing_to_draw=no_time,
    )


# --- exchanges --------------------------------------------------------------------------------


def exchanges_done(*, actor, filters: ReportFilters) -> ReportFigure:
    """Per week: batches executed, persons of ours handed over and persons received."""
    if not has_any_role_for(actor, Action.EXCHANGE_VIEW):
        raise PermissionDenied
    batches = Batch.objects.filter(
        state=BatchState.EXECUTED,
        agreement__in=agreements_visible_to(actor),
        state_changed_at__gte=filters.start,
        state_changed_at__lt=filters.end,
    )
    if filters.organisation is not None:
        batches = batches.filter(agreement__organisation=filters.organisation)
    per_week: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0, 0])
    executed = (
        batches.annotate(week=WeekStart("state_changed_at"))
        .values_list("week")
        .annotate(n=Count("id"))
        .order_by()
    )
    for week, n in executed:
        per_week[_week(week)][0] += n
    entries = (
        Entry.objects.filter(batch__in=batches, status=EntryStatus.EXECUTED)
        .filter(Q(side=Side.THEIRS) | Q(person__in=persons_visible_to(actor)))
        .annotate(week=WeekStart("batch__state_changed_at"))
        .values_list("week", "side")
        .annotate(n=Count("id"))
        .order_by()
    )
    for week, side, n in entries:
        per_week[_week(week)][1 if side == Side.OURS else 2] += n
    return ReportFigure(
        key="exchanges",
        title=_("Exchanges done per week"),
        description=_(
            "Batches executed in the period, the persons we handed over and the persons we "
            "received, by the week of execution."
        ),
        chart="weekly",
        columns=(
            Column("week", _("Week starting"), WEEK),
            Column("batches", _("Batches executed"), COUNT),
            Column("handed_over", _("Persons handed over"), COUNT),
            Column("received", _("Persons received"), COUNT),
        ),
        rows=tuple((week, *per_week[week]) for week in sorted(per_week)),
        exact_on_page=_holds_all_it_sees(actor),
    )


# --- tracing requests -------------------------------------------------------------------------


def _per_week(queryset, field: str, counted: str = "id") -> dict[datetime.date, int]:
    rows = (
        queryset.annotate(week=WeekStart(field))
        .values_list("week")
        .annotate(n=Count(counted, distinct=counted != "id"))
        .order_by()
    )
    per_week: dict[datetime.date, int] = defaultdict(int)
    for week, n in rows:
        per_week[_week(week)] += n
    return per_week


def tracing_answered(*, actor, filters: ReportFilters) -> ReportFigure:
    """Per week: the Agency's requests recorded, linked to a person, answered, closed."""
    if not has_any_role_for(actor, Action.TRACING_HANDLE):
        raise PermissionDenied
    requests = TracingRequest.objects.filter(organisation=actor.organisation)
    start, end = filters.start, filters.end
    series = {
        "recorded": _per_week(
            requests.filter(created_at__gte=start, created_at__lt=end), "created_at"
        ),
        "linked": _per_week(
            TracingCandidate.objects.filter(
                request__in=requests,
                status=CandidateStatus.CONFIRMED,
                reviewed_at__gte=start,
                reviewed_at__lt=end,
            ),
            "reviewed_at",
            "request",
        ),
        "informed": _per_week(
            TracingDisclosure.objects.filter(
                request__in=requests, informed_at__gte=start, informed_at__lt=end
            ),
            "informed_at",
            "request",
        ),
        # A closed request changes no more: its last change is its closing.
        "closed": _per_week(
            requests.filter(status=TracingStatus.CLOSED, updated_at__gte=start, updated_at__lt=end),
            "updated_at",
        ),
    }
    weeks = sorted(set().union(*series.values()))
    return ReportFigure(
        key="tracing",
        title=_("Tracing requests answered per week"),
        description=_(
            "Your Central Tracing Agency's requests: recorded, linked to a registered person, "
            "requester informed, and closed, by the week it happened."
        ),
        chart="weekly",
        columns=(
            Column("week", _("Week starting"), WEEK),
            Column("recorded", _("Recorded"), COUNT),
            Column("linked", _("Linked to a person"), COUNT),
            Column("informed", _("Requester informed"), COUNT),
            Column("closed", _("Closed"), COUNT),
        ),
        rows=tuple((week, *(series[key].get(week, 0) for key in series)) for week in weeks),
        # The requests are the viewer's own organisation's.
        exact_on_page=True,
        notes=(_("The organisation filter does not apply: these are your Agency's requests."),),
    )


# --- the seriously wounded and sick ----------------------------------------------------------

MEDICAL_QUEUES = ("medical_to_examine", "medical_awaiting_consent", "medical_not_planned")


def medical_track(*, actor, filters: ReportFilters) -> ReportFigure:
    """Per month: the men who wait now to be examined, for their consent, and to be planned
    for direct repatriation, by the month they began to wait. A receiving state counts none:
    it reads nothing medical of a man who did not agree to share it."""
    from safepassage.work.selectors import medical_queue_persons

    if not has_any_role_for(actor, Action.MEDICAL_VIEW):
        raise PermissionDenied
    per_month: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0, 0])
    if actor.organisation.kind != Org.RECEIVING_STATE:
        persons = persons_in_scope(actor=actor, filters=filters)
        for index, name in enumerate(MEDICAL_QUEUES):
            for since in medical_queue_persons(persons, name).values_list(
                "waiting_since", flat=True
            ):
                per_month[since.replace(day=1)][index] += 1
    return ReportFigure(
        key="medical",
        title=_("The seriously wounded and sick, per month"),
        description=_(
            "Men waiting now: to be examined by a Mixed Medical Commission (since presented), "
            "for their consent to its finding (since the examination), and found eligible for "
            "direct repatriation with their consent but not yet planned or decided, by the "
            "month each began to wait."
        ),
        chart="weekly",
        columns=(
            Column("week", _("Month starting"), WEEK),
            Column("to_examine", _("To be presented to the commission"), COUNT),
            Column("awaiting_consent", _("Awaiting his consent"), COUNT),
            Column("not_planned", _("Eligible, not yet planned"), COUNT),
        ),
        rows=tuple((month, *per_month[month]) for month in sorted(per_month)),
        exact_on_page=_holds_all_it_sees(actor),
    )


# --- which figures, for whom ------------------------------------------------------------------

Builder = Callable[..., ReportFigure]
BUILDERS: dict[str, Builder] = {
    "funnel": case_funnel,
    "wills": will_outcomes,
    "time_in_state": time_in_state,
    "exchanges": exchanges_done,
    "tracing": tracing_answered,
    "medical": medical_track,
}
# Beyond REPORTS_VIEW, the policy action a figure's facts need.
NEEDS: dict[str, Action] = {
    "wills": Action.WILL_DETAILS,
    "exchanges": Action.EXCHANGE_VIEW,
    "tracing": Action.TRACING_HANDLE,
    "medical": Action.MEDICAL_VIEW,
}


def figure_keys_for(actor) -> list[str]:
    """The figures `actor` may see, in the dashboard's order."""
    if not can(actor, Action.REPORTS_VIEW):
        return []
    return [key for key in BUILDERS if key not in NEEDS or has_any_role_for(actor, NEEDS[key])]


def report_figure(*, actor, key: str, filters: ReportFilters) -> ReportFigure:
    """One figure: 404 for an unknown one, 403 for one the actor may not see."""
    if key not in BUILDERS:
        raise Http404
    if key not in figure_keys_for(actor):
        raise PermissionDenied
    return BUILDERS[key](actor=actor, filters=filters)


def dashboard(*, actor, filters: ReportFilters) -> list[ReportFigure]:
    return [BUILDERS[key](actor=actor, filters=filters) for key in figure_keys_for(actor)]
