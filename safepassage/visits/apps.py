from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "safepassage.visits"
