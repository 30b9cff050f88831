"""Work queues: the cases, duplicates and tracing requests that wait for someone's next step.

A queue belongs to whoever may take the step that empties it: the case workflow names the edge
(`cases.workflow.CASES`) and the policy says whose roles and organisation kind take it
(`has_any_role_for`). Every queue is read over the persons the reader may see
(`live_persons_visible_to`), oldest first, with the days each item has waited in its state.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db.models import Count, Exists, F, Min, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from safepassage.access.policy import Action, has_any_role_for
from safepassage.access.visibility import live_persons_visible_to, persons_visible_to
from safepassage.cases.guard import NOT_HELD
from safepassage.cases.models import (
    REPATRIATIONS,
    Case,
    Decision,
    Transfer,
    TransferStatus,
    Wish,
)
from safepassage.cases.models import CaseState as S
from safepassage.cases.workflow import CASES
from safepassage.exchanges.models import LIVE_ENTRY, Entry
from safepassage.field import selectors as field_selectors
from safepassage.medical import selectors as medical_selectors
from safepassage.registry.models import PlaceKind
from safepassage.tracing import selectors as tracing_selectors
from safepassage.tracing.models import CandidateStatus, PairStatus, TracingCandidate, TracingStatus
from safepassage.visits import selectors as visit_selectors

# How many items of each queue the home page lists; its count covers them all.
SHOWN = 10


def _latest_decision(field: str) -> Subquery:
    latest = Decision.objects.filter(person=OuterRef("person")).order_by("-decided_at", "-id")
    return Subquery(latest.values(field)[:1])


def _decided_transfers_to_his_state(cases: QuerySet[Case], user) -> QuerySet[Case]:
    """Decided cases whose latest decision sends the man to the reader's state (a repatriation
    needs no receiving state's acceptance)."""
    country = getattr(getattr(user.organisation, "country", None), "code", None)
    return (
        cases.annotate(
            decision_kind=_latest_decision("kind"), decision_to=_latest_decision("destination")
        )
        .exclude(decision_kind__in=REPATRIATIONS)
        .filter(decision_to=country)
    )


def _ready_to_schedule(cases: QuerySet[Case], user) -> QuerySet[Case]:
    """Accepted transfers, and decided repatriations (which no receiving state accepts: a
    decided transfer waits for the receiving state, not for the planner)."""
    return cases.annotate(decision_kind=_latest_decision("kind")).filter(
        Q(state=S.ACCEPTED) | Q(state=S.DECIDED, decision_kind__in=REPATRIATIONS)
    )


def _by_handover_date(cases: QuerySet[Case], user) -> QuerySet[Case]:
    live = Transfer.objects.filter(person=OuterRef("person"), status=TransferStatus.SCHEDULED)
    return cases.annotate(due_on=Subquery(live.values("scheduled_for")[:1])).order_by(
        "due_on", "state_changed_at", "pk"
    )


def _third_country_unreferred(cases: QuerySet[Case], user) -> QuerySet[Case]:
    """Verified wills for any third country, no state named, that no live referral asks a
    state about yet (`referrals.models.LIVE_STATES`)."""
    live = Q(person__referrals__state__in=["referred", "information_requested", "accepted"])
    return cases.filter(governing_will__wish=Wish.THIRD_COUNTRY).exclude(live)


def _onward_risk_reported(cases: QuerySet[Case], user) -> QuerySet[Case]:
    """Transferred men whose follow-up reported concerns or onward removal
    (`followup.models.ALERTING`): the evidence the receiving state's assessment needs."""
    return cases.filter(
        person__followup_contacts__outcome__in=["concerns", "onward_removal"]
    ).distinct()


