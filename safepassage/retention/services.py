"""Retention: anonymising records whose retention period ended (docs/security.md#retention).

Each record kind of `KINDS` says which records are due (`due`), what anonymising one would
change (`plan`, read only: the dry run prints it) and how to write it (`write`). A kind that
does not exist yet (a tracing request, years after it was answered) is one more entry there
and one line in `settings.RETENTION_YEARS`.

`retention_apply` anonymises each record in its own transaction, with the row locked and the
plan made again under the lock, and appends one audit event per anonymised person that names
what was erased, never its old value. A record with nothing left to erase is skipped: running
it twice changes nothing the second time.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from safepassage.audit.models import AuditEvent, PersonKey
from safepassage.audit.sealing import IDENTIFYING, is_sealed, person_key_destroy
from safepassage.audit.services import MASK, audit_record
from safepassage.cases.models import (
    Case,
    CaseState,
    CaseTransition,
    Decision,
    Declination,
    Handover,
    RiskAssessment,
    StepFacts,
    Transfer,
    TransferStatus,
    WillExpression,
)
from safepassage.documents.models import Document, DocumentState, DocumentVersion
from safepassage.documents.services import documents_erase
from safepassage.exchanges.models import Candidate, Entry
from safepassage.imports.models import ImportedRecord, ImportJob
from safepassage.medical.models import Examination, Presentation
from safepassage.registry.models import (
    DatePrecision,
    NameKey,
    Person,
    PersonName,
    Place,
    PlaceMove,
)
from safepassage.registry.services import person_search_text
from safepassage.tracing.models import DuplicatePair, TracingCandidate
from safepassage.visits.models import Interview

# --- closed cases -------------------------------------------------------------------------------

# What anonymising a person erases, field by field. Kept for statistics and for the guard's
# history: registry number, detaining power, sex, the year of birth, nationalities, health and
# Art. 110 category, the kind of place, languages, the case and every step, will, assessment,
# decision, acceptance and transfer as facts (wish, destinations, risks, route, dates), and the
# links of merged records. Erased: everything that names him or leads to him or his family.
PERSON_ERASED = {
    "birth_place": "",
    "service_number": "",
    "rank": "",
    "unit": "",
    "capture_date": None,
    "capture_place": "",
    "capturing_unit": "",
    "wounds": "",
    "internment_place": "",
    "place": None,
    "next_of_kin": "",
}
WILL_ERASED = ("statement", "present", "interpreter", "withdrawn_reason")
# The dates of his death, release or handover stay; the free text around them goes.
STEP_FACTS_ERASED = ("place", "cause", "certified_by", "circumstances")


def _birth_year(person: Person) -> dict[str, Any]:
    """The date of birth cut to its year (1 January, precision "year"); nothing if unknown."""
    if person.birth_date is None:
        return {}
    year_only = datetime.date(person.birth_date.year, 1, 1)
    if person.birth_date == year_only and person.birth_date_precision == DatePrecision.YEAR:
        return {}
    return {"birth_date": year_only, "birth_date_precision": DatePrecision.YEAR}


def _filled(*names: str) -> Q:
    """Rows where any of these text fields is not empty (encrypted fields allow `= ''`)."""
    query = Q()
    for name in names:
        query |= ~Q(**{name: ""})
    return query


def _related(person: Person) -> dict[str, models.QuerySet]:
    """Rows about him that still hold free text to erase, by what the audit event calls them."""
    return {
        "names": PersonName.objects.filter(person=person),
        "will_expressions": WillExpression.objects.filter(person=person).filter(
            _filled(*WILL_ERASED)
        ),
        "assessment_bases": RiskAssessment.objects.filter(person=person).filter(_filled("basis")),
        "decision_reasons": Decision.objects.filter(person=person).filter(_filled("reason")),
        "step_reasons": CaseTransition.objects.filter(case__person=person).filter(
            _filled("reason")
        ),
        # Only cancelled transfers carry a reason; the guard's triggers check the others.
        "cancellation_reasons": Transfer.objects.filter(
            person=person, status=TransferStatus.CANCELLED
        ).filter(_filled("cancelled_reason")),
        "step_facts": StepFacts.objects.filter(transition__case__person=person).filter(
            _filled(*STEP_FACTS_ERASED)
        ),
        "handover_notes": Handover.objects.filter(transfer__person=person).filter(
            _filled("transport", "early_reason")
        ),
        # Where he was held and moved, and who was in the room when a visit saw him.
        "place_moves": PlaceMove.objects.filter(person=person),
        "interview_notes": Interview.objects.filter(person=person).filter(
            _filled("present", "interpreter")
        ),
        "declination_reasons": Declination.objects.filter(decision__person=person).filter(
            _filled("reason")
        ),
        # What a Mixed Medical Commission found, and who presented him (docs/medical.md).
        "medical_findings": Examination.objects.filter(person=person).filter(_filled("findings")),
        "medical_presenters": Presentation.objects.filter(person=person).filter(
            _filled("presenter_name")
        ),
    }


# --- copies of him in other apps -----------------------------------------------------------------
# Records that copied his name or identity to do their work: an exchange list's line, the
# linkage's per-field explanation (his value beside the other), an upload's preview and
# likely duplicates. Each kind finds the rows about him that still hold a copy and erases it.


def _explanation_filled(explanation) -> bool:
    return any(item.get("left") or item.get("right") for item in explanation or [])


def _explanation_erased(explanation) -> list[dict[str, Any]]:
    """The linkage's reasons without the compared values: field, level and weight stay."""
    return [{**item, "left": "", "right": ""} for item in explanation or []]


