"""The one way a document's bytes leave: a same-origin response no cache keeps, no browser
sniffs into another type, and that runs nothing (the pages and the API both answer with it)."""

from django.http import HttpResponse

from safepassage.documents.checks import EXTENSIONS, PDF, TEXT
from safepassage.documents.selectors import Content

# A PDF is shown by the browser's own viewer, a plugin that `object-src 'none'` and `sandbox`
# would block; everything else is sandboxed. Nothing may load from elsewhere, and only this
# site's pages may frame it (the preview on the document page).
_CSP_PDF = ("default-src 'none'; object-src 'self'; img-src 'self'; style-src 'unsafe-inline'; "
            "frame-ancestors 'self'; base-uri 'none'; form-action 'none'")  # fmt: skip
_CSP_OTHER = ("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; "
              "frame-ancestors 'self'; base-uri 'none'; form-action 'none'; sandbox")  # fmt: skip


def download_name(content: Content) -> str:
    """A name that says nothing of him (the title may): the document's number and version."""
    version = content.version
    return f"document-{version.document_id}-v{version.number}.{EXTENSIONS[version.content_type]}"


def content_response(content: Content, *, inline: bool = False) -> HttpResponse:
    content_type = content.version.content_type
    if content_type == TEXT:
        content_type = "text/plain; charset=utf-8"
    response = HttpResponse(content.data, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{download_name(content)}"'
    response["Content-Length"] = str(len(content.data))
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        _CSP_PDF if content.version.content_type == PDF else _CSP_OTHER
    )
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["X-Frame-Options"] = "SAMEORIGIN"
    return response
