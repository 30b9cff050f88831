"""A large, realistic, fictional registry for load tests: `safepassage seed --persons N`.

Persons are drawn from the demo generators (`safepassage/demo/people.py`: names in Hangul,
Cyrillic and Latin, identity core, capture, health); most Russian soldiers get a surname from a
long tail (`seednames`), so a million persons have namesakes as a real registry does, not
17,000 each. Cases are spread over the states that need no other record — registered,
notified, awaiting interview, and released, deceased or escaped — each with the steps that led
there in its history. Later states need a verified will, assessments and the guard's blocks,
which only the services create: the seed does not fake them.

Rows are written with the bulk import's inserter (`safepassage.imports.bulk`: COPY on
PostgreSQL), one transaction per batch. Each batch appends **one** audit event
(`registry.seed`: how many, the first and last registry number), so the hash chain stays valid
and every seeded person is accounted for, without a million events; `safepassage audit verify`
passes afterwards. The steps are taken in the name of a disabled account, `seed-<organisation
id>`, created (audited) on first use: it has no password and cannot log in.

Not a substitute for `person_register` in the product. Use it for benchmarks and trials only.
"""

import datetime
import enum
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

from django.db import connection, transaction
from django.utils import timezone

from safepassage.accounts.models import Organisation, OrganisationKind, Role, User
from safepassage.accounts.services import user_create, user_disable
from safepassage.audit.services import audit_record
from safepassage.cases.models import Case, CaseState, CaseTransition
from safepassage.demo import people
from safepassage.imports.bulk import Inserter
from safepassage.lib.errors import DomainError
from safepassage.lib.ids import ids_reserve
from safepassage.ops import seednames
from safepassage.registry.models import NameKey, Person, PersonName
from safepassage.registry.services import (
    PERSON_FIELDS,
    NameInput,
    name_key_rows,
    person_name_values,
    person_search_text,
    registry_numbers_reserve,
)
from safepassage.workflow.models import Trigger

SEED_ORGANISATION = "Generated detaining power (seed)"
# Who a registry of prisoners held by Ukraine holds, roughly: mostly Russian soldiers.
GENERATORS = (
    (people.russian_soldier, 80),
    (people.korean_soldier, 8),
    (people.foreign_fighter, 12),
)
# The share of Russian soldiers whose surname comes from the long tail, not the 46 common ones.
RARE_SURNAME_SHARE = 0.65

# Search keys of spellings kept in memory while seeding (a few hundred bytes each).
NAME_KEYS_KEPT = 200_000

S = CaseState
# How far cases have gone, in percent, and the steps that led there (with their reasons).
STATES = ((S.REGISTERED, 40), (S.NOTIFIED, 30), (S.AWAITING_INTERVIEW, 22),
          (S.RELEASED, 4), (S.DECEASED, 2), (S.ESCAPED, 2))  # fmt: skip
PATH = (S.REGISTERED, S.NOTIFIED, S.AWAITING_INTERVIEW)
REASONS = {
    S.NOTIFIED: "Capture card sent to the Central Agency (Art. 122-123).",
    S.AWAITING_INTERVIEW: "Private verification interview requested.",
    S.RELEASED: "Released by the detaining power.",
    S.DECEASED: "Death recorded and notified (Art. 120).",
    S.ESCAPED: "Escape recorded (Art. 91).",
}


@dataclass
class SeedReport:
    persons: int
    names: int
    batches: int
    seconds: float
    first: str
    last: str


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


def seed_actor(organisation: Organisation) -> User:
    """The disabled account the seeded case steps are recorded under (made once, audited)."""
    username = f"seed-{organisation.pk}"
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    user = user_create(username=username, organisation=organisation.name, roles=[Role.REGISTRAR])
    return user_disable(user=user)


# A person with no identity fields: `person_search_text` of it and one name is the name's part.
_NO_IDENTITY = SimpleNamespace(
    registry_number="", service_number="", unit="", birth_place="", internment_place="",
    capture_place="",
)  # fmt: skip


def _plain(value):
    """A TextChoices member as its plain string: what the database driver is given."""
    return value.value if isinstance(value, enum.Enum) else value


def _steps(rng: random.Random, state: str) -> list[tuple[str, str]]:
    """(from, to) of every step a case in `state` has taken."""
    if state in PATH:
        path = list(PATH[: PATH.index(state) + 1])
    else:  # ended: released, dead or escaped at some point of the active path
        path = [*PATH[: rng.randint(1, len(PATH))], state]
    return list(zip(path, path[1:], strict=False))


