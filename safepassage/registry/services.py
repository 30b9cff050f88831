"""Writes to the registry. Each runs in one transaction and appends audit events."""

import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from safepassage.access.policy import Action, require
from safepassage.audit.services import audit_record, changes_between, created_changes, field_values
from safepassage.lib.errors import ConflictError, DomainError
from safepassage.lib.text import detect_script, search_key
from safepassage.names.index import index_key_rows
from safepassage.registry.models import (
    NameKey,
    Person,
    PersonName,
    Place,
    PlaceKind,
    PlaceMove,
    RegistrySequence,
)
from safepassage.registry.signals import nationalities_changed, person_registered

PERSON_FIELDS = (
    "sex", "birth_date", "birth_date_precision", "birth_place", "nationalities",
    "service_number", "rank", "unit", "capture_date", "capture_place", "capturing_unit",
    "health_status", "wounds", "internment_place", "internment_place_kind",
    "languages", "next_of_kin",
)  # fmt: skip
NAME_FIELDS = (
    "family_name", "given_name", "patronymic", "script", "romanization", "source",
    "is_assumed_identity",
)  # fmt: skip


# The registry's one rule for a name, asked by the service, the forms and the API alike.
NAME_NEEDED = _lazy("A name needs a family name or a given name.")


def name_is_given(*, family_name: str, given_name: str) -> bool:
    """Whether a name says who he is: a family name or a given name (a patronymic is not)."""
    return bool(family_name.strip() or given_name.strip())


@dataclass
class NameInput:
    family_name: str = ""
    given_name: str = ""
    patronymic: str = ""
    script: str = ""  # detected when empty
    romanization: str = "as_written"
    source: str = ""
    is_assumed_identity: bool = False


# --- places of internment ---------------------------------------------------------------------

PLACE_TEXT_FIELDS = ("internment_place", "internment_place_kind")


def place_name_normalise(text: str) -> str:
    """The name a place is known by: the text as written, its runs of spaces made one."""
    return " ".join((text or "").split())[:200]


def place_for(*, actor, organisation, name: str, kind: str = PlaceKind.CAMP) -> Place | None:
    """The detaining power's place of that name and kind, created (and audited) the first time
    it is named; None when no place is named. Registration, edits and imports all ask here."""
    name = place_name_normalise(name)
    if not name:
        return None
    kind = kind or PlaceKind.CAMP
    if kind not in PlaceKind.values:
        raise DomainError(
            _("Choose the kind of place from the list."), field="internment_place_kind"
        )
    place = Place.objects.filter(detaining_organisation=organisation, name=name, kind=kind).first()
    if place is not None:
        return place
    place = Place.objects.create(detaining_organisation=organisation, name=name, kind=kind)
    # Not its name: the log's text is sealed only under a person's key, and a place's name
    # leads to the men held there (the person's own events carry it, sealed).
    audit_record(
        actor=actor,
        action="place.create",
        obj=place,
        object_repr=f"place #{place.pk}",
        changes={"kind": [None, kind]},
    )
    return place


def place_update(*, actor, place: Place, region: str) -> Place:
    """Record the region of a place of the actor's detaining power."""
    require(actor, Action.PLACE_EDIT)
    if place.detaining_organisation_id != actor.organisation_id:
        raise PermissionDenied
    with transaction.atomic():
        locked = Place.objects.select_for_update().get(pk=place.pk)
        before = field_values(locked, ["region"])
        locked.region = region.strip()[:200]
        changes = changes_between(before, field_values(locked, ["region"]))
        if changes:
            locked.save(update_fields=["region"])
            audit_record(actor=actor, action="place.update", obj=locked, changes=changes)
    return locked


