from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "safepassage.api"
    verbose_name = _("Partner API")

    def ready(self) -> None:
        from safepassage.api import (
            extensions,  # noqa: F401 - registers the security schemes
            receivers,  # noqa: F401 - revokes tokens when credentials change
        )