def _tracing_candidates(person: Person) -> list[TracingCandidate]:
    rows = TracingCandidate.objects.filter(person=person).order_by("pk")
    return [
        row for row in rows if _explanation_filled(row.explanation) or row.reason not in ("", MASK)
    ]


def _tracing_candidate_erase(row: TracingCandidate) -> None:
    # A reviewed candidate must keep a reason (tracing_candidate_reason_when_reviewed): the mask.
    reason = MASK if row.reason else ""
    TracingCandidate.objects.filter(pk=row.pk).update(
        explanation=_explanation_erased(row.explanation), reason=reason
    )


def _duplicate_pairs(person: Person) -> list[DuplicatePair]:
    rows = DuplicatePair.objects.filter(Q(left=person) | Q(right=person)).order_by("pk")
    return [row for row in rows if _explanation_filled(row.explanation) or row.reason]


def _duplicate_pair_erase(row: DuplicatePair) -> None:
    DuplicatePair.objects.filter(pk=row.pk).update(
        explanation=_explanation_erased(row.explanation), reason=""
    )


def _upload_lines(person: Person) -> tuple[set[tuple[int, str, str]], str]:
    """His lines in uploads: (organisation, source, id in the file), and his registry number."""
    ids = set(
        ImportedRecord.objects.filter(person=person).values_list(
            "organisation_id", "source", "external_id"
        )
    )
    return ids, person.registry_number


def _upload_entries_about(job: ImportJob, lines, number: str) -> tuple[list, list]:
    """The preview rows and likely duplicates of an upload that are his (by his id in the file,
    or flagged as a likely duplicate of his registry record)."""
    mine = {external_id for org, source, external_id in lines if (org, source) == (
        job.organisation_id, job.source)}  # fmt: skip
    summary = job.summary or {}
    duplicates = [
        row
        for row in summary.get("duplicates", [])
        if row.get("id") in mine or (number and row.get("match") == number)
    ]
    # A row flagged as a likely duplicate of him is him too, in another file.
    rows = mine | {row.get("id") for row in duplicates}
    preview = [row for row in summary.get("preview", []) if row.get("id") in rows]
    return preview, duplicates


def _upload_jobs(person: Person) -> list[ImportJob]:
    lines, number = _upload_lines(person)
    organisations = {org for org, _source, _id in lines} | {person.detaining_organisation_id}
    jobs = ImportJob.objects.filter(organisation_id__in=organisations).order_by("pk")
    return [job for job in jobs if any(_upload_entries_about(job, lines, number))]


def _upload_job_erase(job: ImportJob, person: Person) -> None:
    lines, number = _upload_lines(person)
    preview, duplicates = _upload_entries_about(job, lines, number)
    summary = dict(job.summary)
    summary["preview"] = [row for row in summary.get("preview", []) if row not in preview]
    summary["duplicates"] = [row for row in summary.get("duplicates", []) if row not in duplicates]
    ImportJob.objects.filter(pk=job.pk).update(summary=summary)


def _copies(person: Person) -> dict[str, list[models.Model]]:
    """Rows of other apps that still hold a copy of his name or identity."""
    return {
        "exchange_candidate_names": list(
            Candidate.objects.filter(person=person).exclude(name="").order_by("pk")
        ),
        "exchange_removal_reasons": list(
            Entry.objects.filter(person=person).exclude(removed_reason="").order_by("pk")
        ),
        "tracing_candidates": _tracing_candidates(person),
        "duplicate_pairs": _duplicate_pairs(person),
        "upload_summaries": _upload_jobs(person),
    }