def _place_move(*, actor, person: Person, place: Place | None, moved_on) -> PlaceMove | None:
    """Point the locked `person` at `place`, with the text fields that name it, and keep the
    move; the caller saves the person and raises his version."""
    if person.place_id == (place.pk if place else None):
        return None
    move = PlaceMove.objects.create(
        person=person,
        from_place_id=person.place_id,
        to_place=place,
        moved_on=moved_on or timezone.localdate(),
        recorded_by=actor,
    )
    before = (person.place_id, person.internment_place, person.internment_place_kind)
    person.place = place
    if place is not None:
        person.internment_place, person.internment_place_kind = place.name, place.kind
    else:
        person.internment_place = ""
    # The text fields too: the notification list reads his moves from the log (exports).
    changes = {
        "place": [before[0], person.place_id],
        "internment_place": [before[1], person.internment_place],
        "internment_place_kind": [before[2], person.internment_place_kind],
        "moved_on": [None, move.moved_on.isoformat()],
    }
    audit_record(
        actor=actor,
        action="person.place_move",
        obj=person,
        person=person,
        changes={k: v for k, v in changes.items() if v[0] != v[1]},
    )
    return move


def person_place_move(
    *, actor, person: Person, place: Place | None, expected_version: int, moved_on=None
) -> Person:
    """Move him to another place of internment of his detaining power (None: not known). The
    one write of his place: it keeps the move (`PlaceMove`) and raises his version."""
    require(actor, Action.PERSON_EDIT, person)
    if place is not None and place.detaining_organisation_id != person.detaining_organisation_id:
        raise DomainError(_("Choose a place of his detaining power."), field="place")
    if moved_on and moved_on > timezone.localdate():
        raise DomainError(_("The date of the move is in the future."), field="moved_on")
    with transaction.atomic():
        locked = _lock_current(person, expected_version)
        if _place_move(actor=actor, person=locked, place=place, moved_on=moved_on) is None:
            return locked
        locked.version += 1
        locked.save()
        _refresh_search_text(locked)
    return locked


def registry_numbers_reserve(*, organisation, year: int, count: int) -> list[str]:
    """`count` consecutive registry numbers (`UA-2025-000123`: the detaining power's country,
    the year, a sequence), reserved in the caller's transaction; the bulk import uses it too."""
    prefix = f"{organisation.country.code}-{year}"
    sequence, _created = RegistrySequence.objects.select_for_update().get_or_create(prefix=prefix)
    RegistrySequence.objects.filter(pk=sequence.pk).update(last=F("last") + count)
    sequence.refresh_from_db()
    first = sequence.last - count + 1
    return [f"{prefix}-{number:06d}" for number in range(first, sequence.last + 1)]


def registry_number_next(*, organisation, year: int) -> str:
    """The next registry number of the organisation for `year`; in a transaction."""
    return registry_numbers_reserve(organisation=organisation, year=year, count=1)[0]


def _reject_unknown_fields(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(PERSON_FIELDS)
    if unknown:
        raise DomainError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})


def _validate_person(values: Mapping[str, Any]) -> None:
    today = timezone.localdate()
    # Lazy labels: the bulk import runs this once per row, translating only on a refusal.
    labels = (("birth_date", _lazy("Date of birth")), ("capture_date", _lazy("Date of capture")))
    for field, label in labels:
        value = values.get(field)
        if value and value > today:
            raise DomainError(
                _(
                    "%(field)s %(value)s is in the future; enter the date as known, "
                    "or leave it empty."
                )
                % {"field": label, "value": value},
                field=field,
            )
    birth, capture = values.get("birth_date"), values.get("capture_date")
    if birth and capture and capture < birth:
        raise DomainError(
            _("The date of capture is before the date of birth; check both."),
            field="capture_date",
        )


def person_search_text(person: Person, names: Sequence[PersonName | NameInput]) -> str:
    """The normalised search text of a person and his names (also used by the bulk import)."""
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


def _refresh_search_text(person: Person) -> None:
    names = list(person.names.all())
    person.search_text = person_search_text(person, names)
    Person.objects.filter(pk=person.pk).update(search_text=person.search_text)
    person_names_index(person=person, names=names)


def birth_date_text(person) -> str:
    """His date of birth as far as it is known: "YYYY-MM-DD", "YYYY-MM" or "YYYY" ("" unknown);
    an approximate date gives the year."""
    value = person.birth_date
    if value is None:
        return ""
    precision = person.birth_date_precision
    if precision == "exact":
        return value.isoformat()
    if precision == "month":
        return f"{value.year:04d}-{value.month:02d}"
    return f"{value.year:04d}"


