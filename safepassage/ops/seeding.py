"""A large, realistic, fictional registry for load tests: `safepassage seed --persons N`.

Persons are drawn from the demo generators (`safepassage/demo/people.py`: names in Hangul,
Cyrillic and Latin, identity core, capture, health) and written with bulk inserts, one
transaction per batch. Each batch appends **one** audit event (`registry.seed`: how many, the
first and last registry number), so the hash chain stays valid and every seeded person is
accounted for, without a million events. `safepassage audit verify` passes afterwards.

Not a substitute for `person_register` in the product: no per-person events, and every case
starts at "registered". Use it for benchmarks and trials only.
"""

import datetime
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from safepassage.accounts.models import Organisation, OrganisationKind
from safepassage.audit.services import audit_record
from safepassage.cases.models import Case, CaseState
from safepassage.demo import people
from safepassage.lib.errors import DomainError
from safepassage.lib.text import detect_script, search_key
from safepassage.registry.models import Person, PersonName, RegistrySequence

SEED_ORGANISATION = "Generated detaining power (seed)"
# Who a registry of prisoners held by Ukraine holds, roughly: mostly Russian soldiers.
GENERATORS = (
    (people.russian_soldier, 80),
    (people.korean_soldier, 8),
    (people.foreign_fighter, 12),
)


@dataclass
class SeedReport:
    persons: int
    names: int
    batches: int
    seconds: float
    first: str
    last: str


def search_text_for(person: Person, names: list[PersonName]) -> str:
    """The same key `registry.services._refresh_search_text` stores (a test holds them equal)."""
    parts = [
        person.registry_number, person.service_number, person.unit, person.birth_place,
        person.internment_place, person.capture_place,
    ]  # fmt: skip
    keys = [
        search_key(n.family_name, n.given_name, n.patronymic)
        + " "
        + search_key(n.given_name, n.family_name)
        for n in names
    ]
    return " | ".join([*keys, search_key(*parts)])


def seed_organisation(name: str | None) -> Organisation:
    """The named detaining power, or the generated one (created on first use)."""
    if name:
        try:
            organisation = Organisation.objects.get(name=name)
        except Organisation.DoesNotExist:
            raise DomainError(f"No organisation named {name!r}; `safepassage org list`.") from None
        if organisation.kind != OrganisationKind.DETAINING_POWER:
            raise DomainError(f"{name!r} is not a detaining power: only those register persons.")
        return organisation
    organisation, _created = Organisation.objects.get_or_create(
        name=SEED_ORGANISATION,
        defaults={"kind": OrganisationKind.DETAINING_POWER, "country": "UA"},
    )
    return organisation


def _reserve_numbers(organisation: Organisation, count: int, year: int) -> tuple[str, int]:
    """Take `count` registry numbers in one step; returns the prefix and the first number."""
    prefix = f"{organisation.country.code}-{year}"
    sequence, _created = RegistrySequence.objects.select_for_update().get_or_create(prefix=prefix)
    RegistrySequence.objects.filter(pk=sequence.pk).update(last=F("last") + count)
    sequence.refresh_from_db()
    return prefix, sequence.last - count + 1


def _insert(model, objects: list, *, with_ids: bool = False) -> None:
    """bulk_create; on PostgreSQL a COPY, several times faster for a million rows."""
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects)
        return
    meta = model._meta
    if with_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [meta.db_table, len(objects)],
            )
            for obj, (pk,) in zip(objects, cursor.fetchall(), strict=True):
                obj.pk = pk
    fields = [f for f in meta.concrete_fields if with_ids or not f.primary_key]
    for obj in objects:  # the foreign keys: ids of objects inserted before
        for field in fields:
            if field.is_relation and getattr(obj, field.attname) is None:
                related = getattr(obj, field.name, None)
                if related is not None:
                    setattr(obj, field.attname, related.pk)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: COPY is not in the DB-API
        with raw.copy(
            f"COPY {connection.ops.quote_name(meta.db_table)} ({columns}) FROM STDIN"
        ) as copy:  # noqa: E501, S608 - table and column names from the model
            for obj in objects:
                copy.write_row(
                    [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
                )
    for obj in objects:
        obj._state.adding = False


def _batch(rng: random.Random, organisation: Organisation, count: int, today: datetime.date):
    generators, weights = zip(*GENERATORS, strict=True)
    profiles = [rng.choices(generators, weights)[0](rng, today) for _ in range(count)]
    prefix, first = _reserve_numbers(organisation, count, today.year)
    persons, names, cases = [], [], []
    for i, profile in enumerate(profiles):
        person = Person(
            registry_number=f"{prefix}-{first + i:06d}",
            detaining_organisation=organisation,
            **profile.fields,
        )
        own = [
            PersonName(
                person=person,
                family_name=n.family_name,
                given_name=n.given_name,
                patronymic=n.patronymic,
                script=n.script or detect_script(f"{n.family_name}{n.given_name}"),
                romanization=n.romanization or "as_written",
                source=n.source,
                is_assumed_identity=n.is_assumed_identity,
                position=position,
            )
            for position, n in enumerate(profile.names)
        ]
        person.search_text = search_text_for(person, own)
        persons.append(person)
        names.extend(own)
        cases.append(Case(person=person, state=CaseState.REGISTERED))
    # The persons first: their ids go into the names and cases.
    _insert(Person, persons, with_ids=True)
    _insert(PersonName, names)
    _insert(Case, cases)
    return persons, len(names)


def registry_seed(
    *,
    persons: int,
    organisation: Organisation,
    actor=None,
    seed: int = 2026,
    batch_size: int = 2000,
    progress: Callable[[int], None] | None = None,
) -> SeedReport:
    """Add `persons` generated persons to `organisation`, audited as one event per batch."""
    if persons < 1:
        raise DomainError("Give --persons 1 or more.")
    if batch_size < 1:
        raise DomainError("Give --batch-size 1 or more.")
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 - fictional data, not secrets
    today = timezone.localdate()
    done = names = batches = 0
    first = last = ""
    while done < persons:
        count = min(batch_size, persons - done)
        with transaction.atomic():
            created, name_count = _batch(rng, organisation, count, today)
            audit_record(
                actor=actor,
                action="registry.seed",
                obj=organisation,
                changes={
                    "persons": [None, len(created)],
                    "first": [None, created[0].registry_number],
                    "last": [None, created[-1].registry_number],
                },
            )
        first = first or created[0].registry_number
        last = created[-1].registry_number
        done += count
        names += name_count
        batches += 1
        if progress is not None:
            progress(done)
    return SeedReport(done, names, batches, time.perf_counter() - started, first, last)
