from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "safepassage.demo"
