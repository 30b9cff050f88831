from django.apps import AppConfig


class CryptoConfig(AppConfig):
    name = "safepassage.crypto"
    label = "crypto"
    verbose_name = "Field encryption"
