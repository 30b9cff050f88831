"""What an uploaded file is, read from its bytes, and whether it may be kept as that kind of
document (docs/documents.md#checks). All in memory: nothing here writes a file.

Images are decoded and encoded again without their metadata (EXIF with its GPS position, XMP,
comments, colour profiles), so what is stored is the picture alone. PDFs that carry scripts,
automatic actions, launch actions or embedded files are refused, not cleaned: a cleaned PDF
would no longer be the paper the person handed over. Office files are accepted only for the
kinds that need them, and never with macros. Each refusal names what was wrong and what to do.
"""

import io
import warnings
import zipfile
from dataclasses import dataclass

import filetype
import pikepdf
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps, UnidentifiedImageError

from safepassage.access import documents as kinds
from safepassage.lib.errors import DomainError

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
WEBP = "image/webp"
TIFF = "image/tiff"
TEXT = "text/plain"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

IMAGES = (JPEG, PNG, WEBP, TIFF)
# Each kind's allowed types: what such a paper is scanned, photographed or written as.
ALLOWED: dict[str, tuple[str, ...]] = {
    kinds.IDENTITY_DOCUMENT: (PDF, *IMAGES),
    kinds.CAPTURE_CARD: (PDF, *IMAGES),
    kinds.PHOTO: IMAGES,
    kinds.MEDICAL_RECORD: (PDF, *IMAGES, TEXT),
    kinds.INTERVIEW_RECORD: (PDF, TEXT, JPEG, PNG),
    kinds.LEGAL_OPINION: (PDF, TEXT, DOCX),
    kinds.ACCEPTANCE: (PDF, JPEG, PNG),
    kinds.OTHER: (PDF, *IMAGES, TEXT, DOCX, XLSX),
}
NAMES = {PDF: "PDF", JPEG: "JPEG", PNG: "PNG", WEBP: "WebP", TIFF: "TIFF",
         TEXT: gettext_lazy("plain text"), DOCX: "Word (DOCX)", XLSX: "Excel (XLSX)"}  # fmt: skip
EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png", WEBP: "webp", TIFF: "tif", TEXT: "txt",
              DOCX: "docx", XLSX: "xlsx"}  # fmt: skip
_PILLOW_FORMAT = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP", TIFF: "TIFF"}
# A scan of a page at 600 dpi is some 35 million pixels; more is a decompression bomb.
MAX_PIXELS = 80_000_000
# Dictionary keys of a PDF that run something or carry a file, and what a person calls them.
_PDF_ACTIVE = {
    "/JS": "JavaScript",
    "/JavaScript": "JavaScript",
    "/OpenAction": "an action run on opening",
    "/AA": "automatic actions",
    "/Launch": "a launch action",
    "/EmbeddedFile": "an embedded file",
    "/EmbeddedFiles": "an embedded file",
    "/RichMedia": "embedded media",
    "/XFA": "an XFA form",
}
_ZIP_MAX_RATIO = 200  # an office file that expands further is a zip bomb


class DocumentRefused(DomainError):
    """The file cannot be kept as this kind of document; the message says why and what to do."""

    def __init__(self, message: str):
        super().__init__(message, field="file")


@dataclass(frozen=True)
class Checked:
    """What will be stored: the bytes (re-encoded for images) and their type."""

    content: bytes
    content_type: str

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.content_type]


def allowed_names(kind: str) -> str:
    return ", ".join(str(NAMES[t]) for t in ALLOWED.get(kind, ()))


def detect(content: bytes) -> str | None:
    """The type the bytes show (never the name's or the browser's word); None: unknown."""
    guess = filetype.guess(content[:8192])
    if guess is not None:
        if guess.mime in ("application/x-executable", "application/x-msdownload") or (
            guess.extension in ("elf", "exe", "wasm", "swf", "crx", "deb", "rpm")
        ):
            return "executable"
        return {"jpg": JPEG, "png": PNG, "webp": WEBP, "tif": TIFF, "pdf": PDF, "docx": DOCX,
                "xlsx": XLSX}.get(guess.extension, guess.mime)  # fmt: skip
    if content[:2] == b"MZ":
        return "executable"
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return None
    if "\x00" in text:
        return None
    return TEXT


def _refuse_type(kind: str, detected: str | None) -> DocumentRefused:
    allowed = allowed_names(kind)
    if detected == "executable":
        return DocumentRefused(
            _("This file is a program, whatever its name says; programs are never kept. "
              "Upload the document itself as %(allowed)s.") % {"allowed": allowed}
        )  # fmt: skip
    if detected is None:
        return DocumentRefused(
            _("The type of this file cannot be recognised from its content. Save it as "
              "%(allowed)s and upload it again.") % {"allowed": allowed}
        )  # fmt: skip
    return DocumentRefused(
        _("This file is %(type)s; a document of this kind may be %(allowed)s. Convert it, or "
          "choose another kind.") % {"type": NAMES.get(detected, detected), "allowed": allowed}
    )  # fmt: skip


