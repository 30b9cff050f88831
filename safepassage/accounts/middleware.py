"""Sessions end after the idle timeout and after an absolute maximum, whatever the cookie says.

Role changes and disabling end sessions through the session hash (User._get_session_auth_hash):
Django itself flushes a session whose hash no longer matches.
"""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from safepassage.accounts.mfa import mfa_enrolled

STARTED = "safepassage_started_at"
SEEN = "safepassage_seen_at"
# The last request is noted at most this often: the session row is written only when something
# in it changes, so a request within a minute of the last noted one writes nothing. The idle
# timeout therefore counts from a moment up to this much before the last request
# (docs/security.md).
SEEN_RESOLUTION = 60


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
            elif now - seen >= SEEN_RESOLUTION:
                request.session[SEEN] = now  # modified: saved, and the cookie renewed
        return self.get_response(request)


# Where a user who must enrol a second factor may still go: the enrolment pages themselves,
# logging out, the language switch and static files.
_ENROLMENT_OPEN_PREFIXES = ("/accounts/", "/logout/", "/i18n/", "/static/")
ENROLMENT_REQUIRED_MESSAGE = _(
    "Protect your account with a second factor first: an authenticator app or a security key."
)


@receiver(user_logged_in)
def _mfa_enrolment_noted(sender, request, user, **kwargs) -> None:
    # Known at login, so an enrolled user's requests cost no query for it.
    if request is not None and hasattr(request, "session") and mfa_enrolled(user):
        request.session[MFAEnrolmentMiddleware.SESSION_KEY] = True


class MFAEnrolmentMiddleware:
    """Every account that must use MFA (all but the demo's) enrols a factor before anything.

    Runs after authentication. The result is kept in the session once true, so an enrolled
    user costs no query; removing the last factor is refused (accounts.mfa.MFAAdapter).
    """

    SESSION_KEY = "safepassage_mfa_enrolled"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and getattr(user, "mfa_required", False)
            and not request.session.get(self.SESSION_KEY)
            and not request.path.startswith(_ENROLMENT_OPEN_PREFIXES)
        ):
            if mfa_enrolled(user):
                request.session[self.SESSION_KEY] = True
            else:
                return self.refuse(request)
        return self.get_response(request)

    def refuse(self, request: HttpRequest) -> HttpResponse:
        """The answer to a user who must enrol first: to the enrolment page, with a word why.
        (The API answers a problem instead: `api.middleware.MFAEnrolmentMiddleware`.)"""
        messages.info(request, ENROLMENT_REQUIRED_MESSAGE)
        return redirect("mfa_index")