def _copies_erase(person: Person) -> None:
    copies = _copies(person)
    Candidate.objects.filter(pk__in=[c.pk for c in copies["exchange_candidate_names"]]).update(
        name=""
    )
    Entry.objects.filter(pk__in=[e.pk for e in copies["exchange_removal_reasons"]]).update(
        removed_reason=""
    )
    for row in copies["tracing_candidates"]:
        _tracing_candidate_erase(row)
    for row in copies["duplicate_pairs"]:
        _duplicate_pair_erase(row)
    for job in copies["upload_summaries"]:
        _upload_job_erase(job, person)


def audit_events_in_clear(person: Person) -> int:
    """Events about him written before audit values were sealed (audit/0006) that still hold
    an identifying value in clear: the chain forbids rewriting them (docs/security.md)."""
    rows = (
        AuditEvent.objects.filter(person=person)
        .exclude(action="retention.anonymise")  # masks, counts and the year kept
        .values_list("changes", flat=True)
    )
    return sum(
        1
        for changes in rows.iterator()
        if any(
            value not in (None, "", MASK) and not is_sealed(value)
            for name, change in changes.items()
            if name in IDENTIFYING
            for value in (change if isinstance(change, list) else [change])
        )
    )


def person_plan(person: Person) -> dict[str, list[Any]]:
    """The audit changes anonymising him would make: `{field: [MASK, new]}`, old never shown."""
    changes: dict[str, list[Any]] = {}
    for name, empty in PERSON_ERASED.items():
        if getattr(person, name) not in ("", None):
            changes[name] = [MASK, empty]
    for name, value in _birth_year(person).items():
        changes[name] = [MASK, str(value)]
    for name, rows in _related(person).items():
        if count := rows.count():
            changes[name] = [MASK, f"{count} erased"]
    for name, copies in _copies(person).items():
        if copies:
            changes[name] = [MASK, f"{len(copies)} erased"]
    changes.update(_documents_plan(Document.objects.filter(person=person)))
    # Destroying his audit key makes every identifying value the log sealed about him unreadable.
    if PersonKey.objects.filter(person_id=person.pk).exists():
        changes["audit_key"] = [MASK, "destroyed"]
    return changes


def person_write(person: Person) -> None:
    """Erase what `person_plan` lists. `person` is locked by the caller."""
    for name, empty in PERSON_ERASED.items():
        setattr(person, name, empty)
    for name, value in _birth_year(person).items():
        setattr(person, name, value)
    related = _related(person)
    # His name index goes with his names (the keys spell them).
    NameKey.objects.filter(person=person).delete()
    related["names"].delete()
    related["will_expressions"].update(**dict.fromkeys(WILL_ERASED, ""))
    related["assessment_bases"].update(basis="")
    related["decision_reasons"].update(reason="")
    related["step_reasons"].update(reason="")
    related["cancellation_reasons"].update(cancelled_reason="")
    related["step_facts"].update(**dict.fromkeys(STEP_FACTS_ERASED, ""))
    related["handover_notes"].update(transport="", early_reason="")
    related["declination_reasons"].update(reason="")
    related["medical_findings"].update(findings="")
    related["medical_presenters"].update(presenter_name="")
    places = {person.place_id, *related["place_moves"].values_list("from_place", flat=True),
              *related["place_moves"].values_list("to_place", flat=True)} - {None}  # fmt: skip
    related["place_moves"].delete()
    related["interview_notes"].update(present="", interpreter="")
    _copies_erase(person)
    # His documents: titles and reasons emptied, data keys dropped, stored bytes deleted.
    documents_erase(person=person)
    person_key_destroy(person)
    person.search_text = person_search_text(person, [])
    person.version += 1
    person.save()
    _places_left_unused_delete(places)


def _documents_plan(documents: models.QuerySet) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}
    titled = documents.filter(_filled("title", "removed_reason")).count()
    files = DocumentVersion.objects.filter(document__in=documents, erased_at__isnull=True).count()
    if titled:
        changes["document_titles"] = [MASK, f"{titled} erased"]
    if files:
        changes["document_files"] = [MASK, f"{files} erased"]
    return changes


# --- removed documents ------------------------------------------------------------------------


def removed_documents_due(cutoff: datetime.datetime) -> models.QuerySet:
    """Documents removed before `cutoff`: their bytes and title go, the removal's record stays."""
    return Document.objects.filter(state=DocumentState.REMOVED, removed_at__lt=cutoff).order_by(
        "pk"
    )


def removed_document_plan(document: Document) -> dict[str, list[Any]]:
    return _documents_plan(Document.objects.filter(pk=document.pk))


def removed_document_write(document: Document) -> None:
    documents_erase(documents=Document.objects.filter(pk=document.pk))