def image_clean(content: bytes, content_type: str) -> bytes:
    """The picture encoded again without any metadata, turned upright first."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(content)) as image:
                frames = [ImageOps.exif_transpose(frame.copy()) for frame in _frames(image)]
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DocumentRefused(
            _("This image has more than %(pixels)s million pixels. Scan it at a lower "
              "resolution (300 dpi is enough) and upload it again.")
            % {"pixels": MAX_PIXELS // 1_000_000}
        ) from None  # fmt: skip
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise DocumentRefused(
            _("This image is damaged or incomplete and cannot be read. Save it again from "
              "the scanner or camera and upload it again.")
        ) from None  # fmt: skip
    out = io.BytesIO()
    cleaned = [_without_metadata(frame, content_type) for frame in frames]
    options: dict = {}
    if content_type == JPEG:
        options = {"quality": 92, "optimize": True}
    elif content_type == TIFF and len(cleaned) > 1:
        options = {"save_all": True, "append_images": cleaned[1:]}
    cleaned[0].save(out, format=_PILLOW_FORMAT[content_type], **options)
    return out.getvalue()


def _frames(image: Image.Image):
    # Pages of a scanned TIFF are kept; other formats keep their first frame (no animations).
    count = getattr(image, "n_frames", 1) if image.format == "TIFF" else 1
    for index in range(count):
        image.seek(index)
        yield image


def _without_metadata(image: Image.Image, content_type: str) -> Image.Image:
    if content_type == JPEG and image.mode not in ("RGB", "L", "CMYK"):
        image = image.convert("RGB")
    # A new image from the pixels alone: no info, EXIF, XMP, ICC or text chunks come along.
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    if image.mode == "P" and image.getpalette():
        bare.putpalette(image.getpalette())
    return bare


def pdf_check(content: bytes) -> None:
    """Refuse a PDF that cannot be read, is locked, or carries active content or files."""
    try:
        with pikepdf.open(io.BytesIO(content)) as pdf:
            found = _pdf_active_parts(pdf)
    except pikepdf.PasswordError:
        raise DocumentRefused(
            _("This PDF is protected by a password. Save a copy without the password and "
              "upload that.")
        ) from None  # fmt: skip
    except pikepdf.PdfError:
        raise DocumentRefused(
            _("This PDF is damaged and cannot be read. Save or print it to PDF again and "
              "upload it again.")
        ) from None  # fmt: skip
    if found:
        raise DocumentRefused(
            _("This PDF contains %(parts)s, which could run on the reader's computer. Print "
              "it to a new PDF (or scan the paper) and upload that.")
            % {"parts": ", ".join(sorted(found))}
        )  # fmt: skip


def _pdf_active_parts(pdf: pikepdf.Pdf) -> set[str]:
    found: set[str] = set()
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if not isinstance(obj, pikepdf.Dictionary):
            continue
        for key in obj.keys():  # noqa: SIM118 - a pikepdf Dictionary
            if key == "/OpenAction" and not _is_action(obj.get(key)):
                continue  # a page to open at (a destination), which every writer sets
            if key in _PDF_ACTIVE:
                found.add(_PDF_ACTIVE[key])
        if obj.get("/S") in (pikepdf.Name.JavaScript, pikepdf.Name.Launch):
            found.add(_PDF_ACTIVE["/" + str(obj.get("/S"))[1:]])
        if obj.get("/Type") == pikepdf.Name.EmbeddedFile or obj.get("/Subtype") == pikepdf.Name(
            "/FileAttachment"
        ):
            found.add(_PDF_ACTIVE["/EmbeddedFile"])
    return found


def _is_action(value) -> bool:
    """An action dictionary other than going to a page of this same document."""
    return isinstance(value, pikepdf.Dictionary) and value.get("/S") != pikepdf.Name.GoTo


def office_check(content: bytes) -> None:
    """Refuse an office file with macros or ActiveX, or one that is not a sane zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
            types = archive.read("[Content_Types].xml").decode("utf-8", "replace")
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise DocumentRefused(
            _("This office file is damaged and cannot be read. Save it again and upload it.")
        ) from None
    names = [entry.filename.lower() for entry in entries]
    if (
        any(name.endswith(".bin") or "activex" in name or "vbaproject" in name for name in names)
        or "macroenabled" in types.lower()
    ):
        raise DocumentRefused(
            _("This office file contains macros or ActiveX controls, which could run on the "
              "reader's computer. Save it as a PDF, or as DOCX/XLSX without macros, and "
              "upload that.")
        )  # fmt: skip
    expanded = sum(entry.file_size for entry in entries)
    if expanded > max(len(content), 1) * _ZIP_MAX_RATIO:
        raise DocumentRefused(
            _("This office file expands to far more than its size. Save it as a PDF and "
              "upload that.")
        )  # fmt: skip


def document_check(*, kind: str, content: bytes) -> Checked:
    """The bytes to store for an upload of `kind`, or `DocumentRefused` saying why not."""
    if not content:
        raise DocumentRefused(_("The file is empty. Choose the file again."))
    detected = detect(content)
    if detected not in ALLOWED.get(kind, ()):
        raise _refuse_type(kind, detected)
    if detected in IMAGES:
        return Checked(image_clean(content, detected), detected)
    if detected == PDF:
        pdf_check(content)
    elif detected in (DOCX, XLSX):
        office_check(content)
    return Checked(content, detected)
