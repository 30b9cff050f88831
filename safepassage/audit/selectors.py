"""Reads of the audit log, and the unusual bursts of sensitive reads it shows auditors."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from safepassage.access.policy import Action, can, has_any_role_for, require
from safepassage.access.visibility import persons_visible_to
from safepassage.audit.labels import action_label, choice_text, field_label
from safepassage.audit.models import AuditEvent
from safepassage.audit.reads import READ_ACTION_PREFIX
from safepassage.audit.sealing import MASK, changes_opened, person_keys_of
from safepassage.cases.models import INTERVIEW_CIRCUMSTANCES
from safepassage.registry.models import Person


@dataclass(frozen=True)
class AuditFilter:
    """What an auditor narrows the log to; every part optional. `person` is the person's id
    (resolved under need-to-know by the caller), dates are inclusive days."""

    person: int | None = None
    user: str = ""
    action: str = ""
    since: datetime.date | None = None
    until: datetime.date | None = None

    def as_changes(self) -> dict[str, list]:
        """The filter as an audit event's `changes` (for the export's own event)."""
        parts = {
            "person": self.person,
            "user": self.user or None,
            "action": self.action or None,
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
        }
        return {name: [None, value] for name, value in parts.items() if value is not None}


def audit_event_list(*, actor, filters: AuditFilter | None = None) -> QuerySet[AuditEvent]:
    """Audit events recorded by the actor's own organisation, newest first, narrowed by
    `filters`. Show them through `audit_events_as_seen`, which masks what the actor may not
    read."""
    require(actor, Action.AUDIT_VIEW)
    events = AuditEvent.objects.filter(organisation=actor.organisation)
    f = filters or AuditFilter()
    if f.person is not None:
        events = events.filter(person_id=f.person)
    if f.user:
        events = events.filter(actor_username=f.user)
    if f.action:
        events = events.filter(action=f.action)
    zone = timezone.get_current_timezone()
    if f.since:
        start = datetime.datetime.combine(f.since, datetime.time.min, tzinfo=zone)
        events = events.filter(at__gte=start)
    if f.until:
        end = datetime.datetime.combine(
            f.until + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        events = events.filter(at__lt=end)
    return events.order_by("-seq")


def audit_actions_of(*, actor) -> list[str]:
    """The action codes found in the actor's organisation's log (the filter's choices)."""
    require(actor, Action.AUDIT_VIEW)
    events = AuditEvent.objects.filter(organisation=actor.organisation)
    return sorted(events.values_list("action", flat=True).distinct().order_by())


def audit_users_of(*, actor) -> list[str]:
    """The user names found in the actor's organisation's log (the filter's suggestions)."""
    require(actor, Action.AUDIT_VIEW)
    events = AuditEvent.objects.filter(organisation=actor.organisation)
    return sorted(events.values_list("actor_username", flat=True).distinct().order_by())


# --- the events as rows of text ------------------------------------------------------------------


@dataclass(frozen=True)
class ChangeRow:
    name: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class AuditRow:
    """One event as a reader sees it: labels and text only, never a mapping a template could
    look methods up on (a changed field may well be called `items`)."""

    at: datetime.datetime
    actor_username: str
    action: str
    action_label: str
    object_repr: str
    registry_number: str
    changes: tuple[ChangeRow, ...]


def _change_rows(event: AuditEvent) -> tuple[ChangeRow, ...]:
    changes = event.changes if isinstance(event.changes, dict) else {}
    rows = []
    for name, change in changes.items():
        if isinstance(change, list) and len(change) == 2:
            before, after = change
        else:
            before, after = None, change
        rows.append(
            ChangeRow(
                name=str(name),
                label=field_label(event.object_type, str(name)),
                before=choice_text(event.object_type, str(name), before),
                after=choice_text(event.object_type, str(name), after),
            )
        )
    return tuple(rows)


def audit_rows(events: Iterable[AuditEvent]) -> list[AuditRow]:
    """Events already passed through `audit_events_as_seen`, as rows of text. The person's
    registry number is shown only where the event names a person (one query for the page)."""
    events = list(events)
    ids = {e.person_id for e in events if e.person_id is not None}
    numbers = dict(Person.objects.filter(pk__in=ids).values_list("pk", "registry_number"))
    return [
        AuditRow(
            at=event.at,
            actor_username=event.actor_username,
            action=event.action,
            action_label=action_label(event.action),
            object_repr=event.object_repr,
            registry_number=numbers.get(event.person_id, ""),
            changes=_change_rows(event),
        )
        for event in events
    ]


# --- what a viewer may read of the events ------------------------------------------------------

_TRACING_REQUEST_FIELDS = (
    "requester_kind", "requester_name", "requester_relationship", "requester_contact",
    "language", "family_name", "given_name", "full_name", "birth_date", "birth_place",
    "nationality", "unit", "service_number", "last_seen_place", "last_seen_date",
    "circumstances", "linked_person", "reason",
)  # fmt: skip

# The values of `changes` the policy withholds from some readers, as the screens and the API
# withhold them: object type → field → the action that reads it. A person action is decided for
# the event's person. Fields not named are shown to every auditor (ids, statuses, counts).
WITHHELD: dict[str, dict[str, Action]] = {
    "cases.willexpression": {
        **dict.fromkeys(
            ("wish", "destinations_preferred", "destinations_refused", "certainty", "reason"),
            Action.WILL_DETAILS,
        ),
        **dict.fromkeys(INTERVIEW_CIRCUMSTANCES, Action.WILL_INTERVIEW),
        "statement": Action.WILL_STATEMENT,
    },
    # Who was seen on a visit, and how, is the visiting verifier's alone.
    "visits.interview": dict.fromkeys(
        ("outcome", *INTERVIEW_CIRCUMSTANCES, "will_expression"), Action.VISIT_INTERVIEW
    ),
    "visits.visit": {"report": Action.VISIT_PLAN},
    "cases.riskassessment": {"basis": Action.ASSESSMENT_BASIS},
    "registry.person": {"next_of_kin": Action.NEXT_OF_KIN_VIEW},
    # Who asks for whom, and what they were told, is the Central Tracing Agency's alone.
    "tracing.tracingrequest": dict.fromkeys(_TRACING_REQUEST_FIELDS, Action.TRACING_HANDLE),
    "tracing.tracingcandidate": {"reason": Action.TRACING_HANDLE},
    "tracing.disclosure": dict.fromkeys(
        ("items", "consent", "channel", "message"), Action.TRACING_HANDLE
    ),
}


def _masked(change):
    """`[old, new]` with each value that was set replaced by the mask (that it was set shows)."""
    if not isinstance(change, list):
        return MASK
    return [None if value is None else MASK for value in change]


def _opened(events: list[AuditEvent]) -> None:
    """Open the values sealed under each event's person key (`audit.sealing`); a value whose
    key retention destroyed reads as the mask. One query for the page."""
    keys = person_keys_of(e.person_id for e in events)
    for event in events:
        event.changes = changes_opened(
            event.changes, event.person_id, keys.get(event.person_id), MASK
        )


def audit_events_as_seen(*, actor, events: Iterable[AuditEvent]) -> list[AuditEvent]:
    """The events as `actor` may see them: identifying values opened from their seal while the
    person's audit key exists, then each value of `changes` that the policy withholds from him
    (`WITHHELD`) masked, so the audit log shows him no more of a will, an assessment or a
    tracing request than their own pages would. Two queries for a page, whatever its length;
    the events are changed in memory only (the table refuses updates anyway)."""
    events = list(events)
    _opened(events)
    actions = {action for fields in WITHHELD.values() for action in fields.values()}
    always = {action for action in actions if can(actor, action)}  # organisation actions
    per_person = {action for action in actions if has_any_role_for(actor, action)} - always
    visible: set[int] = set()
    if per_person:
        ids = {e.person_id for e in events if e.person_id is not None and e.object_type in WITHHELD}
        if ids:
            visible = set(persons_visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True))
    for event in events:
        fields = WITHHELD.get(event.object_type)
        if not fields:
            continue

        def readable(action: Action | None, person_id=event.person_id) -> bool:
            return (
                action is None
                or action in always
                or (action in per_person and person_id in visible)
            )

        event.changes = {
            name: change if readable(fields.get(name)) else _masked(change)
            for name, change in event.changes.items()
        }
    return events


