"""Export fixtures: a fixed pseudonym key, Kim (Hangul and Latin names, next of kin) and Ivan
(Cyrillic), each with markers in every free-text field, and PDF text extraction."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from safepassage.registry.services import NameInput, person_register
from tests.web.conftest import kim, login, scheduled  # noqa: F401 - fixtures used by the tests

# base64 of 32 bytes 0x20..0x3f: no test writes var/pseudonym-key.
TEST_PSEUDONYM_KEY = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="
BIRTH_PLACE_MARKER = "BIRTHPLACE-MARKER-Hamhung-5512"
SERVICE_NUMBER_MARKER = "SVC-MARKER-88-1234"
CAPTURE_PLACE_MARKER = "CAPTURE-MARKER-Malaya-Loknya-4410"
CAMP_MARKER = "CAMP-MARKER-West-3-9917"
WOUNDS_MARKER = "WOUNDS-MARKER-jaw-2201"
RANK_MARKER = "RANK-MARKER-sergeant-6630"


@pytest.fixture(autouse=True)
def _pseudonym_key(settings):
    settings.PSEUDONYM_KEY = TEST_PSEUDONYM_KEY


@pytest.fixture
def ivan(people):
    """Ivan Kovalyov, in Cyrillic only, with a patronymic and markers in his identity fields."""
    return person_register(
        actor=people.registrar,
        names=[NameInput(family_name="Ковальов", given_name="Іван", patronymic="Петрович")],
        nationalities=["RU"],
        birth_date=datetime.date(1994, 7, 15),
        birth_place=BIRTH_PLACE_MARKER,
        service_number=SERVICE_NUMBER_MARKER,
        rank=RANK_MARKER,
        capture_date=datetime.date(2025, 1, 9),
        capture_place=CAPTURE_PLACE_MARKER,
        wounds=WOUNDS_MARKER,
        internment_place=CAMP_MARKER,
        languages="ru",
    )


def pdf_text(data: bytes) -> str:
    """The text of every page, whitespace folded (PDF layout splits and pads words)."""
    assert data.startswith(b"%PDF-"), data[:20]
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def names_of(person) -> list[str]:
    return [
        part
        for name in person.names.all()
        for part in (name.family_name, name.given_name, name.patronymic)
        if part
    ]
