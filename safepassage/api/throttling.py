"""Rate limit per API token, or per user for browser sessions (setting `API_RATE`)."""

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from safepassage.api.models import ApiToken


class PerTokenThrottle(SimpleRateThrottle):
    scope = "api"
    cache_format = "throttle_%(scope)s_%(ident)s"

    def get_rate(self) -> str:
        # Read at request time (not import time) so that settings can change in tests.
        return settings.API_RATE

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
