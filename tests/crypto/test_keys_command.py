import io
import os
import stat

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings

from safepassage.accounts.mfa import MFAAdapter
from safepassage.audit.models import AuditEvent, PersonKey
from safepassage.cases.models import WillExpression
from safepassage.crypto.keys import keyring
from safepassage.crypto.services import key_add, keys_usage, values_reencrypt
from safepassage.lib.crypto import key_id_of
from safepassage.registry.models import Person
from tests.conftest import TEST_FIELD_KEYS
from tests.crypto.markers import MARKERS, sensitive_records
from tests.factories import TOTP_SECRET, register

# Encrypted values per sensitive_records(): next of kin, four will fields, one basis.
FIELD_VALUES = 6


def sealed_count() -> int:
    """The field values, the TOTP secret of each test account's authenticator app, and each
    person's audit key (audit.sealing), all sealed with the field keys."""
    return FIELD_VALUES + Authenticator.objects.count() + PersonKey.objects.count()


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "field-keys"
    path.write_text(TEST_FIELD_KEYS + "\n", encoding="ascii")
    with override_settings(FIELD_KEYS=None, FIELD_KEYS_FILE=path):
        yield path


@pytest.fixture
def records(people, key_file):
    return sensitive_records(
        registrar=people.registrar,
        interviewer=people.interviewer,
        legal_officer=people.legal_officer,
    )


def keys(*args: str) -> str:
    out = io.StringIO()
    call_command("keys", *args, stdout=out)
    return out.getvalue()


def key_file_lines() -> list[str]:
    return settings.FIELD_KEYS_FILE.read_text().split()


def all_values() -> list[str]:
    person = Person.objects.get()
    will = WillExpression.objects.get()
    return [
        person.next_of_kin,
        will.statement,
        will.present,
        will.interpreter,
        will.withdrawn_reason,
        person.risk_assessments.get().basis,
    ]


EXPECTED = [
    MARKERS["next_of_kin_updated"],
    MARKERS["statement"],
    MARKERS["present"],
    MARKERS["interpreter"],
    MARKERS["withdrawn_reason"],
    MARKERS["basis"],
]


def test_status_counts_the_values_each_key_encrypts(records):
    output = keys("status")
    assert ["test", "current", str(sealed_count())] in [
        line.split() for line in output.splitlines()
    ]


def test_old_values_stay_readable_while_a_new_key_is_current(records):
    new = key_add()
    assert keyring().current_id == new
    assert all_values() == EXPECTED
    assert keys_usage() == {"test": sealed_count()}


def test_rotate_rewrites_every_value_under_the_new_key(records):
    person = Person.objects.get()
    version, updated_at = person.version, person.updated_at
    events = AuditEvent.objects.count()
    output = keys("rotate", "--batch-size", "1")
    new = keyring().current_id
    assert new != "test"
    assert f"New current key: {new}" in output
    count = sealed_count()
    assert f"Re-encrypted {count} value{'' if count == 1 else 's'} under {new}." in output
    assert "cases_willexpression.statement: 1" in output
    assert keys_usage() == {new: sealed_count()}
    assert all_values() == EXPECTED
    person.refresh_from_db()
    assert (person.version, person.updated_at) == (version, updated_at)
    assert AuditEvent.objects.count() == events
    # The key file holds the new key first and keeps the old one until it is dropped.
    assert [line.split(":")[0] for line in key_file_lines()] == [new, "test"]
    assert stat.S_IMODE(os.stat(settings.FIELD_KEYS_FILE).st_mode) == 0o600


def test_a_second_pass_has_nothing_left_to_rewrite(records):
    key_add()
    assert sum(values_reencrypt(batch_size=2).values()) == sealed_count()
    assert sum(values_reencrypt(batch_size=2).values()) == 0


def test_values_written_during_the_rotation_use_the_new_key(records, people):
    new = key_add()
    person = register(people.registrar, next_of_kin="Sister, Busan")
    with connection.cursor() as cursor:
        cursor.execute("SELECT next_of_kin FROM registry_person WHERE id = %s", [person.pk])
        (stored,) = cursor.fetchone()
    # His next of kin, and the audit key his name event was sealed under.
    assert keys_usage()[new] == 2
    assert PersonKey.objects.filter(person=person).exists()
    assert stored and "Busan" not in stored


def test_drop_refuses_a_key_still_in_use_then_drops_it_after_the_rotation(records):
    key_add()
    with pytest.raises(CommandError, match=f"still encrypts {sealed_count()} value"):
        keys("drop", "test")
    keys("rotate", "--no-new-key")
    assert "Dropped key test" in keys("drop", "test")
    assert len(key_file_lines()) == 1
    assert all_values() == EXPECTED


def test_rotate_reseals_the_second_factor_secrets(records):
    keys("rotate")
    new = keyring().current_id
    for authenticator in Authenticator.objects.all():
        token = authenticator.data["secret"]
        assert key_id_of(token) == new
        assert MFAAdapter().decrypt(token) == TOTP_SECRET


def test_drop_refuses_the_current_key(records):
    with pytest.raises(CommandError, match="current"):
        keys("drop", "test")


def test_rotate_refuses_to_invent_a_key_it_cannot_store_when_keys_are_inline(people):
    with pytest.raises(CommandError, match="SAFEPASSAGE_FIELD_KEYS"):
        keys("rotate")


def test_a_missing_key_file_is_created_once_with_mode_0600(tmp_path, db):
    path = tmp_path / "var" / "field-keys"
    with override_settings(FIELD_KEYS=None, FIELD_KEYS_FILE=path):
        current = keyring().current_id
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        assert keyring().current_id == current