def name_key_rows(person, names) -> list[tuple[int, int, str, str, str]]:
    """(person id, name id, kind, system, key) of every name-index row of `person`'s saved
    `names` (`safepassage.names.index`); the bulk import and seeding write the same rows."""
    born = birth_date_text(person)
    nationality = ",".join(str(code) for code in person.nationalities)
    return [
        (person.pk, name.pk, kind, system, key)
        for name in names
        for kind, system, key in index_key_rows(
            name.family_name, name.given_name, name.patronymic, born, nationality,
            person.unit, person.service_number,
        )
    ]  # fmt: skip


def name_keys_insert(rows: Sequence[tuple[int, int, str, str, str]]) -> None:
    """Insert name-index rows (as `name_key_rows` gives them) at the speed of the database's
    bulk path: COPY on PostgreSQL, one prepared statement on SQLite."""
    if not rows:
        return
    table = connection.ops.quote_name(NameKey._meta.db_table)
    columns = '(person_id, name_id, kind, "system", "key")'
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.copy(f"COPY {table} {columns} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(
                f"INSERT INTO {table} {columns} VALUES (%s, %s, %s, %s, %s)",  # noqa: S608 - the model's table; values bound
                rows,
            )


@dataclass(frozen=True)
class NameIndexReport:
    persons: int
    names: int
    keys: int


# Below this many persons the rebuild computes the keys in its own process: starting workers
# costs more than it saves.
PARALLEL_PERSONS = 20_000
_PRECISION_LENGTH = {"exact": 10, "month": 7}

# One name of a person with the identity fields the keys hold: (person id, name id, family,
# given, patronymic, birth date as text, nationality codes, unit, service number).
_KeyInput = tuple[int, int, str, str, str, str, str, str, str]


def _key_rows(inputs: list[_KeyInput]) -> list[tuple[int, int, str, str, str]]:
    """The name-index rows of `inputs` (a worker's share of a batch)."""
    return [
        (person, name, kind, system, key)
        for person, name, *fields in inputs
        for kind, system, key in index_key_rows(*fields)
    ]


class _KeyComputer:
    """Computes a batch's rows in `workers` forked processes (their name caches kept from batch
    to batch), or here when `workers` is 1; `submit` returns at once, `result` waits."""

    def __init__(self, workers: int):
        self.pool = None
        if workers > 1:
            import multiprocessing

            self.pool = multiprocessing.get_context("fork").Pool(workers)
        self.workers = workers

    def submit(self, inputs: list[_KeyInput]):
        if self.pool is None:
            return [_key_rows(inputs)]
        size = len(inputs) // self.workers + 1
        return [
            self.pool.apply_async(_key_rows, (inputs[i : i + size],))
            for i in range(0, len(inputs), size)
        ]

    def result(self, submitted) -> list[tuple[int, int, str, str, str]]:
        if self.pool is None:
            return submitted[0]
        return [row for part in submitted for row in part.get()]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()


def _nationality_text(codes) -> str:
    return codes if isinstance(codes, str) else ",".join(str(code) for code in codes or ())


def _batch_inputs(last: int, batch_size: int) -> tuple[int, int, list[_KeyInput]] | None:
    """The highest person id, the number of persons and the key inputs of the next
    `batch_size` persons after `last`, as plain values (model instances cost more than keys)."""
    persons = list(
        Person.objects.filter(pk__gt=last)
        .order_by("pk")
        .values_list(
            "pk", "birth_date", "birth_date_precision", "nationalities", "unit", "service_number"
        )[:batch_size]
    )
    if not persons:
        return None
    high = persons[-1][0]
    identity = {
        pk: (
            born.isoformat()[: _PRECISION_LENGTH.get(precision, 4)] if born else "",
            _nationality_text(codes),
            unit,
            svc,
        )
        for pk, born, precision, codes, unit, svc in persons
    }
    names = PersonName.objects.filter(person_id__gt=last, person_id__lte=high).values_list(
        "pk", "person_id", "family_name", "given_name", "patronymic"
    )
    inputs = [
        (person, pk, family, given, patronymic, *identity[person])
        for pk, person, family, given, patronymic in names.order_by("person_id", "position", "pk")
    ]
    return high, len(persons), inputs


