"""Response headers that keep pages about people out of caches and switch off browser features."""

from django.http import HttpRequest, HttpResponse

# Nothing in safepassage uses these; a page that tried would be an injection.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
)


class PrivateResponseMiddleware:
    """`Cache-Control: no-store` on every dynamic response (static files never reach here:
    WhiteNoise answers them first), and a minimal `Permissions-Policy`.

    Every page behind the login names prisoners of war; a shared or proxy cache, or the browser's
    back-forward cache on a shared computer, must not keep a copy.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
