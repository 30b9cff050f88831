"""The hash chain's rules, without the database."""

import dataclasses
import datetime

import pytest

from safepassage.lib.chain import (
    GENESIS,
    StoredEvent,
    canonical_json,
    event_content,
    event_hash,
    stored_form,
    utc_iso,
    walk,
)

KYIV = datetime.timezone(datetime.timedelta(hours=2))


def content(seq: int, **fields) -> dict:
    return event_content(**{
        "seq": seq, "at": datetime.datetime(2025, 3, 1, 12, 0, seq, tzinfo=datetime.UTC),
        "actor_id": 1, "actor_username": "alice", "organisation_id": 1, "action": "test.note",
        "object_type": "registry.person", "object_id": "7", "object_repr": "UA-2025-000007",
        "person_id": 7, "changes": {"rank": [None, "Sergeant"]}, **fields,
    })  # fmt: skip


def chain(n: int) -> list[StoredEvent]:
    events, prev = [], GENESIS
    for seq in range(1, n + 1):
        body = content(seq)
        events.append(StoredEvent(id=seq * 10, content=body, prev_hash=prev, hash=""))
        events[-1] = dataclasses.replace(events[-1], hash=event_hash(prev, body))
        prev = events[-1].hash
    return events


def test_canonical_json_has_one_spelling():
    assert canonical_json({"b": [1, "é"], "a": {"y": None, "x": True}}) == (
        '{"a":{"x":true,"y":null},"b":[1,"é"]}'
    )
    assert canonical_json({"b": 1, "a": 2}) == canonical_json({"a": 2, "b": 1})


def test_canonical_json_refuses_what_json_cannot_carry():
    with pytest.raises(ValueError):
        canonical_json({"x": float("nan")})


def test_times_are_spelled_in_utc_with_microseconds():
    moment = datetime.datetime(2025, 3, 1, 14, 0, tzinfo=KYIV)
    assert utc_iso(moment) == "2025-03-01T12:00:00.000000+00:00"
    with pytest.raises(ValueError):
        utc_iso(datetime.datetime(2025, 3, 1))  # noqa: DTZ001 - the point of the test


def test_the_hash_depends_on_the_predecessor_and_on_every_field():
    base = event_hash(GENESIS, content(1))
    assert base == event_hash(GENESIS, content(1))
    assert event_hash("1" * 64, content(1)) != base
    for field, value in [("actor_username", "oscar"), ("changes", {}), ("person_id", None),
                         ("object_repr", "UA-2025-000008"), ("actor_id", None)]:  # fmt: skip
        assert event_hash(GENESIS, content(1, **{field: value})) != base, field


def test_an_intact_chain_walks_to_its_head():
    events = chain(5)
    result = walk(events, want_seq=3)
    assert (result.count, result.head_hash, result.broken) == (5, events[-1].hash, None)
    assert result.hash_at == events[2].hash


def test_an_empty_chain_is_intact_at_the_genesis_hash():
    assert walk([]) == walk([], want_seq=None)
    assert (walk([]).count, walk([]).head_hash) == (0, GENESIS)


def test_an_edit_is_named():
    events = chain(5)
    events[2] = dataclasses.replace(events[2], content=content(3, action="forged"))
    broken = walk(events).broken
    assert (broken.seq, broken.id) == (3, 30)
    assert str(broken) == "audit event #3 (id 30): its content does not match its hash: edited"


def test_a_deletion_is_named():
    events = chain(5)
    del events[1]
    result = walk(events)
    assert (result.count, result.broken.seq) == (1, 3)
    assert "jumps from #1 to #3: #2 deleted" in result.broken.reason


def test_a_first_event_that_does_not_start_at_genesis_is_named():
    events = chain(2)
    events[0] = dataclasses.replace(events[0], prev_hash="1" * 64)
    assert "genesis" in walk(events).broken.reason


def test_ids_that_go_backwards_are_a_reordering():
    events = chain(3)
    events[2] = dataclasses.replace(events[2], id=5)
    assert walk(events).broken.seq == 3
    assert "reordered" in walk(events).broken.reason


def test_a_repeated_sequence_number_is_named():
    events = chain(3)
    events.insert(2, events[1])
    assert "repeated or going back after #2" in walk(events).broken.reason


def test_the_stored_form_is_what_every_database_gives_back():
    assert stored_form({"a": (1, 2.0), "b": [1e20, 0.5], "c": {3: -0.0}}) == {
        "a": [1, 2], "b": [10**20, 0.5], "c": {"3": 0}
    }  # fmt: skip
    assert isinstance(stored_form({"x": 2.0})["x"], int)
