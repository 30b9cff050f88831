from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "safepassage.exchanges"

    def ready(self) -> None:
        # Registers the exchange entries as live movements the guard's refresh calls off.
        from safepassage.exchanges import services  # noqa: F401
