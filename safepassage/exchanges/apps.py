from django.apps import AppConfig


class ExchangesConfig(AppConfig):
    name = "safepassage.exchanges"
