"""Audited reads: who was shown which statement, next of kin, interview or assessment basis.

The code that reveals a sensitive value to a reader (a selector building a page, an API view
building a response, an export) lists what it revealed as `SensitiveRead`s and calls
`sensitive_reads_record` once for the response: one event per record, whatever the number of
fields or template accesses, never holding the value (the audit log is not encrypted). A read
that cannot be recorded fails the response with it: no sensitive value leaves unaudited.
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import models, transaction

from safepassage.audit.models import AuditEvent
from safepassage.audit.services import audit_append, audit_event_new

# What may be read, as it is named in the event (stored text, hashed: plain English, not
# translated at write time). A new sensitive value is one line here.
READ_KINDS: dict[str, str] = {
    "statement": "statement",
    "interview": "interview circumstances",
    "withdrawn_reason": "withdrawal reason",
    "next_of_kin": "next of kin",
    "basis": "assessment basis",
    "requester_contact": "requester contact",
    "report": "confidential visit report",
    "document": "document content",
    "document_title": "document title",
    "referral_profile": "referral profile (family links, note)",
    "followup_note": "follow-up note",
    "family_message": "family message (text, correspondent)",
    "correspondence_choice": "his choice of correspondents",
}
# Every read event's action starts so; `audit.selectors.read_burst_list` counts them.
READ_ACTION_PREFIX = "read."


@dataclass(frozen=True)
class SensitiveRead:
    """`record`'s `what` (a key of READ_KINDS) was shown to the reader; `person` it is about."""

    record: models.Model
    what: str
    person: models.Model | None = None

    def __post_init__(self) -> None:
        if self.what not in READ_KINDS:
            raise ValueError(f"unknown sensitive read {self.what!r}; add it to READ_KINDS")


def read_action(record: models.Model) -> str:
    """`read.willexpression`, `read.person`, `read.riskassessment`, …"""
    return READ_ACTION_PREFIX + record._meta.model_name


# The reads a response gathers (`reads_gathered`), by reader: appended together at its end.
_gathered: ContextVar[tuple[object, list[SensitiveRead]] | None] = ContextVar(
    "audit_reads_gathered", default=None
)


@contextmanager
def reads_gathered(*, actor) -> Iterator[None]:
    """Within the block, `actor`'s reads (`sensitive_reads_record`) are gathered and appended
    to the log in one go when it ends: a response that reads several kinds of sensitive value
    through several selectors (the person page: next of kin, wills, documents' titles) writes
    the log once. The block builds the response's data and shows nothing, so still no value
    leaves unaudited; if it fails, nothing was shown and nothing is recorded."""
    token = _gathered.set((actor, []))
    try:
        yield
        _actor, reads = _gathered.get()
    finally:
        _gathered.reset(token)
    _reads_append(actor=actor, reads=reads)


def sensitive_reads_record(*, actor, reads: Iterable[SensitiveRead]) -> list[AuditEvent]:
    """One audit event per record read (e.g. "UA-2025-000001: will expression #7 — statement
    read"), appended in one go; the same record read twice in a response is one event. Inside
    `reads_gathered` for the same reader, they wait for the block's end (nothing returned)."""
    gathering = _gathered.get()
    if gathering is not None and gathering[0] is actor:
        gathering[1].extend(reads)
        return []
    return _reads_append(actor=actor, reads=reads)


def _reads_append(*, actor, reads: Iterable[SensitiveRead]) -> list[AuditEvent]:
    by_record: dict[tuple[str, str], tuple[SensitiveRead, list[str]]] = {}
    for read in reads:
        key = (read.record._meta.label_lower, str(read.record.pk))
        first, whats = by_record.setdefault(key, (read, []))
        if read.what not in whats:
            whats.append(read.what)
    if not by_record:
        return []
    events = []
    for read, whats in by_record.values():
        person = read.person
        if person is None and read.record._meta.model_name == "person":
            person = read.record
        labels = ", ".join(READ_KINDS[w] for w in sorted(whats, key=list(READ_KINDS).index))
        events.append(
            audit_event_new(
                actor=actor,
                action=read_action(read.record),
                obj=read.record,
                person=person,
                object_repr=f"{read.record} — {labels} read",
                # The names of what was read, never its value.
                changes={"read": [None, sorted(whats)]},
            )
        )
    # A GET writes: its own short transaction (IMMEDIATE on SQLite), or the caller's.
    with transaction.atomic():
        return audit_append(events)
