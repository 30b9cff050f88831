"""The interface language: the user's own setting, else the browser's, else English.

Django's LocaleMiddleware reads the language cookie and Accept-Language before anyone is known;
`UserLanguageMiddleware` runs after authentication and puts the user's setting first.
`set_language` is Django's view (cookie, safe redirect) that also keeps the choice on the
account, so it follows the user to another browser.
"""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from safepassage.accounts.services import user_language_set


def _user_language(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ""
    language = getattr(user, "language", "")
    return language if language in dict(settings.LANGUAGES) else ""


class UserLanguageMiddleware:
    """Activates the authenticated user's chosen language (after AuthenticationMiddleware)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = _user_language(request)
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


# Open before login too: the login page has the switcher.
@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, and for a logged-in user his saved preference too."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if user.is_authenticated and language in dict(settings.LANGUAGES):
        user_language_set(user=user, language=language, actor=user)
    return response
