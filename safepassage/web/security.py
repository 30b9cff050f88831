"""Content-Security-Policy exceptions, each for one view and as narrow as it can be."""

from django.utils.csp import CSP

# Swagger UI (drf-spectacular-sidecar, served from /static/): its scripts are files (the split
# view serves the init script as a file too), its one inline <style> carries the nonce, and its
# stylesheet draws icons from data: URLs. Nothing else differs from settings.SECURE_CSP.
API_DOCS_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.NONCE],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