_FK_SUFFIX = "_fk_%(to_table)s_%(to_column)s"  # as the migrations name them


def _lookup_missing() -> tuple[list, list]:
    """The name index's look-up index and foreign keys missing from the database (a bulk fill
    drops them while it writes; one that was stopped leaves them missing)."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, NameKey._meta.db_table)
    named = set(found)
    keyed = {tuple(c["columns"]) for c in found.values() if c["foreign_key"]}
    indexes = [index for index in NameKey._meta.indexes if index.name not in named]
    keys = [
        field
        for field in (NameKey._meta.get_field("person"), NameKey._meta.get_field("name"))
        if (field.column,) not in keyed
    ]
    return indexes, keys


def _lookup_restore() -> None:
    indexes, keys = _lookup_missing()
    with connection.schema_editor() as editor:
        for index in indexes:
            editor.add_index(NameKey, index)
        for field in keys:
            editor.execute(editor._create_fk_sql(NameKey, field, _FK_SUFFIX))


def _lookup_drop() -> None:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, NameKey._meta.db_table)
        if connection.in_atomic_block:  # a key is not dropped with its checks still pending
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    with connection.schema_editor() as editor:
        for index in NameKey._meta.indexes:
            editor.remove_index(NameKey, index)
        for name, constraint in found.items():
            if constraint["foreign_key"]:
                editor.execute(editor._delete_fk_sql(NameKey, name))


def _bulk_fill() -> bool:
    """Whether to fill the index without its look-up index and foreign keys, building them
    once at the end: on PostgreSQL, when the index is empty (an upgrade, a restore, a new
    registry's first fill), where a million persons' rows inserted into the B-tree and checked
    key by key cost four times the fill itself. Searches meanwhile scan the table; it held
    nothing they could find."""
    return connection.vendor == "postgresql" and not NameKey.objects.exists()


def name_index_rebuild(
    *,
    batch_size: int = 5000,
    workers: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> NameIndexReport:
    """Write the name index of every person anew (an upgrade, a restored database, a change of
    the name tables), `batch_size` persons per transaction; `progress(done, total)` after each.
    The keys are computed in `workers` processes (two on a large registry) while this one
    reads the next batch and writes the last; an empty index on PostgreSQL is filled in bulk
    (`_bulk_fill`). The index is derived from the names: nothing is audited, nothing personal
    changes."""
    total = Person.objects.count()
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if total >= PARALLEL_PERSONS else 1
    bulk = _bulk_fill()
    if bulk:
        _lookup_drop()
    elif connection.vendor == "postgresql":
        _lookup_restore()  # a bulk fill that was stopped
    try:
        return _rebuild(batch_size, workers, total, progress)
    finally:
        if bulk:
            _lookup_restore()


def _rebuild(
    batch_size: int, workers: int, total: int, progress: Callable[[int, int], None] | None
) -> NameIndexReport:
    computer = _KeyComputer(workers)
    done = names = keys = 0
    last, pending = 0, None
    try:
        while True:
            batch = _batch_inputs(last, batch_size)
            submitted = computer.submit(batch[2]) if batch else None
            if pending is not None:
                low, high, persons, count, job = pending
                rows = computer.result(job)
                with transaction.atomic():
                    NameKey.objects.filter(person_id__gt=low, person_id__lte=high).delete()
                    name_keys_insert(rows)
                done, names, keys = done + persons, names + count, keys + len(rows)
                if progress is not None:
                    progress(done, total)
            if batch is None:
                break
            high, persons, inputs = batch
            pending = (last, high, persons, len(inputs), submitted)
            last = high
    finally:
        computer.close()
    return NameIndexReport(persons=done, names=names, keys=keys)


def person_names_index(*, person: Person, names: Sequence[PersonName] | None = None) -> None:
    """Write the name index of `person` anew, in the caller's transaction: every service that
    writes his names or the identity fields the keys hold calls it."""
    names = list(person.names.all()) if names is None else names
    NameKey.objects.filter(person=person).delete()
    name_keys_insert(name_key_rows(person, names))


def person_fields_validate(fields: Mapping[str, Any]) -> None:
    """The registry's rules for identity fields (known fields, dates): raises `DomainError`."""
    _reject_unknown_fields(fields)
    _validate_person(fields)


def person_name_values(name: NameInput) -> dict[str, Any]:
    """The checked, normalised columns of a name (the bulk import writes them directly)."""
    if not name_is_given(family_name=name.family_name, given_name=name.given_name):
        raise DomainError(str(NAME_NEEDED))
    return {
        "family_name": name.family_name.strip(),
        "given_name": name.given_name.strip(),
        "patronymic": name.patronymic.strip(),
        "script": name.script or detect_script(f"{name.family_name}{name.given_name}"),
        "romanization": name.romanization or "as_written",
        "source": name.source.strip(),
        "is_assumed_identity": name.is_assumed_identity,
    }


def person_name_build(person: Person, name: NameInput, position: int) -> PersonName:
    """An unsaved name of `person`, checked and normalised."""
    return PersonName(person=person, position=position, **person_name_values(name))


def _add_name(actor, person: Person, name: NameInput, position: int) -> PersonName:
    """Add one name and its audit event."""
    created = person_name_build(person, name, position)
    created.save()
    audit_record(
        actor=actor,
        action="person.name_add",
        obj=created,
        person=person,
        # Not the name itself (its `__str__`): the log's text columns are never sealed.
        object_repr=f"{person.registry_number}: name #{created.pk}",
        changes=created_changes(created, NAME_FIELDS),
    )
    return created


def person_register(
    *, actor, names: Sequence[NameInput], registered_on=None, **fields: Any
) -> Person:
    """Register a prisoner of war held by the actor's organisation; the cases app opens his case
    (`signals.person_registered`)."""
    require(actor, Action.PERSON_REGISTER)
    if not names:
        raise DomainError(_("Register at least one name, in any script."))
    person_fields_validate(fields)
    with transaction.atomic():
        year = (registered_on or timezone.localdate()).year
        place = place_for(
            actor=actor,
            organisation=actor.organisation,
            name=fields.get("internment_place", ""),
            kind=fields.get("internment_place_kind", PlaceKind.CAMP),
        )
        if place is not None:
            fields = {**fields, "internment_place": place.name}
        person = Person.objects.create(
            registry_number=registry_number_next(organisation=actor.organisation, year=year),
            detaining_organisation=actor.organisation,
            place=place,
            **fields,
        )
        person_registered.send(sender=Person, person=person, actor=actor)
        audit_record(
            actor=actor,
            action="person.register",
            obj=person,
            person=person,
            changes=created_changes(person, PERSON_FIELDS, Person.SENSITIVE_FIELDS),
        )
        for position, name in enumerate(names):
            _add_name(actor, person, name, position)
        _refresh_search_text(person)
    return person


def _lock_current(person: Person, expected_version: int) -> Person:
    """His row, locked, as long as nobody changed it since `expected_version` was read."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.version != expected_version:
        raise ConflictError(
            _(
                "Someone else changed this record while you were editing it. "
                "Reload the page, check their changes and apply yours again."
            )
        )
    return locked


def person_update(*, actor, person: Person, expected_version: int, **fields: Any) -> Person:
    """Update identity fields. A stale `expected_version` raises `ConflictError`: no overwrite."""
    require(actor, Action.PERSON_EDIT, person)
    _reject_unknown_fields(fields)
    with transaction.atomic():
        locked = _lock_current(person, expected_version)
        place_named = {k: fields.pop(k) for k in PLACE_TEXT_FIELDS if k in fields}
        before = field_values(locked, fields)
        for name, value in fields.items():
            setattr(locked, name, value)
        _validate_person({"birth_date": locked.birth_date, "capture_date": locked.capture_date})
        after = field_values(locked, fields)
        changes = changes_between(before, after, Person.SENSITIVE_FIELDS)
        moved = None
        if place_named:
            # The text names the place: the move is the one write of his place.
            name = place_named.get("internment_place", locked.internment_place)
            kind = place_named.get("internment_place_kind", locked.internment_place_kind)
            place = place_for(
                actor=actor, organisation=locked.detaining_organisation, name=name, kind=kind
            )
            moved = _place_move(actor=actor, person=locked, place=place, moved_on=None)
        if not changes and moved is None:
            return locked
        locked.version += 1
        locked.save()
        _refresh_search_text(locked)
        if changes:
            audit_record(
                actor=actor, action="person.update", obj=locked, person=locked, changes=changes
            )
        if "nationalities" in changes:
            nationalities_changed.send(sender=Person, person=locked, actor=actor)
    return locked


def person_name_add(*, actor, person: Person, name: NameInput) -> PersonName:
    """Add one more way of writing his name (another script, romanization or assumed identity)."""
    require(actor, Action.PERSON_EDIT, person)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        position = locked.names.count()
        created = _add_name(actor, locked, name, position)
        _refresh_search_text(locked)
        Person.objects.filter(pk=locked.pk).update(version=F("version") + 1)
    return created


def person_merge_check(*, survivor: Person, absorbed: Person) -> None:
    """Whether the registry lets `absorbed` be merged into `survivor`."""
    if survivor.merged_into_id is not None or absorbed.merged_into_id is not None:
        raise DomainError(_("One of the records has already been merged."))
    if survivor.detaining_organisation_id != absorbed.detaining_organisation_id:
        raise DomainError(_("Records of two detaining powers are never merged."))


def person_merge(*, actor, survivor: Person, absorbed: Person, reason: str) -> None:
    """Merge `absorbed` into `survivor` in the registry; both are locked by the caller, who
    decided they are the same man and checked no movement is under way
    (`tracing.services.duplicate_pair_decide`).

    The absorbed record stays, pointing at the survivor (as do the records merged into it
    before); its names are copied to him with their source.
    """
    person_merge_check(survivor=survivor, absorbed=absorbed)
    now = timezone.now()
    # Earlier records merged into the absorbed one now point at the final survivor.
    for earlier in Person.objects.select_for_update().filter(merged_into=absorbed):
        Person.objects.filter(pk=earlier.pk).update(merged_into=survivor, merged_at=now)
        audit_record(
            actor=actor,
            action="person.merge",
            obj=earlier,
            person=earlier,
            changes={"merged_into": [absorbed.pk, survivor.pk]},
        )
    absorbed.merged_into = survivor
    absorbed.merged_at = now
    absorbed.version += 1
    absorbed.save(update_fields=["merged_into", "merged_at", "version", "updated_at"])
    audit_record(
        actor=actor,
        action="person.merge",
        obj=absorbed,
        person=absorbed,
        changes={"merged_into": [None, survivor.pk], "reason": [None, reason]},
    )
    position = survivor.names.count()
    for name in absorbed.names.all():
        source = (
            f"{name.source} · {absorbed.registry_number}"
            if name.source
            else (absorbed.registry_number)
        )
        copy = PersonName.objects.create(
            person=survivor, family_name=name.family_name, given_name=name.given_name,
            patronymic=name.patronymic, script=name.script, romanization=name.romanization,
            source=source[:200], is_assumed_identity=name.is_assumed_identity,
            position=position, merged_from=name.merged_from or absorbed,
        )  # fmt: skip
        position += 1
        audit_record(
            actor=actor,
            action="person.name_add",
            obj=copy,
            person=survivor,
            object_repr=f"{survivor.registry_number}: name #{copy.pk}",
            changes={"merged_from": [None, absorbed.registry_number], "source": [None, source]},
        )
    Person.objects.filter(pk=survivor.pk).update(version=F("version") + 1)
    _refresh_search_text(survivor)
