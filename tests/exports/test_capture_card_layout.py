"""The capture card's layout: a label that wraps (long in every language, two languages side by
side) never runs into the next field, and no text runs past the margins."""

import pytest
from django.utils import translation

from safepassage.exports.documents.capture_card import (
    IDENTIFIED_LAYOUT,
    PSEUDONYMISED_LAYOUT,
    capture_card_pdf,
)
from safepassage.exports.selectors import CaptureCard
from tests.pdf_boxes import overprinted, text_lines

A4_WIDTH = 595.28  # points
MARGIN = 12 * 72 / 25.4  # safepassage/lib/pdf.py's 12 mm


def _card(*, identified: bool, second: str) -> CaptureCard:
    layout = IDENTIFIED_LAYOUT if identified else PSEUDONYMISED_LAYOUT
    keys = {key for keys in layout.values() for key in keys}
    # Short values, so that a wrapped label is the taller of the two; and one value with a word
    # longer than its column.
    values = {key: "Ко" for key in keys}
    values["family"] = "Хамхин " + "강" * 120
    if not identified:
        values.update({"surname": None, "camp": None})
    return CaptureCard(identified=identified, second=second, reference="P-7", values=values)


@pytest.mark.parametrize("identified", [True, False])
@pytest.mark.parametrize("second", ["", "uk", "ru", "ko"])
@pytest.mark.parametrize("reader", ["en", "uk", "ru", "ko"])
def test_no_two_lines_of_the_card_overprint_each_other(reader, second, identified):
    with translation.override(reader):
        data = capture_card_pdf(_card(identified=identified, second=second), footer="footer")
    assert not overprinted(data)
    for box in text_lines(data):
        assert box.left >= MARGIN - 1 and box.right <= A4_WIDTH - MARGIN + 1, box
