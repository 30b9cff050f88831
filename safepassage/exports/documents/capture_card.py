"""The capture card of GC III Art. 70 and Annex IV B, as an A4 PDF.

The fields of the Annex in its order, headed in the reader's language and the family's. A
pseudonymised card keeps every field of the form, marked as withheld, so that it reads as the
same document with less in it.
"""

from django.utils.translation import gettext as _

from safepassage.exports.documents.labels import CARD, CARD_SECTIONS, CARD_TITLE, WITHHELD
from safepassage.exports.selectors import CaptureCard
from safepassage.lib.pdf import card_pdf

# Annex IV B, in its order; the present address last, as on the card.
IDENTIFIED_LAYOUT = {
    "identity": ("power", "surname", "first_names", "father", "other_names", "birth",
                 "birth_place", "sex", "rank", "service_number", "family"),
    "capture": ("captured_on", "captured_at", "health"),
    "address": ("pow_number", "camp", "camp_kind", "detaining_power", "date"),
}  # fmt: skip
# The same card without what identifies him: a pseudonym, his year of birth only, no other names.
PSEUDONYMISED_LAYOUT = {
    **IDENTIFIED_LAYOUT,
    "identity": ("pseudonym", "power", "surname", "first_names", "father", "birth_year",
                 "birth_place", "sex", "rank", "service_number", "family"),
}  # fmt: skip


def capture_card_pdf(card: CaptureCard, *, footer: str) -> bytes:
    second = card.second
    layout = IDENTIFIED_LAYOUT if card.identified else PSEUDONYMISED_LAYOUT
    withheld = WITHHELD.render(second)
    sections = []
    for section, keys in layout.items():
        fields = []
        for key in keys:
            value = card.values.get(key)
            fields.append((CARD[key].render(second), withheld if value is None else value))
        sections.append((CARD_SECTIONS[section].render(second), fields))
    if card.identified:
        subtitle = _(
            "GC III Art. 70 and Annex IV. Identified: this card carries his name; hand it only "
            "to the Central Agency or to his family."
        )
    else:
        subtitle = _(
            "GC III Art. 70 and Annex IV. Pseudonymised: names, numbers, places and the family's "
            "address are withheld; dates are coarsened."
        )
    return card_pdf(
        title=f"{CARD_TITLE.render(second)} — {card.reference}",
        subtitle=subtitle,
        sections=sections,
        footer=footer,
    )
