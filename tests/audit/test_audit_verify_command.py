"""`safepassage audit verify` catches every rewrite of history and names the first bad event.

Each test rewrites the table as its database owner could (triggers dropped, SQL, triggers back).
"""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from safepassage.audit.integrity import event_content_of
from safepassage.audit.models import AuditEvent
from safepassage.audit.services import audit_record
from safepassage.cases.models import CaseState
from safepassage.lib.chain import event_hash
from safepassage.lib.checkpoint import key_load, public_pem
from tests.audit.tamper import TABLE, append_only_suspended, tamper
from tests.factories import register, step

# The table name is ours, never input; S608 does not apply to these statements.
# ruff: noqa: S608


@pytest.fixture
def key_file(settings, tmp_path):
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "keys" / "audit-signing.key"
    return settings.AUDIT_SIGNING_KEY_FILE


@pytest.fixture
def log(people, key_file):
    """Eight events written by the services: registration, names, two workflow steps …"""
    person = register(people.registrar)
    step(people.registrar, person, CaseState.NOTIFIED)
    step(people.registrar, person, CaseState.AWAITING_INTERVIEW)
    while AuditEvent.objects.count() < 8:
        audit_record(actor=people.registrar, action="test.note", obj=person, person=person)
    return person


def verify(*args: str, capsys=None) -> str:
    """The verification's output when the log is intact; CommandError otherwise."""
    call_command("audit", "verify", *args)
    return capsys.readouterr().out if capsys is not None else ""


def refusal(*args: str) -> CommandError:
    with pytest.raises(CommandError) as caught:
        call_command("audit", "verify", *args)
    return caught.value


def anchor(tmp_path, name: str = "checkpoint.json") -> str:
    path = tmp_path / name
    call_command("audit", "anchor", "--out", str(path))
    return str(path)


def seq_id(seq: int) -> int:
    return AuditEvent.objects.get(seq=seq).pk


# --- intact ---------------------------------------------------------------------------------


def test_an_intact_log_verifies_with_its_count_and_head(log, capsys):
    head = AuditEvent.objects.order_by("seq").last()
    out = verify(capsys=capsys)
    assert f"Audit log intact: 8 events, head {head.hash}." in out


def test_an_empty_log_verifies(db, capsys):
    assert "intact: 0 events" in verify(capsys=capsys)


def test_an_intact_log_verifies_against_its_checkpoint(log, tmp_path, people, capsys):
    checkpoint = anchor(tmp_path)
    audit_record(actor=people.registrar, action="test.later", obj=log)  # appending is fine
    out = verify("--checkpoint", checkpoint, capsys=capsys)
    assert "intact: 9 events" in out
    assert "Consistent with the checkpoint" in out and "(8 events)" in out


# --- edit -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [("object_repr", "UA-2025-999999"), ("action", "person.delete"),
     ("actor_username", "oscar"), ("changes", '{"rank": [null, "General"]}'),
     ("at", "2020-01-01 00:00:00"), ("person_id", None)],
)  # fmt: skip
def test_an_edited_event_is_named(log, column, value):
    tamper((f"UPDATE {TABLE} SET {column} = %s WHERE seq = 3", [value]))
    error = refusal()
    assert error.returncode == 1
    assert f"audit event #3 (id {seq_id(3)})" in str(error)
    assert "edited" in str(error)


def test_an_edit_that_recomputes_its_own_hash_breaks_the_next_link(log):
    event = AuditEvent.objects.get(seq=3)
    event.object_repr = "forged"
    forged_hash = event_hash(event.prev_hash, event_content_of(event))
    tamper((f"UPDATE {TABLE} SET object_repr = 'forged', hash = %s WHERE seq = 3", [forged_hash]))
    error = refusal()
    assert "audit event #4" in str(error) and "link to #3 is broken" in str(error)


# --- delete ---------------------------------------------------------------------------------


def test_a_deleted_event_is_named(log):
    tamper(f"DELETE FROM {TABLE} WHERE seq = 5")
    error = refusal()
    assert error.returncode == 1
    assert "audit event #6" in str(error)
    assert "jumps from #4 to #6: #5 deleted" in str(error)


def test_several_deleted_events_are_named(log):
    tamper(f"DELETE FROM {TABLE} WHERE seq IN (2, 3, 4)")
    assert "#2–#4 deleted" in str(refusal())