def _places_left_unused_delete(pks: set[int]) -> None:
    """A place of internment no one else was held at, moved through or visited named only him."""
    Place.objects.filter(pk__in=pks, persons__isnull=True, visits__isnull=True).exclude(
        pk__in=PlaceMove.objects.values("from_place")
    ).exclude(pk__in=PlaceMove.objects.values("to_place")).delete()


def closed_cases_due(cutoff: datetime.datetime) -> models.QuerySet:
    """Persons whose case was closed before `cutoff`, and the records merged into them; none
    with a follow-up contact still due."""
    closed = Case.objects.filter(state=CaseState.CLOSED, state_changed_at__lt=cutoff)
    # Never a man whose follow-up contacts are still due (followup.models): he may need them.
    closed = closed.exclude(person__followup_contacts__state="due")
    survivors = closed.values("person_id")
    return Person.objects.filter(Q(pk__in=survivors) | Q(merged_into__in=survivors)).order_by(
        "registry_number"
    )


@dataclass(frozen=True)
class RetentionKind:
    key: str
    description: str  # for the dry run and the audit event: what starts the period
    due: Callable[[datetime.datetime], models.QuerySet]  # records due, given the cutoff
    plan: Callable[[Any], dict[str, list[Any]]]
    write: Callable[[Any], None]
    person: Callable[[Any], Person | None]  # whom the record is about


KINDS: dict[str, RetentionKind] = {
    "closed_case": RetentionKind(
        key="closed_case",
        description="after the case was closed",
        due=closed_cases_due,
        plan=person_plan,
        write=person_write,
        person=lambda person: person,
    ),
    "removed_document": RetentionKind(
        key="removed_document",
        description="after the document was removed",
        due=removed_documents_due,
        plan=removed_document_plan,
        write=removed_document_write,
        person=lambda document: document.person,
    ),
    # "tracing_request": RetentionKind(...)  — with RETENTION_YEARS["tracing_request"].
}


# --- applying -----------------------------------------------------------------------------------


def years_before(moment: datetime.datetime, years: int) -> datetime.datetime:
    """The same day `years` earlier (29 February becomes the 28th)."""
    try:
        return moment.replace(year=moment.year - years)
    except ValueError:
        return moment.replace(year=moment.year - years, day=28)


@dataclass
class Anonymisation:
    """One record due, and what anonymising it changes (empty: nothing left to erase)."""

    kind: str
    record: models.Model
    person: Person | None
    changes: dict[str, list[Any]] = field(default_factory=dict)


def _kinds(only: Iterable[str] | None) -> list[RetentionKind]:
    keys = list(KINDS) if only is None else list(only)
    unknown = [key for key in keys if key not in KINDS]
    if unknown:
        raise ValueError(f"unknown retention kinds: {', '.join(unknown)}")
    missing = [key for key in keys if key not in settings.RETENTION_YEARS]
    if missing:
        raise ValueError(f"RETENTION_YEARS has no period for: {', '.join(missing)}")
    return [KINDS[key] for key in keys]


def retention_plan(
    *, now: datetime.datetime | None = None, kinds: Iterable[str] | None = None
) -> list[Anonymisation]:
    """Every record past retention that still holds something to erase. Writes nothing."""
    now = now or timezone.now()
    planned = []
    for kind in _kinds(kinds):
        cutoff = years_before(now, settings.RETENTION_YEARS[kind.key])
        for record in kind.due(cutoff):
            changes = kind.plan(record)
            if changes:
                planned.append(Anonymisation(kind.key, record, kind.person(record), changes))
    return planned


def retention_apply(
    *, actor=None, now: datetime.datetime | None = None, kinds: Iterable[str] | None = None
) -> list[Anonymisation]:
    """Anonymise every record past retention, each in its own transaction, audited."""
    done = []
    for item in retention_plan(now=now, kinds=kinds):
        kind = KINDS[item.kind]
        with transaction.atomic():
            record = type(item.record).objects.select_for_update().get(pk=item.record.pk)
            changes = kind.plan(record)  # again, under the lock
            if not changes:
                continue
            kind.write(record)
            person = kind.person(record)
            # Said, not hidden: what the log keeps of him in clear from before sealing existed.
            if person is not None and (kept := audit_events_in_clear(person)):
                changes = {**changes, "audit_events_in_clear": [None, f"{kept} kept"]}
            years = settings.RETENTION_YEARS[kind.key]
            audit_record(
                actor=actor,
                action="retention.anonymise",
                obj=record,
                person=kind.person(record),
                # Nothing to seal (masks, counts, the year kept), and his key is gone.
                identifying=(),
                changes={
                    **changes,
                    "retention": [None, f"{kind.key}: {years} years {kind.description}"],
                },
            )
        done.append(Anonymisation(item.kind, record, kind.person(record), changes))
    return done
