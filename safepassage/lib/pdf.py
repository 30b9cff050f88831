"""PDF documents (A4) with embedded fonts for Latin, Cyrillic and Hangul, fully offline.

Fonts are vendored in `lib/fonts/` (SIL OFL 1.1, see its README): Noto Sans for Latin, Greek and
Cyrillic (Ukrainian і ї є ґ included), NanumGothic for Hangul as a per-glyph fallback. Only the
glyphs a document uses are embedded, so text stays extractable (pypdf, pdftotext, copy-paste).
No Django imports: callers pass translated strings.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent / "fonts"
_LATIN = "NotoSans"
_HANGUL = "NanumGothic"

# C0/C1 control characters (tab and newline become spaces/newlines) and bidi overrides, which
# could make a PDF show text in an order other than the one stored.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MAX_CELL = 2000

# fontTools warns about hinting tables it drops while subsetting; the glyphs are unaffected.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


def clean_text(value: object, *, limit: int = _MAX_CELL) -> str:
    """Printable text of `value`: NFC, no control or bidi-override characters, bounded length."""
    text = "" if value is None else str(value)
    text = unicodedata.normalize("NFC", text.replace("\t", " ").replace("\r\n", "\n"))
    text = _CONTROL.sub("", text.replace("\r", "\n"))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


@functools.cache
def _document_class() -> type:
    """fpdf's A4 document with the fonts, header and footer; fpdf loads at the first PDF (it
    would add a third of a second to every process start)."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class _Document(FPDF):
        def __init__(self, *, title: str, subtitle: str, footer: str, landscape: bool = False):
            super().__init__(orientation="L" if landscape else "P", unit="mm", format="A4")
            self._doc_title = clean_text(title, limit=300)
            self._doc_subtitle = clean_text(subtitle, limit=600)
            self._doc_footer = clean_text(footer, limit=600)
            self.add_font(_LATIN, "", str(FONT_DIR / "NotoSans-Regular.ttf"))
            self.add_font(_LATIN, "B", str(FONT_DIR / "NotoSans-Bold.ttf"))
            self.add_font(_HANGUL, "", str(FONT_DIR / "NanumGothic.ttf"))
            # A bold Hangul glyph falls back to the regular Nanum face.
            self.set_fallback_fonts([_HANGUL], exact_match=False)
            self.set_title(self._doc_title)
            self.set_creator("safepassage")
            self.set_producer("safepassage")
            # Reproducible output: the creation date is not a secret but a changing one breaks
            # comparisons of two exports of the same data.
            self.set_creation_date(datetime(2000, 1, 1, tzinfo=UTC))
            self.set_auto_page_break(auto=True, margin=16)
            self.set_margins(12, 12, 12)
            self.alias_nb_pages()

        def header(self) -> None:
            self.set_font(_LATIN, "B", 13)
            self.multi_cell(0, 6, self._doc_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if self._doc_subtitle:
                self.set_font(_LATIN, "", 9)
                self.multi_cell(0, 4.5, self._doc_subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            self.ln(2)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font(_LATIN, "", 7.5)
            left = self._doc_footer
            self.cell(0, 4, left, align="L")
            self.set_x(self.l_margin)
            self.cell(0, 4, f"{self.page_no()} / {{nb}}", align="R")

    return _Document


def table_pdf(
    *,
    title: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[str]],
    subtitle: str = "",
    footer: str = "",
) -> bytes:
    """An A4 table (landscape past five columns) whose header row repeats on every page."""
    from fpdf import FontFace
    from fpdf.enums import TableCellFillMode, WrapMode

    if not columns:
        raise ValueError("table_pdf needs at least one column")
    width = len(columns)
    pdf = _document_class()(title=title, subtitle=subtitle, footer=footer, landscape=width > 5)
    pdf.add_page()
    pdf.set_font(_LATIN, "", 8)
    headings = FontFace(emphasis="BOLD", fill_color=(225, 230, 236))
    with pdf.table(
        headings_style=headings,
        repeat_headings=1,
        line_height=4.2,
        text_align="LEFT",
        wrapmode=WrapMode.CHAR,
        cell_fill_color=(246, 247, 249),
        cell_fill_mode=TableCellFillMode.ROWS,
        padding=1,
    ) as table:
        header = table.row()
        for name in columns:
            header.cell(clean_text(name, limit=200))
        for source in rows:
            values = list(source)[:width]
            values += [""] * (width - len(values))
            row = table.row()
            for value in values:
                row.cell(clean_text(value))
    return bytes(pdf.output())


def card_pdf(
    *,
    title: str,
    sections: Sequence[tuple[str, Sequence[tuple[str, str]]]],
    subtitle: str = "",
    footer: str = "",
) -> bytes:
    """A form-like A4 document: headed sections of label/value lines (capture cards, summaries).

    A section whose heading starts a new card may begin a new page: pass a heading of the form
    "\\f…" (form feed) to force one.
    """
    from fpdf.enums import XPos, YPos

    pdf = _document_class()(title=title, subtitle=subtitle, footer=footer)
    pdf.add_page()
    label_width = 62
    for heading, fields in sections:
        if heading.startswith("\f"):
            heading = heading[1:]
            if pdf.get_y() > pdf.t_margin + 20:
                pdf.add_page()
        if heading:
            pdf.ln(1.5)
            pdf.set_font(_LATIN, "B", 10.5)
            pdf.set_fill_color(225, 230, 236)
            pdf.multi_cell(
                0, 6, clean_text(heading, limit=300), fill=True,
                new_x=XPos.LMARGIN, new_y=YPos.NEXT,
            )  # fmt: skip
            pdf.ln(0.5)
        for label, value in fields:
            label, value = clean_text(label, limit=200), clean_text(value) or "—"
            # A label that wraps can be taller than its value: the next line starts under the
            # taller of the two, both measured before anything is drawn.
            pdf.set_font(_LATIN, "B", 8.5)
            label_height = _height(pdf, label_width, label)
            pdf.set_font(_LATIN, "", 9)
            value_height = _height(pdf, pdf.epw - label_width, value)
            room = pdf.page_break_trigger - pdf.get_y()
            whole_page = pdf.page_break_trigger - pdf.t_margin
            # Label and value on one page, unless the value is longer than a page.
            if label_height > room or value_height > room and value_height <= whole_page:
                pdf.add_page()
            y, page = pdf.get_y(), pdf.page
            pdf.set_font(_LATIN, "B", 8.5)
            pdf.multi_cell(label_width, 5, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
            pdf.set_font(_LATIN, "", 9)
            pdf.set_xy(pdf.l_margin + label_width, y)
            pdf.multi_cell(0, 5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if pdf.page == page:  # a value that ran onto the next page already ends lower
                pdf.set_y(max(pdf.get_y(), y + label_height))
            pdf.set_draw_color(220, 223, 228)
            pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    return bytes(pdf.output())


def _height(pdf, width: float, text: str) -> float:
    """The height `text` takes in a cell `width` wide, with 5 mm lines in the current font."""
    return pdf.multi_cell(width, 5, text, dry_run=True, output="HEIGHT")
