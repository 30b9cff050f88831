from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "safepassage.accounts"
    verbose_name = _("Organisations and accounts")

    def ready(self) -> None:
        from safepassage.accounts import (
            middleware,  # noqa: F401 - connects the login receiver
            receivers,  # noqa: F401 - the lockout's receivers
        )
