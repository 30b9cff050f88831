"""Sessions end after the idle timeout and after an absolute maximum, whatever the cookie says.

Role changes and disabling end sessions through the session hash (User._get_session_auth_hash):
Django itself flushes a session whose hash no longer matches.
"""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

STARTED = "safepassage_started_at"
SEEN = "safepassage_seen_at"


@receiver(user_logged_in)
def _session_started(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[STARTED] = now
        request.session[SEEN] = now


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = time.time()
            started = request.session.get(STARTED)
            seen = request.session.get(SEEN)
            # A session without the marks predates them: end it rather than trust it.
            if (
                not isinstance(started, int | float)
                or not isinstance(seen, int | float)
                or now - started > settings.SESSION_ABSOLUTE_AGE
                or now - seen > settings.SESSION_COOKIE_AGE
            ):
                logout(request)
            else:
                request.session[SEEN] = now
        return self.get_response(request)
