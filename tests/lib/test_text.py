"""Search normalisation: pure functions, no database."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from safepassage.lib.text import detect_script, fold, search_key, search_tokens


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Kim CHOL Su", "kim chol su"),
        ("Ковалёв", "ковалев"),
        ("КОВАЛЕВ", "ковалев"),
        ("Chŏng", "chong"),
        ("Ch'ŏlsu", "ch'olsu"),
        ("Straße", "strasse"),
        ("Kovalëv", "kovalev"),
        ("김철수", "김철수"),
        ("리 영호", "리 영호"),
    ],
)
def test_fold_ignores_case_and_accents(text, folded):
    assert fold(text) == folded


def test_fold_keeps_hangul_syllables_whole():
    folded = fold("김철수")
    assert len(folded) == 3
    assert all("\uac00" <= ch <= "\ud7a3" for ch in folded)


def test_fold_treats_precomposed_and_decomposed_letters_alike():
    assert fold("Ковалёв") == fold("Ковале\u0308в")
    assert fold("\u1100\u1175\u11b7") == fold("김")  # conjoining jamo compose to the syllable


@pytest.mark.parametrize(
    ("query", "tokens"),
    [
        ("Chol-su", ["chol", "su"]),
        ("Chol Su", ["chol", "su"]),
        ("  cholsu  ", ["cholsu"]),
        ("Ch'ŏl–su", ["ch", "ol", "su"]),
        ("Kim, Chol Su (KPA)", ["kim", "chol", "su", "kpa"]),
        ("KPA-77/1203", ["kpa", "77", "1203"]),
        ("O’Brien", ["o", "brien"]),
        ("", []),
        (" - ", []),
    ],
)
def test_search_tokens_split_on_spaces_hyphens_apostrophes_and_punctuation(query, tokens):
    assert search_tokens(query) == tokens


def test_search_key_holds_the_words_and_the_words_joined():
    assert search_key("Kim", "Chol-su") == "kim chol su kimcholsu"
    assert search_key("Chol Su", "Kim") == "chol su kim cholsukim"
    assert search_key("", "") == ""
    assert search_key("Ковалёв") == "ковалев ковалев"


def test_every_spelling_of_chol_su_meets_the_key():
    key = search_key("Kim", "Chol Su")
    for query in ("Chol-su", "Chol Su", "cholsu", "CHOLSU", "chol‑su"):
        assert all(token in key for token in search_tokens(query)), query


@pytest.mark.parametrize(
    ("text", "script"),
    [
        ("김철수", "Hang"),
        ("Ким Чхоль Су", "Cyrl"),
        ("Ковальов", "Cyrl"),
        ("Kim Chol Su", "Latn"),
        ("Chŏng", "Latn"),
        ("김철수 Ri", "Hang"),
        ("Kim 철수", "Latn"),  # three Latin letters outnumber two syllables
        ("12345", "Zyyy"),
        ("", "Zyyy"),
        ("李", "Zyyy"),
    ],
)
def test_detect_script_names_the_dominant_script(text, script):
    assert detect_script(text) == script


ASCII = st.text(alphabet=st.characters(max_codepoint=127))


@given(ASCII)
def test_the_fast_fold_of_ascii_text_equals_the_general_one(text):
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    general = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    assert fold(text) == unicodedata.normalize("NFC", general)


@given(ASCII)
def test_the_fast_script_of_ascii_text_equals_the_general_one(text):
    latin = any(unicodedata.name(ch, "").startswith("LATIN") for ch in text if ch.isalpha())
    assert detect_script(text) == ("Latn" if latin else "Zyyy")


def _script_by_names(text: str) -> str:
    """The letter-by-letter count `detect_script` must agree with."""
    counts = {"Hang": 0, "Cyrl": 0, "Latn": 0}
    for ch in text:
        if not ch.isalpha():
            continue
        name = unicodedata.name(ch, "")
        for prefix, script in (("HANGUL", "Hang"), ("CYRILLIC", "Cyrl"), ("LATIN", "Latn")):
            if name.startswith(prefix):
                counts[script] += 1
                break
    script, count = max(counts.items(), key=lambda item: item[1])
    return script if count else "Zyyy"


NAMES = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=0xAC00, max_codepoint=0xAC40),  # Hangul syllables
        st.characters(min_codepoint=0x3131, max_codepoint=0x318E),  # compatibility jamo
        st.characters(min_codepoint=0x0400, max_codepoint=0x04FF),  # Cyrillic
        st.characters(min_codepoint=0x00C0, max_codepoint=0x024F),  # accented Latin
        st.characters(max_codepoint=127),
        st.characters(),
    )
)


@given(NAMES)
def test_the_remembered_script_of_each_letter_gives_the_counted_script(text):
    assert detect_script(text) == _script_by_names(text)


def test_a_tie_between_scripts_goes_to_hangul_then_cyrillic():
    assert detect_script("김K") == "Hang"
    assert detect_script("Ким Kim") == "Cyrl"
    assert detect_script("кK") == "Cyrl"