def test_a_deleted_first_event_is_noticed(log):
    tamper(f"DELETE FROM {TABLE} WHERE seq = 1")
    assert "jumps from #0 to #2: #1 deleted" in str(refusal())


def test_a_deletion_hidden_by_renumbering_breaks_the_link(log):
    tamper(
        f"DELETE FROM {TABLE} WHERE seq = 5",
        f"UPDATE {TABLE} SET seq = seq + 1000 WHERE seq > 5",
        f"UPDATE {TABLE} SET seq = seq - 1001 WHERE seq > 1000",
    )
    error = refusal()
    assert "audit event #5" in str(error) and "link to #4 is broken" in str(error)


# --- reorder --------------------------------------------------------------------------------

CONTENT = ("at", "actor_id", "actor_username", "organisation_id", "action", "object_type",
           "object_id", "object_repr", "person_id", "changes")  # fmt: skip


def test_two_events_with_their_contents_swapped_are_named(log):
    columns = ", ".join(
        f"{c} = (SELECT {c} FROM {TABLE} o WHERE o.seq = 5 - t.seq)" for c in CONTENT
    )
    tamper(f"UPDATE {TABLE} AS t SET {columns} WHERE t.seq IN (2, 3)")
    assert AuditEvent.objects.get(seq=2).action == "case.transition"
    error = refusal()
    assert "audit event #2" in str(error) and "edited" in str(error)


def test_two_events_with_their_sequence_numbers_swapped_are_named(log):
    tamper(
        f"UPDATE {TABLE} SET seq = 1000 WHERE seq = 3",
        f"UPDATE {TABLE} SET seq = 3 WHERE seq = 4",
        f"UPDATE {TABLE} SET seq = 4 WHERE seq = 1000",
    )
    error = refusal()
    assert "audit event #3" in str(error) and "link to #2 is broken" in str(error)


def test_two_whole_rows_moved_past_each_other_are_named(log):
    # Everything but the surrogate id swapped: each link and hash reads fine, the ids go back.
    columns = (*CONTENT, "seq", "prev_hash", "hash")
    third, fourth = (AuditEvent.objects.filter(seq=n).values(*columns).get() for n in (3, 4))
    with append_only_suspended():
        AuditEvent.objects.filter(seq=3).update(seq=1000)
        AuditEvent.objects.filter(seq=4).update(**third)
        AuditEvent.objects.filter(seq=1000).update(**fourth)
    assert AuditEvent.objects.get(seq=3).pk > AuditEvent.objects.get(seq=4).pk
    error = refusal()
    assert "audit event #4" in str(error) and "reordered" in str(error)


# --- insert ---------------------------------------------------------------------------------


def test_a_forged_event_inserted_in_the_middle_is_caught_at_the_next_one(log, people):
    # The forger knows the algorithm (it is public) and makes his event's own hash right; the
    # event after it still points at the real #4, and its id is older than his.
    tamper(
        f"UPDATE {TABLE} SET seq = seq + 1000 WHERE seq >= 4",
        f"UPDATE {TABLE} SET seq = seq - 999 WHERE seq > 1000",
    )
    before = AuditEvent.objects.get(seq=3)
    forged = AuditEvent(
        seq=4, at=before.at, actor=people.registrar, actor_username="alice",
        organisation=people.registrar.organisation, action="will.withdraw",
        object_type="cases.willexpression", object_id="1", object_repr="forged", person=log,
        changes={}, prev_hash=before.hash,
    )  # fmt: skip
    forged.hash = event_hash(forged.prev_hash, event_content_of(forged))
    forged.save(force_insert=True)
    error = refusal()
    assert "audit event #5" in str(error)
    assert "reordered or inserted" in str(error)


def test_a_naive_forged_event_is_named_itself(log, people):
    tamper(
        f"UPDATE {TABLE} SET seq = seq + 1000 WHERE seq >= 4",
        f"UPDATE {TABLE} SET seq = seq - 999 WHERE seq > 1000",
    )
    before = AuditEvent.objects.get(seq=3)
    AuditEvent.objects.create(
        seq=4, actor_username="alice", action="will.withdraw", object_type="x", object_id="1",
        prev_hash=before.hash, hash="f" * 64,
    )  # fmt: skip
    assert "audit event #4" in str(refusal())


