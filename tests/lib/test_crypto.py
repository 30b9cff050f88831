import base64

import pytest

from safepassage.lib.crypto import (
    CryptoError,
    Keyring,
    KeyringError,
    MissingKeyError,
    key_id_of,
    keyring_format,
    keyring_parse,
    open_sealed,
    seal,
)

OLD = ("old", bytes(range(32)))
NEW = ("new", bytes(range(32, 64)))
CONTEXT = "cases_willexpression.statement"


def ring(*keys) -> Keyring:
    return Keyring(keys or (OLD,))


def test_a_value_opens_to_what_was_sealed():
    token = seal(ring(), "Я не хочу повертатися. 돌아가지 않겠다.", CONTEXT)
    assert "повертатися" not in token
    assert open_sealed(ring(), token, CONTEXT) == "Я не хочу повертатися. 돌아가지 않겠다."


def test_the_same_value_seals_differently_each_time():
    assert seal(ring(), "Seoul", CONTEXT) != seal(ring(), "Seoul", CONTEXT)


def test_it_names_the_current_key_in_the_header():
    assert key_id_of(seal(ring(NEW, OLD), "x", CONTEXT)) == "new"


def test_an_older_key_still_opens_what_it_sealed():
    token = seal(ring(OLD), "x", CONTEXT)
    assert open_sealed(ring(NEW, OLD), token, CONTEXT) == "x"


@pytest.mark.parametrize("position", [0, 1, 5, 10, 20, -1])
def test_it_refuses_a_value_with_any_byte_flipped(position):
    raw = bytearray(base64.b64decode(seal(ring(), "I refuse to go back.", CONTEXT)))
    raw[position] ^= 0x01
    with pytest.raises(CryptoError):
        open_sealed(ring(), base64.b64encode(bytes(raw)).decode(), CONTEXT)


def test_it_refuses_a_value_copied_from_another_column():
    token = seal(ring(), "Mother: 12 Lenina St.", "registry_person.next_of_kin")
    with pytest.raises(CryptoError, match="copied from another column"):
        open_sealed(ring(), token, CONTEXT)


def test_it_names_the_missing_key():
    token = seal(ring(NEW), "x", CONTEXT)
    with pytest.raises(MissingKeyError, match="'new'"):
        open_sealed(ring(OLD), token, CONTEXT)


def test_it_refuses_plaintext():
    with pytest.raises(CryptoError, match="Not an encrypted value"):
        open_sealed(ring(), "plain words", CONTEXT)


def test_it_reads_the_key_list_and_json_forms_first_key_current():
    text = keyring_format(ring(NEW, OLD))
    assert keyring_parse(text) == ring(NEW, OLD)
    assert keyring_parse(text.replace("\n", ",")) == ring(NEW, OLD)
    json_form = '{"new": "%s", "old": "%s"}' % tuple(  # noqa: UP031
        base64.b64encode(k).decode() for _i, k in (NEW, OLD)
    )
    assert keyring_parse(json_form).current_id == "new"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "No field encryption keys"),
        ("k1", "id:base64key"),
        ("k1:not base64!", "not valid base64"),
        (f"k1:{base64.b64encode(b'short').decode()}", "needs 32"),
        (f"bad id:{base64.b64encode(bytes(32)).decode()}", "Key id"),
        ("{not json", "not valid JSON"),
    ],
)
def test_it_refuses_a_malformed_keyring(text, message):
    with pytest.raises(KeyringError, match=message):
        keyring_parse(text)


def test_a_keyring_refuses_the_same_id_twice():
    with pytest.raises(KeyringError, match="twice"):
        Keyring((OLD, ("old", bytes(32))))