@dataclass(frozen=True)
class Queue:
    """One work queue. A case queue holds the cases in `states` (narrowed by `narrow`) and
    belongs to whoever may take one of `moves`, the workflow's edges out of it, or `action`
    when the work is a record rather than a step (a risk assessment, a duplicate, a request)."""

    name: str
    title: str | Promise
    empty: str | Promise  # what an empty queue means, in words its reader can act on
    kind: str = "case"  # case | duplicate | tracing | field | medical
    states: tuple[str, ...] = ()
    moves: tuple[tuple[str, str], ...] = ()
    action: Action | None = None
    narrow: Callable[[QuerySet[Case], object], QuerySet[Case]] | None = None

    @property
    def actions(self) -> set[Action]:
        """The policy actions that empty this queue: its edges' (from the workflow's table)
        and its own."""
        found = {CASES.find(source, target) for source, target in self.moves}
        actions = {t.action for t in found if t is not None and t.action is not None}
        return actions | ({self.action} if self.action else set())

    def acts_on(self, user) -> bool:
        return any(has_any_role_for(user, action) for action in self.actions)


QUEUES: tuple[Queue, ...] = (
    Queue(
        "to_notify", _("To notify"),
        _("Every registered person has been notified to the Central Agency."),
        states=(S.REGISTERED,), moves=((S.REGISTERED, S.NOTIFIED),),
    ),
    Queue(
        "to_be_seen", _("To be seen in a private interview"),
        _("No one waits for a private verification interview."),
        states=(S.AWAITING_INTERVIEW,),
        moves=((S.AWAITING_INTERVIEW, S.WILL_RECORDED), (S.AWAITING_INTERVIEW, S.WILL_VERIFIED)),
    ),
    Queue(
        "interviews_to_finalise", _("Interviews to finalise"),
        _("No recorded will waits to be marked verified."),
        states=(S.WILL_RECORDED,), moves=((S.WILL_RECORDED, S.WILL_VERIFIED),),
    ),
    Queue(
        "to_assess", _("To assess"),
        _("No verified will waits for a legal assessment of the states on his route."),
        states=(S.WILL_VERIFIED, S.LEGAL_ASSESSMENT),
        moves=((S.WILL_VERIFIED, S.LEGAL_ASSESSMENT),), action=Action.ASSESS,
    ),
    Queue(
        "to_refer", _("To refer to receiving states"),
        _("No verified will for a third country waits for a referral."),
        states=(S.WILL_VERIFIED, S.LEGAL_ASSESSMENT), action=Action.REFERRAL_MAKE,
        narrow=_third_country_unreferred,
    ),
    Queue(
        "to_decide", _("To decide"),
        _("No legal assessment waits for a decision."),
        states=(S.LEGAL_ASSESSMENT,), moves=((S.LEGAL_ASSESSMENT, S.DECIDED),),
    ),
    Queue(
        "to_accept", _("To accept or decline"),
        _("No decided transfer to your state waits for your acceptance."),
        states=(S.DECIDED,), moves=((S.DECIDED, S.ACCEPTED),),
        narrow=_decided_transfers_to_his_state,
    ),
    Queue(
        "to_schedule", _("To schedule"),
        _("No accepted transfer or decided repatriation waits to be scheduled."),
        states=(S.ACCEPTED, S.DECIDED),
        moves=((S.ACCEPTED, S.TRANSFER_SCHEDULED), (S.DECIDED, S.TRANSFER_SCHEDULED)),
        narrow=_ready_to_schedule,
    ),
    Queue(
        "handovers_due", _("Handovers due"),
        _("No transfer is scheduled."),
        states=(S.TRANSFER_SCHEDULED,), moves=((S.TRANSFER_SCHEDULED, S.TRANSFERRED),),
        narrow=_by_handover_date,
    ),
    Queue(
        "onward_risk", _("Onward removal or risk reported"),
        _("No follow-up has reported onward removal or a risk of it."),
        states=(S.TRANSFERRED, S.CLOSED), action=Action.FOLLOWUP_ALERT,
        narrow=_onward_risk_reported,
    ),
    Queue(
        "duplicates_to_review", _("Duplicates to review"),
        _("No possible duplicate in your registry waits for a verdict."),
        kind="duplicate", action=Action.DUPLICATE_REVIEW,
    ),
    Queue(
        "tracing_to_review", _("Tracing candidates to review"),
        _("No open tracing request has a candidate waiting for your review."),
        kind="tracing", action=Action.TRACING_HANDLE,
    ),
    Queue(
        "field_conflicts_to_review", _("Field conflicts to review"),
        _("No returned team saw a man whose record the centre changed meanwhile."),
        kind="field", action=Action.VISIT_PLAN,
    ),
    # The seriously wounded and sick (docs/medical.md): waiting since he was presented, since
    # the finding, and since the finding for a consenting man no batch or decision holds yet.
    Queue(
        "medical_to_examine", _("To be presented to the commission"),
        _("No one presented to a Mixed Medical Commission waits for its examination."),
        kind="medical", action=Action.MEDICAL_EXAMINE,
    ),
    Queue(
        "medical_awaiting_consent", _("Awaiting his consent"),
        _("No finding of direct repatriation or neutral accommodation waits for his answer."),
        kind="medical", action=Action.MEDICAL_CONSENT,
    ),
    Queue(
        "medical_not_planned", _("Eligible for direct repatriation, not yet planned"),
        _("Every consenting man found eligible for direct repatriation is planned or decided."),
        kind="medical", action=Action.EXCHANGE_PLAN,
    ),
)  # fmt: skip

