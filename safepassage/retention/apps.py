from django.apps import AppConfig


class RetentionConfig(AppConfig):
    name = "safepassage.retention"
    verbose_name = "Retention"
