"""What the file checks let in, and what they refuse with words that say what to do."""

import io

import pytest
from PIL import Image

from safepassage.documents.checks import (
    JPEG,
    PDF,
    TEXT,
    DocumentRefused,
    document_check,
)
from tests.documents.builders import elf, exe, jpeg_with_gps, pdf_with, pdf_with_javascript


@pytest.mark.parametrize("program", [elf(), exe()], ids=["elf", "mz"])
def test_an_executable_named_like_a_pdf_is_refused_as_a_program(program):
    with pytest.raises(DocumentRefused, match="program") as refused:
        document_check(kind="medical_record", content=program)
    assert refused.value.field == "file"


def test_a_pdf_with_javascript_is_refused_naming_what_it_holds():
    with pytest.raises(DocumentRefused, match="JavaScript") as refused:
        document_check(kind="medical_record", content=pdf_with_javascript())
    assert "an action run on opening" in str(refused.value)
    assert "Print it to a new PDF" in str(refused.value)


def test_a_plain_pdf_is_kept_as_it_is():
    data = pdf_with()
    checked = document_check(kind="medical_record", content=data)
    assert checked.content == data and checked.content_type == PDF


def test_a_jpeg_with_gps_tags_comes_out_with_none():
    checked = document_check(kind="photo", content=jpeg_with_gps())
    assert checked.content_type == JPEG
    image = Image.open(io.BytesIO(checked.content))
    exif = image.getexif()
    assert not exif.get_ifd(0x8825) and 0x010F not in exif
    assert b"CameraMaker" not in checked.content and image.size == (64, 48)


def test_the_type_comes_from_the_bytes_not_the_kind_a_photo_cannot_be_a_pdf():
    with pytest.raises(DocumentRefused, match="This file is PDF; a document of this kind may"):
        document_check(kind="photo", content=pdf_with())


def test_plain_utf8_text_is_text_and_binary_noise_is_unrecognised():
    assert document_check(kind="medical_record", content="Кім, щелепа".encode()).content_type == (
        TEXT
    )
    with pytest.raises(DocumentRefused, match="cannot be recognised"):
        document_check(kind="medical_record", content=b"\xff\xfe\x00\x01" * 50)


def test_an_image_past_the_pixel_limit_is_refused_as_a_bomb(monkeypatch):
    from safepassage.documents import checks

    monkeypatch.setattr(checks, "MAX_PIXELS", 1000)
    out = io.BytesIO()
    Image.new("L", (200, 200)).save(out, format="PNG")
    with pytest.raises(DocumentRefused, match="million pixels"):
        document_check(kind="photo", content=out.getvalue())


def test_a_word_file_with_macros_is_refused():
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override ContentType="application/vnd.openxmlformats-officedocument.'
            'wordprocessingml.document.main+xml" PartName="/word/document.xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/vbaProject.bin", b"\x00macro")
    with pytest.raises(DocumentRefused, match="macros"):
        document_check(kind="legal_opinion", content=out.getvalue())


def test_an_empty_file_is_refused():
    with pytest.raises(DocumentRefused, match="empty"):
        document_check(kind="other", content=b"")
