import io

import pytest
from pypdf import PdfReader

from safepassage.lib.pdf import card_pdf, clean_text, table_pdf
from tests.pdf_boxes import overprinted, text_lines


def _text(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_a_table_keeps_latin_cyrillic_and_hangul_extractable():
    data = table_pdf(
        title="Notification list",
        subtitle="GC III Art. 122",
        columns=["id", "name"],
        rows=[["1", "Ковальов Сергій їжак єнот ґанок"], ["2", "리철수"], ["3", "Kovalov"]],
        footer="pseudonymised",
    )
    assert data.startswith(b"%PDF")
    text = _text(data)[0]
    for expected in ["Notification list", "Ковальов Сергій", "їжак", "єнот", "ґанок", "리철수"]:
        assert expected in text
    assert "pseudonymised" in text


def test_the_header_row_repeats_on_every_page():
    rows = [[str(i), f"person {i}"] for i in range(200)]
    pages = _text(table_pdf(title="List", columns=["number", "pseudonym"], rows=rows))
    assert len(pages) > 2
    assert all("number pseudonym" in page for page in pages)
    assert "person 199" in pages[-1]


def test_a_table_needs_columns():
    with pytest.raises(ValueError, match="column"):
        table_pdf(title="x", columns=[], rows=[])


def test_a_card_shows_its_sections_and_fields():
    data = card_pdf(
        title="Capture card",
        sections=[("Identity", [("Surname", "리"), ("First names", "철수")]), ("Health", [])],
    )
    text = _text(data)[0]
    assert "Capture card" in text and "Surname" in text and "철수" in text


def test_it_drops_bidi_overrides_and_control_characters():
    assert clean_text("a\u202eb\x00c") == "abc"
    assert len(clean_text("x" * 10_000)) == 2000


def test_a_wrapped_label_pushes_the_next_field_below_it():
    label = "Power on which the prisoner depends / Держава, від якої залежить військовополонений"
    data = card_pdf(title="Card", sections=[("Identity", [(label, "UA"), ("Surname", "리")])])
    assert not overprinted(data)
    label_column = [box for box in text_lines(data) if box.right < 212]  # the label's 62 mm
    assert len(label_column) >= 5  # title, heading, the label's three lines, "Surname"


def test_a_value_longer_than_a_page_starts_beside_its_label_and_runs_on():
    long = "слово\n" * 300  # 300 lines
    data = card_pdf(title="Card", sections=[("Identity", [("Surname", "리"), ("Family", long)])])
    assert not overprinted(data)
    assert len(PdfReader(io.BytesIO(data)).pages) >= 2
