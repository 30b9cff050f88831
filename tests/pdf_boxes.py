"""Where a PDF's text lines are drawn: one box per line (a BT … ET block), from the content
stream and the font's glyph widths, one em tall, so a test can tell two lines that
overprint each other. Reads the PDFs safepassage/lib/pdf.py makes (fpdf2: Type0 fonts with
Identity-H codes, text placed with Td); refuses an operator it does not model."""

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ContentStream


@dataclass(frozen=True)
class Box:
    page: int
    left: float
    bottom: float
    right: float
    top: float

    def overlaps(self, other: "Box", tolerance: float = 0.2) -> bool:
        return (
            self.page == other.page
            and min(self.right, other.right) - max(self.left, other.left) > tolerance
            and min(self.top, other.top) - max(self.bottom, other.bottom) > tolerance
        )


class _Font:
    def __init__(self, font):
        descendant = font["/DescendantFonts"][0].get_object()
        self.default = float(descendant.get("/DW", 1000))
        self.widths: dict[int, float] = {}
        spec = list(descendant.get("/W", []))
        i = 0
        while i < len(spec):
            first = int(spec[i])
            if isinstance(spec[i + 1], list):
                for offset, width in enumerate(spec[i + 1]):
                    self.widths[first + offset] = float(width)
                i += 2
            else:
                for code in range(first, int(spec[i + 1]) + 1):
                    self.widths[code] = float(spec[i + 2])
                i += 3
        # The em square, split above and below the baseline as the font's ascent and descent
        # are: a line set at least one em below another never touches it (the ascent and
        # descent themselves leave room for accents, and overlap at a tight line height).
        descriptor = descendant["/FontDescriptor"].get_object()
        ascent, descent = float(descriptor["/Ascent"]), float(descriptor["/Descent"])
        self.ascent = ascent / (ascent - descent)
        self.descent = descent / (ascent - descent)

    def advance(self, text) -> float:
        """Width in text space units (thousandths of the font size) of a shown string."""
        codes = _codes(text)
        return sum(self.widths.get(code, self.default) for code in codes)


def _codes(text) -> list[int]:
    raw = text.original_bytes if hasattr(text, "original_bytes") else bytes(text)
    return [int.from_bytes(raw[i : i + 2], "big") for i in range(0, len(raw), 2)]


# Painting and graphics state, which move no text (`cm` would, and is refused).
_IGNORED = set(b"q Q g G rg RG w J j d gs re f f* F m l h S s B b n W".split())


def text_lines(data: bytes) -> list[Box]:
    """Every text block's box, in points, page by page."""
    boxes = []
    reader = PdfReader(io.BytesIO(data))
    for number, page in enumerate(reader.pages, start=1):
        fonts = {name: _Font(ref.get_object()) for name, ref in page["/Resources"]["/Font"].items()}
        font, size = None, 0.0
        x = y = 0.0
        runs: list[tuple[float, float, float, float]] = []
        for operands, operator in ContentStream(page.get_contents(), reader).operations:
            if operator == b"BT":
                x = y = 0.0
                runs = []
            elif operator == b"Tf":
                font, size = fonts[operands[0]], float(operands[1])
            elif operator == b"Td":
                x, y = x + float(operands[0]), y + float(operands[1])
            elif operator in (b"Tj", b"TJ"):
                parts = operands[0] if operator == b"TJ" else [operands[0]]
                width = 0.0
                for part in parts:
                    if isinstance(part, int | float):  # a shift, in thousandths of the size
                        width -= float(part)
                    else:
                        width += font.advance(part)
                width *= size / 1000
                if width > 0:
                    runs.append((x, y + font.descent * size, x + width, y + font.ascent * size))
                x += width
            elif operator == b"ET":
                if runs:
                    boxes.append(
                        Box(
                            number,
                            min(r[0] for r in runs),
                            min(r[1] for r in runs),
                            max(r[2] for r in runs),
                            max(r[3] for r in runs),
                        )
                    )
            elif operator in (b"Tc", b"Tw", b"Tz", b"TL", b"Ts", b"Tr", b"Tm", b"T*", b"'", b'"'):
                assert operator == b"Tw" and float(operands[0]) == 0, (
                    f"text operator {operator!r} {operands} is not modelled here"
                )
            elif operator not in _IGNORED:
                raise AssertionError(f"operator {operator!r} is not modelled here")
    return boxes


def overprinted(data: bytes) -> list[tuple[Box, Box]]:
    """Every pair of text lines drawn over each other."""
    boxes = sorted(text_lines(data), key=lambda b: (b.page, b.left))
    pairs = []
    for i, box in enumerate(boxes):
        for other in boxes[i + 1 :]:
            if other.page != box.page or other.left >= box.right:
                break
            if box.overlaps(other):
                pairs.append((box, other))
    return pairs