BY_NAME = {queue.name: queue for queue in QUEUES}
CASE_QUEUES = tuple(queue.name for queue in QUEUES if queue.kind == "case")


def queues_for(user) -> list[Queue]:
    """The queues whose work `user`'s roles and organisation kind take, in workflow order."""
    return [queue for queue in QUEUES if queue.acts_on(user)]


def queue_cases(*, user, queue: Queue) -> QuerySet[Case]:
    """The cases of a case queue that `user` may see, oldest in their state first (handovers:
    by their date). Empty for a reader who does not act on the queue."""
    if queue.kind != "case" or not queue.acts_on(user):
        return Case.objects.none()
    cases = Case.objects.filter(
        person__in=live_persons_visible_to(user), state__in=queue.states
    ).order_by("state_changed_at", "pk")
    return queue.narrow(cases, user) if queue.narrow else cases


def case_in_queue(*, user, queue: Queue, case: Case) -> bool:
    return queue_cases(user=user, queue=queue).filter(pk=case.pk).exists()


def queue_reader_key(user) -> int | None:
    """What a case queue holds for `user` depends on, once his roles admit him to it
    (`Queue.acts_on`): his organisation alone, since `persons_visible_to` and every queue's
    `narrow` read nothing else of him. Callers asking for many users ask once per key."""
    return user.organisation_id


def _duplicates(user) -> QuerySet:
    return tracing_selectors.duplicate_pair_list(actor=user, status=PairStatus.OPEN).order_by(
        "found_at", "pk"
    )


def _tracing(user) -> QuerySet:
    waiting = TracingCandidate.objects.filter(
        request=OuterRef("pk"),
        status=CandidateStatus.PROPOSED,
        person__in=persons_visible_to(user),
    )
    return (
        tracing_selectors.tracing_request_list(actor=user, status=TracingStatus.OPEN)
        .filter(Exists(waiting))
        .order_by("created_at", "pk")
    )


def days_since(since: datetime.datetime) -> int:
    """Whole days waited since `since` (never negative)."""
    return max((timezone.now() - since).days, 0)


@dataclass(frozen=True)
class QueueItem:
    """One waiting item as the home page shows it: its number, what it is, since when."""

    label: str  # a registry number, a pair of them, a request's number
    detail: str  # the state label, or what waits
    url_name: str
    url_args: tuple
    since: datetime.datetime
    due_on: datetime.date | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name, args=self.url_args)

    @property
    def days_waiting(self) -> int:
        return days_since(self.since)


@dataclass(frozen=True)
class QueueView:
    queue: Queue
    count: int
    items: list[QueueItem]


def _case_items(cases: QuerySet[Case]) -> list[QueueItem]:
    return _case_items_of(cases.select_related("person"))