# --- truncate (needs a checkpoint) ----------------------------------------------------------


def test_a_cut_tail_passes_the_chain_but_not_the_checkpoint(log, tmp_path, capsys):
    checkpoint = anchor(tmp_path)
    tamper(f"DELETE FROM {TABLE} WHERE seq >= 6")
    assert "intact: 5 events" in verify(capsys=capsys)  # nothing inside the chain shows it
    error = refusal("--checkpoint", checkpoint)
    assert error.returncode == 1
    assert "the log has 5 events but the checkpoint" in str(error)
    assert "counted 8: #6–#8 deleted (truncated)" in str(error)


def test_a_cut_tail_written_again_is_caught_by_the_checkpoint(log, tmp_path, people):
    checkpoint = anchor(tmp_path)
    tamper(f"DELETE FROM {TABLE} WHERE seq >= 6")
    for _ in range(4):
        audit_record(actor=people.registrar, action="test.rewrite", obj=log)
    error = refusal("--checkpoint", checkpoint)
    assert "audit event #8 does not have the hash the checkpoint" in str(error)
    assert "rewritten" in str(error)


def test_a_whole_log_rewritten_consistently_is_caught_by_the_checkpoint(log, tmp_path):
    checkpoint = anchor(tmp_path)
    _rechain_from(2, object_repr="rewritten")  # a valid chain again, but not the same one
    call_command("audit", "verify")
    assert "rewritten" in str(refusal("--checkpoint", checkpoint))


# --- forged checkpoints ---------------------------------------------------------------------


def _edit_checkpoint(path: str, **fields) -> None:
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    data.update(fields)
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle)


def test_a_checkpoint_with_an_altered_count_is_rejected(log, tmp_path):
    checkpoint = anchor(tmp_path)
    _edit_checkpoint(checkpoint, count=5)
    error = refusal("--checkpoint", checkpoint)
    assert error.returncode == 1
    assert "signature does not verify" in str(error)


def test_a_checkpoint_with_a_forged_signature_is_rejected(log, tmp_path):
    checkpoint = anchor(tmp_path)
    _edit_checkpoint(checkpoint, signature="ab" * 64)
    assert "signature does not verify" in str(refusal("--checkpoint", checkpoint))


def test_a_checkpoint_signed_with_another_key_is_rejected(log, tmp_path, settings, key_file):
    genuine = anchor(tmp_path)  # also creates the signing key
    trusted = tmp_path / "trusted.pub"
    trusted.write_bytes(public_pem(key_load(key_file).public_key()))
    # The forger cuts the log and signs his own checkpoint of it with a key of his own.
    tamper(f"DELETE FROM {TABLE} WHERE seq >= 6")
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "forger.key"
    forged = anchor(tmp_path, "forged.json")
    error = refusal("--checkpoint", forged, "--public-key", str(trusted))
    assert "different public key than the trusted one" in str(error)
    error = refusal("--checkpoint", genuine, "--public-key", str(trusted))
    assert "truncated" in str(error)


def test_a_checkpoint_that_is_not_one_is_rejected(log, tmp_path):
    path = tmp_path / "junk.json"
    path.write_text('{"format": "something else"}', encoding="utf-8")
    assert refusal("--checkpoint", str(path)).returncode == 1


def test_a_missing_checkpoint_file_exits_2(log, tmp_path):
    assert refusal("--checkpoint", str(tmp_path / "absent.json")).returncode == 2


def test_a_checkpoint_without_a_trusted_key_exits_2(log, tmp_path, settings):
    checkpoint = anchor(tmp_path)
    settings.AUDIT_SIGNING_KEY_FILE = tmp_path / "gone.key"
    error = refusal("--checkpoint", checkpoint)
    assert error.returncode == 2 and "--public-key" in str(error)


# --- helpers --------------------------------------------------------------------------------


def _rechain_from(seq: int, **changes) -> None:
    """Rewrite every event from `seq` on and hash them all again: a chain that holds."""
    with append_only_suspended():
        prev = AuditEvent.objects.get(seq=seq - 1).hash
        for event in AuditEvent.objects.filter(seq__gte=seq).order_by("seq"):
            for name, value in changes.items():
                setattr(event, name, value)
            event.prev_hash = prev
            event.hash = prev = event_hash(prev, event_content_of(event))
            event.save()