# --- bursts of sensitive reads ------------------------------------------------------------------


@dataclass(frozen=True)
class Window:
    """The busiest span found: how many, from the first to the last event in it."""

    count: int
    start: datetime.datetime
    end: datetime.datetime


def densest_window(times: Sequence[datetime.datetime], span: datetime.timedelta) -> Window | None:
    """The most events (sorted times) inside any span shorter than `span`; the earliest wins."""
    best, first = None, 0
    for last, end in enumerate(times):
        while end - times[first] >= span:
            first += 1
        count = last - first + 1
        if best is None or count > best.count:
            best = Window(count, times[first], end)
    return best


def widest_window(
    events: Sequence[tuple[datetime.datetime, Hashable]], span: datetime.timedelta
) -> Window | None:
    """The most distinct keys (e.g. persons) among events (sorted by time) inside any span
    shorter than `span`. Events without a key (None) are not counted."""
    best, first = None, 0
    inside: Counter = Counter()
    for end, key in events:
        if key is not None:
            inside[key] += 1
        while end - events[first][0] >= span:
            old = events[first][1]
            if old is not None:
                inside[old] -= 1
                if not inside[old]:
                    del inside[old]
            first += 1
        if best is None or len(inside) > best.count:
            best = Window(len(inside), events[first][0], end)
    return best