def _case_items_of(cases: Iterable[Case]) -> list[QueueItem]:
    return [
        QueueItem(
            label=case.person.registry_number,
            detail=case.get_state_display(),
            url_name="registry:person_detail",
            url_args=(case.person.registry_number,),
            since=case.state_changed_at,
            due_on=getattr(case, "due_on", None),
        )
        for case in cases
    ]


def _duplicate_items(pairs: Iterable) -> list[QueueItem]:
    return [
        QueueItem(
            label=f"{pair.left.registry_number} / {pair.right.registry_number}",
            detail=str(_("Possibly the same person")),
            url_name="tracing:duplicate_detail",
            url_args=(pair.pk,),
            since=pair.found_at,
        )
        for pair in pairs
    ]


def _tracing_items(requests: Iterable) -> list[QueueItem]:
    return [
        QueueItem(
            label=str(_("Request #%(number)s") % {"number": request.pk}),
            detail=str(_("Candidates proposed")),
            url_name="tracing:request_detail",
            url_args=(request.pk,),
            since=request.created_at,
        )
        for request in requests
    ]


def _field_items(conflicts: Iterable) -> list[QueueItem]:
    return [
        QueueItem(
            label=conflict.person.registry_number,
            detail=str(_("Changed at the centre while the team was out")),
            url_name="field:conflict_detail",
            url_args=(conflict.pk,),
            since=conflict.created_at,
        )
        for conflict in conflicts
    ]


def medical_persons(*, user, queue: Queue) -> QuerySet:
    """The persons of a medical queue that `user` may see, each with `waiting_since` (a date),
    the longest wait first."""
    return medical_queue_persons(live_persons_visible_to(user), queue.name)


def medical_queue_persons(persons: QuerySet, name: str) -> QuerySet:
    """Of `persons`, those held who wait in the medical queue `name` (with `waiting_since`):
    what the home page lists and the dashboard counts."""
    persons = persons.exclude(case__state__in=NOT_HELD)
    if name == "medical_to_examine":
        found = medical_selectors.to_examine(persons)
    elif name == "medical_awaiting_consent":
        found = medical_selectors.awaiting_consent(persons)
    else:
        planned = Entry.objects.filter(person=OuterRef("pk"), status__in=LIVE_ENTRY)
        decided = Decision.objects.filter(person=OuterRef("pk"), kind__in=REPATRIATIONS)
        found = medical_selectors.consented_to_direct_repatriation(persons).filter(
            ~Exists(planned), ~Exists(decided)
        )
    return found.order_by("waiting_since", "pk")


def _medical_items(persons: Iterable, detail: str) -> list[QueueItem]:
    return [
        QueueItem(
            label=person.registry_number,
            detail=detail,
            url_name="medical:person_track",
            url_args=(person.registry_number,),
            since=timezone.make_aware(
                datetime.datetime.combine(person.waiting_since, datetime.time())
            ),
        )
        for person in persons
    ]


def queue_view(*, user, queue: Queue, limit: int = SHOWN) -> QueueView:
    """The queue's count and its first `limit` items, oldest first."""
    if queue.kind == "medical":
        persons = medical_persons(user=user, queue=queue)
        return QueueView(queue, persons.count(), _medical_items(persons[:limit], str(queue.title)))
    if queue.kind == "field":
        conflicts = field_selectors.field_conflicts_open(actor=user)
        return QueueView(queue, conflicts.count(), _field_items(conflicts[:limit]))
    if queue.kind == "duplicate":
        pairs = _duplicates(user)
        return QueueView(queue, pairs.count(), _duplicate_items(pairs[:limit]))
    if queue.kind == "tracing":
        requests = _tracing(user)
        return QueueView(queue, requests.count(), _tracing_items(requests[:limit]))
    cases = queue_cases(user=user, queue=queue)
    return QueueView(queue, cases.count(), _case_items(cases[:limit]))


def home_queues(*, user) -> list[QueueView]:
    """Each queue `user` works on, with its count and oldest items: his home page."""
    return [queue_view(user=user, queue=queue) for queue in queues_for(user)]