class _Writer:
    """The inserters of one seeding run, and the columns each row gives."""

    CONVERT = ("birth_date", "capture_date", "nationalities", "next_of_kin")

    def __init__(self, organisation: Organisation, actor: User):
        self.organisation, self.actor = organisation, actor
        prototype = Person(registry_number="", detaining_organisation=organisation)
        self.person_defaults = [(f, getattr(prototype, f)) for f in PERSON_FIELDS]
        self.persons = Inserter(
            Person, prototype, ("id", "registry_number", "search_text", *PERSON_FIELDS),
            convert=self.CONVERT,
        )  # fmt: skip
        self.name_columns = tuple(person_name_values(NameInput(family_name="x")))
        self.names = Inserter(
            PersonName,
            PersonName(person_id=0, script="Zyyy", position=0),
            ("id", "person_id", "position", *self.name_columns),
        )
        self.keys = Inserter(
            NameKey,
            NameKey(person_id=0, name_id=0, kind="", key=""),
            ("person_id", "name_id", "kind", "system", "key"),
        )
        self.cases = Inserter(Case, Case(person_id=0), ("id", "person_id", "state"))
        # Fields whose generated values are TextChoices members, handed to the driver as str.
        self.choices = {
            f.name for f in Person._meta.fields if f.choices and f.name in PERSON_FIELDS
        }
        self.name_keys: dict[tuple[str, str, str], str] = {}
        self.steps = Inserter(
            CaseTransition,
            # Every seeded step is a plain one (`PATH`, then death, release or escape).
            CaseTransition(
                case_id=0,
                actor=actor,
                organisation=organisation,
                reason="-",
                trigger=Trigger.PERSON,
            ),  # fmt: skip
            ("id", "case_id", "from_state", "to_state", "reason"),
        )

    def name_key(self, name: NameInput) -> str:
        """The name's part of the search text, as `person_search_text` writes it, computed
        once per spelling: folding every letter is most of the seed's work otherwise."""
        key = (name.family_name, name.given_name, name.patronymic)
        text = self.name_keys.get(key)
        if text is None:
            if len(self.name_keys) >= NAME_KEYS_KEPT:
                self.name_keys.clear()
            text = self.name_keys[key] = person_search_text(_NO_IDENTITY, [name])
        return text


def _profile(rng: random.Random, today: datetime.date, pool) -> people.Profile:
    generators, weights = zip(*GENERATORS, strict=True)
    profile = rng.choices(generators, weights)[0](rng, today)
    if profile.group == "ru" and rng.random() < RARE_SURNAME_SHARE:
        russian, latin, ukrainian = seednames.rare_surname(rng, pool)
        mother = seednames.feminine(profile.names[0].family_name)
        for name, family in zip(profile.names, (russian, latin, ukrainian), strict=True):
            name.family_name = family
        kin = profile.fields["next_of_kin"]
        profile.fields["next_of_kin"] = kin.replace(mother, seednames.feminine(russian), 1)
    return profile


def _batch(writer: _Writer, rng: random.Random, count: int, today: datetime.date, pool) -> tuple:
    profiles = [_profile(rng, today, pool) for _ in range(count)]
    numbers = registry_numbers_reserve(
        organisation=writer.organisation, year=today.year, count=count
    )
    person_ids = ids_reserve(Person, count)
    case_ids = ids_reserve(Case, count)
    states, weights = zip(*STATES, strict=True)
    persons, names, cases, steps, keys = [], [], [], [], []
    name_ids = iter(ids_reserve(PersonName, sum(len(p.names) for p in profiles)))
    for profile, number, person_id, case_id in zip(
        profiles, numbers, person_ids, case_ids, strict=True
    ):
        fields = {f: profile.fields.get(f, default) for f, default in writer.person_defaults}
        for field in writer.choices:
            fields[field] = _plain(fields[field])
        # "name | name | identity", as `person_search_text` joins them (a test holds them equal).
        identity = person_search_text(SimpleNamespace(registry_number=number, **fields), [])
        search = "".join(writer.name_key(name) for name in profile.names) + identity
        persons.append((person_id, number, search, *fields.values()))
        saved = []
        for position, name in enumerate(profile.names):
            name_id = next(name_ids)
            values = person_name_values(name)
            values["romanization"] = _plain(values["romanization"])
            values["script"] = _plain(values["script"])
            names.append((name_id, person_id, position, *(values[c] for c in writer.name_columns)))
            saved.append(SimpleNamespace(pk=name_id, **values))
        keys.extend(name_key_rows(SimpleNamespace(pk=person_id, **fields), saved))
        state = rng.choices(states, weights)[0]
        cases.append((case_id, person_id, state.value))
        steps.extend(
            (case_id, source.value, target.value, REASONS[target])
            for source, target in _steps(rng, state)
        )
    # Every row's primary key is reserved first (the inserter reads nothing back); the persons
    # go in first, their ids are in the names and cases.
    writer.persons.insert(persons)
    writer.names.insert(names)
    writer.keys.insert(keys)
    writer.cases.insert(cases)
    ids = ids_reserve(CaseTransition, len(steps))
    writer.steps.insert([(pk, *row) for pk, row in zip(ids, steps, strict=True)])
    return numbers[0], numbers[-1], len(names)


def _statistics_refresh() -> None:
    """After a bulk load PostgreSQL's planner statistics are stale until autovacuum comes by:
    refresh them now, or the first searches run with plans for an empty table."""
    if connection.vendor != "postgresql":
        return
    tables = [m._meta.db_table for m in (Person, PersonName, NameKey, Case, CaseTransition)]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


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
    pool = seednames.surname_pool()
    today = timezone.localdate()
    writer = _Writer(organisation, seed_actor(organisation))
    done = names = batches = 0
    first = last = ""
    while done < persons:
        count = min(batch_size, persons - done)
        with transaction.atomic():
            batch_first, batch_last, name_count = _batch(writer, rng, count, today, pool)
            audit_record(
                actor=actor,
                action="registry.seed",
                obj=organisation,
                changes={
                    "persons": [None, count],
                    "first": [None, batch_first],
                    "last": [None, batch_last],
                },
            )
        first = first or batch_first
        last = batch_last
        done += count
        names += name_count
        batches += 1
        if progress is not None:
            progress(done)
    _statistics_refresh()
    return SeedReport(done, names, batches, time.perf_counter() - started, first, last)