@dataclass(frozen=True)
class ReadBurst:
    """One account whose sensitive reads broke a rule of `settings.READ_BURST_*`."""

    actor_username: str
    rule: str  # "reads" (too many reads) or "persons" (too many distinct persons)
    count: int
    limit: int
    minutes: int
    start: datetime.datetime
    end: datetime.datetime


def read_burst_rules() -> dict[str, tuple[int, int]]:
    """Each rule: (limit, minutes). More than `limit` within `minutes` is flagged."""
    return {
        "reads": (settings.READ_BURST_LIMIT, settings.READ_BURST_MINUTES),
        "persons": (settings.READ_BURST_PERSONS, settings.READ_BURST_PERSONS_MINUTES),
    }


def read_burst_list(*, actor, now: datetime.datetime | None = None) -> list[ReadBurst]:
    """Accounts of the actor's own organisation that read unusually much in the look-back
    period (`READ_BURST_LOOKBACK_DAYS`): more than `READ_BURST_LIMIT` sensitive reads within
    `READ_BURST_MINUTES`, or sensitive records of more than `READ_BURST_PERSONS` distinct
    persons within `READ_BURST_PERSONS_MINUTES`. Newest burst first."""
    require(actor, Action.AUDIT_VIEW)
    now = now or timezone.now()
    since = now - datetime.timedelta(days=settings.READ_BURST_LOOKBACK_DAYS)
    rows = (
        AuditEvent.objects.filter(
            organisation=actor.organisation,
            action__startswith=READ_ACTION_PREFIX,
            at__gte=since,
            at__lte=now,
        )
        .order_by("at", "seq")
        .values_list("actor_username", "at", "person_id")
    )
    by_reader: dict[str, list[tuple[datetime.datetime, int | None]]] = defaultdict(list)
    for username, at, person_id in rows.iterator(chunk_size=5000):
        by_reader[username].append((at, person_id))
    bursts = []
    for username, events in by_reader.items():
        for rule, (limit, minutes) in read_burst_rules().items():
            span = datetime.timedelta(minutes=minutes)
            if rule == "reads":
                found = densest_window([at for at, _person in events], span)
            else:
                found = widest_window(events, span)
            if found is not None and found.count > limit:
                bursts.append(
                    ReadBurst(username, rule, found.count, limit, minutes, found.start, found.end)
                )
    bursts.sort(key=lambda b: (b.end, b.actor_username, b.rule), reverse=True)
    return bursts
