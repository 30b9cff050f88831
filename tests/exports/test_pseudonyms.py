"""Keyed pseudonyms: stable per person, different under another key, the key outside the DB."""

import base64
import os
import re

import pytest
from django.core.exceptions import ImproperlyConfigured

from safepassage.exports import pseudonyms
from safepassage.exports.pseudonyms import (
    PseudonymKeyError,
    key_fingerprint_compute,
    key_parse,
    pseudonym_compute,
    record_pseudonym_compute,
)

KEY = bytes(range(32))
OTHER = bytes(range(1, 33))


def test_the_same_number_under_the_same_key_gives_the_same_pseudonym():
    assert pseudonym_compute(KEY, "UA-2025-000001") == pseudonym_compute(KEY, "UA-2025-000001")


def test_it_has_the_documented_shape():
    assert re.fullmatch(r"P(-[0-9A-HJKMNP-TV-Z]{4}){4}", pseudonym_compute(KEY, "UA-2025-000001"))


def test_neighbouring_numbers_and_another_key_give_unrelated_pseudonyms():
    first = pseudonym_compute(KEY, "UA-2025-000001")
    assert first != pseudonym_compute(KEY, "UA-2025-000002")
    assert first != pseudonym_compute(OTHER, "UA-2025-000001")


def test_the_pseudonym_does_not_contain_the_number():
    pseudonym = pseudonym_compute(KEY, "UA-2025-000001")
    assert "000001" not in pseudonym and "2025" not in pseudonym


def test_ten_thousand_numbers_give_ten_thousand_pseudonyms():
    seen = {pseudonym_compute(KEY, f"UA-2025-{n:06d}") for n in range(10_000)}
    assert len(seen) == 10_000


def test_the_fingerprint_names_the_key_without_revealing_it():
    fingerprint = key_fingerprint_compute(KEY)
    assert len(fingerprint) == 8 and fingerprint != key_fingerprint_compute(OTHER)
    assert fingerprint not in KEY.hex()


@pytest.mark.parametrize("text", ["not base64!", base64.b64encode(b"short").decode()])
def test_it_refuses_a_key_that_is_not_32_random_bytes(text):
    with pytest.raises(PseudonymKeyError):
        key_parse(text)


def test_it_reads_the_key_from_the_environment_setting(settings):
    settings.PSEUDONYM_KEY = base64.b64encode(OTHER).decode()
    assert pseudonyms.pseudonym_of("UA-2025-000001") == pseudonym_compute(OTHER, "UA-2025-000001")


def test_the_embedded_install_creates_a_private_key_file_once(settings, tmp_path):
    settings.PSEUDONYM_KEY = None
    settings.PSEUDONYM_KEY_FILE = tmp_path / "pseudonym-key"
    first = pseudonyms.pseudonym_of("UA-2025-000001")
    assert os.stat(tmp_path / "pseudonym-key").st_mode & 0o777 == 0o600
    assert pseudonyms.pseudonym_of("UA-2025-000001") == first


def test_a_key_file_named_in_the_environment_is_used(settings, tmp_path):
    path = tmp_path / "key"
    path.write_text(base64.b64encode(OTHER).decode() + "\n")
    settings.PSEUDONYM_KEY = None
    settings.PSEUDONYM_KEY_FILE = path
    assert pseudonyms.pseudonym_of("X") == pseudonym_compute(OTHER, "X")


def test_production_refuses_to_create_a_key(settings, tmp_path):
    settings.PSEUDONYM_KEY = None
    settings.PSEUDONYM_KEY_FILE = tmp_path / "missing"
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="SAFEPASSAGE_PSEUDONYM_KEY"):
        pseudonyms.pseudonym_key()
    assert not (tmp_path / "missing").exists()


def test_a_damaged_key_file_names_itself(settings, tmp_path):
    path = tmp_path / "key"
    path.write_text("garbage")
    settings.PSEUDONYM_KEY = None
    settings.PSEUDONYM_KEY_FILE = path
    with pytest.raises(ImproperlyConfigured, match=str(path)):
        pseudonyms.pseudonym_key()


def test_a_record_pseudonym_is_keyed_and_differs_by_kind_and_record():
    will = record_pseudonym_compute(KEY, "will", 7)
    assert re.fullmatch(r"W-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", will)
    assert will == record_pseudonym_compute(KEY, "will", 7)
    assert will != record_pseudonym_compute(KEY, "will", 8)
    assert will != record_pseudonym_compute(OTHER, "will", 7)
    assert record_pseudonym_compute(KEY, "assessment", 7).startswith("A-")
