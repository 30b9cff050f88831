from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "safepassage.registry"
