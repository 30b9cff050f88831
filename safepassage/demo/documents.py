"""Fictional papers of the story's first soldier, made at seed time: his capture card (PDF), an
identification photograph (a plain drawn image) and the camp doctor's note on his jaw wound."""

import datetime
import io

from fpdf import FPDF
from PIL import Image, ImageDraw

from safepassage.demo.cast import Cast
from safepassage.documents.services import document_upload
from safepassage.registry.models import Person


def _pdf(title: str, lines: list[str]) -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 14)
    pdf.cell(text=title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    for line in ["FICTIONAL DEMO DOCUMENT", *lines]:
        pdf.multi_cell(0, 7, text=line, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _portrait() -> bytes:
    image = Image.new("RGB", (240, 300), (214, 220, 228))
    draw = ImageDraw.Draw(image)
    draw.ellipse((70, 40, 170, 150), fill=(150, 120, 100))
    draw.rectangle((50, 160, 190, 300), fill=(70, 90, 70))
    draw.text((10, 10), "DEMO", fill=(40, 40, 40))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=85)
    return out.getvalue()


def documents_seed(cast: Cast, registry_number: str) -> None:
    """Three documents about him, each added by whom the policy lets add it."""
    person = Person.objects.get(registry_number=registry_number)
    registrar, doctor = cast.users["ua-registrar"], cast.users["ua-doctor"]
    document_upload(
        actor=registrar, person=person, kind="capture_card", title="Capture card (Art. 70)",
        dated=datetime.date(2025, 1, 12), language="ko",
        content=_pdf("Capture card", [f"Registry number: {registry_number}",
                                      "Written by the prisoner, in Korean, at the camp."]),
    )  # fmt: skip
    document_upload(
        actor=registrar, person=person, kind="photo", title="Identification photograph",
        dated=datetime.date(2025, 1, 12), content=_portrait(),
    )  # fmt: skip
    document_upload(
        actor=doctor, person=person, kind="medical_record", title="Jaw wound: admission note",
        dated=datetime.date(2025, 1, 10), language="uk",
        content=_pdf("Medical record", ["Fracture of the lower jaw, wired.",
                                        "Fit to be interviewed in writing."]),
    )  # fmt: skip
