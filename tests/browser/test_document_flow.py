"""A document through the browser: the registrar uploads a scan of a capture card on the plain
file input, sees it previewed on its page and downloads the very same bytes."""

from django.urls import reverse
from playwright.sync_api import expect

from safepassage.documents.models import Document
from safepassage.registry.services import NameInput, person_register
from tests.documents.builders import pdf_with, png


def test_a_registrar_uploads_previews_and_downloads_a_document(people, browsing, tmp_path):
    kim = person_register(actor=people.registrar, names=[NameInput(family_name="Kim")],
                          nationalities=["KP"])  # fmt: skip
    scan = tmp_path / "card.png"
    scan.write_bytes(png())
    person_page = reverse("registry:person_detail", args=[kim.registry_number])
    page = browsing.open(people.registrar, path=person_page)
    page.get_by_role("link", name="Add a document").click()
    page.get_by_label("Kind").select_option("photo")
    page.get_by_label("Title").fill("Identification photograph")
    page.get_by_label("File").set_input_files(str(scan))
    browsing.shot(page, "form")
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Document added.")).to_be_visible()
    document = Document.objects.get(person=kim)
    preview = page.locator("img.document-preview")
    expect(preview).to_be_visible()
    # Drawn from the audited content URL once it has loaded (a busy machine takes a moment).
    # (A property read, not a string evaluated in the page: the site's CSP forbids eval.)
    expect(preview).to_have_js_property("complete", True)
    expect(preview).to_have_js_property("naturalWidth", 32)
    browsing.shot(page, "preview")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download", exact=True).click()
    path = download.value.path()
    stored = open(path, "rb").read()  # noqa: PTH123, SIM115 - the browser's file
    assert stored[:8] == b"\x89PNG\r\n\x1a\n" and download.value.suggested_filename == (
        f"document-{document.pk}-v1.png"
    )


def test_a_pdf_is_previewed_in_a_frame_from_the_same_origin(people, browsing):
    kim = person_register(actor=people.registrar, names=[NameInput(family_name="Kim")],
                          nationalities=["KP"])  # fmt: skip
    from safepassage.documents.services import document_upload

    card = document_upload(actor=people.registrar, person=kim, kind="capture_card",
                           title="Capture card", content=pdf_with())  # fmt: skip
    page = browsing.open(people.registrar, path=reverse(
        "documents:document_detail", args=[kim.registry_number, card.pk]))  # fmt: skip
    frame = page.locator("iframe.document-preview")
    expect(frame).to_be_visible()
    src = frame.get_attribute("src")
    response = page.request.get(src)
    assert response.status == 200 and response.headers["cache-control"] == "no-store"
    assert response.body().startswith(b"%PDF")
