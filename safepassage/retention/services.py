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

from safepassage.audit.services import MASK, audit_record
from safepassage.cases.models import (
    Case,
    CaseState,
    CaseTransition,
    Decision,
    RiskAssessment,
    Transfer,
    TransferStatus,
    WillExpression,
)
from safepassage.registry.models import DatePrecision, Person, PersonName
from safepassage.registry.services import person_search_text

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
    "next_of_kin": "",
}
WILL_ERASED = ("statement", "present", "interpreter", "withdrawn_reason")


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
    }


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
    return changes


def person_write(person: Person) -> None:
    """Erase what `person_plan` lists. `person` is locked by the caller."""
    for name, empty in PERSON_ERASED.items():
        setattr(person, name, empty)
    for name, value in _birth_year(person).items():
        setattr(person, name, value)
    related = _related(person)
    related["names"].delete()
    related["will_expressions"].update(**dict.fromkeys(WILL_ERASED, ""))
    related["assessment_bases"].update(basis="")
    related["decision_reasons"].update(reason="")
    related["step_reasons"].update(reason="")
    related["cancellation_reasons"].update(cancelled_reason="")
    person.search_text = person_search_text(person, [])
    person.version += 1
    person.save()


def closed_cases_due(cutoff: datetime.datetime) -> models.QuerySet:
    """Persons whose case was closed before `cutoff`, and the records merged into them."""
    closed = Case.objects.filter(state=CaseState.CLOSED, state_changed_at__lt=cutoff)
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
            years = settings.RETENTION_YEARS[kind.key]
            audit_record(
                actor=actor,
                action="retention.anonymise",
                obj=record,
                person=kind.person(record),
                changes={
                    **changes,
                    "retention": [None, f"{kind.key}: {years} years {kind.description}"],
                },
            )
        done.append(Anonymisation(item.kind, record, kind.person(record), changes))
    return done
