"""Files to upload, made here: a PDF holding a marker (uncompressed, so the marker is in its
bytes), a PDF with JavaScript, a JPEG with GPS tags, an executable named like a PDF."""

import io

import pikepdf
from fpdf import FPDF
from PIL import Image

MARKER = "DOC-MARKER-jaw-wound-x-ray-8841"


def pdf_with(text: str = MARKER) -> bytes:
    pdf = FPDF()
    pdf.set_compression(False)
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text=text)
    data = bytes(pdf.output())
    assert text.encode("ascii") in data  # else the marker tests prove nothing
    return data


def pdf_with_javascript() -> bytes:
    pdf = pikepdf.open(io.BytesIO(pdf_with("harmless looking")))
    action = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')"))
    )
    pdf.Root.OpenAction = action
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (120, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CameraMaker"  # Make
    gps = {1: "N", 2: (50.0, 27.0, 0.0), 3: "E", 4: (30.0, 31.0, 0.0)}
    exif[0x8825] = gps
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    data = out.getvalue()
    assert Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)  # the tags are really there
    return data


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 90, 10)).save(out, format="PNG")
    return out.getvalue()


def elf() -> bytes:
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 56 + b"payload" * 100


def exe() -> bytes:
    return b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 120 + b"This program cannot be run in DOS"
