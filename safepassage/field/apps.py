from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "safepassage.field"
    label = "field"