# Places the "to be seen" queue lists by name; the rest are counted only. A visit is planned
# place by place, so the places where men have waited longest come first.
PLACES_SHOWN = 20


@dataclass(frozen=True)
class PlaceGroup:
    """The men waiting for a private interview at one place of internment."""

    place: str  # the place's name; "" when not recorded
    kind_label: str
    count: int
    since: datetime.datetime  # the longest wait's start
    items: list[QueueItem]
    place_id: int | None = None  # the `registry.Place`; None when not recorded

    @property
    def days_waiting(self) -> int:
        """How long the man who has waited longest at this place has waited."""
        return days_since(self.since)


def to_be_seen_by_place(*, user, limit: int = SHOWN) -> list[PlaceGroup]:
    """The "to be seen" queue grouped by place of internment (`registry.Place`), the longest
    wait first, each place with its count and its `limit` oldest men; empty for a reader not
    on that queue.

    Two queries whatever the number of places or men (one counts, one lists)."""
    cases = queue_cases(user=user, queue=BY_NAME["to_be_seen"])
    place, name, kind = "person__place", "person__place__name", "person__place__kind"
    groups = list(
        cases.order_by()
        .values(place, name, kind)
        .annotate(count=Count("pk"), since=Min("state_changed_at"))
        .order_by("since", name, place)[:PLACES_SHOWN]
    )
    if not groups:
        return []
    keys = Q()
    for group in groups:
        keys |= Q(**{place: group[place]}) if group[place] else Q(**{f"{place}__isnull": True})
    rank = Window(RowNumber(), partition_by=[F(place)], order_by=[F("state_changed_at"), F("pk")])
    listed: dict[int | None, list[Case]] = {}
    for case in (
        cases.filter(keys).annotate(rank=rank).filter(rank__lte=limit).select_related("person")
    ):
        listed.setdefault(case.person.place_id, []).append(case)
    kinds = dict(PlaceKind.choices)
    return [
        PlaceGroup(
            place=group[name] or "",
            kind_label=str(kinds.get(group[kind], "")) if group[kind] else "",
            count=group["count"],
            since=group["since"],
            items=_case_items_of(listed.get(group[place], [])),
            place_id=group[place],
        )
        for group in groups
    ]


# --- visits (docs/visits.md) ------------------------------------------------------------------


@dataclass(frozen=True)
class NextVisit:
    """The reader's next visit and the men its list asks to see, with why (each item's detail),
    waiting since their case entered its state."""

    visit: object
    to_see: list[QueueItem]
    count: int


def next_visit_list(*, user, limit: int = SHOWN) -> NextVisit | None:
    """His organisation's next visit and the first `limit` men of its list; None when he plans
    no visit or none is coming."""
    visit = visit_selectors.next_visit(actor=user)
    if visit is None:
        return None
    rows = visit_selectors.visit_to_see(actor=user, visit=visit).order_by(
        "person__case__state_changed_at", "pk"
    )
    items = [
        QueueItem(
            label=row.person.registry_number,
            detail=row.get_reason_display(),
            url_name="registry:person_detail",
            url_args=(row.person.registry_number,),
            since=row.person.case.state_changed_at,
        )
        for row in rows[:limit]
    ]
    return NextVisit(visit=visit, to_see=items, count=rows.count())


@dataclass(frozen=True)
class ToFinalise:
    count: int
    items: list[QueueItem]


def visit_interviews_to_finalise(*, user, limit: int = SHOWN) -> ToFinalise | None:
    """Interviews of his organisation's visits where the man was interviewed but no will is
    recorded yet, the oldest first; None when there is none."""
    interviews = visit_selectors.interviews_to_finalise(actor=user)
    count = interviews.count()
    if not count:
        return None
    items = [
        QueueItem(
            label=interview.person.registry_number,
            detail=f"{interview.visit.place} · {interview.held_on:%Y-%m-%d}",
            url_name="visits:visit_detail",
            url_args=(interview.visit_id,),
            since=interview.recorded_at,
        )
        for interview in interviews[:limit]
    ]
    return ToFinalise(count=count, items=items)
